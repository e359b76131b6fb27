"""The index database's one owner: the tables are written here and read back here, as objects.

Tables (written with sqlite-utils, schema `SCHEMA_VERSION`):

- `owners`: one row per plan owner: its names, the plan's tree as compact JSON, the kinds of
  content it has (`kinds`, schema 2), the owner id of the plan above it (`parent`, schema 3;
  "" for none) and the build's warnings;
- `names`: every matching key of every owner (squashed names, abbreviations);
- `sections`: one row per section (kind, heading, line, item count);
- `passages`: one row per retrievable unit (item or section paragraphs), with its tokens;
- `meta`: schema version, build time, corpus checksum, tokenizer version, counts.

Readers get `Owner` objects, `index.model.Plan` trees and `index.search.Passage`s; nothing
outside this module writes SQL against the index. `Store` loads what the answer engine needs
at once (owners and passages) and keeps each plan as its JSON string until it is asked for,
parsing a few hundred at most (national scale holds thousands of plans).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from sys import intern

import sqlite_utils

from index import tokenize
from index.model import Plan, Section
from index.names import derive_names
from index.search import Passage, PassageIndex
from index.text import squash

SCHEMA_VERSION = 3  # 2: owners.kinds; 3: owners.parent
TREE_CACHE = 512  # parsed plans kept per process; the rest stay compact JSON strings


@dataclass(frozen=True)
class Owner:
    """Whose plan it is, and every name a question may use for them."""

    id: str  # the document's file name without the extension
    office: str  # the full office name
    display: str  # the name shown to users ("สพป.แพร่ เขต 1")
    kind: str  # spp | spm | school | other (index.names)
    provinces: tuple[str, ...]
    area: int | None
    keys: tuple[str, ...]  # matching keys (squashed names)
    kinds: frozenset[str]  # kinds of content the plan has (Plan.available_kinds)
    names: tuple[str, ...] = ()
    source: str = ""  # the document's file name
    parent: str | None = None  # the owner id of the plan above (`parent:`), if known
    # From the front matter (or sidecar), "" when the plan does not say:
    year: str = ""  # `year:` the years the plan covers ("2566-2570")
    origin: str = ""  # `source:` where the document was taken from (a link or a path)
    contact: str = ""  # `contact:` how to reach the office


@dataclass(frozen=True)
class Document:
    """One parsed plan document, ready to be written: its owner id, file and tree."""

    owner_id: str
    path: Path
    plan: Plan
    parent: str | None = None  # the owner id `parent:` names (index.build resolves it)


@dataclass
class Written:
    """What a write produced."""

    owners: int
    sections: int
    passages: int


# --- writing ----------------------------------------------------------------------------------


def write(db_path: str | Path, documents: Iterable[Document], corpus: str | Path,
          checksum: str) -> Written:
    """Write every document's rows and the metadata into a new database file at `db_path`."""
    db = sqlite_utils.Database(db_path)
    owners, sections, passages, names = [], [], [], []
    for document in documents:
        owner_row, section_rows, passage_rows = _plan_rows(document)
        owners.append(owner_row)
        sections.extend(section_rows)
        passages.extend(passage_rows)
        names.extend({"key": key, "owner_id": owner_row["id"]}
                     for key in json.loads(owner_row["keys"]))
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
        "corpus_checksum": checksum,
        "tokenizer": tokenize.version(),
        "owners": str(len(owners)),
        "sections": str(len(sections)),
        "passages": str(len(passages)),
        "corpus": str(corpus),
    }
    db["meta"].insert_all([{"key": k, "value": v} for k, v in meta.items()], pk="key")
    db.conn.commit()
    db.close()
    return Written(len(owners), len(sections), len(passages))


def _plan_rows(document: Document) -> tuple[dict, list[dict], list[dict]]:
    """(owner row, section rows, passage rows) for one parsed plan."""
    owner, plan = document.owner_id, document.plan
    meta = plan.meta
    names = derive_names(meta["office"], meta.get("short"), meta.get("aliases", []))
    tree = [section.to_dict() for section in plan.sections]
    owner_row = {
        "id": owner,
        "office": names.names[0],
        "display": names.display,
        "kind": names.kind,
        "provinces": json.dumps(names.provinces, ensure_ascii=False),
        "area": names.area,
        "names": json.dumps(names.names, ensure_ascii=False),
        "keys": json.dumps(names.keys, ensure_ascii=False),
        "source": document.path.name,
        "sha256": hashlib.sha256(document.path.read_bytes()).hexdigest(),
        "meta": json.dumps(dict(meta), ensure_ascii=False, default=str),
        "tree": json.dumps(tree, ensure_ascii=False),
        "kinds": json.dumps(plan.available_kinds()),
        "warnings": json.dumps(plan.warnings, ensure_ascii=False),
        "parent": document.parent or "",
    }
    sections, passages = [], []
    for seq, section in enumerate(plan.sections):
        sections.append({"owner_id": owner, "seq": seq, "kind": section.kind,
                         "heading": section.heading, "line": section.line,
                         "items": sum(1 for _ in section.walk())})
        if section.intro:
            passages.append({
                "owner_id": owner, "section_seq": seq, "section_kind": section.kind,
                "item_path": "", "item_kind": section.kind, "text": "\n".join(section.intro),
                "line": section.line,
                # a section the heading table doesn't know is found by its own heading
                "heading": section.heading if section.kind == "other" else "",
            })
        passages.extend(
            {"owner_id": owner, "section_seq": seq, "section_kind": section.kind,
             "item_path": item.path, "item_kind": item.kind, "text": item.full_text(),
             "line": item.line}
            for item in section.walk()
        )
    return owner_row, sections, passages


