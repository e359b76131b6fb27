"""The fake LINE platform in a process of its own, for the webhook benchmark.

`python -m bench.fakehost --out FILE` serves `linekit.fake.FakeLinePlatform` on 127.0.0.1,
prints its URL, and on SIGUSR1 (and at SIGTERM) writes every request it received so far as JSON
lines (`reply_token`, `received_at` as `time.time()`, `status`, `path`, the first message's
`text`) to FILE, atomically. A process of its own
so that the load generator's event loop does not slow down the receiving side, and the reverse.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading

from linekit.fake import FakeLinePlatform


def main(argv: list[str] | None = None) -> int:
    """Serve until SIGTERM, then dump the received replies."""
    parser = argparse.ArgumentParser(prog="python -m bench.fakehost")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--out", required=True, help="JSON-lines file written on SIGTERM")
    args = parser.parse_args(argv)
    stop = threading.Event()
    dump = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGUSR1, lambda *_: dump.set())
    fake = FakeLinePlatform(port=args.port).start()
    print(fake.url, flush=True)
    try:
        while not stop.wait(0.05):
            if dump.is_set():
                dump.clear()
                _dump(fake.requests, args.out)
    finally:
        _dump(fake.requests, args.out)
        fake.stop()
    return 0


def _dump(records, path: str) -> None:
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        for record in records:
            messages = record.messages
            text = messages[0].get("text", "") if messages and isinstance(messages[0], dict) else ""
            out.write(json.dumps({"path": record.path, "reply_token": record.reply_token,
                                  "received_at": record.received_at, "status": record.status,
                                  "text": (text or "")[:300]}, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main())
