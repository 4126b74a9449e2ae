"""Benchmark mimelint against the standard library, in one run.

    python bench/run.py            # all sets
    python bench/run.py --quick    # fewer repeats, for a smoke run
    python bench/run.py --startup  # the start-up table alone

Throughput is measured as the best of several repeats (least disturbed by
the machine), peak memory with tracemalloc in a separate pass (it slows
execution). Ratios compare against the standard library measured in the
same process, so they hold across machines better than raw numbers do.
"""

from __future__ import annotations

import argparse
import email
import gc
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import tomllib
import tracemalloc
from collections.abc import Callable, Sequence
from email import policy
from email.parser import BytesParser
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import large_message, small_messages
from scaling import addresses, parts, subject_one_line, words_in_address

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


def mimelint_parse(data: bytes) -> None:
    """The parser alone, with every leaf's payload and text decoded (no rules)."""
    for part in mimelint.parse(data).parts():
        if part.is_leaf:
            part.text if part.maintype == "text" else part.payload  # noqa: B018


def mimelint_lint(data: bytes) -> None:
    mimelint.lint(data)


def mimelint_fix(data: bytes) -> None:
    result = mimelint.fix(data)
    assert result.refused is None, result.refused  # a refused fix would measure nothing


def best_times(
    funcs: Sequence[Callable[[bytes], None]], inputs: Sequence[bytes], repeats: int
) -> list[float]:
    """The best wall time of each function over ``inputs``, repeats interleaved.

    Each round times every function once, in turn, so a noisy moment on a
    shared machine hits all contenders alike instead of one function's runs.
    Each run starts from a collected heap, so no contender pays for another's
    garbage (the standard library's parser leaves reference cycles). What a
    run leaves uncollected at its end is not timed: that favours compat32,
    whose cycles are the ones left, and a collection inside the timing
    would add the cost of traversing the whole heap to every run.
    """
    best = [float("inf")] * len(funcs)
    for _ in range(repeats):
        for i, func in enumerate(funcs):
            gc.collect()
            start = time.perf_counter()
            for data in inputs:
                func(data)
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def peak_memory(func: Callable[[bytes], None], data: bytes) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    func(data)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


