"""The benchmark's question mix, drawn deterministically from a tier's corpus files.

Four kinds, in fixed proportions:

* `owner_section` - a named owner and a section ("พันธกิจของสพม.แพร่ มีอะไรบ้าง");
* `item` - an item reference ("กลยุทธ์ข้อ 3 ของ...", "ยุทธศาสตร์ที่ 2 ของ...");
* `topic` - free text without an owner: 2-4 content words of a random passage;
* `unanswerable` - off-topic questions, owners that do not exist, items past the end.

Questions come from the corpus files, not from the index, so the same seed and corpus give the
same questions whatever the engine does.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.corpus import DEFAULT_SEED, SECTION_HEADINGS, Plan, read_plan
from index.tokenize import tokenize

MIX = (("owner_section", 0.25), ("item", 0.20), ("topic", 0.40), ("unanswerable", 0.15))

_SECTION_TEMPLATES = [
    "{sec}ของ{owner}คืออะไร",
    "{owner} มี{sec}อะไรบ้าง",
    "ขอดู{sec} {owner}",
    "{sec} {owner}",
    "อยากทราบ{sec}ของ{owner}ครับ",
]
_ITEM_TEMPLATES = [
    "{sec}ข้อ {n} ของ{owner}",
    "{sec}ข้อที่ {n} ของ{owner}คืออะไร",
    "ขอดู{sec}ข้อ {n} {owner}",
]
_NUMBERED_TEMPLATES = ["{sec}ที่ {n} ของ{owner}", "{sec}ที่ {n} ของ{owner}คืออะไร"]
_TOPIC_TEMPLATES = ["{words}", "{words}", "เรื่อง{words}", "มีแผนเรื่อง{words}ไหม",
                    "{words} อยู่ในแผนไหน"]
_OFF_TOPIC = [
    "ราคาทองวันนี้เท่าไหร่", "พรุ่งนี้ฝนจะตกไหม", "ผลฟุตบอลเมื่อคืน", "สูตรต้มยำกุ้ง",
    "หวยงวดนี้ออกอะไร", "ร้านกาแฟแถวนี้อยู่ที่ไหน", "วิธีทำบัตรประชาชนใหม่",
    "what is the capital of France", "ตั๋วเครื่องบินไปเชียงใหม่ราคาเท่าไร", "ขอเบอร์โทรหมอฟัน",
    "ซื้อรถมือสองที่ไหนดี", "วันนี้วันอะไร", "เพลงฮิตตอนนี้", "ปลูกทุเรียนยังไง",
    "อัตราแลกเปลี่ยนเงินเยน", "โปรโมชั่นมือถือเดือนนี้",
]
_NO_SUCH_OWNERS = [
    "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาดาวอังคาร เขต 9",
    "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาแอตแลนติส",
    "โรงเรียนฮอกวอตส์วิทยาคม",
    "สพป.นาร์เนีย เขต 4",
]


@dataclass
class Question:
    """One benchmark question and what it was drawn from."""

    kind: str
    text: str
    owner: str | None = None  # office name of the plan it was drawn from
    section: str | None = None
    item: int | None = None

    def to_dict(self) -> dict:
        """The question as JSON-ready data."""
        return asdict(self)


def load_plans(corpus_dir: Path) -> list[Plan]:
    """Every plan of a corpus folder, read forgivingly, in file-name order."""
    plans = []
    for path in sorted(Path(corpus_dir).glob("*.txt")):
        plan = read_plan(path)
        if plan.office and plan.sections:
            plans.append(plan)
    return plans


def _content_words(text: str, tokenize, stopwords) -> list[str]:
    words = []
    for word in tokenize(text):
        word = word.strip()
        if len(word) < 2 or word in stopwords or word.isdigit() or not any(c.isalpha() for c in word):
            continue
        if word not in words:
            words.append(word)
    return words


def _name(rng: random.Random, plan: Plan) -> str:
    return plan.short if plan.short and rng.random() < 0.4 else plan.office


def make_questions(corpus_dir: Path, count: int = 1000, seed: int = DEFAULT_SEED,
                   tag: str = "") -> list[Question]:
    """`count` questions over the plans in `corpus_dir`, in the fixed `MIX`, shuffled.

    Example: `make_questions(Path("corpus"), 1000)`.
    """
    from pythainlp.corpus import thai_stopwords

    plans = load_plans(corpus_dir)
    if not plans:
        raise ValueError(f"no plans with front matter in {corpus_dir}")
    rng = random.Random(f"{seed}:questions:{tag}")
    stopwords = set(thai_stopwords()) | {"และ", "ของ", "ให้", "การ", "ความ", "ที่", "มี", "ใน"}
    questions: list[Question] = []
    targets = [(kind, round(count * share)) for kind, share in MIX]
    targets[-1] = (targets[-1][0], count - sum(n for _, n in targets[:-1]))
    for kind, n in targets:
        made = 0
        while made < n:
            question = _one(kind, rng, plans, tokenize, stopwords)
            if question:
                questions.append(question)
                made += 1
    rng.shuffle(questions)
    return questions


def _one(kind, rng, plans, tokenize, stopwords) -> Question | None:
    plan = rng.choice(plans)
    if kind == "owner_section":
        section = rng.choice(plan.sections)
        sec = SECTION_HEADINGS[section.kind]
        text = rng.choice(_SECTION_TEMPLATES).format(sec=sec, owner=_name(rng, plan))
        return Question(kind, text, plan.office, section.kind)
    if kind == "item":
        numbered = [s for s in plan.sections if s.number is not None]
        listed = [s for s in plan.sections if len(s.items) >= 2 and s.number is None]
        if numbered and rng.random() < 0.3:
            section = rng.choice(numbered)
            template = rng.choice(_NUMBERED_TEMPLATES)
            n = section.number
        elif listed:
            section = rng.choice(listed)
            template = rng.choice(_ITEM_TEMPLATES)
            n = rng.randint(1, len(section.items))
        else:
            return None
        sec = SECTION_HEADINGS[section.kind]
        text = template.format(sec=sec, n=n, owner=_name(rng, plan))
        return Question(kind, text, plan.office, section.kind, n)
    if kind == "topic":
        section = rng.choice(plan.sections)
        passages = section.items + section.paragraphs + ([section.title] if section.title else [])
        if not passages:
            return None
        words = _content_words(rng.choice(passages), tokenize, stopwords)
        if len(words) < 2:
            return None
        k = min(len(words), rng.randint(2, 4))
        picked = sorted(rng.sample(range(len(words)), k))
        text = rng.choice(_TOPIC_TEMPLATES).format(words=" ".join(words[i] for i in picked))
        return Question(kind, text, plan.office, section.kind)
    # unanswerable
    roll = rng.random()
    if roll < 0.5:
        return Question(kind, rng.choice(_OFF_TOPIC))
    if roll < 0.8:
        sec = rng.choice(list(SECTION_HEADINGS.values()))
        owner = rng.choice(_NO_SUCH_OWNERS)
        return Question(kind, rng.choice(_SECTION_TEMPLATES).format(sec=sec, owner=owner))
    listed = [s for s in plan.sections if s.items and s.number is None]
    if not listed:
        return None
    section = rng.choice(listed)
    n = len(section.items) + rng.randint(5, 30)
    text = rng.choice(_ITEM_TEMPLATES).format(sec=SECTION_HEADINGS[section.kind], n=n,
                                              owner=_name(rng, plan))
    return Question(kind, text, plan.office, section.kind, n)
