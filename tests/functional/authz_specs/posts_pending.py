"""The editor stand-ins in coursesite/posts/_pending.py: remove this file with them when the posts work merges."""

from tests.functional.authz_specs import Spec


def _edit_args(w):
    return {"slug": w.course.slug, "post_id": w.draft.id}


SPECS = [
    Spec("posts.new_post", method, lambda w: {"slug": w.course.slug},
         anonymous=302, student=200, outsider=403, ta=200, instructor=200, admin=403)
    for method in ("GET", "POST")
] + [
    # Only the author edits an essay; anyone else in the course gets 404, as for a draft they may not see.
    Spec("posts.edit_post", method, _edit_args, anonymous=302, student=200, outsider=403, ta=404, instructor=404,
         admin=403)
    for method in ("GET", "POST")
]
