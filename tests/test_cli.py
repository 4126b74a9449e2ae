"""The ``mimelint`` command: output lines, exit statuses, errors, fixing.

Most tests drive the click command in-process (``CliRunner``); a few run
the installed console script and ``python -m mimelint`` for real.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import mimelint
from mimelint.cli import main
from tests.util import FIXTURES, msg

#: Line 9 column 3 is the "ü": 8-bit bytes in a body without a transfer encoding (M102).
EIGHT_BIT = msg(
    """From: Jana <jana@example.com>
To: Team <team@example.org>
Subject: Hello
Date: Tue, 14 May 2024 09:12:44 +0200
Message-ID: <1@example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Grüße aus München
"""
)
CLEAN = msg(
    """From: Jana <jana@example.com>
To: Team <team@example.org>
Subject: Hello
Date: Tue, 14 May 2024 09:12:44 +0200
Message-ID: <2@example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Hello there.
"""
)
#: M103 (warning severity): Content-Transfer-Encoding 8bit.
DECLARED_8BIT = msg(
    """From: Jana <jana@example.com>
To: Team <team@example.org>
Subject: Hello
Date: Tue, 14 May 2024 09:12:44 +0200
Message-ID: <3@example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Grüße
"""
)


def message_of(raw: bytes, code: str) -> str:
    """The library's message for the one finding of ``code`` (the CLI must print it verbatim)."""
    (finding,) = [f for f in mimelint.lint(raw, select=[code]).findings]
    return finding.message


def run(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # No CI-chosen format, no configuration from the repository around us.
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# -- check: text output and exit statuses ------------------------------------------


def test_check_text_line_and_exit_1(tmp_path: Path) -> None:
    write(tmp_path / "a.eml", EIGHT_BIT)
    result = run("check", "--select", "M102", "a.eml")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"a.eml:9:3: M102 [*] [error] {message_of(EIGHT_BIT, 'M102')}",
        "",
        "Found 1 finding (1 error) in 1 file checked.",
        "[*] 1 fixable with `mimelint check --fix`.",
    ]
    assert result.stderr == ""


# An obsolete "Subject :" (white space before the colon) makes Python's email
# read it and every line after it as body text, mimelint as a field: the two
# readers disagree, so --fix applies no safe fix (stalwart mail-parser's
# malformed/019.eml had "[*] 4 fixable" in a plain check, and --fix fixed 0).
DISPUTED = (
    b"From: Jana <jana@example.com>\r\nTo: Team <team@example.org>\r\n"
    b"Date: Tue, 14 May 2024 09:12:44 +0200\r\nMessage-ID: <3@example.com>\r\n"
    b"Subject : Gr\xc3\xbc\xc3\x9fe\r\nMIME-Version: 1.0\r\n\r\nHi\r\n"
)


def test_check_marks_fixable_only_what_fix_applies_where_readers_disagree(
    tmp_path: Path,
) -> None:
    write(tmp_path / "a.eml", DISPUTED)
    plain = run("check", "--select", "M320", "a.eml")
    (line,) = [line for line in plain.stdout.splitlines() if ": M320 " in line]
    assert line.startswith("a.eml:5:13: M320 [error] ")
    assert "; not fixed: the two readers disagree about this message (line 5: " in line
    assert "fixable with `mimelint check --fix`" not in plain.stdout
    assert "1 more fix available with `--fix --unsafe-fixes`" in plain.stdout
    # What --fix would do agrees: nothing.
    preview = run("fix", "--diff", "--select", "M320", "a.eml")
    assert preview.stdout == "" and "--fix would fix 0" in preview.stderr
    # With --unsafe-fixes the fix applies, so the plain check marks it.
    unsafe = run("check", "--unsafe-fixes", "--select", "M320", "a.eml")
    assert "a.eml:5:13: M320 [*] [error] " in unsafe.stdout
    assert "not fixed" not in unsafe.stdout


def test_check_clean_exit_0(tmp_path: Path) -> None:
    write(tmp_path / "a.eml", CLEAN)
    result = run("check", "a.eml")
    assert (result.exit_code, result.stdout) == (0, "All checks passed: no findings in 1 file.\n")


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    write(tmp_path / "a.eml", DECLARED_8BIT)
    result = run("check", "--select", "M103", "a.eml")
    assert result.exit_code == 0
    assert result.stdout.startswith("a.eml:8:28: M103 [*] [warning] ")


