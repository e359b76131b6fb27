"""Synthetic strategic plans for the M and L benchmark tiers, generated deterministically.

The real plans (the bundled `corpus/*.txt` and the seed plans in `shared/seeds` beside the
clone), read by the index's own parser, give the building blocks: their sections' items and
paragraphs, pooled by section kind. Each synthetic
plan gets an owner named after a real province (PyThaiNLP's `provinces`), and its sections are
recombined from those pools with a seeded `random.Random`: items are picked, spliced with a
clause of another item, given a topic phrase and sometimes the owner's province, so passages
differ from plan to plan the way real plans do. Same seed and same inputs, same bytes.

Every plan is written as a corpus file in the project's format (YAML front matter with
`office` and `short`, then the plan text with the headings of `index.vocab` and "1. ..."
items) and built with the real `python -m index rebuild`.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from index.headings import short_label
from index.parse import parse_body, split_front_matter

REPO = Path(__file__).resolve().parent.parent
#: The seed pages lie in shared/ beside the clone (CI) or at /work/shared (a session).
_SEEDS = next((p for p in (REPO.parent / "shared" / "seeds", Path("/work/shared/seeds"))
               if p.is_dir()), REPO.parent / "shared" / "seeds")
DEFAULT_SEED_DIRS = (REPO / "corpus", _SEEDS)
DEFAULT_SEED = 20261129
TIER_SIZES = {"M": 250, "L": 5000}

#: Section kinds a generated plan has, in the order a plan shows them.
PLAN_KINDS = ("vision", "mission", "goal", "strategic_issue", "strategy", "focus", "indicator",
              "identity", "values", "motto")
#: The heading written for each kind: its Thai name from the one vocabulary (index.vocab).
SECTION_HEADINGS = {kind: short_label(kind) for kind in PLAN_KINDS}

# Topics that real Thai education plans talk about; one is woven into many generated items so
# that topic questions have something specific to find.
TOPIC_PHRASES = [
    "การอ่านออกเขียนได้", "ภาษาอังกฤษเพื่อการสื่อสาร", "วิทยาการคำนวณ", "สะเต็มศึกษา",
    "โรงเรียนคุณภาพประจำตำบล", "ความปลอดภัยในสถานศึกษา", "ลูกเสือและยุวกาชาด",
    "หลักปรัชญาของเศรษฐกิจพอเพียง", "การศึกษาปฐมวัย", "เด็กพิการและเด็กด้อยโอกาส",
    "การป้องกันยาเสพติด", "การแนะแนวอาชีพ", "การเรียนรู้เชิงรุก", "ชุมชนการเรียนรู้ทางวิชาชีพ",
    "การนิเทศภายใน", "การประกันคุณภาพภายใน", "การวัดและประเมินผลเพื่อพัฒนาการเรียนรู้",
    "เทคโนโลยีดิจิทัล", "ห้องเรียนออนไลน์", "การลดภาระงานครู", "ความเสมอภาคทางการศึกษา",
    "นักเรียนตกหล่นและออกกลางคัน", "การคัดกรองนักเรียนยากจน", "อาหารกลางวันและนมโรงเรียน",
    "สุขภาวะและโภชนาการ", "ความฉลาดรู้ด้านการอ่าน", "การสอบ O-NET", "การประเมิน PISA",
    "ภาคีเครือข่ายและชุมชน", "ธรรมาภิบาลและความโปร่งใส", "ระบบดูแลช่วยเหลือนักเรียน",
    "พื้นที่พิเศษเฉพาะกิจ", "พื้นที่สูงและถิ่นทุรกันดาร", "การศึกษาเพื่อการมีงานทำ",
    "ทวิศึกษา", "ห้องสมุดมีชีวิต", "สิ่งแวดล้อมและขยะ", "ประวัติศาสตร์และหน้าที่พลเมือง",
    "ศาสตร์พระราชา", "ครูแกนนำ", "การพัฒนาผู้บริหารสถานศึกษา", "ขวัญกำลังใจครู",
    "การยกย่องเชิดชูเกียรติ", "ระบบสารสนเทศเพื่อการบริหาร", "งบประมาณและพัสดุ",
    "อาคารสถานที่และสภาพแวดล้อม", "โรงเรียนขนาดเล็ก", "โรงเรียนดีใกล้บ้าน",
    "การจัดการเรียนรวม", "ภาษาจีน", "โค้ดดิ้ง", "ปัญญาประดิษฐ์", "ดนตรีและนาฏศิลป์",
    "กีฬาและนันทนาการ", "ภูมิปัญญาท้องถิ่น", "อาเซียนศึกษา", "การคิดวิเคราะห์",
    "ทักษะชีวิต", "จิตอาสา", "โรงเรียนสุจริต",
]
# A few more visions in the common mould, so that not every office shares one of three.
_VISIONS = [
    "เป็นองค์กรแห่งการเรียนรู้ที่มุ่งพัฒนาคุณภาพการศึกษาสู่มาตรฐานสากล",
    "ผู้เรียนมีคุณภาพ ครูมีคุณภาพ สถานศึกษามีคุณภาพ บนพื้นฐานความเป็นไทย",
    "จัดการศึกษาอย่างมีคุณภาพและทั่วถึง สร้างคนดี คนเก่ง มีความสุข",
    "มุ่งพัฒนาผู้เรียนให้มีคุณธรรม มีทักษะในศตวรรษที่ 21 และอยู่ร่วมกับผู้อื่นอย่างมีความสุข",
    "ส่งเสริมการจัดการศึกษาที่มีคุณภาพ เสมอภาค และยั่งยืน ด้วยการมีส่วนร่วมของทุกภาคส่วน",
]
_LINKERS = ["โดย", "เพื่อ", "ผ่าน", "ด้วย", "เน้น", "ควบคู่กับ", "และส่งเสริม", "รวมทั้ง"]
_LOCAL = ["ในจังหวัด{p}", "ของ{s}", "ทุกอำเภอในจังหวัด{p}", "ตามบริบทของจังหวัด{p}"]

# Parts of school names: "โรงเรียน" + prefix + stem + suffix.
_SCHOOL_PREFIXES = ["บ้าน", "วัด", "ชุมชน", "อนุบาล", "", "บ้าน", "บ้าน"]
_SCHOOL_STEMS = [
    "หนองบัว", "โนนสูง", "ดอนแก้ว", "ท่าช้าง", "ห้วยทราย", "บ่อทอง", "นาดี", "หนองแวง",
    "โคกกลาง", "ป่าแดง", "สันติสุข", "ทุ่งใหญ่", "หัวนา", "คลองใหม่", "ท่าเรือ", "เขาแก้ว",
    "บึงบอระเพ็ด", "ศรีสำราญ", "หนองหญ้าปล้อง", "โพธิ์ทอง", "นาคำ", "ดงมะไฟ", "แม่สาย", "ห้วยแก้ว",
    "ปากน้ำ", "บางพระ", "ไทรงาม", "สามัคคี", "ประชาสงเคราะห์", "หนองไผ่", "ท่าม่วง", "วังน้ำเย็น",
    "บ้านใหม่", "ดอนตูม", "โนนสะอาด", "คำใหญ่", "นาหว้า", "หนองสองห้อง", "แก่งเสือเต้น", "ม่วงงาม",
    "สระแก้ว", "ทรายทอง", "ศรีบุญเรือง", "ห้วยยาง", "ท่าตะเกียบ", "เชียงกลาง", "พระธาตุ", "หนองคู",
]
_SCHOOL_SUFFIXES = ["", "", "", "วิทยา", "พิทยาคม", "วิทยาคาร", "ศึกษา", "ราษฎร์บำรุง",
                    "วิทยาคม", "ประชาสรรค์", "พัฒนา", "ศรีวิทยา"]


@dataclass
class Section:
    """One section of a plan: a kind, an optional number and title, paragraphs and items."""

    kind: str
    number: int | None = None
    title: str = ""
    subheading: str = ""  # a heading between the title and the items ("กลยุทธ์")
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """A plan as the benchmark sees it: who owns it and its sections in order."""

    office: str
    short: str
    sections: list[Section] = field(default_factory=list)
    province: str = ""
    filename: str = ""

    def to_text(self) -> str:
        """The plan as a corpus file: front matter, the office's name, then every section."""
        lines = ["---", f"office: {self.office}", f"short: {self.short}", "---",
                 f"แผนพัฒนาการศึกษา {self.office}", ""]
        for section in self.sections:
            heading = SECTION_HEADINGS[section.kind]
            if section.number is not None:
                heading = f"{heading}ที่ {section.number}"
            if section.title:
                heading = f"{heading} {section.title}"
            lines.append(heading)
            lines.append("")
            for paragraph in section.paragraphs:
                lines.append(paragraph)
                lines.append("")
            if section.subheading:
                lines.append(section.subheading)
            for n, item in enumerate(section.items, 1):
                lines.append(f"{n}. {item}")
            if section.items:
                lines.append("")
        return "\n".join(lines).rstrip() + "\n"


