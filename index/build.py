"""Build the index database from a corpus folder, atomically.

The database (its tables are `index.store`'s) holds owners with all their names, sections,
the parsed tree of every plan, and passages (item path, exact text, normalised tokens), plus a
metadata table. It is written to a temporary file beside the target and renamed into place,
so a running bot never sees half an index. The new file keeps the replaced one's permission
bits; a first index is made 0644 less the umask (NEW_INDEX_MODE), never owner-only. Which files are plans, what stops a build and what
is indexed with warnings is `index.corpus`'s rule: a document that cannot be read at all stops
the build before anything is renamed, and the previous index stays untouched.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from index import corpus as corpus_reader
from index import store
from index.names import derive_names
from index.parse import Plan, PlanParseError
from index.paths import DEFAULT_CORPUS, DEFAULT_DB
from index.quality import unknown_share
from index.readers import READERS
from index.readers import text as text_reader
from index.store import SCHEMA_VERSION
from index.text import squash

#: Suffixes of text plans (the admin console adds those of every registered reader).
CORPUS_SUFFIXES = text_reader.SUFFIXES
PLAN_SUFFIXES = tuple(f"*{suffix}" for suffix in sorted(READERS))


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
    skipped: list[str] = field(default_factory=list)  # "file: why", as check lists them

    def summary(self) -> str:
        """'5 owners, 31 sections, 150 passages in 0.4 s'."""
        return (
            f"{self.owners} owners, {self.sections} sections, {self.passages} passages "
            f"in {self.seconds:.1f} s"
        )


@dataclass
class Report:
    """A corpus read without writing: what `index check` prints (see `index.corpus`)."""

    scan: corpus_reader.Scan
    readings: list[corpus_reader.Reading]
    owners: list[corpus_reader.Owner] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # grouping and sidecar warnings
    owner_errors: list[str] = field(default_factory=list)  # two files, one id; alias clashes
    quality: dict[Path, float] = field(default_factory=dict)  # unknown share per document
    parents: dict[str, str | None] = field(default_factory=dict)  # owner id -> parent's id

    @property
    def errors(self) -> list[str]:
        """One line per file refused or that cannot be read, then the owners that cannot be
        built."""
        return self.scan.errors + [r.error for r in self.readings if r.error] + self.owner_errors

    def skipped(self) -> list[str]:
        """One line per file that is not a document, naming it and why."""
        return [f"{corpus_reader.shown(path)}: {why}" for path, why in self.scan.skipped]

    def plan_warnings(self) -> list[str]:
        """Every warning: each owner's plan's (each document's where owners could not be
        made), then the corpus's own."""
        plans = [o.plan for o in self.owners] or [r.plan for r in self.readings if r.plan]
        return [w for plan in plans for w in plan.warnings] + self.warnings


def _scan(corpus: str | Path, links_within: tuple[Path, ...] = ()) -> corpus_reader.Scan:
    try:
        return corpus_reader.scan(corpus, links_within)
    except corpus_reader.CorpusError as exc:
        raise BuildError(str(exc)) from None


def corpus_files(corpus: str | Path) -> list[Path]:
    """Plan documents in a corpus folder, in a stable order (sidecars and temporaries aside)."""
    return _scan(corpus).documents


def inspect(corpus: str | Path, progress=None, quality: bool = False,
            links_within: tuple[Path, ...] = ()) -> Report:
    """Read and parse every document, group owners, and collect what cannot be read; raises
    only for a missing folder or one without documents. `quality` adds the text figure;
    `links_within`: the folders links may lead into (default: the corpus folder)."""
    found = _scan(corpus, links_within)
    if not found.documents and not found.refused:
        raise BuildError(f"{corpus_reader.shown(corpus)}: no plan documents "
                         f"({', '.join(PLAN_SUFFIXES)}) found")
    report = Report(found, [], warnings=list(found.warnings))
    for path in found.documents:
        reading = corpus_reader.read(path)
        report.readings.append(reading)
        if quality and not reading.error:
            report.quality[path] = unknown_share(corpus_reader.texts(reading.document))
        if progress:
            progress(1)
    try:
        report.owners, grouping = corpus_reader.owners(
            [r for r in report.readings if r.plan is not None])
        report.warnings += grouping
        report.parents = resolve_parents(report.owners)
    except corpus_reader.CorpusError as exc:
        report.owner_errors.append(str(exc))
    return report


def parse_corpus(corpus: str | Path, progress=None, links_within: tuple[Path, ...] = ()) -> Report:
    """Read the corpus for a build: a Report whose every document was read; otherwise the
    unreadable document's error (a PlanParseError with its line, or a BuildError), or one
    BuildError with a line per unreadable document when there are several."""
    report = inspect(corpus, progress, links_within=links_within)
    if not report.errors:
        return report
    failed = [r.exception for r in report.readings if r.exception is not None]
    if len(report.errors) == 1 and failed and isinstance(failed[0], PlanParseError):
        raise failed[0]
    raise BuildError("\n".join(report.errors))


