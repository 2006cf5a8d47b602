"""OCR of scanned pages: grid finding, box assignment, confusion rules, cache,
and the end-to-end bar — scanned pages of the Shahe rebuild give the items
its text layer gives.

The end-to-end tests OCR three table pages and a cover letter once per
session (about 7 s a page on an idle machine), caching the engine's answers
in pytest's cache folder by image hash, so a rerun only re-checks the code
after the engine.  They are marked ``slow`` and run in ``make test``.

Their input is fixed bytes: page images committed in ``tests/fixtures/scanned``
(rendered once with known fonts by ``tools/make_scanned_fixture.py``), only
JPEG-compressed into a scanned PDF here, so what OCR reads does not depend on
the fonts this machine has.  The items they must give are read from the text
PDF by the reference reader (pdfplumber), which takes character positions
from the PDF itself and is just as font-independent.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Set
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pytest
from duty_lists.parsers import ParseOptions
from duty_lists.parsers.cache_dir import CACHE_ENV
from duty_lists.parsers.model import Provenance, RawDocument, TableRow, TextLine
from duty_lists.parsers.ocr.cache import OcrCache, default_cache_dir, image_key
from duty_lists.parsers.ocr.cells import assign_boxes
from duty_lists.parsers.ocr.dropped import LinePitch, accept_reread, is_subsequence, line_pitch, room_left, short_lines
from duty_lists.parsers.ocr.fixes import apply_fixes
from duty_lists.parsers.ocr.grid import DEFAULT_GRID, GridSettings, find_grids
from duty_lists.parsers.ocr.text import (
    NEEDS_EXTRA,
    OcrBox,
    cell_text,
    glyph_units,
)
from duty_lists.schema.assembly.headers import load_rules, map_header_fuzzy
from duty_lists.schema.records import Document, Item, ListType
from duty_lists.schema.text.distance import within_one_edit
from make_scanned_fixture import COMMITTED, DEFAULT_PAGES, SHAHE_PDF, load_page_images, scan
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
#: tools/make_scanned_fixture.py's output for DEFAULT_PAGES, made once with CJK fonts installed.

SCALE = 150 / 72
#: The text PDF read font-independently: the reference for what OCR must give.
REFERENCE_READER = ParseOptions(pdf_engine="pdfplumber")

# --------------------------------------------------------------------------- grid (drawn images)


def blank(width: int = 1200, height: int = 600) -> np.ndarray:
    return np.full((height, width), 255, np.uint8)


def rule(image: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> None:
    cv2.line(image, (x0, y0), (x1, y1), 0, 2)


def ruled_table(xs: list[int], ys: list[int], skip_h: Set[tuple[int, int]] = frozenset(),
                skip_v: Set[tuple[int, int]] = frozenset(), close_bottom: bool = True) -> np.ndarray:
    """A drawn grid; ``skip_h`` (row rule index, column) and ``skip_v`` (column rule index, row) leave a rule out."""
    image = blank()
    for i, y in enumerate(ys):
        if i == len(ys) - 1 and not close_bottom:
            continue
        for c in range(len(xs) - 1):
            if (i, c) not in skip_h:
                rule(image, xs[c], y, xs[c + 1], y)
    for j, x in enumerate(xs):
        for r in range(len(ys) - 1):
            if (j, r) not in skip_v:
                rule(image, x, ys[r], x, ys[r + 1])
    return image


def test_full_grid_gives_every_cell() -> None:
    image = ruled_table([100, 200, 500, 900], [100, 160, 220, 280])
    grids, _ = find_grids(image, SCALE)
    assert len(grids) == 1
    grid = grids[0]
    assert len(grid.cells) == 9
    assert all(cell is not None for row in grid.rows() for cell in row)


def test_missing_vertical_rule_merges_cells_across() -> None:
    # Row 0 has no rule between columns 1 and 2: one cell two units wide.
    image = ruled_table([100, 200, 500, 900], [100, 160, 220], skip_v={(2, 0)})
    rows = find_grids(image, SCALE)[0][0].rows()
    assert [cell is None for cell in rows[0]] == [False, False, True]
    assert rows[0][1] is not None and rows[0][1].cols == 2
    assert all(cell is not None for cell in rows[1])


def test_missing_horizontal_rule_merges_cells_down() -> None:
    # No rule between rows 0 and 1 in column 0: a vertically merged 事项类别.
    image = ruled_table([100, 200, 500, 900], [100, 160, 220, 280], skip_h={(1, 0)})
    rows = find_grids(image, SCALE)[0][0].rows()
    assert rows[0][0] is not None and rows[0][0].rows == 2
    assert rows[1][0] is None and rows[1][1] is not None


def test_open_bottom_is_closed_and_marked_cut() -> None:
    image = ruled_table([100, 200, 500, 900], [100, 160, 300], close_bottom=False)
    grids, _ = find_grids(image, SCALE)
    assert len(grids) == 1 and grids[0].cut_bottom
    assert len(grids[0].rows()) == 2


def shaded_header_over_cut_row(quality: int) -> np.ndarray:
    """A table whose grey header has no rule under it (the row below was cut
    by a page break, as on a repeated header), with text in the header, as
    a JPEG of ``quality`` gives it back."""
    image = ruled_table([100, 200, 500, 900], [100, 160, 300], skip_h={(1, 0), (1, 1), (1, 2)})
    image[102:159, 102:899][image[102:159, 102:899] > 128] = 230
    for x in (110, 260, 600):
        cv2.putText(image, "XHEADX", (x, 142), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    decoded = cv2.imdecode(jpeg, cv2.IMREAD_GRAYSCALE)
    assert decoded is not None
    return np.asarray(decoded, dtype=np.uint8)


@pytest.mark.parametrize("quality", [100, 60])
def test_edge_of_a_shaded_header_is_a_rule_despite_its_text(quality: int) -> None:
    # JPEG rings the header's glyphs with paper-white specks; read pixel by
    # pixel they cut the fill's edge into pieces between the words, and the
    # page-cut row went into the header (step text 97 % → 18 % on a scan).
    grids, _ = find_grids(shaded_header_over_cut_row(quality), SCALE)
    assert len(grids) == 1
    assert len(grids[0].ys) == 3 and abs(grids[0].ys[1] - 160) <= 3
    assert len(grids[0].rows()) == 2 and all(cell is not None for row in grids[0].rows() for cell in row)


def test_text_without_rules_is_not_a_table() -> None:
    image = blank()
    cv2.putText(image, "HELLO WORLD 1234", (100, 200), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 0, 4)
    rule(image, 100, 400, 700, 400)  # an underline crosses no vertical rule
    assert find_grids(image, SCALE)[0] == []


def test_grid_settings_reject_nonsense() -> None:
    with pytest.raises(ValueError):
        GridSettings(min_coverage=0)
    with pytest.raises(ValueError):
        GridSettings(snap_pt=-1)
    assert DEFAULT_GRID.min_cols == 2


# --------------------------------------------------------------------------- boxes → cell text


def box(text: str, x0: float, top: float, x1: float, score: float = 0.99, height: float = 20) -> OcrBox:
    return OcrBox(text=text, score=score, bbox=(x0, top, x1, top + height))


def test_boxes_go_to_the_cell_holding_most_of_them() -> None:
    cells = [(0, 0, 100, 50), (100, 0, 400, 50)]
    inside, outside = assign_boxes([box("12", 10, 10, 40), box("党的建设", 95, 10, 200), box("页脚", 0, 80, 60)], cells)
    assert [b.text for b in inside[0]] == ["12"]
    assert [b.text for b in inside[1]] == ["党的建设"]
    assert [b.text for b in outside] == ["页脚"]


def test_line_reaching_the_cell_edge_is_a_soft_wrap_and_short_line_a_break() -> None:
    cell = (100, 0, 500, 200)
    boxes = [
        box("第一段的第一行写到了单元格右边", 110, 10, 488),  # reaches the edge: wrapped
        box("第一段结束。", 110, 35, 250),  # stops short: paragraph end
        box("第二段", 110, 60, 180, score=0.62),
    ]
    text, confidence = cell_text(boxes, cell)
    assert text == "第一段的第一行写到了单元格右边第一段结束。\n第二段"
    assert confidence == pytest.approx(0.62)


def test_two_boxes_on_one_line_are_joined_with_a_space() -> None:
    text, _ = cell_text([box("工作方式：", 300, 10, 400), box("承接部门：师市应急管理局", 110, 11, 280)], (100, 0, 900, 60))
    assert text == "承接部门：师市应急管理局 工作方式："


def test_empty_cell_has_no_confidence() -> None:
    assert cell_text([], (0, 0, 10, 10)) == ("", None)


# --------------------------------------------------------------------------- ocr.dropped_glyph

#: Synthetic page geometry: 20 px glyphs, boxes padded by 6 px.
PITCH, PAD = 20.0, 6.0


def line_box(text: str, units: float | None = None, x0: float = 100, height: float = 24, score: float = 0.99) -> OcrBox:
    """A box as the detector draws it around ``units`` glyph widths (default: the text's own)."""
    width = PAD + PITCH * (glyph_units(text) if units is None else units)
    return OcrBox(text=text, score=score, bbox=(x0, 50, x0 + width, 50 + height))


BODY = [
    "负责本辖区适龄儿童",
    "做好促消费工作和助学",
    "1.开展本辖区科普宣传活动。",
    "推进社工站建设工作",
    "R&D统计、科技政策宣讲",
    "履行团镇国有企业出资人职责",
]


@pytest.mark.parametrize(("text", "units"), [("控辍保学", 4), ("3.", 1), ("R&D统计", 3.5), ("“小饭桌”", 5), ("", 0)])
def test_glyph_units_count_ascii_as_half(text: str, units: float) -> None:
    assert glyph_units(text) == units


def test_line_pitch_recovers_pitch_and_pad_despite_one_short_line() -> None:
    boxes = [line_box(text) for text in BODY] + [line_box("做好控保学", units=6)]
    fit = line_pitch(boxes)
    assert fit is not None
    assert fit.pitch == pytest.approx(PITCH) and fit.pad == pytest.approx(PAD) and fit.height == 24


def test_line_pitch_needs_enough_body_lines() -> None:
    assert line_pitch([line_box(text) for text in BODY[:3]]) is None
    assert line_pitch([]) is None


def test_short_lines_flag_a_missing_glyph_not_a_title_or_rounding() -> None:
    fit = LinePitch(pad=PAD, pitch=PITCH, height=24)
    boxes = [
        line_box("做好控保学和助学工作", units=11),  # one CJK glyph dropped
        line_box("负责本辖区适龄儿童"),  # text fills its box
        line_box("基本信息；3", units=5.9),  # less than half a glyph of slack
        line_box("关于印发的通知", units=9, height=44),  # title: larger glyphs, wider box
    ]
    assert short_lines(boxes, fit) == [0]
    assert room_left(boxes[0], fit) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("reread", "taken"),
    [
        ("做好控辍保学和助学工作", True),  # adds the dropped glyph only
        ("做好控保学和助学工作", False),  # nothing added
        ("做好控辍保字和助学工作", False),  # adds one and changes another
        ("做好控辍辍保学和助学工作工作", False),  # more than the box holds
    ],
)
def test_reread_is_taken_only_when_it_adds_what_the_box_has_room_for(reread: str, taken: bool) -> None:
    fit = LinePitch(pad=PAD, pitch=PITCH, height=24)
    first = line_box("做好控保学和助学工作", units=11, score=0.998)
    kept = accept_reread(first, OcrBox(reread, 0.985, (0, 0, 1, 1)), fit)
    assert (kept is not first) is taken
    if taken:
        # The first box's place stays; its confidence is the lower of the two readings.
        assert kept.text == reread and kept.bbox == first.bbox and kept.score == 0.985


