"""`luoshi restore FILE`: put a backup taken by `luoshi backup` back in place of the current data."""

import json
import shutil
import sqlite3
import sys
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from luoshi.core.management.commands.backup import (
    ARCHIVE_HELP,
    DB_MEMBER,
    FORMAT,
    MANIFEST,
    MEDIA_MEMBER,
    VERSION,
    engine,
    run_pg_tool,
)

#: Tables a SQLite file must have to be taken for a Luoshi database.
LUOSHI_TABLES = {"django_migrations", "orgs_unit", "orgs_person", "plans_plan", "plans_task", "progress_progressreport"}
SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


def read_manifest(archive: tarfile.TarFile, path: Path) -> dict:
    try:
        member = archive.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise CommandError(f"{path} is not a Luoshi backup: it has no {MANIFEST}.")
    try:
        manifest = json.loads(member.read())
    except ValueError:
        raise CommandError(f"{path} is not a Luoshi backup: {MANIFEST} is not valid JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise CommandError(f"{path} is not a Luoshi backup: {MANIFEST} does not describe one.")
    if manifest.get("version") != VERSION:
        raise CommandError(f"{path} is a Luoshi backup of format version {manifest.get('version')}; "
                           f"this Luoshi reads version {VERSION}.")
    return manifest


def check_sqlite_file(path: Path) -> None:
    """Refuse anything but a sound SQLite database with Luoshi's tables."""
    with path.open("rb") as f:
        if f.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise CommandError("The backup's db.sqlite3 is not a SQLite database.")
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            (verdict,) = db.execute("PRAGMA quick_check").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError as error:
        raise CommandError(f"The backup's db.sqlite3 cannot be read: {error}.") from None
    missing = LUOSHI_TABLES - tables
    if missing:
        raise CommandError(f"The backup's db.sqlite3 is not a Luoshi database (no {', '.join(sorted(missing))}).")
    if verdict != "ok":
        raise CommandError(f"The backup's db.sqlite3 is damaged: {verdict}.")


def restore_sqlite(path: Path) -> None:
    """Copy the backup into the live database with SQLite's backup API; open connections see the result."""
    if connection.in_atomic_block:
        raise CommandError("Cannot restore inside a transaction.")
    connection.ensure_connection()
    source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def restore_postgresql(path: Path) -> None:
    with path.open("rb") as f:
        if f.read(len(PG_DUMP_HEADER)) != PG_DUMP_HEADER:
            raise CommandError("The backup's db.dump is not a pg_dump custom-format file.")
    connection.close()  # our own session must not hold locks on the tables being replaced
    run_pg_tool(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                 f"--dbname={connection.settings_dict['NAME']}", str(path)])


def replace_media(extracted: Path | None) -> None:
    """Swap the media folder for the backup's; the old one is removed only once the new one is in place."""
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(dir=media.parent, prefix=".media-restoring-"))
    if extracted is not None and extracted.is_dir():
        incoming.rmdir()
        shutil.move(str(extracted), incoming)
    outgoing = media.parent / f".media-replaced-{incoming.name}"
    if media.exists():
        media.rename(outgoing)
    incoming.rename(media)
    shutil.rmtree(outgoing, ignore_errors=True)


class Command(BaseCommand):
    help = (
        "Replace the database and the evidence files with a backup made by `luoshi backup`. "
        + ARCHIVE_HELP
        + " Asks for confirmation unless --yes is given; afterwards, migrations are applied if the backup is older."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the archive written by `luoshi backup`")
        parser.add_argument("--yes", action="store_true", help="replace the current data without asking")

    def handle(self, *args, file: str, yes: bool, **options) -> None:
        path = Path(file).expanduser().resolve()
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        vendor = engine()
        if not tarfile.is_tarfile(path):
            raise CommandError(f"{path} is not a Luoshi backup (not a tar archive).")
        # Unpack next to the media folder, so that putting the files in place is a rename.
        beside_media = Path(settings.MEDIA_ROOT).parent
        beside_media.mkdir(parents=True, exist_ok=True)
        with tarfile.open(path, "r:*") as archive, tempfile.TemporaryDirectory(
            prefix=".luoshi-restore-", dir=beside_media
        ) as work:
            manifest = read_manifest(archive, path)
            if manifest.get("database") != vendor:
                raise CommandError(
                    f"This backup holds a {manifest.get('database')} database; the configured database is {vendor}.")
            self.confirm(path, manifest, yes)
            try:
                archive.extractall(work, filter="data")  # refuses absolute paths, links out and devices
            except (tarfile.TarError, OSError) as error:
                raise CommandError(f"{path} cannot be unpacked: {error}") from None
            database = Path(work) / DB_MEMBER[vendor]
            if not database.is_file():
                raise CommandError(f"{path} is not a complete Luoshi backup: it has no {DB_MEMBER[vendor]}.")
            if vendor == "sqlite":
                check_sqlite_file(database)
                restore_sqlite(database)
            else:
                restore_postgresql(database)
            replace_media(Path(work) / MEDIA_MEMBER)
        self.migrate_if_behind()
        self.stdout.write(self.style.SUCCESS(
            f"Restored {path} (taken {manifest.get('created_at', '?')}, {manifest.get('media_files', '?')} evidence files)."))

    def confirm(self, path: Path, manifest: dict, yes: bool) -> None:
        if yes:
            return
        if not sys.stdin.isatty():
            raise CommandError("Restoring replaces all current data; add --yes to confirm.")
        self.stdout.write(f"This replaces ALL current data and evidence files with the backup {path}, "
                          f"taken {manifest.get('created_at', '?')}.")
        if input("Type yes to continue: ").strip().lower() != "yes":
            raise CommandError("Nothing restored.")

    def migrate_if_behind(self) -> None:
        """A backup from an older Luoshi gets the newer migrations, so the code and the schema agree."""
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            call_command("migrate", interactive=False, verbosity=0)