def parse_plan(path: Path):
    """(front matter, the index's parsed plan) of a real plan file, read forgivingly.

    The same parser the index uses; a seed page without front matter is read as a body, and
    a page without any section gives a plan without sections instead of an error.
    """
    text = path.read_text(encoding="utf-8")
    meta, body, first_line = {}, text, 1
    if text.lstrip("\ufeff").startswith("---"):
        meta, body, first_line = split_front_matter(text, str(path))
    return meta, parse_body(body, str(path), first_line)


def read_plan(path: Path) -> Plan:
    """A real plan (corpus file or raw seed page) as the benchmark sees it."""
    meta, parsed = parse_plan(path)
    plan = Plan(office=str(meta.get("office") or ""), short=str(meta.get("short") or ""),
                filename=path.name)
    for section in parsed.sections:
        if section.kind in PLAN_KINDS:
            plan.sections.extend(_sections_of(section))
    return plan


def _sections_of(section) -> list[Section]:
    """A parsed section as the benchmark's sections: each strategic issue is one of its own."""
    issues = [item for item in section.items if item.container]
    if issues:  # "ยุทธศาสตร์ที่ N ..." with its strategies inside
        return [Section(section.kind, number=int(item.number), title=_clean_title(item.text),
                        paragraphs=list(item.body), items=[c.text for c in item.children])
                for item in issues]
    bodies = [paragraph for item in section.items for paragraph in item.body]
    return [Section(section.kind, paragraphs=[*section.intro, *bodies],
                    items=[item.text for item in section.items])]