def test_missing_reread_keeps_the_line() -> None:
    first = line_box("做好控保学和助学工作", units=11)
    assert accept_reread(first, None, LinePitch(pad=PAD, pitch=PITCH, height=24)) is first


@pytest.mark.parametrize(
    ("short", "long", "inside"), [("控保学", "控辍保学", True), ("控保学", "保控学", False), ("", "x", True), ("ab", "a", False)]
)
def test_is_subsequence(short: str, long: str, inside: bool) -> None:
    assert is_subsequence(short, long) is inside


def test_reread_short_lines_replaces_and_caches(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from duty_lists.parsers.ocr import read as ocr_read
    from duty_lists.parsers.ocr.options import OcrOptions

    calls: list[tuple[int, ...]] = []

    def fake_line(crop: np.ndarray) -> OcrBox:
        calls.append(crop.shape)
        return OcrBox("做好控辍保学和助学工作", 0.98, (0, 0, crop.shape[1], crop.shape[0]))

    monkeypatch.setattr(ocr_read, "recognise_line", fake_line)
    boxes = [line_box(text, x0=100) for text in BODY] + [line_box("做好控保学和助学工作", units=11, x0=100)]
    image = blank(width=600, height=200)
    options = OcrOptions(cache_dir=tmp_path)
    cache = OcrCache(tmp_path)
    assert ocr_read.reread_short_lines(image, boxes, SCALE, options, cache) == 1
    assert boxes[-1].text == "做好控辍保学和助学工作" and [b.text for b in boxes[:-1]] == BODY
    # Only the short line was cropped, with a margin of about a point each side.
    assert len(calls) == 1 and calls[0][0] == 24 + 2 * round(SCALE)
    # A rerun is served from the cache.
    again = [line_box(text, x0=100) for text in BODY] + [line_box("做好控保学和助学工作", units=11, x0=100)]
    assert ocr_read.reread_short_lines(image, again, SCALE, options, cache) == 1 and len(calls) == 1


# --------------------------------------------------------------------------- confusion rules


@pytest.mark.parametrize(
    ("raw", "fixed", "rule_names"),
    [
        ("统计丶分析丶上报", "统计、分析、上报", ["dunhao"]),
        ("2O23年", "2023年", ["letters_in_numbers"]),
        ("共l0项", "共10项", ["letters_in_numbers"]),
        ("R&D统计", "R&D统计", []),
        ("ISO9001认证", "ISO9001认证", []),
        ("l.做好宣传；2.组织活动", "1.做好宣传；2.组织活动", ["step_marker_one"]),
        ("承接部门:师市应急管理局,工作方式", "承接部门：师市应急管理局，工作方式", ["fullwidth_punctuation"]),
        ("按照1:3的比例", "按照1:3的比例", []),
        ("医务人员(家庭医生)为主", "医务人员（家庭医生）为主", ["fullwidth_parentheses"]),
        ("项目 (1)登记表", "项目 (1)登记表", []),
        ("医务人员（家庭医生)为主", "医务人员（家庭医生）为主", ["fullwidth_parentheses"]),
        ("1.制定预案；2.掌握信息；3协调有关部门", "1.制定预案；2.掌握信息；3.协调有关部门", ["step_marker_dot"]),
        ("6.当面送达；7结案归档", "6.当面送达；7.结案归档", ["step_marker_dot"]),
        ("1.做好登记；3天内上报", "1.做好登记；3天内上报", []),
        ("每年；2次检查", "每年；2次检查", []),
    ],
)
def test_confusion_rules(raw: str, fixed: str, rule_names: list[str]) -> None:
    assert apply_fixes(raw) == (fixed, rule_names)


# --------------------------------------------------------------------------- header mapping of OCR'd tables


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [("上级部内职责", "上级部门职责", True), ("控保学", "控辍保学", True), ("控辍保学", "控保学", True),
     ("abc", "abc", True), ("上级部内职内", "上级部门职责", False), ("ab", "abcd", False)],
)
def test_within_one_edit(a: str, b: str, near: bool) -> None:
    assert within_one_edit(a, b) is near


