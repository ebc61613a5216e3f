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
    return {name for path in (ROOT / folder).rglob("*.py") for name in READ.findall(path.read_text(encoding="utf-8"))}


def documented_in(readme: str) -> set[str]:
    return set(re.findall(r"^\| `(LUOSHI_[A-Z0-9_]+)`", (ROOT / readme).read_text(encoding="utf-8"), re.M))


def test_the_readme_lists_every_variable_the_product_reads_and_no_other():
    read, documented = read_in("luoshi"), documented_in("README.md")
    assert read, "the pattern finds the settings' own reads"
    assert read - documented == set(), "read but not in the README's configuration table"
    assert documented - read == set(), "in the README's table but read nowhere"


def test_the_benchmarks_readme_names_every_variable_the_benchmarks_read():
    text = (ROOT / "bench" / "README.md").read_text(encoding="utf-8")
    assert {name for name in read_in("bench") if name not in text} == set()


@pytest.mark.parametrize(("variable", "value", "says"), [
    ("LUOSHI_SESSION_IDLE_MINUTES", "half an hour", "is not a whole number"),
    ("LUOSHI_EMAIL_PORT", "0", "is too small: it must be at least 1"),
    ("LUOSHI_DEBUG", "maybe", "is not a boolean"),
    ("LUOSHI_TIME_ZONE", "Beijing", "is not a time zone"),
    ("LUOSHI_LOG_LEVEL", "loud", "is not one of"),
])
def test_a_wrong_value_stops_the_command_with_one_line_naming_the_variable(variable, value, says, tmp_path):
    env = {**os.environ, "LUOSHI_DATA_DIR": str(tmp_path), variable: value}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run([sys.executable, "-m", "luoshi.cli", "check"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode != 0
    assert f"luoshi: {variable}={value!r} {says}" in done.stderr
    assert "Traceback" not in done.stderr
