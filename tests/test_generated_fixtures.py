"""Messages from mainstream generators, used correctly, get errors only where they are broken.

Issue 13: ``fixtures/generated/python`` holds messages written by Python's
email package (``EmailMessage`` with ``policy.default`` and ``policy.SMTP``)
and ``fixtures/generated/nodemailer`` messages written by nodemailer's
``MailComposer``, both by the scripts under ``tools/generators/``; the
other folders hold what other mainstream mailers write (Perl, PHP, Ruby,
Java and Go libraries; README.md there names each, its version and
licence, and the script under ``tools/generators/`` that wrote it). Their
findings are pinned by the snapshot test; these tests hold the promise
behind them: an error only where a provider would refuse the message or a
reader would see it broken, and every quirk a warning (or less) with a fix
that settles it (safe, or unsafe where it must guess, as M732's charset).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

import mimelint
from mimelint.fixer import fix
from mimelint.profile import PROFILES
from tests.util import FIXTURES, ROOT

GENERATED = FIXTURES / "generated"
MESSAGES = sorted(GENERATED.glob("*/*.eml"))

#: The errors on generated messages that are right, each with why.
JUSTIFIED_ERRORS = {
    # The script gives Python the raw string "Doe, John <john@example.com>"
    # (misuse: the display name is not quoted). Python reads it as two
    # addresses, as every reader does, and writes it unquoted; SES refuses
    # it ("Missing final '@domain'"). Built with Address(...), the same name
    # is quoted and gets no finding (23-comma-in-name.smtp.eml).
    ("python/24-misuse-comma-in-raw-string.smtp.eml", "M401"),
    # gomail (gopkg.in/gomail.v2, Message.Attach) writes the file name as
    # raw UTF-8 in Content-Type name= and Content-Disposition filename=:
    # 8-bit bytes in a header need SMTPUTF8 (RFC 6532), which SES's raw
    # message does not take ("content outside 7-bit ASCII should be
    # encoded"); its fix writes RFC 2231 (filename*=utf-8''...).
    ("go-gomail/08-attachment-nonascii-name.eml", "M320"),
}


def _name(path: Path) -> str:
    return path.relative_to(GENERATED).as_posix()


def test_there_are_a_few_dozen_of_each() -> None:
    for generator in ("python", "nodemailer"):
        assert len(list((GENERATED / generator).glob("*.eml"))) >= 25, generator


def test_every_other_mailer_is_described_and_covered() -> None:
    # Each folder is one library's output: named in the README (where it
    # came from, its licence) and holding the cases the scripts build.
    readme = (GENERATED / "README.md").read_text()
    folders = sorted(p for p in GENERATED.iterdir() if p.is_dir())
    assert len(folders) >= 13
    for folder in folders:
        assert f"`{folder.name}/`" in readme, folder.name
        assert len(list(folder.glob("*.eml"))) >= 5, folder.name


@pytest.mark.parametrize("profile", sorted(PROFILES))
@pytest.mark.parametrize("path", MESSAGES, ids=_name)
def test_no_error_unless_justified(path: Path, profile: str) -> None:
    # Every rule, the ones off by default too (M901: the readers agree).
    found = mimelint.lint(path.read_bytes(), profile=profile, select=["ALL"]).findings
    errors = {(_name(path), f.code) for f in found if f.severity.value == "error"}
    assert errors <= JUSTIFIED_ERRORS, [f.message for f in found if f.severity.value == "error"]


def test_every_justified_error_still_happens() -> None:
    # A justification for an error that no longer occurs is stale.
    for name, code in JUSTIFIED_ERRORS:
        found = mimelint.lint((GENERATED / name).read_bytes()).findings
        assert any(f.code == code and f.severity.value == "error" for f in found), name


@pytest.mark.parametrize("path", MESSAGES, ids=_name)
def test_quirks_are_fixed_safely(path: Path) -> None:
    raw = path.read_bytes()
    found = [f for f in mimelint.lint(raw).findings if f.severity.value != "error"]
    assert all(f.fix is not None for f in found), [f.code for f in found if f.fix is None]
    safe = fix(raw)
    assert safe.refused is None and not safe.refused_fixes
    # M732's fix (declaring a charset the part does not name) is a guess,
    # so it is unsafe; with it, nothing but errors is left.
    result = fix(raw, unsafe=True)
    assert result.refused is None and not result.refused_fixes
    left = [f.code for f in mimelint.lint(result.data).findings if f.severity.value != "error"]
    assert left == [], left


def _python_generator() -> ModuleType:
    path = ROOT / "tools" / "generators" / "python" / "generate.py"
    spec = importlib.util.spec_from_file_location("generate_python_fixtures", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_python_fixtures_are_what_the_script_writes() -> None:
    # The fixtures are this Python's output; if a Python release changes what
    # its email package writes, regenerate them and read the snapshot diff.
    gen = _python_generator()
    for index, (name, make) in enumerate(gen.CASES):
        label, pol = gen.POLICIES[index % 2]
        path = GENERATED / "python" / f"{index + 1:02d}-{name}.{label}.eml"
        assert gen.build(index, make, pol) == path.read_bytes(), (
            f"{path.name} differs: run python tools/generators/python/generate.py"
        )
