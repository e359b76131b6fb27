"""Cold start and memory of one answering process, run as `python -m bench.probe DB QUESTIONS`.

Prints one line as soon as the first answer is ready (the parent times process start -> that
line), then answers the rest of the questions and prints a JSON line with the process's
resident memory (VmRSS, VmHWM) with the index loaded and warm.
"""

from __future__ import annotations

import json
import sys
import time


def main(argv: list[str] | None = None) -> int:
    """Load the engine, answer the first question, report, answer the rest, report memory."""
    argv = sys.argv[1:] if argv is None else argv
    db, questions_file = argv[0], argv[1]
    started = time.perf_counter()
    from bot.answer import Engine

    with open(questions_file, encoding="utf-8") as f:
        questions = json.load(f)
    engine = Engine(db)
    loaded = time.perf_counter()
    engine.answer(questions[0])
    answered = time.perf_counter()
    print(json.dumps({"first_answer": True, "import_and_load_s": round(loaded - started, 3),
                      "first_answer_s": round(answered - loaded, 4)}), flush=True)
    for question in questions[1:]:
        engine.answer(question)
    status = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                status[key] = int(value.split()[0]) / 1024
    print(json.dumps({"rss_mb": round(status.get("VmRSS", 0), 1),
                      "hwm_mb": round(status.get("VmHWM", 0), 1)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
