"""The proposal an extraction produces: plain dataclasses that serialise to the JSON in docs/extract-schema.md."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1

#: A character span [start, end) in the normalised text.
Span = tuple[int, int]

COMPARATORS = ("gt", "gte", "eq", "lte", "lt", "approx")
TARGET_KINDS = ("absolute", "multiple", "relative", "increment")
UNIT_ROLES = ("lead", "support", "all", "counterpart", "mentioned")
TASK_KINDS = ("target", "project", "measure")


@dataclass
class Heading:
    """One heading of the outline; the outline is the plan's task tree."""

    id: str
    level: int
    style: str
    marker: str
    title: str
    span: Span
    title_span: Span
    parent: str | None = None


@dataclass
class Target:
    """A quantitative target: an indicator, a comparator and a value in base units, maybe a year."""

    id: str
    indicator: str
    comparator: str
    value: int | float
    unit: str
    kind: str
    year: int | None
    within_years: int | float | None
    span: Span
    value_span: Span
    text: str
    relative_to: str | None = None
    previous_target: str | None = None
    stage: str | None = None
    deadline_text: str | None = None
    heading: str | None = None


@dataclass
class UnitMention:
    """One place the text names an organisation, with the role the sentence gives it."""

    name: str
    text: str
    role: str
    span: Span
    collective: bool = False


@dataclass
class ProposedUnit:
    """An organisation named in the text, matched to a known unit or proposed as new."""

    name: str
    roles: list[str]
    collective: bool
    known_unit: int | str | None
    known_name: str | None
    is_new: bool
    mentions: list[UnitMention] = field(default_factory=list)


@dataclass
class TaskUnit:
    name: str
    role: str


@dataclass
class Task:
    """A statement under a heading that asks for work to be done."""

    id: str
    heading: str | None
    title: str
    text: str
    span: Span
    kind: str
    units: list[TaskUnit] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    year: int | None = None
    deadline_text: str | None = None


@dataclass
class DocumentDate:
    """When the document was given or issued, and the year its 今年 / 年底前 / 明年 are read against."""

    year: int
    date: str | None
    text: str
    span: Span
    source: str


@dataclass
class Source:
    name: str
    format: str
    encoding: str | None
    characters: int
    script: str = "simplified"


@dataclass
class Extraction:
    """Everything proposed for one document; nothing here has been saved."""

    source: Source
    title: str | None
    plan_year: int | None
    plan_period: tuple[int, int] | None
    document_date: DocumentDate | None
    text: str
    outline: list[Heading]
    tasks: list[Task]
    targets: list[Target]
    units: list[ProposedUnit]
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form: spans and tuples become lists."""
        return dataclasses.asdict(self, dict_factory=_json_dict)


def _json_dict(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    return {key: list(value) if isinstance(value, tuple) else value for key, value in pairs}
