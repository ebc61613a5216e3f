"""The limits of every upload and import path, in one place, each with one clear message.

A small file must not exhaust the server: a .docx or .xlsx is checked by its unpacked size before
anything is inflated, a sheet is read only to its last row with a value, and what is extracted is
bounded in rows, cells, characters and depth. The values are sized far above real plans (a long
实施方案 is 30–100 thousand characters, a 任务分解表 tens to hundreds of rows) and far below what
hurts a small server. docs/security.md lists them with the test that proves each.
"""

import re
import zipfile
from dataclasses import dataclass
from enum import Enum

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MB = 1024 * 1024


class Measure(Enum):
    BYTES = "bytes"
    COUNT = "count"


@dataclass(frozen=True)
class Limit:
    """At most `most` of something, named for the person who went past it."""

    what: Promise
    most: int
    measure: Measure = Measure.COUNT

    def message(self, amount: int | None = None) -> str:
        most, found = self._shown(self.most), self._shown(amount) if amount is not None else None
        if found is None:
            return _("%(what)s超过上限（最多 %(most)s）。") % {"what": self.what, "most": most}
        return _("%(what)s超过上限：有 %(found)s，最多 %(most)s。") % {
            "what": self.what,
            "found": found,
            "most": most,
        }

    def check(self, amount: int, error: type[Exception] = ValidationError) -> None:
        """Raise `error` with the message when `amount` is over the limit."""
        if amount > self.most:
            raise error(self.message(amount))

    def _shown(self, amount: int) -> str:
        if self.measure is Measure.BYTES:
            return (
                f"{amount / MB:.0f} MB" if amount % MB == 0 or amount >= 10 * MB else f"{amount / MB:.1f} MB"
            )
        return f"{amount:,}"


#: An imported plan text, 任务分解表 or table of actuals, as uploaded.
IMPORT_BYTES = Limit(gettext_lazy("文件大小"), 20 * MB, Measure.BYTES)
#: The XML parts of an .xlsx or .docx once unzipped; what the reader would hold in memory.
UNPACKED_BYTES = Limit(gettext_lazy("解压后的内容"), 20 * MB, Measure.BYTES)
#: Characters of plan text read from a .txt, .docx or a paste (ten times the longest plan seen).
TEXT_CHARS = Limit(gettext_lazy("文本长度（字）"), 1_000_000)
#: Task rows of one 任务分解表.
TASK_ROWS = Limit(gettext_lazy("任务行数"), 2000)
#: Rows of one table of indicator actuals.
ACTUAL_ROWS = Limit(gettext_lazy("实际值行数"), 5000)
#: Rows a sheet may span up to its last value, blank rows included (the reader walks them all).
SHEET_ROWS = Limit(gettext_lazy("工作表行数（到最后一个有内容的单元格）"), 20_000)
#: Columns read from a sheet; a real table has about ten.
SHEET_COLUMNS = Limit(gettext_lazy("工作表列数"), 40)
#: Cells a workbook's sheets may hold, empty styled cells included (each costs memory once loaded).
SHEET_CELLS = Limit(gettext_lazy("单元格数"), 500_000)
#: Levels of an imported task tree (一、 （一） 1. （1） ① … go about six deep).
TREE_DEPTH = Limit(gettext_lazy("任务层级"), 30)
#: One evidence file (佐证材料) of a progress report or an indicator actual.
EVIDENCE_BYTES = Limit(gettext_lazy("佐证材料文件大小"), 50 * MB, Measure.BYTES)


_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")


def check_package(package: zipfile.ZipFile, error: type[Exception] = ValidationError) -> None:
    """Refuse an .xlsx or .docx whose XML would unpack past the limits, before any parser sees it.

    The declared sizes bound the reading: zipfile never inflates a member past its declared size
    (it stops and fails the CRC). Images and media are not parsed, so they do not count.
    """
    parts = [m for m in package.infolist() if m.filename.endswith((".xml", ".rels"))]
    UNPACKED_BYTES.check(sum(m.file_size for m in parts), error)
    sheets = [m for m in parts if m.filename.startswith("xl/worksheets/")]
    SHEET_CELLS.check(sum(len(_CELL.findall(package.read(m))) for m in sheets), error)
