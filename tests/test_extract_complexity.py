"""The extraction's rules stay readable: no function in luoshi/documents/extract ranks worse than C in radon."""

from pathlib import Path

from radon.complexity import cc_rank, cc_visit

import luoshi.documents.extract

EXTRACT = Path(luoshi.documents.extract.__file__).resolve().parent


def _functions(blocks):
    for block in blocks:
        yield block
        yield from _functions(getattr(block, "methods", []))
        yield from _functions(getattr(block, "closures", []))


def test_no_function_in_the_extraction_ranks_worse_than_c():
    worse = [
        f"{path.name}:{block.lineno} {block.fullname} {cc_rank(block.complexity)} ({block.complexity})"
        for path in sorted(EXTRACT.glob("*.py"))
        for block in _functions(cc_visit(path.read_text(encoding="utf-8")))
        if cc_rank(block.complexity) > "C"
    ]
    assert worse == [], "split these into named steps or rules (see target_rules.py):\n" + "\n".join(worse)
