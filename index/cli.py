"""Admin commands: `python -m index rebuild|show|check`, also `flask --app bot index ...`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from index import store
from index.build import DEFAULT_CORPUS, BuildError, build, check, corpus_files, default_db
from index.model import Item, Plan
from index.parse import PlanParseError

PROGRESS_THRESHOLD = 50  # documents; smaller corpora build too fast for a bar to help


@click.group()
def cli():
    """Build and inspect the plan index."""


@cli.command()
@click.option("--corpus", "corpus", type=click.Path(path_type=Path), default=DEFAULT_CORPUS,
              show_default="corpus/", help="Folder of plan documents.")
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None,
              help="Index database to write. Default: $PLANBOT_DB or instance/index.db.")
def rebuild(corpus: Path, db_path: Path | None):
    """Parse every plan in the corpus and replace the index atomically.

    A broken document stops the build with its file and line; the old index stays.

    Example: python -m index rebuild --corpus corpus --db instance/index.db
    """
    db_path = db_path or default_db()
    try:
        count = len(corpus_files(corpus))
        if count >= PROGRESS_THRESHOLD and sys.stderr.isatty():
            with click.progressbar(length=count, label="Parsing", file=sys.stderr) as bar:
                stats = build(corpus, db_path, progress=bar.update)
        else:
            stats = build(corpus, db_path)
    except (PlanParseError, BuildError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{db_path}: {stats.summary()}")


@cli.command()
@click.option("--corpus", "corpus", type=click.Path(path_type=Path), default=DEFAULT_CORPUS,
              show_default="corpus/", help="Folder of plan documents.")
def check_cmd(corpus: Path):
    """Parse the corpus without writing anything and list every warning.

    Warnings: unknown headings, sections without items, list numbers that were repaired,
    page noise that was dropped.

    Example: python -m index check --corpus corpus
    """
    try:
        plans, warnings = check(corpus)
    except (PlanParseError, BuildError) as exc:
        raise click.ClickException(str(exc)) from None
    for warning in warnings:
        click.echo(f"warning: {warning}")
    click.echo(f"{len(plans)} documents parsed, {len(warnings)} warnings")


check_cmd.name = "check"


@cli.command()
@click.argument("name")
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None,
              help="Index database. Default: $PLANBOT_DB or instance/index.db.")
def show(name: str, db_path: Path | None):
    """Print the parsed tree of one owner, found by any of its names.

    Example: python -m index show "สพป.แพร่ เขต 1"
    """
    db_path = db_path or default_db()
    if not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no index yet (run: python -m index rebuild)")
    found = store.find_owner(db_path, name)
    if found is None:
        raise click.ClickException(f"no owner called '{name}' in {db_path}")
    echo_tree(*found)


def echo_tree(owner: store.Owner, plan: Plan, echo=click.echo) -> None:
    """Print an owner's plan as `show` does: names, sections, items with their text, warnings.

    `echo` takes one line at a time (the admin console collects the lines instead).
    """
    echo(f"{owner.display}  [{owner.id}]  ({owner.source})")
    echo(f"names: {', '.join(owner.names)}")
    if owner.parent:
        echo(f"parent: {owner.parent}")
    for section in plan.sections:
        echo(f"\n{section.title}  [{section.kind}]  line {section.line}: {section.heading}")
        for paragraph in section.intro:
            echo(f"    {paragraph}")
        for item in section.items:
            _echo_item(item, 1, echo)
    for warning in plan.warnings:
        echo(f"warning: {warning}")


def _echo_item(item: Item, depth: int, echo) -> None:
    pad = "    " * depth
    echo(f"{pad}{item.path}. {item.text}")
    for paragraph in item.body:
        echo(f"{pad}    {paragraph}")
    for child in item.children:
        _echo_item(child, depth + 1, echo)
