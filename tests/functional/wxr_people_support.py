"""A WordPress export written for the identity tests: authors and commenters with the emails a test names."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape


@dataclass
class Person:
    login: str
    name: str
    email: str = ""


@dataclass
class Essay:
    post_id: int
    title: str
    author: str  # a login
    comments: list[tuple[int, str, str]] = field(default_factory=list)  # (comment id, name, email)


def wxr(authors: list[Person], essays: list[Essay]) -> bytes:
    people = "".join(
        f"<wp:author><wp:author_id>{n}</wp:author_id><wp:author_login>{escape(a.login)}</wp:author_login>"
        f"<wp:author_email>{escape(a.email)}</wp:author_email>"
        f"<wp:author_display_name><![CDATA[{a.name}]]></wp:author_display_name></wp:author>"
        for n, a in enumerate(authors, start=1)
    )
    items = "".join(_item(essay) for essay in essays)
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Borrowed</title>'
        "<link>http://blog.example/</link><wp:wxr_version>1.2</wp:wxr_version>"
        f"<wp:base_site_url>http://blog.example/</wp:base_site_url>{people}{items}</channel></rss>"
    ).encode()


def _item(essay: Essay) -> str:
    comments = "".join(
        f"<wp:comment><wp:comment_id>{cid}</wp:comment_id><wp:comment_author><![CDATA[{name}]]></wp:comment_author>"
        f"<wp:comment_author_email>{escape(email)}</wp:comment_author_email>"
        "<wp:comment_date_gmt>2024-01-02 10:00:00</wp:comment_date_gmt>"
        f"<wp:comment_content><![CDATA[Comment {cid} text.]]></wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved><wp:comment_type></wp:comment_type>"
        "<wp:comment_parent>0</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>"
        for cid, name, email in essay.comments
    )
    return (
        f"<item><title>{escape(essay.title)}</title><dc:creator>{escape(essay.author)}</dc:creator>"
        f"<content:encoded><![CDATA[<p>Body of {escape(essay.title)}.</p>]]></content:encoded>"
        f"<wp:post_id>{essay.post_id}</wp:post_id><wp:post_date_gmt>2024-01-01 10:00:00</wp:post_date_gmt>"
        f"<wp:post_name>essay-{essay.post_id}</wp:post_name><wp:status>publish</wp:status>"
        f"<wp:post_type>post</wp:post_type>{comments}</item>"
    )
