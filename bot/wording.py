"""The bot's own Thai words: replies that are not quotes, notes, and the quick replies.

Every reply text the bot writes itself is here, so wording is changed in one place. Replies
that quote a plan are built in `bot.quote` and use the phrases here.
"""

from __future__ import annotations

from bot import memory
from bot.catalog import Catalog
from bot.reply import Block, QuickReply, Reply, State
from bot.understand import ItemRef
from index.headings import ALL_KINDS, KINDS, label
from index.model import Item
from index.tokenize import segment

MAX_QUICK_REPLIES = 13
PAGE = MAX_QUICK_REPLIES - 1  # entries per page of a long list: one tap is left for "ถัดไป"
NEXT_PAGE = "ถัดไป"
MAX_LABEL = 20
MAX_NAMED = 10  # offices named in a "not in the corpus" reply
EXAMPLE_KINDS = ("vision", "mission", "goal", "strategy")
NAMES_OF_PLANS = ("แผน", "ยุทธศาสตร์")  # how a plan's own name (not an office's) starts
LAST_WORD = "สุดท้าย"  # how the last item is named to users


def short_label(kind: str) -> str:
    """A section name short enough for a quick-reply button."""
    return label(kind).split("/")[0]


def section_name(kind: str) -> str:
    """A section's Thai name (projects too), or "ส่วนอื่นของแผน" for one the heading table
    doesn't know."""
    return label(kind) if kind in ALL_KINDS else "ส่วนอื่นของแผน"


def item_text(item: Item, depth: int = 0) -> str:
    """An item's exact text, its body paragraphs and its sub-items, one per line."""
    lines = [item.text, *item.body]
    for child in item.children:
        if child.kind != item.kind:
            prefix = f"{short_label(child.kind)}ที่ {child.printed or child.number} "
            if child.text.startswith(short_label(child.kind)):
                prefix = ""  # "ตัวชี้วัดที่ 3.1.1 …": a table row that prints its own number
        else:
            prefix = child.number + " "
        sub = item_text(child, depth + 1).split("\n")
        lines.append(f"{'   ' * (depth + 1)}{prefix}{sub[0]}")
        lines.extend(sub[1:])
    return "\n".join(lines)


def count_line(display: str, kind: str, items: list[Item]) -> str:
    """How many items a section has, as the first line of its quote: the top level of a
    nested list, and the strategic issues items are grouped in."""
    name = f"{label(kind)}ของ {display}"
    if not items:
        return f"{name} เป็นข้อความต่อเนื่อง ไม่ได้แบ่งเป็นข้อค่ะ"
    issues = {i.path.split(" / ")[0] for i in items if " / " in i.path}
    if issues:
        return (f"{name} มี {len(items)} ข้อ อยู่ใน {len(issues)} "
                f"{short_label('strategic_issue')}ค่ะ")
    below = sum(len(list(i.walk())) - 1 for i in items)
    if below:
        return f"{name} มี {len(items)} ข้อหลัก (รวมข้อย่อยอีก {below} ข้อ) ค่ะ"
    return f"{name} มี {len(items)} ข้อค่ะ"


def projects_under(catalog: Catalog, state: State, owner: str, kind: str,
                   listed: list[tuple[Item, list[Item]]], in_table: int) -> Reply:
    """The projects a plan lists under each item asked about; or that it lists none for it
    (and how many it lists without saying under which item)."""
    display = catalog.display(owner)
    memory.quoted(state, owner, kind, [item.path for item, _ in listed])  # "ข้อ 3 ล่ะ" next
    blocks: list[Block] = []
    none = [printed_label(item) for item, projects in listed if not projects]
    for item, projects in listed:
        if projects:
            blocks.append(Block("", f"ภายใต้{label(kind)} ข้อ {printed_label(item)}: {item.text}"))
            blocks.extend(Block(str(n), p.full_text()) for n, p in enumerate(projects, 1))
    which = "ข้อใดเลย" if len(none) > 1 and len(none) == len(listed) else "ข้อ " + ", ".join(none)
    lines = [f"แผนของ {display} ไม่ได้ระบุโครงการภายใต้{label(kind)} {which} ค่ะ"] if none else []
    if in_table and lines:
        lines.append(f"(แผนมีรายการโครงการ {in_table} โครงการ แต่ไม่ได้ระบุว่าอยู่ภายใต้ข้อไหน)")
    if not blocks:
        lines.append("ถ้าต้องการหาข้อที่เข้ากับโครงการของโรงเรียน ลองถาม เช่น "
                     f"“โครงการรักการอ่าน สอดคล้องกับ{short_label(kind)}ไหนของ {display}”")
        return _fact(catalog, state, owner, "\n".join(lines), "section_absent")
    header = f"โครงการที่แผนของ {display} ระบุไว้ค่ะ"
    reply = Reply("", "answer", state, owner=owner, owner_name=display, section="project",
                  header=header, blocks=blocks, footer="\n".join(lines),
                  quick_replies=section_taps(catalog, owner, kind))
    reply.text = reply.render()
    return reply


