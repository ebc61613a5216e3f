"""Subtree queries over any adjacency-list tree (`parent_id`), as one recursive CTE.

Why a recursive CTE and not a tree library: SQLite and PostgreSQL both run `WITH RECURSIVE`,
nothing denormalised (paths, nested-set bounds) has to be kept in step when a task is
split, moved or deleted, and the same query shape serves the progress rollup.
"""

from collections.abc import Iterable

from django.db import models
from django.db.models.expressions import RawSQL


def subtree_ids(model: type[models.Model], root_ids: Iterable[int]) -> RawSQL:
    """An SQL expression yielding the ids of the given rows and of every row below them."""
    ids = [int(pk) for pk in root_ids]
    table = model._meta.db_table
    if not ids:
        return RawSQL(f"SELECT id FROM {table} WHERE 1 = 0", [])
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"WITH RECURSIVE sub(id) AS ("
        f" SELECT id FROM {table} WHERE id IN ({placeholders})"
        f" UNION ALL SELECT t.id FROM {table} t JOIN sub ON t.parent_id = sub.id"
        f") SELECT id FROM sub"
    )
    return RawSQL(sql, ids)


def ancestor_ids(model: type[models.Model], node_id: int) -> RawSQL:
    """An SQL expression yielding the id of the row and of each row above it."""
    table = model._meta.db_table
    sql = (
        f"WITH RECURSIVE up(id, parent_id) AS ("
        f" SELECT id, parent_id FROM {table} WHERE id = %s"
        f" UNION ALL SELECT t.id, t.parent_id FROM {table} t JOIN up ON t.id = up.parent_id"
        f") SELECT id FROM up"
    )
    return RawSQL(sql, [int(node_id)])
