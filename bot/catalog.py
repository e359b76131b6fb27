"""The loaded plans as the engine's rules see them: owners in display order, plans, views."""

from __future__ import annotations

from index.model import Plan, SectionView
from index.store import Owner, Store

DEFAULT_EXAMPLE = "สพม.13"  # an office to name in examples when no plan is loaded


class Catalog:
    """Owners, their plans and passages of one loaded index (`index.store.Store`)."""

    def __init__(self, store: Store):
        self.store = store
        self.owners: dict[str, Owner] = store.owners
        self.passages = store.passages
        self.order = sorted(self.owners, key=lambda o: self.owners[o].display)
        self._having: dict[str, list[str]] = {}

    def display(self, owner: str) -> str:
        """The name users see for an owner ("สพป.แพร่ เขต 1")."""
        return self.owners[owner].display

    def example(self) -> str:
        """An office to name in examples: the first loaded one."""
        return self.display(self.order[0]) if self.order else DEFAULT_EXAMPLE

    def plan(self, owner: str) -> Plan:
        """An owner's plan (parsed on first use; a few hundred kept)."""
        return self.store.plan(owner)

    def view(self, owner: str, kind: str) -> SectionView | None:
        """(heading, items, intro) for a kind in an owner's plan, or None (Plan.view)."""
        return self.plan(owner).view(kind)

    def kinds_of(self, owner: str) -> list[str]:
        """The kinds an owner's plan has, in plan order."""
        return self.plan(owner).kinds()

    def owners_with(self, kind: str) -> list[str]:
        """Owners whose plan has something of this kind, from the index's per-owner list."""
        if kind not in self._having:
            self._having[kind] = [o for o in self.order if kind in self.owners[o].kinds]
        return self._having[kind]
