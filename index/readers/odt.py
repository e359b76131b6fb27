"""The OpenDocument (.odt) reader: content.xml read with zipfile and lxml, lists numbered.

ODF stores no list numbers either: a list's style (text:list-style, in content.xml or
styles.xml) gives each level's format, prefix, suffix, start value and how many levels the
number shows, and the reader counts. A list continues the numbering of an earlier one when it
says so (text:continue-numbering or text:continue-list), as LibreOffice writes Word's lists.
Page headers and footers live in styles.xml and are not read; covered (merged) table cells
are not repeated.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

from index.readers import assemble
from index.readers.base import Document, Line, ReaderError, Table
from index.readers.docx import number_text

MAX_ODT_BYTES = 100 * 1024 * 1024
MAX_XML_BYTES = 50 * 1024 * 1024  # content.xml unpacked: refuse a zip bomb before parsing
MAX_REPEAT = 64  # table:number-columns-repeated beyond this is page filler

NS = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "xml": "http://www.w3.org/XML/1998/namespace",
}
T, TB, ST = (f"{{{NS[k]}}}" for k in ("text", "table", "style"))
#: ODF's style:num-format values, as Word's formats (number_text does the rest).
_FORMATS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman",
            "I": "upperRoman", "ก": "thaiLetters", "๑": "thaiNumbers", "": "none"}


def _parse(data: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             remove_comments=True)
    return etree.fromstring(data, parser)


def _member(archive: zipfile.ZipFile, name: str, source: str):
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    assemble.check_unpacked(archive, source, MAX_XML_BYTES, [info])
    return _parse(archive.read(name))


def read(path: str | Path) -> Document:
    """Read an .odt plan into lines and tables in document order."""
    from lxml import etree

    path, source = assemble.checked(path, MAX_ODT_BYTES)
    try:
        with zipfile.ZipFile(path) as archive:
            content = _member(archive, "content.xml", source)
            styles = _member(archive, "styles.xml", source)
    except (zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise ReaderError(source, f"not a readable OpenDocument file ({exc}); open it and save "
                          "it again as .odt or .docx") from None
    if content is None:
        raise ReaderError(source, "not an OpenDocument text: it has no content.xml")
    reader = _Reader([s for s in (content, styles) if s is not None])
    body = content.find("office:body/office:text", NS)
    if body is not None:
        reader.walk(body)
    repairs: Counter = Counter()
    return assemble.document(source, "odt", assemble.repaired(reader.blocks, repairs),
                             repairs=repairs)


class _Reader:
    def __init__(self, roots):
        self.levels: dict[str, dict[int, dict]] = {}
        for root in roots:
            for style in root.iter(f"{T}list-style"):
                levels = {}
                for level in style:
                    number = int(level.get(f"{T}level", "1"))
                    if level.tag == f"{T}list-level-style-number":
                        levels[number] = {
                            "fmt": _FORMATS.get(level.get(f"{ST}num-format", "1"), "decimal"),
                            "prefix": level.get(f"{ST}num-prefix", ""),
                            "suffix": level.get(f"{ST}num-suffix", ""),
                            "start": int(level.get(f"{T}start-value", "1")),
                            "show": int(level.get(f"{T}display-levels", "1")),
                        }
                    elif level.tag == f"{T}list-level-style-bullet":
                        levels[number] = {"bullet": level.get(f"{T}bullet-char", "•")}
                self.levels.setdefault(style.get(f"{ST}name"), levels)
        self.counters: dict[str, dict[int, int]] = {}
        self.by_id: dict[str, str] = {}  # xml:id of a list -> its counters' key
        self.blocks: list[Line | Table] = []
        self.line = 0

    def walk(self, parent) -> None:
        for child in parent:
            tag = child.tag
            if tag in (f"{T}p", f"{T}h"):
                self.add(self.text(child))
            elif tag == f"{T}list":
                self.list(child, 1, None)
            elif tag == f"{TB}table":
                self.line += 1
                self.blocks.append(Table(self.table(child), self.line))
            elif tag == f"{T}section":
                self.walk(child)

    def add(self, text: str) -> None:
        if text.strip():
            self.line += 1
            self.blocks.append(Line(text, self.line))

    def list(self, element, depth: int, key: str | None, inherited: str | None = None) -> None:
        style = element.get(f"{T}style-name") or inherited
        if key is None:  # a top-level list: its own numbering, or one it continues
            key = self._list_key(element, style)
        for item in element.iterchildren(f"{T}list-item", f"{T}list-header"):
            numbered = item.tag == f"{T}list-item"
            label = self.label(key, style, depth) if numbered else ""
            for child in item:
                if child.tag in (f"{T}p", f"{T}h"):
                    text = self.text(child)
                    self.add(f"{label} {text.lstrip()}" if label and text.strip() else text)
                    label = ""  # a second paragraph in one item is not numbered again
                elif child.tag == f"{T}list":
                    self.list(child, depth + 1, key, style)
                elif child.tag == f"{TB}table":
                    self.line += 1
                    self.blocks.append(Table(self.table(child), self.line))

    def _list_key(self, element, style: str | None) -> str:
        continues = element.get(f"{T}continue-list")
        if continues and continues in self.by_id:
            key = self.by_id[continues]
        elif element.get(f"{T}continue-numbering") == "true" and style in self.counters:
            key = style
        else:
            key = f"{style}#{len(self.counters)}"
            self.counters[key] = {}
        self.counters.setdefault(key, {})
        own_id = element.get(f"{{{NS['xml']}}}id")
        if own_id:
            self.by_id[own_id] = key
        return key

    def label(self, key: str, style: str | None, depth: int) -> str:
        levels = self.levels.get(style or "", {})
        level = levels.get(depth)
        if not level:
            return ""
        if "bullet" in level:
            return "•"
        counters = self.counters.setdefault(key, {})
        for shallower in range(1, depth):
            if shallower not in counters:
                counters[shallower] = levels.get(shallower, {}).get("start", 1)
        counters[depth] = counters.get(depth, level["start"] - 1) + 1
        for deeper in [d for d in counters if d > depth]:
            del counters[deeper]
        shown = range(max(1, depth - level["show"] + 1), depth + 1)
        numbers = ".".join(
            number_text(counters[d], levels.get(d, {}).get("fmt", "decimal")) for d in shown
        )
        return f"{level['prefix']}{numbers}{level['suffix']}" if numbers else ""

    def text(self, element) -> str:
        """A paragraph's text: spaces (text:s), tabs and line breaks as spaces; notes left out."""
        parts = [element.text or ""]
        for child in element:
            tag = child.tag
            if tag == f"{T}s":
                parts.append(" " * min(int(child.get(f"{T}c", "1")), 8))
            elif tag in (f"{T}tab", f"{T}line-break"):
                parts.append(" ")
            elif tag in (f"{T}note", "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}annotation"):
                pass
            else:
                parts.append(self.text(child))
            parts.append(child.tail or "")
        return "".join(parts)

    def table(self, element) -> list[list[str]]:
        rows = []
        for row in element.iter(f"{TB}table-row"):
            if row.getparent() is not None and _owning_table(row) is not element:
                continue  # a row of a nested table is read with its cell
            cells: list[str] = []
            spanned = 0  # covered cells still to come from a column span in this row
            for cell in row:
                if cell.tag == f"{TB}covered-table-cell":
                    if spanned:
                        spanned -= 1  # part of a merged cell to the left: not repeated
                    else:
                        cells.append("")  # under a merged cell above, as Word gives it
                    continue
                if cell.tag != f"{TB}table-cell":
                    continue
                spanned = int(cell.get(f"{TB}number-columns-spanned", "1")) - 1
                parts = []
                for child in cell:
                    if child.tag in (f"{T}p", f"{T}h"):
                        parts.append(self.text(child))
                    elif child.tag == f"{T}list":
                        parts.extend(self.text(p) for p in child.iter(f"{T}p"))
                    elif child.tag == f"{TB}table":
                        parts.extend(" ".join(r) for r in self.table(child))
                text = " ".join(" ".join(parts).split())
                repeat = int(cell.get(f"{TB}number-columns-repeated", "1"))
                cells.extend([text] * (min(repeat, MAX_REPEAT) if text else 1))
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                rows.append(cells)
        return rows


def _owning_table(row):
    parent = row.getparent()
    while parent is not None and parent.tag != f"{TB}table":
        parent = parent.getparent()
    return parent
