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
    summarised: bool = True  # part of a whole-plan summary (False: offered as a tap only)


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
        summarised=False,  # who signed and the phone number are not what the plan says
    ),
)

#: Kinds of a document's content that the parser reads (headings, a table's main column) but
#: no question asks for by kind yet: "โครงการ" is also the frame word of "which strategy fits
#: my project" questions (bot/understand/align.py), so it is not a question kind word.
DOCUMENT_KINDS: tuple[SectionKind, ...] = (
    SectionKind(
        "project",
        "โครงการ",
        "Projects",
        ("แผนงาน/โครงการ", "โครงการ/กิจกรรม", "โครงการ"),
        ("project", "projects"),
    ),
)

#: Kinds that may nest inside a strategic issue ("ยุทธศาสตร์ที่ 3 ... กลยุทธ์ ...").
NESTABLE = frozenset({"goal", "strategy", "indicator", "focus", "guideline"})

#: Column headings of a table's list numbers ("ที่", "ลำดับ"), folded.
NUMBER_COLUMNS = frozenset({"ที่", "ลำดับ", "ลำดับที่", "ข้อ", "ข้อที่", "no", "no.", "#"})
#: How a table's total row starts ("รวม 750,000"), folded.
TOTAL_WORDS = ("รวมทั้งสิ้น", "รวมทั้งหมด", "รวม", "total")

#: How a chapter of a whole plan starts: "ส่วนที่ 1 บทนำ", "บทที่ 2 สภาพปัจจุบัน", "Part 3".
CHAPTER_WORDS = ("ส่วนที่", "บทที่", "ภาคที่", "chapter", "part")
#: Headings of a plan's prose and analysis parts (SWOT): sections of their own, but no kind a
#: teacher asks for, and not unknown either.
PROSE_HEADINGS = (
    "จุดแข็ง", "จุดอ่อน", "โอกาส", "อุปสรรค", "บทนำ", "ความเป็นมา", "สภาพทั่วไป",
    "ข้อมูลพื้นฐาน", "สภาพปัจจุบัน", "การวิเคราะห์สภาพแวดล้อม", "การติดตามและประเมินผล",
    "ปัจจัยแห่งความสำเร็จ", "หลักการ", "วัตถุประสงค์ของแผน",
)
#: How the heading of a plan's part that no question kind names may start, then say more:
#: "ความเชื่อมโยงกับยุทธศาสตร์ชาติ", "ความสอดคล้องกับนโยบาย สพฐ.", "มาตรฐานการศึกษาของสถานศึกษา".
PROSE_HEADING_OPENINGS = ("ความเชื่อมโยง", "การเชื่อมโยง", "ความสอดคล้อง", "มาตรฐานการศึกษา")
#: The English tags of those headings ("จุดแข็ง (Strengths)").
LATIN_PROSE_HEADINGS = ("strengths", "weaknesses", "opportunities", "threats", "swot",
                        "introduction", "background")
#: English words around a heading word that add nothing: "Our Mission", "Vision Statement".
LATIN_FILLERS = frozenset({
    "our", "the", "school", "school's", "schools", "statement", "statements", "of", "and",
    "key", "main", "office", "office's", "area", "educational", "education",
})
#: How an indicator starts ("ร้อยละของนักเรียน..."): an untitled list of such lines is a list
#: of indicators.
INDICATOR_OPENINGS = ("ร้อยละ", "จำนวน", "อัตรา", "ระดับ", "ค่าเฉลี่ย", "สัดส่วน", "คะแนน")
#: After ยุทธศาสตร์, what starts a strategy titled by name rather than number:
#: "ยุทธศาสตร์ชาติด้านความมั่นคง", "ยุทธศาสตร์ด้านการพัฒนาครู".
NAMED_TITLE_OPENINGS = ("ชาติด้าน", "ด้าน")
#: Kinds whose items may be titled by name ("ยุทธศาสตร์ชาติด้าน...") as by number.
NAMED_TITLE_KINDS = frozenset({"strategic_issue"})

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

#: Owners above the area offices, known by name: (owner kind, the name shown, every name a
#: plan or a question calls it by). A plan loaded under one of these names is called by all of
#: them (index.names); a question naming one whose plan is not loaded is told so, and never
#: answered with another owner's section (bot.understand.owners).
NATIONAL_OWNERS = (
    ("national_strategy", "ยุทธศาสตร์ชาติ",
     ("ยุทธศาสตร์ชาติ", "ยุทธศาสตร์ชาติ 20 ปี", "ยุทธศาสตร์ชาติ 20ปี", "national strategy")),
    ("obec", OBEC_ABBREVIATIONS[0], (OBEC_NAME, *OBEC_ABBREVIATIONS, OBEC_ENGLISH)),
    ("moe", "กระทรวงศึกษาธิการ",
     ("กระทรวงศึกษาธิการ", "กระทรวงศึกษา", "ศธ.", "ministry of education")),
    ("national_education_plan", "แผนการศึกษาแห่งชาติ",
     ("แผนการศึกษาแห่งชาติ", "national education plan")),
    ("nesdp", "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ",
     ("แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ", "แผนพัฒนาเศรษฐกิจ", "สภาพัฒน์")),
    ("master_plan", "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ",
     ("แผนแม่บทภายใต้ยุทธศาสตร์ชาติ", "แผนแม่บทฯ", "แผนแม่บท")),
)

