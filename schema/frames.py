"""A Document as pandas DataFrames: one per list, and the findings.

For analysts in a notebook: columns are the record's stable English keys (the
contract of ``document.json``), list-valued fields stay Python lists (so
``explode`` works), and every row names its issuer, list and source, so frames
of many documents concatenate into one table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from duty_lists.schema.records import LIST_TYPES, Document, Finding, Item

if TYPE_CHECKING:
    import pandas as pd

#: The columns every list frame starts with, before the item's own fields.
DOCUMENT_COLUMNS = ("issuer", "list_type", "source_path", "source_sha256")


def list_frame(doc: Document, list_type: str) -> pd.DataFrame:
    import pandas as pd

    dl = doc.get_list(list_type)
    head = (doc.issuer, list_type, doc.source.path, doc.source.sha256)
    rows = [(*head, *item.model_dump(mode="json").values()) for item in (dl.items if dl else [])]
    frame = pd.DataFrame(rows, columns=[*DOCUMENT_COLUMNS, *Item.model_fields])
    return frame.astype({"seq": "int64"})


def findings_frame(doc: Document) -> pd.DataFrame:
    import pandas as pd

    head = (doc.issuer, doc.source.path, doc.source.sha256)
    rows = [(*head, *finding.model_dump(mode="json").values()) for finding in doc.findings]
    return pd.DataFrame(rows, columns=["issuer", "source_path", "source_sha256", *Finding.model_fields])


def document_frames(doc: Document) -> dict[str, pd.DataFrame]:
    """``{"basic": …, "cooperative": …, "reclaimed": …, "findings": …}``."""
    frames: dict[str, pd.DataFrame] = {list_type: list_frame(doc, list_type) for list_type in LIST_TYPES}
    frames["findings"] = findings_frame(doc)
    return frames
