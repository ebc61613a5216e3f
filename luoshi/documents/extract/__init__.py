"""Extraction of a proposed task tree from a Chinese policy text (实施方案): pure Python, nothing saved.

The pipeline's named steps, each usable and testable alone:
normalise → find_outline → find_targets / find_table_targets → find_unit_names + to_mentions → find_tasks.
"""

from .normalise import normalise
from .outline import find_outline
from .pipeline import extract_document, extract_file, extract_text, propose_units
from .proposal import Extraction
from .reading import InputRejected, read_bytes, read_file, read_pasted
from .target_table import find_table_targets
from .targets import find_targets
from .tasks import find_tasks
from .text import prepare
from .units import KnownUnit, find_unit_names, to_mentions

__all__ = [
    "Extraction",
    "InputRejected",
    "KnownUnit",
    "extract_document",
    "extract_file",
    "extract_text",
    "find_outline",
    "find_table_targets",
    "find_targets",
    "find_tasks",
    "find_unit_names",
    "normalise",
    "prepare",
    "propose_units",
    "read_bytes",
    "read_file",
    "read_pasted",
    "to_mentions",
]
