"""The web page (.html, .htm) reader: the main content only, lists numbered as printed.

Offices publish plans as pages of their websites, and admins save them ("Save page as"): the
plan sits among a menu, a banner, a sidebar and a footer ("© 2566 … โทร 0…"). The reader takes
the page's main content (main, role=main, a single article, or a content block by its id or
class), drops navigation, banners, sidebars, forms, scripts and footers by tag, ARIA role and
class name, and gives ordered lists the numbers a browser shows. lxml parses the page (it comes
with python-docx already, and it is fast and well kept); the encoding comes from a BOM, the
page's meta charset, else UTF-8, else Windows Thai (cp874).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from index import repair
from index.readers import assemble
from index.readers.base import Document, Line, ReaderError, Table
from index.readers.docx import number_text

MAX_HTML_BYTES = 20 * 1024 * 1024
_DROP_TAGS = {"script", "style", "noscript", "template", "nav", "aside", "form", "iframe",
              "svg", "button", "select", "input", "textarea", "object", "embed", "canvas",
              "head", "title", "meta", "link", "map"}
_DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "menu",
               "menubar"}
_BOILERPLATE = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|navigation|menu|menubar|breadcrumbs?|sidebar|side-bar|"
    r"widgets?|footer|site-header|masthead|banner|cookies?|share|sharing|social|"
    r"skip-link|pagination|related|comments?)(?:$|[-_\s])",
    re.IGNORECASE,
)
_MAIN_HINT = re.compile(r"(?:^|[-_\s])(?:content|entry-content|post-content|article|main|"
                        r"post-body|page-content)(?:$|[-_\s])", re.IGNORECASE)
_BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
               "main", "blockquote", "pre", "dd", "dt", "figcaption", "caption", "address",
               "center", "ul", "ol", "dl", "header", "hr", "tr", "body", "font"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_OL_TYPES = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman",
             "I": "upperRoman"}


def decode(data: bytes) -> str:
    """A saved page's text: BOM, then meta charset, then UTF-8, then Windows Thai."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    match = _CHARSET.search(data[:4096])
    if match:
        name = match.group(1).decode("ascii").lower()
        if name in ("tis-620", "tis620", "iso-8859-11", "windows-874", "x-windows-874"):
            name = "cp874"
        try:
            return data.decode(name, "replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp874", "replace")


def read(path: str | Path) -> Document:
    """Read the main content of a saved web page into lines and tables."""
    import lxml.html
    from lxml import etree

    path, source = assemble.checked(path, MAX_HTML_BYTES)
    text = decode(path.read_bytes())
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ReaderError(source, f"not a readable web page ({exc})") from None
    main = _main(root)
    _strip_boilerplate(main, keep_header=main.tag != "body")
    walker = _Walker()
    walker.walk(main)
    walker.newline()
    repairs: Counter = Counter()
    blocks = assemble.repaired(walker.blocks, repairs)
    _cut_footer(blocks, repairs)
    return assemble.document(source, "html", blocks, repairs=repairs)


def _main(root):
    """The element holding the page's main content."""
    for xpath in ("//main", "//*[@role='main']"):
        found = root.xpath(xpath)
        if len(found) == 1:
            return found[0]
    articles = root.xpath("//article")
    if len(articles) == 1:
        return articles[0]
    hinted = [e for e in root.xpath("//*[@id or @class]")
              if _MAIN_HINT.search(f"{e.get('id', '')} {e.get('class', '')}")
              and not _BOILERPLATE.search(f"{e.get('id', '')} {e.get('class', '')}")]
    if hinted:
        return max(hinted, key=lambda e: len(e.text_content()))
    body = root.find("body")
    return body if body is not None else root


def _strip_boilerplate(main, keep_header: bool) -> None:
    for element in list(main.iter()):
        if not isinstance(element.tag, str):  # comments and processing instructions
            _drop(element)
            continue
        if element is main:
            continue
        names = f"{element.get('id', '')} {element.get('class', '')}"
        if (
            element.tag in _DROP_TAGS
            or element.get("role") in _DROP_ROLES
            or element.get("aria-hidden") == "true"
            or (element.tag == "footer")
            or (element.tag == "header" and not keep_header)
            or _BOILERPLATE.search(names)
        ):
            _drop(element)


def _drop(element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


class _Walker:
    def __init__(self):
        self.blocks: list[Line | Table] = []
        self.buffer: list[str] = []
        self.line = 0

    def newline(self) -> None:
        text = " ".join("".join(self.buffer).split())
        self.buffer = []
        if text:
            self.line += 1
            self.blocks.append(Line(text, self.line))

    def walk(self, element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "table":
            self.newline()
            rows = self.table(element)
            if rows:
                self.line += 1
                self.blocks.append(Table(rows, self.line))
            return
        if tag == "br":
            self.newline()
            return
        if tag in ("ol", "ul"):
            self.newline()
            self.list(element)
            return
        block = tag in _BLOCK_TAGS
        if block:
            self.newline()
        if tag == "img" and element.get("alt"):
            self.buffer.append(f" {element.get('alt')} ")
        self.buffer.append(element.text or "")
        for child in element:
            self.walk(child)
            self.buffer.append(child.tail or "")
        if block:
            self.newline()

    def list(self, element) -> None:
        ordered = element.tag == "ol"
        unmarked = "none" in element.get("style", "").replace(" ", "")
        fmt = _OL_TYPES.get(element.get("type", "1"), "decimal")
        try:
            value = int(element.get("start", "1"))
        except ValueError:
            value = 1
        for item in element.iterchildren("li"):
            if item.get("value", "").strip().isdigit():
                value = int(item.get("value"))
            self.newline()
            if not unmarked:
                self.buffer.append(f"{number_text(value, fmt)}. " if ordered else "• ")
            self.buffer.append(item.text or "")
            for child in item:
                self.walk(child)
                self.buffer.append(child.tail or "")
            self.newline()
            value += 1

    def table(self, element) -> list[list[str]]:
        rows: list[list[str]] = []
        spans: dict[int, int] = {}  # column -> rows still covered by a rowspan above
        for tr in element.iter("tr"):
            if _owning(tr, "table") is not element:
                continue
            cells: list[str] = []
            column = 0
            for cell in tr.iterchildren("td", "th"):
                while spans.get(column, 0) > 0:
                    spans[column] -= 1
                    cells.append("")  # the merged cell above holds the text once
                    column += 1
                cells.append(" ".join(cell.text_content().split()))
                rowspan = _int(cell.get("rowspan"), 1)
                width = _int(cell.get("colspan"), 1)
                if rowspan > 1:
                    spans[column] = rowspan - 1
                column += width
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                rows.append(cells)
        return rows


def _int(value: str | None, default: int) -> int:
    try:
        return max(1, min(int(value or default), 1000))
    except ValueError:
        return default


def _owning(element, tag: str):
    parent = element.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _cut_footer(blocks: list[Line | Table], repairs: Counter) -> None:
    """Drop page-footer lines left at the end, and cut a footer glued onto the last line."""
    while blocks and isinstance(blocks[-1], Line) and repair.is_page_footer(blocks[-1].text):
        cut = repair.cut_glued_footer(blocks[-1].text)
        repairs["footer"] += 1
        if cut != blocks[-1].text:
            blocks[-1].text = cut
            break
        blocks.pop()
