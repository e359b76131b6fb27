"""A text-quality figure an admin can read, and refusal of text no repair can save.

The figure is the share of Thai characters that fall outside the words of PyThaiNLP's word
list once the text is repaired: clean plans score a few per cent (names, rare terms), damaged
extraction much more.
"""

from __future__ import annotations

import re

from index.readers.base import ReaderError
from index.repair import known_chars

#: Above this share of unknown Thai text a document is worth a warning.
POOR = 0.25
#: Characters a legacy Thai font's codes turn into when read as Mac Roman or Latin-1.
_MOJIBAKE = re.compile("[\u00c0-\u00ff\u0152\u0153\u0178\u0192\u02c6-\u02dd\u03c0\u2013-\u2044"
                       "\u2122\u2202-\u221e\u2248\u2260\u2264\u2265\u25ca\ufb01\ufb02]")
_THAI_RUN = re.compile("[\u0e01-\u0e4e]+")
_SAMPLE_CHARS = 200_000


def unknown_share(texts: list[str]) -> float:
    """Share (0..1) of the Thai characters in `texts` outside PyThaiNLP's word list."""
    total = known = 0
    for text in texts:
        for run in _THAI_RUN.findall(text):
            total += len(run)
            known += known_chars(run)
        if total > _SAMPLE_CHARS:
            break
    return 1 - known / total if total else 0.0


def is_mojibake(text: str) -> bool:
    """True when text reads as a legacy Thai font's codes taken for Latin letters."""
    letters = sum(1 for ch in text if ch.isalpha())
    if not letters:
        return False
    thai = len("".join(_THAI_RUN.findall(text)))
    odd = len(_MOJIBAKE.findall(text))
    return odd >= 20 and odd > 0.15 * letters and thai < odd


def refuse_mojibake(source: str, text: str) -> None:
    """Raise a ReaderError naming `source` when its text is legacy-font mojibake."""
    if is_mojibake(text):
        raise ReaderError(
            source,
            "the text layer is mojibake from a legacy non-Unicode Thai font (it reads as Latin "
            "letters such as 'Àπâ“'). Save the original with a Unicode font (TH Sarabun New) "
            "as PDF, or OCR the printed pages",
        )


def warning(figure: float) -> str | None:
    """An admin's warning for a poor quality figure, or None."""
    if figure <= POOR:
        return None
    return (f"text quality is poor: {figure:.0%} of the Thai text is outside the word list "
            "after repair; check the quotes against the original")
