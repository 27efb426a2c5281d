"""Stand-in assignments and essays for the comment demo, used only when the demo has none of its own.

The essays work builds the real demo essays; when it has, ensure_essays() finds them and creates nothing.
Kept apart from demo_comments.py so it can be dropped when the branches meet.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Assignment, Course, Post
from .rendering import render_essay
from .timefmt import local_to_utc, to_local
from .words import count_html_words

ESSAY_1 = [
    ("Bread, Peace and Land", "The slogan promised three things, and each spoke to a different crowd: the women in the "
     "bread lines of Petrograd, the soldiers at the front, the peasants in the villages."),
    ("The February Days Were Not Planned", "No party called the strikes of February 1917. They grew from a shortage "
     "of flour, a cold winter and a garrison that would no longer shoot at the crowds."),
    ("Kerensky's Impossible Summer", "The Provisional Government kept fighting a war it could not win because it "
     "believed the Allies, and its own officers, would abandon it if it stopped."),
    ("Telegrams to Washington", "Read closely, the Zimmermann telegram matters less for what it offered Mexico than "
     "for what it told Americans about the war reaching their own border."),
    ("The Sealed Train", "Germany sent Lenin home as a weapon. The decision looks clever in April 1917 and reckless "
     "by November, when the weapon turned out to have a mind of its own."),
    ("Soldiers Voting with Their Feet", "Desertion in 1917 was a political act. Men who left the trenches were "
     "choosing land over empire, and the army's collapse followed their choice."),
    ("Order Number One", "The Petrograd Soviet's first order to the garrison split authority in two. From that day "
     "every officer had to ask whether his men would obey him or the committee."),
    ("America Enters the War", "Wilson's April speech framed the war as a fight for democracy, a claim that sat "
     "uneasily beside the Tsar's fall only weeks earlier."),
    ("Women in the Factories", "By 1917 women made a third of Petrograd's industrial workforce. Their strike on "
     "International Women's Day began what the men finished."),
    ("The Kornilov Affair", "Whether Kornilov meant a coup or Kerensky invented one, the result was the same: the "
     "Bolsheviks were armed and the Provisional Government looked weaker than ever."),
    ("Ten Days in October", "John Reed's eyewitness account is vivid and partisan. Used with care it shows what the "
     "seizure of power felt like, if not why it succeeded."),
]

ESSAY_2 = [
    ("Flying Coal into Berlin", "The airlift was an argument made in tonnage. Every landing at Tempelhof told "
     "Berliners, and Moscow, that the western sectors would not be starved out."),
    ("The Currency That Started It", "The blockade began with a new Deutsche Mark. A quarrel about money became a "
     "test of whether Germany would be one country or two."),
    ("Candy Bombers and Propaganda", "Gail Halvorsen's handkerchief parachutes were a kindness and an image. Both "
     "mattered, and the second was used very deliberately."),
    ("Why Stalin Backed Down", "The blockade ended quietly in May 1949. The Soviet Union had gained nothing, and a "
     "West German state was on its way."),
    ("Tempelhof, Gatow and Tegel", "Three airfields, one built in ninety days by Berliners themselves, turned a "
     "logistical impossibility into a daily routine."),
    ("Winter of 1948", "Fog and cold nearly broke the airlift in November. Coal, not food, was the cargo that "
     "decided whether the city would hold."),
    ("Berliners Choose a Side", "The crowd at the Reichstag in September 1948 heard Ernst Reuter ask the world to "
     "look upon this city. The speech made the blockade a cause."),
    ("Lessons for NATO", "The airlift showed that the western powers could act together for a year. The treaty "
     "signed in April 1949 wrote that lesson down."),
    ("Counting the Cost", "Seventy-eight people died flying or supporting the airlift. Their memorial at Tempelhof "
     "is a reminder that a bloodless crisis was not a costless one."),
]

PARAGRAPH_2 = (
    "The sources for this are uneven. Official reports give the figures but not the mood; memoirs give the mood "
    "but bend the figures. I read them against each other, and where they disagree I say so.\n\n"
    "What follows argues that {title_lower} deserves more weight than the textbook gives it, and that the "
    "people who lived through it understood its meaning sooner than the governments did."
)


def _five_pm(course: Course, now: datetime, days: int) -> datetime:
    """5:00 pm in the course's zone, `days` from today: deadlines as an instructor would set them."""
    local = to_local(now, course.timezone) + timedelta(days=days)
    return local_to_utc(datetime(local.year, local.month, local.day, 17, 0), course.timezone, fold=0)


def _assignment(course: Course, now: datetime, **fields) -> Assignment:
    assignment = Assignment(course=course, created_at=now - timedelta(days=60), **fields)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def _essay(course: Course, author, assignment: Assignment, title: str, opening: str, at: datetime) -> Post:
    body = f"{opening}\n\n{PARAGRAPH_2.format(title_lower=title.lower())}"
    html = render_essay(body)
    slug = "-".join("".join(ch for ch in title.lower() if ch.isalnum() or ch == " ").split())
    post = Post(course_id=course.id, author_id=author.id, assignment_id=assignment.id, title=title, slug=slug,
                body=body, body_html=html, status="published", word_count=count_html_words(html),
                created_at=at - timedelta(hours=3), published_at=at)
    db.session.add(post)
    return post


def ensure_essays(course: Course, students: list, now: datetime) -> list[Assignment]:
    """The demo's assignments with published essays: the existing ones, or two made here."""
    existing = db.session.scalars(
        select(Assignment).where(Assignment.course_id == course.id).order_by(Assignment.post_due_at)
    ).all()
    has_essays = db.session.scalar(select(Post.id).where(Post.course_id == course.id, Post.status == "published"))
    if existing and has_essays:
        return list(existing)
    first = _assignment(
        course, now, title="Essay 1: A Turning Point of 1917", post_due_at=_five_pm(course, now, -24),
        comments_due_at=_five_pm(course, now, -17), required_comments=2, min_comment_words=40, comment_points=5,
        post_points=10, peer_mode="assigned", peer_scope="course",
    )
    second = _assignment(
        course, now, title="Essay 2: The Berlin Airlift", post_due_at=_five_pm(course, now, -4),
        comments_due_at=_five_pm(course, now, 3), required_comments=2, min_comment_words=40, comment_points=5,
        post_points=10, peer_mode="open", peer_scope="course",
    )
    for i, (title, opening) in enumerate(ESSAY_1):
        _essay(course, students[i], first, title, opening, first.post_due_at - timedelta(hours=30 - 2 * i))
    for i, (title, opening) in enumerate(ESSAY_2):
        _essay(course, students[i], second, title, opening, second.post_due_at - timedelta(hours=20 - 3 * i))
    db.session.flush()
    return [first, second]
