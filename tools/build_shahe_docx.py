"""Write the 沙河镇 duty lists as a Word document, and export it with LibreOffice.

Issue #6 measures PDF reading on a LibreOffice export of these lists: a PDF
with embedded (subset) fonts, laid out by a word processor rather than by a
script.  This tool makes that document from the published text form:

1. a DOCX laid out the way such Word files are — A4 landscape, the town's
   title, then per list its heading and one ruled table whose header row
   repeats on every page (``w:tblHeader``) and whose rows may break across
   pages, every hard-break paragraph of a cell (the ``<p>`` fragments of the
   text form) as its own Word paragraph, 宋体 10.5 pt (五号), and a footer
   with a PAGE field printed as ``— N —``;
2. with ``--pdf``, that DOCX converted by LibreOffice (``soffice --headless``
   with a throwaway profile).  LibreOffice substitutes Noto CJK for 宋体 and
   embeds the subset it used.

The DOCX is deterministic (fixed document dates and ZIP timestamps); the PDF
is not (LibreOffice stamps its creation time and a document id).

Run ``python tools/build_shahe_docx.py [--pdf]``; outputs are committed in ``raw/``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "tests" / "fixtures"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

# The seed's parsing is build_shahe_pdf's, the deterministic ZIP the fixtures'.
from build_fixtures import FIXTURE_TIME, _normalise_zip  # noqa: E402
from build_shahe_pdf import SOURCE, STEM, SourceDoc, read_source  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from duty_lists.schema.assembly.normalise import html_to_text  # noqa: E402

DOCX_OUTPUT = ROOT / "raw" / f"{STEM}（重建版）.docx"
PDF_OUTPUT = ROOT / "raw" / f"{STEM}（LibreOffice导出）.pdf"

#: 宋体 for Chinese, Times New Roman for Latin: Word's usual pairing.
EAST_ASIAN_FONT = "宋体"
LATIN_FONT = "Times New Roman"
HEADING_FONT = "黑体"
#: Half-points: 五号 (10.5 pt) for the tables, 小二 for the title, 三号 for list headings.
BODY_SIZE = 21
TITLE_SIZE = 36
HEADING_SIZE = 32
#: Line pitch in twentieths of a point: 固定值 13 磅, so the layout does not
#: depend on which CJK font stands in for 宋体 (Noto CJK's own line height
#: is 1.45 em, SimSun's 1.0 em).
LINE_PITCH = 260
#: Page margins in twentieths of a point (2 cm top and bottom, 1.8 cm left and right).
MARGIN_TOP_BOTTOM = 1134
MARGIN_LEFT_RIGHT = 1021
#: Column width shares by number of columns, as Word tables of these lists
#: are usually set: narrow 序号 and 备注, the room to the duty texts.
COLUMN_SHARES: dict[int, tuple[float, ...]] = {
    4: (0.05, 0.12, 0.73, 0.10),
    5: (0.04, 0.08, 0.18, 0.64, 0.06),
    7: (0.04, 0.07, 0.12, 0.11, 0.31, 0.31, 0.04),
}
#: A4 landscape in twentieths of a point.
PAGE_WIDTH, PAGE_HEIGHT = 16838, 11906


def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(f"w:{tag}")


def _element(tag: str, **attrs: str):
    from docx.oxml import OxmlElement

    element = OxmlElement(f"w:{tag}")
    for name, value in attrs.items():
        element.set(_w(name), value)
    return element


def _set_fonts(rpr, east_asian: str, size: int, bold: bool = False) -> None:
    """Fonts, size and language of a run-properties element, in schema order."""
    for tag in ("rFonts", "b", "sz", "szCs", "lang"):
        for old in rpr.findall(_w(tag)):
            rpr.remove(old)
    rpr.insert(0, _element("rFonts", ascii=LATIN_FONT, hAnsi=LATIN_FONT, eastAsia=east_asian, cs=LATIN_FONT))
    if bold:
        rpr.insert(1, _element("b"))
    rpr.append(_element("sz", val=str(size)))
    rpr.append(_element("szCs", val=str(size)))
    rpr.append(_element("lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))


def _setup_styles(document) -> None:
    """Document defaults as a Chinese Word template has them: 宋体 五号,
    justified, lines 13 pt apart, no space before or after paragraphs — in the table style
    too, whose paragraph properties win over the defaults inside tables."""
    defaults = document.styles.element.find(_w("docDefaults"))
    _set_fonts(defaults.find(f"{_w('rPrDefault')}/{_w('rPr')}"), EAST_ASIAN_FONT, BODY_SIZE)
    for props in (defaults.find(f"{_w('pPrDefault')}/{_w('pPr')}"), document.styles["Table Grid"].element.find(_w("pPr"))):
        spacing = props.find(_w("spacing"))
        for name in list(spacing.attrib):
            del spacing.attrib[name]
        for name, value in (("before", "0"), ("after", "0"), ("line", str(LINE_PITCH)), ("lineRule", "exact")):
            spacing.set(_w(name), value)
    # 两端对齐, the alignment of Normal in Chinese Word templates.
    document.styles["Normal"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def _paragraph(container, text: str, *, size: int = BODY_SIZE, font: str = EAST_ASIAN_FONT, bold: bool = False,
               center: bool = False, space_after: int = 0):
    """A paragraph outside the tables; ``\\n`` in ``text`` is a line break (``w:br``)."""
    from docx.shared import Pt

    paragraph = container.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if space_after:
        paragraph.paragraph_format.space_after = Pt(space_after)
    # Titles set their own single spacing: 13 pt exactly would clip them.
    paragraph.paragraph_format.line_spacing = 1.0
    for index, line in enumerate(text.split("\n")):
        run = paragraph.add_run(line)
        if index:
            run._r.insert(0, _element("br"))
        _set_fonts(run._r.get_or_add_rPr(), font, size, bold)
    return paragraph


def _fill_cell(cell, text: str, *, header: bool) -> None:
    """One Word paragraph per hard-break line of the cell (blank lines between
    ``</p> <p>`` print nothing and are left out, as in the rebuilt PDF)."""
    lines = [line for line in html_to_text(text).split("\n") if line.strip()] or [""]
    first = cell.paragraphs[0]
    for index, line in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph()
        if header:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(line)
        _set_fonts(run._r.get_or_add_rPr(), HEADING_FONT if header else EAST_ASIAN_FONT, BODY_SIZE, bold=header)


def _table(document, header: list[str], rows: list[list[str]], width: int):
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.shared import Twips

    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    shares = COLUMN_SHARES.get(len(header)) or (1 / len(header),) * len(header)
    widths = [round(share * width) for share in shares]
    for column, grid_col in zip(table.columns, table._tbl.tblGrid.findall(_w("gridCol")), strict=True):
        grid_col.set(_w("w"), str(widths[column._index]))
    for r, cells in enumerate([header, *rows]):
        row = table.rows[r]
        if r == 0:
            # Repeat as header row at the top of each page; rows of the body
            # may break across pages (no w:cantSplit), LibreOffice's default.
            row._tr.get_or_add_trPr().append(_element("tblHeader"))
        for c, text in enumerate(cells):
            cell = row.cells[c]
            cell.width = Twips(widths[c])
            _fill_cell(cell, text, header=r == 0)
            if r == 0:
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                cell._tc.get_or_add_tcPr().append(_element("shd", val="clear", color="auto", fill="E6E6E6"))
    return table


def _page_number_footer(section) -> None:
    """``— N —`` centred, N a PAGE field (begin / instruction / separate / end)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def run(*children, text: str | None = None) -> None:
        r = paragraph.add_run(text)
        _set_fonts(r._r.get_or_add_rPr(), EAST_ASIAN_FONT, BODY_SIZE)
        for child in children:
            r._r.append(child)

    run(text="— ")
    run(_element("fldChar", fldCharType="begin"))
    instruction = _element("instrText")
    instruction.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instruction.text = " PAGE "
    run(instruction)
    run(_element("fldChar", fldCharType="separate"))
    run(text="1")
    run(_element("fldChar", fldCharType="end"))
    run(text=" —")


