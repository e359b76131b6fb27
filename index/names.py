"""The names people use for an owner, derived from its full Thai name.

Nothing here is typed per office. สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่ เขต 1 gives
สพป.แพร่ เขต 1, สพป.แพร่ 1, แพร่ เขต 1, สพป.พร.1, Phrae primary area 1 and so on; province
abbreviations and English names come from PyThaiNLP's province list. Schools lose their
โรงเรียน prefix and common suffixes. Matching uses `squash` keys (no spaces, dots or case).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pythainlp.corpus import provinces

from index.text import clean, squash
from index.vocab import (
    AREA_OFFICE_PREFIX,
    AREA_WORD,
    LEVELS,
    NATIONAL_OWNERS,
    SCHOOL_ABBREVIATION,
    SCHOOL_PREFIXES,
    SCHOOL_SUFFIXES,
    SCHOOL_WORD,
    VILLAGE_WORD,
)

#: An area office's full name: prefix, level, place, and "เขต n" when the province has areas.
AREA_OFFICE = re.compile(
    rf"^{AREA_OFFICE_PREFIX}({'|'.join(LEVELS)})\s*(.*?)\s*(?:{AREA_WORD}\s*(\d+))?$"
)


#: An office of one province that is no area office or school ("สำนักงานศึกษาธิการจังหวัด
#: น่าน"): the province it serves, so "จังหวัดน่าน" or "น่าน" in a question names it.
PROVINCE_OFFICE = re.compile(r"(^สำนักงานศึกษาธิการ)?.*?จังหวัด\s*(\S+)")
PROVINCE_OFFICE_ABBREVIATION = "ศธจ"  # สำนักงานศึกษาธิการจังหวัด


@dataclass(frozen=True)
class Province:
    """A province as PyThaiNLP lists it."""

    name: str
    abbr: str
    english: str


@lru_cache(maxsize=1)
def province_list() -> tuple[Province, ...]:
    """All provinces, longest Thai name first (so นครราชสีมา wins over shorter names)."""
    rows = provinces(details=True)
    found = [Province(r["name_th"], r["abbr_th"], r["name_en"]) for r in rows]
    return tuple(sorted(found, key=lambda p: -len(p.name)))


def provinces_in(text: str) -> list[Province]:
    """Provinces named (in Thai) in a piece of an office name, in order of appearance."""
    folded = squash(text)
    found = []
    for province in province_list():
        at = folded.find(squash(province.name))
        if at >= 0 and not any(squash(province.name) in squash(p.name) for _, p in found):
            found.append((at, province))
    return [p for _, p in sorted(found, key=lambda pair: pair[0])]


@dataclass
class OwnerNames:
    """An owner's kind, place and every name it is called by."""

    kind: str  # spp | spm | obec | school | other
    display: str  # the short name the bot shows
    names: list[str] = field(default_factory=list)  # readable names, for people
    keys: list[str] = field(default_factory=list)  # squashed names, for matching
    provinces: list[str] = field(default_factory=list)
    area: int | None = None


def derive_names(office: str, short: str | None = None, aliases: list[str] = ()) -> OwnerNames:
    """Every name of an owner, from its full name plus any `short:` and `aliases:`."""
    office = clean(office)
    names: list[str] = [office]
    match = AREA_OFFICE.match(office)
    result = OwnerNames("other", office)
    if match:
        result = _area_names(match)
        names.extend(result.names)
    elif national := _national(office):
        kind, display, all_names = national
        result = OwnerNames(kind, display)
        names.extend(all_names)
    else:
        school = _school_names(office)
        if school:
            result = school
            names.extend(school.names)
        elif province := PROVINCE_OFFICE.search(office):  # สำนักงานศึกษาธิการจังหวัดน่าน
            result.provinces = [p.name for p in provinces_in(province.group(2))[:1]]
            if province.group(1) and result.provinces:
                place = result.provinces[0]
                result.display = f"{PROVINCE_OFFICE_ABBREVIATION}.{place}"
                names += [result.display, f"ศึกษาธิการจังหวัด{place}"]
    if short:
        names.insert(1, clean(str(short)))
        result.display = clean(str(short))
    names.extend(clean(a) for a in aliases if clean(a))
    if result.kind in ("spp", "spm"):
        names.extend(_nicknames(names))
    if result.kind == "other":
        names.extend(_numbered_variants(names))
    result.names = _unique(names)
    result.keys = _unique(squash(n) for n in result.names if len(squash(n)) >= 2)
    return result


#: An area office's alias by its province's letters: "สพป.ชม.3", "สพป.ชม. เขต 3".
_LETTERS_ALIAS = re.compile(r"สพ[ปม]\.?\s*([ก-ฮ]{1,4})\.\s*(?:เขต\s*)?(\d{1,3})")


