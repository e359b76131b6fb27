"""gunicorn's settings hooks for the web process (the Procfile runs `--config python:bot.gunicorn_conf`).

- `on_starting`: the master refuses to start when there is no index at PLANBOT_DB (one line
  on stderr naming the path and the command that builds it, exit status 1), unless
  PLANBOT_BUILD_INDEX is on: then it builds one from the corpus first (`python -m index
  rebuild`, in its own process so the master stays small). A bot started without an index
  would only apologise.
- `child_exit`: when a worker dies (kill -9, the OOM killer, gunicorn's own timeout, a
  deploy), the master frees the events that worker had leased from the journal
  (`journal_release`), so another worker answers them at once instead of after the lease
  runs out (the lease is the backstop, e.g. when a whole host dies).
- `post_worker_init`: a new worker lets all but one of its request threads answer their
  own events (`Runtime.fit_inline_to`, unless PLANBOT_INLINE is set), starts its journal
  threads at once, so it takes up events left by the dead one even before LINE sends it
  anything, and loads the index (`EngineCache.warm`) before it serves, so every worker's
  /healthz says the same thing and the first message does not wait for the load.

No access log: a line per webhook costs every event CPU and says nothing the bot's counts
(/metrics) don't; `GUNICORN_CMD_ARGS="--access-logfile -"` turns it back on.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path


def on_starting(server) -> None:
    """Refuse to start without an index, or build one first (runs once, in the master)."""
    from bot.config import ConfigError, load_config
    from bot.reload import startup_problem
    from index.paths import PROJECT

    try:
        config = load_config()
    except ConfigError as error:
        _refuse(f"planbot: {error}")
    db = Path(config["PLANBOT_DB"]).resolve()
    problem = startup_problem(db)
    if problem is None:
        return
    command = f"python -m index rebuild --db {db}"
    if config["PLANBOT_BUILD_INDEX"] and not db.exists():
        server.log.info("no index at %s: building one from the corpus (PLANBOT_BUILD_INDEX)", db)
        built = subprocess.run([sys.executable, "-m", "index", "rebuild", "--db", str(db)],
                               cwd=PROJECT, check=False)
        problem = startup_problem(db)
        if built.returncode == 0 and problem is None:
            return
        _refuse(f"planbot: could not build the index at {db} ({command} exited "
                f"{built.returncode}; its message is above)")
    _refuse(f"planbot: not starting: {problem}; build it with: {command} "
            "(or set PLANBOT_BUILD_INDEX=1 to build it from the corpus at start)")


def _refuse(line: str) -> None:
    """One line on stderr, then exit status 1 (the master stops before any worker starts)."""
    print(line, file=sys.stderr, flush=True)
    raise SystemExit(1)


def child_exit(server, worker) -> None:
    """Release the dead worker's journal leases (runs in the master)."""
    from bot.config import load_config
    from bot.state import open_state, worker_name

    store = None
    try:
        store = open_state(load_config())
        released = store.journal_release(worker_name(worker.pid))
    except Exception as error:  # the master must survive a broken state store
        server.log.error("journal: could not release worker %s's events: %s", worker.pid, error)
        return
    finally:
        if store is not None:
            with contextlib.suppress(Exception):
                store.close()
    if released:
        server.log.warning(
            "journal: worker %s exited holding %d event(s); released for the other workers",
            worker.pid,
            released,
        )


def post_worker_init(worker) -> None:
    """Start the new worker's journal threads (sweeper, pool) and load its index before its
    first request."""
    runtime = getattr(getattr(worker, "wsgi", None), "extensions", {}).get("planbot")
    if runtime is not None:
        runtime.fit_inline_to(worker.cfg.threads)
        runtime.start()
        cache = runtime.engine_cache()
        if cache is not None:
            cache.warm()
