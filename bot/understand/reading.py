"""Reading a question: owner, section kind, item references, intent and topic words.

`understand` takes the owner, the items and the section word out of the question in turn,
then `REFERENCE_RULES` settle which section the items belong to. Each rule is a small function
with its Thai example; a new way of naming items is one new rule and one test.
"""

from __future__ import annotations

import re

from bot.understand.align import ALIGN_QUESTION, asker_not_owner
from bot.understand.intents import COUNT, EXPLAIN, FOLLOW_UP, PROJECTS_UNDER, intent_of
from bot.understand.kinds import KIND_RE, find_kind, other_kinds
from bot.understand.owners import SCHOOL, OwnerMatcher, level_alone
from bot.understand.question import ItemRef, Question, topic_terms
from bot.understand.refs import find_refs, number_words
from bot.understand.tables import full_years
from index.text import fold
from index.tokenize import segment
from index.vocab import ASKER_WORDS, LEVEL_ALONE, SENTENCE_WORDS

ASKERS = frozenset(ASKER_WORDS)
ASKER_START = tuple(ASKER_WORDS)
SENTENCE = frozenset(SENTENCE_WORDS)

ISSUE = "strategic_issue"
_HIDDEN = "\ue000"  # stands in for a name while the offices around it are read
#: "ยุทธศาสตร์นี้", "ประเด็นยุทธศาสตร์นั้น": the strategic issue being discussed.
THIS_ISSUE = re.compile(r"(?:ของ)?\s*(?:ประเด็น)?ยุทธศาสตร์\s*(?:นี้|นั้น|ดังกล่าว)")
#: Intents whose own words are no topic: taken out before the topic words are read.
ASKING_WORDS = {"count": COUNT, "explain": EXPLAIN, "projects_under": PROJECTS_UNDER}


def understand(question: str, matcher: OwnerMatcher, folded: str | None = None) -> Question:
    """Read a question into owner, section kind, item references, intent and topic words.
    `folded` is `index.text.fold(question)` when the caller has it already."""
    folded = full_years(number_words(fold(question) if folded is None else folded))
    q = Question(folded)
    mentions, q.unknown_owner, rest = matcher.find_all(folded)
    named = q.unknown_owner
    if named and SCHOOL.match(named) and asker_not_owner(named, folded):
        # "โครงการโรงเรียนสีขาว … ของ สพม.13": a project's name (or the asker), not an office;
        # the offices are read around it, and it stays in the text
        mentions, q.unknown_owner, rest = matcher.find_all(folded.replace(named, _HIDDEN, 1))
        rest = rest.replace(_HIDDEN, named)
    q.owners = mentions[0] if mentions else []
    q.others = mentions[1:]
    q.unnamed = rest if mentions else None
    if not q.owners:
        rest = by_level_alone(q, rest)
    elif q.unknown_owner and q.unknown_owner.rstrip(". ") in LEVEL_ALONE:
        # "โครงการ…ของหนองแสง สอดคล้องกับกลยุทธ์ สพป. ข้อไหน": a level beside the office
        # named, not an office that is not loaded
        q.level, q.level_word = LEVEL_ALONE[q.unknown_owner.rstrip(". ")], q.unknown_owner
        q.unknown_owner = None
    q.school = bool(q.unknown_owner and SCHOOL.match(q.unknown_owner))
    q.all_terms = topic_terms(rest)
    read = rest
    if THIS_ISSUE.search(rest):  # the issue just shown: its number comes from the state
        q.this_issue = True
        rest = THIS_ISSUE.sub(" ", rest)
    q.refs, rest = find_refs(rest)
    q.kind, rest = find_kind(rest)
    if q.kind is not None and not q.refs:  # "ยุทธสาดที่ 2": the typo hid its number
        q.refs, rest = find_refs(rest)
    if q.kind is not None and not q.refs:  # "ขอวิสัยทัศน์ พันธกิจ เป้าประสงค์": each of them
        q.more_kinds, rest = other_kinds(rest, q.kind)
    for rule in REFERENCE_RULES:
        rule(q)
    q.follow_up = bool(FOLLOW_UP.search(folded))
    q.intent = intent_of(q)
    if q.intent in ASKING_WORDS:  # "มีกี่ข้อ", "อธิบายเพิ่ม" ask how, not about ด้าน or อธิบาย
        rest = ASKING_WORDS[q.intent].sub(" ", rest).replace("ข้อนี้", " ")
    q.rest = rest = without_asker(rest)
    # most topic questions name no items, section or asker: the same words, read once
    q.terms = list(q.all_terms) if rest == read else topic_terms(rest)
    if q.intent == "whose" and q.terms:  # "แผนของเขตไหนมีเรื่องความปลอดภัย": which plan has it
        q.intent = None
    return q