def regular_install(where: Path) -> Path:
    """Install this working tree into a throwaway venv under ``where`` the way
    ``pip install mimelint`` or pre-commit does (not editable, bytecode
    compiled by pip), and return the venv's directory.

    The tree is copied first (setuptools leaves ``build/`` in the tree it
    builds, and a stale module there would be installed too). The
    dependencies are copied from the running environment's installed
    distributions, files and bytecode as pip left them, so the bench needs
    no index and no network for them.
    """
    src = where / "src"
    shutil.copytree(
        ROOT,
        src,
        ignore=shutil.ignore_patterns(
            ".git", "build", "dist", "*.egg-info", "__pycache__", ".*cache", "fixtures", "tests"
        ),
    )
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
    done = subprocess.run([*pip, "--no-deps", str(src)], capture_output=True, check=False, env=env)
    if done.returncode != 0:
        raise SystemExit(f"pip install {src} failed: {done.stderr.decode()[-500:]}")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    for requirement in project["dependencies"]:
        name = re.split(r"[ ;<>=!~\[]", requirement, maxsplit=1)[0]
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise SystemExit(f"{name} (a dependency of mimelint) is not installed here") from None
        for file in dist.files or []:
            if file.parts[0] == "..":  # a console script; not needed
                continue
            (site / file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(dist.locate_file(file), site / file)
    return venv


def startup(repeats: int, rounds: int) -> list[tuple[str, list[float], list[float], list[float]]]:
    """``mimelint check`` on one small clean file against ``python -c
    "import email"``, for a regular install of this tree (issue 14's target:
    what pip and pre-commit give users) and for the running environment
    (usually the editable install of development, whose ``.pth`` finder
    imports ``re``, ``pathlib`` and ``importlib.util`` inside the ``import
    email`` baseline too: kept for continuity with earlier figures).

    The commands run in a temporary directory, where no configuration file
    applies (a pyproject.toml is read to see whether it configures mimelint).
    Each round runs the four commands in turn ``repeats`` times and takes
    each one's median wall time; returns per install the label, and per
    round the ratio, mimelint's and ``import email``'s median times in ms.
    """
    target = str(ROOT / "fixtures" / "examples" / "clean.eml")
    # Measure what an installed mimelint costs: with its modules' bytecode
    # cached, as pip leaves them. With PYTHONDONTWRITEBYTECODE set (some CI
    # images set it) every run would recompile our sources and the standard
    # library would not pay the same (its bytecode ships compiled).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NO_COLOR"] = "1"
    with tempfile.TemporaryDirectory(prefix="mimelint-bench-") as tmp:
        venv = regular_install(Path(tmp))
        script = Path(sys.executable).with_name("mimelint")
        here = [str(script)] if script.exists() else [sys.executable, "-m", "mimelint"]
        pairs = [
            (
                "regular install (pip install, not editable)",
                [str(venv / "bin" / "mimelint")],
                str(venv / "bin" / "python"),
            ),
            ("this environment (editable in development)", here, sys.executable),
        ]
        commands: list[list[str]] = []
        for _, exe, python in pairs:
            # The first run writes any bytecode cache still missing; not timed.
            check = subprocess.run(
                [*exe, "check", target], capture_output=True, check=False, env=env, cwd=tmp
            )
            if check.returncode != 0:
                raise SystemExit(f"mimelint check {target} failed: {check.stderr.decode()[-300:]}")
            commands += [[*exe, "check", target], [python, "-c", "import email"]]
        ratios: list[list[float]] = [[] for _ in pairs]
        times: list[list[float]] = [[] for _ in pairs]
        base: list[list[float]] = [[] for _ in pairs]
        for _ in range(rounds):
            runs: list[list[float]] = [[] for _ in commands]
            for _ in range(repeats):
                for i, cmd in enumerate(commands):
                    start = time.perf_counter()
                    subprocess.run(
                        cmd,
                        stdin=subprocess.DEVNULL,
                        capture_output=True,
                        check=False,
                        env=env,
                        cwd=tmp,
                    )
                    runs[i].append(time.perf_counter() - start)
            medians = [statistics.median(r) for r in runs]
            for j in range(len(pairs)):
                ratios[j].append(medians[2 * j] / medians[2 * j + 1])
                times[j].append(medians[2 * j] * 1000)
                base[j].append(medians[2 * j + 1] * 1000)
    return [(label, ratios[j], times[j], base[j]) for j, (label, _, _) in enumerate(pairs)]


def mixed_traffic(small: Sequence[bytes]) -> list[bytes]:
    """A set like real traffic: mostly small messages, a few with large
    attachments, a few hostile ones (a long Subject, an address field of
    encoded-words, many addresses, many parts), in a fixed interleaving."""
    out = list(small[:600])
    heavy = [large_message(size, seed=10 + i) for i, size in enumerate((1 << 20, 2 << 20, 3 << 20))]
    hostile = [subject_one_line(20_000), words_in_address(1_000), addresses(2_000), parts(1_000)]
    for i, data in enumerate(heavy + hostile):
        out.insert((i + 1) * len(out) // 8, data)
    return out


def print_startup(quick: bool) -> None:
    """The start-up table: ratios for a regular and the running install."""
    print(
        "\n| start-up: `mimelint check` one small file vs `python -c 'import email'` "
        "| ratio, median of rounds | range over rounds | mimelint, ms | import email, ms |"
    )
    print("|---|---|---|---|---|")
    rounds = 2 if quick else 3
    for label, ratios, ms, email_ms in startup(7 if quick else 21, rounds):
        print(
            f"| {label} | {statistics.median(ratios):.2f}x | {min(ratios):.2f}x-{max(ratios):.2f}x "
            f"| {statistics.median(ms):.0f} | {statistics.median(email_ms):.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--startup", action="store_true", help="measure start-up only")
    args = parser.parse_args()
    repeats = 2 if args.quick else 5
    if args.startup:
        print_startup(args.quick)
        return

    fixtures = [p.read_bytes() for p in sorted((ROOT / "fixtures").rglob("*.eml"))]
    big = [large_message()]
    small = small_messages(400 if args.quick else 2000)
    mixed = mixed_traffic(small)
    sets = [
        (f"fixtures ({len(fixtures)} files)", fixtures),
        (f"10 MB message ({len(big[0]):,} bytes)", big),
        (f"small messages ({len(small)})", small),
        (f"mixed traffic ({len(mixed)} messages, 3 large, 4 hostile)", mixed),
    ]
    print(f"Python {sys.version.split()[0]}, mimelint {mimelint.__version__}, {platform.machine()}")
    print(f"best of {repeats} interleaved runs per cell; ratios > 1 mean mimelint is faster\n")
    print(
        "| set | compat32 parse+decode | default parse+get_content "
        "| mimelint parse+decode | mimelint lint (all rules) | parse vs compat32 "
        "| lint vs compat32 |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, inputs in sets:
        size = sum(map(len, inputs))
        c32, dflt, parsed, ours = best_times(
            [stdlib_compat32, stdlib_default, mimelint_parse, mimelint_lint], inputs, repeats
        )
        rates = [_rate(size, len(inputs), t) for t in (c32, dflt, parsed, ours)]
        print(f"| {name} | {' | '.join(rates)} | {c32 / parsed:.2f}x | {c32 / ours:.2f}x |")

    # The fix path, on clean input (lint, nothing to do) and on input where
    # every message needs re-encoding (raw UTF-8 subjects and 8bit bodies),
    # so the edits and the proof's re-parse are measured too.
    dirty_big = [large_message(eight_bit=True)]
    dirty_small = small_messages(400 if args.quick else 2000, eight_bit=True)
    fix_sets = [
        *sets[1:3],
        (f"10 MB message, 8-bit ({len(dirty_big[0]):,} bytes, fixed)", dirty_big),
        (f"small messages, 8-bit ({len(dirty_small)}, every one fixed)", dirty_small),
    ]
    print("\n| fix path | stdlib as_bytes(policy.SMTP) | mimelint fix | fix vs stdlib |")
    print("|---|---|---|---|")
    for name, inputs in fix_sets:
        std, ours = best_times([stdlib_regenerate, mimelint_fix], inputs, repeats)
        print(f"| {name} | {std:.3f} s | {ours:.3f} s | {std / ours:.2f}x |")

    print("\n| peak memory (tracemalloc) | 10 MB message | x message size | x compat32 |")
    print("|---|---|---|---|")
    c32_peak = 0
    for label, func, data in (
        ("compat32 parse+decode", stdlib_compat32, big[0]),
        ("mimelint lint", mimelint_lint, big[0]),
        ("mimelint fix (clean)", mimelint_fix, big[0]),
        ("mimelint fix (8-bit, fixed)", mimelint_fix, dirty_big[0]),
    ):
        peak = peak_memory(func, data)
        c32_peak = c32_peak or peak
        print(f"| {label} | {peak:,} B | {peak / len(data):.2f} | {peak / c32_peak:.2f} |")

    print_startup(args.quick)


if __name__ == "__main__":
    main()