SCHOOL_WORD = "โรงเรียน"
SCHOOL_ABBREVIATION = "รร."
SCHOOL_PREFIXES = (SCHOOL_WORD, SCHOOL_ABBREVIATION)
#: Level words typed right before an office's own name ("รร.หนองน้ำใส", "สพป.แพร่"), as
#: regular-expression alternatives over folded text.
LEVEL_PREFIX_PATTERNS = (r"รร\.?", "โรงเรียน", r"สพป\.?", r"สพม\.?", "สำนักงาน")
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
    "เจ้าหน้าที่", "ครู", "ศึกษาธิการ", "ปลัด", "อธิบดี", "รัฐมนตรี", "ผู้ว่าราชการ",
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
#: How a Thai line of a web page's furniture starts: when the page was updated, who keeps it,
#: how many saw it ("ข้อมูล ณ วันที่ 15 พฤษภาคม 2567 | ผู้ดูแลหน้า: …").
THAI_PAGE_NOISE = ("ข้อมูล ณ วันที่", "ปรับปรุงล่าสุด", "แก้ไขล่าสุด", "อัปเดตล่าสุด",
                   "อัพเดทล่าสุด", "อัพเดตล่าสุด", "ผู้ดูแลหน้า", "ผู้ดูแลเว็บ", "ผู้เข้าชม",
                   "จำนวนผู้เข้าชม", "สถิติผู้เข้าชม")
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
#: A message that only acknowledges, agrees or laughs ("ครับ", "โอเคค่ะ", "555", "👍"): the
#: whole message, so "โอเค แล้วพันธกิจล่ะ" is still a question. "555" is laughter, not item 555.
ACK_PATTERNS = (
    # Each piece is an atomic group and the repetition possessive: a long "5555…" that is not
    # an acknowledgement after all fails at once, instead of trying every split of it
    # (exponential: 50 fives took 27 s, holding the GIL). Longer words first in each group.
    r"^(?>ได้เลย|ได้|เข้าใจแล้ว|เข้าใจ|ทราบแล้ว|รับทราบ|ทราบ|เยี่ยมมาก|เยี่ยม|ดีมาก|สุดยอด|เจ๋ง"
    r"|ถูกต้อง|ใช่|งั้น|แล้ว|อ๋อ|อ้อ|อืม+|อือ|ขำมาก|ขำ|5{3,}|ฮ่า+|ฮา+|lol|(?:ha)+"
    r"|ครับ|คับ|ครัช|ค่ะ|คะ|ค่า|คร่า|จ้า|จ้ะ|จ๊ะ|นะ|โอเคร|โอเช|โอเค|okay|okie|oki|ok|เค"
    r"|ๆ|[^\w\s]+|\s+)++$",
)
#: Asking how to use the bot.
HELP_PATTERNS = ("^help", r"^\?+$", "ช่วยเหลือ", "วิธีใช้", "ใช้งาน(ยังไง|อย่างไร)",
                 "ใช้(ยังไง|อย่างไร)", "(ถาม|ทำ|ช่วย)อะไรได้", "คู่มือ", "^เมนู", "^menu",
                 "^คำสั่ง", "^how to use")
#: Asking to pick (or change) the office being discussed: "เลือกเขต", "เปลี่ยนโรงเรียน".
CHOOSE_PATTERNS = ("(เลือก|เปลี่ยน)(เขต|หน่วยงาน|โรงเรียน|สำนักงาน|แผน)",)
#: Asking which plans the bot has: "มีเขตอะไรบ้าง", "รายชื่อหน่วยงาน", "มีแผนของหน่วยงานไหนบ้าง",
#: "มีข้อมูลของเขตไหนบ้าง", "บอทมีแผนของที่ไหนบ้าง", "ขอดูแผนทั้งหมดที่มี", "which plans do you have".
LIST_OWNERS_PATTERNS = (
    "มี(เขต|แผน|หน่วยงาน|โรงเรียน)(อะไร|ไหน|ใด|ของใคร)", "รายชื่อ(เขต|หน่วยงาน|แผน|โรงเรียน)",
    # how many: "มีแผนทั้งหมดกี่หน่วยงาน", "บอทมีแผนกี่เขต" (the list says how many first)
    r"(แผน|ข้อมูล)\S{0,8}กี่\s*(เขต|หน่วยงาน|แผน|โรงเรียน|สำนักงาน)",
    r"มี\s*(แผน|ข้อมูล)\s*(ของ)?\s*(เขต|หน่วยงาน|โรงเรียน|สำนักงาน|สพป|สพม|ที่)\s*(อะไร|ไหน|ใด)",
    r"(รู้จัก|เก็บ|รวบรวม|ตอบ)\s*(แผน|ข้อมูล)?\s*(ของ|เรื่อง)?\s*(เขต|หน่วยงาน|สำนักงาน|สพป|สพม)\s*(อะไร|ไหน|ใด)",
    r"(แผน|ข้อมูล)\s*(ทั้งหมด)?\s*ที่\s*(บอท|คุณ|ระบบ|น้อง)?\s*มี\s*(อยู่)?\s*(ทั้งหมด)?\s*(บ้าง)?"
    r"\s*(ครับ|ค่ะ|คะ|จ้ะ|จ้า|นะ)*$",
    r"^(ขอ|ดู|แสดง)*\s*(รายชื่อ)?\s*แผน\s*ทั้งหมด\s*(เลย|หน่อย|ด้วย|ครับ|ค่ะ|คะ)*$",
    r"(which|what) (plans|offices)", r"list (of )?(the )?(plans|offices)",
)
#: A follow-up to the last answer: "แล้วพันธกิจล่ะ", "ของลำปางด้วย".
FOLLOW_UP_PATTERNS = ("ล่ะ", "ละ$", "หละ", "แล้ว", "ด้วย", "เหมือนกัน", r"and\b", "what about")

