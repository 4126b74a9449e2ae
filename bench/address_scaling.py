"""N-doubling for address fields: lint time as one To: grows, per shape.

    python bench/address_scaling.py            # N = 1000, 2000, 4000, 8000
    python bench/address_scaling.py --rules M4  # only the address rules

A linear cost doubles with N; a quadratic one quadruples. Each row is the
best of several runs (a loaded machine adds noise, never removes it), and
the last column is the ratio of the largest N to the one before it.
"""

from __future__ import annotations

import argparse
import gc
import time

import mimelint

#: One To: of N list elements, by shape.
SHAPES = {
    "simple": "u{n}@example.com",
    "named": "User {n} <u{n}@example.com>",
    "comments": "User {n} <u{n}@example.com> (c)",
    "no-domain": "user{n}",
    "encoded-names": "=?utf-8?q?Empf=C3=A4nger_{n}?=",
    "obsolete-phrase": "J. {n} <u{n}@example.com>",
    "non-ascii-domain": "u{n}@bücher.example",
}


def message(item: str, n: int) -> bytes:
    value = ",\r\n ".join(item.format(n=k) for k in range(n))
    return b"From: a@example.com\r\nTo: " + value.encode() + b"\r\nSubject: x\r\n\r\nhi\r\n"


def best_seconds(raw: bytes, select: list[str] | None, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        mimelint.lint(raw, select=select)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rules", help="a --select prefix, e.g. M4 (default: all rules)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sizes", default="1000,2000,4000,8000")
    args = parser.parse_args()
    select = [args.rules] if args.rules else None
    sizes = [int(s) for s in args.sizes.split(",")]
    print("shape", *(f"N={n} ms" for n in sizes), "last ratio", sep="\t")
    for shape, item in SHAPES.items():
        times = [best_seconds(message(item, n), select, args.repeats) for n in sizes]
        ratio = times[-1] / times[-2] if len(times) > 1 and times[-2] else float("nan")
        print(shape, *(f"{t * 1000:.1f}" for t in times), f"{ratio:.1f}", sep="\t")


if __name__ == "__main__":
    main()