def _clean_title(text: str) -> str:
    """Drop an English gloss such as '(Vision)' and stray punctuation from a heading's rest."""
    text = re.sub(r"\([^)]*\)", "", text)
    return text.strip(" :：-")


def load_pools(seed_dirs=DEFAULT_SEED_DIRS) -> dict[str, list[str]]:
    """Items and paragraphs of every real plan, pooled by kind (sorted, deduplicated).

    Items go to their own kind's pool wherever they stand: the strategies inside
    "ยุทธศาสตร์ที่ 2" are strategies; the issue's own text is a title.
    """
    pools: dict[str, set[str]] = {kind: set() for kind in PLAN_KINDS}
    titles: set[str] = set()
    for directory in seed_dirs:
        directory = Path(directory)
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.txt")):
            for section in parse_plan(path)[1].sections:
                _pool_section(section, pools, titles)
    visions = {p for p in pools["vision"]
               if len(p) < 300 and not p[0].isdigit() and "ทิศทาง" not in p}
    result = {kind: sorted(texts) for kind, texts in pools.items()}
    result["title"] = sorted(t for t in titles if len(t) >= 10)
    result["vision_paragraph"] = sorted(visions | set(_VISIONS)) or result["vision"]
    # Sections no seed has (ค่านิยม, คำขวัญ) and thin ones borrow from related sections.
    fallbacks = {"values": "identity", "motto": "vision", "identity": "vision",
                 "indicator": "goal", "focus": "strategy", "strategic_issue": "strategy"}
    for kind, other in fallbacks.items():
        if len(result[kind]) < 3:
            result[kind] = sorted(set(result[kind]) | set(result[other]))
    if not result["title"]:
        result["title"] = [t[:80] for t in result["strategy"]]
    if not any(result.values()):
        raise ValueError("no seed plans found in " + ", ".join(map(str, seed_dirs)))
    return result


def _pool_section(section, pools: dict[str, set[str]], titles: set[str]) -> None:
    """Add a parsed section's paragraphs and items to the pools of their kinds."""
    if section.kind in pools:
        pools[section.kind].update(p for p in section.intro if 25 <= len(p) < 600)
    for item in section.walk():
        if item.container:
            titles.add(_clean_title(item.text))
        elif item.kind in pools and len(item.text) >= 12:
            pools[item.kind].add(item.text)
        if item.kind in pools:
            pools[item.kind].update(p for p in item.body if 25 <= len(p) < 600)


