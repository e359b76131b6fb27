"""The one tokenizer, used for plan passages at build time and for questions at answer time.

PyThaiNLP word segmentation over a dictionary that merges PyThaiNLP's own word list with this
domain's terms (`index.vocab.DOMAIN_TERMS`; a custom dictionary given alone would *replace* the
default one). The engine is nlpo3: on the bundled corpus it gives the same splits as newmm at
several times the speed (see README, "Tokenizer"). nlpo3 ignores PyThaiNLP's `custom_dict`
argument, so the merged word list is loaded with nlpo3's own `load_dict`.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from pythainlp.corpus import thai_stopwords, thai_words

from index.text import fold, fold_clean
from index.vocab import DOMAIN_TERMS

ENGINE = "nlpo3"

_KEEP = re.compile(r"[0-9a-z\u0e01-\u0e2e\u0e30-\u0e4e]")
_lock = threading.Lock()
_dict_name: str | None = None


@lru_cache(maxsize=1)
def word_list() -> tuple[str, ...]:
    """PyThaiNLP's words plus the domain's terms, sorted, without duplicates."""
    words = set(thai_words())
    words.update(DOMAIN_TERMS)
    return tuple(sorted(w for w in words if w and not w.isspace()))


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Thai stop words (PyThaiNLP's list), which carry no topic."""
    return frozenset(fold(w) for w in thai_stopwords())


def _dictionary() -> str:
    """Load the merged word list into nlpo3 once per process and return its name."""
    global _dict_name
    if _dict_name is None:
        with _lock:
            if _dict_name is None:
                from nlpo3 import load_dict

                folder = Path(os.environ.get("PYTHAINLP_DATA") or tempfile.gettempdir())
                folder.mkdir(parents=True, exist_ok=True)
                content = ("\n".join(word_list()) + "\n").encode("utf-8")
                # Named by its content: a term renamed (as many words as before) is a new file.
                digest = hashlib.sha256(content).hexdigest()[:16]
                path = folder / f"planbot-words-{digest}.txt"
                if not path.exists():
                    tmp = path.with_suffix(f".{os.getpid()}.tmp")
                    tmp.write_bytes(content)
                    os.replace(tmp, path)
                name = "planbot"
                load_dict(str(path), name)
                _dict_name = name
    return _dict_name


def segment(text: str) -> list[str]:
    """Split already-folded text into words (spaces and punctuation included)."""
    if not text:
        return []
    from nlpo3 import segment as nlpo3_segment

    return nlpo3_segment(text, _dictionary())


def tokenize(text: str, already_clean: bool = False) -> list[str]:
    """The index terms of a text: folded words, without spaces, punctuation or stop words.

    `already_clean` skips re-cleaning text that came out of `index.text.clean` (the parsed
    plans): the terms are the same, the build just doesn't normalise every passage twice.
    """
    return [w for w in words(text, already_clean) if w not in stopwords()]


def words(text: str, already_clean: bool = False) -> list[str]:
    """Every folded word of a text, stop words included, spaces and punctuation dropped."""
    out = []
    for word in segment(fold_clean(text) if already_clean else fold(text)):
        word = word.strip(" .,:;!?()[]{}\"'“”‘’/\\|-–—•*#")
        if word and _KEEP.search(word):
            out.append(word)
    return out


def version() -> str:
    """Tokenizer name and versions, recorded in the index metadata."""
    from importlib.metadata import version as package_version

    return f"{ENGINE} {package_version('nlpo3')} / pythainlp {package_version('pythainlp')}"
