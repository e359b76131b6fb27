"""The reader seam and its text reader: a file becomes a Document (meta and numbered lines),
the registry picks the reader by suffix, and the parser reads any Document the same way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index import readers
from index.build import BuildError, check
from index.parse import PlanParseError, parse_document, parse_file, parse_text
from index.readers import READERS, Document, Line, ReaderError, Table, read, reader_for
from index.readers import text as text_reader

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FRONT = "---\noffice: โรงเรียนทดสอบวิทยา\nshort: ทดสอบ\naliases: รร.ทดสอบ\n---\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_text_plan_becomes_meta_and_lines_with_their_file_line_numbers(tmp_path):
    path = write(tmp_path, "plan.txt", FRONT + "วิสัยทัศน์\n\nเรียนดี มีสุข\n")
    doc = read(path)
    assert doc.source == str(path)
    assert doc.format == "text"
    assert doc.meta_from == "front matter"
    assert doc.meta == {"office": "โรงเรียนทดสอบวิทยา", "short": "ทดสอบ", "aliases": ["รร.ทดสอบ"]}
    assert [(line.line, line.text) for line in doc.lines()] == [
        (6, "วิสัยทัศน์"), (7, ""), (8, "เรียนดี มีสุข"), (9, ""),
    ]
    assert doc.pages is None and doc.warnings == [] and not doc.repairs


def test_lines_keep_the_text_as_written_and_count_cr_line_ends(tmp_path):
    path = tmp_path / "plan.md"
    path.write_bytes("\ufeff---\r\noffice: ก\r\n---\r\n## พันธกิจ  \r1. **สอนดี**\r\n".encode())
    lines = read(path).lines()
    assert [(line.line, line.text) for line in lines][:2] == [(4, "## พันธกิจ  "), (5, "1. **สอนดี**")]


def test_text_pasted_from_a_pdf_is_repaired_as_the_pdf_would_be(tmp_path):
    """Old fonts' private-use glyphs, a SARA AM in two pieces, a mark after a space (which
    normalising would drop): repaired and counted, as in the other readers; the parsed plan
    quotes the words a reader sees. Clean lines stay exactly as written."""
    damaged = ("วิสัยทัศน์\n"
               "ส\u0e4d\u0e32นักงานเป\uf712นผู\uf70bนำ ด\u0e49านยุทธศาสตร ์การศึกษา  \n")
    doc = read(write(tmp_path, "plan.txt", FRONT + damaged))
    assert [line.text for line in doc.lines()][:2] == [
        "วิสัยทัศน์", "สำนักงานเป็นผู้นำ ด้านยุทธศาสตร์การศึกษา  "]
    assert {"pua", "sara_am", "space_before_mark"} <= set(doc.repairs)
    vision = parse_document(doc).sections[0]
    assert vision.intro == ["สำนักงานเป็นผู้นำ ด้านยุทธศาสตร์การศึกษา"]


@pytest.mark.parametrize(
    ("name", "data", "line", "words"),
    [
        ("latin1.txt", (FRONT + "วิสัยทัศน์\n").encode() + "caf\xe9\n".encode("latin-1"), 7, "UTF-8"),
        ("nul.txt", (FRONT + "วิสัยทัศน์\nดี\n").encode() + b"\x00", 8, "NUL bytes"),
        ("huge.txt", FRONT.encode() + b"x" * (5 * 1024 * 1024), 1, "larger than"),
        ("bare.txt", "วิสัยทัศน์\nดี\n".encode(), 1, "no front matter"),
        ("yaml.txt", b"---\noffice: a\n  bad: [\n---\nx\n", 3, "not valid YAML"),
        ("list.txt", b"---\n- a\n- b\n---\nx\n", 2, "'key: value' lines"),
        ("nooffice.txt", b"---\nshort: a\n---\nx\n", 2, "no 'office:'"),
        ("short.txt", b"---\noffice: a\nshort: [a, b]\n---\nx\n", 3, "'short' must be text"),
        ("aliases.txt", b"---\noffice: a\naliases: {a: b}\n---\nx\n", 3, "'aliases' must be"),
        # the cause said, not "no front matter" or "no office"
        ("empty.txt", b"", 1, "the file is empty"),
        ("blank.txt", b"\n  \n", 1, "the file is empty"),
        ("unclosed.txt", "---\noffice: a\nวิสัยทัศน์\n".encode(), 1, "never closed"),
        ("number.txt", b"---\nshort: b\noffice: 13\n---\nx\n", 3, "'office' must be"),
        ("emptyoffice.txt", b'---\noffice: ""\n---\nx\n', 2, "'office' must be"),
        ("listoffice.txt", b"---\noffice: [a]\n---\nx\n", 2, "'office' must be"),
    ],
)
def test_an_unreadable_text_file_names_itself_and_the_line(tmp_path, name, data, line, words):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReaderError) as caught:
        read(path)
    error = caught.value
    assert (error.source, error.line) == (str(path), line)
    assert str(error).startswith(f"{path} line {line}: ")
    assert words in error.reason
    with pytest.raises(PlanParseError) as parsed:  # the parser's error says the same
        parse_file(path)
    assert str(parsed.value) == str(error)


def test_the_registry_reads_text_plans_by_suffix_in_any_case(tmp_path):
    assert READERS[".txt"] is text_reader.read and READERS[".md"] is text_reader.read
    path = write(tmp_path, "PLAN.TXT", FRONT + "พันธกิจ\n1. สอนดี\n")
    assert reader_for(path) is text_reader.read
    assert read(path).meta["office"] == "โรงเรียนทดสอบวิทยา"


@pytest.mark.parametrize("name", ["plan.doc", "plan.xlsx", "plan"])
def test_a_format_without_a_reader_is_refused_by_name(tmp_path, name):
    path = write(tmp_path, name, FRONT + "พันธกิจ\n1. สอนดี\n")
    with pytest.raises(ReaderError) as caught:
        read(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: cannot read ")
    assert ".txt" in message and ".md" in message
    assert caught.value.line is None
    with pytest.raises(ReaderError):
        parse_file(path)


def test_a_new_reader_is_one_register_call(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "READERS", dict(READERS))

    def read_lines(path: Path) -> Document:
        rows = path.read_text(encoding="utf-8").split("\n")
        return Document(str(path), "lines", {"office": rows[0]},
                        [Line(row, n, page=1) for n, row in enumerate(rows[1:], 2)])

    readers.register((".LINES",), read_lines)
    path = write(tmp_path, "plan.lines", "โรงเรียนบ้านทดสอบ\nพันธกิจ\n1. สอนดี\n2. เรียนดี")
    plan = parse_file(path)
    assert plan.meta == {"office": "โรงเรียนบ้านทดสอบ"}
    assert [(i.number, i.text, i.line) for i in plan.sections[0].items] == [
        ("1", "สอนดี", 3), ("2", "เรียนดี", 4),
    ]


def test_the_parser_reads_a_document_as_it_reads_the_same_text():
    text = (CORPUS / "spp-phrae-1.txt").read_text(encoding="utf-8")
    from_doc = parse_document(text_reader.text_document(text, "corpus/spp-phrae-1.txt"))
    from_text = parse_text(text, "corpus/spp-phrae-1.txt")
    assert from_doc == from_text
    assert parse_file(CORPUS / "spp-phrae-1.txt").sections == from_text.sections


def test_reader_warnings_come_first_and_a_table_is_read_as_items_with_their_cells():
    doc = Document(
        "plan.pdf", "pdf", {"office": "โรงเรียนทดสอบ"},
        [Line("พันธกิจ", 1, page=1), Line("1. สอนดี", 2, page=1),
         Table([["ตัวชี้วัด", "ค่าเป้าหมาย"], ["ร้อยละ", "80"]], 3, page=1)],
        warnings=["plan.pdf page 1: 2 marks repaired"],
    )
    plan = parse_document(doc)
    assert plan.warnings == [
        "plan.pdf page 1: 2 marks repaired",
        "plan.pdf line 3 (page 1): a table of ตัวชี้วัด without a heading of its own: read as a section "
        "'ตัวชี้วัด'",
    ]
    assert [i.text for i in plan.sections[0].items] == ["สอนดี"]
    table = plan.sections[1]
    assert (table.kind, table.heading, table.line) == ("indicator", "ตัวชี้วัด", 3)
    assert [(i.number, i.text, i.cells) for i in table.items] == [
        ("1", "ร้อยละ", {"ตัวชี้วัด": "ร้อยละ", "ค่าเป้าหมาย": "80"}),
    ]


def test_a_document_without_sections_names_its_first_line():
    doc = Document("plan.pdf", "pdf", {"office": "x"}, [Line("สวัสดีครับ", 12, page=2)])
    with pytest.raises(PlanParseError) as caught:
        parse_document(doc)
    assert (caught.value.source, caught.value.line) == ("plan.pdf", 12)
    assert "no plan sections" in str(caught.value)


def test_a_reader_error_without_a_line_stops_the_build_by_name(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    monkeypatch.setattr(readers, "READERS", dict(READERS))

    def refuse(path: Path) -> Document:
        raise ReaderError(str(path), "a scan with no text layer (it needs OCR)")

    readers.register((".md",), refuse)
    write(corpus, "scan.md", "")
    with pytest.raises(BuildError) as caught:
        check(corpus)
    assert str(caught.value) == f"{corpus / 'scan.md'}: a scan with no text layer (it needs OCR)"


def test_front_matter_typos_and_odd_years_are_warnings_naming_the_line(tmp_path):
    """An unknown key is ignored, so a typo would silently lose the short name or the parent:
    each is a warning with the key it was probably meant to be; a year that is not a year, or
    runs backwards, is a warning too. The plan is still read."""
    path = tmp_path / "typo.txt"
    path.write_text("---\noffice: สพม.13\nshrot: x\nOffice: y\nyear: 2570-2566\nfoo: 1\n"
                    "note: ok\n---\nวิสัยทัศน์\nดี\n", encoding="utf-8")
    warnings = read(path).warnings
    assert warnings == [
        f"{path} line 3: unknown key 'shrot' in the front matter is ignored (did you mean 'short'?)",
        f"{path} line 4: unknown key 'Office' in the front matter is ignored (did you mean 'office'?)",
        f"{path} line 6: unknown key 'foo' in the front matter is ignored (known keys: office, "
        "short, aliases, parent, year, source, contact, note)",
        f"{path} line 5: 'year' runs backwards (2570-2566): write the first year first",
    ]
    path.write_text("---\noffice: สพม.13\nyear: ปีหน้า\n---\nวิสัยทัศน์\nดี\n", encoding="utf-8")
    assert read(path).warnings == [f"{path} line 3: 'year' should be a year such as 2568 or 2566-2570"]
    path.write_text("---\noffice: สพม.13\nyear: ๒๕๖๖-๒๕๗๐\n---\nวิสัยทัศน์\nดี\n", encoding="utf-8")
    assert read(path).warnings == []
