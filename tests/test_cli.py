"""The command line: `luoshi createuser`, and `luoshi backup` / `luoshi restore` round trips."""

import io
import json
import os
import sqlite3
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.http import HttpRequest

from luoshi.core.management.commands.backup import checksum
from luoshi.orgs.models import Person, Role, Unit
from luoshi.plans.models import Task
from luoshi.progress.actions import report_progress
from luoshi.progress.models import Evidence
from tests.cast import make_cast

STRONG = "Qiang-mima-2026!"


def createuser(*args: str, stdin: str | None = None, monkeypatch=None) -> str:
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command("createuser", *args, stdout=out)
    return out.getvalue()


# -- createuser ----------------------------------------------------------------------------------


def test_createuser_makes_a_person_who_can_log_in(cast, client):
    out = createuser(
        "wang", "--role", "staff", "--unit", "财政局", "--full-name", "王五", "--password", STRONG
    )
    assert "wang" in out
    wang = Person.objects.get(username="wang")
    assert (wang.role, wang.unit, wang.full_name) == (Role.STAFF, cast.caizheng, "王五")
    assert client.login(request=HttpRequest(), username="wang", password=STRONG)


def test_createuser_reads_the_password_from_stdin(cast, monkeypatch):
    createuser(
        "li",
        "--role",
        "manager",
        "--unit",
        "经发局",
        "--password-stdin",
        stdin=STRONG + "\n",
        monkeypatch=monkeypatch,
    )
    assert Person.objects.get(username="li").check_password(STRONG)


def test_createuser_finds_a_unit_by_its_alias(cast):
    createuser("zhao", "--role", "staff", "--unit", "经济发展局", "--password", STRONG)
    assert Person.objects.get(username="zhao").unit == cast.jingfa


def test_createuser_makes_an_admin_a_superuser(cast):
    createuser("root2", "--role", "admin", "--password", STRONG)
    root = Person.objects.get(username="root2")
    assert root.is_superuser and root.is_staff


def test_createuser_refuses_an_unknown_role(cast):
    with pytest.raises(CommandError, match=r"Unknown role “boss”.*supervisor"):
        createuser("x", "--role", "boss", "--unit", "财政局", "--password", STRONG)
    assert not Person.objects.filter(username="x").exists()


def test_createuser_refuses_an_unknown_unit(cast):
    with pytest.raises(CommandError, match="No unit is called “税务局”"):
        createuser("x", "--role", "staff", "--unit", "税务局", "--password", STRONG)


def test_createuser_refuses_unit_staff_without_a_unit(cast):
    with pytest.raises(CommandError, match="give --unit"):
        createuser("x", "--role", "manager", "--password", STRONG)


def test_createuser_refuses_a_taken_username(cast):
    with pytest.raises(CommandError, match="already exists"):
        createuser("supervisor", "--role", "viewer", "--password", STRONG)


def test_createuser_refuses_a_weak_password(cast):
    with pytest.raises(CommandError, match="not accepted"):
        createuser("x", "--role", "viewer", "--password", "123")
    assert not Person.objects.filter(username="x").exists()


def test_createuser_without_a_password_source_or_terminal_is_refused(cast, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="No password"):
        createuser("x", "--role", "viewer")


# -- serve ---------------------------------------------------------------------------------------


def test_serve_runs_gunicorn_workers_sized_to_the_machine(monkeypatch, settings, tmp_path):
    from luoshi.core.management.commands import serve

    settings.STATIC_ROOT = tmp_path / "static"
    served = {}
    monkeypatch.setattr(serve.Gunicorn, "run", lambda self: served.update(app=self.load(), **self.options))
    call_command("serve", "--port", "8123", "--threads", "4", stdout=io.StringIO())
    assert (served["bind"], served["threads"], served["worker_class"]) == ("127.0.0.1:8123", 4, "gthread")
    assert served["workers"] == min(2 * (os.cpu_count() or 1) + 1, 9) and served["workers"] > 1
    assert served["forwarded_allow_ips"] == "127.0.0.1,::1"
    # One request per connection: gthread's keep-alive timer reset connections under load (bench/README.md).
    assert served["keepalive"] == 0
    assert callable(served["app"])


def test_serve_refuses_a_port_out_of_range():
    with pytest.raises(CommandError, match="not a TCP port"):
        call_command("serve", "--port", "70000", stdout=io.StringIO())


# -- backup and restore --------------------------------------------------------------------------


def evidence_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("请示.txt", "关于集装箱航线补贴的请示".encode(), content_type="text/plain")


@pytest.fixture
def filled(transactional_db, frozen_today):
    """The cast with one report and its evidence file, committed (backups read committed data)."""
    cast = make_cast()
    report_progress(
        cast.caizheng_staff, cast.measure, percent=40, narrative="已起草请示", files=[evidence_file()]
    )
    return cast