def make_owners(rng: random.Random, count: int) -> list[tuple[str, str, str, str]]:
    """`count` owners as (kind, office, short, province): area offices first, then schools."""
    import os

    os.environ.setdefault("PYTHAINLP_DATA", str(REPO / ".pythainlp-data"))
    from pythainlp.corpus import provinces

    provs = sorted(provinces(details=True), key=lambda p: p["name_en"])
    offices = []
    for prov in provs:
        name = prov["name_th"]
        for n in range(1, rng.choice([1, 1, 2, 2, 3, 3, 4]) + 1):
            offices.append(("primary", f"สำนักงานเขตพื้นที่การศึกษาประถมศึกษา{name} เขต {n}",
                            f"สพป.{name} เขต {n}", name))
        offices.append(("secondary", f"สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา{name}",
                        f"สพม.{name}", name))
    rng.shuffle(offices)
    school_names = sorted({
        f"{prefix}{stem}{suffix}"
        for prefix in _SCHOOL_PREFIXES
        for stem in _SCHOOL_STEMS + [p["name_th"] for p in provs]
        for suffix in _SCHOOL_SUFFIXES
        if prefix or suffix
    })
    rng.shuffle(school_names)
    # At most 60% offices, so M mixes offices and schools like L does.
    owners = offices[: min(len(offices), count * 3 // 5)]
    for name in school_names[: max(0, count - len(owners))]:
        owners.append(("school", f"โรงเรียน{name}", name, rng.choice(provs)["name_th"]))
    if len(owners) < count:
        raise ValueError(f"only {len(owners)} distinct owner names for {count} plans")
    return owners[:count]


def _vary(rng: random.Random, base: str, pool: list[str], province: str, short: str) -> str:
    """A new item from `base`: maybe a clause of another item, a topic, the owner's province."""
    words = base.split()
    if len(words) > 6 and rng.random() < 0.5:
        cut = rng.randrange(3, len(words))
        words = words[:cut]
    text = " ".join(words)
    if pool and rng.random() < 0.4:
        text = " ".join(words[:16])
        other = rng.choice(pool).split()
        if len(other) > 3:
            start = rng.randrange(0, len(other) - 2)
            text += " " + " ".join(other[start: start + rng.randint(2, 5)])
    if rng.random() < 0.7:
        text += f" {rng.choice(_LINKERS)}{rng.choice(TOPIC_PHRASES)}"
    if rng.random() < 0.3:
        text += " " + rng.choice(_LOCAL).format(p=province, s=short)
    return text


def _items(rng, pools, kind, low, high, province, short) -> list[str]:
    pool = pools[kind]
    count = rng.randint(low, high)
    picks = [rng.choice(pool) for _ in range(count)]
    return [_vary(rng, base, pool, province, short) for base in picks]


def make_plan(rng: random.Random, pools, owner) -> Plan:
    """One synthetic plan (about 60 passages) for `owner` = (kind, office, short, province)."""
    kind, office, short, province = owner
    plan = Plan(office=office, short=short, province=province)
    vision = rng.choice(pools["vision_paragraph"])
    plan.sections.append(Section("vision", paragraphs=[
        _vary(rng, vision, pools["vision"], province, short)]))
    plan.sections.append(Section("mission", items=_items(rng, pools, "mission", 6, 10,
                                                         province, short)))
    plan.sections.append(Section("goal", items=_items(rng, pools, "goal", 6, 10, province, short)))
    plan.sections.append(Section("strategy", items=_items(rng, pools, "strategy", 5, 10,
                                                          province, short)))
    for extra, low, high, chance in (("focus", 5, 9, 0.8), ("indicator", 6, 12, 0.8)):
        if rng.random() < chance:
            plan.sections.append(Section(extra, items=_items(rng, pools, extra, low, high,
                                                             province, short)))
    # Strategic issues last but for the paragraph sections: the parser nests กลยุทธ์, จุดเน้น
    # and ตัวชี้วัด headings that follow "ยุทธศาสตร์ที่ N" inside it, as real plans mean it.
    if kind != "school" or rng.random() < 0.5:
        for n in range(1, rng.randint(3, 6) + 1):
            title = _vary(rng, rng.choice(pools["title"]), [], province, short)
            plan.sections.append(Section("strategic_issue", number=n, title=title,
                                         subheading=SECTION_HEADINGS["strategy"],
                                         items=_items(rng, pools, "strategy", 3, 5,
                                                      province, short)))
    chances = {"identity": 0.6, "values": 0.5, "motto": 0.3 if kind != "school" else 0.8}
    for extra, chance in chances.items():
        if rng.random() < chance:
            words = rng.choice(pools[extra]).split()
            if extra == "values":  # a short list, as plans write it ("บริการดี", "โปร่งใส")
                phrases = [w for w in words if len(w) >= 4][:4] + [rng.choice(TOPIC_PHRASES)]
                plan.sections.append(Section(extra, items=phrases))
            else:
                plan.sections.append(Section(extra, paragraphs=[" ".join(words[:12])]))
    return plan


def generate(tier: str, out_dir: Path, seed: int = DEFAULT_SEED,
             seed_dirs=DEFAULT_SEED_DIRS, count: int | None = None) -> list[Plan]:
    """Write the plans of `tier` (M or L, or `count` plans) into `out_dir`; return them.

    Example: `generate("M", Path("bench/work/M/corpus"))` writes 250 files.
    """
    count = count or TIER_SIZES[tier]
    pools = load_pools(seed_dirs)
    rng = random.Random(f"{seed}:owners")
    owners = make_owners(rng, count)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.txt"):
        old.unlink()
    plans = []
    for i, owner in enumerate(owners):
        plan = make_plan(random.Random(f"{seed}:plan:{i}"), pools, owner)
        plan.filename = f"{i:05d}_{owner[0]}.txt"
        (out_dir / plan.filename).write_text(plan.to_text(), encoding="utf-8")
        plans.append(plan)
    return plans


def digest(directory: Path) -> str:
    """SHA-256 over every corpus file's name and bytes, for determinism checks and caching."""
    h = hashlib.sha256()
    for path in sorted(Path(directory).glob("*.txt")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()
