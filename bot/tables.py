"""Answers from a plan's tables: an indicator's target in a year, a project's budget or who is
responsible for it, a group's projects, the list of projects, the total the plan prints.

The parser keeps each table row's cells exactly as printed (`index.model.Item.cells`); these
replies quote those cells, never a figure the plan does not print: the budget total is the
table's own "รวม" row (the parser keeps it in the section's text) or nothing. The rule
`table_answer` answers questions of the intent "table" (`bot.understand.tables`); when no plan
in scope has the table asked about, it lets the other rules answer as they always did.

- Whose plan: the office named; else the one being discussed (if it has the table); else the
  one plan that has it; else which office? (each tap repeats the question for one office). A
  project named by its words is looked for in every plan that lists projects.
- A project is found by its name: a fuzzy match (rapidfuzz) of the question's words for it with
  each project row's name, so a shortened name or a slip still finds it; several that fit as
  well are all shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot import lookup, memory, quote, wording
from bot.catalog import Catalog
from bot.reply import Block, QuickReply, Reply, State
from bot.understand import ItemRef, topic_terms
from bot.understand.owners import MAX_MENTIONS
from bot.understand.tables import TableQuestion, read
from index.headings import label, short_label
from index.model import Item
from index.search import Passage
from index.text import fold, squash
from index.tokenize import tokenize
from index.tree import SUMMED_UP, dotted_number
from index.vocab import NUMBER_COLUMNS, TOPIC_SYNONYMS, TOTAL_WORDS

#: Columns that hold a project's money ("งบประมาณ (บาท)", "งบประมาณ 2568", "จำนวนเงิน").
BUDGET_COLUMNS = ("งบ", "จำนวนเงิน", "ค่าใช้จ่าย", "ประมาณการ", "budget")
#: Columns that say who carries a project out ("ผู้รับผิดชอบ", "หน่วยงานที่รับผิดชอบ").
RESPONSIBLE_COLUMNS = ("ผู้รับผิดชอบ", "หน่วยงาน", "กลุ่มงาน", "ผู้ดำเนินการ", "responsible")
#: Words a group's name starts with, left out when two names are compared.
GROUP_WORDS = ("กลุ่มงาน", "กลุ่ม", "ฝ่าย", "หน่วยงาน", "งาน")
#: Words that ask about a target, not name an indicator: left out of an indicator's words.
TARGET_WORDS = frozenset(fold(w) for w in (
    "ปี", "ค่า", "เป้าหมาย", "เป้า", "เท่าไร", "เท่าไหร่", "ทุก", "แต่ละ", "ราย", "พ.ศ.", "งบประมาณ",
    "ตั้ง", "กำหนด", "ไว้", "คาด", "มีค่า", "ค่าเป้าหมาย", "กี่", "kpi", "kpis", "ตัวชี้วัด", "เรื่อง",
    "ตั้งเป้า", "หน่วย", "หน่วยนับ", "นับ"))
#: Each topic word's words of the same meaning (a row of `TOPIC_SYNONYMS`).
SAME_MEANING = {fold(word): tuple(fold(w) for w in row if w != word)
                for row, _ in TOPIC_SYNONYMS for word in row}
NAME_MATCH = 80  # fuzzy score (0-100) from which a project's name fits the words asked
EXACT = 95  # a name this close to the words asked is the one meant, not a longer one too
WITHIN = 3  # names that fit nearly as well as the best are shown too
GROUP_MATCH = 85  # a responsible group's cell fits the group asked for
WORDS_MATCH = 0.6  # share of the question's words an indicator's text must hold
#: More indicators than this fitting a figure asked with no target word ("ปี 2568 มีนักเรียน
#: กี่คน"): the words are too general to be about one of them.
VAGUE = 2
MIN_NAME = 3  # characters: fewer name nothing


@dataclass
class Row:
    """A table row of a plan: whose, in which section, the item."""

    owner: str
    seq: int  # the section's place in the plan
    heading: str
    item: Item


def table_answer(catalog: Catalog, t, asked: TableQuestion | None = None) -> Reply | None:
    """"ค่าเป้าหมายปี 2568 ของตัวชี้วัดข้อ 1", "งบประมาณโครงการ … เท่าไร", "โครงการ …
    ใครรับผิดชอบ", "กลุ่มนโยบายและแผนมีโครงการอะไร", "มีโครงการอะไรบ้าง", "งบประมาณรวม":
    the table's cells as printed. `asked`: what another rule already read the question as."""
    if t.q.unknown_owner and not t.q.owners:
        return None  # "…ของ สพป.แอตแลนติส": not loaded, said so; not the current plan's table
    if asked is not None:  # a follow-up another rule read: not a question to ask again
        return _answer(catalog, t, asked)
    if t.q.intent != "table":
        return None
    asked = read(t.q, without_offices(catalog, t.q.text))
    if asked is None:
        return None
    reply = _answer(catalog, t, asked)
    if reply is not None and reply.kind != "which_owner":
        memory.asked_of_table(reply.state, t.q.text.strip())
    return reply


