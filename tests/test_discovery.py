"""Which files a run checks: include, exclude, force-exclude, unreadable folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mimelint.config import Configuration
from mimelint.runner import discover
from tests.test_cli import CLEAN, EIGHT_BIT, run, write


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)


def _checked(stdout: str, code: str = "M102") -> list[str]:
    return [line.split(":")[0] for line in stdout.splitlines() if f": {code} " in line]


def test_the_extension_is_matched_case_insensitively(tmp_path: Path) -> None:
    write(tmp_path / "mail" / "Export.EML", EIGHT_BIT)
    write(tmp_path / "mail" / "b.Eml", EIGHT_BIT)
    write(tmp_path / "mail" / "notes.txt", EIGHT_BIT)
    result = run("check", "--select", "M102", "mail")
    assert result.exit_code == 1, result.output
    assert _checked(result.stdout) == [
        os.path.join("mail", "Export.EML"),
        os.path.join("mail", "b.Eml"),
    ]


def test_include_replaces_and_extend_include_adds(tmp_path: Path) -> None:
    write(tmp_path / "mail" / "a.eml", EIGHT_BIT)
    write(tmp_path / "mail" / "b.msg.txt", EIGHT_BIT)
    write(tmp_path / "mail" / "raw" / "c.MIME", EIGHT_BIT)
    write(tmp_path / "mimelint.toml", b"include = ['*.msg.txt', 'mail/raw/*.mime']\n")
    result = run("check", "--select", "M102", "mail")
    assert _checked(result.stdout) == [
        os.path.join("mail", "b.msg.txt"),
        os.path.join("mail", "raw", "c.MIME"),
    ]
    write(tmp_path / "mimelint.toml", b"extend-include = ['*.msg.txt']\n")
    result = run("check", "--select", "M102", "mail")
    assert _checked(result.stdout) == [
        os.path.join("mail", "a.eml"),
        os.path.join("mail", "b.msg.txt"),
    ]


def test_no_file_matching_a_custom_include_names_the_patterns(tmp_path: Path) -> None:
    write(tmp_path / "mail" / "a.eml", CLEAN)
    write(tmp_path / "mimelint.toml", b"include = ['*.msg']\n")
    result = run("check", "mail")
    assert (result.exit_code, result.stderr) == (
        2,
        "mimelint: error: no files matching include (*.msg) found under mail\n",
    )


def _unreadable(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make os.scandir fail on directories called ``name`` (tests may run as root)."""
    real = os.scandir

    def scandir(path: object) -> object:
        if Path(str(path)).name == name:
            raise PermissionError(13, "Permission denied")
        return real(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_folder_is_reported_and_the_rest_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "mail" / "a.eml", EIGHT_BIT)
    write(tmp_path / "mail" / "private" / "b.eml", EIGHT_BIT)
    write(tmp_path / "mail" / "z" / "c.eml", EIGHT_BIT)
    _unreadable(monkeypatch, "private")
    result = run("check", "--select", "M102", "mail")
    assert result.exit_code == 2
    private = os.path.join("mail", "private")
    assert result.stderr == (
        f"mimelint: error: {private}: cannot read the directory: Permission denied\n"
    )
    assert _checked(result.stdout) == [
        os.path.join("mail", "a.eml"),
        os.path.join("mail", "z", "c.eml"),
    ]
    assert "no .eml files found" not in result.output
    assert result.stdout.splitlines()[-1] == "1 file could not be read."


def test_a_folder_that_holds_only_an_unreadable_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mail" / "private").mkdir(parents=True)
    _unreadable(monkeypatch, "private")
    result = run("check", "mail")
    assert result.exit_code == 2
    assert "cannot read the directory" in result.stderr
    assert "no .eml files found" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() == 0, reason="root reads any folder")
def test_a_real_unreadable_folder(tmp_path: Path) -> None:
    write(tmp_path / "mail" / "a.eml", CLEAN)
    locked = tmp_path / "mail" / "locked"
    write(locked / "b.eml", CLEAN)
    locked.chmod(0)
    try:
        result = run("check", "mail")
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 2
    assert "locked: cannot read the directory" in result.stderr


