"""The database settings Luoshi runs each engine with."""

import sqlite3

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

from luoshi.settings import database


def test_postgresql_connections_are_opened_with_jit_off():
    config = database("postgres://luoshi@db.example:5432/luoshi")
    assert config["OPTIONS"]["options"] == "-c jit=off"
    kept = database("postgres://luoshi@db.example:5432/luoshi?options=-c%20statement_timeout%3D5000")
    assert kept["OPTIONS"]["options"] == "-c statement_timeout=5000 -c jit=off"


def test_sqlite_takes_the_write_lock_at_begin():
    config = database("sqlite:////tmp/luoshi.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] == 20


def test_on_sqlite_a_report_being_saved_waits_for_no_page_being_read(tmp_path, django_db_blocker):
    """The database file is opened in WAL mode: a writer commits while a reader is in the middle of a
    read, and the reader goes on seeing what was there when it started (with the default rollback journal
    the commit would wait for the reader)."""
    path = tmp_path / "luoshi.sqlite3"
    wrapper = ConnectionHandler({"default": database(f"sqlite:///{path}")})["default"]
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("CREATE TABLE report (percent integer)")
            cursor.execute("INSERT INTO report VALUES (10)")
    finally:
        wrapper.close()
    reader = sqlite3.connect(path, timeout=0.5, isolation_level=None)
    writer = sqlite3.connect(path, timeout=0.5, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT percent FROM report").fetchall() == [(10,)]
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO report VALUES (20)")
    writer.execute("COMMIT")  # sqlite3.OperationalError: database is locked, in rollback-journal mode
    assert reader.execute("SELECT percent FROM report").fetchall() == [(10,)]
    reader.execute("COMMIT")
    assert reader.execute("SELECT percent FROM report ORDER BY percent").fetchall() == [(10,), (20,)]
    reader.close()
    writer.close()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL")
def test_the_apps_postgresql_connection_runs_without_jit(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
