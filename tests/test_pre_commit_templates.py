"""A template repository that uses this repository's hooks, run by the real ``pre-commit``.

The repository under test has a ``.pre-commit-config.yaml`` naming this
repository (its path, at the *committed* HEAD: commit before running this
locally) and a ``[tool.mimelint]`` table that renders its templates with
sample data, as a real template repository would. The hook environment is
built once (pip installs mimelint and the renderers: about a minute), so
the tests share it and are marked ``slow``.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.test_pre_commit import _env, _git, _pre_commit
from tests.util import ROOT

HEAD = (
    "From: Shop <shop@example.com>\n"
    "To: {{ customer_email }}\n"
    "Date: Mon, 2 Jun 2025 10:00:00 +0000\n"
    "Message-ID: <{{ order_id }}@shop.example.com>\n"
    "MIME-Version: 1.0\n"
)
BODY = (
    "Content-Type: text/plain; charset=us-ascii\n"
    "Content-Transfer-Encoding: 7bit\n"
    "\n"
    "Welcome aboard.\n"
)
#: The Subject placeholder is sent as written: a non-ASCII name makes a raw 8-bit header.
RAW = HEAD + "Subject: Welcome aboard, {{ first_name }}!\n" + BODY
#: The same with the value encoded as RFC 2047 encoded-words by a filter.
SAFE = HEAD + "Subject: Welcome aboard, {{ first_name | rfc2047 }}!\n" + BODY
SAMPLE = {"customer_email": "zoe@example.com", "order_id": "A1", "first_name": "Zoë"}
PYPROJECT = """\
[tool.mimelint]
template-ascii = ["order_id"]
template-encoding-filters = ["rfc2047"]

[tool.mimelint.render-with]
"templates/*.eml.j2" = "samples/customer.json"
"""


@dataclass
class Repo:
    path: Path
    env: dict[str, str]

    def run(self, *files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*_pre_commit(), "run", "--files", *files],
            cwd=self.path,
            env=self.env,
            check=False,
            capture_output=True,
            text=True,
            timeout=900,
        )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    if not (ROOT / ".git").exists():
        pytest.skip(f"{ROOT} is not a git repository")
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    home = tmp_path_factory.mktemp("pre-commit-templates")
    path = home / "mail-templates"
    (path / "templates").mkdir(parents=True)
    (path / "samples").mkdir()
    env = _env(home)
    _git(path, env, "init", "-q")
    config = {
        "repos": [
            {
                "repo": str(ROOT),
                "rev": rev,
                "hooks": [
                    {
                        "id": "mimelint",
                        "additional_dependencies": ["Jinja2>=3.1", "pybars3>=0.9.7"],
                    }
                ],
            }
        ]
    }
    # JSON is YAML: the configuration a user would write, without a YAML writer.
    (path / ".pre-commit-config.yaml").write_text(json.dumps(config, indent=2), encoding="utf-8")
    (path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (path / "samples" / "customer.json").write_text(json.dumps(SAMPLE), encoding="utf-8")
    (path / "templates" / "welcome.eml.j2").write_text(SAFE, encoding="utf-8")
    (path / "templates" / "raw-subject.eml.j2").write_text(RAW, encoding="utf-8")
    _git(path, env, "add", ".")
    return Repo(path, env)


def test_the_templates_are_what_the_test_needs() -> None:
    from mimelint.templates.lint import lint_template

    options = {"template_ascii": ["order_id"], "encoding_filters": ["rfc2047"]}
    assert lint_template(SAFE, data=SAMPLE, **options).ok  # type: ignore[arg-type]
    assert not lint_template(RAW, data=SAMPLE, **options).ok  # type: ignore[arg-type]


@pytest.mark.slow
def test_hook_accepts_the_safe_template(repo: Repo) -> None:
    done = repo.run("templates/welcome.eml.j2")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Passed" in output and "no files to check" not in output


@pytest.mark.slow
def test_hook_rejects_the_subject_placeholder_sent_raw(repo: Repo) -> None:
    done = repo.run("templates/raw-subject.eml.j2")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    # Both modes point at the placeholder on line 6, column 26 of the template.
    assert "templates/raw-subject.eml.j2:6:26: M320" in output
    assert "templates/raw-subject.eml.j2:6:26: M801" in output