def test_explicit_files_are_checked_unless_force_exclude(tmp_path: Path) -> None:
    write(tmp_path / "drafts" / "d.eml", EIGHT_BIT)
    write(tmp_path / "a.eml", EIGHT_BIT)
    write(tmp_path / "mimelint.toml", b"extend-exclude = ['drafts']\n")
    # Without force-exclude a file named explicitly is checked (as before).
    assert _checked(run("check", "--select", "M102", "drafts/d.eml", "a.eml").stdout) == [
        "drafts/d.eml",
        "a.eml",
    ]
    # With it, a file below an excluded folder is skipped, as discovery would.
    forced = run("check", "--select", "M102", "--force-exclude", "drafts/d.eml", "a.eml")
    assert _checked(forced.stdout) == ["a.eml"]
    assert forced.exit_code == 1
    # The same from the configuration.
    write(tmp_path / "mimelint.toml", b"extend-exclude = ['drafts']\nforce-exclude = true\n")
    assert _checked(run("check", "--select", "M102", "drafts/d.eml", "a.eml").stdout) == ["a.eml"]


def test_force_exclude_by_file_name_glob(tmp_path: Path) -> None:
    write(tmp_path / "a.eml", EIGHT_BIT)
    write(tmp_path / "broken-on-purpose.eml", EIGHT_BIT)
    write(tmp_path / "mimelint.toml", b"extend-exclude = ['broken-*']\nforce-exclude = true\n")
    result = run("check", "--select", "M102", "a.eml", "broken-on-purpose.eml")
    assert _checked(result.stdout) == ["a.eml"]


def test_when_every_file_is_force_excluded_the_run_passes(tmp_path: Path) -> None:
    write(tmp_path / "drafts" / "d.eml", EIGHT_BIT)
    write(tmp_path / "mimelint.toml", b"extend-exclude = ['drafts']\nforce-exclude = true\n")
    result = run("check", "drafts/d.eml")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        "mimelint: warning: every path given is excluded (force-exclude); nothing to check\n"
    )
    # --quiet drops the warning too.
    quiet = run("check", "--quiet", "drafts/d.eml")
    assert (quiet.exit_code, quiet.output) == (0, "")


def test_force_exclude_off_on_the_command_line_wins(tmp_path: Path) -> None:
    write(tmp_path / "drafts" / "d.eml", EIGHT_BIT)
    write(tmp_path / "mimelint.toml", b"extend-exclude = ['drafts']\nforce-exclude = true\n")
    assert run("check", "--no-force-exclude", "drafts/d.eml").exit_code == 1


def test_settings_predicates(tmp_path: Path) -> None:
    settings = Configuration(root=tmp_path, exclude=("drafts", "*.bak.eml"), force_exclude=True)
    assert settings.is_included(tmp_path / "A.EML")
    assert not settings.is_included(tmp_path / "a.eml.txt")
    assert settings.is_force_excluded(tmp_path / "drafts" / "x" / "a.eml")
    assert settings.is_force_excluded(tmp_path / "old.bak.eml")
    assert not settings.is_force_excluded(tmp_path / "a.eml")
    assert not Configuration(root=tmp_path, exclude=("drafts",)).is_force_excluded(
        tmp_path / "drafts" / "a.eml"
    )


def test_discover_reports_what_it_skipped(tmp_path: Path) -> None:
    write(tmp_path / "drafts" / "d.eml", CLEAN)
    (tmp_path / "empty").mkdir()
    settings = Configuration(root=tmp_path, exclude=("drafts",), force_exclude=True)
    empty: list[str] = []
    excluded: list[str] = []
    paths = [str(tmp_path / "drafts" / "d.eml"), str(tmp_path / "empty")]
    assert list(discover(paths, settings, empty=empty, excluded=excluded)) == []
    assert excluded == [paths[0]]
    assert empty == [paths[1]]


def test_a_symbolic_link_loop_is_walked_once(tmp_path: Path) -> None:
    # A link back to the folder itself or to one above it: its files are
    # found where they are; following it would go round until the system
    # refuses (ELOOP), which used to escape as a traceback.
    write(tmp_path / "mail" / "a.eml", EIGHT_BIT)
    write(tmp_path / "mail" / "sub" / "b.eml", EIGHT_BIT)
    os.symlink(tmp_path / "mail", tmp_path / "mail" / "self")
    os.symlink(os.path.join("..", ".."), tmp_path / "mail" / "sub" / "up")
    os.symlink(tmp_path / "elsewhere", tmp_path / "mail" / "dangling")
    result = run("check", "--select", "M102", "mail")
    assert result.exit_code == 1, result.output
    assert _checked(result.stdout) == [
        os.path.join("mail", "a.eml"),
        os.path.join("mail", "sub", "b.eml"),
    ]


def test_a_link_the_system_will_not_follow_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "mail" / "a.eml", EIGHT_BIT)
    os.symlink("knot", tmp_path / "mail" / "knot")  # a link to itself
    found = list(discover(["mail"], Configuration()))
    assert found[0] == (os.path.join("mail", "a.eml"), None)
    assert found[1][0] == os.path.join("mail", "knot") and found[1][1] is not None
