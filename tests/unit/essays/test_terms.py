from __future__ import annotations

import pytest

from coursesite.essays.terms import TermError, parse_term_names, slugify, term_slug


@pytest.mark.parametrize("text, slug", [
    ("Cold War", "cold-war"),
    ("Décolonisation & Empire", "decolonisation-empire"),
    ("  --Hello--  ", "hello"),
    ("1918", "1918"),
    ("!!!", "item"),
])
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_terms_in_other_scripts_keep_an_address():
    assert term_slug("冷战") == "冷战"
    assert term_slug("Cold War") == "cold-war"


def test_parse_names_trims_and_removes_duplicates():
    assert parse_term_names(" war,  Empire ,war, ,WAR, cold   war") == ["war", "Empire", "cold war"]
    assert parse_term_names(None) == [] and parse_term_names("") == []


def test_too_many_or_too_long_names_are_refused():
    with pytest.raises(TermError):
        parse_term_names(",".join(f"t{i}" for i in range(11)))
    with pytest.raises(TermError):
        parse_term_names("x" * 61)
