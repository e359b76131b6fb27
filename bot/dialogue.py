"""The dialogue rules: what the bot does with an understood question in a conversation.

`RULES` are tried in order; each is a small function with a Thai example that either answers
(returns a Reply) or, seeing nothing for it, returns None. A few rules settle what the question
left open from the conversation (the office or section being discussed) and let the next rules
answer. A new kind of question is one new rule here and one test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot import lookup, memory, quote, stated, tables, wording
from bot.align import THIS_ONE, alignment
from bot.align import follow_up as alignment_follow_up
from bot.align import rows_of_project as align_rows_of
from bot.catalog import Catalog
from bot.reply import RESUMED_INTENTS, TABLE_INTENT, Reply, State
from bot.tables import table_answer
from bot.understand import ItemRef, Question, topic_terms, understand
from bot.understand.tables import (
    EVERY_YEAR,
    HOW_MUCH,
    RESPONSIBLE,
    TOTAL,
    TableQuestion,
    project_name,
    read,
    years_in,
)
from index import vocab
from index.names import derive_names
from index.text import fold, squash
from index.tree import dotted_number, issue_of
from index.vocab import LEVEL_ALONE

DIRECTOR_LINE = re.compile(vocab.DIRECTOR_LINE)
#: "โครงการทั้งหมด", "ทุกโครงการ": every project of the plan, whatever was shown before.
ALL_PROJECTS = re.compile(r"ทั้งหมด|ทุก\s*โครงการ|ทั้งแผน")
#: The words of "รวมทั้งหมดเท่าไหร่", "ทั้งหมดกี่บาท": a sum asked, nothing else named.
SUM_WORD = re.compile(r"รวม|ทั้งหมด|ทั้งสิ้น|รวมทั้งหมด|รวมทั้งสิ้น|กี่|บาท|เงิน|ยอด|ยอดรวม")
#: "ต่อ" words that ask for more of the same answer rather than the next item.
ASKS_FOR_MORE_OF_IT = re.compile(r"เพิ่ม|อีก|ที่เหลือ|more")
NATIONAL_NAMES = frozenset(row[1] for row in vocab.NATIONAL_OWNERS)



@dataclass
class Turn:
    """One question being answered: what it asks, and what the rules have settled so far."""

    q: Question
    state: State
    owner: str | None = None
    kind: str | None = None
    refs: list[ItemRef] = field(default_factory=list)

    @property
    def named_nothing(self) -> bool:
        """Neither a section nor an item named (yet)."""
        return self.kind is None and not self.refs


def route(catalog: Catalog, q: Question, state: State) -> Reply:
    """The reply of the first rule that answers."""
    if q.level and not q.owners:
        by_level(catalog, q, state)
    elif q.level and q.intent != "align":
        beside(catalog, q)
    turn = Turn(q, state, q.owners[0] if q.owners else None, q.kind, q.refs)
    for rule in RULES:
        reply = rule(catalog, turn)
        if reply is not None:
            if reply.kind == "which_owner" and q.intent in RESUMED_INTENTS:
                memory.waits_for(reply.state, q.intent)
            return reply
    raise AssertionError("the last rule always answers")  # pragma: no cover


def _resume(catalog: Catalog, t: Turn, owner: str) -> Reply:
    """The office chosen after "which office?" for "สรุปกลยุทธ์", "มีโครงการอะไรบ้างภายใต้
    กลยุทธ์ที่ 2" or "มีโครงการอะไรบ้าง": that question again, now naming the office."""
    state = t.state
    kind, intent, question = state.pending_section, state.pending_intent, state.pending_question
    memory.resumed(state)  # asked once: the question re-asked cannot resume itself
    if intent == TABLE_INTENT:
        return _table_again(catalog, state, question or "", owner)
    else:
        q = Question(t.q.text, intent=intent, owners=[owner], kind=kind,
                     refs=[ItemRef(kind, n) for n in state.pending_items])
    return route(catalog, q, state)


def _table_again(catalog: Catalog, state: State, question: str, owner: str) -> Reply:
    """A table question asked again of `owner`, read again whole: its years, items and
    project name."""
    q = understand(question, catalog.matcher)
    q.owners, q.others, q.unknown_owner = [owner], [], None
    return route(catalog, q, state)


def _waiting(state: State) -> bool:
    """A question that asked "which office?" waits to be asked again of the office named."""
    return bool(state.pending_intent and (state.pending_section or state.pending_question))


def by_level(catalog: Catalog, q: Question, state: State) -> None:
    """"แล้วของเขตล่ะ", "กลยุทธ์ระดับโรงเรียน": the plan of that level the conversation is
    in (above or under the plan being discussed, or among the plans an alignment weighed);
    else every plan of that level, to choose from. None loaded: said as for an office."""
    of_level = [o for o in catalog.order if catalog.owners[o].kind in q.level]
    near = set(catalog.related(state.owner)) | set(state.scope)
    q.owners = [o for o in of_level if o in near]
    recorded = None if q.owners else _recorded_parent(catalog, state.owner, q.level)
    if recorded:  # "แล้วของเขตล่ะ" from a school whose area office is named but not loaded
        q.unknown_owner, q.school = recorded, False
        return
    q.owners = q.owners or of_level
    if not q.owners:  # said plainly, not searched for as a topic ("โรงเรียน")
        q.unknown_owner, q.school = q.level_word, False


def _recorded_parent(catalog: Catalog, owner: str | None, level: tuple[str, ...]) -> str | None:
    """The plan above `owner` as its record names it (`parent:`), when that plan is not
    loaded and is of `level` ("สพป.ขอนแก่น เขต 2" for "เขต"); else None."""
    if owner not in catalog.owners or catalog.owners[owner].parent in catalog.owners:
        return None
    recorded = str(catalog.plan(owner).meta.get("parent") or "").strip()
    if not recorded:
        return None
    kind = derive_names(recorded).kind
    if kind == "other":  # "สพป.ขอนแก่น เขต 2": its level word says
        kind = next((kinds[0] for word, kinds in LEVEL_ALONE.items()
                     if len(kinds) == 1 and squash(recorded).startswith(word)), kind)
    return recorded if kind in level else None


