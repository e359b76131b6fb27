"""Configuration: defaults, then the environment, then the dict given to create_app."""

from __future__ import annotations

import pytest

from bot.config import (
    DEFAULT_DEV_SECRET,
    DEFAULT_MAX_BODY,
    DEFAULTS,
    ConfigError,
    hash_key,
    load_config,
    signing_secret,
)


def test_defaults_without_environment():
    config = load_config(environ={})
    assert config["PLANBOT_MAX_BODY"] == DEFAULT_MAX_BODY == 1024 * 1024
    assert config["PLANBOT_STATE_TTL"] == 3600
    assert config["PLANBOT_RATE_LIMIT"] == 20
    assert config["PLANBOT_MAX_QUESTION_CHARS"] == 500
    assert config["PLANBOT_LOCAL_MODE"] is True
    assert signing_secret(config) == DEFAULT_DEV_SECRET


def test_environment_overrides_defaults_and_dict_overrides_environment():
    environ = {"PLANBOT_STATE_TTL": "60", "PLANBOT_DB": "/env/index.db", "PLANBOT_BOT_NAME": ""}
    config = load_config({"PLANBOT_DB": "/dict/index.db"}, environ=environ)
    assert config["PLANBOT_STATE_TTL"] == 60
    assert config["PLANBOT_DB"] == "/dict/index.db"
    assert config["PLANBOT_BOT_NAME"] == DEFAULTS["PLANBOT_BOT_NAME"]  # empty means default


def test_planbot_inline_is_marked_as_chosen_only_when_it_was():
    """Unchosen, gunicorn's post_worker_init replaces it by its threads less one."""
    assert load_config(environ={})["PLANBOT_INLINE_SET"] is False
    assert load_config(environ={"PLANBOT_INLINE": ""})["PLANBOT_INLINE_SET"] is False
    chosen = load_config(environ={"PLANBOT_INLINE": "2"})
    assert chosen["PLANBOT_INLINE_SET"] is True and chosen["PLANBOT_INLINE"] == 2
    assert load_config({"PLANBOT_INLINE": 0}, environ={})["PLANBOT_INLINE_SET"] is True


def test_credentials_turn_local_mode_off():
    config = load_config(
        environ={"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t"}
    )
    assert config["PLANBOT_LOCAL_MODE"] is False
    assert signing_secret(config) == "s"


@pytest.mark.parametrize(
    ("key", "value"),
    [("PLANBOT_MAX_BODY", "lots"), ("PLANBOT_STATE_TTL", "0"), ("PLANBOT_RATE_LIMIT", "-1"),
     ("PLANBOT_PROXY_HOPS", "-1"), ("PLANBOT_PROXY_HOPS", "one")],
)
def test_bad_numbers_name_the_key(key, value):
    with pytest.raises(ConfigError, match=key):
        load_config(environ={key: value})


def test_hash_key_is_derived_from_the_secret_not_equal_to_it():
    config = load_config(environ={"LINE_CHANNEL_SECRET": "secret"})
    key = hash_key(config)
    assert key != b"secret" and len(key) == 32
    assert hash_key(load_config(environ={"LINE_CHANNEL_SECRET": "other"})) != key
    assert hash_key(load_config(environ={"PLANBOT_HASH_KEY": "k"})) == b"k"


def test_importing_bot_does_no_work(monkeypatch):
    """No config read, no exit, no DB touched at import: only create_app does work."""
    import importlib

    import bot

    monkeypatch.setenv("PLANBOT_MAX_BODY", "not a number")
    importlib.reload(bot)  # would raise if config were read at import


def test_proxy_hops_default_to_none_trusted():
    assert load_config(environ={})["PLANBOT_PROXY_HOPS"] == 0
    assert load_config(environ={"PLANBOT_PROXY_HOPS": "2"})["PLANBOT_PROXY_HOPS"] == 2


def test_every_setting_is_documented_in_env_example_and_every_documented_one_is_read():
    """`.env.example` is the one list of settings (docs/TEAM.md): a key the bot reads but the
    file leaves out is a setting nobody can find; one the file names but nothing reads is a lie.
    PORT and WEB_CONCURRENCY are read by the Procfile's gunicorn line, not by bot/config.py."""
    from pathlib import Path

    from bot.config import DEFAULTS

    text = (Path(__file__).parent.parent / ".env.example").read_text(encoding="utf-8")
    documented = {line.split("=", 1)[0] for line in text.splitlines()
                  if line and not line.startswith("#") and "=" in line}
    assert documented - {"PORT", "WEB_CONCURRENCY"} == set(DEFAULTS)
