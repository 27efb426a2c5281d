"""Demo comments: weeks of peer comments on the demo essays, with threads, late ones and a hidden one.

Some students have all the comments an assignment asks for, others are behind, so the checklists,
the moderation queue, notifications and the readers page all have something to show.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from coursesite.extensions import db
from coursesite.models import Assignment, Comment, CommentReport, CommentRevision, Notification, Post
from coursesite.notifications import notices as notifications
from coursesite.participation import readers
from coursesite.text.markdown import render_comment
from coursesite.text.words import count_html_words

PEER_COMMENTS = [
    "Your second paragraph changed my mind. I had read this as a story about leaders, but the way you follow "
    "ordinary people through the same week makes their choices look like the real cause. I would like one more "
    "source from the other side, though: what did the officials think was happening?",
    "The opening is strong and the evidence is well chosen. One question: you quote the memoir as if it were a "
    "report written at the time, but it was published years later. Does that change how far we can trust its "
    "numbers? A sentence on that would make the argument sturdier.",
    "I like that you admit where the sources disagree instead of hiding it. That made me trust the rest of the "
    "essay more. The conclusion felt rushed, though. You raise a big claim about what people understood and "
    "then stop before showing us how they came to understand it.",
    "This is the clearest account of the sequence of events I have read this term. Because it is so clear, I "
    "noticed that the causes all point one way. Were there people at the time who expected a completely "
    "different outcome? Including one of them would test your thesis.",
    "I disagree with the claim that this was inevitable. Your own timeline shows at least two moments where a "
    "different decision was possible, and you describe them well. Maybe the essay is really about why those "
    "chances were missed, which I think is a more interesting argument.",
    "Thank you for using the photographs as evidence rather than decoration. The caption on the second one "
    "says a lot about who was watching and who was being watched. I wonder whether the photographer worked for "
    "a newspaper, because that would explain the framing you point out.",
    "Good use of numbers here. Forty percent sounds dramatic, but forty percent of what? I went back to the "
    "table in our reader and the base year is different from the one you compare it with. It does not sink "
    "your point, but the comparison needs one more line of explanation.",
    "You write about the crowd as if it had one opinion. The diary you cite in the third paragraph suggests it "
    "was split, and some people were there simply because the factories had closed. Separating those groups "
    "might make the essay less tidy but more convincing, in my view.",
    "The comparison with our first reading is clever and I had not thought of it. It made me reread that "
    "chapter. I am less sure about the last sentence, which judges people by what we know now rather than by "
    "what they could have known then. Is that fair to them?",
    "I found the argument persuasive, especially the part about rumours travelling faster than orders. That "
    "seems true of many crises we have studied. A small suggestion: the title promises more about the "
    "government than the essay delivers, so either widen the essay or narrow the title.",
    "This essay made me look up the map, which is a good sign. The geography matters more than the textbook "
    "admits, and you show why. I would cut the long quotation near the end and use the space to explain what "
    "happened next, because the reader wants to know.",
    "Your tone is careful and fair, which is hard with a subject like this. I think the strongest evidence is "
    "buried in a footnote-like sentence in the middle. Moving it to the start of the argument would let every "
    "later paragraph lean on it instead of repeating it.",
    "Reading this next to my own essay, I realised we used the same source and drew opposite conclusions. You "
    "read the letter as confident; I read it as frightened. Maybe the writer was both. Either way, it is a "
    "useful reminder that one document rarely settles a question.",
    "The essay is well organised, and each paragraph does one job. My only worry is that the counterargument "
    "appears once and is dismissed quickly. The strongest version of the other view deserves a full paragraph, "
    "and answering it properly would make your conclusion much harder to resist.",
    "I enjoyed the detail about the weather. It sounds trivial, but you show how cold and fog shaped what was "
    "possible on each day. Historians sometimes forget that. Could you say where the weather records come "
    "from? Our reader does not seem to include them.",
    "You make a convincing case that the newspapers shaped events as well as reporting them. I would love to "
    "see one headline from each side printed on the same day, so we can compare them directly. That kind of "
    "side-by-side evidence is very persuasive in a short essay.",
]

SHORT_COMMENTS = ["Great essay, I learned a lot!", "Nice work. The ending is strong.", "Agreed with all of this."]

THREAD = [
    ("student", 1, "I keep coming back to your point that the cards read like invitations. If the parties had been "
                   "advertised as appeals for help, would anyone have come? It seems to me the hosts understood "
                   "their neighbours better than the relief offices did, and deserve more credit for it."),
    ("author", 0, "That is a fair push. I leaned on Hughes because his account is the easiest to find, but you "
                  "are right that the hosts' own voices are missing. I will look for a second source from someone "
                  "who threw a party, not just went to one, when I revise."),
    ("instructor", 0, "Both of you are onto something. There are interviews with Harlem residents in the course "
                      "reader, section 4, and two of them describe hosting. Look at who paid for the food."),
    ("student", 1, "Thank you, I found them. One host charged more at the door after midnight, which says a lot "
                   "about how carefully these were run."),
]

HIDDEN = ("Honestly this was boring, and so is the author.", "Personal remark about the author; keep comments "
          "about the essay, please.")


def _comment(post: Post, author, text: str, at: datetime, parent: Comment | None = None,
             first_draft: tuple[str, datetime] | None = None) -> Comment:
    html = render_comment(text)
    comment = Comment(post_id=post.id, author_id=author.id, parent_id=parent.id if parent else None, body=text,
                      body_html=html, word_count=count_html_words(html), created_at=(first_draft or (text, at))[1])
    db.session.add(comment)
    db.session.flush()
    if first_draft is not None:
        draft_html = render_comment(first_draft[0])
        db.session.add(CommentRevision(comment_id=comment.id, body=first_draft[0],
                                       word_count=count_html_words(draft_html), created_at=first_draft[1]))
        comment.edited_at = at
    db.session.add(CommentRevision(comment_id=comment.id, body=text, word_count=comment.word_count, created_at=at))
    notifications.notify_new_comment(comment, post, parent, at)
    return comment


def _essays(assignment: Assignment) -> list[Post]:
    return list(db.session.scalars(select(Post).where(Post.assignment_id == assignment.id).order_by(Post.published_at)))


def _assigned_comments(assignment: Assignment, students: list, now: datetime) -> None:
    """The past assignment in `assigned` mode: most students done on time, a few late or behind."""
    readers.assign_readers(assignment, now=assignment.post_due_at + timedelta(hours=2))
    essays = {p.id: p for p in _essays(assignment)}
    given = readers.essays_given_to(assignment, [s.id for s in students])
    due = assignment.comments_due_at
    for i, author in enumerate(sorted(students, key=lambda s: s.display_name)):
        for j, (pair, _, _) in enumerate(given.get(author.id, [])):
            at = due - timedelta(days=5 - j * 2, hours=i)
            text = PEER_COMMENTS[(i * 2 + j) % len(PEER_COMMENTS)]
            number = students.index(author) + 1
            if number == 9 and j == 1:
                continue  # behind: one of two
            if number == 5 and j == 1:
                at = due + timedelta(days=1, hours=3)  # late
            if number == 11 and j == 1:  # a short comment padded after the deadline: late
                _comment(essays[pair.post_id], author, text, due + timedelta(hours=20),
                         first_draft=(SHORT_COMMENTS[0], due - timedelta(days=1)))
                continue
            _comment(essays[pair.post_id], author, text, at)


def _open_comments(assignment: Assignment, people: dict, now: datetime) -> None:
    """The second assignment in `open` mode: a thread three replies deep, some students done, some behind."""
    students = people["students"]
    by_author = {post.author_id: post for post in _essays(assignment)}

    def essay_of(number: int) -> Post | None:
        return by_author.get(students[number - 1].id) if number <= len(students) else None

    start = assignment.post_due_at + timedelta(hours=6)
    first = essay_of(1)
    if first is not None:
        parent = None
        for k, (who, index, text) in enumerate(THREAD):
            author = {"student": students[index], "author": students[0], "instructor": people["instructor"]}[who]
            parent = _comment(first, author, text, start + timedelta(hours=5 * k), parent=parent)
    # Commenter's number -> the numbers of the students whose essays they answer.
    plan = {2: [4], 3: [2, 5], 4: [1, 6], 5: [7], 6: [8], 8: [3], 1: [5], 12: [9, 11]}
    offset = 7
    for number, targets in plan.items():
        for target in targets:
            essay = essay_of(target)
            if essay is None or number > len(students):
                continue
            offset += 1
            at = start + timedelta(hours=9 * offset % 70 + 10)
            _comment(essay, students[number - 1], PEER_COMMENTS[offset % len(PEER_COMMENTS)], at)
    extras = [(2, people["ta"], "A reminder for everyone reading this one: the photographs in section 2 of the "
               "reader show the same years, which helps with the second paragraph.", timedelta(days=1))]
    if len(students) >= 10:
        extras.append((4, students[9], SHORT_COMMENTS[1], timedelta(days=2)))
        extras.append((3, students[6], HIDDEN[0], timedelta(days=1, hours=4)))
    for target, author, text, after in extras:
        essay = essay_of(target)
        if essay is None:
            continue
        comment = _comment(essay, author, text, start + after)
        if text == SHORT_COMMENTS[1]:
            reason = "This is the same two lines posted on several essays; it does not answer this one."
            db.session.add(CommentReport(comment_id=comment.id, reporter_id=students[3].id, reason=reason,
                                         created_at=start + after + timedelta(hours=5)))
        elif text == HIDDEN[0]:
            comment.status, comment.hidden_reason, comment.moderated_by_id = "hidden", HIDDEN[1], people["ta"].id


def _current_comments(assignment: Assignment, students: list, now: datetime) -> None:
    """The assignment due this week: student 3 (who has an extension) has one of its comments so far."""
    essays = {post.author_id: post for post in _essays(assignment)}
    first = essays.get(students[0].id)
    if first is not None and len(students) >= 3:
        _comment(first, students[2], PEER_COMMENTS[2], now - timedelta(hours=10))


def build(course, people: dict, now: datetime) -> None:
    """Write the demo comments; `people` has "instructor", "ta" and "students" (in roster order)."""
    past = db.session.scalars(
        select(Assignment).where(Assignment.course_id == course.id, Assignment.post_due_at < now)
        .order_by(Assignment.post_due_at)
    ).all()
    if len(past) >= 1 and past[0].peer_mode == "assigned":
        _assigned_comments(past[0], people["students"], now)
    if len(past) >= 2:
        _open_comments(past[1], people, now)
    current = db.session.scalars(
        select(Assignment).where(Assignment.course_id == course.id, Assignment.opens_at <= now,
                                 Assignment.post_due_at > now).order_by(Assignment.post_due_at)
    ).first()
    if current is not None:
        _current_comments(current, people["students"], now)
    db.session.flush()
    # Older notifications have been read; the last few days' are new.
    for note in db.session.scalars(select(Notification).where(Notification.created_at < now - timedelta(days=3))):
        note.read_at = note.emailed_at = now - timedelta(days=2)
    db.session.flush()
