"""Owner metadata written as YAML, read safely: a text plan's front matter and a sidecar file.

Both are small `key: value` mappings typed by an admin, and both come from files anyone may
drop in the corpus, so the YAML is bounded before anything is built from it: its size, no
anchors or aliases (eight levels of aliases in 600 bytes expand to gigabytes), nesting no
deeper than `MAX_DEPTH` (thousands of brackets exhaust Python's recursion). Every error is a
`ReaderError` naming the file and the line.
"""

from __future__ import annotations

import difflib
import re

import yaml
from pythainlp.util import thai_digit_to_arabic_digit

from index.readers.base import ReaderError

MAX_META_BYTES = 64 * 1024
MAX_DEPTH = 4
#: `year:` as plans print it: "2568", "2566-2570" (Thai digits too).
YEAR = re.compile(r"^[0-9๐-๙]{4}(?:\s*[-–]\s*[0-9๐-๙]{4})?$")
#: The keys a front matter or sidecar may hold (README, "Adding a plan"); others are ignored.
KNOWN_KEYS = ("office", "short", "aliases", "parent", "year", "source", "contact", "note")


def load(text: str, source: str, what: str, first_line: int = 1):
    """The YAML value of `text`, checked; `what` ("front matter", "sidecar") starts every
    message and `first_line` is the file line of the text's first line."""
    if len(text.encode("utf-8")) > MAX_META_BYTES:
        raise ReaderError(source, f"{what} is larger than {MAX_META_BYTES} bytes", first_line)
    try:
        check_events(text, source, what, first_line)
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        line = first_line + mark.line if mark is not None else first_line
        raise ReaderError(source, f"{what} is not valid YAML: {problem}", line) from None
    except (ValueError, TypeError, AttributeError) as exc:
        # PyYAML's constructors raise these for a well-formed value they cannot make, such
        # as the date 2024-13-45 or '!!int x'.
        line = first_line + _failing_scalar_line(text)
        raise ReaderError(source, f"{what} has a value YAML cannot read ({exc}); quote it",
                          line) from None


def check_events(text: str, source: str, what: str, first_line: int = 1) -> None:
    """Refuse anchors, aliases and deep nesting before anything is built from the YAML."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = first_line + event.start_mark.line
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ReaderError(source, f"{what} uses YAML anchors or aliases (& or *): write "
                              "plain values", line)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ReaderError(source, f"{what} is nested too deeply (more than {MAX_DEPTH} "
                                  "levels)", line)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _failing_scalar_line(text: str) -> int:
    """The 0-based line of the first scalar PyYAML cannot construct (0 when none is found)."""
    loader = yaml.SafeLoader(text)
    try:
        pending = [loader.get_single_node()]
        while pending:
            node = pending.pop(0)
            if isinstance(node, yaml.ScalarNode):
                try:
                    loader.construct_object(node)
                except (ValueError, TypeError, AttributeError, yaml.YAMLError):
                    return node.start_mark.line
            elif isinstance(node, yaml.MappingNode):
                pending += [part for pair in node.value for part in pair]
            elif node is not None:
                pending += node.value
    finally:
        loader.dispose()
    return 0


def key_line(text: str, key: str, first_line: int = 1) -> int:
    """The file line of `key:` in YAML `text` whose first line is file line `first_line`
    (`first_line` when the key is not written there)."""
    return first_line + next((n for n, row in enumerate(text.split("\n"))
                              if row.startswith(f"{key}:")), 0)


def unknown_keys(meta: dict, text: str, source: str, what: str, first_line: int = 1) -> list[str]:
    """A warning for each key that is not one of KNOWN_KEYS, with the known key it was probably
    meant to be ("shrot" -> "short", "Office" -> "office"): such a key is ignored, so a typo
    would silently lose the short name, the aliases or the parent."""
    warnings = []
    for key in meta:
        if key in KNOWN_KEYS:
            continue
        line = key_line(text, key, first_line)
        close = difflib.get_close_matches(str(key).lower(), KNOWN_KEYS, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (known keys: {', '.join(KNOWN_KEYS)})"
        warnings.append(f"{source} line {line}: unknown key '{key}' in the {what} is ignored{hint}")
    return warnings


def year_problem(value) -> str | None:
    """What is wrong with a `year:` value, or None: not a year or span, or a span backwards
    ("2570-2566" would be shown to teachers as the plan's years)."""
    text = str(value).strip()
    if not YEAR.match(text):
        return "'year' should be a year such as 2568 or 2566-2570"
    digits = [int(y) for y in re.findall(r"\d{4}", thai_digit_to_arabic_digit(text))]
    if len(digits) == 2 and digits[0] > digits[1]:
        return f"'year' runs backwards ({text}): write the first year first"
    return None
