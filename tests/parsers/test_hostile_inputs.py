"""Issue #16, bounded resources: small files that ask for gigabytes are processed or refused, named, within budget.

Each file is crafted here from a few bytes; each run is a ``duty-lists run``
subprocess whose address space is capped (``RLIMIT_AS``), so a file that still
asks for more fails the test instead of taking the machine.
"""

from __future__ import annotations

import io
import json
import random
import resource
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, SHAHE_PDF, write_text_form

#: The budget of the issue: 2 GB per document.
ADDRESS_SPACE = 2 * 1024**3
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def html_span_bomb(path: Path) -> None:
    path.write_text("<html><body><table><tr><td rowspan='65534' colspan='1000'>序号</td></tr></table></body></html>",
                    encoding="utf-8")


def _workbook_bytes(far_cell: str | None = None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["序号", "事项类别", "履职事项名称", "备注"])
    sheet.append([1, "党的建设", "加强党组织建设", ""])
    if far_cell:
        sheet[far_cell] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_far_cell(path: Path) -> None:
    path.write_bytes(_workbook_bytes("XFD1048576"))


def _with_merge(ref: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        """The merge written into the sheet's XML directly: openpyxl would make every covered cell to save it."""
        source = zipfile.ZipFile(io.BytesIO(_workbook_bytes()))
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info)
                if info.filename == "xl/worksheets/sheet1.xml":
                    data = data.replace(b"</sheetData>", f'</sheetData><mergeCells count="1"><mergeCell ref="{ref}"/>'
                                                         f"</mergeCells>".encode())
                target.writestr(info, data)

    write.__name__ = f"xlsx_merge_{ref.replace(':', '_')}"
    return write


def _docx(path: Path, body: str) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS}><w:body>'
                                              f"{body}</w:body></w:document>")


def docx_grid_span(path: Path) -> None:
    cell = '<w:tc><w:tcPr><w:gridSpan w:val="2000000000"/></w:tcPr><w:p><w:r><w:t>序号</w:t></w:r></w:p></w:tc>'
    _docx(path, f"<w:tbl><w:tr>{cell}</w:tr><w:tr>{cell}</w:tr></w:tbl>")


def docx_nested_tables(path: Path) -> None:
    depth = 20_000
    _docx(path, "<w:tbl><w:tr><w:tc>" * depth + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * depth)


def docx_inflates_past_its_declared_size(path: Path) -> None:
    """The central directory declares the real document.xml (size and CRC); its deflate stream carries 1 GiB more."""
    real = (f'<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS}><w:body><w:p><w:r><w:t>通知</w:t></w:r></w:p>'
            "</w:body></w:document>").encode()
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = compressor.compress(real) + b"".join(compressor.compress(b" " * (1 << 20)) for _ in range(1024))
    stream += compressor.flush()
    path.write_bytes(_zip([("[Content_Types].xml", CONTENT_TYPES.encode(), None),
                           ("word/document.xml", real, stream)]))


