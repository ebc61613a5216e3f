"""Precision and recall of the extraction against hand-written gold annotations.

    .venv/bin/python bench/extract_eval.py [--verbose] [--only NAME] [--traditional] [--rules]

For each text in bench/gold/*.json, prints P/R for:
- outline: a heading matches when its level and title are equal;
- targets: comparator, value, unit, year (and within_years) and kind must be equal, and one indicator
  name must contain the other;
- units: distinct unit names; roles: distinct (name, role) pairs, roles other than "mentioned".
Texts marked "held-out" in their gold file were not used to tune the rules; the totals are split so.
No known units are passed in: units are found by the rules alone.

A gold file's text is bench/corpus/<corpus>, or, with "source": "shared", <shared corpus>/<corpus>: the real
published documents kept outside the repository in ../shared/corpus (or $LUOSHI_SHARED_CORPUS), read at run
time and never copied in. A gold file with "aspects" (e.g. ["units", "roles"]) annotates only those. Gold holds only what a document sets; a past result proposed as a target (last
year's growth, the last five years' totals) matches nothing, so it counts against targets precision. A gold
"document_date" is compared with the proposal's document date (reported as date ok/wrong per text).

--rules adds, after the totals, which rule of luoshi/documents/extract/target_rules.py decided each
proposed target (with how many of those match gold), and how many other numbers each rule left out.

"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
SHARED_CORPUS = Path(os.environ.get("LUOSHI_SHARED_CORPUS") or ROOT.parent.parent / "shared" / "corpus")

import opencc  # noqa: E402

from luoshi.documents.extract import extract_file, extract_text, read_file  # noqa: E402
from luoshi.documents.extract.target_rules import DECISIONS, tracing  # noqa: E402

Score = tuple[int, int, int]  # matched, proposed, gold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss and false positive")
    parser.add_argument("--only", default="", help="only gold files whose name contains this")
    parser.add_argument(
        "--traditional",
        action="store_true",
        help="convert each text to traditional characters (OpenCC s2t) before extracting",
    )
    parser.add_argument(
        "--rules",
        action="store_true",
        help="after the totals, which rule decided each proposed target and how many matched gold",
    )
    args = parser.parse_args()
    totals: dict[str, dict[str, Counter]] = {}
    by_rule: dict[str, Counter] = {}
    print(f"{'text':34} {'split':9} {'aspect':8} {'P':>6} {'R':>6}  matched/proposed/gold")
    for gold_path in sorted((ROOT / "gold").glob(f"*{args.only}*.json" if args.only else "*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        folder = SHARED_CORPUS if gold.get("source") == "shared" else ROOT / "corpus"
        with tracing() as decided:
            if args.traditional:
                text = opencc.OpenCC("s2t").convert(read_file(folder / gold["corpus"]).text)
                extraction = extract_text(text)
            else:
                extraction = extract_file(folder / gold["corpus"])
        if "targets" in gold.get("aspects", ["targets"]):
            _tally_rules(gold, extraction, decided, by_rule)
        if "document_date" in gold:
            found = extraction.document_date and extraction.document_date.date
            print(
                f"{Path(gold['corpus']).name[:34]:34} {gold['split']:9} date     {'ok' if found == gold['document_date'] else 'WRONG'}"
                f"  {found} / {gold['document_date']}"
            )
        aspects = {"outline": _outline, "targets": _targets, "units": _units, "roles": _roles}
        scores = {
            aspect: score(gold, extraction, args.verbose)
            for aspect, score in aspects.items()
            if aspect in gold.get("aspects", aspects)
        }
        split = gold["split"]
        for aspect, score in scores.items():
            print(f"{Path(gold['corpus']).name[:34]:34} {split:9} {aspect:8} {_line(score)}")
            totals.setdefault(split, {}).setdefault(aspect, Counter()).update(
                {"matched": score[0], "proposed": score[1], "gold": score[2]}
            )
    print()
    print(
        "targets: value, unit, comparator, kind and year must all match gold; past results are not in gold,"
    )
    print("so each one proposed counts as a wrong target in P.")
    for split, aspects in sorted(totals.items()):
        for aspect, count in aspects.items():
            print(
                f"{'ALL ' + split:34} {split:9} {aspect:8} {_line((count['matched'], count['proposed'], count['gold']))}"
            )
    if args.rules:
        _print_rules(by_rule)


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


def _match_targets(gold: dict, extraction) -> tuple[list[dict], list]:
    """(gold targets missed, proposed targets matching none), each gold target taking the first proposal it matches."""
    unmatched = list(extraction.targets)
    missed = []
    for gold_target in gold["targets"]:
        match = next((t for t in unmatched if _target_matches(gold_target, t)), None)
        if match is None:
            missed.append(gold_target)
        else:
            unmatched.remove(match)
    return missed, unmatched


def _targets(gold: dict, extraction, verbose: bool) -> Score:
    missed, unmatched = _match_targets(gold, extraction)
    if verbose:
        for item in missed:
            print("   target missed:", item)
        for target in unmatched:
            print(
                "   target extra: ",
                target.indicator,
                target.comparator,
                target.value,
                target.unit,
                target.year,
                target.within_years,
                target.kind,
                "|",
                target.text,
            )
    matched = len(gold["targets"]) - len(missed)
    return matched, len(extraction.targets), len(gold["targets"])


def _tally_rules(gold: dict, extraction, decided: dict, by_rule: dict[str, Counter]) -> None:
    """Count, per deciding rule, the targets proposed, those matching gold, and the other numbers it decided."""
    _, unmatched = _match_targets(gold, extraction)
    wrong = {id(target) for target in unmatched}
    proposed = set()
    for target in extraction.targets:
        rule = decided.get(tuple(target.value_span), "?")
        proposed.add(tuple(target.value_span))
        by_rule.setdefault(rule, Counter()).update({"proposed": 1, "matched": id(target) not in wrong})
    for span, rule in decided.items():
        if span not in proposed:
            by_rule.setdefault(rule, Counter())["other"] += 1


def _print_rules(by_rule: dict[str, Counter]) -> None:
    keeps = {rule.name: rule.keeps for rule in DECISIONS}
    print()
    print(
        "Which rule decided each number (target_rules.py, in the order asked; skips first, then decisions)."
    )
    print("proposed: targets it kept that were proposed, matched: of those, matching gold; other: numbers it")
    print("left out, or kept but dropped later (in a review part, or left without a name).")
    print(f"{'rule':30} {'verdict':8} {'proposed':>8} {'matched':>8} {'P':>6} {'other':>7}")
    for rule, count in sorted(
        by_rule.items(), key=lambda item: (-item[1]["proposed"], -item[1]["other"], item[0])
    ):
        verdict = {True: "keeps", False: "leaves"}.get(
            keeps.get(rule), "keeps" if count["proposed"] else "leaves"
        )
        precision = f"{count['matched'] / count['proposed']:6.2f}" if count["proposed"] else "     -"
        print(
            f"{rule:30} {verdict:8} {count['proposed']:8} {count['matched']:8} {precision} {count['other']:7}"
        )


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
