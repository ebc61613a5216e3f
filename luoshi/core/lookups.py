"""`field__any_of=ids`: a long list of ids sent as one parameter.

Django's `__in` binds one parameter per value and prepares each in Python; for the 2,000 tasks of a
subtree that is ~4 ms per query on SQLite, and lighting them sends four such queries (milestones,
their dependencies, returns, indicators). This
lookup sends the whole list once: on SQLite as a JSON array read by `json_each`, on PostgreSQL as an
array compared with `= ANY`. Both use the column's index. Only for integer ids (checked here); for
anything else, and for short lists, `__in` is the plain choice."""

import json
from collections.abc import Iterable

from django.db.models import ForeignKey, IntegerField, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self) -> list[int]:
        rhs = self.rhs
        if not isinstance(rhs, Iterable) or isinstance(rhs, str | bytes):
            raise TypeError("__any_of takes a list of integer ids")
        return [int(value) for value in rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, self.rhs]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, json.dumps(self.rhs)]


def register() -> None:
    """Called once, by the core app when it is ready."""
    IntegerField.register_lookup(AnyOf)  # also AutoField, BigAutoField and the other integer fields
    ForeignKey.register_lookup(AnyOf)
