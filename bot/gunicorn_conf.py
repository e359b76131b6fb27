"""gunicorn's settings hooks for the web process (the Procfile runs `--config python:bot.gunicorn_conf`).

- `child_exit`: when a worker dies (kill -9, the OOM killer, gunicorn's own timeout, a
  deploy), the master frees the events that worker had leased from the journal
  (`journal_release`), so another worker answers them at once instead of after the lease
  runs out (the lease is the backstop, e.g. when a whole host dies).
- `post_worker_init`: a new worker starts its journal threads at once, so it takes up
  events left by the dead one even before LINE sends it anything.

No access log: a line per webhook costs every event CPU and says nothing the bot's counts
(/metrics) don't; `GUNICORN_CMD_ARGS="--access-logfile -"` turns it back on.
"""

from __future__ import annotations

import contextlib


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
    """Start the new worker's journal threads (sweeper, pool) before its first request."""
    runtime = getattr(getattr(worker, "wsgi", None), "extensions", {}).get("planbot")
    if runtime is not None:
        runtime.start()
