"""#16, small promises: text that only looks like a tag, large 序号, a newer document.json, UTF-16 text, owner-password PDFs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from duty_lists.ingest.cli import main
from duty_lists.ingest.pipeline import load_document, process_file
from duty_lists.parsers import ParseError
from duty_lists.schema.assembly.normalise import html_to_text

from tests.conftest import GOOD_LISTS, text_form, write_text_form


@pytest.mark.parametrize("text", ["年满a岁<a岁且收入>b元的", "x<b且y>z", "1<br岁>2", "人数<p名>"])
def test_a_comparison_in_the_text_is_no_tag(text: str) -> None:
    assert html_to_text(text) == text


def test_real_tags_still_go() -> None:
    assert html_to_text('<span style="color:red">中文</span><a href="u">链接</a><br/>二<P class=x>三') == "中文链接\n二\n三"


def test_a_text_form_item_keeps_what_looks_like_a_tag(tmp_path: Path) -> None:
    lists = {"basic": [(1, "民生服务", "对年满a岁<a岁且收入>b元的老人发放补贴", "")]}
    doc = process_file(write_text_form(tmp_path / "青石镇.txt", lists))
    basic = doc.get_list("basic")
    assert basic is not None and basic.items[0].name == "对年满a岁<a岁且收入>b元的老人发放补贴"


def test_seq_of_ten_thousand_and_more_is_a_number(tmp_path: Path) -> None:
    rows = [(seq, "党的建设", f"事项{seq}", "") for seq in range(9999, 10003)]
    doc = process_file(write_text_form(tmp_path / "青石镇.txt", {"basic": rows}))
    basic = doc.get_list("basic")
    assert basic is not None
    assert [item.seq for item in basic.items] == [9999, 10000, 10001, 10002]
    assert basic.skipped_rows == []


def test_a_document_json_of_another_schema_version_is_refused(tmp_path: Path) -> None:
    doc = process_file(write_text_form(tmp_path / "青石镇.txt"))
    newer = tmp_path / "document.json"
    newer.write_text(json.dumps({**json.loads(doc.model_dump_json()), "schema_version": "2"}), encoding="utf-8")
    with pytest.raises(ParseError, match="schema version '2'"):
        load_document(newer)
    newer.write_text(doc.model_dump_json(), encoding="utf-8")
    assert load_document(newer).issuer == doc.issuer


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_text_with_a_byte_order_mark_is_read(tmp_path: Path, encoding: str) -> None:
    plain = process_file(write_text_form(tmp_path / "utf8" / "青石镇.txt"))
    wide = tmp_path / "utf16" / "青石镇.txt"
    wide.parent.mkdir()
    data = text_form().encode(encoding)
    wide.write_bytes(data if encoding == "utf-16" else b"\xfe\xff" + data)
    doc = process_file(wide)
    assert [len(dl.items) for dl in doc.lists] == [len(rows) for rows in GOOD_LISTS.values()]
    assert doc.lists == plain.lists


def _owner_password_only(path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), encrypt=StandardEncryption("", ownerPassword="owner", canPrint=1))
    pdf.drawString(72, 720, "Duty list of Qingshi town")
    pdf.save()


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("password", [None, "for-another-file", "owner"])
def test_an_owner_password_only_pdf_opens_with_or_without_a_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, password: str | None
) -> None:
    pdf = tmp_path / "限制编辑.pdf"
    _owner_password_only(pdf)
    extra = ["--password", password] if password else []
    assert main(["validate", str(pdf), "--pdf-engine", engine, *extra]) == 1
    reason = capsys.readouterr().err.split(f"{pdf}: ", 1)[1]
    # opened and read: what fails is the content (no table), never the encryption
    assert "no duty-list table" in reason and "password" not in reason and "encrypted" not in reason, reason