def _answer(catalog: Catalog, t, asked: TableQuestion) -> Reply | None:
    """The reply to a table question read as `asked`."""
    if asked.ask == "target":
        return _targets(catalog, t, asked)
    if asked.ask in ("budget", "responsible") or (asked.ask == "projects" and asked.name):
        reply = _project(catalog, t, asked)
    elif asked.ask == "group":
        reply = _group(catalog, t, asked)
    elif asked.ask == "total":
        reply = _total(catalog, t)
    elif asked.ask == "budgets":
        reply = _budgets(catalog, t)
    elif asked.ask == "source":
        reply = _source(catalog, t, asked)
    elif asked.ask in ("most", "least"):
        reply = _extreme(catalog, t, asked.ask == "most")
    else:
        reply = _listing(catalog, t, asked)
    if reply is None and not catalog.lists_any("project"):  # say so, not the nearest passage
        return _no_projects(catalog, t, asked)
    return reply


def _no_projects(catalog: Catalog, t, asked: TableQuestion) -> Reply:
    """A question about projects, budgets or who is responsible, with no office named, when
    no loaded plan lists projects: that is the answer, not the passage nearest its words (a
    named office's plan is answered by the rules above, which say what it lacks)."""
    what = {"budget": "งบประมาณ", "total": "งบประมาณ", "responsible": "ผู้รับผิดชอบ"}.get(
        asked.ask, "")
    return wording.no_projects_anywhere(catalog, t.state,
                                        "รายการโครงการ" + (f"และ{what}" if what else ""))


def without_offices(catalog: Catalog, folded: str) -> str:
    """The question without the loaded offices it names ("มีโครงการอะไรบ้าง สพม.13"); an
    unknown "school" stays: in "โครงการโรงเรียนปลอดภัย" it is the project's name."""
    matcher = catalog.matcher
    rest = folded
    for _ in range(MAX_MENTIONS):
        owners, _, after = matcher.find(rest)
        if not owners or after == rest:
            break
        rest = after
    return rest


# --- the rows of a plan's tables ---------------------------------------------------------------


def rows(catalog: Catalog, owner: str, kind: str) -> list[Row]:
    """Every item of `kind` in an owner's plan, nested ones included, in plan order. A row
    nested in a section of another kind (an indicator of "ยุทธศาสตร์ที่ 2" in the section the
    first issue's line opened) has no heading of its own: its path says where it is."""
    return [Row(owner, seq, section.heading if section.kind == kind else "", item)
            for seq, section in enumerate(catalog.plan(owner).sections)
            for item in section.walk() if item.kind == kind]


def targets(catalog: Catalog, owner: str) -> list[Row]:
    """The indicators of an owner's plan that have yearly targets."""
    return [row for row in rows(catalog, owner, "indicator") if row.item.yearly()]


def cells(item: Item, prefixes: tuple[str, ...], inside: str = "") -> list[tuple[str, str]]:
    """(column, cell) of the columns whose name starts with one of `prefixes` (or holds
    `inside`), as printed."""
    found = []
    for column, value in item.cells.items():
        name = fold(column)
        if name.startswith(tuple(fold(p) for p in prefixes)) or (inside and inside in name):
            found.append((column, value))
    return found


def other_cells(item: Item) -> list[tuple[str, str]]:
    """A row's cells but its main text and its list number, as printed."""
    return [(column, value) for column, value in item.cells.items()
            if value != item.text and fold(column).strip(" .") not in NUMBER_COLUMNS]


def budget_cells(item: Item) -> list[tuple[str, str]]:
    """A project's money columns as printed: one, or one per year."""
    return cells(item, BUDGET_COLUMNS)


def money(item: Item) -> list[tuple[str, str]]:
    """A project's budget as printed: its money columns, else each figure its own words give
    ("• โครงการแนะแนวสัญจร งบประมาณ 85,000 บาท": column "", since the text says it)."""
    return budget_cells(item) or [
        ("", found.group(1)) for found in BUDGET_IN_WORDS.finditer(item.full_text())]


def _money_lines(item: Item) -> list[str]:
    """The budget lines shown under a project's text: its money cells, and the lines of its
    body that give one (its own text shows the rest)."""
    return ([f"{column}: {value}" for column, value in money(item) if column]
            + [line for line in item.body if BUDGET_IN_WORDS.search(line)])


def responsible_cells(item: Item) -> list[tuple[str, str]]:
    """Who carries a project out, as printed."""
    return cells(item, RESPONSIBLE_COLUMNS, inside="รับผิดชอบ")


# --- whose plan ----------------------------------------------------------------------------


def _scope(catalog: Catalog, t, having, ask: bool = True) -> list[str] | Reply | None:
    """The owners to answer from: those named; else the one discussed (whose plan may lack
    it: a follow-up never moves to another office's figures unasked); else the one plan
    that has it; a which-office reply when several have it (None without `ask`: a question
    that may not be a table question at all must not leave one waiting); None when no plan
    has it (the question goes on to the other rules)."""
    if t.q.owners:
        return t.q.owners[:1] if len(t.q.owners) == 1 else [o for o in t.q.owners if having(o)] \
            or t.q.owners[:1]
    if t.state.owner in catalog.owners:
        return [t.state.owner]  # lacking it is said of this plan, never of another's
    found = [o for o in catalog.order if having(o)]
    if len(found) == 1:
        return found
    if not found or not ask:
        return None
    reply = wording.which_owner_for(catalog, t.state, t.q.text.strip(), found)
    memory.asked_which_owner_for_table(reply.state, t.q.text.strip())
    return reply


