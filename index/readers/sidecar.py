"""Owner metadata for files without front matter: a sidecar YAML file, or the first page.

A sidecar is named like the document plus ``.yaml`` (``plan.pdf`` + ``plan.pdf.yaml``) and
holds the keys of a text plan's front matter: ``office`` (required), ``short``, ``aliases``,
and the optional ``year`` (``2566-2570`` or ``2568``), ``source`` and ``contact``. It is read
safely (`index.readers.metayaml`, as a text plan's front matter is): size-checked before
reading, no anchors or aliases, nesting bounded, and every error names the sidecar file.
"""

from __future__ import annotations

import re
from pathlib import Path

from index.readers import metayaml
from index.readers.base import ReaderError, read_limited

MAX_SIDECAR_BYTES = metayaml.MAX_META_BYTES
_TEXT_KEYS = ("office", "short", "year", "source", "contact", "parent")

#: Full names of the owners a plan can have, as printed on its first page.
_DIGIT = "[0-9๐-๙]"
_OWNER = re.compile(
    rf"สำนักงานเขตพื้นที่การศึกษา(?:ประถมศึกษา|มัธยมศึกษา)?[ก-ฮะ-ฺเ-๎]*(?:\s*เขต\s*{_DIGIT}+)?"
    r"|สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน"
    r"|สำนักงานศึกษาธิการ(?:จังหวัด|ภาค)\s*[ก-ฮะ-ฺเ-๎]+(?:\s*[0-9๐-๙]+)?"
    r"|(?:โรงเรียน|วิทยาลัย)[ก-ฮะ-ฺเ-๎]+"
)


def sidecar_path(source: str | Path) -> Path:
    """Where a document's sidecar file would be: the document's name plus '.yaml'."""
    return Path(f"{source}.yaml")


def owner(source: str, first_page: list[str]) -> tuple[dict, str, list[str]]:
    """(meta, where it came from, warnings) for a document without front matter; refuse one
    without. Warned: a sidecar's unknown key (a typo would silently lose what it says), and
    a first page that names more than one office with none standing alone (the most named
    was taken; a sidecar settles it)."""
    path = sidecar_path(source)
    if path.exists():
        meta, text = _read(path)
        warnings = metayaml.unknown_keys(meta, text, str(path), "sidecar")
        return _checked(str(path), meta), f"sidecar {path.name}", warnings
    name, others = owner_in(first_page)
    if name:
        warnings = [] if not others else [
            f"{source}: its first page names more than one office, and “{name}”, named most, "
            f"was taken as the plan's owner (also named: {', '.join(f'“{o}”' for o in others)}); "
            f"if that is wrong, write {path.name} beside it with 'office: <the owner's full name>'"]
        return {"office": name, "aliases": []}, f"first page: “{name}”", warnings
    raise ReaderError(
        source,
        f"no owner: the first page names no office or school and there is no {path.name} "
        "beside it; write one with 'office: <the office's full name>'",
    )


def owner_in(lines: list[str]) -> tuple[str | None, list[str]]:
    """The owner's full name on a first page: a line that is the name, else the most named
    (ties: the first named), and then the other names it passed over, if it had to choose."""
    counts: dict[str, int] = {}
    for text in lines:
        text = " ".join(text.split())
        for match in _OWNER.finditer(text):
            name = match.group(0)
            if len(name) <= len("โรงเรียน") + 1:
                continue
            if len(name) >= 0.8 * len(text):
                return name, []
            counts[name] = counts.get(name, 0) + 1
    if not counts:
        return None, []
    name = max(counts, key=lambda n: counts[n])
    return name, [other for other in counts if other != name]


def load(path: Path) -> dict:
    """The keys of one sidecar file, checked; a ReaderError naming the file when not usable."""
    return _checked(str(path), _read(path)[0])


def _read(path: Path) -> tuple[dict, str]:
    """(the sidecar's keys, its text), read safely; a ReaderError naming the file."""
    source = str(path)
    try:
        text = read_limited(path, MAX_SIDECAR_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReaderError(source, "sidecar is not UTF-8 text") from None
    meta = metayaml.load(text, source, "sidecar")
    if not isinstance(meta, dict):
        raise ReaderError(source, "sidecar must be 'key: value' lines such as 'office: ...'")
    return meta, text


def _checked(source: str, meta: dict) -> dict:
    office = meta.get("office")
    if not isinstance(office, str) or not office.strip():
        raise ReaderError(source, "sidecar has no 'office:' (the owner's full name)")
    for key in _TEXT_KEYS:
        value = meta.get(key)
        if value is not None and not isinstance(value, str | int):
            raise ReaderError(source, f"sidecar '{key}' must be text")
        if value is not None:
            meta[key] = str(value).strip()
    if meta.get("year") and (problem := metayaml.year_problem(meta["year"])):
        raise ReaderError(source, f"sidecar {problem}")
    aliases = meta.get("aliases") or []
    if isinstance(aliases, str | int):
        aliases = [aliases]
    if not isinstance(aliases, list) or not all(isinstance(a, str | int) for a in aliases):
        raise ReaderError(source, "sidecar 'aliases' must be a list of names")
    meta["aliases"] = [str(a) for a in aliases]
    return meta
