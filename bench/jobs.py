"""Where does the process pool (``-j``) start paying off?

    python bench/jobs.py                       # default sizes, 5 rounds
    python bench/jobs.py --sizes 8,32,128 --rounds 3 --jobs 2

For each number of files, runs the real command line (``python -m mimelint
check DIR``, a fresh interpreter each time, as pre-commit does) with ``-j1``
and with ``-jN``, alternating the two contenders within every round so that
a disturbance of the machine hits both alike, and keeps the best wall time
of each. The messages are the small generated ones of ``generate.py``
(about 2 kB each). The threshold in ``mimelint.runner`` is the smallest
batch from which the pool is not slower.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import small_messages


def _time(directory: Path, jobs: int) -> float:
    command = [sys.executable, "-m", "mimelint", "check", "--no-config", f"-j{jobs}", "-q"]
    start = time.perf_counter()
    done = subprocess.run(
        [*command, str(directory)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):  # a broken install must not pass for a fast one
        raise SystemExit(f"mimelint failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="4,8,16,32,64,128,256,512")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    messages = small_messages(max(sizes))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, best of {args.rounds} rounds")
    print(f"{'files':>6} {'-j1 ms':>8} {f'-j{args.jobs} ms':>8} {'pool/serial':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            directory = Path(tmp) / str(size)
            directory.mkdir()
            for n, data in enumerate(messages[:size]):
                (directory / f"m{n:05d}.eml").write_bytes(data)
            best = {1: float("inf"), args.jobs: float("inf")}
            for round_ in range(args.rounds):
                # Alternate which contender goes first.
                order = [1, args.jobs] if round_ % 2 == 0 else [args.jobs, 1]
                for jobs in order:
                    best[jobs] = min(best[jobs], _time(directory, jobs))
            serial, pool = best[1] * 1000, best[args.jobs] * 1000
            print(f"{size:>6} {serial:>8.0f} {pool:>8.0f} {pool / serial:>11.2f}")


if __name__ == "__main__":
    main()