def _nicknames(names: list[str]) -> list[str]:
    """How teachers shorten such an alias: "เขตชม.3", "ชม. เขต 3" (not "ชม.3" alone, which
    a question's "เข้าชม 3 ครั้ง" would hold)."""
    found = []
    for name in names:
        alias = _LETTERS_ALIAS.fullmatch(name)
        if alias:
            letters, area = alias.groups()
            found += [f"เขต{letters}.{area}", f"{letters}. เขต {area}"]
    return found


def _national(office: str) -> tuple[str, str, tuple[str, ...]] | None:
    """The row of NATIONAL_OWNERS an office's name is one of (สพฐ., ยุทธศาสตร์ชาติ...), a
    remark in brackets or the years after it aside: "ยุทธศาสตร์ชาติ (พ.ศ. 2561 - 2580)"."""
    name = squash(_BRACKETS_OR_YEARS.sub("", office)) or squash(office)
    return next((row for row in NATIONAL_OWNERS if name in {squash(n) for n in row[2]}), None)


#: What may follow a national plan's name in its title: a remark in brackets, its years.
_BRACKETS_OR_YEARS = re.compile(r"\s*(?:\([^()]*\)|(?:พ\.\s*ศ\.\s*)?25\d\d\s*[-–]\s*25\d\d)\s*$")


def _area_names(match: re.Match) -> OwnerNames:
    kind, prefix, thai_levels, latin_levels = LEVELS[match.group(1)]
    place = match.group(2).strip()
    area = int(match.group(3)) if match.group(3) else None
    found = provinces_in(place)
    places = [place] if place else []
    english = " ".join(p.english for p in found)
    abbr = ".".join(p.abbr for p in found)
    n = f" {area}" if area is not None else ""
    names = []
    if places:
        names += [f"{prefix}.{place} {AREA_WORD} {area}" if area else f"{prefix}.{place}"]
        names += [f"{prefix}.{place}{n}", f"{prefix}{place}{n}"]
        names += [f"{level}{place}{n}" for level in thai_levels]
        names += [f"{level}{place} {AREA_WORD}{n}" for level in thai_levels if area]
        if area is not None:
            names += [f"{place} {AREA_WORD} {area}", f"{place}{n}"]
        if abbr:
            names += [f"{prefix}.{abbr}.{n.strip()}" if area else f"{prefix}.{abbr}."]
        if english:
            names += [f"{english}{' area' + n if area else ''}", f"{english}{n}"]
            names += [f"{english} {level}{' area' + n if area else ''}" for level in latin_levels]
            names += [f"{level} {english}{n}" for level in latin_levels]
    elif area is not None:
        names += [f"{prefix}. {AREA_WORD} {area}", f"{prefix}.{area}", f"{prefix}{area}"]
        names += [f"{level} {AREA_WORD} {area}" for level in thai_levels]
        names += [f"{level} area {area}" for level in latin_levels]
        names += [f"{level}{n}" for level in latin_levels]
    display = names[0] if names else prefix
    return OwnerNames(kind, display, names, [], [p.name for p in found], area)


def _school_names(office: str) -> OwnerNames | None:
    for prefix in SCHOOL_PREFIXES:
        if office.startswith(prefix) and len(office) > len(prefix) + 1:
            base = office[len(prefix):].strip()
            names = [base, f"{SCHOOL_ABBREVIATION}{base}", f"{SCHOOL_WORD}{base}"]
            # โรงเรียนบ้านหนองบัววิทยา is also just หนองบัววิทยา, and หนองบัว
            cores = [base] + ([base[len(VILLAGE_WORD):]] if base.startswith(VILLAGE_WORD) else [])
            for core in cores:
                if core != base:
                    names += [core, f"{SCHOOL_WORD}{core}"]
                for suffix in SCHOOL_SUFFIXES:
                    if core.endswith(suffix) and len(core) - len(suffix) >= 3:
                        names.append(core[: -len(suffix)])
                        break
            return OwnerNames("school", office, names)
    return None


def _numbered_variants(names: list[str]) -> list[str]:
    """'แผนไม่ระบุหน่วยงาน 2' is also 'แผนไม่ระบุหน่วยงานที่ 2' and, word by word, 'แผนไม่ระบุ 2'."""
    from index.tokenize import segment

    out = []
    for name in names:
        match = re.match(r"^(.*\D)\s*(\d+)$", name)
        if not match:
            continue
        base, number = match.group(1).strip(), match.group(2)
        out.append(f"{base}ที่ {number}")
        words = [w for w in segment(base) if w.strip()]
        for size in range(2, len(words)):
            prefix = "".join(words[:size])
            if len(prefix) >= 6:
                out.append(f"{prefix} {number}")
    return out


def _unique(values) -> list[str]:
    seen, out = set(), []
    for value in values:
        if value and value not in seen:
            seen.add(value)
            out.append(value)
    return out