def projects_line(projects: list[Item]) -> str:
    """The projects a plan lists under an item, named on one line; "" when it lists none."""
    return ("โครงการภายใต้ข้อนี้ในแผน: " + ", ".join(p.text for p in projects)) if projects else ""


def explain_note() -> str:
    """Under an item quoted for "อธิบายเพิ่ม": the bot quotes, it does not explain."""
    return ("(บอทตอบด้วยข้อความในแผนเท่านั้น ข้างบนคือข้อความเต็มของข้อนี้ รวมข้อย่อยที่แผนมี "
            "แผนไม่ได้อธิบายข้อนี้ไว้มากกว่านี้ค่ะ)")


def truncated_note(limit: int) -> str:
    """Said under a reply when only the question's first `limit` characters were read."""
    return f"(บอทอ่านเฉพาะ {limit} ตัวอักษรแรกของข้อความค่ะ)"


# --- replies that are not quotes ---------------------------------------------------------------


#: Sections examples ask for, in order of preference: the first the plan has is used.
EXAMPLE_WHOLE = ("vision", "mission", "goal", "strategy", "focus", "indicator")
EXAMPLE_ITEM = ("strategy", "goal", "mission", "focus", "indicator", "strategic_issue",
                "guideline", "policy")


def example_questions(catalog: Catalog, owner: str | None) -> tuple[str, str]:
    """Two questions the plan of `owner` (or of the example office) really answers: a whole
    section and an item ("วิสัยทัศน์ สพม.13", "กลยุทธ์ที่ 2 ของ สพม.13"), so an example
    never leads to "this plan has no vision"."""
    owner = owner if owner in catalog.owners else catalog.example_owner()
    if owner is None:
        return (f"วิสัยทัศน์ {catalog.example()}", f"กลยุทธ์ที่ 2 ของ {catalog.example()}")
    display = catalog.display(owner)
    kinds = catalog.kinds_of(owner)
    whole = next((k for k in EXAMPLE_WHOLE if k in kinds), kinds[0] if kinds else "vision")
    numbered = [k for k in EXAMPLE_ITEM if k in kinds and len(catalog.view(owner, k).items) >= 2]
    numbered.sort(key=lambda k: k == whole)  # another section than the first example's, if any
    other = next((k for k in kinds if k != whole), None)
    if numbered:
        second = f"{short_label(numbered[0])}ที่ 2 ของ {display}"
    elif other:
        second = f"{short_label(other)} {display}"
    else:
        second = f"ทุกหัวข้อของ {display}"
    return f"{short_label(whole)} {display}", second


def welcome(catalog: Catalog, state: State) -> Reply:
    """The greeting for follow and join events and "สวัสดี"."""
    first, second = example_questions(catalog, None)
    text = (
        "สวัสดีค่ะ บอทนี้ตอบคำถามเรื่องแผนของสำนักงานเขตพื้นที่การศึกษาและโรงเรียน "
        "โดยยกข้อความจากแผนจริง\n"
        "ถามได้ เช่น\n"
        f"• {first}\n"
        f"• {second}\n"
        "• แล้วพันธกิจล่ะ / ข้อ 2\n"
        "พิมพ์ “เลือกเขต” เพื่อเลือกหน่วยงาน หรือ “ช่วยเหลือ” เพื่อดูวิธีใช้"
    )
    return Reply(text, "greeting", state, header=text, quick_replies=starters())


def thanks(catalog: Catalog, state: State) -> Reply:
    """"ขอบคุณค่ะ" is answered, with the sections of the plan being discussed."""
    text = "ยินดีค่ะ มีคำถามเรื่องแผนเพิ่มเติม พิมพ์ถามได้ตลอดเลยนะคะ"
    return Reply(text, "thanks", state, header=text,
                 quick_replies=section_taps(catalog, state.owner))


def acknowledge(catalog: Catalog, state: State) -> Reply:
    """"โอเคครับ", "555": a short word back and the sections of the plan being discussed
    (kind "ack": nothing was asked, so nothing from a plan is given or logged)."""
    text = "ค่ะ มีคำถามเรื่องแผนเพิ่มเติม พิมพ์ถามได้เลยนะคะ"
    return Reply(text, "ack", state, header=text,
                 quick_replies=section_taps(catalog, state.owner))


def help_text(catalog: Catalog, state: State) -> Reply:
    """How to ask, with every section kind that can be asked for."""
    kinds = ", ".join(label(k.kind) for k in KINDS.values() if k.kind != "signature")
    first, second = example_questions(catalog, state.owner)
    text = (
        "วิธีใช้บอทแผนค่ะ\n"
        f"• พิมพ์หัวข้อ + ชื่อหน่วยงาน เช่น “{first}”\n"
        f"• ถามเป็นข้อ เช่น “{second}”, “ข้อ 2”, “ถัดไป”\n"
        "• ถามต่อได้ เช่น “แล้วพันธกิจล่ะ”, “ของหน่วยงานอื่นล่ะ”\n"
        "• พิมพ์ “เลือกเขต” เพื่อเลือกหน่วยงาน\n"
        f"หัวข้อที่ถามได้: {kinds}"
    )
    return Reply(text, "help", state, header=text, quick_replies=starters())