def test_directory_recursion_sorted_and_exclude(tmp_path: Path) -> None:
    write(tmp_path / "mail" / "b.eml", EIGHT_BIT)
    write(tmp_path / "mail" / "a" / "z.eml", EIGHT_BIT)
    write(tmp_path / "mail" / "notes.txt", EIGHT_BIT)
    write(tmp_path / "mail" / ".git" / "x.eml", EIGHT_BIT)
    write(tmp_path / "mail" / "drafts" / "d.eml", EIGHT_BIT)
    write(tmp_path / "mimelint.toml", b"extend-exclude = ['drafts']\n")
    result = run("check", "--select", "M102", "mail")
    paths = [line.split(":")[0] for line in result.stdout.splitlines() if ": M102" in line]
    assert paths == [os.path.join("mail", "a", "z.eml"), os.path.join("mail", "b.eml")]
    # A file named explicitly is checked even if excluded.
    explicit = run("check", "--select", "M102", "mail/drafts/d.eml")
    assert explicit.exit_code == 1


def test_stdin(tmp_path: Path) -> None:
    result = run("check", "--select", "M102", "-", input=EIGHT_BIT)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith("-:9:3: M102 [*] [error] ")


def test_missing_file_among_several_does_not_stop_the_rest(tmp_path: Path) -> None:
    write(tmp_path / "a.eml", EIGHT_BIT)
    write(tmp_path / "c.eml", EIGHT_BIT)
    result = run("check", "--select", "M102", "a.eml", "missing.eml", "c.eml")
    assert result.exit_code == 2
    assert result.stderr == "mimelint: error: missing.eml: No such file or directory\n"
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:2]] == ["a.eml", "c.eml"]
    assert lines[-1] == "1 file could not be read."


def test_an_empty_directory_is_an_error_not_a_pass(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("check", "empty")
    assert result.exit_code == 2
    assert result.stderr == "mimelint: error: no .eml files found under empty\n"
    assert result.stdout == ""


def test_a_crashing_rule_is_m000_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    from mimelint.rule import rule

    settings_module = importlib.import_module("mimelint.settings")  # plans from the installed rules

    @rule(code="M999", name="always-crashes", severity="warning", summary="Crashes.")
    def crashes(message: object, context: object) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(settings_module, "load_rules", lambda: (crashes,))
    write(tmp_path / "a.eml", CLEAN)
    result = run("check", "a.eml")
    assert result.exit_code == 2
    (line,) = [line for line in result.stdout.splitlines() if "M000" in line]
    assert line.startswith(
        "a.eml:1:1: M000 [error] rule M999 (always-crashes) failed on this message"
    )


# -- usage errors: one line, exit 2 ------------------------------------------------


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["check", "--select", "M999", "a.eml"], "mimelint: error: unknown rule code or prefix in select: 'M999' (see 'mimelint rules')"),
        (["check", "--ignore", "X1", "a.eml"], "mimelint: error: unknown rule code or prefix in ignore: 'X1' (see 'mimelint rules')"),
        (["check", "--profile", "gmail", "a.eml"], "mimelint: error: Invalid value for '--profile': 'gmail' is not one of 'rfc', 'ses', 'ses-v2'. (see 'mimelint check --help')"),
        (["check", "--frmat", "json", "a.eml"], "mimelint: error: No such option '--frmat'. (Did you mean one of: '--format', '--input-format'?) (see 'mimelint check --help')"),
        (["check"], "mimelint: error: no paths given: name files, directories, or - for standard input (see 'mimelint check --help')"),
        (["rule", "M999"], "mimelint: error: unknown rule 'M999' (see 'mimelint rules' for the list)"),
        (["chek"], "mimelint: error: No such command 'chek'. Did you mean 'check'? (see 'mimelint --help')"),
    ],
)  # fmt: skip
def test_usage_errors_are_one_line(tmp_path: Path, args: list[str], line: str) -> None:
    write(tmp_path / "a.eml", CLEAN)
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr == line + "\n"
    assert result.stdout == ""


def test_bad_config_key_is_one_line(tmp_path: Path) -> None:
    write(tmp_path / "a.eml", CLEAN)
    write(tmp_path / "pyproject.toml", b"[tool.mimelint]\nselekt = ['M1']\n")
    result = run("check", "a.eml")
    assert result.exit_code == 2
    assert (
        result.stderr == "mimelint: error: pyproject.toml: [tool.mimelint] unknown key 'selekt'; "
        "did you mean 'select'?\n"
    )
    assert run("check", "--no-config", "a.eml").exit_code == 0


