"""The dashboard's matrix, needs attention, pages per student and per assignment, and the Activity page's
pictures."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Comment, CommentReport, Enrollment, Post, utcnow
from tests import factories as f
from tests.functional.grading_world import add_class, build_grading_world


@pytest.fixture
def w(app, auth):
    world = build_grading_world()
    # Enrolled before the essay was due: a student who joins later owes nothing (participation/deadline_rules.py).
    for enrollment in db.session.scalars(select(Enrollment).where(Enrollment.course_id == world.course.id)):
        enrollment.joined_at = world.assignment.post_due_at - timedelta(days=10)
    db.session.flush()
    auth.login(world.instructor)
    return world


def home(client, w, **args):
    response = client.get(f"/c/{w.course.slug}/dashboard/", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def matrix_of(page):
    return page.split('id="matrix-heading"', 1)[1].split('id="grading-heading"', 1)[0]


def write_essays(w):
    """Amara on time, Benjamin a day late, Chen nothing; Chen comments once on Amara's essay."""
    amara, benjamin, chen = w.students
    due = w.assignment.post_due_at
    essay = f.make_post(w.course, amara, title="Airlift Logistics", assignment_id=w.assignment.id,
                        published_at=due - timedelta(hours=3), body=f.words(320))
    f.make_post(w.course, benjamin, title="Berlin Blockade", assignment_id=w.assignment.id,
                published_at=due + timedelta(days=1))
    f.make_thread_comment(essay, chen, "The tonnage figures here persuade me completely.",
                          at=due + timedelta(hours=2))
    return essay


def test_matrix_shows_each_essay_state_and_comments_given(client, w):
    write_essays(w)
    page = matrix_of(home(client, w))
    assert "On time" in page
    assert "Late by 1 day" in page or "Late by 24 h" in page
    assert "Missing" in page
    assert "1/2 comments" in page  # Chen's one comment of two
    assert f"/dashboard/assignments/{w.assignment.id}/grade/{w.students[2].id}" in page
    assert f"/dashboard/students/{w.students[0].id}" in page


def test_needs_attention_names_the_missing_essay(client, w):
    write_essays(w)
    attention = home(client, w).split('id="attention-heading"', 1)[1].split('id="matrix-heading"', 1)[0]
    assert "1 essay overdue" in attention
    assert "Chen Wei" in attention and "Missing" in attention


def test_needs_attention_lists_students_behind_before_the_comment_deadline(client, w):
    w.assignment.comments_due_at = utcnow() + timedelta(days=2)
    write_essays(w)
    attention = home(client, w).split('id="attention-heading"', 1)[1].split('id="matrix-heading"', 1)[0]
    assert "behind on comments" in attention
    assert "1 of 2 comments" in attention  # Chen
    assert "0 of 2 comments" in attention  # Amara and Benjamin


def test_needs_attention_lists_held_comments(client, w):
    essay = write_essays(w)
    f.make_thread_comment(essay, w.students[1], "Held back for a look by staff.", status="held")
    page = home(client, w)
    assert "1 comment awaiting a look" in page
    assert "held for approval" in page


def test_needs_attention_lists_hidden_comments_no_moderator_has_looked_at(client, w):
    essay = write_essays(w)
    f.make_thread_comment(essay, w.students[1], "Hidden by the reports, nobody has looked.", status="hidden")
    looked_at = f.make_thread_comment(essay, w.students[2], "Hidden by the instructor.", status="hidden")
    looked_at.moderated_by_id = w.instructor.id
    db.session.flush()
    page = home(client, w)
    assert "1 comment awaiting a look" in page
    assert "hidden automatically" in page


def test_sort_by_total_puts_who_is_behind_first(client, w):
    write_essays(w)
    page = matrix_of(home(client, w, sort="total"))
    names = [n for n in ("Amara Okafor", "Benjamin Hart", "Chen Wei")]
    positions = sorted(names, key=page.index)
    assert positions[-1] == "Amara Okafor"  # the only essay on time


