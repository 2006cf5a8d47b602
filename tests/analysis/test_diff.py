"""diff: two versions of a fictional town must diff to exactly the edits made."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from duty_lists.ingest.analysis.diff import diff_documents, render_html, render_markdown, render_text, to_json, word_diff
from duty_lists.ingest.cli import main
from duty_lists.schema.records import Document, DutyList, Item, Source

ROOT = Path(__file__).resolve().parents[2]


def town(lists: dict[str, list[Item]], path: str) -> Document:
    return Document(
        source=Source(path=path, sha256="0" * 64, format="text", pages=0),
        issuer="示例县和平镇",
        lists=[DutyList.model_validate({"list_type": t, "title": f"和平镇{t}", "items": items}) for t, items in lists.items()],
    )


def item(seq: int, category: str, name: str, **fields: object) -> Item:
    return Item.model_validate({"seq": seq, "category": category, "name": name, **fields})


def old_version() -> Document:
    return town(
        {
            "basic": [
                item(1, "党的建设", "加强基层党组织建设，规范党内组织生活"),
                item(2, "党的建设", "做好党员发展、教育、管理工作"),
                item(3, "经济发展", "开展统计调查，按时上报统计数据"),
                item(4, "经济发展", "优化营商环境，服务个体工商户"),
                item(5, "民生服务", "最低生活保障对象的申请受理和入户调查"),
                item(6, "民生服务", "特困人员供养对象的认定初审"),
                item(7, "平安法治", "矛盾纠纷排查化解"),
                item(8, "乡村振兴", "耕地保护日常巡查"),
                item(9, "生态环保", "秸秆禁烧宣传和巡查"),
            ],
            "cooperative": [
                item(1, "乡村振兴", "农药经营许可", superior_departments=["师市农业农村局"],
                     town_duties=["1.受理申请材料", "2.实地核查经营场所"]),
                item(2, "乡村振兴", "动物防疫强制免疫", superior_departments=["师市农业农村局"]),
                item(3, "应急管理", "安全生产隐患排查", superior_departments=["师市应急管理局"]),
                item(4, "综合政务", "地名信息数据核查", superior_departments=["师市民政局"]),
            ],
            "reclaimed": [
                item(1, "综合政务", "不规范地名清理整治", receiving_departments=["师市民政局"]),
            ],
        },
        "v1/和平镇.pdf",
    )


def new_version() -> Document:
    """The edits: renumbered throughout, 2 renamed, 1 moved basic → reclaimed,
    1 department changed, 3 added, 2 removed."""
    return town(
        {
            "basic": [
                item(1, "党的建设", "组织开展森林草原防火巡护"),  # added
                item(2, "党的建设", "加强基层党组织建设，规范党内组织生活"),
                item(3, "党的建设", "做好党员发展、教育、管理和服务工作"),  # renamed
                item(4, "经济发展", "开展统计调查，按时上报统计数据"),
                item(5, "经济发展", "优化营商环境，服务个体工商户"),
                item(6, "民生服务", "最低生活保障对象的申请受理、入户调查和公示"),  # renamed
                item(7, "民生服务", "特困人员供养对象的认定初审"),
                item(8, "民生服务", "退役军人优抚对象信息采集"),  # added
                item(9, "平安法治", "矛盾纠纷排查化解"),
                # 秸秆禁烧宣传和巡查: removed
            ],
            "cooperative": [
                item(1, "民生服务", "城乡居民医疗保险参保登记", superior_departments=["师市医疗保障局"]),  # added
                item(2, "乡村振兴", "农药经营许可", superior_departments=["师市农业农村局"],
                     town_duties=["1.受理申请材料", "2.实地核查经营场所"]),
                item(3, "乡村振兴", "动物防疫强制免疫", superior_departments=["师市农业农村局"]),
                item(4, "应急管理", "安全生产隐患排查", superior_departments=["师市应急管理局", "师市消防救援支队"]),
                # 地名信息数据核查: removed
            ],
            "reclaimed": [
                item(1, "综合政务", "不规范地名清理整治", receiving_departments=["师市民政局"]),
                item(2, "乡村振兴", "耕地保护日常巡查"),  # moved from basic #8
            ],
        },
        "v2/和平镇.docx",
    )


def test_diff_finds_exactly_the_edits() -> None:
    diff = diff_documents(old_version(), new_version())
    assert diff.counts() == {
        "added": 3, "removed": 2, "renamed": 2, "moved": 1, "fields_changed": 1, "unchanged": 8, "renumbered": 7,
    }
    added = ["组织开展森林草原防火巡护", "退役军人优抚对象信息采集", "城乡居民医疗保险参保登记"]
    assert sorted(r.name for r in diff.added) == sorted(added)
    assert sorted(r.name for r in diff.removed) == sorted(["秸秆禁烧宣传和巡查", "地名信息数据核查"])
    renamed = {(c.old.name, c.new.name) for c in diff.changed if c.renamed}
    assert renamed == {
        ("做好党员发展、教育、管理工作", "做好党员发展、教育、管理和服务工作"),
        ("最低生活保障对象的申请受理和入户调查", "最低生活保障对象的申请受理、入户调查和公示"),
    }
    (moved,) = [c for c in diff.changed if c.moved]
    assert (moved.old.list_type, moved.old.seq, moved.new.list_type, moved.new.seq) == ("basic", 8, "reclaimed", 2)
    assert not moved.renamed and not moved.fields
    (dept,) = [c for c in diff.changed if c.fields]
    assert dept.new.name == "安全生产隐患排查" and not dept.renamed and not dept.moved
    (change,) = dept.fields
    assert (change.field, change.old, change.new) == ("superior_departments", "师市应急管理局", "师市应急管理局、师市消防救援支队")
    assert [(s.op, s.text) for s in change.spans if s.op != "equal"] == [("insert", "、师市消防救援支队")]


def test_same_document_is_identical_even_renumbered() -> None:
    old = old_version()
    assert diff_documents(old, old_version()).identical
    shuffled = old_version()
    shuffled.lists[0].items.reverse()
    for seq, it in enumerate(shuffled.lists[0].items, start=1):
        it.seq = seq
    diff = diff_documents(old, shuffled)
    assert diff.identical and diff.renumbered == 8


def test_word_diff_rebuilds_both_texts() -> None:
    old, new = "做好党员发展、教育、管理工作", "做好党员发展、教育、管理和服务工作"
    spans = word_diff(old, new)
    assert "".join(s.text for s in spans if s.op != "insert") == old
    assert "".join(s.text for s in spans if s.op != "delete") == new
    assert [s.text for s in spans if s.op == "insert"] == ["和服务"]


def test_renderers() -> None:
    diff = diff_documents(old_version(), new_version())
    data = json.loads(to_json(diff))
    assert list(data)[:3] == ["identical", "counts", "old_source"] and data["identical"] is False
    assert data["counts"]["added"] == 3 and data["changed"][0]["name_spans"]
    text = render_text(diff)
    assert "{+和服务+}" in text and "\x1b[" not in text
    assert "\x1b[" in render_text(diff, color=True)
    page = render_html(diff)
    assert page.startswith("<!DOCTYPE html>") and "<ins>和服务</ins>" in page and "<style>" in page
    assert "<th>变化</th>" in page and ">removed<" not in page  # people read it in Chinese
    assert "<script" not in page and "http" not in page  # self-contained
    assert "**和服务**" in render_markdown(diff)


def test_html_escapes_document_text_and_shows_the_changes() -> None:
    old, new = old_version(), new_version()
    new.lists[0].items[0] = new.lists[0].items[0].model_copy(update={"name": "<script>alert(1)</script>&"})
    page = render_html(diff_documents(old, new))
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in page
    assert "<ins>和服务</ins>" in page
    rows = page[page.index("<tbody>"):page.index("</tbody>")]
    assert rows.count('<tr class="added">') == 3 and '<tr class="removed">' in rows and "<del>" in rows


def write(doc: Document, path: Path) -> Path:
    path.write_text(doc.model_dump_json(), encoding="utf-8")
    return path


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = write(old_version(), tmp_path / "old.json")
    new = write(new_version(), tmp_path / "new.json")
    assert main(["diff", str(old), str(old)]) == 0
    assert main(["diff", str(old), str(new), "--format", "json"]) == 1
    out = capsys.readouterr().out
    assert json.loads(out[out.index("{") :])["counts"]["moved"] == 1
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert main(["diff", str(old), str(broken)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "broken.json" in err
    assert main(["diff", str(tmp_path / "missing.pdf"), str(new)]) == 2
    assert "missing.pdf" in capsys.readouterr().err


def test_text_form_and_pdf_of_shahe_diff_as_identical() -> None:
    """Two formats of one document: every item pairs, nothing changed, exit 0."""
    from duty_lists.ingest.pipeline import load_document

    text = load_document(ROOT / "raw" / "新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单.txt")
    pdf = load_document(ROOT / "raw" / "新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单（重建版）.pdf")
    diff = diff_documents(text, pdf)
    counts = diff.counts()
    assert counts["added"] == counts["removed"] == counts["renamed"] == counts["moved"] == 0
    assert counts["fields_changed"] == 0
    assert counts["unchanged"] == sum(len(lst.items) for lst in text.lists) == 267
    assert main(["diff", str(ROOT / "raw" / "新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单.txt"),
                 str(ROOT / "raw" / "新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单（重建版）.pdf")]) == 0


def _duties_version(superior: list[str], town_duties: list[str], remark: str | None = None) -> Document:
    return town(
        {"cooperative": [item(1, "乡村振兴", "农药经营许可", superior_departments=["师市农业农村局"],
                              superior_duties=superior, town_duties=town_duties, remark=remark)]},
        "v.docx",
    )


def test_extraction_artefacts_are_no_change() -> None:
    """Re-marked steps (1. / （1） / ①), a step glued to its heading by a PDF
    line join, and a doubled 。 at a step end: the same list, no change."""
    docx = _duties_version(
        ["一、组织开展创新创业大赛", "（1）组织辖区企业参加活动", "（2）营造良好氛围。"],
        ["1.受理申请材料", "2.实地核查经营场所"], remark="新增事项",
    )
    pdf = _duties_version(
        ["一、组织开展创新创业大赛（1）组织辖区企业参加活动", "（2）营造良好氛围。。"],
        ["①受理申请材料", "②实地核查经营场所"], remark="新增事项。",
    )
    diff = diff_documents(docx, pdf)
    assert diff.identical, render_text(diff)


def test_a_real_change_among_artefacts_shows_only_its_words() -> None:
    old = _duties_version(["1.制定防控方案", "2.发布防治信息"], ["1.受理申请材料"])
    new = _duties_version(["（1）制定防控方案；", "（2）发布防治信息和预警"], ["①受理申请材料"])
    (change,) = diff_documents(old, new).changed
    (field,) = change.fields
    assert field.field == "superior_duties"
    assert [(s.op, s.text) for s in field.spans if s.op != "equal"] == [("insert", "和预警")]
    assert "（1）" not in field.new and "1." not in field.old


def test_text_and_markdown_speak_chinese() -> None:
    from duty_lists.ingest.analysis.diff import diff_documents, render_markdown, render_text
    from duty_lists.schema.records import DutyList, Item, Source

    def doc(names: list[str], duties: str) -> Document:
        items = [Item(seq=n, category="党的建设", name=name, superior_departments=["县委组织部"], town_duties=[duties])
                 for n, name in enumerate(names, 1)]
        return Document(source=Source(path="a.pdf", sha256="0" * 64, format="pdf", pages=1), issuer="甲镇",
                        lists=[DutyList(list_type="cooperative", title="配合", items=items)])

    diff = diff_documents(doc(["加强党的建设", "做好统战工作"], "做好准备"), doc(["加强党的建设", "做好统一战线工作"], "做好会议准备"))
    text = render_text(diff)
    assert "新增" in text.splitlines()[1] and "更名" in text and "配合履职事项清单第 2 项［党的建设］" in text
    assert "乡镇（街道）配合职责" not in text and "配合职责：" in text  # the field's label, not its key
    assert "town_duties" not in text and "removed" not in text
    markdown = render_markdown(diff)
    assert "## 有变化的事项" in markdown and "town_duties" not in markdown
