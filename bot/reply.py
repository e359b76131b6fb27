"""Plain values passed between the answer engine and whoever shows its replies.

Nothing here knows Flask or LINE: the webhook turns a `Reply` into LINE messages,
`python -m bot ask` prints it, and the conversation state is stored by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

#: Reply kinds for which `answered` is false.
UNANSWERED_KINDS = frozenset(
    {"dont_know", "not_in_corpus", "section_absent", "item_absent", "which_owner", "ack"}
)


#: What a question asked of a section that "which office?" keeps for the office chosen next
#: (`bot.dialogue._resume`): its projects, a summary, a count, more of it, an alignment.
RESUMED_INTENTS = frozenset({"projects_under", "summary", "count", "explain", "align"})
#: The intent of a question about a plan's tables, asked again whole after "which office?".
TABLE_INTENT = "table"


@dataclass
class State:
    """What the bot remembers of one conversation between messages."""

    owner: str | None = None  # owner id of the plan being discussed
    section: str | None = None  # section kind last shown
    items: list[str] = field(default_factory=list)  # item paths last shown
    pending_section: str | None = None  # section asked for before "which office?"
    pending_items: list[str] = field(default_factory=list)
    pending_intent: str | None = None  # what that question asked of it (RESUMED_INTENTS)
    # A table question ("มีโครงการอะไรบ้าง") that asked "which office?": its folded words, asked
    # again of the office named next (pending_intent "table").
    pending_question: str | None = None
    # The table question answered last ("โครงการไหนงบเยอะที่สุด", "ใครรับผิดชอบโครงการ…"), its
    # folded words: "ของโรงเรียน X ล่ะ" next asks it again of that plan, not the same item.
    table_question: str | None = None
    # The list the bot showed last, so "2", "อันที่ 2", "ข้อสุดท้าย" or "ถัดไป" refer to it:
    listed_kind: str | None = None  # owner | section | item | hit
    listed: list[str] = field(default_factory=list)  # entries; ["*"]: every owner, in order
    page: int = 0  # the page of the list whose taps were offered
    cut: str | None = None  # what the last answer left out: section | hits | summary
    shown: int = 0  # how many of its blocks were shown
    by_topic: bool = False  # the owner came from a topic search, not from the user
    # The project of the last alignment answer, so "แล้วของ สพม.13 ล่ะ", "เป้าประสงค์ล่ะ",
    # "ข้อ 2" and "ที่มา" follow it up (its items shown are `listed`, kind "aligned"):
    project: str | None = None  # the question's folded words, frame and all
    scope: list[str] = field(default_factory=list)  # the plans it was weighed in; []: every plan

    def to_dict(self) -> dict:
        """The state as JSON-ready data: its fields in order, lists copied (what
        `dataclasses.asdict` gives, without its recursive deep copy, which cost a tenth of a
        millisecond twice per message: the reply cache's key and the state store's write)."""
        return {name: (list(value) if isinstance(value, list) else value)
                for name in _STATE_FIELDS for value in (getattr(self, name),)}

    @classmethod
    def from_dict(cls, data: dict | None) -> State:
        """Rebuild a state from `to_dict` output, ignoring unknown or broken fields."""
        if not isinstance(data, dict):
            return cls()
        state = cls()
        for name in ("owner", "section", "pending_section", "listed_kind", "cut", "project",
                     "pending_question", "table_question"):
            value = data.get(name)
            if isinstance(value, str):
                setattr(state, name, value)
        for name in ("items", "pending_items", "listed", "scope"):
            value = data.get(name)
            if isinstance(value, list):
                setattr(state, name, [v for v in value if isinstance(v, str)])
        for name in ("page", "shown"):
            value = data.get(name)
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                setattr(state, name, value)
        if data.get("pending_intent") in RESUMED_INTENTS and state.pending_section:
            state.pending_intent = data["pending_intent"]
        elif data.get("pending_intent") == TABLE_INTENT and state.pending_question:
            state.pending_intent = TABLE_INTENT
        else:
            state.pending_question = None
        if isinstance(data.get("by_topic"), bool):
            state.by_topic = data["by_topic"]
        return state


_STATE_FIELDS = tuple(f.name for f in fields(State))


@dataclass
class QuickReply:
    """A suggested next tap. `text` is sent as the user's message when tapped."""

    label: str  # at most 20 characters (LINE's limit)
    text: str
    data: str = ""  # a postback's data instead of a message ("action=next_page")


@dataclass
class Block:
    """One quoted unit of a plan: an item with its number, a paragraph, or a search hit."""

    label: str  # e.g. "1", "2.1", "ยุทธศาสตร์ 3 / กลยุทธ์ 4"; "" for a paragraph
    text: str  # the plan's own words, including any sub-items, one per line
    passage: bool = False  # a search hit: `label` says where it is ("สพม.13 · กลยุทธ์ ข้อ 2")
    item: str = ""  # the item's path, when `label` is its number as the plan prints it ("1.2")


def render_block(block: Block) -> str:
    """A block as every reply shows it, in the plan's own numbering style.

    "1. text" for an item, "2.1 text" for a sub-item numbered as the plan writes it,
    "ยุทธศาสตร์ 3 / กลยุทธ์ 4: text" for a nested item, "【where】" above a search hit's text,
    and a paragraph as it is.
    """
    if block.passage:
        return f"【{block.label}】\n{block.text}"
    if not block.label:
        return block.text
    if "/" in block.label:
        return f"{block.label}: {block.text}"
    if "." in block.label:  # "2.2 มีคะแนน..." as the plan writes sub-items
        return f"{block.label} {block.text}"
    return f"{block.label}. {block.text}"


@dataclass
class Reply:
    """Everything a front end needs to show one answer."""

    text: str  # the whole reply as plain text
    kind: str  # answer | which_owner | not_in_corpus | section_absent | item_absent |
    # dont_know | greeting | help | thanks | ack | owner_list | owner_chosen
    state: State
    owner: str | None = None  # owner id
    owner_name: str | None = None  # the name shown to users
    section: str | None = None  # section kind
    section_label: str | None = None  # Thai section name
    items: list[str] = field(default_factory=list)  # item paths quoted
    sources: list[dict] = field(default_factory=list)  # {owner, section, item, score}
    header: str = ""  # the first line(s) of `text`, before the blocks
    blocks: list[Block] = field(default_factory=list)  # quoted units, in order
    footer: str = ""  # the last line(s) of `text`, after the blocks
    quick_replies: list[QuickReply] = field(default_factory=list)

    def render(self) -> str:
        """The header, each block (`render_block`) and the footer as one text."""
        parts = [self.header, ""] + [render_block(block) for block in self.blocks]
        if self.footer:
            parts += ["", self.footer]
        return "\n".join(parts).strip()

    @property
    def answered(self) -> bool:
        """False for don't-know, not-in-corpus, section-absent and which-office replies."""
        return self.kind not in UNANSWERED_KINDS

    def to_json(self, question: str) -> dict:
        """The JSON object printed by `python -m bot ask --json`."""
        return {
            "question": question,
            "answered": self.answered,
            "owner": self.owner,
            "section": self.section,
            "items": list(self.items),
            "text": self.text,
            "sources": list(self.sources),
        }
