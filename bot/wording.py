"""The bot's own Thai words: replies that are not quotes, notes, and the quick replies.

Every reply text the bot writes itself is here, so wording is changed in one place. Replies
that quote a plan are built in `bot.quote` and use the phrases here.
"""

from __future__ import annotations

from bot import memory
from bot.catalog import Catalog
from bot.reply import QuickReply, Reply, State
from bot.understand import ItemRef
from index.headings import KINDS, label
from index.model import Item

MAX_QUICK_REPLIES = 13
MAX_LABEL = 20
MAX_LISTED = 30  # offices listed in one reply; the rest are typed by name
MAX_NAMED = 10  # offices named in a "not in the corpus" reply
EXAMPLE_KINDS = ("vision", "mission", "goal", "strategy")


def short_label(kind: str) -> str:
    """A section name short enough for a quick-reply button."""
    return label(kind).split("/")[0]


def section_name(kind: str) -> str:
    """A section's Thai name, or "ส่วนอื่นของแผน" for one the heading table doesn't know."""
    return label(kind) if kind in KINDS else "ส่วนอื่นของแผน"


def item_text(item: Item, depth: int = 0) -> str:
    """An item's exact text, its body paragraphs and its sub-items, one per line."""
    lines = [item.text, *item.body]
    for child in item.children:
        if child.kind != item.kind:
            prefix = f"{short_label(child.kind)}ที่ {child.number}"
        else:
            prefix = child.number
        sub = item_text(child, depth + 1).split("\n")
        lines.append(f"{'   ' * (depth + 1)}{prefix} {sub[0]}")
        lines.extend(sub[1:])
    return "\n".join(lines)


def truncated_note(limit: int) -> str:
    """Said under a reply when only the question's first `limit` characters were read."""
    return f"(บอทอ่านเฉพาะ {limit} ตัวอักษรแรกของข้อความค่ะ)"


# --- replies that are not quotes ---------------------------------------------------------------


def welcome(catalog: Catalog, state: State) -> Reply:
    """The greeting for follow and join events and "สวัสดี"."""
    example = catalog.example()
    text = (
        "สวัสดีค่ะ บอทนี้ตอบคำถามเรื่องแผนของสำนักงานเขตพื้นที่การศึกษาและโรงเรียน "
        "โดยยกข้อความจากแผนจริง\n"
        "ถามได้ เช่น\n"
        f"• วิสัยทัศน์ {example}\n"
        f"• กลยุทธ์ที่ 2 ของ {example}\n"
        "• แล้วพันธกิจล่ะ / ข้อ 2\n"
        "พิมพ์ “เลือกเขต” เพื่อเลือกหน่วยงาน หรือ “ช่วยเหลือ” เพื่อดูวิธีใช้"
    )
    return Reply(text, "greeting", state, header=text, quick_replies=starters())


def thanks(catalog: Catalog, state: State) -> Reply:
    """"ขอบคุณค่ะ" is answered, with the sections of the plan being discussed."""
    text = "ยินดีค่ะ มีคำถามเรื่องแผนเพิ่มเติม พิมพ์ถามได้ตลอดเลยนะคะ"
    return Reply(text, "thanks", state, header=text,
                 quick_replies=section_taps(catalog, state.owner))


def help_text(catalog: Catalog, state: State) -> Reply:
    """How to ask, with every section kind that can be asked for."""
    kinds = ", ".join(label(k.kind) for k in KINDS.values() if k.kind != "signature")
    text = (
        "วิธีใช้บอทแผนค่ะ\n"
        "• พิมพ์หัวข้อ + ชื่อหน่วยงาน เช่น “วิสัยทัศน์ สพม.13”\n"
        "• ถามเป็นข้อ เช่น “กลยุทธ์ที่ 3 ของ สพป.แพร่ เขต 1”, “ข้อ 2”\n"
        "• ถามต่อได้ เช่น “แล้วพันธกิจล่ะ”, “ของลำปาง เขต 1 ล่ะ”\n"
        "• พิมพ์ “เลือกเขต” เพื่อเลือกหน่วยงาน\n"
        f"หัวข้อที่ถามได้: {kinds}"
    )
    return Reply(text, "help", state, header=text, quick_replies=starters())


def overview(catalog: Catalog, state: State, owner: str) -> Reply:
    """An office chosen: its sections, to tap or ask about."""
    memory.chose_owner(state, owner)
    display = catalog.display(owner)
    kinds = ", ".join(label(k) for k in catalog.kinds_of(owner))
    text = (
        f"เลือก {display} แล้วค่ะ ({catalog.owners[owner].office})\n"
        f"หัวข้อที่มีในแผนนี้: {kinds}\nแตะหัวข้อด้านล่าง หรือพิมพ์ถามได้เลยค่ะ"
    )
    return Reply(text, "owner_chosen", state, owner=owner, owner_name=display, header=text,
                 quick_replies=section_taps(catalog, owner))


