"""Which item of a plan fits a project: "โครงการรักการอ่าน สอดคล้องกับกลยุทธ์ไหน".

Every school project, PA agreement and SAR must say which strategies it serves, at several
levels at once ("สนองกลยุทธ์ สพฐ. ข้อ 2, กลยุทธ์ สพป.แพร่ เขต 1 ข้อ 1"). The rule
`alignment` answers with the best-fitting item or two of each plan in scope, each with its
number and exact text, and ends with a line ready to paste.

- Scope: the plans named; else the plan being discussed and the plans above it (`parent:`);
  else every plan (best owners first, at most `MAX_OWNERS`).
- Kind: the one asked for (กลยุทธ์, เป้าประสงค์, จุดเน้น, ยุทธศาสตร์, นโยบาย), default กลยุทธ์;
  a plan without it answers with its nearest kind (`SUBSTITUTES`: a national strategy's
  ยุทธศาสตร์ for a กลยุทธ์ question).
- Fit: the share of the project's topic weight (`bot.understand.align.concepts`, each weighed
  by its BM25 IDF) that an item's words cover: a synonym in the item counts whole, in the item
  it sits under (or the items under it) `IN_CONTEXT`, a word of the topic's broader area
  `IN_AREA`; an item about another target group only, or sharing only the project's group
  and nothing of its topic, counts half. Ties go to the item BM25 scores higher for all these words. An item fits well
  from `FIT_WELL`: of the thresholds tried on `tests/alignment.yaml` (0.15 to 0.5), 0.4 gave
  the best mean of the two accuracies that pull apart (the item cited where one fits, "nothing
  fits well" where none does). When nothing fits well the reply says so plainly, and shows the
  closest item, marked as a partial fit, from `FIT_CLOSE`.
"""

from __future__ import annotations

import dataclasses
import re
import weakref
from dataclasses import dataclass
from functools import lru_cache, partial

from bot import lookup, memory, quote, stated, tables, wording
from bot.catalog import Catalog
from bot.reply import Block, QuickReply, Reply, State
from bot.understand import ItemRef
from bot.understand.align import (
    ASKER,
    FIT,
    PROJECT,
    Concept,
    asked_kinds,
    asker_not_owner,
    concepts,
    generic,
    group_rows,
    groups_in,
    mentions,
    purposes,
    target_groups,
)
from bot.understand.align import project_text as frame_removed
from bot.understand.tables import OF_LEVEL
from index.headings import short_label
from index.model import Item
from index.text import fold, fold_clean
from index.tokenize import tokenize
from index.tree import dotted_number, issue_of
from index.vocab import LEVEL_ALONE

DEFAULT_KIND = "strategy"
#: The kind a plan answers with when it lacks the one asked for, nearest first.
SUBSTITUTES = {
    "strategy": ("strategic_issue", "guideline", "goal"),
    "strategic_issue": ("strategy", "goal"),
    "goal": ("strategic_issue", "strategy"),
    "focus": ("strategy", "goal"),
    "policy": ("strategy", "strategic_issue", "focus"),
    "guideline": ("strategy", "strategic_issue"),
    "indicator": ("goal", "focus"),
    "mission": ("goal", "strategy"),
}
#: Kinds written as steps, not aims: answering for another kind, such an item counts only the
#: project's own words (a guideline about learners' learning plans does not cover a health
#: project), and no item of it is offered for the project's group alone.
NARROW_KINDS = frozenset({"guideline", "indicator"})
#: The kinds a project is said to serve ("สนองกลยุทธ์…"): "เป้าประสงค์ล่ะ" after an alignment
#: answer asks for the same project; "วิสัยทัศน์ล่ะ" does not.
ALIGNED_KINDS = frozenset({"strategy", "strategic_issue", "goal", "focus", "policy"})
FIT_WELL = 0.4  # share of the project's topic weight an item must cover to fit well
FIT_CLOSE = 0.25  # shown as the closest item, said to fit only partly
SECOND_WITHIN = 0.15  # a second item is shown when it fits nearly as well as the first
IN_CONTEXT = 0.6  # a word in the item above (or below) counts this much
IN_AREA = 0.5  # a word of the topic's broader area in the item
AREA_IN_CONTEXT = 0.4
UNKNOWN_WEIGHT = 0.5  # a concept no plan mentions, as a share of the rarest word's weight
OTHER_GROUP = 0.5  # an item about another group only (teachers, for a students' project)
MAX_PER_OWNER = 2
#: "ข้อ 2" names an item by its number; "อันที่ 2" or "2" by its place in the answer.
ITEM_NUMBER_WORD = re.compile(r"ข้อ(?:ที่)?\s*\d")
#: "ทุกระดับ", "ทุกหน่วยงาน": the plan named and every plan above it.
EVERY_LEVEL = re.compile(r"ทุก\s*(?:ระดับ|หน่วยงาน|แผน)")
#: A question opening with a number of the list shown ("ข้อ 1 สอดคล้องกับ…", "โครงการที่ 1…",
#: "อันที่ 1"), not with a section's item ("กลยุทธ์ที่ 1 …").
LISTED_NUMBER = re.compile(r"\s*(?:ข้อ(?:ที่)?|อัน(?:ที่)?|โครงการ(?:ที่)?|ลำดับที่)\s*(\d+)(?![\d.])")
MAX_NAMED_PLANS = 3  # "nothing fits" names the plans weighed, when this few
MAX_OWNERS = 5  # owners shown when every plan is in scope (LINE: a reply stays short)
OWNER_POOL = 12  # owners whose plans are weighed when every plan is in scope
GLOBAL_POOL = 60  # BM25 hits that choose those owners


@dataclass(frozen=True)
class Entry:
    """An item of a plan as alignment weighs it: where it is, its text and its context."""

    seq: int  # section's place in the plan
    item: Item
    parent: Item | None
    text: str  # folded item text with its body
    context: str  # folded text of the item above and the items below


@dataclass
class Fit:
    """How well one item fits the project."""

    entry: Entry
    fit: float
    score: float  # BM25 over every word of the project's concepts, for ties
    by_group: bool = False  # offered for whom it is about, not for the project's topic
    stated: str = ""  # the plan's own project row that names this item ("สนองกลยุทธ์: 4")

    @property
    def well(self) -> bool:
        return self.fit >= FIT_WELL

    @property
    def offered(self) -> bool:
        """Shown as an item to cite: it fits well, or it is the plan's item for the group."""
        return self.well or self.by_group


@dataclass
class OwnerFits:
    """One plan's items that fit, best first (only those to show)."""

    owner: str
    kind: str | None  # the kind answered with; None when the plan has none near the asked one
    fits: list[Fit]


