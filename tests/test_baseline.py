"""Adopting mimelint on a repository with problems: fingerprints, baselines,
--exit-zero, --quiet, SARIF partialFingerprints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import mimelint
from mimelint.baseline import Baseline, BaselineError, fingerprints
from mimelint.formats import FileResult
from tests.test_cli import CLEAN, EIGHT_BIT, run, write
from tests.test_formats_sarif_github import SCHEMA, _validate
from tests.util import FIXTURES, msg

#: Two findings: a raw UTF-8 Subject (M320) and an 8-bit body (M102).
TWO = msg(
    """From: Jana <jana@example.com>
To: Team <team@example.org>
Subject: Grüße
Date: Tue, 14 May 2024 09:12:44 +0200
Message-ID: <9@example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Grüße aus München
"""
)


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)


def _fps(raw: bytes) -> dict[str, str]:
    found = mimelint.lint(raw).findings
    return {f.code: fp for f, fp in zip(found, fingerprints(raw, found), strict=True)}


# -- fingerprints -----------------------------------------------------------------
def test_a_fingerprint_survives_edits_elsewhere_in_the_file() -> None:
    before = _fps(TWO)
    assert set(before) == {"M320", "M102"}
    # Lines added above, a field changed, the line endings changed: the same findings.
    edited = TWO.replace(b"To: Team", b"X-Mailer: ours\r\nTo: Team").replace(b"Hello", b"Hi")
    edited = edited.replace(b"Message-ID: <9@", b"Message-ID: <10@")
    assert _fps(edited) == before
    assert _fps(TWO.replace(b"\r\n", b"\n")) == before


def test_a_fingerprint_changes_with_what_the_finding_is_about() -> None:
    before = _fps(TWO)
    after = _fps(TWO.replace("Subject: Grüße".encode(), "Subject: Größe".encode()))
    assert after["M320"] != before["M320"]
    assert after["M102"] == before["M102"]


def test_identical_findings_in_one_file_are_numbered() -> None:
    raw = TWO.replace(b"Subject:", "Comments: Grüße\r\nSubject:".encode())
    found = mimelint.lint(raw, select=["M320"]).findings
    assert len(found) == 2
    first, second = fingerprints(raw, found)
    assert first.endswith(":1") and second.endswith(":2")
    assert first.split(":")[0] != second.split(":")[0] or first != second


def test_empty_span_findings_use_the_message() -> None:
    no_from = CLEAN.replace(b"From: Jana <jana@example.com>\r\n", b"")
    (f,) = mimelint.lint(no_from, select=["M406"]).findings
    assert f.start == f.end
    (fp,) = fingerprints(no_from, [f])
    (again,) = fingerprints(b"X: y\r\n" + no_from, mimelint.lint(no_from, select=["M406"]).findings)
    assert fp == again


# -- --write-baseline / --baseline -------------------------------------------------
def test_baseline_reports_only_new_findings(tmp_path: Path) -> None:
    write(tmp_path / "mail" / "old.eml", TWO)
    write(tmp_path / "mail" / "clean.eml", CLEAN)
    written = run("check", "--write-baseline", "baseline.json", "mail")
    assert written.exit_code == 0, written.output
    assert "mimelint: wrote 2 findings to the baseline baseline.json" in written.stderr
    document = json.loads((tmp_path / "baseline.json").read_text("utf-8"))
    assert document["mimelint-baseline"] == 1
    assert sorted((e["path"], e["code"], e["part"]) for e in document["findings"]) == [
        ("mail/old.eml", "M102", ""),
        ("mail/old.eml", "M320", ""),
    ]

    # Nothing new: the run passes and says what it left out.
    known = run("check", "--baseline", "baseline.json", "mail")
    assert known.exit_code == 0, known.output
    assert known.stdout.splitlines() == [
        "All checks passed: no findings in 2 files.",
        "2 findings in the baseline not shown (--baseline).",
    ]

    # An edit elsewhere in the old file keeps its findings known ...
    (tmp_path / "mail" / "old.eml").write_bytes(TWO.replace(b"To:", b"Cc: x@example.org\r\nTo:"))
    assert run("check", "--baseline", "baseline.json", "mail").exit_code == 0
    # ... and a new problem is reported, alone.
    write(tmp_path / "mail" / "new.eml", EIGHT_BIT)
    new = run("check", "--baseline", "baseline.json", "mail")
    assert new.exit_code == 1
    assert [line.split(":")[0] for line in new.stdout.splitlines() if " M" in line] == [
        "mail/new.eml"
    ]


def test_baseline_paths_are_relative_to_the_baseline_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "repo" / "mail" / "old.eml", TWO)
    monkeypatch.chdir(tmp_path / "repo")
    assert run("check", "--write-baseline", ".mimelint-baseline.json", "mail").exit_code == 0
    # Run from elsewhere, with the same files named another way.
    monkeypatch.chdir(tmp_path)
    again = run("check", "--baseline", "repo/.mimelint-baseline.json", "repo/mail/old.eml")
    assert again.exit_code == 0, again.output


def test_bad_baseline_files_are_one_line(tmp_path: Path) -> None:
    write(tmp_path / "a.eml", CLEAN)
    missing = run("check", "--baseline", "nope.json", "a.eml")
    assert missing.exit_code == 2
    assert missing.stderr == (
        "mimelint: error: cannot read the baseline nope.json: No such file or directory\n"
    )
    write(tmp_path / "other.json", b'{"findings": []}')
    other = run("check", "--baseline", "other.json", "a.eml")
    assert other.exit_code == 2 and other.stderr.count("\n") == 1
    assert "is not a mimelint baseline" in other.stderr
    both = run("check", "--baseline", "x", "--write-baseline", "y", "a.eml")
    assert both.exit_code == 2 and "use one of --baseline or --write-baseline" in both.stderr


def test_baseline_load_rejects_entries_without_keys(tmp_path: Path) -> None:
    path = write(tmp_path / "b.json", b'{"mimelint-baseline": 1, "findings": [{"path": "a"}]}')
    with pytest.raises(BaselineError, match="without path, code, part and fingerprint"):
        Baseline.load(path)


def test_baseline_filter_keeps_results_without_known_findings(tmp_path: Path) -> None:
    baseline = Baseline([], tmp_path)
    result = FileResult("a.eml")
    assert baseline.filter(result) is result


# -- --exit-zero and --quiet -------------------------------------------------------
def test_exit_zero(tmp_path: Path) -> None:
    write(tmp_path / "a.eml", EIGHT_BIT)
    result = run("check", "--exit-zero", "a.eml")
    assert result.exit_code == 0
    assert ": M102 " in result.stdout  # still reported
    # A failure is still a failure.
    assert run("check", "--exit-zero", "missing.eml").exit_code == 2


def test_quiet_prints_the_findings_only(tmp_path: Path) -> None:
    write(tmp_path / "a.eml", EIGHT_BIT)
    write(tmp_path / "b.eml", CLEAN)
    result = run("check", "--quiet", "--select", "M102", "a.eml", "b.eml")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        line for line in result.stdout.splitlines() if " M102 " in line
    ]
    assert len(result.stdout.splitlines()) == 1
    clean = run("check", "-q", "b.eml")
    assert (clean.exit_code, clean.stdout) == (0, "")


# -- SARIF ---------------------------------------------------------------------------
def test_sarif_results_carry_partial_fingerprints(tmp_path: Path) -> None:
    write(tmp_path / "a.eml", TWO)
    log = json.loads(run("check", "--format", "sarif", "a.eml").stdout)
    results = log["runs"][0]["results"]
    assert len(results) == 2
    if SCHEMA.exists():  # the SARIF 2.1.0 schema accepts the fingerprints
        _validate(log, json.loads(SCHEMA.read_text("utf-8")))
    expected = _fps(TWO)
    for result in results:
        assert result["partialFingerprints"] == {
            "mimelintFingerprint/v1": expected[result["ruleId"]]
        }
    # The same after an edit elsewhere: GitHub sees the same results.
    write(tmp_path / "a.eml", TWO.replace(b"To:", b"Cc: x@example.org\r\nTo:"))
    moved = json.loads(run("check", "--format", "sarif", "a.eml").stdout)["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in moved] == [r["partialFingerprints"] for r in results]
    assert [r["locations"] for r in moved] != [r["locations"] for r in results]


def _fixture_messages() -> list[Path]:
    from tests.util import FIXTURES

    return sorted(FIXTURES.rglob("*.eml"))


def test_every_fixture_keeps_its_fingerprints_when_a_field_is_inserted() -> None:
    """Over the whole fixture corpus: a field added at the top moves every
    finding, and changes none of their fingerprints."""
    checked = 0
    for path in _fixture_messages():
        data = path.read_bytes()
        first = data.find(b"\n")
        if first < 0 or not mimelint.lint(data).findings:
            continue
        if {f.code for f in mimelint.lint(data).findings} & {"M001", "M002"}:
            continue  # not a message: a field line would make it one
        if data.startswith((b"From ", b" ", b"\t")) or b":" not in data[:first]:
            continue  # insert only before a first line that is a field
        newline = b"\r\n" if data[first - 1 : first] == b"\r" else b"\n"
        # At the very top: after the first line could split a folded field.
        edited = b"X-Inserted: yes" + newline + data
        before = mimelint.lint(data).findings
        after = mimelint.lint(edited).findings
        assert sorted(zip((f.code for f in before), fingerprints(data, before))) == sorted(
            zip((f.code for f in after), fingerprints(edited, after))
        ), path.name
        checked += 1
    assert checked > 100


def test_a_template_gets_a_baseline_like_a_message(tmp_path: Path) -> None:
    # A template's findings had no fingerprints: --write-baseline (and
    # --baseline) stopped with a traceback (zip() argument 2 is shorter).
    template = FIXTURES / "rules" / "M801" / "bad.eml.j2"
    write(tmp_path / "mail" / "welcome.eml.j2", template.read_bytes())
    write(tmp_path / "mail" / "old.eml", TWO)
    written = run("check", "--write-baseline", "baseline.json", "mail")
    assert written.exit_code == 0, written.output
    document = json.loads((tmp_path / "baseline.json").read_text("utf-8"))
    assert ("mail/welcome.eml.j2", "M801") in {(e["path"], e["code"]) for e in document["findings"]}
    known = run("check", "--baseline", "baseline.json", "mail")
    assert known.exit_code == 0, known.output
    assert known.stdout.startswith("All checks passed: no findings in 2 files.")
