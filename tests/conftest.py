"""Shared fixtures, in the Flask tutorial's way.

- `index_db`, `engine`: the bundled corpus built once into a temporary index, and an engine on it;
- `fake_line`: a fake LINE platform on 127.0.0.1 (`linekit.fake`);
- `make_app(**config)`: a webhook app with real secrets, the fake LINE platform and a temporary
  state database, closed after the test; `app` is one on the bundled index, `client` and
  `runner` its test client and CLI runner. A module that wants another app overrides `app`.
"""

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
    """An answer engine on the bundled corpus, without remembered replies: tests change the
    engine's parts (monkeypatch) and ask again, which a remembered reply would hide.
    `tests/test_reply_cache.py` checks that remembered replies are the same as fresh ones."""
    from bot.answer import Engine

    return Engine(index_db, answer_cache=0)


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


@pytest.fixture
def make_app(tmp_path, fake_line, clean_environment):
    """Make webhook apps: real secrets, the fake LINE platform, a temporary state DB, then
    `overrides`. Without a PLANBOT_DB or ENGINE override there is no index to answer from.

    Handlers in tests are fast, so a generous reply wait keeps them exact. Each app's thread
    pool and state database are closed after the test.
    """
    from bot import create_app
    from tests.webhook_support import SECRET, TOKEN

    apps = []

    def make(**overrides):
        config = {
            "TESTING": True,
            "LINE_CHANNEL_SECRET": SECRET,
            "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
            "LINE_API_HOST": fake_line.url,
            "PLANBOT_DB": str(tmp_path / "no-index.db"),
            "PLANBOT_STATE_DB": str(tmp_path / "state.db"),
            "PLANBOT_REPLY_WAIT": 10,
            **overrides,
        }
        apps.append(create_app(config))
        return apps[-1]

    yield make
    for app in apps:
        app.extensions["planbot"].close()


@pytest.fixture
def app(make_app, index_db):
    """The webhook app answering from the bundled corpus's index."""
    return make_app(PLANBOT_DB=str(index_db))


@pytest.fixture
def client(app):
    """A test client for `app`."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for `app` (`flask index ...`)."""
    return app.test_cli_runner()