def alignment(catalog: Catalog, t) -> Reply | None:
    """"โครงการรักการอ่าน สอดคล้องกับกลยุทธ์ไหน": the items of each plan in scope that fit."""
    q = t.q
    if q.intent != "align":
        return None
    text = q.rest
    kinds = asked_kinds(q.text) or [q.kind or DEFAULT_KIND]
    named = list(q.owners) + [o for group in q.others for o in group[:1] if o not in q.owners]
    if len(named) == 1 and EVERY_LEVEL.search(q.text):  # "รร.X … ทุกระดับ": it and those above
        named = catalog.chain(named[0])
    unloaded = None
    if q.unknown_owner:
        if not (q.school and asker_not_owner(q.unknown_owner, q.text)):
            # an office or plan that is not loaded: what a loaded plan's project says of it,
            # else the not-in-corpus rule says so
            said = _said_of_unloaded(catalog, t.state, q.unknown_owner, text, kinds[0])
            project = "" if concepts(frame_removed(text)) else _project_in_view(catalog, t)
            if said is None and project:
                # "สอดคล้องกับยุทธศาสตร์ชาติด้านไหน" right after a project, "ข้อ 4 สอดคล้อง
                # กับ…" after a project list: that project's
                said = _said_of_unloaded(catalog, t.state, q.unknown_owner, project, kinds[0])
            if said is not None or not (q.school and named):
                return said
            # "โครงการ…ของ รร.X สอดคล้องกับกลยุทธ์ไหนของ สพฐ.": the project's school is not
            # loaded, the plan asked about is; that plan is weighed, and the school's said
            unloaded = q.unknown_owner
        else:
            text = q.text  # "โรงเรียนจะทำโครงการ…" is the asker, not a school's name
    if not concepts(frame_removed(text)):  # no topic of its own: an item, or the project
        return _no_topic(catalog, t, kinds[0], named)
    owners, own = _scope(catalog, named, t.state)  # "ของ สพป.ลำปาง เขต 1 และ สพม.13": both
    rows = _asked_rows(catalog, t, frame_removed(text), named, owners, own)
    if owners is None and (which := _which_project(catalog, t.state, rows, q.text)):
        return which
    reply = _aligned(catalog, t.state, text, kinds[0], owners, own, level=bool(q.level),
                     rows=rows)
    if unloaded is not None and reply.kind == "answer":
        reply.footer = "\n".join(filter(None, [reply.footer, wording.plan_not_loaded(unloaded)]))
        reply.text = reply.render()
    return _levels_not_weighed(catalog, q.text, reply)


def _no_topic(catalog: Catalog, t, kind: str, named: list[str]) -> Reply | None:
    """An alignment question with no topic of its own: a project or item picked by its number,
    the item or project just shown, or the project just weighed; else what is it about?"""
    q = t.q
    listed = _listed_project(catalog, t)
    if listed is not None:  # "ข้อ 1 สอดคล้องกับกลยุทธ์ไหน" after a plan's projects
        owner, row = listed
        return _aligned(catalog, t.state, fold(row.item.text), kind, named or None,
                        owner, rows=[row])
    if q.refs and not PROJECT.search(q.text):
        # "กลยุทธ์ที่ 2 ของ รร.X สอดคล้องกับกลยุทธ์ไหนของ สพม.Y": that item, weighed there;
        # "ตัวชี้วัดข้อ 3 อยู่ในยุทธศาสตร์ไหน": that item, quoted where it sits
        aligned = _item_aligned(catalog, t, kind, named)
        if aligned is not None or any(r.kind for r in q.refs):
            return aligned
    if _this_item(t):
        return None  # "ตัวชี้วัดนี้อยู่ในยุทธศาสตร์ไหน": the item shown, where it sits
    shown = tables.shown_project(catalog, t.state)
    if shown and not t.state.project:  # "สนองกลยุทธ์ไหน" right after a project was shown
        owners, own = _scope(catalog, named, t.state)
        return _aligned(catalog, t.state, fold(shown), kind, owners, own)
    if not t.state.project:
        return _ask_topic(catalog, t.state, kind)
    # "แล้วสอดคล้องกับกลยุทธ์ สพฐ. ข้อไหน": the project just weighed, in the plans named
    return _again(catalog, t, t.state.project, kind, named)


def _project_in_view(catalog: Catalog, t) -> str:
    """The project a question with no topic is about: one picked by its number from the list
    just shown, else the one just weighed or shown; "" when none."""
    listed = _listed_project(catalog, t)
    if listed is not None:
        return fold(listed[1].item.text)
    return _project_on_screen(catalog, t.state)


def _project_on_screen(catalog: Catalog, state: State) -> str:
    """The project just weighed, else the one project just shown; "" when none."""
    return state.project or fold(tables.shown_project(catalog, state))


def _asked_rows(catalog: Catalog, t, project: str, named: list[str], owners: list[str] | None,
                own: str | None) -> list[tables.Row]:
    """The plans' rows of the project asked about (`_project_rows`); for the asker's own
    project ("ผมจะทำโครงการ…") only their school's, if it lists it: another school's project
    of the same name is not the asker's, and what it serves is not what the plan says of
    the asker's."""
    rows = _project_rows(catalog, project, owners, (own, t.state.owner))
    if ASKER.search(t.q.text):
        schools = [o for o in (*named, t.state.owner)
                   if o in catalog.owners and catalog.owners[o].kind == "school"]
        rows = [r for r in rows if r.owner in schools[:1]]
    return rows


def _lines_stating(catalog: Catalog, owner: str, kind: str, item: Item) -> list[str]:
    """The plan's lines of text that open by naming `item` and say what it serves
    ("กลยุทธ์ที่ 4 ของ สพม.X สอดคล้องกับยุทธศาสตร์ที่ 1 และ 3 ของ สพฐ. และ…")."""
    number = item.printed or item.number
    opening = re.compile(rf"{re.escape(short_label(kind))}\s*(?:ที่)?\s*{re.escape(number)}(?![\d.])")
    return [line for section in catalog.plan(owner).sections for line in section.intro
            if opening.match(folded := fold_clean(line)) and FIT.search(folded)]


def _listed_project(catalog: Catalog, t) -> tuple[str, tables.Row] | None:
    """(plan, row) of the project a bare number picks from the plan's projects just shown
    ("ข้อ 1", "โครงการที่ 1"), or None."""
    q, state = t.q, t.state
    number = LISTED_NUMBER.match(q.text)
    if (number is None or len(q.refs) > 1 or q.owners or state.section != "project"
            or state.owner not in catalog.owners):
        return None
    view = catalog.view(state.owner, "project")
    if view is None:
        return None
    found, _ = lookup.find_items(catalog, state.owner, "project", view.items,
                                 [ItemRef("project", number.group(1))])
    if len(found) != 1:
        return None
    return state.owner, tables.Row(state.owner, 0, view.heading, found[0])


