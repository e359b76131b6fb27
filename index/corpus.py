"""A corpus folder read: which files are plans, each read and parsed, grouped into owners.

The rule, for `rebuild` and `check` alike:

- **Not documents** (listed by `check` and `rebuild` as skipped, never opened): hidden files
  and editor temporaries (``.x``, ``._x``, ``~$x.docx``, ``.~lock.x#``, ``.#x``, ``x~``,
  ``.swp``), folders, files without a suffix (README), what is not a file (a FIFO, which
  would block a reader forever; a device; a socket), links that lead nowhere (dangling or
  looping), and sidecars (``plan.pdf.yaml``, read with their document; one without its
  document is skipped with a warning).
- **Refused** (stops `rebuild` and fails `check`, never opened): a link leading outside the
  corpus folder (named with its target: the corpus is what admins vet, and a link would let
  ``/etc/passwd`` be read and quoted), and a file whose name is not UTF-8 (named by its
  bytes, ``b'corpus/\\xb7\\xd2\\xb9.txt'``: it cannot be an owner id; rename it). A link to a
  file inside the corpus folder is read as that file.
- **Cannot be read at all** (stops `rebuild`, naming the file and the line where there is
  one; the served index stays byte-identical; `check` reports every such file and fails):
  a broken text plan (including YAML aliases, deep nesting, a file over its size limit), a
  format the bot does not read (.doc, .xlsx, ... with what to do), a scan without a text
  layer, mojibake, a document whose owner is named nowhere, an invalid sidecar, a document
  with neither a heading nor a list, an alias equal to another owner's name, and a file
  that cannot be opened or that a reader fails on (named with the error).
- **Weak** (indexed, with warnings): no recognised heading (an untitled list), unknown
  headings, poor text quality, a table without a heading, the same section in two files of
  one owner.

Several documents with the same ``office:`` are one owner whose sections come from all of
them, in file order; the owner's id is the first file's name without its extension (file
names without extension stay unique: they name documents).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from index.model import Plan
from index.names import derive_names
from index.parse import PlanParseError, parse_document, read_document
from index.readers import ReaderError
from index.readers.base import Document, Line
from index.readers.sidecar import sidecar_path
from index.text import squash

SIDECAR_SUFFIXES = (".yaml", ".yml")
#: Names of files that are not documents, and why: editors' and systems' own files.
_NOT_DOCUMENTS = (
    (re.compile(r"^~\$"), "a Word lock file (the document is open in Word)"),
    (re.compile(r"^\.~lock\..*#$"), "a LibreOffice lock file (the document is open)"),
    (re.compile(r"^\._"), "a macOS resource file"),
    (re.compile(r"^\.#"), "an editor's lock file"),
    (re.compile(r"^\."), "a hidden file"),
    (re.compile(r"~$|\.(?:swp|swo|swx|tmp|bak|crdownload|part)$", re.IGNORECASE),
     "an editor's backup or temporary file"),
)


class CorpusError(Exception):
    """The corpus cannot be built: one line per file that cannot be read."""


@dataclass
class Scan:
    """A corpus folder's files: the documents, and the files that are not documents."""

    documents: list[Path]
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (file, why)
    refused: list[tuple[Path, str]] = field(default_factory=list)  # (file, why): errors
    sidecars: dict[Path, Path] = field(default_factory=dict)  # document -> its sidecar
    warnings: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """One line per refused file, naming it (and a link's target)."""
        return [f"{shown(path)}: {why}" for path, why in self.refused]


@dataclass
class Reading:
    """One document read: the reader's Document and the parsed Plan, or why it cannot be."""

    path: Path
    document: Document | None = None
    plan: Plan | None = None
    error: str | None = None  # one line naming the file (and line)
    exception: Exception | None = None


@dataclass
class Owner:
    """One owner's plan, made from one document or several with the same office."""

    id: str
    paths: list[Path]
    plan: Plan


