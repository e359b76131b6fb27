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
from index.cli import index_errors


def _engine(db_path: Path | None) -> Engine:
    """The engine on the index asked for, reading questions as the webhook does
    (PLANBOT_MAX_QUESTION_CHARS from the environment); one line and exit status 1 when there
    is no index there or the file is not one."""
    path = db_path or default_db()
    try:
        max_chars = load_config()["PLANBOT_MAX_QUESTION_CHARS"]
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    with index_errors(path):
        return Engine(path, max_question_chars=max_chars)


def _cases(file: Path) -> list[dict]:
    """The cases of a question file: a YAML list of mappings, each with `q`. A file without
    cases (empty, only comments, a mapping) is an error: it would score 0/0 and pass."""
    try:
        cases = yaml.safe_load(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise click.ClickException(f"{file}: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise click.ClickException(f"{file}{where}: not valid YAML: {problem}") from None
    if not isinstance(cases, list) or not cases:
        found = "nothing" if cases is None else f"a {type(cases).__name__}"
        if isinstance(cases, list):
            found = "an empty list"
        raise click.ClickException(f"{file}: no cases: expected a YAML list of cases such as "
                                   f"'- q: วิสัยทัศน์ สพม.13', found {found}")
    for number, case in enumerate(cases, 1):
        if not isinstance(case, dict) or not str(case.get("q") or "").strip():
            raise click.ClickException(f"{file}: case #{number} has no question ('q: ...')")
    return cases


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

    The file is a YAML list; each case has `q` and any of `expect`, `expect_any`, `forbid`,
    `unanswered: true`. A file without cases is an error.
    Matching ignores all whitespace.

    Example: python -m bot eval tests/questions.yaml
    """
    cases = _cases(file)
    engine = _engine(db_path)
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
    accuracy = 100.0 * passed / len(cases)
    click.echo(f"accuracy: {accuracy:.1f}% ({passed}/{len(cases)})")
    if failures:
        sys.exit(1)
