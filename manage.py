#!/usr/bin/env python
"""Same as the `luoshi` command, for those who expect manage.py."""

from luoshi.cli import main

if __name__ == "__main__":
    main()
