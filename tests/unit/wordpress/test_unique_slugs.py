"""Essay addresses for imported items: WordPress's post_name when free, else the next free numbered one."""

from __future__ import annotations

from coursesite.wordpress.importer import UniqueSlugs


class CountingSet(set):
    """The course's taken addresses, counting how often the importer asks about one."""

    looked_up = 0

    def __contains__(self, slug: object) -> bool:
        self.looked_up += 1
        return super().__contains__(slug)


def claim_many(base: str, count: int) -> tuple[list[str], int]:
    """The addresses given to `count` items named `base` in a course that has one, and the look-ups made."""
    taken = CountingSet({base})
    slugs = UniqueSlugs(taken)
    return [slugs.claim(base) for _ in range(count)], taken.looked_up


def test_taken_addresses_are_passed_and_numbers_continue():
    slugs = UniqueSlugs({"same", "same-3", "other"})
    assert [slugs.claim("same") for _ in range(4)] == ["same-2", "same-4", "same-5", "same-6"]
    assert slugs.claim("same-2") == "same-2-2"
    assert slugs.claim("new") == "new"
    assert slugs.claim("new") == "new-2"


def test_items_sharing_a_post_name_cost_the_same_each_however_many_there_are():
    """Each address is found in a bounded number of look-ups: twice the items, at most twice the work."""
    (_, few), (claimed, many) = claim_many("same", 500), claim_many("same", 1000)
    assert claimed == [f"same-{n}" for n in range(2, 1002)]
    assert many <= 2 * few <= 3 * 1000
