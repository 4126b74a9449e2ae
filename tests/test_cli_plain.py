"""The plain command line (``check``/``fix``, paths and on/off flags) is read
without click, from the option table click's commands are built from.

:func:`mimelint.command.read_plain` must read every such command line as
click reads it (same parameters, every default included) and decline every
other, and a run through the console script must give the same output and
exit status as the same run through click.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mimelint import cli, command
from tests.util import FIXTURES

CLEAN = FIXTURES / "examples" / "clean.eml"
#: Findings, one with a safe fix (M103).
FIXABLE = FIXTURES / "examples" / "eight-bit-body-declared-7bit.eml"


def click_params(args: list[str]) -> dict[str, Any]:
    """The parameters click's command gets for ``mimelint *args``."""
    name, rest = args[0], args[1:]
    with cli.main.make_context("mimelint", [name]) as parent:
        found = cli.main.get_command(parent, name)
        assert found is not None
        with found.make_context(name, rest, parent=parent) as ctx:
            return dict(ctx.params)


def _flag_names(options: tuple[command.Option, ...]) -> list[str]:
    return [
        name
        for o in options
        if o.kind in (command.FLAG, command.SWITCH)
        for name in o.names + o.off
    ]


def _value_names(options: tuple[command.Option, ...]) -> list[str]:
    return [
        name for o in options if o.kind in (command.VALUE, command.MULTIPLE) for name in o.names
    ]


def _plain_lines(name: str) -> st.SearchStrategy[list[str]]:
    options = command.CHECK if name == "check" else command.FIX
    words = st.sampled_from(_flag_names(options)) | st.sampled_from(
        ["a.eml", "dir", "x=y", "b c.eml", "é.eml"]
    )
    return st.lists(words, max_size=8).map(lambda rest: [name, *rest])


@given(_plain_lines("check") | _plain_lines("fix"))
def test_a_plain_command_line_is_read_as_click_reads_it(args: list[str]) -> None:
    plain = command.read_plain(args)
    if not any(not a.startswith("-") for a in args[1:]):
        assert plain is None  # no path: click says so
        return
    assert plain == (args[0], click_params(args))


@pytest.mark.parametrize(
    "args",
    [
        ["check", "-", "a.eml"],  # standard input
        ["check", "--", "a.eml"],
        ["check", "--help", "a.eml"],
        ["check", "-h", "a.eml"],
        ["check", "--version"],
        ["check", "--fxi", "a.eml"],  # a typo: click suggests
        ["check", "-qj2", "a.eml"],
        ["check", "--quiet=1", "a.eml"],
        ["check", "--render-with", "d.json", "a.eml"],
        ["fix", "--fix", "a.eml"],  # fix has no --fix
        ["rules"],
        ["chek", "a.eml"],
        [],
        *(["check", name, "v", "a.eml"] for name in _value_names(command.CHECK)),
    ],
)
def test_everything_else_is_left_to_click(args: list[str]) -> None:
    assert command.read_plain(args) is None


def test_the_table_is_what_click_declares() -> None:
    # The click commands are built from the table: same options, same kinds.
    for name, options in (("check", command.CHECK), ("fix", command.FIX)):
        found = cli.main.commands[name]
        declared = {
            p.name: (tuple(p.opts), tuple(p.secondary_opts), p.is_flag, p.multiple)
            for p in found.params
            if isinstance(p, click.Option)
        }
        assert declared == {
            o.dest: (
                o.names,
                o.off,
                o.kind in (command.FLAG, command.SWITCH),
                o.kind == command.MULTIPLE,
            )
            for o in options
        }


