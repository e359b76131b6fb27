"""Understanding a Thai question: which owner, which section kind, which items, what intent.

Pure functions over the index's owner names and the heading table; no Flask, no LINE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pythainlp.util import Trie, thaiword_to_num

from index.headings import LATIN_WORDS, THAI_WORDS, edit_distance, latin_kind
from index.names import province_list
from index.store import Owner
from index.text import fold, squash
from index.tokenize import segment, tokenize

_NUM = r"\d{1,3}(?:\.\d{1,3})*"
_SEP = r"[\s.\-]*"

GREETING = re.compile(r"^(สวัสดี|หวัดดี|ดีครับ|ดีค่ะ|hello|hi\b|hey\b|good (morning|afternoon))")
THANKS = re.compile(r"(ขอบคุณ|ขอบใจ|thank|thx|ขอบพระคุณ)")
HELP = re.compile(
    r"(^help|^\?+$|ช่วยเหลือ|วิธีใช้|ใช้งาน(ยังไง|อย่างไร)|ใช้(ยังไง|อย่างไร)|(ถาม|ทำ|ช่วย)อะไรได้|"
    r"คู่มือ|^เมนู|^menu|^คำสั่ง|^how to use)"
)
CHOOSE = re.compile(r"(เลือก|เปลี่ยน)(เขต|หน่วยงาน|โรงเรียน|สำนักงาน|แผน)")
LIST_OWNERS = re.compile(r"(มี(เขต|แผน|หน่วยงาน|โรงเรียน)(อะไร|ไหน|ของใคร)|รายชื่อ(เขต|หน่วยงาน|แผน))")
FOLLOW_UP = re.compile(r"(ล่ะ|ละ$|หละ|แล้ว|ด้วย|เหมือนกัน|and\b|what about)")
LEVEL = re.compile(r"(สพป|สพม|ประถม|มัธยม|primary|secondary|spp|spm)")
AREA = re.compile(r"(?:เขต|area)\s*(\d{1,3})(?!\d)")
SQUASHED_AREA = re.compile(r"(?:เขต|area)(\d{1,3})(?!\d)")
PLACE_NUMBER = re.compile(r"\s*(?:เขต|area)?\s*(\d{1,3})(?!\d)")
UNKNOWN_OFFICE = re.compile(
    r"(สำนักงานเขตพื้นที่การศึกษา(?:ประถมศึกษา|มัธยมศึกษา)|สพ[ปม]\.?)\s*([\u0e01-\u0e2e\u0e40-\u0e44][\u0e00-\u0e7f]{2,})"
)
LEVEL_NUMBER = re.compile(r"(?<=สพป|สพม)[\s.]*(\d{1,3})(?!\d)")
SCHOOL = re.compile(r"(โรงเรียน|รร\.)\s*([^\s,?]+)")
ITEM_WORDS = r"(?:ข้อที่|ข้อ|ลำดับที่|อันดับที่|item|no\.?|#)"
ORDINAL_WORDS = {"แรก": "1", "สุดท้าย": "last"}

#: Words that ask, not say what about: dropped before topic search.
FILLER = frozenset(
    fold(w)
    for w in (
        "อะไร บ้าง ไหม มั้ย ไหน อย่างไร ยังไง คือ ขอ ดู หน่อย ครับ ค่ะ คะ ครับผม ล่ะ ละ แล้ว เรื่อง "
        "เกี่ยวกับ มี ที่ ข้อ บอก ทราบ อยาก รู้ ช่วย แสดง ทั้งหมด แผน ของ และ หรือ ว่า ได้ "
        "plan what is the of about show me please tell"
    ).split()
)


@dataclass
class ItemRef:
    """An item asked for: its kind (or None: the section's), its number, its container."""

    kind: str | None
    number: str  # "2", "2.1" or "last"
    container: tuple[str, str] | None = None  # ("strategic_issue", "3")


@dataclass
class Question:
    """What a question asks for."""

    text: str  # folded
    intent: str | None = None  # greeting | thanks | help | choose_owner | list_owners
    owners: list[str] = field(default_factory=list)  # matched owner ids, best first
    unknown_owner: str | None = None  # an office named that is not in the corpus
    kind: str | None = None
    refs: list[ItemRef] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # topic words for retrieval
    all_terms: list[str] = field(default_factory=list)  # topic words, section words kept
    school: bool = False  # the unknown owner was a "โรงเรียน..." mention
    follow_up: bool = False
    rest: str = ""  # text left once owner, section and items are taken out


class OwnerMatcher:
    """Finds owners in a question by any of their names (built once per index)."""

    def __init__(self, owners: dict[str, Owner]):
        self.owners = owners
        self.by_key: dict[str, set[str]] = {}
        for owner_id, owner in owners.items():
            for key in owner.keys:
                self.by_key.setdefault(key, set()).add(owner_id)
        self.trie = Trie(self.by_key)
        self.by_province: dict[str, set[str]] = {}
        self.by_area: dict[int, set[str]] = {}
        for owner_id, owner in owners.items():
            for province in owner.provinces:
                self.by_province.setdefault(province, set()).add(owner_id)
            if owner.area is not None:
                self.by_area.setdefault(int(owner.area), set()).add(owner_id)

    def find(self, folded: str) -> tuple[list[str], str | None, str]:
        """(owner ids, unknown office mention, folded text without the mention)."""
        squashed = squash(folded, folded=True)
        best: tuple[int, int, str] | None = None  # (length, -start, key)
        for start in range(len(squashed)):
            if start and squashed[start - 1].isdigit() and squashed[start].isdigit():
                continue
            for key in self.trie.prefixes(squashed[start:]):
                end = start + len(key)
                if key[-1].isdigit() and end < len(squashed) and squashed[end].isdigit():
                    continue  # สพม.1 is not สพม.13
                if key[-1].isascii() and key[-1].isalpha() and end < len(squashed):
                    if squashed[end].isascii() and squashed[end].isalpha():
                        continue
                candidate = (len(key), -start, key)
                if best is None or candidate > best:
                    best = candidate
        if best is not None:
            key, start = best[2], -best[1]
            owners = sorted(self.by_key[key])
            area = SQUASHED_AREA.match(squashed, start + len(key))
            if area and not key[-1].isdigit():
                # "สพม.ขอนแก่น เขต 2" when only สพม.ขอนแก่น is loaded: another office
                wanted = int(area.group(1))
                owners = [o for o in owners if self.owners[o].area == wanted]
                if not owners:
                    name = re.sub(r"^(สพ[ปม])", r"\1.", squashed[start:start + len(key)])
                    return [], f"{name} เขต {wanted}", folded
            rest = _remove_name(folded, key)
            return owners, None, rest
        return self._structured(folded)

    def _structured(self, folded: str) -> tuple[list[str], str | None, str]:
        """Offices named by level, province and area, when no name matched exactly."""
        level = LEVEL.search(folded)
        area = AREA.search(folded) or LEVEL_NUMBER.search(folded)
        places = []
        latin_words = re.findall(r"[a-z]{4,}", folded)
        squashed = squash(folded, folded=True) if level else ""
        for province in province_list():
            forms = list(_province_forms(province)[:-1])
            if level:
                forms.append(level.group(1) + _province_forms(province)[-1])
            forms += [w for w in latin_words if _near(w, province.english.casefold())]
            for name in forms:
                if name.startswith(("สพป", "สพม")):  # "สพป.ลป.1": level and abbreviation
                    at = squashed.find(name)
                    if at >= 0 and not squashed[at + len(name): at + len(name) + 1].isalpha():
                        places.append((folded.find(level.group(1)), province, level.group(1)))
                        break
                    continue
                at = folded.find(name)
                if at >= 0 and _province_word(folded, at, name, bool(level or area)):
                    places.append((at, province, name))
                    if area is None:  # "แพร่ 1", "Phrae 1": the number after a place is its area
                        area = PLACE_NUMBER.match(folded, at + len(name))
                    break
        school = SCHOOL.search(folded)
        if school:
            return [], school.group(0).strip(), folded.replace(school.group(0), " ")
        if not (level or area or places):
            if re.search(r"(สพฐ|obec)", folded):
                return [], "สพฐ.", folded
            return [], None, folded
        if places and not level and not area:
            # A bare province word (ลำปาง, but also เลย, ตาก) names an office only where the
            # corpus has one there, or after ของ / จังหวัด.
            known = any(p.name in self.by_province for _, p, _ in places)
            context = re.search(r"(ของ|จังหวัด|จ\.)\s*$", folded[: places[0][0]])
            if not known and not context:
                return [], None, folded
        candidates = set(self.owners)
        if places:
            candidates &= set().union(*(self.by_province.get(p.name, set()) for _, p, _ in places))
        if area:
            candidates &= self.by_area.get(int(area.group(1)), set())
        if level:
            kind = "spp" if level.group(1) in ("สพป", "ประถม", "primary", "spp") else "spm"
            candidates = {c for c in candidates if self.owners[c].kind == kind}
        rest = folded
        if area is not None:
            rest = rest[: area.start()] + " " + rest[area.end():]
        for pattern in (LEVEL_NUMBER, LEVEL, AREA):
            rest = pattern.sub(" ", rest)
        for _, _, name in places:
            rest = rest.replace(name, " ")
        if candidates and (places or area):
            return sorted(candidates), None, rest
        mention = " ".join(
            x for x in (
                level.group(1) if level else "",
                " ".join(p.name for _, p, _ in places),
                f"เขต {area.group(1)}" if area else "",
            ) if x
        )
        if not places and not area:
            named = UNKNOWN_OFFICE.search(folded)
            if named and not _KIND_RE.match(named.group(2)):
                # "สพม.แอตแลนติส": an office by name, but no province or area we know
                words = []
                for word in segment(named.group(2)):
                    if word in FILLER or _KIND_RE.match(word) or word.strip() in ("", "ครับ", "ค่ะ"):
                        break
                    words.append(word)
                mention = named.group(1) + "".join(words)
                return [], mention, folded.replace(mention, " ")
            return [], None, folded  # "ประถม" alone names no office in the corpus
        return [], mention, rest


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


def _province_word(folded: str, at: int, name: str, office_context: bool) -> bool:
    """A province name counts as a place only as a whole word (แพร่ is not in เผยแพร่)."""
    if office_context:
        return True
    words = segment(folded)
    return name in words


def _remove_name(folded: str, key: str) -> str:
    """Blank out a name found by its squashed key, whatever spaces or dots it was typed with."""
    pattern = _SEP.join(re.escape(ch) for ch in key)
    return re.sub(pattern, " ", folded, count=1)


def find_kind(folded: str) -> tuple[str | None, str]:
    """(section kind, text without the section word): exact words first, then typos."""
    best = None
    for word, kind in THAI_WORDS:
        at = folded.find(word)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, word, kind)
    if best is not None:
        at, word, kind = best
        return kind, folded[:at] + " " + folded[at + len(word):]
    for word in re.findall(r"[a-z]+(?: [a-z]+)?", folded):
        for latin, kind in LATIN_WORDS:
            if word == latin or word.startswith(latin + " "):
                return kind, folded.replace(latin, " ", 1)
    for word in re.findall(r"[a-z]{5,}", folded):
        kind = latin_kind(word)
        if kind:
            return kind, folded.replace(word, " ", 1)
    return _fuzzy_kind(folded)


