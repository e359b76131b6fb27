"""The admin console's plans: what the index holds, one plan's tree, and adding a plan.

Reading: `summaries(store)` lists the owners of the index the bot serves (names, sections and
item counts, year, source, warnings, a text-quality figure where the index has one);
`tree_lines` prints one plan as `python -m index show` does (`index.cli.echo_tree`, the same
code).

Adding (`stage`, then `publish`), in two steps so a failed check changes nothing:

1. `stage` keeps the uploaded document, with the form's metadata written into it (front
   matter for a text plan, a `<file>.yaml` sidecar for other formats), in a folder of its own
   beside the index, and runs the index's own check (`index.build.check`) on the corpus as it
   would be: every current document plus the new one (a plan with the same owner id is
   replaced). The corpus and the index are not touched.
2. `publish` copies the checked document into the corpus and rebuilds the index with
   `index.build.build`, the CLI's atomic rebuild: running workers answer from the new index at
   their next message. If the rebuild fails the corpus is put back as it was.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from index import store
from index.build import CORPUS_SUFFIXES, DEFAULT_CORPUS, build, check
from index.cli import echo_tree
from index.model import Plan

UPLOADS = ".uploads"  # staged documents, beside the index
STAGE_SECONDS = 6 * 3600  # a staged upload not published by then is swept away
#: Largest upload read; each reader refuses a document over its own limit with a message.
UPLOAD_MAX_BYTES = 32 * 1024 * 1024
META_KEYS = ("office", "short", "aliases", "year", "source")
_OWNER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
_STAGE_ID = re.compile(r"^[0-9a-f]{32}$")
_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)


class UploadError(Exception):
    """An upload that cannot be checked or published; the message says what to do."""


# --- what the index holds ---------------------------------------------------------------------


@dataclass
class PlanSummary:
    """One owner's plan as the console lists it."""

    id: str
    display: str
    names: list[str]
    file: str
    source: str  # where the plan was taken from (its metadata's `source:`), if given
    year: str
    sections: list[tuple[str, int]]  # (section name, items)
    warnings: list[str]
    quality: float | None  # share of unreadable Thai text, where the index records one

    @property
    def items(self) -> int:
        """Items in all sections."""
        return sum(count for _, count in self.sections)


def summaries(index: store.Store) -> list[PlanSummary]:
    """The plans of a loaded index (the engine's), by the name shown to teachers."""
    return sorted((summary(owner, index.plan(owner.id)) for owner in index.owners.values()),
                  key=lambda plan: (plan.display, plan.id))


def summary(owner: store.Owner, plan: Plan) -> PlanSummary:
    """One owner and its plan as the console lists them."""
    meta = plan.meta or {}
    quality = meta.get("quality")
    return PlanSummary(
        id=owner.id,
        display=owner.display,
        names=list(owner.names),
        file=owner.source,
        source=str(meta.get("source") or ""),
        year=str(meta.get("year") or ""),
        sections=[(s.title, sum(1 for _ in s.walk())) for s in plan.sections],
        warnings=list(plan.warnings),
        quality=float(quality) if _is_number(quality) else None,
    )


def tree_lines(owner: store.Owner, plan: Plan) -> list[str]:
    """A plan's tree as `python -m index show` prints it (the same function prints both)."""
    lines: list[str] = []
    echo_tree(owner, plan, lines.append)
    return lines


def corpus_of(db_path: str | Path) -> Path:
    """The corpus folder the index was built from (its meta), else the project's corpus/."""
    meta = store.read_meta(db_path) if Path(db_path).exists() else {}
    folder = Path(meta.get("corpus") or DEFAULT_CORPUS)
    return folder if folder.is_dir() else DEFAULT_CORPUS


def readable_suffixes() -> tuple[str, ...]:
    """File suffixes the index can read: its readers' registry, and the build's own list."""
    suffixes = set(CORPUS_SUFFIXES)
    try:
        from index.readers import READERS  # registered by each format's reader
    except ImportError:
        READERS = {}
    suffixes.update(str(s).lower() for s in READERS)
    return tuple(sorted(suffixes))


