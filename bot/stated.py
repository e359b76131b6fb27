"""What a plan says its own project serves, read from the project's own lines and cells.

Plans say it in a project table's column ('| สนองกลยุทธ์ | 1, 2 |', 'สนองกลยุทธ์ สพฐ.'), or in
the project's running text or block of labelled lines:

    สอดคล้องกับกลยุทธ์ สพฐ. ข้อ 3, กลยุทธ์ สพม.สุโขทัย ข้อ 3, กลยุทธ์โรงเรียน ข้อ 1
    … งบประมาณ 450,000 บาท สอดคล้องกับประเด็นยุทธศาสตร์ที่ 1 ผู้รับผิดชอบ กลุ่ม…
    สนองกลยุทธ์ที่ 2 ของ สพป.แพร่ เขต 1 และยุทธศาสตร์ชาติ ด้านที่ 3

`links` turns that into (plan, kind, item numbers) for each plan it names that is loaded: a
kind with no office named is the project's own plan's; "โรงเรียน" or "เขต" alone is the plan of
that level in the project's chain (`Catalog.chain`); an office by name is found as a question's
office is (`OwnerMatcher`). A name that is no loaded plan is left out; the plan's words, quoted
whole, still show it to the reader. The numbers are not checked here against the plan named:
alignment cites them only when each is one item of that plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.catalog import Catalog
from bot.tables import Row
from index.headings import DOCUMENT_WORDS, kind_at_start
from index.text import fold, fold_clean
from index.vocab import LEVEL_ALONE, LEVEL_ALONE_TAIL

#: The kinds a project is said to serve (or to follow from).
LINKABLE = frozenset({"strategy", "strategic_issue", "goal", "focus", "policy", "guideline",
                      "indicator", "mission"})
#: The words that say it: "สนอง", "ตอบสนอง", "สอดคล้องกับ", "ความสอดคล้อง".
STATED = re.compile(r"(?:ความ)?สอดคล้อง(?:กับ)?|(?:ตอบ)?สนอง")
#: Where a statement in running text ends: the next label of a project's line.
ENDS = re.compile(r"ผู้รับผิดชอบ|งบประมาณ|ระยะเวลา|หน่วยงาน|ตัวชี้วัด|ค่าเป้าหมาย|มาตรฐาน|"
                  r"วงเงิน|แหล่งงบ|กิจกรรม|วัตถุประสงค์|[(\n]")
#: Where a project's name ends in its line: its budget, who carries it out, when.
NAME_ENDS = re.compile(r"\s(?:งบประมาณ|ผู้รับผิดชอบ|ระยะเวลา)")
_KIND = "|".join(re.escape(word) for word, kind in DOCUMENT_WORDS if kind in LINKABLE)
_NUMBER = r"\d{1,3}(?:\.\d{1,3})*(?!\d)"
_MORE = rf"(?:\s*(?:,|/|และ|หรือ)\s*(?:ข้อ(?:ที่)?\s*)?{_NUMBER})*"
#: One item or more named: "กลยุทธ์ สพม.สุโขทัย ข้อ 3", "ประเด็นยุทธศาสตร์ที่ 1",
#: "กลยุทธ์ 1, 2", "กลยุทธ์ที่ 2 ของ สพป.แพร่ เขต 1" (the office after the number),
#: "สพป.แพร่ เขต 1: กลยุทธ์ที่ 2" (the office as a label before the kind).
NAMED = re.compile(
    rf"(?:(?P<before>[^:,;/]{{1,60}}):\s*)?(?P<kind>{_KIND})(?:(?P<who>[^,;/]{{0,60}}?)(?:ข้อ(?:ที่)?|ด้าน(?:ที่)?|ที่)|\s*)\s*"
    rf"(?P<numbers>{_NUMBER}{_MORE})"
    rf"(?P<after>\s*ของ\s*[^,;/]*?(?=\s*(?:,|;|/|และ|หรือ|{_KIND}|$)))?")
#: A cell under a column that names the kind: only numbers ("1, 2", "ข้อ 3", "กลยุทธ์ที่ 4").
NUMBERS_ONLY = re.compile(rf"^\s*(?:{_KIND})?\s*(?:ข้อ(?:ที่)?|ที่)?\s*{_NUMBER}{_MORE}\s*$")
#: What may stand around a level word and say nothing more: "สำนักงานเขตพื้นที่การศึกษา",
#: "โรงเรียนนี้", "สพป.".
_LEVEL_FRAME = re.compile(rf"^สำนักงาน|(?:{'|'.join(LEVEL_ALONE_TAIL)}|นี้)$|[.\s]")


@dataclass(frozen=True)
class Link:
    """Items of one plan a project is said to serve."""

    owner: str  # the plan whose items are named
    kind: str
    numbers: tuple[str, ...]
    said: str  # the plan's words that say it, as printed ("… · สนองกลยุทธ์: 4")
    source: str  # the plan whose project says it
    table: bool = False  # said in a project table's cell, not in the project's text


def links(catalog: Catalog, row: Row) -> list[Link]:
    """Every loaded plan's items the project `row` is said to serve, in the order written."""
    item = row.item
    found: list[Link] = []
    for column, value in item.cells.items():
        found += _in_cell(catalog, row, column, value)
    for place, line in enumerate((item.text, *item.body)):
        folded = fold_clean(line)
        quote = line if len(folded) == len(line) else folded  # quote the plan's characters
        for stated in STATED.finditer(folded):
            end = ENDS.search(folded, stated.end())
            end = end.start() if end else len(folded)
            name = quote[:stated.start()] if place == 0 else item.text
            name = NAME_ENDS.split(name, maxsplit=1)[0].strip()
            said = f"{name} · {quote[stated.start():end].strip()}"
            found += _named_in(catalog, row.owner, folded[stated.end():end], said)
    return found


