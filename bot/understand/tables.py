"""Reading a question about a plan's tables: an indicator's target for a year, a project's
budget or who is responsible for it, a group's projects, the list of projects, the total.

`TABLE_QUESTION` is the intent's pattern (one row of `bot.understand.intents.INTENTS`, tried
after alignment's, so "โครงการรักการอ่านสอดคล้องกับกลยุทธ์ไหน" stays an alignment question);
`read` says what exactly is asked (`TableQuestion`). Questions arrive folded
(`index.text.fold`): Thai digits are Arabic digits already, so "ปี ๒๕๖๘" reads as 2568.
Only explicit years count: "ปีหน้า" names none, and the bot does not guess which year it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.understand.question import Question
from index.vocab import LEVEL_ALONE, LEVEL_PREFIX_PATTERNS

_YEAR = r"25\d\d(?!\d)"
#: A year or a span of years: "ปี 2568", "พ.ศ. 2568", "2567-2569", "ปี 2567 ถึง 2569".
YEARS = re.compile(rf"(?<!\d)({_YEAR})(?:\s*(?:-|–|ถึง)\s*(?:ปี\s*)?({_YEAR}))?")
#: A Buddhist-era year written with two digits after its word: "ปี 68", "ปีงบ 68",
#: "พ.ศ. 67-69" (teachers write them so; the plans print 2568).
SHORT_YEARS = re.compile(r"(ปี(?:งบ(?:ประมาณ)?|การศึกษา)?|พ\.?\s*ศ\.?)\s*(\d{2})"
                         r"(?:\s*(-|–|ถึง)\s*(?:ปี\s*)?(\d{2}))?(?![\d.])")
#: Every year of the table: "ค่าเป้าหมายทุกปี", "แต่ละปี", "รายปี".
EVERY_YEAR = re.compile(r"ทุก\s*ๆ?\s*ปี|แต่ละปี|รายปี|ทุกปีงบประมาณ")
INDICATOR = re.compile(r"ตัวชี้วัด|ค่าเป้าหมาย|ตั้งเป้า|\bkpis?\b")
#: Asking for the figures themselves, with no year: "มีค่าเป้าหมายเท่าไหร่", "ตั้งเป้าไว้กี่คน":
#: every year's.
FIGURE_ASKED = re.compile(r"(?:ค่าเป้าหมาย|เป้า(?:หมาย)?|ตั้งเป้า)\S{0,6}\s*(?:เท่า\s*ไ[รห]|กี่)")
#: "กี่คน", "กี่โรง": a figure; "กี่ข้อ", "กี่ด้าน", "กี่โครงการ": a count of items.
_HOW_MANY = (r"กี่\s*(?!ข้อ|ประการ|เป้า|ด้าน|กลยุทธ์|ยุทธศาสตร์|ตัว|หัวข้อ|โครงการ|อัน|รายการ"
             r"|เรื่อง|แผน|บาท)\S")
#: A figure asked of a target with no indicator word: "เป้าหมายปี 2568 กี่คน", "เป้าหมาย
#: ร้อยละเท่าไร". Not a count of items ("เป้าหมายมีกี่ข้อ", "กี่ประการ": how many goals), and
#: not a year the bot would have to guess ("เป้าหมายปีหน้าเท่าไร").
FIGURE_OF_TARGET = re.compile(
    r"เป้า(?:หมาย)?(?!ประสงค์)(?:(?!ปี(?:หน้า|นี้|ที่แล้ว|ก่อน|ต่อไป)).){0,24}?"
    rf"(?:เท่า\s*ไ[รห]|{_HOW_MANY})")
#: A figure of a year asked with no target or indicator word: "เด็กออกกลางคันกี่คนในปี 2568",
#: "คะแนน O-NET ปี 2570 ตั้งไว้เท่าไหร่"; a target only if an indicator's words say what of.
FIGURE_OF_YEAR = re.compile(rf"^(?=.*(?<!\d)(?:{_YEAR})(?!\d))(?=.*(?:{_HOW_MANY}|เท่า\s*ไ[รห]"
                            r"|ตั้ง\S{0,6}ไว้))(?!.*(?:งบ|บาท|โครงการ|budget|project))", re.S)
#: The target itself named: "ค่าเป้าหมายของตัวชี้วัดข้อ 2" (every year's, with no year), or
#: its unit: "หน่วยนับของตัวชี้วัด ITA" (shown with the targets).
TARGET_NAMED = re.compile(r"ค่าเป้าหมาย|หน่วยนับ")
BUDGET = re.compile(r"งบ(?:ประมาณ)?|กี่บาท|budget")
#: The largest or smallest budget: "โครงการไหนงบเยอะที่สุด", "งบน้อยที่สุด".
MOST = re.compile(r"(?:เยอะ|มาก|สูง)\s*(?:ที่)?สุด|most|highest|largest")
LEAST = re.compile(r"(?:น้อย|ต่ำ)\s*(?:ที่)?สุด|least|lowest|smallest")
RESPONSIBLE = re.compile(r"รับผิดชอบ|ใคร\s*(?:เป็น\s*(?:คน)?)?ดูแล|responsible")
PROJECT = re.compile(r"โครงการ|projects?\b")
HOW_MUCH = re.compile(r"เท่า\s*ไ[รห]|กี่บาท|จำนวนเงิน|how much")
#: A list is asked for: "มีโครงการอะไรบ้าง", "รายชื่อโครงการ", "โครงการทั้งหมด".
WHICH = re.compile(r"อะไร|ไหน|บ้าง|ทั้งหมด|รายชื่อ|กี่โครงการ|ใดบ้าง|list|which|what"
                   r"|ไหม|มั้ย|หรือไม่|หรือเปล่า")  # "มีโครงการเรื่อง PLC ไหม": those there are
#: The sum the plan prints: "งบประมาณรวม", "งบทั้งหมด", "รวมทั้งสิ้น".
TOTAL = re.compile(r"รวม|ทั้งหมด|ทั้งสิ้น|total")
#: Every project at once: "งบของแต่ละโครงการ", "โครงการทั้งหมดพร้อมงบ", "งบรายโครงการ".
EVERY_PROJECT = re.compile(r"โครงการ\s*ทั้งหมด|ทุก\s*โครงการ|แต่ละ\s*โครงการ|ราย\s*โครงการ")
#: A working group of an office or school: "กลุ่มนโยบายและแผน", "ฝ่ายบริหารงานทั่วไป",
#: "กลุ่มสาระการเรียนรู้ภาษาไทย", or a person named as responsible; "กลุ่มเป้าหมาย" is whom
#: a project is for, not a group.
_TITLE = r"(?:นางสาว|นาง|นาย|น\.ส\.)"  # before a person's name
GROUP = re.compile(r"(?:กลุ่ม(?!เป้าหมาย|ไหน|ใด)|ฝ่าย(?!ไหน|ใด)|หน่วยงาน(?!ไหน|ใด)"
                   rf"|{_TITLE}(?=[ก-ฮ]))\S*"  # or a person: "นายประเสริฐ บุญมา"
                   r"(?:\s+(?!(?:มี|รับผิดชอบ|ทำ|ดูแล|ของ|ใน|โครงการ))\S+)*")
#: A person named by title and name: "นางบุษบา", "นายประเสริฐ".
PERSON = re.compile(rf"{_TITLE}[ก-๙]+")
#: "โครงการของกลุ่มนโยบายและแผน": a group's projects, with no asking word.
OF_GROUP = re.compile(r"(?:ของ|ใน)\s*(?:กลุ่ม(?!เป้าหมาย|ไหน|ใด)|ฝ่าย(?!ไหน|ใด))")

#: A plan named by its level alone, no name after it: "โครงการ PLC ของเขต งบเท่าไร",
#: "…สอดคล้องกับกลยุทธ์ไหนของเขตและ สพฐ." (not "ของโรงเรียนบ้านดอย", a name, nor
#: "ของเขตพื้นที่สูง", a topic). Group 1 is the level word.
OF_LEVEL = re.compile(
    rf"(?:ของ|ระดับ|ฝั่ง)\s*({'|'.join(re.escape(w) for w in sorted(LEVEL_ALONE, key=len, reverse=True))})"
    r"\.?(?:การศึกษา)?(?=\s|$|งบ|ใคร|รับผิดชอบ|เท่า|มี|ล่ะ|และ|กับ|บ้าง|ข้อ|ด้วย|ทั้ง|[,.?])")

#: Words around a project's name in a question, cut off before the name is matched.
_NAME_END = re.compile(
    r"\s*(?:ใช้\s*งบ|งบ|ใคร|ผู้รับผิดชอบ|หน่วยงาน|กลุ่ม(?:งาน)?ไหน|ฝ่ายไหน|รับผิดชอบ|เท่า\s*ไ[รห]|"
    r"กี่บาท|ได้รับ|มีงบ|ของ(?:\s|(?=เขต|โรงเรียน|รร\.|สพ[ปม]|สำนักงาน))|คือ|อยู่|ได้\s*เงิน|(?:มี)?อะไร|(?:มี)?(?<!เ)กี่|บ้าง|ทั้งหมด|\?|$)")
_NAME_FRAME = re.compile(
    r"^(?:\s|ของ|ขอ|ดู|ถาม|อยากทราบ|อยากรู้|ทราบ|งบ(?:ประมาณ)?|ผู้รับผิดชอบ|ใน|ที่|รวม|ทั้งหมด|ทั้งสิ้น"
    r"|เรื่อง|เกี่ยวกับ"
    r"|รายละเอียด|ข้อมูล|รายการ|รายชื่อ)+"
    r"|(?:\s|ครับ|ค่ะ|คะ|นะ|หน่อย|บ้าง|ทั้งหมด|ทั้งสิ้น|อะไร|มี|ใช้|เป็น|ให้|ที่|ไหม|มั้ย|หรือไม่|หรือเปล่า"
    r"|ล่ะ|หล่ะ)+$")


#: A budget word opening a question that names a project without the word โครงการ.
_BUDGET_FIRST = re.compile(r"^\s*(?:ขอ\s*)?(?:ดู\s*)?งบ(?:ประมาณ)?(?:ของ)?\s*")

#: What is left of an office's name once the office is taken out of a question.
_OWNER_WORD = re.compile(rf"(?:ทาง)?(?:{'|'.join(LEVEL_PREFIX_PATTERNS)}|สำนักงานเขต|เขต|หน่วยงาน)?"
                         r"\s*(?:ของ)?\s*(?:เรา|นี้|นี่|ผม|ดิฉัน|ทั้งหมด)?")


@dataclass
class TableQuestion:
    """What a question asks of a plan's tables."""

    ask: str  # target | budget | budgets | source | responsible | group | projects | total
    #           | most | least
    years: list[int] = field(default_factory=list)  # the years asked for ([] with every_year)
    every_year: bool = False
    name: str = ""  # the words naming the project (or the group), folded
    by_words: bool = False  # a target only if an indicator's words say what of (FIGURE_OF_YEAR)
    and_who: bool = False  # a budget asked with who is responsible: "งบเท่าไหร่ ใครรับผิดชอบ"
    level: tuple[str, ...] = ()  # "โครงการ PLC ของเขตงบเท่าไร": the plan of that level's