def beside(catalog: Catalog, q: Question) -> None:
    """"วิสัยทัศน์ รร.X กับ สพป.": a level named beside an office is the plan of that level
    above or under it, named too (compared side by side); none loaded: said as for an office."""
    near = [o for o in catalog.related(q.owners[0]) if catalog.owners[o].kind in q.level]
    if near:
        q.others.append(near)
    else:
        q.unknown_owner = q.level_word


# --- small talk -------------------------------------------------------------------------------


def greeting(catalog: Catalog, t: Turn) -> Reply | None:
    """"สวัสดีครับ": the welcome."""
    return wording.welcome(catalog, t.state) if t.q.intent == "greeting" else None


def thanks(catalog: Catalog, t: Turn) -> Reply | None:
    """"ขอบคุณค่ะ": you're welcome."""
    return wording.thanks(catalog, t.state) if t.q.intent == "thanks" else None


def acknowledged(catalog: Catalog, t: Turn) -> Reply | None:
    """"โอเคครับ", "555", "👍": a short word back, the conversation kept as it was."""
    return wording.acknowledge(catalog, t.state) if t.q.intent == "ack" else None


def help_wanted(catalog: Catalog, t: Turn) -> Reply | None:
    """"ช่วยเหลือ", "ใช้ยังไง": how to ask."""
    return wording.help_text(catalog, t.state) if t.q.intent == "help" else None


def list_owners(catalog: Catalog, t: Turn) -> Reply | None:
    """"เลือกเขต", "มีเขตอะไรบ้าง" (no office named): every office."""
    if t.q.intent not in ("choose_owner", "list_owners") or t.q.owners:
        return None
    return wording.owner_list(catalog, t.state, "choose" if t.q.intent == "choose_owner" else "list")


def project_of_alignment(catalog: Catalog, t: Turn) -> Reply | None:
    """"งบเท่าไหร่", "ใครรับผิดชอบ" right after an alignment answer about a project a plan
    lists: that project's row (not the plan's total, not who signed the plan)."""
    state, q = t.state, t.q
    if not state.project or q.owners or q.kind or q.refs or "แผน" in q.text:
        return None
    if q.intent == "table":
        asked = read(q, q.text)
        if asked is None or asked.ask not in ("budget", "total") or asked.name:
            return None
    elif q.intent in (None, "signer") and RESPONSIBLE.search(q.text):
        asked = TableQuestion("responsible")
    else:
        return None
    rows = align_rows_of(catalog, state)
    if len(rows) != 1:
        return None
    t.q.owners = [rows[0].owner]
    return table_answer(catalog, t, TableQuestion(
        "responsible" if asked.ask == "responsible" else "budget", name=rows[0].item.text,
        and_who=asked.and_who))


def project_follow_up(catalog: Catalog, t: Turn) -> Reply | None:
    """"ใครรับผิดชอบ", "ข้อ 1 ใครรับผิดชอบ" right after projects were shown: the responsible
    column of that project (or of the one numbered in the list), not the plan's signer."""
    state = t.state
    if t.q.owners or state.section != "project" or state.owner not in catalog.owners:
        return None
    if not RESPONSIBLE.search(t.q.text) or "แผน" in t.q.text:
        return None
    if not (t.q.refs or tables.project_shown(catalog, state)):
        return None
    return table_answer(catalog, t, TableQuestion("responsible"))


def total_follow_up(catalog: Catalog, t: Turn) -> Reply | None:
    """"รวมทั้งหมดเท่าไหร่" right after the plan's projects or a project's budget: the plan's
    total row (the question names no money, but the answer on screen was about it)."""
    state = t.state
    if t.q.owners or t.q.refs or state.section != "project" or state.owner not in catalog.owners:
        return None
    if not (TOTAL.search(t.q.text) and HOW_MUCH.search(t.q.text)):
        return None
    if any(not SUM_WORD.fullmatch(term) for term in t.q.terms):  # "นักเรียนทั้งหมดกี่คน"
        return None
    return table_answer(catalog, t, TableQuestion("total"))


def target_year_follow_up(catalog: Catalog, t: Turn) -> Reply | None:
    """"ปี 2567 ล่ะ" right after indicators' yearly targets: the same indicators' targets in
    that year (the question names no indicator, so it was not read as a table question)."""
    state = t.state
    if t.q.intent == "table" or state.section != "indicator" or state.owner not in catalog.owners:
        return None
    years = years_in(t.q.text)
    every = not years and EVERY_YEAR.search(t.q.text) is not None  # "ทุกปีเลย"
    if not (years or every) or t.q.kind not in (None, "indicator") or (
            t.q.owners and t.q.owners[0] != state.owner):
        return None
    if not t.q.refs and state.items:  # the same indicators (a nested one by its path)
        t.q.refs = [ItemRef("indicator", p) for p in state.items]
    return table_answer(catalog, t, TableQuestion("target", years, every))


# --- the list shown, the answer cut ------------------------------------------------------------


def rest_of_answer(catalog: Catalog, t: Turn) -> Reply | None:
    """"ต่อ", "ถัดไป": the rest of a cut answer, the next page of the list shown, or the item
    after the one shown; "ข้อก่อนหน้า": the item before it."""
    if t.q.intent not in ("more", "previous"):
        return None
    state = t.state
    step = 1 if t.q.intent == "more" else -1
    if step == 1 and state.cut in ("section", "side", "hits", "summary"):
        return _rest(catalog, state)
    if step == 1 and state.listed_kind == "owner":
        entries = memory.entries(state, catalog.order)
        page = state.page + 1
        if page * wording.PAGE < len(entries):
            return _owner_page(catalog, state, entries, page)
    # Step through items only right after items were quoted (not after an office list or
    # search hits), and only when asked for the next one: "ขอเพิ่มเติม", "อีก" ask for more of
    # the same, which a quote shown whole does not have.
    stepping = (state.owner and state.section and state.items and not state.by_topic
                and state.listed_kind in (None, "item")
                and (step == -1 or not ASKS_FOR_MORE_OF_IT.search(t.q.text)))
    return _next_item(catalog, state, step) if stepping else _nothing_to(catalog, state, step)


