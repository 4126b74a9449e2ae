"""The pre-commit hooks, run by the real ``pre-commit``.

``pre-commit try-repo`` clones this repository and pip-installs it into a
fresh hook environment, exactly as a user's ``.pre-commit-config.yaml``
would. It uses the *committed* state: uncommitted changes to tracked files
(staged or not) are added to a temporary "shadow" commit, but untracked
files are not, so commit new files before running this test locally. Each
try-repo run builds its environment anew (about half a minute, with PyPI),
so the module makes two runs, shared through module fixtures, and the tests
that need them are marked ``slow``: ``pytest -m "not slow"`` skips them; CI
runs them.

The snippets of docs/pre-commit.md are run as written too, with ``pre-commit
run`` and only their repository URL replaced by a clone of this repository
in which the commit under test carries the documented ``rev`` tag (what the
release step of docs/releasing.md creates).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import mimelint
from tests.util import ROOT, msg

GOOD = msg(
    "From: Ann Example <ann@example.com>\n"
    "To: Bob Example <bob@example.com>\n"
    "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\n"
    "Date: Mon, 2 Jun 2025 10:00:00 +0000\n"
    "Message-ID: <good.1@example.com>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=us-ascii\n"
    "Content-Transfer-Encoding: 7bit\n"
    "\n"
    "Hello Bob,\n"
    "\n"
    "see you on Monday.\n"
)
# The same message with its Subject written as raw UTF-8: refused by SES
# without SMTPUTF8, and safely fixable by re-encoding it as an encoded-word.
BAD = GOOD.replace(b"=?utf-8?q?Gr=C3=BC=C3=9Fe?=", "Grüße".encode()).replace(b"good.1", b"bad.1")


def _pre_commit() -> list[str]:
    found = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    if found is None:
        found = shutil.which("pre-commit")
    if found is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    return [found]


def _env(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GIT_", "PRE_COMMIT")) and k not in ("GITHUB_ACTIONS", "VIRTUAL_ENV")
    }
    env["PRE_COMMIT_HOME"] = str(home / "pre-commit-home")
    env["PRE_COMMIT_COLOR"] = "never"
    env["GIT_AUTHOR_NAME"] = env["GIT_COMMITTER_NAME"] = "mimelint tests"
    env["GIT_AUTHOR_EMAIL"] = env["GIT_COMMITTER_EMAIL"] = "tests@example.com"
    return env


def _git(repo: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@dataclass
class Run:
    returncode: int
    output: str


def _try_repo(repo: Path, env: dict[str, str], *args: str) -> Run:
    done = subprocess.run(
        [*_pre_commit(), "try-repo", str(ROOT), *args],
        cwd=repo,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return Run(done.returncode, done.stdout + done.stderr)


@dataclass
class Session:
    repo: Path
    env: dict[str, str]


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    """A template repository with one good and one bad message, both staged."""
    if not (ROOT / ".git").exists():
        pytest.skip(f"{ROOT} is not a git repository; try-repo needs one")
    tracked = subprocess.run(
        ["git", "ls-files", "--error-unmatch", ".pre-commit-hooks.yaml"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    assert tracked.returncode == 0, ".pre-commit-hooks.yaml must be committed (try-repo reads HEAD)"
    home = tmp_path_factory.mktemp("pre-commit")
    repo = home / "templates"
    repo.mkdir()
    env = _env(home)
    _git(repo, env, "init", "-q")
    (repo / "README").write_text("Our message templates.\n", encoding="utf-8")
    _git(repo, env, "add", "README")
    _git(repo, env, "commit", "-q", "-m", "start")
    (repo / "good.eml").write_bytes(GOOD)
    (repo / "bad.eml").write_bytes(BAD)
    (repo / "notes.txt").write_bytes(b"not a message: the hook must not look at it\xff\n")
    _git(repo, env, "add", "good.eml", "bad.eml", "notes.txt")
    return Session(repo, env)


@pytest.fixture(scope="module")
def only_good(session: Session) -> Run:
    """The check hook at commit time with only good.eml staged."""
    _git(session.repo, session.env, "rm", "-q", "--cached", "bad.eml")
    try:
        return _try_repo(session.repo, session.env, "mimelint")
    finally:
        _git(session.repo, session.env, "add", "bad.eml")


@pytest.fixture(scope="module")
def both_hooks(session: Session, only_good: Run) -> Run:
    """Both hooks (check, then fix) over every file of the repository."""
    return _try_repo(session.repo, session.env, "--all-files")


def test_the_messages_are_what_the_test_needs() -> None:
    assert mimelint.lint(GOOD).findings == []
    bad = mimelint.lint(BAD).findings
    assert bad, "the bad message must have findings"
    assert all(f.fix is not None and f.fix.safety.value == "safe" for f in bad)


@pytest.mark.slow
def test_hook_passes_when_only_the_good_message_is_staged(only_good: Run) -> None:
    assert only_good.returncode == 0, only_good.output
    assert "mimelint" in only_good.output and "Passed" in only_good.output


@pytest.mark.slow
def test_check_hook_fails_on_the_bad_message(both_hooks: Run) -> None:
    assert both_hooks.returncode == 1, both_hooks.output
    for finding in mimelint.lint(BAD).findings:
        assert f"bad.eml:{finding.line}:{finding.column}" in both_hooks.output
        assert finding.code in both_hooks.output
    assert "good.eml:" not in both_hooks.output
    assert "notes.txt" not in both_hooks.output


@pytest.mark.slow
def test_fix_hook_rewrites_the_bad_message(session: Session, both_hooks: Run) -> None:
    assert "files were modified by this hook" in both_hooks.output
    assert (session.repo / "good.eml").read_bytes() == GOOD
    fixed = (session.repo / "bad.eml").read_bytes()
    assert fixed != BAD
    assert fixed.isascii()
    # What the check hook would now say, by the same rules and profile.
    assert mimelint.lint(fixed).findings == []


def test_manifest_is_valid() -> None:
    done = subprocess.run(
        [*_pre_commit(), "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


# --- the documented snippets, as written ---------------------------------------

PRE_COMMIT_DOC = ROOT / "docs" / "pre-commit.md"
DOCUMENTED_URL = "https://github.com/mimelint/mimelint"


def _snippets() -> list[str]:
    """The ``.pre-commit-config.yaml`` snippets of docs/pre-commit.md, verbatim."""
    text = PRE_COMMIT_DOC.read_text("utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    return [block for block in blocks if block.startswith("repos:")]


def _version() -> str:
    import tomllib

    with open(ROOT / "pyproject.toml", "rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def test_documented_rev_is_the_release_tag() -> None:
    snippets = _snippets()
    assert len(snippets) == 2
    tag = f"v{_version()}"
    for snippet in snippets:
        assert f"  - repo: {DOCUMENTED_URL}\n" in snippet
        assert re.findall(r"rev: (\S+)", snippet) == [tag], snippet
    assert mimelint.__version__ == _version()
    assert f"@{tag}" in (ROOT / "docs" / "install.md").read_text("utf-8")
    assert f"git tag -a {tag}" in (ROOT / "docs" / "releasing.md").read_text("utf-8")


def test_documented_hook_ids_exist() -> None:
    manifest = (ROOT / ".pre-commit-hooks.yaml").read_text("utf-8")
    ids = re.findall(r"^- id: (\S+)$", manifest, flags=re.MULTILINE)
    for snippet in _snippets():
        for hook in re.findall(r"- id: (\S+)", snippet):
            assert hook in ids
    # Both hooks apply the repository's exclude to the files pre-commit names.
    entries = re.findall(r"^  entry: (.*)$", manifest, flags=re.MULTILINE)
    assert len(entries) == 2 and all(e.endswith(" --force-exclude") for e in entries)


@pytest.fixture(scope="module")
def released_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of this repository whose HEAD carries the documented release tag.

    The tag is what the release step (docs/releasing.md) creates; it is set
    here, in the clone, on the commit under test, so that the test checks
    this commit's hooks with the snippet's own ``rev`` and not an older
    release's.
    """
    if not (ROOT / ".git").exists():
        pytest.skip(f"{ROOT} is not a git repository")
    home = tmp_path_factory.mktemp("clone")
    clone = home / "mimelint"
    env = _env(home)
    subprocess.run(
        ["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(clone)],
        env=env,
        check=True,
        capture_output=True,
    )
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    _git(clone, env, "checkout", "-q", head)
    _git(clone, env, "tag", "-f", f"v{_version()}", head)
    return clone


@pytest.mark.slow
@pytest.mark.parametrize("which", [0, 1], ids=["check-hook", "fix-hook"])
def test_documented_snippet_works_as_written(
    which: int, released_clone: Path, tmp_path: Path
) -> None:
    snippet = _snippets()[which]
    env = _env(tmp_path)
    repo = tmp_path / "templates"
    repo.mkdir()
    _git(repo, env, "init", "-q")
    config = snippet.replace(DOCUMENTED_URL, str(released_clone))
    assert config.count(str(released_clone)) == 1  # only the URL changed
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    (repo / "pyproject.toml").write_text(
        "[tool.mimelint]\nextend-exclude = ['broken']\n", encoding="utf-8"
    )
    (repo / "Good.EML").write_bytes(GOOD)
    (repo / "bad.eml").write_bytes(BAD)
    (repo / "broken").mkdir()
    (repo / "broken" / "junk.eml").write_bytes(b"\x00 not a message \xff\n")
    _git(repo, env, "add", ".")
    done = subprocess.run(
        [*_pre_commit(), "run", "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = done.stdout + done.stderr
    assert "did not match" not in output, output  # the rev exists
    assert done.returncode == 1, output
    if which == 0:
        for finding in mimelint.lint(BAD).findings:
            assert f"bad.eml:{finding.line}:{finding.column}" in output, output
    else:
        assert "files were modified by this hook" in output, output
        assert mimelint.lint((repo / "bad.eml").read_bytes()).findings == []
    assert "Good.EML:" not in output  # matched (case-insensitively) and clean
    assert "junk.eml" not in output  # excluded by the configuration: force-exclude
    assert (repo / "Good.EML").read_bytes() == GOOD
