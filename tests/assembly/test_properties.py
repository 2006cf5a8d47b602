"""Properties: the normalisation rules never raise and never lose text; the text-form path fails only with ParseError."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from duty_lists.ingest.pipeline import RunOptions, build_document
from duty_lists.parsers import ParseError
from duty_lists.schema.assembly.department_cells import split_departments, split_reclaimed
from duty_lists.schema.assembly.normalise import collapse_space, html_to_text, join_wrapped_phrase, split_steps
from duty_lists.schema.records import LIST_TYPES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CJK = "党的建设工作方式承接部门师市农业农村局不再开展服务经济发展"
#: Single characters and the multi-character pieces the rules care about.
PIECES = [
    *CJK,
    *"0123456789abAB",
    *"\t\n \u3000\u00a0",
    *"<>&/=\"'",
    *"、；：。;:，,.（）()",
    "<p>", "</p>", "<br>", "<li>", "<ol>", "&amp;", "&lt;", "&nbsp;",
    "1.", "2、", "（1）", "(2)", "①", "一、", "（二）",
    "工作方式：", "承接部门：", "师市民政局：", "此项工作已不再开展",
]  # fmt: skip
TEXT = st.one_of(st.text(max_size=60), st.lists(st.sampled_from(PIECES), max_size=40).map("".join))

CONTENT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffA-Za-z0-9]")


def content(text: str) -> str:
    """Letters, digits and CJK characters: what a step may never lose or gain."""
    return "".join(CONTENT.findall(text))


def assert_clean_strings(values: object) -> None:
    assert isinstance(values, list)
    for value in values:
        assert isinstance(value, str)
        assert value, values
        assert value == value.strip(), values


@SETTINGS
@given(TEXT)
def test_simple_rules_return_strings(text: str) -> None:
    for rule in (html_to_text, collapse_space, join_wrapped_phrase):
        assert isinstance(rule(text), str)
    assert "\t" not in collapse_space(text) and "  " not in collapse_space(text)
    phrase = join_wrapped_phrase(text)
    assert phrase == phrase.strip() and "\n" not in phrase


@SETTINGS
@given(TEXT)
def test_split_steps_gives_stripped_non_empty_steps(text: str) -> None:
    assert_clean_strings(split_steps(text))


@SETTINGS
@given(TEXT)
def test_split_steps_keeps_every_letter_digit_and_cjk_character(text: str) -> None:
    # Stray punctuation-only units ("。") are dropped by design, and entities
    # are decoded by html_to_text, so compare the content characters of the
    # HTML-free text: nothing lost, nothing added, same order.
    assert content("".join(split_steps(text))) == content(html_to_text(text))


WORD = st.text(alphabet=CJK + "0123456789ab", min_size=1, max_size=6)
GAP = st.sampled_from(["", " ", "  ", "\n", "\t", "\u3000"])
MARK = st.sampled_from(["", "1.", "2、", "（1）", "①", "一、", "工作方式：", "师市民政局："])
PUNCT = st.sampled_from(["", "、", "；", "：", "。", ";", ":", "，", ","])
#: Step text without HTML and without punctuation-only units: every piece of
#: punctuation follows a word.
STEP_TEXT = st.lists(st.tuples(GAP, MARK, WORD, PUNCT).map("".join), max_size=12).map("".join)


def without_separators(text: str) -> str:
    return re.sub(r"[\s；;，,]", "", text)


@SETTINGS
@given(STEP_TEXT)
def test_split_steps_loses_only_whitespace_and_separators(text: str) -> None:
    assert without_separators("".join(split_steps(text))) == without_separators(text)


@SETTINGS
@given(TEXT)
def test_split_departments_gives_clean_names(text: str) -> None:
    names = split_departments(text)
    assert_clean_strings(names)
    for name in names:
        assert not re.search(r"[、，,；;\n]", name), name


@SETTINGS
@given(TEXT)
def test_split_reclaimed_shape(text: str) -> None:
    result = split_reclaimed(text)
    assert isinstance(result, tuple) and len(result) == 3
    departments, steps, discontinued = result
    assert_clean_strings(departments)
    assert_clean_strings(steps)
    assert isinstance(discontinued, bool)
    if discontinued:
        assert departments == []


# --------------------------------------------------------------------------- text form → Document

CELL_PIECES = [
    *"党的建设经济发展服务0123456789０１一、.（）() \u3000<>&；：。",
    "序号", "事项类别", "履职事项名称", "备注", "对应上级部门", "承接部门及工作方式",
    "基本履职事项清单", "配合履职事项清单", "上级部门收回事项清单", "目录", "共3项", "（2项）",
    "承接部门：", "工作方式：", "不再开展", "— 3 —", "....(5)", "注：",
]  # fmt: skip
CELL = st.lists(st.sampled_from(CELL_PIECES), max_size=6).map("".join)
HEADER_LINES = [
    "序号\t事项类别\t履职事项名称\t备注",
    "序号\t事项类别\t履职事项名称\t对应上级部门\t上级部门职责\t团镇（街道）配合职责\t备注",
    "序号\t事项类别\t履职事项名称\t承接部门及工作方式\t备注",
]
TITLE = st.tuples(st.sampled_from(["", "某某县青石镇", "第一师"]), CELL, st.sampled_from(["基本", "配合", "上级部门收回", ""]))
LINE = st.one_of(
    CELL,
    st.lists(CELL, min_size=2, max_size=8).map("\t".join),
    st.tuples(st.integers(-1, 10_000), CELL, CELL, CELL).map(lambda t: "\t".join(map(str, t))),
    st.sampled_from(HEADER_LINES),
    TITLE.map(lambda t: f"{t[0]}{t[1]}{t[2]}履职事项清单"),
)
DOCUMENT = st.lists(LINE, max_size=25).map("\n".join)

OPTIONS = RunOptions()


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


def builds_or_parse_error(work: Path, data: bytes) -> None:
    path = work / "文档.txt"
    path.write_bytes(data)
    try:
        doc = build_document(path, OPTIONS)
    except ParseError as exc:
        assert exc.reason
        return
    assert doc.lists and all(lst.items for lst in doc.lists)
    assert {lst.list_type for lst in doc.lists} <= set(LIST_TYPES)


@SETTINGS
@given(DOCUMENT)
def test_text_form_parses_or_raises_parse_error(work: Path, text: str) -> None:
    builds_or_parse_error(work, text.encode("utf-8"))


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_parse_or_raise_parse_error(work: Path, data: bytes) -> None:
    builds_or_parse_error(work, data)
