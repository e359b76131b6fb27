"""Whose plan a question is about: owners found by any of their names, or by level, province
and area ("สพป.แพร่ 1", "Phrae area 1", "มัธยม เขต 13"), or an office that is not loaded.

`OwnerMatcher.find` tries every loaded name first (a trie over squashed keys); when none
matches, the ordered rules of `STRUCTURED_RULES` read the question's office words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from pythainlp.util import Trie
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.understand.kinds import KIND_RE
from bot.understand.question import FILLER, is_filler
from index.headings import edit_distance
from index.names import province_list
from index.store import Owner
from index.text import fold, squash
from index.tokenize import segment
from index.vocab import (
    AREA_WORDS,
    LEVEL_ALONE,
    LEVEL_ALONE_BEFORE,
    LEVEL_ALONE_TAIL,
    LEVEL_PREFIX_PATTERNS,
    LEVEL_WORDS,
    NATIONAL_OWNERS,
    POLITE_WORDS,
    SCHOOL_PREFIXES,
    SENTENCE_WORDS,
)

_AREA_WORD = "(?:" + "|".join(AREA_WORDS) + ")"
_ABBREVIATIONS = tuple(words[0] for words in LEVEL_WORDS.values())  # สพป, สพม
LEVEL = re.compile("(" + "|".join(w for words in LEVEL_WORDS.values() for w in words) + ")")
AREA = re.compile(rf"{_AREA_WORD}\s*(\d{{1,3}})(?!\d)")
SQUASHED_AREA = re.compile(rf"{_AREA_WORD}(\d{{1,3}})(?!\d)")
PLACE_NUMBER = re.compile(rf"\s*{_AREA_WORD}?\s*(\d{{1,3}})(?!\d)")
UNKNOWN_OFFICE = re.compile(
    r"(สำนักงานเขตพื้นที่การศึกษา(?:ประถมศึกษา|มัธยมศึกษา)|สพ[ปม]\.?)\s*([\u0e01-\u0e2e\u0e40-\u0e44][\u0e00-\u0e7f]{2,})"
)
LEVEL_NUMBER = re.compile(rf"(?<={'|'.join(_ABBREVIATIONS)})[\s.]*(\d{{1,3}})(?!\d)")
#: "มัธยม 13": secondary area offices are numbered nationally, so the number alone names one.
#: Not "ประถม 2" (every province has a primary area 2), and not where the question speaks of
#: grades ("นักเรียนชั้นมัธยม 3", and "มัธยมศึกษาปีที่ 3" has no number after the level).
SECONDARY_NUMBER = re.compile(r"(?<=มัธยม)(?:ศึกษา)?\s*(\d{1,3})(?!\d)")
GRADE_WORDS = re.compile(r"ชั้น|นักเรียน|เด็ก|ห้อง|ปีที่")
SCHOOL = re.compile("(" + "|".join(re.escape(w) for w in SCHOOL_PREFIXES) + r")\s*([^\s,?]+)")
SENTENCE = frozenset(SENTENCE_WORDS)
#: The word(s) before "เขต 1" when no province was recognised in them: a misspelt place?
BEFORE_AREA = re.compile(rf"([\u0e00-\u0e7f.]{{3,}})\s*{_AREA_WORD}\s*(\d{{1,3}})(?!\d)")
MAX_MENTIONS = 6  # offices named in one question ("เทียบ ... กับ ... และ ...")
#: A name of an owner above the area offices ("ยุทธศาสตร์ชาติ", "สพฐ.", "กระทรวงศึกษาธิการ"),
#: longest first, each captured in the group of its row's shown name.
NATIONAL = re.compile("|".join(
    f"(?P<n{i}>" + "|".join(rf"(?<![a-z]){re.escape(fold(name))}(?![a-z])"
                            for name in sorted(row[2], key=len, reverse=True)) + ")"
    for i, row in enumerate(NATIONAL_OWNERS)))

#: (owner ids, an office named that is not loaded, the text without the office's name)
Found = tuple[list[str], str | None, str]


class OwnerMatcher:
    """Finds owners in a question by any of their names (built once per index)."""

    def __init__(self, owners: dict[str, Owner]):
        self.owners = owners
        self.by_key: dict[str, set[str]] = {}
        for owner_id, owner in owners.items():
            for key in owner.keys:
                self.by_key.setdefault(key, set()).add(owner_id)
        self.trie = Trie(self.by_key)
        # The first letters of every name: most places in a question start none, and are
        # passed over without walking the trie (`_longest_name`)
        self.head = min(3, min((len(k) for k in self.by_key), default=0))
        self.heads = frozenset(k[:self.head] for k in self.by_key)
        # Thai keys for typos ("สพป.ลำปัง เขต 1"; English names have their own near-match),
        # by their numbers and length: a typo's key has the same numbers and a length within
        # its budget, so `close_to` weighs those few, not every school's name
        self.fuzzy_keys: dict[tuple[tuple[str, ...], int], list[str]] = {}
        for key in self.by_key:
            if not key.isascii():
                numbers = tuple(re.findall(r"\d+", key))
                self.fuzzy_keys.setdefault((numbers, len(key)), []).append(key)
        self.by_province: dict[str, set[str]] = {}
        self.by_area: dict[int, set[str]] = {}
        for owner_id, owner in owners.items():
            for province in owner.provinces:
                self.by_province.setdefault(province, set()).add(owner_id)
            if owner.area is not None:
                self.by_area.setdefault(int(owner.area), set()).add(owner_id)

    def find(self, folded: str) -> Found:
        """(owner ids, unknown office mention, folded text without the mention)."""
        squashed = squash(folded, folded=True)
        best = self._longest_name(squashed)
        if best is None:
            return self._structured(folded)
        key, start = best
        owners = sorted(self.by_key[key])
        area = SQUASHED_AREA.match(squashed, start + len(key))
        if area and not key[-1].isdigit():
            # "สพม.ขอนแก่น เขต 2" when only สพม.ขอนแก่น is loaded: another office
            wanted = int(area.group(1))
            owners = [o for o in owners if self.owners[o].area == wanted]
            if not owners:
                name = re.sub(r"^(สพ[ปม])", r"\1.", squashed[start:start + len(key)])
                return [], f"{name} เขต {wanted}", folded
        return owners, None, _remove_name(folded, key)

    def by_place_alone(self, mention: str) -> list[str]:
        """The loaded offices a level and place without the area number name, when the place
        is not a province the name tables know ("สพป.ลำธาร" -> สพป.ลำธาร เขต 3): every one
        whose name is that, then an area."""
        prefix = squash(mention, folded=True)
        if len(prefix) < 5:
            return []
        return sorted({owner for key, ids in self.by_key.items()
                       if key.startswith(prefix) and re.fullmatch(r"(?:เขต)?\d{1,3}", key[len(prefix):])
                       for owner in ids})

    def find_all(self, folded: str) -> tuple[list[list[str]], str | None, str]:
        """Every office named, in the order written ("เทียบ สพม.13 กับ สพป.แพร่ เขต 1"):
        (each mention's owner ids, the first office named that is not loaded, the rest)."""
        mentions: list[tuple[int, list[str]]] = []
        unknown = None
        rest = folded
        for _ in range(MAX_MENTIONS):
            if mentions and not self._may_name_another(rest):
                break
            owners, missing, after = self.find(rest)
            if not owners and not missing:
                break
            if owners:
                mentions.append((_first_change(rest, after), owners))
            elif unknown is None:
                unknown = missing
            if after == rest:
                break
            rest = after
        mentions.sort(key=lambda m: m[0])
        return [owners for _, owners in mentions], unknown, rest

    def _may_name_another(self, rest: str) -> bool:
        """Whether the text left after a name could name another office (a cheap look
        before the full reading, which most questions, naming one office, don't need)."""
        if LEVEL.search(rest) or AREA.search(rest) or SCHOOL.search(rest) or NATIONAL.search(rest):
            return True
        if self._longest_name(squash(rest, folded=True)) is not None:
            return True
        return any(place in rest for place in self.by_province)

    def close_to(self, mention: str) -> list[str]:
        """Owners one of whose names is within a typo or two of `mention` (rapidfuzz's
        Levenshtein distance), with the same numbers: "สพป.ลำปัง เขต 1" -> ลำปาง เขต 1."""
        query = squash(mention, folded=True)
        if len(query) < 4:
            return []
        budget = 1 if len(query) < 10 else 2
        digits = tuple(re.findall(r"\d+", query))
        keys = [key for size in range(len(query) - budget, len(query) + budget + 1)
                for key in self.fuzzy_keys.get((digits, size), ())]
        found = process.extract(query, keys, scorer=Levenshtein.distance,
                                score_cutoff=budget, limit=None)
        return sorted({o for key, _, _ in found for o in self.by_key[key]})

    def _longest_name(self, squashed: str) -> tuple[str, int] | None:
        """(key, start) of the longest loaded name in the squashed text, leftmost on a tie."""
        best: tuple[int, int, str] | None = None  # (length, -start, key)
        head, heads = self.head, self.heads
        for start in range(len(squashed)):
            if squashed[start:start + head] not in heads:
                continue
            if start and squashed[start - 1].isdigit() and squashed[start].isdigit():
                continue
            for key in self.trie.prefixes(squashed, start):
                if _cut_word(squashed, key, start + len(key)):
                    continue
                candidate = (len(key), -start, key)
                if best is None or candidate > best:
                    best = candidate
        return (best[2], -best[1]) if best else None

    def _structured(self, folded: str) -> Found:
        """Offices named by level, province and area, when no name matched exactly."""
        mention = _read_mention(folded)
        for rule in STRUCTURED_RULES:
            found = rule(self, mention)
            if found is not None:
                return found
        raise AssertionError("the last rule always answers")  # pragma: no cover


def _cut_word(squashed: str, key: str, end: int) -> bool:
    """A name that stops inside a longer number or word: สพม.1 is not สพม.13."""
    if end >= len(squashed):
        return False
    if key[-1].isdigit() and squashed[end].isdigit():
        return True
    latin = key[-1].isascii() and key[-1].isalpha()
    return latin and squashed[end].isascii() and squashed[end].isalpha()


# --- office words: level, province, area ---------------------------------------------------


@dataclass
class Mention:
    """The office words of a question that named no loaded owner."""

    folded: str
    level: re.Match | None  # สพป, มัธยม, primary...
    area: re.Match | None  # เขต 1, the 1 of "สพป.แพร่ 1"
    places: list[tuple[int, object, str]]  # (where, province, the word used)


def _read_mention(folded: str) -> Mention:
    level = LEVEL.search(folded)
    area = AREA.search(folded) or LEVEL_NUMBER.search(folded)
    if area is None and not GRADE_WORDS.search(folded):
        area = SECONDARY_NUMBER.search(folded)
    places = []
    latin_words = re.findall(r"[a-z]{4,}", folded)
    squashed = squash(folded, folded=True) if level else ""
    for province in _named_provinces(folded, squashed, level, latin_words):
        place, by_abbreviation = _place(province, folded, squashed, level, latin_words,
                                        bool(level or area))
        if place is not None:
            places.append(place)
            if area is None and not by_abbreviation:
                # "แพร่ 1", "Phrae 1": the number after a place is its area
                area = PLACE_NUMBER.match(folded, place[0] + len(place[2]))
    return Mention(folded, level, area, places)


def _named_provinces(folded: str, squashed: str, level: re.Match | None,
                     latin_words: list[str]) -> tuple:
    """The provinces `_place` may find in the text, in `province_list` order (a few, found
    without weighing all 77): those one of whose names the text holds, those whose
    abbreviation follows its level word ("สพป.ลป.1"), and those whose English name one of
    its Latin words is a slip of ("Prae")."""
    names = _province_names()
    found: set[int] = set()
    for match in names.pattern.finditer(folded):
        found.update(names.holders[match.group(1)])
    if level:
        found.update(_abbreviated(level.group(1), (folded, squashed), names.by_abbr))
    for word in latin_words:
        near = process.extract(word, names.english, scorer=Levenshtein.distance,
                               score_cutoff=1, limit=None)
        found.update(number for _, _, number in near)
    provinces = province_list()
    return tuple(provinces[i] for i in sorted(found))


def _abbreviated(level: str, texts: tuple[str, ...], by_abbr: dict[str, set[int]]) -> set[int]:
    """The provinces whose abbreviation follows the level word somewhere in the texts."""
    longest = max(map(len, by_abbr), default=0)
    found: set[int] = set()
    for text in texts:
        at = text.find(level)
        while at >= 0:
            after = text[at + len(level): at + len(level) + longest]
            for size in range(1, len(after) + 1):
                found.update(by_abbr.get(after[:size], ()))
            at = text.find(level, at + 1)
    return found


@dataclass(frozen=True)
class ProvinceNames:
    """The province names `_place` looks for, as tables to find them at once."""

    pattern: re.Pattern  # at each place of a text, the longest Thai or English name there
    holders: dict[str, frozenset[int]]  # name -> provinces with a name it starts with
    by_abbr: dict[str, set[int]]  # squashed abbreviation -> provinces
    english: dict[int, str]  # province -> its English name, as `_near` compares it


@lru_cache(maxsize=1)
def _province_names() -> ProvinceNames:
    """The tables of `ProvinceNames`; provinces by their place in `province_list`. A name
    found stands for the shorter names it starts with too (กรุงเทพมหานคร holds กรุงเทพ)."""
    forms: dict[str, set[int]] = {}
    by_abbr: dict[str, set[int]] = {}
    english = {}
    for number, province in enumerate(province_list()):
        *names, abbr = _province_forms(province)
        for form in names:
            forms.setdefault(form, set()).add(number)
        by_abbr.setdefault(abbr, set()).add(number)
        name = province.english.casefold().replace(" ", "")
        if len(name) >= 4:
            english[number] = name
    longest_first = sorted(forms, key=len, reverse=True)
    pattern = re.compile("(?=(" + "|".join(re.escape(f) for f in longest_first) + "))")
    holders = {name: frozenset(n for form, numbers in forms.items() if name.startswith(form)
                               for n in numbers) for name in forms}
    return ProvinceNames(pattern, holders, by_abbr, english)


def _place(province, folded, squashed, level, latin_words, office_context):
    """((where, province, word), by abbreviation) when the question names this province."""
    forms = list(_province_forms(province)[:-1])
    if level:
        forms.append(level.group(1) + _province_forms(province)[-1])
    forms += [w for w in latin_words if _near(w, province.english.casefold())]
    for name in forms:
        if name.startswith(_ABBREVIATIONS):  # "สพป.ลป.1": level and abbreviation
            at = squashed.find(name)
            if at >= 0 and not squashed[at + len(name): at + len(name) + 1].isalpha():
                return (folded.find(level.group(1)), province, level.group(1)), True
            continue
        at = folded.find(name)
        if at >= 0 and (office_context or name in segment(folded)):
            return (at, province, name), False  # แพร่ only as a whole word (not in เผยแพร่)
    return None, False


# --- the rules, in order --------------------------------------------------------------------


def school_named(matcher: OwnerMatcher, m: Mention) -> Found | None:
    """A school that is not loaded: "วิสัยทัศน์โรงเรียนบ้านนาดี" -> โรงเรียนบ้านนาดี; one
    misspelt is found by its name. "โรงเรียนจะทำโครงการ..." and "ทางโรงเรียนอยากทำ..." are
    sentences, not names: the word after โรงเรียน starts a clause."""
    for school in SCHOOL.finditer(m.folded):
        name = _school_name(school.group(2))
        if not name:
            continue
        mention = school.group(1) + name
        close = matcher.close_to(mention)
        if close:
            return close, None, m.folded.replace(mention, " ", 1)
        return [], mention, m.folded.replace(mention, " ", 1)
    return None


def _school_name(after: str) -> str:
    """The proper name typed after โรงเรียน, up to the words that ask; "" for a sentence."""
    words = []
    for word in segment(after):
        if word in SENTENCE or word in FILLER or KIND_RE.match(word) or word in POLITE_WORDS:
            break
        words.append(word)
    return "".join(words)


def misspelt_office(matcher: OwnerMatcher, m: Mention) -> Found | None:
    """An office whose place is misspelt or cut short: "สพป.ลำปัง เขต 1", "ลำปัง เขต 1",
    "สพป.แพร เขต 1", "สพป.อุดร 2", "สพม.อุดร" is the one loaded office whose name is that
    close; when several are, only they."""
    if m.places:
        return None
    text = KIND_RE.sub(" ", m.folded)
    named = UNKNOWN_OFFICE.search(text)
    if named and not KIND_RE.match(named.group(2)):
        # "เขต 2" further on, or the bare number right after the place ("สพป.อุดร 2")
        area = AREA.search(text, named.end())
        bare = None if area else PLACE_NUMBER.match(text, named.end())
        number = f"เขต{(area or bare).group(1)}" if area or bare else ""
        typed = text[named.start():bare.end()] if bare else named.group(0)  # its number too
        tries = [(typed, named.group(1) + named.group(2) + number)]
    elif before := BEFORE_AREA.search(text):
        words = [w for w in segment(before.group(1)) if w.strip()]
        tries = [("".join(words[i:]), "".join(words[i:]) + f"เขต{before.group(2)}")
                 for i in range(len(words)) if words[i] not in FILLER]
    else:
        return None
    for typed, mention in tries:
        if len(typed) >= 3 and (close := matcher.close_to(mention)
                                or _place_cut_short(matcher, m, typed, mention)):
            rest = _without_office_words(Mention(m.folded.replace(typed, " ", 1), m.level,
                                                 None, []))
            return close, None, AREA.sub(" ", rest)
    return None


def _place_cut_short(matcher: OwnerMatcher, m: Mention, typed: str, mention: str) -> list[str]:
    """The loaded offices of that level and area (or of no area: "สพม.อุดร") whose province the
    typed place begins ("อุดร" of อุดรธานี, "อุบล" of อุบลราชธานี): one, or none."""
    place = re.sub(rf"^(?:{'|'.join(_ABBREVIATIONS)}|สำนักงานเขตพื้นที่การศึกษา\S*)\.?|\d+$", "",
                   squash(typed, folded=True))
    area = re.search(r"(\d{1,3})$", squash(mention, folded=True))
    if len(place) < 3:
        return []
    wanted = int(area.group(1)) if area else None  # "สพม.อุดร": an office with no area
    found = {owner for province, owners in matcher.by_province.items()
             if province.startswith(place) and province != place for owner in owners
             if matcher.owners[owner].area == wanted}
    if m.level:
        kind = next(k for k, words in LEVEL_WORDS.items() if m.level.group(1) in words)
        found = {owner for owner in found if matcher.owners[owner].kind == kind}
    return sorted(found) if len(found) == 1 else []


def no_office_words(matcher: OwnerMatcher, m: Mention) -> Found | None:
    """No level, place or area: no office ("กลยุทธ์การพัฒนาครู"), or a plan above the offices
    that is not loaded ("นโยบาย สพฐ.", "ยุทธศาสตร์ชาติด้านที่ 3"): its name, taken out."""
    if m.level or m.area or m.places:
        return None
    national = NATIONAL.search(m.folded)
    if national:
        kind, display, _ = NATIONAL_OWNERS[int(national.lastgroup[1:])]
        rest = m.folded.replace(national.group(0), " ", 1)
        loaded = sorted(o for o, owner in matcher.owners.items() if owner.kind == kind)
        return (loaded, None, rest) if loaded else ([], display, rest)
    return [], None, m.folded


def bare_province_word(matcher: OwnerMatcher, m: Mention) -> Found | None:
    """A bare province word (ลำปาง, but also เลย, ตาก) names an office only where the corpus
    has one there, or after ของ / จังหวัด: "จุดเน้นเลย" is not about จังหวัดเลย."""
    if not m.places or m.level or m.area:
        return None
    known = any(p.name in matcher.by_province for _, p, _ in m.places)
    context = re.search(r"(ของ|จังหวัด|จ\.)\s*$", m.folded[: m.places[0][0]])
    return None if known or context else ([], None, m.folded)


def loaded_office(matcher: OwnerMatcher, m: Mention) -> Found | None:
    """The loaded offices with that level, place and area: "ประถม แพร่ เขต 1", "Phrae area 1"."""
    if not (m.places or m.area):
        return None
    # from the owners of the place or area named, not from a copy of every owner
    if m.places:
        candidates = set().union(*(matcher.by_province.get(p.name, set()) for _, p, _ in m.places))
        if m.area:
            candidates &= matcher.by_area.get(int(m.area.group(1)), set())
    else:
        candidates = set(matcher.by_area.get(int(m.area.group(1)), set()))
    if m.level:
        kind = next(k for k, words in LEVEL_WORDS.items() if m.level.group(1) in words)
        candidates = {c for c in candidates if matcher.owners[c].kind == kind}
    return (sorted(candidates), None, _without_office_words(m)) if candidates else None


def office_by_name(matcher: OwnerMatcher, m: Mention) -> Found | None:
    """A level and a name we don't know, "สพม.แอตแลนติส" (or know only with its area: "สพป.ลำธาร"
    is the loaded สพป.ลำธาร เขต 3); or a level alone, "ประถม" (no office)."""
    if m.places or m.area:
        return None
    named = UNKNOWN_OFFICE.search(m.folded)
    if not named or KIND_RE.match(named.group(2)):
        return [], None, m.folded
    words = []
    for word in segment(named.group(2)):
        if word in FILLER or KIND_RE.match(word) or word.strip() in ("", *POLITE_WORDS):
            break
        words.append(word)
    mention = named.group(1) + "".join(words)
    loaded = matcher.by_place_alone(mention)  # "สพป.ลำธาร" with ลำธาร เขต 3 loaded
    return loaded, None if loaded else mention, m.folded.replace(mention, " ")


def office_not_loaded(matcher: OwnerMatcher, m: Mention) -> Found:
    """An office named by level, place and area that the corpus lacks: "สพป.เชียงใหม่ เขต 1"."""
    mention = " ".join(
        x for x in (
            m.level.group(1) if m.level else "",
            " ".join(p.name for _, p, _ in m.places),
            f"เขต {m.area.group(1)}" if m.area else "",
        ) if x
    )
    return [], mention, _without_office_words(m)


#: Tried in order after no loaded name matched; the first that answers wins.
STRUCTURED_RULES = (
    school_named, no_office_words, bare_province_word, misspelt_office, loaded_office,
    office_by_name, office_not_loaded,
)


def _without_office_words(m: Mention) -> str:
    rest = m.folded
    if m.area is not None:
        rest = rest[: m.area.start()] + " " + rest[m.area.end():]
    for pattern in (LEVEL_NUMBER, LEVEL, AREA):
        rest = pattern.sub(" ", rest)
    for _, _, name in m.places:
        rest = rest.replace(name, " ")
    return rest


@lru_cache(maxsize=128)
def _province_forms(province) -> tuple[str, ...]:
    """A province's Thai and English names in matching form (กรุงเทพมหานคร also กรุงเทพ)."""
    forms = [fold(province.name), province.english.casefold()]
    if province.name.endswith("มหานคร"):
        forms.append(fold(province.name[: -len("มหานคร")]))
    forms.append(squash(province.abbr))  # last: used only after สพป/สพม (สพป.ลป.1)
    return tuple(forms)


def _near(word: str, name: str) -> bool:
    """An English place name typed with one slip (Prae for Phrae)."""
    name = name.replace(" ", "")
    return len(name) >= 4 and edit_distance(word, name, 1) <= 1


def _first_change(before: str, after: str) -> int:
    """Where a name was taken out of the text: the first character that differs."""
    for at, (a, b) in enumerate(zip(before, after, strict=False)):
        if a != b:
            return at
    return min(len(before), len(after))


def _remove_name(folded: str, key: str) -> str:
    """Blank out a name found by its squashed key, whatever spaces, dots or dashes it was
    typed with: the first place it is, scanned for, not a pattern compiled per office's name
    (at national scale nearly every question names an office not asked about before)."""
    at = folded.find(key[0])
    while at >= 0:
        end = _typed_end(folded, key, at)
        if end is not None:
            # "รร.หนองน้ำใส" found by the school's own words: the "รร." before them is part of
            # the name typed, not a topic word left over
            before = _LEVEL_BEFORE.sub("", folded[:at])
            return before + " " + folded[end:]
        at = folded.find(key[0], at + 1)
    return folded


#: A level word typed right before an office's own name ("รร.", "โรงเรียน", "สพป."), so
#: part of the mention.
_LEVEL_BEFORE = re.compile(rf"(?:ทาง)?(?:{'|'.join(LEVEL_PREFIX_PATTERNS)})\s*$")


def _typed_end(text: str, key: str, start: int) -> int | None:
    """Where the key typed from `start` ends, separators allowed between its letters; None
    when the text there is not the key. A key's letters are never separators, so skipping
    every separator before the next letter is the only way the key can match."""
    at = start + 1
    for letter in key[1:]:
        while at < len(text) and (text[at].isspace() or text[at] in ".-"):
            at += 1
        if at >= len(text) or text[at] != letter:
            return None
        at += 1
    return at


#: Particles that make a level word alone a follow-up: "โรงเรียนล่ะ", "แล้วเขตล่ะ".
_ASKING_ABOUT = ("ล่ะ", "ละ", "หละ")
_WHICH = ("ไหน", "ใด", "อะไร", "ไร")


class Level(NamedTuple):
    """A plan named by its level alone (`level_alone`)."""

    kinds: tuple[str, ...]  # the owner kinds the word may mean
    word: str  # the level word as written ("เขต", "รร.")
    before: str  # the text before it
    rest: str  # the text without it


def _only_asks(words: list[str]) -> bool:
    """Whether the words before a level word, from the last section word on, only ask
    ("แล้วของ", "กลยุทธ์ที่ 2 ของ", "สอดคล้องกับกลยุทธ์ไหนของ"): no topic of their own."""
    last = max((k for k, w in enumerate(words) if KIND_RE.fullmatch(w)), default=-1)
    return all(w in LEVEL_ALONE_BEFORE or w == "แล้ว" or w.isdigit() or is_filler(w)
               for w in words[last + 1:])


def level_alone(rest: str) -> Level | None:
    """A plan named by its level alone, in the text left once names are taken out: "แล้วของ
    เขตล่ะ", "กลยุทธ์ระดับโรงเรียน", "เขตพื้นที่ล่ะ"; None when there is none. A level word
    followed by a name ("ของโรงเรียนบ้านดอย") or used as a topic ("ผู้อำนวยการเขต",
    "โรงเรียนปลอดภัย") is not one."""
    words = segment(rest)
    spots = [i for i, w in enumerate(words) if w.strip() and w != "."]
    for n, i in enumerate(spots):
        kinds = LEVEL_ALONE.get(words[i].rstrip("."))
        if kinds is None:
            continue
        after = [words[j] for j in spots[n + 1:]]
        end = i + 1
        if after and after[0] in LEVEL_ALONE_TAIL:
            end, after = spots[n + 1] + 1, after[1:]
        before = words[spots[n - 1]] if n else None
        first = n == 0 or (n == 1 and before == "แล้ว")
        section = before is not None and KIND_RE.fullmatch(before) is not None  # "กลยุทธ์เขต"
        if not (before in LEVEL_ALONE_BEFORE or section
                or (first and after[:1] and after[0] in _ASKING_ABOUT)):
            continue
        if after and (after[0] in _WHICH or not (is_filler(after[0]) or KIND_RE.match(after[0]))):
            continue  # a name or a topic follows, or it asks which: "ของเขตไหนบ้าง"
        if not _only_asks([words[j] for j in spots[:n]]):
            continue  # a topic's words before it: "ความปลอดภัยของโรงเรียน" is about schools
        start = spots[n - 1] if before in LEVEL_ALONE_BEFORE else i
        return Level(kinds, words[i], "".join(words[:start]),
                     "".join(words[:start]) + " " + "".join(words[end:]))
    return None