def _item_aligned(catalog: Catalog, t, kind: str, named: list[str]) -> Reply | None:
    """An item of one plan asked of another ("กลยุทธ์ที่ 2 ของ รร.X สอดคล้องกับกลยุทธ์ไหนของ
    สพม.Y", "ข้อ 2 สอดคล้องกับกลยุทธ์เขตข้อไหน" after the school's strategies): what the
    item's plan says it serves there (a linkage table's cells), else the other plan's items
    its words fit, as for a project. None when the question names no other plan."""
    q, state = t.q, t.state
    if not FIT.search(q.text) or len(q.refs) != 1:
        return None
    if len(named) > 1:
        owner, targets = named[0], named[1:]
    elif named and state.owner in catalog.owners and state.owner != named[0]:
        owner, targets = state.owner, named
    else:
        return None
    ref = q.refs[0]
    # "ข้อ 2 สอดคล้องกับกลยุทธ์เขต…": an item of the list on screen (the section word is the
    # other plan's); "กลยุทธ์ที่ 4 สอดคล้องกับ สพฐ. ข้อไหน": the item of the kind typed
    item_kind = state.section if LISTED_NUMBER.match(q.text) and state.section else ref.kind
    view = catalog.view(owner, item_kind) if item_kind else None
    if view is None:
        return None
    found, _ = lookup.find_items(catalog, owner, item_kind, view.items,
                                 [ItemRef(item_kind, ref.number, ref.container)])
    if len(found) != 1:
        return None
    item = found[0]
    words = fold(" ".join([item.text, *item.body]))  # its own lines say what it is about
    said = _lines_stating(catalog, owner, item_kind, item)
    if said:  # "กลยุทธ์ที่ 4 ของ สพม.X สอดคล้องกับยุทธศาสตร์ที่ 1 และ 3 ของ สพฐ.": the plan's word
        item = dataclasses.replace(item, body=[*item.body, *said])
    rows = [tables.Row(owner, 0, view.heading, item)]
    subject = (f"{short_label(item_kind)}ที่ {wording.printed_label(item)} ของ "
               f"{catalog.display(owner)} (“{item.text}”)")
    return _aligned(catalog, state, words, kind, targets, owner, rows=rows, subject=subject)


def _levels_not_weighed(catalog: Catalog, question: str, reply: Reply) -> Reply:
    """"…ของโรงเรียน ของเขต และของ สพฐ." with no school or area office named or found: the
    answer says which levels it could not weigh and how to name them, not only สพฐ.'s."""
    answered = {catalog.owners[s["owner"]].kind for s in reply.sources if s.get("owner")
                in catalog.owners}
    missing = []
    for found in OF_LEVEL.finditer(question):
        kinds = LEVEL_ALONE[found.group(1)]
        having = [o for o in catalog.order if catalog.owners[o].kind in kinds]
        if having and not answered & set(kinds) and found.group(1) not in missing:
            missing.append(found.group(1))
    if not missing or reply.kind != "answer":
        return reply
    example = next(o for o in catalog.order if catalog.owners[o].kind in LEVEL_ALONE[missing[0]])
    reply.footer = "\n".join(filter(None, [reply.footer, wording.levels_not_named(
        missing, catalog.display(example))]))
    reply.text = reply.render()
    return reply


#: "ข้อนี้", "ตัวชี้วัดนี้": the item just shown.
THIS_ONE = re.compile(r"(?:ข้อ|อัน)?\s*นี้")
#: "อยู่ในยุทธศาสตร์ไหน": where the item just shown sits.
SITS_IN = re.compile(r"อยู่\s*(?:ใน|ภายใต้)")


def _this_item(t) -> bool:
    """Whether the question is about the items just shown, with no project: by their kind and
    "นี้" ("ตัวชี้วัดนี้อยู่ในยุทธศาสตร์ไหน"), or asking only where they sit ("อยู่ใน
    ยุทธศาสตร์ไหน"). They become the turn's items, to be quoted where they sit."""
    q, state = t.q, t.state
    if not (state.items and state.section and state.owner) or PROJECT.search(q.text):
        return False
    named = q.kind == state.section and THIS_ONE.search(q.text)
    where = (q.kind in (None, "strategic_issue", state.section) and SITS_IN.search(q.text)
             and all("/" in path for path in state.items))  # a flat list's item sits nowhere
    if not (named or where) or (q.owners and q.owners[0] != state.owner):
        return False
    t.kind = state.section
    t.refs = [ItemRef(state.section, path) for path in state.items]
    t.owner = t.owner or state.owner
    return True


def rows_of_project(catalog: Catalog, state: State) -> list[tables.Row]:
    """The rows of the project the last alignment answer weighed, in the plans that list it
    (as that answer found them); [] when none does or no project was weighed."""
    if not state.project:
        return []
    return _project_rows(catalog, frame_removed(state.project), list(state.scope) or None,
                         (state.owner,))


def _said_of_unloaded(catalog: Catalog, state: State, name: str, text: str,
                      kind: str) -> Reply | None:
    """"โครงการคณิตคิดสนุก สอดคล้องกับกลยุทธ์ไหนของ สพฐ." when สพฐ.'s plan is not loaded:
    the project's own lines that name it ("สพฐ.: ยุทธศาสตร์ที่ 2"), quoted as its plan's
    word under a plain note that the plan itself is not here; None when no project the
    words name says anything of it."""
    wanted = fold_clean(name).rstrip(". ")
    rows = _project_rows(catalog, frame_removed(text), None, (state.owner,))
    said = [(row, line) for row in rows for line in _lines_naming(row.item, wanted)]
    if len(wanted) < 3 or not said:
        return None
    blocks = [Block(f"{catalog.display(row.owner)} · {short_label('project')} ข้อ {row.item.path}",
                    f"{row.item.text}\n{line}", passage=True) for row, line in said]
    row = said[0][0]
    memory.quoted(state, row.owner, kind, [])  # no line to paste: its plan is not here
    state.project = text  # "แล้วของเขตล่ะ" next: the same project, of the kind asked
    # "ที่มาของข้อมูลนี้" next: the project rows quoted
    memory.listed(state, memory.ALIGNED, [f"{r.owner}\tproject\t{r.item.path}" for r, _ in said])
    reply = Reply("", "answer", state, owner=row.owner, owner_name=catalog.display(row.owner),
                  section="project", header=wording.only_mentioned(name), blocks=blocks,
                  quick_replies=wording.section_taps(catalog, row.owner))
    reply.sources = [{"owner": r.owner, "section": "project", "item": r.item.path, "score": 1.0}
                     for r, _ in said]
    reply.text = reply.render()
    return reply


def _lines_naming(item: Item, wanted: str) -> list[str]:
    """A project's cells ("column: value") and body lines that name `wanted` (folded)."""
    lines = [f"{column}: {value}" for column, value in item.cells.items()
             if value != item.text and wanted in fold_clean(f"{column} {value}")]
    return lines + [line for line in item.body if wanted in fold_clean(line)]


def _which_project(catalog: Catalog, state: State, rows: list[tables.Row],
                   question: str) -> Reply | None:
    """With no plan named or discussed, a project that several schools' plans list (`rows`),
    each saying what it serves: whose? (their statements differ; one copy line must not mix
    two schools). The school picked gets the question again."""
    sources = [r.owner for r in rows if stated.links(catalog, r)]
    if len(sources) < 2:
        return None
    memory.asked_which_owner_for_table(state, question)
    memory.listed(state, "owner", sources)
    lead = (f"โครงการนี้มีในแผนของ {len(sources)} หน่วยงาน และแต่ละแผนระบุความสอดคล้องไว้เอง "
            "ต้องการตามแผนของหน่วยงานไหนคะ")
    return wording.list_page(catalog, state, lead, sources, 0, "which_owner", f"{question} ")


