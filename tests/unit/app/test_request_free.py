"""Services and models never read the request: the view passes in what they need (docs/design.md#layering-contracts).

import-linter checks which packages import which; it cannot see one name taken from flask, so this does.
"""

from __future__ import annotations

import ast
from pathlib import Path

COURSESITE = Path(__file__).resolve().parents[3] / "coursesite"
# Packages of rules and services, and the models: none of them may know there is a request.
REQUEST_FREE = ("models", "participation", "grading", "discussion", "essays", "coursework", "people",
                "notifications", "wordpress", "files", "text", "demo", "weekly")
REQUEST_NAMES = {"request", "has_request_context"}


def reads_request(source: str) -> list[int]:
    """Lines that take the request (or the test for one) from flask."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "flask":
            lines += [node.lineno for alias in node.names if alias.name in REQUEST_NAMES]
        elif (isinstance(node, ast.Attribute) and node.attr in REQUEST_NAMES
              and isinstance(node.value, ast.Name) and node.value.id == "flask"):
            lines.append(node.lineno)
    return lines


def test_the_check_sees_the_ways_of_reading_the_request():
    assert reads_request("from flask import current_app, request\n") == [1]
    assert reads_request("import flask\n\ndef f():\n    return flask.request.args\n") == [4]
    assert reads_request("from flask import current_app\n") == []


def test_services_and_models_never_read_the_request():
    offenders = []
    for package in REQUEST_FREE:
        for path in sorted((COURSESITE / package).rglob("*.py")):
            name = path.relative_to(COURSESITE.parent).as_posix()
            offenders += [f"{name}:{line}" for line in reads_request(path.read_text(encoding="utf-8"))]
    assert offenders == [], "pass the value in from the view instead"