#: The words a question names an office's level with, by owner kind. Fewer than LEVELS
#: (above) holds: "ประถมศึกษา" is found by its start, and "pesao" is not read in questions.
LEVEL_WORDS = {
    "spp": ("สพป", "ประถม", "primary", "spp"),
    "spm": ("สพม", "มัธยม", "secondary", "spm"),
}
#: A plan named by its level alone, no name ("แล้วของเขตล่ะ", "กลยุทธ์ระดับโรงเรียน"): the
#: owner kinds each word may mean (index.names). Read after LEVEL_ALONE_BEFORE or a section
#: word ("กลยุทธ์เขต"), or first in a follow-up ("โรงเรียนล่ะ"); the dialogue takes the plan of
#: that level the conversation is in.
LEVEL_ALONE = {
    "เขต": ("spp", "spm"), "เขตพื้นที่": ("spp", "spm"), "สพท": ("spp", "spm"),
    "สพป": ("spp",), "ประถม": ("spp",), "สพม": ("spm",), "มัธยม": ("spm",),
    "โรงเรียน": ("school",), "รร": ("school",), "สถานศึกษา": ("school",),
    "ระดับชาติ": ("national_strategy", "national_education_plan", "nesdp", "master_plan"),
}
LEVEL_ALONE_BEFORE = ("ของ", "ระดับ", "ฝั่ง")
#: Words that may end a level word without naming anyone: "เขตพื้นที่การศึกษา".
LEVEL_ALONE_TAIL = ("การศึกษา", "ประถมศึกษา", "มัธยมศึกษา")
#: Words before an area number in a question: "เขต 1", "area 1".
AREA_WORDS = (AREA_WORD, "area")

#: Words before an item number (patterns): "ข้อ 2", "ลำดับที่ 3", "no. 4", "#5".
ITEM_PATTERNS = ("ข้อที่", "ข้อ", "ลำดับที่", "อันดับที่", "อันที่", "อัน", "รายการที่", "ตัวที่", "ด้านที่", "ด้าน",
                 "หมายเลข", "item", r"no\.?", "#")
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

#: Asking for the rest of an answer that was cut, or the next page of a list (whole message).
MORE_PATTERNS = (r"^(ขอ|ดู|อ่าน|เอา|แสดง)*\s*(ข้อ|อัน|รายการ)?\s*(ต่อ|ต่อไป|ถัดไป|หน้าถัดไป|หน้าต่อไป|ที่เหลือ"
                 r"|ส่วนที่เหลือ|อีก|เพิ่ม|เพิ่มเติม|next|more)\s*(อีก|หน่อย|ด้วย|เลย|ไป|นะ|ได้ไหม"
                 r"|ไหม|มั้ย|ครับ|ค่ะ|คะ|จ้ะ|จ้า)*$",)
#: Asking for the item before the one shown: "ข้อก่อนหน้า", "อันก่อน", "ย้อนกลับ".
PREVIOUS_PATTERNS = (r"^(ขอ|ดู|อ่าน|เอา|แสดง)*\s*(ข้อ|อัน|รายการ)?\s*(ก่อนหน้า(นี้)?|ก่อน|ที่แล้ว|ย้อน(กลับ)?"
                     r"|previous|prev|back)\s*(อีก|หน่อย|ด้วย|ไป|นะ|ได้ไหม|ไหม|มั้ย|ครับ|ค่ะ|คะ|จ้ะ|จ้า)*$",)
#: Asking for the whole of what was shortened or cut: "ขอทั้งหมด", "ดูฉบับเต็ม".
ALL_PATTERNS = (r"^(ขอ|ดู|อ่าน|เอา|แสดง)*\s*(ทั้งหมด|ทั้งหัวข้อ|ฉบับเต็ม|แบบเต็ม|ข้อความเต็ม|เต็มๆ"
                r"|ทุกข้อ|all)\s*(เลย|ด้วย|หน่อย|นะ|ได้ไหม|ไหม|มั้ย|ครับ|ค่ะ|คะ|จ้ะ|จ้า)*$",)
