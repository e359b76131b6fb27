"""The reader of text plans (.txt, .md): UTF-8 text that starts with a YAML front matter.

    ---
    office: สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่ เขต 1
    short: สพป.แพร่ เขต 1        # optional
    aliases: [สพป.พร.1]          # optional
    parent: สพฐ.                 # optional: the plan above (its office, short name or file)
    ---
    วิสัยทัศน์ (Vision)
    ...

Every line of the body becomes a `Line` carrying its line number in the file, blank lines
included (they end paragraphs); the parser cleans and reads them. Text pasted from a PDF
brings the PDF's damage with it (old fonts' private-use glyphs, a SARA AM in two pieces, a
mark after a space, which normalising would drop), so each line is repaired as the other
readers' text is (`index.repair`; clean text comes back unchanged), the repairs counted.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from index import repair
from index.readers import metayaml
from index.readers.base import Document, Line, ReaderError, read_limited

SUFFIXES = (".txt", ".md")
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)


def read(path: str | Path) -> Document:
    """Read a text plan file: size check (before reading), UTF-8, front matter, its lines."""
    path = Path(path)
    source = str(path)
    data = read_limited(path, MAX_DOCUMENT_BYTES, line=1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReaderError(source, "not UTF-8 text (save the file as UTF-8)", line=line) from None
    return text_document(text, source)


def text_document(text: str, source: str = "<text>") -> Document:
    """A whole text plan given as a string (front matter and body) as a Document."""
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ReaderError(source, "the file contains NUL bytes: not a text document", line=line)
    meta, front, body, first_line = _split(text, source)
    repairs: Counter = Counter()
    lines = body_lines(body, first_line)
    for line in lines:
        line.text = repair.repair(line.text, repairs)[0]
    document = Document(source, "text", meta, lines, meta_from="front matter", repairs=repairs)
    document.warnings += metayaml.unknown_keys(meta, front, source, "front matter", first_line=2)
    if meta.get("year") is not None and (problem := metayaml.year_problem(meta["year"])):
        document.warnings.append(f"{source} line {_key_line(front, 'year')}: {problem}")
    return document


def _normal(text: str) -> str:
    """The text without a byte-order mark, with its line ends as "\\n"."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def body_lines(body: str, first_line: int = 1) -> list[Line]:
    """One `Line` per line of `body`, numbered from `first_line`."""
    return [Line(raw, first_line + offset) for offset, raw in enumerate(body.split("\n"))]


def split_front_matter(text: str, source: str) -> tuple[dict, str, int]:
    """(front matter, body, line number of the body's first line); ReaderError if invalid."""
    meta, _, body, first_line = _split(text, source)
    return meta, body, first_line


def _split(text: str, source: str) -> tuple[dict, str, str, int]:
    """(front matter's keys, its text, body, the body's first line number), checked."""
    text = _normal(text)
    match = _FRONT.match(text)
    if not match:
        raise ReaderError(source, _why_no_front_matter(text), line=1)
    front = match.group(1)
    meta = _load_yaml(front, source)
    _check_meta(meta, front, source)
    body_start = match.group(0).count("\n") + 1
    return meta, front, text[match.end():], body_start


def _why_no_front_matter(text: str) -> str:
    """What is wrong at the top of a text plan without a front matter, said plainly."""
    if not text.strip():
        return "the file is empty: a text plan starts with '---', 'office: ...', '---'"
    if re.match(r"---[ \t]*\n", text):
        return ("the front matter opened here is never closed: end it with a line '---' "
                "before the plan text")
    return "no front matter: the file must start with '---', 'office: ...', '---'"


def _load_yaml(front: str, source: str) -> dict:
    """The front matter as a dict, read safely (`metayaml`); errors name the file and line."""
    meta = metayaml.load(front, source, "front matter", first_line=2)
    if not isinstance(meta, dict):
        raise ReaderError(source, "front matter must be 'key: value' lines", line=2)
    return meta


def _check_meta(meta: dict, front: str, source: str) -> None:
    """Check the owner keys (office, short, aliases, parent); aliases become a list of strings."""
    office = meta.get("office")
    if "office" not in meta:
        raise ReaderError(source, "front matter has no 'office:' (the owner's full name)", line=2)
    if not isinstance(office, str) or not office.strip():
        raise ReaderError(source, "'office' must be the owner's full name, written as text "
                          "(not empty, a number or a list)", line=_key_line(front, "office"))
    short = meta.get("short")
    if short is not None and not isinstance(short, str | int):
        raise ReaderError(source, "'short' must be text", line=_key_line(front, "short"))
    aliases = meta.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list) or not all(isinstance(a, str | int) for a in aliases):
        raise ReaderError(
            source, "'aliases' must be a list of names", line=_key_line(front, "aliases")
        )
    meta["aliases"] = [str(a) for a in aliases]
    parent = meta.get("parent")
    if parent is not None and (not isinstance(parent, str | int) or not str(parent).strip()):
        raise ReaderError(source, "'parent' must be the name of the plan above (its office, "
                          "short name or file name)", line=_key_line(front, "parent"))
    if parent is not None:
        meta["parent"] = str(parent).strip()


def _key_line(front: str, key: str) -> int:
    """The file line of `key:` in the front matter (2 when not found)."""
    return metayaml.key_line(front, key, first_line=2)
