"""Issue #12's failure classes, one fixture per class and producer (tests/fixtures/classes/),
and the probe's documents of five more towns (tests/fixtures/probe/, built by an engineer who had
not seen the fixes: header wording, column orders, nested tables, CMS pages, Calc prints).

Each fixture (built by tests/fixtures/build_class_fixtures.py) has its ground truth beside it as
``<stem>.expected.json`` in the corpus's expected format. The document goes through the public
pipeline and its records are compared with the corpus's loose rules: items paired by
(list, 序号), key fields (category, name, departments, discontinued) exact after removing
whitespace, text fields compared without step markers, punctuation and whitespace (so step
boundaries do not matter), pages only where the ground truth has them; and no error finding of
the contract's minimum set (every fixture is a clean document).

Class 7 adds a strict check: a document and its print must give the same records, step for step.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from duty_lists.ingest.pipeline import process_file

CLASSES = Path(__file__).resolve().parents[1] / "fixtures" / "classes"
PROBE = CLASSES.parent / "probe"
PROBE2 = CLASSES.parent / "probe2"
LIST_TYPES = ("basic", "cooperative", "reclaimed")
TEXT_FIELDS = {
    "basic": ("remark",),
    "cooperative": ("superior_duties", "town_duties", "remark"),
    "reclaimed": ("working_method", "remark"),
}
MIN_CODES = {
    "numbering.gap", "numbering.duplicate", "numbering.order", "numbering.start", "category.unknown",
    "category.split", "field.empty", "item.duplicate", "item.cross_list", "text.traditional",
    "text.garbled", "toc.page_mismatch", "count.mismatch",
}
_WS = re.compile(r"\s+")
_MARKERS = re.compile(r"[（(]?\d{1,2}[)）.．、]|[一二三四五六七八九十]{1,3}、|[\u2460-\u2473]")


def _fixtures() -> list[tuple[Path, Path]]:
    out = []
    for folder in (CLASSES, PROBE, PROBE2):
        for expected in sorted(folder.glob("*.expected.json")):
            stem = expected.name[: -len(".expected.json")]
            docs = [p for p in folder.glob(stem + ".*") if p != expected and not p.name.endswith(".json")]
            if len(docs) == 1:
                out.append((docs[0], expected))
    return out


FIXTURES = _fixtures()


def _id(path: Path) -> str:
    return path.name  # c<class>_<layout>__<producer>.<ext>


# ------------------------------------------------------------------ the corpus's loose comparison


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        return "".join(_text(x) for x in v)
    return str(v)


def key_norm(v) -> str:
    return _WS.sub("", _text(v))


def text_norm(v) -> str:
    s = _MARKERS.sub("", _text(v))
    return "".join(ch for ch in s if not ch.isspace() and not unicodedata.category(ch).startswith("P"))


def dept_set(v) -> frozenset:
    if isinstance(v, str):
        v = [v]
    return frozenset(d for d in (key_norm(x) for x in v or []) if d)


def item_misses(lt: str, exp: dict, got: dict) -> list[str]:
    """The fields of one item that differ, each as 'field: expected != got'."""
    misses = []

    def miss(f: str) -> None:
        misses.append(f"{f}: {_text(exp.get(f))[:40]!r} != {_text(got.get(f))[:40]!r}")

    for f in ("category", "name"):
        if key_norm(exp.get(f)) != key_norm(got.get(f)):
            miss(f)
    if lt == "cooperative" and dept_set(exp.get("superior_departments")) != dept_set(got.get("superior_departments")):
        miss("superior_departments")
    if lt == "reclaimed":
        if dept_set(exp.get("receiving_departments")) != dept_set(got.get("receiving_departments")):
            miss("receiving_departments")
        if bool(exp.get("discontinued")) != bool(got.get("discontinued")):
            miss("discontinued")
    for f in TEXT_FIELDS[lt]:
        a, b = text_norm(exp.get(f)), text_norm(got.get(f))
        ok = a == b
        if not ok and lt == "reclaimed" and exp.get("discontinued"):
            statement = text_norm(exp.get("working_method"))
            if f == "working_method":
                ok = b == ""  # the statement may sit in remark instead
            elif f == "remark":
                ok = b in (a + statement, statement + a, statement)
        if not ok:
            miss(f)
    if "pages" in exp and [int(p) for p in got.get("pages") or []] != list(exp["pages"]):
        miss("pages")
    return misses


def pair_items(expected: dict, doc: dict) -> tuple[list[tuple[str, dict, dict | None]], list[tuple[tuple, dict]]]:
    """Each expected item with the output item of its list and 序号 (``None``: missing), in
    the truth's order; then the output items no expected item took, with their (list, 序号)."""
    queues: dict[tuple, list] = {}
    for lst in doc.get("lists") or []:
        for it in lst.get("items") or []:
            queues.setdefault((lst.get("list_type"), it.get("seq")), []).append(it)
    pairs = []
    for lst in expected["lists"]:
        for exp in lst["items"]:
            q = queues.get((lst["list_type"], exp["seq"]))
            pairs.append((lst["list_type"], exp, q.pop(0) if q else None))
    return pairs, [(key, it) for key, q in queues.items() for it in q]


