"""linekit's place in the layout: one copy of LINE's limits, and who may import whom."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from linekit import limits
from linekit.events import mention_at, webhook_body
from linekit.signing import sign

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it (top-level names: "tests", "bot"...)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", ["bench", "linekit"])
def test_bench_and_linekit_never_import_the_tests(package):
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / package).glob("*.py"))
        if "tests" in imported_modules(path)
    ]
    assert offenders == []


def test_limits_import_nothing():
    """The bot imports the limits; they must not pull anything in with them."""
    assert imported_modules(ROOT / "linekit" / "limits.py") == set()


def test_limits_are_lines_current_ones():
    assert (limits.MAX_MESSAGES, limits.MAX_TEXT, limits.MAX_ALT_TEXT) == (5, 5000, 1500)
    assert (limits.MAX_QUICK_REPLY_ITEMS, limits.MAX_LABEL, limits.MAX_ACTION_TEXT) == (13, 20, 300)


@pytest.mark.parametrize(
    ("text", "units"), [("", 0), ("วิสัยทัศน์", 10), ("🙏", 2), ("a🙏b", 4), ("\ud800", 1)]
)
def test_utf16_len_counts_as_line_does(text, units):
    assert limits.utf16_len(text) == units


def test_mention_positions_are_utf16_units():
    text = "🙏 @บอท พันธกิจ"
    start = text.index("@")
    [mentionee] = mention_at(text, start, start + 4, "Ubot")["mentionees"]
    assert (mentionee["index"], mentionee["length"]) == (3, 4)


def test_body_with_a_lone_surrogate_is_still_sent():
    body = webhook_body([{"type": "message", "text": "x\ud800"}], "Ubot")
    assert b"\\ud800" in body and sign(body, "s") != sign(body, "t")


def test_python_m_linekit_replay_names_itself(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- name: x\n  turns: [{say: hi, expectt: [a]}]\n", encoding="utf-8")
    for module in ("linekit.replay", "tests.replay"):
        result = subprocess.run(
            [sys.executable, "-m", module, "--url", "http://127.0.0.1:9", str(bad)],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )
        assert result.returncode == 2 and "expectt" in result.stderr
        usage = subprocess.run(
            [sys.executable, "-m", module, "--help"],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )
        assert usage.returncode == 0 and f"usage: python -m {module}" in usage.stdout


def test_the_bots_flex_threshold_fits_lines_alt_text():
    """A reply sent as Flex carries its whole text as altText, so LINE must accept that much."""
    from bot.messages import FLEX_MAX_TEXT

    assert FLEX_MAX_TEXT <= limits.MAX_ALT_TEXT
