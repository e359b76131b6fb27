"""Admin commands: `python -m index rebuild|show|check`, also `flask --app bot index ...`."""

from __future__ import annotations

import re
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from index import store
from index.build import DEFAULT_CORPUS, BuildError, build, corpus_files, default_db, inspect
from index.model import Item, Plan
from index.parse import PlanParseError
from index.quality import warning as quality_warning

PROGRESS_THRESHOLD = 50  # documents; smaller corpora build too fast for a bar to help


def not_an_index(db_path: Path) -> str | None:
    """Why the file at `db_path` is not a readable index (None when it is one): a text file,
    an empty file, a damaged or truncated database, another program's database."""
    if Path(db_path).stat().st_size == 0:
        return "an empty file"
    try:
        meta = store.read_meta(db_path)
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if "schema_version" in meta else "its meta table has no schema_version"


@contextmanager
def index_errors(db_path: Path) -> Iterator[None]:
    """Use the index at `db_path`, turning a missing file or one that is not a readable index
    (checked first, and any database error meanwhile) into one line and exit status 1."""
    if not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no index yet (run: python -m index rebuild)")
    why = not_an_index(db_path)
    if why is None:
        try:
            yield
            return
        except sqlite3.DatabaseError as exc:  # damaged past the part the check reads
            why = str(exc)
    raise click.ClickException(f"{db_path}: not a planbot index ({why}); build one with "
                               f"python -m index rebuild --db {db_path}")


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

    A broken document stops the build with its file and line; the old index stays. So does
    a refused file: a link leading outside the corpus folder (named with its target) or a
    file name that is not UTF-8 (named by its bytes). A --db file that is not an index (a
    text file, an empty file, a damaged database) is never replaced: remove it first, if it
    is a damaged index. After the summary line, every file
    skipped as not a document (hidden files, editor temporaries, FIFOs, dangling links) is
    listed, as `check` lists it.

    Example: python -m index rebuild --corpus corpus --db instance/index.db
    """
    db_path = db_path or default_db()
    why = not_an_index(db_path) if Path(db_path).exists() else None
    if why is not None:
        raise click.ClickException(
            f"{db_path}: not a planbot index ({why}); rebuild replaces only an index: remove "
            "the file (a damaged index may go) or choose another --db")
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
    for line in warnings_by_file(stats.warnings):
        click.echo(line)
    for line in stats.skipped:
        click.echo(f"skipped: {line}")


def warnings_by_file(warnings: list[str]) -> list[str]:
    """After a rebuild: how many warnings each file was indexed with, and where to read them
    ('python -m index check'), so a weak document is not indexed unnoticed; [] when none."""
    if not warnings:
        return []
    per_file: dict[str, int] = {}
    for warning in warnings:
        name = re.sub(r" line \d+$", "", warning.split(": ", 1)[0])
        per_file[name] = per_file.get(name, 0) + 1
    lines = [f"indexed with {len(warnings)} warning(s); read them with: python -m index check"]
    lines += [f"warnings: {name}: {count}" for name, count in per_file.items()]
    return lines


@cli.command()
@click.option("--corpus", "corpus", type=click.Path(path_type=Path), default=DEFAULT_CORPUS,
              show_default="corpus/", help="Folder of plan documents.")
def check_cmd(corpus: Path):
    """Read and parse the corpus without writing anything; report every document.

    Per document: its format and pages, what was repaired in its text, the text-quality figure
    (share of Thai text outside PyThaiNLP's word list), its owner and where that name was
    found, and its sections and items. Then every warning (unknown headings, untitled lists,
    sections without items, repaired list numbers, dropped page noise, poor quality, the same
    section in two files of one owner), the files skipped as not documents (hidden files,
    editor temporaries, folders, FIFOs and devices, links that lead nowhere: never opened),
    the files refused (a link leading outside the corpus folder, named with its target; a
    file name that is not UTF-8, named by its bytes) and the documents that cannot be read (a
    scan, mojibake, .doc, no owner, YAML aliases, a file too large, ...): a refused or
    unreadable file fails the check, exactly as it stops a rebuild.

    Example: python -m index check --corpus corpus
    """
    try:
        report = inspect(corpus, quality=True)
    except BuildError as exc:
        raise click.ClickException(str(exc)) from None
    warnings = list(report.plan_warnings())
    for reading in report.readings:
        if reading.error:
            click.echo(f"cannot read: {reading.error}")
            continue
        figure = report.quality[reading.path]
        click.echo(describe(reading, figure))
        poor = quality_warning(figure)
        if poor:
            warnings.append(f"{reading.path}: {poor}")
    for warning in warnings:
        click.echo(f"warning: {warning}")
    for line in report.skipped():
        click.echo(f"skipped: {line}")
    for line in report.scan.errors:
        click.echo(f"refused: {line}")
    for owner in report.owners:
        if len(owner.paths) > 1:
            names = ", ".join(p.name for p in owner.paths)
            click.echo(f"one owner, {len(owner.paths)} documents: {owner.plan.meta['office']}: "
                       f"{names}")
    parsed = sum(1 for r in report.readings if not r.error)
    click.echo(f"{parsed} documents parsed, {len(warnings)} warnings")
    for error in report.owner_errors:
        click.echo(f"cannot build: {error}")
    if report.errors:
        raise click.ClickException(
            f"{len(report.errors)} problem(s) would stop a rebuild: fix or remove those files")


def describe(reading, figure: float) -> str:
    """One document's line of `index check`: format, pages, repairs, quality, owner, sections."""
    document, plan = reading.document, reading.plan
    pages = f", {document.pages} page{'s' if document.pages > 1 else ''}" if document.pages else ""
    repairs = ", ".join(f"{name} {count}" for name, count in sorted(document.repairs.items()))
    items = sum(1 for section in plan.sections for _ in section.walk())
    return (f"{reading.path}: {document.format}{pages}; repaired: {repairs or 'nothing'}; "
            f"quality: {figure:.1%} of the Thai text outside the word list; owner: "
            f"{plan.meta['office']} (from {document.meta_from}); {len(plan.sections)} sections, "
            f"{items} items")


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
    with index_errors(db_path):
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
