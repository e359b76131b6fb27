"""The identity of the index file a host serves: its SHA-256, for /healthz.

Several web hosts serve one index built once and shipped to each (copied and renamed into
place, or read from a shared volume). An operator compares `/healthz` across hosts: the same
checksum means the same index. The file is hashed once per version, streamed in 1 MiB blocks
(an index at national scale is hundreds of MB); the version is the file's stat signature
(inode, modification time, size), the same one the engine cache watches, so a rebuild renamed
into place is hashed again at the next call and otherwise never.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

BLOCK = 1024 * 1024

_cache: dict[str, tuple[tuple, dict]] = {}
_lock = threading.Lock()


def _signature(st: os.stat_result) -> tuple:
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def file_checksum(path: str | Path) -> dict:
    """{"sha256", "bytes"} of the file now at `path`, hashed once per version of the file.

    The hash is of the file that was open while hashing (its own stat signature), so a rename
    over `path` during the read cannot mix two versions. Raises OSError when there is no file.
    """
    key = os.fspath(path)
    signature = _signature(os.stat(key))
    cached = _cache.get(key)
    if cached is not None and cached[0] == signature:
        return cached[1]
    with _lock:  # one hash at a time: concurrent /healthz calls wait for it, not repeat it
        cached = _cache.get(key)
        if cached is not None and cached[0] == _signature(os.stat(key)):
            return cached[1]
        with open(key, "rb") as f:
            opened = _signature(os.fstat(f.fileno()))
            digest = hashlib.sha256()
            while block := f.read(BLOCK):
                digest.update(block)
        info = {"sha256": digest.hexdigest(), "bytes": opened[2]}
        _cache[key] = (opened, info)
        return info