# -- selection and configuration ---------------------------------------------------


def test_select_ignore_extend_select_comma_and_repeat(tmp_path: Path) -> None:
    write(tmp_path / "a.eml", DECLARED_8BIT + b"")
    write(tmp_path / "b.eml", EIGHT_BIT)

    def codes(*args: str) -> set[str]:
        out = run("check", "--format", "json", *args, "a.eml", "b.eml").stdout
        return {item["code"] for item in json.loads(out)}

    assert codes("--select", "M102,M103") == {"M102", "M103"}
    assert codes("--select", "M102", "--select", "M103") == {"M102", "M103"}
    assert codes("--select", "M102", "--extend-select", "M103") == {"M102", "M103"}
    assert codes("--select", "M1", "--ignore", "M103") == {"M102"}


def test_config_select_and_command_line_override(tmp_path: Path) -> None:
    write(tmp_path / "a.eml", DECLARED_8BIT)
    write(tmp_path / "b.eml", EIGHT_BIT)
    write(tmp_path / "pyproject.toml", b"[tool.mimelint]\nselect = ['M103']\n")

    def codes(*args: str) -> set[str]:
        out = run("check", "--format", "json", *args, "a.eml", "b.eml").stdout
        return {item["code"] for item in json.loads(out)}

    assert codes() == {"M103"}
    assert codes("--select", "M102") == {"M102"}
    assert codes("--extend-select", "M102") == {"M102", "M103"}


def test_per_file_ignores(tmp_path: Path) -> None:
    write(tmp_path / "legacy" / "old.eml", EIGHT_BIT)
    write(tmp_path / "new.eml", EIGHT_BIT)
    write(
        tmp_path / "mimelint.toml",
        b'select = ["M102"]\n[per-file-ignores]\n"legacy/*" = ["M102"]\n',
    )
    result = run("check", ".")
    assert [line.split(":")[0] for line in result.stdout.splitlines() if "M102" in line] == [
        "new.eml"
    ]


def test_config_refused_extension_reaches_the_profile(tmp_path: Path) -> None:
    from mimelint.config import load_config

    write(tmp_path / "mimelint.toml", b"extra-refused-extensions = ['zip']\nmax-recipients = 2\n")
    profile = load_config(tmp_path / "mimelint.toml").build_profile()
    assert "zip" in profile.refused_extensions and profile.max_recipients == 2


# -- formats -----------------------------------------------------------------------


def test_json_output(tmp_path: Path) -> None:
    write(tmp_path / "a.eml", EIGHT_BIT)
    result = run("check", "--select", "M102", "--format", "json", "a.eml", "gone.eml")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data[0] | {"message": ""} == {
        "path": "a.eml",
        "member": None,
        "line": 9,
        "column": 3,
        "end_line": 9,
        "end_column": 5,  # the run of 8-bit characters "üß"
        "code": "M102",
        "name": "eight-bit-body",
        "severity": "error",
        "message": "",
        "part": "",
        "fixable": True,
        "fix_safety": "safe",
        "related": [],
    }
    assert data[1] == {"path": "gone.eml", "member": None, "error": "No such file or directory"}


def test_github_format_chosen_by_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "a.eml", EIGHT_BIT)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run("check", "--select", "M102", "a.eml")
    assert result.stdout.startswith("::error file=a.eml,line=9,col=3,")
    assert run("check", "--select", "M102", "--format", "text", "a.eml").stdout.startswith(
        "a.eml:9:3:"
    )


def test_statistics_and_output_file(tmp_path: Path) -> None:
    write(tmp_path / "a.eml", EIGHT_BIT)
    write(tmp_path / "b.eml", EIGHT_BIT)
    result = run("check", "--select", "M102", "--statistics", "-o", "report.txt", "a.eml", "b.eml")
    assert result.exit_code == 1
    assert result.stdout == ""
    report = (tmp_path / "report.txt").read_text("utf-8").splitlines()
    assert report[0] == "2  M102  [*] eight-bit-body"


