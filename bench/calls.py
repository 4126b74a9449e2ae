"""How often the walk calls each rule, and how often a call finds something.

    python bench/calls.py               # 400 generated small messages
    python bench/calls.py --fixtures    # the repository's fixtures
    python bench/calls.py --top 20      # the rules called most, with their hits

A count, not a timing: it is the same on every machine. Each default rule's
check is wrapped to count its calls, and the walk runs as ``lint`` runs it,
so a rule skipped by what it visits or by the facts it requires is not
counted. A call "finds something" when it returns at least one problem.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import small_messages

from mimelint.lint import run_rules
from mimelint.mime.parse import parse
from mimelint.plan import Walk
from mimelint.profile import PROFILES
from mimelint.registry import load_rules
from mimelint.rule import Context

ROOT = Path(__file__).resolve().parent.parent


def _counted(
    check: Callable[..., Any], code: str, calls: Counter[str], hits: Counter[str]
) -> Callable[..., Any]:
    def wrapper(*args: object) -> Any:
        calls[code] += 1
        found = check(*args)
        if found:
            found = list(found)
            if found:
                hits[code] += 1
        return found

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fixtures", action="store_true")
    parser.add_argument("--top", type=int, default=0)
    args = parser.parse_args()
    if args.fixtures:
        inputs = [p.read_bytes() for p in sorted((ROOT / "fixtures").rglob("*.eml"))]
    else:
        inputs = small_messages(400)
    calls: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    rules = [r for r in load_rules() if r.default_enabled]
    walk = Walk([r.replace(check=_counted(r.check, r.code, calls, hits)) for r in rules])
    context = Context(PROFILES["ses"])
    for data in inputs:
        run_rules(parse(data), walk, context)
    n = len(inputs)
    print(
        f"{n} messages: {sum(calls.values()) / n:.2f} rule calls per message, "
        f"{len(calls)} of {len(rules)} rules called at all"
    )
    for code, count in calls.most_common(args.top or None):
        print(f"{code} {count / n:.2f} calls per message, finding something {hits[code]} times")


if __name__ == "__main__":
    main()
