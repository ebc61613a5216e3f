"""The extraction pipeline: read → normalise → outline → targets → units → tasks, nothing saved."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from .dates import DateIndex, PlanDates, plan_year_and_period
from .front_matter import document_date, document_title, is_chrome
from .normalise import normalise
from .outline import find_outline
from .proposal import DocumentDate, Extraction, ProposedUnit, Source, Task, UnitMention
from .reading import ReadDocument, read_file
from .sections import ReviewParts
from .target_table import find_table_targets
from .targets import attach_headings, find_targets, number_targets
from .tasks import find_tasks
from .text import prepare
from .traditional import is_traditional, to_simplified
from .units import KnownUnit, find_unit_names, to_mentions

#: Called with (fraction done, name of the step about to run).
ProgressCallback = Callable[[float, str], None]

STEPS = ("normalise", "outline", "targets", "units", "tasks")

#: Titles of documents that plan one year: a dated 政府工作报告 or 工作要点 without a year in its title
#: plans the year of its date.
_ANNUAL_KIND = re.compile(r"政府工作报告|工作要点|工作计划|年度")
_COMPANY_ENDINGS = ("公司", "集团")


def extract_file(
    path: str | Path, known_units: Sequence[KnownUnit] = (), on_progress: ProgressCallback | None = None
) -> Extraction:
    """Read a .txt/.docx file and propose its outline, tasks, targets and units."""
    return extract_document(read_file(path), known_units, on_progress)


def extract_document(
    document: ReadDocument,
    known_units: Sequence[KnownUnit] = (),
    on_progress: ProgressCallback | None = None,
    *,
    document_year: int | None = None,
) -> Extraction:
    return extract_text(
        document.text,
        known_units,
        on_progress,
        name=document.name,
        format=document.format,
        encoding=document.encoding,
        document_year=document_year,
    )


def extract_text(
    raw_text: str,
    known_units: Sequence[KnownUnit] = (),
    on_progress: ProgressCallback | None = None,
    *,
    name: str = "粘贴的文本",
    format: str = "pasted",
    encoding: str | None = None,
    document_year: int | None = None,
) -> Extraction:
    """Run every step on one text; spans in the result point into result.text (the normalised text).

    `document_year`, when the reviewer gives it, is the year 今年 / 年底前 / 明年 are read against, whatever
    the front matter says (source "office").

    A text in traditional characters is read in simplified form (same length, so spans hold); the
    proposal's text and quoted source passages stay as pasted, names are simplified.
    """
    progress = on_progress or (lambda fraction, step: None)
    progress(0.0, "normalise")
    text = normalise(raw_text)
    traditional = is_traditional(text)
    reading = to_simplified(text) if traditional else text
    doc = prepare(reading)
    title = document_title(reading)
    plan_year, plan_period, dated = _dating(reading, title, document_year)
    plan = PlanDates(plan_year, plan_period)
    progress(0.1, "outline")
    outline = find_outline(doc)
    review = ReviewParts(reading, outline, dated.year if dated else None)
    progress(0.25, "targets")
    table_targets = find_table_targets(doc, plan)
    attach_headings(table_targets, outline)
    dates = DateIndex(reading, dated.year if dated else None)
    targets = [
        target
        for target in find_targets(doc, outline, plan, dates) + table_targets
        if not review.holds(target.value_span[0])
    ]  # a review's figures are results, not targets
    targets = number_targets(targets)
    progress(0.55, "units")
    mentions = to_mentions(doc, find_unit_names(doc, known_units))
    units = propose_units(mentions, known_units)
    progress(0.8, "tasks")
    tasks = _renumber(
        [
            task
            for task in find_tasks(doc, outline, mentions, targets, plan_year, dates)
            if not review.holds(task.span[0]) and not is_chrome(task.text)
        ]
    )
    if traditional:
        _quote_as_pasted((*targets, *tasks, *mentions), reading, text)
    progress(1.0, "done")
    return Extraction(
        source=Source(
            name=name,
            format=format,
            encoding=encoding,
            characters=len(text),
            script="traditional" if traditional else "simplified",
        ),
        title=title,
        plan_year=plan_year,
        plan_period=plan_period,
        document_date=dated,
        text=text,
        outline=outline,
        tasks=tasks,
        targets=targets,
        units=units,
    )


def _dating(
    reading: str, title: str | None, document_year: int | None
) -> tuple[int | None, tuple[int, int] | None, DocumentDate | None]:
    """The plan's year and period from its title, and the document's own date — the reviewer's year when
    given (source "office"). An annual report (工作报告 …) with no year in its title is of its date's year."""
    plan_year, plan_period = plan_year_and_period(title)
    dated = document_date(reading, plan_year)
    if document_year is not None and (dated is None or dated.year != document_year):
        dated = DocumentDate(
            year=document_year, date=None, text=f"{document_year}年", span=(0, 0), source="office"
        )
    if plan_year is None and plan_period is None and dated and title and _ANNUAL_KIND.search(title):
        plan_year = dated.year
    return plan_year, plan_period, dated


def _quote_as_pasted(items, reading: str, text: str) -> None:
    """Items found in the simplified reading quote the passage as pasted (same length, so spans hold)."""
    for item in items:
        if reading[item.span[0] : item.span[1]] == item.text:
            item.text = text[item.span[0] : item.span[1]]


def _renumber(tasks: list[Task]) -> list[Task]:
    for number, task in enumerate(tasks, start=1):
        task.id = f"task{number}"
    return tasks


def propose_units(mentions: list[UnitMention], known_units: Sequence[KnownUnit] = ()) -> list[ProposedUnit]:
    """One proposal per distinct name, matched to a known unit by name or alias, else marked new."""
    lookup: dict[str, KnownUnit] = {}
    for unit in known_units:
        for word in (unit.name, *unit.aliases):
            lookup.setdefault(word, unit)
    proposals: dict[str, ProposedUnit] = {}
    for mention in mentions:
        proposal = proposals.get(mention.name)
        if proposal is None:
            known = lookup.get(mention.name) or lookup.get(mention.text)
            proposal = proposals[mention.name] = ProposedUnit(
                name=mention.name,
                roles=[],
                collective=mention.collective,
                known_unit=known.id if known else None,
                known_name=known.name if known else None,
                is_new=known is None and not mention.collective,
            )
        if mention.role not in proposal.roles:
            proposal.roles.append(mention.role)
        proposal.mentions.append(mention)
    # a company is a unit only where the text gives it a part (…国网XX供电公司配合), not where it is only named
    return [
        proposal
        for proposal in proposals.values()
        if proposal.known_unit is not None
        or proposal.roles != ["mentioned"]
        or not proposal.name.endswith(_COMPANY_ENDINGS)
    ]
