"""`luoshi restore FILE`: put a backup taken by `luoshi backup` back in place of the current data.

Nothing is touched until the whole archive is verified: it unpacks without error, every member has
the size and SHA-256 its manifest lists (and nothing else is there), media/ is a folder, and the
database holds every table the manifest names. While the data is replaced the site answers 503.

A backup of format 1 (before Luoshi recorded checksums) is refused with a message saying how to go on;
with `--allow-v1` it is restored after every check that needs no checksums: the archive unpacks whole
(gzip's own CRC), only the database and media/ are in it, media/ is a folder, and the database is sound
and has Luoshi's core tables. What cannot be checked is that each evidence file is the one backed up.
"""

import json
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import zlib
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from luoshi.core.maintenance import maintenance
from luoshi.core.management.commands.backup import (
    ARCHIVE_HELP,
    DB_MEMBER,
    FORMAT,
    MANIFEST,
    MEDIA_MEMBER,
    VERSION,
    checksum,
    engine,
    pg_environment,
    run_pg_tool,
)

#: What a damaged or truncated archive raises while it is read.
UNREADABLE = (tarfile.TarError, OSError, EOFError, zlib.error)

#: The backup format without checksums, which `--allow-v1` restores after the checks it allows.
UNVERIFIED_VERSION = 1

#: Tables a SQLite file must have to be taken for a Luoshi database.
LUOSHI_TABLES = {
    "django_migrations",
    "orgs_unit",
    "orgs_person",
    "plans_plan",
    "plans_task",
    "progress_progressreport",
}
SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


def read_manifest(folder: Path, path: Path, *, allow_v1: bool = False) -> dict:
    member = folder / MANIFEST
    if not member.is_file():
        raise CommandError(f"{path} is not a Luoshi backup: it has no {MANIFEST}.")
    try:
        manifest = json.loads(member.read_bytes())
    except ValueError:
        raise CommandError(f"{path} is not a Luoshi backup: {MANIFEST} is not valid JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise CommandError(f"{path} is not a Luoshi backup: {MANIFEST} does not describe one.")
    if manifest.get("version") == UNVERIFIED_VERSION:
        if not allow_v1:
            raise CommandError(
                f"{path} was made by an older Luoshi (backup format 1), which recorded no checksums, so its "
                "files cannot be verified one by one. Nothing was changed. To restore it anyway, run "
                f"`luoshi restore {path} --allow-v1`: the archive's own CRC, its layout, and the database's "
                "integrity and core tables are still checked. Or restore it with the Luoshi version that made "
                "it, then take a new backup with this one."
            )
        return {**manifest, "members": None, "tables": []}
    if manifest.get("version") != VERSION:
        raise CommandError(
            f"{path} is a Luoshi backup of format version {manifest.get('version')}; "
            f"this Luoshi reads version {VERSION} (with checksums)."
        )
    if not isinstance(manifest.get("members"), dict) or not isinstance(manifest.get("tables"), list):
        raise CommandError(f"{path} is damaged: {MANIFEST} lists no members or tables.")
    return manifest


def unpack(path: Path, folder: Path) -> None:
    """Unpack the whole archive into `folder`; a damaged or truncated one is refused with a message."""
    try:
        with tarfile.open(path, "r:*") as archive:
            archive.extractall(folder, filter="data")  # refuses absolute paths, links out and devices
    except UNREADABLE as error:
        raise CommandError(
            f"{path} is damaged or incomplete and was not restored ({error or type(error).__name__}). "
            "Nothing was changed."
        ) from None


def verify_members(folder: Path, manifest: dict, path: Path) -> None:
    """Every file is one the manifest lists, with its size and SHA-256, and every listed file is there."""
    media = folder / MEDIA_MEMBER
    if media.exists() and not media.is_dir():
        raise CommandError(f"{path} is damaged: {MEDIA_MEMBER} is not a folder. Nothing was changed.")
    found = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if not p.is_dir()}
    found.pop(MANIFEST, None)
    if manifest["members"] is None:  # format 1: no checksums; only the layout can be checked
        strange = sorted(
            name
            for name, p in found.items()
            if not p.is_file()
            or p.is_symlink()
            or not (name in DB_MEMBER.values() or name.startswith(f"{MEDIA_MEMBER}/"))
        )
        if strange:
            raise CommandError(
                f"{path} holds files a Luoshi backup does not ({', '.join(strange[:5])}). "
                "Nothing was changed."
            )
        return
    listed: dict = manifest["members"]
    strange = sorted(
        name for name, p in found.items() if name not in listed or not p.is_file() or p.is_symlink()
    )
    missing = sorted(set(listed) - set(found))
    if strange or missing:
        raise CommandError(
            f"{path} does not match its manifest (missing: {', '.join(missing) or 'none'}; "
            f"not listed: {', '.join(strange) or 'none'}). Nothing was changed."
        )
    damaged = sorted(name for name, p in found.items() if checksum(p) != listed[name])
    if damaged:
        raise CommandError(
            f"{path} is damaged: {len(damaged)} member(s) fail their checksum "
            f"({', '.join(damaged[:5])}). Nothing was changed."
        )


