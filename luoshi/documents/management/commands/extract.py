"""`luoshi extract FILE`: print the proposed outline, tasks, targets and units of a plan; saves nothing."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from luoshi.documents.extract import InputRejected, KnownUnit, read_bytes, read_file
from luoshi.documents.extract.pipeline import extract_document
from luoshi.documents.extract.reading import MAX_FILE_BYTES
from luoshi.documents.extract.render import render_table
from luoshi.orgs.models import Unit

_BAR_WIDTH = 30


class Command(BaseCommand):
    help = "从 .txt/.docx 实施方案中提取大纲、任务、指标目标和单位，只打印建议，不保存任何内容。"
    requires_system_checks: list[str] = []  # reads a file and prints; needs neither checks nor a database

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a .txt or .docx file; - reads text from standard input")
        parser.add_argument("--format", choices=["json", "table"], default="json")
        parser.add_argument(
            "--progress",
            action="store_true",
            help="show the progress bar on stderr even when it is not a terminal",
        )
        parser.add_argument(
            "--units",
            metavar="JSON_FILE",
            help='known units to match: a JSON list of {"id", "name", "aliases"}',
        )
        parser.add_argument("--db-units", action="store_true", help="match against the units in the database")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["file"] == "-":
                document = read_bytes(sys.stdin.buffer.read(MAX_FILE_BYTES + 1), "标准输入")
            else:
                document = read_file(options["file"])
        except InputRejected as error:
            raise CommandError(str(error)) from error
        known = _known_units_from_file(options["units"]) if options["units"] else []
        if options["db_units"]:
            known += _known_units_from_database()
        show_progress = options["progress"] or self.stderr.isatty()
        extraction = extract_document(document, known, _ProgressBar(self.stderr) if show_progress else None)
        if options["format"] == "table":
            self.stdout.write(render_table(extraction), ending="")
        else:
            self.stdout.write(json.dumps(extraction.to_dict(), ensure_ascii=False, indent=2))


class _ProgressBar:
    """A one-line bar redrawn in place on stderr: 提取 [#######-----]  55% units."""

    def __init__(self, stream: OutputWrapper) -> None:
        self.stream = stream

    def __call__(self, fraction: float, step: str) -> None:
        filled = round(fraction * _BAR_WIDTH)
        bar = f"\r提取 [{'#' * filled}{'-' * (_BAR_WIDTH - filled)}] {fraction:4.0%} {step:<10}"
        self.stream.write(bar, ending="\n" if fraction >= 1 else "")
        self.stream.flush()


def _known_units_from_file(path: str) -> list[KnownUnit]:
    try:
        items = json.loads(Path(path).read_text(encoding="utf-8"))
        return [
            KnownUnit(id=item.get("id", item["name"]), name=item["name"], aliases=tuple(_aliases(item)))
            for item in items
        ]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise CommandError(
            f"无法读取单位列表 {path}：应为 JSON 数组，每项含 name，可含 id、aliases（{error}）"
        ) from error


def _aliases(item: dict[str, Any]) -> list[str]:
    aliases = item.get("aliases") or []
    if isinstance(aliases, str):
        aliases = aliases.replace("，", ",").split(",")
    return [a.strip() for a in [*aliases, item.get("short_name") or ""] if a and a.strip()]


def _known_units_from_database() -> list[KnownUnit]:

    return [
        KnownUnit(
            id=unit.pk, name=unit.name, aliases=tuple(filter(None, [unit.short_name, *unit.alias_list()]))
        )
        for unit in Unit.objects.all()
    ]