def build_docx(source: SourceDoc, path: Path) -> None:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Twips

    document = docx.Document()
    _setup_styles(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.top_margin = section.bottom_margin = Twips(MARGIN_TOP_BOTTOM)
    section.left_margin = section.right_margin = Twips(MARGIN_LEFT_RIGHT)
    section.footer_distance = Twips(567)
    _page_number_footer(section)
    width = PAGE_WIDTH - 2 * MARGIN_LEFT_RIGHT

    # The seed prints the title on two lines ("…阿拉尔市 五团沙河镇…").
    _paragraph(document, source.title.replace(" ", "\n"), size=TITLE_SIZE, font="方正小标宋简体", center=True,
               space_after=18)
    for index, duty_list in enumerate(source.lists):
        heading = _paragraph(document, duty_list.title, size=HEADING_SIZE, font=HEADING_FONT, center=True,
                             space_after=10)
        if index:
            heading.paragraph_format.page_break_before = True
        _table(document, duty_list.header, duty_list.rows, width)
    document.core_properties.title = source.title
    document.core_properties.author = "duty-lists"
    document.core_properties.last_modified_by = "tools/build_shahe_docx.py"
    document.core_properties.created = document.core_properties.modified = FIXTURE_TIME
    document.save(str(path))
    _normalise_zip(path)


def export_pdf(docx_path: Path, pdf_path: Path, soffice: str | None = None) -> None:
    """Convert with LibreOffice headless, in a throwaway user profile."""
    soffice = soffice or shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui fonts-noto-cjk")
    with tempfile.TemporaryDirectory(prefix="build_shahe_docx_") as tmp:
        work = Path(tmp)
        source = work / "shahe.docx"  # an ASCII name: soffice names its output after it
        shutil.copyfile(docx_path, source)
        subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation={(work / 'profile').as_uri()}", "--convert-to", "pdf",
             "--outdir", str(work), str(source)],
            check=True, capture_output=True, timeout=600,
        )
        shutil.copyfile(work / "shahe.pdf", pdf_path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--output", type=Path, default=DOCX_OUTPUT)
    parser.add_argument("--pdf", action="store_true", help="also export the DOCX to PDF with LibreOffice")
    parser.add_argument("--pdf-output", type=Path, default=PDF_OUTPUT)
    args = parser.parse_args(argv)
    source = read_source(args.source)
    build_docx(source, args.output)
    print(f"{args.output}: {sum(len(dl.rows) for dl in source.lists)} rows in {len(source.lists)} tables")
    if args.pdf:
        export_pdf(args.output, args.pdf_output)
        import pypdfium2

        pages = len(pypdfium2.PdfDocument(str(args.pdf_output)))
        print(f"{args.pdf_output}: {pages} pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
