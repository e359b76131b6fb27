"""Shared fixtures: the bundled corpus built once into a temporary index, and an engine on it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
# shared/ (seed pages, LINE's sample payloads) lies beside the clone: in CI and in a session.
SHARED = next(
    (p for p in (ROOT.parent / "shared", Path("/work/shared")) if (p / "line-samples").is_dir()),
    ROOT.parent / "shared",
)

# PyThaiNLP must never download: give it a writable data folder of our own.
os.environ.setdefault("PYTHAINLP_DATA", str(ROOT / ".pythainlp-data"))


@pytest.fixture(scope="session")
def index_db(tmp_path_factory) -> Path:
    """The bundled corpus built into a fresh index database (once per test session)."""
    from index.build import build

    path = tmp_path_factory.mktemp("index") / "index.db"
    build(CORPUS, path)
    return path


@pytest.fixture(scope="session")
def engine(index_db):
    """An answer engine on the bundled corpus."""
    from bot.answer import Engine

    return Engine(index_db)


@pytest.fixture
def clean_environment(monkeypatch):
    """Tests configure the app explicitly; a developer's shell (or the Makefile) must not leak in."""
    from bot.config import DEFAULTS

    for key in DEFAULTS:
        monkeypatch.delenv(key, raising=False)


@pytest.fixture
def fake_line():
    """A fake LINE platform on 127.0.0.1 for the length of one test."""
    from linekit.fake import FakeLinePlatform

    with FakeLinePlatform() as fake:
        yield fake