# --- indicators: the target of a year ----------------------------------------------------------


def _targets(catalog: Catalog, t, asked: TableQuestion) -> Reply | None:
    def having(owner: str) -> bool:
        return bool(targets(catalog, owner))

    state = t.state
    shown = (not t.q.refs and not t.q.owners and state.section == "indicator" and state.items
             and (t.q.follow_up or not _content(topic_terms(t.q.text))))
    if asked.by_words and not shown:  # "…กี่คนในปี 2568": an indicator its words name
        return _targets_by_words(catalog, t, asked, _scope(catalog, t, having, ask=False))
    scope = _scope(catalog, t, having)
    if not isinstance(scope, list):
        return scope
    owner = scope[0]
    pool = targets(catalog, owner)
    if not pool and owner in catalog.owners_listing("indicator"):
        return None  # targets in the indicators' own words: the passage rules quote them
    if not pool:
        return _lacks(catalog, t.state, owner, "indicator",
                      f"แผนของ {catalog.display(owner)} ไม่มีตารางค่าเป้าหมายรายปีของตัวชี้วัดค่ะ")
    if shown and state.owner == owner:
        # "ค่าเป้าหมายปี 2568 ล่ะ", "ปี 69 เท่าไหร่" after "ข้อ 2": that indicator's
        t.q.refs = [ItemRef("indicator", p) for p in state.items]
    chosen = _indicators(t, pool)
    if not chosen:
        numbers = ", ".join(r.number for r in t.q.refs)
        text = (f"ไม่พบตัวชี้วัดข้อ {numbers} ที่มีค่าเป้าหมายรายปีในแผนของ {catalog.display(owner)} "
                f"ค่ะ (มี {len(pool)} ตัวชี้วัดที่มีค่าเป้าหมาย)")
        return _lacks(catalog, t.state, owner, "indicator", text)
    blocks, missing = [], []
    for row in chosen:
        lines, lacking = target_lines(row.item, asked)
        blocks.append(Block(_where(row.item, "indicator"), "\n".join([row.item.text, *lines]),
                            passage=True))
        missing += [note for note in lacking if note not in missing]
    found = any(len(b.text.split("\n")) > 1 + bool(unit(r.item)) for b, r in zip(
        blocks, chosen, strict=True))
    header = f"ค่าเป้าหมายของตัวชี้วัด ตามแผนของ {catalog.display(owner)} ค่ะ"
    if not found:  # none of the years asked: that is the answer
        header, missing = "\n".join(missing), []
    headings = list(dict.fromkeys(r.heading for r in chosen if r.heading))
    if headings:
        header += f"\n(หัวข้อในแผน: {' / '.join(headings)})"
    return _reply(catalog, t.state, owner, "indicator", chosen, header, blocks, "\n".join(missing),
                  "answer" if found else "item_absent")


def _targets_by_words(catalog: Catalog, t, asked: TableQuestion, scope) -> Reply | None:
    """A year's figure asked with no target or indicator word ("เด็กออกกลางคันกี่คนในปี
    2568"): the targets of the indicators whose words the question holds, in the plan named
    or discussed; None (the other rules answer) when no indicator's words fit."""
    if scope is None or t.q.refs:
        return None
    text = without_offices(catalog, t.q.text)
    chosen = _by_words(_topic_words(text, topic_terms(text)), targets(catalog, scope[0]),
                       same_meaning=True)
    if not chosen or len(chosen) > VAGUE:
        return None
    t.q.refs = [ItemRef("indicator", row.item.path) for row in chosen]
    return _targets(catalog, t, TableQuestion("target", asked.years))


def _content(terms: list[str]) -> list[str]:
    """A question's words but the target question's own ("ค่าเป้าหมาย", "ปี", "กี่")."""
    return [w for w in terms if w not in TARGET_WORDS and not w.isdigit() and len(w) > 1]


def _by_words(words: list[str], pool: list[Row], same_meaning: bool = False) -> list[Row]:
    """The indicators holding the most of `words`, if enough of them ([]): a word of the
    indicator's, or a piece of one ("คณิต" of "วิชาคณิตศาสตร์"); with `same_meaning`, also a
    word of the same meaning (`index.vocab.TOPIC_SYNONYMS`: "เด็ก" for นักเรียน)."""
    if not words or not pool:
        return []
    forms = {w: (w, *(SAME_MEANING.get(w, ()) if same_meaning else ())) for w in words}
    scored = []
    for row in pool:
        tokens, folded = tokenize(row.item.text), fold(row.item.text)
        held = sum(any(f in tokens or f in folded for f in forms[w]) for w in words)
        own = sum(w in tokens or w in folded for w in words)  # its own words first
        scored.append(((held / len(words), own), row))
    best = max(score for score, _ in scored)
    return [row for score, row in scored if score == best] if best[0] >= WORDS_MATCH else []


