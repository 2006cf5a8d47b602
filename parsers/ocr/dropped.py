"""Rule ``ocr.dropped_glyph``: a line the recogniser read shorter than its box is long.

The recogniser sometimes drops a character and still reports a high
confidence.  Over a page, a line's box width against its text's width in
character units gives the page's pitch (:func:`line_pitch`); a line that
leaves room for a character or more is read again alone
(:func:`short_lines`), and the rereading is kept only when it adds
characters to the same text (:func:`accept_reread`).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from duty_lists.parsers.ocr.text import DEFAULT_OCR, OcrBox, OcrSettings, glyph_units


@dataclass(frozen=True, slots=True)
class LinePitch:
    """A page's body-text lines as ``box width = pad + pitch × glyph units``,
    at box height ``height`` (the detector pads every box by about the same)."""

    pad: float
    pitch: float
    height: float


def _median_slope(points: Sequence[tuple[float, float]]) -> float:
    slopes = [(y1 - y0) / (x1 - x0) for i, (x0, y0) in enumerate(points) for x1, y1 in points[i + 1 :] if x1 != x0]
    return statistics.median(slopes) if slopes else 0.0


def line_pitch(boxes: Sequence[OcrBox], min_lines: int = 5, min_units: float = 4.0) -> LinePitch | None:
    """The page's glyph pitch fitted over its body-text lines, or ``None``
    with too few lines to tell.  Theil–Sen (median of pairwise slopes): one
    misread line or a wide stamp does not move it."""
    if not boxes:
        return None
    height = statistics.median(box.bbox[3] - box.bbox[1] for box in boxes)
    points = [
        (glyph_units(box.text), box.bbox[2] - box.bbox[0])
        for box in boxes
        if glyph_units(box.text) >= min_units and abs(box.bbox[3] - box.bbox[1] - height) <= 0.25 * height
    ]
    if len(points) < min_lines:
        return None
    pitch = _median_slope(points)
    if pitch <= 0:
        return None
    pad = statistics.median(width - pitch * units for units, width in points)
    return LinePitch(pad=pad, pitch=pitch, height=height)


def room_left(box: OcrBox, fit: LinePitch) -> float:
    """Character widths the box holds beyond its text (negative: text overfills it)."""
    return (box.bbox[2] - box.bbox[0] - fit.pad) / fit.pitch - glyph_units(box.text)


def is_subsequence(short: str, long: str) -> bool:
    """Every character of ``short`` in ``long``, in order."""
    rest = iter(long)
    return all(char in rest for char in short)


def short_lines(boxes: Sequence[OcrBox], fit: LinePitch, settings: OcrSettings = DEFAULT_OCR) -> list[int]:
    """Indexes of body-text boxes with room for a dropped glyph (``ocr.dropped_glyph``)."""
    return [
        index
        for index, box in enumerate(boxes)
        if abs(box.bbox[3] - box.bbox[1] - fit.height) <= settings.body_height_ratio * fit.height
        and room_left(box, fit) > settings.dropped_glyph_room
    ]


def accept_reread(box: OcrBox, reread: OcrBox | None, fit: LinePitch, settings: OcrSettings = DEFAULT_OCR) -> OcrBox:
    """``box`` with the re-read's text when the re-read only adds characters
    (the first reading is a subsequence of it) and what it adds still fits
    the box; ``box`` unchanged otherwise.  A re-read that changes a character
    is not taken: nothing says which reading of it is right (measured: alone,
    苹 was read 苯, 部内 部门)."""
    if reread is None or len(reread.text) <= len(box.text) or not is_subsequence(box.text, reread.text):
        return box
    longer = OcrBox(text=reread.text, score=min(box.score, reread.score), bbox=box.bbox)
    return longer if room_left(longer, fit) >= -settings.dropped_glyph_room else box
