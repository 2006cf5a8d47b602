"""What an office scanner did to a page, undone before the page is read.

A scan arrives at 100–300 dpi, grey or colour, turned by a degree or so
because the sheet went in askew, often with a red seal stamped over the
last rows.  Each of these breaks a later stage: coloured ink over a cell
is read as text; a turned rule breaks into steps that the grid finder's
long thin kernels no longer see as one line; at 100 dpi the recogniser
misreads glyphs (履职→预职, 负责→负贵, measured on the corpus scan h08)
that it reads right once they are larger; at 300 dpi it spends four times
the work of 150 dpi for nothing.  So, in this order:

    colour image → grey, coloured ink removed (:func:`drop_colour`)
    → the skew measured on the rules and text lines (:func:`skew_angle`)
    → body glyph height measured (:func:`glyph_height`)
    → one resampling that turns the page straight and brings its glyphs
      to the height the recogniser reads well (:func:`prepare`)

A page rendered from a text PDF comes out unchanged: no colour, no skew,
and its glyphs already at the working height.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from duty_lists.parsers.ocr.grid import require_non_negative


@dataclass(frozen=True, slots=True)
class ScanSettings:
    """Every tolerance of the scan clean-up.  Lengths are points unless named ``_px``."""

    #: A pixel whose channels differ by more than this (0–255) is coloured
    #: ink — a red or blue seal, a coloured signature — not print; black and
    #: grey print, shading and slightly yellow paper all stay below it.  Lower
    #: than a seal's core (~180) because a seal's thin lettering and JPEG's
    #: halved colour resolution leave its edges only faintly coloured.
    colour_chroma: int = 40
    #: Skew is searched within ± this many degrees (scanner feeders turn a
    #: sheet by up to ~1.5°) ...
    max_skew_deg: float = 2.0
    #: ... and a page turned by less than this is left as it is: the drift
    #: across an A4 page is then under a point, which no stage notices.
    min_skew_deg: float = 0.05
    #: Body glyphs are brought to about this many pixels of ink height: what
    #: a 10.5 pt glyph has at 150 dpi, where the recogniser reads the Shahe
    #: scan's names 100 % right at ~5 s a page.
    target_glyph_px: float = 20.0
    #: No resampling for size when the glyphs are within this factor of the
    #: target: a 150 dpi render stays as it is.
    resize_tolerance: float = 1.25
    #: Too few glyph blobs to measure: fall back on the page's resolution
    #: with body text assumed to be this size.
    body_text_pt: float = 10.5
    min_glyphs: int = 30

    def __post_init__(self) -> None:
        require_non_negative(self)
        if self.resize_tolerance < 1:
            raise ValueError(f"ScanSettings.resize_tolerance must be at least 1, got {self.resize_tolerance}")


DEFAULT_SCAN = ScanSettings()

#: A coloured pixel whose brightest channel, or a pixel next to coloured ink
#: whose grey level, is above this is the seal's, not print.
FRINGE_ABOVE = 140
#: Share of a CJK em that its ink covers top to bottom.
GLYPH_INK_PER_EM = 0.9


@dataclass(frozen=True, slots=True)
class Prepared:
    """A page ready for the grid finder and the recogniser, and what was done to it."""

    grey: np.ndarray
    #: Pixels per point of ``grey``.
    scale: float
    #: Degrees the page was turned back by (counter-clockwise positive).
    angle: float = 0.0
    #: Size factor applied (1.0 = none).
    resized: float = 1.0
    #: Pixels of coloured ink removed.
    colour_px: int = 0
    #: When the page was enlarged (``resized`` > 1): the same page turned
    #: level at its own resolution.  The detector finds lines best on the
    #: enlarged page, the recogniser reads them best at the resolution they
    #: were scanned at (:func:`parsers.ocr.read.read_boxes`).
    native: np.ndarray | None = None


def drop_colour(image: np.ndarray, settings: ScanSettings = DEFAULT_SCAN) -> tuple[np.ndarray, int]:
    """A grey image with coloured ink turned to paper, and how many pixels
    that was.

    Where a seal lies over print, the print is darker than the seal in every
    channel, so its pixel is not coloured and stays.  A seal pixel becomes
    white, not its brightest channel: a red seal's red channel (~214) is
    still darker than paper by more than the ink threshold, and its
    lettering was read into the cells (measured: SHAHE…OFFICE in a category).
    A grey image is returned as it is: in grey, a red seal is a mid-grey that
    no colour test can tell from ink.
    """
    if image.ndim == 2:
        return image, 0
    rgb = np.ascontiguousarray(image[:, :, :3])
    brightest = rgb.max(axis=2)
    # Coloured and bright in some channel: a seal's ink.  Print under a seal
    # is dark in every channel, though JPEG's coarse colour tints it: a rule
    # tinted red and whitened is a rule lost (measured at 300 dpi, quality 50).
    coloured = ((brightest.astype(np.int16) - rgb.min(axis=2)) > settings.colour_chroma) & (brightest > FRINGE_ABOVE)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    # The seal's rim of faintly coloured pixels (JPEG, antialiasing) goes
    # with it, unless it is dark: then it is print touching the seal.
    rim = cv2.dilate(coloured.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool) & (grey > FRINGE_ABOVE)
    grey[coloured | rim] = 255
    return grey, int(np.count_nonzero(coloured))


def _ink(grey: np.ndarray, scale: float) -> np.ndarray:
    window = max(3, int(15 * scale) | 1)
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, window, 15)


def _profile_score(small: np.ndarray, angle: float) -> float:
    """How sharply the rows of ``small`` turned by ``angle`` fall into lines:
    a straight rule or text line puts all its ink in a few rows."""
    h, w = small.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rows = cv2.warpAffine(small, matrix, (w, h), flags=cv2.INTER_LINEAR).sum(axis=1)
    return float(np.dot(rows, rows))


def skew_angle(grey: np.ndarray, scale: float, settings: ScanSettings = DEFAULT_SCAN) -> float:
    """Degrees to turn the page by (counter-clockwise positive) so its rules
    and lines of text run level.

    The ink is shrunk to about a pixel a point and turned by each candidate
    angle; the angle whose row sums are most peaked wins (coarse steps of
    0.1°, then 0.02° around the best).  Long horizontal rules dominate on a
    table page, text lines elsewhere.
    """
    # Shrunk before the threshold, not after: thresholding a 300 dpi page
    # costs more than the whole search.
    shrink = min(1.0, 1.0 / scale)
    small_grey = cv2.resize(grey, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
    small = _ink(small_grey, scale * shrink).astype(np.float32) / 255.0
    coarse = np.arange(-settings.max_skew_deg, settings.max_skew_deg + 1e-9, 0.1)
    best = max(coarse, key=lambda a: _profile_score(small, float(a)))
    fine = np.arange(best - 0.1, best + 0.1 + 1e-9, 0.02)
    return round(float(max(fine, key=lambda a: _profile_score(small, float(a)))), 2)


def glyph_height(grey: np.ndarray, scale: float, settings: ScanSettings = DEFAULT_SCAN) -> float | None:
    """The most common ink height in pixels of the page's glyphs, ``None``
    when there are too few to say.

    Each connected blob of ink is a glyph or a part of one; parts stacked
    one over the other (宀 over the rest) are joined by closing an eighth of
    an expected em vertically, which never reaches the next line.  Most CJK
    glyphs have a stroke or part running their full height, so the most
    common blob height among glyph-sized blobs is the body glyphs' height.
    Rules (long and thin), seals and titles (far larger) and specks fall
    outside the sizes counted; the mode, unlike the median, is not pulled by
    the many short parts (亠, 口, a dot).
    """
    em = settings.body_text_pt * scale
    join = max(1, round(em / 8))
    blobs = cv2.morphologyEx(_ink(grey, scale), cv2.MORPH_CLOSE, np.ones((join, 1), np.uint8))
    _, _, stats, _ = cv2.connectedComponentsWithStats(blobs, connectivity=8)
    heights = [int(h) for _, _, w, h, _ in stats[1:] if 0.4 * em <= h <= 2.5 * em and w <= 2.5 * em]
    if len(heights) < settings.min_glyphs:
        return None
    counts = np.bincount(heights)
    # Summed with the neighbours: JPEG and antialiasing spread one height over two.
    smoothed = np.convolve(counts, np.ones(3), mode="same")
    return float(np.argmax(smoothed))


def prepare(image: np.ndarray, scale: float, settings: ScanSettings = DEFAULT_SCAN) -> Prepared:
    """The page grey, without coloured ink, level, with glyphs at the working height."""
    grey, colour_px = drop_colour(image, settings)
    angle = skew_angle(grey, scale, settings)
    if abs(angle) < settings.min_skew_deg:
        angle = 0.0
    measured = glyph_height(grey, scale, settings)
    if measured is None:
        measured = settings.body_text_pt * GLYPH_INK_PER_EM * scale
    factor = settings.target_glyph_px / measured
    if 1 / settings.resize_tolerance <= factor <= settings.resize_tolerance:
        factor = 1.0
    straight = grey
    native = None
    if factor > 1:
        h, w = grey.shape
        native = grey if angle == 0.0 else cv2.warpAffine(
            grey, cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0), (w, h), flags=cv2.INTER_CUBIC, borderValue=255
        )
    if factor < 1:
        # Shrinking by area first: a warp samples, and would alias the rules.
        straight = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    if angle != 0.0 or factor > 1:
        grow = max(factor, 1.0)
        h, w = straight.shape
        out_w, out_h = round(w * grow), round(h * grow)
        # Turned about the centre and enlarged in one resampling; the page
        # keeps its frame (the corners a turn uncovers are paper).
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, grow)
        matrix[0, 2] += (out_w - w) / 2
        matrix[1, 2] += (out_h - h) / 2
        straight = cv2.warpAffine(straight, matrix, (out_w, out_h), flags=cv2.INTER_CUBIC, borderValue=255)
    return Prepared(grey=straight, scale=scale * factor, angle=angle, resized=factor, colour_px=colour_px, native=native)
