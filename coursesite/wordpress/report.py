"""What a WordPress import did, or would do: plain values the CLI prints and the preview page shows."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SkippedItem:
    kind: str  # "post", "page", "attachment", "comment", ...
    label: str
    reason: str


@dataclass(frozen=True)
class PersonInFile:
    """An author or commenter of the file and who they become here."""

    ref: str  # stable across previews of the same file: names the preview's per-person choice
    shown: str  # as the file names them (name and email)
    email: str | None
    outcome: str  # "member", "chosen", "earlier guest" or "guest"
    becomes: str  # the name readers will see


@dataclass
class ImportReport:
    course_slug: str = ""
    course_title: str = ""
    course_created: bool = False
    dry_run: bool = False
    wxr_version: str = ""
    posts_created: list[str] = field(default_factory=list)
    posts_matched: list[str] = field(default_factory=list)
    comments_created: int = 0
    comments_matched: int = 0
    threaded_comments: int = 0
    people_created: list[str] = field(default_factory=list)
    people_matched: list[str] = field(default_factory=list)
    terms_created: list[str] = field(default_factory=list)
    skipped: list[SkippedItem] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    people: list[PersonInFile] = field(default_factory=list)
    # `images` in the file's order; this set finds a repeat in one look-up however many images there are.
    images_seen: set[str] = field(default_factory=set, init=False, repr=False, compare=False)

    def add_person(self, person: PersonInFile) -> None:
        self.people.append(person)

    def skip(self, kind: str, label: str, reason: str) -> None:
        self.skipped.append(SkippedItem(kind, label, reason))

    def add_images(self, urls: list[str]) -> None:
        for url in urls:
            if url not in self.images_seen:
                self.images_seen.add(url)
                self.images.append(url)

    @property
    def changes_nothing(self) -> bool:
        return not (self.posts_created or self.comments_created or self.people_created or self.terms_created
                    or self.course_created)

    def summary(self) -> list[str]:
        verb = "would create" if self.dry_run else "created"
        return [
            f"course {self.course_slug}: {self.course_title}" + (f" ({verb})" if self.course_created else ""),
            f"essays: {len(self.posts_created)} {verb}, {len(self.posts_matched)} already imported",
            f"comments: {self.comments_created} {verb} ({self.threaded_comments} of them replies), "
            f"{self.comments_matched} already imported",
            f"people: {len(self.people_created)} guest authors {verb}, {len(self.people_matched)} matched to "
            "members of the course or earlier guests",
            f"categories and tags: {len(self.terms_created)} {verb}",
            f"skipped: {len(self.skipped)} items",
            f"images turned into links: {len(self.images)}",
        ]

    def lines(self) -> list[str]:
        """The whole report as text, for the command line."""
        out = ["Dry run: nothing was written." if self.dry_run else "Imported."]
        out += self.summary()
        for title, names in (("Guest authors (name only, no account)", self.people_created),
                             ("Matched", self.people_matched)):
            if names:
                out.append(f"{title}:")
                out += [f"  {name}" for name in names]
        if self.skipped:
            out.append("Skipped:")
            out += [f"  {item.label}: {item.reason}" for item in self.skipped]
        if self.images:
            out.append("Images now shown as links (upload the media to show them again):")
            out += [f"  {url}" for url in self.images]
        out += [f"Note: {note}" for note in self.notes]
        return out
