"""Every Thai (and English) word table the bot uses, in one place.

The parser, the owner names, the tokenizer, question understanding and the benchmark's plan
generator all read their words from here, so a new word is added once. Tables only: the code
that uses them lives with its concern.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- section kinds and heading words (parser, understanding) -----------------------------


@dataclass(frozen=True)
class SectionKind:
    """One kind of plan section and its names."""

    kind: str
    label: str  # how the bot names it in Thai ("a/b": the first part is the short name)
    english: str  # how the bot names it in English
    thai: tuple[str, ...]  # heading words, most specific first
    latin: tuple[str, ...]  # English heading and question words, case-folded
    listy: bool = True  # usually a numbered list (False: usually one paragraph)


#: Section kinds in the order a plan usually shows them. Typos are caught by edit distance
#: (index.headings.fuzzy_kind), not by listing misspellings here.
SECTION_KINDS: tuple[SectionKind, ...] = (
    SectionKind("vision", "วิสัยทัศน์", "Vision", ("วิสัยทัศน์",), ("vision",), listy=False),
    SectionKind("mission", "พันธกิจ", "Mission", ("พันธกิจ",), ("mission", "missions")),
    SectionKind(
        "indicator",
        "ตัวชี้วัด/เป้าหมายความสำเร็จ",
        "Indicators and targets",
        ("เป้าหมายความสำเร็จ", "ตัวชี้วัดความสำเร็จ", "ตัวชี้วัด", "ตัวบ่งชี้", "ค่าเป้าหมาย"),
        ("indicator", "indicators", "kpi", "kpis", "target", "targets"),
    ),
    SectionKind(
        "goal",
        "เป้าประสงค์",
        "Goals",
        ("เป้าประสงค์", "เป้าหมาย", "จุดมุ่งหมาย"),
        ("goal", "goals", "objective", "objectives"),
    ),
    SectionKind(
        "strategic_issue",
        "ยุทธศาสตร์",
        "Strategic issues",
        ("ประเด็นยุทธศาสตร์", "ประเด็นกลยุทธ์", "ยุทธศาสตร์"),
        ("strategic", "strategic issue", "strategic issues"),
    ),
    SectionKind("strategy", "กลยุทธ์", "Strategies", ("กลยุทธ์",), ("strategy", "strategies")),
    SectionKind("focus", "จุดเน้น", "Focus points", ("จุดเน้น",), ("focus",)),
    SectionKind(
        "identity",
        "อัตลักษณ์/เอกลักษณ์",
        "Identity",
        ("อัตลักษณ์", "เอกลักษณ์"),
        ("identity",),
        listy=False,
    ),
    SectionKind("values", "ค่านิยม", "Values", ("ค่านิยม",), ("values", "core values")),
    SectionKind(
        "guideline",
        "แนวทางการพัฒนา",
        "Development guidelines",
        ("แนวทางการพัฒนา", "แนวทางการดำเนินงาน", "แนวทาง"),
        ("guideline", "guidelines"),
    ),
    SectionKind("policy", "นโยบาย", "Policies", ("นโยบาย",), ("policy", "policies")),
    SectionKind("motto", "คำขวัญ", "Motto", ("คำขวัญ", "คติพจน์"), ("motto",), listy=False),
    SectionKind("philosophy", "ปรัชญา", "Philosophy", ("ปรัชญา",), ("philosophy",), listy=False),
    SectionKind(
        "signature",
        "ผู้ลงนามและการติดต่อ",
        "Signature and contact",
        ("ผู้ลงนาม", "ลงชื่อ", "ผู้จัดทำ", "ติดต่อ"),
        ("contact", "signature"),
        listy=False,
    ),
)

#: Kinds that may nest inside a strategic issue ("ยุทธศาสตร์ที่ 3 ... กลยุทธ์ ...").
NESTABLE = frozenset({"goal", "strategy", "indicator", "focus", "guideline"})

#: The one signature word that is a heading even with a name after it ("ลงชื่อ นายสมชาย");
#: the others ("ติดต่อ") are headings only alone ("ติดต่อสื่อสารได้ดี" is a sentence).
SIGN_WORD = "ลงชื่อ"

# --- offices and schools (owner names) ----------------------------------------------------

#: How an area office's full name starts: สำนักงานเขตพื้นที่การศึกษา + level + province + เขต n.
AREA_OFFICE_PREFIX = "สำนักงานเขตพื้นที่การศึกษา"
#: The word before an area's number ("แพร่ เขต 1").
AREA_WORD = "เขต"

#: Office levels: full word -> (kind, abbreviation, Thai words for it, English words for it).
LEVELS = {
    "ประถมศึกษา": ("spp", "สพป", ("ประถม", "ประถมศึกษา"), ("primary", "spp", "pesao")),
    "มัธยมศึกษา": ("spm", "สพม", ("มัธยม", "มัธยมศึกษา"), ("secondary", "spm", "sesao")),
}

#: The national office, its abbreviation and the names people call it.
OBEC_NAME = "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน"
OBEC_ABBREVIATIONS = ("สพฐ.", "สพฐ", "OBEC")
OBEC_ENGLISH = "Office of the Basic Education Commission"

SCHOOL_WORD = "โรงเรียน"
SCHOOL_ABBREVIATION = "รร."
SCHOOL_PREFIXES = (SCHOOL_WORD, SCHOOL_ABBREVIATION)
#: A village school's name often drops this word: บ้านหนองบัววิทยา -> หนองบัววิทยา.
VILLAGE_WORD = "บ้าน"
#: Endings a school's everyday name often drops: สวนกุหลาบวิทยาลัย -> สวนกุหลาบ.
SCHOOL_SUFFIXES = (
    "วิทยาลัย", "วิทยาคม", "วิทยาคาร", "วิทยาสรรพ์", "วิทยานุสรณ์", "วิทยา",
    "พิทยาคม", "พิทยาคาร", "พิทยาสรรพ์", "พิทยา", "ศึกษา", "อนุสรณ์", "ราษฎร์บำรุง",
)

# --- domain terms (tokenizer) -------------------------------------------------------------

#: Words of this domain that PyThaiNLP's dictionary lacks or splits.
DOMAIN_TERMS = (
    "สพป", "สพม", "สพฐ", "สพท", "ศธ", "สช", "สอศ", "สกศ", "สมศ",
    "วิสัยทัศน์", "พันธกิจ", "เป้าประสงค์", "กลยุทธ์", "ยุทธศาสตร์", "ตัวชี้วัด", "ตัวบ่งชี้",
    "จุดเน้น", "อัตลักษณ์", "เอกลักษณ์", "ค่านิยม", "คำขวัญ", "ผลสัมฤทธิ์", "สมรรถนะ",
    "ธรรมาภิบาล", "ศึกษานิเทศก์", "นวัตกรรม", "สารสนเทศ", "ภาคีเครือข่าย", "เขตพื้นที่",
    "การศึกษาขั้นพื้นฐาน", "ปฐมวัย", "เทคโนโลยีดิจิทัล", "ดิจิทัล", "โควิด",
    "o-net", "nt", "ita", "pdca", "ict", "rt", "pisa", "plc", "stem", "steam",
)

# --- page noise, signatures and contacts (parser) -----------------------------------------

#: Titles before a signer's name (case-insensitive).
HONORIFICS = (
    "นางสาว", "นาง", "นาย", "น.ส.", "ดร.", "ผศ.", "รศ.", "ศ.", "mr.", "mrs.", "ms.", "dr.",
)
#: Titles written with optional dots and spaces, as regular expressions: ว่าที่ ร.ต., ว่าที่ร.ท.
HONORIFIC_PATTERNS = (r"ว่าที่\s*ร\.?\s*[ตทอ]\.?",)
#: How the line under a signer's name starts: their position.
POSITIONS = (
    "ผู้อำนวยการ", "รองผู้อำนวยการ", "ผู้ช่วยผู้อำนวยการ", "ตำแหน่ง", "หัวหน้า", "ศึกษานิเทศก์",
    "นักวิเคราะห์", "ประธาน", "เลขาธิการ", "รักษาการ", "ผู้รับผิดชอบ", "ผู้จัดทำ", "นักวิชาการ",
    "เจ้าหน้าที่", "ครู",
)
#: Contact labels (case-insensitive): a phone label before a number, a mail label before a
#: number or an address, a place label before a colon.
PHONE_LABELS = ("โทรศัพท์", "โทรสาร", "โทร", "tel", "fax")
MAIL_LABELS = ("e-mail", "email", "อีเมล")
PLACE_LABELS = ("ที่อยู่", "website", "เว็บไซต์")
#: A short line without Thai that contains one of these is web-page furniture, not plan text.
PAGE_NOISE = (
    "google", "calendar", "facebook", "twitter", "youtube", "instagram", "share", "print",
    "e-mail", "email", "copyright", "©", "all rights", "powered by", "login", "log in",
    "search", "read more", "back to top", "skip to", "cookie",
)
#: The same, but only as whole words ("line" is noise, "deadline" is not).
PAGE_NOISE_WORDS = ("line", "home", "menu", "view", "views", "tag", "tags")

# --- question words: intents, follow-ups, fillers (understanding) ------------------------
# Patterns are regular-expression alternatives over folded text (index.text.fold); word lists
# are plain words. bot.understand builds its matchers from these, in this order.

#: A greeting, at the start of a message.
GREETING_PATTERNS = ("สวัสดี", "หวัดดี", "ดีครับ", "ดีค่ะ", "hello", r"hi\b", r"hey\b",
                     "good (morning|afternoon)")
#: Thanks, anywhere in a message.
THANKS_PATTERNS = ("ขอบคุณ", "ขอบใจ", "thank", "thx", "ขอบพระคุณ")
#: Asking how to use the bot.
HELP_PATTERNS = ("^help", r"^\?+$", "ช่วยเหลือ", "วิธีใช้", "ใช้งาน(ยังไง|อย่างไร)",
                 "ใช้(ยังไง|อย่างไร)", "(ถาม|ทำ|ช่วย)อะไรได้", "คู่มือ", "^เมนู", "^menu",
                 "^คำสั่ง", "^how to use")
#: Asking to pick (or change) the office being discussed: "เลือกเขต", "เปลี่ยนโรงเรียน".
CHOOSE_PATTERNS = ("(เลือก|เปลี่ยน)(เขต|หน่วยงาน|โรงเรียน|สำนักงาน|แผน)",)
#: Asking which plans the bot has: "มีเขตอะไรบ้าง", "รายชื่อหน่วยงาน".
LIST_OWNERS_PATTERNS = ("มี(เขต|แผน|หน่วยงาน|โรงเรียน)(อะไร|ไหน|ของใคร)", "รายชื่อ(เขต|หน่วยงาน|แผน)")
#: A follow-up to the last answer: "แล้วพันธกิจล่ะ", "ของลำปางด้วย".
FOLLOW_UP_PATTERNS = ("ล่ะ", "ละ$", "หละ", "แล้ว", "ด้วย", "เหมือนกัน", r"and\b", "what about")

#: The words a question names an office's level with, by owner kind. Fewer than LEVELS
#: (above) holds: "ประถมศึกษา" is found by its start, and "pesao" is not read in questions.
LEVEL_WORDS = {
    "spp": ("สพป", "ประถม", "primary", "spp"),
    "spm": ("สพม", "มัธยม", "secondary", "spm"),
}
#: Words before an area number in a question: "เขต 1", "area 1".
AREA_WORDS = (AREA_WORD, "area")

#: Words before an item number (patterns): "ข้อ 2", "ลำดับที่ 3", "no. 4", "#5".
ITEM_PATTERNS = ("ข้อที่", "ข้อ", "ลำดับที่", "อันดับที่", "item", r"no\.?", "#")
#: Words between a section word and its number (patterns): "กลยุทธ์ข้อที่ 2", "กลยุทธ์ที่ 2".
SECTION_NUMBER_PATTERNS = ("ข้อที่", "ข้อ", "ที่", r"no\.?", "#")
#: Ordinal words after ข้อ, and the item number each stands for ("last": the section's last).
ORDINAL_WORDS = {"แรก": "1", "สุดท้าย": "last"}
#: Words joining the two ends of a range (patterns): "ข้อ 1-3", "ข้อ 1 ถึง 3".
RANGE_PATTERNS = ("-", "ถึง", "to")
#: Words adding one more number (patterns): "ข้อ 1 และ 3", "ข้อ 1, 2".
AND_PATTERNS = (",", "และ", "กับ", "&", "and")
#: Thai number words PyThaiNLP reads as digits: "กลยุทธ์ที่สอง".
NUMBER_WORDS = ("หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า", "สิบ", "ยี่สิบ",
                "เอ็ด")
#: "3 ข้อแรก": the first n items.
FIRST_N_WORD = "ข้อแรก"

#: Words that ask, not say what about: dropped before topic search.
FILLER_WORDS = (
    "อะไร บ้าง ไหม มั้ย ไหน อย่างไร ยังไง คือ ขอ ดู หน่อย ครับ ค่ะ คะ ครับผม ล่ะ ละ แล้ว เรื่อง "
    "เกี่ยวกับ มี ที่ ข้อ บอก ทราบ อยาก รู้ ช่วย แสดง ทั้งหมด แผน ของ และ หรือ ว่า ได้ "
    "plan what is the of about show me please tell"
).split()
#: Politeness words that end an office's name typed without a space: "สพม.แอตแลนติสครับ".
POLITE_WORDS = ("ครับ", "ค่ะ")
