"""Benchmark mimelint against the standard library, in one run.

    python bench/run.py            # all sets
    python bench/run.py --quick    # fewer repeats, for a smoke run

Throughput is measured as the best of several repeats (least disturbed by
the machine), peak memory with tracemalloc in a separate pass (it slows
execution). Ratios compare against the standard library measured in the
same process, so they hold across machines better than raw numbers do.
"""

from __future__ import annotations

import argparse
import email
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from email import policy
from email.parser import BytesParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import large_message, small_messages

import mimelint

ROOT = Path(__file__).resolve().parent.parent


def _rate(size: int, count: int, seconds: float) -> str:
    return f"{size / seconds / 1e6:.1f} MB/s, {count / seconds:,.0f} msg/s"


def stdlib_compat32(data: bytes) -> None:
    """Parse with compat32 and transfer-decode every part."""
    msg = email.message_from_bytes(data, policy=policy.compat32)
    for part in msg.walk():
        if not part.is_multipart():
            part.get_payload(decode=True)


def stdlib_default(data: bytes) -> None:
    """Parse with policy.default and get_content() of every leaf."""
    msg = BytesParser(policy=policy.default).parsebytes(data)
    for part in msg.walk():
        if not part.is_multipart():
            try:
                part.get_content()
            except (KeyError, LookupError, ValueError):
                pass


def stdlib_regenerate(data: bytes) -> None:
    """The standard library's nearest thing to a fixer: re-generate for SMTP."""
    msg = BytesParser(policy=policy.default).parsebytes(data)
    msg.as_bytes(policy=policy.SMTP)


def mimelint_lint(data: bytes) -> None:
    mimelint.lint(data)


def mimelint_fix(data: bytes) -> None:
    from mimelint.fix import fix

    fix(data)


def best_time(func: Callable[[bytes], None], inputs: Sequence[bytes], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for data in inputs:
            func(data)
        times.append(time.perf_counter() - start)
    return min(times)


def peak_memory(func: Callable[[bytes], None], data: bytes) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    func(data)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


def startup(repeats: int) -> tuple[float, float]:
    small = sorted((ROOT / "fixtures" / "examples").glob("*.eml"))
    target = str(small[0]) if small else "-"
    exe = [sys.executable, "-m", "mimelint", "check", "--no-color", target]

    def median(cmd: list[str]) -> float:
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, check=False)
            runs.append(time.perf_counter() - start)
        return statistics.median(runs)

    lint_time = median(exe)
    if lint_time and subprocess.run(exe, check=False, capture_output=True).returncode == 2:
        exe.remove("--no-color")
        lint_time = median(exe)
    return lint_time, median([sys.executable, "-c", "import email"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeats = 2 if args.quick else 5

    fixtures = [p.read_bytes() for p in sorted((ROOT / "fixtures").rglob("*.eml"))]
    big = [large_message()]
    small = small_messages(400 if args.quick else 2000)
    sets = [
        (f"fixtures ({len(fixtures)} files)", fixtures),
        (f"10 MB message ({len(big[0]):,} bytes)", big),
        (f"small messages ({len(small)})", small),
    ]
    print(f"Python {sys.version.split()[0]}, mimelint {mimelint.__version__}\n")
    print(
        "| set | compat32 parse+decode | default parse+get_content | mimelint lint | lint vs compat32 |"
    )
    print("|---|---|---|---|---|")
    for name, inputs in sets:
        size = sum(map(len, inputs))
        c32 = best_time(stdlib_compat32, inputs, repeats)
        dflt = best_time(stdlib_default, inputs, repeats)
        ours = best_time(mimelint_lint, inputs, repeats)
        rates = [_rate(size, len(inputs), t) for t in (c32, dflt, ours)]
        print(f"| {name} | {' | '.join(rates)} | {c32 / ours:.2f}x |")

    print("\n| fix path | stdlib as_bytes(policy.SMTP) | mimelint fix | fix vs stdlib |")
    print("|---|---|---|---|")
    for name, inputs in sets[1:]:
        std = best_time(stdlib_regenerate, inputs, repeats)
        ours = best_time(mimelint_fix, inputs, repeats)
        print(f"| {name} | {std:.3f} s | {ours:.3f} s | {std / ours:.2f}x |")

    data = big[0]
    print("\n| peak memory on the 10 MB message | bytes | x message size |")
    print("|---|---|---|")
    for label, func in (
        ("compat32 parse+decode", stdlib_compat32),
        ("mimelint lint", mimelint_lint),
        ("mimelint fix", mimelint_fix),
    ):
        peak = peak_memory(func, data)
        print(f"| {label} | {peak:,} | {peak / len(data):.2f} |")

    lint_s, import_s = startup(7 if args.quick else 21)
    print("\n| start-up | median wall time | ratio |")
    print("|---|---|---|")
    print(f"| `python -c 'import email'` | {import_s * 1000:.0f} ms | 1.00 |")
    print(f"| `mimelint check` one small file | {lint_s * 1000:.0f} ms | {lint_s / import_s:.2f} |")


if __name__ == "__main__":
    main()
