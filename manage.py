#!/usr/bin/env python
"""Django's manage.py, for developers used to it; `benvung` does the same."""

from benvung.cli import main

if __name__ == "__main__":
    main()
