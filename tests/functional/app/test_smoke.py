from tests import factories as f


def test_home_page_lists_public_courses(client, app):
    course = f.make_course(title="Public Seminar")
    response = client.get("/")
    assert response.status_code == 200
    assert "Public Seminar" in response.get_data(as_text=True)
    assert course.slug in response.get_data(as_text=True)


def test_course_blog_is_public_for_public_course(client):
    course = f.make_course()
    assert client.get(f"/c/{course.slug}/").status_code == 200
