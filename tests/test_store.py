"""index.store: the one owner of the index's tables, and the typed objects it reads back."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from index import store
from index.model import Item, Plan, Section
from index.parse import parse_file
from index.search import Passage, PassageIndex
from tests.conftest import CORPUS

ROOT = Path(__file__).resolve().parent.parent


def test_plan_tree_round_trips_through_dicts():
    plan = parse_file(CORPUS / "spp-phrae-1.txt")
    for section in plan.sections:
        again = Section.from_dict(json.loads(json.dumps(section.to_dict(), ensure_ascii=False)))
        assert again == section
        assert [i.path for i in again.walk()] == [i.path for i in section.walk()]
    item = Item("strategy", "1", "ข้อความ", 3, ["ย่อหน้า"], [Item("strategy", "1.1", "ย่อย", 4)])
    assert Item.from_dict(item.to_dict()) == item


def test_store_loads_owners_as_objects(index_db):
    loaded = store.Store(index_db)
    owner = loaded.owners["spp-phrae-1"]
    assert isinstance(owner, store.Owner)
    assert (owner.display, owner.kind, owner.area) == ("สพป.แพร่ เขต 1", "spp", 1)
    assert "vision" in owner.kinds and owner.source == "spp-phrae-1.txt"
    assert loaded.schema_version == str(store.SCHEMA_VERSION)
    assert isinstance(loaded.passages, PassageIndex)
    assert all(isinstance(p, Passage) for p in loaded.passages.passages)
    assert len(loaded.passages.passages) == int(loaded.meta["passages"])


def test_plans_are_parsed_on_demand_and_cached(index_db):
    loaded = store.Store(index_db, tree_cache=2)
    plan = loaded.plan("spm-13")
    assert isinstance(plan, Plan) and plan.sections and plan.source == "spm-13.txt"
    assert loaded.plan("spm-13") is plan
    assert plan.meta["short"] == "สพม.13"
    assert plan.view("vision").items or plan.view("vision").intro
    assert plan.kinds()[0] == "vision"
    assert loaded.plan.cache_info().maxsize == 2


def test_the_stored_plan_is_the_parsed_plan(index_db):
    parsed = parse_file(CORPUS / "spp-lampang-1.txt")
    stored = store.Store(index_db).plan("spp-lampang-1")
    assert stored.sections == parsed.sections
    assert stored.warnings == parsed.warnings


def test_find_owner_by_any_name_or_id(index_db):
    for name in ("สพป.ลป.1", "สพป.ลำปาง เขต 1", "spp-lampang-1"):
        owner, plan = store.find_owner(index_db, name)
        assert owner.id == "spp-lampang-1", name
        assert plan.sections
    assert store.find_owner(index_db, "ไม่มีหน่วยงานนี้") is None


def test_passage_tokens_and_owners(index_db):
    pairs = list(store.passage_tokens(index_db))
    assert [p.id for p, _ in pairs] == list(range(len(pairs)))
    assert all(tokens for _, tokens in pairs)
    assert {o.id for o in store.owners(index_db)} == set(store.Store(index_db).owners)
    assert store.read_meta(index_db)["schema_version"] == str(store.SCHEMA_VERSION)


def test_an_index_of_schema_1_is_still_read(index_db, tmp_path):
    """Schema 1 had no owners.kinds: the kinds come from the stored plan instead."""
    old = tmp_path / "old.db"
    shutil.copy(index_db, old)
    with sqlite3.connect(old) as conn:
        conn.execute("alter table owners drop column kinds")
        conn.execute("update meta set value = '1' where key = 'schema_version'")
    current = store.Store(index_db)
    legacy = store.Store(old)
    assert legacy.schema_version == "1"
    assert {o: legacy.owners[o].kinds for o in legacy.owners} == {
        o: current.owners[o].kinds for o in current.owners}


@pytest.mark.parametrize("read", [store.Store, store.read_meta, store.owners],
                         ids=["Store", "read_meta", "owners"])
def test_reading_a_missing_index_creates_no_file(tmp_path, read):
    """A reader opens the index read-only: an index deleted under a running bot is an error,
    not a new empty database left at its path (which a rebuild would refuse to replace)."""
    missing = tmp_path / "index.db"
    with pytest.raises(sqlite3.OperationalError, match="unable to open"):
        read(missing)
    assert list(tmp_path.iterdir()) == []


def test_the_store_never_writes_the_index(index_db, tmp_path):
    copy = tmp_path / "index.db"
    shutil.copyfile(index_db, copy)
    before = copy.read_bytes()
    with store._open(copy) as db, pytest.raises(sqlite3.OperationalError, match="readonly"):
        db.execute("delete from meta")
    assert copy.read_bytes() == before


def test_nobody_else_writes_sql_against_the_index():
    """The index's tables are named in SQL or sqlite-utils calls only by index/store.py."""
    tables = "owners|names|sections|passages|meta"
    sql = re.compile(rf"(?i)\b(from|into|update|table)\s+[\"']?({tables})\b|\[[\"']({tables})[\"']\]")
    offenders = []
    for folder in ("bot", "index", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "index" / "store.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if sql.search(line) and "sqlite" in path.read_text(encoding="utf-8"):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.parametrize("module", ["bot", "index", "bench"])
def test_no_module_but_the_store_opens_the_index_with_sqlite_utils(module):
    users = [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / module).rglob("*.py"))
             if "sqlite_utils" in p.read_text(encoding="utf-8")]
    assert users == (["index/store.py"] if module == "index" else [])