def compare(expected: dict, doc: dict) -> list[str]:
    """Every difference between a document and its ground truth, one line each (empty: equal).

    A truth marked ``category_unreliable`` (a print that does not show every block boundary:
    Calc prints a merged label crossing a page break once, below the table) is compared on
    everything but the category."""
    if expected.get("category_unreliable"):
        printed = {(lst["list_type"], it["seq"]): it.get("category") for lst in doc.get("lists") or [] for it in lst["items"]}
        expected = {**expected, "lists": [
            {**lst, "items": [{**it, "category": printed.get((lst["list_type"], it["seq"]), it["category"])} for it in lst["items"]]}
            for lst in expected["lists"]
        ]}
    problems = []
    if key_norm(expected.get("issuer")) != key_norm(doc.get("issuer")):
        problems.append(f"issuer: {expected.get('issuer')!r} != {doc.get('issuer')!r}")
    pairs, left_over = pair_items(expected, doc)
    field_counts: dict[str, int] = {}
    examples: list[str] = []
    missing = []
    for lt, exp, got in pairs:
        if got is None:
            missing.append(f"{lt} {exp['seq']}")
            continue
        for m in item_misses(lt, exp, got):
            fname = m.split(":", 1)[0]
            field_counts[f"{lt}.{fname}"] = field_counts.get(f"{lt}.{fname}", 0) + 1
            if len(examples) < 6:
                examples.append(f"  {lt} {exp['seq']} {m}")
    total = len(pairs)
    if missing:
        problems.append(f"missing {len(missing)}/{total} items: {', '.join(missing[:10])}")
    extra = len(left_over)
    if extra:
        problems.append(f"{extra} extra items")
    if field_counts:
        problems.append("fields wrong: " + ", ".join(f"{k} x{v}" for k, v in sorted(field_counts.items())))
        problems += examples
    false_alarms = [f for f in doc.get("findings") or []
                    if f.get("severity") == "error" and f.get("code") in MIN_CODES]
    if false_alarms:
        codes: dict[str, int] = {}
        for f in false_alarms:
            codes[f["code"]] = codes.get(f["code"], 0) + 1
        problems.append("false alarms: " + ", ".join(f"{k} x{v}" for k, v in sorted(codes.items())))
    return problems


# ------------------------------------------------------------------ tests

_CACHE: dict[Path, dict] = {}


def records(path: Path) -> dict:
    if path not in _CACHE:
        _CACHE[path] = process_file(path).model_dump(mode="json")
    return _CACHE[path]


