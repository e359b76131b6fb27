"""Finding what to quote: items by number in a plan's tree, and passages ranked for a topic."""

from __future__ import annotations

import re

from bot.catalog import Catalog
from bot.understand import ItemRef
from index.model import Item
from index.search import Passage
from index.text import fold_clean

MIN_COVERAGE = 0.5  # share of a topic question's weight the best passage must cover
MAX_TOPIC_PASSAGES = 3
TOPIC_POOL = 20  # BM25 hits re-ordered by how much of the question they cover
ITEM_PICK_COVERAGE = 0.75  # "จุดเน้นด้านผู้เรียน": words naming one item of the section

Hit = tuple[Passage, float, float]  # (passage, BM25 score, coverage)


def find_items(catalog: Catalog, owner: str, kind: str, items: list[Item],
               refs: list[ItemRef]) -> tuple[list[Item], list[ItemRef]]:
    """(items found, refs not found) for item references within a section's items."""
    found: list[Item] = []
    missing: list[ItemRef] = []
    for ref in refs:
        matches = _matches(catalog, owner, kind, items, ref)
        if not matches and ref.container is None and ref.number.count(".") == 1:
            # "กลยุทธ์ 3.2" in a plan whose strategies sit under strategic issues and have no
            # item 3.2 of their own: strategy 2 of issue 3, as teachers number them
            issue, number = ref.number.split(".")
            matches = _matches(catalog, owner, kind, items,
                               ItemRef(ref.kind, number, ("strategic_issue", issue)))
        if not matches and ref.container is None and "." in ref.number:
            matches = printed(items, kind, ref.number)
        seen_text = set()
        for match in matches:
            if match.text not in seen_text and match not in found:
                seen_text.add(match.text)
                found.append(match)
        if not matches:
            missing.append(ref)
    return found, missing


def _matches(catalog: Catalog, owner: str, kind: str, items: list[Item], ref: ItemRef):
    """The items one reference names: inside its strategic issue, the last, or by number."""
    if ref.container is not None:
        container = catalog.plan(owner).strategic_issue(ref.container[1])
        pool = [c for c in container.children if c.kind == kind] if container else []
        if ref.number.startswith("last"):
            return pool[-last_count(ref.number):]
        return [c for c in pool if c.number == ref.number or ref.number == "*"]
    if ref.number.startswith("last"):
        return items[-last_count(ref.number):]
    pool = [i for item in items for i in item.walk() if i.kind == kind]
    if not pool:  # a heading naming several kinds (จุดเน้น/.../ตัวชี้วัด): its items are this kind's
        pool = [i for item in items for i in item.walk()]
    return [i for i in pool if i.path == ref.number or ("/" in i.path and i.number == ref.number)]


def printed(items: list[Item], kind: str, number: str) -> list[Item]:
    """The item of `kind` whose own words open with the number asked ("ตัวชี้วัดที่ 1.1.2
    ร้อยละ…", a table row the plan numbered in its text), when no item has that number in
    the tree; [] unless exactly one does."""
    opens = re.compile(rf"^\D{{0,30}}?(?<![\d.]){re.escape(number)}(?!\.?\d)")
    found = [i for item in items for i in item.walk()
             if i.kind == kind and opens.match(fold_clean(i.text))]
    return found if len(found) == 1 else []


def last_count(number: str) -> int:
    """How many items "last" ("ข้อสุดท้าย": 1) or "last:3" ("3 ข้อสุดท้าย") asks for."""
    return int(number.split(":", 1)[1]) if ":" in number else 1


def ranked(catalog: Catalog, terms: list[str], owner: str | None, kinds) -> list[Hit]:
    """[(passage, score, coverage)] that cover enough of the question, best first.

    BM25 favours short passages; a passage holding all the question's words beats one that
    holds its commonest word, so the top BM25 hits are re-ordered by coverage first.
    """
    passages = catalog.passages
    hits = passages.search(terms, owner=owner, kinds=kinds, top=TOPIC_POOL)
    shares = passages.coverages(terms, [p for p, _ in hits])
    scored = [(p, s, share) for (p, s), share in zip(hits, shares, strict=True)]
    scored = [h for h in scored if h[2] >= MIN_COVERAGE]
    scored.sort(key=lambda h: (-round(h[2], 2), -h[1], h[0].id))
    return scored


def best_passages(hits: list[Hit]) -> list[tuple[Passage, float]]:
    """The top hit and up to two more that cover as much and score nearly as well."""
    best_coverage, best = hits[0][2], hits[0][1]
    chosen = [hits[0][:2]]
    for passage, score, coverage in hits[1:]:
        if len(chosen) >= MAX_TOPIC_PASSAGES:
            break
        if coverage >= best_coverage - 0.01 and score >= best * 0.6:
            chosen.append((passage, score))
    return chosen


def pick_items(catalog: Catalog, terms: list[str], owner: str, kind: str) -> list[str]:
    """The items of a section the question's other words narrow it to ("จุดเน้นด้านครู"):
    the one item clearly named, else every item (or sub-list) covering the words as well as
    the best does; [] when the words don't narrow the section."""
    one = pick_item(catalog, terms, owner, kind)
    if one is not None:
        return [one]
    hits = [h for h in ranked(catalog, terms, owner, {kind}) if h[0].item]
    if not hits or hits[0][2] < ITEM_PICK_COVERAGE:
        return []
    best = hits[0][2]
    paths = [h[0].item for h in hits if h[2] >= best - 0.01]
    # a sub-item found with its parent is shown inside the parent
    paths = [p for p in paths if not any(p.startswith(q + ".") for q in paths if q != p)]
    view = catalog.view(owner, kind)
    if view is None or len(paths) >= sum(1 for item in view.items for _ in item.walk()):
        return []
    return sorted(set(paths), key=paths.index)


def pick_item(catalog: Catalog, terms: list[str], owner: str, kind: str) -> str | None:
    """The one item of a section that the question's other words clearly name."""
    hits = ranked(catalog, terms, owner, {kind})
    if not hits or not hits[0][0].item or hits[0][2] < ITEM_PICK_COVERAGE:
        return None
    if len(hits) > 1 and hits[1][2] >= hits[0][2] and hits[1][1] > hits[0][1] / 1.3:
        return None
    return hits[0][0].item  # its whole path: "ยุทธศาสตร์ 3 / ตัวชี้วัด 2", not every issue's 2
