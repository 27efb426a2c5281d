"""The course's work in a real browser: essays, peer comments, grading, and a roster import.

Each journey makes its own course (the server is shared by the session) and one browser context per person.
"""

from __future__ import annotations

import csv
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.e2e.helpers import DEMO_PASSWORD, PEOPLE, create_course, join_course, log_in, sign_up, unique
from tests.e2e.test_hostile_input import assert_nothing_injected

PASSWORD = "a long enough passphrase"
COURSE_ZONE = ZoneInfo("America/Chicago")  # what create_course types into "Time zone"
# WordPress style, as time_tag shows it: "April 3, 2017 at 12:23 pm".
WP_TIME = re.compile(
    r"(January|February|March|April|May|June|July|August|September|October|November|December) "
    r"\d{1,2}, \d{4} at \d{1,2}:\d{2} (am|pm)"
)


def local_input(days_from_now: int, hour: int = 17) -> str:
    """A wall-clock time in the course's zone as <input type=datetime-local> takes it."""
    moment = datetime.now(COURSE_ZONE) + timedelta(days=days_from_now)
    return moment.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


def instructor_with_course(new_context, title: str) -> tuple[Page, str, str]:
    page = new_context().new_page()
    log_in(page, PEOPLE["instructor"], DEMO_PASSWORD)
    slug = unique("work")
    code = create_course(page, title, slug)
    return page, slug, code


def create_assignment(page: Page, slug: str, title: str, prompt: str, *, required_comments: int = 2,
                      min_comment_words: int = 5, comment_points: str = "0") -> int:
    """As staff: fill in the new-assignment form; returns the assignment's id."""
    page.goto(f"/c/{slug}/assignments/")
    page.get_by_role("link", name="New assignment").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Prompt").fill(prompt)
    page.get_by_label("Opens at").fill(local_input(-1, hour=9))
    page.get_by_label("Essay due").fill(local_input(7))
    page.get_by_label("Comments due").fill(local_input(10))
    page.get_by_label("Comments required (K)").fill(str(required_comments))
    page.get_by_label("Minimum words per comment (M)").fill(str(min_comment_words))
    page.get_by_label("Points for the essay").fill("10")
    page.get_by_label("Points for the comments").fill(comment_points)
    page.get_by_role("button", name="Create assignment").click()
    expect(page.get_by_text(f"“{title}” is created.")).to_be_visible()
    match = re.search(r"/assignments/(\d+)$", page.url)
    assert match, page.url
    return int(match.group(1))


def student_in_course(new_context, code: str, name: str, course_name: str) -> Page:
    page = new_context().new_page()
    sign_up(page, f"{unique('writer')}@example.org", name, PASSWORD)
    join_course(page, code, course_name=course_name)
    return page


def publish_essay(page: Page, slug: str, assignment_id: int, title: str, body: str) -> None:
    """As a student: open the assignment, write the essay and publish it."""
    page.goto(f"/c/{slug}/assignments/{assignment_id}")
    page.get_by_role("link", name="Write your essay").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Essay", exact=True).fill(body)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Your essay is published.")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()


def essay_by_new_student(new_context, code: str, slug: str, assignment_id: int, name: str, course_name: str,
                         title: str, body: str) -> tuple[Page, str]:
    """A student joins the course and publishes an essay for the assignment: their page and the essay's address."""
    writer = student_in_course(new_context, code, name, course_name)
    publish_essay(writer, slug, assignment_id, title, body)
    return writer, writer.url


