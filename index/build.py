"""Build the index database from a corpus folder, atomically.

The database (written with sqlite-utils) holds owners with all their names, sections, the
parsed tree of every plan, and passages (item path, exact text, normalised tokens), plus a
metadata table. It is written to a temporary file beside the target and renamed into place,
so a running bot never sees half an index; a document that cannot be parsed stops the build
before anything is renamed, and the previous index stays untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from index import tokenize
from index.names import derive_names
from index.parse import Plan, PlanParseError, parse_file
from index.readers import ReaderError
from index.views import available_kinds

SCHEMA_VERSION = 2  # 2: owners.kinds
CORPUS_SUFFIXES = (".txt", ".md")
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus"
DEFAULT_DB = Path(__file__).resolve().parent.parent / "instance" / "index.db"


def default_db() -> Path:
    """The index path: $PLANBOT_DB, else instance/index.db in the project."""
    return Path(os.environ.get("PLANBOT_DB") or DEFAULT_DB)


class BuildError(Exception):
    """The corpus cannot be built into an index; the message says what to fix."""


@dataclass
class BuildStats:
    """What a build produced, for the one summary line."""

    owners: int
    sections: int
    passages: int
    seconds: float
    warnings: list[str]

    def summary(self) -> str:
        """'5 owners, 31 sections, 150 passages in 0.4 s'."""
        return (
            f"{self.owners} owners, {self.sections} sections, {self.passages} passages "
            f"in {self.seconds:.1f} s"
        )


def corpus_files(corpus: str | Path) -> list[Path]:
    """Plan documents in a corpus folder, in a stable order."""
    folder = Path(corpus)
    if not folder.is_dir():
        raise BuildError(f"{folder}: corpus folder not found")
    return sorted(
        p for p in folder.iterdir() if p.suffix.lower() in CORPUS_SUFFIXES and p.is_file()
    )


def owner_id(path: Path) -> str:
    """An owner's id is its document's file name without the extension."""
    return path.stem


def parse_corpus(corpus: str | Path, progress=None) -> list[tuple[Path, Plan]]:
    """Parse every document; raises PlanParseError at the first broken one."""
    plans = []
    files = corpus_files(corpus)
    if not files:
        raise BuildError(f"{corpus}: no plan documents (*.txt, *.md) found")
    for path in files:
        try:
            plans.append((path, parse_file(path)))  # read by the reader for its format
        except ReaderError as exc:  # an error with no line (a line makes it PlanParseError)
            raise BuildError(str(exc)) from None
        if progress:
            progress(1)
    seen: dict[str, Path] = {}
    for path, _ in plans:
        key = owner_id(path).casefold()
        if key in seen:
            raise BuildError(f"{path}: same owner id as {seen[key]} (rename one file)")
        seen[key] = path
    return plans


def _item_rows(section, owner: str, section_seq: int):
    for item in section.walk():
        yield {
            "owner_id": owner,
            "section_seq": section_seq,
            "section_kind": section.kind,
            "item_path": item.path,
            "item_kind": item.kind,
            "text": item.full_text(),
            "line": item.line,
        }


def plan_rows(path: Path, plan: Plan) -> tuple[dict, list[dict], list[dict]]:
    """(owner row, section rows, passage rows) for one parsed plan."""
    owner = owner_id(path)
    meta = plan.meta
    names = derive_names(meta["office"], meta.get("short"), meta.get("aliases", []))
    data = path.read_bytes()
    tree = [asdict(s) for s in plan.sections]
    owner_row = {
        "id": owner,
        "office": names.names[0],
        "display": names.display,
        "kind": names.kind,
        "provinces": json.dumps(names.provinces, ensure_ascii=False),
        "area": names.area,
        "names": json.dumps(names.names, ensure_ascii=False),
        "keys": json.dumps(names.keys, ensure_ascii=False),
        "source": path.name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "meta": json.dumps({k: v for k, v in meta.items()}, ensure_ascii=False, default=str),
        "tree": json.dumps(tree, ensure_ascii=False),
        "kinds": json.dumps(available_kinds(tree)),
        "warnings": json.dumps(plan.warnings, ensure_ascii=False),
    }
    sections, passages = [], []
    for seq, section in enumerate(plan.sections):
        sections.append(
            {
                "owner_id": owner,
                "seq": seq,
                "kind": section.kind,
                "heading": section.heading,
                "line": section.line,
                "items": sum(1 for _ in section.walk()),
            }
        )
        if section.intro:
            passages.append(
                {
                    "owner_id": owner,
                    "section_seq": seq,
                    "section_kind": section.kind,
                    "item_path": "",
                    "item_kind": section.kind,
                    "text": "\n".join(section.intro),
                    "line": section.line,
                    # a section the heading table doesn't know is found by its own heading
                    "heading": section.heading if section.kind == "other" else "",
                }
            )
        passages.extend(_item_rows(section, owner, seq))
    return owner_row, sections, passages


def corpus_checksum(files: list[Path]) -> str:
    """SHA-256 over every document's name and bytes."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def build(corpus: str | Path, db_path: str | Path, progress=None) -> BuildStats:
    """Parse the corpus and write a new index to db_path, replacing the old one atomically."""
    started = time.perf_counter()
    plans = parse_corpus(corpus, progress)
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    _sweep_stale_temporaries(db_path.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=".index-", suffix=".db", dir=db_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        stats = _write(plans, tmp, started, corpus)
        os.replace(tmp, db_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    stats.seconds = time.perf_counter() - started
    return stats


STALE_SECONDS = 6 * 3600


def _sweep_stale_temporaries(folder: Path) -> None:
    """Remove half-written indexes that a killed rebuild left behind (hours old only, so a
    rebuild running at the same moment keeps its file)."""
    now = time.time()
    for stale in folder.glob(".index-*.db*"):
        try:
            if now - stale.stat().st_mtime > STALE_SECONDS:
                stale.unlink()
        except OSError:
            pass


def _write(plans, tmp: Path, started: float, corpus) -> BuildStats:
    db = sqlite_utils.Database(tmp)
    owners, sections, passages, names, warnings = [], [], [], [], []
    for path, plan in plans:
        owner_row, section_rows, passage_rows = plan_rows(path, plan)
        owners.append(owner_row)
        sections.extend(section_rows)
        passages.extend(passage_rows)
        warnings.extend(plan.warnings)
        for key in json.loads(owner_row["keys"]):
            names.append({"key": key, "owner_id": owner_row["id"]})
    for number, passage in enumerate(passages):
        passage["id"] = number
        heading = passage.pop("heading", "")
        text = f"{heading}\n{passage['text']}"  # parsed text is clean already
        passage["tokens"] = " ".join(tokenize.tokenize(text, already_clean=True))
    db["owners"].insert_all(owners, pk="id")
    db["names"].insert_all(names)
    db["sections"].insert_all(sections)
    db["passages"].insert_all(passages, pk="id", batch_size=5000)
    db["names"].create_index(["key"])
    db["passages"].create_index(["owner_id", "section_kind"])
    meta = {
        "schema_version": str(SCHEMA_VERSION),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "corpus_checksum": corpus_checksum([p for p, _ in plans]),
        "tokenizer": tokenize.version(),
        "owners": str(len(owners)),
        "sections": str(len(sections)),
        "passages": str(len(passages)),
        "corpus": str(corpus),
    }
    db["meta"].insert_all([{"key": k, "value": v} for k, v in meta.items()], pk="key")
    db.conn.commit()
    db.close()
    return BuildStats(len(owners), len(sections), len(passages), 0.0, warnings)


def check(corpus: str | Path) -> tuple[list[tuple[Path, Plan]], list[str]]:
    """Parse without writing; returns the plans and every warning."""
    plans = parse_corpus(corpus)
    warnings = [w for _, plan in plans for w in plan.warnings]
    return plans, warnings


__all__ = ["BuildError", "BuildStats", "PlanParseError", "build", "check", "default_db"]
