"""OCR: text read from a scan with low confidence, to be checked by eye."""

from __future__ import annotations

from collections.abc import Iterator

from duty_lists.schema.checks.base import Check, CheckContext, FindingType
from duty_lists.schema.checks.text import excerpt
from duty_lists.schema.fields import FIELDS
from duty_lists.schema.records import Document, Finding

#: A cell whose least certain line the engine scored below this is flagged.
#: On the Shahe scan fixture the lines it misread (部门 → 部内, 纳入 → 纳大)
#: scored 0.97–0.99 while clean lines score ≥ 0.99 — confidence is a weak
#: signal, so the bar is set where a line is more likely wrong than right
#: to be worth a look, not where it would catch every slip.
LOW_CONFIDENCE = 0.90

#: Record field → the column name used in messages; ``receiving`` is the
#: combined 承接部门及工作方式 cell an OCR'd row may carry before it is split.
FIELD_LABELS: dict[str, str] = {spec.key: spec.label for spec in FIELDS} | {"receiving": "承接部门及工作方式"}


class OcrLowConfidence(FindingType):
    code = "ocr.low_confidence"
    severity = "warning"
    title = "OCR 识别置信度低"
    description = "Text read by OCR from a scanned page with low confidence: compare it with the scan."
    template = "{list_name}第 {seq} 项「{field}」为扫描件 OCR 识别，置信度 {confidence:.2f}，请对照原件核对"


class OcrCheck(Check):
    """One finding per item field read below :data:`LOW_CONFIDENCE`.

    Items carry ``ocr_confidence``: the lowest OCR score of the cells each
    field was assembled from (empty for text sources, so they never warn).
    """

    types = (OcrLowConfidence,)

    def __init__(self, threshold: float = LOW_CONFIDENCE) -> None:
        self.threshold = threshold

    def run(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        for dl in doc.lists:
            for item in dl.items:
                for key, confidence in sorted(item.ocr_confidence.items()):
                    if confidence >= self.threshold:
                        continue
                    text = _field_text(item, key)
                    yield OcrLowConfidence.at(
                        dl.list_type, item, text=excerpt(text, 0, width=24) if text else None,
                        field=FIELD_LABELS.get(key, key), confidence=confidence,
                    )


def _field_text(item: object, key: str) -> str:
    value = getattr(item, key, None)
    if key in ("receiving", "receiving_departments", "working_method"):
        value = [*getattr(item, "receiving_departments", []), *getattr(item, "working_method", [])]
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    return "" if value is None else str(value)
