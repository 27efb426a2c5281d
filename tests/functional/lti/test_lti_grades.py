"""Deep linking, Assignment and Grade Services and Names and Role Provisioning against the LMS in the test
process: the instructor adds an assignment to the LMS, a student launches it, released scores arrive at the
LMS's score endpoint as the gradebook CSV computes them, and the roster comes from the LMS."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import responses
from jwcrypto.jwk import JWK
from sqlalchemy import select

from coursesite.extensions import db
from coursesite.grading import gradebook_csv as gradebook
from coursesite.grading import reports as grade_reports
from coursesite.lti import roster, scores
from coursesite.lti.models import LtiAccount, LtiContext, LtiLaunchValue, LtiLineItem, LtiPlatform, LtiScoreSend
from coursesite.models import Assignment, Enrollment, User, utcnow
from tests import factories as f
from tests import lti_platform as lp

LINE_ITEM = lp.LINEITEMS_URL + "/31"


@pytest.fixture
def course(lms):
    instructor = f.make_user("Ines Instructor")
    course = f.make_course(instructor, title="History 101")
    platform_id = db.session.scalar(select(LtiPlatform.id))
    db.session.add(LtiAccount(platform_id=platform_id, sub="lms-ines", user_id=instructor.id))
    db.session.add(LtiContext(platform_id=platform_id, context_id="ctx-7", course_id=course.id, ags_scopes=[]))
    db.session.commit()
    course.instructor = instructor
    return course


def _late_assignment(course):
    """Due two days ago, 10% off per day late: the late penalty shows in the score sent."""
    now = utcnow()
    return f.make_assignment(course, title="Essay on Ghana", post_due_at=now - timedelta(days=2),
                             comments_due_at=now - timedelta(days=1), required_comments=0, post_points=20,
                             comment_points=0, late_policy="penalty", penalty_percent_per_day=10)


def _deep_link(client, lms, assignment_choice: dict):
    response = lms.launch(client, sub="lms-ines", roles=[lp.INSTRUCTOR], message_type="LtiDeepLinkingRequest")
    assert response.status_code == 302 and response.headers["Location"].endswith("/lti/deep-link")
    answer = client.post("/lti/deep-link", data=assignment_choice)
    assert answer.status_code == 200
    return answer


def _tool_verified(client, token: str) -> dict:
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(k for k in client.get("/lti/jwks").get_json()["keys"] if k["kid"] == kid)
    public = JWK(**key).export_to_pem()
    return jwt.decode(token, public, algorithms=["RS256"], audience=lp.ISSUER)


def test_deep_link_returns_a_signed_link_with_a_line_item_worth_the_points(client, lms, course):
    assignment = _late_assignment(course)
    db.session.commit()
    answer = _deep_link(client, lms, {"assignment": str(assignment.id)})
    page = answer.get_data(as_text=True)
    assert f'action="{lp.ISSUER}/courses/7/deep_linking_response"' in page
    assert f"form-action 'self' {lp.ISSUER}" in answer.headers["Content-Security-Policy"]
    token = page.split('name="JWT" value="')[1].split('"')[0]
    body = _tool_verified(client, token)
    assert body["iss"] == lp.CLIENT_ID and body[lp.LTI + "deployment_id"] == lp.DEPLOYMENT_ID
    assert body[lp.LTI + "message_type"] == "LtiDeepLinkingResponse"
    assert body["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "dl-data-1"
    [item] = body["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["type"] == "ltiResourceLink" and item["url"] == "http://coursesite.test/lti/launch"
    assert item["lineItem"]["scoreMaximum"] == 20 and item["lineItem"]["label"] == "Essay on Ghana"
    assert item["custom"] == {"coursesite_assignment": str(assignment.id)}


def test_deep_link_may_create_the_assignment(client, lms, course):
    answer = _deep_link(client, lms, {"new_title": "Reading response", "new_points": "15"})
    token = answer.get_data(as_text=True).split('name="JWT" value="')[1].split('"')[0]
    [item] = _tool_verified(client, token)["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["lineItem"]["scoreMaximum"] == 15 and item["title"] == "Reading response"


def test_a_deep_link_form_sent_after_the_launch_expired_says_so_and_creates_nothing(client, lms, course):
    response = lms.launch(client, sub="lms-ines", roles=[lp.INSTRUCTOR], message_type="LtiDeepLinkingRequest")
    assert response.headers["Location"].endswith("/lti/deep-link")
    assert client.get("/lti/deep-link").status_code == 200  # the instructor reads the form, then leaves it open
    for value in db.session.scalars(select(LtiLaunchValue)):
        value.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    answer = client.post("/lti/deep-link", data={"new_title": "Written too late", "new_points": "5"})
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "This link request has expired" in page and "Add content" in page
    assert db.session.scalar(select(Assignment).where(Assignment.title == "Written too late")) is None


def test_students_cannot_deep_link(client, lms, course):
    response = lms.launch(client, sub="lms-stu", roles=[lp.LEARNER], message_type="LtiDeepLinkingRequest")
    assert response.status_code == 403
    with client.session_transaction() as session:
        assert "_user_id" not in session  # the refused launch signed no one in
    assert db.session.scalar(select(LtiAccount).where(LtiAccount.sub == "lms-stu")) is None


def _student_launch(client, lms, assignment, sub: str, name: str):
    ags = {"scope": lp.AGS_SCOPES, "lineitems": lp.LINEITEMS_URL, "lineitem": LINE_ITEM}
    response = lms.launch(client, sub=sub, name=name, resource_link_id="link-9",
                          **{lp.LTI + "custom": {"coursesite_assignment": str(assignment.id)},
                             "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": ags})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/posts/new?assignment={assignment.id}")
    client.post("/auth/logout")
    return db.session.scalar(select(User).join(LtiAccount).where(LtiAccount.sub == sub))


def _csv_totals(course) -> dict[str, str]:
    text = gradebook.canvas_csv(grade_reports.load_gradebook(course))
    rows = list(csv.reader(io.StringIO(text)))
    return {row[0]: row[5] for row in rows[2:]}


def _release(app, course, assignment):
    staff = app.test_client()
    assert staff.post("/auth/login", data={"email": course.instructor.email,
                                           "password": f.DEFAULT_PASSWORD}).status_code == 302
    return staff, staff.post(f"/c/{course.slug}/dashboard/assignments/{assignment.id}/release")


@pytest.fixture
def graded(app, client, lms, course):
    """Two students launched the linked assignment; one wrote late and is graded, one is excused."""
    assignment = _late_assignment(course)
    db.session.commit()
    lee = _student_launch(client, lms, assignment, "lms-lee", "Lee Learner")
    ama = _student_launch(client, lms, assignment, "lms-ama", "Ama Mensah")
    f.make_post(course, lee, assignment_id=assignment.id, published_at=utcnow() - timedelta(days=1))
    f.make_grade(assignment, lee, post_score=18)
    f.make_excusal(assignment, ama)
    db.session.commit()
    lms.line_item(LINE_ITEM)
    return assignment, lee, ama


def test_releasing_grades_sends_the_gradebook_scores_to_the_line_item(app, client, lms, course, graded):
    assignment, lee, ama = graded
    _, response = _release(app, course, assignment)
    assert response.status_code == 302
    sent = {body["userId"]: (url, body) for url, body in lms.scores}
    url, lee_score = sent["lms-lee"]
    assert url == LINE_ITEM + "/scores"
    expected = _csv_totals(course)["Lee Learner"]
    assert float(expected) < 18  # the late penalty is in it
    assert lee_score["scoreGiven"] == float(expected) and lee_score["scoreMaximum"] == 20
    assert lee_score["activityProgress"] == "Completed" and lee_score["gradingProgress"] == "FullyGraded"
    assert lee_score["timestamp"].endswith("Z")
    _, ama_score = sent["lms-ama"]
    assert "scoreGiven" not in ama_score and ama_score["comment"] == "Excused"
    assert _csv_totals(course)["Ama Mensah"] == "EX"
    token_request = lms.token_requests[0]
    assert token_request["grant_type"] == "client_credentials" and "score" in token_request["scope"]


def test_a_later_change_sends_the_new_score(app, client, lms, course, graded):
    assignment, lee, _ = graded
    _release(app, course, assignment)
    lms.scores.clear()
    from coursesite.models import Grade

    grade = db.session.scalar(select(Grade).where(Grade.student_id == lee.id))
    grade.post_score = 10
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["lti", "send-scores"])
    assert result.exit_code == 0, result.output
    assert [body["userId"] for _, body in lms.scores] == ["lms-lee"]
    assert lms.scores[0][1]["scoreGiven"] == float(_csv_totals(course)["Lee Learner"])


def test_failed_sends_are_kept_shown_and_sent_again(app, client, lms, course, graded):
    assignment, _, _ = graded
    lms.mock.replace(responses.POST, LINE_ITEM + "/scores", status=503)
    staff, response = _release(app, course, assignment)
    db.session.expire_all()
    sends = db.session.scalars(select(LtiScoreSend)).all()
    assert len(sends) == 2 and {s.status for s in sends} == {"failed"}
    page = staff.get(f"/lti/c/{course.slug}/assignments/{assignment.id}/scores").get_data(as_text=True)
    assert "503" in page and "Send again" in page
    queue = staff.get(f"/c/{course.slug}/dashboard/assignments/{assignment.id}/grading").get_data(as_text=True)
    assert "2 failed" in queue
    lms.mock.remove(responses.POST, LINE_ITEM + "/scores")
    lms.line_item(LINE_ITEM)
    again = staff.post(f"/lti/c/{course.slug}/assignments/{assignment.id}/scores/send")
    assert again.status_code == 302
    db.session.expire_all()
    assert {s.status for s in db.session.scalars(select(LtiScoreSend))} == {"sent"}
    page = staff.get(f"/lti/c/{course.slug}/assignments/{assignment.id}/scores").get_data(as_text=True)
    assert "Accepted by the LMS</dt><dd>2" in page
    assert db.session.scalar(select(LtiLineItem.last_sent_at)) is not None


def test_a_slow_lms_leaves_the_rest_queued_instead_of_holding_the_release(app, client, lms, course, graded,
                                                                          monkeypatch):
    assignment, _, _ = graded
    clock = [1000.0]
    monkeypatch.setattr(scores.time, "monotonic", lambda: clock[0])

    def slow(request):  # each score takes the LMS 20 s to accept, more than a page may wait for all
        clock[0] += 20
        lms.scores.append((request.url, json.loads(request.body)))
        return 200, {}, "{}"
    lms.mock.remove(responses.POST, LINE_ITEM + "/scores")
    lms.mock.add_callback(responses.POST, LINE_ITEM + "/scores", callback=slow)
    staff, response = _release(app, course, assignment)
    assert response.status_code == 302
    assert len(lms.scores) == 1
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 score(s) accepted by the LMS; 1 still queued for the next scheduled send" in page
    db.session.expire_all()
    assert sorted(s.status for s in db.session.scalars(select(LtiScoreSend))) == ["pending", "sent"]
    result = app.test_cli_runner().invoke(args=["lti", "send-scores"])  # the scheduled send takes its time
    assert result.exit_code == 0 and "1 accepted" in result.output
    assert len(lms.scores) == 2


def test_send_scores_cli_retries_what_failed(app, client, lms, course, graded):
    assignment, _, _ = graded
    lms.mock.replace(responses.POST, LINE_ITEM + "/scores", body=__import__("requests").ConnectionError("down"))
    _release(app, course, assignment)
    result = app.test_cli_runner().invoke(args=["lti", "send-scores"])
    assert result.exit_code == 1 and "2 failed" in result.output
    lms.mock.remove(responses.POST, LINE_ITEM + "/scores")
    lms.line_item(LINE_ITEM)
    result = app.test_cli_runner().invoke(args=["lti", "send-scores"])
    assert result.exit_code == 0 and "2 accepted" in result.output
    assert len(lms.scores) == 2


# Names and Role Provisioning


def _member(user_id, name, roles, status="Active", groups=()):
    return {"user_id": user_id, "name": name, "roles": roles, "status": status,
            "group_enrollments": [{"group_id": g} for g in groups]}


def test_roster_sync_adds_updates_and_ends_enrollments(app, client, lms, course):
    lms.launch(client, sub="lms-leaving")  # a student who then leaves the LMS course
    client.post("/auth/logout")
    lms.launch(client, sub="lms-ta-to-be")
    client.post("/auth/logout")
    hand_added = f.make_member(course, name="Added By Hand")
    db.session.commit()
    lms.members = [
        _member("lms-ines", "Ines Instructor", [lp.INSTRUCTOR]),
        _member("lms-ta-to-be", "Tam Assistant", [lp.INSTRUCTOR, lp.TA]),
        _member("lms-new", "Nia New", [lp.LEARNER], groups=["g-2"]),
        _member("lms-observer", "Olu Observer", ["http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"]),
    ]
    lms.groups = [{"id": "g-1", "name": "Section 01"}, {"id": "g-2", "name": "Section 02"}]
    staff = app.test_client()
    staff.post("/auth/login", data={"email": course.instructor.email, "password": f.DEFAULT_PASSWORD})
    roster = staff.get(f"/c/{course.slug}/roster").get_data(as_text=True)
    assert "Sync roster from the LMS" in roster
    page = staff.post(f"/lti/c/{course.slug}/roster/sync").get_data(as_text=True)
    assert "1 added · 1 updated · 1 ended · 1 unchanged" in page and "Nia New" in page
    db.session.expire_all()

    def enrollment_of(sub):
        return db.session.scalar(select(Enrollment).join(LtiAccount, LtiAccount.user_id == Enrollment.user_id)
                                 .where(LtiAccount.sub == sub, Enrollment.course_id == course.id))
    assert enrollment_of("lms-new").role == "student" and enrollment_of("lms-new").ended_at is None
    assert enrollment_of("lms-new").section.name == "Section 02"
    assert enrollment_of("lms-ta-to-be").role == "ta"
    assert enrollment_of("lms-leaving").ended_at is not None
    assert enrollment_of("lms-observer") is None
    hand = db.session.scalar(select(Enrollment).where(Enrollment.user_id == hand_added.id))
    assert hand.ended_at is None  # people added here are never removed by the LMS
    again = staff.post(f"/lti/c/{course.slug}/roster/sync").get_data(as_text=True)
    assert "0 added · 0 updated · 0 ended · 3 unchanged" in again
    lms.members[1]["group_enrollments"] = [{"group_id": "g-1"}]
    moved = staff.post(f"/lti/c/{course.slug}/roster/sync").get_data(as_text=True)
    assert "0 added · 1 updated" in moved and ": section Section 01" in moved


def test_roster_sync_when_the_lms_fails_changes_nothing(app, client, lms, course):
    lms.launch(client, sub="lms-lee")
    client.post("/auth/logout")
    lms.mock.replace(responses.GET, lp.MEMBERSHIPS_URL, status=500)
    staff = app.test_client()
    staff.post("/auth/login", data={"email": course.instructor.email, "password": f.DEFAULT_PASSWORD})
    before = db.session.scalars(select(Enrollment.id, Enrollment.ended_at)).all()
    response = staff.post(f"/lti/c/{course.slug}/roster/sync", follow_redirects=True)
    assert "did not give its roster" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalars(select(Enrollment.id, Enrollment.ended_at)).all() == before


def _paged_memberships(lms, pages: dict[int, tuple[list[dict], int | None]], default=None):
    """The LMS's roster in pages: page n lists its members and links to the page it names next."""
    def answer(request):
        number = int(parse_qs(urlsplit(request.url).query).get("page", ["1"])[0])
        members, following = pages.get(number) or default(number)
        headers = {"Content-Type": "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"}
        if following is not None:
            headers["Link"] = f'<{lp.MEMBERSHIPS_URL}?page={following}>; rel="next"'
        return 200, headers, json.dumps({"id": lp.MEMBERSHIPS_URL, "members": members})
    lms.mock.remove(responses.GET, lp.MEMBERSHIPS_URL)
    lms.mock.add_callback(responses.GET, re.compile(re.escape(lp.MEMBERSHIPS_URL) + r"(\?page=\d+)?$"),
                          callback=answer)


