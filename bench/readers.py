"""The cost of M901 (readers-disagree) per message, against compat32, in one run.

    python bench/readers.py               # the repository's fixtures
    python bench/readers.py --small       # 400 generated small messages

Rows, microseconds per message (best of five interleaved rounds):

- ``compat32 parse+decode``: the standard library baseline of bench/run.py.
- ``mimelint parse``: the parser alone.
- ``M901 on a parsed tree``: ``mimelint.readers.disagreements()``: the cheap
  facts, and the standard library's structure-only parse where they cannot
  rule a disagreement out.
- ``lint --select M901``: parse and M901, as a pipeline selecting it runs.

Also how many messages needed the standard library (cheap facts failed).

    python bench/readers.py --fix         # fix() of 300 small 8-bit messages

times ``mimelint.fix`` with the second reader and with it switched off (its
proof and the input check replaced by no-ops), in the same run.
"""

from __future__ import annotations

import argparse
import email
import gc
import sys
import time
from collections.abc import Callable
from email import policy
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import small_messages

import mimelint
from mimelint.mime.parse import parse
from mimelint.readers import disagreements, readers_may_disagree


def _compat32(data: bytes) -> None:
    msg = email.message_from_bytes(data, policy=policy.compat32)
    for part in msg.walk():
        if not part.is_multipart():
            part.get_payload(decode=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", action="store_true")
    ap.add_argument("--fix", action="store_true")
    args = ap.parse_args()
    if args.fix:
        fix_cost()
        return
    root = Path(__file__).resolve().parent.parent
    if args.small:
        messages = small_messages(400)
    else:
        messages = [p.read_bytes() for p in sorted((root / "fixtures").rglob("*.eml"))]
    trees = [parse(m) for m in messages]
    rows: dict[str, Callable[[], None]] = {
        "compat32 parse+decode": lambda: [_compat32(m) for m in messages] and None,
        "mimelint parse": lambda: [parse(m) for m in messages] and None,
        "M901 on a parsed tree": lambda: [disagreements(t) for t in trees] and None,
        "lint --select M901": lambda: (
            [mimelint.lint(m, select=["M901"]) for m in messages] and None
        ),
    }
    best = dict.fromkeys(rows, float("inf"))
    for _ in range(5):
        for name, run in rows.items():
            gc.collect()
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    base = best["compat32 parse+decode"]
    print(f"{len(messages)} messages")
    for name, seconds in best.items():
        per = seconds / len(messages) * 1e6
        print(f"{name:28s} {per:9.1f} us  {base / seconds:5.2f}x compat32 throughput")
    slow = sum(1 for t in trees if readers_may_disagree(t))
    found = sum(1 for t in trees if disagreements(t))
    print(f"stdlib parse needed: {slow} of {len(messages)}; disagreeing: {found}")


def fix_cost() -> None:
    from mimelint import fixer

    messages = small_messages(300, eight_bit=True)

    def best() -> float:
        seconds = float("inf")
        for _ in range(3):
            gc.collect()
            start = time.perf_counter()
            for m in messages:
                mimelint.fix(m)
            seconds = min(seconds, time.perf_counter() - start)
        return seconds / len(messages) * 1e6

    with_reader = best()
    fixer._Fixer.prove_stdlib = lambda self, new: None  # type: ignore[method-assign]
    fixer.disagreements = lambda message: []  # type: ignore[assignment]
    without = best()
    print(
        f"fix, 300 small 8-bit messages: {with_reader:.0f} us with the second reader, "
        f"{without:.0f} us without ({with_reader / without:.2f}x)"
    )


if __name__ == "__main__":
    main()
