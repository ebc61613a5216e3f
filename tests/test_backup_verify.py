"""A restore verifies the whole archive before it touches anything, and the site waits while it runs."""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from luoshi.core.management.commands import restore as restore_command
from luoshi.core.management.commands.backup import checksum
from luoshi.orgs.models import Unit
from luoshi.progress.models import Evidence
from tests.test_cli import backup, filled, restore  # noqa: F401  (the fixture is used by name)


def unpacked(archive_path: Path, folder: Path) -> dict:
    with tarfile.open(archive_path) as archive:
        archive.extractall(folder, filter="data")
    return json.loads((folder / "luoshi-backup.json").read_text())


def repacked(folder: Path, target: Path, manifest: dict, *, media_as_file: bool = False) -> Path:
    """Pack `folder` again with `manifest`, the checksums recomputed so only the planted flaw remains."""
    members = {
        p.relative_to(folder).as_posix(): checksum(p)
        for p in folder.rglob("*")
        if p.is_file() and p.name != "luoshi-backup.json"
    }
    manifest = {**manifest, "members": members}
    (folder / "luoshi-backup.json").write_text(json.dumps(manifest))
    with tarfile.open(target, "w:gz") as archive:
        for path in sorted(folder.iterdir()):
            if media_as_file and path.name == "media":
                archive.add(folder / "luoshi-backup.json", arcname="media")
                continue
            archive.add(path, arcname=path.name)
    return target


def live_state(cast) -> tuple[str, bytes]:
    evidence = Evidence.objects.get()
    return Unit.objects.get(pk=cast.caizheng.pk).name, (
        Path(settings.MEDIA_ROOT) / evidence.file.name
    ).read_bytes()


@pytest.fixture
def archive(filled, tmp_path):  # noqa: F811
    path = tmp_path / "luoshi.tar.gz"
    backup(path)
    Unit.objects.filter(pk=filled.caizheng.pk).update(name="财政金融局")  # a change the restore would undo
    return path


def assert_untouched(cast, before: tuple[str, bytes]) -> None:
    assert live_state(cast) == before
    assert not (Path(settings.DATA_DIR) / "maintenance").exists()


def test_a_backup_with_flipped_bytes_is_refused_and_nothing_changes(filled, archive, tmp_path):  # noqa: F811
    before = live_state(filled)
    data = bytearray(archive.read_bytes())
    middle = len(data) // 2
    for offset in range(100):
        data[middle + offset] ^= 0xFF
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(bytes(data))
    with pytest.raises(CommandError, match=r"damaged|does not match"):
        restore(damaged, "--yes")
    assert_untouched(filled, before)


def test_a_member_changed_after_the_backup_fails_its_checksum(filled, archive, tmp_path):  # noqa: F811
    before = live_state(filled)
    folder = tmp_path / "x"
    manifest = unpacked(archive, folder)
    evidence = next(p for p in (folder / "media").rglob("*") if p.is_file())
    evidence.write_bytes(evidence.read_bytes()[:-1] + b"!")
    (folder / "luoshi-backup.json").write_text(json.dumps(manifest))
    changed = tmp_path / "changed.tar.gz"
    with tarfile.open(changed, "w:gz") as out:
        for path in sorted(folder.iterdir()):
            out.add(path, arcname=path.name)
    with pytest.raises(CommandError, match="fail their checksum"):
        restore(changed, "--yes")
    assert_untouched(filled, before)


def test_an_archive_whose_media_entry_is_a_file_is_refused(filled, archive, tmp_path):  # noqa: F811
    before = live_state(filled)
    folder = tmp_path / "x"
    manifest = unpacked(archive, folder)
    planted = repacked(folder, tmp_path / "planted.tar.gz", manifest, media_as_file=True)
    with pytest.raises(CommandError, match=r"media is not a folder|does not match"):
        restore(planted, "--yes")
    assert_untouched(filled, before)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="edits the SQLite file inside the backup")
def test_a_backup_missing_a_table_is_refused(filled, archive, tmp_path):  # noqa: F811
    before = live_state(filled)
    folder = tmp_path / "x"
    manifest = unpacked(archive, folder)
    db = sqlite3.connect(folder / "db.sqlite3")
    db.execute("DROP TABLE indicators_indicatoractual")
    db.commit()
    db.close()
    planted = repacked(folder, tmp_path / "planted.tar.gz", manifest)
    with pytest.raises(CommandError, match=r"lacks 1 table.*indicators_indicatoractual"):
        restore(planted, "--yes")
    assert_untouched(filled, before)


