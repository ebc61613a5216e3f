"""`luoshi extract FILE`: prints the proposal as JSON (the documented schema) or as a table; saves nothing."""

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "corpus"


def run(*args: str) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("extract", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def documented_schema() -> dict:
    """The JSON Schema block of docs/extract-schema.md, so the test checks what the document promises."""
    markdown = (ROOT / "docs" / "extract-schema.md").read_text(encoding="utf-8")
    section = markdown.split("## JSON Schema", 1)[1]
    block = re.search(r"```json\n(.*?)\n```", section, re.DOTALL)
    assert block, "docs/extract-schema.md has no JSON Schema block"
    return json.loads(block.group(1))


@pytest.mark.parametrize(
    "name", ["sample_speech.txt", "city_digital_economy.txt", "county_business_climate.txt"]
)
def test_the_json_output_validates_against_the_documented_schema(name):
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    output, _ = run(str(CORPUS / name), "--format", "json")
    jsonschema_rs.validator_for(documented_schema()).validate(json.loads(output))


def test_every_span_in_the_json_points_at_the_text_it_stands_for():
    proposal = json.loads(run(str(CORPUS / "sample_speech.txt"))[0])
    text = proposal["text"]

    def at(span: list[int]) -> str:
        return text[span[0] : span[1]]

    assert all(at(h["title_span"]) == h["title"] for h in proposal["outline"])
    assert all(at(t["span"]) == t["text"] for t in proposal["targets"])
    assert all(at(k["span"]) == k["text"] for k in proposal["tasks"])
    assert all(at(m["span"]) == m["text"] for u in proposal["units"] for m in u["mentions"])
    assert at(next(t for t in proposal["targets"] if t["indicator"] == "港口吞吐量")["value_span"]) == "3亿吨"


def test_the_table_format_is_for_people():
    output, _ = run(str(CORPUS / "county_business_climate.txt"), "--format", "table")
    assert "指标目标（14）" in output
    assert "企业开办时间" in output and "≤" in output
    assert "县行政审批局" in output and "牵头" in output


def test_known_units_from_a_file_are_matched(tmp_path):
    units = tmp_path / "units.json"
    units.write_text(json.dumps([{"id": 4, "name": "财政局", "aliases": "财政分局, 财政"}]), encoding="utf-8")
    proposal = json.loads(run(str(CORPUS / "sample_speech.txt"), "--units", str(units))[0])
    finance = next(u for u in proposal["units"] if u["name"] == "财政局")
    assert (finance["known_unit"], finance["is_new"]) == (4, False)


def test_the_progress_bar_goes_to_stderr_when_asked_for():
    output, progress = run(str(CORPUS / "county_business_climate.txt"), "--progress")
    assert "100%" in progress and "#" in progress
    assert json.loads(output)["schema_version"] == 1


def test_no_progress_bar_when_stderr_is_not_a_terminal():
    _, progress = run(str(CORPUS / "county_business_climate.txt"))
    assert progress == ""


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.txt", "文件为空"),
        (b"\x00\x01\x02\xff" * 100, "blob.txt", "二进制"),
        (b"PK\x03\x04junk", "x.docx", "docx"),
    ],
)
def test_bad_input_stops_the_command_with_a_plain_message(tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(str(path))


def test_a_missing_file_is_reported():
    with pytest.raises(CommandError, match="找不到文件"):
        run("/nonexistent/plan.txt")


def test_the_command_line_exits_non_zero_on_bad_input(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "-m", "luoshi.cli", "extract", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode != 0
    assert "文件为空" in result.stderr
    assert result.stdout == ""