def _indicators(t, pool: list[Row]) -> list[Row]:
    """The indicators asked for: by number (inside a strategic issue if one is named; "1.2"
    for issue 1's second; a number printed in its words, "ตัวชี้วัดที่ 2.1.1"), by their
    words, or all of them."""
    refs = [r for r in t.q.refs if r.kind in (None, "indicator") or len(t.q.refs) == 1]
    if refs:
        chosen = []
        for ref in refs:
            inside = _issue_prefix(ref)
            picked = [row for row in pool if row.item.path == ref.number or (
                ref.number in (row.item.number, "*") and row.item.path.startswith(inside))]
            if not picked and "." in ref.number:  # "1.2" of issue 1, or "ตัวชี้วัดที่ 2.1.1"
                named = lookup.printed([row.item for row in pool], "indicator", ref.number)
                picked = [row for row in pool if dotted_number(row.item.path) == ref.number
                          or row.item in named]
            chosen += [row for row in picked if row not in chosen]  # "*": the issue's all
        return chosen
    return _by_words(_topic_words(t.q.text, t.q.terms), pool, same_meaning=True) or pool


def _topic_words(text: str, terms: list[str]) -> list[str]:
    """A target question's own topic words: not the target words, nor the unit it asks in
    ("กี่คนในปี", "กี่คะแนน": คน and คะแนน are how it is counted, not what)."""
    units = re.findall(r"กี่\s*(\S+)", text)
    return [w for w in _content(terms) if not any(u.startswith(w) for u in units)]


def _issue_prefix(ref: ItemRef) -> str:
    """"ยุทธศาสตร์ 2 / " for an indicator asked for inside strategic issue 2; else ""."""
    if ref.container is None:
        return ""
    return f"{short_label(ref.container[0])} {ref.container[1]} / "


def unit(item: Item) -> tuple[str, str] | None:
    """(column, cell) of an indicator's unit ("หน่วยนับ": "ร้อยละ"), if the table has one."""
    found = cells(item, ("หน่วย", "unit"))
    return found[0] if found else None


def target_lines(item: Item, asked: TableQuestion) -> tuple[list[str], list[str]]:
    """(the lines of the years asked for, notes on the years the table lacks)."""
    yearly = item.yearly()
    years = sorted(yearly) if asked.every_year or not asked.years else asked.years
    lines = [f"{name}: {value}" for name, value in filter(None, [unit(item)])]
    notes = []
    absent = [y for y in years if y not in yearly]
    for year in years:
        if year in yearly:
            column, value = yearly[year]
            printed = "" if fold(column).strip() == str(year) else f" ({column})"
            lines.append(f"ปี {year}{printed}: {value}")
    if absent:
        said = ", ".join(str(y) for y in absent)
        notes.append(f"ตัวชี้วัดนี้ไม่มีค่าเป้าหมายของปี {said} ในแผน (มีปี {year_span(yearly)})")
    return lines, notes


def year_span(yearly: dict) -> str:
    """The years a table has: "2566–2570", or a list when some are skipped."""
    years = sorted(yearly)
    if years == list(range(years[0], years[-1] + 1)) and len(years) > 1:
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


# --- projects ----------------------------------------------------------------------------------


def projects(catalog: Catalog, owner: str) -> list[Row]:
    """The projects an owner's plan lists."""
    return rows(catalog, owner, "project")


def _project(catalog: Catalog, t, asked: TableQuestion) -> Reply | None:
    """A project named by its words: its budget, who is responsible, or its whole row."""
    owners = t.q.owners or [o for o in ([t.state.owner] if t.state.owner else [])
                            if o in catalog.owners]
    if asked.level and not t.q.owners:  # "…ของเขต": that level's plan of the conversation's
        of_level = [o for o in catalog.order if catalog.owners[o].kind in asked.level]
        owners = [o for o in catalog.related(t.state.owner) if o in of_level] or of_level
    listed = [] if t.q.owners else _listed_projects(catalog, t)
    name = "" if listed else asked.name or shown_project(catalog, t.state)
    if not name and not listed:
        if asked.ask == "budget":
            return _total(catalog, t)
        return _listing(catalog, t, asked)
    if not owners and not listed and PROJECT_NUMBER.fullmatch(fold(name).strip()):
        # "โครงการที่ 3 งบเท่าไหร่" with no plan named or discussed: whose list is meant
        scope = _scope(catalog, t, lambda o: o in catalog.owners_listing("project"))
        if not isinstance(scope, list):
            return scope
        owners = scope
    found = listed or by_number(catalog, name, owners) or (
        match_projects(catalog, name, owners) if owners else [])
    if not found and not t.q.owners:
        listing = catalog.owners_listing("project")
        found = match_projects(catalog, name, [o for o in catalog.order if o in listing])
    if not found:
        return _not_found(catalog, t, name, owners)
    blocks, lacking = [], 0
    asks = [asked.ask, "responsible"] if asked.and_who else [asked.ask]
    for row in found:
        shown = []
        for ask in asks:
            cells_of = {"budget": budget_cells, "responsible": responsible_cells}.get(ask, other_cells)
            said = cells_of(row.item)
            if not said and ask != "projects" and not _in_its_words(row.item, ask):
                lacking += ask == asked.ask  # (the project itself asked for: its text is the answer)
                said = [("", _not_stated("งบประมาณ" if ask == "budget" else "ผู้รับผิดชอบ"))]
            shown += said
        text = "\n".join([row.item.text, *row.item.body,  # its labelled lines, if any
                          *(f"{c}: {_dash_said(v)}" if c else v for c, v in shown)])
        where = _where(row.item, "project")
        if len({r.owner for r in found}) > 1:
            where = f"{catalog.display(row.owner)} · {where}"
        blocks.append(Block(where, text, passage=True))
    owner = found[0].owner
    what = {"budget": "งบประมาณของโครงการ", "responsible": "ผู้รับผิดชอบโครงการ"}.get(
        asked.ask, "โครงการ")
    if asked.and_who:
        what = "งบประมาณและผู้รับผิดชอบโครงการ"
    header = f"{what} ตามแผนของ {catalog.display(owner)} ค่ะ"
    if len(found) > 1:
        header = f"พบ {len(found)} โครงการที่ชื่อตรงกับ “{name}” ค่ะ"
    headings = list(dict.fromkeys(r.heading for r in found if r.heading))
    if headings and len(found) == 1:
        header += f"\n(หัวข้อในแผน: {' / '.join(headings)})"
    return _reply(catalog, t.state, owner, "project", found, header, blocks, "",
                  "item_absent" if lacking == len(found) else "answer")


