"""`luoshi demo`: a working Luoshi with the sample plan in one command."""

import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from luoshi.demo.load import DemoConflict, DemoResult, load_demo
from luoshi.demo.tree import PLAN_TITLE
from luoshi.plans.models import Plan


def width(text: str) -> int:
    """Columns the text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def table(rows: list[list[str]]) -> list[str]:
    columns = [max(width(row[i]) for row in rows) + 2 for i in range(len(rows[0]))]
    lines = ["".join(pad(cell, columns[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "-" * (sum(columns) - 2))
    return lines


class Command(BaseCommand):
    help = (
        "Set up a demo: migrate the database under LUOSHI_DATA_DIR (default ./var), load the sample plan with "
        "its units, people, indicators, projects and two years of history (once), print the address and one "
        "login per role, then serve. Not for a production database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
        parser.add_argument(
            "--no-serve", action="store_true", help="set up and print the logins, but do not serve"
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="erase the demo database and its files first, then load the demo afresh",
        )

    def handle(self, *args, host: str, port: int, no_serve: bool, reset: bool, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "The demo is for trying Luoshi out; it will not run with LUOSHI_PRODUCTION=true."
            )
        self.stdout.write(f"Data folder: {settings.DATA_DIR}  (LUOSHI_DATA_DIR chooses another)")
        self.stdout.write("Preparing the database …")
        call_command("migrate", interactive=False, verbosity=0)
        if reset:
            self.reset()
        self.stdout.write("Loading the sample plan …")
        try:
            result = load_demo()
        except DemoConflict as error:
            raise CommandError(str(error)) from None
        if result.created:
            self.stdout.write(f"Loaded “{result.plan.title}” in {result.seconds:.1f} s.")
        else:
            self.stdout.write(f"“{result.plan.title}” is already loaded; nothing changed.")
        self.print_logins(result, host, port)
        if not no_serve:
            worker = self.start_worker()
            try:
                call_command("serve", host=host, port=port)
            finally:
                worker.terminate()  # the worker stops cleanly on SIGTERM
                worker.wait(timeout=10)

    def start_worker(self) -> subprocess.Popen:
        """Reminders, scoring and bulletins on schedule: `luoshi worker`, beside the web server."""
        self.stdout.write("Starting the background worker (reminders, scores) …")
        # The demo has no mail server: the worker writes each e-mail into the data folder instead.
        env = {"LUOSHI_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", **os.environ}
        self.stdout.write(f"E-mails the worker sends are written to {settings.EMAIL_FILE_PATH}")
        return subprocess.Popen([sys.executable, "-m", "luoshi.cli", "worker"], env=env)

    def reset(self) -> None:
        """Erase everything, but only from a database that holds nothing except the demo."""
        if Plan.objects.exclude(title=PLAN_TITLE).exists():
            raise CommandError(
                "--reset erases the whole database, and this one holds plans other than the demo. "
                "Point LUOSHI_DATA_DIR at a new folder for the demo instead."
            )
        self.stdout.write(f"Erasing the database {connection.settings_dict['NAME']} and its files …")
        call_command("flush", interactive=False, verbosity=0)
        shutil.rmtree(Path(settings.MEDIA_ROOT), ignore_errors=True)

    def print_logins(self, result: DemoResult, host: str, port: int) -> None:
        shown = f"[{host}]" if ":" in host else host
        address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{port}/"
        rows = [["角色 Role", "用户名 Username", "姓名 Name", "单位 Unit"]]
        rows += [[login.role, login.username, login.full_name, login.unit] for login in result.logins]
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"落实 Luoshi demo: {address}"))
        self.stdout.write("")
        for line in table(rows):
            self.stdout.write("  " + line)
        self.stdout.write("")
        self.stdout.write(f"  Password for every login above: {result.password}")
        self.stdout.write("  (every other demo person — unit heads and staff such as ghj.head — uses it too)")
        self.stdout.write("")
