"""What goes wrong with a task table, said the way a clerk would say it."""

from dataclasses import dataclass


class UnreadableTable(ValueError):
    """The file as a whole cannot be used: not an .xlsx, empty, too big, or no header found."""


@dataclass(frozen=True)
class RowError:
    """A problem in one cell (row and column), one row, or the whole file (neither)."""

    message: str
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else ""
        if self.column:
            where = f"{where} {self.column}".strip()
        return f"{where}：{self.message}" if where else self.message
