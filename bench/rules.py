"""Where lint time goes: microseconds per message for the parser and each rule.

    python bench/rules.py                 # 400 generated small messages
    python bench/rules.py --large         # the 10 MB message
    python bench/rules.py --fixtures      # the repository's fixtures

Each rule runs on a fresh parse, in registry order, best of several repeats,
through the engine's walk (:func:`mimelint.lint.run_rules`), so a rule
that visits parts or fields is called only where it declared.
A rule's time includes the first use of any lazily decoded value it is the
first to ask for (a payload, a parsed Content-Type), so compare totals and
look at the top of the list, not at one rule in isolation.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import large_message, small_messages

from mimelint.lint import run_rules
from mimelint.mime.parse import parse
from mimelint.plan import Walk
from mimelint.profile import PROFILES
from mimelint.registry import load_rules
from mimelint.rule import Context

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--large", action="store_true")
    group.add_argument("--fixtures", action="store_true")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    if args.large:
        inputs = [large_message()]
    elif args.fixtures:
        inputs = [p.read_bytes() for p in sorted((ROOT / "fixtures").rglob("*.eml"))]
    else:
        inputs = small_messages(400)
    rules = load_rules()
    alone = [(r, Walk((r,))) for r in rules]  # one plan per rule, made once
    context = Context(PROFILES["ses"], None, ())
    best: dict[str, float] = defaultdict(lambda: float("inf"))
    clock = time.perf_counter
    for _ in range(args.repeats):
        spent: dict[str, float] = defaultdict(float)
        for data in inputs:
            start = clock()
            message = parse(data)
            message.parts()
            spent["(parse)"] += clock() - start
            for r, selection in alone:
                start = clock()
                run_rules(message, selection, context)
                spent[r.code] += clock() - start
        for code, seconds in spent.items():
            best[code] = min(best[code], seconds)
    scale = 1e6 / len(inputs)
    total = sum(v for k, v in best.items() if k != "(parse)")
    print(f"{len(inputs)} messages, {len(rules)} rules, best of {args.repeats}; us per message")
    print(f"(parse) {best['(parse)'] * scale:.1f}")
    print(f"(all rules) {total * scale:.1f}")
    ranked = sorted(((v, k) for k, v in best.items() if k != "(parse)"), reverse=True)
    for seconds, code in ranked[: args.top]:
        print(f"{code} {seconds * scale:.1f}")


if __name__ == "__main__":
    main()