def _dash_said(value: str) -> str:
    """A cell as printed; a dash ("-") is said to give no figure, not left to be read as one."""
    return f"{value} (แผนไม่ได้ระบุตัวเลข)" if value.strip() in ("-", "–", "—", "--") else value


def project_shown(catalog: Catalog, state: State) -> bool:
    """Whether the last answer showed one project (a follow-up may be about it)."""
    return bool(shown_project(catalog, state))


def _not_found(catalog: Catalog, t, name: str, owners: list[str]) -> Reply | None:
    """No project fits the words (or the number) asked: said, in the plan asked about or
    being discussed, with a tap for its list of projects."""
    number = PROJECT_NUMBER.fullmatch(fold(name).strip()) if name else None
    if number and len(owners) == 1 and projects(catalog, owners[0]):
        count = len(projects(catalog, owners[0]))
        text = (f"แผนของ {catalog.display(owners[0])} มีโครงการ {count} โครงการ "
                f"ไม่มีโครงการที่ {number.group(1)} ค่ะ")
        return _lacks(catalog, t.state, owners[0], "project", text, [QuickReply(
            "รายชื่อโครงการ", f"มีโครงการอะไรบ้าง {catalog.display(owners[0])}")])
    having = [o for o in (t.q.owners or catalog.order)
              if o in catalog.owners_listing("project")]
    if not having:
        return None if not t.q.owners else _lacks(
            catalog, t.state, t.q.owners[0], "project",
            f"แผนของ {catalog.display(t.q.owners[0])} ไม่มีรายการโครงการค่ะ")
    where = catalog.display(having[0]) if len(having) == 1 else "แผนที่มีอยู่"
    text = f"ไม่พบโครงการ “{name}” ในรายการโครงการของ {where} ค่ะ"
    # The plan being discussed stays so: a project not found is no reason to move the
    # conversation to whichever plan happens to list projects.
    kept = t.q.owners[0] if t.q.owners else t.state.owner
    kept = kept if kept in catalog.owners else (having[0] if len(having) == 1 else None)
    taps = [QuickReply("รายชื่อโครงการ", f"มีโครงการอะไรบ้าง {catalog.display(o)}")
            for o in having[:3]]
    if kept is None:
        return Reply(text, "item_absent", t.state, header=text, quick_replies=taps)
    return _lacks(catalog, t.state, kept, "project", text, taps)


def _listed_projects(catalog: Catalog, t) -> list[Row]:
    """"ข้อ 5 งบเท่าไหร่" after a project list: the projects of the plan shown, by number."""
    state = t.state
    if state.section != "project" or state.owner not in catalog.owners or not t.q.refs:
        return []
    numbers = {r.number for r in t.q.refs if r.kind in (None, "project")}
    return [row for row in projects(catalog, state.owner) if row.item.path in numbers]


def shown_project(catalog: Catalog, state: State) -> str:
    """The one project the last answer showed ("" if none): "ใช้งบเท่าไร" or "สนองกลยุทธ์ไหน"
    right after it is about it."""
    if state.section != "project" or len(state.items) != 1 or state.owner not in catalog.owners:
        return ""
    for row in projects(catalog, state.owner):
        if row.item.path == state.items[0]:
            return row.item.text
    return ""


#: A project named by its number in the plan's list: "โครงการที่ 3", "โครงการข้อ 3", "โครงการ 2".
PROJECT_NUMBER = re.compile(r"(?:ที่|ข้อ(?:ที่)?|ลำดับที่|อันดับที่)?\s*(\d{1,3})")


def by_number(catalog: Catalog, name: str, owners: list[str]) -> list[Row]:
    """"โครงการที่ 3 งบเท่าไหร่": the project numbered 3 in the one plan asked about (or being
    discussed); [] when the words are a name, or no single plan is meant."""
    number = PROJECT_NUMBER.fullmatch(fold(name).strip())
    if number is None or len(owners) != 1:
        return []
    return [row for row in projects(catalog, owners[0]) if row.item.path == number.group(1)]


def match_projects(catalog: Catalog, name: str, owners: list[str]) -> list[Row]:
    """The projects whose names fit the words asked best (several when they fit as well)."""
    scored = [(_name_score(name, row.item.text), row)
              for owner in owners for row in projects(catalog, owner)]
    numbers = set(re.findall(r"\d+", fold(name)))  # "รุ่นที่ 7" is not "รุ่นที่ 1"
    scored = [(s, row) for s, row in scored if s[0] >= NAME_MATCH
              and numbers <= set(re.findall(r"\d+", fold(row.item.text)))]
    if not scored:
        return []
    exact = [(s, row) for s, row in scored if s[1] >= EXACT]
    if exact:
        scored = exact
    best = max(s[0] for s, _ in scored)
    return [row for s, row in scored if s[0] >= best - WITHIN]


