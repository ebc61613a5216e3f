"""The Excel 任务分解表: read one into a task tree, and write a task tree back out as one.

- layout: the columns and the names users give them; limits.
- reader: the file → rows keyed by column (header found by text, merged cells filled).
- outline: rows → a tree of draft tasks (two title columns, merged cells, outline numbers).
- dates, matching: 完成时限 phrases; unit and person names.
- importer: check every row, then create the tasks in one transaction.
- export: a plan or subtree → a workbook in the same layout, set up for printing.
"""

from luoshi.documents.excel.errors import RowError, UnreadableTable
from luoshi.documents.excel.export import export_task_table, write_task_table
from luoshi.documents.excel.importer import ImportResult, import_task_table

__all__ = [
    "ImportResult",
    "RowError",
    "UnreadableTable",
    "export_task_table",
    "import_task_table",
    "write_task_table",
]