def _nothing_to(catalog: Catalog, state: State, step: int) -> Reply:
    """No next (`step` 1: the last answer was shown whole) or previous item to show."""
    if step == 1:
        return wording.nothing_more(catalog, state)
    return wording.nothing_before(catalog, state)


def _next_item(catalog: Catalog, state: State, step: int) -> Reply:
    """The item after (`step` 1) the last one shown, or before (-1) the first, in the plan's
    order; at either end, a word that it is the last (first) one."""
    view = catalog.view(state.owner, state.section)
    paths = [item.path for item in view[1]] if view is not None else []
    shown = state.items[-1] if step == 1 else state.items[0]
    if shown not in paths:  # a sub-item ("1.2"): no next or previous of its own here
        return _nothing_to(catalog, state, step)
    at = paths.index(shown) + step
    if not 0 <= at < len(paths):
        return wording.end_of_section(catalog, state, shown, step == 1)
    return quote.section(catalog, state, state.owner, state.section,
                         [ItemRef(state.section, paths[at])])


def whole_answer(catalog: Catalog, t: Turn) -> Reply | None:
    """"ขอทั้งหมด": the whole of a summary or of a cut answer; after some items, the section."""
    if t.q.intent != "all":
        return None
    state = t.state
    if state.cut:
        return _rest(catalog, state)
    if state.owner and state.section and state.items and not state.by_topic:
        return quote.section(catalog, state, state.owner, state.section, [])
    if state.owner and state.section and state.by_topic:
        return quote.section(catalog, state, state.owner, state.section, [])
    return wording.nothing_more(catalog, state)


def _rest(catalog: Catalog, state: State) -> Reply:
    """What the last answer left out, from where it stopped."""
    what, shown = state.cut, state.shown
    if what == "hits":
        return quote.more_hits(catalog, state)
    if what == "side":
        owners = memory.entries(state, catalog.order)
        return quote.side_by_side(catalog, state, state.section, owners[shown:] or owners)
    start = shown if what == "section" else 0
    return quote.section(catalog, state, state.owner, state.section, [], start=start)


def _owner_page(catalog: Catalog, state: State, entries: list[str], page: int) -> Reply:
    """The next page of a list of offices, keeping what it was a list for."""
    if state.pending_section:
        refs = [ItemRef(state.pending_section, n) for n in state.pending_items]
        among = None if state.listed == [memory.ALL] else entries
        intent = state.pending_intent
        reply = wording.which_owner(catalog, state, state.pending_section, refs, among, page)
        if intent:
            memory.waits_for(reply.state, intent)
        return reply
    return wording.owner_list(catalog, state, "choose", page)


def pick_from_list(catalog: Catalog, t: Turn) -> Reply | None:
    """"2", "อันที่ 2", "ข้อแรก", "อันสุดท้าย" after a list: that entry of the list shown
    (an office, a section, a search hit, or an item of a nested list)."""
    q, state = t.q, t.state
    if not state.listed_kind or q.owners or q.others or q.kind or q.intent or q.unknown_owner:
        return None
    if not q.refs or q.terms or any(r.kind is not None or r.container for r in q.refs):
        return None
    entries = memory.entries(state, catalog.order)
    if state.listed_kind == "item":
        return _pick_items(catalog, t, entries)
    number = q.refs[0].number
    entry = _entry(entries, number)
    if entry is None:
        return wording.not_in_list(catalog, state, number, len(entries))
    if state.listed_kind == "section":
        return quote.section(catalog, state, state.owner, entry, [])
    if state.listed_kind == "owner_section":
        return quote.section(catalog, state, entry, state.section, [])
    if state.listed_kind == "hit":
        passage = quote.find_hit(catalog, entry)
        return quote.hit(catalog, state, passage) if passage else wording.dont_know(catalog, state)
    if _waiting(state):
        return _resume(catalog, t, entry)
    if state.pending_section:
        refs = [ItemRef(state.pending_section, n) for n in state.pending_items]
        return quote.section(catalog, state, entry, state.pending_section, refs)
    return wording.overview(catalog, state, entry)


def _pick_items(catalog: Catalog, t: Turn, paths: list[str]) -> Reply | None:
    """Items of the list shown, by their number there ("ข้อ 2" of ยุทธศาสตร์ที่ 3's list) or
    by place ("ข้อสุดท้าย"; "ข้อ 7" of a list of issues' indicators, none numbered 7);
    numbers the list doesn't hold go on to the section's own."""
    picked = []
    for ref in t.q.refs:
        if ref.number == "last":
            picked.append(paths[-1])
            continue
        same = [p for p in paths if p.rsplit(" ", 1)[-1] == ref.number]
        if not same and all("/" in p for p in paths) and _entry(paths, ref.number):
            same = [_entry(paths, ref.number)]  # no item has that number: its place in the list
        if len(same) != 1:
            return None
        picked.append(same[0])
    if picked == [p for p in picked if "/" not in p] and t.q.refs[0].number != "last":
        return None  # plain numbers of a flat list: the section's own items, as ever
    state = t.state
    return quote.section(catalog, state, state.owner, state.section,
                         [ItemRef(state.section, p) for p in picked])


def _entry(entries: list[str], number: str) -> str | None:
    if number == "last":
        return entries[-1] if entries else None
    if number.isdigit() and 1 <= int(number) <= len(entries):
        return entries[int(number) - 1]
    return None


# --- whose plan -------------------------------------------------------------------------------


def unknown_owner(catalog: Catalog, t: Turn) -> Reply | None:
    """"วิสัยทัศน์ สพป.เชียงใหม่ เขต 1": that plan is not here. "โรงเรียนขนาดเล็ก" alone is
    a topic, though, and is searched first."""
    q = t.q
    if not q.unknown_owner or q.owners:
        return None
    if q.school and q.kind is None and not q.refs:
        q.terms = topic_terms(q.text)
        topical = quote.topic(catalog, t.state, q.terms, q.kind, None, fallback=False)
        if topical is not None:
            return topical
    if q.unknown_owner in NATIONAL_NAMES and not (q.kind or q.refs or q.intent or q.terms):
        cited = _citing(catalog, t, q.unknown_owner)
        if cited is not None:
            return cited
    if q.kind is not None:  # "แล้วของแพร่ล่ะ" next: that office's section
        memory.asked_which_owner(t.state, q.kind, [r.number for r in q.refs if r.kind == q.kind])
    return wording.not_in_corpus(catalog, t.state, q.unknown_owner)