def _fuzzy_kind(folded: str) -> tuple[str | None, str]:
    pieces = [w for w in segment(folded)][:60]
    for size in (1, 2, 3):
        for start in range(len(pieces) - size + 1):
            chunk = "".join(pieces[start:start + size]).strip()
            if len(chunk) < 4 or not re.match(r"^[\u0e00-\u0e7f]+$", chunk):
                continue
            for word, kind in THAI_WORDS:
                if len(word) < 6 or (chunk[0] not in word[:2] and word[0] not in chunk[:2]):
                    continue  # a typo rarely spoils both of the first two letters
                budget = 1 if len(word) < 8 else 2
                if edit_distance(chunk, word, budget) <= budget or _same_start(chunk, word):
                    return kind, folded.replace(chunk, " ", 1)
    return None, folded


def _same_start(chunk: str, word: str) -> bool:
    """วิสัยทัด for วิสัยทัศน์: most of the word typed right, the ending typed wrong."""
    if len(chunk) > len(word) + 1 or chunk[:5] != word[:5]:
        return False
    common = 0
    for a, b in zip(chunk, word, strict=False):
        if a != b:
            break
        common += 1
    return common >= max(5, 0.7 * len(word)) and common >= len(chunk) - 2


_KIND_WORD = "|".join(
    [re.escape(w) for w, _ in THAI_WORDS] + [re.escape(w) + "s?" for w, _ in LATIN_WORDS]
)
_KIND_RE = re.compile(_KIND_WORD)
_REF = re.compile(
    rf"(?:(?P<word>{_KIND_WORD})\s*(?:ข้อที่|ข้อ|ที่|no\.?|#)?\s*(?P<n1>{_NUM})(?!\d)"
    rf"(?:\s*(?:-|ถึง|to)\s*(?P<to1>\d{{1,3}}))?"
    rf"|{ITEM_WORDS}\s*(?P<n2>{_NUM}|แรก|สุดท้าย)(?:\s*(?:-|ถึง|to)\s*(?P<to>\d{{1,3}}))?"
    rf"|(?<![\w.])ที่\s*(?P<n3>{_NUM})(?!\d))"
)
_FIRST_N = re.compile(r"(?<![\d.])(\d{1,2})\s*ข้อแรก")
_MORE = re.compile(rf"^\s*(?:,|และ|กับ|&|and)\s*(?:ข้อ(?:ที่)?)?\s*(?P<n>{_NUM})(?!\d)")