def test_a_truncated_archive_gets_a_message_not_a_traceback(filled, archive, tmp_path):  # noqa: F811
    before = live_state(filled)
    for share in (0.3, 0.9):
        truncated = tmp_path / f"truncated-{share}.tar.gz"
        truncated.write_bytes(archive.read_bytes()[: int(archive.stat().st_size * share)])
        with pytest.raises(CommandError, match=r"damaged or incomplete|not a Luoshi backup"):
            restore(truncated, "--yes")
    assert_untouched(filled, before)
    env = {**os.environ, "LUOSHI_DATA_DIR": str(tmp_path / "other")}
    if connection.vendor == "postgresql":
        env["LUOSHI_DATABASE_URL"] = os.environ.get("LUOSHI_DATABASE_URL", "")
    done = subprocess.run(
        [sys.executable, "-m", "luoshi.cli", "restore", str(truncated), "--yes"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr and "damaged or incomplete" in done.stderr


def test_the_site_answers_503_while_a_restore_runs_and_normally_afterwards(filled, archive, monkeypatch):  # noqa: F811
    seen = {}
    replace_media = restore_command.replace_media

    def replace_and_look(extracted):
        client = Client()
        client.force_login(filled.supervisor)
        page, api = client.get("/tasks/"), client.get("/api/tasks")
        seen.update(page=page.status_code, api=api.status_code, body=api.json(), retry=api["Retry-After"])
        replace_media(extracted)

    monkeypatch.setattr(restore_command, "replace_media", replace_and_look)
    call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert seen["page"] == 503 and seen["api"] == 503 and seen["retry"] == "60"
    assert "恢复备份" in seen["body"]["detail"]
    client = Client()
    client.force_login(filled.supervisor)
    assert client.get("/tasks/").status_code == 200
    assert Unit.objects.get(pk=filled.caizheng.pk).name == "财政局"  # the restore itself went through


def test_the_worker_sends_nothing_while_a_restore_runs(cast):
    from luoshi.core.maintenance import maintenance
    from luoshi.reminders.models import Reminder
    from luoshi.supervision.jobs import periodic_scan, send_reminders

    with maintenance():
        assert periodic_scan.call() == {"paused_for_restore": 1}
        assert send_reminders.call() == {"paused_for_restore": 1}
        assert not Reminder.objects.exists()
    assert "paused_for_restore" not in periodic_scan.call()


def format_1(archive_path: Path, tmp_path: Path, *, extra: str = "") -> Path:
    """The same backup as an older Luoshi wrote it: a manifest of format version 1, no checksums, no tables."""
    folder = tmp_path / "v1"
    manifest = unpacked(archive_path, folder)
    old = {key: manifest[key] for key in ("format", "database", "created_at", "media_files")}
    (folder / "luoshi-backup.json").write_text(json.dumps({**old, "version": 1}))
    if extra:
        (folder / extra).write_text("not part of a backup")
    target = tmp_path / "v1.tar.gz"
    with tarfile.open(target, "w:gz") as packed:
        for path in sorted(folder.iterdir()):
            packed.add(path, arcname=path.name)
    return target


def test_a_format_1_backup_is_refused_with_a_message_that_says_how_to_go_on(filled, archive, tmp_path):  # noqa: F811
    before = live_state(filled)
    with pytest.raises(
        CommandError, match=r"format 1.*no checksums.*--allow-v1.*Luoshi version that made it"
    ):
        restore(format_1(archive, tmp_path), "--yes")
    assert_untouched(filled, before)


def test_a_format_1_backup_is_restored_with_allow_v1_after_the_checks_it_allows_and_a_warning(
    filled,  # noqa: F811
    archive,
    tmp_path,
):
    err = io.StringIO()
    call_command(
        "restore", str(format_1(archive, tmp_path)), "--yes", "--allow-v1", stdout=io.StringIO(), stderr=err
    )
    assert "format 1 without checksums" in err.getvalue()
    name, evidence = live_state(filled)
    assert name == "财政局" and evidence  # the backup's unit name and its evidence file are back
    assert not (Path(settings.DATA_DIR) / "maintenance").exists()


def test_a_format_1_backup_with_foreign_files_or_a_broken_database_is_refused_even_with_allow_v1(
    filled,  # noqa: F811
    archive,
    tmp_path,
):
    before = live_state(filled)
    with pytest.raises(CommandError, match=r"holds files a Luoshi backup does not \(notes.txt\)"):
        restore(format_1(archive, tmp_path / "a", extra="notes.txt"), "--yes", "--allow-v1")
    broken = tmp_path / "b"
    folder = broken / "v1"
    unpacked(archive, folder)
    if connection.vendor == "sqlite":
        database = folder / "db.sqlite3"
        db = sqlite3.connect(database)
        db.execute("DROP TABLE plans_task")
        db.commit()
        db.close()
        manifest = json.loads((folder / "luoshi-backup.json").read_text())
        (folder / "luoshi-backup.json").write_text(json.dumps({**manifest, "version": 1}))
        target = broken / "broken.tar.gz"
        with tarfile.open(target, "w:gz") as packed:
            for path in sorted(folder.iterdir()):
                packed.add(path, arcname=path.name)
        with pytest.raises(CommandError, match=r"plans_task"):
            restore(target, "--yes", "--allow-v1")
    assert_untouched(filled, before)
