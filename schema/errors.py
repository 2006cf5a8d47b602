"""One-line messages for files read through a Pydantic model (rules, headers, manifest)."""

from __future__ import annotations

from pydantic import ValidationError

#: Complaints that do not repeat the value they refused (a misspelt field name, a severity).
_NAMING_THE_CHOICES = frozenset({"literal_error", "enum"})


def first_error(exc: ValidationError) -> str:
    """Pydantic's first complaint as one line: where, then what (and the value, where the complaint lists the choices)."""
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    what = error["msg"]
    if error["type"] in _NAMING_THE_CHOICES and isinstance(error.get("input"), (str, int, float)):
        what += f" (got {error['input']!r})"
    return f"{where}: {what}" if where else what