def _text_suffixes() -> tuple[str, ...]:
    """Suffixes of plain-text plans, whose metadata is their front matter."""
    try:
        from index.readers.text import SUFFIXES
    except ImportError:
        SUFFIXES = CORPUS_SUFFIXES
    return tuple(s.lower() for s in SUFFIXES)


# --- adding a plan ----------------------------------------------------------------------------


@dataclass
class CheckResult:
    """What the check of a staged upload found."""

    stage_id: str
    owner_id: str
    file: str  # the plan's file name in the corpus
    ok: bool = False
    error: str = ""
    replaces: list[str] = field(default_factory=list)  # corpus files the upload replaces
    documents: int = 0
    warnings: list[str] = field(default_factory=list)  # the new plan's
    other_warnings: int = 0
    tree: list[str] = field(default_factory=list)


def metadata(form) -> dict:
    """The form's owner metadata (office, short, aliases, year, source), empty fields left out."""
    meta: dict = {}
    for key in META_KEYS:
        value = " ".join(str(form.get(key) or "").split())
        if not value:
            continue
        if key == "aliases":
            names = [a.strip() for a in re.split(r"[,\n;]", str(form.get(key))) if a.strip()]
            if names:
                meta[key] = names
        else:
            meta[key] = value
    return meta


def stage(db_path: str | Path, filename: str, data: bytes, meta: dict,
          owner_id: str = "") -> CheckResult:
    """Keep an uploaded plan with its metadata and check the corpus as it would be with it."""
    suffix = Path(filename or "").suffix.lower()
    readable = readable_suffixes()
    if suffix not in readable:
        raise UploadError(
            f"'{filename}': the index cannot read '{suffix or 'no suffix'}' files; "
            f"upload one of {', '.join(readable)}"
        )
    if not data:
        raise UploadError(f"'{filename}' is empty")
    owner_id = (owner_id or "").strip() or _owner_id_from(filename, data)
    if not _OWNER_ID.match(owner_id):
        raise UploadError(
            f"owner id '{owner_id}': use Latin letters, digits, '.', '_' and '-' (e.g. spp-nan-2)"
        )
    uploads = Path(db_path).parent / UPLOADS
    _sweep(uploads)
    stage_id = secrets.token_hex(16)
    folder = uploads / stage_id
    files = folder / "files"
    files.mkdir(parents=True)
    name = owner_id + suffix
    result = CheckResult(stage_id=stage_id, owner_id=owner_id, file=name)
    try:
        written = _write_document(files, name, data, meta)
    except UploadError as error:
        result.error = str(error)
        _save(folder, result, [])
        return result
    corpus = corpus_of(db_path)
    result.replaces = _replaced(corpus, owner_id)
    _check(folder, corpus, result, written)
    _save(folder, result, written)
    return result


def publish(db_path: str | Path, stage_id: str):
    """Copy a checked upload into the corpus and rebuild the index atomically (the CLI's
    `index.build.build`); the corpus is restored if the rebuild fails. Returns BuildStats."""
    if not _STAGE_ID.match(stage_id or ""):
        raise UploadError("unknown upload: upload the document again")
    folder = Path(db_path).parent / UPLOADS / stage_id
    try:
        saved = json.loads((folder / "result.json").read_text("utf-8"))
    except (OSError, ValueError):
        raise UploadError("unknown or expired upload: upload the document again") from None
    if not saved.get("ok"):
        raise UploadError("this upload did not pass the check; nothing was published")
    corpus = corpus_of(db_path)
    backup = folder / "backup"
    backup.mkdir(exist_ok=True)
    with _publish_lock(db_path):
        moved, added = [], []
        try:
            for name in saved["replaces"]:
                if (corpus / name).exists():
                    shutil.move(corpus / name, backup / name)
                    moved.append(name)
            for name in saved["files"]:
                temporary = corpus / f".upload-{stage_id}-{name}.part"  # not a plan suffix
                shutil.copyfile(folder / "files" / name, temporary)
                os.replace(temporary, corpus / name)
                added.append(name)
            stats = build(corpus, db_path)
        except BaseException:
            for name in added:
                (corpus / name).unlink(missing_ok=True)
            for name in moved:
                shutil.move(backup / name, corpus / name)
            raise
    shutil.rmtree(folder, ignore_errors=True)
    return stats


