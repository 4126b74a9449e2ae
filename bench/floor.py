"""How low lint's time per message could go, against compat32, in one run.

    python bench/floor.py                 # the repository's fixtures
    python bench/floor.py --small         # 400 generated small messages

Rows, microseconds per message (best of several interleaved rounds, each
round starting from a collected heap, as in bench/run.py):

- ``compat32 parse+decode``: the standard library baseline of bench/run.py.
- ``mimelint parse``: the parser alone (every part found, nothing decoded).
- ``rules, all caches warm``: every rule run again on messages it has
  already linted, so every lazily decoded value and every per-message
  cache already exists: the rules' own logic, with nothing left to build.
- ``74 calls that do nothing``: the engine's loop calling a function that
  returns an empty tuple once per rule: the cost of having rules at all.
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
from collections.abc import Callable, Iterable
from email import policy
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import small_messages

import mimelint
from mimelint.mime.parse import parse
from mimelint.mime.tree import Message
from mimelint.profile import PROFILES
from mimelint.registry import load_rules
from mimelint.rule import Context, Problem

ROOT = Path(__file__).resolve().parent.parent


def _compat32(data: bytes) -> None:
    message = email.message_from_bytes(data, policy=policy.compat32)
    for part in message.walk():
        if not part.is_multipart():
            part.get_payload(decode=True)


def _nothing(message: Message, context: Context) -> Iterable[Problem]:
    return ()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true", help="generated small messages")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    if args.small:
        inputs = small_messages(400)
    else:
        inputs = [p.read_bytes() for p in sorted((ROOT / "fixtures").rglob("*.eml"))]
    rules = load_rules()
    context = Context(PROFILES["ses"])
    warm = [parse(data) for data in inputs]
    for message in warm:
        for r in rules:
            list(r.check(message, context) or ())

    def warm_rules() -> None:
        for message in warm:
            for r in rules:
                for _problem in r.check(message, context) or ():
                    pass

    def empty_calls() -> None:
        for message in warm:
            for _r in rules:
                for _problem in _nothing(message, context):
                    pass

    rows: dict[str, Callable[[], None]] = {
        "compat32 parse+decode": lambda: [_compat32(d) for d in inputs] and None,
        "mimelint parse": lambda: [parse(d).parts() for d in inputs] and None,
        "rules, all caches warm": warm_rules,
        f"{len(rules)} calls that do nothing": empty_calls,
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
