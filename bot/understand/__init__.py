"""Understanding a Thai question: which owner, which section kind, which items, what intent.

Pure functions over the index's owner names and the heading table; no Flask, no LINE.

- `question`: what a question asks for (`Question`, `ItemRef`) and its topic words;
- `owners`: whose plan (`OwnerMatcher`: loaded names, then level/province/area rules);
- `kinds`: which section kind (heading words, English, typos);
- `refs`: which items (ข้อ 2, ที่ ๓, ranges, items inside a strategic issue);
- `intents`: greeting, thanks, help, choose or list offices;
- `reading`: `understand()`, the steps above in order, and the rules that settle items.

The words themselves live in `index.vocab` (question words) and `index.headings` (sections).
"""

from __future__ import annotations

from bot.understand.kinds import find_kind
from bot.understand.owners import OwnerMatcher
from bot.understand.question import FILLER, ItemRef, Question, topic_terms
from bot.understand.reading import understand
from bot.understand.refs import find_refs

__all__ = [
    "FILLER", "ItemRef", "OwnerMatcher", "Question", "find_kind", "find_refs", "topic_terms",
    "understand",
]
