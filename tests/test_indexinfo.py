"""The index file's checksum on /healthz: the same on every host serving the same index,
computed once per version of the file, and new after a rebuild is renamed into place."""

from __future__ import annotations

import hashlib
import os
import shutil

import pytest

from bot.indexinfo import file_checksum


def sha256_of(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_checksum_is_the_files_sha256_and_size(tmp_path):
    path = tmp_path / "index.db"
    path.write_bytes(os.urandom(3 * 1024 * 1024 + 17))  # more than one read block
    assert file_checksum(path) == {"sha256": sha256_of(path), "bytes": path.stat().st_size}


def test_hashed_once_per_version_of_the_file(tmp_path):
    path = tmp_path / "index.db"
    path.write_bytes(b"first version")
    first = file_checksum(path)
    # Same inode, size and modification time: the same version as far as the cache knows, so
    # the bytes are not read again (an in-place edit that hides itself is not a rebuild).
    st = path.stat()
    with open(path, "r+b") as f:
        f.write(b"FIRST")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert file_checksum(path) == first
    # A rebuild renames a new file into place: a new inode, so it is hashed again.
    new = tmp_path / "index.db.new"
    new.write_bytes(b"second version")
    os.replace(new, path)
    assert file_checksum(path) == {"sha256": sha256_of(path), "bytes": 14}
    assert file_checksum(path)["sha256"] != first["sha256"]


def test_no_file_is_an_oserror(tmp_path):
    with pytest.raises(OSError):
        file_checksum(tmp_path / "missing.db")


def test_healthz_shows_the_same_checksum_on_every_host(make_app, index_db, tmp_path):
    """Two apps (two hosts) on one shipped index file report one checksum and build time."""
    shipped = tmp_path / "shared" / "index.db"
    shipped.parent.mkdir()
    shutil.copyfile(index_db, shipped)
    hosts = [make_app(PLANBOT_DB=str(shipped), PLANBOT_STATE_DB=str(tmp_path / f"s{n}.db"))
             for n in range(2)]
    seen = [host.test_client().get("/healthz").get_json()["index"] for host in hosts]
    assert seen[0] == seen[1]
    assert seen[0]["sha256"] == sha256_of(index_db)
    assert seen[0]["bytes"] == index_db.stat().st_size and seen[0]["built_at"]


def test_healthz_follows_a_rebuild_renamed_into_place(make_app, index_db, tmp_path):
    from index.build import build
    from tests.conftest import CORPUS

    served = tmp_path / "index.db"
    shutil.copyfile(index_db, served)
    client = make_app(PLANBOT_DB=str(served)).test_client()
    before = client.get("/healthz").get_json()["index"]
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "spm-13.txt").unlink()  # a different index: one plan fewer
    build(corpus, tmp_path / "index.db.new")
    os.replace(tmp_path / "index.db.new", served)
    after = client.get("/healthz").get_json()["index"]
    assert after["sha256"] == sha256_of(served) != before["sha256"]
    assert after["owners"] == before["owners"] - 1