def test_jobs_output_identical(tmp_path: Path) -> None:
    sources = [EIGHT_BIT, CLEAN, DECLARED_8BIT]
    for i in range(14):
        write(tmp_path / "many" / f"m{i:02}.eml", sources[i % 3])
    write(tmp_path / "many" / "broken.eml", b"Subject: \x00\xff garbage \r\n\r\n--x\r\n")
    one = run("check", "-j1", "many")
    two = run("check", "-j2", "many")
    assert one.stdout.count("\n") > 14
    assert (two.exit_code, two.stdout) == (one.exit_code, one.stdout)
    as_json = [run("check", f"-j{n}", "--format", "json", "many").stdout for n in (1, 2)]
    assert as_json[0] == as_json[1]


def test_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    from mimelint import command

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Tty())
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert command._use_color()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not command._use_color()


def test_progress_bar_only_for_many_files_on_a_terminal_outside_ci(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mimelint import command

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys, "stderr", Tty())
    assert command._show_progress(500)
    assert not command._show_progress(3)
    monkeypatch.setenv("CI", "true")
    assert not command._show_progress(500)
    monkeypatch.delenv("CI")
    monkeypatch.setattr(sys, "stderr", open(os.devnull, "w"))  # noqa: SIM115
    assert not command._show_progress(500)


# -- rules and rule ------------------------------------------------------------------


def test_rules_lists_every_rule() -> None:
    from mimelint.registry import load_rules

    result = run("rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["CODE", "NAME", "SEVERITY", "FIX", "SUMMARY"]
    assert [line.split()[0] for line in lines[1:]] == [r.code for r in load_rules()]
    m102 = next(line for line in lines if line.startswith("M102 "))
    assert m102.split()[1:4] == ["eight-bit-body", "error", "safe"]
    data = json.loads(run("rules", "--format", "json").stdout)
    m102_json = next(item for item in data if item["code"] == "M102")
    assert {"code": "M102", "name": "eight-bit-body"}.items() <= m102_json.items()


def test_rule_prints_documentation() -> None:
    result = run("rule", "M102")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "M102: eight-bit-body"
    assert "What it does" in lines and "Fix safety" in lines
    assert not any(line.startswith(("## ", "```")) for line in lines)
    assert run("rule", "eight-bit-body").stdout == result.stdout


# -- real processes ------------------------------------------------------------------


def script() -> str:
    path = Path(sys.executable).parent / "mimelint"
    if not path.exists():
        pytest.skip("the mimelint console script is not installed beside this Python")
    return str(path)


def test_console_script_and_module_agree(tmp_path: Path) -> None:
    write(tmp_path / "a.eml", EIGHT_BIT)
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
    via_script = subprocess.run(
        [script(), "check", "--select", "M102", "a.eml"],
        capture_output=True,
        check=False,
        env=env,
        cwd=tmp_path,
    )
    via_module = subprocess.run(
        [sys.executable, "-m", "mimelint", "check", "--select", "M102", "a.eml"],
        capture_output=True,
        check=False,
        env=env,
        cwd=tmp_path,
    )
    assert via_script.returncode == via_module.returncode == 1
    assert via_script.stdout == via_module.stdout
    assert via_script.stdout.startswith(b"a.eml:9:3: M102 [*] [error] ")
    assert b"\x1b[" not in via_script.stdout  # a pipe gets no colour


def test_console_script_usage_error_and_missing_file(tmp_path: Path) -> None:
    write(tmp_path / "a.eml", CLEAN)
    bad = subprocess.run(
        [script(), "check", "--select", "M999", "a.eml"],
        capture_output=True,
        check=False,
        cwd=tmp_path,
    )
    assert bad.returncode == 2
    assert (
        bad.stderr
        == b"mimelint: error: unknown rule code or prefix in select: 'M999' (see 'mimelint rules')\n"
    )
    missing = subprocess.run(
        [script(), "check", "a.eml", "nope.eml"], capture_output=True, check=False, cwd=tmp_path
    )
    assert missing.returncode == 2
    assert missing.stderr == b"mimelint: error: nope.eml: No such file or directory\n"


def test_console_script_stdin(tmp_path: Path) -> None:
    done = subprocess.run(
        [script(), "check", "-"], input=CLEAN, capture_output=True, check=False, cwd=tmp_path
    )
    assert (done.returncode, done.stdout) == (0, b"All checks passed: no findings in 1 file.\n")


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("no_color", [False, True])
def test_colour_on_a_terminal_unless_no_color(tmp_path: Path, no_color: bool) -> None:
    import pty

    write(tmp_path / "a.eml", EIGHT_BIT)
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR", "CI")}
    env["TERM"] = "xterm"
    if no_color:
        env["NO_COLOR"] = "1"
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [script(), "check", "--select", "M102", "a.eml"], stdout=follower, cwd=tmp_path, env=env
    ) as proc:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait()
    os.close(leader)
    out = b"".join(chunks)
    assert b"M102" in out
    assert (b"\x1b[" in out) is not no_color


