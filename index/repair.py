"""Repair Thai text damaged by extraction from PDF (and, rarely, other) files.

Real Thai PDFs are damaged by their fonts whichever library reads them. Each repair here fixes
one pattern and only where it is seen, so clean text passes through unchanged:

* ``pua``: Private Use Area code points of old Windows/Mac Thai fonts (U+F700-U+F71A: marks
  shifted left or down, letters without their descender) mapped back to Thai;
* ``sara_am``: a decomposed SARA AM (NIKHAHIT + SARA AA, tone mark on either side);
* ``lost_nikhahit``: the dot of SARA AM extracted as a space ("ส าคัญ" for สำคัญ);
* ``space_before_mark``: a space cut in before a vowel or tone mark;
* ``mark_order``: a tone mark typed or extracted before its upper or lower vowel;
* ``tone_as_vowel``: ป ฝ ฟ with a tone mark read as a lower vowel ("เปูาหมาย");
* ``mark_shift``: a mark extracted one letter late ("กลอ่ง" for กล่อง);
* ``aa_am_swap``: a font that gives SARA AA as SARA AM ("บำท"), decided per font span by the
  PDF reader (`swapped_fonts`) or per line where no font is known;
* ``letter_spacing``: a justified line spaced out letter by letter ("ก า ร พั ฒ น า");
* ``running``: running headers, footers and page numbers (`drop_running`).

PyThaiNLP's `normalize` deletes a mark that follows a space, so these repairs run before it
(`index.text.clean`). Where a repair is a guess (swaps, spacing), it is kept only if more of the
text then falls into PyThaiNLP's word list.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

CONSONANT = "\u0e01-\u0e2e"
#: Marks that sit above or below a consonant and can never start a word.
ABOVE_BELOW = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
TONES = "\u0e48-\u0e4b"
UPPER_LOWER_VOWELS = "\u0e31\u0e34-\u0e37\u0e38-\u0e3a\u0e47"
SARA_AA, SARA_AM, NIKHAHIT = "\u0e32", "\u0e33", "\u0e4d"

#: The Thai glyph variants old fonts put in the Private Use Area, back to their characters.
PUA = {
    0xF700: "\u0e10", 0xF70F: "\u0e0d",  # THO THAN and YO YING without descender
    0xF701: "\u0e34", 0xF702: "\u0e35", 0xF703: "\u0e36", 0xF704: "\u0e37",  # vowels, left
    0xF705: "\u0e48", 0xF706: "\u0e49", 0xF707: "\u0e4a", 0xF708: "\u0e4b",  # tones, left
    0xF709: "\u0e4c",
    0xF70A: "\u0e48", 0xF70B: "\u0e49", 0xF70C: "\u0e4a", 0xF70D: "\u0e4b",  # tones, low
    0xF70E: "\u0e4c",
    0xF710: "\u0e31", 0xF711: "\u0e4d", 0xF712: "\u0e47",  # MAI HAN-AKAT, NIKHAHIT, MAITAIKHU
    0xF713: "\u0e48", 0xF714: "\u0e49", 0xF715: "\u0e4a", 0xF716: "\u0e4b",  # tones, low left
    0xF717: "\u0e4c",
    0xF718: "\u0e38", 0xF719: "\u0e39", 0xF71A: "\u0e3a",  # lower vowels, low
}
_PUA_RE = re.compile("[\uf700-\uf71a]")

_DECOMPOSED_AM = re.compile(f"([{TONES}]?){NIKHAHIT}([{TONES}]?){SARA_AA}")
_LOST_NIKHAHIT = re.compile(f"([{CONSONANT}][{TONES}]?) +([{SARA_AA}{SARA_AM}])")
_SPACE_BEFORE_MARK = re.compile(f"([\u0e01-\u0e3a\u0e40-\u0e4e]) +([{ABOVE_BELOW}])")
_TONE_FIRST = re.compile(f"([{TONES}])([{UPPER_LOWER_VOWELS}])")
_TONE_AS_U = re.compile("([\u0e1b\u0e1d\u0e1f])\u0e38")  # SARA U for MAI EK
_TONE_AS_UU = re.compile("([\u0e1b\u0e1d\u0e1f])\u0e39")  # SARA UU for MAI THO
_MARK_AFTER_NEXT = re.compile(f"([{CONSONANT}])([{CONSONANT}])([{ABOVE_BELOW}]+)")
_AM_FOR_AA = re.compile(f"(?<![ {NIKHAHIT}]){SARA_AM}")
_SPACED_AM = re.compile(f"[ {NIKHAHIT}]+{SARA_AM}")
_CLUSTER = f"[\u0e01-\u0e30\u0e32\u0e33\u0e40-\u0e45][{ABOVE_BELOW}]*"
_SPACED_OUT = re.compile(f"(?<![\u0e01-\u0e4e]){_CLUSTER}(?: {_CLUSTER}){{3,}}(?![\u0e01-\u0e4e])")
_THAI_RUN = re.compile("[\u0e01-\u0e4e]+")


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


@lru_cache(maxsize=65536)
def _tokens(run: str) -> tuple[str, ...]:
    from pythainlp.tokenize import word_tokenize

    return (run,) if run in _words() else tuple(word_tokenize(run, engine="newmm"))


def known_chars(text: str) -> int:
    """How many Thai characters of `text` fall inside words of PyThaiNLP's word list."""
    words = _words()
    return sum(
        len(token) for run in _THAI_RUN.findall(text) for token in _tokens(run) if token in words
    )