def not_a_document(path: Path) -> str | None:
    """Why a file in a corpus folder is not a plan document, or None when it is one."""
    if path.is_dir():
        return "a folder (plans are read from the corpus folder itself)"
    for pattern, why in _NOT_DOCUMENTS:
        if pattern.search(path.name):
            return why
    if not path.suffix:
        return "no suffix: not a plan document (plans are .txt, .md, .pdf, .docx, .odt, .html)"
    return None


def shown(path: str | Path) -> str:
    """A path as messages print it: as it is, or by its bytes when it is not UTF-8 (Linux
    names are bytes; Python keeps the undecodable ones as surrogates that cannot be printed)."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return repr(os.fsencode(text))
    return text


def not_a_file(path: Path, roots: list[Path]) -> tuple[str | None, str | None]:
    """(why it is skipped, why it is refused) for what is not a plain file of the corpus, or
    (None, None); a link may lead into the (resolved) folders `roots`. Nothing is opened."""
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            return f"a link to {shown(os.readlink(path))}, which does not exist", None
        except (OSError, RuntimeError):  # a loop of links
            return "a link that leads nowhere (a loop of links)", None
        if not any(target.is_relative_to(root) for root in roots):
            return None, (f"a link to {shown(target)}, outside the corpus folder: copy the file "
                          "into the corpus instead")
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot be looked at ({exc.strerror})", None
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else
                "a socket" if stat.S_ISSOCK(mode) else "a device")
        return f"{kind}, not a file: never opened", None
    if shown(path.name) != path.name:
        return None, "the file name is not UTF-8 (it cannot name an owner): rename the file"
    return None, None


def scan(corpus: str | Path, links_within: tuple[Path, ...] = ()) -> Scan:
    """The documents of a corpus folder, in a stable order, and what is not one or is
    refused (see the module's rule); nothing is opened. Links may lead into the corpus
    folder, or into `links_within` when given (the admin console checks a folder of links
    to the corpus and an upload)."""
    folder = Path(corpus)
    if not folder.is_dir():
        raise CorpusError(f"{shown(folder)}: corpus folder not found")
    roots = [Path(root).resolve() for root in links_within or (folder,)]
    found = Scan([])
    entries = sorted(folder.iterdir())
    names = {p.name for p in entries}
    candidates = []
    for path in entries:
        skipped, refused = not_a_document(path), None
        if skipped is None:
            skipped, refused = not_a_file(path, roots)
        if refused:
            found.refused.append((path, refused))
        elif skipped:
            found.skipped.append((path, skipped))
        else:
            candidates.append(path)
    refused_names = {path.name for path, _ in found.refused}
    for path in candidates:
        if path.suffix.lower() in SIDECAR_SUFFIXES:
            document = path.with_suffix("")
            if document.name in names and not_a_document(document) is None:
                found.sidecars[document] = path
            else:
                found.skipped.append((path, "a sidecar without its document"))
                found.warnings.append(f"{shown(path)}: a sidecar without its document "
                                      f"({shown(document.name)} is not in the corpus)")
        elif sidecar_path(path).name in refused_names:
            found.skipped.append((path, f"not read: its sidecar {shown(sidecar_path(path).name)} "
                                  "is refused"))
        else:
            found.documents.append(path)
    return found


def read(path: Path) -> Reading:
    """Read and parse one document; what cannot be read is recorded, not raised."""
    reading = Reading(path)
    try:
        reading.document = read_document(path)
        reading.plan = parse_document(reading.document)
    except (PlanParseError, ReaderError) as exc:
        reading.error, reading.exception = str(exc), exc
    except OSError as exc:
        reading.error = f"{shown(path)}: cannot be opened ({exc.strerror or exc})"
        reading.exception = exc
    except Exception as exc:  # a reader's library failing on a hostile file: name the file
        reading.error = (f"{shown(path)}: could not be read ({type(exc).__name__}: {exc}); "
                         "open it and save it again, or remove it")
        reading.exception = exc
    return reading


def owners(readings: list[Reading]) -> tuple[list[Owner], list[str]]:
    """The readable documents grouped by office; (owners, warnings). CorpusError for two
    documents with one id, or an alias that is another owner's name."""
    _unique_ids([r.path for r in readings])
    groups: dict[str, list[Reading]] = {}
    for reading in readings:
        if reading.plan is not None:
            groups.setdefault(squash(reading.plan.meta["office"]), []).append(reading)
    result, warnings = [], []
    for members in groups.values():
        plan, merged_warnings = _merged([m.plan for m in members], [m.path for m in members])
        warnings += merged_warnings
        result.append(Owner(members[0].path.stem, [m.path for m in members], plan))
    _check_aliases(result)
    return result, warnings


def _unique_ids(paths: list[Path]) -> None:
    seen: dict[str, Path] = {}
    for path in paths:
        key = path.stem.casefold()
        if key in seen:
            raise CorpusError(f"{path}: same owner id as {seen[key]} (rename one file)")
        seen[key] = path


def _merged(plans: list[Plan], paths: list[Path]) -> tuple[Plan, list[str]]:
    """One plan from several documents of one owner: sections in file order, names joined."""
    if len(plans) == 1:
        return plans[0], []
    first = plans[0]
    meta = dict(first.meta)
    aliases = list(meta.get("aliases", []))
    warnings: list[str] = []
    seen: dict[tuple[str, str], tuple[Path, int]] = {}
    sections = []
    for plan, path in zip(plans, paths, strict=True):
        for key, value in plan.meta.items():
            meta.setdefault(key, value)
        if plan.meta.get("short") and plan.meta["short"] != meta.get("short"):
            warnings.append(f"{path}: short name '{plan.meta['short']}' differs from "
                            f"'{meta['short']}' in {paths[0]}; '{meta['short']}' is used")
        aliases += [a for a in plan.meta.get("aliases", []) if a not in aliases]
        for section in plan.sections:
            key = (section.kind, section.heading if section.kind == "other" else "")
            if key in seen and section.kind not in ("signature", "") and key != ("other", ""):
                other, line = seen[key]
                warnings.append(
                    f"{path} line {section.line}: section '{section.title}' is also in {other} "
                    f"line {line} (same owner, {first.meta['office']}); both are kept")
            seen.setdefault(key, (path, section.line))
            sections.append(section)
    meta["aliases"] = aliases
    merged = Plan(str(paths[0]), meta, sections, [w for p in plans for w in p.warnings],
                  [line for p in plans for line in p.preamble])
    return merged, warnings


def _check_aliases(found: list[Owner]) -> None:
    """An alias (or short name) equal to another owner's name is an error naming both files."""
    names: dict[str, tuple[Owner, str]] = {}
    for owner in found:
        meta = owner.plan.meta
        for name in derive_names(meta["office"], meta.get("short"), []).names:
            names.setdefault(squash(name), (owner, name))
    for owner in found:
        for alias in owner.plan.meta.get("aliases", []):
            other = names.get(squash(alias))
            if other is not None and other[0] is not owner:
                raise CorpusError(
                    f"{_declaring(owner, alias)}: alias '{alias}' is the name of another owner "
                    f"('{other[1]}' in {', '.join(map(str, other[0].paths))}); remove it from "
                    "one of them")


def _declaring(owner: Owner, alias: str) -> Path:
    """The document of an owner whose front matter or sidecar names `alias`."""
    return next((p for p in owner.paths if alias in str(_meta_text(p))), owner.paths[0])


def _meta_text(path: Path) -> str:
    sidecar = sidecar_path(path)
    if sidecar.exists():
        return sidecar.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() in (".txt", ".md"):
        return path.read_text(encoding="utf-8", errors="replace")[:4096]
    return ""


def texts(document: Document) -> list[str]:
    """Every text of a document, lines and table cells, for the quality figure."""
    out = []
    for block in document.blocks:
        if isinstance(block, Line):
            out.append(block.text)
        else:
            out.extend(cell for row in block.rows for cell in row)
    return out