def test_sort_by_what_is_owed_puts_who_owes_most_first_and_who_owes_nothing_last(client, w):
    """Overdue essays first, then missing comments, then fewest essays on time; an excused student and one who
    has done everything owe nothing and come last."""
    amara_essay = write_essays(w)  # Chen: essay missing, 1 of 2 comments; Amara and Benjamin: no comments
    due = w.assignment.post_due_at
    dana, eli = f.make_member(w.course, name="Dana Done"), f.make_member(w.course, name="Eli Excused")
    for enrollment in db.session.scalars(select(Enrollment).where(Enrollment.user_id.in_([dana.id, eli.id]))):
        enrollment.joined_at = due - timedelta(days=10)
    f.make_excusal(w.assignment, eli)
    f.make_post(w.course, dana, title="Done early", assignment_id=w.assignment.id,
                published_at=due - timedelta(hours=1))
    eli_essay = f.make_post(w.course, eli, title="Written anyway", assignment_id=w.assignment.id,
                            published_at=due - timedelta(hours=2))
    for essay in (amara_essay, eli_essay):
        f.make_thread_comment(essay, dana, "A careful reading of the evidence.", at=due + timedelta(hours=2))
    db.session.flush()
    page = matrix_of(home(client, w, sort="total"))
    names = ["Chen Wei", "Benjamin Hart", "Amara Okafor", "Eli Excused", "Dana Done"]
    assert sorted(names, key=page.index) == names
    assert "most behind first" in page and 'aria-sort="other"' in page


def header_of(matrix, label):
    """The table's column header whose link reads `label` (with whatever marks the sort)."""
    return next(th for th in re.findall(r"<th scope=\"col\".*?</th>", matrix, re.S) if f">{label}" in th)


def test_only_a_column_sorted_ascending_shows_the_ascending_arrow(client, w):
    """Most behind first is no ascending order of the totals shown: the Total column names it instead of
    showing ▲, and tells a screen reader it is some other order."""
    page = matrix_of(home(client, w, sort="total"))
    total = header_of(page, "Total")
    assert 'aria-sort="other"' in total and "▲" not in total and "Sorted: most behind first" in total
    assert "aria-sort" not in header_of(page, "Student") and "▲" not in page
    for sort, label in (("name", "Student"), ("section", "Section")):
        page = matrix_of(home(client, w, sort=sort))
        header = header_of(page, label)
        assert 'aria-sort="ascending"' in header and '<span class="matrix__sort" aria-hidden="true">▲</span>' in header
        assert page.count("▲") == 1 and "most behind first</span>" not in page


def test_sort_by_section_and_filter_by_section(client, w):
    page = matrix_of(home(client, w, sort="section"))
    assert page.index("Chen Wei") < page.index("Benjamin Hart")  # Section A before Section B
    section_b = next(s for s in w.course.sections if s.name == "Section B")
    page = matrix_of(home(client, w, section=section_b.id))
    assert "Benjamin Hart" in page and "Amara Okafor" not in page


def test_unknown_sort_and_section_fall_back_to_everyone_by_name(client, w):
    page = matrix_of(home(client, w, sort="nonsense", section="99999"))
    assert page.index("Amara Okafor") < page.index("Benjamin Hart") < page.index("Chen Wei")


def test_grading_links_stay_below_the_matrix(client, w):
    page = home(client, w)
    assert page.index('id="matrix-heading"') < page.index('id="grading-heading"') < page.index("Canvas gradebook CSV")


def test_the_pictures_have_a_page_of_their_own_linked_from_the_home(client, w):
    write_essays(w)
    home_page = home(client, w)
    assert "<svg" not in home_page
    assert f'href="/c/{w.course.slug}/dashboard/activity"' in home_page
    response = client.get(f"/c/{w.course.slug}/dashboard/activity")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("<svg") == 2
    assert "<title id=\"activity-title\">" in page and "<desc id=\"web-desc\">" in page
    assert "Table view: essays and comments per day" in page
    assert "Table view: every commenter and essay author pair" in page
    assert "<script" not in page.split("<main", 1)[1]


