"""The loaded plans as the engine's rules see them: owners in display order, plans, views."""

from __future__ import annotations

import re

from bot.understand.owners import OwnerMatcher
from index.model import Plan, SectionView
from index.store import Owner, Store
from index.text import fold
from index.vocab import MAIL_LABELS, PHONE_LABELS, PLACE_LABELS

#: A year or span of years as plans write them: "พ.ศ. 2566-2570", "ปีงบประมาณ 2568".
YEARS = re.compile(r"(?:พ\.?\s*ศ\.?\s*|ปี(?:งบประมาณ|การศึกษา)?\s*)?(25\d\d)(?:\s*[-–]\s*(25\d\d))?(?!\d)")
CONTACT_LINE = re.compile(
    "(" + "|".join(re.escape(w) for w in (*PHONE_LABELS, *MAIL_LABELS, *PLACE_LABELS)) + r"|@)",
    re.IGNORECASE,
)

DEFAULT_EXAMPLE = "สพม.13"  # an office to name in examples when no plan is loaded
MAX_CHAIN = 6  # plans above plans: a school, its area office, OBEC, the national strategy


class Catalog:
    """Owners, their plans and passages of one loaded index (`index.store.Store`)."""

    def __init__(self, store: Store):
        self.store = store
        self.owners: dict[str, Owner] = store.owners
        self.passages = store.passages
        self.order = sorted(self.owners, key=lambda o: self.owners[o].display)
        # Built with the index, never at a question: at national scale it takes 0.3 s, which
        # a teacher's first question of some kinds paid in every worker
        self.matcher = OwnerMatcher(self.owners)
        self._having: dict[str, list[str]] = {}
        self._kinds: dict[str, tuple[str, ...]] = {}
        self._listed: dict[str, frozenset[str]] = {}
        self._children: dict[str, list[str]] | None = None  # parent -> the plans under it

    def chain(self, owner: str) -> list[str]:
        """The plan and the plans above it (`parent:`), nearest first (a loop stops)."""
        found = [owner]
        while len(found) < MAX_CHAIN:
            parent = self.owners[found[-1]].parent
            if parent is None or parent in found or parent not in self.owners:
                break
            found.append(parent)
        return found

    def below(self, owner: str) -> list[str]:
        """The plans under `owner`, at any depth, nearest first (read once per index)."""
        if self._children is None:
            children: dict[str, list[str]] = {}
            for child in self.order:
                parent = self.owners[child].parent
                if parent in self.owners and parent != child:
                    children.setdefault(parent, []).append(child)
            self._children = children
        found: list[str] = []
        seen, level = {owner}, [owner]
        while level:  # each plan has one parent: a plan is reached once, a loop stops
            level = [c for o in level for c in self._children.get(o, ()) if c not in seen]
            seen.update(level)
            found.extend(level)
        return found

    def related(self, owner: str | None) -> list[str]:
        """The plans a conversation about `owner` moves between: it, the plans above it and
        the plans under it."""
        if owner not in self.owners:
            return []
        return [*self.chain(owner), *self.below(owner)]

    def display(self, owner: str) -> str:
        """The name users see for an owner ("สพป.แพร่ เขต 1")."""
        return self.owners[owner].display

    def example(self) -> str:
        """An office to name in examples: the first loaded one."""
        owner = self.example_owner()
        return self.display(owner) if owner else DEFAULT_EXAMPLE

    def example_owner(self) -> str | None:
        """The owner `example` names, or None when no plan is loaded."""
        return self.order[0] if self.order else None

    def plan(self, owner: str) -> Plan:
        """An owner's plan (parsed on first use; a few hundred kept)."""
        return self.store.plan(owner)

    def view(self, owner: str, kind: str) -> SectionView | None:
        """(heading, items, intro) for a kind in an owner's plan, or None (Plan.view)."""
        return self.plan(owner).view(kind)

    def kinds_of(self, owner: str) -> list[str]:
        """The kinds an owner's plan has, in plan order (read once per owner: every reply's
        quick replies name them)."""
        if owner not in self._kinds:
            self._kinds[owner] = tuple(self.plan(owner).kinds())
        return list(self._kinds[owner])

    def year(self, owner: str) -> tuple[str, str]:
        """(the years the plan is for, the title they were read from): `year:` in the front
        matter first, else a year in the document's title lines; ("", "") when it says none."""
        record = self.owners[owner]
        if record.year:
            return record.year, ""
        plan = self.plan(owner)
        titles = [*plan.preamble[:3], *(s.heading for s in plan.sections[:1])]
        for title in titles:
            found = YEARS.search(fold(title))
            if found:
                years = "–".join(y for y in found.groups() if y)
                return f"พ.ศ. {years}", title.strip()
        return "", ""

    def contact(self, owner: str) -> list[str]:
        """How to reach the owner: `contact:` in the front matter, else the lines of the plan's
        signature block that give a phone, mail or address; [] when it gives none."""
        record = self.owners[owner]
        if record.contact:
            return [record.contact]
        lines = []
        for section in self.plan(owner).sections:
            if section.kind == "signature":
                texts = [section.heading, *section.intro, *(i.text for i in section.walk())]
                lines += [t.strip() for t in texts if CONTACT_LINE.search(t)]
        return list(dict.fromkeys(lines))

    def lists_any(self, kind: str) -> bool:
        """Whether any loaded plan has a section or an item of `kind` ("project": rows of a
        project table)."""
        return bool(self.owners_listing(kind))

    def owners_listing(self, kind: str) -> frozenset[str]:
        """The owners whose plans have a section or an item of `kind`, from the search
        index's passages (no plan is read: at national scale reading all 5,000 took 2 s)."""
        if kind not in self._listed:
            passages = self.passages
            code = passages.kind_codes.get(kind)
            self._listed[kind] = frozenset() if code is None else frozenset(
                owner for owner, ids in passages.by_owner.items()
                if ((passages.section_kind[ids] == code) | (passages.item_kind[ids] == code)).any())
        return self._listed[kind]

    def owners_with(self, kind: str) -> list[str]:
        """Owners whose plan has something of this kind, from the index's per-owner list."""
        if kind not in self._having:
            self._having[kind] = [o for o in self.order if kind in self.owners[o].kinds]
        return self._having[kind]