def _word_kind(word: str) -> str | None:
    for thai, kind in THAI_WORDS:
        if word == thai:
            return kind
    for latin, kind in LATIN_WORDS:
        if word.rstrip("s") == latin.rstrip("s"):
            return kind
    return None


def find_refs(folded: str) -> tuple[list[ItemRef], str]:
    """Item references: ข้อ 2, ที่ ๓ (already folded to 3), กลยุทธ์ที่ 4 ของยุทธศาสตร์ที่ 3."""
    found: list[tuple[str | None, str]] = []
    first = _FIRST_N.search(folded)
    if first:  # "3 ข้อแรก": items 1 to 3
        found.extend((None, str(n)) for n in range(1, min(int(first.group(1)), 30) + 1))
        folded = folded.replace(first.group(0), " ", 1)
    rest = folded
    for match in _REF.finditer(folded):
        word = match.group("word")
        kind = _word_kind(word) if word else None
        number = match.group("n1") or match.group("n2") or match.group("n3")
        number = ORDINAL_WORDS.get(number, number)
        to = match.group("to") or match.group("to1")
        if to and number.isdigit():
            first, last = int(number), int(to)
            if 0 < first <= last <= first + 30:
                found.extend((kind, str(n)) for n in range(first, last + 1))
        else:
            found.append((kind, number))
        tail = folded[match.end():]
        while more := _MORE.match(tail):
            found.append((kind, more.group("n")))
            tail = tail[more.end():]
        rest = rest.replace(match.group(0), " ", 1)
    refs: list[ItemRef] = []
    containers = [(k, n) for k, n in found if k == "strategic_issue"]
    targets = [(k, n) for k, n in found if k != "strategic_issue"]
    if containers and targets:
        refs = [ItemRef(k, n, containers[0]) for k, n in targets]
    else:
        refs = [ItemRef(k, n) for k, n in found]
    if not refs:
        bare = re.fullmatch(rf"\s*({_NUM})\s*", rest)
        if bare:
            refs = [ItemRef(None, bare.group(1))]
            rest = ""
    return refs, rest