def _bare(name: str) -> str:
    """A project's name compared without "โครงการ", spaces or punctuation."""
    squashed = squash(name)
    return squashed[len("โครงการ"):] if squashed.startswith("โครงการ") else squashed


def _name_score(asked: str, name: str) -> tuple[float, float]:
    """(how well the words asked fit inside the name or the name inside them, how alike
    the two are whole), 0-100: the characters' alignment, or the words in any order."""
    a, b = _bare(asked), _bare(name)
    if len(a) < MIN_NAME or not b:
        return 0.0, 0.0
    words = fuzz.token_set_ratio(" ".join(tokenize(a)), " ".join(tokenize(b)))
    return max(fuzz.partial_ratio(a, b), words), fuzz.ratio(a, b)


def _group(catalog: Catalog, t, asked: TableQuestion) -> Reply | None:
    """"กลุ่มนโยบายและแผนมีโครงการอะไร": the projects whose responsible cell names it."""
    wanted = _bare_group(asked.name)

    def of_group(owner: str) -> list[Row]:
        return [row for row in projects(catalog, owner)
                if any(_group_fits(wanted, value) for value in _responsible_said(row.item))]

    listing = catalog.owners_listing("project")  # only plans with projects are read
    scope = _scope(catalog, t, lambda o: o in listing and any(
        _responsible_said(r.item) for r in projects(catalog, o)))
    if isinstance(scope, Reply) and not t.q.owners:  # several plans: the one group is in?
        having = [o for o in catalog.order if o in listing and of_group(o)]
        scope = having if len(having) == 1 else scope
    if not isinstance(scope, list):
        return scope
    owner = scope[0]
    found = of_group(owner)
    display = catalog.display(owner)
    if not found:
        groups = list(dict.fromkeys(v for r in projects(catalog, owner)
                                    for _, v in responsible_cells(r.item)))
        text = (f"ไม่พบโครงการที่ {asked.name} รับผิดชอบในแผนของ {display} ค่ะ"
                + (f"\nผู้รับผิดชอบที่มีในแผน: {', '.join(groups[:10])}" if groups else ""))
        return _lacks(catalog, t.state, owner, "project", text)
    header = f"โครงการที่ {asked.name} รับผิดชอบ ตามแผนของ {display} ({len(found)} โครงการ) ค่ะ"
    blocks = [Block(_where(r.item, "project"), "\n".join(
        [r.item.text, *r.item.body, *(f"{c}: {v}" for c, v in other_cells(r.item))]),
        passage=True) for r in found]
    return _reply(catalog, t.state, owner, "project", found, header, blocks, "", "answer")


def _responsible_said(item: Item) -> list[str]:
    """Who carries a project out, as printed: its responsible cells, or the lines of its own
    that say it ("ผู้รับผิดชอบ  นายวีระพงษ์ ทองดี (กลุ่มบริหารวิชาการ)")."""
    return [value for _, value in responsible_cells(item)] + [
        line for line in item.body if IN_WORDS["responsible"].search(fold(line))]


def _bare_group(name: str) -> str:
    squashed = squash(name)
    for word in GROUP_WORDS:
        if squashed.startswith(word) and len(squashed) > len(word):
            return squashed[len(word):]
    return squashed


def _group_fits(wanted: str, cell: str) -> bool:
    """Whether a responsible cell names the group asked for (a cell may name several)."""
    have = _bare_group(cell)
    return len(wanted) >= MIN_NAME and (wanted in squash(cell) or fuzz.partial_ratio(
        wanted, have) >= GROUP_MATCH)


def _listing(catalog: Catalog, t, asked: TableQuestion) -> Reply | None:
    """"มีโครงการอะไรบ้าง": the plan's project list, cut to LINE's size ("ต่อ" for the rest)."""
    scope = _scope(catalog, t, lambda o: o in catalog.owners_listing("project"))
    if not isinstance(scope, list):
        return scope
    return quote.section(catalog, t.state, scope[0], "project", [])


def _extreme(catalog: Catalog, t, most: bool) -> Reply | None:
    """"โครงการไหนงบเยอะที่สุด" / "งบน้อยที่สุด": the project whose budget, as the plan prints it
    (one number), is the largest or smallest; projects without one number are said, not
    guessed."""
    scope = _scope(catalog, t, lambda o: o in catalog.owners_listing("project"))
    if not isinstance(scope, list):
        return scope
    owner = scope[0]
    display = catalog.display(owner)
    listed = projects(catalog, owner)
    if not listed:  # the plan discussed lists none
        return _no_project_list(catalog, t, owner)
    valued = [(amount, row) for row in listed
              if len(printed := money(row.item)) == 1
              and (amount := _amount(printed[0][1])) is not None]
    if not valued:
        return _lacks(catalog, t.state, owner, "project",
                      f"แผนของ {display} ไม่ได้ระบุงบประมาณของแต่ละโครงการเป็นตัวเลขค่ะ")
    best = (max if most else min)(amount for amount, _ in valued)
    picked = [row for amount, row in valued if amount == best]
    header = (f"โครงการที่งบประมาณ{'มาก' if most else 'น้อย'}ที่สุดในแผนของ {display} ค่ะ "
              f"(เทียบจากงบประมาณที่แผนระบุไว้ {len(valued)} โครงการ)")
    blocks = [Block(f"โครงการ ข้อ {row.item.path}",
                    "\n".join([row.item.text, *_money_lines(row.item)]), passage=True)
              for row in picked]
    left = len(listed) - len(valued)
    footer = (f"(อีก {left} โครงการไม่ได้ระบุงบประมาณเป็นตัวเลขเดียว จึงไม่ได้นำมาเทียบ)"
              if left else "")
    return _reply(catalog, t.state, owner, "project", picked, header, blocks, footer, "answer")