def _citing(catalog: Catalog, t: Turn, name: str) -> Reply | None:
    """"ยุทธศาสตร์ชาติ 20 ปี" when that plan is not loaded: the loaded plans' passages that
    cite it by name, under a plain word that the plan itself is not here; else None. The plan
    being discussed stays the one it was: a citing passage is not a plan chosen."""
    before = State.from_dict(t.state.to_dict())
    found = quote.topic(catalog, t.state, topic_terms(t.q.text), None, None, fallback=False)
    if found is None or not any(fold(name) in fold(b.text) for b in found.blocks[:1]):
        t.state.__dict__.update(before.__dict__)  # nothing cites it
        return None
    for kept in ("owner", "section", "items", "by_topic", "project"):
        setattr(t.state, kept, getattr(before, kept))
    found.header = wording.only_mentioned(name)
    found.text = found.render()
    return found


def named_owners_side_by_side(catalog: Catalog, t: Turn) -> Reply | None:
    """"เทียบพันธกิจ สพม.13 กับ สพป.แพร่ เขต 1": each named office's section side by side,
    saying which lacks it; an office named that is not loaded is said too, never dropped."""
    q = t.q
    if not (q.others or (q.owners and q.unknown_owner)) or q.refs:
        return None
    kind = q.kind or t.state.section
    owners = _named(catalog, q, kind)
    if kind is None:
        return wording.ask_section_of(catalog, t.state, owners, "")
    return quote.side_by_side(catalog, t.state, kind, owners, q.unknown_owner)


def _named(catalog: Catalog, q: Question, kind: str | None) -> list[str]:
    """The owners of every office named; of a name several offices share, those with `kind`."""
    owners: list[str] = []
    for mention in [q.owners, *q.others]:
        having = [o for o in mention if kind is None or kind in catalog.owners[o].kinds]
        for owner in (having if len(mention) > 1 and having else mention):
            if owner not in owners:
                owners.append(owner)
    return owners


#: "ทุกเขต" is every office's plan but the schools' and the national ones (a plan naming no
#: owner may be an office's), "ทุก สพป." the primary offices', "ทุกโรงเรียน" every school's;
#: "ทุกแผน", "ทุกหน่วยงาน" every plan.
_NATIONAL_KINDS = frozenset(row[0] for row in vocab.NATIONAL_OWNERS)
EVERY_LEVEL = (
    (re.compile(r"ทุก\s*สพป"), lambda kind: kind == "spp"),
    (re.compile(r"ทุก\s*สพม"), lambda kind: kind == "spm"),
    (re.compile(r"ทุก\s*(?:เขต|สำนักงานเขต)"),
     lambda kind: kind != "school" and kind not in _NATIONAL_KINDS),
    (re.compile(r"ทุก\s*โรงเรียน"), lambda kind: kind == "school"),
)


def every_owner(catalog: Catalog, t: Turn) -> Reply | None:
    """"กลยุทธ์ทั้งหมดของทุกเขต": every plan's section when it fits one reply; else which
    plans have it, to pick from."""
    if t.q.intent != "every_owner" or t.q.owners:
        return None
    kind = t.q.kind or t.state.section
    if kind is None:
        return wording.owner_list(catalog, t.state, "list")
    fits = next((fits for pattern, fits in EVERY_LEVEL if pattern.search(t.q.text)), None)
    having = [o for o in catalog.owners_with(kind)
              if fits is None or fits(catalog.owners[o].kind)]
    if not having:
        return wording.absent_everywhere(catalog, t.state, kind)
    whole = quote.side_by_side(catalog, t.state, kind, having, whole=False)
    return whole or wording.too_long_to_compare(catalog, t.state, kind, having)


def several_owners(catalog: Catalog, t: Turn) -> Reply | None:
    """"วิสัยทัศน์ เขต 1" (two offices have area 1): which one? Only those whose plan has
    what was asked; the one that has it is answered."""
    if len(t.q.owners) <= 1:
        return None
    kind = t.q.kind or t.state.pending_section or (t.state.section if t.q.follow_up else None)
    among = t.q.owners
    if kind is not None:
        among = [o for o in t.q.owners if kind in catalog.owners[o].kinds]
        if not among:
            return wording.absent_in(catalog, t.state, kind, t.q.owners)
        if len(among) == 1:
            t.owner, t.q.owners = among[0], among
            return None
    return wording.which_owner(catalog, t.state, kind, t.q.refs, among=among)


# --- the questions around a plan ----------------------------------------------------------------


def plan_facts(catalog: Catalog, t: Turn) -> Reply | None:
    """"มีหัวข้ออะไรบ้าง", "ปีไหน", "ที่มาของข้อมูลนี้", "เบอร์โทร", "ใครลงนาม": about the plan
    named, else the one being discussed; which office? when there is none."""
    intent = t.q.intent
    if intent not in ("sections", "year", "source", "whose", "contact", "signer", "director",
                      "parent"):
        return None
    owner = t.owner or t.state.owner
    if owner is None:
        if len(catalog.order) == 1:
            owner = catalog.order[0]
        elif intent == "sections":
            return wording.owner_list(catalog, t.state, "choose")
        else:
            return wording.which_owner_for(catalog, t.state, t.q.text.strip(), catalog.order)
    if intent == "sections":
        return wording.overview(catalog, t.state, owner)
    if intent == "year":
        year, title = catalog.year(owner)
        return wording.plan_year(catalog, t.state, owner, year, title)
    if intent in ("source", "whose"):
        return wording.plan_source(catalog, t.state, owner, whose=intent == "whose")
    if intent == "parent":
        return wording.plan_parent(catalog, t.state, owner)
    if intent == "contact":
        lines = catalog.contact(owner)
        if lines or catalog.view(owner, "signature") is None:
            return wording.plan_contact(catalog, t.state, owner, lines)
        reply = quote.section(catalog, t.state, owner, "signature", [])  # who signed, at least
        reply.footer = wording.no_contact_note()
        reply.text = reply.render()
        return reply
    if intent == "director":
        return director(catalog, t.state, owner, t.q.text)
    if catalog.view(owner, "signature") is None:
        return wording.no_signer(catalog, t.state, owner)
    return quote.section(catalog, t.state, owner, "signature", [])