#: Scans of class 8 the OCR does not yet read well enough (measured 2026-12-05): strict xfails,
#: so the day one passes the mark has to go. Lone 序号 digits, a rule broken under a seal and a
#: box reaching back over its neighbour's text were fixed that day (each with its own test in
#: tests/ocr/test_scans.py); what is left is the recogniser's and the seal's.
OCR_SHORT = {
    "c8_scan100grey__libreoffice_img2pdf.pdf": "17/17 items; at 100 dpi glyph strokes aligned down "
    "tight rows pass for column rules and split names and a row (价格监测 lost); 做→故, 使→更, 计→十",
    "c8_scan150colour_seal__chromium_pillow.pdf": "16/17 items; the town duties under the red seal misread "
    "(农产品质量→农产量, 检查→验查)",
    "c8_scan200grey_seal__reportlab_img2pdf.pdf": "12/13 items; a grey seal's lettering read into a name "
    "(桌某镇负责…); 控辍保学 read 控保学",
    "c8_scan300colour__reportlab_pillow.pdf": "12/13 items; 控辍保学 read 控保学, alone on its line too",
}


#: Classes of problem the probes found and duty-lists does not yet handle (tests/fixtures/probe2/MISSES.md, 2026-12-05).
PROBE_CLASSES = {
    "B": "a PDF table without a full grid (row rules only, zebra rows, no rules, bottom borders, column rules only)",
}
#: Probe documents not yet read right, by class: strict xfails, so a fix that reads one right has to take its line out.
PROBE_SHORT: dict[str, str] = {
    "q31_qingshui_noborders__python-docx_libreoffice.pdf": "B",
    "q37_jiangnan_colrules__reportlab.pdf": "B",
}


def _marks(path: Path) -> list:
    marks = [pytest.mark.slow] if path.name.startswith("c8_") else []
    if path.name in OCR_SHORT:
        marks.append(pytest.mark.xfail(strict=True, reason=f"OCR below the bar (issue #12, class 8): {OCR_SHORT[path.name]}"))
    if path.name in PROBE_SHORT:
        cls = PROBE_SHORT[path.name]
        marks.append(pytest.mark.xfail(strict=True, reason=f"probe class {cls}: {PROBE_CLASSES[cls]}"))
    return marks


@pytest.mark.parametrize(
    ("document", "expected"),
    [pytest.param(d, e, id=_id(d), marks=_marks(d)) for d, e in FIXTURES],
)
def test_class_fixture(document: Path, expected: Path) -> None:
    truth = json.loads(expected.read_text(encoding="utf-8"))
    problems = compare(truth, records(document))
    assert not problems, f"{document.name} (class {truth.get('class')}, {truth.get('producer')}):\n" + "\n".join(problems)


def _pairs() -> list[tuple[Path, Path]]:
    by_stem = {d.name.rsplit(".", 1)[0]: d for d, _e in FIXTURES}
    out = []
    for d, e in FIXTURES:
        other = json.loads(e.read_text(encoding="utf-8")).get("same_as")
        if other in by_stem and d.name < by_stem[other].name:
            out.append((d, by_stem[other]))
    return out


STRICT = ("category", "name", "remark", "superior_departments", "superior_duties", "town_duties",
          "receiving_departments", "working_method", "discontinued")


@pytest.mark.parametrize(("first", "second"), [pytest.param(a, b, id=f"{a.name}=={b.name}") for a, b in _pairs()])
def test_same_list_two_formats(first: Path, second: Path) -> None:
    """Class 7: a document and its print give the same records, step boundaries and punctuation included."""
    a, b = records(first), records(second)
    shape = [(x["list_type"], len(x["items"])) for x in a["lists"]]
    assert shape == [(x["list_type"], len(x["items"])) for x in b["lists"]]
    diffs = []
    for la, lb in zip(a["lists"], b["lists"], strict=True):
        for ia, ib in zip(la["items"], lb["items"], strict=True):
            for f in STRICT:
                if ia.get(f) != ib.get(f):
                    diffs.append(f"{la['list_type']} {ia['seq']} {f}: {ia.get(f)!r} != {ib.get(f)!r}")
    assert not diffs, f"{len(diffs)} differences:\n" + "\n".join(d[:300] for d in diffs[:8])
