"""One lock per process around PDFium.

PDFium is not thread-safe: two threads inside it at once (a Dask worker runs
tasks in threads; so may a program that uses duty-lists as a library) can
corrupt its state.  Every entry point that calls PDFium holds
:data:`PDFIUM_LOCK` for the whole of its work — one document read by the
PDFium reader, one page rendered for OCR — rather than around each call:
PDFium objects (documents, pages, text pages) live across many calls, and
taking a lock per call would cost more than the reading it guards (the lean
path makes a few calls per character).  Other threads' work that does not
touch PDFium (pdfminer, OCR, assembly) goes on meanwhile; separate processes
each have their own PDFium and their own lock.

Re-entrant, so an entry point may call another.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

PDFIUM_LOCK = threading.RLock()

_P = ParamSpec("_P")
_R = TypeVar("_R")


def holding_pdfium(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """``function``, run while holding :data:`PDFIUM_LOCK`."""

    @functools.wraps(function)
    def locked(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with PDFIUM_LOCK:
            return function(*args, **kwargs)

    return locked