def director(catalog: Catalog, state: State, owner: str, asked: str = "") -> Reply:
    """"ใครเป็นผอ.เขต": the plan's signature block; if it names no director of the office
    itself (only, say, a group's director), that is said under it, unless that group's
    director is the one asked for ("ผู้อำนวยการกลุ่มนโยบายและแผน…ชื่ออะไร"). Never a guessed
    name."""
    view = catalog.view(owner, "signature")
    if view is None:
        return wording.no_director(catalog, state, owner)
    reply = quote.section(catalog, state, owner, "signature", [])
    lines = [*view.intro, *(line for i in view.items for line in i.full_text().split("\n"))]
    titles = [fold(line).strip() for line in lines if line.strip()]
    if any(title in fold(asked) for title in titles if len(title) > 8):
        return reply  # the title asked for is the one signed
    if not any(DIRECTOR_LINE.search(line) for line in lines):
        reply.footer = wording.director_not_named_note()
        reply.text = reply.render()
    return reply


def summary(catalog: Catalog, t: Turn) -> Reply | None:
    """"สรุปสั้นๆ", "สรุปกลยุทธ์ สพม.13": each item's first clause, marked as shortened."""
    if t.q.intent != "summary":
        return None
    owner = t.owner or (None if t.state.by_topic and t.q.kind else t.state.owner)
    kind = t.q.kind or (t.state.section if owner == t.state.owner else None)
    if owner is None:
        if kind is None:
            return wording.owner_list(catalog, t.state, "choose")
        having = catalog.owners_with(kind)
        if len(having) != 1:
            return (wording.which_owner(catalog, t.state, kind, [], among=having) if having
                    else wording.absent_everywhere(catalog, t.state, kind))
        owner = having[0]
    if kind is None and WHOLE_PLAN.search(t.q.rest or t.q.text):
        return quote.plan_summary(catalog, t.state, owner)
    if kind is None:
        return wording.ask_section_of(catalog, t.state, [owner], "สรุป")
    return quote.summary(catalog, t.state, owner, kind)


#: "สรุปแผนทั้งแผน", "สรุปภาพรวมของแผน", "สรุปทุกหัวข้อ": the whole plan, not one section.
WHOLE_PLAN = re.compile(r"แผน|ภาพรวม|ทุก\s*หัวข้อ|ทั้งหมด")


def count_of_section_shown(catalog: Catalog, t: Turn) -> Reply | None:
    """"มีกี่ข้อ" with no section named: the section being discussed (its count is said by
    `quote_section`)."""
    if t.q.intent != "count" or t.kind is not None:
        return None
    if t.owner is not None and t.owner != t.state.owner:  # "ยุทธศาสตร์ชาติมีกี่ด้าน"
        t.kind = _only_list(catalog, t.owner)
    elif t.state.section:
        t.kind, t.owner = t.state.section, t.owner or t.state.owner
    return None


def _only_list(catalog: Catalog, owner: str) -> str | None:
    """The one section of a plan that is a numbered list (ยุทธศาสตร์ชาติ's ด้าน), if only one."""
    lists = [k for k in catalog.kinds_of(owner) if len(catalog.view(owner, k).items) > 1]
    return lists[0] if len(lists) == 1 else None


def explain_item_shown(catalog: Catalog, t: Turn) -> Reply | None:
    """"อธิบายเพิ่มหน่อย" with nothing named: the items last shown, in full (their note is
    added by `quote_section`)."""
    state = t.state
    if t.q.intent != "explain" or not t.named_nothing or t.owner:
        return None
    if not state.section:  # nothing shown yet to explain: which section?
        return _ask_what(catalog, t, state.owner, "อธิบาย")
    t.owner, t.kind = state.owner, state.section
    t.refs = [ItemRef(state.section, p) for p in state.items]
    return None


def projects_under_item(catalog: Catalog, t: Turn) -> Reply | None:
    """"มีโครงการอะไรบ้างภายใต้กลยุทธ์ที่ 2", "ตัวอย่างโครงการที่เข้ากับข้อนี้": the projects
    the plan lists under that item (nested in it, or a project table's column naming it);
    else that the plan lists none for it. Not alignment: the plan's own projects only."""
    state = t.state
    if t.q.intent != "projects_under" or (t.q.unknown_owner and not t.q.owners):
        return None
    owner = t.owner or state.owner
    kind = t.kind or (state.section if owner == state.owner else None)
    if owner is None and not catalog.lists_any("project"):  # whichever office: none listed
        return wording.no_projects_anywhere(catalog, state)
    having = catalog.owners_with(t.kind) if owner is None and t.kind else []
    if len(having) == 1:
        owner = having[0]  # the one plan with that section
    if owner is None or kind is None:
        return _ask_what(catalog, t, owner, "ตัวอย่างโครงการ")
    view = catalog.view(owner, kind)
    if view is None:
        return quote.section(catalog, state, owner, kind, [])
    this = t.kind is None or (t.kind == state.section and owner == state.owner
                              and THIS_ONE.search(t.q.text) is not None)  # "กลยุทธ์นี้"
    numbers = [r.number for r in t.refs] or (state.items if this else [])
    issue = _issue_in_focus(state) if t.q.this_issue and owner == state.owner else None
    if issue is not None and not t.refs:  # "ภายใต้ยุทธศาสตร์นี้" after one of its indicators
        kind, numbers = "strategic_issue", [issue]
        view = catalog.view(owner, kind) or view
    numbers = numbers or [item.path for item in view.items]  # the section named: every item
    found, _ = lookup.find_items(catalog, owner, kind, view.items,
                                 [ItemRef(kind, n) for n in numbers])
    if not found:
        return quote.section(catalog, state, owner, kind, [ItemRef(kind, n) for n in numbers])
    rows = _project_rows(catalog, owner)
    listed = [(item, _projects_of(item, rows, catalog, owner)) for item in found]
    return wording.projects_under(catalog, state, owner, kind, listed, len(rows))


