"""What the bot remembers between messages. Every change to a conversation's `State` is here.

The dialogue rules and replies call these transitions by name; nothing else assigns to a
State's fields, so what a follow-up ("ข้อ 2", "แล้วพันธกิจล่ะ") can rely on is read here.
"""

from __future__ import annotations

import copy

from bot.reply import TABLE_INTENT, State
from index.headings import ALL_KINDS


def current(state: State | None, owners) -> State:
    """A copy of the state, forgetting a plan (or section) that a rebuild has since removed."""
    state = copy.deepcopy(state) if state is not None else State()
    if state.owner is not None and state.owner not in owners:
        state = State()
    if state.section is not None and state.section not in ALL_KINDS:  # a project list too
        state.section, state.items = None, []
    if state.pending_section is not None and state.pending_section not in ALL_KINDS:
        state.pending_section, state.pending_items, state.pending_intent = None, [], None
    if state.listed_kind == "owner" and any(o != ALL and o not in owners for o in state.listed):
        _forget_list(state)
    return state


#: `State.listed` entry standing for every owner in display order (a long list stays short).
ALL = "*"


def chose_owner(state: State, owner: str) -> None:
    """An office was chosen ("เลือกเขต สพม.13"): its plan, no section yet."""
    state.owner, state.section, state.items = owner, None, []
    _settled(state)


def quoted(state: State, owner: str, section: str, items: list[str]) -> None:
    """A section (or some of its items) was quoted: "ข้อ 2" next refers to this section."""
    state.owner, state.section, state.items = owner, section, items
    _settled(state)


def found_by_topic(state: State, owner: str, section: str, items: list[str]) -> None:
    """A topic search quoted passages: "ข้อ 2" may follow up, but the next topic question
    searches every plan again (the user never chose this plan)."""
    quoted(state, owner, section, items)
    state.by_topic = True


def listed(state: State, kind: str, entries: list[str], page: int = 0) -> None:
    """The reply showed a numbered list (owners, sections, items or search hits): a number,
    an ordinal or "ถัดไป" next refers to it."""
    state.listed_kind, state.listed, state.page = kind, list(entries), page


def turned_page(state: State, page: int) -> None:
    """"ถัดไป": the next page of the same list was shown."""
    state.page = page


def left_out(state: State, what: str, shown: int) -> None:
    """The answer was cut (a long section, more search hits, a summary): "ต่อ" or
    "ขอทั้งหมด" next shows the rest, from block `shown` on."""
    state.cut, state.shown = what, shown


def entries(state: State, all_owners: list[str]) -> list[str]:
    """The entries of the list last shown (every owner for the `ALL` list)."""
    return list(all_owners) if state.listed == [ALL] else list(state.listed)


def section_missing(state: State, owner: str, kind: str | None = None) -> None:
    """The plan lacks the section asked for: the office is still the one discussed, and the
    section `kind` the one asked ("จุดเน้นล่ะ" there, then "ของเขตล่ะ": the office's จุดเน้น)."""
    state.owner = owner
    if kind is not None:
        state.section, state.items = kind, []
    _settled(state)


def item_missing(state: State, owner: str, section: str) -> None:
    """The section lacks the items asked for: office and section stay, the last items too."""
    state.owner, state.section = owner, section
    _settled(state)


def aligned(state: State, owner: str | None, section: str, project: str = "",
            scope: list[str] | None = None, shown: list[str] = ()) -> None:
    """Items that fit a project were listed: the asker's own plan (named or being discussed)
    stays the one discussed, none is taken from the listing. The project, the plans weighed
    (None: every plan) and the items shown ("owner<TAB>kind<TAB>path") are kept for the
    follow-ups: another plan, another section, "ข้อ 2" of those shown, "ที่มา"."""
    state.owner = owner if owner is not None else state.owner
    state.section, state.items = section, []
    _settled(state)
    state.project, state.scope = project or None, list(scope or [])
    if shown:
        listed(state, ALIGNED, list(shown))


#: `listed_kind` of the items an alignment answer showed.
ALIGNED = "aligned"


def asked_which_owner(state: State, section: str | None, items: list[str]) -> None:
    """The bot asked "which office?": the section and items wait for the answer (and what
    was asked of them, `waits_for`)."""
    state.pending_section, state.pending_items = section, items
    state.pending_intent = state.pending_question = None


def asked_which_owner_for_table(state: State, question: str) -> None:
    """The bot asked "which office?" for a table question: the office named (or picked)
    next gets that question, asked again whole."""
    state.pending_section, state.pending_items = None, []
    state.pending_intent, state.pending_question = TABLE_INTENT, question


def asked_of_table(state: State, question: str) -> None:
    """A table question was answered: "ของ สพม.13 ล่ะ" next asks it again of that office."""
    state.table_question = question


def resumed(state: State) -> None:
    """The question waiting for "which office?" is being asked again: it waits no more."""
    state.pending_intent = state.pending_question = None


def waits_for(state: State, intent: str) -> None:
    """The question that asked "which office?" wanted `intent` of the section ("summary",
    "projects_under"): the office chosen next gets that, not the section quoted."""
    if state.pending_section is not None:
        state.pending_intent = intent


def _settled(state: State) -> None:
    """An answer was given: nothing waits for "which office?", no list or cut is pending."""
    state.pending_section, state.pending_items, state.pending_intent = None, [], None
    state.pending_question = state.table_question = None
    state.by_topic = False
    state.project, state.scope = None, []
    _forget_list(state)
    state.cut, state.shown = None, 0


def _forget_list(state: State) -> None:
    state.listed_kind, state.listed, state.page = None, [], 0