def overview(catalog: Catalog, state: State, owner: str) -> Reply:
    """An office chosen: its sections, to tap or ask about."""
    memory.chose_owner(state, owner)
    have = catalog.kinds_of(owner)
    memory.listed(state, "section", have)
    display = catalog.display(owner)
    kinds = "\n".join(f"{n}. {label(k)}" for n, k in enumerate(have, 1))
    listing = (f"หัวข้อที่มีในแผนนี้:\n{kinds}\nแตะหัวข้อด้านล่าง พิมพ์หมายเลข หรือพิมพ์ถามได้เลยค่ะ"
               if have else _sections_had(have))
    text = f"เลือก {display} แล้วค่ะ ({catalog.owners[owner].office})\n{listing}"
    return Reply(text, "owner_chosen", state, owner=owner, owner_name=display, header=text,
                 quick_replies=section_taps(catalog, owner))


def owner_list(catalog: Catalog, state: State, mode: str, page: int = 0) -> Reply:
    """Every office the bot has ("เลือกเขต": mode "choose"; "มีเขตอะไรบ้าง": "list"), a page
    at a time; any number or name typed next still picks from the whole list."""
    memory.listed(state, "owner", [memory.ALL], page)
    lead = "เลือกหน่วยงานที่ต้องการได้เลยค่ะ"
    if mode == "list":
        lead = (f"ตอนนี้บอทมีแผนของ {len(catalog.order)} หน่วยงานค่ะ "
                "แตะหรือพิมพ์หมายเลขเพื่อดูแผนนั้นได้เลย")
    return list_page(catalog, state, lead, catalog.order, page, "owner_list", "เลือกเขต ")


def which_owner(catalog: Catalog, state: State, kind: str | None, refs: list[ItemRef],
                among: list[str] | None = None, page: int = 0) -> Reply:
    """Several offices fit: ask which, remembering the section and items asked for."""
    among = among or catalog.order
    memory.asked_which_owner(state, kind, [r.number for r in refs if r.container is None])
    memory.listed(state, "owner", [memory.ALL] if among == catalog.order else among, page)
    what = f"หัวข้อ “{label(kind)}” มีในแผนของหลายหน่วยงาน" if kind else "ชื่อนี้ตรงกับหลายหน่วยงาน"
    prefix = f"{short_label(kind)} " if kind else "เลือกเขต "
    reply = list_page(catalog, state, f"{what}ค่ะ ต้องการของหน่วยงานไหนคะ", among, page,
                      "which_owner", prefix)
    reply.section, reply.section_label = kind, label(kind) if kind else None
    return reply


def list_page(catalog: Catalog, state: State, lead: str, owners: list[str], page: int,
              kind: str, prefix: str) -> Reply:
    """One page of a numbered list of offices, with a tap per office and "ถัดไป" for the rest."""
    start = page * PAGE if len(owners) > MAX_QUICK_REPLIES else 0
    shown = owners[start:start + PAGE] if len(owners) > MAX_QUICK_REPLIES else owners
    lines = [f"{n}. {catalog.display(o)}" for n, o in enumerate(shown, start + 1)]
    taps = [QuickReply(_fit(catalog.display(o)), f"{prefix}{catalog.display(o)}") for o in shown]
    more = ""
    if start + len(shown) < len(owners):
        more = (f"\n(แสดง {start + 1}–{start + len(shown)} จาก {len(owners)} แตะ “{NEXT_PAGE}” "
                "หรือพิมพ์หมายเลขหรือชื่อหน่วยงานได้เลยค่ะ)")
        taps.append(next_tap())
    text = f"{lead}\n" + "\n".join(lines) + more
    return Reply(text, kind, state, header=text, quick_replies=taps)


def next_tap() -> QuickReply:
    """The "ถัดไป" tap: a postback for the next page of the list shown."""
    return QuickReply(NEXT_PAGE, NEXT_PAGE, data="action=next_page")


def ask_section(catalog: Catalog, state: State, owner: str | None, refs: list[ItemRef]) -> Reply:
    """Items asked for with no section to find them in: "ข้อ 2" -> which section?"""
    target = f"ของ {catalog.display(owner)} " if owner else ""
    numbers = ", ".join(r.number for r in refs)
    text = (
        f"ต้องการข้อ {numbers} {target}ในหัวข้อไหนคะ เช่น “กลยุทธ์ข้อ {refs[0].number}” "
        f"หรือ “เป้าประสงค์ข้อ {refs[0].number}”"
    )
    return Reply(text, "dont_know", state, owner=owner, header=text,
                 quick_replies=section_taps(catalog, owner) if owner else starters())


