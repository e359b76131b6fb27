"""Measure PDF libraries on real Thai PDFs and the generated plan: damage left and speed.

    .venv/bin/python -m bench.pdf_readers [PDF ...]

For each file and each library installed (pypdfium2 plain text, PyMuPDF `get_text()`,
pdfplumber `extract_text()`, and this project's reader built on pypdfium2) it prints the time
per page, the damage left after `index.repair` (Private Use Area code points, decomposed or
spaced SARA AM, spaces before marks) and the share of Thai text outside PyThaiNLP's word list
after repair (`index.quality.unknown_share`). The figures go into docs/pdf-readers.md.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("PYTHAINLP_DATA", str(ROOT / ".pythainlp-data"))
SHARED = ROOT.parent / "shared" / "documents"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/documents")

DAMAGE = re.compile("[\uf700-\uf8ff]|\u0e4d\u0e32|[\u0e01-\u0e2e] [\u0e32\u0e33]|"
                    "[\u0e01-\u0e4e] [\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")


def pypdfium2_text(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    return [page.get_textpage().get_text_range() for page in pdf]


def pymupdf_text(path: Path) -> list[str]:
    import pymupdf

    with pymupdf.open(str(path)) as document:
        return [page.get_text() for page in document]


def pdfplumber_text(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def planbot_text(path: Path) -> list[str]:
    """This project's reader (pypdfium2 characters rebuilt into lines; repairs included)."""
    import shutil
    import tempfile

    from index.readers import pdf
    from index.readers.base import Line

    with tempfile.TemporaryDirectory() as folder:  # a sidecar, so owner-less files are read
        copy = Path(folder) / path.name
        shutil.copy(path, copy)
        Path(f"{copy}.yaml").write_text("office: bench\n", encoding="utf-8")
        document = pdf.read(copy)
    return ["\n".join(b.text if isinstance(b, Line) else
                      "\n".join(" | ".join(r) for r in b.rows) for b in document.blocks)]


LIBRARIES = {"pypdfium2": pypdfium2_text, "pymupdf": pymupdf_text,
             "pdfplumber": pdfplumber_text, "planbot (pypdfium2)": planbot_text}


def measure(path: Path, name: str, extract) -> dict | None:
    from index.quality import unknown_share
    from index.readers.base import ReaderError
    from index.repair import repair

    try:
        started = time.perf_counter()
        pages = extract(path)
        seconds = time.perf_counter() - started
    except ImportError:
        return None
    except ReaderError as error:
        return {"refused": error.reason[:60]}
    page_count = _pages(path)
    repaired = [repair(text.replace("\r\n", "\n"))[0] for text in pages]
    return {
        "ms_per_page": 1000 * seconds / max(1, page_count),
        "damage_left": sum(len(DAMAGE.findall(text)) for text in repaired),
        "unknown": unknown_share(repaired),
    }


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(str(path)))


def main(argv: list[str]) -> None:
    """Print one Markdown table row per file and library."""
    sys.path.insert(0, str(ROOT))
    files = [Path(a) for a in argv] or sorted(SHARED.glob("*.pdf")) + [
        ROOT / "tests" / "fixtures" / "documents" / "plan.pdf"]
    print("| file | library | ms/page | damage left after repair | Thai outside word list |")
    print("|---|---|---:|---:|---:|")
    for path in files:
        for name, extract in LIBRARIES.items():
            result = measure(path, name, extract)
            if result is None:
                continue
            if "refused" in result:
                print(f"| {path.name} | {name} | | refused: {result['refused']} | |")
                continue
            print(f"| {path.name} | {name} | {result['ms_per_page']:.1f} | "
                  f"{result['damage_left']} | {result['unknown']:.1%} |")


if __name__ == "__main__":
    main(sys.argv[1:])