def resolve_parents(owners: list[corpus_reader.Owner]) -> dict[str, str | None]:
    """The owner id each owner's `parent:` names (its office, short name, any alias, owner id
    or file name); an unknown parent is a warning on that plan, naming its file, and no
    parent."""
    by_key: dict[str, str] = {}
    for owner in owners:
        meta = owner.plan.meta
        names = derive_names(meta["office"], meta.get("short"), meta.get("aliases", []))
        for key in (*names.keys, *(squash(path.stem) for path in owner.paths)):
            by_key.setdefault(key, owner.id)
    parents: dict[str, str | None] = {}
    for owner in owners:
        named, path = owner.plan.meta.get("parent"), owner.paths[0]
        parents[owner.id] = by_key.get(squash(str(named))) if named else None
        if named and parents[owner.id] is None:
            owner.plan.warnings.append(f"{path}: parent '{named}' is not the name of any plan "
                                       "in the corpus (write its office:, short: or file name)")
        elif parents[owner.id] == owner.id:
            owner.plan.warnings.append(f"{path}: parent '{named}' is this plan itself")
            parents[owner.id] = None
    return parents


CHECKSUM_BLOCK = 1024 * 1024


def corpus_checksum(files: list[Path]) -> str:
    """SHA-256 over every document's name and bytes, each file streamed in 1 MiB blocks (a
    corpus of large PDFs is never held in memory whole)."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(os.fsencode(path.name) + b"\0")
        with open(path, "rb") as file:
            while block := file.read(CHECKSUM_BLOCK):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


def build(corpus: str | Path, db_path: str | Path, progress=None) -> BuildStats:
    """Parse the corpus and write a new index to db_path, replacing the old one atomically."""
    started = time.perf_counter()
    report = parse_corpus(corpus, progress)
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    _sweep_stale_temporaries(db_path.parent)
    tmp = _temporary(db_path.parent)
    try:
        stats = _write(report, tmp, corpus)
        _keep_mode(db_path, tmp)
        os.replace(tmp, db_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    stats.seconds = time.perf_counter() - started
    return stats


#: A new index's permission bits before the umask: readable by every user (0644 with the usual
#: umask 022), so a web process running as another user can read what an admin built. A
#: rebuild keeps the replaced file's bits instead (`_keep_mode`).
NEW_INDEX_MODE = 0o644
TEMPORARY_TRIES = 100


def _temporary(folder: Path) -> Path:
    """A new, empty file for the index being written, beside the index: `.index-<random>.db`,
    created with NEW_INDEX_MODE less the umask (tempfile.mkstemp would make it 0600, readable by
    its owner only, and the rename would keep that)."""
    for _ in range(TEMPORARY_TRIES):
        path = folder / f".index-{secrets.token_hex(8)}.db"
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, NEW_INDEX_MODE))
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"{folder}: no free name for a temporary index after "
                          f"{TEMPORARY_TRIES} tries")


def _keep_mode(db_path: Path, tmp: Path) -> None:
    """Give the new index the permission bits of the file it replaces, if there is one (an
    admin who made it 0640 for the web user's group keeps that; owner and group are the
    rebuilding user's, as for any new file)."""
    try:
        mode = stat.S_IMODE(os.stat(db_path).st_mode)
    except FileNotFoundError:
        return
    os.chmod(tmp, mode)


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


def _write(report: Report, tmp: Path, corpus) -> BuildStats:
    documents = [store.Document(owner.id, owner.paths[0], owner.plan, report.parents[owner.id])
                 for owner in report.owners]
    files = [p for r in report.readings for p in (r.path, report.scan.sidecars.get(r.path)) if p]
    written = store.write(tmp, documents, corpus, corpus_checksum(files))
    return BuildStats(written.owners, written.sections, written.passages, 0.0,
                      report.plan_warnings(), report.skipped())


def check(corpus: str | Path, links_within: tuple[Path, ...] = ()
          ) -> tuple[list[tuple[Path, Plan]], list[str]]:
    """Parse without writing; returns every document's plan and every warning (and raises,
    as a build does, when a document cannot be read or a file is refused)."""
    report = parse_corpus(corpus, links_within=links_within)
    return [(r.path, r.plan) for r in report.readings], report.plan_warnings()


__all__ = [
    "DEFAULT_CORPUS", "SCHEMA_VERSION", "BuildError", "BuildStats", "PlanParseError", "Report",
    "build", "check", "default_db", "inspect",
]