def not_in_corpus(catalog: Catalog, state: State, mention: str) -> Reply:
    """An office or school named that has no plan here."""
    names = [catalog.display(o) for o in catalog.order[:MAX_NAMED]]  # not all 5,000
    more = len(catalog.order) - MAX_NAMED
    listing = ", ".join(names) + (f" และอีก {more} แผน" if more > 0 else "")
    plan = mention.startswith(NAMES_OF_PLANS)  # "ยุทธศาสตร์ชาติ" is a plan, not an office
    text = (
        f"ขออภัยค่ะ ยังไม่มี{' ' if plan else 'แผนของ '}“{mention}” ในคลังแผนของบอท\n"
        f"แผนที่มีตอนนี้: {listing}\nพิมพ์ “เลือกเขต” เพื่อดูรายชื่อทั้งหมดค่ะ"
    )
    return Reply(text, "not_in_corpus", state, header=text, quick_replies=_owner_taps(catalog))


#: Level words written as abbreviations ("สพป."): shown with their dot, set apart by spaces.
ABBREVIATED_LEVELS = ("สพป", "สพม", "สพท", "รร")


def levels_not_named(levels: list[str], example: str) -> str:
    """Under an alignment asked "ของโรงเรียน ของเขต…" with no school or office named: those
    levels were not weighed, and how to name one."""
    which = " / ".join(f" {level}. " if level in ABBREVIATED_LEVELS else level
                       for level in levels).replace("  ", " ")
    return (f"(ยังไม่ทราบว่าเป็น{which}ไหน จึงยังไม่ได้หาข้อในแผนระดับนั้น "
            f"บอกชื่อได้ เช่น “แล้วของ {example} ล่ะ”)")


def project_says_nothing_of(mention: str) -> str:
    """Under "not loaded" for a follow-up about the project being discussed."""
    return f"(แผนที่มีโครงการที่ถามอยู่ไม่ได้ระบุว่าโครงการนี้สอดคล้องกับข้อใดของ “{mention}” ค่ะ)"


def plan_not_loaded(mention: str) -> str:
    """Under an alignment with the plans named, when the project's own school is not loaded."""
    return f"(ยังไม่มีแผนของ “{mention}” ในคลังแผนของบอท จึงยังไม่ได้หาข้อในแผนของโรงเรียนค่ะ)"


def only_mentioned(mention: str) -> str:
    """Above passages that cite a plan the bot does not have ("ยุทธศาสตร์ชาติ")."""
    return (f"ยังไม่มี “{mention}” ในคลังแผนของบอทค่ะ "
            "ข้อความด้านล่างเป็นส่วนที่แผนที่มีกล่าวถึงเท่านั้น")


def absent_everywhere(catalog: Catalog, state: State, kind: str) -> Reply:
    """No plan at all has this section."""
    text = f"ขออภัยค่ะ ยังไม่มีแผนใดในคลังที่มีหัวข้อ “{label(kind)}”"
    return Reply(text, "section_absent", state, section=kind, section_label=label(kind),
                 header=text, quick_replies=starters())


def dont_know(catalog: Catalog, state: State) -> Reply:
    """Nothing in the plans answers this: say so, with examples about the plan being discussed."""
    first, second = example_questions(catalog, state.owner)
    text = (
        "ขออภัยค่ะ ไม่พบข้อความในแผนที่ตอบคำถามนี้ได้\n"
        f"ลองถาม เช่น “{first}”, “{second}” "
        "หรือพิมพ์ “ช่วยเหลือ” เพื่อดูวิธีใช้ค่ะ"
    )
    return Reply(text, "dont_know", state, header=text,
                 quick_replies=section_taps(catalog, state.owner))


def several_header(display: str, kinds: list[str]) -> str:
    """Above several sections of one plan quoted together."""
    return f"{' · '.join(label(k) for k in kinds)} ของ {display}"


def several_footer(display: str, lacking: list[str], left: list[str]) -> str:
    """Under several sections quoted together: those the plan lacks, those left for the
    next message ("ต่อ" would be one section; each is a tap)."""
    lines = []
    if lacking:
        lines.append(f"แผนของ {display} ไม่มีหัวข้อ " + ", ".join(f"“{label(k)}”" for k in lacking))
    if left:
        lines.append("ยาวเกินหนึ่งข้อความ ยังไม่ได้แสดง: " + ", ".join(label(k) for k in left)
                     + " แตะด้านล่างเพื่อดูทีละหัวข้อค่ะ")
    return "\n".join(lines)


def instead_note(display: str, kind: str, other: str) -> str:
    """Above a section quoted in place of the one asked for, which the plan does not have."""
    return (f"แผนของ {display} ไม่มีหัวข้อ “{label(kind)}” "
            f"หัวข้อที่ใกล้เคียงที่สุดในแผนคือ “{label(other)}” ค่ะ")


def section_absent_text(display: str, kind: str, have: list[str]) -> str:
    """The plan lacks the section asked for; the sections it has."""
    return f"แผนของ {display} ไม่มีหัวข้อ “{label(kind)}” ค่ะ\n{_sections_had(have)}"


def mentions_texts(display: str, kind: str, have: list[str]) -> tuple[str, str]:
    """(header, footer) around a plan's items that name a kind it has no section for."""
    header = (f"แผนของ {display} ไม่มีหัวข้อ “{label(kind)}” ค่ะ "
              f"แต่มีข้อความในหัวข้ออื่นที่กล่าวถึง “{short_label(kind)}”:")
    return header, _sections_had(have)