#: Where money comes from: "ได้รับงบจาก อบต. เท่าไหร่", "เงินสนับสนุนจากสมาคมผู้ปกครอง":
#: the words after จาก (group 1), up to the question's frame.
SOURCE = re.compile(r"(?:งบ(?:ประมาณ)?|เงิน)\S{0,12}?\s*จาก\s*(\S.*)")
#: The intent: an indicator's target in a year, a budget, who is responsible, a project list.
TABLE_QUESTION = re.compile(
    rf"^(?=.*(?:{INDICATOR.pattern}))(?=.*(?:{_YEAR}|{EVERY_YEAR.pattern}|{FIGURE_ASKED.pattern}))"
    rf"|^(?=.*(?:{FIGURE_OF_TARGET.pattern}|{TARGET_NAMED.pattern}))|{FIGURE_OF_YEAR.pattern}"
    rf"|^(?=.*(?:{BUDGET.pattern}))(?=.*(?:{PROJECT.pattern}|{HOW_MUCH.pattern}|{TOTAL.pattern}"
    rf"|{MOST.pattern}|{LEAST.pattern}|{SOURCE.pattern}))"
    rf"|^(?=.*(?:{RESPONSIBLE.pattern}))(?=.*(?:{PROJECT.pattern}))"
    rf"|^(?=.*(?:{PROJECT.pattern}))(?=.*(?:{WHICH.pattern}|{OF_GROUP.pattern}))",
    re.S,
)


