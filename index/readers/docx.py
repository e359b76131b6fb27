"""The Word (.docx) reader: paragraphs and tables in document order, list numbers as printed.

python-docx gives a paragraph's text without the number Word draws for an automatic list, so
the numbers are rebuilt here from numbering.xml (`Numbering`): each list (w:num) counts its
levels from their start values, a level restarts when a level above it moves on, and the
level's text ("%1.%2.") and format (decimal, Thai digits, Thai letters, roman, bullets) make the
number as Word prints it. Headers and footers live in their own parts and are not read. A
merged cell is given once: a horizontal merge is one w:tc, a vertical continuation is empty.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

from index.readers import assemble
from index.readers.base import Document, Line, ReaderError, Table

MAX_DOCX_BYTES = 100 * 1024 * 1024
#: Every part unpacked: python-docx unpacks them all into memory when it opens the file.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_THAI_LETTERS = "กขคงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
_SYMBOL_BULLETS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf0fc": "✓", "o": "o"}


def number_text(value: int, fmt: str) -> str:
    """One level's counter as Word prints it in the given w:numFmt."""
    if fmt in ("thaiNumbers", "thaiCounting"):
        return str(value).translate(_THAI_DIGITS)
    if fmt == "thaiLetters":
        return _letters(value, _THAI_LETTERS)
    if fmt in ("lowerLetter", "upperLetter"):
        letters = _letters(value, "abcdefghijklmnopqrstuvwxyz")
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "none":
        return ""
    return str(value)


def _letters(value: int, alphabet: str) -> str:
    # Word repeats the letter past the end of the alphabet: a..z, aa..zz
    count = (value - 1) // len(alphabet) + 1
    return alphabet[(value - 1) % len(alphabet)] * count


def _roman(value: int) -> str:
    out = ""
    for amount, digits in _ROMAN:
        while value >= amount:
            out += digits
            value -= amount
    return out


class Numbering:
    """Word's automatic list numbers, counted paragraph by paragraph in document order."""

    def __init__(self, numbering_element):
        self.levels: dict[str, dict[int, dict]] = {}  # abstractNumId -> ilvl -> level
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstract, overrides)
        self.counters: dict[str, dict[int, int]] = {}  # counted per abstract list
        if numbering_element is None:
            return
        for abstract in numbering_element.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in abstract.iter(f"{W}lvl"):
                levels[int(lvl.get(f"{W}ilvl", "0"))] = {
                    "start": int(_val(lvl, "start") or 1),
                    "fmt": _val(lvl, "numFmt") or "decimal",
                    "text": _val(lvl, "lvlText") or "",
                }
            self.levels[abstract.get(f"{W}abstractNumId")] = levels
        for num in numbering_element.iter(f"{W}num"):
            overrides = {}
            for override in num.iter(f"{W}lvlOverride"):
                start = _val(override, "startOverride")
                if start is not None:
                    overrides[int(override.get(f"{W}ilvl", "0"))] = int(start)
            abstract_id = _val(num, "abstractNumId")
            self.nums[num.get(f"{W}numId")] = (abstract_id, overrides)

    def label(self, num_id: str, ilvl: int) -> str:
        """The number (or bullet) Word prints before the next paragraph of this list."""
        if num_id not in self.nums or num_id == "0":
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        if ilvl not in levels:
            return ""
        key = f"{abstract_id}/{num_id}" if overrides else abstract_id
        counters = self.counters.setdefault(key, {})
        start = overrides.get(ilvl, levels[ilvl]["start"])
        for shallower in range(ilvl):  # an item under a level never numbered counts as its start
            if shallower not in counters and shallower in levels:
                counters[shallower] = overrides.get(shallower, levels[shallower]["start"])
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        level = levels[ilvl]
        if level["fmt"] == "bullet":
            return _SYMBOL_BULLETS.get(level["text"], "•") if level["text"] else "•"

        def substitute(match: re.Match) -> str:
            index = int(match.group(1)) - 1
            fmt = levels.get(index, {}).get("fmt", "decimal")
            value = counters.get(index, levels.get(index, {}).get("start", 1))
            return number_text(value, fmt)

        return re.sub(r"%([1-9])", substitute, level["text"])


def _val(element, tag: str) -> str | None:
    child = element.find(f"{W}{tag}")
    return None if child is None else child.get(f"{W}val")


