"""The closing summary and exit status of check, --fix and --diff; signed messages.

The summary describes the files as they were given (after ``--fix``: what
was fixed and what remains, as ruff counts them), and plain ``check`` marks
fixable exactly what ``--fix`` would fix: a fix that would invalidate a
PGP/MIME, S/MIME or DKIM signature is not marked, unless
``--break-signatures`` is given.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import mimelint
from mimelint.cli import main
from tests.util import FIXTURES

SIGNED = FIXTURES / "fixes" / "signed"
#: PGP/MIME: M320 on the outer Subject (error, fixable), M103 inside the signed part (warning).
PGP = FIXTURES / "fixes" / "M320-outside-signed-part.before.eml"
#: DKIM with h= naming Subject and Content-Transfer-Encoding: M320 Subject (signed),
#: M320 X-Mailer (not signed), M103 on the signed Content-Transfer-Encoding.
DKIM = SIGNED / "dkim-signed.eml"
SMIME = SIGNED / "smime-signed.eml"
#: M320 only (error, safe fix).
SUBJECT = FIXTURES / "examples" / "raw-utf8-subject.eml"
#: M501 only (error, no fix).
EXE = FIXTURES / "examples" / "exe-attachment.eml"
CLEAN = FIXTURES / "examples" / "clean.eml"

HINT = "fixing would invalidate the signature: fix before signing, or re-sign"
DKIM_SIGNER = "DKIM-Signature (d=example.com)"
HELD_1 = (
    "1 fix held back: it would invalidate a signature "
    "(fix before signing, or use --break-signatures and re-sign)."
)
HELD_2 = (
    "2 fixes held back: they would invalidate a signature "
    "(fix before signing, or use --break-signatures and re-sign)."
)


pytestmark = pytest.mark.usefixtures("cli_in_tmp")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def copy(source: Path, name: str | None = None) -> Path:
    target = Path(name or source.name)
    shutil.copyfile(source, target)
    return target


def summary(text: str) -> list[str]:
    """The lines after the blank line that ends the findings (or all, when none)."""
    lines = text.splitlines()
    if "" in lines:
        lines = lines[len(lines) - lines[::-1].index("") :]
    return lines


# -- the summary ----------------------------------------------------------------------


def test_diff_on_a_file_with_an_error_says_what_it_has_and_what_would_be_fixed() -> None:
    path = copy(SUBJECT)
    before = path.read_bytes()
    result = run("check", "--diff", str(path))
    assert result.exit_code == 1  # there is something to change
    assert result.stdout.startswith(f"--- a/{path}\n+++ b/{path}\n")
    assert result.stderr == (
        "Found 1 finding (1 error) in 1 file checked; "
        "--fix would fix 1 (nothing written), none would remain.\n"
    )
    assert "All checks passed" not in result.stderr
    assert path.read_bytes() == before


def test_diff_with_some_left_names_what_would_remain_and_lists_it() -> None:
    path = copy(PGP, "pgp.eml")
    result = run("check", "--diff", "pgp.eml")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("pgp.eml:12:28: M103 [warning] ")  # no [*]: --fix leaves it
    assert lines[0].endswith(
        f"; not fixed: part 1 is signed (multipart/signed, application/pgp-signature); {HINT}"
        " (part 1)"
    )
    assert lines[1:] == [
        "",
        (
            "Found 2 findings (1 error, 1 warning) in 1 file checked; "
            "--fix would fix 1 (nothing written), 1 would remain (1 warning)."
        ),
        HELD_1,
    ]
    assert path.read_bytes() == PGP.read_bytes()


def test_diff_exits_1_when_an_error_would_remain_even_with_nothing_to_change() -> None:
    copy(EXE, "exe.eml")
    result = run("check", "--diff", "exe.eml")
    assert (result.exit_code, result.stdout) == (1, "")
    assert summary(result.stderr) == [
        (
            "Found 1 finding (1 error) in 1 file checked; "
            "--fix would fix 0 (nothing written), 1 would remain (1 error)."
        )
    ]
    # The same status as plain check: --diff never passes what check fails.
    assert run("check", "exe.eml").exit_code == 1


def test_diff_of_a_clean_file_passes() -> None:
    copy(CLEAN, "clean.eml")
    result = run("check", "--diff", "clean.eml")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "All checks passed: no findings in 1 file.\n"


def test_diff_show_fixes_says_nothing_was_written() -> None:
    copy(SUBJECT, "s.eml")
    result = run("check", "--diff", "--show-fixes", "s.eml")
    assert result.stderr.splitlines() == [
        "",
        "Would fix (nothing written):",
        "  s.eml:",
        "    M320 encode the non-ASCII text of Subject",
        "",
        (
            "Found 1 finding (1 error) in 1 file checked; "
            "--fix would fix 1 (nothing written), none would remain."
        ),
    ]


def test_fix_says_what_was_fixed_and_what_remains() -> None:
    path = copy(PGP, "pgp.eml")
    result = run("check", "--fix", "--show-fixes", "pgp.eml")
    assert result.exit_code == 0  # only a warning remains
    lines = result.stdout.splitlines()
    assert lines[0].startswith("pgp.eml:12:28: M103 [warning] ")
    assert lines[1:] == [
        "",
        "Fixed:",
        "  pgp.eml:",
        "    M320 encode the non-ASCII text of Subject",
        "",
        (
            "Found 2 findings (1 error, 1 warning) in 1 file checked; "
            "fixed 1, 1 remaining (1 warning)."
        ),
        HELD_1,
    ]
    assert path.read_bytes() != PGP.read_bytes()
    again = run("check", "--fix", "pgp.eml")
    assert summary(again.stdout) == [
        "Found 1 finding (1 warning) in 1 file checked; fixed 0, 1 remaining (1 warning).",
        HELD_1,
    ]
    assert again.exit_code == 0


def test_fix_exits_1_when_an_error_remains() -> None:
    copy(DKIM, "dkim.eml")
    result = run("fix", "dkim.eml")
    assert result.exit_code == 1  # the signed Subject keeps its raw UTF-8 (M320, error)
    assert summary(result.stdout) == [
        (
            "Found 3 findings (2 errors, 1 warning) in 1 file checked; "
            "fixed 1, 2 remaining (1 error, 1 warning)."
        ),
        HELD_2,
    ]


def test_fix_of_everything_exits_0_and_says_none_remaining() -> None:
    copy(SUBJECT, "s.eml")
    result = run("check", "--fix", "s.eml")
    assert (result.exit_code, result.stdout) == (
        0,
        "Found 1 finding (1 error) in 1 file checked; fixed 1, none remaining.\n",
    )


def test_plain_check_summary_is_unchanged_in_form() -> None:
    copy(SUBJECT, "s.eml")
    result = run("check", "s.eml")
    assert result.exit_code == 1
    assert summary(result.stdout) == [
        "Found 1 finding (1 error) in 1 file checked.",
        "[*] 1 fixable with `mimelint check --fix`.",
    ]


# -- signatures: check marks fixable what --fix fixes -------------------------------------


def test_check_does_not_mark_a_fix_that_a_dkim_signature_blocks() -> None:
    copy(DKIM, "dkim.eml")
    result = run("check", "dkim.eml")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    heads = [
        line.split(" Subject")[0].split(" X-Mailer")[0].split(" Content-")[0] for line in lines[:3]
    ]
    assert heads == [
        "dkim.eml:7:12: M320 [error]",
        "dkim.eml:10:12: M320 [*] [error]",
        "dkim.eml:13:28: M103 [warning]",
    ]
    assert lines[0].endswith(f"; not fixed: the Subject field is signed by {DKIM_SIGNER}; {HINT}")
    assert summary(result.stdout) == [
        "Found 3 findings (2 errors, 1 warning) in 1 file checked.",
        "[*] 1 fixable with `mimelint check --fix`.",
        HELD_2,
    ]


def test_check_json_sarif_and_statistics_agree_with_fix() -> None:
    copy(DKIM, "dkim.eml")
    items = json.loads(run("check", "--format", "json", "dkim.eml").stdout)
    assert [(i["code"], i["line"], i["fixable"], i["fix_safety"]) for i in items] == [
        ("M320", 7, False, None),
        ("M320", 10, True, "safe"),
        ("M103", 13, False, None),
    ]
    sarif = json.loads(run("check", "--format", "sarif", "dkim.eml").stdout)
    results = sarif["runs"][0]["results"]
    with_fixes = [
        r["locations"][0]["physicalLocation"]["region"]["startLine"]
        for r in results
        if "fixes" in r
    ]
    assert with_fixes == [10]
    stats = json.loads(run("check", "--format", "json", "--statistics", "dkim.eml").stdout)
    assert [(s["code"], s["count"], s["fixable"]) for s in stats] == [
        ("M320", 2, True),
        ("M103", 1, False),
    ]
    text = run("check", "--statistics", "dkim.eml").stdout.splitlines()
    assert text[:2] == [
        "2  M320  [*] unencoded-header-text",
        "1  M103      eight-bit-transfer-encoding",
    ]


@pytest.mark.parametrize("fixture", [PGP, DKIM, SMIME], ids=["pgp", "dkim", "smime"])
def test_what_check_holds_back_is_what_fix_skips(fixture: Path) -> None:
    data = fixture.read_bytes()
    fixed = mimelint.fix(data)
    skipped = sorted((s.finding.code, s.finding.line, s.finding.column) for s in fixed.skipped)
    assert skipped  # the fixture does have a fix that a signature blocks
    copy(fixture, "m.eml")
    items = json.loads(run("check", "--format", "json", "m.eml").stdout)
    held = sorted(
        (i["code"], i["line"], i["column"]) for i in items if "; not fixed: " in i["message"]
    )
    assert held == skipped
    assert all(not i["fixable"] for i in items if "; not fixed: " in i["message"])
    # The messages are the ones --fix reports for the findings it leaves.
    remaining = {f.message for f in fixed.remaining if "; not fixed: " in f.message}
    assert {i["message"] for i in items if "; not fixed: " in i["message"]} == remaining


def test_break_signatures_marks_and_fixes_everything() -> None:
    path = copy(DKIM, "dkim.eml")
    marked = run("check", "--break-signatures", "dkim.eml")
    assert [line.split(" [")[0] for line in marked.stdout.splitlines()[:3]] == [
        "dkim.eml:7:12: M320",
        "dkim.eml:10:12: M320",
        "dkim.eml:13:28: M103",
    ]
    assert all(" [*] " in line for line in marked.stdout.splitlines()[:3])
    assert "not fixed" not in marked.stdout
    assert summary(marked.stdout) == [
        "Found 3 findings (2 errors, 1 warning) in 1 file checked.",
        "[*] 3 fixable with `mimelint check --fix --break-signatures`.",
    ]
    result = run("fix", "--break-signatures", "dkim.eml")
    assert (result.exit_code, result.stdout) == (
        0,
        "Found 3 findings (2 errors, 1 warning) in 1 file checked; fixed 3, none remaining.\n",
    )
    assert path.read_bytes() == mimelint.fix(DKIM.read_bytes(), keep_signatures=False).data


def test_break_signatures_with_diff_and_stdin() -> None:
    copy(PGP, "pgp.eml")
    diff = run("check", "--diff", "--break-signatures", "pgp.eml")
    assert diff.exit_code == 1
    assert "+Content-Transfer-Encoding: quoted-printable" in diff.stdout.replace("\r", "")
    assert summary(diff.stderr) == [
        (
            "Found 2 findings (1 error, 1 warning) in 1 file checked; "
            "--fix would fix 2 (nothing written), none would remain."
        )
    ]
    piped = CliRunner().invoke(main, ["fix", "--break-signatures", "-"], input=PGP.read_bytes())
    assert piped.stdout_bytes == mimelint.fix(PGP.read_bytes(), keep_signatures=False).data
    kept = CliRunner().invoke(main, ["fix", "-"], input=PGP.read_bytes())
    assert kept.stdout_bytes == mimelint.fix(PGP.read_bytes()).data != piped.stdout_bytes


def test_break_signatures_is_in_the_help_of_check_and_fix() -> None:
    for command in ("check", "fix"):
        assert "--break-signatures" in run(command, "--help").stdout
