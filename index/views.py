"""Where a kind of content lives in a parsed plan, shared by the index build and the bot.

A plan may hold goals as a section of their own, nested in strategic issues
(ยุทธศาสตร์ที่ 3 / เป้าประสงค์ที่ 6), or under a heading that names several kinds
(จุดเน้น/.../ตัวชี้วัดความสำเร็จ). The build records which kinds each plan has, so the bot
can tell who has goals without reading every plan.
"""

from __future__ import annotations

from functools import lru_cache

from index.headings import KINDS
from index.text import fold


def section_view(sections: list[dict], kind: str) -> tuple[str, list[dict], list[str]] | None:
    """(heading, items, intro) for a kind in a plan's sections, or None when it has none.

    A section of that kind first; then items of that kind nested in strategic issues;
    then a section whose heading names the kind ("จุดเน้น/.../ตัวชี้วัดความสำเร็จ").
    """
    same = [section for section in sections if section["kind"] == kind]
    if len(same) == 1:
        return same[0]["heading"], same[0]["items"], same[0]["intro"]
    if same:  # "อัตลักษณ์ของผู้เรียน" and "เอกลักษณ์ของโรงเรียน": quote both, each headed
        intro = [f"{s['heading']}: {p}" for s in same for p in s["intro"]]
        items = [item for s in same for item in s["items"]]
        return " / ".join(s["heading"] for s in same), items, intro
    nested = [
        child
        for section in sections
        for item in section["items"]
        for child in item["children"]
        if child["kind"] == kind and item["kind"] != kind
    ]
    if nested:
        return "", nested, []
    words = _kind_words(kind)
    for section in sections:
        heading = _folded(section["heading"])
        for longer in _longer_words(kind):
            heading = heading.replace(longer, " ")
        if any(word in heading for word in words):
            return section["heading"], section["items"], section["intro"]
    return None


def kinds_of(sections: list[dict]) -> list[str]:
    """The kinds a plan has as sections or nested items, in plan order, signature last."""
    kinds: list[str] = []
    for section in sections:
        if section["kind"] in KINDS and section["kind"] not in kinds:
            kinds.append(section["kind"])
        for item in section["items"]:
            for child in item["children"]:
                if child["kind"] != item["kind"] and child["kind"] not in kinds:
                    kinds.append(child["kind"])
    return [k for k in kinds if k != "signature"] + (["signature"] if "signature" in kinds else [])


def available_kinds(sections: list[dict]) -> list[str]:
    """Every kind a question could be answered with from this plan (section_view not None)."""
    return [kind for kind in KINDS if section_view(sections, kind) is not None]


@lru_cache(maxsize=65536)
def _folded(heading: str) -> str:
    """A heading's matching form (headings repeat across plans: computed once each)."""
    return fold(heading)


@lru_cache(maxsize=64)
def _kind_words(kind: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in KINDS[kind].thai) if kind in KINDS else ()


@lru_cache(maxsize=64)
def _longer_words(kind: str) -> tuple[str, ...]:
    """Heading words of other kinds that contain a word of `kind` (เป้าหมายความสำเร็จ ⊃ เป้าหมาย)."""
    if kind not in KINDS:
        return ()
    mine = [fold(w) for w in KINDS[kind].thai]
    return tuple(
        fold(word)
        for other in KINDS.values()
        if other.kind != kind
        for word in other.thai
        if any(m in fold(word) and m != fold(word) for m in mine)
    )