#: Asking what a plan holds: "มีหัวข้ออะไรบ้าง", "แผนนี้มีอะไรบ้าง".
SECTIONS_PATTERNS = ("หัวข้อ(อะไร|ไหน|ใด)", "มีหัวข้อ", "(แผน|ใน)(นี้)?(มี|ประกอบด้วย)(อะไร|หัวข้อ)",
                     "ทุกหัวข้อ", r"^(ขอ)?(ดู)?\s*ทั้ง(แผน|ฉบับ)",
                     "มีอะไรบ้าง$", "สารบัญ", "what sections")
#: Asking for a shortened answer: "สรุปสั้นๆ", "ขอแบบย่อ".
SUMMARY_PATTERNS = ("สรุป", "สั้นๆ", "สั้น ๆ", "แบบสั้น", "โดยย่อ", "แบบย่อ", "ย่อๆ", "ย่อ ๆ",
                    "summary", "summari[sz]e", "in short")
#: Asking who made or signed the plan: "ใครเป็นคนทำแผนนี้", "ใครลงนาม".
SIGNER_PATTERNS = ("ใคร(เป็น)?(คน|ผู้)?(ทำ|จัดทำ|เขียน|ลงนาม|ลงชื่อ|เซ็น|รับผิดชอบ|ออก)",
                   "ผู้(จัดทำ|ลงนาม|รับผิดชอบแผน)", "คนทำแผน", "who (made|wrote|signed)")
#: Asking how many items a section has: "เป้าประสงค์มีกี่ข้อ", "ยุทธศาสตร์ชาติมีกี่ด้าน".
COUNT_PATTERNS = (r"กี่\s*(ข้อ|ด้าน|ประการ|ประเด็น|เรื่อง|รายการ|อัน|ตัว|กลยุทธ์|ยุทธศาสตร์|เป้า|ภารกิจ)",
                  r"จำนวน\s*(กี่\s*)?ข้อ", "how many")
#: Asking who the office's director is: "ใครเป็นผอ.เขต", "ผู้อำนวยการ สพม.13 ชื่ออะไร".
DIRECTOR_PATTERNS = (r"(ผอ\.?|ผู้อำนวยการ)\s*(เขต|สำนักงาน|สพป|สพม|สพฐ|โรงเรียน|รร)?.{0,40}(ใคร|ชื่อ)",
                     r"ใคร\s*(เป็น|คือ)?\s*(ผอ|ผู้อำนวยการ)", r"\bdirector\b")
#: A signature line that names the plan's owner's director, not a unit's ("ผู้อำนวยการกลุ่ม
#: นโยบายและแผน" directs a group inside the office).
DIRECTOR_LINE = r"^\s*(ผู้อำนวยการ|ผอ\.)(?!\s*(กลุ่ม|กอง|ศูนย์|ส่วน|หน่วย|สำนัก(?!งาน)))"
#: Asking for more than the plan's words about an item: "อธิบายเพิ่มหน่อย", "ขยายความข้อนี้",
#: "หมายความว่าอะไร". The bot only quotes: it gives the item's full text and says so.
EXPLAIN_PATTERNS = (r"อธิบาย\s*(เพิ่ม(เติม)?|หน่อย|ให้ฟัง|ที)?", "ขยายความ", r"หมาย(ความ|ถึง)\s*(ว่า)?\s*(อะไร|ยังไง|อย่างไร|ไง)",
                    r"แปล(ว่า|ความว่า)\s*(อะไร|ยังไง|อย่างไร|ไง)", r"ข้อนี้\s*(คือ|เป็น)?\s*(อะไร|ยังไง|อย่างไร|ไง)",
                    r"รายละเอียด\s*(เพิ่ม|ข้อนี้|ของข้อนี้)", r"\bexplain\b", "what does (it|this) mean")
#: Asking for the projects the plan lists under an item (not "which item fits my project"):
#: "ตัวอย่างโครงการที่เข้ากับข้อนี้", "มีโครงการอะไรบ้างภายใต้กลยุทธ์ที่ 2".
PROJECTS_UNDER_PATTERNS = (
    "ตัวอย่างโครงการ",
    r"โครงการ\s*(อะไร|ไหน|ใด)?\s*(บ้าง)?\s*(ภายใต้|ใต้|ที่อยู่ใน|ที่อยู่ภายใต้|ที่เข้ากับ|ที่ตรงกับ"
    r"|ที่\s*(?:ตอบ)?สนอง|ที่\s*สอดคล้องกับ|ใน|ของ)\s*"
    r"(ข้อนี้|ข้อ|(?:ประเด็น)?กลยุทธ์|เป้าประสงค์|(?:ประเด็น)?ยุทธศาสตร์|จุดเน้น|พันธกิจ|แนวทาง"
    r"|ตัวชี้วัด)",
    # "โครงการไหนสนองกลยุทธ์ที่ 5": which projects serve a numbered item
    r"โครงการ\s*(?:อะไร|ไหน|ใด)\s*(?:บ้าง)?\s*(?:ที่)?\s*(?:ตอบ)?สนอง\s*"
    r"(?:ประเด็น)?(?:กลยุทธ์|ยุทธศาสตร์|เป้าประสงค์|จุดเน้น)\s*(?:ข้อ)?\s*(?:ที่)?\s*\d",
    r"projects? (under|for) (this|strategy|goal|item)",
)
#: Asking which year the plan is for, or whether it is still in force.
YEAR_PATTERNS = (r"ปี(ไหน|อะไร|ใด|พ\.?ศ\.?)", "^ปีของ", "ปีของแผน", r"พ\.?ศ\.?\s*(อะไร|ไหน|ใด)", "ยังใช้", "ใช้อยู่",
                 "ปัจจุบัน(ไหม|มั้ย|หรือ|รึ)", "(ล่าสุด|เป็นปัจจุบัน)(ไหม|มั้ย|หรือ|รึ)", "หมดอายุ",
                 "ฉบับปี", "ปีงบ", "which year", "what year", "still (valid|in use|current)")