def test_student_page_is_a_timeline_with_grades_and_feedback(client, w):
    write_essays(w)
    amara, _benjamin, chen = w.students
    f.make_grade(w.assignment, amara, post_score=8, feedback="Strong use of sources.",
                 feedback_html="<p>Strong use of sources.</p>")
    page = client.get(f"/c/{w.course.slug}/dashboard/students/{amara.id}").get_data(as_text=True)
    assert "Airlift Logistics" in page and "320 words" in page
    assert "Chen Wei commented on" in page
    assert "Strong use of sources." in page
    page = client.get(f"/c/{w.course.slug}/dashboard/students/{chen.id}").get_data(as_text=True)
    assert "Commented on Amara Okafor’s" in page
    assert "On time, counts" in page  # written before the comment deadline
    heading = re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", page, re.S)[1])
    assert heading == "Chen Wei · Section A"  # read aloud as two things, not "Chen Wei Section A"


def test_student_page_shows_the_student_s_own_due_dates_and_where_to_change_them(client, w):
    amara, benjamin, _chen = w.students
    extended = w.assignment.post_due_at + timedelta(days=3)
    f.make_extension(w.assignment, amara, post_due_at=extended)
    page = client.get(f"/c/{w.course.slug}/dashboard/students/{amara.id}").get_data(as_text=True)
    due = re.search(r'<td data-label="Due">(.*?)</td>', page, re.S)[1]
    shown = extended.astimezone(ZoneInfo(w.course.timezone)).replace(microsecond=0).isoformat()
    assert f'datetime="{shown}"' in due and "Extended" in due
    assert f"/assignments/{w.assignment.id}/exceptions?q=Amara+Okafor" in due
    assert f"/c/{w.course.slug}/roster?q=Amara+Okafor" in page
    plain = client.get(f"/c/{w.course.slug}/dashboard/students/{benjamin.id}").get_data(as_text=True)
    assert "Extended" not in re.search(r'<td data-label="Due">(.*?)</td>', plain, re.S)[1]


def test_student_page_judges_each_comment_by_its_own_assignment(client, w):
    """A later assignment in the course must not relabel a comment on an earlier one."""
    write_essays(w)
    f.make_assignment(w.course, title="The Marshall Plan", required_comments=2,
                      post_due_at=w.assignment.post_due_at + timedelta(days=14))
    page = client.get(f"/c/{w.course.slug}/dashboard/students/{w.students[2].id}").get_data(as_text=True)
    assert "Commented on Amara Okafor’s" in page
    assert "On time, counts" in page
    assert "Other assignment" not in page


def test_student_page_refuses_people_who_are_not_students_here(client, w):
    for user in (w.ta, w.outsider, w.instructor):
        assert client.get(f"/c/{w.course.slug}/dashboard/students/{user.id}").status_code == 404


def test_assignment_page_lists_every_essay_and_the_next_ungraded(client, w):
    write_essays(w)
    page = client.get(f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}").get_data(as_text=True)
    assert "Airlift Logistics" in page and "320" in page
    assert "Next ungraded" in page
    assert f"/dashboard/assignments/{w.assignment.id}/next" in page
    assert "Missing" in page


def test_assignment_of_another_course_is_not_found(client, w):
    other = f.make_assignment(f.make_course(f.make_user("Someone Else")))
    assert client.get(f"/c/{w.course.slug}/dashboard/assignments/{other.id}").status_code == 404


# The same number of statements whatever the class's size: the class's standing, the page's students and
# the participation counts come from set-based statements (participation/standing.py, participation/counts.py).
# Sorted by name, the assignments open for comments are read first (their comments alone are counted). The
# rows' essays are read once, for their cells and their deadlines alike. The Activity page's picture reads its
# pairs summed, then those among the students it shows. The dashboard reads its course's participation
# version first: here the class changes in the page's own transaction, so the class is counted each time
# (tests/functional/participation/test_kept_counts.py tests the kept way).
STATEMENTS = {"dashboard/": 20, "dashboard/?sort=total": 19, "dashboard/activity": 9, "dashboard/students/{s}": 18,
              "dashboard/assignments/{a}": 13}