def _sections_had(have: list[str]) -> str:
    if not have:  # only lists without a heading the bot knows (a weak document)
        return ("แผนนี้ไม่มีหัวข้อที่บอทรู้จัก (เช่น วิสัยทัศน์ กลยุทธ์) มีแต่รายการที่ไม่มีชื่อหัวข้อ "
                "พิมพ์ถามเป็นเรื่องที่ต้องการได้เลยค่ะ")
    return "หัวข้อที่มีในแผนนี้: " + ", ".join(label(k) for k in have)


def item_absent_text(display: str, kind: str, missing: list[str], items: list[Item]) -> str:
    """The section lacks the items asked for; the items it has."""
    numbers = ", ".join(printed_label(i) for i in items[:15])
    return (
        f"แผนของ {display} หัวข้อ “{label(kind)}” ไม่มีข้อ {', '.join(missing)} ค่ะ\n"
        + (f"ข้อที่มี: {numbers}" if numbers else "หัวข้อนี้ไม่ได้แบ่งเป็นข้อ")
    )


def not_linked_note(kind: str, refs: list[ItemRef]) -> str:
    """Above a section asked for "of" another section's items ("ตัวชี้วัดของกลยุทธ์ที่ 2")
    that the plan does not organise it by: it says so, and that the whole section follows."""
    named = ", ".join(_other_item(r) for r in refs)
    return (f"(แผนนี้ไม่ได้ระบุ{short_label(kind)}แยกตาม{named} "
            f"จึงแสดง{short_label(kind)}ทั้งหมดของแผนค่ะ)")


def ask_separately_note(refs: list[ItemRef]) -> str:
    """Under one section's items when the question named another section's too ("กลยุทธ์ที่
    2 และเป้าประสงค์ที่ 3"): two questions in one, the other to be asked on its own."""
    asked = ", ".join(f"“{_other_item(r)}”" for r in refs)
    return f"(ถาม {asked} แยกอีกข้อความได้ค่ะ)"


def _other_item(ref: ItemRef) -> str:
    return f"{short_label(ref.kind)}ที่ {ref.number}"


def missing_footer(missing: list[str]) -> str:
    """Under a quote of some of the items asked for: the ones not found."""
    return f"(ไม่พบข้อ {', '.join(missing)} ในหัวข้อนี้)" if missing else ""


def missing_ref(ref: ItemRef) -> str:
    """How an item that was not found is named: "2", "ยุทธศาสตร์ที่ 3 ข้อ 4"."""
    number = LAST_WORD if ref.number == "last" else ref.number
    if ref.number.startswith("last:"):
        number = f"{ref.number.split(':', 1)[1]} ข้อ{LAST_WORD}"
    if ref.container is None:
        return number
    where = f"{label(ref.container[0])}ที่ {ref.container[1]}"
    return where + (f" ข้อ {number}" if ref.number != "*" else "")


# --- the questions around a plan -----------------------------------------------------------------


def plan_year(catalog: Catalog, state: State, owner: str, year: str, from_title: str) -> Reply:
    """"แผนนี้ปีไหน", "ยังใช้อยู่ไหม": the years the plan gives, or that it gives none."""
    memory.section_missing(state, owner)
    display = catalog.display(owner)
    if year:
        text = f"แผนของ {display} ระบุปีไว้ว่า {year}"
        if from_title:
            text += f"\n(จากชื่อเอกสาร: “{from_title}”)"
        text += "\nบอทบอกได้เฉพาะที่แผนเขียนไว้ หากต้องการทราบว่ายังใช้อยู่หรือไม่ โปรดสอบถามหน่วยงานค่ะ"
    else:
        text = (f"แผนของ {display} ไม่ได้ระบุปีของแผนไว้ค่ะ บอทจึงบอกไม่ได้ว่าเป็นฉบับปีไหน "
                "หรือยังใช้อยู่หรือไม่ โปรดสอบถามหน่วยงานโดยตรงค่ะ")
    return _fact(catalog, state, owner, text, "plan_year")