#: Asking where the text comes from: "ที่มาของข้อมูลนี้", "ขอลิงก์ต้นฉบับ".
SOURCE_PATTERNS = ("ที่มา", "แหล่ง(ข้อมูล|อ้างอิง)", "ลิงก์", "ลิ้งก์", "ลิงค์", "ลิ้งค์", "link",
                   "url", "ต้นฉบับ", "อ้างอิง", "เอกสารจริง", "ฉบับจริง", "source")
#: Asking whose plan it is: "แผนนี้ของเขตไหน", "แผนนี้เป็นของใคร", "เป็นแผนของหน่วยงานใด".
WHOSE_PATTERNS = (
    r"(แผน|เอกสาร)\S{0,8}(เป็น)?(แผน)?ของ\s*(เขต|หน่วยงาน|สำนักงาน|สพป|สพม|โรงเรียน|ที่)?\s*(ไหน|ใด|ใคร)",
    r"เป็น(แผน)?ของ\s*(เขต|หน่วยงาน|สำนักงาน|โรงเรียน|ที่)?\s*(ไหน|ใด|ใคร)",
    r"whose plan",
)
#: Asking which office a school or office is under: "สังกัดเขตไหน", "อยู่ภายใต้สำนักงานไหน"
#: ("โรงเรียนในสังกัด" is about the schools under it, not this).
PARENT_PATTERNS = (
    r"(?<!ใน)สังกัด\s*(?:เขต|สำนักงาน|หน่วยงาน|สพ[ปม]|ไหน|อะไร|ใด|ที่ไหน|ใคร)",
    r"อยู่\s*(?:ภาย)?ใต้\s*(?:สังกัด|เขต|สำนักงาน|หน่วยงาน)\S{0,6}\s*(?:ไหน|อะไร|ใด)",
    r"ขึ้น\s*(?:ตรง)?\s*(?:กับ)\s*(?:เขต|สำนักงาน|หน่วยงาน)\S{0,6}\s*(?:ไหน|อะไร|ใด)",
    r"แผน(?:ระดับ)?(?:ที่อยู่)?(?:เหนือ|บน)(?:ขึ้นไป)?",
)
#: Asking how to contact the office: "เบอร์โทร", "ติดต่อยังไง" ("ติดต่อสื่อสาร" is a topic).
CONTACT_PATTERNS = ("ติดต่อ(?!สื่อสาร)", "เบอร์", "โทร", "อีเมล", "อีเมล์", "e-?mail", "ที่อยู่(?!ใน|ภายใต้)",
                    "contact", "phone")
#: Asking about every plan at once: "กลยุทธ์ของทุกเขต", "ทุกหน่วยงาน".
EVERY_OWNER_PATTERNS = (r"ทุก\s*(เขต|หน่วยงาน|แผน|โรงเรียน|สำนักงาน|สพป|สพม|ที่)", "ทั้ง(หมด)?ทุก",
                        "every (office|plan)", "all (offices|plans)")
#: Words that start a sentence, not a name, after โรงเรียน / ครู: "โรงเรียนจะทำโครงการ...".
SENTENCE_WORDS = (
    "จะ อยาก ต้อง ควร ได้ กำลัง ไม่ ก็ มี ทำ เป็น คือ ของ ใน ที่ ให้ เรา ผม หนู ฉัน ดิฉัน สามารถ "
    "จัด เข้า ใช้ ขอ ช่วย อยู่ ส่ง พัฒนา ทำไม อะไร ไหน ยังไง อย่างไร เขียน สอน แต่ ถ้า เมื่อ และ "
    "หรือ กับ ต่อ ด้วย นี้ นั้น ไหม มั้ย เคย ยัง อาจ น่า ควร ส่งเสริม สนับสนุน เตรียม วางแผน "
    "โครงการ กิจกรรม เลือก หา ถาม ตอบ ดู อ่าน สนใจ คิด รู้ สงสัย "
    "ปี ปีงบประมาณ ปีการศึกษา ประจำปี "  # "แผนปฏิบัติการของโรงเรียนปีงบประมาณ 2568"
    "งบ งบประมาณ ใคร รับผิดชอบ เท่าไร เท่าไหร่ "  # "โครงการ PLC ของโรงเรียนงบเท่าไร"
    "สอดคล้อง สนอง ตอบสนอง เชื่อมโยง"  # "โครงการ…ในโรงเรียน สอดคล้องกับ…"
).split()
#: Who may be asking, at the start of a question: "ครูสงสัยว่า...", "ทางโรงเรียนอยาก...". Before a
#: sentence word they are the asker, not the topic.
ASKER_WORDS = ("ทาง", "โรงเรียน", "รร.", "ครู", "ผม", "ดิฉัน", "หนู", "เรา", "พวกเรา", "ของเรา")

