"""How low lint's time per message could go, against compat32, in one run.

    python bench/floor.py                 # the repository's fixtures
    python bench/floor.py --small         # 400 generated small messages

Rows, microseconds per message (best of several interleaved rounds, each
round starting from a collected heap, as in bench/run.py):

- ``compat32 parse+decode``: the standard library baseline of bench/run.py.
- ``mimelint parse``: the parser alone (every part found, nothing decoded).
- ``rules, all facts warm``: the engine's walk run again on messages it
  has already linted, so every lazily computed fact already exists: the
  walk and the rules' own logic, with nothing left to build.
- ``the walk, every check empty``: the same walk with every check replaced
  by one that returns None, called exactly where the real ones are: the
  cost of having rules at all.
- ``mimelint lint``: all of it, as users call it.

A target of "lint at N times compat32" is out of reach whenever the parser
alone, or the warm rules alone, already take more than compat32 / N.
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
from mimelint.lint import run_rules
from mimelint.mime.parse import parse
from mimelint.plan import Walk
from mimelint.profile import PROFILES
from mimelint.registry import load_rules
from mimelint.rule import Context

ROOT = Path(__file__).resolve().parent.parent


def _compat32(data: bytes) -> None:
    message = email.message_from_bytes(data, policy=policy.compat32)
    for part in message.walk():
        if not part.is_multipart():
            part.get_payload(decode=True)


def _nothing(*args: object) -> None:
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true", help="generated small messages")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    if args.small:
        inputs = small_messages(400)
    else:
        inputs = [p.read_bytes() for p in sorted((ROOT / "fixtures").rglob("*.eml"))]
    rules = [r for r in load_rules() if r.default_enabled]
    walk = Walk(rules)
    empty = Walk([r.replace(check=_nothing) for r in rules])
    context = Context(PROFILES["ses"])
    warm = [parse(data) for data in inputs]
    for message in warm:
        run_rules(message, walk, context)

    def warm_rules() -> None:
        for message in warm:
            run_rules(message, walk, context)

    def empty_calls() -> None:
        for message in warm:
            run_rules(message, empty, context)

    rows: dict[str, Callable[[], None]] = {
        "compat32 parse+decode": lambda: [_compat32(d) for d in inputs] and None,
        "mimelint parse": lambda: [parse(d).parts() for d in inputs] and None,
        "rules, all facts warm": warm_rules,
        "the walk, every check empty": empty_calls,
        "mimelint lint": lambda: [mimelint.lint(d) for d in inputs] and None,
    }
    best = dict.fromkeys(rows, float("inf"))
    for _ in range(args.rounds):
        for name, func in rows.items():
            gc.collect()
            start = time.perf_counter()
            func()
            best[name] = min(best[name], time.perf_counter() - start)
    scale = 1e6 / len(inputs)
    baseline = best["compat32 parse+decode"]
    print(f"{len(inputs)} messages, {len(rules)} rules, best of {args.rounds} rounds")
    print("| row | us per message | x compat32's time |")
    print("|---|---|---|")
    for name, seconds in best.items():
        print(f"| {name} | {seconds * scale:.1f} | {seconds / baseline:.2f} |")


if __name__ == "__main__":
    main()
