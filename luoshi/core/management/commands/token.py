"""`luoshi token --user USERNAME --name NAME`: issue an API token and print its key, once."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from luoshi.core.models import ApiToken
from luoshi.orgs.models import Person


class Command(BaseCommand):
    help = "Issue an API token for a person; the key is printed once and only its hash is kept."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="the person's username")
        parser.add_argument("--name", required=True, help="what the token is for, e.g. 'bulletin export'")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="days until it expires (default LUOSHI_API_TOKEN_DAYS, 180)",
        )

    def handle(self, *args, user: str, name: str, days: int | None, **options) -> None:
        person = Person.objects.filter(username=user).first()
        if person is None:
            raise CommandError(f"No person with username {user!r}.")
        if not person.is_active:
            raise CommandError(f"{user!r} is inactive; a token for them would not work.")
        name = name.strip()
        longest = ApiToken._meta.get_field("name").max_length
        assert longest is not None
        if not name or len(name) > longest:
            raise CommandError("--name must be 1–100 characters.")
        if days is not None and not 1 <= days <= 3660:
            raise CommandError("--days must be 1–3660.")
        token, raw = ApiToken.issue(person, name, days)
        self.stderr.write(
            f"Token {token.prefix}… issued to {person.username}, valid until {token.expires_at:%Y-%m-%d}. "
            "Keep the key now; it is not shown again."
        )
        self.stdout.write(raw)