def _zip(members: list[tuple[str, bytes, bytes | None]]) -> bytes:
    """A ZIP written by hand: each member's declared size and CRC are those of its data,
    its deflate stream is ``stream`` when given (whatever that inflates to)."""
    out, central = bytearray(), bytearray()
    for name, data, stream in members:
        if stream is None:
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            stream = compressor.compress(data) + compressor.flush()
        fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0, zlib.crc32(data), len(stream), len(data))
        central += b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0,
                                                                                  len(out)) + name.encode()
        out += b"PK\x03\x04" + fields + struct.pack("<HH", len(name), 0) + name.encode() + stream
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    return bytes(out + central + end)


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF written by hand: ``objects`` numbered from 1, the first the catalog."""
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _flate(chunks: list[bytes], attrs: bytes = b"") -> bytes:
    """A FlateDecode stream object of ``chunks`` joined, compressed a chunk at a time (never held whole)."""
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(chunk) for chunk in chunks) + compressor.flush()
    return b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(data), attrs) + data + b"\nendstream"


def _one_page(content: list[bytes], resources: bytes = b"", *extra: bytes) -> bytes:
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << %s >> >>" % resources,
                 _flate(content), *extra])


def pdf_million_segments(path: Path) -> None:
    path.write_bytes(_one_page([b"0 0 m 10 10 l S\n" * 1_000_000]))


def pdf_one_path_of_a_million_segments(path: Path) -> None:
    path.write_bytes(_one_page([b"0 0 m\n", b"10 10 l\n" * 1_000_000, b"S\n"]))


def pdf_nested_states(path: Path) -> None:
    path.write_bytes(_one_page([b"q " * 4_000_000]))


def pdf_gigabyte_of_operators(path: Path) -> None:
    """1.2 GB of ``q Q`` in 1.2 MB of FlateDecode."""
    path.write_bytes(_one_page([b"q Q " * 262_144] * 1200))


def pdf_forms_drawing_forms(path: Path) -> None:
    """Ten levels of forms, each drawing the next ten times: 10^9 lines from 2 KB."""
    forms: list[bytes] = []
    for level in range(9, -1, -1):
        inner = b"/Resources << /XObject << /X %d 0 R >> >>" % (6 + len(forms)) if level else b""
        forms.append(_flate([b"/X Do\n" * 10 if level else b"0 0 m 10 10 l S\n"],
                            b"/Type /XObject /Subtype /Form /BBox [0 0 100 100] " + inner))
    path.write_bytes(_one_page([b"/X Do"], b"/XObject << /X 5 0 R >>", *forms))


def pdf_seven_million_characters(path: Path) -> None:
    path.write_bytes(_one_page([b"BT /F1 1 Tf 10 10 Td (", b"a" * 7_000_000, b") Tj ET"], b"/Font << /F1 5 0 R >>",
                               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"))


def pdf_without_media_box(path: Path) -> None:
    """A page with no MediaBox of its own and none to inherit (pdfminer logs a warning about it)."""
    path.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                           b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << >> >>",
                           _flate([b"0 0 m 10 10 l S"])]))


def pdf_broken_ascii85(path: Path) -> None:
    """A content stream whose ASCII85 holds a character ASCII85 has not (pdfminer raises ValueError on it)."""
    stream = b"<< /Length 12 /Filter /ASCII85Decode >>\nstream\n87cURD]i\xb1,\"~>\nendstream"
    path.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                           b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>", stream]))


def pdf_garbled(path: Path) -> None:
    """The rebuilt Shahe PDF with 200 bytes of its last two thirds overwritten (seeded)."""
    data = bytearray(SHAHE_PDF.read_bytes())
    rng = random.Random(1)
    for _ in range(200):
        data[rng.randrange(len(data) // 3, len(data))] = rng.randrange(256)
    path.write_bytes(bytes(data))


def png_pixel_bomb(path: Path) -> None:
    from PIL import Image

    Image.new("1", (12000, 12000)).save(path, format="PNG")


#: writer, name, words one of which the reason must hold (none: the file is processed)
CASES: list[tuple[Callable[[Path], None], str, tuple[str, ...]]] = [
    (html_span_bomb, "页面.html", ("no duty-list table",)),
    (xlsx_far_cell, "远单元格.xlsx", ()),
    (_with_merge("A1:XFD1048576"), "全表合并.xlsx", ("no duty-list table",)),  # one cell: the header is gone
    (_with_merge("B5:B1048576"), "长合并.xlsx", ()),
    (docx_grid_span, "跨列.docx", ("no duty-list table",)),
    (docx_nested_tables, "嵌套.docx", ("nested too deeply",)),
    (docx_inflates_past_its_declared_size, "超长流.docx", ("zip bomb", "corrupt", "no duty-list table")),
    (png_pixel_bomb, "大图.png", ("image too large",)),
]


#: writer, name, words one of which the reason must hold: each PDF read by both readers
PDF_CASES: list[tuple[Callable[[Path], None], str, tuple[str, ...]]] = [
    (pdf_million_segments, "百万线段.pdf", ("over the content budget",)),
    (pdf_one_path_of_a_million_segments, "一条路径.pdf", ("over the content budget",)),
    (pdf_nested_states, "嵌套状态.pdf", ("nested more than",)),
    (pdf_gigabyte_of_operators, "十亿字节.pdf", ("over the content budget",)),
    (pdf_forms_drawing_forms, "表单套表单.pdf", ("over the content budget",)),
    # PDFium places few of these glyphs (the page is read, and has no table); pdfminer makes every one
    (pdf_seven_million_characters, "七百万字.pdf", ("over the content budget", "no duty-list table")),
    # PDFium reads it as a Letter page; pdfplumber cannot make the page
    (pdf_without_media_box, "无页面框.pdf", ("no duty-list table", "no MediaBox")),
    (pdf_broken_ascii85, "坏编码.pdf", ("no duty-list table", "corrupt")),
    (pdf_garbled, "损坏.pdf", ("corrupt",)),
]


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


@pytest.mark.parametrize(("writer", "name", "words"), CASES, ids=[case[0].__name__ for case in CASES])
def test_a_small_file_asking_for_gigabytes_fails_alone_within_budget(
    tmp_path: Path, writer: Callable[[Path], None], name: str, words: tuple[str, ...]
) -> None:
    _fails_alone(tmp_path, writer, name, words)


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize(("writer", "name", "words"), PDF_CASES, ids=[case[0].__name__ for case in PDF_CASES])
def test_a_pdf_page_asking_for_gigabytes_fails_alone_within_budget_in_either_reader(
    tmp_path: Path, writer: Callable[[Path], None], name: str, words: tuple[str, ...], engine: str
) -> None:
    _fails_alone(tmp_path, writer, name, words, "--pdf-engine", engine, timeout=120)


def _fails_alone(tmp_path: Path, writer: Callable[[Path], None], name: str, words: tuple[str, ...], *options: str,
                 timeout: float = 240) -> None:
    good = write_text_form(tmp_path / "in" / "青石镇履职事项清单.txt")
    bad = tmp_path / "in" / name
    writer(bad)
    assert bad.stat().st_size < 2 * 1024 * 1024
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "duty_lists", "run", str(tmp_path / "in"), "--out", str(out), "--quiet",
                           *options], cwd=REPO, capture_output=True, text=True, timeout=timeout, preexec_fn=_limited)
    entries = {e["path"]: e for e in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"]}
    assert entries[good.as_posix()]["status"] == "ok"
    entry = entries[bad.as_posix()]
    if not words:
        assert entry["status"] == "ok" and done.returncode == 0, entry
        assert done.stderr == ""
        return
    assert entry["status"] == "failed" and done.returncode == 1
    assert any(word in entry["error"] for word in words), entry["error"]
    assert done.stderr.splitlines() == [f"duty-lists: {bad.as_posix()}: {entry['error']}"]
