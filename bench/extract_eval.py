"""Precision and recall of the extraction against hand-written gold annotations.

    .venv/bin/python bench/extract_eval.py [--verbose]

For each text in bench/gold/*.json (with its text in bench/corpus/), prints P/R for:
- outline: a heading matches when its level and title are equal;
- targets: comparator, value, unit, year (and within_years) and kind must be equal, and one indicator
  name must contain the other;
- units: distinct unit names; roles: distinct (name, role) pairs, roles other than "mentioned".
Texts marked "held-out" in their gold file were not used to tune the rules; the totals are split so.
No known units are passed in: units are found by the rules alone.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from luoshi.documents.extract import extract_file  # noqa: E402

Score = tuple[int, int, int]  # matched, proposed, gold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss and false positive")
    args = parser.parse_args()
    totals: dict[str, dict[str, Counter]] = {}
    print(f"{'text':34} {'split':9} {'aspect':8} {'P':>6} {'R':>6}  matched/proposed/gold")
    for gold_path in sorted((ROOT / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        extraction = extract_file(ROOT / "corpus" / gold["corpus"])
        scores = {
            "outline": _outline(gold, extraction, args.verbose),
            "targets": _targets(gold, extraction, args.verbose),
            "units": _units(gold, extraction, args.verbose),
            "roles": _roles(gold, extraction, args.verbose),
        }
        split = gold["split"]
        for aspect, score in scores.items():
            print(f"{gold['corpus'][:34]:34} {split:9} {aspect:8} {_line(score)}")
            totals.setdefault(split, {}).setdefault(aspect, Counter()).update(
                {"matched": score[0], "proposed": score[1], "gold": score[2]}
            )
    print()
    for split, aspects in sorted(totals.items()):
        for aspect, count in aspects.items():
            print(f"{'ALL ' + split:34} {split:9} {aspect:8} {_line((count['matched'], count['proposed'], count['gold']))}")


def _line(score: Score) -> str:
    matched, proposed, gold = score
    precision = matched / proposed if proposed else 1.0
    recall = matched / gold if gold else 1.0
    return f"{precision:6.2f} {recall:6.2f}  {matched}/{proposed}/{gold}"


def _outline(gold: dict, extraction, verbose: bool) -> Score:
    expected = Counter((h["level"], h["title"]) for h in gold["outline"])
    proposed = Counter((h.level, h.title) for h in extraction.outline)
    matched = sum((expected & proposed).values())
    if verbose:
        for item in expected - proposed:
            print("   outline missed:", item)
        for item in proposed - expected:
            print("   outline extra: ", item)
    return matched, sum(proposed.values()), sum(expected.values())


def _target_matches(gold_target: dict, target) -> bool:
    same_value = math.isclose(float(gold_target["value"]), float(target.value), rel_tol=1e-9)
    names = gold_target["indicator"], target.indicator
    return (
        same_value
        and gold_target["comparator"] == target.comparator
        and gold_target["unit"] == target.unit
        and gold_target["year"] == target.year
        and gold_target.get("within_years") == target.within_years
        and gold_target["kind"] == target.kind
        and bool(target.indicator)
        and (names[0] in names[1] or names[1] in names[0])
    )


def _targets(gold: dict, extraction, verbose: bool) -> Score:
    unmatched = list(extraction.targets)
    missed = []
    for gold_target in gold["targets"]:
        match = next((t for t in unmatched if _target_matches(gold_target, t)), None)
        if match is None:
            missed.append(gold_target)
        else:
            unmatched.remove(match)
    if verbose:
        for item in missed:
            print("   target missed:", item)
        for target in unmatched:
            print("   target extra: ", target.indicator, target.comparator, target.value, target.unit, target.year,
                  target.within_years, target.kind, "|", target.text)
    matched = len(gold["targets"]) - len(missed)
    return matched, len(extraction.targets), len(gold["targets"])


def _units(gold: dict, extraction, verbose: bool) -> Score:
    expected = {u["name"] for u in gold["units"]}
    proposed = {u.name for u in extraction.units}
    if verbose:
        for name in sorted(expected - proposed):
            print("   unit missed:", name)
        for name in sorted(proposed - expected):
            print("   unit extra: ", name)
    return len(expected & proposed), len(proposed), len(expected)


def _roles(gold: dict, extraction, verbose: bool) -> Score:
    expected = {(u["name"], role) for u in gold["units"] for role in u["roles"]}
    proposed = {(u.name, role) for u in extraction.units for role in u.roles if role != "mentioned"}
    if verbose:
        for pair in sorted(expected - proposed):
            print("   role missed:", pair)
        for pair in sorted(proposed - expected):
            print("   role extra: ", pair)
    return len(expected & proposed), len(proposed), len(expected)


if __name__ == "__main__":
    main()