#: Words that ask, not say what about: dropped before topic search.
FILLER_WORDS = (
    "อะไร บ้าง ไหม มั้ย ไหน อย่างไร ยังไง คือ ขอ ดู หน่อย ครับ ค่ะ คะ ครับผม ล่ะ ละ แล้ว เรื่อง "
    "เกี่ยวกับ มี ที่ ข้อ บอก ทราบ อยาก รู้ ช่วย แสดง ทั้งหมด แผน ของ และ หรือ ว่า ได้ "
    "เอา เลือก อัน สงสัย พูดถึง กล่าวถึง อ่ะ อะ นะ จ้ะ จ้า คับ ค้าบ ฮะ หล่ะ หละ "
    "plan what is the of about show me please tell"
).split()
#: Words of a question's frame that are no topic when the tokenizer joins them with a filler
#: word into one token ("ตรงไหน", "มีเรื่อง", "ที่ไหนบ้าง", "เขตไหน", "พูดถึง"): a token made up
#: only of these and FILLER_WORDS is dropped before topic search. Alone they stay words.
FRAME_WORDS = "อยู่ ตรง พูด กล่าว ถึง เขต หน่วยงาน ใด ใคร บ้าง ไหน".split()
#: "Which office" in a topic question ("เขตไหนมีเรื่องความปลอดภัยบ้าง"): asks where, not what.
WHICH_OWNER_FRAME = r"(?:เขต|หน่วยงาน|สำนักงาน|แผน)\s*(?:ไหน|ใด)"
#: Politeness words that end an office's name typed without a space: "สพม.แอตแลนติสครับ".
POLITE_WORDS = ("ครับ", "ค่ะ")

# --- alignment: "which strategy fits my project" (bot.understand.align, bot.align) --------
# Patterns are regular-expression alternatives over folded text; word lists are plain words.

#: Words that say a project should fit an item (patterns): "สอดคล้องกับ", "สนอง", "ตอบโจทย์".
ALIGN_FIT_PATTERNS = ("สอดคล้อง", "สนอง", "ตอบโจทย์", "เชื่อมโยง", "อ้างอิง", "ตรงกับ",
                      "เหมาะกับ", "เหมาะสมกับ", r"\balign", r"\bfits?\b", r"\bmatch")
#: Verbs that say so only right before a section word or ข้อ: "เข้ากลยุทธ์", "ตอบเป้าประสงค์".
ALIGN_VERBS_BEFORE_SECTION = ("เข้า(?:กับ)?", "ตอบ", "อ้าง", "ใส่", "ใช้", "รองรับ", "ตรง",
                              "ลง", "อยู่ใน")
#: Words that name what a teacher wants to fit (patterns): a project, an activity.
ALIGN_PROJECT_PATTERNS = ("โครงการ", "กิจกรรม", "โปรเจ[คก]", "งานวิจัยของ", r"\bprojects?\b",
                          r"\bactivit(?:y|ies)\b")
