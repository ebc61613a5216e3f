"""The `luoshi` command: Django's management commands with Luoshi's settings.

`luoshi demo`, `luoshi serve`, `luoshi createuser`, `luoshi backup FILE`, `luoshi restore FILE`,
`luoshi token`, and every Django command (`luoshi migrate`, `luoshi shell` …).
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    argv = [*sys.argv]
    argv[0] = "luoshi"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")  # `luoshi import-excel` runs the import_excel command
    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as error:  # a bad setting: say which and how, without a traceback
        sys.exit(f"luoshi: {error}")


if __name__ == "__main__":
    main()