def owner_list(catalog: Catalog, state: State, mode: str) -> Reply:
    """Every office the bot has ("เลือกเขต": mode "choose"; "มีเขตอะไรบ้าง": "list")."""
    names = [catalog.display(o) for o in catalog.order]
    shown = _numbered(names)
    more = (f"\n(และอีก {len(names) - MAX_LISTED} แผน พิมพ์ชื่อหน่วยงานได้เลยค่ะ)"
            if len(names) > MAX_LISTED else "")
    lead = "เลือกหน่วยงานที่ต้องการได้เลยค่ะ" if mode == "choose" else "แผนที่บอทมีตอนนี้ค่ะ"
    text = f"{lead}\n{shown}{more}"
    return Reply(text, "owner_list", state, header=text, quick_replies=_owner_taps(catalog))


def which_owner(catalog: Catalog, state: State, kind: str | None, refs: list[ItemRef],
                among: list[str] | None = None) -> Reply:
    """Several offices fit: ask which, remembering the section and items asked for."""
    among = among or catalog.order
    memory.asked_which_owner(state, kind, [r.number for r in refs if r.container is None])
    names = [catalog.display(o) for o in among]
    what = f"หัวข้อ “{label(kind)}” มีในแผนของหลายหน่วยงาน" if kind else "ชื่อนี้ตรงกับหลายหน่วยงาน"
    text = f"{what}ค่ะ ต้องการของหน่วยงานไหนคะ\n{_numbered(names)}"
    prefix = f"{short_label(kind)} " if kind else "เลือกเขต "
    taps = [QuickReply(_fit(catalog.display(o)), f"{prefix}{catalog.display(o)}")
            for o in among[:MAX_QUICK_REPLIES]]
    return Reply(text, "which_owner", state, section=kind,
                 section_label=label(kind) if kind else None, header=text, quick_replies=taps)


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
    names = [catalog.display(o) for o in catalog.order]
    listing = ", ".join(names[:MAX_NAMED]) + (
        f" และอีก {len(names) - MAX_NAMED} แผน" if len(names) > MAX_NAMED else "")
    text = (
        f"ขออภัยค่ะ ยังไม่มีแผนของ “{mention}” ในคลังแผนของบอท\n"
        f"แผนที่มีตอนนี้: {listing}\nพิมพ์ “เลือกเขต” เพื่อดูรายชื่อทั้งหมดค่ะ"
    )
    return Reply(text, "not_in_corpus", state, header=text, quick_replies=_owner_taps(catalog))


def absent_everywhere(catalog: Catalog, state: State, kind: str) -> Reply:
    """No plan at all has this section."""
    text = f"ขออภัยค่ะ ยังไม่มีแผนใดในคลังที่มีหัวข้อ “{label(kind)}”"
    return Reply(text, "section_absent", state, section=kind, section_label=label(kind),
                 header=text, quick_replies=starters())


def dont_know(catalog: Catalog, state: State) -> Reply:
    """Nothing in the plans answers this: say so, with examples."""
    example = catalog.example()
    text = (
        "ขออภัยค่ะ ไม่พบข้อความในแผนที่ตอบคำถามนี้ได้\n"
        f"ลองถาม เช่น “วิสัยทัศน์ {example}”, “กลยุทธ์ที่ 2 ของ {example}” "
        "หรือพิมพ์ “ช่วยเหลือ” เพื่อดูวิธีใช้ค่ะ"
    )
    return Reply(text, "dont_know", state, header=text, quick_replies=starters())


def section_absent_text(display: str, kind: str, have: list[str]) -> str:
    """The plan lacks the section asked for; the sections it has."""
    listed = ", ".join(label(k) for k in have)
    return f"แผนของ {display} ไม่มีหัวข้อ “{label(kind)}” ค่ะ\nหัวข้อที่มีในแผนนี้: {listed}"


def item_absent_text(display: str, kind: str, missing: list[str], items: list[Item]) -> str:
    """The section lacks the items asked for; the items it has."""
    numbers = ", ".join(i.path for i in items[:15])
    return (
        f"แผนของ {display} หัวข้อ “{label(kind)}” ไม่มีข้อ {', '.join(missing)} ค่ะ\n"
        + (f"ข้อที่มี: {numbers}" if numbers else "หัวข้อนี้ไม่ได้แบ่งเป็นข้อ")
    )


def missing_footer(missing: list[str]) -> str:
    """Under a quote of some of the items asked for: the ones not found."""
    return f"(ไม่พบข้อ {', '.join(missing)} ในหัวข้อนี้)" if missing else ""


def missing_ref(ref: ItemRef) -> str:
    """How an item that was not found is named: "2", "ยุทธศาสตร์ที่ 3 / 4"."""
    if ref.container is None:
        return ref.number
    where = f"{label(ref.container[0])}ที่ {ref.container[1]}"
    return where + (f" / {ref.number}" if ref.number != "*" else "")


# --- quick replies -----------------------------------------------------------------------------


def section_taps(catalog: Catalog, owner: str | None, current: str | None = None):
    """One tap per section of the owner's plan (but the one just shown), and เปลี่ยนเขต."""
    if owner is None:
        return starters()
    display = catalog.display(owner)
    taps = [QuickReply(short_label(k), f"{short_label(k)} {display}")
            for k in catalog.kinds_of(owner) if k != current]
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


def _numbered(names: list[str]) -> str:
    return "\n".join(f"{n}. {name}" for n, name in enumerate(names[:MAX_LISTED], 1))


def _fit(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"