#: Which-words after a section word (patterns): "กลยุทธ์ไหน", "เป้าประสงค์ข้อใด".
ALIGN_WHICH_PATTERNS = ("ไหน", "ใด", "อะไร")
#: How a question's subject starts when it is the asker, not the topic (patterns):
#: "ทางโรงเรียนอยากทำ…", "โรงเรียนจะทำ…", "ครูอยากจัด…".
ALIGN_ASKER_PATTERNS = (
    r"^(?:ทาง)?(?:โรงเรียน|รร\.?|ครู|คุณครู|ผม|ดิฉัน|หนู|เรา|ฉัน)(?:เรา|ของเรา)?\s*"
    r"(?:จะ|อยาก|กำลัง|ต้องการ|วางแผน|คิด|มี|ได้|ขอ)",
    r"ทางโรงเรียน", r"ของโรงเรียน(?:เรา|ผม|ดิฉัน)",
    # "ผมเป็นครู รร.X จะทำ…": who asks, not whom the project is for
    r"(?:ผม|ดิฉัน|หนู|ฉัน|เรา|^\s*)(?:เป็น|คือ)\s*(?:คุณ)?ครู(?:ประจำ(?:ชั้น|วิชา)?|ผู้สอน)?",
)
#: Words of a question's frame, not its topic: dropped before the project is matched.
ALIGN_FRAME_WORDS = (
    "โครงการ โครง กิจกรรม โปรเจค โปรเจก สอดคล้อง สนอง ตอบสนอง ตอบ โจทย์ เข้า อ้าง อ้างอิง ควร จะ "
    "ทำ จัด จัดทำ ดำเนินการ ทาง อยาก ต้องการ กำลัง วางแผน คิด ใช้ ใส่ เขียน ระบุ กับ ใด ไหน "
    "เหมาะ เหมาะสม ตรง เชื่อมโยง รองรับ ลง อยู่ ใน เรา ผม ดิฉัน หนู ฉัน นี้ นั้น ชื่อ ชื่อว่า "
    "ป้องกัน แก้ไข แก้ไขปัญหา ปัญหา ปลอด ห่างไกล "
    "ส่งเสริม พัฒนา การพัฒนา สนับสนุน ยกระดับ เสริมสร้าง สร้าง เพิ่ม เพื่อ ให้ ด้าน ระดับ ประเด็น ดี "
    "project activity which fits fit align aligns match matches strategy goal with to for our a an"
).split()
#: The domain's topics in the words projects and plans use for them. Each row: words that name
#: the same thing (a question's word matches a plan's word of the same row), then the words of
#: the broader area of plans the topic falls under (a weaker match: a reading project falls
#: under learner quality). Rows are matched longest word first.
TOPIC_SYNONYMS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("การอ่าน", "รักการอ่าน", "อ่าน", "การเขียน", "อ่านออกเขียนได้", "ห้องสมุด", "นักอ่าน",
      "literacy", "reading"), ("คุณภาพผู้เรียน", "ผู้เรียน", "นักเรียน")),
    (("ดิจิทัล", "เทคโนโลยีดิจิทัล", "เทคโนโลยี", "เทคโนโลยีสารสนเทศ", "ict", "คอมพิวเตอร์",
      "สารสนเทศ", "ออนไลน์", "โค้ดดิ้ง", "coding", "digital"), ()),
    (("ความปลอดภัย", "ปลอดภัย", "ภัย", "อุบัติเหตุ", "ภัยพิบัติ", "ภัยธรรมชาติ", "อัคคีภัย",
      "ไฟไหม้", "หนีไฟ", "ซ้อมหนีไฟ", "อพยพ", "ซ้อมอพยพ", "แผ่นดินไหว", "จมน้ำ", "จราจร",
      "กลั่นแกล้ง", "bullying", "safety"), ()),
    (("ยาเสพติด", "สิ่งเสพติด", "ห่างไกลยาเสพติด", "ต้านยาเสพติด", "โรงเรียนสีขาว", "บุหรี่",
      "บุหรี่ไฟฟ้า", "อบายมุข"),
     ("ภัย", "ความปลอดภัย", "ผู้เรียน", "นักเรียน")),
    (("ครู", "บุคลากรทางการศึกษา", "บุคลากร", "ผู้สอน", "ข้าราชการครู", "teacher", "teachers"),
     ()),
    (("ผู้บริหาร", "ผู้บริหารสถานศึกษา", "ผู้อำนวยการโรงเรียน"), ()),
    (("โรงเรียน", "สถานศึกษา", "รร."), ()),
    (("นักเรียน", "ผู้เรียน", "เด็ก", "เยาวชน", "ประชากรวัยเรียน", "student", "students"), ()),
    (("สำนักงานเขตพื้นที่การศึกษา", "เขตพื้นที่การศึกษา", "สำนักงานเขตพื้นที่", "สพป.", "สพม."),
     ()),
    (("การวัดและประเมินผล", "วัดผล", "ประเมินผล", "วัดและประเมินผล", "assessment"), ()),
    (("ความต้องการพิเศษ", "เด็กพิเศษ", "เรียนรวม", "การศึกษาพิเศษ", "เด็กพิการ", "พิการ",
      "ความบกพร่อง", "ออทิสติก", "inclusive"), ("โอกาส", "เสมอภาค", "ทุกประเภท")),
    (("ออกกลางคัน", "กลางคัน", "ด้อยโอกาส", "ยากจน", "ยากไร้", "ขาดแคลน", "ทุนการศึกษา",
      "ความเหลื่อมล้ำ", "เหลื่อมล้ำ", "ทะเบียนราษฎร์"), ("โอกาส", "เสมอภาค", "ทั่วถึง")),
    (("ความสามารถพิเศษ", "อัจฉริยะ", "gifted"), ("ศักยภาพ", "ผู้เรียน")),
    (("คุณธรรม", "จริยธรรม", "ซื่อสัตย์", "วินัย", "พลเมือง", "พลเมืองดี", "ประชาธิปไตย",
      "คุณลักษณะอันพึงประสงค์", "จิตอาสา", "ความเป็นไทย"), ("ผู้เรียน", "นักเรียน")),
    (("โรงเรียนขนาดเล็ก", "ขนาดเล็ก", "ควบรวม"), ()),
    (("ประกันคุณภาพ", "ประกันคุณภาพภายใน", "sar", "ประเมินภายนอก"),
     ("มาตรฐาน",)),
    (("ภาคีเครือข่าย", "เครือข่าย", "การมีส่วนร่วม", "มีส่วนร่วม", "ชุมชน", "ผู้ปกครอง",
      "ความร่วมมือ", "ทุกภาคส่วน", "ท้องถิ่น", "partners"), ()),
    (("การวิจัย", "วิจัย", "วิจัยในชั้นเรียน", "งานวิจัย", "research"), ("นวัตกรรม",)),
    (("ภาษาอังกฤษ", "ภาษาต่างประเทศ", "ภาษาจีน", "english", "สองภาษา", "การสื่อสาร"),
     ("ผู้เรียน", "สากล")),
    (("สะเต็ม", "สะเต็มศึกษา", "stem", "steam", "วิทยาศาสตร์", "คณิตศาสตร์", "วิทยาการคำนวณ",
      "โครงงาน"), ("ผู้เรียน",)),
    (("สุขภาพ", "สุขภาวะ", "อนามัย", "โภชนาการ", "อาหารกลางวัน", "ออกกำลังกาย", "กีฬา"),
     ("ผู้เรียน", "คุณภาพชีวิต")),
    (("สิ่งแวดล้อม", "ขยะ", "โรงเรียนสีเขียว", "อนุรักษ์", "พลังงาน"), ("ผู้เรียน",)),
    (("อาชีพ", "การมีงานทำ", "ทวิศึกษา", "แนะแนว", "ตลาดแรงงาน"), ("ผู้เรียน",)),
    (("ปฐมวัย", "อนุบาล", "ก่อนประถมศึกษา", "ก่อนวัยเรียน"), ("ผู้เรียน", "นักเรียน")),
    (("เศรษฐกิจพอเพียง", "ศาสตร์พระราชา", "เกษตร"), ()),
    (("ขวัญกำลังใจ", "แรงจูงใจ", "ยกย่อง", "เชิดชูเกียรติ", "ครูดีเด่น", "รางวัล"),
     ("ครู", "บุคลากร")),
    (("ภาระงาน", "งานธุรการ", "ลดภาระ", "คืนครูสู่ห้องเรียน"), ("ครู",)),
    (("ธรรมาภิบาล", "ความโปร่งใส", "โปร่งใส", "ita", "สุจริต", "ทุจริต"), ("บริหารจัดการ",)),
    (("นิเทศ", "การนิเทศ", "ติดตาม", "กำกับ", "กำกับดูแล", "ศึกษานิเทศก์"), ()),
    (("ชุมชนแห่งการเรียนรู้", "plc", "อบรม", "พัฒนาตนเอง"), ("ครู", "บุคลากร")),
    (("การจัดการเรียนรู้", "การเรียนการสอน", "เชิงรุก", "active learning", "การสอน"), ("ครู",)),
    (("หลักสูตร", "หลักสูตรสถานศึกษา"), ("ผู้เรียน",)),
    (("บริหารจัดการ", "การบริหาร", "ระบบบริหาร"), ()),
    (("โอกาส", "เสมอภาค", "ความเสมอภาค", "ทั่วถึง", "เข้าถึง"), ()),
)
#: The rows of TOPIC_SYNONYMS (by their first word) that name whom a project is for: an item
#: about another of these groups only (a teachers' strategy for a students' project) fits less.
ALIGN_TARGET_GROUPS = ("นักเรียน", "ครู", "ผู้บริหาร", "โรงเรียน", "สำนักงานเขตพื้นที่การศึกษา")
#: The groups whose own item a careful teacher cites for a project for them when no item is
#: about its topic ("พัฒนาคุณภาพผู้เรียน" for a students' skill project): people, not the
#: places every project happens in.
ALIGN_GENERIC_GROUPS = ("นักเรียน", "ครู", "ผู้บริหาร")
#: What a project sets out to do, and the words of an item with that purpose: among items
#: about the same group, the one with the project's purpose is the one cited. Each row:
#: (the project's words, the item's words).
ALIGN_PURPOSES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("พัฒนา", "ส่งเสริม", "ยกระดับ", "เสริมสร้าง", "ทักษะ", "ค่าย", "อบรม"),
     ("คุณภาพ", "พัฒนา", "ยกระดับ", "ทักษะ", "สมรรถนะ")),
    (("ป้องกัน", "ลดความเสี่ยง", "ลด", "แก้ไข", "แก้ปัญหา", "เฝ้าระวัง", "คุ้มครอง", "ต้าน",
      "ต่อต้าน"),
     ("ความเสี่ยง", "ปลอดภัย", "ภัย", "ป้องกัน", "ดูแลช่วยเหลือ")),
    (("ช่วยเหลือ", "ทุน", "เพิ่มโอกาส", "ขยายโอกาส", "ลดความเหลื่อมล้ำ", "เข้าถึง"),
     ("โอกาส", "เสมอภาค", "ทั่วถึง", "ช่วยเหลือ", "เหลื่อมล้ำ")),
)
