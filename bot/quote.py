"""Replies that quote a plan: a section or some of its items, the same section of several
plans side by side, a summary, the passages about a topic, and the rest of a cut answer."""

from __future__ import annotations

import re
from functools import lru_cache

from bot import lookup, memory, wording
from bot.catalog import Catalog
from bot.reply import Block, QuickReply, Reply, State, render_block
from bot.understand import ItemRef
from index.headings import KINDS, label, short_label
from index.model import SectionView
from index.search import Passage
from index.text import fold
from index.tree import SUMMED_UP, TOTAL_LINE

MAX_ANSWER_CHARS = 4500  # one LINE text message (5000) with room for header and footer
MORE_HITS = 9  # search hits kept for "ต่อ" and "อันที่ 2" beyond the three shown


def section(catalog: Catalog, state: State, owner: str, kind: str, refs: list[ItemRef],
            start: int = 0) -> Reply:
    """A section of an owner's plan, whole or the items asked for; or what it lacks. A whole
    section too long for one message is cut; `start` is the first block shown ("ต่อ")."""
    view = catalog.view(owner, kind)
    display = catalog.display(owner)
    if view is None:
        other = SAME_PLACE.get(kind)
        if other is not None and catalog.view(owner, other) is not None:
            return _instead(catalog, state, owner, kind, other, refs, start)
        return _absent(catalog, state, owner, kind)
    heading, items, intro = view
    footer = ""
    listing: list[str] = []
    refs, unlinked = _own_refs(catalog, owner, kind, view, refs)
    if refs:
        found, missing = lookup.find_items(catalog, owner, kind, items, refs)
        missing_names = [wording.missing_ref(r) for r in missing]
        if not found:
            memory.item_missing(state, owner, kind)
            text = wording.item_absent_text(display, kind, missing_names, items)
            return Reply(text, "item_absent", state, owner=owner, owner_name=display,
                         section=kind, section_label=label(kind), header=text,
                         quick_replies=wording.section_taps(catalog, owner))
        blocks = [wording.block_of(item) for item in found]
        memory.quoted(state, owner, kind, [item.path for item in found])
        if all("/" in item.path for item in found):
            heading = ""  # items nested in issues: the view's heading ("เป้าประสงค์รวม") is not theirs
        footer = wording.missing_footer(missing_names)
        if len(found) > 1 and any(r.number == "*" for r in refs):
            listing = [item.path for item in found]  # "กลยุทธ์ของยุทธศาสตร์ที่ 3"
    else:
        totals = [p for p in intro if items and (TOTAL_LINE.match(p) or SUMMED_UP.match(fold(p)))]
        blocks = ([Block("", p) for p in intro if p not in totals]
                  + [wording.block_of(item) for item in items] + [Block("", p) for p in totals])
        memory.quoted(state, owner, kind, [])
        if len(items) > 1:
            listing = [item.path for item in items]
    if listing:
        memory.listed(state, "item", listing)
    blocks, footer = _cut(state, "section", blocks, start, footer)
    header = f"{label(kind)} ของ {display}"
    if heading and kind != "signature" and not _heading_is_label(heading, kind):
        header += f"\n(หัวข้อในแผน: {heading})"
    if unlinked and refs:  # "กลยุทธ์ที่ 2 และเป้าประสงค์ที่ 3": two questions in one
        footer = f"{footer}\n{wording.ask_separately_note(unlinked)}".strip()
    elif unlinked:  # "ตัวชี้วัดของกลยุทธ์ที่ 2": a link the plan does not make
        header += "\n" + wording.not_linked_note(kind, unlinked)
    reply = Reply("", "answer", state, owner=owner, owner_name=display, section=kind,
                  section_label=label(kind), items=list(state.items), header=header,
                  blocks=blocks, footer=footer,
                  quick_replies=wording.section_taps(catalog, owner, kind))
    if state.cut:
        reply.quick_replies = [QuickReply("ต่อ", "ต่อ"), *reply.quick_replies][:13]
    reply.sources = [
        {"owner": owner, "section": kind, "item": b.item or b.label, "score": 1.0} for b in blocks
    ]
    reply.text = reply.render()
    return reply


