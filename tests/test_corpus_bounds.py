"""Corpus input is bounded and explicit (issue 12, item 5): hostile YAML, oversized and
damaged files, odd file names and file types, and `check` agreeing with `rebuild`."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from index.build import BuildError, build, corpus_checksum
from index.parse import PlanParseError
from index.readers import ReaderError, docx, sidecar
from index.readers import text as text_reader
from index.readers.text import text_document
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
MIB = 1024 * 1024

OFFICE = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่ เขต 1"
BODY = "วิสัยทัศน์\nนักเรียนมีคุณภาพ\n"


def plan(front: str, body: str = BODY) -> str:
    """A text plan with this front matter (office first unless `front` names it)."""
    if "office:" not in front:
        front = f"office: {OFFICE}\n{front}"
    return f"---\n{front.rstrip()}\n---\n{body}"


def alias_bomb(levels: int = 8) -> str:
    """A front matter whose aliases expand nine-fold per level (9**8 strings at 8 levels)."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels + 1):
        refs = ",".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return plan("\n".join(lines))


# --- YAML in front matter and sidecars ------------------------------------------------------


def test_alias_bomb_plan_fails_fast_naming_the_file(tmp_path):
    """The reviewer's case: a ~600-byte plan that made build() die of MemoryError after 18 s.

    Built in a child process whose address space is capped, so the old code fails the test
    with a MemoryError or the timeout instead of taking the machine's memory.
    """
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    bomb = corpus / "bomb.txt"
    bomb.write_text(alias_bomb(), encoding="utf-8")
    assert len(bomb.read_bytes()) < 700
    script = textwrap.dedent(f"""
        import json, resource, sys, time
        resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 ** 3, 3 * 1024 ** 3))
        from index.build import build
        started = time.perf_counter()
        try:
            build({str(corpus)!r}, {str(tmp_path / "index.db")!r})
            outcome = "built"
        except Exception as exc:
            outcome = f"{{type(exc).__name__}}: {{exc}}"
        print(json.dumps({{"seconds": time.perf_counter() - started, "outcome": outcome}}))
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["seconds"] < 0.5, result
    assert str(bomb) in result["outcome"] and "aliases" in result["outcome"], result
    assert not (tmp_path / "index.db").exists()


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        ("short: &s สพป.แพร่ 1\naliases: [*s]", 3, "anchors or aliases"),
        ("aliases: [x]\nparent: *nothing", 4, "anchors or aliases"),
        ("aliases: [[[[[x]]]]]", 3, "nested too deeply"),
        ("deep: " + "[" * 5000 + "]" * 5000, 3, "nested too deeply"),
        ("deep:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 200)), 7,
         "nested too deeply"),
        ("year: 2024-13-45", 3, "YAML cannot read"),
        ("aliases: [x]\nshort: !!int x", 4, "YAML cannot read"),
        ("short: x\n  bad: : :", 4, "not valid YAML"),
    ],
)
def test_bad_front_matter_is_refused_with_file_and_line(front, line, message):
    """Aliases, deep nesting (5,000 brackets: a RecursionError before) and values YAML cannot
    make are errors naming the file and the line, as the sidecar's are."""
    with pytest.raises(ReaderError) as error:
        text_document(plan(front), "corpus/bad.txt")
    assert error.value.source == "corpus/bad.txt"
    assert error.value.line == line, str(error.value)
    assert message in str(error.value)


def test_oversized_front_matter_is_refused():
    with pytest.raises(ReaderError, match="front matter is larger than"):
        text_document(plan("notes: |\n" + "  x\n" * 40_000), "corpus/big.txt")


def test_sidecar_and_front_matter_share_one_check(tmp_path):
    """One reader of owner YAML: the sidecar refuses what the front matter refuses, in the
    same words, with its own name."""
    path = tmp_path / "plan.pdf.yaml"
    path.write_text(f"office: {OFFICE}\nyear: 2024-13-45\n", encoding="utf-8")
    with pytest.raises(ReaderError) as error:
        sidecar.load(path)
    assert str(error.value).startswith(f"{path} line 2: sidecar has a value YAML cannot read")


def test_build_names_the_file_and_line_of_bad_front_matter(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "deep.txt").write_text(plan("x: " + "[" * 5000 + "]" * 5000), encoding="utf-8")
    with pytest.raises((PlanParseError, BuildError)) as error:
        build(corpus, tmp_path / "index.db")
    assert f"{corpus / 'deep.txt'} line 3" in str(error.value)



# --- sizes checked before reading -----------------------------------------------------------


def peak_allocated(work) -> tuple[object, int]:
    """(what `work()` returned or raised, the peak of Python memory allocated meanwhile)."""
    tracemalloc.start()
    try:
        try:
            result = work()
        except Exception as exc:  # the caller looks at it
            result = exc
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def sparse(path: Path, size: int, head: bytes = b"") -> Path:
    """A file of `size` bytes that takes no disk space (its tail reads as zeros)."""
    path.write_bytes(head)
    os.truncate(path, size)
    return path


def test_an_oversized_text_plan_is_refused_without_reading_it(tmp_path):
    path = sparse(tmp_path / "huge.txt", 64 * MIB, f"---\noffice: {OFFICE}\n---\n".encode())
    error, peak = peak_allocated(lambda: text_reader.read(path))
    assert isinstance(error, ReaderError) and "larger than" in str(error)
    assert (error.source, error.line) == (str(path), 1)
    assert peak < 1 * MIB, f"{peak} bytes allocated to refuse a 64 MiB file"


def test_corpus_checksum_streams_each_file(tmp_path):
    """The checksum is what it was (name, NUL, bytes, NUL per file) without holding a file."""
    big = sparse(tmp_path / "big.pdf", 48 * MIB, b"%PDF-1.7\n")
    small = tmp_path / "plan.txt"
    small.write_text(plan(""), encoding="utf-8")
    digest, peak = peak_allocated(lambda: corpus_checksum([big, small]))
    expected = hashlib.sha256()
    for path in (big, small):
        expected.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    assert digest == expected.hexdigest()
    assert peak < 4 * MIB, f"{peak} bytes allocated to hash a 48 MiB file"


def test_docx_parts_are_summed_before_python_docx_unpacks_them(tmp_path):
    """A small .docx whose parts unpack past the limit (a zip bomb) is refused by name before
    python-docx reads every part into memory."""
    path = Path(shutil.copy(FIXTURES / "documents" / "plan.docx", tmp_path / "bomb.docx"))
    with (zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
          archive.open("word/media/filler.bin", "w", force_zip64=True) as member):
        block = bytes(MIB)
        for _ in range(256):  # 256 MiB unpacked, more than any plan's text and pictures
            member.write(block)
    assert path.stat().st_size < 2 * MIB
    error, peak = peak_allocated(lambda: docx.read(path))
    assert isinstance(error, ReaderError), error
    assert str(error).startswith(f"{path}: ") and "unpack to more than" in str(error)
    assert peak < 8 * MIB


# --- which files are read: names, links, FIFOs; check agrees with rebuild -----------------

PHRAE = ROOT / "corpus" / "spp-phrae-1.txt"
NOT_UTF8 = b"\xb7\xd2\xb9plan.txt"  # TIS-620 bytes, as an old Thai Windows zip leaves them


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A corpus of one bundled plan, to spoil."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(PHRAE, folder)
    return folder


def index_cli(*args, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m index ...` in its own process: real stdout encoding, and a timeout."""
    return subprocess.run([sys.executable, "-m", "index", *map(str, args)], cwd=ROOT,
                          capture_output=True, timeout=timeout,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def test_a_name_that_is_not_utf8_is_named_by_its_bytes(corpus, tmp_path):
    """check and rebuild refuse it in one line naming its bytes; no traceback, and the
    served index is left as it was."""
    fd = os.open(os.fsencode(corpus) + b"/" + NOT_UTF8, os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, plan("").encode())
    os.close(fd)
    db = tmp_path / "index.db"
    named = repr(os.fsencode(corpus) + b"/" + NOT_UTF8).encode()
    for command in (("check", "--corpus", corpus), ("rebuild", "--corpus", corpus, "--db", db)):
        done = index_cli(*command)
        output = done.stdout + done.stderr
        assert done.returncode == 1, output
        assert b"Traceback" not in output
        assert named in output and b"not UTF-8" in output, output
    assert not db.exists()


def test_a_link_outside_the_corpus_is_refused_with_its_target(corpus, tmp_path):
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(plan("", "วิสัยทัศน์\nรหัสผ่านลับ\n"), encoding="utf-8")
    link = corpus / "plan.txt"
    link.symlink_to(secret)
    db = tmp_path / "index.db"
    for command in (("check", "--corpus", corpus), ("rebuild", "--corpus", corpus, "--db", db)):
        done = index_cli(*command)
        output = (done.stdout + done.stderr).decode()
        assert done.returncode == 1, output
        assert f"{link}: a link to {secret}, outside the corpus folder" in output
        assert "รหัสผ่านลับ" not in output and "Traceback" not in output
    assert not db.exists()


def test_a_sidecar_linked_outside_is_refused_and_its_document_not_read(corpus, tmp_path):
    outside = tmp_path / "passwd"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    shutil.copy(FIXTURES / "documents" / "plan.pdf", corpus / "plan.pdf")
    (corpus / "plan.pdf.yaml").symlink_to(outside)
    done = index_cli("check", "--corpus", corpus)
    output = done.stdout.decode()
    assert done.returncode == 1
    assert f"refused: {corpus / 'plan.pdf.yaml'}: a link to {outside}, outside" in output
    assert f"skipped: {corpus / 'plan.pdf'}: not read: its sidecar plan.pdf.yaml is refused" \
        in output
    assert "root:x" not in output


def test_a_link_inside_the_corpus_is_read_as_its_file(corpus, tmp_path):
    kept = corpus / "archive"
    kept.mkdir()
    shutil.copy(ROOT / "corpus" / "spm-13.txt", kept / "spm-13.txt")
    (corpus / "spm-13.txt").symlink_to(Path("archive") / "spm-13.txt")
    stats = build(corpus, tmp_path / "index.db")
    assert stats.owners == 2


def test_fifos_and_dangling_links_are_skipped_never_opened(corpus, tmp_path):
    """Opening a FIFO with no writer blocks forever: the rebuild would hang. Both commands
    list them as skipped and finish; the timeout makes a hang a failure, not a stuck run."""
    os.mkfifo(corpus / "plan-pipe.txt")
    os.mkfifo(corpus / "spp-phrae-1.txt.yaml")  # a sidecar that is a FIFO, too
    (corpus / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    db = tmp_path / "index.db"
    rebuilt = index_cli("rebuild", "--corpus", corpus, "--db", db, timeout=60)
    checked = index_cli("check", "--corpus", corpus, timeout=60)
    for done in (rebuilt, checked):
        output = done.stdout.decode()
        assert f"skipped: {corpus / 'plan-pipe.txt'}: a FIFO (named pipe), not a file" in output
        assert f"skipped: {corpus / 'gone.txt'}: a link to {tmp_path / 'deleted.txt'}, which " \
            "does not exist" in output
    assert rebuilt.returncode == checked.returncode


def _spoil(corpus: Path, how: str) -> None:
    """Add one kind of bad (or merely odd) file to a corpus."""
    outside = corpus.parent / "outside.txt"
    outside.write_text(plan("", "วิสัยทัศน์\nภายนอก\n"), encoding="utf-8")
    if how == "deep yaml":
        (corpus / "deep.txt").write_text(plan("x: " + "[" * 5000 + "]" * 5000), encoding="utf-8")
    elif how == "name not utf-8":
        (Path(os.fsdecode(os.fsencode(corpus) + b"/" + NOT_UTF8))).write_text(
            plan("short: x"), encoding="utf-8")
    elif how == "link outside":
        (corpus / "plan.txt").symlink_to(outside)
    elif how == "sidecar link outside":
        shutil.copy(FIXTURES / "documents" / "plan.pdf", corpus / "plan.pdf")
        (corpus / "plan.pdf.yaml").symlink_to(outside)
    elif how == "dangling link":
        (corpus / "plan.txt").symlink_to(corpus / "nothing.txt")
    elif how == "link loop":
        (corpus / "a.txt").symlink_to(corpus / "b.txt")
        (corpus / "b.txt").symlink_to(corpus / "a.txt")
    elif how == "hidden files":
        (corpus / "._spp-phrae-1.txt").write_bytes(b"\x00\x05\x16\x07 Mac OS X")
        (corpus / "~$plan.docx").write_bytes(b"lock")
    elif how == "old word file":
        (corpus / "plan.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    elif how == "one id twice":
        shutil.copy(PHRAE, corpus / "spp-phrae-1.md")
    elif how == "too large":
        sparse(corpus / "big.txt", 6 * MIB, plan("").encode())
    elif how == "not utf-8 text":
        (corpus / "latin.txt").write_bytes(plan("").encode() + "caf\xe9".encode("latin-1"))
    elif how == "only skipped files":
        (corpus / "spp-phrae-1.txt").rename(corpus / ".spp-phrae-1.txt")
    elif how == "lone sidecar":
        (corpus / "gone.pdf.yaml").write_text(f"office: {OFFICE}\n", encoding="utf-8")


FAILS = {"deep yaml", "name not utf-8", "link outside", "sidecar link outside", "old word file",
         "one id twice", "too large", "not utf-8 text", "only skipped files"}
PASSES = {"dangling link", "link loop", "hidden files", "lone sidecar", "nothing"}


@pytest.mark.parametrize("how", sorted(FAILS | PASSES))
def test_check_fails_exactly_when_rebuild_fails(corpus, tmp_path, how):
    """For each spoilt corpus: check exits non-zero exactly when rebuild does (and when it
    should), neither raises, and every line of rebuild's refusal is in check's report."""
    from click.testing import CliRunner

    from index.cli import cli

    _spoil(corpus, how)
    runner = CliRunner()
    checked = runner.invoke(cli, ["check", "--corpus", str(corpus)], catch_exceptions=False)
    rebuilt = runner.invoke(cli, ["rebuild", "--corpus", str(corpus), "--db",
                                  str(tmp_path / "index.db")], catch_exceptions=False)
    assert (checked.exit_code != 0, rebuilt.exit_code != 0) == (how in FAILS,) * 2, \
        (checked.output, rebuilt.output)
    if how in FAILS:
        refusal = rebuilt.output.removeprefix("Error: ").strip().splitlines()
        assert refusal and all(line in checked.output for line in refusal), \
            (checked.output, rebuilt.output)


def test_links_may_lead_only_into_the_folders_named(corpus, tmp_path):
    """The admin console checks a folder of links to the corpus and the upload: those
    folders are named, and a link anywhere else is still refused."""
    from index.build import check

    view = tmp_path / "view"
    view.mkdir()
    (view / "spp-phrae-1.txt").symlink_to(corpus / "spp-phrae-1.txt")
    plans, _ = check(view, links_within=(corpus,))
    assert [path.name for path, _ in plans] == ["spp-phrae-1.txt"]
    (view / "other.txt").symlink_to(ROOT / "corpus" / "spm-13.txt")
    with pytest.raises(BuildError, match=r"other.txt: a link to .*spm-13.txt, outside"):
        check(view, links_within=(corpus,))
