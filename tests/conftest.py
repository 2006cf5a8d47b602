"""Shared helpers for the check, CLI, bad-input and property tests.

Two ways to build a test document:

* :func:`make_doc` / :func:`item` — records built directly, for checks that
  look at one field;
* :func:`text_form` — a small text-form document (the published rendering:
  titles, then tab-separated rows under a header), for anything that goes
  through parsing and assembly.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from duty_lists.schema.records import Document, DutyList, Finding, Item, Source, TocEntry

REPO = Path(__file__).resolve().parents[1]
# The fixture generators (tests/fixtures) and tools/ are scripts, not
# packages; tests import them by name from here rather than each on its own.
for _scripts in (REPO / "tests" / "fixtures", REPO / "tools"):
    if str(_scripts) not in sys.path:
        sys.path.insert(0, str(_scripts))
SHAHE_TXT = REPO / "raw" / "新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单.txt"
SHAHE_PDF = REPO / "raw" / "新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单（重建版）.pdf"
SHAHE_ISSUER = "新疆生产建设兵团第一师阿拉尔市五团沙河镇"

TOWN = "某某县青石镇"
HEADERS = {
    "basic": "序号\t事项类别\t履职事项名称\t备注",
    "cooperative": "序号\t事项类别\t履职事项名称\t对应上级部门\t上级部门职责\t团镇（街道）配合职责\t备注",
    "reclaimed": "序号\t事项类别\t履职事项名称\t承接部门及工作方式\t备注",
}
TITLES = {"basic": "基本履职事项清单", "cooperative": "配合履职事项清单", "reclaimed": "上级部门收回事项清单"}

#: A clean three-list document: known categories, complete fields, 1..N numbering.
GOOD_LISTS: dict[str, list[tuple[object, ...]]] = {
    "basic": [
        (1, "党的建设", "加强本镇党组织建设", ""),
        (2, "党的建设", "做好党员发展和教育管理工作", ""),
        (3, "经济发展", "统计本镇经济运行数据", ""),
    ],
    "cooperative": [
        (1, "平安法治", "配合开展禁毒宣传", "县公安局", "1.制定禁毒宣传方案；2.组织宣传活动", "组织辖区群众参加禁毒宣传", ""),
        (2, "乡村振兴", "配合开展农田水利建设", "县水利局", "负责农田水利规划", "协助摸排辖区水利设施", ""),
    ],
    "reclaimed": [
        (1, "城乡建设", "建筑工程施工许可", "承接部门：县住房和城乡建设局 工作方式： 1.受理申请；2.审核发证", ""),
        (2, "生态环保", "排污许可证核发", "此项工作已不再开展", ""),
    ],
}


def text_form(
    lists: Mapping[str, Sequence[Sequence[object]]] | None = None, town: str = TOWN, titles: dict[str, str] | None = None
) -> str:
    """A text-form document: a title line per list, its header, then one tab-separated line per row."""
    lines = [f"{town}履职事项清单", ""]
    for list_type, rows in (GOOD_LISTS if lists is None else lists).items():
        title = (titles or {}).get(list_type, f"{town}{TITLES[list_type]}")
        lines += [title, "", HEADERS[list_type]]
        lines += ["\t".join(str(cell) for cell in row) for row in rows]
        lines.append("")
    return "\n".join(lines) + "\n"


def write_text_form(
    path: Path, lists: Mapping[str, Sequence[Sequence[object]]] | None = None, town: str = TOWN, titles: dict[str, str] | None = None
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text_form(lists, town, titles), encoding="utf-8")
    return path


def item(seq: int, category: str = "党的建设", name: str | None = None, **fields: object) -> Item:
    name = name if name is not None else f"{category}事项{seq}"
    return Item.model_validate({"seq": seq, "category": category, "name": name, **fields})


def make_doc(
    *lists: DutyList,
    toc: Sequence[TocEntry] = (),
    printed_pages: dict[int, int] | None = None,
    pages: int = 0,
) -> Document:
    return Document(
        source=Source(path="测试.txt", sha256="0" * 64, format="pdf" if pages else "text", pages=pages),
        issuer=TOWN,
        lists=list(lists),
        toc=list(toc),
        printed_pages=printed_pages or {},
    )


def basic(*items: Item, **kwargs: object) -> DutyList:
    return DutyList.model_validate({"list_type": "basic", "title": f"{TOWN}基本履职事项清单", "items": list(items), **kwargs})


def of_code(findings: Sequence[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


@pytest.fixture
def good_txt(tmp_path: Path) -> Path:
    """A clean text-form document with a Chinese file name."""
    return write_text_form(tmp_path / "in" / "青石镇履职事项清单.txt")
