"""A real redis-server on 127.0.0.1 for the benchmark and the tests: Debian's binary, a free
port, its files in a folder of its own.

`bench.compare` runs it as the README recommends for production (`appendonly yes`,
`appendfsync everysec`); the tests run it without persistence (`persist=False`). Either way
the eviction policy is `noeviction`, as the README requires. `make test-deps` installs the
package when the binary is missing.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from bench.load import free_port

REDIS_SERVER = Path("/usr/bin/redis-server")
START_TIMEOUT = 10.0
START_TRIES = 3  # a free port can be taken by someone else before the server binds it


class RedisProcess:
    """One redis-server process in `work`, listening on 127.0.0.1 only."""

    def __init__(self, work: Path, persist: bool = True, binary: Path = REDIS_SERVER):
        self.work = Path(work)
        self.persist = persist
        self.binary = Path(binary)
        self.port = 0
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """The redis:// URL of database 0."""
        return f"redis://127.0.0.1:{self.port}/0"

    def _arguments(self) -> list[str]:
        persistence = (["--appendonly", "yes", "--appendfsync", "everysec"] if self.persist
                       else ["--appendonly", "no"])
        return [str(self.binary), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                *persistence, "--dir", str(self.work), "--maxmemory-policy", "noeviction"]

    def start(self, timeout: float = START_TIMEOUT) -> RedisProcess:
        """Start the server and wait until it answers PING (a taken port: another try)."""
        if not self.binary.exists():
            raise RuntimeError(f"{self.binary} is missing: `make test-deps` installs it "
                               "(apt-get install redis-server)")
        self.work.mkdir(parents=True, exist_ok=True)
        for _attempt in range(START_TRIES):
            self.port = free_port()
            with open(self.work / f"redis-{self.port}.log", "wb") as log:
                self.process = subprocess.Popen(self._arguments(), stdout=log,
                                                stderr=subprocess.STDOUT)
            if self._wait_ready(timeout):
                return self
            self.stop()
        raise RuntimeError(f"redis-server did not start; see the logs in {self.work}")

    def _wait_ready(self, timeout: float) -> bool:
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline and self.process.poll() is None:
                try:
                    if client.ping():
                        return True
                except redis.ConnectionError:
                    time.sleep(0.05)  # not up yet
            return False
        finally:
            client.close()

    def flush(self) -> None:
        """Empty every database of the server."""
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port)
        try:
            client.flushall()
        finally:
            client.close()

    def stop(self) -> None:
        """TERM, then KILL if it lingers."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
