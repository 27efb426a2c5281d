"""Static files: versioned URLs kept for a year, gzip for clients that accept it, plain for others."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[3] / "static"


def linked_stylesheet(client) -> str:
    page = client.get("/auth/login").get_data(as_text=True)
    return re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]{12})"', page).group(1)


def test_pages_link_each_file_by_its_content_and_it_is_kept_for_a_year(client):
    url = linked_stylesheet(client)
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert response.get_data() == (STATIC / "css/site.css").read_bytes()
    assert "max-age=31536000" in response.headers["Cache-Control"] and "immutable" in response.headers["Cache-Control"]


def test_a_client_that_accepts_gzip_gets_the_file_gzipped(client):
    response = client.get(linked_stylesheet(client), headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in response.headers["Vary"]
    assert gzip.decompress(response.get_data()) == (STATIC / "css/site.css").read_bytes()
    assert len(response.get_data()) < (STATIC / "css/site.css").stat().st_size / 2


def test_an_old_or_missing_version_is_served_but_checked_each_time(client):
    for url in ("/static/css/site.css", "/static/css/site.css?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200 and "no-cache" in response.headers["Cache-Control"]
        assert client.get(url, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_files_outside_static_and_missing_files_are_not_found(client):
    for url in ("/static/../coursesite/config.py", "/static/%2e%2e/coursesite/config.py", "/static/css/nope.css"):
        assert client.get(url).status_code == 404


def test_every_page_names_an_icon_that_is_served(client):
    """Without one, browsers ask for /favicon.ico on every page and get a 404."""
    page = client.get("/auth/login").get_data(as_text=True)
    icon = re.search(r'<link rel="icon" href="(/static/favicon\.svg\?v=[0-9a-f]{12})" type="image/svg\+xml">', page)
    assert icon, "no icon linked"
    response = client.get(icon.group(1))
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