def _aligned(catalog: Catalog, state: State, text: str, kind: str, owners: list[str] | None,
             own: str | None, scope: list[str] | None = None, level: bool = False,
             rows: list[tables.Row] | None = None, subject: str = "") -> Reply:
    """The answer for the project `text` (the question's folded words) in the plans given.
    `scope`: the plans its follow-ups weigh, when not `owners` (`_kept_scope`). `level`: the
    plans were named by a level word ("ของเขต"): of those, the ones the project's plan names.
    `rows`: the project's rows in the plans (`_project_rows`), when the caller found them.
    `subject`: what is weighed when it is a plan's item, not a project ("กลยุทธ์ที่ 2 ของ…")."""
    project = frame_removed(text)
    topic = concepts(project)
    if rows is None:
        rows = _project_rows(catalog, project, owners, (own, state.owner))
    said = [link for row in rows for link in stated.links(catalog, row)  # not misprints
            if _cited(catalog, link.owner, link.kind, link.numbers, at_all=True) is not None]
    if said and owners is None:  # the plans that list the project, and those they name
        owners = list(dict.fromkeys([o for link in said for o in catalog.chain(link.source)]
                                    + [link.owner for link in said]))
    elif said:  # the school named, whose project names its office's strategy too
        owners = list(dict.fromkeys(owners + [link.owner for link in said
                                              if link.source in owners]))
        if level:  # "ยุทธศาสตร์ของเขต": the area office the school's plan names, not every one
            named = {}
            for link in said:
                named.setdefault(_level_of(catalog, link.owner), set()).add(link.owner)
            owners = [o for o in owners
                      if o in named.get(_level_of(catalog, o), {o})] or owners
    within = {}  # "สอดคล้องกับประเด็นยุทธศาสตร์ที่ 1": its strategies, for a กลยุทธ์ asked
    for link in said:
        within.setdefault(link.owner, set()).update((link.kind, n) for n in link.numbers)
    results = [_as_stated(catalog, r, said) or r
               for r in rank(catalog, topic, kind, owners, purposes(text), within)]
    reply = _reply(catalog, state, topic, kind, results, own, said, subject)
    fits = [(r, f) for r in results for f in r.fits]
    offered = [(r, f) for r, f in fits if f.offered] or fits[:1]  # else the closest, quoted
    shown = [f"{r.owner}\t{r.kind}\t{f.entry.item.path}" for r, f in offered]
    memory.aligned(state, own if own is not None else state.owner, kind, text,
                   owners if scope is None else scope, shown)
    return reply


def _again(catalog: Catalog, t, text: str, kind: str, named: list[str]) -> Reply:
    """A follow-up's project (the one just weighed, or another) in the plans it names, else in
    the conversation's. A level word meaning several plans ("แล้วของเขตล่ะ" with no area office
    in the conversation) asks which first; the office chosen gets the alignment."""
    state = t.state
    if t.q.level and len(named) > 1:
        reply = wording.which_owner(catalog, state, kind, [], among=named)
        memory.waits_for(reply.state, "align")
        return reply
    owners = named or list(state.scope) or None
    own = named[0] if named else state.owner
    return _aligned(catalog, state, text, kind, owners, own, _kept_scope(state, named))


def _kept_scope(state: State, named: list[str]) -> list[str] | None:
    """Plans among those weighed ("แล้วของเขตล่ะ", "ยุทธศาสตร์ชาติข้อไหน"; every plan, when
    none was named) leave the conversation's plans as they were: the next project is weighed
    in all of them again."""
    if named and (not state.scope or set(named) <= set(state.scope)):
        return list(state.scope)
    return None


def follow_up(catalog: Catalog, t) -> Reply | None:
    """After an alignment answer, the same project: "แล้วของ สพป.แพร่ เขต 1 ล่ะ" (that plan;
    one not loaded: what the project's own lines say of it),
    "เป้าประสงค์ล่ะ" (that section), "ข้อ 2" / "อันที่ 2" (an item shown), "ที่มาของข้อมูลนี้"
    (the plans and items the answer quoted)."""
    q, state = t.q, t.state
    project = _project_on_screen(catalog, state)
    if (project and q.unknown_owner and (q.follow_up or WHICH_ALONE.match(q.rest))
            and not (q.terms or q.refs or q.intent)):
        # "แล้วของ สพฐ. ล่ะ", "ยุทธศาสตร์ชาติข้อไหน", a plan not loaded: what the project says
        # of it; else that it says nothing of it (not other plans' mentions of that plan)
        kind = state.section if state.project and state.section else DEFAULT_KIND
        said = _said_of_unloaded(catalog, state, q.unknown_owner, project, kind)
        if said is not None:
            return said
        reply = wording.not_in_corpus(catalog, state, q.unknown_owner)
        reply.text = reply.header = f"{reply.header}\n{wording.project_says_nothing_of(q.unknown_owner)}"
        return reply
    if not state.project or q.unknown_owner or q.others or q.intent not in (None, "source"):
        return None
    shown = [e.split("\t") for e in state.listed] if state.listed_kind == memory.ALIGNED else []
    if shown and PASTE.search(q.text) and not q.owners and not q.kind:
        return _paste_again(catalog, state, shown)
    if q.intent == "source":
        if q.owners:
            return None
        return _sources(catalog, state, shown) if shown else _nothing_quoted(catalog, state)
    if q.kind and q.kind not in ALIGNED_KINDS:
        return None  # "วิสัยทัศน์ล่ะ" is a question of its own
    kind = q.kind or state.section or DEFAULT_KIND
    if q.terms:  # "แล้วโครงการซ้อมหนีไฟล่ะ": another project, the same question
        another = (q.follow_up and not q.refs and PROJECT.search(q.text)
                   and concepts(frame_removed(q.rest)))  # not "โครงการที่ 1 ล่ะ": no topic
        return _again(catalog, t, q.rest, kind, list(q.owners)) if another else None
    if q.refs:
        if q.owners or q.kind or len(q.refs) != 1 or q.refs[0].kind or q.refs[0].container:
            return None
        if not shown:
            return None
        by_number = ITEM_NUMBER_WORD.search(q.text) is not None
        return _pick(catalog, state, shown, q.refs[0].number, by_number)
    if not (q.owners or q.kind) or (q.owners and q.kind and not q.follow_up):
        return None  # "กลยุทธ์ สพป.แพร่ เขต 1" is a question of its own; "แล้ว…ล่ะ" is not
    return _again(catalog, t, state.project, kind, list(q.owners))


#: A question left with only "which" once its plan is read off: "(ยุทธศาสตร์ชาติ) ข้อไหน".
WHICH_ALONE = re.compile(r"\s*(?:ข้อ|ด้าน|ประเด็น)?\s*(?:ไหน|ใด|อะไร)\s*(?:บ้าง)?\s*"
                         r"(?:ครับ|คับ|ค่ะ|คะ|จ้ะ|จ้า|นะ)*\s*\??\s*$")
#: "ขอพร้อมคัดลอก", "ขอแบบคัดลอกอีกที": the line to paste, again, alone.
PASTE = re.compile(r"คัดลอก|ก๊อป|ก็อป|copy", re.IGNORECASE)


