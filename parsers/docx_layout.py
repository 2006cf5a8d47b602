"""How a DOCX lays its content out beyond the body's flow: tables in cells, text boxes, alternate content.

Pure questions about the XML, no reading of text: which elements flow in a
container (looking through content controls and alternate content), which
branch of ``mc:AlternateContent`` is read, which text boxes a paragraph
anchors, and whether a table is a *layout table* — a frame that only wraps
other content (a title and the list table in one cell), not a list of its own.

Every search here is bounded in depth (:data:`MAX_SEARCH_DEPTH`), so a
hostile file cannot make a question cost more than the element it asks about.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

#: Wrappers whose children belong to the enclosing flow (body, row or cell).
TRANSPARENT = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "ins", W + "moveTo"}
#: A paragraph's text sits a few levels down (run, hyperlink, field, content
#: control); a text box's content about ten (run → drawing → anchor → graphic
#: → shape → txbx).  Searches inside one paragraph stop this deep.
MAX_SEARCH_DEPTH = 16
TXBX = W + "txbxContent"


def chosen_branch(alternate: Element) -> Element | None:
    """The branch of an ``mc:AlternateContent`` that is read, exactly one or none.

    Word writes a text box twice: as DrawingML (``mc:Choice Requires="wps"``)
    and as VML (``mc:Fallback``), each with its own copy of the content.  The
    first ``mc:Choice`` that holds any text or text box is read; else the
    fallback, if it does; never both.
    """
    branches = [child for child in alternate if child.tag == MC + "Choice"]
    branches += [child for child in alternate if child.tag == MC + "Fallback"]
    for branch in branches:
        if _holds_content(branch):
            return branch
    return None


def _holds_content(element: Element) -> bool:
    return any(True for _ in _search(element, {W + "t", TXBX}, stop={TXBX}, resolve=False))


def flow(element: Element) -> list[Element]:
    """The children that flow in ``element``, looking through wrappers and alternate content."""
    out: list[Element] = []
    for child in element:
        if child.tag in TRANSPARENT:
            out.extend(flow(child))
        elif child.tag == MC + "AlternateContent":
            branch = chosen_branch(child)
            if branch is not None:
                out.extend(flow(branch))
        else:
            out.append(child)
    return out


def children(element: Element, tag: str) -> list[Element]:
    """Direct children named ``tag``, looking through content controls."""
    return [child for child in flow(element) if child.tag == tag]


def text_boxes(paragraph: Element) -> list[Element]:
    """The outermost text boxes (``w:txbxContent``) a paragraph anchors, in document order,
    one per box: of alternate content only the chosen branch counts."""
    return list(_search(paragraph, {TXBX}, stop={TXBX}))


def has_own_text(paragraph: Element) -> bool:
    """Whether the paragraph itself prints text (a text box it anchors does not count)."""
    return any((node.text or "").strip() for node in _search(paragraph, {W + "t"}, stop={TXBX}))


def is_layout_table(tbl: Element) -> bool:
    """A table that only wraps other content: some cell holds a table (directly or in a text
    box), and no row has two cells with text of their own.  A list table has a header row of
    several labelled cells, so it never qualifies; a frame around a title and a list does."""
    holds_table = False
    for tr in children(tbl, W + "tr"):
        texts = 0
        for tc in children(tr, W + "tc"):
            content = flow(tc)
            if any(child.tag == W + "tbl" for child in content):
                holds_table = True
            paragraphs = [child for child in content if child.tag == W + "p"]
            if any(has_own_text(p) for p in paragraphs):
                texts += 1
            if not holds_table and any(
                child.tag == W + "tbl" for p in paragraphs for box in text_boxes(p) for child in flow(box)
            ):
                holds_table = True
        if texts > 1:
            return False
    return holds_table


def _search(element: Element, tags: set[str], stop: set[str], resolve: bool = True) -> Iterator[Element]:
    """Descendants named in ``tags``, in document order, not below a match in ``stop``, at most
    :data:`MAX_SEARCH_DEPTH` levels down; alternate content contributes its chosen branch only
    (``resolve``), or all its branches (the question whether a branch holds anything)."""
    stack: list[tuple[Element, int]] = [(child, 1) for child in reversed(list(element))]
    while stack:
        node, depth = stack.pop()
        if node.tag in tags:
            yield node
        if node.tag in stop:
            continue
        if depth >= MAX_SEARCH_DEPTH or node.tag in (W + "del", W + "moveFrom"):
            continue
        if resolve and node.tag == MC + "AlternateContent":
            branch = chosen_branch(node)
            below = [] if branch is None else list(branch)
        else:
            below = list(node)
        stack.extend((child, depth + 1) for child in reversed(below))