def _budgets(catalog: Catalog, t) -> Reply | None:
    """"งบประมาณของแต่ละโครงการ", "ขอรายละเอียดโครงการทั้งหมดพร้อมงบ": every project with its
    money columns as printed (none said so, not guessed), then the plan's own total row."""
    scope = _scope(catalog, t, lambda o: o in catalog.owners_listing("project"))
    if not isinstance(scope, list):
        return scope
    owner = scope[0]
    listed = projects(catalog, owner)
    if not listed:  # a plan named that lists none
        return _no_project_list(catalog, t, owner)
    blocks = []
    for row in listed:
        shown = ("\n".join(_money_lines(row.item))
                 or ("" if money(row.item) else _not_stated("งบประมาณ")))
        blocks.append(Block(_where(row.item, "project"), "\n".join(
            filter(None, [row.item.text, shown])), passage=True))
    footer = "\n".join(line for _, line in _total_lines(catalog, owner))
    header = f"งบประมาณของแต่ละโครงการ ตามที่แผนของ {catalog.display(owner)} ระบุไว้ค่ะ"
    return _reply(catalog, t.state, owner, "project", listed, header, blocks, footer, "answer")


def _source(catalog: Catalog, t, asked: TableQuestion) -> Reply | None:
    """"ได้รับงบจาก อบต. เท่าไหร่": the projects and total lines whose printed words name where
    the money comes from, as printed; when none does, said so (never the plan's total)."""
    scope = _scope(catalog, t, lambda o: o in catalog.owners_listing("project"))
    if not isinstance(scope, list):
        return scope
    owner = scope[0]
    display = catalog.display(owner)
    wanted = squash(asked.name)
    found = [row for row in projects(catalog, owner) if wanted in squash(row.item.full_text())]
    totals = [(heading, line) for heading, line in _source_lines(catalog, owner)
              if wanted in squash(line)]
    if not found and not totals:
        return _lacks(catalog, t.state, owner, "project",
                      f"แผนของ {display} ไม่ได้ระบุงบประมาณจาก “{asked.name}” ค่ะ",
                      [QuickReply("งบแต่ละโครงการ", f"งบประมาณแต่ละโครงการ {display}")])
    blocks = [Block(_where(row.item, "project"), "\n".join(
        [row.item.text, *_money_lines(row.item)]), passage=True) for row in found]
    blocks += [Block(heading, line, passage=True) for heading, line in totals]
    header = f"ที่แผนของ {display} กล่าวถึงงบประมาณจาก “{asked.name}” ค่ะ"
    return _reply(catalog, t.state, owner, "project", found, header, blocks, "", "answer")


def _source_lines(catalog: Catalog, owner: str) -> list[tuple[str, str]]:
    """(heading, line) of each text line printed with a plan's projects (totals, income)."""
    return [(section.heading or label("project"), line)
            for section in catalog.plan(owner).sections
            if any(item.kind == "project" for item in section.walk())
            for line in section.intro]


#: A budget in a project's own words (group 1: the figure as printed, "85,000 บาท").
#: Money from several sources then their total ("งบประมาณ เงินอุดหนุนรายหัว 12,000 บาท
#: เงินกิจกรรม… 18,000 บาท รวม 30,000 บาท"): the total.
BUDGET_IN_WORDS = re.compile(
    r"(?:งบประมาณ|งบ|จำนวนเงิน)\s*[:：]?\s*"
    r"(?:[^\n\d]*?\d[\d,.]*\s*บาท[^\n]*?รวม(?:ทั้งสิ้น|ทั้งหมด)?\s*)?"
    r"(\d(?:[\d,.]*\d)?(?:\s*บาท)?)")
#: A budget or who is responsible written in a listed project's own words ("• โครงการแนะแนว
#: สัญจร งบประมาณ 85,000 บาท ผู้รับผิดชอบ กลุ่มส่งเสริม..."), not in a table's cells.
IN_WORDS = {
    "budget": re.compile(BUDGET_IN_WORDS.pattern + r"|ไม่ใช้งบ|ไม่มีงบ"),  # or says it has none
    "responsible": re.compile(r"(?:ผู้รับผิดชอบ|รับผิดชอบโดย|ผู้ดำเนินการ)\s*[:：]?\s*\S"),
}


def _in_its_words(item: Item, ask: str) -> bool:
    """Whether the project's own text (quoted whole) says what was asked: then no note that
    the plan does not say it."""
    pattern = IN_WORDS.get(ask)
    return pattern is not None and bool(pattern.search(fold(item.full_text())))


