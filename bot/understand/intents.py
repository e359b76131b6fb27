"""What a message wants besides a quote: small talk, the list of offices, the questions around a
plan (its sections, year, source, signer, contact), a summary, the rest of an answer.

`INTENTS` is tried in order; the first rule whose pattern matches gives the intent. A new
intent is one new row here (its words in index.vocab) and one test.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.understand.align import ALIGN_QUESTION
from bot.understand.question import Question
from bot.understand.tables import TABLE_QUESTION
from index.vocab import (
    ACK_PATTERNS,
    ALL_PATTERNS,
    CHOOSE_PATTERNS,
    CONTACT_PATTERNS,
    COUNT_PATTERNS,
    DIRECTOR_PATTERNS,
    EVERY_OWNER_PATTERNS,
    EXPLAIN_PATTERNS,
    FOLLOW_UP_PATTERNS,
    GREETING_PATTERNS,
    HELP_PATTERNS,
    LIST_OWNERS_PATTERNS,
    MORE_PATTERNS,
    PARENT_PATTERNS,
    PREVIOUS_PATTERNS,
    PROJECTS_UNDER_PATTERNS,
    SECTIONS_PATTERNS,
    SIGNER_PATTERNS,
    SOURCE_PATTERNS,
    SUMMARY_PATTERNS,
    THANKS_PATTERNS,
    WHOSE_PATTERNS,
    YEAR_PATTERNS,
)


def _either(patterns) -> re.Pattern:
    return re.compile("(" + "|".join(patterns) + ")")


FOLLOW_UP = _either(FOLLOW_UP_PATTERNS)
COUNT = _either(COUNT_PATTERNS)
EXPLAIN = _either(EXPLAIN_PATTERNS)
PROJECTS_UNDER = _either(PROJECTS_UNDER_PATTERNS)

#: What an intent may come with: "owner" (an owner, no section or item), "any", or nothing.
ALONE, WITH_OWNER, WITH_SECTION, ANY = "alone", "owner", "section", "any"


class Intent(NamedTuple):
    """One intent rule: its name, its words, what else the message may name with it."""

    name: str
    pattern: re.Pattern
    allows: str  # ALONE: no owner, section or item; WITH_OWNER: no section or item;
    # WITH_SECTION: no item; ANY: anything
    example: str


INTENTS = (
    Intent("projects_under", PROJECTS_UNDER, ANY, "มีโครงการอะไรบ้างภายใต้กลยุทธ์ที่ 2"),
    Intent("align", ALIGN_QUESTION, ANY, "โครงการรักการอ่านสอดคล้องกับกลยุทธ์ไหน"),
    Intent("table", TABLE_QUESTION, ANY, "ค่าเป้าหมายปี 2568 ของตัวชี้วัดข้อ 1, งบโครงการ … เท่าไร"),
    Intent("choose_owner", _either(CHOOSE_PATTERNS), ANY, "เลือกเขต, เปลี่ยนเขต สพม.13"),
    Intent("list_owners", _either(LIST_OWNERS_PATTERNS), ANY, "มีเขตอะไรบ้าง"),
    Intent("every_owner", _either(EVERY_OWNER_PATTERNS), ANY, "กลยุทธ์ของทุกเขต"),
    Intent("parent", _either(PARENT_PATTERNS), WITH_SECTION, "รร.บ้านทุ่งฝาย สังกัดเขตไหน"),
    Intent("whose", _either(WHOSE_PATTERNS), WITH_SECTION, "แผนนี้ของเขตไหน, แผนนี้เป็นของใคร"),
    Intent("source", _either(SOURCE_PATTERNS), ANY, "ที่มาของข้อมูลนี้, ขอลิงก์ต้นฉบับ"),
    Intent("contact", _either(CONTACT_PATTERNS), WITH_SECTION, "เบอร์โทร สพม.13"),
    Intent("year", _either(YEAR_PATTERNS), WITH_SECTION, "แผนนี้ปีไหน, ยังใช้อยู่ไหม"),
    Intent("director", _either(DIRECTOR_PATTERNS), WITH_SECTION, "ใครเป็นผอ.เขต"),
    Intent("signer", _either(SIGNER_PATTERNS), WITH_SECTION, "ใครเป็นคนทำแผนนี้"),
    Intent("count", COUNT, WITH_SECTION, "เป้าประสงค์มีกี่ข้อ, ยุทธศาสตร์ชาติมีกี่ด้าน"),
    Intent("explain", EXPLAIN, ANY, "อธิบายเพิ่มหน่อย, ขยายความข้อนี้"),
    Intent("sections", _either(SECTIONS_PATTERNS), WITH_OWNER, "มีหัวข้ออะไรบ้าง"),
    Intent("summary", _either(SUMMARY_PATTERNS), WITH_SECTION, "สรุปสั้นๆ, สรุปกลยุทธ์"),
    Intent("more", _either(MORE_PATTERNS), ALONE, "ต่อ, ถัดไป, ข้อต่อไป"),
    Intent("previous", _either(PREVIOUS_PATTERNS), ALONE, "ข้อก่อนหน้า, ย้อนกลับ"),
    Intent("all", _either(ALL_PATTERNS), ALONE, "ขอทั้งหมด"),
    Intent("help", _either(HELP_PATTERNS), ALONE, "ช่วยเหลือ, ใช้ยังไง"),
    Intent("thanks", _either(THANKS_PATTERNS), ALONE, "ขอบคุณค่ะ"),
    Intent("greeting", re.compile("^" + _either(GREETING_PATTERNS).pattern), ALONE, "สวัสดีครับ"),
    # The whole message, so it may hold a "number": "555" is laughter.
    Intent("ack", _either(ACK_PATTERNS), ANY, "โอเคครับ, 555, 👍"),
)


def intent_of(q: Question) -> str | None:
    """The first intent of `INTENTS` the question matches, or None for a question about plans."""
    stripped = (q.text if q.unnamed is None else q.unnamed).strip(" ?!.,")
    named = {"owner": bool(q.owners), "section": q.kind is not None, "item": bool(q.refs)}
    for intent in INTENTS:
        if not _allowed(intent.allows, named):
            continue
        if intent.pattern.search(stripped):
            return intent.name
    return None


def _allowed(allows: str, named: dict[str, bool]) -> bool:
    if allows == ANY:
        return True
    if allows == WITH_SECTION:
        return not named["item"]
    if allows == WITH_OWNER:
        return not (named["section"] or named["item"])
    return not any(named.values())
