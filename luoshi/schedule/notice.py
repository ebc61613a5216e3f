"""A year's holiday notice as plain data, and the text file the office imports it from.

The file (UTF-8, one item a line, fields separated by commas; blank lines and lines starting
with # are ignored):

    # 国务院办公厅关于2027年部分节假日安排的通知
    年份,2027
    通知,国办发明电〔2026〕×号
    放假,元旦,2027-01-01,2027-01-03
    放假,春节,2027-02-06,2027-02-13
    上班,春节,2027-02-14

- `年份,YYYY` starts a year; a file may hold several. `通知,…` names the notice (optional).
- `放假,节日,起始日[,结束日]`: days off; one date for a single day.
- `上班,节日,日期[,结束日]`: weekend days made working days (调休上班).
- Dates are written YYYY-MM-DD (or YYYY/M/D). English keywords year, notice, off, work also work.
Importing a year replaces everything entered for it before. `luoshi holidays show YEAR` prints a
year in this format, so a year the package covers can serve as a template.
"""

import datetime as dt
from dataclasses import dataclass

import chinese_calendar
from chinese_calendar.constants import Holiday

from luoshi.schedule.models import LONGEST_SPAN_DAYS, DayKind, HolidayYear
from luoshi.schedule.workdays import Source, calendar

YEAR_WORDS = {"年份", "year"}
NOTICE_WORDS = {"通知", "notice"}
KIND_WORDS = {
    "放假": DayKind.OFF,
    "off": DayKind.OFF,
    "上班": DayKind.WORK,
    "调休": DayKind.WORK,
    "work": DayKind.WORK,
}
CHINESE_NAMES = {holiday.value: holiday.chinese for holiday in Holiday}


@dataclass(frozen=True)
class NoticeLine:
    kind: DayKind
    name: str
    first_day: dt.date
    last_day: dt.date


@dataclass(frozen=True)
class Notice:
    year: int
    notice: str
    lines: tuple[NoticeLine, ...]
    source: Source = Source.OFFICE


class NoticeFileError(ValueError):
    """The file has lines that cannot be read; every problem is listed with its line number."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("节假日安排文件有误：\n" + "\n".join(problems))


def _date(text: str) -> dt.date:
    parts = text.strip().replace("/", "-").split("-")
    if len(parts) != 3 or not all(part.isdecimal() for part in parts):
        raise ValueError
    return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))


def parse_notices(text: str) -> list[Notice]:
    """Read the file format above; raise NoticeFileError naming every bad line."""
    problems: list[str] = []
    notices: list[Notice] = []
    year: int | None = None
    title = ""
    lines: list[NoticeLine] = []

    def close() -> None:
        if year is not None:
            notices.append(Notice(year, title, tuple(lines)))

    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        row = raw.strip()
        if not row or row.startswith("#"):
            continue
        fields = [field.strip() for field in row.replace("，", ",").split(",")]
        word = fields[0].lower()
        if word in YEAR_WORDS:
            close()
            year, title, lines = None, "", []
            if len(fields) != 2 or not fields[1].isdecimal():
                problems.append(f"第 {number} 行：应写作“年份,2027”。")
                continue
            year = int(fields[1])
        elif year is None:
            problems.append(f"第 {number} 行：须先写“年份,YYYY”一行。")
        elif word in NOTICE_WORDS:
            title = ",".join(fields[1:])
        elif word in KIND_WORDS:
            if len(fields) not in (3, 4):
                problems.append(f"第 {number} 行：应写作“{fields[0]},节日,起始日[,结束日]”。")
                continue
            try:
                first = _date(fields[2])
                last = _date(fields[3]) if len(fields) == 4 and fields[3] else first
            except ValueError:
                problems.append(f"第 {number} 行：日期应写作 YYYY-MM-DD。")
                continue
            lines.append(NoticeLine(KIND_WORDS[word], fields[1], first, last))
        else:
            problems.append(f"第 {number} 行：不认识“{fields[0]}”，应为 年份、通知、放假 或 上班。")
    close()
    if not notices and not problems:
        problems.append("文件中没有“年份,YYYY”一行。")
    for notice in notices:
        problems.extend(check_notice(notice))
    if problems:
        raise NoticeFileError(problems)
    return notices


def check_notice(notice: Notice) -> list[str]:
    """What is wrong with a notice: dates outside its year, spans backwards or too long, a day
    listed twice, a make-up working day that is not a weekend."""
    problems = []
    seen: dict[dt.date, NoticeLine] = {}
    for line in notice.lines:
        label = f"{notice.year} 年“{line.name or line.kind.label} {line.first_day}”"
        if line.last_day < line.first_day:
            problems.append(f"{label}：结束日早于起始日。")
            continue
        if line.last_day.year < notice.year or line.first_day.year > notice.year:
            problems.append(f"{label}：日期不在 {notice.year} 年内。")
        if (line.last_day - line.first_day).days >= LONGEST_SPAN_DAYS:
            problems.append(f"{label}：一段超过 {LONGEST_SPAN_DAYS} 天。")
            continue
        for offset in range((line.last_day - line.first_day).days + 1):
            day = line.first_day + dt.timedelta(days=offset)
            if day in seen:
                problems.append(f"{label}：{day} 已在前面列出。")
            seen[day] = line
            if line.kind == DayKind.WORK and day.weekday() < 5:
                problems.append(f"{label}：调休上班日 {day} 不是周末。")
    return problems


def notice_for(year: int) -> Notice | None:
    """The year's notice as the calendar uses it: the office's entry, else the package's data."""
    source = calendar().source(year)
    if source == Source.OFFICE:
        entered = HolidayYear.objects.prefetch_related("spans").get(year=year)
        lines = tuple(
            NoticeLine(DayKind(s.kind), s.name, s.first_day, s.last_day) for s in entered.spans.all()
        )
        return Notice(year, entered.notice, lines, Source.OFFICE)
    if source == Source.PACKAGE:
        return Notice(year, "chinese-calendar", _package_lines(year), Source.PACKAGE)
    return None


def _package_lines(year: int) -> tuple[NoticeLine, ...]:
    """The package's holidays of a year as notice lines: runs of named days off, and make-up weekends."""
    lines: list[NoticeLine] = []
    run: list[tuple[dt.date, str]] = []

    def close_run() -> None:
        if run:
            names = list(dict.fromkeys(CHINESE_NAMES.get(name, name) for _, name in run))
            lines.append(NoticeLine(DayKind.OFF, "、".join(names), run[0][0], run[-1][0]))
            run.clear()

    day = dt.date(year, 1, 1)
    while day.year == year:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        if is_holiday and name:
            run.append((day, name))
        else:
            close_run()
            if not is_holiday and name and day.weekday() >= 5:
                lines.append(NoticeLine(DayKind.WORK, CHINESE_NAMES.get(name, name), day, day))
        day += dt.timedelta(days=1)
    close_run()
    return tuple(sorted(lines, key=lambda line: line.first_day))


def format_notice(notice: Notice) -> str:
    """The notice in the import file format."""
    words = {DayKind.OFF: "放假", DayKind.WORK: "上班"}
    rows = [f"年份,{notice.year}"]
    if notice.notice:
        rows.append(f"通知,{notice.notice}")
    for line in notice.lines:
        dates = (
            f"{line.first_day}" if line.first_day == line.last_day else f"{line.first_day},{line.last_day}"
        )
        rows.append(f"{words[line.kind]},{line.name},{dates}")
    return "\n".join(rows) + "\n"
