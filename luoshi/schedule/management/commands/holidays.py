"""`luoshi holidays import FILE` enters holiday notices; `luoshi holidays show YEAR` prints a year.

The file format is described in `luoshi.schedule.notice`; `show` prints that format (with
`--format table`), so its output can be edited and imported again.
"""

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from luoshi.core.output import FigureCommand
from luoshi.schedule.actions import enter_holiday_year
from luoshi.schedule.models import DayKind
from luoshi.schedule.notice import NoticeFileError, format_notice, notice_for, parse_notices
from luoshi.schedule.workdays import CalendarNotCovered, calendar


class Command(FigureCommand):
    help = "录入或查看节假日安排（国务院办公厅节假日安排通知）。文件格式见 luoshi/schedule/notice.py。"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        enter = actions.add_parser("import", help="从文件录入一年或几年的节假日安排（覆盖已录入的同年数据）")
        enter.add_argument("file", type=Path)
        show = actions.add_parser("show", help="显示某年的节假日安排及其来源")
        show.add_argument("year", type=int)
        super().add_arguments(show)

    def handle(self, *args, action: str, **options) -> None:
        if action == "import":
            self.import_file(options["file"])
        else:
            self.show(options["year"], options)

    def import_file(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"无法读取 {path}：{error}") from error
        try:
            notices = parse_notices(text)
            for notice in notices:
                enter_holiday_year(None, notice)
        except (NoticeFileError, ValidationError) as error:
            problems = error.problems if isinstance(error, NoticeFileError) else error.messages
            raise CommandError("\n".join(problems)) from error
        for notice in notices:
            off = sum(1 for line in notice.lines if line.kind == DayKind.OFF)
            work = sum(
                (line.last_day - line.first_day).days + 1
                for line in notice.lines
                if line.kind == DayKind.WORK
            )
            self.stdout.write(f"已录入 {notice.year} 年节假日安排：放假 {off} 段，调休上班 {work} 天。")

    def show(self, year: int, options: dict) -> None:
        notice = notice_for(year)
        if notice is None:
            raise CommandError(str(CalendarNotCovered(year)))
        working_days = calendar().working_days_between(dt.date(year, 1, 1), dt.date(year, 12, 31))
        data = {
            "year": year,
            "source": notice.source,
            "notice": notice.notice,
            "working_days": working_days,
            "lines": notice.lines,
        }
        sources = {"office": "本单位录入", "package": "chinese-calendar 软件包"}
        self.emit(
            options,
            data,
            lambda: (
                f"# 来源：{sources[notice.source]}；全年工作日 {working_days} 天\n" + format_notice(notice)
            ).rstrip("\n"),
        )
