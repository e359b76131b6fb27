"""`python -m bot ask` and `python -m bot eval`: the answer engine from a terminal.

Neither needs LINE credentials.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click
import yaml

from bot.answer import Engine
from bot.config import ConfigError, load_config
from bot.reply import State
from index.build import default_db


def _engine(db_path: Path | None) -> Engine:
    """The engine on the index asked for, reading questions as the webhook does
    (PLANBOT_MAX_QUESTION_CHARS from the environment)."""
    path = db_path or default_db()
    if not Path(path).exists():
        raise click.ClickException(f"{path}: no index yet (run: python -m index rebuild)")
    try:
        max_chars = load_config()["PLANBOT_MAX_QUESTION_CHARS"]
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    return Engine(path, max_question_chars=max_chars)


@click.group()
def cli():
    """Ask the plan bot questions without LINE."""


@cli.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per answer.")
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None,
              help="Index database. Default: $PLANBOT_DB or instance/index.db.")
@click.option("--user", default=None,
              help="Treat stdin lines as one conversation of this user (state carries over).")
def ask(question: str | None, as_json: bool, db_path: Path | None, user: str | None):
    """Print the bot's reply to QUESTION, or to each line of standard input.

    Example: python -m bot ask "วิสัยทัศน์ สพม.13"
    """
    engine = _engine(db_path)
    questions = [question] if question is not None else (line.rstrip("\n") for line in sys.stdin)
    state = State()
    for text in questions:
        reply = engine.answer(text, state if user else State())
        if user:
            state = reply.state
        if as_json:
            click.echo(json.dumps(reply.to_json(text), ensure_ascii=False))
        else:
            click.echo(reply.text)
            if question is None:
                click.echo("")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def check_case(case: dict, reply_json: dict) -> list[str]:
    """What is wrong with a reply for one eval case (empty when it passes)."""
    problems = []
    text = _squeeze(reply_json["text"])
    for fragment in case.get("expect") or []:
        if _squeeze(str(fragment)) not in text:
            problems.append(f"missing: {fragment}")
    any_of = case.get("expect_any") or []
    if any_of and not any(_squeeze(str(f)) in text for f in any_of):
        problems.append(f"none of: {any_of}")
    for fragment in case.get("forbid") or []:
        if _squeeze(str(fragment)) in text:
            problems.append(f"forbidden: {fragment}")
    if case.get("unanswered") and reply_json["answered"]:
        problems.append("answered, but the plan cannot answer this")
    return problems


@cli.command("eval")
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None,
              help="Index database. Default: $PLANBOT_DB or instance/index.db.")
def eval_cmd(file: Path, db_path: Path | None):
    """Score a question file and print the accuracy and every failure.

    Each case has `q` and any of `expect`, `expect_any`, `forbid`, `unanswered: true`.
    Matching ignores all whitespace.

    Example: python -m bot eval tests/questions.yaml
    """
    engine = _engine(db_path)
    cases = yaml.safe_load(file.read_text(encoding="utf-8")) or []
    failures = 0
    for number, case in enumerate(cases, 1):
        question = str(case.get("q", ""))
        reply = engine.answer(question, State()).to_json(question)
        problems = check_case(case, reply)
        if problems:
            failures += 1
            click.echo(f"FAIL #{number}: {question}")
            for problem in problems:
                click.echo(f"  {problem}")
            click.echo("  reply: " + reply["text"].replace("\n", "\n         "))
    passed = len(cases) - failures
    accuracy = 100.0 * passed / len(cases) if cases else 0.0
    click.echo(f"accuracy: {accuracy:.1f}% ({passed}/{len(cases)})")
    if failures:
        sys.exit(1)