def _paste_again(catalog: Catalog, state: State, shown: list[list[str]]) -> Reply:
    """The line to paste of the last alignment answer, alone (to copy it whole in LINE)."""
    offered = []
    for owner, kind, path in shown:
        entry = next((e for e in _entries(catalog, owner, kind) if e.item.path == path), None)
        if entry is not None:
            offered.append((OwnerFits(owner, kind, []), Fit(entry, 1.0, 0.0)))
    if not offered:
        return _nothing_quoted(catalog, state)
    text = "\n".join(_copy_lines(catalog, offered)).replace("พร้อมคัดลอก: ", "", 1)
    return Reply(text, "answer", state, owner=offered[0][0].owner,
                 owner_name=catalog.display(offered[0][0].owner), header=text)


def _pick(catalog: Catalog, state: State, shown: list[list[str]], number: str,
          by_number: bool = False) -> Reply:
    """"อันที่ 2" / "2" after an alignment answer: the second item shown, quoted whole, as
    after any list; a number beyond them that names exactly one shown item is that item.
    "ข้อ 2" (`by_number`) is item 2 as the answer numbered them ("【สพม.13 · เป้าประสงค์ ข้อ
    1】", "ข้อ 3"): the shown item numbered 2, else item 2 of the one section shown (of the
    issue the items shown sit in, when they sit in one)."""
    named = [e for e in shown if e[2].rsplit(" ", 1)[-1] == number]
    sections = {(e[0], e[1]) for e in shown}
    if by_number and len(named) == 1:
        picked = named
    elif by_number and not named and len(sections) == 1:
        owner, kind = sections.pop()
        issue = issue_of(e[2] for e in shown)
        inside = ("strategic_issue", issue) if issue is not None else None
        return quote.section(catalog, state, owner, kind, [ItemRef(kind, number, inside)])
    else:
        place = len(shown) if number == "last" else int(number) if number.isdigit() else 0
        picked = [shown[place - 1]] if 1 <= place <= len(shown) else named
    if len(picked) != 1:
        return wording.not_in_list(catalog, state, number, len(shown))
    owner, kind, path = picked[0]
    return quote.section(catalog, state, owner, kind, [ItemRef(kind, path)])


def _nothing_quoted(catalog: Catalog, state: State) -> Reply:
    """"ที่มาของข้อมูลนี้" after "nothing fits": no plan's words were quoted; where it looked."""
    weighed = [o for o in state.scope if o in catalog.owners]
    where = ", ".join(catalog.display(o) for o in weighed[:MAX_NAMED_PLANS]) or "ทุกแผนในคลัง"
    more = f" และอีก {len(weighed) - MAX_NAMED_PLANS} แผน" if len(weighed) > MAX_NAMED_PLANS else ""
    text = (f"คำตอบก่อนหน้าไม่ได้ยกข้อความจากแผนใดค่ะ เพราะไม่พบข้อที่สอดคล้องกับโครงการ\n"
            f"แผนที่ค้น: {where}{more}")
    return Reply(text, "plan_source", state, header=text)


def _sources(catalog: Catalog, state: State, shown: list[list[str]]) -> Reply:
    """"ที่มาของข้อมูลนี้" after an alignment answer: each plan quoted, its items, its file."""
    lines = ["ข้อความที่บอทตอบมาจาก"]
    for owner in dict.fromkeys(e[0] for e in shown):
        record = catalog.owners[owner]
        items = ", ".join(f"{short_label(k)} ข้อ {p}" for o, k, p in shown if o == owner)
        line = f"• {record.display} ({record.office}): {items}"
        if record.source:
            line += f" · ไฟล์ในคลังแผน: {record.source}"
        lines.append(line)
    text = "\n".join(lines)
    return Reply(text, "plan_source", state, owner=shown[0][0],
                 owner_name=catalog.display(shown[0][0]), header=text)


def _scope(catalog: Catalog, named: list[str], state: State) -> tuple[list[str] | None, str | None]:
    """(owners in scope or None for every plan, the asker's own plan)."""
    if named:
        return list(named), named[0]
    if state.owner in catalog.owners:
        return catalog.chain(state.owner), state.owner
    return None, None


def rank(catalog: Catalog, topic: list[Concept], kind: str, owners: list[str] | None,
         purpose: list[tuple[str, ...]] = (), within: dict | None = None) -> list[OwnerFits]:
    """Each plan's best-fitting items of `kind` (or its nearest kind); every plan when
    `owners` is None, best plans first and those with nothing to show left out. `purpose`
    (`bot.understand.align.purposes`) chooses among items about the project's group.
    `within`: per plan, the (kind, number) of items the project is said to serve: of a
    plan's items nested in items of another kind, only those under one of them are weighed."""
    topic = prepared(catalog, topic)
    weights = _weights(catalog, topic)
    groups = target_groups(topic)
    words = sorted({t for c in topic for w in (*c.words, *c.area) for t in _terms(w)})
    scoped = owners is not None
    if owners is None:
        owners = _likely_owners(catalog, words, kind)
    results = []
    for owner in owners:
        chosen = answering_kind(catalog, owner, kind)
        if chosen is None:
            results.append(OwnerFits(owner, None, []))
            continue
        scores = {(p.section_seq, p.item): s for p, s in catalog.passages.search(
            words, owner=owner, kinds={chosen}, top=200)}
        substitute = chosen != kind and chosen in NARROW_KINDS
        fits = [Fit(e, _fit(topic, weights, groups, e, substitute),
                    scores.get((e.seq, e.item.path), 0.0))
                for e in _under(_entries(catalog, owner, chosen), (within or {}).get(owner))]
        results.append(OwnerFits(owner, chosen, _shown(fits, groups, purpose, substitute,
                                                       topic)))
    if not scoped:
        results = [r for r in results if r.fits]
        results.sort(key=lambda r: (-r.fits[0].fit, -r.fits[0].score))
        results = _as_a_chain(catalog, results[:MAX_OWNERS])
    return results


def _level_of(catalog: Catalog, owner: str) -> str:
    """The level of a plan as "ของเขต" names it: primary and secondary offices are one."""
    kind = catalog.owners[owner].kind
    return "area" if kind in ("spp", "spm") else kind


def _project_rows(catalog: Catalog, project: str, owners: list[str] | None,
                  own: tuple[str | None, ...]) -> list[tables.Row]:
    """The project the words asked name: the asker's own plan's, else one per plan that
    lists it, among the plans in scope, the asker's own and those whose projects BM25 ranks
    highest for the words (a school's project asked of OBEC's plan: the school says which
    of OBEC's items it serves). A plan listing several that fit names none for sure."""
    listing = catalog.owners_listing("project")
    candidates = [o for o in dict.fromkeys([*(owners or []), *own, *_likely_owners(
        catalog, tokenize(project), "project")]) if o in listing]
    rows = tables.match_projects(catalog, project, candidates) if candidates else []
    rows = [r for r in rows if r.owner in own] or rows
    return [r for r in rows if sum(o.owner == r.owner for o in rows) == 1]


def _as_stated(catalog: Catalog, result: OwnerFits, said: list[stated.Link]) -> OwnerFits | None:
    """The items the plan of the project asked about says it serves in this plan
    (`bot.stated`: its table's "สนองกลยุทธ์" cell, its "สอดคล้องกับกลยุทธ์ สพม.X ข้อ 3"
    line): the plan's word, not a fit weighed. None when it names none of the kind this plan
    answers with, or a number that is not one item of it (a misprint, not a citation)."""
    links = [link for link in said if link.owner == result.owner and link.kind == result.kind]
    links = [link for link in links if link.source == result.owner] or links  # its own word
    if len({link.source for link in links}) > 1:  # two plans say different things of it
        return None
    numbers = list(dict.fromkeys(n for link in links for n in link.numbers))
    cited = _cited(catalog, result.owner, result.kind, numbers) if numbers else None
    if cited is None:
        return None
    return OwnerFits(result.owner, result.kind,
                     [Fit(entry, 1.0, 0.0, stated=links[0].said) for entry in cited])


