"""The answer engine: a Thai question and a conversation state in, a `Reply` out.

It quotes the plan's own words and names the owner and the section. When an item is named the
answer is an exact lookup in the parsed tree; otherwise the section is quoted whole, or, for a
question about a topic, BM25 picks the passages. When the plan does not say, the reply says so.
Nothing here imports Flask or LINE.
"""

from __future__ import annotations

import copy
import logging
import os
import threading
from pathlib import Path
from urllib.parse import parse_qs

from bot.reply import Block, QuickReply, Reply, State
from bot.understand import FILLER, ItemRef, OwnerMatcher, Question, understand
from index.headings import KINDS, label
from index.model import Item
from index.search import Passage
from index.store import Store
from index.text import fold
from index.tokenize import tokenize

logger = logging.getLogger(__name__)

DEFAULT_MAX_QUESTION_CHARS = 500
MAX_QUICK_REPLIES = 13
MAX_LABEL = 20
MIN_COVERAGE = 0.5  # share of a topic question's weight the best passage must cover
MAX_TOPIC_PASSAGES = 3
BACKGROUND_RELOAD_BYTES = 64 * 1024 * 1024  # larger indexes reload without blocking a message
TOPIC_POOL = 20  # BM25 hits re-ordered by how much of the question they cover
ITEM_PICK_COVERAGE = 0.75  # "จุดเน้นด้านผู้เรียน": words naming one item of the section

EXAMPLE_KINDS = ("vision", "mission", "goal", "strategy")


def short_label(kind: str) -> str:
    """A section name short enough for a quick-reply button."""
    return label(kind).split("/")[0]