#: Sections whose one item shown makes "มีโครงการอะไรบ้าง" ask for the projects under it.
PROJECTS_UNDER_KINDS = ("strategy", "strategic_issue", "goal", "focus")


def projects_of_item_shown(catalog: Catalog, t: Turn) -> Reply | None:
    """"มีโครงการอะไรบ้าง" right after one strategy (goal, issue, focus point) was quoted: the
    projects the plan lists under it, not every project (whose total "งบเท่าไหร่" would then
    give, as if it were the strategy's). "โครงการทั้งหมด" still lists them all."""
    state, q = t.state, t.q
    if q.intent != "table" or q.owners or t.refs or t.kind or len(state.items) != 1:
        return None
    if state.section not in PROJECTS_UNDER_KINDS or ALL_PROJECTS.search(q.text):
        return None
    asked = read(q)
    if asked is None or asked.ask != "projects":
        return None
    q.intent, t.owner, t.kind = "projects_under", state.owner, state.section
    t.refs = [ItemRef(state.section, state.items[0])]
    return projects_under_item(catalog, t)


def _projects_under_shown(catalog: Catalog, owner: str, kind: str, paths: list[str]) -> list:
    """The projects the plan lists under the items just quoted ("อธิบายเพิ่ม" shows them too)."""
    view = catalog.view(owner, kind)
    if view is None or not paths:
        return []
    found, _ = lookup.find_items(catalog, owner, kind, view.items, [ItemRef(kind, p) for p in paths])
    rows = _project_rows(catalog, owner)
    return [p for item in found for p in _projects_of(item, rows, catalog, owner)]


def _project_rows(catalog: Catalog, owner: str) -> list:
    """The rows of a plan's project table ([] when it has none)."""
    table = catalog.view(owner, "project")
    return table.items if table else []


def _ask_what(catalog: Catalog, t: Turn, owner: str | None, what: str) -> Reply:
    """Which items? The section for the numbers given; else which section of the plan; else
    which office."""
    if t.refs and t.kind is not None and owner is None:  # the items are known: whose?
        return wording.which_owner(catalog, t.state, t.kind, t.refs,
                                   catalog.owners_with(t.kind) or None)
    if t.refs:
        return wording.ask_section(catalog, t.state, owner, t.refs)
    if owner is not None:
        return wording.ask_section_of(catalog, t.state, [owner], what)
    return wording.owner_list(catalog, t.state, "choose")


def _projects_of(item, projects: list, catalog: Catalog | None = None,
                 owner: str | None = None) -> list:
    """The projects under an item: nested in it, or rows of the plan's project table whose
    column named for the item's kind ("สนองกลยุทธ์") holds its number ("2", or "1.2" for
    strategy 2 of issue 1; an issue's: one of its strategies), or projects whose own
    lines say they serve it ("สนองกลยุทธ์ที่ 1 ของโรงเรียน", `bot.stated`; with `catalog`
    and the plan's `owner`)."""
    below = [i for i in item.walk() if i is not item and i.kind == "project"]
    if below:
        return below
    name = wording.short_label(item.kind)
    own = [item.path.rsplit(" ", 1)[-1], *filter(None, [dotted_number(item.path)])]
    number = re.compile(rf"(?<![\d.])(?:{'|'.join(map(re.escape, own))})(?![\d.])")

    # An issue's projects are also those a column cites one of its strategies for ("1.2").
    nested = {wording.short_label(c.kind) for c in item.children if c.kind != item.kind}
    inside = re.compile(rf"(?<![\d.]){re.escape(own[0])}\.\d")

    def says_so(project) -> bool:
        if any(name in column and number.search(value) for column, value in project.cells.items()):
            return True
        if any(n in column and inside.search(value) for n in nested
               for column, value in project.cells.items()):
            return True
        return catalog is not None and any(
            link.owner == owner and link.kind == item.kind and set(own) & set(link.numbers)
            for link in stated.links(catalog, tables.Row(owner, 0, "", project)))

    return [p for p in projects if says_so(p)]


def choose_owner(catalog: Catalog, t: Turn) -> Reply | None:
    """"เลือกเขต สพม.13": that office's sections."""
    if t.owner is None or t.q.intent != "choose_owner":
        return None
    return wording.overview(catalog, t.state, t.owner)


def topic_in_named_plan(catalog: Catalog, t: Turn) -> Reply | None:
    """"สพม.13 เรื่องการพัฒนาครู": that plan's passages about it."""
    if t.owner is None or not t.named_nothing or not t.q.terms or t.q.follow_up:
        return None
    return quote.topic(catalog, t.state, t.q.terms, t.q.kind, t.owner)


def section_for_named_owner(catalog: Catalog, t: Turn) -> Reply | None:
    """"สพม.13" after "which office?" for goals, or "ของแพร่ เขต 1 ล่ะ" after goals: the
    goals of that office (with the items asked for then, or shown last)."""
    if t.owner is None or not t.named_nothing:
        return None
    state = t.state
    if _waiting(state):
        return _resume(catalog, t, t.owner)
    if state.table_question and t.owner != state.owner and (t.q.follow_up or not t.q.terms):
        return _table_again(catalog, state, state.table_question, t.owner)
    if state.listed_kind == "owner" and not state.pending_section:
        return None  # a name typed after "เลือกเขต": that office, as its number would
    pending = state.pending_section or (state.section if t.q.follow_up or not t.q.terms else None)
    if not pending:
        return None
    numbers = state.items if t.q.follow_up else []
    if state.pending_section:  # the items asked for with the section, before "which office?"
        numbers = state.pending_items
    elif t.owner != state.owner:
        numbers = _same_items(catalog, t.owner, pending, numbers)
    return quote.section(catalog, state, t.owner, pending, [ItemRef(pending, n) for n in numbers])