def _owner_id_from(filename: str, data: bytes) -> str:
    """An owner id from the file's name (Latin part), else one from its contents."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(filename).stem).strip("-._")
    return stem[:80] or "plan-" + hashlib.sha256(data).hexdigest()[:8]


def _write_document(folder: Path, name: str, data: bytes, meta: dict) -> list[str]:
    """Write the upload (and its sidecar); the names written."""
    if Path(name).suffix.lower() in _text_suffixes():
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise UploadError(f"'{name}' is not UTF-8 text (save it as UTF-8)") from None
        (folder / name).write_text(with_front_matter(text, meta), "utf-8")
        return [name]
    (folder / name).write_bytes(data)
    if not meta:
        return [name]
    sidecar = f"{name}.yaml"  # the readers' sidecar: the document's name plus .yaml
    (folder / sidecar).write_text(_yaml(meta), "utf-8")
    return [name, sidecar]


def with_front_matter(text: str, meta: dict) -> str:
    """A text plan with `meta` in its front matter (replacing the same keys, keeping others)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not meta:
        return text
    existing: dict = {}
    match = _FRONT.match(text)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError:
            loaded = None  # unreadable: the form's metadata replaces it
        existing = loaded if isinstance(loaded, dict) else {}
        text = text[match.end():]
    return f"---\n{_yaml({**existing, **meta})}---\n{text}"


def _yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)


def _replaced(corpus: Path, owner_id: str) -> list[str]:
    """Corpus files of the same owner id (any format), and their sidecars."""
    key = owner_id.casefold()
    return sorted(
        p.name for p in corpus.iterdir()
        if p.is_file() and not p.name.startswith(".")
        and (Path(p.name.removesuffix(".yaml")).stem.casefold() == key)
    )


def _check(folder: Path, corpus: Path, result: CheckResult, written: list[str]) -> None:
    """`index.build.check` over the corpus with the upload in place (symlinks, no copies), and
    the new plan's tree as the index will hold it (the upload alone, built into a scratch
    index with `index.build.build`)."""
    view = folder / "check"
    view.mkdir()
    for path in sorted(corpus.iterdir()):
        if path.is_file() and not path.name.startswith(".") and path.name not in result.replaces:
            (view / path.name).symlink_to(path.resolve())
    for name in written:
        (view / name).symlink_to((folder / "files" / name).resolve())
    try:
        plans, warnings = check(view, links_within=(corpus, folder / "files"))
        if not any(path.name == result.file for path, _ in plans):
            raise UploadError(f"{result.file}: the index build does not read this format yet")
        scratch = folder / "preview.db"
        build(folder / "files", scratch)
        owner, plan = store.find_owner(scratch, result.owner_id)
    except Exception as error:  # the index's own errors name the file and line
        result.error = str(error).replace(f"{view}/", "").replace(f"{folder}/files/", "")
        return
    result.documents = len(plans)
    result.warnings = [w.replace(f"{folder}/files/", "") for w in plan.warnings]
    result.other_warnings = len(warnings) - len(plan.warnings)
    result.tree = [line.replace(f"{folder}/files/", "") for line in tree_lines(owner, plan)]
    result.ok = True


def _save(folder: Path, result: CheckResult, written: list[str]) -> None:
    shutil.rmtree(folder / "check", ignore_errors=True)
    (folder / "preview.db").unlink(missing_ok=True)
    data = {"ok": result.ok, "files": written, "replaces": result.replaces,
            "owner_id": result.owner_id}
    (folder / "result.json").write_text(json.dumps(data), "utf-8")


def _sweep(uploads: Path) -> None:
    """Remove staged uploads older than STAGE_SECONDS."""
    if not uploads.is_dir():
        return
    now = time.time()
    for folder in uploads.iterdir():
        with contextlib.suppress(OSError):
            if now - folder.stat().st_mtime > STAGE_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _publish_lock(db_path: str | Path):
    """One publish at a time across workers: an exclusive lock on a file beside the index."""
    lock = Path(f"{db_path}.publish.lock")
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _is_number(value) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return False
    try:
        float(value)
    except ValueError:
        return False
    return True
