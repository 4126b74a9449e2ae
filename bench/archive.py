"""Benchmark linting whole archives: an mbox and a tar.gz of generated messages.

    python bench/archive.py            # 20,000 messages, best of 3 rounds
    python bench/archive.py --quick    # 2,000 messages, 2 rounds (a smoke run)

Each contender is a separate process run on the same file, the contenders
alternating within a round: the standard library reading the container
(``mailbox.mbox`` or ``tarfile``) and parsing every message with
``policy.compat32``, decoding every leaf; ``mimelint check`` with ``-j1``,
``-j2`` and ``--engine dask -j2`` (a local cluster of two worker
processes, started by the run and counted in its time). Messages per second
are over the whole run, start-up included; the best round is reported with
the range over all rounds. Scaling efficiency is the rate with two workers
over twice the rate with one. Client peak memory is the maximum resident
set of the process that reads the archive and writes the report (the
workers are not counted), from ``VmHWM``. Messages per CPU-second divide
by the CPU time of every process of the run (client, workers, scheduler):
on a shared machine it moves less than wall time does.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import small_messages

import mimelint
from mimelint.sources import mbox_entry

#: Runs a command's main in this process and reports its own peak RSS (KiB) to a file.
_CLIENT = """
import atexit, sys
_PEAK_FILE = sys.argv[1]
def _peak():
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so it would
    # report the benchmark's own (parent's) size.
    with open("/proc/self/status") as status:
        kib = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(_PEAK_FILE, "w") as fh:
        fh.write(kib)
atexit.register(_peak)
sys.argv = sys.argv[2:]
{body}
"""
_MIMELINT = _CLIENT.format(body="from mimelint.cli import main\nmain()")
_STDLIB_MBOX = _CLIENT.format(
    body="""
import email, mailbox
from email import policy
n = 0
box = mailbox.mbox(sys.argv[0])
for key in box.iterkeys():
    msg = email.message_from_bytes(box.get_bytes(key), policy=policy.compat32)
    for part in msg.walk():
        if not part.is_multipart():
            part.get_payload(decode=True)
    n += 1
print(n)
"""
)
_STDLIB_TAR = _CLIENT.format(
    body="""
import email, tarfile
from email import policy
n = 0
with tarfile.open(sys.argv[0], "r|*") as archive:
    for info in archive:
        if not info.isreg():
            continue
        msg = email.message_from_bytes(archive.extractfile(info).read(), policy=policy.compat32)
        for part in msg.walk():
            if not part.is_multipart():
                part.get_payload(decode=True)
        n += 1
print(n)
"""
)


def build(directory: Path, count: int) -> tuple[Path, Path, int]:
    messages = small_messages(count)
    mbox = directory / "sent.mbox"
    with open(mbox, "wb") as fh:
        fh.writelines(mbox_entry(data) for data in messages)
    tgz = directory / "sent.tar.gz"
    with tarfile.open(tgz, "w:gz") as archive:
        for n, data in enumerate(messages):
            info = tarfile.TarInfo(f"sent/{n:06d}.eml")
            info.size = len(data)
            archive.addfile(info, BytesIO(data))
    size = sum(map(len, messages))
    del messages
    return mbox, tgz, size


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(script: str, args: list[str], peak_file: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (all processes) and client peak RSS (bytes) of one run."""
    command = [sys.executable, "-c", script, str(peak_file), *args]
    cpu = _cpu()
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - start
    cpu = _cpu() - cpu
    if done.returncode not in (0, 1):
        raise SystemExit(f"{args}: exit {done.returncode}: {done.stderr.decode()[-2000:]}")
    return seconds, cpu, int(peak_file.read_text()) * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--messages", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=None)
    args = parser.parse_args()
    count = args.messages or (2_000 if args.quick else 20_000)
    rounds = args.rounds or (2 if args.quick else 3)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        mbox, tgz, size = build(root, count)
        peak_file = root / "peak"
        check = ["check", "--no-config", "--format", "json-lines", "--output-file", os.devnull]
        contenders = [
            ("stdlib (compat32 parse+decode)", None, []),
            ("mimelint -j1", _MIMELINT, [*check, "-j1"]),
            ("mimelint -j2", _MIMELINT, [*check, "-j2"]),
            ("mimelint --engine dask -j2", _MIMELINT, [*check, "--engine", "dask", "-j2"]),
        ]
        print(
            f"Python {sys.version.split()[0]}, mimelint {mimelint.__version__}, "
            f"{platform.machine()}, {os.cpu_count()} CPUs"
        )
        print(
            f"{count:,} messages ({size / 1e6:.1f} MB); mbox {mbox.stat().st_size / 1e6:.1f} MB, "
            f"tar.gz {tgz.stat().st_size / 1e6:.1f} MB; best of {rounds} rounds, range in brackets\n"
        )
        print(
            "| container | contender | messages/s (range) | vs stdlib | scaling efficiency "
            "| messages per CPU-second | client peak RSS |"
        )
        print("|---|---|---|---|---|---|---|")
        for label, path, stdlib in (("mbox", mbox, _STDLIB_MBOX), ("tar.gz", tgz, _STDLIB_TAR)):
            times: dict[str, list[float]] = {name: [] for name, _, _ in contenders}
            cpus: dict[str, list[float]] = {name: [] for name, _, _ in contenders}
            peaks: dict[str, int] = {name: 0 for name, _, _ in contenders}
            for _ in range(rounds):
                for name, script, extra in contenders:
                    if script is None:
                        seconds, cpu, peak = timed(stdlib, [str(path)], peak_file)
                    else:
                        run = ["mimelint", *extra, str(path)]
                        seconds, cpu, peak = timed(script, run, peak_file)
                    times[name].append(seconds)
                    cpus[name].append(cpu)
                    peaks[name] = max(peaks[name], peak)
            best = {name: count / min(ts) for name, ts in times.items()}
            std = best[contenders[0][0]]
            one = best["mimelint -j1"]
            for name, _, _ in contenders:
                low, high = count / max(times[name]), count / min(times[name])
                scale = f"{best[name] / (2 * one):.0%}" if "j2" in name else ""
                per_cpu = count / min(cpus[name])
                print(
                    f"| {label} | {name} | {best[name]:,.0f} ({low:,.0f}-{high:,.0f}) "
                    f"| {best[name] / std:.2f}x | {scale} | {per_cpu:,.0f} "
                    f"| {peaks[name] / 2**20:.0f} MiB |"
                )


if __name__ == "__main__":
    main()
