"""`luoshi backup FILE`: a consistent snapshot of the database and the evidence files, in one archive.

The archive is a .tar.gz holding
  luoshi-backup.json   what the archive is: format, version, database engine, when it was taken, every
                       table, and the size and SHA-256 of every other member (so a restore can verify it)
  db.sqlite3           the SQLite database, copied with SQLite's online backup API, or
  db.dump              the PostgreSQL database, from `pg_dump --format=custom`
  media/               the uploaded files (evidence), as they are under LUOSHI_DATA_DIR/media
`luoshi restore FILE` reads it back. The helpers here are shared with the restore command.
"""

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

MANIFEST = "luoshi-backup.json"
FORMAT = "luoshi-backup"
VERSION = 2  # 2: the manifest lists every member's checksum and every table
DB_MEMBER = {"sqlite": "db.sqlite3", "postgresql": "db.dump"}
MEDIA_MEMBER = "media"

ARCHIVE_HELP = (
    "The archive is a .tar.gz with luoshi-backup.json (what it is), the database (db.sqlite3 from SQLite's "
    "online backup API, or db.dump from pg_dump --format=custom) and media/ (the evidence files)."
)


def engine() -> str:
    """`sqlite` or `postgresql`; anything else has no backup support."""
    vendor = connection.vendor
    if vendor not in DB_MEMBER:
        raise CommandError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def pg_environment() -> dict[str, str]:
    """libpq's environment for the configured database, so no password appears on a command line."""
    config = connection.settings_dict
    env = dict(os.environ)
    for key, name in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if config.get(name):
            env[key] = str(config[name])
    options = config.get("OPTIONS") or {}
    for key, option in (("PGSSLMODE", "sslmode"), ("PGSSLROOTCERT", "sslrootcert")):
        if options.get(option):
            env[key] = str(options[option])
    return env


def run_pg_tool(argv: list[str]) -> None:
    """Run pg_dump or pg_restore; a failure becomes a readable CommandError."""
    if shutil.which(argv[0]) is None:
        raise CommandError(
            f"{argv[0]} is not installed or not on the PATH (Debian: apt-get install postgresql-client)."
        )
    done = subprocess.run(argv, env=pg_environment(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise CommandError(f"{argv[0]} failed: {done.stderr.strip() or done.stdout.strip()}")


def snapshot_database(target: Path) -> None:
    """Write a consistent copy of the live database to `target`, while others keep working."""
    if engine() == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            with copy:
                connection.connection.backup(copy)
            # The copy is one self-contained file (the live database keeps a write-ahead log beside it).
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    else:
        run_pg_tool(["pg_dump", "--format=custom", "--no-owner", f"--file={target}"])


def checksum(path: Path) -> dict:
    """Size and SHA-256 of a file, as the manifest lists them."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return {"size": path.stat().st_size, "sha256": digest.hexdigest()}


class _Hashing:
    """A file reader that hashes what it hands on, so a checksum is of the very bytes packed."""

    def __init__(self, stream) -> None:
        self.stream, self.digest = stream, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        return data


def pack_file(archive: tarfile.TarFile, path: Path, name: str, members: dict[str, dict]) -> None:
    """Add one file and note its size and SHA-256 for the manifest."""
    with path.open("rb") as stream:
        info = archive.gettarinfo(fileobj=stream, arcname=name)
        reader = _Hashing(stream)
        archive.addfile(info, reader)
    members[name] = {"size": info.size, "sha256": reader.digest.hexdigest()}


class Command(BaseCommand):
    help = "Take a backup of the database and the evidence files while Luoshi runs. " + ARCHIVE_HELP

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the archive to write, e.g. luoshi-2026-11-29.tar.gz")
        parser.add_argument("--force", action="store_true", help="replace FILE if it exists")

    def handle(self, *args, file: str, force: bool, **options) -> None:
        target = Path(file).expanduser().resolve()
        if target.is_dir():
            raise CommandError(f"{target} is a folder; give the name of the archive to write.")
        if target.exists() and not force:
            raise CommandError(f"{target} exists; choose another name or add --force to replace it.")
        if not target.parent.is_dir():
            raise CommandError(f"The folder {target.parent} does not exist.")
        vendor = engine()
        try:
            manifest = self.write(target, vendor)
        except (OSError, sqlite3.Error) as error:
            raise CommandError(f"Cannot write {target}: {error}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {target} ({vendor}, {manifest['media_files']} evidence files)."
            )
        )

    def write(self, target: Path, vendor: str) -> dict:
        """Snapshot, pack and move into place; returns the manifest."""
        media = Path(settings.MEDIA_ROOT)
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".luoshi-backup-") as work:
            database = Path(work) / DB_MEMBER[vendor]
            tables = sorted(connection.introspection.table_names())
            # The database first, then the files: a file is on disk before its row is committed, so
            # every evidence row in the snapshot finds its file in the copy taken after it.
            snapshot_database(database)
            members: dict[str, dict] = {}
            partial = Path(work) / "archive.tar.gz"
            now = int(dt.datetime.now(dt.UTC).timestamp())
            with tarfile.open(partial, "w:gz") as archive:
                pack_file(archive, database, database.name, members)
                folder = tarfile.TarInfo(MEDIA_MEMBER)
                folder.type, folder.mode, folder.mtime = tarfile.DIRTYPE, 0o700, now
                archive.addfile(folder)
                files = (
                    sorted(p for p in media.rglob("*") if p.is_file() and not p.is_symlink())
                    if media.is_dir()
                    else []
                )
                for path in files:
                    pack_file(archive, path, f"{MEDIA_MEMBER}/{path.relative_to(media).as_posix()}", members)
                # The manifest goes last: it lists what was packed, with the checksums taken while packing.
                manifest = {
                    "format": FORMAT,
                    "version": VERSION,
                    "database": vendor,
                    "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "media_files": len(files),
                    "tables": tables,
                    "members": members,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(data), now
                archive.addfile(info, io.BytesIO(data))
            partial.chmod(0o600)  # it holds every password hash and every evidence file
            os.replace(partial, target)  # whole or not at all: a reader never sees half an archive
        return manifest