def plan_source(catalog: Catalog, state: State, owner: str, whose: bool = False) -> Reply:
    """"ที่มาของข้อมูลนี้", "ขอลิงก์ต้นฉบับ": the plan, section and items last quoted, and the
    document they come from. `whose` ("แผนนี้ของเขตไหน"): the office's name first."""
    record = catalog.owners[owner]
    if whose:
        full = "" if record.office == record.display else f" ({record.office})"
        lines = [f"แผนที่กำลังคุยอยู่คือ “{record.display}”{full} ค่ะ"]
    else:
        lines = ["ข้อความที่บอทตอบมาจาก", f"• แผนของ: {record.display} ({record.office})"]
    # The section last quoted, when it was this plan's (a section carried over from another
    # office's plan for "แล้วของ…ล่ะ" is not where this plan's answer came from).
    if state.section and state.owner == owner and catalog.view(owner, state.section):
        where = f"• หัวข้อ: {section_name(state.section)}"
        if state.items:
            where += " ข้อ " + ", ".join(state.items[:10])
        lines.append(where)
    if record.source:
        lines.append(f"• ไฟล์ในคลังแผน: {record.source}")
    origin = record.origin.strip()
    if origin.startswith(("http://", "https://")):  # the link alone, its note aside
        lines.append(f"• ลิงก์ต้นฉบับ: {origin.split(' (')[0].strip()}")
    else:
        if origin:  # whole: its note may say what the document is ("…ไม่ใช่แผนจริง")
            lines.append(f"• ต้นฉบับ: {origin}")
        lines.append("แผนนี้ไม่ได้ให้ลิงก์ต้นฉบับออนไลน์ไว้ค่ะ")
    memory.section_missing(state, owner)
    return _fact(catalog, state, owner, "\n".join(lines), "plan_source")


def plan_parent(catalog: Catalog, state: State, owner: str) -> Reply:
    """"สังกัดเขตไหน": the plans above this one (`parent:`, as the admin recorded it), nearest
    first; the name recorded when that plan is not loaded; or that the plan's record names
    none; never a guess from its name."""
    chain = catalog.chain(owner)
    display = catalog.display(owner)
    recorded = str(catalog.plan(owner).meta.get("parent") or "").strip()
    if len(chain) > 1:
        above = " › ".join(catalog.display(o) for o in chain[1:])
        text = (f"แผนของ {display} อยู่ภายใต้แผนของ {catalog.display(chain[1])} ค่ะ\n"
                f"ลำดับแผนที่อยู่เหนือขึ้นไป: {above}")
    elif recorded:  # named, but that plan is not loaded
        text = (f"ข้อมูลของแผน {display} ระบุว่าอยู่ภายใต้ “{recorded}” ค่ะ "
                "(ยังไม่มีแผนนั้นในคลังแผนของบอท)")
    else:
        text = (f"ข้อมูลของแผน {display} ในคลังไม่ได้ระบุแผนหรือหน่วยงานที่อยู่เหนือขึ้นไป"
                "ที่มีในคลังค่ะ")
    memory.section_missing(state, owner)
    return _fact(catalog, state, owner, text, "plan_source")


def plan_contact(catalog: Catalog, state: State, owner: str, lines: list[str]) -> Reply:
    """"เบอร์โทร", "ติดต่อยังไง": the contact the plan gives, or that it gives none."""
    memory.section_missing(state, owner)
    display = catalog.display(owner)
    if lines:
        text = f"ช่องทางติดต่อที่แผนของ {display} ให้ไว้ค่ะ\n" + "\n".join(lines)
    else:
        text = f"แผนของ {display} ไม่ได้ให้ช่องทางติดต่อไว้ค่ะ"
    return _fact(catalog, state, owner, text, "plan_contact")


def no_contact_note() -> str:
    """Under the signature block when the plan gives no phone, mail or address."""
    return "(แผนนี้ไม่ได้ให้เบอร์โทร อีเมล หรือที่อยู่ไว้ ด้านบนคือผู้ลงนามในแผนค่ะ)"


def no_signer(catalog: Catalog, state: State, owner: str) -> Reply:
    """"ใครเป็นคนทำแผนนี้" when the plan names no one."""
    memory.section_missing(state, owner)
    display = catalog.display(owner)
    text = f"แผนของ {display} ไม่ได้ระบุผู้จัดทำหรือผู้ลงนามไว้ค่ะ"
    if owner in catalog.owners_listing("project"):  # "ใครรับผิดชอบ" may mean a project's
        text += (f"\nถ้าหมายถึงผู้รับผิดชอบโครงการ แผนระบุไว้ในรายการโครงการ พิมพ์ชื่อหรือหมายเลข"
                 f"โครงการ เช่น “โครงการที่ 1 ใครรับผิดชอบ” หรือ “มีโครงการอะไรบ้าง {display}”")
    return _fact(catalog, state, owner, text, "section_absent")


def no_director(catalog: Catalog, state: State, owner: str) -> Reply:
    """"ใครเป็นผอ.เขต" when the plan names no one: said plainly, no name guessed."""
    memory.section_missing(state, owner)
    text = (f"แผนของ {catalog.display(owner)} ไม่ได้ระบุชื่อผู้อำนวยการไว้ค่ะ "
            "บอทตอบจากข้อความในแผนเท่านั้น")
    return _fact(catalog, state, owner, text, "section_absent")


def director_not_named_note() -> str:
    """Under a signature block that names no director of the office itself."""
    return ("(แผนนี้ไม่ได้ระบุชื่อผู้อำนวยการของหน่วยงาน ข้างบนคือผู้ลงนามที่แผนระบุไว้เท่านั้นค่ะ)")


def _fact(catalog: Catalog, state: State, owner: str, text: str, kind: str) -> Reply:
    return Reply(text, kind, state, owner=owner, owner_name=catalog.display(owner), header=text,
                 quick_replies=section_taps(catalog, owner))


