"""Webhook end to end: gunicorn as the Procfile says, the fake LINE platform, signed events.

Three processes: gunicorn (the bot), `bench.fakehost` (LINE's side, recording when each reply
arrives), and this one, which sends signed text-message events at a fixed rate with an open
loop (send times are scheduled, not paced by replies). Latency is request sent -> reply received
at the fake, matched by reply token; both sides read `time.time()`, one clock on one machine.
Every step is bounded in count and time, and everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

from bench.stats import summarize
from linekit import events
from linekit.signing import sign as line_sign

REPO = Path(__file__).resolve().parent.parent
CHANNEL_SECRET = "bench-channel-secret-0123456789ab"
ACCESS_TOKEN = "bench-access-token"
DEFAULT_RATES = (50, 100, 200, 300, 400, 500, 600, 800, 1000)
P99_LIMIT_MS = 200.0
DRAIN_SECONDS = 3.0


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def procfile_command(port: int, app: str | None = None) -> str:
    """The Procfile's `web:` line with $PORT filled in and any bind address made loopback.

    `app` (e.g. ``bench.echo_app:create_app()``) serves another WSGI app with the very same
    gunicorn settings, so a comparison differs in the app alone.
    """
    procfile = (REPO / "Procfile").read_text(encoding="utf-8")
    match = re.search(r"^web:\s*(.+)$", procfile, re.M)
    if not match:
        raise RuntimeError("Procfile has no web: line")
    command = match.group(1).strip()
    command = re.sub(r"\$\{PORT(?::-[^}]*)?\}|\$PORT", str(port), command)
    if app is not None:
        command, found = re.subn(r"'bot:create_app\(\)'", shlex.quote(app), command)
        if not found:
            raise RuntimeError("the Procfile's web line does not name 'bot:create_app()'")
    return command.replace("0.0.0.0", "127.0.0.1")


def sign(body: bytes, secret: str = CHANNEL_SECRET) -> str:
    """LINE's X-Line-Signature over `body`, with the benchmark's channel secret by default."""
    return line_sign(body, secret)


def text_event_body(text: str, reply_token: str, user_id: str) -> bytes:
    """A webhook body with one text-message event from `user_id` (`linekit.events`' shapes)."""
    event = events.event("message", events.source("user", user_id), reply_token,
                         message=events.text_message(text))
    return events.webhook_body([event], "U" + "0" * 32)


class WebHost:
    """One web host: the Procfile's `web:` line (gunicorn master and workers) on its own port.

    `env` is the host's whole configuration: the caller's PLANBOT_* and LINE_* variables are
    not inherited (the Makefile exports some), so every host runs with exactly what it is given.
    """

    def __init__(self, env: dict, work: Path, name: str = "web", app: str | None = None):
        self.env = dict(env)
        self.work = Path(work)
        self.name = name
        self.app = app
        self.port = 0
        self.url = ""
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 600.0) -> WebHost:
        """Start gunicorn and wait until it answers /healthz (or any HTTP response)."""
        self.work.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANBOT_", "LINE_"))}
        env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '')}"
        env.setdefault("PYTHAINLP_DATA", str(REPO / ".pythainlp-data"))
        env.update(self.env, PORT=str(self.port))
        command = procfile_command(self.port, self.app)
        with open(self.work / f"{self.name}.log", "w") as log:
            self.process = subprocess.Popen(
                shlex.split(command) if "$" not in command else ["sh", "-c", command],
                cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=log,
                start_new_session=True)
        self.url = f"http://127.0.0.1:{self.port}"
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        import urllib.error
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.work / (self.name + '.log')}")
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=timeout).read()
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer within {timeout}s")

    def warm(self, timeout: float = 600.0) -> None:
        """Concurrent /healthz calls, so every worker has loaded its engine before timing."""
        import urllib.request
        from concurrent.futures import ThreadPoolExecutor

        def ping(_):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(self.url + "/healthz", timeout=timeout).read()

        for _ in range(2):
            with ThreadPoolExecutor(16) as pool:
                list(pool.map(ping, range(16)))
        if self.app is None:
            self._wait_loaded(timeout)

    def _wait_loaded(self, timeout: float) -> None:
        """Wait until every worker has logged its index loaded. The pings above need not reach
        every worker (gunicorn does not deal connections out in turn), and a large index loads
        in a background thread: a worker still loading makes the first measured events wait
        seconds for it (at L, a p99 of 250 ms at 50 events/s that was the load, not the bot)."""
        log = self.work / f"{self.name}.log"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            workers = len(self.worker_pids())
            loaded = log.read_text(encoding="utf-8", errors="replace").count("index: loaded ")
            if workers and loaded >= workers:
                return
            time.sleep(0.1)
        raise RuntimeError(f"the workers did not load the index within {timeout}s; see {log}")

    def health(self, timeout: float = 30.0) -> dict:
        """The host's /healthz JSON."""
        import urllib.request

        with urllib.request.urlopen(self.url + "/healthz", timeout=timeout) as response:
            return json.load(response)

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each gunicorn worker (children of the master), in MB."""
        return [rss_mb(pid) for pid in self.worker_pids()]

    def worker_pids(self) -> list[int]:
        """The gunicorn workers' process ids."""
        if not self.process:
            return []
        # The workers are the leaves of the tree under the Procfile's shell and the master.
        leaves, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            try:
                kids = [int(k) for k in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
            except OSError:
                continue
            if kids:
                todo.extend(kids)
            elif pid != self.process.pid:
                leaves.append(pid)
        return sorted(leaves)

    def kill(self) -> None:
        """The host dies: SIGKILL to the master and every worker at once, no clean shutdown."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        """Stop gunicorn (its whole process group): TERM, then KILL if it lingers."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


class Servers:
    """The fake LINE platform in its own process and `hosts` web hosts, started and stopped
    together. Every host gets the same configuration; `env` adds to it (PLANBOT_STATE_URL for
    shared state), `app` serves another app with the same gunicorn line."""

    def __init__(self, db: Path, work: Path, env: dict | None = None, hosts: int = 1,
                 app: str | None = None):
        self.extra_env = dict(env or {})
        self.db = Path(db)
        self.work = Path(work)
        self.host_count = hosts
        self.app = app
        self.fake = None
        self.hosts: list[WebHost] = []
        self.fake_url = ""
        self.fake_out = self.work / "fake-replies.jsonl"

    @property
    def url(self) -> str:
        """The first host's URL."""
        return self.hosts[0].url

    @property
    def urls(self) -> list[str]:
        """Every host's URL, in order."""
        return [host.url for host in self.hosts]

    def start(self, timeout: float = 600.0) -> Servers:
        """Start the fake, then every host, and warm each host's workers."""
        self.work.mkdir(parents=True, exist_ok=True)
        self.fake_out.unlink(missing_ok=True)
        self.fake = subprocess.Popen(
            [sys.executable, "-m", "bench.fakehost", "--out", str(self.fake_out)],
            cwd=REPO, stdout=subprocess.PIPE, text=True)
        self.fake_url = self.fake.stdout.readline().strip()
        state_db = self.work / "state.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{state_db}{suffix}").unlink(missing_ok=True)
        env = dict(LINE_CHANNEL_SECRET=CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN=ACCESS_TOKEN,
                   LINE_API_HOST=self.fake_url, PLANBOT_DB=str(self.db),
                   PLANBOT_STATE_DB=str(state_db))
        env.update(self.extra_env)
        for n in range(self.host_count):
            name = "gunicorn" if self.host_count == 1 else f"gunicorn-{n + 1}"
            self.hosts.append(WebHost(env, self.work, name, self.app).start(timeout))
        for host in self.hosts:
            host.warm(timeout)
        return self

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of every host's gunicorn workers, in MB."""
        return [rss for host in self.hosts for rss in host.worker_rss_mb()]

    def replies(self, timeout: float = 30.0) -> dict[str, float]:
        """Ask the fake for what it received so far; when each reply token arrived."""
        return {token: at for token, (at, _) in self.reply_records(timeout).items()}

    def reply_records(self, timeout: float = 30.0) -> dict[str, tuple[float, str]]:
        """Ask the fake for what it received so far: token -> (arrival time, first text)."""
        return {token: records[0] for token, records in self.reply_log(timeout).items()}

    def reply_log(self, timeout: float = 30.0) -> dict[str, list[tuple[float, str]]]:
        """Every reply request the fake received so far, by token: [(arrival time, text)...]
        (more than one entry means the token was answered more than once)."""
        self.fake_out.unlink(missing_ok=True)
        self.fake.send_signal(signal.SIGUSR1)
        deadline = time.monotonic() + timeout
        while not self.fake_out.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        arrived: dict[str, list[tuple[float, str]]] = {}
        if self.fake_out.exists():
            for line in self.fake_out.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                if record["reply_token"]:
                    arrived.setdefault(record["reply_token"], []).append(
                        (record["received_at"], record.get("text", "")))
        return arrived

    def stop(self) -> None:
        """Stop every host and the fake."""
        for host in self.hosts:
            host.stop()
        if self.fake and self.fake.poll() is None:
            self.fake.send_signal(signal.SIGTERM)
            self.fake.wait(timeout=30)