def _cited(catalog: Catalog, owner: str, kind: str, numbers,
           at_all: bool = False) -> list[Entry] | None:
    """The items of `kind` in `owner`'s plan the numbers name ("3" by path, "ยุทธศาสตร์ที่
    2 ข้อ 4" by its own number when only one has it, "2.1" by its issue's number and its
    own); None unless each names one item, or
    with `at_all`, one item at least ("กลยุทธ์ 1" of a plan whose every issue has one: the
    plan's words are quoted, but no item is cited for them)."""
    entries = _entries(catalog, owner, kind)
    cited = [[e for e in entries if e.item.path == n] or
             [e for e in entries if e.item.number == n] or
             [e for e in entries if dotted_number(e.item.path) == n] for n in numbers]
    if all(len(found) == 1 or (at_all and found) for found in cited):
        return [found[0] for found in cited]
    return None


def _under(entries: tuple[Entry, ...], stated: set | None) -> tuple[Entry, ...]:
    """The entries nested in an item the plan names for the project (an issue's strategies
    under "ประเด็นยุทธศาสตร์ที่ 1"); all of them when it names none they nest in."""
    if not stated:
        return entries
    kept = tuple(e for e in entries if e.parent is not None and e.parent.kind != e.item.kind
                 and (e.parent.kind, e.parent.number) in stated)
    return kept or entries


def _as_a_chain(catalog: Catalog, results: list[OwnerFits]) -> list[OwnerFits]:
    """Plans found by fit that are one plan and the plans above it (a school, its area
    office, OBEC) are shown in that order, as a proposal cites them; others as they came."""
    if len(results) < 2:
        return results
    chain = max((catalog.chain(r.owner) for r in results), key=len)
    if not all(r.owner in chain for r in results):
        return results
    return sorted(results, key=lambda r: chain.index(r.owner))


def answering_kind(catalog: Catalog, owner: str, kind: str) -> str | None:
    """The kind an owner's plan answers a question about `kind` with."""
    have = catalog.owners[owner].kinds
    return next((k for k in (kind, *SUBSTITUTES.get(kind, ())) if k in have), None)


def _likely_owners(catalog: Catalog, words: list[str], kind: str) -> list[str]:
    """The owners whose items of the kind (or its substitutes) BM25 ranks highest."""
    kinds = {kind, *SUBSTITUTES.get(kind, ())}
    owners: list[str] = []
    for passage, _ in catalog.passages.search(words, kinds=kinds, top=GLOBAL_POOL):
        if passage.owner not in owners:
            owners.append(passage.owner)
        if len(owners) == OWNER_POOL:
            break
    return owners


def prepared(catalog: Catalog, topic: list[Concept]) -> list[Concept]:
    """The topic with neighbouring words no plan uses joined into one concept: "ซ้อม หนี ไฟ"
    is one thing the plans don't mention, not three."""
    known = catalog.passages.idfs
    out: list[Concept] = []
    for concept in topic:
        unknown = concept.words == (concept.said,) and concept.said not in known
        if unknown and out and out[-1].words == (out[-1].said,) and out[-1].said not in known:
            joined = out[-1].said + concept.said
            out[-1] = Concept(joined, (joined,))
        else:
            out.append(concept)
    return out


def _weights(catalog: Catalog, topic: list[Concept]) -> list[float]:
    """Each concept's weight: the square root of the IDF of the words that name it (the
    question's own, else its synonyms'), so a common word such as ครู, which is what a plan's
    strategies are organised by, is not drowned by one rare word. A concept no plan mentions
    weighs `UNKNOWN_WEIGHT` of the rarest word."""
    index = catalog.passages
    weights = []
    for concept in topic:
        idfs = [index.idfs[t] for t in _terms(concept.said) if t in index.idfs]
        for words in (concept.words, concept.area):
            idfs = idfs or [index.idfs[t] for w in words for t in _terms(w) if t in index.idfs]
        weights.append(max(idfs) ** 0.5 if idfs else UNKNOWN_WEIGHT * index.max_idf ** 0.5)
    return weights


@lru_cache(maxsize=4096)
def _terms(word: str) -> tuple[str, ...]:
    """A word's index terms (the synonym table's words recur in every question)."""
    return tuple(tokenize(word))


def _fit(topic: list[Concept], weights: list[float], groups: list[tuple[str, ...]],
         entry: Entry, substitute: bool = False) -> float:
    """The share of the topic's weight the item covers, whom the project is for set aside
    (that is a filter, not a topic, unless it is all the project names); less for an item
    about another group only (a teachers' strategy for a students' project). An item of a
    narrow substitute kind (a guideline answering for a strategy, `NARROW_KINDS`) counts
    only the topic's own words: a broad area is not what a step is about."""
    pairs = [(c, w) for c, w in zip(topic, weights, strict=True) if not c.group]
    pairs = pairs or list(zip(topic, weights, strict=True))
    matched = [(c, w, w * _match(c, entry, not substitute)) for c, w in pairs]
    whole = sum(got if c.purpose else w for c, w, got in matched)  # a purpose missed is no loss
    if not whole:
        return 0.0
    share = sum(got for _, _, got in matched) / whole
    if share == 1 and not any(c.group for c in topic):
        return share  # the item says the project's very topic: whom it names is no matter
    return share * _group_factor(groups, entry)


def _group_factor(groups: list[tuple[str, ...]], entry: Entry) -> float:
    if not groups:
        return 1.0
    text = entry.text + "\n" + entry.context
    if any(mentions(w, text) for words in groups for w in words):
        return 1.0
    others = [words for words in group_rows() if words not in groups]
    if any(mentions(w, entry.text) for words in others for w in words):
        return OTHER_GROUP
    return 1.0


def _match(concept: Concept, entry: Entry, area: bool = True) -> float:
    """How much of one concept an item holds: 1 for its words, less for context or area."""
    if any(mentions(w, entry.text) for w in concept.words):
        return 1.0
    if any(mentions(w, entry.context) for w in concept.words):
        return IN_CONTEXT
    if not area:
        return 0.0
    if any(mentions(w, entry.text) for w in concept.area):
        return IN_AREA
    if any(mentions(w, entry.context) for w in concept.area):
        return AREA_IN_CONTEXT
    return 0.0