def by_level_alone(q: Question, rest: str) -> str:
    """"แล้วของเขตล่ะ", "กลยุทธ์ระดับโรงเรียน", "แล้วของ สพป. ล่ะ": a plan named by its level
    alone (`q.level`, settled by the dialogue from the conversation); the rest without it. In
    an alignment question only after the section word: "โครงการของโรงเรียน…" is the asker's."""
    bare = q.unknown_owner.rstrip(". ") if q.unknown_owner else None
    if bare in LEVEL_ALONE:  # "สพป." with no province: the matcher's unknown office
        q.level, q.level_word, q.unknown_owner = LEVEL_ALONE[bare], bare, None
        return rest
    found = None if q.unknown_owner else level_alone(rest)
    if found is None:
        return rest
    if ALIGN_QUESTION.search(q.text) and not KIND_RE.search(found.before):
        return rest
    q.level, q.level_word = found.kinds, found.word
    return found.rest


def without_asker(rest: str) -> str:
    """The text without who is asking: "ครูสงสัยว่า..." and "ทางโรงเรียนอยากทำ..." are about
    what follows, not about ครู or โรงเรียน (a topic alone, "การพัฒนาครู", keeps its words)."""
    if not rest.lstrip().startswith(ASKER_START):
        return rest  # most questions: no tokenizing needed
    words = segment(rest.strip())
    start = 0
    while start < len(words) and (words[start] in ASKERS or not words[start].strip()):
        start += 1
    if 0 < start < len(words) and words[start] in SENTENCE:
        return "".join(words[start:])
    return rest


def items_name_the_section(q: Question) -> None:
    """The items' own kind names the section: "กลยุทธ์ที่ 4 ของยุทธศาสตร์ที่ 3" is about
    strategies, and "ข้อ 2 ยุทธศาสตร์ที่ 1" about strategic issues."""
    kinds = [r.kind for r in q.refs if r.kind and r.kind != ISSUE]
    kinds = kinds or [r.kind for r in q.refs if r.kind]
    if kinds and (q.kind is None or q.kind == ISSUE):
        q.kind = kinds[0]


def section_word_gives_items_their_kind(q: Question) -> None:
    """Bare numbers belong to the section named: "พันธกิจข้อ 2" is mission item 2."""
    if q.kind is not None and any(r.kind is None for r in q.refs):
        q.refs = [ItemRef(r.kind or q.kind, r.number, r.container) for r in q.refs]


def items_inside_an_issue(q: Question) -> None:
    """A section named with a strategic issue: "กลยุทธ์ของยุทธศาสตร์ที่ 2" is every strategy
    of issue 2 ("*"), "กลยุทธ์ ข้อ 1 ยุทธศาสตร์ที่ 2" strategy 1 inside it."""
    if not q.refs or q.kind in (None, ISSUE) or any(r.container for r in q.refs):
        return
    container = next((r for r in q.refs if r.kind == ISSUE), None)
    if container is None:
        return
    others = [r for r in q.refs if r is not container]
    where = (ISSUE, container.number)
    q.refs = [ItemRef(q.kind, r.number, where) for r in others] or [ItemRef(q.kind, "*", where)]


def container_gives_way(q: Question) -> None:
    """Items found inside an issue are what was asked: "ยุทธศาสตร์ที่ 3 กลยุทธ์ที่ 4" asks
    for a strategy, not for the issue."""
    if q.refs and q.refs[0].container and q.kind == ISSUE:
        q.kind = q.refs[0].kind


#: Tried in order, each settling a little more of q.kind and q.refs.
REFERENCE_RULES = (
    items_name_the_section, section_word_gives_items_their_kind, items_inside_an_issue,
    container_gives_way,
)
