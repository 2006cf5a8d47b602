"""Towns, not documents: several versions of one town's lists are one town.

A town (乡镇/街道) publishes its lists again whenever they are revised, and a
reprocessing run keeps every version, so a collection of documents holds some
towns several times.  A town is its issuer; its versions are in the order the
caller gives them (``dataset``: the run folders as named on the command line,
then source paths within a folder; ``compare``: the inputs as named), and the
last one is the latest.  The order is the user's, never a date guessed from a
file: a copied file's modification time says nothing about publication.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from duty_lists.schema.records import Document


@dataclass(frozen=True)
class Town:
    issuer: str
    #: Every version, oldest first (the caller's order).
    versions: tuple[Document, ...]

    @property
    def latest(self) -> Document:
        return self.versions[-1]


def group_towns(docs: Sequence[Document]) -> list[Town]:
    """Documents grouped by issuer, towns in order of first appearance."""
    grouped: dict[str, list[Document]] = {}
    for doc in docs:
        grouped.setdefault(doc.issuer, []).append(doc)
    return [Town(issuer, tuple(versions)) for issuer, versions in grouped.items()]


def latest_versions(docs: Sequence[Document]) -> list[Document]:
    """The latest version of each town, towns in order of first appearance."""
    return [town.latest for town in group_towns(docs)]