def _score(run: str) -> tuple[int, int]:
    """How well a Thai run reads: characters in known words, then fewer pieces."""
    return known_chars(run), -len(_tokens(run))


def _run_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the Thai text (spaces included) around text[start:end]."""
    while start > 0 and (text[start - 1] == " " or "\u0e01" <= text[start - 1] <= "\u0e4e"):
        start -= 1
    while end < len(text) and (text[end] == " " or "\u0e01" <= text[end] <= "\u0e4e"):
        end += 1
    return start, end


def _if_better(text: str, pattern: re.Pattern, candidates, name: str, counts: Counter) -> str:
    """Replace each match by the first candidate that puts more of its text in the word list."""
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        start, end = _run_around(text, match.start(), match.end())
        window = text[start:end]
        best, best_score = None, known_chars(window)
        for candidate in candidates(match):
            tried = window[: match.start() - start] + candidate + window[match.end() - start:]
            score = known_chars(tried)
            if score > best_score:
                best, best_score = candidate, score
        out.append(text[last:match.start()])
        if best is None:
            out.append(match.group(0))
        else:
            out.append(best)
            counts[name] += 1
        last = match.end()
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


#: Guesses kept only where the run then reads better (`_score`): (name, pattern,
#: replacements, tried only in runs with unknown words). ป ฝ ฟ + a lower vowel is rare enough
#: to try everywhere ("ปูองกัน" splits into known words: ปู อง กัน).
_GUESSES = (
    ("tone_as_vowel", _TONE_AS_U, ("\\1\u0e48", "\\1\u0e49"), False),
    ("tone_as_vowel", _TONE_AS_UU, ("\\1\u0e49", "\\1\u0e48"), False),
    ("mark_shift", _MARK_AFTER_NEXT, (r"\1\3\2",), True),
)


def _repair_unknown(run: str, counts: Counter) -> str:
    """A Thai run with the guesses that make it read better."""
    score = _score(run)
    for name, pattern, replacements, only_unknown in _GUESSES:
        if only_unknown and score[0] == len(run):
            continue
        position = 0
        while match := pattern.search(run, position):
            position = match.start() + 1
            for replacement in replacements:
                tried = run[: match.start()] + match.expand(replacement) + run[match.end():]
                tried_score = _score(tried)
                if tried_score[0] >= score[0] + 2 or (
                    tried_score[0] >= score[0] and tried_score[1] > score[1] + 1
                ):
                    run, score = tried, tried_score
                    counts[name] += 1
                    break
    return run


def _count_sub(pattern: re.Pattern, replacement, text: str, name: str, counts: Counter) -> str:
    text, n = pattern.subn(replacement, text)
    if n:
        counts[name] += n
    return text


def _lost_nikhahit(match: re.Match, counts: Counter) -> str:
    """'ส าคัญ' is สำคัญ (the dot of SARA AM read as a space), but 'มา ตรา' on a line spaced
    out for justification is มาตรา: no word starts with SARA AA, so the space is damage either
    way; the word list picks which."""
    text = match.string
    start, end = _run_around(text, match.start(), match.end())
    before, after = text[start:match.start()], text[match.end():end]
    am, aa = f"{match.group(1)}{SARA_AM}", f"{match.group(1)}{SARA_AA}"
    if match.group(2) == SARA_AA and _score(before + aa + after) > _score(before + am + after):
        counts["letter_spacing"] += 1
        return aa
    counts["lost_nikhahit"] += 1
    return am


def swap_aa_am(text: str) -> str:
    """Text of a font that gives SARA AA as SARA AM: bare AM is AA, a spaced AM is AM."""
    text = _AM_FOR_AA.sub(SARA_AA, text)
    return _SPACED_AM.sub(SARA_AM, text)


def swapped_fonts(spans: Iterable[tuple[str, str]]) -> set[str]:
    """The fonts, among (font, text) spans, whose SARA AM reads better as SARA AA."""
    votes: Counter = Counter()
    for font, text in spans:
        if SARA_AM not in text:
            continue
        for match in _THAI_RUN.finditer(text):
            word = match.group()
            if SARA_AM not in word:
                continue
            before, after = known_chars(word), known_chars(swap_aa_am(word))
            votes[font] += (after > before) - (after < before)
    return {font for font, vote in votes.items() if vote >= 2}


def repair(text: str, counts: Counter | None = None) -> tuple[str, Counter]:
    """`text` with extraction damage repaired, and how many repairs of each kind were made."""
    counts = Counter() if counts is None else counts
    if not text or not any("\u0e00" <= ch <= "\u0e7f" or ch >= "\uf700" for ch in text):
        return text, counts
    if _PUA_RE.search(text):
        text = _count_sub(_PUA_RE, lambda m: PUA[ord(m.group())], text, "pua", counts)
    if _SPACED_OUT.search(text):
        text = _if_better(
            text, _SPACED_OUT, lambda m: (m.group(0).replace(" ", ""),), "letter_spacing", counts
        )
    text = _count_sub(_DECOMPOSED_AM, rf"\1\2{SARA_AM}", text, "sara_am", counts)
    if SARA_AM in text:
        text = "\n".join(_swap_if_better(line, counts) for line in text.split("\n"))
    if _LOST_NIKHAHIT.search(text):
        text = _LOST_NIKHAHIT.sub(lambda m: _lost_nikhahit(m, counts), text)
    text = _count_sub(_SPACE_BEFORE_MARK, r"\1\2", text, "space_before_mark", counts)
    text = _count_sub(_TONE_FIRST, r"\2\1", text, "mark_order", counts)
    text = _THAI_RUN.sub(lambda m: _repair_unknown(m.group(), counts), text)
    return text, counts


def _swap_if_better(line: str, counts: Counter) -> str:
    """Where no font is known, decide the SARA AA/AM swap line by line."""
    if not _AM_FOR_AA.search(line):
        return line
    swapped = swap_aa_am(line)
    if swapped == line or known_chars(swapped) <= known_chars(line) + 1:
        return line
    counts["aa_am_swap"] += len(_AM_FOR_AA.findall(line))
    return swapped


# --- running headers, footers and page numbers ------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^\s*(?:(?:หน้า|page|p\.)\s*)?[-–—(\[]?\s*[0-9๐-๙]{1,4}\s*[-–—)\]]?"
    r"(?:\s*(?:/|จาก|of)\s*[0-9๐-๙]{1,4})?\s*$",
    re.IGNORECASE,
)
_DIGITS = re.compile("[0-9๐-๙]+")


def is_page_number(text: str) -> bool:
    """True for a line that is only a page number: '5', '- 5 -', 'หน้า ๕', 'Page 5 of 20'."""
    return bool(_PAGE_NUMBER.match(text))


#: A page's running header pasted with its page: the plan's title (or a year) and the page
#: number at the end, "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2568    หน้า 5".
_RUNNING_HEADER = re.compile(r"^(?=.*(?:^แผน|25\d\d|๒๕[๐-๙]{2})).{4,90}\s(?:หน้า|page)\s*"
                             r"[0-9๐-๙]{1,4}\s*$", re.IGNORECASE)


def is_running_header(text: str) -> bool:
    """True for a running header line that ends with its page number (`_RUNNING_HEADER`)."""
    return bool(_RUNNING_HEADER.match(text))


def _shape(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.split()))


def running_lines(pages: list[list[str]], edge: int = 3) -> set[int]:
    """Indexes (into the concatenated pages) of running headers, footers and page numbers.

    A line is running when it is a page number at the top or bottom of its page, or when the
    same line (digits aside) sits within `edge` lines of the top or bottom of at least half of
    the pages (and of three pages at least).
    """
    shapes: Counter = Counter()
    placed: list[tuple[int, str, bool]] = []
    index = 0
    starts = set()
    for page in pages:
        starts.add(index)
        seen = set()
        for position, text in enumerate(page):
            at_edge = position < edge or position >= len(page) - edge
            shape = _shape(text)
            placed.append((index, text, at_edge))
            if at_edge and shape and shape not in seen:
                shapes[shape] += 1
                seen.add(shape)
            index += 1
    threshold = max(3, (len(pages) + 1) // 2)
    repeated = {shape for shape, n in shapes.items() if n >= threshold}
    running: set[int] = set()
    dropped_on_page: set[str] = set()
    for i, text, at_edge in placed:
        if i in starts:
            dropped_on_page = set()
        shape = _shape(text)
        if at_edge and (is_page_number(text) or shape in repeated):
            if shape in dropped_on_page:  # a second copy on one page is the page's own text
                continue
            dropped_on_page.add(shape)
            running.add(i)
    return running


# --- web page footers -------------------------------------------------------------------------

_FOOTER = re.compile(
    r"©|\(c\)\s*[0-9๐-๙]{4}|copyright|สงวนลิขสิทธิ์|all rights reserved|powered by",
    re.IGNORECASE,
)


def is_page_footer(text: str) -> bool:
    """True for a web page's footer line: a copyright notice ('© 2566 … โทร 0…')."""
    return bool(_FOOTER.search(text))


def cut_glued_footer(text: str) -> str:
    """A line with a page footer glued onto its end, without the footer."""
    match = _FOOTER.search(text)
    if not match or match.start() < 10:
        return text
    return text[: match.start()].rstrip(" -–|·")
