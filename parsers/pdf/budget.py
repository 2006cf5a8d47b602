"""Content-stream budgets: a page that asks for more work than any duty list needs is refused before it is laid out.

A few kilobytes of FlateDecode can hold a million path segments or a
gigabyte of operators, and both PDF readers would turn all of it into
objects (#16: > 3 GB for 31 KB).  Before a page is read, :func:`check_page`
measures its content without interpreting it, for both readers alike
(pdfminer objects, so also before PDFium loads the page):

- the decoded bytes of its content streams, each form XObject counted every
  time the page draws it (a form drawing a form drawing a form… multiplies),
  inflated in a stream with a hard cap, whatever the stream declares;
- how deep graphics states nest (``q`` without ``Q``).

While a page is read, each reader counts what it makes — characters and
path segments — against :data:`MAX_PAGE_OBJECTS`
(:class:`BudgetedAggregator` for pdfminer, ``pdfium.reader`` for PDFium).
The densest real page among the fixtures decodes to 53 KB and makes
1,800 characters and path segments; the budgets are two orders of magnitude above that.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from duty_lists.parsers.errors import ParseError
from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.lzw import LZWDecoder
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import (
    LITERALS_ASCII85_DECODE,
    LITERALS_ASCIIHEX_DECODE,
    LITERALS_FLATE_DECODE,
    LITERALS_LZW_DECODE,
    LITERALS_RUNLENGTH_DECODE,
    PDFStream,
    resolve1,
)
from pdfminer.psparser import LIT
from pdfminer.runlength import rldecode
from pdfplumber.page import PDFPageAggregatorWithMarkedContent
from pdfplumber.utils.exceptions import PdfminerException

if TYPE_CHECKING:
    from pdfplumber.page import Page

#: Decoded content a page may interpret, forms counted each time they are drawn.
MAX_CONTENT_BYTES = 8 * 1024**2
#: Graphics states saved (``q``) and not yet restored, at most.
MAX_STATE_DEPTH = 256
#: Characters plus path segments one page may produce.
MAX_PAGE_OBJECTS = 200_000

_FORM = LIT("Form")
#: ``q``/``Q`` and ``/Name Do`` as tokens (a delimiter or whitespace on either side).
_STATE = re.compile(rb"(?<![^\s\])>}])[qQ](?![^\s\[(</{%])")
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do(?![^\s\[(</{%])")


class ContentBudget(Exception):
    """A page over a budget; :func:`over_budget` makes the reason."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def over_budget(path: str, page: int, exc: ContentBudget) -> ParseError:
    return ParseError(f"PDF 第 {page} 页内容超出处理预算 (page {page} over the content budget: {exc.detail})", path=path)


def check_page(page: PDFPage) -> None:
    """Raise :class:`ContentBudget` if ``page`` decodes to more than
    :data:`MAX_CONTENT_BYTES` (forms counted as drawn) or nests graphics
    states deeper than :data:`MAX_STATE_DEPTH`."""
    _Tally().contents(_streams(page.contents), page.resources, ())


class _Tally:
    def __init__(self) -> None:
        self.bytes = 0
        #: a form's cost per drawing, by object id (drawn again: counted again, not decoded again)
        self.forms: dict[int, int] = {}

    def contents(self, streams: list[PDFStream], resources: Any, drawing: tuple[int, ...]) -> int:
        """The bytes ``streams`` interpret with ``resources``, their forms included."""
        start = self.bytes
        depth = deepest = 0
        for stream in streams:
            data = self.decode(stream)
            for match in _STATE.finditer(data):
                depth = depth + 1 if match.group() == b"q" else max(0, depth - 1)
                deepest = max(deepest, depth)
            if deepest > MAX_STATE_DEPTH:
                raise ContentBudget(f"graphics states nested more than {MAX_STATE_DEPTH} deep")
            for name in _DO.findall(data):
                self.form(resources, name.decode("latin-1"), drawing)
        return self.bytes - start

    def form(self, resources: Any, name: str, drawing: tuple[int, ...]) -> None:
        resources = resolve1(resources)
        xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
        ref = xobjects.get(name) if isinstance(xobjects, dict) else None
        stream = resolve1(ref)
        if not isinstance(stream, PDFStream) or stream.get("Subtype") is not _FORM:
            return
        objid = getattr(ref, "objid", None) or id(stream)
        if objid in drawing:
            return  # a form that draws itself: both readers refuse the cycle
        if objid in self.forms:
            self.add(self.forms[objid])
            return
        own = stream.get("Resources")
        self.forms[objid] = self.contents([stream], own if own is not None else resources, (*drawing, objid))

    def decode(self, stream: PDFStream) -> bytes:
        data = decoded(stream, MAX_CONTENT_BYTES - self.bytes)
        self.add(len(data))
        return data

    def add(self, size: int) -> None:
        self.bytes += size
        if self.bytes > MAX_CONTENT_BYTES:
            raise ContentBudget(f"more than {MAX_CONTENT_BYTES // 1024**2} MB of content to interpret")