def post_comment(page: Page, text: str) -> None:
    """On an essay page: write in the "Leave a Reply" box (or an open reply box) and post."""
    page.get_by_label("Comment", exact=True).fill(text)
    page.get_by_role("button", name="Post Comment").click()
    expect(page.locator(".comment-content", has_text=text)).to_be_visible()


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_student_writes_an_essay_that_survives_a_reload_and_publishes_it(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Empires and Their Ends")
    assignment_id = create_assignment(
        instructor, slug, "Why did Rome fall?", "Pick **one** cause and argue for it.", required_comments=0)
    expect(instructor.get_by_role("heading", name="Why did Rome fall?")).to_be_visible()
    expect(instructor.get_by_role("region", name="Prompt").locator("strong")).to_have_text("one")

    student = student_in_course(new_context, code, "Rhea Reader", "Rhea")
    student.get_by_role("link", name="Assignments").click()
    student.get_by_role("link", name="Why did Rome fall?").click()
    student.get_by_role("link", name="Write your essay").click()
    expect(student.get_by_role("heading", name="New post")).to_be_visible()
    expect(student.get_by_role("region", name="Why did Rome fall?")).to_contain_text("Pick one cause")

    # The first autosave (when the title loses focus) creates the draft and moves the address to its editor.
    title = student.get_by_label("Title")
    body = student.get_by_label("Essay", exact=True)
    title.fill("Rome fell slowly")
    body.focus()
    expect(student).to_have_url(re.compile(rf"/c/{slug}/posts/\d+/edit$"))
    expect(student.locator("#save-status")).to_have_text(re.compile(r"^Saved at \d{1,2}:\d{2} (am|pm)$"))
    text = "The **aqueducts** kept running long after the emperors stopped.\n\nDecline was a matter of centuries."
    body.fill(text)
    with student.expect_response(lambda r: r.url.endswith("/autosave") and r.request.method == "POST") as saved:
        title.focus()  # leaving the body saves it
    assert saved.value.ok, saved.value.status
    assert saved.value.json()["ok"] is True

    # The preview shows the essay as readers will see it.
    preview = student.get_by_role("region", name="Preview")
    expect(preview.locator("strong")).to_have_text("aqueducts")
    expect(student.locator("#word-count")).to_have_text("15 words")

    student.reload()
    expect(student.get_by_role("heading", name="Edit essay")).to_be_visible()
    expect(student.get_by_text("Draft · only you and course staff can see it")).to_be_visible()
    expect(student.get_by_label("Title")).to_have_value("Rome fell slowly")
    expect(student.get_by_label("Essay", exact=True)).to_have_value(text)
    expect(student.locator("#local-copy-notice")).to_be_hidden()

    student.get_by_role("button", name="Publish").click()
    expect(student.get_by_text("Your essay is published.")).to_be_visible()
    expect(student.get_by_role("heading", level=1, name="Rome fell slowly")).to_be_visible()
    expect(student.get_by_role("link", name="Why did Rome fall?")).to_be_visible()
    expect(student.locator(".essay__body strong")).to_have_text("aqueducts")

    student.get_by_role("link", name="Blog").click()
    expect(student.get_by_role("link", name="Rome fell slowly", exact=True)).to_be_visible()
    student.goto(f"/c/{slug}/assignment/{assignment_id}/")
    expect(student.get_by_role("link", name="Rome fell slowly", exact=True)).to_be_visible()
    student.goto(f"/c/{slug}/assignments/{assignment_id}")
    expect(student.get_by_role("link", name="Edit your essay")).to_be_visible()

    instructor.goto(f"/c/{slug}/")
    expect(instructor.get_by_role("link", name="Rome fell slowly", exact=True)).to_be_visible()


def test_an_essay_can_be_written_and_published_with_the_keyboard_only(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Keyboards of History")
    assignment_id = create_assignment(instructor, slug, "A document, read closely", "Read it twice.",
                                      required_comments=0)
    student = student_in_course(new_context, code, "Kai Keys", "Kai")
    student.goto(f"/c/{slug}/posts/new?assignment={assignment_id}")

    tab_to(student, "#title")
    student.keyboard.type("The Zimmermann telegram")
    tab_to(student, "#body")
    student.keyboard.type("A decoded message pulled a neutral country into war.")
    student.keyboard.press("Enter")
    student.keyboard.type("It was read in London first.")
    tab_to(student, "button[value=publish]")
    student.keyboard.press("Enter")
    expect(student.get_by_text("Your essay is published.")).to_be_visible()
    expect(student.get_by_role("heading", level=1, name="The Zimmermann telegram")).to_be_visible()
    expect(student.locator(".essay__body")).to_contain_text("pulled a neutral country into war")
    student.goto(f"/c/{slug}/assignment/{assignment_id}/")
    expect(student.get_by_role("link", name="The Zimmermann telegram", exact=True)).to_be_visible()


def test_peers_comment_reply_edit_and_their_checklists_update(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Revolutions Compared")
    assignment_id = create_assignment(instructor, slug, "Two revolutions", "Compare them.", required_comments=2,
                                      min_comment_words=5)
    essay_title = "France and Haiti, 1791"
    writer, essay_url = essay_by_new_student(new_context, code, slug, assignment_id, "Wren Writer", "Wren",
                                             essay_title, "The news crossed the Atlantic in weeks.")

    ada = student_in_course(new_context, code, "Ada Abbott", "Ada")
    ada.goto(f"/c/{slug}/my-comments")
    checklist = ada.get_by_role("region", name="Two revolutions")
    expect(checklist).to_contain_text(re.compile(r"0 of 2 done\s+2 to go\s+Due \w+"))
    checklist.get_by_role("link", name=f"“{essay_title}”").click()
    expect(ada.get_by_role("heading", name="Leave a Reply")).to_be_visible()
    expect(ada.locator("#comment-hint")).to_contain_text("This will count toward Two revolutions")
    post_comment(ada, "The timing matters: news of Paris arrived within weeks.")
    ada.goto(f"/c/{slug}/my-comments")
    expect(ada.get_by_role("region", name="Two revolutions")).to_contain_text("1 of 2 done")
    expect(ada.get_by_role("progressbar", name="1 of 2 comments done")).to_be_visible()

    bo = student_in_course(new_context, code, "Bo Baker", "Bo")
    bo.goto(essay_url)
    hostile = "I disagree <img src=x onerror=alert(1)> and <script>alert(1)</script> about the ports."
    post_comment(bo, hostile)
    assert_nothing_injected(bo, "the essay with a hostile comment")

    cy = student_in_course(new_context, code, "Cy Carter", "Cy")
    cy.goto(essay_url)
    cy.get_by_role("link", name="Reply to Ada").click()
    expect(cy.get_by_role("heading", name="Reply to Ada")).to_be_visible()
    expect(cy.get_by_label("Comment", exact=True)).to_be_focused()
    post_comment(cy, "Weeks, yes, but the ships carried rumours first.")
    ada_comment = cy.locator("li.comment", has_text="The timing matters")
    expect(ada_comment.locator("ol.children .comment-content")).to_have_text(
        "Weeks, yes, but the ships carried rumours first.")

    # Everyone sees the thread, WordPress style.
    writer.goto(essay_url)
    expect(writer.get_by_role("heading", name=f"3 thoughts on “{essay_title}”")).to_be_visible()
    comments = writer.locator("li.comment")
    expect(comments).to_have_count(3)
    for author, text in (("Ada", "The timing matters"), ("Bo", "I disagree"), ("Cy", "Weeks, yes")):
        item = writer.locator("article.comment-body", has_text=text)
        expect(item.locator(".comment-author")).to_have_text(author)
        expect(item.locator(".comment-metadata time")).to_have_text(WP_TIME)
    expect(writer.locator(".comment-content", has_text="I disagree")).to_have_text(hostile)
    assert_nothing_injected(writer, "the essay with its comments")

    # Within the edit window the author can change the comment; the thread says it was edited.
    ada.goto(essay_url)
    ada.get_by_role("link", name="Edit your comment").click()
    expect(ada.get_by_role("heading", name="Edit your comment")).to_be_visible()
    expect(ada.get_by_text(re.compile(r"You can edit it until " + WP_TIME.pattern))).to_be_visible()
    ada.get_by_label("Comment").fill("The timing matters: news of Paris arrived within six weeks.")
    ada.get_by_role("button", name="Save comment").click()
    expect(ada.get_by_text("Your comment is updated.")).to_be_visible()
    edited = ada.locator("article.comment-body", has_text="within six weeks")
    expect(edited.locator(".comment-edited")).to_have_text("· Edited")
    expect(ada.get_by_role("link", name="Edit your comment")).to_have_count(1)  # only her own

    bo.goto(f"/c/{slug}/my-comments")
    expect(bo.get_by_role("region", name="Two revolutions")).to_contain_text("1 of 2 done")


def test_the_writer_is_notified_and_a_hidden_comment_stops_counting(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Cities at War")
    assignment_id = create_assignment(instructor, slug, "Blitz and home front", "Describe one city.",
                                      required_comments=1, min_comment_words=5)
    writer, essay_url = essay_by_new_student(new_context, code, slug, assignment_id, "Nell Norris", "Nell",
                                             "Coventry, November 1940", "The cathedral burned in one night.")
    peer = student_in_course(new_context, code, "Otto Olsen", "Otto")
    peer.goto(essay_url)
    post_comment(peer, "The photographs of the ruined nave did as much as the bombs.")
    peer.goto(f"/c/{slug}/my-comments")
    expect(peer.get_by_role("region", name="Blitz and home front")).to_contain_text("1 of 1 done")

    # The writer's Notifications link counts the comment; the page names who wrote it and on what.
    writer.goto(f"/c/{slug}/")
    expect(writer.get_by_role("link", name=re.compile(r"^Notifications 1 unread$"))).to_be_visible()
    writer.get_by_role("link", name=re.compile(r"^Notifications")).click()
    expect(writer.locator(".notification").first).to_contain_text(
        re.compile(r"Otto\s+commented on\s+“Coventry, November 1940”\s+in Cities at War · " + WP_TIME.pattern))

    # Staff hide it: it leaves the thread and no longer counts toward the assignment.
    instructor.goto(essay_url)
    comment = instructor.locator("li.comment", has_text="ruined nave")
    comment.get_by_text("Moderate").click()
    comment.get_by_label("Reason for hiding (shown to staff)").fill("Off topic")
    comment.get_by_role("button", name="Hide comment").click()
    expect(instructor.get_by_role("button", name="Unhide")).to_be_visible()
    peer.goto(f"/c/{slug}/my-comments")
    expect(peer.get_by_role("region", name="Blitz and home front")).to_contain_text("0 of 1 done")
    writer.goto(essay_url)
    expect(writer.get_by_text("ruined nave")).to_have_count(0)


def test_an_essay_typed_offline_survives_a_browser_crash(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Long Winters")
    create_assignment(instructor, slug, "A hard winter", "Pick one winter.", required_comments=0)
    student = student_in_course(new_context, code, "Pia Park", "Pia")
    student.goto(f"/c/{slug}/posts/new")
    student.get_by_label("Title").fill("The winter of 1946–47")
    student.get_by_label("Essay", exact=True).focus()  # the first autosave creates the draft
    expect(student).to_have_url(re.compile(rf"/c/{slug}/posts/\d+/edit$"))
    expect(student.locator("#save-status")).to_have_text(re.compile(r"^Saved at "))
    editor_url = student.url

    # The connection drops; what is typed next cannot reach the server, and the page says so.
    context = student.context
    context.set_offline(True)
    # The guarded context routes every request, and routed requests ignore the offline switch: drop saves too.
    context.route("**/autosave", lambda route: route.abort("internetdisconnected"))
    text = "Coal froze in the railway wagons, and Britain's power stations ran out within weeks."
    student.get_by_label("Essay", exact=True).fill(text)
    student.get_by_label("Title").focus()
    expect(student.locator("#save-status")).to_contain_text("kept in this browser")

    # The browser crashes while offline; it comes back online with the same profile (cookies and storage).
    # (A second context stands in for the restarted browser: closing the first would let the page's
    # keepalive save slip past the offline emulation, which real networks do not allow.)
    reopened = new_context(storage_state=context.storage_state()).new_page()
    reopened.goto(editor_url)
    expect(reopened.locator("#local-copy-notice")).to_contain_text("Restored text from this browser")
    expect(reopened.get_by_label("Essay", exact=True)).to_have_value(text)
    expect(reopened.locator("#save-status")).to_have_text(re.compile(r"^Saved at "))
    reopened.reload()  # the server has it now
    expect(reopened.get_by_label("Essay", exact=True)).to_have_value(text)
    expect(reopened.locator("#local-copy-notice")).to_be_hidden()


def test_a_comment_and_a_reply_can_be_written_with_the_keyboard_only(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Quiet Keys")
    assignment_id = create_assignment(instructor, slug, "Maps and power", "Who draws the lines?")
    writer, essay_url = essay_by_new_student(new_context, code, slug, assignment_id, "Mara Mapper", "Mara",
                                             "Lines on a map", "A border drawn in Berlin in 1884.")

    reader = student_in_course(new_context, code, "Kit Keyes", "Kit")
    reader.goto(essay_url)
    tab_to(reader, "#comment")
    reader.keyboard.type("The conference never asked the people who lived there.")
    tab_to(reader, "#submit")
    reader.keyboard.press("Enter")
    first = reader.locator("li.comment", has_text="never asked the people")
    expect(first.locator(".comment-author")).to_have_text("Kit")

    writer.goto(essay_url)
    tab_to(writer, "a.comment-reply-link")
    writer.keyboard.press("Enter")
    # The heading is named "Reply to Kit" alone; Cancel reply is a link of its own beside it.
    expect(writer.get_by_role("heading", name="Reply to Kit", exact=True)).to_be_visible()
    expect(writer.get_by_role("link", name="Cancel reply")).to_be_visible()
    expect(writer.get_by_label("Comment", exact=True)).to_be_focused()
    writer.keyboard.type("True, and the maps say so by what they leave blank.")
    tab_to(writer, "#submit")
    writer.keyboard.press("Enter")
    reply = writer.locator("li.comment", has_text="never asked the people").locator("ol.children li.comment")
    expect(reply.locator(".comment-content")).to_have_text("True, and the maps say so by what they leave blank.")
    expect(writer.get_by_role("heading", name="2 thoughts on “Lines on a map”")).to_be_visible()


def test_leave_a_reply_at_the_top_of_the_thread_takes_back_an_open_reply_box(new_context):
    """The writer opens Reply under a comment, then changes their mind and follows "Leave a Reply" under the
    heading: the form is back below the thread for a new comment, not the reply box under that comment."""
    instructor, slug, code = instructor_with_course(new_context, "Second Thoughts")
    assignment_id = create_assignment(instructor, slug, "Bridges", "Which bridge changed a city?")
    writer, essay_url = essay_by_new_student(new_context, code, slug, assignment_id, "Bea Builder", "Bea",
                                             "The Brooklyn Bridge", "It joined two cities before they were one.")
    reader = student_in_course(new_context, code, "Rory Reader", "Rory")
    reader.goto(essay_url)
    post_comment(reader, "Two cities, and the ferries that lost their trade.")

    writer.goto(essay_url)
    writer.get_by_role("link", name="Reply to Rory").click()
    expect(writer.get_by_role("heading", name="Reply to Rory")).to_be_visible()
    writer.locator("a.comments-jump").click()
    expect(writer.get_by_role("heading", name="Leave a Reply")).to_be_visible()
    expect(writer.locator("li.comment #respond")).to_have_count(0)
    expect(writer.locator("#comment_parent")).to_have_value("")
    expect(writer.get_by_role("link", name="Cancel reply")).to_be_hidden()
    comment_box = writer.get_by_label("Comment", exact=True)
    expect(comment_box).to_be_focused()
    expect(comment_box).to_be_in_viewport()
    post_comment(writer, "Thank you all for reading; the ferries deserve an essay of their own.")
    expect(writer.locator("ol.comment-list > li.comment")).to_have_count(2)  # two comments, neither a reply
    expect(writer.locator("ol.children")).to_have_count(0)


def test_held_comments_wait_in_the_moderation_queue_until_staff_approve_or_reject_them(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Careful Talk")
    instructor.goto(f"/c/{slug}/settings")
    instructor.get_by_label("Hold every student comment").check()
    instructor.get_by_role("button", name="Save settings").click()
    expect(instructor.get_by_text("Course settings saved.")).to_be_visible()
    assignment_id = create_assignment(instructor, slug, "Propaganda posters", "Read one poster closely.")
    writer, essay_url = essay_by_new_student(new_context, code, slug, assignment_id, "Wim Writer", "Wim",
                                             "A poster from 1943", "Look at the hands, not the faces.")

    kind = student_in_course(new_context, code, "Kim Kind", "Kim")
    kind.goto(essay_url)
    kind.get_by_label("Comment", exact=True).fill("The hands are drawn larger than life, on purpose.")
    kind.get_by_role("button", name="Post Comment").click()
    expect(kind.get_by_text("Your comment is awaiting approval by the course staff.")).to_be_visible()
    expect(kind.locator(".comment-status")).to_have_text("Your comment is awaiting approval.")
    rude = student_in_course(new_context, code, "Rex Rude", "Rex")
    rude.goto(essay_url)
    rude.get_by_label("Comment", exact=True).fill("This is the worst essay in the course, obviously.")
    rude.get_by_role("button", name="Post Comment").click()
    expect(rude.get_by_text("Your comment is awaiting approval by the course staff.")).to_be_visible()

    writer.reload()
    expect(writer.locator("li.comment")).to_have_count(0)
    expect(writer.get_by_role("heading", name="Leave a Reply")).to_be_visible()

    instructor.goto(f"/c/{slug}/")
    instructor.get_by_role("link", name="Moderation 2 waiting").click()
    expect(instructor.get_by_role("heading", name="Waiting (2)")).to_be_visible()
    instructor.get_by_role("button", name="Approve the comment by Kim").click()
    expect(instructor.get_by_role("heading", name="Waiting (1)")).to_be_visible()
    instructor.get_by_role("button", name="Reject the comment by Rex").click()
    expect(instructor.get_by_text("Nothing is waiting.")).to_be_visible()

    writer.reload()
    expect(writer.get_by_role("heading", name="One thought on “A poster from 1943”")).to_be_visible()
    expect(writer.locator(".comment-content")).to_have_text("The hands are drawn larger than life, on purpose.")
    expect(writer.get_by_text("worst essay")).to_have_count(0)


def test_a_reported_comment_reaches_the_moderation_queue_and_hiding_it_takes_it_off_the_essay(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Hard Words")
    assignment_id = create_assignment(instructor, slug, "War memorials", "Visit one memorial and describe it.")
    writer, essay_url = essay_by_new_student(new_context, code, slug, assignment_id, "Wanda Writer", "Wanda",
                                             "The memorial on Main Street", "The names face the bank, not the park.")
    rude = student_in_course(new_context, code, "Rex Rude", "Rex")
    rude.goto(essay_url)
    post_comment(rude, "Nobody cares about this memorial or about your essay.")

    reader = student_in_course(new_context, code, "Kim Kind", "Kim")
    reader.goto(essay_url)
    reader.get_by_text("Report the comment by Rex", exact=True).click()
    reader.get_by_label("What is wrong with this comment?").fill("It mocks the writer instead of the essay.")
    reader.get_by_role("button", name="Send report").click()
    expect(reader.get_by_text("Thank you: the course staff will look at this comment.")).to_be_visible()

    instructor.goto(f"/c/{slug}/")
    instructor.get_by_role("link", name="Moderation 1 waiting").click()
    expect(instructor.get_by_role("heading", name="Waiting (1)")).to_be_visible()
    expect(instructor.locator(".queue-item .status")).to_have_text("Reported")
    expect(instructor.locator(".queue-reports")).to_contain_text("Reported by Kim")
    expect(instructor.locator(".queue-reports")).to_contain_text("It mocks the writer instead of the essay.")
    instructor.get_by_label("Reason for hiding").fill("Comments answer the essay, not the person.")
    instructor.get_by_role("button", name="Hide").click()
    expect(instructor.get_by_text("Nothing is waiting.")).to_be_visible()

    for person in (writer, reader):
        person.goto(essay_url)
        expect(person.get_by_text("Nobody cares about this memorial")).to_have_count(0)
        expect(person.get_by_role("heading", name="Leave a Reply")).to_be_visible()
    instructor.goto(essay_url)
    expect(instructor.locator(".comment-status--hidden")).to_have_text(
        "Hidden from students: Comments answer the essay, not the person.")


def read_download(download) -> list[list[str]]:
    with open(download.path(), encoding="utf-8-sig", newline="") as handle:  # the export starts with a BOM
        return list(csv.reader(handle))


def test_the_instructor_grades_releases_and_exports_and_the_student_reads_the_grade(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Sources and Silences")
    title = "Reading an archive"
    assignment_id = create_assignment(instructor, slug, title, "What is missing from the file?",
                                      required_comments=1, min_comment_words=5, comment_points="5")
    peer = student_in_course(new_context, code, "Pia Peer", "Pia")
    publish_essay(peer, slug, assignment_id, "The ledger that lies", "Numbers hide as much as they show.")
    peer_essay = peer.url
    student_email = f"{unique('graded')}@example.org"
    student = new_context().new_page()
    sign_up(student, student_email, "Sam Scholar", PASSWORD)
    join_course(student, code, course_name="Sam")
    publish_essay(student, slug, assignment_id, "Silence in the census", "Who was never counted, and why?")
    student.goto(peer_essay)
    post_comment(student, "The ledger leaves out every unpaid worker.")

    instructor.goto(f"/c/{slug}/")
    instructor.get_by_role("navigation", name="Course").get_by_role("link", name="Dashboard").click()
    expect(instructor.get_by_text("2 students in Sources and Silences.")).to_be_visible()
    # The matrix names students as the course shows them.
    matrix = instructor.get_by_role("table", name=re.compile("^Each student's essay state"))
    row = matrix.get_by_role("row", name=re.compile(r"^Sam "))
    expect(row).to_contain_text("✓ On time")
    expect(row).to_contain_text("1/1 comments")
    expect(row).to_contain_text("Not graded")
    expect(matrix.get_by_role("row", name=re.compile(r"^Pia "))).to_contain_text("0/1 comments")

    row.get_by_role("link", name=re.compile(f"{title}:")).click()
    expect(instructor.get_by_role("heading", level=1, name=re.compile("Sam Scholar"))).to_be_visible()
    expect(instructor.get_by_role("heading", name="Silence in the census")).to_be_visible()
    expect(instructor.get_by_text("On time", exact=True)).to_be_visible()
    instructor.get_by_label("Essay score").fill("8.5")
    instructor.get_by_label("Private feedback").fill("A sharp question. Say *who* kept the census.")
    instructor.get_by_role("button", name="Save", exact=True).click()
    expect(instructor.get_by_text("The grade of Sam Scholar is saved.")).to_be_visible()
    expect(instructor.get_by_role("region", name="Changes to this grade").get_by_role("listitem")).to_have_count(1)

    student.goto(f"/c/{slug}/my-grades")
    expect(student.get_by_role("region", name=title)).to_contain_text("Not released yet.")

    instructor.get_by_role("navigation", name="Course").get_by_role("link", name="Dashboard").click()
    expect(row).to_contain_text("Graded")
    instructor.get_by_role("link", name=f"Release grades… of {title}").click()
    expect(instructor.get_by_text("1 of 2 students has a grade.")).to_be_visible()
    instructor.get_by_role("button", name="Release grades").click()
    expect(instructor.get_by_text(f"Grades of {title} are released: students see them on My grades.")).to_be_visible()
    expect(row).to_contain_text("Released")

    student.reload()
    grade = student.get_by_role("region", name=title)
    expect(grade.locator(".my-grade__total")).to_have_text("Total: 13.5 of 15")
    expect(grade.get_by_role("heading", name="Feedback")).to_be_visible()
    expect(grade.locator(".feedback em")).to_have_text("who")
    expect(grade).to_contain_text("A sharp question.")
    peer.goto(f"/c/{slug}/my-grades")
    expect(peer.get_by_role("region", name=title)).to_contain_text("Not graded yet.")
    expect(peer.get_by_text("A sharp question.")).to_have_count(0)

    with instructor.expect_download() as plain:
        instructor.get_by_role("link", name="Plain CSV", exact=True).click()
    assert re.fullmatch(rf"{slug}-grades-\d{{4}}-\d{{2}}-\d{{2}}\.csv", plain.value.suggested_filename)
    rows = read_download(plain.value)
    assert rows[0] == ["Email", "Name", "Section", f"{title}: essay", f"{title}: comments", f"{title}: total",
                       "Total", "Total possible"]
    sam = [line for line in rows if line[0] == student_email]
    assert len(sam) == 1, rows
    assert sam[0][3:] == ["8.5", "5", "13.5", "13.5", "15"], sam

    with instructor.expect_download() as canvas:
        instructor.get_by_role("link", name="Canvas gradebook CSV").click()
    rows = read_download(canvas.value)
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", title], rows[0]
    assert rows[1][0].strip() == "Points Possible" and rows[1][-1] == "15", rows[1]
    sam = [line for line in rows if "Sam Scholar" in line[0]]
    assert len(sam) == 1 and sam[0][-1] == "13.5", rows


def test_an_imported_student_sets_up_the_account_from_the_invitation(new_context, live_server):
    instructor, slug, _ = instructor_with_course(new_context, "Letters Home")
    email = f"{unique('invitee')}@example.org"
    instructor.get_by_role("link", name="Roster").click()
    instructor.get_by_role("link", name="Import a roster (CSV)").click()
    roster = f"email,name,role\n{email},Ines Invited,student\n".encode()
    instructor.get_by_label("Roster file (CSV)").set_input_files(
        files=[{"name": "letters.csv", "mimeType": "text/csv", "buffer": roster}])
    instructor.get_by_role("button", name="Preview the import").click()
    expect(instructor.get_by_role("heading", name="Preview of letters.csv")).to_be_visible()
    line = instructor.get_by_role("row", name=re.compile("Ines Invited"))
    expect(line).to_contain_text("Will be invited")
    instructor.get_by_role("button", name="Import 1 change").click()
    expect(instructor.get_by_text("Roster imported from letters.csv: 1 invited.")).to_be_visible()
    instructor.get_by_role("link", name="1 person invited, not joined yet").click()
    expect(instructor.get_by_role("row", name=re.compile("Ines Invited"))).to_contain_text(email)

    # No SMTP here: the mail is written to the server's log, as the development setup does.
    log = live_server.log.read_text(encoding="utf-8", errors="replace")
    mail = log[log.rindex(f"mail to {email}:"):]
    assert "You are invited to Letters Home on Coursesite" in mail.splitlines()[0]
    link = re.search(r"http://127\.0\.0\.1:\d+/auth/invitation/\S+", mail)
    assert link, mail[:600]

    invitee = new_context().new_page()
    invitee.goto(link.group(0))
    expect(invitee.get_by_role("heading", name="Set up your account")).to_be_visible()
    expect(invitee.get_by_text(f"Your account for {email} is waiting.")).to_be_visible()
    expect(invitee.get_by_label("Your name")).to_have_value("Ines Invited")
    invitee.get_by_label("New password", exact=True).fill(PASSWORD)
    invitee.get_by_label("New password again").fill(PASSWORD)
    invitee.get_by_role("button", name="Set up account").click()
    expect(invitee.get_by_text("Your account is ready.")).to_be_visible()
    # In the course only once they accept the invitation.
    expect(invitee.get_by_role("heading", name="Join Letters Home?")).to_be_visible()
    invitee.get_by_role("button", name="Join Letters Home").click()
    invitee.get_by_role("button", name="Continue to the course").click()
    expect(invitee).to_have_url(re.compile(rf"/c/{slug}/week/$"))  # a student's course home
    expect(invitee.get_by_role("link", name="My grades")).to_be_visible()

    # The link works once.
    other = new_context().new_page()
    other.goto(link.group(0))
    expect(other.get_by_text("That invitation has expired or was already used.")).to_be_visible()


def test_an_essay_graded_with_a_rubric_shows_each_criterion_on_my_grades(new_context):
    instructor, slug, code = instructor_with_course(new_context, "Rubrics and Reasons")
    title = "A treaty's fine print"
    assignment_id = create_assignment(instructor, slug, title, "Read the clauses nobody quotes.", required_comments=0)
    student = student_in_course(new_context, code, "Ravi Rubric", "Ravi")
    publish_essay(student, slug, assignment_id, "Article 231, again", "Guilt was a legal term before a moral one.")

    instructor.goto(f"/c/{slug}/dashboard/")
    instructor.get_by_role("link", name=f"Edit scoring of {title}").click()
    instructor.get_by_label("With a rubric: the criteria below").check()
    levels = {"Argument": (("Strong", "6"), ("Sound", "5"), ("Thin", "2")), "Evidence": ()}
    for row, (name, points) in enumerate((("Argument", "6"), ("Evidence", "4"))):
        criterion = instructor.get_by_role("group", name="New criterion").nth(row)
        criterion.get_by_label("Title").fill(name)
        criterion.get_by_label("Points", exact=True).fill(points)
        for n, (level, level_points) in enumerate(levels[name]):
            criterion.get_by_label("Level", exact=True).nth(n).fill(level)
            criterion.get_by_label("Level points").nth(n).fill(level_points)
    instructor.get_by_role("button", name="Save scoring").click()
    expect(instructor.get_by_text(f"The rubric of {title} is saved.")).to_be_visible()
    # Reordering says where a criterion went and keeps the legends and the buttons' names in step.
    instructor.get_by_role("button", name="Move down: Argument").click()
    expect(instructor.get_by_text("Argument is now 2 of 3.")).to_be_attached()
    expect(instructor.locator("[data-legend]")).to_have_text(["Criterion 1", "Criterion 2", "New criterion"])
    expect(instructor.get_by_role("group", name="Criterion 2").get_by_label("Title")).to_have_value("Argument")
    instructor.get_by_role("button", name="Move up: Argument").click()
    expect(instructor.get_by_text("Argument is now 1 of 3.")).to_be_attached()

    instructor.goto(f"/c/{slug}/dashboard/")
    expect(instructor.get_by_role("row", name=re.compile(f"^{re.escape(title)} "))).to_contain_text(
        "Rubric (2 criteria)")
    instructor.get_by_role("link", name=f"Grade next essay of {title}").click()
    expect(instructor.get_by_role("heading", name="Article 231, again")).to_be_visible()
    instructor.get_by_role("group", name="Argument (out of 6)").get_by_role("radio", name="Sound: 5").check()
    # Refused on a phone, where the form is screens below the essay: the page opens on the summary, which
    # links the field refused.
    instructor.set_viewport_size({"width": 390, "height": 844})
    instructor.get_by_label("Evidence (out of 4)").fill("9")
    instructor.get_by_role("button", name="Save", exact=True).click()
    summary = instructor.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    summary.get_by_role("link", name="Evidence (out of 4)").click()
    expect(instructor.get_by_label("Evidence (out of 4)")).to_be_in_viewport()
    instructor.set_viewport_size({"width": 1280, "height": 900})
    instructor.get_by_label("Evidence (out of 4)").fill("3.5")
    instructor.get_by_label("Private feedback").fill("Quote the clause itself.")
    instructor.get_by_role("button", name="Save", exact=True).click()
    expect(instructor.get_by_text("The grade of Ravi Rubric is saved.")).to_be_visible()
    instructor.goto(f"/c/{slug}/dashboard/assignments/{assignment_id}/release")
    instructor.get_by_role("button", name="Release grades").click()
    expect(instructor.get_by_text(f"Grades of {title} are released")).to_be_visible()

    student.goto(f"/c/{slug}/my-grades")
    grade = student.get_by_role("region", name=title)
    expect(grade.locator(".my-grade__total")).to_have_text("Total: 8.5 of 10")
    expect(grade.locator(".rubric-breakdown li")).to_have_text(["Argument: 5 of 6 (Sound)", "Evidence: 3.5 of 4"])
    expect(grade.locator(".feedback")).to_have_text("Quote the clause itself.")