def _same_items(catalog: Catalog, owner: str, kind: str, paths: list[str]) -> list[str]:
    """The items just shown of another plan, in `owner`'s plan. An item nested in an issue
    is the same path there, else the item's own number ("ยุทธศาสตร์ 1 / ตัวชี้วัด 2" of
    OBEC's is indicator 2 of a school's flat list); with none of them there, the whole
    section, not "ไม่มีข้อ ยุทธศาสตร์ 1 / ตัวชี้วัด 2"."""
    view = catalog.view(owner, kind)
    if view is None:
        return paths
    found = []
    for path in paths:
        if "/" not in path:  # a flat list's item 3: there, or "ไม่มีข้อ 3" with the ones it has
            found.append(path)
            continue
        for number in (path, path.rsplit(" ", 1)[-1]):
            if lookup.find_items(catalog, owner, kind, view.items, [ItemRef(kind, number)])[0]:
                found.append(number)
                break
    return found


def overview(catalog: Catalog, t: Turn) -> Reply | None:
    """"สพม.13" alone: that office's sections."""
    if t.owner is None or not t.named_nothing:
        return None
    return wording.overview(catalog, t.state, t.owner)


# --- nothing named ----------------------------------------------------------------------------


def topic_in_current_plan(catalog: Catalog, t: Turn) -> Reply | None:
    """"แล้วเรื่องครูล่ะ" while a plan is discussed: that plan first."""
    if t.owner is not None or not t.named_nothing:
        return None
    if not (t.q.terms and t.q.follow_up and t.state.owner) or t.state.by_topic:
        return None
    return quote.topic(catalog, t.state, t.q.terms, t.q.kind, t.state.owner, fallback=False)


#: A follow-up this short, right after a section, may name some of its items ("ด้านครู").
NARROWING_TERMS = 3


def items_of_section_shown(catalog: Catalog, t: Turn) -> Reply | None:
    """"ด้านครู" right after สพม.13's focus points: the items of that section its words
    clearly name ("จุดเน้นด้านครู…"), as if asked with the section; otherwise nothing here
    (the words are then searched everywhere)."""
    state = t.state
    if t.owner is not None or not t.named_nothing or not t.q.terms or state.by_topic:
        return None
    if not (state.owner and state.section) or len(t.q.terms) > NARROWING_TERMS:
        return None
    if catalog.view(state.owner, state.section) is None:
        return None
    picked = lookup.pick_items(catalog, t.q.terms, state.owner, state.section)
    if not picked:
        return None
    return quote.section(catalog, state, state.owner, state.section,
                         [ItemRef(state.section, p) for p in picked])


def topic_everywhere(catalog: Catalog, t: Turn) -> Reply | None:
    """"การพัฒนาครู": the passages of every plan about it; "ฮัลโหล": don't know."""
    if t.owner is not None or not t.named_nothing:
        return None
    if t.q.terms:
        return quote.topic(catalog, t.state, t.q.terms, t.q.kind, None)
    return wording.dont_know(catalog, t.state)


# --- settling what the question left open ---------------------------------------------------


def owner_being_discussed(catalog: Catalog, t: Turn) -> Reply | None:
    """"กลยุทธ์ที่ 2" with no office named: the office being discussed, if any. A plan only
    found by the last topic search is not "being discussed" for a new topic question."""
    if t.owner is None and not (t.state.by_topic and t.q.terms and not t.q.refs):
        t.owner = t.state.owner
    return None


def items_of_this_issue(catalog: Catalog, t: Turn) -> Reply | None:
    """"เป้าประสงค์ของยุทธศาสตร์นี้" right after a strategic issue was quoted: that issue's
    goals (its items of the kind asked), as "…ของยุทธศาสตร์ที่ 3" would give."""
    state = t.state
    # "ตัวชี้วัดล่ะ" right after an issue's goal: that issue's indicators, the one discussed
    moved_on = (t.q.follow_up and not t.q.terms and state.section not in (None, t.kind)
                and state.section != "strategic_issue")
    if not (t.q.this_issue or moved_on) or t.refs or t.kind in (None, "strategic_issue"):
        return None
    issue = _issue_in_focus(state)
    if issue is None or t.owner not in (None, state.owner):
        return None
    container = catalog.plan(state.owner).strategic_issue(issue)
    if container is None or not any(c.kind == t.kind for c in container.children):
        return None  # the plan lists them apart from its issues: the whole section
    t.owner = state.owner
    t.refs = [ItemRef(t.kind, "*", ("strategic_issue", issue))]
    return None


def _issue_in_focus(state: State) -> str | None:
    """The strategic issue the last answer was about: the one quoted, or the one every item
    shown sits in ("ยุทธศาสตร์ 2 / เป้าประสงค์ 1"), so "…ของยุทธศาสตร์นี้" can follow again."""
    if state.section == "strategic_issue":
        return state.items[0] if len(state.items) == 1 else None
    return issue_of(state.items)


def section_being_discussed(catalog: Catalog, t: Turn) -> Reply | None:
    """"ข้อ 2" after strategies: strategy 2; "ยุทธศาสตร์ที่ 3 / ข้อ 2" the issue's own kind;
    "ข้อ 2" with no section to go by: which section?"""
    if t.kind is not None:
        return None
    t.kind = t.state.section if t.owner == t.state.owner else None
    if t.kind is None and t.state.section and t.refs and (
            t.q.follow_up or catalog.view(t.owner, t.state.section) is not None):
        t.kind = t.state.section  # "แล้วของ สพม.13 ข้อ 3 ล่ะ" after missions: its mission 3
    if t.kind is None and t.refs and t.refs[0].container:
        t.kind = t.refs[0].kind
    if t.kind is None and t.owner is not None and t.refs:
        t.kind = _only_list(catalog, t.owner)  # "ยุทธศาสตร์ชาติด้านที่ 3": its one list
    if t.kind is None:
        return wording.ask_section(catalog, t.state, t.owner, t.refs)
    t.refs = [ItemRef(r.kind or t.kind, r.number, r.container or _shown_in(catalog, t, r.number))
              for r in t.refs]
    return None