#: A section a plan may call by the other name: a plan with ยุทธศาสตร์ and no กลยุทธ์ (the
#: national strategy) lists there what a teacher asking for its กลยุทธ์ wants, and the other way
#: round (OBEC's กลยุทธ์, asked as "ยุทธศาสตร์ สพฐ.").
SAME_PLACE = {"strategy": "strategic_issue", "strategic_issue": "strategy"}


def _instead(catalog: Catalog, state: State, owner: str, kind: str, other: str,
             refs: list[ItemRef], start: int) -> Reply:
    """"กลยุทธ์ของยุทธศาสตร์ชาติ": the plan has no กลยุทธ์, but has ยุทธศาสตร์: said so, then
    those quoted (the items asked for by number too). Still a section the plan lacks
    ("section_absent"), so the question log keeps it for the plan's editors."""
    refs = [ItemRef(other, r.number) for r in refs if r.kind in (kind, None) and not r.container]
    reply = section(catalog, state, owner, other, refs, start)
    reply.header = "\n".join([wording.instead_note(catalog.display(owner), kind, other),
                              reply.header])
    if reply.kind == "answer":
        reply.kind = "section_absent"
    reply.text = reply.render()
    return reply


def _absent(catalog: Catalog, state: State, owner: str, kind: str) -> Reply:
    """The plan has no section of `kind`: said so, with the sections it has, and the items
    that name it anyway ("ค่านิยม" with no heading of its own, inside a guideline)."""
    memory.section_missing(state, owner, kind)
    display, have = catalog.display(owner), catalog.kinds_of(owner)
    text = wording.section_absent_text(display, kind, have)
    reply = Reply(text, "section_absent", state, owner=owner, owner_name=display,
                  section=kind, section_label=label(kind), header=text,
                  quick_replies=wording.section_taps(catalog, owner))
    mentions = _mentions(catalog, owner, kind)
    if mentions:
        reply.header, reply.footer = wording.mentions_texts(display, kind, have)
        reply.blocks = mentions
        reply.text = reply.render()
    return reply


MAX_MENTIONS = 2


def _mentions(catalog: Catalog, owner: str, kind: str) -> list[Block]:
    """Items of a plan that name a kind it has no section for ("โดยปลูกฝังค่านิยมร่วม…" in a
    guideline), each under where it is, at most MAX_MENTIONS: the plan's own words about it."""
    words = [fold(w) for w in KINDS[kind].thai] if kind in KINDS else []
    if not words:
        return []
    blocks = []
    for section in catalog.plan(owner).sections:
        for item in section.walk():
            if any(word in fold(item.text) for word in words):
                where = f"{wording.section_name(section.kind)} ข้อ {item.path}"
                blocks.append(Block(where, item.text, passage=True))
                if len(blocks) == MAX_MENTIONS:
                    return blocks
    return blocks


def _own_refs(catalog: Catalog, owner: str, kind: str, view, refs: list[ItemRef]
              ) -> tuple[list[ItemRef], list[ItemRef]]:
    """(refs to look up in this section, refs of another kind it is not organised by).

    "ตัวชี้วัดของกลยุทธ์ที่ 2" names strategy 2, not indicator 2: its number is looked up here
    only when the plan's indicators are in the same section as its strategies (a heading
    naming both, "จุดเน้น/.../ตัวชี้วัด"), or nested in a strategic issue (its container).
    A table whose "กลยุทธ์" column gives each indicator's strategy says it too: those rows.
    Otherwise the plan does not say which indicators serve strategy 2, and the answer must
    not pretend it does."""
    own, unlinked = [], []
    for ref in refs:
        if ref.kind in (None, kind, "strategic_issue") or ref.container is not None:
            own.append(ref)
            continue
        other = catalog.view(owner, ref.kind)
        if other is not None and other.heading == view.heading and other.items == view.items:
            own.append(ItemRef(kind, ref.number, ref.container))
        elif by_column := _in_column(view.items, kind, ref):
            own += [ItemRef(kind, path) for path in by_column]
        else:
            unlinked.append(ref)
    return own, unlinked