def _streams(contents: Any) -> list[PDFStream]:
    return [stream for stream in (resolve1(obj) for obj in contents or []) if isinstance(stream, PDFStream)]


def decoded(stream: PDFStream, limit: int) -> bytes:
    """``stream``'s data as pdfminer decodes it, or :class:`ContentBudget`
    as soon as it grows past ``limit`` bytes — inflated in a stream, never
    whole: what the stream declares counts for nothing."""
    if stream.data is not None:
        data = stream.data
    else:
        data = stream.rawdata or b""
        if stream.decipher:
            # as pdfminer's own PDFStream.decode: an encrypted stream has its object number
            assert stream.objid is not None and stream.genno is not None
            data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
        for f, _ in stream.get_filters():
            data = _unfilter(f, data, limit)
    if len(data) > limit:
        raise ContentBudget(f"more than {MAX_CONTENT_BYTES // 1024**2} MB of content to interpret")
    return data


def _unfilter(f: Any, data: bytes, limit: int) -> bytes:
    if f in LITERALS_FLATE_DECODE:
        return _capped(_inflate(data), limit)
    if f in LITERALS_LZW_DECODE:
        return _capped(LZWDecoder(io.BytesIO(data)).run(), limit)
    if f in LITERALS_RUNLENGTH_DECODE and len(data) * 64 > limit:  # two bytes make at most 128
        raise ContentBudget(f"a RunLength stream of {len(data)} bytes may decode past the budget")
    decode = {**dict.fromkeys(LITERALS_ASCII85_DECODE, ascii85decode),  # these two never grow
              **dict.fromkeys(LITERALS_ASCIIHEX_DECODE, asciihexdecode),
              **dict.fromkeys(LITERALS_RUNLENGTH_DECODE, rldecode)}.get(f)
    if decode is None:
        return data  # images and filters no reader decodes as content
    try:
        return decode(data)
    except ValueError:
        return b""  # broken: the reader says so when it reads the page


def _inflate(data: bytes, chunk: int = 1 << 20) -> Iterator[bytes]:
    """Inflated ``data`` a chunk at a time; a broken stream ends where it
    breaks (pdfminer recovers at most that much of it)."""
    inflater = zlib.decompressobj()
    try:
        while True:
            piece = inflater.decompress(data, chunk)
            yield piece
            data = inflater.unconsumed_tail
            if inflater.eof or (not data and len(piece) < chunk):
                return
    except zlib.error:
        return


def _capped(chunks: Iterator[bytes], limit: int) -> bytes:
    out = bytearray()
    for piece in chunks:
        out += piece
        if len(out) > limit:
            raise ContentBudget(f"more than {MAX_CONTENT_BYTES // 1024**2} MB of content to interpret")
    return bytes(out)


class BudgetedAggregator(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's layout device, counting characters and path segments
    against :data:`MAX_PAGE_OBJECTS` as the interpreter makes them."""

    objects = 0

    def _count(self, n: int) -> None:
        self.objects += n
        if self.objects > MAX_PAGE_OBJECTS:
            raise ContentBudget(f"more than {MAX_PAGE_OBJECTS} characters and path segments")

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        self._count(1)
        return super().render_char(*args, **kwargs)

    def paint_path(self, gstate: Any, stroke: bool, fill: bool, evenodd: bool, path: Any) -> None:
        self._count(len(path))
        super().paint_path(gstate, stroke, fill, evenodd, path)



def lay_out(page: Page) -> None:
    """pdfplumber's ``page.layout``, made within the budgets: the page is
    measured first (:func:`check_page`), then interpreted with
    :class:`BudgetedAggregator`; pdfplumber's own properties (``chars``,
    ``images``, ``find_tables``) then read the cached result."""
    if hasattr(page, "_layout"):
        return
    check_page(page.page_obj)
    device = BudgetedAggregator(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    try:
        PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    except (ContentBudget, RecursionError, MemoryError):
        raise
    except Exception as exc:  # what pdfplumber's own ``layout`` wraps, so the reasons stay the same
        raise PdfminerException(exc) from exc
    page._layout = device.get_result()


def check_document(path: Path, password: str | None) -> None:
    """Every page of the PDF at ``path`` measured by :func:`check_page`
    before PDFium loads any (it parses a whole page's content in one call);
    :class:`ParseError` for the first page over budget.  A file pdfminer
    cannot read (it raises anything from ``PDFSyntaxError`` to ``ValueError``
    on a damaged file) is left to PDFium, which reads more broken files."""
    with path.open("rb") as handle:
        try:
            pages = PDFPage.create_pages(PDFDocument(PDFParser(handle), password=password or ""))
            for number, page in enumerate(pages, 1):
                try:
                    check_page(page)
                except ContentBudget as exc:
                    raise over_budget(str(path), number, exc) from exc
        except (ParseError, MemoryError, RecursionError):
            raise
        except Exception:  # whatever pdfminer trips on, PDFium may read: its reasons then apply
            return