def read(q: Question, unnamed: str | None = None) -> TableQuestion | None:
    """What a table question asks ("ค่าเป้าหมายปี 2568 ของตัวชี้วัดข้อ 1": the target of
    indicator 1 in 2568), or None when it is not one. `unnamed` is the question without the
    offices it names, where a project's or group's name is looked for; a plan named by its
    level alone ("ของเขต") is the asked's `level`."""
    asked = _read(q, unnamed)
    level = OF_LEVEL.search(q.text if unnamed is None else unnamed)
    if asked is not None and level and asked.ask in ("budget", "responsible", "projects"):
        asked.level = LEVEL_ALONE[level.group(1)]
    return asked


def _read(q: Question, unnamed: str | None = None) -> TableQuestion | None:
    """`read` but the plan's level."""
    text = q.text if unnamed is None else unnamed
    if INDICATOR.search(text) or FIGURE_OF_TARGET.search(text):
        years = years_in(text)
        asked = (FIGURE_ASKED.search(text) or FIGURE_OF_TARGET.search(text)
                 or TARGET_NAMED.search(text))
        every = bool(EVERY_YEAR.search(text)) or (not years and bool(asked))
        if years or every:
            return TableQuestion("target", years, every)
    if FIGURE_OF_YEAR.search(text):
        return TableQuestion("target", years_in(text), by_words=True)
    project = PROJECT.search(text)
    budget = BUDGET.search(PERSON.sub(" ", text))  # not the งบ of "นางบุษบา"
    if budget and (MOST.search(text) or LEAST.search(text)):
        return TableQuestion("most" if MOST.search(text) else "least")
    if source := source_name(text):
        return TableQuestion("source", name=source)  # "งบจาก อบต. เท่าไหร่": not the total
    if budget and EVERY_PROJECT.search(text) and not re.search(r"รวม", text):
        return TableQuestion("budgets")  # each project's, with the plan's total row
    if budget and (project or HOW_MUCH.search(text) or TOTAL.search(text)):
        name = project_name(text)
        if not name and TOTAL.search(text):
            return TableQuestion("total")
        return TableQuestion("budget", name=name, and_who=bool(RESPONSIBLE.search(text)))
    if RESPONSIBLE.search(text) and project:
        group = group_name(text)
        if group and WHICH.search(text) and group_name(text[:project.start()]):
            return TableQuestion("group", name=group)  # "กลุ่ม X รับผิดชอบโครงการอะไร"
        return TableQuestion("responsible", name=project_name(text))
    if project and (WHICH.search(text) or OF_GROUP.search(text, project.end())):
        group = group_name(text)
        if group:
            return TableQuestion("group", name=group)
        return TableQuestion("projects", name=project_name(text))
    return None