def _in_column(items, kind: str, ref: ItemRef) -> list[str]:
    """The paths of the items of `kind` whose table column of the kind `ref` names holds its
    number ("ตัวชี้วัดของกลยุทธ์ 2.1": the rows whose "กลยุทธ์" cell says 2.1)."""
    word = fold(short_label(ref.kind))
    number = re.compile(rf"(?<![\d.]){re.escape(ref.number)}(?![\d.]*\d)")
    return [item.path for top in items for item in top.walk() if item.kind == kind
            and any(fold(column).startswith(word) and number.search(fold(value))
                    for column, value in item.cells.items())]


@lru_cache(maxsize=4096)
def _heading_is_label(heading: str, kind: str) -> bool:
    """Whether a plan's heading is just the kind's name, a bracketed note aside (then the
    reply does not repeat it). Per heading, not per answer: folding is a good part of one."""
    return fold(heading).split("(")[0].strip() == fold(label(kind))


def _cut(state: State, what: str, blocks: list[Block], start: int,
         footer: str) -> tuple[list[Block], str]:
    """The blocks from `start` that fit one message; the rest is remembered for "ต่อ"."""
    size, end = 0, start
    while end < len(blocks):
        size += len(render_block(blocks[end])) + 1
        if size > MAX_ANSWER_CHARS and end > start:
            break
        end += 1
    if end < len(blocks):
        memory.left_out(state, what, end)
        note = wording.more_note(end, len(blocks))
        footer = f"{footer}\n{note}".strip()
    return blocks[start:end], footer


def summary(catalog: Catalog, state: State, owner: str, kind: str) -> Reply:
    """"สรุปสั้นๆ": each item's first clause, marked as shortened; the full text one tap away."""
    view = catalog.view(owner, kind)
    if view is None:
        return section(catalog, state, owner, kind, [])
    display = catalog.display(owner)
    heading, items, intro = view
    blocks = [Block("", wording.shortened(p, 40)) for p in intro[:1]]
    blocks += [Block(wording.printed_label(item), wording.shortened(item.text), item=item.path)
               for item in items]
    memory.quoted(state, owner, kind, [])
    if len(items) > 1:
        memory.listed(state, "item", [item.path for item in items])
    memory.left_out(state, "summary", 0)
    reply = Reply("", "answer", state, owner=owner, owner_name=display, section=kind,
                  section_label=label(kind), header=wording.summary_header(display, kind),
                  blocks=blocks,
                  quick_replies=[wording.full_text_tap(),
                                 *wording.section_taps(catalog, owner, kind)][:13])
    reply.sources = [{"owner": owner, "section": kind, "item": b.item or b.label, "score": 1.0}
                     for b in blocks]
    reply.text = reply.render()
    return reply


def plan_summary(catalog: Catalog, state: State, owner: str) -> Reply:
    """"สรุปแผนทั้งแผน": each section of the plan under its name, each item cut to its first
    clause (marked as shortened), as many sections as fit one message; the rest are said and
    offered as taps, as every section's full text is. Sections that are not the plan's
    content (who signed it, whom to call: `SectionKind.summarised`) are left to their tap."""
    display = catalog.display(owner)
    views = {k: catalog.view(owner, k) for k in catalog.kinds_of(owner)
             if k not in KINDS or KINDS[k].summarised}
    kinds = [k for k, view in views.items() if view is not None]
    blocks, shown, size = [], [], 0
    for kind in kinds:
        _heading, items, intro = views[kind]
        lines = [wording.shortened(p, 40) for p in intro[:1] if not items]
        lines += [render_block(Block(wording.printed_label(item), wording.shortened(item.text)))
                  for item in items]
        block = Block("", f"▸ {label(kind)}\n" + "\n".join(lines))
        size += len(block.text) + 2
        if size > MAX_ANSWER_CHARS and shown:
            break
        blocks.append(block)
        shown.append(kind)
    left = [label(k) for k in kinds if k not in shown]
    memory.chose_owner(state, owner)
    header = wording.summary_header(display, "")
    footer = f"หัวข้อที่เหลือ: {', '.join(left)} (แตะด้านล่างเพื่ออ่าน)" if left else ""
    reply = Reply("", "answer", state, owner=owner, owner_name=display, header=header,
                  blocks=blocks, footer=footer, quick_replies=wording.section_taps(catalog, owner))
    reply.sources = [{"owner": owner, "section": k, "item": "", "score": 1.0} for k in shown]
    reply.text = reply.render()
    return reply