def test_examples_have_findings() -> None:
    examples = FIXTURES / "examples"
    result = subprocess.run([script(), "check", str(examples)], capture_output=True, check=False)
    assert result.returncode == 1, result.stderr
    flagged = {line.split(b":")[0] for line in result.stdout.splitlines() if b": M" in line}
    names = {Path(p.decode()).name for p in flagged}
    expected = {p.name for p in examples.glob("*.eml")} - {"clean.eml"}
    assert names == expected
    clean = subprocess.run(
        [script(), "check", str(examples / "clean.eml")], capture_output=True, check=False
    )
    assert clean.returncode == 0, clean.stdout


# -- fixing ----------------------------------------------------------------------------


def fixer() -> object:
    return pytest.importorskip("mimelint.fixer")


def test_fix_rewrites_in_place_and_keeps_permissions(tmp_path: Path) -> None:
    fix_module = fixer()
    path = write(tmp_path / "a.eml", EIGHT_BIT)
    path.chmod(0o640)
    result = run("check", "--fix", "--show-fixes", "--select", "M102", "a.eml")
    assert result.exit_code == 0, result.output
    fixed = path.read_bytes()
    assert fixed == fix_module.fix(EIGHT_BIT, select=["M102"]).data  # type: ignore[attr-defined]
    assert fixed != EIGHT_BIT
    assert not [f for f in mimelint.lint(fixed, select=["M102"]).findings]
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.eml"]  # no temporary file left
    lines = result.stdout.splitlines()
    assert "Fixed:" in lines and "  a.eml:" in lines
    assert any(line.startswith("    M102") for line in lines)
    # A second run has nothing left to do and changes nothing.
    again = run("check", "--fix", "--select", "M102", "a.eml")
    assert again.exit_code == 0 and path.read_bytes() == fixed


def test_interrupted_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixer()
    path = write(tmp_path / "a.eml", EIGHT_BIT)

    def interrupted(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", interrupted)
    result = run("check", "--fix", "--select", "M102", "a.eml")
    assert result.exit_code == 2
    assert result.stderr == (
        "mimelint: error: a.eml: cannot write the fixed file: No space left on device\n"
    )
    assert path.read_bytes() == EIGHT_BIT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.eml"]


def test_unwritable_file_keeps_its_findings_beside_the_write_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixer()
    path = write(tmp_path / "a.eml", EIGHT_BIT)
    write(tmp_path / "b.eml", CLEAN)

    def refused(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refused)
    result = run("check", "--fix", "--select", "M102", "a.eml", "b.eml")
    assert result.exit_code == 2
    assert (
        result.stderr == "mimelint: error: a.eml: cannot write the fixed file: Permission denied\n"
    )
    assert path.read_bytes() == EIGHT_BIT
    # The file is as it was, so its findings stand, and the summary counts it as checked.
    assert result.stdout.splitlines() == [
        f"a.eml:9:3: M102 [*] [error] {message_of(EIGHT_BIT, 'M102')}",
        "",
        "Found 1 finding (1 error) in 2 files checked; fixed 0, 1 remaining (1 error).",
        "1 file could not be written.",
    ]
    as_json = json.loads(
        run("check", "--fix", "--format", "json", "--select", "M102", "a.eml").stdout
    )
    assert as_json[0] == {
        "path": "a.eml",
        "member": None,
        "error": "cannot write the fixed file: Permission denied",
    }
    assert [item["code"] for item in as_json[1:]] == ["M102"]


def test_default_jobs_uses_one_process_for_small_batches() -> None:
    from mimelint.runner import PARALLEL_THRESHOLD, default_jobs

    assert default_jobs(1) == 1
    assert default_jobs(PARALLEL_THRESHOLD) == 1
    assert default_jobs(PARALLEL_THRESHOLD + 1) == (os.cpu_count() or 1)


def test_write_atomic_interrupted_by_a_signal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mimelint.runner import write_atomic

    path = write(tmp_path / "a.eml", b"old")

    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.eml"]
    monkeypatch.undo()
    link = tmp_path / "link.eml"
    link.symlink_to(path)
    write_atomic(link, b"new")
    assert link.is_symlink() and path.read_bytes() == b"new"


def test_diff_writes_nothing(tmp_path: Path) -> None:
    fixer()
    path = write(tmp_path / "a.eml", EIGHT_BIT)
    write(tmp_path / "b.eml", CLEAN)
    result = run("check", "--diff", "--select", "M102", "a.eml", "b.eml")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:2] == ["--- a/a.eml", "+++ b/a.eml"]
    assert "b/b.eml" not in result.stdout
    assert any(line.startswith("-Grüße") for line in lines)
    assert path.read_bytes() == EIGHT_BIT
    # The summary describes the files as they are (the diff is what would change).
    assert result.stderr.splitlines()[-1] == (
        "Found 1 finding (1 error) in 2 files checked; "
        "--fix would fix 1 (nothing written), none would remain."
    )
    clean = run("check", "--diff", "--select", "M102", "b.eml")
    assert (clean.exit_code, clean.stdout) == (0, "")


