"""Source: what the parser could not read, or read unreliably, told to the user.

Parsers note such things with a ``source.*`` code (``parsers/model.py``:
:data:`~parsers.model.SourceCode`); the notes reach ``document.json``
(``notes``) and each becomes one finding here, so it shows in the reports and
in ``validate`` beside the problems the checks find.  The codes are the
parsers'; the severity, title and wording are declared here, like every
other finding type.
"""

from __future__ import annotations

from collections.abc import Iterator

from duty_lists.schema.checks.base import Check, CheckContext, FindingType
from duty_lists.schema.records import Document, Finding, SourceNote


class SourcePageNotRead(FindingType):
    code = "source.page_not_read"
    severity = "warning"
    title = "页面未读取"
    description = "An image-only page (a scan) that was not read, because OCR is not installed: its items are missing."
    template = "{where}只有图像，未读取，其中的事项不在记录中（{detail}）"


class SourceCidText(FindingType):
    code = "source.cid_text"
    severity = "warning"
    title = "文字无法解码"
    description = "Glyphs without a Unicode mapping, read as (cid:N): the page's text is unreliable (try --pdf-engine ocr)."
    template = "{where}有字形无法映射为文字，读作 (cid:N)，文字不可靠，请对照原件或改用 --pdf-engine ocr（{detail}）"


class SourceSheetSkipped(FindingType):
    code = "source.sheet_skipped"
    severity = "warning"
    title = "隐藏工作表未读取"
    description = "A hidden worksheet of a workbook, not read: check that it holds no list."
    template = "{where}是隐藏工作表，未读取，请确认其中没有清单内容（{detail}）"


class SourceNumberingDropped(FindingType):
    code = "source.numbering_dropped"
    severity = "warning"
    title = "自动编号未还原"
    description = "Automatic list numbers in a format that is not rendered (letters, roman numerals) were left out of the text."
    template = "部分自动编号未能还原，相应文字缺少编号（{detail}）"


class SourceTableInCell(FindingType):
    code = "source.table_in_cell"
    severity = "warning"
    title = "单元格内嵌表格"
    description = ("A table inside a cell of a list table (directly or in a text box there): it cannot stand as a table "
                   "of its own, so its rows were read as lines of that cell's text and its columns joined by spaces.")
    template = "清单表格的单元格中嵌有表格，已按文字读入该单元格（各行分行、各列以空格相连），请对照原件核对（{detail}）"


class SourceObjectNotRead(FindingType):
    code = "source.object_not_read"
    severity = "warning"
    title = "嵌入对象未读取"
    description = ("An embedded object (w:object: an Excel sheet or another document pasted as an object, of which "
                   "the file holds only a picture) or an imported chunk (w:altChunk) in a DOCX: not read, so any "
                   "item inside it is missing.")
    template = "{detail}：以对象方式嵌入或导入的内容未读取，其中的事项不在记录中，请对照原件核对"


class SourceConverted(FindingType):
    code = "source.converted"
    severity = "info"
    title = "经格式转换读取"
    description = "A legacy .doc/.xls read through LibreOffice's conversion, which can renumber automatic lists."
    template = "旧格式文件经 LibreOffice 转换后读取，自动编号可能被重新编号（{detail}）"


class SourceOcrRead(FindingType):
    code = "source.ocr_read"
    severity = "warning"
    title = "扫描件经 OCR 识别"
    description = ("Pages read by OCR: every character is the recogniser's reading, and its confidence does not show "
                   "every misreading (， read as 、 at full confidence), so the records must be checked against the scan.")
    template = "{detail}：文字由机器识别，可能有错字或标点错误（如“，”读作“、”），请对照原件逐项核对"


class SourceListNotFound(FindingType):
    code = "source.list_not_found"
    severity = "error"
    title = "清单表格未找到"
    description = ("A title announces a list with items (共7项) but no table of that list was read anywhere in the "
                   "document (a table in a picture, an object or a layout not read): the whole list is missing.")
    template = "{where}标题声明了清单，但文件中未读到该清单的表格，其事项全部不在记录中，请对照原件核对（{detail}）"


class SourceTableNotList(FindingType):
    code = "source.table_not_list"
    severity = "info"
    title = "非清单表格未读取"
    description = ("A numbered table that is no duty list (a summary of the lists, a 目录, a download or contacts "
                   "table: no item-name column, or names that are list titles, file names or numbers): left out, "
                   "never read as items. Informs; check that it held no item.")
    template = "{where}有一个带序号的表格不是履职事项清单，未作为事项读取，请确认其中没有清单事项（{detail}）"


class SourceDittoResolved(FindingType):
    code = "source.ditto_resolved"
    severity = "info"
    title = "“同上”已按上一行取值"
    description = ("Cells of 事项类别 or a department column reading 同上 (〃, 仝上): a form's way of repeating the "
                   "row above, resolved to that row's value (rule ditto.carry); counted so the reviewer knows.")
    template = "表中写作“同上”的单元格已取上一行的值（{detail}），请对照原件核对"


class SourceDittoUnresolved(FindingType):
    code = "source.ditto_unresolved"
    severity = "error"
    title = "“同上”无可承接的值"
    description = ("A 同上 (〃) in the first item of a list, or under an empty cell: there is no value above to take, "
                   "so the item's field is unknown and is kept as printed.")
    template = "{where}{detail}，该项内容缺失，请对照原件补全"


class SourceCheck(Check):
    """One finding per ``source.*`` note of the document, in the parser's order."""

    types = (SourcePageNotRead, SourceCidText, SourceSheetSkipped, SourceNumberingDropped, SourceTableInCell,
             SourceObjectNotRead, SourceConverted, SourceOcrRead, SourceListNotFound, SourceTableNotList,
             SourceDittoResolved, SourceDittoUnresolved)

    def run(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        by_code = {finding_type.code: finding_type for finding_type in self.types}
        for note in doc.notes:
            finding_type = by_code.get(note.code)
            if finding_type is None:
                raise ValueError(f"source note {note.code!r} has no finding type in schema/checks/source.py")
            yield finding_type.make(page=note.page, text=note.sheet, where=where(note), detail=note.message)


def where(note: SourceNote) -> str:
    """工作表「名称」, 第 3 页, or nothing."""
    if note.sheet is not None:
        return f"工作表「{note.sheet}」"
    return f"第 {note.page} 页" if note.page else ""
