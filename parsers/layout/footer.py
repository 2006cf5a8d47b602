"""Printed page numbers in footer lines (``- 3 -``, ``第3页 共9页``, ``3 / 9``, ``3``).

It reads text, not geometry, and three places ask it, so they cannot
disagree: the PDF page reader (:mod:`parsers.pdf.page`), the footer of a
scanned page (:mod:`parsers.ocr.footer`) and assembly, which drops such
lines as page furniture (:mod:`schema.assembly.assemble`).
"""

from __future__ import annotations

import re

_PAGE_NUMBER = (
    re.compile(r"^[—–\-－―]+\s*(\d{1,4})\s*[—–\-－―]+$"),
    re.compile(r"^第\s*(\d{1,4})\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?$"),
    re.compile(r"^(\d{1,4})\s*[/／]\s*\d{1,4}$"),
    re.compile(r"^(\d{1,4})$"),
)


def page_number(text: str) -> int | None:
    """The printed page number a footer line states, if it is one."""
    text = text.strip()
    for pattern in _PAGE_NUMBER:
        match = pattern.match(text)
        if match:
            return int(match.group(1))
    return None
