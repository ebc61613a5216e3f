"""The database settings Luoshi runs each engine with."""

import pytest
from django.db import connection

from luoshi.settings import database


def test_postgresql_connections_are_opened_with_jit_off():
    config = database("postgres://luoshi@db.example:5432/luoshi")
    assert config["OPTIONS"]["options"] == "-c jit=off"
    kept = database("postgres://luoshi@db.example:5432/luoshi?options=-c%20statement_timeout%3D5000")
    assert kept["OPTIONS"]["options"] == "-c statement_timeout=5000 -c jit=off"


def test_sqlite_takes_the_write_lock_at_begin():
    config = database("sqlite:////tmp/luoshi.sqlite3")
    assert config["OPTIONS"] == {"transaction_mode": "IMMEDIATE", "timeout": 20}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL")
def test_the_apps_postgresql_connection_runs_without_jit(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