def _fit(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


class Engine:
    """Answers questions from one loaded index. Build once, call `answer` many times."""

    def __init__(self, db_path: str | Path, max_question_chars: int = DEFAULT_MAX_QUESTION_CHARS):
        self.db_path = Path(db_path)
        self.max_question_chars = max_question_chars
        self.store = Store(self.db_path)
        self.meta = self.store.meta
        self.owners = self.store.owners
        self.passages = self.store.passages
        self.matcher = OwnerMatcher(self.owners)
        self.order = sorted(self.owners, key=lambda o: self.owners[o].display)
        self._having: dict[str, list[str]] = {}
        tokenize("วิสัยทัศน์")  # load the tokenizer's dictionary now, not at the first question

    def _current(self, state: State | None) -> State:
        """A copy of the state, forgetting a plan that a rebuild has since removed."""
        state = copy.deepcopy(state) if state is not None else State()
        if state.owner is not None and state.owner not in self.owners:
            state = State()
        if state.section is not None and state.section not in KINDS:
            state.section, state.items = None, []
        if state.pending_section is not None and state.pending_section not in KINDS:
            state.pending_section, state.pending_items = None, []
        return state

    # --- public API ---------------------------------------------------------------------------

    @property
    def info(self) -> dict:
        """Index metadata for /healthz: built_at, owners, passages, schema, tokenizer."""
        return {
            "built_at": self.meta.get("built_at"),
            "owners": len(self.owners),
            "passages": len(self.passages.passages),
            "schema_version": self.meta.get("schema_version"),
            "tokenizer": self.meta.get("tokenizer"),
        }

    def answer(self, question: str, state: State | None = None) -> Reply:
        """Answer one question in the context of `state`; the new state is `reply.state`."""
        state = self._current(state)
        text = question if isinstance(question, str) else ""
        truncated = len(text) > self.max_question_chars
        text = text[: self.max_question_chars]
        if not fold(text).strip(" ?!.,"):
            reply = self._dont_know(state)
        else:
            reply = self._route(understand(text, self.matcher), state)
        if truncated:
            note = f"(บอทอ่านเฉพาะ {self.max_question_chars} ตัวอักษรแรกของข้อความค่ะ)"
            reply.footer = f"{reply.footer}\n{note}".strip()
            reply.text = f"{reply.text}\n{note}"
        return reply

    def postback(self, data: str, state: State | None = None) -> Reply:
        """Answer a postback (`section=goal`, `owner=ID&section=vision`, `action=choose_owner`)."""
        state = self._current(state)
        fields = {k: v[0] for k, v in parse_qs(data or "").items() if v}
        if fields.get("action") == "choose_owner":
            return self._owner_list(state, "choose")
        owner = fields.get("owner")
        if owner is not None and owner not in self.owners:
            return self._dont_know(state)
        owner = owner or state.owner
        kind = fields.get("section")
        if kind is not None and kind not in KINDS:
            return self._dont_know(state)
        if owner is None:
            return self._which_owner(state, kind, []) if kind else self._owner_list(state, "choose")
        if kind is None:
            return self._overview(state, owner)
        return self._section_answer(state, owner, kind, [])

    def welcome(self, state: State | None = None) -> Reply:
        """The greeting for follow and join events, with quick replies to start."""
        state = copy.deepcopy(state) if state is not None else State()
        example = self.owners[self.order[0]].display if self.order else "สพม.13"
        text = (
            "สวัสดีค่ะ บอทนี้ตอบคำถามเรื่องแผนของสำนักงานเขตพื้นที่การศึกษาและโรงเรียน "
            "โดยยกข้อความจากแผนจริง\n"
            "ถามได้ เช่น\n"
            f"• วิสัยทัศน์ {example}\n"
            f"• กลยุทธ์ที่ 2 ของ {example}\n"
            "• แล้วพันธกิจล่ะ / ข้อ 2\n"
            "พิมพ์ “เลือกเขต” เพื่อเลือกหน่วยงาน หรือ “ช่วยเหลือ” เพื่อดูวิธีใช้"
        )
        return Reply(text, "greeting", state, header=text, quick_replies=self._starters())

    # --- routing ------------------------------------------------------------------------------

    def _route(self, q: Question, state: State) -> Reply:
        if q.intent == "greeting":
            return self.welcome(state)
        if q.intent == "thanks":
            text = "ยินดีค่ะ มีคำถามเรื่องแผนเพิ่มเติม พิมพ์ถามได้ตลอดเลยนะคะ"
            return Reply(text, "thanks", state, header=text, quick_replies=self._section_taps(state.owner))
        if q.intent == "help":
            return self._help(state)
        if q.intent in ("choose_owner", "list_owners") and not q.owners:
            return self._owner_list(state, "choose" if q.intent == "choose_owner" else "list")
        if q.unknown_owner and not q.owners:
            if q.school and q.kind is None and not q.refs:  # "โรงเรียนขนาดเล็ก" is a topic
                q.terms = [t for t in tokenize(q.text, already_clean=True)
                           if t not in FILLER and not t.isdigit()]
                topical = self._topic(state, q, None, fallback=False)
                if topical is not None:
                    return topical
            return self._not_in_corpus(state, q.unknown_owner)
        if len(q.owners) > 1:
            return self._which_owner(state, q.kind or state.section, q.refs, among=q.owners)
        owner = q.owners[0] if q.owners else None
        if owner is not None and q.intent == "choose_owner":
            state.owner = owner
            return self._overview(state, owner)
        kind, refs = q.kind, q.refs
        if owner is not None and kind is None and not refs:
            if q.terms and not q.follow_up:
                return self._topic(state, q, owner)
            pending = state.pending_section or (state.section if q.follow_up or not q.terms else None)
            if pending:
                items = state.pending_items if state.pending_section else (
                    state.items if q.follow_up else [])
                return self._section_answer(state, owner, pending,
                                            [ItemRef(pending, n) for n in items])
            return self._overview(state, owner)
        if owner is None and kind is None and not refs:
            if q.terms and q.follow_up and state.owner:  # "แล้วเรื่องครูล่ะ": this plan first
                topical = self._topic(state, q, state.owner, fallback=False)
                if topical is not None:
                    return topical
            if q.terms:
                return self._topic(state, q, None)
            return self._dont_know(state)
        if owner is None:
            owner = state.owner
        if kind is None:
            kind = state.section if owner == state.owner else None
            if kind is None and refs and refs[0].container:
                kind = refs[0].kind
            if kind is None:
                return self._ask_section(state, owner, refs)
            refs = [ItemRef(r.kind or kind, r.number, r.container) for r in refs]
        if owner is None and q.terms and not refs:
            topical = self._topic(state, q, None, fallback=False)
            if topical is None:  # the section word may be part of the topic: ยุทธศาสตร์ชาติ
                broad = Question(q.text, kind=None, terms=q.all_terms)
                topical = self._topic(state, broad, None, fallback=False)
            if topical is not None:
                return topical
        if owner is None:
            having = self._owners_with(kind)
            if len(having) == 1:
                owner = having[0]
            elif not having:
                return self._absent_everywhere(state, kind)
            else:
                return self._which_owner(state, kind, refs, among=having)
        if not refs and q.terms and self._view(owner, kind) is not None:
            picked = self._pick_item(q.terms, owner, kind)
            if picked is not None:
                refs = [ItemRef(kind, picked)]
        return self._section_answer(state, owner, kind, refs)

    def _pick_item(self, terms: list[str], owner: str, kind: str) -> str | None:
        """The one item of a section that the question's other words clearly name."""
        hits = self._ranked(terms, owner, {kind})
        if not hits or not hits[0][0].item or hits[0][2] < ITEM_PICK_COVERAGE:
            return None
        if len(hits) > 1 and hits[1][2] >= hits[0][2] and hits[1][1] > hits[0][1] / 1.3:
            return None
        return hits[0][0].item.rsplit(" ", 1)[-1] if "/" in hits[0][0].item else hits[0][0].item

    # --- plan lookups ---------------------------------------------------------------------------

    def _view(self, owner: str, kind: str):
        """(heading, items, intro) for a kind in an owner's plan, or None (Plan.view)."""
        return self.store.plan(owner).view(kind)

    def _owners_with(self, kind: str) -> list[str]:
        """Owners whose plan has something of this kind, from the index's per-owner list."""
        if kind not in self._having:
            self._having[kind] = [o for o in self.order if kind in self.owners[o].kinds]
        return self._having[kind]

    def _kinds_of(self, owner: str) -> list[str]:
        return self.store.plan(owner).kinds()

    def _section_answer(self, state: State, owner: str, kind: str, refs: list[ItemRef]) -> Reply:
        state.pending_section, state.pending_items = None, []
        view = self._view(owner, kind)
        display = self.owners[owner].display
        if view is None:
            state.owner = owner
            have = ", ".join(label(k) for k in self._kinds_of(owner))
            text = f"แผนของ {display} ไม่มีหัวข้อ “{label(kind)}” ค่ะ\nหัวข้อที่มีในแผนนี้: {have}"
            return Reply(text, "section_absent", state, owner=owner, owner_name=display,
                         section=kind, section_label=label(kind), header=text,
                         quick_replies=self._section_taps(owner))
        heading, items, intro = view
        state.owner, state.section = owner, kind
        if refs:
            found, missing = self._lookup(owner, kind, items, refs)
            if not found:
                numbers = ", ".join(i.path for i in items[:15])
                text = (
                    f"แผนของ {display} หัวข้อ “{label(kind)}” ไม่มีข้อ "
                    f"{', '.join(missing)} ค่ะ\n"
                    + (f"ข้อที่มี: {numbers}" if numbers else "หัวข้อนี้ไม่ได้แบ่งเป็นข้อ")
                )
                return Reply(text, "item_absent", state, owner=owner, owner_name=display,
                             section=kind, section_label=label(kind), header=text,
                             quick_replies=self._section_taps(owner))
            blocks = [Block(item.path, _item_text(item)) for item in found]
            state.items = [item.path for item in found]
            header = f"{label(kind)} ของ {display}"
            footer = f"(ไม่พบข้อ {', '.join(missing)} ในหัวข้อนี้)" if missing else ""
        else:
            blocks = [Block("", p) for p in intro] + [
                Block(item.path, _item_text(item)) for item in items
            ]
            state.items = []
            header = f"{label(kind)} ของ {display}"
            footer = ""
        if heading and kind != "signature" and fold(heading).split("(")[0].strip() != fold(label(kind)):
            header += f"\n(หัวข้อในแผน: {heading})"
        reply = Reply("", "answer", state, owner=owner, owner_name=display, section=kind,
                      section_label=label(kind), items=list(state.items), header=header,
                      blocks=blocks, footer=footer, quick_replies=self._section_taps(owner, kind))
        reply.sources = [
            {"owner": owner, "section": kind, "item": b.label, "score": 1.0} for b in blocks
        ]
        reply.text = reply.render()
        return reply

    def _lookup(self, owner, kind, items, refs):
        found, missing = [], []
        for ref in refs:
            matches = []
            if ref.container is not None:
                container = self.store.plan(owner).strategic_issue(ref.container[1])
                pool = [c for c in container.children if c.kind == kind] if container else []
                matches = [c for c in pool if c.number == ref.number or ref.number == "*"]
            else:
                pool = [i for item in items for i in item.walk() if i.kind == kind]
                if ref.number == "last":
                    matches = items[-1:]
                else:
                    matches = [i for i in pool if i.path == ref.number or (
                        "/" in i.path and i.number == ref.number)]
            seen_text = set()
            for match in matches:
                if match.text not in seen_text and match not in found:
                    seen_text.add(match.text)
                    found.append(match)
            if not matches:
                missing.append(ref.number if ref.container is None else
                               f"{label(ref.container[0])}ที่ {ref.container[1]}"
                               + (f" / {ref.number}" if ref.number != "*" else ""))
        return found, missing

    # --- retrieval ------------------------------------------------------------------------------

    def _topic(self, state: State, q: Question, owner: str | None, fallback: bool = True):
        """Passages about the question's topic words; don't-know (or None) when none cover it."""
        hits = self._ranked(q.terms, owner, {q.kind} if q.kind else None)
        if not hits:
            return self._dont_know(state) if fallback else None
        best_coverage, best = hits[0][2], hits[0][1]
        chosen = [hits[0][:2]]
        for passage, score, coverage in hits[1:]:
            if len(chosen) >= MAX_TOPIC_PASSAGES:
                break
            if coverage >= best_coverage - 0.01 and score >= best * 0.6:
                chosen.append((passage, score))
        top = chosen[0][0]
        state.owner, state.section, state.items = top.owner, top.section, [top.item]
        state.pending_section, state.pending_items = None, []
        blocks = []
        for passage, _ in chosen:
            where = f"{self.owners[passage.owner].display} · "
            if "/" in passage.item:
                where += passage.item
            else:
                where += self._section_title(passage)
                where += f" ข้อ {passage.item}" if passage.item else ""
            blocks.append(Block(where, passage.text, passage=True))
        header = "ข้อความในแผนที่ตรงกับคำถามมากที่สุดค่ะ"
        reply = Reply("", "answer", state, owner=top.owner,
                      owner_name=self.owners[top.owner].display, section=top.section,
                      section_label=_section_name(top.section), items=[top.item] if top.item else [],
                      header=header, blocks=blocks,
                      quick_replies=self._section_taps(top.owner))
        reply.sources = [
            {"owner": p.owner, "section": p.section, "item": p.item, "score": round(float(s), 4)}
            for p, s in chosen
        ]
        reply.text = reply.render()
        return reply

    def _section_title(self, passage: Passage) -> str:
        """The section's Thai name; a section the table doesn't know goes by its own heading."""
        if passage.section in KINDS:
            return label(passage.section)
        sections = self.store.plan(passage.owner).sections
        if 0 <= passage.section_seq < len(sections) and sections[passage.section_seq].heading:
            return sections[passage.section_seq].heading
        return _section_name(passage.section)

    def _ranked(self, terms: list[str], owner: str | None, kinds) -> list[tuple]:
        """[(passage, score, coverage)] that cover enough of the question, best first.

        BM25 favours short passages; a passage holding all the question's words beats one that
        holds its commonest word, so the top BM25 hits are re-ordered by coverage first.
        """
        hits = self.passages.search(terms, owner=owner, kinds=kinds, top=TOPIC_POOL)
        scored = [(p, s, self.passages.coverage(terms, p)) for p, s in hits]
        scored = [h for h in scored if h[2] >= MIN_COVERAGE]
        scored.sort(key=lambda h: (-round(h[2], 2), -h[1], h[0].id))
        return scored

    # --- replies that are not quotes -----------------------------------------------------------

    def _overview(self, state: State, owner: str) -> Reply:
        state.owner, state.section, state.items = owner, None, []
        state.pending_section, state.pending_items = None, []
        display = self.owners[owner].display
        kinds = ", ".join(label(k) for k in self._kinds_of(owner))
        text = (
            f"เลือก {display} แล้วค่ะ ({self.owners[owner].office})\n"
            f"หัวข้อที่มีในแผนนี้: {kinds}\nแตะหัวข้อด้านล่าง หรือพิมพ์ถามได้เลยค่ะ"
        )
        return Reply(text, "owner_chosen", state, owner=owner, owner_name=display, header=text,
                     quick_replies=self._section_taps(owner))

    def _owner_list(self, state: State, mode: str) -> Reply:
        names = [self.owners[o].display for o in self.order]
        shown = "\n".join(f"{n}. {name}" for n, name in enumerate(names[:30], 1))
        more = f"\n(และอีก {len(names) - 30} แผน พิมพ์ชื่อหน่วยงานได้เลยค่ะ)" if len(names) > 30 else ""
        lead = "เลือกหน่วยงานที่ต้องการได้เลยค่ะ" if mode == "choose" else "แผนที่บอทมีตอนนี้ค่ะ"
        text = f"{lead}\n{shown}{more}"
        taps = [QuickReply(_fit(self.owners[o].display), f"เลือกเขต {self.owners[o].display}")
                for o in self.order[:MAX_QUICK_REPLIES]]
        return Reply(text, "owner_list", state, header=text, quick_replies=taps)

    def _which_owner(self, state: State, kind: str | None, refs: list[ItemRef], among=None) -> Reply:
        among = among or self.order
        state.pending_section = kind
        state.pending_items = [r.number for r in refs if r.container is None]
        names = [self.owners[o].display for o in among]
        what = f"หัวข้อ “{label(kind)}” มีในแผนของหลายหน่วยงาน" if kind else "ชื่อนี้ตรงกับหลายหน่วยงาน"
        listing = "\n".join(f"{n}. {name}" for n, name in enumerate(names[:30], 1))
        text = f"{what}ค่ะ ต้องการของหน่วยงานไหนคะ\n{listing}"
        prefix = f"{short_label(kind)} " if kind else "เลือกเขต "
        taps = [QuickReply(_fit(self.owners[o].display), f"{prefix}{self.owners[o].display}")
                for o in among[:MAX_QUICK_REPLIES]]
        return Reply(text, "which_owner", state, section=kind,
                     section_label=label(kind) if kind else None, header=text, quick_replies=taps)

    def _ask_section(self, state: State, owner: str | None, refs: list[ItemRef]) -> Reply:
        target = f"ของ {self.owners[owner].display} " if owner else ""
        numbers = ", ".join(r.number for r in refs)
        text = (
            f"ต้องการข้อ {numbers} {target}ในหัวข้อไหนคะ เช่น “กลยุทธ์ข้อ {refs[0].number}” "
            f"หรือ “เป้าประสงค์ข้อ {refs[0].number}”"
        )
        return Reply(text, "dont_know", state, owner=owner, header=text,
                     quick_replies=self._section_taps(owner) if owner else self._starters())

    def _not_in_corpus(self, state: State, mention: str) -> Reply:
        names = [self.owners[o].display for o in self.order]
        listing = ", ".join(names[:10]) + (f" และอีก {len(names) - 10} แผน" if len(names) > 10 else "")
        text = (
            f"ขออภัยค่ะ ยังไม่มีแผนของ “{mention}” ในคลังแผนของบอท\n"
            f"แผนที่มีตอนนี้: {listing}\nพิมพ์ “เลือกเขต” เพื่อดูรายชื่อทั้งหมดค่ะ"
        )
        taps = [QuickReply(_fit(self.owners[o].display), f"เลือกเขต {self.owners[o].display}")
                for o in self.order[:MAX_QUICK_REPLIES]]
        return Reply(text, "not_in_corpus", state, header=text, quick_replies=taps)

    def _absent_everywhere(self, state: State, kind: str) -> Reply:
        text = f"ขออภัยค่ะ ยังไม่มีแผนใดในคลังที่มีหัวข้อ “{label(kind)}”"
        return Reply(text, "section_absent", state, section=kind, section_label=label(kind),
                     header=text, quick_replies=self._starters())

    def _dont_know(self, state: State) -> Reply:
        example = self.owners[self.order[0]].display if self.order else "สพม.13"
        text = (
            "ขออภัยค่ะ ไม่พบข้อความในแผนที่ตอบคำถามนี้ได้\n"
            f"ลองถาม เช่น “วิสัยทัศน์ {example}”, “กลยุทธ์ที่ 2 ของ {example}” "
            "หรือพิมพ์ “ช่วยเหลือ” เพื่อดูวิธีใช้ค่ะ"
        )
        return Reply(text, "dont_know", state, header=text, quick_replies=self._starters())

    def _help(self, state: State) -> Reply:
        kinds = ", ".join(label(k.kind) for k in KINDS.values() if k.kind != "signature")
        text = (
            "วิธีใช้บอทแผนค่ะ\n"
            "• พิมพ์หัวข้อ + ชื่อหน่วยงาน เช่น “วิสัยทัศน์ สพม.13”\n"
            "• ถามเป็นข้อ เช่น “กลยุทธ์ที่ 3 ของ สพป.แพร่ เขต 1”, “ข้อ 2”\n"
            "• ถามต่อได้ เช่น “แล้วพันธกิจล่ะ”, “ของลำปาง เขต 1 ล่ะ”\n"
            "• พิมพ์ “เลือกเขต” เพื่อเลือกหน่วยงาน\n"
            f"หัวข้อที่ถามได้: {kinds}"
        )
        return Reply(text, "help", state, header=text, quick_replies=self._starters())

    # --- quick replies --------------------------------------------------------------------------

    def _section_taps(self, owner: str | None, current: str | None = None) -> list[QuickReply]:
        if owner is None:
            return self._starters()
        display = self.owners[owner].display
        taps = [QuickReply(short_label(k), f"{short_label(k)} {display}")
                for k in self._kinds_of(owner) if k != current]
        taps = taps[: MAX_QUICK_REPLIES - 1]
        taps.append(QuickReply("เปลี่ยนเขต", "เปลี่ยนเขต"))
        return taps

    def _starters(self) -> list[QuickReply]:
        taps = [QuickReply(short_label(k), short_label(k)) for k in EXAMPLE_KINDS]
        taps += [QuickReply("เลือกเขต", "เลือกเขต"), QuickReply("ช่วยเหลือ", "ช่วยเหลือ")]
        return taps


def _item_text(item: Item, depth: int = 0) -> str:
    """An item's exact text, its body paragraphs and its sub-items, one per line."""
    lines = [item.text, *item.body]
    for child in item.children:
        if child.kind != item.kind:
            prefix = f"{short_label(child.kind)}ที่ {child.number}"
        else:
            prefix = child.number
        sub = _item_text(child, depth + 1).split("\n")
        lines.append(f"{'   ' * (depth + 1)}{prefix} {sub[0]}")
        lines.extend(sub[1:])
    return "\n".join(lines)


def _section_name(kind: str) -> str:
    return label(kind) if kind in KINDS else "ส่วนอื่นของแผน"


class EngineCache:
    """Keeps one Engine per process and swaps in a new one when the index file changes.

    The check is one `os.stat` per call (microseconds); the index is reopened only when
    `python -m index rebuild` has renamed a new file into place. A small index is loaded at
    once, so the next message is answered from it. A large one (national scale takes
    seconds to load) is loaded in a background thread while the old engine keeps answering,
    so no message waits past LINE's two seconds for it.
    """

    def __init__(self, db_path: str | Path, background_bytes: int = BACKGROUND_RELOAD_BYTES,
                 **engine_options):
        self.db_path = Path(db_path)
        self.options = engine_options
        self.background_bytes = background_bytes
        self._engine: Engine | None = None
        self._signature: tuple | None = None
        self._loading: tuple | None = None
        self._lock = threading.Lock()

    def _stat(self) -> tuple:
        st = os.stat(self.db_path)
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def get(self) -> Engine:
        """The engine for the index now on disk (the last good one if the file vanished)."""
        try:
            signature = self._stat()
        except OSError:
            if self._engine is not None:
                return self._engine
            raise
        if signature == self._signature:
            return self._engine
        if self._engine is not None and signature[2] >= self.background_bytes:
            with self._lock:
                if self._loading != signature:
                    self._loading = signature
                    threading.Thread(
                        target=self._load, args=(signature,), name="index-reload", daemon=True
                    ).start()
            return self._engine
        with self._lock:
            if signature != self._signature:
                self._engine = Engine(self.db_path, **self.options)
                self._signature = signature
        return self._engine

    def _load(self, signature: tuple) -> None:
        try:
            engine = Engine(self.db_path, **self.options)
        except Exception:  # a half-replaced or vanished file: keep answering from the old one
            logger.exception("index: reload failed; still answering from the previous index")
            with self._lock:
                self._loading = None
            return
        with self._lock:
            self._engine, self._signature, self._loading = engine, signature, None
        logger.info("index: new index loaded in the background")
