"""Joins SQLite's planner keeps in the order written.

SQLite reads the left table of a CROSS JOIN as the outer loop (its documented manual control of query plans,
https://sqlite.org/optoverview.html#manual_control_of_query_plans_using_cross_join). Counting a page's fifty
students' comments must start from their comments; given fifty ids, the planner starts from the assignments
instead and probes every essay of the class once per student (33 ms rather than 6 at 300 students).
PostgreSQL's planner finds the way itself: there it is a plain JOIN.
"""

from __future__ import annotations

from sqlalchemy import join as plain_join
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, Join


class WrittenOrderJoin(Join):
    inherit_cache = True


@compiles(WrittenOrderJoin, "sqlite")
def _cross_join(join, compiler, asfrom=False, **kw):
    # As SQLAlchemy's own JOIN, the word aside: the ON clause still links the tables for its cartesian check.
    # An inner join only: CROSS JOIN has no outer form.
    if join.isouter or join.full:
        raise ValueError("a written-order join is an inner join")
    return (f"{compiler.process(join.left, asfrom=True, **kw)} CROSS JOIN "
            f"{compiler.process(join.right, asfrom=True, **kw)} ON {compiler.process(join.onclause, **kw)}")


def joined(left, right, onclause: ColumnElement, in_written_order: bool) -> Join:
    """`left JOIN right ON onclause`, kept in this order on SQLite when `in_written_order`."""
    if in_written_order:
        return WrittenOrderJoin(left, right, onclause)
    return plain_join(left, right, onclause)