@pytest.mark.parametrize("path", ["dashboard/", "dashboard/?sort=total", "dashboard/activity",
                                  "dashboard/students/{s}", "dashboard/assignments/{a}"])
def test_dashboard_pages_run_a_fixed_number_of_statements(client, w, count_queries, path):
    url = f"/c/{w.course.slug}/" + path.format(a=w.assignment.id, s=w.students[0].id)
    enrolled, counts = len(w.students), []
    add_class(w.course, w.assignment, w.students[0], 2, start=enrolled)  # seen once first: templates compiled
    enrolled += 2
    db.session.flush()
    client.get(url)
    for class_size in (10, 200):
        add_class(w.course, w.assignment, w.students[0], class_size - enrolled, start=enrolled)
        enrolled = class_size
        db.session.flush()
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(counter.count)
    if path == "dashboard/activity":  # too many for one picture: the most active ones, every pair in the table
        page = response.get_data(as_text=True)
        assert "the picture shows the 30 most active" in page
        assert page.split('id="web-heading"', 1)[1].count("Bulk Student") >= 190
    assert counts[0] == counts[1], counts
    assert counts[1] == STATEMENTS[path], counts


def test_a_large_class_reads_the_matrix_fifty_students_at_a_time(client, w):
    add_class(w.course, w.assignment, w.students[0], 117, start=len(w.students))  # 120 students
    db.session.flush()
    first = home(client, w, sort="total")
    rows = matrix_of(first).count('<th scope="row">')
    assert rows == 50
    assert "Students 1–50 of 120" in first
    assert f'href="/c/{w.course.slug}/dashboard/?sort=total&amp;page=2#matrix-heading" rel="next"' in first
    last = home(client, w, sort="total", page=3)
    assert "Students 101–120 of 120" in last and matrix_of(last).count('<th scope="row">') == 20
    assert 'aria-current="page"><span class="visually-hidden">Page </span>3' in last
    assert home(client, w, page=99).count("Students 101–120 of 120") == 1  # past the end: the last page
    # Needs attention still counts the whole class, whichever page is shown.
    attention = last.split('id="attention-heading"', 1)[1].split('id="matrix-heading"', 1)[0]
    assert attention == first.split('id="attention-heading"', 1)[1].split('id="matrix-heading"', 1)[0]


def test_the_page_title_and_caption_say_which_section_sort_and_page_are_shown(client, w):
    # A screen reader says the title first on each new page: after Show, a sort or a page link it must differ.
    add_class(w.course, w.assignment, w.students[0], 117, start=len(w.students))  # 120 students
    db.session.flush()
    assert "<title>Dashboard · " in home(client, w)
    section_b = next(s for s in w.course.sections if s.name == "Section B")
    page = home(client, w, section=section_b.id, sort="total")
    assert "<title>Dashboard: Section B only, most behind first · " in page
    assert re.search(r"<caption[^>]*>[^<]*; Section B only; most behind first", page)
    page = home(client, w, page=2)
    assert "<title>Dashboard: page 2 of 3 · " in page
    assert re.search(r"<caption[^>]*>[^<]*; students 51–100 of 120</caption>", page)


def test_a_course_without_sections_has_no_section_column_or_sort(client, auth):
    course = f.make_course()
    f.make_assignment(course, title="Sources")
    for name in ("Zoe Zed", "Amy Ash"):
        f.make_member(course, name=name)
    db.session.commit()
    auth.login(f.instructor_of(course))
    page = client.get(f"/c/{course.slug}/dashboard/", query_string={"sort": "section"}).get_data(as_text=True)
    matrix = matrix_of(page)
    assert ">Section</a></th>" not in matrix and "sort=section" not in matrix and "—</td>" not in matrix
    assert matrix.index("Amy Ash") < matrix.index("Zoe Zed")  # sorted by name, and the title says so
    assert "<title>Dashboard · " in page and 'aria-current="true">name<' in matrix