def read(path: str | Path) -> Document:
    """Read a .docx plan into lines and tables in document order."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    path, source = assemble.checked(path, MAX_DOCX_BYTES)
    try:
        with zipfile.ZipFile(path) as archive:
            assemble.check_unpacked(archive, source, MAX_UNPACKED_BYTES)
        document = docx.Document(source)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReaderError(source, f"not a readable Word file ({exc}); open it in Word and "
                          "save it again as .docx") from None
    try:
        numbering_part = document.part.numbering_part
        numbering = Numbering(numbering_part.element)
    except (KeyError, NotImplementedError):
        numbering = Numbering(None)
    styles = _style_numbering(document)
    reader = _Reader(numbering, styles)
    reader.walk(document.element.body)
    return assemble.document(source, "docx", assemble.repaired(reader.blocks, reader.repairs),
                             repairs=reader.repairs)


def _style_numbering(document) -> dict[str, tuple[str, int]]:
    """numId and level given by paragraph styles (a 'List Number' style numbers its paragraphs)."""
    by_id = {}
    element = document.styles.element
    for style in element.iter(f"{W}style"):
        by_id[style.get(f"{W}styleId")] = style
    found: dict[str, tuple[str, int]] = {}
    for style_id in by_id:
        style, seen = by_id.get(style_id), set()
        while style is not None and style_id not in found:
            num_pr = style.find(f"{W}pPr/{W}numPr")
            if num_pr is not None and _val(num_pr, "numId"):
                found[style_id] = (_val(num_pr, "numId"), int(_val(num_pr, "ilvl") or 0))
                break
            parent = _val(style, "basedOn")
            if parent is None or parent in seen:
                break
            seen.add(parent)
            style = by_id.get(parent)
    return found


class _Reader:
    def __init__(self, numbering: Numbering, styles: dict[str, tuple[str, int]]):
        self.numbering = numbering
        self.styles = styles
        self.blocks: list[Line | Table] = []
        self.repairs: Counter = Counter()
        self.line = 0

    def walk(self, parent) -> None:
        for child in parent.iterchildren():
            if child.tag == f"{W}p":
                text = self.paragraph(child)
                if text.strip():
                    self.line += 1
                    self.blocks.extend(Line(piece, self.line) for piece in _broken_list(text))
            elif child.tag == f"{W}tbl":
                self.line += 1
                table = Table(self.table(child), self.line)
                self.blocks.append(table)
            elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
                self.walk(child)

    def paragraph(self, p) -> str:
        """A paragraph's text with the list number Word draws before it."""
        text = "".join(_runs_text(p))
        num_pr = p.find(f"{W}pPr/{W}numPr")
        num_id, ilvl = None, 0
        if num_pr is not None:
            num_id, ilvl = _val(num_pr, "numId"), int(_val(num_pr, "ilvl") or 0)
        else:
            style = p.find(f"{W}pPr/{W}pStyle")
            if style is not None and style.get(f"{W}val") in self.styles:
                num_id, ilvl = self.styles[style.get(f"{W}val")]
        if num_id and text.strip():
            label = self.numbering.label(num_id, ilvl)
            if label:
                text = f"{label} {text.lstrip()}"
        return text

    def table(self, tbl) -> list[list[str]]:
        rows = []
        for tr in tbl.iterchildren(f"{W}tr"):
            cells = []
            for tc in tr.iterchildren(f"{W}tc"):
                merge = tc.find(f"{W}tcPr/{W}vMerge")
                if merge is not None and merge.get(f"{W}val") in (None, "continue"):
                    cells.append("")  # the cell above holds the text once
                    continue
                parts = []
                for child in tc.iterchildren():
                    if child.tag == f"{W}p":
                        parts.append(self.paragraph(child))
                    elif child.tag == f"{W}tbl":
                        parts.extend(" ".join(c for c in row if c) for row in self.table(child))
                cells.append(" ".join(" ".join(parts).split()))
            rows.append(cells)
        return rows


def _runs_text(p):
    """The text of a paragraph's runs, hyperlinks and fields included; tabs as spaces, line
    breaks (Shift+Enter) as newlines (`_broken_list` keeps those that start a list item)."""
    for element in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}noBreakHyphen"):
        if element.tag == f"{W}t":
            yield element.text or ""
        elif element.tag == f"{W}noBreakHyphen":
            yield "-"
        elif element.tag in (f"{W}br", f"{W}cr") and element.get(f"{W}type") in (None, "textWrapping"):
            yield "\n"
        else:
            yield " "


#: A line of a paragraph (after a Shift+Enter break) that starts a list item of its own:
#: "(2) สร้างโอกาส…", "2. ผู้เรียนมีโอกาส", "• …", "ข. …".
_ITEM_START = re.compile(r"^\s*(?:\(?[0-9๐-๙]{1,2}[.)]|[•●○▪■◆\-–]\s|[ก-ฮ][.)]\s)")


def _broken_list(text: str) -> list[str]:
    """A paragraph's lines: one per list item its line breaks start ("(1) …" / "(2) …" typed
    with Shift+Enter in one paragraph); any other break is a wrap, joined with a space."""
    pieces: list[str] = []
    for piece in text.split("\n"):
        if pieces and not _ITEM_START.match(piece):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return [piece for piece in pieces if piece.strip()]
