"""Jinja2 environments for the HTML ingest writes (report, diff): autoescaped, strict about names."""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def environment(package: str) -> Any:
    """The environment for ``package``'s ``templates/`` folder (one per package, built on first use).

    Autoescape, because every text comes from a published file and may hold
    ``<``, ``>`` or ``&``; an undefined name is an error, not an empty string."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
