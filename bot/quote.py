"""Replies that quote a plan: a section or some of its items, or the passages about a topic."""

from __future__ import annotations

from bot import lookup, memory, wording
from bot.catalog import Catalog
from bot.reply import Block, Reply, State
from bot.understand import ItemRef
from index.headings import KINDS, label
from index.search import Passage
from index.text import fold


def section(catalog: Catalog, state: State, owner: str, kind: str, refs: list[ItemRef]) -> Reply:
    """A section of an owner's plan, whole or the items asked for; or what it lacks."""
    view = catalog.view(owner, kind)
    display = catalog.display(owner)
    if view is None:
        memory.section_missing(state, owner)
        text = wording.section_absent_text(display, kind, catalog.kinds_of(owner))
        return Reply(text, "section_absent", state, owner=owner, owner_name=display,
                     section=kind, section_label=label(kind), header=text,
                     quick_replies=wording.section_taps(catalog, owner))
    heading, items, intro = view
    footer = ""
    if refs:
        found, missing = lookup.find_items(catalog, owner, kind, items, refs)
        missing_names = [wording.missing_ref(r) for r in missing]
        if not found:
            memory.item_missing(state, owner, kind)
            text = wording.item_absent_text(display, kind, missing_names, items)
            return Reply(text, "item_absent", state, owner=owner, owner_name=display,
                         section=kind, section_label=label(kind), header=text,
                         quick_replies=wording.section_taps(catalog, owner))
        blocks = [Block(item.path, wording.item_text(item)) for item in found]
        memory.quoted(state, owner, kind, [item.path for item in found])
        footer = wording.missing_footer(missing_names)
    else:
        blocks = [Block("", p) for p in intro] + [
            Block(item.path, wording.item_text(item)) for item in items
        ]
        memory.quoted(state, owner, kind, [])
    header = f"{label(kind)} ของ {display}"
    if heading and kind != "signature" and fold(heading).split("(")[0].strip() != fold(label(kind)):
        header += f"\n(หัวข้อในแผน: {heading})"
    reply = Reply("", "answer", state, owner=owner, owner_name=display, section=kind,
                  section_label=label(kind), items=list(state.items), header=header,
                  blocks=blocks, footer=footer,
                  quick_replies=wording.section_taps(catalog, owner, kind))
    reply.sources = [
        {"owner": owner, "section": kind, "item": b.label, "score": 1.0} for b in blocks
    ]
    reply.text = reply.render()
    return reply


def topic(catalog: Catalog, state: State, terms: list[str], kind: str | None,
          owner: str | None, fallback: bool = True) -> Reply | None:
    """Passages about the question's topic words; don't-know (or None) when none cover it."""
    hits = lookup.ranked(catalog, terms, owner, {kind} if kind else None)
    if not hits:
        return wording.dont_know(catalog, state) if fallback else None
    chosen = lookup.best_passages(hits)
    top = chosen[0][0]
    memory.quoted(state, top.owner, top.section, [top.item])
    blocks = [Block(_where(catalog, passage), passage.text, passage=True) for passage, _ in chosen]
    header = "ข้อความในแผนที่ตรงกับคำถามมากที่สุดค่ะ"
    reply = Reply("", "answer", state, owner=top.owner,
                  owner_name=catalog.display(top.owner), section=top.section,
                  section_label=wording.section_name(top.section),
                  items=[top.item] if top.item else [], header=header, blocks=blocks,
                  quick_replies=wording.section_taps(catalog, top.owner))
    reply.sources = [
        {"owner": p.owner, "section": p.section, "item": p.item, "score": round(float(s), 4)}
        for p, s in chosen
    ]
    reply.text = reply.render()
    return reply


def _where(catalog: Catalog, passage: Passage) -> str:
    """"สพม.13 · กลยุทธ์ ข้อ 2": whose plan, which section, which item a passage is."""
    where = f"{catalog.display(passage.owner)} · "
    if "/" in passage.item:
        return where + passage.item
    where += _section_title(catalog, passage)
    return where + (f" ข้อ {passage.item}" if passage.item else "")


def _section_title(catalog: Catalog, passage: Passage) -> str:
    """The section's Thai name; a section the table doesn't know goes by its own heading."""
    if passage.section in KINDS:
        return label(passage.section)
    sections = catalog.plan(passage.owner).sections
    if 0 <= passage.section_seq < len(sections) and sections[passage.section_seq].heading:
        return sections[passage.section_seq].heading
    return wording.section_name(passage.section)