@pytest.mark.parametrize(
    ("read", "field"),
    [
        ("上级部内职责", "superior_duties"),
        ("对应上级部内", "superior_departments"),
        # Contains 工作方式, but is one character from the combined column.
        ("承接部内及工作方式", "receiving"),
        ("序号", "seq"),
        ("序亏", None),  # short headers are never matched loosely
        ("上级内内职内", None),
    ],
)
def test_ocr_headers_map_one_misread_character(read: str, field: str | None) -> None:
    rules = load_rules(None)
    assert map_header_fuzzy(read, rules) == field


def test_fuzzy_mapping_only_for_ocr_rows() -> None:
    from duty_lists.schema.assembly.assemble import assemble

    header = ["序号", "事项类别", "履职事项名称", "对应上级部内", "上级部内职责", "团镇（街道）配合职责"]
    data = ["1", "经济发展", "开展工作", "师市商务局", "1.制定预案", "1.配合"]

    def doc(confidence: list[float | None] | None) -> RawDocument:
        raw = RawDocument(path="x", format="pdf", pages=1)
        raw.blocks = [TableRow(cells=list(cells), prov=Provenance(1, i + 1), confidence=confidence)
                      for i, cells in enumerate((header, data))]
        return raw

    ocr = assemble(doc([0.9] * 6), load_rules(None)).lists[0]
    assert ocr.columns is not None and ocr.columns[3:5] == ["superior_departments", "superior_duties"]
    assert ocr.headers[3] == "对应上级部内"  # the text stays as read
    assert ocr.rows[0].confidence == dict.fromkeys(["seq", "category", "name", "superior_departments",
                                                   "superior_duties", "town_duties"], 0.9)
    text = assemble(doc(None), load_rules(None)).lists[0]
    # Without OCR no near match: 对应上级部内 stays unknown (上级部内职责 is read by its head, 职责, in any document).
    assert text.columns is not None and text.columns[3:5] == [None, "superior_duties"] and text.rows[0].confidence == {}


def test_stitched_rows_keep_the_lowest_confidence() -> None:
    from duty_lists.schema.assembly.assemble import assemble

    raw = RawDocument(path="x", format="pdf", pages=2)
    raw.blocks = [
        TableRow(cells=["序号", "事项类别", "履职事项名称"], prov=Provenance(1, 1), confidence=[0.99, 0.99, 0.99]),
        TableRow(cells=["1", "党的建设", "做好"], prov=Provenance(1, 2), confidence=[0.99, 0.95, 0.97]),
        TableRow(cells=["", "", "工作"], prov=Provenance(2, 1), confidence=[None, None, 0.6]),
    ]
    row = assemble(raw, load_rules(None)).lists[0].rows[0]
    assert row.fields["name"] == "做好工作"
    assert row.confidence == {"seq": 0.99, "category": 0.95, "name": 0.6}


# --------------------------------------------------------------------------- footer band


def test_footer_band_starts_below_the_lowest_table() -> None:
    from duty_lists.parsers.ocr.footer import FOOTER_ZONE, footer_band_top

    height = 600  # blank()'s
    zone = round(height * (1 - FOOTER_ZONE))
    assert footer_band_top(height, [], SCALE) == zone
    high = find_grids(ruled_table([100, 200, 500, 900], [100, 160, 280]), SCALE)[0]
    assert footer_band_top(height, high, SCALE) == zone
    low = find_grids(ruled_table([100, 200, 500, 900], [100, 160, 580]), SCALE)[0]
    assert low and footer_band_top(height, low, SCALE) > 580


@pytest.mark.parametrize(
    ("lines", "number"),
    [
        ([((850, 1180, 905, 1195), "-8-")], 8),
        ([((850, 1180, 905, 1195), "— 40 —")], 40),
        ([((850, 1180, 905, 1195), "第 3 页")], 3),
        ([((850, 500, 905, 515), "-8-")], None),  # a number high on the page is not a footer
        ([((850, 1180, 905, 1195), "五团沙河镇")], None),
        ([((850, 1150, 905, 1165), "-7-"), ((850, 1180, 905, 1195), "-8-")], 8),
    ],
)
def test_footer_number(lines: list[tuple[tuple[float, float, float, float], str]], number: int | None) -> None:
    from duty_lists.parsers.ocr.footer import footer_number

    assert footer_number(lines, 1200) == number


# --------------------------------------------------------------------------- cache


def test_cache_round_trip_and_key(tmp_path: Path) -> None:
    cache = OcrCache(tmp_path)
    image = np.zeros((4, 5), np.uint8)
    key = image_key(image, "engine A")
    assert cache.get(key) is None
    boxes = [box("沙河镇", 1, 2, 3, score=0.5)]
    cache.put(key, boxes)
    assert cache.get(key) == boxes
    image[0, 0] = 1
    assert image_key(image, "engine A") != key
    assert image_key(np.zeros((4, 5), np.uint8), "engine B") != key
    assert OcrCache(None).get(key) is None


def test_cache_dir_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    assert default_cache_dir() == tmp_path / "cache" / "ocr"
    assert (tmp_path / "cache" / "ocr").stat().st_mode & 0o777 == 0o700
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv(CACHE_ENV)
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "duty-lists" / "ocr"


def test_a_cache_folder_others_can_write_is_not_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Another user could plant an answer there, and it would become a record."""
    from duty_lists.parsers.ocr.options import OcrOptions

    shared = tmp_path / "shared" / "ocr"
    shared.mkdir(parents=True)
    shared.chmod(0o777)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "shared"))
    assert default_cache_dir() is None
    assert OcrOptions.from_parse_options(None).cache_dir is None


# --------------------------------------------------------------------------- missing extra


def test_missing_extra_is_one_line_naming_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from duty_lists.parsers import ParseError
    from duty_lists.parsers.ocr.options import OcrOptions
    from duty_lists.parsers.pdf import scanned as pdf_ocr

    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # import now fails
    with pytest.raises(ParseError) as caught:
        pdf_ocr.ocr_pdf(SHAHE_PDF, [1], OcrOptions(cache_dir=None))
    assert "duty-lists[ocr]" in str(caught.value) and "\n" not in str(caught.value)
    assert str(caught.value) == NEEDS_EXTRA


# --------------------------------------------------------------------------- end to end (slow)


def test_committed_page_images_are_the_cover_and_the_default_pages() -> None:
    """The committed images (fixed bytes) are a cover and one per default page, grey."""
    images = load_page_images(COMMITTED)
    assert len(images) == 1 + len(DEFAULT_PAGES)
    assert all(image.mode == "L" for image in images)


@dataclass
class Accuracy:
    items: int
    seq_category: float
    names: float
    steps: int
    step_text: float


def _steps(item: Item) -> list[str]:
    return [*item.superior_duties, *item.town_duties, *item.working_method]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def accuracy(reference: dict[tuple[ListType, int], Item], read: dict[tuple[ListType, int], Item]) -> Accuracy:
    """Shares of the reference items OCR got right: (seq, category) exact,
    name exact, and steps identical position by position, whitespace ignored."""
    seq_cat = names = step_hits = step_total = 0
    for key, ref in reference.items():
        got = read.get(key)
        ref_steps = _steps(ref)
        step_total += len(ref_steps)
        if got is None:
            continue
        seq_cat += got.category == ref.category
        names += got.name == ref.name
        got_steps = _steps(got)
        step_hits += sum(
            i < len(got_steps) and _squash(got_steps[i]) == _squash(step) for i, step in enumerate(ref_steps)
        )
    n = len(reference)
    return Accuracy(n, seq_cat / n, names / n, step_total, step_hits / step_total if step_total else 1.0)


@dataclass
class Scanned:
    path: Path
    cache_dir: Path
    raw: RawDocument
    read: dict[tuple[ListType, int], Item]
    reference: dict[tuple[ListType, int], Item]


@pytest.fixture(scope="session")
def scanned(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Scanned:
    """The scanned fixture read by OCR, with the text PDF's items for the same pages."""
    from duty_lists.ingest.pipeline import RunOptions, build_document
    from duty_lists.parsers.ocr.options import OcrOptions
    from duty_lists.parsers.pdf.scanned import parse
    from duty_lists.schema.assembly.assemble import assemble
    from duty_lists.schema.assembly.build import build_lists
    from duty_lists.schema.assembly.headers import load_rules

    images = load_page_images(COMMITTED)
    # The committed images are the cover letter, then DEFAULT_PAGES of the Shahe PDF.
    assert len(images) == 1 + len(DEFAULT_PAGES)
    path = scan(images, tmp_path_factory.mktemp("scanned") / "shahe_scanned.pdf")
    cache_dir = Path(request.config.cache.mkdir("ocr"))
    raw = parse(path, OcrOptions(cache_dir=cache_dir, jobs=2))
    lists, _ = build_lists(assemble(raw, load_rules(None)))
    read = {(dl.list_type, item.seq): item for dl in lists for item in dl.items}

    text_doc = build_document(SHAHE_PDF, RunOptions(parse=REFERENCE_READER))
    wanted = set(DEFAULT_PAGES)
    reference = {
        (dl.list_type, item.seq): item
        for dl in text_doc.lists
        for item in dl.items
        if item.pages and set(item.pages) <= wanted
    }
    return Scanned(path, cache_dir, raw, read, reference)


@pytest.fixture(scope="session")
def measured(scanned: Scanned) -> Accuracy:
    result = accuracy(scanned.reference, scanned.read)
    print(f"\nOCR vs text PDF: {result}")
    assert result.items >= 30 and result.steps >= 20
    return result


@pytest.mark.slow
def test_scanned_pages_give_the_text_pdf_items(measured: Accuracy) -> None:
    assert measured.seq_category >= 0.99


@pytest.mark.slow
def test_scanned_step_text_matches_the_text_pdf(measured: Accuracy) -> None:
    assert measured.step_text >= 0.97


@pytest.mark.slow
# With 36 items the bar allows no wrong name.  The page-wide pass reads
# 控辍保学 as 控保学 (score 0.998); ocr.dropped_glyph re-reads that line.
def test_scanned_names_match_the_text_pdf(measured: Accuracy) -> None:
    assert measured.names >= 0.98


@pytest.mark.slow
def test_scanned_cover_letter_yields_no_items(scanned: Scanned) -> None:
    cover = [block for block in scanned.raw.blocks if block.prov.page == 1]
    assert not any(isinstance(block, TableRow) for block in cover)
    assert any(isinstance(block, TextLine) and "通知" in block.text for block in cover)
    assert all(ref.pages != [1] for ref in scanned.read.values())


@pytest.mark.slow
def test_scanned_cells_carry_confidence_and_page_numbers(scanned: Scanned) -> None:
    raw = scanned.raw
    rows = [block for block in raw.blocks if isinstance(block, TableRow)]
    assert rows and all(row.confidence is not None and len(row.confidence) == len(row.cells) for row in rows)
    scores = [c for row in rows for c in row.confidence or [] if c is not None]
    assert all(0.0 <= c <= 1.0 for c in scores) and min(scores) < 1.0
    assert "from cache" in raw.notes[-1].message
    # Items carry the lowest confidence of each field's cells.
    item = scanned.read[("basic", 35)]
    assert set(item.ocr_confidence) >= {"seq", "category", "name"}
    assert all(0.0 < c <= 1.0 for c in item.ocr_confidence.values())


@pytest.mark.slow
def test_scanned_footers_give_printed_page_numbers(scanned: Scanned) -> None:
    # Footers "— N —" are read back as the printed page numbers the text
    # layer states for the same pages; the page-wide pass misses the lone
    # "— 8 —" of scanned page 3, the footer band read alone finds it.
    from duty_lists.parsers import parse_file

    printed = parse_file(SHAHE_PDF, REFERENCE_READER).printed_pages
    want = {index: printed[page] for index, page in enumerate(DEFAULT_PAGES, start=2)}
    assert len(want) == 3 and scanned.raw.printed_pages == want


# --------------------------------------------------------------------------- mixed documents, image inputs