def _in_cell(catalog: Catalog, row: Row, column: str, value: str) -> list[Link]:
    """A project table's cell under a column that names a kind ("สนองกลยุทธ์", "ยุทธศาสตร์ที่
    สอดคล้อง", "กลยุทธ์ สพฐ.": the numbers in it), or says only that it states links
    ("ความสอดคล้อง"); a cell that names items in words ("โรงเรียน: กลยุทธ์ที่ 1 สพฐ.:
    ยุทธศาสตร์ที่ 2") is read as running text under either."""
    name = fold_clean(column).strip()
    stated = STATED.match(name)
    rest = name[stated.end():].strip() if stated else name
    said = f"{row.item.text} · {column}: {value}"
    named = kind_at_start(rest)
    if named is None:
        return _named_in(catalog, row.owner, fold_clean(value), said, True) if stated else []
    if named[0] not in LINKABLE:
        return []
    if not NUMBERS_ONLY.match(fold_clean(value)):  # the cell says it in words, plan by plan
        return _named_in(catalog, row.owner, fold_clean(value), said, True)
    owner = _whose(catalog, rest[len(named[1]):], named[1], row.owner)
    numbers = tuple(dict.fromkeys(re.findall(_NUMBER, fold_clean(value))))
    return [Link(owner, named[0], numbers, said, row.owner, table=True)] if owner is not None else []


def _named_in(catalog: Catalog, owner: str, folded: str, said: str,
              table: bool = False) -> list[Link]:
    """The items each kind word in `folded` names with its numbers ("กลยุทธ์ สพม.สุโขทัย ข้อ
    3"), in plans that are loaded; `owner` is the plan of the project that says it."""
    found = []
    for match in NAMED.finditer(folded):
        who = match.group("after") or match.group("who") or match.group("before") or ""
        link_owner = _whose(catalog, who, match.group("kind"), owner)
        kind = kind_at_start(match.group("kind"))
        if link_owner is not None and kind is not None:
            numbers = tuple(dict.fromkeys(re.findall(_NUMBER, match.group("numbers"))))
            found.append(Link(link_owner, kind[0], numbers, said, owner, table))
    return found


def _whose(catalog: Catalog, who: str, word: str, owner: str) -> str | None:
    """The loaded plan `who` names ("สพฐ.", "สพม.สุโขทัย", "โรงเรียน", nothing: the project's
    own plan `owner`), or None. `word` is the kind's word before it: "ยุทธศาสตร์" + "ชาติ"
    names the national strategy."""
    who = re.sub(r"^\s*(?:ของ|ที่)", "", STATED.sub("", who)).strip(" .:-")
    if not who:
        return owner
    chain = catalog.chain(owner)
    kinds = LEVEL_ALONE.get(_LEVEL_FRAME.sub("", who))  # "กลยุทธ์โรงเรียน", "…ของ สพม."
    if kinds is not None:  # a level word alone: the plan of that level in the chain
        return next((o for o in chain if catalog.owners[o].kind in kinds), None)
    for mention in (who, word + who):
        owners, unknown, _ = catalog.matcher.find(fold(mention))
        mine = [o for o in owners if o in chain]
        if unknown is None and (len(owners) == 1 or len(mine) == 1):
            return owners[0] if len(owners) == 1 else mine[0]
    return None
