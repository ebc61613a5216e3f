"""`luoshi serve`: run Luoshi with gunicorn, several worker processes sized to the machine.

gunicorn is a well-kept pre-fork server: one slow request (an import, a PDF) holds one process, not
the site, and a worker that dies is replaced. It does not run on Windows, so there (a workstation
demo only) the pure-Python waitress serves instead.
"""

import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.servers.basehttp import get_internal_wsgi_application
from django.db import connections


def default_workers() -> int:
    """gunicorn's rule of thumb, 2 × cores + 1, kept to 9 so a large machine does not run out of memory."""
    return min(2 * (os.cpu_count() or 1) + 1, 9)


class Command(BaseCommand):
    help = (
        "Serve Luoshi over HTTP with gunicorn (waitress on Windows). Static files are served by WhiteNoise; "
        "uploaded evidence is never served as public files, only through its permission-checked download "
        "page. Behind a reverse proxy, keep the default host 127.0.0.1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help=f"worker processes (default 2 × cores + 1, at most 9; here {default_workers()})",
        )
        parser.add_argument("--threads", type=int, default=4, help="threads per worker process (default 4)")
        parser.add_argument(
            "--timeout",
            type=int,
            default=120,
            help="seconds before a stuck worker is restarted (default 120)",
        )

    def handle(
        self, *args, host: str, port: int, workers: int, threads: int, timeout: int, **options
    ) -> None:
        if not 0 < port < 65536:
            raise CommandError(f"--port {port} is not a TCP port (1–65535).")
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        if not settings.PRODUCTION:
            # WhiteNoise serves from the apps' static folders here; an empty STATIC_ROOT keeps it quiet.
            Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        connections.close_all()  # the workers are forked: none may share this process's connection
        application = get_internal_wsgi_application()
        shown = f"[{host}]" if ":" in host else host
        if sys.platform == "win32":
            from waitress import serve

            self.stdout.write(f"Luoshi is serving at http://{shown}:{port}/ with waitress  (Ctrl+C stops it)")
            serve(application, host=host, port=port, threads=threads * workers, ident="luoshi")
            return
        self.stdout.write(
            f"Luoshi is serving at http://{shown}:{port}/ with {workers} worker processes × "
            f"{threads} threads  (Ctrl+C stops it)"
        )
        Gunicorn(
            application,
            {
                "bind": f"{shown}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "timeout": timeout,
                "graceful_timeout": 30,
                # One request per connection: gthread closes idle keep-alive connections on a timer that,
                # on a busy machine, can fire just as the client sends its next request, which the client
                # sees as a reset (gunicorn issues #1698, #2676; 2% of requests in the load test). Behind
                # nginx the proxy keeps its own connections to the browsers.
                "keepalive": 0,
                "max_requests": 2000,  # a worker is renewed now and then, so memory cannot creep up for ever
                "max_requests_jitter": 200,
                # X-Forwarded-Proto and -For are believed only from the proxy in front (LUOSHI_PROXY_IPS).
                "forwarded_allow_ips": ",".join(settings.PROXY_IPS),
                "proc_name": "luoshi",
                "accesslog": "-" if settings.DEBUG else None,
                "errorlog": "-",
                "loglevel": "warning",
            },
        ).run()


def _gunicorn_base():
    from gunicorn.app.base import BaseApplication

    return BaseApplication


class Gunicorn(_gunicorn_base() if sys.platform != "win32" else object):  # type: ignore[misc]
    """gunicorn run from Python with the options above, not from a config file or its own command line."""

    def __init__(self, application, options: dict) -> None:
        self.application, self.options = application, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application
