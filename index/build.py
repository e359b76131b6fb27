"""Build the index database from a corpus folder, atomically.

The database (its tables are `index.store`'s) holds owners with all their names, sections,
the parsed tree of every plan, and passages (item path, exact text, normalised tokens), plus a
metadata table. It is written to a temporary file beside the target and renamed into place,
so a running bot never sees half an index; a document that cannot be parsed stops the build
before anything is renamed, and the previous index stays untouched.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from index import store
from index.names import derive_names
from index.parse import Plan, PlanParseError, parse_file
from index.paths import DEFAULT_CORPUS, DEFAULT_DB
from index.readers import ReaderError
from index.store import SCHEMA_VERSION
from index.text import squash

CORPUS_SUFFIXES = (".txt", ".md")


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


def resolve_parents(plans: list[tuple[Path, Plan]]) -> dict[Path, str | None]:
    """The owner id each plan's `parent:` names (its office, short name, any alias or owner
    id); an unknown parent is a warning on that plan, naming its file, and no parent."""
    by_key: dict[str, str] = {}
    for path, plan in plans:
        names = derive_names(plan.meta["office"], plan.meta.get("short"),
                             plan.meta.get("aliases", []))
        for key in (*names.keys, squash(owner_id(path))):
            by_key.setdefault(key, owner_id(path))
    parents: dict[Path, str | None] = {}
    for path, plan in plans:
        named = plan.meta.get("parent")
        parents[path] = by_key.get(squash(str(named))) if named else None
        if named and parents[path] is None:
            plan.warnings.append(f"{path}: parent '{named}' is not the name of any plan in the "
                                 "corpus (write its office:, short: or file name)")
        elif parents[path] == owner_id(path):
            plan.warnings.append(f"{path}: parent '{named}' is this plan itself")
            parents[path] = None
    return parents


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
    parents = resolve_parents(plans)
    documents = [store.Document(owner_id(path), path, plan, parents[path]) for path, plan in plans]
    checksum = corpus_checksum([p for p, _ in plans])
    written = store.write(tmp, documents, corpus, checksum)
    warnings = [w for _, plan in plans for w in plan.warnings]
    return BuildStats(written.owners, written.sections, written.passages, 0.0, warnings)


def check(corpus: str | Path) -> tuple[list[tuple[Path, Plan]], list[str]]:
    """Parse without writing; returns the plans and every warning."""
    plans = parse_corpus(corpus)
    resolve_parents(plans)
    warnings = [w for _, plan in plans for w in plan.warnings]
    return plans, warnings


__all__ = [
    "DEFAULT_CORPUS", "SCHEMA_VERSION", "BuildError", "BuildStats", "PlanParseError", "build",
    "check", "default_db",
]
