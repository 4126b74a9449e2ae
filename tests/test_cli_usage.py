"""Runs that must not pass silently, and options that must not do nothing.

Each case found in a new-user walkthrough: a broken ``[tool.mimelint``
header, nothing to check, an unreadable file, ``--statistics`` with every
format, the --fix summary count, the fix hint, bare ``mimelint``, empty
rule selections and options that had no effect. Every test asserts the
exact lines and exit status.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from mimelint.cli import main
from tests.util import FIXTURES

#: M320 only (error, safe fix).
SUBJECT = FIXTURES / "examples" / "raw-utf8-subject.eml"
#: M712 (warning) and M104 (error) on one base64 line; the M104 fix clears both.
LONG_LINE = FIXTURES / "rules" / "M712" / "bad-one-line.eml"
#: M732 with an unsafe fix only.
NO_CHARSET = FIXTURES / "fixes" / "M732-utf8-no-charset.unsafe.before.eml"
DKIM = FIXTURES / "fixes" / "signed" / "dkim-signed.eml"
NO_RULES = (
    "mimelint: error: no rules selected: select and extend-select (command line or "
    "configuration) minus ignore leave none (see 'mimelint rules')\n"
)


pytestmark = pytest.mark.usefixtures("cli_in_tmp")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def copy(source: Path, name: str) -> Path:
    return Path(shutil.copyfile(source, name))


def toml_error(text: str) -> str:
    with pytest.raises(tomllib.TOMLDecodeError) as caught:
        tomllib.loads(text)
    return str(caught.value)


# 1. A pyproject.toml that tries to configure us but is broken is an error.


@pytest.mark.parametrize(
    "text",
    [
        '[tool.mimelint\nselect = ["M5"]\n',
        '[tool.mimelint]\nselect = ["M5"\n',
        '[tool. mimelint \nselect = ["M5"]\n',
    ],
)
def test_broken_tool_mimelint_in_a_found_pyproject_is_an_error(text: str) -> None:
    Path("pyproject.toml").write_text(text)
    copy(SUBJECT, "a.eml")
    result = run("check", "a.eml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"mimelint: error: pyproject.toml: invalid TOML: {toml_error(text)}\n"


def test_broken_pyproject_that_does_not_configure_us_is_still_skipped() -> None:
    # Names mimelint (a dependency) and is broken elsewhere: not ours to judge.
    Path("pyproject.toml").write_text('[project]\ndependencies = ["mimelint"\n')
    copy(SUBJECT, "a.eml")
    result = run("check", "--select", "M320", "a.eml")
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout.splitlines()[-1] == "[*] 1 fixable with `mimelint check --fix`."


def test_tool_mimelint_that_is_not_a_table_is_an_error_when_found() -> None:
    Path("pyproject.toml").write_text("[tool]\nmimelint = 5\n")
    copy(SUBJECT, "a.eml")
    result = run("check", "a.eml")
    assert result.exit_code == 2
    assert result.stderr == "mimelint: error: pyproject.toml: [tool.mimelint] must be a table\n"


# 2. Nothing to check does not pass.


def test_directory_without_eml_files_is_an_error() -> None:
    Path("d").mkdir()
    Path("d/notes.txt").write_text("not mail\n")
    result = run("check", "d")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "mimelint: error: no .eml files found under d\n"


def test_directory_of_excluded_files_only_is_an_error() -> None:
    Path("d/.git").mkdir(parents=True)
    copy(SUBJECT, "d/.git/a.eml")
    result = run("check", "d")
    assert (result.exit_code, result.stderr) == (
        2,
        "mimelint: error: no .eml files found under d\n",
    )


def test_empty_directory_among_files_checks_the_files_and_exits_2() -> None:
    Path("empty").mkdir()
    copy(SUBJECT, "a.eml")
    result = run("check", "--select", "M320", "a.eml", "empty")
    assert result.exit_code == 2
    assert result.stderr == "mimelint: error: no .eml files found under empty\n"
    assert result.stdout.startswith("a.eml:")
    assert "Found 1 finding (1 error) in 1 file checked." in result.stdout.splitlines()


def test_directory_named_like_a_message_is_walked() -> None:
    Path("d.eml/inner").mkdir(parents=True)
    copy(SUBJECT, "d.eml/inner/x.eml")
    result = run("check", "--select", "M320", "d.eml")
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout.startswith("d.eml/inner/x.eml:")
    assert "Found 1 finding (1 error) in 1 file checked." in result.stdout.splitlines()
    Path("d.eml/inner/x.eml").unlink()
    empty = run("check", "d.eml")
    assert (empty.exit_code, empty.stderr) == (
        2,
        "mimelint: error: no .eml files found under d.eml\n",
    )


# 3. An unreadable file never reads as a pass.


def test_missing_file_alone_does_not_say_all_checks_passed() -> None:
    result = run("check", "missing.eml")
    assert result.exit_code == 2
    assert result.stderr == "mimelint: error: missing.eml: No such file or directory\n"
    assert result.stdout == "1 file could not be read; no findings in 0 files checked.\n"


# 4. --statistics and the formats.


def test_statistics_json_lines_is_one_count_object_per_rule() -> None:
    copy(SUBJECT, "a.eml")
    copy(SUBJECT, "b.eml")
    result = run("check", "--select", "M320", "--statistics", "--format", "json-lines", ".")
    assert result.exit_code == 1
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {"code": "M320", "name": "unencoded-header-text", "count": 2, "fixable": True}
    ]
    as_json = run("check", "--select", "M320", "--statistics", "--format", "json", ".")
    assert json.loads(as_json.stdout) == [json.loads(result.stdout)]


@pytest.mark.parametrize("fmt", ["sarif", "github"])
def test_statistics_with_sarif_or_github_is_a_usage_error(fmt: str) -> None:
    copy(SUBJECT, "a.eml")
    result = run("check", "--statistics", "--format", fmt, "a.eml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"mimelint: error: --statistics cannot be used with --format {fmt}, which lists "
        "findings; use text, json or json-lines (see 'mimelint check --help')\n"
    )


def test_statistics_under_github_actions_without_format_is_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    copy(SUBJECT, "a.eml")
    result = run("check", "--select", "M320", "--statistics", "a.eml")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "1  M320  [*] unencoded-header-text"


# 5. --fix and --diff count the findings of the files as given.


@pytest.mark.parametrize(
    ("args", "tail"),
    [
        (("--fix",), "; fixed 2, none remaining."),
        (("--diff",), "; --fix would fix 2 (nothing written), none would remain."),
    ],
)
def test_fix_summary_counts_what_plain_check_counts(args: tuple[str, ...], tail: str) -> None:
    copy(LONG_LINE, "a.eml")
    select = ("--select", "M104,M712")
    check = run("check", *select, "a.eml")
    found = "Found 2 findings (1 error, 1 warning) in 1 file checked"
    assert check.stdout.splitlines()[-2:] == [
        f"{found}.",
        "[*] 2 fixable with `mimelint check --fix`.",
    ]
    fixed = run("check", *select, *args, "a.eml")
    report = fixed.stderr if "--diff" in args else fixed.stdout
    assert report.splitlines()[-1] == found + tail
    assert fixed.exit_code == (1 if "--diff" in args else 0)


# 6. The fix hint names the flags that made the findings fixable.


def test_fix_hint_after_unsafe_fixes_names_unsafe_fixes() -> None:
    copy(NO_CHARSET, "m.eml")
    result = run("check", "--select", "M732", "--unsafe-fixes", "m.eml")
    assert result.stdout.splitlines()[-2:] == [
        "Found 1 finding (1 error) in 1 file checked.",
        "[*] 1 fixable with `mimelint check --fix --unsafe-fixes`.",
    ]
    safe = run("check", "--select", "M320", "--unsafe-fixes", "--no-config", str(SUBJECT))
    assert safe.stdout.splitlines()[-1] == "[*] 1 fixable with `mimelint check --fix`."


def test_fix_hint_names_break_signatures_only_when_it_mattered() -> None:
    copy(DKIM, "dkim.eml")
    copy(SUBJECT, "plain.eml")
    signed = run("check", "--select", "M320", "--break-signatures", "dkim.eml")
    assert signed.stdout.splitlines()[-1] == (
        "[*] 2 fixable with `mimelint check --fix --break-signatures`."
    )
    plain = run("check", "--select", "M320", "--break-signatures", "plain.eml")
    assert plain.stdout.splitlines()[-1] == "[*] 1 fixable with `mimelint check --fix`."


# 7. Bare mimelint prints the whole help.


def test_bare_mimelint_prints_the_help_on_stderr_and_exits_2() -> None:
    result = run()
    help_text = run("--help")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == help_text.stdout
    assert result.stderr.startswith("Usage: mimelint [OPTIONS] COMMAND [ARGS]...\n")
    assert "\nCommands:\n" in result.stderr


# 8. An empty rule selection is a usage error.


@pytest.mark.parametrize(
    "args",
    [
        ("--select", ""),
        ("--select", " , "),
        ("--ignore", "ALL"),
        ("--select", "M320", "--ignore", "M3"),
    ],
)
def test_empty_selection_on_the_command_line(args: tuple[str, ...]) -> None:
    copy(SUBJECT, "a.eml")
    result = run("check", *args, "a.eml")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", NO_RULES)


def test_empty_select_in_configuration() -> None:
    Path("mimelint.toml").write_text("select = []\n")
    copy(SUBJECT, "a.eml")
    result = run("check", "a.eml")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", NO_RULES)
    # --select "" also drops the configured extend-select, as any --select does.
    Path("mimelint.toml").write_text('extend-select = ["M320"]\n')
    assert run("check", "--select", "", "a.eml").stderr == NO_RULES


# 9. Options that would do nothing.


def test_show_fixes_without_fix_warns() -> None:
    copy(SUBJECT, "a.eml")
    result = run("check", "--select", "M320", "--show-fixes", "a.eml")
    assert result.exit_code == 1
    assert result.stderr == "mimelint: warning: --show-fixes does nothing without --fix or --diff\n"
    assert (
        run("check", "--select", "M320", "--diff", "--show-fixes", "a.eml").stderr.count("warning")
        == 0
    )


def test_fix_and_diff_together_is_a_usage_error() -> None:
    path = copy(SUBJECT, "a.eml")
    result = run("check", "--fix", "--diff", "a.eml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "mimelint: error: use one of --fix or --diff (--diff writes nothing) "
        "(see 'mimelint check --help')\n"
    )
    assert path.read_bytes() == SUBJECT.read_bytes()
    # `fix --diff` is the fix command's own preview and stays allowed.
    assert run("fix", "--diff", "--select", "M320", "a.eml").exit_code == 1


def test_config_pyproject_without_our_table_warns() -> None:
    Path("sub").mkdir()
    Path("sub/pyproject.toml").write_text('[project]\nname = "x"\n')
    copy(SUBJECT, "a.eml")
    result = run("check", "--select", "M320", "--config", "sub/pyproject.toml", "a.eml")
    assert result.exit_code == 1
    assert result.stderr == (
        "mimelint: warning: sub/pyproject.toml has no [tool.mimelint] table; using defaults\n"
    )


@pytest.mark.parametrize("args", [("check", "-"), ("fix", "-"), ("check", "--diff", "-")])
def test_closed_standard_input_is_one_line(args: tuple[str, ...]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mimelint", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.close(0),
    )
    assert result.returncode == 2
    assert result.stderr == "mimelint: error: cannot read standard input: it is closed\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    ("args", "target"),
    [
        (("check", "-o", "/dev/full", str(SUBJECT)), "/dev/full"),
        (("check", "--format", "json", "-o", "/dev/full", str(SUBJECT)), "/dev/full"),
        (("rules",), "standard output"),
        (("rule", "M102"), "standard output"),
        (("check", str(SUBJECT)), "standard output"),
    ],
)
def test_a_full_disk_is_one_line(args: tuple[str, ...], target: str) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "mimelint", *args],
            check=False,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert result.stderr == f"mimelint: error: cannot write {target}: No space left on device\n"


def test_an_engine_that_cannot_run_is_not_a_write_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # A Dask scheduler that does not answer raises OSError (TimeoutError)
    # while the outcomes are made; it was reported as "cannot write
    # standard output".
    from mimelint import engine

    def unreachable(*args: Any, **kwargs: Any) -> Any:
        raise TimeoutError("Timed out trying to connect to tcp://127.0.0.1:1 after 30 s")
        yield  # a generator, as run_stream is

    monkeypatch.setattr(engine, "run_stream", unreachable)
    result = run("check", str(SUBJECT))
    assert result.exit_code == 2
    assert result.stderr == (
        "mimelint: error: cannot run the checks: "
        "Timed out trying to connect to tcp://127.0.0.1:1 after 30 s\n"
    )


@pytest.mark.parametrize(
    ("args", "status", "stderr"),
    [
        (
            ("check", str(SUBJECT)),
            2,
            "mimelint: error: cannot write standard output: it is closed\n",
        ),
        (("rules",), 2, "mimelint: error: cannot write standard output: it is closed\n"),
        (("check", "-o", "report.txt", str(SUBJECT)), 1, ""),  # nothing for standard output
    ],
)
def test_closed_standard_output_is_one_line(
    args: tuple[str, ...], status: int, stderr: str, tmp_path: Path
) -> None:
    # Python leaves sys.stdout None when descriptor 1 is closed: the run
    # ended in an AttributeError traceback.
    result = subprocess.run(
        [sys.executable, "-m", "mimelint", *args],
        check=False,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        cwd=tmp_path,
        preexec_fn=lambda: os.close(1),
    )
    assert (result.returncode, result.stderr) == (status, stderr)
