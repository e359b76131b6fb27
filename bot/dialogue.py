"""The dialogue rules: what the bot does with an understood question in a conversation.

`RULES` are tried in order; each is a small function with a Thai example that either answers
(returns a Reply) or, seeing nothing for it, returns None. A few rules settle what the question
left open from the conversation (the office or section being discussed) and let the next rules
answer. A new kind of question is one new rule here and one test.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot import lookup, quote, wording
from bot.align import alignment
from bot.catalog import Catalog
from bot.reply import Reply, State
from bot.understand import ItemRef, Question, topic_terms


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
    turn = Turn(q, state, q.owners[0] if q.owners else None, q.kind, q.refs)
    for rule in RULES:
        reply = rule(catalog, turn)
        if reply is not None:
            return reply
    raise AssertionError("the last rule always answers")  # pragma: no cover


# --- small talk -------------------------------------------------------------------------------


def greeting(catalog: Catalog, t: Turn) -> Reply | None:
    """"สวัสดีครับ": the welcome."""
    return wording.welcome(catalog, t.state) if t.q.intent == "greeting" else None


def thanks(catalog: Catalog, t: Turn) -> Reply | None:
    """"ขอบคุณค่ะ": you're welcome."""
    return wording.thanks(catalog, t.state) if t.q.intent == "thanks" else None


def help_wanted(catalog: Catalog, t: Turn) -> Reply | None:
    """"ช่วยเหลือ", "ใช้ยังไง": how to ask."""
    return wording.help_text(catalog, t.state) if t.q.intent == "help" else None


def list_owners(catalog: Catalog, t: Turn) -> Reply | None:
    """"เลือกเขต", "มีเขตอะไรบ้าง" (no office named): every office."""
    if t.q.intent not in ("choose_owner", "list_owners") or t.q.owners:
        return None
    return wording.owner_list(catalog, t.state, "choose" if t.q.intent == "choose_owner" else "list")


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
    return wording.not_in_corpus(catalog, t.state, q.unknown_owner)


def several_owners(catalog: Catalog, t: Turn) -> Reply | None:
    """"วิสัยทัศน์ เขต 1" (two offices have area 1): which one?"""
    if len(t.q.owners) <= 1:
        return None
    return wording.which_owner(catalog, t.state, t.q.kind or t.state.section, t.q.refs,
                               among=t.q.owners)


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
    pending = state.pending_section or (state.section if t.q.follow_up or not t.q.terms else None)
    if not pending:
        return None
    numbers = state.items if t.q.follow_up else []
    if state.pending_section:  # the items asked for with the section, before "which office?"
        numbers = state.pending_items
    return quote.section(catalog, state, t.owner, pending, [ItemRef(pending, n) for n in numbers])


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
    if not (t.q.terms and t.q.follow_up and t.state.owner):
        return None
    return quote.topic(catalog, t.state, t.q.terms, t.q.kind, t.state.owner, fallback=False)


def topic_everywhere(catalog: Catalog, t: Turn) -> Reply | None:
    """"การพัฒนาครู": the passages of every plan about it; "ฮัลโหล": don't know."""
    if t.owner is not None or not t.named_nothing:
        return None
    if t.q.terms:
        return quote.topic(catalog, t.state, t.q.terms, t.q.kind, None)
    return wording.dont_know(catalog, t.state)


# --- settling what the question left open ---------------------------------------------------


def owner_being_discussed(catalog: Catalog, t: Turn) -> Reply | None:
    """"กลยุทธ์ที่ 2" with no office named: the office being discussed, if any."""
    if t.owner is None:
        t.owner = t.state.owner
    return None


def section_being_discussed(catalog: Catalog, t: Turn) -> Reply | None:
    """"ข้อ 2" after strategies: strategy 2; "ยุทธศาสตร์ที่ 3 / ข้อ 2" the issue's own kind;
    "ข้อ 2" with no section to go by: which section?"""
    if t.kind is not None:
        return None
    t.kind = t.state.section if t.owner == t.state.owner else None
    if t.kind is None and t.refs and t.refs[0].container:
        t.kind = t.refs[0].kind
    if t.kind is None:
        return wording.ask_section(catalog, t.state, t.owner, t.refs)
    t.refs = [ItemRef(r.kind or t.kind, r.number, r.container) for r in t.refs]
    return None


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
    """"จุดเน้นด้านผู้เรียน สพป.แพร่ เขต 1": the one item of the section those words name."""
    if t.refs or not t.q.terms or catalog.view(t.owner, t.kind) is None:
        return None
    picked = lookup.pick_item(catalog, t.q.terms, t.owner, t.kind)
    if picked is not None:
        t.refs = [ItemRef(t.kind, picked)]
    return None


def quote_section(catalog: Catalog, t: Turn) -> Reply:
    """"กลยุทธ์ที่ 2 สพม.13": the section or the items asked for (always answers)."""
    return quote.section(catalog, t.state, t.owner, t.kind, t.refs)


#: The rules, in the order they are tried.
RULES = (
    greeting, thanks, help_wanted, list_owners,
    alignment,
    unknown_owner, several_owners, choose_owner,
    topic_in_named_plan, section_for_named_owner, overview,
    topic_in_current_plan, topic_everywhere,
    owner_being_discussed, section_being_discussed, topic_with_section_word,
    owner_with_the_section, item_named_by_words, quote_section,
)