def _shown(fits: list[Fit], groups: list[tuple[str, ...]] = (),
           purpose: list[tuple[str, ...]] = (), substitute: bool = False,
           topic: list[Concept] = ()) -> list[Fit]:
    """The best fit (if close enough to show) and a second that fits nearly as well; when
    none fits well, the plan's item for the project's group (`_for_group`), unless the plan
    answers with a narrow substitute kind (guidelines are not written per group)."""
    def aims(fit: Fit) -> bool:  # a tie goes to the item doing what the project does
        return any(mentions(w, fit.entry.item.text) for words in purpose for w in words)

    fits.sort(key=lambda f: (-round(f.fit, 3), not aims(f), -f.score, f.entry.seq,
                             f.entry.item.line))
    people = generic(groups)
    if people and not substitute and not (fits and fits[0].well):
        closest = _for_group(fits, people, purpose)
        if closest is not None:
            closest.by_group = True
            return [closest]
    shown: list[Fit] = []
    for fit in fits:
        if len(shown) == MAX_PER_OWNER:
            break
        if not shown:
            if fit.fit < FIT_CLOSE:
                break
        elif not fit.well or fit.fit < shown[0].fit - SECOND_WITHIN:
            break
        elif fit.entry.text == shown[0].entry.text:  # the same words listed twice in the plan
            continue
        elif groups and _for_whom(shown[0], groups, topic) and not _for_whom(fit, groups, topic):
            continue  # the first is about the project's group, this one about no one's
        shown.append(fit)
    return shown


def _for_whom(fit: Fit, groups: list[tuple[str, ...]], topic: list[Concept] = ()) -> bool:
    """Whether the item names one of the project's groups, or a topic of theirs (PLC is the
    teachers' own: its area is ครู)."""
    text = fold(fit.entry.item.text)
    if any(mentions(w, text) for words in groups for w in words):
        return True
    return any(set(c.area) & set(words) and any(mentions(w, text) for w in c.words)
               for c in topic if not c.group for words in groups)


def _for_group(fits: list[Fit], groups: list[tuple[str, ...]],
               purpose: list[tuple[str, ...]]) -> Fit | None:
    """The item a careful teacher cites when no item is about the project's topic: the one
    about the project's group ("พัฒนาคุณภาพผู้เรียนทุกระดับทุกประเภท" for a students'
    project). An item whose own words name the group first beats one whose body does; then
    one with the project's purpose (developing, preventing, widening access); then the one
    naming fewest other groups; then the better fit, then the plan's order (`fits` comes
    sorted)."""
    best, best_key = None, None
    for fit in fits:
        named = groups_in(fit.entry.item.text)
        body = named or groups_in(fit.entry.text)
        if not body or not any(g in groups for g in body):
            continue
        aims = any(mentions(w, fit.entry.text) for words in purpose for w in words)
        key = (0 if named and named[0] in groups else 1 if named else 2, not aims, len(body))
        if best_key is None or key < best_key:
            best, best_key = fit, key
    return best


# --- the plans' items, as alignment reads them ---------------------------------------------

#: Per loaded index, a reader of its items that remembers a few hundred (owner, kind). The
#: reader holds its index only weakly: a value that held the key would keep every index a
#: reload left behind alive, and its entry here with it.
_ENTRIES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _entries(catalog: Catalog, owner: str, kind: str) -> tuple[Entry, ...]:
    """The items of one kind in an owner's plan (kept per loaded index, a few hundred plans)."""
    cached = _ENTRIES.get(catalog)
    if cached is None:
        cached = _ENTRIES[catalog] = lru_cache(maxsize=512)(
            partial(_read_entries_of, weakref.ref(catalog)))
    return cached(owner, kind)


def _read_entries_of(catalog: weakref.ref, owner: str, kind: str) -> tuple[Entry, ...]:
    return _read_entries(catalog(), owner, kind)


def _read_entries(catalog: Catalog, owner: str, kind: str) -> tuple[Entry, ...]:
    entries = []
    for seq, section in enumerate(catalog.plan(owner).sections):
        stack: list[tuple[Item, Item | None]] = [(item, None) for item in section.items]
        while stack:
            item, parent = stack.pop(0)
            stack.extend((child, item) for child in item.children)
            if item.kind != kind:
                continue
            around = ([parent.text] if parent else []) + [c.full_text() for c in item.children]
            entries.append(Entry(seq, item, parent, fold_clean(item.full_text()),
                                 fold_clean("\n".join(around))))
    return tuple(entries)


# --- the reply -------------------------------------------------------------------------------


def _reply(catalog: Catalog, state: State, topic: list[Concept], kind: str,
           results: list[OwnerFits], own: str | None, stated_links=(), subject: str = "") -> Reply:
    """The items that fit, grouped per plan, and the line to paste; or that nothing fits.
    `stated_links`: what the plan listing the project says it serves, quoted as a note.
    `subject`: a plan's item weighed instead of a project (`_aligned`)."""
    said = ", ".join(c.said for c in topic if not c.purpose) or ", ".join(c.said for c in topic)
    shown = [(r, f) for r in results for f in r.fits]
    offered = [(r, f) for r, f in shown if f.offered]
    if not offered:
        return _nothing_fits(catalog, state, said, kind, shown, [r.owner for r in results],
                             _statements(catalog, stated_links))
    # beside items a plan states, the others are marked as the bot's own weighing
    any_stated = any(f.stated for _, f in offered)
    by_words = " · เทียบจากถ้อยคำ" if any_stated or stated_links else ""
    blocks = [Block(_where(catalog, r, f) + (" · ใกล้เคียงที่สุด" if f.by_group else "")
                    + (" · ตามที่แผนระบุ" if f.stated else "" if f.by_group else by_words),
                    f.entry.item.text, passage=True) for r, f in offered]
    answered = {r.kind for r, _ in offered}  # a national plan answers with its ยุทธศาสตร์
    label = short_label(next(iter(answered)) if len(answered) == 1 else kind)
    if kind not in answered and len(answered) > 1:
        label = "ข้อ"  # each block names its own section
    if subject and any_stated:
        header = f"{label}ที่สอดคล้องกับ{subject}ค่ะ"
    elif subject and stated_links:  # the plan says, at another level: quoted below
        header = (f"{label}ที่เนื้อหาใกล้เคียงกับ{subject}มากที่สุดค่ะ (บอทเทียบจากถ้อยคำ "
                  "ส่วนที่แผนระบุไว้เองอยู่ท้ายคำตอบ)")
    elif subject:  # no plan says: the items its words fit, said to be a suggestion
        header = (f"แผนไม่ได้ระบุว่า{subject}สอดคล้องกับ{label}ข้อใด "
                  f"{label}ที่เนื้อหาใกล้เคียงที่สุดคือค่ะ (บอทเทียบจากถ้อยคำ)")
    elif any(f.well for _, f in offered):
        header = (f"{label}ที่สอดคล้องกับโครงการเรื่อง “{said}” มากที่สุดค่ะ "
                  "(เรียงจากที่ตรงที่สุด)")
    else:
        header = f"ยังไม่พบ{label}ที่พูดถึงเรื่อง “{said}” โดยตรงค่ะ ข้อที่ใกล้เคียงที่สุด:"
    if all(r.kind != kind for r in results) and kind != DEFAULT_KIND:  # no plan has goals
        header = (f"แผนที่ค้นไม่มีหัวข้อ “{short_label(kind)}” จึงตอบจากหัวข้อที่ใกล้เคียงค่ะ\n"
                  + header)
    notes = []
    if any(f.by_group for _, f in offered):
        whom = ", ".join(words[0] for words in generic(target_groups(topic)))
        notes.append(f"ข้อที่ระบุว่า “ใกล้เคียงที่สุด” ตรงกับกลุ่มเป้าหมายของโครงการ ({whom}) "
                     "ไม่ได้ตรงกับเรื่องของโครงการ")
    notes += _statements(catalog, stated_links, "ตารางในแผน" if subject else "ตารางโครงการในแผน")
    footer = "\n".join(notes + _lacking(catalog, results, kind) + _copy_lines(catalog, offered))
    top_owner, top = offered[0]
    reply = Reply("", "answer", state, owner=top_owner.owner,
                  owner_name=catalog.display(top_owner.owner), section=top_owner.kind,
                  section_label=short_label(top_owner.kind), items=[top.entry.item.path],
                  header=header, blocks=blocks, footer=footer,
                  quick_replies=_taps(catalog, offered))
    reply.sources = [{"owner": r.owner, "section": r.kind, "item": f.entry.item.path,
                      "score": round(f.fit, 4)} for r, f in offered]
    reply.text = reply.render()
    return reply


