"""``duty-lists schema``: the JSON Schema of ``document.json``, generated from the records.

The same schema ships with the package (``schema/data/document.schema.json``);
a test holds the two equal, so the file never drifts from the models.
"""

from __future__ import annotations

import argparse
import json
import sys


def document_schema() -> dict[str, object]:
    from duty_lists.schema.records import Document

    return Document.model_json_schema(mode="serialization")


def schema_text() -> str:
    return json.dumps(document_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options: the schema is the one of this version."""


def run(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_text())
    return 0