def backup(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("backup", str(path), *args, stdout=out)
    return out.getvalue()


def restore(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("restore", str(path), *args, stdout=out)
    return out.getvalue()


def test_an_archive_holds_a_manifest_the_database_and_the_evidence(filled, tmp_path):
    archive_path = tmp_path / "luoshi.tar.gz"
    backup(archive_path)
    evidence = Evidence.objects.get()
    with tarfile.open(archive_path) as archive:
        names = archive.getnames()
        manifest = json.loads(archive.extractfile("luoshi-backup.json").read())
    assert manifest["format"] == "luoshi-backup" and manifest["database"] == connection.vendor
    assert f"media/{evidence.file.name}" in names
    assert ("db.sqlite3" if connection.vendor == "sqlite" else "db.dump") in names


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite backup")
def test_sqlite_restore_brings_back_data_and_evidence_changed_after_the_backup(filled, tmp_path):
    archive_path = tmp_path / "luoshi.tar.gz"
    backup(archive_path)
    evidence = Evidence.objects.get()
    stored = Path(settings.MEDIA_ROOT) / evidence.file.name
    content = stored.read_bytes()

    Unit.objects.filter(pk=filled.caizheng.pk).update(name="财政金融局")
    Task.objects.filter(pk=filled.jingfa_task.pk).delete()
    Unit.objects.create(name="新设单位")
    stored.unlink()
    (Path(settings.MEDIA_ROOT) / "stray.txt").write_text("made after the backup")

    out = restore(archive_path, "--yes")

    assert "Restored" in out
    assert Unit.objects.get(pk=filled.caizheng.pk).name == "财政局"
    assert Task.objects.filter(pk=filled.jingfa_task.pk).exists()
    assert not Unit.objects.filter(name="新设单位").exists()
    assert stored.read_bytes() == content
    assert not (Path(settings.MEDIA_ROOT) / "stray.txt").exists()


def test_backup_will_not_overwrite_a_file_without_force(filled, tmp_path):
    target = tmp_path / "luoshi.tar.gz"
    target.write_text("keep me")
    with pytest.raises(CommandError, match="--force"):
        backup(target)
    assert target.read_text() == "keep me"
    backup(target, "--force")
    assert tarfile.is_tarfile(target)


def test_restore_refuses_a_missing_file(filled, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        restore(tmp_path / "nothing.tar.gz", "--yes")


def test_restore_refuses_a_file_that_is_not_an_archive(filled, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("这不是备份")
    with pytest.raises(CommandError, match="not a Luoshi backup"):
        restore(junk, "--yes")
    assert Unit.objects.filter(pk=filled.caizheng.pk).exists()


def test_restore_refuses_an_archive_without_a_manifest(filled, tmp_path):
    path = tmp_path / "other.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        data = b"hello"
        info = tarfile.TarInfo("readme.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match=r"no luoshi-backup\.json"):
        restore(path, "--yes")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite backup")
def test_restore_refuses_a_sqlite_database_without_luoshis_tables(filled, tmp_path):
    foreign = tmp_path / "db.sqlite3"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE notes (body TEXT)")
    db.commit()
    db.close()
    path = tmp_path / "foreign.tar.gz"
    manifest = json.dumps(
        {
            "format": "luoshi-backup",
            "version": 2,
            "database": "sqlite",
            "tables": [],
            "members": {"db.sqlite3": checksum(foreign)},
        }
    ).encode()
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("luoshi-backup.json")
        info.size = len(manifest)
        archive.addfile(info, io.BytesIO(manifest))
        archive.add(foreign, arcname="db.sqlite3")
    with pytest.raises(CommandError, match="not a Luoshi database"):
        restore(path, "--yes")
    assert Unit.objects.filter(pk=filled.caizheng.pk).exists()


def test_restore_asks_before_replacing_everything(filled, tmp_path, monkeypatch):
    archive_path = tmp_path / "luoshi.tar.gz"
    backup(archive_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: nobody to ask
    with pytest.raises(CommandError, match="--yes"):
        restore(archive_path)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (pg_dump, pg_restore)")
def test_postgresql_restore_brings_back_data_and_evidence_changed_after_the_backup(filled, tmp_path):
    archive_path = tmp_path / "luoshi.tar.gz"
    backup(archive_path)
    with tarfile.open(archive_path) as archive:
        assert "db.dump" in archive.getnames()
    evidence = Evidence.objects.get()
    stored = Path(settings.MEDIA_ROOT) / evidence.file.name
    content = stored.read_bytes()

    Unit.objects.filter(pk=filled.caizheng.pk).update(name="财政金融局")
    Task.objects.filter(pk=filled.jingfa_task.pk).delete()
    Unit.objects.create(name="新设单位")
    stored.unlink()

    restore(archive_path, "--yes")

    assert Unit.objects.get(pk=filled.caizheng.pk).name == "财政局"
    assert Task.objects.filter(pk=filled.jingfa_task.pk).exists()
    assert not Unit.objects.filter(name="新设单位").exists()
    assert stored.read_bytes() == content