def _sync_as_instructor(app, course):
    staff = app.test_client()
    staff.post("/auth/login", data={"email": course.instructor.email, "password": f.DEFAULT_PASSWORD})
    return staff.post(f"/lti/c/{course.slug}/roster/sync", follow_redirects=True).get_data(as_text=True)


def test_roster_sync_reads_every_page_the_lms_links(app, client, lms, course):
    lms.launch(client, sub="lms-lee")
    client.post("/auth/logout")
    _paged_memberships(lms, {1: ([_member("lms-ann", "Ann Able", [lp.LEARNER])], 2),
                             2: ([_member("lms-bo", "Bo Baker", [lp.LEARNER])], None)})
    page = _sync_as_instructor(app, course)
    assert "Ann Able" in page and "Bo Baker" in page


def test_a_first_sync_of_a_large_class_names_fifty_and_leads_back_to_the_roster_page(app, client, lms, course):
    lms.launch(client, sub="lms-lee")
    client.post("/auth/logout")
    lms.members = [_member(f"lms-{n}", f"Member {n:03}", [lp.LEARNER]) for n in range(80)]
    staff = app.test_client()
    staff.post("/auth/login", data={"email": course.instructor.email, "password": f.DEFAULT_PASSWORD})
    page = staff.post(f"/lti/c/{course.slug}/roster/sync").get_data(as_text=True)
    assert "80 added" in page and page.count("<li>Member ") == 50 and "And 30 more: the roster lists everyone." in page
    # Synced again from the second page of a search, the report leads back there.
    roster_page = staff.get(f"/c/{course.slug}/roster", query_string={"q": "member", "page": 2}).get_data(as_text=True)
    assert f'action="/lti/c/{course.slug}/roster/sync?q=member&amp;page=2"' in roster_page
    again = staff.post(f"/lti/c/{course.slug}/roster/sync?q=member&page=2").get_data(as_text=True)
    assert "0 added" in again
    assert f'<a href="/c/{course.slug}/roster?q=member&amp;page=2">Back to the roster</a>' in again
    lms.mock.replace(responses.GET, lp.MEMBERSHIPS_URL, status=500)
    failed = staff.post(f"/lti/c/{course.slug}/roster/sync?q=member&page=2")
    assert failed.headers["Location"] == f"/c/{course.slug}/roster?q=member&page=2"