def several(catalog: Catalog, state: State, owner: str, kinds: list[str]) -> Reply | None:
    """"ขอวิสัยทัศน์ พันธกิจ และเป้าประสงค์": each section of one plan under its name, as many
    as fit one message, in the order asked; those that do not fit are offered as taps, those
    the plan lacks are said. None when not even the first fits (it is quoted alone, cut)."""
    display = catalog.display(owner)
    blocks, shown, size = [], [], 0
    views = {k: catalog.view(owner, k) for k in kinds}
    having = [k for k in kinds if views[k] is not None]
    for kind in having:
        block = _whole(catalog, owner, kind, views[kind])
        size += len(render_block(block))
        if size > MAX_ANSWER_CHARS:
            break
        blocks.append(block)
        shown.append(kind)
    if not shown:
        return None
    memory.quoted(state, owner, shown[-1], [])  # "ข้อ 2" next: of the last section shown
    left = [k for k in having if k not in shown]
    footer = wording.several_footer(display, [k for k in kinds if k not in having], left)
    reply = Reply("", "answer", state, owner=owner, owner_name=display, section=shown[0],
                  section_label=label(shown[0]), header=wording.several_header(display, shown),
                  blocks=blocks, footer=footer,
                  quick_replies=[wording.section_tap(k, display) for k in left][:12]
                  or wording.section_taps(catalog, owner, shown[-1]))
    reply.sources = [{"owner": owner, "section": k, "item": "", "score": 1.0} for k in shown]
    reply.text = reply.render()
    return reply


def _whole(catalog: Catalog, owner: str, kind: str, view: SectionView) -> Block:
    """A plan's whole section (`view`, the caller's `catalog.view`) as one block under
    "office · section" (its intro, then each item in the plan's numbering): side by side
    with other plans', or with its other sections."""
    _heading, items, intro = view
    lines = [*intro, *(render_block(wording.block_of(item)) for item in items)]
    return Block(f"{catalog.display(owner)} · {label(kind)}", "\n".join(lines), passage=True)


def side_by_side(catalog: Catalog, state: State, kind: str, owners: list[str],
                 unknown: str | None = None, whole: bool = True) -> Reply | None:
    """The same section of several plans, each under its office's name; the plans that lack
    it (and an office not loaded) said in the footer. None when `whole` is False and it would
    not fit one message."""
    views = {o: catalog.view(o, kind) for o in owners}
    having = [o for o in owners if views[o] is not None]
    lacking = [o for o in owners if o not in having]
    blocks = [_whole(catalog, owner, kind, views[owner]) for owner in having]
    if not whole and sum(len(render_block(b)) for b in blocks) > MAX_ANSWER_CHARS:
        return None
    first = having[0] if having else owners[0]
    memory.quoted(state, first, kind, [])
    if len(having) > 1:
        memory.listed(state, "owner_section", having)
    footer = wording.side_by_side_footer(kind, lacking, unknown, catalog)
    if not having:
        text = footer.replace("(", "").replace(")", "")
        return Reply(text, "section_absent", state, section=kind, section_label=label(kind),
                     header=text, quick_replies=wording.starters())
    blocks, footer = _cut(state, "side", blocks, 0, footer)
    reply = Reply("", "answer", state, owner=first, owner_name=catalog.display(first),
                  section=kind, section_label=label(kind),
                  header=wording.side_by_side_header(kind, having, catalog), blocks=blocks,
                  footer=footer, quick_replies=[
                      QuickReply(wording._fit(catalog.display(o)),
                                 f"{wording.short_label(kind)} {catalog.display(o)}")
                      for o in having][:13])
    reply.sources = [{"owner": o, "section": kind, "item": "", "score": 1.0} for o in having]
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
    if owner is None:
        memory.found_by_topic(state, top.owner, top.section, [top.item])
    else:
        memory.quoted(state, top.owner, top.section, [top.item])
    pool = [p for p, _ in chosen] + [h[0] for h in hits if h[0] not in {p for p, _ in chosen}]
    pool = pool[:len(chosen) + MORE_HITS]
    if len(pool) > 1:
        memory.listed(state, "hit", [hit_entry(p) for p in pool])
    if len(pool) > len(chosen):
        memory.left_out(state, "hits", len(chosen))
    return _passages(catalog, state, chosen, "ข้อความในแผนที่ตรงกับคำถามมากที่สุดค่ะ",
                     more=len(pool) > len(chosen))