def _shown_in(catalog: Catalog, t: Turn, number: str) -> tuple[str, str] | None:
    """The strategic issue the items last shown were all in, if it has an item `number`:
    "ข้อ 2" after "ยุทธศาสตร์ 3 / กลยุทธ์ 6" is strategy 2 of issue 3; "ข้อ 8" after an
    indicator of a plan numbering them 1 to 8 across its issues is indicator 8."""
    state = t.state
    if t.kind != state.section or t.owner != state.owner or not state.items:
        return None
    issue = issue_of(state.items)
    if issue is None:
        return None
    container = catalog.plan(t.owner).strategic_issue(issue)
    if container is None or not (number.startswith(("last", "*")) or any(
            c.kind == t.kind and c.number == number for c in container.children)):
        return None
    return ("strategic_issue", issue)


def topic_with_section_word(catalog: Catalog, t: Turn) -> Reply | None:
    """"กลยุทธ์การอ่าน" with no office: the strategies about reading in any plan; failing
    that, the section word may be part of the topic ("ยุทธศาสตร์ชาติ")."""
    if t.owner is not None or not t.q.terms or t.refs:
        return None
    found = quote.topic(catalog, t.state, t.q.terms, t.q.kind, None, fallback=False)
    if found is None:
        found = quote.topic(catalog, t.state, t.q.all_terms, None, None, fallback=False)
    return found


def owner_with_the_section(catalog: Catalog, t: Turn) -> Reply | None:
    """"ค่านิยมองค์กร" with no office: the one plan that has it, or which office?, or none has it."""
    if t.owner is not None:
        return None
    having = catalog.owners_with(t.kind)
    if len(having) == 1:
        t.owner = having[0]
        return None
    if not having:
        return wording.absent_everywhere(catalog, t.state, t.kind)
    return wording.which_owner(catalog, t.state, t.kind, t.refs, among=having)


def item_named_by_words(catalog: Catalog, t: Turn) -> Reply | None:
    """"จุดเน้นด้านผู้เรียน สพป.แพร่ เขต 1", "กลยุทธ์ด้านครู": the items (or sub-list) of the
    section those words narrow it to."""
    if t.refs or not t.q.terms or catalog.view(t.owner, t.kind) is None:
        return None
    picked = lookup.pick_items(catalog, t.q.terms, t.owner, t.kind)
    t.refs = [ItemRef(t.kind, p) for p in picked]
    return None


def several_sections(catalog: Catalog, t: Turn) -> Reply | None:
    """"ขอวิสัยทัศน์ พันธกิจ เป้าประสงค์ กลยุทธ์ ของแพร่ เขต 1 ทีเดียวเลย": each section asked,
    in one reply (a PA or SAR quotes them together). Words beyond the sections make it a
    topic question, unless three or more sections are named ("…จะเอาไปทำ PA")."""
    q = t.q
    if not q.more_kinds or q.intent or t.refs or t.kind is None:
        return None
    if q.terms and len(q.more_kinds) < 2:
        return None
    owner = t.owner or t.state.owner
    if owner is None:
        return None  # the first section's "which office?" (the others are asked again)
    return quote.several(catalog, t.state, owner, [t.kind, *q.more_kinds])


def quote_section(catalog: Catalog, t: Turn) -> Reply:
    """"กลยุทธ์ที่ 2 สพม.13": the section or the items asked for (always answers);
    "เป้าประสงค์มีกี่ข้อ": the section, led by how many items it has."""
    reply = quote.section(catalog, t.state, t.owner, t.kind, t.refs)
    if reply.kind != "answer":
        return reply
    if t.q.intent == "count" and not t.refs:
        items = catalog.view(t.owner, t.kind).items
        _, _, rest = reply.header.partition("\n")
        reply.header = "\n".join(filter(None, [wording.count_line(reply.owner_name, t.kind, items), rest]))
    elif t.q.intent == "explain":
        projects = _projects_under_shown(catalog, t.owner, t.kind, t.state.items)
        reply.footer = "\n".join(filter(None, [reply.footer, wording.projects_line(projects),
                                                wording.explain_note()]))
    reply.text = reply.render()
    return reply


#: The project word and at most a number (the office's name taken out): "โครงการ สพม.13",
#: "โครงการที่ 3 ของ สพฐ.", "ขอดูโครงการที่ 2 หน่อยค่ะ".
PROJECT_ONLY = re.compile(r"\s*(?:แล้ว)?\s*(?:ขอ\s*(?:ดู)?)?\s*(?:รายการ|รายชื่อ|ข้อมูล)?\s*(?:โครงการ|projects?)"
                          r"\s*(?:(?:ที่|ข้อ(?:ที่)?|ลำดับที่)\s*\d{1,3})?\s*(?:ของ)?\s*"
                          r"(?:หน่อย|ครับ|ค่ะ|คะ|จ้ะ|จ้า|นะ|ด้วย|ล่ะ|หล่ะ|[\s.?])*")


def projects_by_word(catalog: Catalog, t: Turn) -> Reply | None:
    """"โครงการ รร.บ้านทุ่งฝาย", "โครงการที่ 1 ของ รร.บ้านทุ่งฝาย": the plan's projects (or
    that one), as a section is asked for by its word; not the passages nearest "โครงการ"."""
    q = t.q
    if q.intent is not None or q.kind is not None or (q.unknown_owner and not q.owners):
        return None
    if not PROJECT_ONLY.fullmatch(q.rest):
        return None
    return table_answer(catalog, t, TableQuestion("projects", name=project_name(q.rest)))


#: The rules, in the order they are tried.
RULES = (
    greeting, thanks, acknowledged, help_wanted, list_owners,
    alignment, alignment_follow_up, projects_under_item, project_of_alignment,
    projects_of_item_shown, table_answer,
    project_follow_up, total_follow_up,
    target_year_follow_up, projects_by_word,
    rest_of_answer, whole_answer, pick_from_list,
    named_owners_side_by_side, every_owner, unknown_owner, several_owners, choose_owner,
    plan_facts, summary, count_of_section_shown, explain_item_shown, several_sections,
    topic_in_named_plan, section_for_named_owner, overview,
    topic_in_current_plan, items_of_section_shown, topic_everywhere,
    owner_being_discussed, items_of_this_issue, section_being_discussed, topic_with_section_word,
    owner_with_the_section, item_named_by_words, quote_section,
)
