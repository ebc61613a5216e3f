"""A bulletin as documents: Word (.docx) in the usual layout of Chinese government documents, PDF, Excel.

All three read the same `sections(content)`, so they always say the same thing. Layout follows
GB/T 9704 in spirit: red masthead, 文号, red rule, 小标宋 title, 黑体 level-one headings, 仿宋 body,
the issuer and the date at the end. Where the official fonts are not installed, Word and
LibreOffice substitute their own; the PDF falls back to Noto CJK, which we embed.

That layout is the one place for every official document: `official_docx` and `official_pdf` take an
`OfficialDocument`; the bulletin is one (`bulletin_document`), a 督办单 another (`luoshi.notices.export`).
"""

import datetime as dt
import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from luoshi.core import sheets
from luoshi.core.cells import looks_like_formula
from luoshi.core.text import chinese_date

RED = "C00000"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
MAX_ROWS = 50  # longer lists are cut in the documents, with a note (the page cuts at its own length); Excel keeps them all


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    note: str = ""


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None


@dataclass
class OfficialDocument:
    """A document in the official layout: masthead, 文号, red rule, title, addressee, body, issuer, date."""

    masthead: str
    number: str
    title: str
    addressee: str
    sections: list[Section]
    issuer: str
    date: str  # in words, e.g. 2026年11月27日
    #: A coloured mark under the 文号, e.g. ("红色督办", "C00000"); none for a bulletin.
    mark: tuple[str, str] | None = None


def _pct(value) -> str:
    return "—" if value is None else f"{value:g}%"


def _why(task: dict) -> str:
    """A row's reasons (bulletins published before lights carried reasons have none)."""
    return "；".join(task.get("reasons", [])) or "—"


def _cut(rows: list[list[str]], limit: int | None) -> tuple[list[list[str]], str]:
    if limit is None or len(rows) <= limit:
        return rows, ""
    return rows[:limit], _("（另有%(n)d项未列出，详见系统或Excel附表。）") % {"n": len(rows) - limit}


def sections(content: dict, limit: int | None = MAX_ROWS) -> list[Section]:
    """The bulletin's body, in order, as headings, paragraphs and tables."""
    overall = content["overall"]
    summary = _(
        "截至%(date)s，《%(plan)s》共分解具体任务%(tasks)d项（不含方面），已办结%(closed)d项，整体进度%(progress)s%%。"
        "其中正常推进%(green)d项，进度滞后%(yellow)d项，严重滞后%(red)d项，逾期未办结%(overdue)d项。"
    ) % {
        "date": chinese_date(dt.date.fromisoformat(content["as_of"])),
        "plan": content["plan"],
        "tasks": overall["tasks"],
        "closed": overall["closed"],
        "progress": f"{overall['plan_progress']:g}",
        "green": overall["green"],
        "yellow": overall["yellow"],
        "red": overall["red"],
        "overdue": overall["overdue"],
    }
    if overall.get("returned"):
        summary += _("另有%(n)d项办结申请被退回，待整改。") % {"n": overall["returned"]}
    if overall.get("drafts"):
        summary += _("另有草稿%(n)d项，未交办，不计入以上统计。") % {"n": overall["drafts"]}
    notices = content.get("notices") or {}
    if notices.get("issued"):
        summary += (
            _(
                "本期签发督办单%(issued)d份，已按时答复%(answered_on_time)d份，逾期答复%(answered_late)d份，"
                "未答复%(unanswered)d份。"
            )
            % notices
        )
    ranking = [
        [
            str(r["rank"]),
            r["unit"],
            f"{r['score']:g}",
            str(r["due"]),
            str(r["closed_on_time"]),
            _pct(r["on_time_rate"]),
            str(r["overdue"]),
            str(r["overdue_days"]),
            _pct(r["report_rate"]),
            str(r["activities"]),
        ]
        for r in content["ranking"]
    ]
    overdue_rows, overdue_note = _cut(
        [
            [
                t["code"],
                t["title"],
                t["unit"],
                t["owner"] or "—",
                t["deadline"],
                str(t["days_overdue"]),
                f"{t['progress']:g}%",
                _why(t),
            ]
            for t in content["overdue_tasks"]
        ],
        limit,
    )
    risk_rows, risk_note = _cut(
        [
            [
                t["code"],
                t["title"],
                t["unit"],
                t["owner"] or "—",
                t["deadline"],
                f"{t['expected']:g}%",
                f"{t['progress']:g}%",
                _why(t),
            ]
            for t in content["at_risk_tasks"]
        ],
        limit,
    )
    result = [
        Section(_("一、总体进展"), [summary]),
        Section(
            _("二、各单位落实情况排名"),
            table=Table(
                [
                    _("排名"),
                    _("单位"),
                    _("得分"),
                    _("到期任务"),
                    _("按时办结"),
                    _("按时办结率"),
                    _("逾期任务"),
                    _("逾期天数"),
                    _("按期报送率"),
                    _("活动"),
                ],
                ranking,
            ),
        ),
        Section(
            _("三、逾期未办结任务"),
            [] if overdue_rows else [_("本期无逾期未办结任务。")],
            Table(
                [
                    _("序号"),
                    _("任务"),
                    _("牵头单位"),
                    _("责任人"),
                    _("完成时限"),
                    _("逾期天数"),
                    _("进度"),
                    _("原因"),
                ],
                overdue_rows,
                overdue_note,
            )
            if overdue_rows
            else None,
        ),
        Section(
            _("四、进度滞后任务"),
            [] if risk_rows else [_("本期无进度滞后任务。")],
            Table(
                [
                    _("序号"),
                    _("任务"),
                    _("牵头单位"),
                    _("责任人"),
                    _("完成时限"),
                    _("序时进度"),
                    _("实际进度"),
                    _("原因"),
                ],
                risk_rows,
                risk_note,
            )
            if risk_rows
            else None,
        ),
    ]
    number = len(result)
    for heading, text in (
        (_("表扬"), content.get("commendations")),
        (_("批评"), content.get("criticisms")),
        (_("下步要求"), content.get("remarks")),
    ):
        if text:
            result.append(
                Section(f"{'五六七八'[number - 4]}、{heading}", [p for p in text.splitlines() if p.strip()])
            )
            number += 1
    return result