def which_owner_for(catalog: Catalog, state: State, ask: str, among: list[str]) -> Reply:
    """A question about "this plan" with no plan named or discussed: which office's?"""
    memory.listed(state, "owner", [memory.ALL] if among == catalog.order else among)
    reply = list_page(catalog, state, "ต้องการถามเรื่องแผนของหน่วยงานไหนคะ", among, 0,
                      "which_owner", f"{ask} ")
    return reply


def nothing_more(catalog: Catalog, state: State) -> Reply:
    """"ต่อ" or "ขอทั้งหมด" when the last answer was shown whole."""
    text = "คำตอบก่อนหน้าแสดงครบแล้วค่ะ ถามหัวข้ออื่นต่อได้เลย"
    return Reply(text, "dont_know", state, header=text,
                 quick_replies=section_taps(catalog, state.owner))


def no_projects_anywhere(catalog: Catalog, state: State, lacking: str = "รายการโครงการ"
                         ) -> Reply:
    """A question about projects when no loaded plan lists any: that, and the question that
    does work for a project (which strategy it serves)."""
    text = (f"แผนที่บอทมีอยู่ตอนนี้ไม่มี{lacking}ค่ะ\n"
            "ถ้าต้องการดูว่าโครงการสอดคล้องกับกลยุทธ์ข้อใด พิมพ์ เช่น "
            "“โครงการรักการอ่านสอดคล้องกับกลยุทธ์ไหน”")
    return Reply(text, "dont_know", state, header=text,
                 quick_replies=section_taps(catalog, state.owner))


def nothing_before(catalog: Catalog, state: State) -> Reply:
    """"ข้อก่อนหน้า" when no item of a section was shown last."""
    text = "ยังไม่มีข้อก่อนหน้าให้ย้อนไปค่ะ ถามหัวข้อหรือข้อที่ต้องการได้เลย"
    return Reply(text, "dont_know", state, header=text,
                 quick_replies=section_taps(catalog, state.owner))


def end_of_section(catalog: Catalog, state: State, path: str, last: bool) -> Reply:
    """"ถัดไป" after a section's last item ("ข้อก่อนหน้า" before its first)."""
    where = "สุดท้าย" if last else "แรก"
    text = (f"ข้อ {path} เป็นข้อ{where}ของหัวข้อ “{label(state.section)}” "
            f"ในแผนของ {catalog.display(state.owner)} แล้วค่ะ")
    return Reply(text, "dont_know", state, owner=state.owner,
                 owner_name=catalog.display(state.owner), section=state.section,
                 section_label=label(state.section), header=text,
                 quick_replies=section_taps(catalog, state.owner, state.section))


def not_in_list(catalog: Catalog, state: State, number: str, size: int) -> Reply:
    """A number beyond the list just shown."""
    which = "1" if size == 1 else f"1–{size}"
    text = f"รายการก่อนหน้ามี {size} ลำดับค่ะ ไม่มีลำดับที่ {number} พิมพ์หมายเลข {which} ได้เลยค่ะ"
    return Reply(text, "dont_know", state, header=text, quick_replies=list(_current_taps(catalog, state)))


def _current_taps(catalog: Catalog, state: State):
    return section_taps(catalog, state.owner)


def absent_in(catalog: Catalog, state: State, kind: str, owners: list[str]) -> Reply:
    """None of the offices a question could mean has this section."""
    names = ", ".join(catalog.display(o) for o in owners)
    text = f"แผนของ {names} ไม่มีหัวข้อ “{label(kind)}” ค่ะ"
    having = catalog.owners_with(kind)
    if having:
        text += "\nแผนที่มีหัวข้อนี้: " + ", ".join(catalog.display(o) for o in having[:MAX_NAMED])
    return Reply(text, "section_absent", state, section=kind, section_label=label(kind),
                 header=text, quick_replies=[
                     QuickReply(_fit(catalog.display(o)), f"{short_label(kind)} {catalog.display(o)}")
                     for o in having[:MAX_QUICK_REPLIES]] or starters())


def ask_section_of(catalog: Catalog, state: State, owners: list[str], what: str) -> Reply:
    """Several offices (or a summary) with no section named: which section?"""
    names = " กับ ".join(catalog.display(o) for o in owners)
    kinds = [k for k in KINDS if all(k in catalog.owners[o].kinds for o in owners)]
    kinds = kinds or catalog.kinds_of(owners[0])
    text = f"ต้องการ{what}หัวข้อไหนของ {names} คะ"
    taps = [QuickReply(short_label(k), f"{what}{short_label(k)} {names}".strip())
            for k in kinds[:MAX_QUICK_REPLIES]]
    return Reply(text, "dont_know", state, header=text, quick_replies=taps)


