import contextlib
import copy
import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from tests.cast import make_cast

#: The day the tests live on, unless a test moves the clock itself.
TODAY = dt.date(2026, 11, 27)

# In CI (CI=true) the property tests draw the same examples on every run, so a red run is red again when
# replayed and a green one is not red at random on someone else's change; at a desk they explore anew.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


#: A test that asks for one of these (itself or through its fixtures) reads or writes the configured database.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_setup",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def pytest_addoption(parser):
    parser.addoption(
        "--only-database-tests",
        action="store_true",
        help="run only the tests that use the configured database (CI's PostgreSQL pass: the others cannot "
        "reach it, pytest-django blocks them, and they ran in the SQLite pass)",
    )


def uses_the_database(item: pytest.Item) -> bool:
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))) or bool(
        item.get_closest_marker("django_db")
    )


def pytest_collection_modifyitems(config, items):
    if config.getoption("only_database_tests"):
        others = [item for item in items if not uses_the_database(item)]
        items[:] = [item for item in items if uses_the_database(item)]
        config.hook.pytest_deselected(items=others)


@pytest.fixture(autouse=True)
def _data_in_tmp(settings, tmp_path):
    """Each test its own data folder (where a restore raises the maintenance flag) and media folder,
    so tests running at the same time in other processes (pytest-xdist workers) never see them."""
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "media"


#: Passwords hashed in no time: the tests make hundreds of people.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def ten_o_clock(day: dt.date) -> dt.datetime:
    """The moment of `day` the tests' clock stands at."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


@pytest.fixture
def frozen_today(monkeypatch):
    """Pin luoshi's clock to TODAY at 10:00 local time; returns a setter to move it."""
    from luoshi.core import clock

    def set_day(day: dt.date) -> None:
        moment = ten_o_clock(day)
        monkeypatch.setattr(clock, "now", lambda: moment)

    set_day(TODAY)
    return set_day


@pytest.fixture
def cast(db, frozen_today):
    return make_cast()


Made = TypeVar("Made")


@contextlib.contextmanager
def made_once(django_db_blocker, folder: Path, make: Callable[[], Made]) -> Iterator[Made]:
    """Rows that many tests only start from, made once on TODAY (files in `folder`) for a module's or a class's
    tests, in a transaction rolled back after the last of them. Each test still rolls its own writes back (to a
    savepoint: pytest-django's `db`) and takes its copy with `copy_of`. Not for transactional tests."""
    moment = ten_o_clock(TODAY)
    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as patch,
        override_settings(
            MEDIA_ROOT=folder / "media", DATA_DIR=folder / "data", PASSWORD_HASHERS=FAST_PASSWORD_HASHERS
        ),
        transaction.atomic(),
    ):
        from luoshi.core import clock

        patch.setattr(clock, "now", lambda: moment)
        yield make()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def cast_made_once(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cast")
    with made_once(django_db_blocker, folder, make_cast) as made:
        yield folder, made


@pytest.fixture
def shared_cast(cast_made_once, db, frozen_today, settings, tmp_path):
    """The cast, made once for a module whose every test starts from it and none is transactional; such a
    module says so by defining `cast` as this (saves making it, 60 queries, for each test)."""
    folder, made = cast_made_once
    return copy_of(made, folder, settings, tmp_path)


def copy_of(made: Made, folder: Path, settings, tmp_path: Path) -> Made:
    """A test's own copy of what `made_once` made: the objects (a test may change them; the database rolls back,
    Python objects do not) and the files, in the test's own folders (a test may delete them)."""
    for name in ("media", "data"):
        if (folder / name).exists():
            shutil.copytree(folder / name, tmp_path / name, dirs_exist_ok=True)
    settings.MEDIA_ROOT, settings.DATA_DIR = tmp_path / "media", tmp_path / "data"
    return copy.deepcopy(made)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def _working_calendar():
    """Each test starts with no holiday year entered by the office, known without a query."""
    from luoshi.schedule import workdays

    workdays.use_office_entries()
    yield
    workdays.use_office_entries()


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """Every test starts in the product's default language, whatever the test before it did."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.deactivate()


@pytest.fixture
def scene(cast):
    """The demo-like scene of the page tests: the cast with tasks in every state (tests/browser/scene.py)."""
    from tests.browser.scene import make_scene

    return make_scene(cast)