def _run(entry: str, args: list[str], cwd: Path) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "CI")}
    env["NO_COLOR"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", entry, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


#: The console script (mimelint.command.script), and click's command alone.
SCRIPT = "import sys; sys.argv[0] = 'mimelint'; from mimelint.command import script; script()"
CLICK = "import sys; sys.argv[0] = 'mimelint'; from mimelint.cli import main; main()"


@pytest.mark.parametrize(
    "args",
    [
        ["check", "one.eml"],
        ["check", "--force-exclude", "one.eml", "fixable.eml"],
        ["check", "fixable.eml", "--statistics", "--quiet"],
        ["check", "--fix", "--show-fixes", "fixable.eml"],
        ["fix", "--diff", "fixable.eml"],
        ["check", "--fix", "--diff", "one.eml"],  # a usage error the command finds
        ["check", "missing.eml"],
        ["check", "empty-dir"],
        ["check", "--no-config", "--no-force-exclude", "one.eml"],
    ],
)
def test_the_console_script_and_click_give_the_same_run(tmp_path: Path, args: list[str]) -> None:
    runs = []
    for entry in (SCRIPT, CLICK):
        work = tmp_path / ("script" if entry is SCRIPT else "click")
        work.mkdir()
        (work / "empty-dir").mkdir()
        (work / "one.eml").write_bytes(CLEAN.read_bytes())
        (work / "fixable.eml").write_bytes(FIXABLE.read_bytes())
        runs.append((*_run(entry, args, work), (work / "fixable.eml").read_bytes()))
    assert runs[0] == runs[1]
    assert runs[0][2].count("Traceback") == 0


def test_a_bad_configuration_is_one_line_either_way(tmp_path: Path) -> None:
    (tmp_path / "mimelint.toml").write_text("select = 3\n", encoding="utf-8")
    (tmp_path / "one.eml").write_bytes(CLEAN.read_bytes())
    script = _run(SCRIPT, ["check", "one.eml"], tmp_path)
    assert script == _run(CLICK, ["check", "one.eml"], tmp_path)
    assert script[0] == 2
    assert script[2].startswith("mimelint: error: ") and script[2].count("\n") == 1


def _many_findings(tmp_path: Path) -> str:
    """A message whose report is far longer than a pipe's buffer (64 KiB):
    800 parts with 8-bit bytes in a 7bit body, two findings each (the text
    report alone is about 270 KB, json's and github's longer)."""
    part = b"--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 7bit\r\n\r\nh\xe9llo\r\n"
    head = b"".join(
        line + b"\r\n"
        for line in (
            b"From: a@example.com",
            b"To: b@example.com",
            b"Subject: many parts",
            b"Date: Mon, 7 Dec 2026 02:00:00 +0000",
            b"Message-ID: <many@example.com>",
            b"MIME-Version: 1.0",
            b"Content-Type: multipart/mixed; boundary=b",
            b"",
        )
    )
    (tmp_path / "many.eml").write_bytes(head + part * 800 + b"--b--\r\n")
    return "many.eml"


@pytest.mark.parametrize("options", [[], ["--format", "json"], ["--format", "github"]])
def test_a_closed_pipe_ends_both_the_same_way(tmp_path: Path, options: list[str]) -> None:
    # ``mimelint check ... | head -1``: the reader goes away before the report
    # ends. Not an error to report (it was "cannot write None: Broken pipe",
    # exit 2): exit status 1, nothing on standard error.
    names = [_many_findings(tmp_path)]
    for i in range(20):
        (tmp_path / f"m{i:02}.eml").write_bytes(FIXABLE.read_bytes())
        names.append(f"m{i:02}.eml")
    ends = []
    for entry in (SCRIPT, CLICK):
        proc = subprocess.Popen(
            [sys.executable, "-c", entry, "check", *options, *names],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "NO_COLOR": "1"},
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()
        stderr = proc.stderr.read().decode()
        ends.append((proc.wait(timeout=120), stderr))
        assert "Traceback" not in stderr and "Exception ignored" not in stderr
    assert ends[0] == ends[1] == (1, "")


def test_the_script_leaves_at_once_only_when_nothing_waits_for_the_exit(tmp_path: Path) -> None:
    # A plain run ends without the interpreter's teardown (os._exit), its
    # output flushed; something registered to run at exit still runs.
    (tmp_path / "fixable.eml").write_bytes(FIXABLE.read_bytes())
    plain = _run(SCRIPT, ["check", "fixable.eml"], tmp_path)
    assert plain == _run(CLICK, ["check", "fixable.eml"], tmp_path)
    assert plain[0] == 1 and plain[1].endswith("\n") and "M102" in plain[1]
    waiting = "import atexit; atexit.register(print, 'at exit'); " + SCRIPT
    code, out, _ = _run(waiting, ["check", "fixable.eml"], tmp_path)
    assert (code, out) == (1, plain[1] + "at exit\n")


def test_a_stream_that_cannot_hold_the_report_gets_utf8_not_a_traceback(tmp_path: Path) -> None:
    # An ASCII locale (PYTHONIOENCODING=ascii, LC_ALL=C without UTF-8 mode):
    # click.echo wrote such a stream as UTF-8; the report must not crash on
    # a finding that quotes a non-ASCII address, on either path.
    message = FIXTURES / "examples" / "non-ascii-address.eml"
    (tmp_path / "one.eml").write_bytes(message.read_bytes())
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "CI")}
    env.update(NO_COLOR="1", PYTHONIOENCODING="ascii")
    runs = []
    for entry in (SCRIPT, CLICK):
        done = subprocess.run(
            [sys.executable, "-c", entry, "check", "one.eml"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            timeout=120,
            check=False,
        )
        runs.append((done.returncode, done.stdout, done.stderr))
    assert runs[0] == runs[1]
    status, out, err = runs[0]
    assert (status, err) == (1, b"")
    assert "'张伟@example.com'" in out.decode("utf-8")
