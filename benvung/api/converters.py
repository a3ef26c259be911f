"""Path converters of the API's URLs."""

from __future__ import annotations


class CodeConverter:
    """A code in a URL (plan, indicator, unit): any text without "/" or control characters,
    so that a NUL never reaches the database."""

    regex = r"[^/\x00-\x1f\x7f]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