@pytest.mark.parametrize("endless", ["a page linking to itself", "pages without end"])
def test_roster_sync_refuses_an_lms_that_pages_without_end(app, client, lms, course, monkeypatch, endless):
    monkeypatch.setattr(roster, "MAX_PAGES", 5)
    lms.launch(client, sub="lms-lee")
    client.post("/auth/logout")
    if endless == "a page linking to itself":
        _paged_memberships(lms, {1: ([_member("lms-ann", "Ann Able", [lp.LEARNER])], 1)})
    else:
        _paged_memberships(lms, {}, default=lambda n: ([_member(f"lms-{n}", f"Member {n}", [lp.LEARNER])], n + 1))
    before = db.session.scalars(select(Enrollment.id, Enrollment.ended_at)).all()
    page = _sync_as_instructor(app, course)
    assert "pages without end. Nothing was changed" in page
    db.session.expire_all()
    assert db.session.scalars(select(Enrollment.id, Enrollment.ended_at)).all() == before


def test_roster_sync_refuses_more_members_than_any_course(app, client, lms, course, monkeypatch):
    monkeypatch.setattr(roster, "MAX_MEMBERS", 3)
    lms.launch(client, sub="lms-lee")
    client.post("/auth/logout")
    lms.members = [_member(f"lms-{n}", f"Member {n}", [lp.LEARNER]) for n in range(4)]
    assert "more than 3 members" in _sync_as_instructor(app, course)
    assert db.session.scalar(select(LtiAccount).where(LtiAccount.sub == "lms-0")) is None


