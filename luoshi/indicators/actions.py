"""Entering an indicator's actuals: one at a time with evidence, or a whole table from Excel/CSV."""

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from itertools import islice

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.core import clock, limits
from luoshi.core.access import Action, require
from luoshi.core.history import set_history_user
from luoshi.indicators.models import Indicator, IndicatorActual
from luoshi.indicators.units import PREFIXES, convert
from luoshi.orgs.models import Person

HEADERS = {
    "indicator": ("指标", "指标名称", "indicator"),
    "period_end": ("统计期末", "期末", "统计期", "日期", "时间", "period_end", "period"),
    "value": ("实际值", "完成值", "数值", "值", "value"),
    "note": ("说明", "备注", "note"),
}


def record_actual(
    actor: Person,
    indicator: Indicator,
    *,
    period_end: dt.date,
    value: float,
    evidence: UploadedFile | None = None,
    note: str = "",
) -> IndicatorActual:
    """Enter (or correct) the actual of one period; the owner unit or the supervision office only."""
    require(actor, Action.RECORD, indicator)  # the owner unit or the supervision office
    actual = IndicatorActual.objects.filter(
        indicator=indicator, period_end=period_end
    ).first() or IndicatorActual(indicator=indicator, period_end=period_end)
    actual.value, actual.note, actual.entered_by = value, note.strip()[:200], actor
    actual.full_clean(exclude=["evidence"])
    if evidence is not None and (evidence.size or 0) > limits.EVIDENCE_BYTES.most:
        raise ValidationError({"evidence": limits.EVIDENCE_BYTES.message(evidence.size)})
    set_history_user(actual, actor)
    with transaction.atomic():
        if evidence is not None:
            actual.evidence.save(evidence.name, evidence, save=False)
        actual.save()
    return actual


@dataclass
class ImportResult:
    saved: list[IndicatorActual] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def parse_period(raw) -> dt.date:
    """A period's end from what people type: a date, 2026年9月, 2026年第三季度, 2026Q3, 2026年."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if raw is None or str(raw).strip() == "":
        raise ValueError(_("统计期为空。"))
    text = str(raw).strip().replace("／", "/").upper()
    if m := re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{4})[-/.年](\d{1,2})月?(?:末|底)?", text):
        return _month_end(int(m[1]), int(m[2]))
    quarters = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
    if m := re.fullmatch(r"(\d{4})\s*(?:年第?([一二三四1-4])季度?|-?Q([1-4]))", text):
        return _month_end(int(m[1]), 3 * quarters[m[2] or m[3]])
    if m := re.fullmatch(r"(\d{4})年?(?:末|底)?", text):
        return dt.date(int(m[1]), 12, 31)
    raise ValueError(
        _("无法识别的统计期“%(text)s”：请写成 2026-09-30、2026年9月、2026年第三季度或 2026年。")
        % {"text": raw}
    )


def _month_end(year: int, month: int) -> dt.date:
    if not 1 <= month <= 12:
        raise ValueError(_("月份应在 1 到 12 之间。"))
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def parse_value(raw, unit: str) -> float:
    """A number, or a number with a prefixed unit of the indicator's base unit (2.5亿吨 → 250000000)."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = float(raw)
    else:
        text = str(raw).strip().replace(",", "").replace("，", "")
        m = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*(\S*)", text)
        if m is None:
            raise ValueError(_("实际值“%(text)s”不是数。") % {"text": raw})
        suffix = m[2] + unit if m[2] in PREFIXES else m[2]  # "2.3亿" means 2.3亿 of the indicator's unit
        value = float(convert(m[1], suffix, unit)) if suffix and suffix != unit else float(m[1])
    if not math.isfinite(value):
        raise ValueError(_("实际值必须是有限的数。"))
    return value


def _rows(upload: UploadedFile) -> list[list]:
    data = upload.read(limits.IMPORT_BYTES.most + 1)
    limits.IMPORT_BYTES.check(len(data))
    if not data:
        raise ValidationError(_("文件是空的。"))
    most = limits.ACTUAL_ROWS.most + 2
    if data[:2] == b"PK":
        return _xlsx_rows(data, most)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            return [row[: limits.SHEET_COLUMNS.most] for row in islice(csv.reader(io.StringIO(text)), most)]
        except csv.Error:
            raise ValidationError(_("无法读取这个 CSV 文件。")) from None
    raise ValidationError(_("无法识别文件编码，请存为 UTF-8 的 CSV 或 .xlsx。"))


def _xlsx_rows(data: bytes, most: int) -> list[list]:
    """The first sheet's rows; the package's unpacked size is checked before openpyxl parses it."""
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            limits.check_package(package)
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        width = min(sheet.max_column or 1, limits.SHEET_COLUMNS.most)
        # Rows are parsed as they are read, so a damaged cell (an XML `&#0;`) fails here.
        return [list(row) for row in sheet.iter_rows(values_only=True, max_row=most, max_col=width)]
    except ValidationError:
        raise
    except Exception:  # zipfile and openpyxl raise many kinds on a damaged package
        raise ValidationError(_("无法读取这个 Excel 文件（仅支持 .xlsx）。")) from None


def _columns(header: list) -> dict[str, int]:
    cells = [str(c or "").strip().lower() for c in header]
    found = {}
    for name, words in HEADERS.items():
        for index, cell in enumerate(cells):
            if cell in words:
                found[name] = index
                break
    return found


def import_actuals(actor: Person, indicator: Indicator, upload: UploadedFile) -> ImportResult:
    """Read a table of periods and values (CSV or .xlsx) for one indicator; all rows or none."""
    require(actor, Action.RECORD, indicator)
    rows = [r for r in _rows(upload) if any(c not in (None, "") for c in r)]
    if not rows:
        raise ValidationError(_("文件里没有数据。"))
    columns = _columns(rows[0])
    if "period_end" not in columns or "value" not in columns:
        raise ValidationError(_("找不到表头：需要“统计期末”和“实际值”两列（第一行）。"))
    limits.ACTUAL_ROWS.check(len(rows) - 1)
    result, parsed = ImportResult(), []
    seen: dict[dt.date, int] = {}  # period → the row it was first on
    for number, row in enumerate(rows[1:], start=2):
        cells = {name: row[index] if index < len(row) else None for name, index in columns.items()}
        try:
            period = parse_period(cells["period_end"])
            value = parse_value(cells["value"], indicator.unit)
        except ValueError as error:
            result.errors.append(_("第%(row)d行：%(error)s") % {"row": number, "error": error})
            continue
        if period > clock.today():
            result.errors.append(
                _("第%(row)d行：统计期末 %(date)s 晚于今天。") % {"row": number, "date": period}
            )
            continue
        if period in seen:
            result.errors.append(
                _("第%(row)d行：统计期 %(date)s 与第%(first)d行重复。")
                % {"row": number, "date": period, "first": seen[period]}
            )
            continue
        seen[period] = number
        parsed.append((period, value, str(cells.get("note") or "")))
    if result.errors:
        return result  # nothing is saved while any row is wrong
    with transaction.atomic():
        result.saved = [record_actual(actor, indicator, period_end=p, value=v, note=n) for p, v, n in parsed]
    return result
