"""Issue #16, bounded resources: small files that ask for gigabytes are processed or refused, named, within budget.

Each file is crafted here from a few bytes; each run is a ``duty-lists run``
subprocess whose address space is capped (``RLIMIT_AS``), so a file that still
asks for more fails the test instead of taking the machine.
"""

from __future__ import annotations

import io
import json
import resource
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import REPO, write_text_form

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


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


@pytest.mark.parametrize(("writer", "name", "words"), CASES, ids=[case[0].__name__ for case in CASES])
def test_a_small_file_asking_for_gigabytes_fails_alone_within_budget(
    tmp_path: Path, writer: Callable[[Path], None], name: str, words: tuple[str, ...]
) -> None:
    good = write_text_form(tmp_path / "in" / "青石镇履职事项清单.txt")
    bad = tmp_path / "in" / name
    writer(bad)
    assert bad.stat().st_size < 2 * 1024 * 1024
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "duty_lists", "run", str(tmp_path / "in"), "--out", str(out), "--quiet"],
                          cwd=REPO, capture_output=True, text=True, timeout=240, preexec_fn=_limited)
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
