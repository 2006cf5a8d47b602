"""The one exception type a parser raises for input it cannot read.

The CLI turns it into a single line naming the file and the reason; anything
else that escapes a parser is a bug and is reported as such.
"""

from __future__ import annotations


class ParseError(Exception):
    """An input file that cannot be turned into duty lists, with the reason."""

    def __init__(self, reason: str, *, path: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason
