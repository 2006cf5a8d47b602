"""OCR of scanned pages: grid finding, box assignment, confusion rules, cache,
and the end-to-end bar — scanned pages of the Shahe rebuild give the items
its text layer gives.

The end-to-end tests OCR three table pages and a cover letter once per
session (about 7 s a page on an idle machine), caching the engine's answers
in pytest's cache folder by image hash, so a rerun only re-checks the code
after the engine.  They are marked ``slow`` and run in ``make test``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pytest

from parsers.model import TableRow, TextLine
from parsers.ocr_cache import CACHE_ENV, OcrCache, default_cache_dir, image_key
from parsers.ocr_fixes import apply_fixes
from parsers.ocr_grid import DEFAULT_GRID, GridSettings, find_grids
from parsers.ocr_text import NEEDS_EXTRA, OcrBox, assign_boxes, cell_text
from schema.records import Item

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
from make_scanned_fixture import DEFAULT_PAGES, SHAHE_PDF, make_fixture  # noqa: E402

SCALE = 150 / 72

# --------------------------------------------------------------------------- grid (drawn images)


def blank(width: int = 1200, height: int = 600) -> np.ndarray:
    return np.full((height, width), 255, np.uint8)


def rule(image: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> None:
    cv2.line(image, (x0, y0), (x1, y1), 0, 2)


def ruled_table(xs: list[int], ys: list[int], skip_h: set[tuple[int, int]] = frozenset(),
                skip_v: set[tuple[int, int]] = frozenset(), close_bottom: bool = True) -> np.ndarray:
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
    ],
)
def test_confusion_rules(raw: str, fixed: str, rule_names: list[str]) -> None:
    assert apply_fixes(raw) == (fixed, rule_names)


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
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    assert default_cache_dir() == tmp_path / "ocr"
    monkeypatch.delenv(CACHE_ENV)
    assert default_cache_dir() == Path.home() / ".cache" / "duty-lists" / "ocr"


# --------------------------------------------------------------------------- missing extra


def test_missing_extra_is_one_line_naming_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from parsers import ParseError, pdf_ocr

    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # import now fails
    with pytest.raises(ParseError) as caught:
        pdf_ocr.ocr_pdf(SHAHE_PDF, [1], pdf_ocr.OcrOptions(cache_dir=None))
    assert "duty-lists[ocr]" in str(caught.value) and "\n" not in str(caught.value)
    assert str(caught.value) == NEEDS_EXTRA


# --------------------------------------------------------------------------- end to end (slow)


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


def accuracy(reference: dict[tuple[str, int], Item], read: dict[tuple[str, int], Item]) -> Accuracy:
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


@pytest.fixture(scope="session")
def scanned(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    """The scanned fixture read by OCR, with the text PDF's items for the same pages."""
    from ingest.pipeline import RunOptions, build_document
    from parsers.pdf_ocr import OcrOptions, parse
    from schema.assembly import assemble
    from schema.build import build_lists
    from schema.headers import load_rules

    path = make_fixture(tmp_path_factory.mktemp("scanned") / "shahe_scanned.pdf", DEFAULT_PAGES)
    cache_dir = Path(request.config.cache.mkdir("ocr"))
    raw = parse(path, OcrOptions(cache_dir=cache_dir, jobs=2))
    lists, _ = build_lists(assemble(raw, load_rules(None)))
    read = {(dl.list_type, item.seq): item for dl in lists for item in dl.items}

    text_doc = build_document(SHAHE_PDF, RunOptions())
    wanted = set(DEFAULT_PAGES)
    reference = {
        (dl.list_type, item.seq): item
        for dl in text_doc.lists
        for item in dl.items
        if item.pages and set(item.pages) <= wanted
    }
    return raw, read, reference


@pytest.mark.slow
def test_scanned_pages_give_the_text_pdf_items(scanned) -> None:
    _, read, reference = scanned
    measured = accuracy(reference, read)
    print(f"\nOCR vs text PDF: {measured}")
    assert measured.items >= 30 and measured.steps >= 20
    assert measured.seq_category >= 0.99
    assert measured.names >= 0.98
    assert measured.step_text >= 0.97


@pytest.mark.slow
def test_scanned_cover_letter_yields_no_items(scanned) -> None:
    raw, read, _ = scanned
    cover = [block for block in raw.blocks if block.prov.page == 1]
    assert not any(isinstance(block, TableRow) for block in cover)
    assert any(isinstance(block, TextLine) and "通知" in block.text for block in cover)
    assert all(ref.pages != [1] for ref in read.values())


@pytest.mark.slow
def test_scanned_cells_carry_confidence_and_page_numbers(scanned) -> None:
    raw, _, _ = scanned
    rows = [block for block in raw.blocks if isinstance(block, TableRow)]
    assert rows and all(row.confidence is not None and len(row.confidence) == len(row.cells) for row in rows)
    scores = [c for row in rows for c in row.confidence or [] if c is not None]
    assert all(0.0 <= c <= 1.0 for c in scores) and min(scores) < 1.0
    # Footers "— N —" are read back as printed page numbers of the scanned pages.
    assert set(raw.printed_pages) == {2, 3, 4}
    assert "from cache" in raw.notes[-1]
