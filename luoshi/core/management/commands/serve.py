"""`luoshi serve`: run Luoshi with waitress, a production WSGI server that needs no compiler."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.servers.basehttp import get_internal_wsgi_application


class Command(BaseCommand):
    help = (
        "Serve Luoshi over HTTP with waitress. Static files are served by WhiteNoise; uploaded evidence "
        "is never served as public files, only through its permission-checked download page. "
        "Behind a reverse proxy, keep the default host 127.0.0.1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
        parser.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")

    def handle(self, *args, host: str, port: int, threads: int, **options) -> None:
        if not 0 < port < 65536:
            raise CommandError(f"--port {port} is not a TCP port (1–65535).")
        if threads < 1:
            raise CommandError("--threads must be at least 1.")
        from waitress import serve

        if not settings.PRODUCTION:
            # WhiteNoise serves from the apps' static folders here; an empty STATIC_ROOT keeps it quiet.
            Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        application = get_internal_wsgi_application()
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(f"Luoshi is serving at http://{shown}:{port}/  (Ctrl+C stops it)")
        if settings.DEBUG:
            self.stdout.write(self.style.WARNING("LUOSHI_DEBUG is on: error pages show internals."))
        serve(application, host=host, port=port, threads=threads, ident="luoshi")
