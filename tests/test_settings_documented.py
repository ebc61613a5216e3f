"""Every setting a newcomer can change is in the README's table, and a wrong value says which and how."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: An environment variable read by name: env_str("LUOSHI_X", …), os.environ.get("LUOSHI_X"), os.environ["LUOSHI_X"].
READ = re.compile(r"""(?:env_\w+\(|environ\.get\(|environ\[|getenv\()\s*["'](LUOSHI_[A-Z0-9_]+)["']""")


def read_in(folder: str) -> set[str]:
    return {
        name
        for path in (ROOT / folder).rglob("*.py")
        for name in READ.findall(path.read_text(encoding="utf-8"))
    }


def table_rows(readme: str) -> set[str]:
    """The variables that head a row of the README's configuration table."""
    return set(re.findall(r"^\| `(LUOSHI_[A-Z0-9_]+)`", (ROOT / readme).read_text(encoding="utf-8"), re.M))


def named_in_docs() -> set[str]:
    """Every variable named in code font in the README or a page of docs/ (a family of settings, such as
    single sign-on's, has its row in the README and its details on its own page)."""
    pages = [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
    return {
        name
        for page in pages
        for name in re.findall(r"`(LUOSHI_[A-Z0-9_]+)", page.read_text(encoding="utf-8"))
    }


def test_the_readme_lists_every_variable_the_product_reads_and_no_other():
    read = read_in("luoshi")
    assert read, "the pattern finds the settings' own reads"
    assert read - named_in_docs() == set(), "read but documented nowhere"
    assert table_rows("README.md") - read == set(), "in the README's table but read nowhere"


def test_the_benchmarks_readme_names_every_variable_the_benchmarks_read():
    text = (ROOT / "bench" / "README.md").read_text(encoding="utf-8")
    assert {name for name in read_in("bench") if name not in text} == set()


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("LUOSHI_SESSION_IDLE_MINUTES", "half an hour", "is not a whole number"),
        ("LUOSHI_EMAIL_PORT", "0", "is too small: it must be at least 1"),
        ("LUOSHI_DEBUG", "maybe", "is not a boolean"),
        ("LUOSHI_TIME_ZONE", "Beijing", "is not a time zone"),
        ("LUOSHI_LOG_LEVEL", "loud", "is not one of"),
    ],
)
def test_a_wrong_value_stops_the_command_with_one_line_naming_the_variable(variable, value, says, tmp_path):
    env = {**os.environ, "LUOSHI_DATA_DIR": str(tmp_path), variable: value}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "luoshi.cli", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert f"luoshi: {variable}={value!r} {says}" in done.stderr
    assert "Traceback" not in done.stderr