# --- Word --------------------------------------------------------------------------------------


def _run_font(run, name: str, size_pt: float, bold: bool = False, color: str | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.size = Pt(size_pt)
    run.font.bold = bold
    run.font.name = "Times New Roman"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)


def _paragraph(
    doc,
    text: str,
    font: str,
    size: float,
    *,
    align=None,
    bold=False,
    color=None,
    indent=False,
    space_after: float = 0,
):
    from docx.shared import Pt

    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(28)
    fmt.space_after = Pt(space_after)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    _run_font(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _red_rule(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", RED)):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


def official_docx(document: OfficialDocument) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    doc = Document()
    page = doc.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.top_margin, page.bottom_margin = Mm(37), Mm(35)
    page.left_margin, page.right_margin = Mm(28), Mm(26)

    _paragraph(
        doc, document.masthead, TITLE_FONT, 42, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, space_after=12
    )
    number = _paragraph(doc, document.number, BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    _red_rule(number)
    if document.mark:
        text, color = document.mark
        _paragraph(doc, text, HEADING_FONT, 16, align=WD_ALIGN_PARAGRAPH.RIGHT, bold=True, color=color)
    else:
        _paragraph(doc, "", BODY_FONT, 16)
    _paragraph(doc, document.title, TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    _paragraph(doc, document.addressee, BODY_FONT, 16)
    for section in document.sections:
        _paragraph(doc, section.heading, HEADING_FONT, 16, indent=True)
        for text in section.paragraphs:
            _paragraph(doc, text, BODY_FONT, 16, indent=True)
        if section.table:
            table = doc.add_table(rows=1, cols=len(section.table.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, section.table.header, strict=True):
                cell.text = ""
                _run_font(cell.paragraphs[0].add_run(text), HEADING_FONT, 10.5)
            for row in section.table.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = ""
                    _run_font(cell.paragraphs[0].add_run(str(text)), BODY_FONT, 10.5)
            if section.table.note:
                _paragraph(doc, section.table.note, BODY_FONT, 12)
    _paragraph(doc, "", BODY_FONT, 16)
    _paragraph(doc, document.issuer, BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, document.date, BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def bulletin_document(content: dict) -> OfficialDocument:
    return OfficialDocument(
        masthead=_("督查通报"),
        number=content.get("document_number") or _("（草稿）"),
        title=content["title"],
        addressee=_("各部门、各单位："),
        sections=sections(content),
        issuer=content["issuer"],
        date=chinese_date(dt.date.fromisoformat(content["published_on"])),
    )


def to_docx(content: dict) -> bytes:
    return official_docx(bulletin_document(content))


# --- PDF ---------------------------------------------------------------------------------------


def official_html(document: OfficialDocument) -> str:
    return render_to_string("bulletins/official_print.html", {"doc": document})


def official_pdf(document: OfficialDocument) -> bytes:
    from weasyprint import HTML

    return HTML(string=official_html(document)).write_pdf()


def to_html(content: dict) -> str:
    return official_html(bulletin_document(content))


def to_pdf(content: dict) -> bytes:
    return official_pdf(bulletin_document(content))


# --- Excel -------------------------------------------------------------------------------------

#: Excel number formats by the kind of a column's values.
NUMBER_FORMATS = {"int": "0", "number": "0.##", "percent": "0.0%", "date": "yyyy-mm-dd"}


def _column_kind(header: str) -> str:
    """What a bulletin table's column holds, from its heading: the documents print text, Excel keeps
    numbers, percents and dates as such so that they sort and sum."""
    kinds = {
        _("排名"): "int",
        _("到期任务"): "int",
        _("按时办结"): "int",
        _("逾期任务"): "int",
        _("逾期天数"): "int",
        _("活动"): "int",
        _("得分"): "number",
        _("按时办结率"): "percent",
        _("按期报送率"): "percent",
        _("进度"): "percent",
        _("序时进度"): "percent",
        _("实际进度"): "percent",
        _("完成时限"): "date",
    }
    return kinds.get(header, "text")


def _typed(value: str, kind: str):
    """A cell's value as its column's type; "—" (no figure) is an empty cell."""
    if kind == "text" or not isinstance(value, str):
        return value
    if value in ("", "—"):
        return None
    try:
        if kind == "int":
            return int(value)
        if kind == "number":
            return float(value)
        if kind == "percent":
            return float(value.rstrip("%")) / 100
        return dt.date.fromisoformat(value)
    except ValueError:
        return value


def _cell(sheet, value, *, font=None, kind: str = "text", framed: bool = True):
    """A cell of a write-only sheet, typed and formatted; a formula-looking text stays text, never run
    (as `core.cells.plain_workbook` makes it in a workbook held whole)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment

    written = WriteOnlyCell(sheet, value=value)
    if looks_like_formula(written.value):
        written.data_type = "s"
    if font is not None:
        written.font = font
    if kind in NUMBER_FORMATS:
        written.number_format = NUMBER_FORMATS[kind]
    if framed:
        written.border = sheets.FRAMED
        written.alignment = Alignment(wrap_text=True, vertical="top")
    return written


def to_xlsx(content: dict) -> bytes:
    """Every row of every table (the documents cut long lists; Excel keeps them all), written row by row
    in openpyxl's write-only mode: a province's bulletin lists tens of thousands of tasks, and a workbook
    held whole takes a few kilobytes a cell."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    for section in sections(content, limit=None):
        if not section.table:
            continue
        sheet = book.create_sheet(section.heading.split("、", 1)[-1][:31])
        sheets.set_widths(
            sheet, [40 if index == 2 else 14 for index in range(1, len(section.table.header) + 1)]
        )
        sheets.print_on_a4(sheet, header_row=3)

        def cell(value, *, font=None, kind: str = "text", framed: bool = True, sheet=sheet):
            return _cell(sheet, _typed(value, kind), font=font, kind=kind, framed=framed)

        sheet.append([cell(content["title"], font=Font(bold=True, size=14), framed=False)])
        label = f"{content.get('document_number') or _('草稿')}  {content['period']['label']}"
        sheet.append([cell(label, framed=False)])
        sheet.append([cell(header, font=Font(bold=True)) for header in section.table.header])
        kinds = [_column_kind(header) for header in section.table.header]
        for row in section.table.rows:
            sheet.append([cell(value, kind=kind) for value, kind in zip(row, kinds, strict=False)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FORMATS = {
    "docx": (to_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": (to_pdf, "application/pdf"),
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