def full_years(folded: str) -> str:
    """"ปี 68" -> "ปี 2568", "ปีงบ 67-69" -> "ปีงบ 2567-2569": years as the plans print them."""
    if "ปี" not in folded and "ศ" not in folded:
        return folded

    def full(match: re.Match) -> str:
        word, first, between, last = match.groups()
        return f"{word} 25{first}" + (f"{between}25{last}" if last else "")

    return SHORT_YEARS.sub(full, folded)


def years_in(folded: str) -> list[int]:
    """The years a question names, spans spread out: "2567-2569" -> [2567, 2568, 2569]."""
    years: list[int] = []
    for match in YEARS.finditer(folded):
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) else first
        span = range(first, last + 1) if first <= last <= first + 20 else (first, last)
        years += [y for y in span if y not in years]
    return years


def project_name(folded: str) -> str:
    """The words after "โครงการ" up to the question's frame ("ใช้งบ", "ใครรับผิดชอบ", "ของ"),
    else those before the frame: "" when the question names no project."""
    match = PROJECT.search(folded)
    if match:
        name = _named(folded[match.end():])
        if name:
            return name  # "…ทุกโครงการของโรงเรียน": the plan's, not a project's name
        before = folded[:match.start()]
    else:  # "งบ PLC เท่าไหร่": the words after the budget word, with no โครงการ
        before = _BUDGET_FIRST.sub("", folded)
        budget = BUDGET.search(before)
        after = _named(before[budget.end():]) if budget else ""
        if after:  # "มีงบพัฒนาครูเท่าไหร่": what the money is for, not the plan's total
            return after
    return _named(before)


def source_name(folded: str) -> str:
    """Where the money asked about comes from ("อบต."), "" when the question names none."""
    found = SOURCE.search(folded)
    return _named(found.group(1)) if found else ""


def _named(words: str) -> str:
    """The words up to the question's frame, its asking words cut off: "" when nothing is
    left, or only what an office's name left behind ("รร.หนองน้ำใส มีโครงการอะไรบ้าง": the
    school was taken out as the owner, and "รร.", "โรงเรียน", "เขต", "โรงเรียนเรา" name no
    project)."""
    name = _NAME_FRAME.sub("", words[:_NAME_END.search(words).start()]).strip()
    return "" if _OWNER_WORD.fullmatch(name) else name


def group_name(folded: str) -> str:
    """The working group a question names ("กลุ่มนโยบายและแผน"), "" when none."""
    found = GROUP.search(folded)
    if not found:
        return ""
    name = re.split(r"มี|รับผิดชอบ|ทำ|ดูแล|โครงการ|อะไร|บ้าง", found.group(0))[0]
    return name.strip() if len(name.strip()) > len("กลุ่ม") else ""
