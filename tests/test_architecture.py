"""Who may import whom: the layering in docs/ARCHITECTURE.md, checked on the source.

Every import is read from the syntax tree, including imports inside functions, so a lazy
import can't slip a forbidden dependency past the rule.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: bot modules that speak HTTP or LINE; every other bot module is the engine.
WEB_LAYER = {
    "bot/__init__.py", "bot/__main__.py", "bot/webhook.py", "bot/runtime.py", "bot/senders.py",
    "bot/mentions.py", "bot/messages.py", "bot/events.py", "bot/config.py", "bot/cli.py",
    "bot/chat.py",
    "bot/admin.py", "bot/web.py",
}
WEB_PACKAGES = ("bot/web/", "bot/state/")  # pages and the shared-state backends


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Top-level names of everything a module imports (absolute imports only)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def offending(path: Path, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        name for name in imported(path)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    )


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def is_engine(path: Path) -> bool:
    rel = relative(path)
    return rel not in WEB_LAYER and not rel.startswith(WEB_PACKAGES)


@pytest.mark.parametrize("path", modules("index"), ids=relative)
def test_index_imports_no_bot_flask_or_line(path):
    assert offending(path, ("bot", "flask", "linebot", "linekit")) == []


@pytest.mark.parametrize("path", [p for p in modules("bot") if is_engine(p)], ids=relative)
def test_engine_imports_neither_flask_nor_linebot(path):
    assert offending(path, ("flask", "linebot", "werkzeug", "gunicorn")) == []


@pytest.mark.parametrize("path", modules("bench"), ids=relative)
def test_bench_never_imports_tests(path):
    assert offending(path, ("tests",)) == []


def test_the_engine_is_checked():
    """The engine rule must not pass by checking nothing: the answer engine is in its scope."""
    engine = [relative(p) for p in modules("bot") if is_engine(p)]
    assert "bot/answer.py" in engine or any(p.startswith("bot/engine") for p in engine)
    assert "bot/reply.py" in engine


def test_offending_sees_lazy_imports(tmp_path):
    """A forbidden import inside a function is found, as is a dotted one."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from flask import Flask\n    import linebot.v3\n")
    assert offending(module, ("flask", "linebot")) == ["flask", "linebot.v3"]


def test_every_module_the_architecture_page_names_exists():
    """docs/ARCHITECTURE.md stays true: each `path.py` or `package/` it names is in the tree."""
    page = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:bot|index|linekit|bench|tests)/[\w/.]*?(?:\.py|/))`", page))
    assert len(named) > 40  # the page names the modules, one line each
    missing = sorted(p for p in named if not (ROOT / p).exists())
    assert missing == []


def test_every_package_module_is_on_the_architecture_page():
    """A new module gets its line on the page (bench/ and tests/ are named as groups)."""
    page = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    unlisted = [
        relative(p) for folder in ("bot", "index", "linekit") for p in modules(folder)
        if p.name not in ("__init__.py", "__main__.py")
        and f"`{relative(p)}`" not in page
        and not (f"`{relative(p.parent)}/`" in page and f"`{p.name}`" in page
                 and p.parent.name not in ("bot", "index", "linekit"))
    ]
    assert unlisted == []


#: Functions allowed over MAX_FUNCTION_LINES must say why on their `def` line: `# long: ...`.
MAX_FUNCTION_LINES = 60


@pytest.mark.parametrize("folder", ["bot", "index"])
def test_no_function_over_sixty_lines_without_a_reason(folder):
    long = []
    for path in modules(folder):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source, str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = node.end_lineno - node.lineno + 1
                if size > MAX_FUNCTION_LINES and "# long:" not in lines[node.lineno - 1]:
                    long.append(f"{relative(path)}:{node.lineno} {node.name} ({size} lines)")
    assert long == []
