"""Who may see and do what: the one access policy behind the pages, the API, the admin, imports,
exports, downloads and commands.

- `visible_to(person, rows)`: the rows a person sees (models' querysets answer `.visible_to(person)`
  with it, through `luoshi.core.scoping`, so that models never import the policy);
- `can(person, action, obj)`: may they take the action on a row, or, given a model, on a new one;
- `get_for(Model, person, id, action)`: the row, with one 404 for "not yours" and "not there".

The table is in `policy.py`, the task rules in `tasks.py`; `docs/security.md` prints both.
"""

from luoshi.core.access.policy import (
    POLICY,
    Rule,
    can,
    get_for,
    get_task_for,
    may_use_admin,
    require,
    units_for,
    visible_to,
)
from luoshi.core.access.roles import is_office, role_of, scope_unit_ids, sees_everything
from luoshi.core.access.tasks import allowed_actions
from luoshi.core.access.verbs import Action

__all__ = [
    "POLICY",
    "Action",
    "Rule",
    "allowed_actions",
    "can",
    "get_for",
    "get_task_for",
    "is_office",
    "may_use_admin",
    "require",
    "role_of",
    "scope_unit_ids",
    "sees_everything",
    "units_for",
    "visible_to",
]