def test_a_changed_secret_key_is_reported_and_launches_still_work(app, client, lms, course, graded):
    assignment, _, _ = graded
    app.config["SECRET_KEY"] = "another-secret"  # the tool's private key no longer decrypts
    _, response = _release(app, course, assignment)
    assert response.status_code == 302
    page = _release(app, course, assignment)[0].get(
        f"/lti/c/{course.slug}/assignments/{assignment.id}/scores").get_data(as_text=True)
    assert "lti rotate-key" in page
    assert lms.launch(client, sub="lms-lee").status_code == 302
    client.post("/auth/logout")
    assert app.test_cli_runner().invoke(args=["lti", "rotate-key"]).exit_code == 0
    assert app.test_cli_runner().invoke(args=["lti", "send-scores"]).exit_code == 0
    assert len(lms.scores) == 2


def test_deep_link_from_an_unlinked_course_links_it_then_goes_on_to_pick(client, lms):
    response = lms.launch(client, sub="lms-first", roles=[lp.INSTRUCTOR], message_type="LtiDeepLinkingRequest",
                          context_id="ctx-new")
    assert response.headers["Location"].endswith("/lti/link-course")
    linked = client.post("/lti/link-course", data={"course": "new"})
    assert linked.headers["Location"].endswith("/lti/deep-link")
    answer = client.post("/lti/deep-link", data={"new_title": "First essay", "new_points": "12"})
    assert answer.status_code == 200 and 'name="JWT"' in answer.get_data(as_text=True)


def test_token_requests_go_to_the_registered_audience(app, client, lms, course, graded):
    """D2L wants its token requests addressed to its OAuth2 audience, not to the token URL."""
    result = app.test_cli_runner().invoke(args=[
        "lti", "register", "--issuer", lp.ISSUER, "--client-id", lp.CLIENT_ID, "--auth-login-url",
        lp.AUTH_LOGIN_URL, "--auth-token-url", lp.AUTH_TOKEN_URL, "--key-set-url", lp.KEY_SET_URL,
        "--deployment-id", lp.DEPLOYMENT_ID, "--auth-audience", "https://api.brightspace.com/auth/token"])
    assert result.exit_code == 0
    assignment, _, _ = graded
    _release(app, course, assignment)
    assertion = lms.token_requests[0]["client_assertion"]
    claims = jwt.decode(assertion, options={"verify_signature": False})
    assert claims["aud"] == "https://api.brightspace.com/auth/token" and claims["iss"] == lp.CLIENT_ID