def pg_dump_tables(path: Path) -> set[str]:
    """The tables a pg_dump custom-format file would create, from its table of contents."""
    with path.open("rb") as f:
        if f.read(len(PG_DUMP_HEADER)) != PG_DUMP_HEADER:
            raise CommandError("The backup's db.dump is not a pg_dump custom-format file.")
    if shutil.which("pg_restore") is None:
        raise CommandError(
            "pg_restore is not installed or not on the PATH (Debian: apt-get install postgresql-client)."
        )
    listed = subprocess.run(
        ["pg_restore", "--list", str(path)], env=pg_environment(), capture_output=True, text=True, check=False
    )
    if listed.returncode != 0:
        raise CommandError(f"The backup's db.dump cannot be read: {listed.stderr.strip()}")
    tables = set()
    for line in listed.stdout.splitlines():
        words = line.split()  # "215; 1259 16385 TABLE public plans_task postgres"
        if len(words) > 5 and words[3] == "TABLE":
            tables.add(words[5])
    return tables


def verify_tables(present: set[str], manifest: dict) -> None:
    missing = sorted((set(manifest["tables"]) | LUOSHI_TABLES) - present)
    if missing:
        raise CommandError(
            f"The backup's database lacks {len(missing)} table(s): {', '.join(missing[:10])}. "
            "Nothing was changed."
        )


def check_sqlite_file(path: Path) -> set[str]:
    """Refuse anything but a sound SQLite database with Luoshi's tables; returns its tables."""
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
        raise CommandError(
            f"The backup's db.sqlite3 is not a Luoshi database (no {', '.join(sorted(missing))})."
        )
    if verdict != "ok":
        raise CommandError(f"The backup's db.sqlite3 is damaged: {verdict}.")
    return tables


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
    connection.close()  # our own session must not hold locks on the tables being replaced
    run_pg_tool(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(path),
        ]
    )


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
        parser.add_argument(
            "--allow-v1",
            action="store_true",
            help="restore a backup of format 1 (no checksums) after the checks that need none",
        )

    def handle(self, *args, file: str, yes: bool, allow_v1: bool = False, **options) -> None:
        path = Path(file).expanduser().resolve()
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        vendor = engine()
        try:
            is_archive = tarfile.is_tarfile(path)
        except UNREADABLE:
            is_archive = False
        if not is_archive:
            raise CommandError(f"{path} is not a Luoshi backup (not a tar archive).")
        # Unpack next to the media folder, so that putting the files in place is a rename.
        beside_media = Path(settings.MEDIA_ROOT).parent
        beside_media.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".luoshi-restore-", dir=beside_media) as work:
            folder = Path(work)
            unpack(path, folder)
            manifest = read_manifest(folder, path, allow_v1=allow_v1)
            if manifest.get("database") != vendor:
                raise CommandError(
                    f"This backup holds a {manifest.get('database')} database; the configured database is {vendor}."
                )
            verify_members(folder, manifest, path)
            database = folder / DB_MEMBER[vendor]
            if not database.is_file():
                raise CommandError(f"{path} is not a complete Luoshi backup: it has no {DB_MEMBER[vendor]}.")
            verify_tables(
                check_sqlite_file(database) if vendor == "sqlite" else pg_dump_tables(database), manifest
            )
            if manifest["members"] is None:
                self.stderr.write(
                    self.style.WARNING(
                        f"Warning: {path} is a backup of format 1 without checksums; the archive, its layout and "
                        "the database were checked, but not each evidence file against what was backed up."
                    )
                )
            self.confirm(path, manifest, yes)
            with maintenance():
                if vendor == "sqlite":
                    restore_sqlite(database)
                else:
                    restore_postgresql(database)
                replace_media(folder / MEDIA_MEMBER)
                self.migrate_if_behind()
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {path} (taken {manifest.get('created_at', '?')}, {manifest.get('media_files', '?')} evidence files)."
            )
        )

    def confirm(self, path: Path, manifest: dict, yes: bool) -> None:
        if yes:
            return
        if not sys.stdin.isatty():
            raise CommandError("Restoring replaces all current data; add --yes to confirm.")
        self.stdout.write(
            f"This replaces ALL current data and evidence files with the backup {path}, "
            f"taken {manifest.get('created_at', '?')}."
        )
        if input("Type yes to continue: ").strip().lower() != "yes":
            raise CommandError("Nothing restored.")

    def migrate_if_behind(self) -> None:
        """A backup from an older Luoshi gets the newer migrations, so the code and the schema agree."""
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            call_command("migrate", interactive=False, verbosity=0)