_NUMBER_WORD = re.compile(
    r"(ที่|ข้อ)\s*((?:หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ยี่สิบ|เอ็ด)+)"
)


def _number_words(folded: str) -> str:
    """'กลยุทธ์ที่สอง' -> 'กลยุทธ์ที่ 2' (PyThaiNLP reads the number words)."""

    def digits(match: re.Match) -> str:
        try:
            return f"{match.group(1)} {thaiword_to_num(match.group(2))}"
        except (ValueError, KeyError, IndexError):
            return match.group(0)

    return _NUMBER_WORD.sub(digits, folded)


def understand(question: str, matcher: OwnerMatcher) -> Question:
    """Read a question into owner, section kind, item references, intent and topic words."""
    folded = _number_words(fold(question))
    q = Question(folded)
    owners, unknown, rest = matcher.find(folded)
    q.owners, q.unknown_owner = owners, unknown
    q.school = bool(unknown and SCHOOL.match(unknown))
    # `rest` is folded text already: the same terms as tokenize(question) would give, sooner
    q.all_terms = [t for t in tokenize(rest, already_clean=True)
                   if t not in FILLER and not t.isdigit()]
    refs, rest = find_refs(rest)
    kind, rest = find_kind(rest)
    kinds = [r.kind for r in refs if r.kind and r.kind != "strategic_issue"]
    kinds = kinds or [r.kind for r in refs if r.kind]
    if kinds:
        kind = kinds[0] if kind is None or kind == "strategic_issue" else kind
    if kind is not None and refs and all(r.kind is None for r in refs):
        refs = [ItemRef(kind, r.number, r.container) for r in refs]
    elif kind is not None and any(r.kind is None for r in refs):
        refs = [ItemRef(r.kind or kind, r.number, r.container) for r in refs]
    if refs and any(r.kind == "strategic_issue" for r in refs) and kind not in (
            None, "strategic_issue") and not any(r.container for r in refs):
        container = next(r for r in refs if r.kind == "strategic_issue")
        others = [r for r in refs if r is not container]
        # "กลยุทธ์ของยุทธศาสตร์ที่ 2": every strategy of issue 2
        refs = [ItemRef(kind, r.number, ("strategic_issue", container.number)) for r in others]
        refs = refs or [ItemRef(kind, "*", ("strategic_issue", container.number))]
    if refs and refs[0].container and kind == "strategic_issue":
        kind = refs[0].kind
    q.kind, q.refs = kind, refs
    q.follow_up = bool(FOLLOW_UP.search(folded))
    stripped = folded.strip(" ?!.,")
    if CHOOSE.search(stripped):
        q.intent = "choose_owner"
    elif LIST_OWNERS.search(stripped):
        q.intent = "list_owners"
    elif not owners and kind is None and not refs:
        if HELP.search(stripped):
            q.intent = "help"
        elif THANKS.search(stripped):
            q.intent = "thanks"
        elif GREETING.search(stripped):
            q.intent = "greeting"
    q.rest = rest
    q.terms = [t for t in tokenize(rest, already_clean=True)
               if t not in FILLER and not t.isdigit()]
    return q
