"""Where the project keeps its corpus and its index by default: one meaning for each.

Paths are the project's own folders, whatever the working directory, so `python -m index
rebuild`, `python -m bot ask` and the webhook all default to the same file. This module
imports nothing heavy: `bot.config` reads it at startup.
"""

from __future__ import annotations

from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = PROJECT / "corpus"
DEFAULT_DB = PROJECT / "instance" / "index.db"