# --- reading ----------------------------------------------------------------------------------


class Store:
    """An index loaded for answering: its metadata, owners, passages, and plans on demand.

    Everything is read in one connection, so a rebuild renaming a new file into place
    meanwhile cannot mix two indexes.
    """

    def __init__(self, db_path: str | Path, tree_cache: int = TREE_CACHE):
        self.path = Path(db_path)
        with _open(self.path) as db:
            self.meta = read_meta(db)
            self.owners: dict[str, Owner] = {}
            self._stored: dict[str, tuple[str, str, str]] = {}  # owner -> (tree, meta, warnings)
            for row in db["owners"].rows:
                self.owners[row["id"]] = _owner(row)
                self._stored[row["id"]] = (row["tree"], row["meta"], row["warnings"])
            self.passages = PassageIndex.from_pairs(_passage_pairs(db))
        self.plan = lru_cache(maxsize=tree_cache)(self._plan)

    @property
    def schema_version(self) -> str | None:
        """The schema the file was written with (an old file is still read)."""
        return self.meta.get("schema_version")

    def _plan(self, owner_id: str) -> Plan:
        """An owner's plan, parsed from its JSON on first use (`plan` caches a few hundred)."""
        tree, meta, warnings = self._stored[owner_id]
        return _plan(self.owners[owner_id], tree, meta, warnings)


def read_meta(db: sqlite_utils.Database | str | Path) -> dict[str, str]:
    """The `meta` table as a dict (schema_version, built_at, counts, ...)."""
    if not isinstance(db, sqlite_utils.Database):
        with _open(db) as opened:
            return read_meta(opened)
    return {row["key"]: row["value"] for row in db["meta"].rows}


def find_owner(db_path: str | Path, name: str) -> tuple[Owner, Plan] | None:
    """The owner called `name` (any of its names, or its id) and its plan, or None."""
    with _open(db_path) as db:
        rows = list(db.query("select owner_id from names where key = ?", [squash(name)]))
        owner_id = rows[0]["owner_id"] if rows else name
        row = next(db.query("select * from owners where id = ?", [owner_id]), None)
    if row is None:
        return None
    owner = _owner(row)
    return owner, _plan(owner, row["tree"], row["meta"], row["warnings"])


def passage_tokens(db_path: str | Path) -> Iterator[tuple[Passage, list[str]]]:
    """Every passage with its tokens, in id order (for a baseline that needs the tokens)."""
    with _open(db_path) as db:
        yield from _passage_pairs(db)


def owners(db_path: str | Path) -> list[Owner]:
    """Every owner of an index, without building the passages' index."""
    with _open(db_path) as db:
        return [_owner(row) for row in db["owners"].rows]


def _open(db_path: str | Path):
    """The database, read-only, for a `with` block that closes it.

    Read-only (SQLite's `mode=ro`): a reader never writes the index, and a file that is gone
    is an error ("unable to open database file") rather than a new empty database left at the
    index's path, which a rebuild would then refuse to replace as not an index.
    """
    uri = f"{Path(db_path).resolve().as_uri()}?mode=ro"
    return closing(sqlite_utils.Database(sqlite3.connect(uri, uri=True)))


def _owner(row: dict) -> Owner:
    meta = json.loads(row.get("meta") or "{}")
    kinds = row.get("kinds")  # None in an index of schema 1: the plan itself says
    kinds = json.loads(kinds) if kinds is not None else _plan_sections(row["tree"]).available_kinds()
    return Owner(
        id=row["id"], office=row["office"], display=row["display"], kind=row["kind"],
        provinces=tuple(json.loads(row["provinces"])), area=row["area"],
        keys=tuple(json.loads(row["keys"])), kinds=frozenset(kinds),
        names=tuple(json.loads(row["names"])) if row.get("names") else (),
        source=row.get("source") or "",
        parent=row.get("parent") or None,  # no column in an index of schema 1 or 2
        year=_text(meta.get("year")), origin=_text(meta.get("source")),
        contact=_text(meta.get("contact")),
    )


def _text(value) -> str:
    """A front-matter value as one line of text ("" for none)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    return " ".join(str(value).split())


def _plan_sections(tree: str) -> Plan:
    return Plan("", {}, [Section.from_dict(s) for s in json.loads(tree)])


def _plan(owner: Owner, tree: str, meta: str, warnings: str) -> Plan:
    plan = _plan_sections(tree)
    plan.source, plan.meta, plan.warnings = owner.source, json.loads(meta), json.loads(warnings)
    return plan


def _passage_pairs(db: sqlite_utils.Database) -> Iterator[tuple[Passage, list[str]]]:
    rows = db.query(
        "select id, owner_id, section_kind, section_seq, item_path, item_kind, text, tokens"
        " from passages order by id"
    )
    for row in rows:
        passage = Passage(row["id"], intern(row["owner_id"]), intern(row["section_kind"]),
                          intern(row["item_path"]), row["text"], intern(row["item_kind"]),
                          row["section_seq"])
        yield passage, row["tokens"].split()