def test_an_extension_makes_the_late_essay_on_time(client, w):
    from coursesite.models import Extension

    write_essays(w)
    db.session.add(Extension(assignment_id=w.assignment.id, user_id=w.students[1].id,
                             post_due_at=w.assignment.post_due_at + timedelta(days=2)))
    db.session.flush()
    page = matrix_of(home(client, w))
    assert "Late by" not in page
    assert page.count("On time") == 2  # Amara's and Benjamin's


def test_a_long_attention_list_starts_folded(client, w):
    w.assignment.comments_due_at = utcnow() + timedelta(days=2)
    add_class(w.course, w.assignment, w.students[0], 2)
    summary = '<summary><span class="status status--warn"><span aria-hidden="true">⚠</span> {} behind'
    few = home(client, w).split('id="attention-heading"', 1)[1]
    assert 'class="attention__group" open>\n    ' + summary.format(4) in few
    add_class(w.course, w.assignment, w.students[0], 30, start=2)
    many = home(client, w).split('id="attention-heading"', 1)[1]
    assert 'class="attention__group">\n    ' + summary.format(34) in many


def test_an_attention_list_shows_fifty_and_says_how_many_more(client, w):
    w.assignment.comments_due_at = utcnow() + timedelta(days=2)
    add_class(w.course, w.assignment, w.students[0], 60)
    page = home(client, w).split('id="attention-heading"', 1)[1]
    behind = page.split("behind on comments", 1)[1].split("</details>", 1)[0]
    assert "62 behind on comments" in page and "… and 12 more." in behind  # the 60, Benjamin and Chen
    assert behind.count("<li>") == 50
    assert "sort=total#matrix-heading" in behind


def test_the_overdue_list_counts_the_whole_class_and_names_the_first_fifty_by_name(client, w):
    bulk = add_class(w.course, w.assignment, w.students[0], 60)  # Bulk Student 0000 to 0059
    for essay in db.session.scalars(select(Post).where(Post.author_id.in_([u.id for u in bulk]))):
        essay.deleted_at = utcnow()  # trashed: missing
    for enrollment in db.session.scalars(select(Enrollment).where(Enrollment.user_id.in_([u.id for u in bulk]))):
        enrollment.joined_at = w.assignment.post_due_at - timedelta(days=10)
    db.session.flush()
    for page in (home(client, w), home(client, w, sort="total", page=2)):
        overdue = page.split("essays overdue", 1)[1].split("</details>", 1)[0]
        assert "63 essays overdue" in page and "… and 13 more." in overdue  # the 60, Amara, Benjamin and Chen
        assert overdue.count("<li>") == 50
        assert "Amara Okafor" in overdue and "Bulk Student 0047" in overdue
        assert "Bulk Student 0048" not in overdue and "Chen Wei" not in overdue


# Counted afresh on every view: a change shows at once.


def row_of(page, name):
    return matrix_of(page).split(name, 2)[2].split("</tr>", 1)[0]


def test_a_new_comment_shows_at_once(client, w):
    essay = write_essays(w)
    assert "1/2 comments" in row_of(home(client, w), "Chen Wei")
    benjamins = f.make_post(w.course, w.students[1], title="Another essay", assignment_id=w.assignment.id,
                            published_at=essay.published_at)
    f.make_thread_comment(benjamins, w.students[2], "Clear and well argued throughout.",
                          at=essay.published_at + timedelta(hours=1))
    assert "2/2 comments" in row_of(home(client, w), "Chen Wei")


def test_a_grade_a_draft_and_a_report_each_show_at_once(client, w):
    essay = write_essays(w)
    page = home(client, w)
    assert "Not graded" in row_of(page, "Amara Okafor") and "Missing" in row_of(page, "Chen Wei")
    assert "awaiting a look" not in page
    f.make_grade(w.assignment, w.students[0], w.instructor)
    assert "Graded" in row_of(home(client, w), "Amara Okafor").replace("Not graded", "")
    f.make_post(w.course, w.students[2], title="Chen's draft", assignment_id=w.assignment.id, status="draft",
                published_at=None)
    assert "Draft" in row_of(home(client, w), "Chen Wei")
    comment = db.session.scalar(select(Comment).where(Comment.post_id == essay.id))
    db.session.add(CommentReport(comment_id=comment.id, reporter_id=w.students[0].id, reason="Off topic"))
    db.session.flush()
    assert "1 comment awaiting a look" in home(client, w)