def shortened(text: str, least: int = 24, most: int = 60) -> str:
    """An item's first clause: its words up to the first space after `least` characters, or,
    in a run of Thai with no space for `most` characters, up to a word boundary."""
    first_line = text.split("\n")[0]
    words = first_line.split()
    kept: list[str] = []
    for word in words:
        if kept and len(" ".join([*kept, word])) > most:
            break
        kept.append(word)
        if len(" ".join(kept)) >= least:
            break
    short = " ".join(kept)
    if len(short) > most:  # one long run: cut between the tokenizer's words
        cut = ""
        for piece in segment(short):
            if len(cut) + len(piece) > least and cut:
                break
            cut += piece
        short = cut
    whole = " ".join(words)
    return short if short == whole and "\n" not in text else short.rstrip() + " …"


def summary_header(display: str, kind: str) -> str:
    """Above a summary: what it is, and that it is shortened."""
    if not kind:  # the whole plan: each section's full text is a tap of its own
        return (f"สรุปสั้นๆ: แผนของ {display} ทุกหัวข้อ\n"
                "(ย่อเหลือวลีแรกของแต่ละข้อ ไม่ใช่ข้อความเต็ม แตะชื่อหัวข้อด้านล่างเพื่ออ่านทั้งหมด)")
    return (f"สรุปสั้นๆ: {label(kind)} ของ {display}\n"
            "(ย่อเหลือวลีแรกของแต่ละข้อ ไม่ใช่ข้อความเต็ม แตะ “ดูข้อความเต็ม” เพื่ออ่านทั้งหมด)")


def full_text_tap() -> QuickReply:
    """Under a summary or a cut answer: the full text, one tap away."""
    return QuickReply("ดูข้อความเต็ม", "ขอทั้งหมด")


def more_note(shown: int, total: int) -> str:
    """Under an answer cut to fit one message."""
    return f"(แสดง {shown} จาก {total} ส่วน พิมพ์ “ต่อ” เพื่อดูส่วนที่เหลือค่ะ)"


def side_by_side_header(kind: str, owners: list[str], catalog: Catalog) -> str:
    """Above a section quoted from several plans."""
    names = " / ".join(catalog.display(o) for o in owners)
    return f"{label(kind)} ของ {names}"


def side_by_side_footer(kind: str, lacking: list[str], unknown: str | None,
                        catalog: Catalog) -> str:
    """Under a side-by-side answer: the plans that lack the section, the office not loaded."""
    notes = [f"แผนของ {catalog.display(o)} ไม่มีหัวข้อ “{label(kind)}”" for o in lacking]
    if unknown:
        notes.append(f"ยังไม่มีแผนของ “{unknown}” ในคลังแผนของบอท")
    return "\n".join(f"({n})" for n in notes)


def too_long_to_compare(catalog: Catalog, state: State, kind: str, owners: list[str]) -> Reply:
    """"กลยุทธ์ของทุกเขต" when all of it would not fit: which plans have it, to pick from."""
    memory.asked_which_owner(state, kind, [])
    memory.listed(state, "owner", owners)
    lead = (f"หัวข้อ “{label(kind)}” มีในแผนของ {len(owners)} หน่วยงาน ยาวเกินจะแสดงพร้อมกัน"
            "\nเลือกดูทีละหน่วยงานได้เลยค่ะ")
    reply = list_page(catalog, state, lead, owners, 0, "which_owner", f"{short_label(kind)} ")
    reply.section, reply.section_label = kind, label(kind)
    return reply


def block_of(item: Item) -> Block:
    """An item as a quoted block, numbered as the plan prints it."""
    return Block(printed_label(item), item_text(item), item=item.path)


def printed_label(item: Item) -> str:
    """An item's number as the plan prints it ("1.2" for "กลยุทธ์ที่ 1.2" of issue 1), else its
    path ("ยุทธศาสตร์ 1 / กลยุทธ์ 2", "3")."""
    return item.printed or item.path


# --- quick replies -----------------------------------------------------------------------------


def section_tap(kind: str, display: str) -> QuickReply:
    """A tap that asks for one section of one plan ("กลยุทธ์ สพม.13")."""
    return QuickReply(short_label(kind), f"{short_label(kind)} {display}")


def section_taps(catalog: Catalog, owner: str | None, current: str | None = None):
    """One tap per section of the owner's plan (but the one just shown), and เปลี่ยนเขต."""
    if owner is None:
        return starters()
    display = catalog.display(owner)
    taps = [section_tap(k, display) for k in catalog.kinds_of(owner) if k != current]
    taps = taps[: MAX_QUICK_REPLIES - 1]
    taps.append(QuickReply("เปลี่ยนเขต", "เปลี่ยนเขต"))
    return taps


def starters() -> list[QuickReply]:
    """Taps to start with: the common sections, เลือกเขต and ช่วยเหลือ."""
    taps = [QuickReply(short_label(k), short_label(k)) for k in EXAMPLE_KINDS]
    taps += [QuickReply("เลือกเขต", "เลือกเขต"), QuickReply("ช่วยเหลือ", "ช่วยเหลือ")]
    return taps


def _owner_taps(catalog: Catalog) -> list[QuickReply]:
    return [QuickReply(_fit(catalog.display(o)), f"เลือกเขต {catalog.display(o)}")
            for o in catalog.order[:MAX_QUICK_REPLIES]]


def _fit(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"
