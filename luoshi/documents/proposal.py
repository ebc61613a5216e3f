"""The proposal the review works on: the extraction's dataclasses, read back from the JSON kept on the draft.

`luoshi.documents.extract.proposal` defines the types (`Extraction`, `Heading`, `Target`, `Task`, …) and
their `to_dict`; `from_dict` here is its inverse, checked by pydantic against the same dataclasses, so the
review, the acceptance and the pages read `target.year`, never `target["year"]`. Drafts stored before a
key joined the schema read as the extraction would have written them then.
"""

from typing import Any

from pydantic import TypeAdapter

from luoshi.documents.extract.proposal import (
    DocumentDate,
    Extraction,
    Heading,
    ProposedUnit,
    Target,
    Task,
    TaskUnit,
    UnitMention,
)

__all__ = [
    "DocumentDate",
    "Extraction",
    "Heading",
    "ProposedUnit",
    "Target",
    "Task",
    "TaskUnit",
    "UnitMention",
    "from_dict",
    "to_dict",
]

_EXTRACTION = TypeAdapter(Extraction)

#: Keys added to the proposal after drafts were first stored, with what their absence meant.
_LATER_KEYS: dict[str, Any] = {"plan_year": None, "plan_period": None, "document_date": None}


def from_dict(data: dict[str, Any]) -> Extraction:
    """The stored proposal as typed dataclasses; a malformed one raises pydantic's ValidationError."""
    return _EXTRACTION.validate_python({**_LATER_KEYS, **data})


def to_dict(proposal: Extraction) -> dict[str, Any]:
    """The JSON kept on the draft (the schema of docs/extract-schema.md): the inverse of `from_dict`."""
    return proposal.to_dict()