def test_a_due_date_passing_is_shown_without_any_change(client, w, monkeypatch):
    w.assignment.post_due_at = utcnow() + timedelta(minutes=20)
    w.assignment.comments_due_at = utcnow() + timedelta(days=3)
    db.session.flush()
    assert "Missing" not in matrix_of(home(client, w))
    later = utcnow() + timedelta(minutes=30)  # before the summary's longest life is out
    monkeypatch.setattr("coursesite.dashboard.views.utcnow", lambda: later)
    assert matrix_of(home(client, w)).count("Missing") == 3


def test_a_section_narrows_the_attention_lists_too(client, w):
    write_essays(w)  # Chen (Section A) has no essay
    section_b = next(s for s in w.course.sections if s.name == "Section B")
    attention = home(client, w, section=section_b.id).split('id="attention-heading"', 1)[1]
    attention = attention.split('id="matrix-heading"', 1)[0]
    assert "Chen Wei" not in attention and "overdue" not in attention
    assert "Chen Wei" in home(client, w).split('id="matrix-heading"', 1)[0]


def test_a_hostile_name_is_escaped_in_the_rows(client, w):
    w.students[2].display_name = '<script>alert("row")</script>'
    db.session.flush()
    page = matrix_of(home(client, w))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;row&#34;)&lt;/script&gt;" in page


@pytest.mark.parametrize("args", [{"page": "abc"}, {"page": "-3"}, {"page": "99999"}, {"sort": "<b>x</b>"},
                                  {"section": "' OR 1=1 --"}])
def test_nonsense_in_the_address_shows_the_whole_class(client, w, args):
    page = matrix_of(home(client, w, **args))
    assert page.index("Amara Okafor") < page.index("Benjamin Hart") < page.index("Chen Wei")
    assert "<b>x</b>" not in page


def assignment_row(page, name):
    return page.split(f">{name}</a>", 1)[1].split("</tr>", 1)[0]


def test_assignment_page_shows_each_grade_as_a_score(client, w):
    write_essays(w)
    f.make_grade(w.assignment, w.students[0], w.instructor, post_score=7, comment_score_override=3,
                 override_reason="Counted by hand")
    page = client.get(f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}").get_data(as_text=True)
    assert "Graded: 10 of 20" in assignment_row(page, "Amara Okafor")
    assert "Not graded" in assignment_row(page, "Benjamin Hart")


def test_assignment_page_marks_essays_under_the_minimum(client, w):
    w.assignment.min_post_words = 350
    write_essays(w)
    page = client.get(f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}").get_data(as_text=True)
    assert "under 350" in assignment_row(page, "Amara Okafor")  # 320 words
    w.assignment.min_post_words = 300
    db.session.flush()
    page = client.get(f"/c/{w.course.slug}/dashboard/assignments/{w.assignment.id}").get_data(as_text=True)
    assert "under" not in assignment_row(page, "Amara Okafor")


def test_student_page_shows_the_same_total_as_the_grid_with_the_essay_score_beside_it(client, w):
    write_essays(w)
    amara = w.students[0]
    f.make_grade(w.assignment, amara, w.instructor, post_score=7, comment_score_override=3,
                 override_reason="Counted by hand")
    page = client.get(f"/c/{w.course.slug}/dashboard/students/{amara.id}").get_data(as_text=True)
    assert "Graded: 10 of 20 (essay 7 of 10)" in page
    assert "Graded: 10 of 20" in matrix_of(home(client, w))


def test_the_grid_key_names_the_not_due_mark_apart_from_its_separators(client, w):
    key = matrix_of(home(client, w)).split('class="matrix-key', 1)[1].split("</p>", 1)[0]
    assert "· · " not in key
    assert "not due yet: greyed, marked “·”" in key
