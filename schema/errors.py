"""One-line messages for files read through a Pydantic model (rules, headers, manifest)."""

from __future__ import annotations

from pydantic import ValidationError


def first_error(exc: ValidationError) -> str:
    """Pydantic's first complaint as one line: where, then what."""
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else error["msg"]
