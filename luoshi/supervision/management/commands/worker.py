"""`luoshi worker`: the django-tasks database worker, plus a reminder scan queued on a fixed interval.

The worker itself is django_tasks_db's `db_worker`; this command queues `periodic_scan` at start
(so a restart catches up at once) and then every `--scan-every` seconds from a small timer thread.
SIGINT or SIGTERM stops it cleanly: a task that is running finishes first, then the command returns.
"""

import logging
import signal
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections
from django.utils.crypto import get_random_string

from luoshi.supervision.jobs import enqueue_periodic_scan

logger = logging.getLogger(__name__)


class ScanTimer(threading.Thread):
    """Queues a periodic scan every `every` seconds until stopped."""

    def __init__(self, every: float) -> None:
        super().__init__(name="luoshi-scan-timer", daemon=True)
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                enqueue_periodic_scan()
            except Exception:  # a busy or briefly unreachable database must not end the timer
                logger.exception("could not queue the periodic scan")
            finally:
                connections.close_all()  # this thread's connections only

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)


class Command(BaseCommand):
    help = "Run the background worker: reminders, retries and scores, with a scan every few minutes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scan-every",
            type=float,
            default=300.0,
            help="seconds between reminder scans (default 300); 0 queues no scans",
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds to wait when the queue is empty (default 1)"
        )
        parser.add_argument(
            "--batch", action="store_true", help="run what is queued (and one scan), then exit"
        )
        parser.add_argument("--max-tasks", type=int, default=None, help="exit after running this many tasks")
        parser.add_argument(
            "--queue-name", default="default", help="queues to work, comma-separated (default: default)"
        )

    def handle(
        self,
        *args,
        scan_every: float,
        interval: float,
        batch: bool,
        max_tasks: int | None,
        queue_name: str,
        verbosity: int,
        **options,
    ) -> None:
        if scan_every < 0 or interval < 0:
            raise ValueError("--scan-every and --interval cannot be negative")
        previous_handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        timer = ScanTimer(scan_every) if scan_every and not batch else None
        if scan_every:
            enqueue_periodic_scan()
        if timer is not None:
            timer.start()
        try:
            # db_worker installs its own SIGINT/SIGTERM handlers: it finishes a running task, then leaves
            # with SystemExit(0) (or returns, in batch mode or after --max-tasks).
            call_command(
                "db_worker",
                queue_name=queue_name,
                interval=interval,
                batch=batch,
                max_tasks=max_tasks,
                startup_delay=False,
                reload=False,
                worker_id=get_random_string(32),
                verbosity=verbosity,
            )
        except SystemExit as leaving:
            if leaving.code not in (0, None):
                raise
        finally:
            if timer is not None:
                timer.stop()
            for sig, handler in previous_handlers.items():
                signal.signal(sig, handler)
        self.stdout.write("worker stopped")