def _pdf_of(out: Path, parts: list[tuple[Path, list[int]]]) -> Path:
    """A PDF of the given 1-based pages of other PDFs, in order."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    for source, pages in parts:
        src = pdfium.PdfDocument(source)
        doc.import_pages(src, [p - 1 for p in pages])
    doc.save(out)
    return out


def _run(path: Path, cache_dir: Path, engine: str = ParseOptions().pdf_engine):
    """``path`` through the pipeline (default engine: a PDF with an image-only page goes to the reference reader by itself)."""
    from duty_lists.ingest.pipeline import RunOptions, process_file

    return process_file(path, RunOptions(parse=ParseOptions(pdf_engine=engine, ocr_cache=str(cache_dir), ocr_jobs=2)))


def _items(doc: Document) -> dict[tuple[ListType, int], Item]:
    return {(dl.list_type, item.seq): item for dl in doc.lists for item in dl.items}


@pytest.mark.slow
def test_scanned_cover_before_text_pages(scanned: Scanned, tmp_path: Path) -> None:
    # The fixture's pages are reused as they are, so their OCR comes from the cache.
    path = _pdf_of(tmp_path / "cover_then_text.pdf", [(scanned.path, [1]), (SHAHE_PDF, [3, 4])])
    doc = _run(path, scanned.cache_dir)
    text = _run(_pdf_of(tmp_path / "text.pdf", [(SHAHE_PDF, [3, 4])]), scanned.cache_dir, REFERENCE_READER.pdf_engine)
    # Items sit one page later; their content is the text PDF's, and the cover adds none.
    assert [i.content() for i in _items(doc).values()] == [i.content() for i in _items(text).values()]
    assert all(item.pages and 1 not in item.pages and not item.ocr_confidence for item in _items(doc).values())


@pytest.mark.slow
def test_text_pages_then_one_scanned_page(scanned: Scanned, tmp_path: Path) -> None:
    # Shahe page 3 as text, then the scan of Shahe page 9 (fixture page 3).
    path = _pdf_of(tmp_path / "text_then_scan.pdf", [(SHAHE_PDF, [3]), (scanned.path, [3])])
    doc = _run(path, scanned.cache_dir)
    items = _items(doc)
    from_text = {key for key, item in items.items() if item.pages == [1]}
    from_scan = {key for key, item in items.items() if item.pages == [2]}
    assert from_text == {key for key, ref in scanned.reference.items() if ref.pages == [3]}
    assert from_scan == {key for key, ref in scanned.reference.items() if ref.pages == [9]}
    assert all(not items[key].ocr_confidence for key in from_text)
    assert all(items[key].ocr_confidence for key in from_scan)
    for key in from_scan:
        assert (items[key].category, items[key].name) == (scanned.reference[key].category, scanned.reference[key].name)


def _page_images(scanned: Scanned, pages: list[int]) -> list[Image.Image]:
    """Fixture pages as images with the scan's resolution: the pixels OCR read before."""
    from duty_lists.parsers.pdf.scanned import render_page

    return [Image.fromarray(render_page(scanned.path, page, 150)) for page in pages]


@pytest.mark.slow
def test_png_and_multipage_tiff_inputs(scanned: Scanned, tmp_path: Path) -> None:
    png = tmp_path / "page.png"
    _page_images(scanned, [2])[0].save(png, dpi=(150, 150))
    doc = _run(png, scanned.cache_dir)
    assert doc.source.format == "image" and doc.source.pages == 1
    want_basic = {key for key, ref in scanned.reference.items() if ref.pages == [3]}
    assert set(_items(doc)) == want_basic

    tiff = tmp_path / "scan.tif"
    cover, table = _page_images(scanned, [1, 2])
    cover.save(tiff, save_all=True, append_images=[table], dpi=(150, 150), compression="tiff_lzw")
    doc = _run(tiff, scanned.cache_dir)
    assert doc.source.pages == 2
    assert set(_items(doc)) == want_basic
    assert all(item.pages == [2] for item in _items(doc).values())


def test_a_rule_a_few_points_under_another_merges_nothing_across() -> None:
    # A partial rule 8 px (3 pt) under the header's, in the name column only
    # (at 100 dpi: a stroke that passed for a rule). The unit row between
    # them is too short to shrink; measured shrunk to nothing it said "no
    # rule" at every column and merged the whole table into one cell.
    image = ruled_table([100, 200, 500, 900], [100, 160, 280, 400])
    rule(image, 200, 168, 500, 168)
    rows = find_grids(image, SCALE)[0][0].rows()
    assert all(cell is not None and cell.cols == 1 for row in rows for cell in row if cell is not None)
    assert max(cell.rows for row in rows for cell in row if cell is not None) <= 2
    assert [cell is not None for cell in rows[-1]] == [True, True, True]