def test_fix_stdin_writes_only_the_message(tmp_path: Path) -> None:
    fix_module = fixer()
    result = run("fix", "--select", "M102", "-", input=EIGHT_BIT)
    expected = fix_module.fix(EIGHT_BIT, select=["M102"]).data  # type: ignore[attr-defined]
    assert result.stdout_bytes == expected
    assert result.exit_code == 0
    assert (
        result.stderr == "Found 1 finding (1 error) in 1 file checked; fixed 1, none remaining.\n"
    )
    untouched = run("fix", "-", "--select", "M102", input=CLEAN)
    assert untouched.stdout_bytes == CLEAN


def test_fix_stdin_real_process(tmp_path: Path) -> None:
    fix_module = fixer()
    done = subprocess.run(
        [sys.executable, "-m", "mimelint", "fix", "--select", "M102", "-"],
        input=EIGHT_BIT,
        capture_output=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.stdout == fix_module.fix(EIGHT_BIT, select=["M102"]).data  # type: ignore[attr-defined]
    assert done.returncode == 0


def test_refused_fix_leaves_the_file_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fix_module = fixer()
    from types import SimpleNamespace

    path = write(tmp_path / "a.eml", EIGHT_BIT)
    remaining = mimelint.lint(EIGHT_BIT, select=["M102"]).findings

    def refusing(data: bytes, **kwargs: object) -> SimpleNamespace:
        return SimpleNamespace(
            data=data,
            applied=[],
            remaining=remaining,
            refused="the decoded text of the body would change",
            changed=False,
            skipped=[],
            found=remaining,
        )

    monkeypatch.setattr(fix_module, "fix", refusing)
    result = run("check", "--fix", "--select", "M102", "a.eml")
    assert result.exit_code == 1
    assert (
        "a.eml: fix refused, file left unchanged: the decoded text of the body would change"
        in result.stdout.splitlines()
    )
    assert path.read_bytes() == EIGHT_BIT


def test_fix_in_parallel_matches_serial(tmp_path: Path) -> None:
    fixer()
    for name in ("one", "two"):
        for i in range(10):
            write(tmp_path / name / f"m{i}.eml", EIGHT_BIT if i % 2 else DECLARED_8BIT)
    one = run("check", "--fix", "-j1", "one")
    two = run("check", "--fix", "-j2", "two")
    assert one.exit_code == two.exit_code
    assert one.stdout.replace("one/", "two/") == two.stdout
    for i in range(10):
        assert (tmp_path / "one" / f"m{i}.eml").read_bytes() == (
            tmp_path / "two" / f"m{i}.eml"
        ).read_bytes()


def test_a_finding_quoting_bytes_that_are_not_utf8_prints_them_escaped(tmp_path: Path) -> None:
    # Found by fuzzing the command line: an M401 message quoted a group name
    # holding the byte B5, kept as a lone surrogate, and writing the report
    # raised UnicodeEncodeError.
    path = tmp_path / "m.eml"
    path.write_bytes(b"From: Ann Ex\xb5mple: a@example.com\r\nSubject: t\r\n\r\nhi\r\n")
    result = run("check", "--no-config", "--format", "json", str(path))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 1
    messages = [f["message"] for f in json.loads(result.output)]
    assert any("\\xb5" in m for m in messages), messages