def _statements(catalog: Catalog, links, table_word: str = "ตารางโครงการในแผน") -> list[str]:
    """The plan's own words on what the project serves, once each, naming the plan."""
    said: dict[tuple[str, bool, str], list[str]] = {}  # a project's words, one line
    for link in links:
        name, _, words = link.said.partition(" · ")
        said.setdefault((link.source, link.table, name), [])
        if words not in said[link.source, link.table, name]:
            said[link.source, link.table, name].append(words)
    return [f"{table_word if table else 'แผน'}ของ {catalog.display(source)} "
            f"ระบุไว้เอง: {' · '.join([name, *words])}"
            for (source, table, name), words in said.items()]


def _nothing_fits(catalog: Catalog, state: State, said: str, kind: str,
                  shown: list[tuple[OwnerFits, Fit]], weighed: list[str],
                  statements: list[str] = ()) -> Reply:
    """No item fits well: say so plainly, naming the plans weighed (a few), with the closest
    one marked as a partial fit, and what the plan says the project serves (`statements`)."""
    plans = ("ในแผนของ " + ", ".join(catalog.display(o) for o in weighed) + " "
             if 0 < len(weighed) <= MAX_NAMED_PLANS else "ในแผน")
    text = f"ยังไม่พบ{short_label(kind)}{plans}ที่สอดคล้องกับโครงการเรื่อง “{said}” อย่างชัดเจนค่ะ"
    blocks = []
    if shown:
        owner_fits, closest = shown[0]
        text += "\nข้อที่ใกล้เคียงที่สุด (ตรงเพียงบางส่วน):"
        blocks = [Block(_where(catalog, owner_fits, closest), closest.entry.item.text,
                        passage=True)]
    hint = "ลองบอกเป้าหมายของโครงการเพิ่ม เช่น กลุ่มเป้าหมาย (นักเรียน ครู) และสิ่งที่จะพัฒนาค่ะ"
    footer = "\n".join([*statements, hint]) if blocks else ""
    text = text if blocks else "\n".join([text, *statements, hint])
    reply = Reply("", "dont_know", state, header=text, blocks=blocks, footer=footer,
                  quick_replies=[QuickReply("ช่วยเหลือ", "ช่วยเหลือ")])
    reply.text = reply.render()
    return reply


def _ask_topic(catalog: Catalog, state: State, kind: str) -> Reply:
    """An alignment question without a topic: ask what the project is about."""
    text = (f"โครงการของคุณเกี่ยวกับเรื่องอะไรคะ พิมพ์ชื่อหรือเป้าหมายของโครงการด้วย เช่น "
            f"“โครงการส่งเสริมการอ่าน สอดคล้องกับ{short_label(kind)}ไหนของ {catalog.example()}”")
    return Reply(text, "dont_know", state, header=text,
                 quick_replies=[QuickReply("ช่วยเหลือ", "ช่วยเหลือ")])


def _lacking(catalog: Catalog, results: list[OwnerFits], kind: str) -> list[str]:
    """One line per plan in scope with nothing that fits well."""
    lines = []
    for result in results:
        if not any(f.offered for f in result.fits):
            what = short_label(result.kind or kind)
            lines.append(f"{catalog.display(result.owner)}: ไม่มี{what}ที่สอดคล้องชัดเจน")
    return lines


def _number(fit: Fit) -> str:
    """"ข้อ 1.2" for an item the plan numbers so; "ยุทธศาสตร์ที่ 1 ข้อ 2" for another item
    inside an item of another kind; else "ข้อ 1.2" (its path)."""
    item, parent = fit.entry.item, fit.entry.parent
    if item.printed:  # "ข้อ 1.2", as the plan prints "กลยุทธ์ที่ 1.2"
        return f"ข้อ {item.printed}"
    if parent is not None and parent.kind != item.kind:  # the plan's word: "ประเด็นกลยุทธ์ที่ 1"
        return f"{parent.word or short_label(parent.kind)}ที่ {parent.number} ข้อ {item.number}"
    return f"ข้อ {item.path}"


def _where(catalog: Catalog, result: OwnerFits, fit: Fit) -> str:
    """"สพป.แพร่ เขต 1 · กลยุทธ์ ข้อ 1"."""
    return f"{catalog.display(result.owner)} · {short_label(result.kind)} {_number(fit)}"


def _copy_lines(catalog: Catalog, offered: list[tuple[OwnerFits, Fit]]) -> list[str]:
    """The line to paste into a proposal: one for a plan and the plans above it (a school
    cites every level it serves), but one per office when the items come from offices side
    by side (no question named one): a teacher cites only their own office's plan."""
    owners = list(dict.fromkeys(r.owner for r, _ in offered))
    chain = catalog.chain(owners[0])
    if all(owner in chain for owner in owners):
        return ["พร้อมคัดลอก: สนอง" + ", ".join(_cite(catalog, r, f) for r, f in offered)]
    lines = ["พร้อมคัดลอก (บรรทัดละหนึ่งหน่วยงาน):"]
    for owner in owners:
        cited = ", ".join(_cite(catalog, r, f) for r, f in offered if r.owner == owner)
        lines.append(f"• สนอง{cited}")
    return lines


def _cite(catalog: Catalog, result: OwnerFits, fit: Fit) -> str:
    """"กลยุทธ์ สพป.แพร่ เขต 1 ข้อ 1": one item as a proposal cites it."""
    return f"{short_label(result.kind)} {catalog.display(result.owner)} {_number(fit)}"


def _taps(catalog: Catalog, shown: list[tuple[OwnerFits, Fit]]) -> list[QuickReply]:
    """A tap per item shown, asking for the item whole."""
    taps = []
    for result, fit in shown[:12]:
        item, parent = fit.entry.item, fit.entry.parent
        ask = f"{short_label(result.kind)}ที่ {item.path}"
        if parent is not None and parent.kind != item.kind:
            ask = f"{short_label(result.kind)}ที่ {item.number} ของ{short_label(parent.kind)}ที่ {parent.number}"
        ask += f" ของ {catalog.display(result.owner)}"
        label = f"{short_label(result.kind)} {item.number} {catalog.display(result.owner)}"
        taps.append(QuickReply(label if len(label) <= 20 else label[:19] + "…", ask))
    return taps
