"""`luoshi createuser`: add a person who can log in, with a role and a home unit."""

import getpass
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from luoshi.orgs.models import Person, Role, Unit

#: Roles that act for a unit, and so cannot do without one.
UNIT_ROLES = (Role.MANAGER, Role.STAFF)


def find_unit(name: str) -> Unit:
    """The unit called `name` by its full name, short name or one of its aliases."""
    name = name.strip()
    exact = list(Unit.objects.filter(Q(name=name) | Q(short_name=name)))
    if len(exact) == 1:
        return exact[0]
    by_alias = [unit for unit in Unit.objects.filter(aliases__contains=name) if name in unit.alias_list()]
    matches = exact or by_alias
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise CommandError(
            f"No unit is called “{name}”. Units are listed in the admin (单位), or give the full name."
        )
    listed = "、".join(unit.name for unit in matches)
    raise CommandError(f"“{name}” names more than one unit ({listed}); give the full name.")


class Command(BaseCommand):
    help = (
        "Create a person who can log in. Roles: "
        + ", ".join(f"{role.value} ({role.label})" for role in Role)
        + ". A unit manager or staff member needs --unit (full name, short name or alias). "
        "The password comes from --password-stdin, or is asked for twice; --password exists for scripts "
        "but leaves the password in the shell history."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help="one of: " + ", ".join(Role.values))
        parser.add_argument("--unit", help="home unit: full name, short name or alias")
        parser.add_argument("--full-name", default="", help="姓名 as shown on pages and bulletins")
        parser.add_argument("--title", default="", help="职务")
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--password", help="the password (visible in shell history; prefer the others)")
        source.add_argument(
            "--password-stdin", action="store_true", help="read the password from standard input"
        )

    def handle(
        self,
        *args,
        username: str,
        role: str,
        unit: str | None,
        full_name: str,
        title: str,
        password: str | None,
        password_stdin: bool,
        **options,
    ) -> None:
        if role not in Role.values:
            raise CommandError(f"Unknown role “{role}”. Choose one of: {', '.join(Role.values)}.")
        if Person.objects.filter(username=username).exists():
            raise CommandError(f"A person with the username “{username}” already exists.")
        home = find_unit(unit) if unit else None
        if home is None and role in UNIT_ROLES:
            raise CommandError(f"A person with the role {role} acts for a unit: give --unit.")
        person = Person(
            username=username,
            role=role,
            unit=home,
            full_name=full_name.strip(),
            title=title.strip(),
            is_superuser=role == Role.ADMIN,
        )
        password = self.read_password(password, password_stdin)
        try:
            validate_password(password, person)
        except ValidationError as error:
            raise CommandError("The password is not accepted: " + " ".join(error.messages)) from None
        person.set_password(password)
        person.save()
        where = f", {home.name}" if home else ""
        self.stdout.write(self.style.SUCCESS(f"Created {username}: {Role(role).label}{where}."))

    def read_password(self, given: str | None, from_stdin: bool) -> str:
        if given is not None:
            password = given
        elif from_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        elif sys.stdin.isatty():
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        else:
            raise CommandError("No password: give --password-stdin (or --password), or run in a terminal.")
        if not password:
            raise CommandError("The password is empty.")
        return password