def more_hits(catalog: Catalog, state: State) -> Reply:
    """"ต่อ" after a topic answer: the next passages found."""
    pool = [p for p in (find_hit(catalog, e) for e in state.listed) if p is not None]
    start = state.shown
    chosen = [(p, 0.0) for p in pool[start:start + lookup.MAX_TOPIC_PASSAGES]]
    if not chosen:
        return wording.nothing_more(catalog, state)
    end = start + len(chosen)
    listed = list(state.listed)
    top = chosen[0][0]
    memory.found_by_topic(state, top.owner, top.section, [top.item])
    memory.listed(state, "hit", listed)
    if end < len(pool):
        memory.left_out(state, "hits", end)
    return _passages(catalog, state, chosen, "ข้อความอื่นในแผนที่ตรงกับคำถามค่ะ",
                     more=end < len(pool), first=start + 1)


def _passages(catalog: Catalog, state: State, chosen: list[tuple[Passage, float]],
              header: str, more: bool, first: int = 1) -> Reply:
    top = chosen[0][0]
    numbered = len(state.listed) > 1
    blocks = [Block((f"{n}) " if numbered else "") + _where(catalog, passage), passage.text,
                    passage=True) for n, (passage, _) in enumerate(chosen, first)]
    footer = "(พิมพ์ “ต่อ” เพื่อดูข้อความอื่นที่พบ)" if more else ""
    taps = wording.section_taps(catalog, top.owner)
    if more:
        taps = [QuickReply("ต่อ", "ต่อ"), *taps][:13]
    reply = Reply("", "answer", state, owner=top.owner,
                  owner_name=catalog.display(top.owner), section=top.section,
                  section_label=wording.section_name(top.section),
                  items=[top.item] if top.item else [], header=header, blocks=blocks,
                  footer=footer, quick_replies=taps)
    reply.sources = [
        {"owner": p.owner, "section": p.section, "item": p.item, "score": round(float(s), 4)}
        for p, s in chosen
    ]
    reply.text = reply.render()
    return reply


def hit(catalog: Catalog, state: State, passage: Passage) -> Reply:
    """One search hit picked from the list ("อันที่ 2"): its item, or the passage itself."""
    kind = passage.kind if passage.kind in KINDS else passage.section
    if kind in KINDS and passage.item:
        reply = section(catalog, state, passage.owner, kind, [ItemRef(kind, passage.item)])
        if reply.kind == "answer":
            return reply
    memory.quoted(state, passage.owner, passage.section, [passage.item])
    return _passages(catalog, state, [(passage, 1.0)], "ข้อความในแผนค่ะ", more=False)


def hit_entry(passage: Passage) -> str:
    """How a search hit is remembered in `State.listed`: owner, section number and item."""
    return f"{passage.owner}|{passage.section_seq}|{passage.item}"


def find_hit(catalog: Catalog, entry: str) -> Passage | None:
    """The passage a remembered hit names (None after a rebuild removed it)."""
    owner, _, rest = entry.partition("|")
    seq, _, item = rest.partition("|")
    ids = catalog.passages.by_owner.get(owner)
    if ids is None or not seq.isdigit():
        return None
    for i in ids:
        passage = catalog.passages.passages[int(i)]
        if passage.section_seq == int(seq) and passage.item == item:
            return passage
    return None


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