def rss_mb(pid: int | str = "self") -> float:
    """VmRSS of a process in MB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _send_all(urls: list[str], bodies: list[tuple[str, bytes]], rate: float,
                    timeout: float) -> dict[str, tuple[float, int]]:
    """Send `bodies` at `rate` per second, taking `urls` in turn (a round-robin load balancer);
    return token -> (sent_at, HTTP status or 0)."""
    import aiohttp

    sent: dict[str, tuple[float, int]] = {}
    connector = aiohttp.TCPConnector(limit=256)
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    async with aiohttp.ClientSession(connector=connector, timeout=client_timeout) as session:

        async def post(url: str, token: str, body: bytes) -> None:
            headers = {"Content-Type": "application/json", "X-Line-Signature": sign(body)}
            sent_at = time.time()
            status = 0
            try:
                async with session.post(url + "/callback", data=body, headers=headers) as resp:
                    await resp.read()
                    status = resp.status
            except (TimeoutError, aiohttp.ClientError):
                status = 0
            sent[token] = (sent_at, status)

        loop = asyncio.get_running_loop()
        start = loop.time()
        tasks = []
        for i, (token, body) in enumerate(bodies):
            delay = start + i / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(post(urls[i % len(urls)], token, body)))
        sent["__send_seconds__"] = (loop.time() - start, 0)  # the send phase only
        await asyncio.gather(*tasks)
    return sent


def run_step(servers: Servers, questions: list[str], rate: float, seconds: float,
             start_index: int = 0) -> dict:
    """One fixed-rate step over every host of `servers`: the events sent, and when."""
    count = max(1, int(rate * seconds))
    bodies = []
    for i in range(count):
        token = uuid.uuid4().hex
        user = "U" + hashlib.md5(f"user{start_index + i}".encode()).hexdigest()
        bodies.append((token, text_event_body(questions[(start_index + i) % len(questions)],
                                              token, user)))
    sent = asyncio.run(_send_all(servers.urls, bodies, rate, timeout=10.0))
    send_seconds = sent.pop("__send_seconds__")[0]
    # The last send is scheduled at (count - 1) / rate, so that is the time a perfect sender takes.
    achieved = (count - 1) / send_seconds if count > 1 and send_seconds > 0 else float(rate)
    return {"rate": rate, "count": count, "sent": sent, "achieved_rate": achieved}


def sweep(servers: Servers, questions: list[str], rates, base_rates: int = 1,
          step_seconds: float = 3.0, base_seconds: float = 10.0, warmup_seconds: float = 1.0,
          drain_seconds: float = DRAIN_SECONDS) -> dict:
    """Open-loop steps at `rates` in order: the first `base_rates` for `base_seconds` each (the
    p50/p99 figures), the rest for `step_seconds`, with a drain after each. Stops at the first
    step with p99 >= 200 ms or any failure; `max_rate` is the last step before it.

    A failure is a non-200 answer, a timeout, or no reply at the fake after the drain. A step
    the load generator could not send at 90% of its rate also ends the sweep
    (`sender_limited`): the figure is then a floor, not the server's ceiling.
    """
    steps, best, sender_limited = [], 0, False
    # Warm every worker's engine outside the measured window.
    run_step(servers, questions, rate=20, seconds=warmup_seconds, start_index=10_000_000)
    time.sleep(warmup_seconds)
    for n, rate in enumerate(rates):
        seconds = base_seconds if n < base_rates else step_seconds
        step = run_step(servers, questions, rate, seconds, start_index=n * 100_000)
        time.sleep(drain_seconds)
        record = step_record(step, servers.replies())
        steps.append(record)
        if record["failures"] or record["p99_ms"] >= P99_LIMIT_MS:
            break
        if record["achieved_rate"] < 0.9 * rate:
            sender_limited = True
            break
        best = rate
    return {"steps": steps, "max_rate": best, "sender_limited": sender_limited}


def webhook_figures(db: Path, work: Path, questions: list[str], rates=DEFAULT_RATES,
                    step_seconds: float = 3.0, base_seconds: float = 10.0,
                    warmup_seconds: float = 1.0, drain_seconds: float = DRAIN_SECONDS) -> dict:
    """(c): p50/p99 at the first rate (50 events/s, for `base_seconds`), then step rates up
    (`step_seconds` each, with a drain between) until p99 >= 200 ms or any event fails."""
    servers = Servers(db, Path(work) / "webhook").start()
    try:
        result = sweep(servers, questions, rates, step_seconds=step_seconds,
                       base_seconds=base_seconds, warmup_seconds=warmup_seconds,
                       drain_seconds=drain_seconds)
        worker_rss = servers.worker_rss_mb()
    finally:
        servers.stop()
    at_50 = result["steps"][0]
    return {"webhook_rate0": rates[0], "webhook_p50_ms": at_50["p50_ms"],
            "webhook_p99_ms": at_50["p99_ms"], "webhook_failures": at_50["failures"],
            "webhook_max_rate": result["max_rate"], "webhook_steps": result["steps"],
            "gunicorn_worker_rss_mb": [round(r, 1) for r in worker_rss]}


def step_record(step: dict, arrived: dict[str, float]) -> dict:
    """A step's figures: events, failures, the rate achieved, p50 and p99 latency (ms)."""
    latencies, failures = [], 0
    for token, (sent_at, status) in step["sent"].items():
        if status != 200 or token not in arrived:
            failures += 1
        else:
            latencies.append((arrived[token] - sent_at) * 1000)
    summary = summarize(latencies)
    return {"rate": step["rate"], "events": step["count"], "failures": failures,
            "achieved_rate": round(step["achieved_rate"], 1),
            "p50_ms": summary["p50"], "p99_ms": summary["p99"]}