def _not_stated(what: str) -> str:
    """Under a project whose row has no `what` (งบประมาณ, ผู้รับผิดชอบ): said, not guessed."""
    return f"(แผนไม่ได้ระบุ{what}ของโครงการนี้)"


def _amount(printed: str) -> float | None:
    """A budget cell as a number ("350,000", "๔๕,๐๐๐ บาท"), None when it is not one number."""
    text = fold(printed).replace("บาท", "").replace(",", "").strip()
    return float(text) if re.fullmatch(r"\d+(?:\.\d+)?", text) else None


def _total_lines(catalog: Catalog, owner: str) -> list[tuple[str, str]]:
    """(heading, line) of each total row the plan prints with its project tables."""
    return [(heading, line) for heading, line in _source_lines(catalog, owner)
            if fold(line).startswith(TOTAL_WORDS) or SUMMED_UP.match(fold(line))]



def _no_project_list(catalog: Catalog, t, owner: str) -> Reply:
    """A budget asked of a plan that lists no projects: said so."""
    return _lacks(catalog, t.state, owner, "project",
                  f"แผนของ {catalog.display(owner)} ไม่มีรายการโครงการและงบประมาณค่ะ")


def _total(catalog: Catalog, t) -> Reply | None:
    """"งบประมาณรวม": the total row the plan prints under its project table, never a sum."""
    scope = _scope(catalog, t, lambda o: o in catalog.owners_listing("project"))
    if not isinstance(scope, list):
        return scope
    owner = scope[0]
    display = catalog.display(owner)
    blocks = [Block(heading, line, passage=True) for heading, line in _total_lines(catalog, owner)]
    if not blocks and not projects(catalog, owner):
        return _no_project_list(catalog, t, owner)
    if not blocks:
        text = (f"แผนของ {display} ไม่ได้ระบุยอดรวมงบประมาณของโครงการไว้ค่ะ "
                "(บอทไม่รวมตัวเลขเองเพื่อไม่ให้ต่างจากแผน) ดูงบประมาณของแต่ละโครงการได้จากรายชื่อโครงการ")
        return _lacks(catalog, t.state, owner, "project", text,
                      [QuickReply("รายชื่อโครงการ", f"มีโครงการอะไรบ้าง {display}")])
    header = f"งบประมาณรวมตามที่แผนของ {display} ระบุไว้ค่ะ"
    memory.quoted(t.state, owner, "project", [])
    reply = Reply("", "answer", t.state, owner=owner, owner_name=display, section="project",
                  section_label=label("project"), header=header, blocks=blocks,
                  quick_replies=wording.section_taps(catalog, owner))
    reply.sources = [{"owner": owner, "section": "project", "item": "", "score": 1.0}]
    reply.text = reply.render()
    return reply


# --- replies -----------------------------------------------------------------------------------


def _where(item: Item, kind: str) -> str:
    """"ตัวชี้วัด ข้อ 1", or the nested path "ยุทธศาสตร์ 2 / ตัวชี้วัด 1"."""
    return item.path if "/" in item.path else f"{short_label(kind)} ข้อ {item.path}"


def _reply(catalog: Catalog, state: State, owner: str, kind: str, found: list[Row],
           header: str, blocks: list[Block], footer: str, reply_kind: str) -> Reply:
    """Rows quoted: remembered so "ข้อ 2" and "ต่อ" follow on (a long list is cut: "ต่อ"
    shows the next rows as it does after a search)."""
    paths = [row.item.path for row in found if row.owner == owner]
    memory.quoted(state, owner, kind, paths)
    entries = [quote.hit_entry(Passage(0, r.owner, "", r.item.path, "", section_seq=r.seq))
               for r in found]
    end, size = 0, 0
    while end < len(blocks):
        size += len(blocks[end].label) + len(blocks[end].text) + 4
        if size > quote.MAX_ANSWER_CHARS and end:
            break
        end += 1
    if len(found) > 1:
        memory.listed(state, "hit", entries)
    taps = wording.section_taps(catalog, owner)
    if end < len(blocks):
        memory.left_out(state, "hits", end)
        footer = f"{footer}\n{wording.more_note(end, len(blocks))}".strip()
        taps = [QuickReply("ต่อ", "ต่อ"), *taps][:wording.MAX_QUICK_REPLIES]
    reply = Reply("", reply_kind, state, owner=owner, owner_name=catalog.display(owner),
                  section=kind, section_label=label(kind), items=paths, header=header,
                  blocks=blocks[:end], footer=footer, quick_replies=taps)
    reply.sources = [{"owner": r.owner, "section": kind, "item": r.item.path, "score": 1.0}
                     for r in found[:end]]
    reply.text = reply.render()
    return reply


def _lacks(catalog: Catalog, state: State, owner: str, kind: str, text: str,
           taps: list[QuickReply] | None = None) -> Reply:
    """The plan lacks what was asked: said plainly, the office still the one discussed."""
    memory.section_missing(state, owner)
    return Reply(text, "item_absent", state, owner=owner, owner_name=catalog.display(owner),
                 section=kind, section_label=label(kind), header=text,
                 quick_replies=((taps or []) + wording.section_taps(catalog, owner))[
                     :wording.MAX_QUICK_REPLIES])
