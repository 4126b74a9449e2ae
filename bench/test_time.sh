#!/usr/bin/env bash
# How long the README's test command takes on a new machine: .ci/run step by
# step, timed, in a fresh clone (so nothing is installed or cached yet).
#
#   bash bench/test_time.sh            # clones this repository into a temporary folder
#
# Prints the time of each step; the figures are quoted in README.md.
set -uo pipefail
source_repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git clone -q "$source_repo" "$work/mimelint"
cd "$work/mimelint"
now() { date +%s.%N; }
t0=$(now)
python3 -m venv .venv
. .venv/bin/activate
python -m pip install --quiet --upgrade pip
t1=$(now)
python -m pip install --quiet -e '.[test]'
t2=$(now)
echo "packages installed: $(python -m pip list 2>/dev/null | tail -n +3 | wc -l)"
python -m pytest -q -p no:cacheprovider | tail -1
t3=$(now)
python -m pytest -q -m 'not slow' -p no:cacheprovider | tail -1
t4=$(now)
echo "venv: $(echo "$t1 - $t0" | bc) s; install: $(echo "$t2 - $t1" | bc) s;" \
  "tests: $(echo "$t3 - $t2" | bc) s; fast subset: $(echo "$t4 - $t3" | bc) s"
