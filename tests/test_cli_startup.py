"""Start-up cost: a plain ``mimelint check`` imports only what it uses.

Under pre-commit the command runs once per commit on a few files, so the
time to start dominates. Each test runs the command in a fresh interpreter
and looks at ``sys.modules`` afterwards: what a run did not need must not
be there. The positive controls show that the check can see an import when
a run does need it (``--format sarif``, ``--diff``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mimelint.config import find_config
from tests.util import FIXTURES

CLEAN = FIXTURES / "examples" / "clean.eml"
#: Has a safe fix, so ``--diff`` has something to show.
FIXABLE = FIXTURES / "examples" / "eight-bit-body-declared-7bit.eml"
#: A raw template: the only kind of file that needs the template machinery.
TEMPLATE = FIXTURES / "rules" / "M801" / "bad.eml.j2"

#: Runs the command as the console script does, then lists ``sys.modules``.
#: Each module that mimelint's own code imports by name (an ``import``
#: statement run, whether or not the module was loaded already) is listed
#: as "asked:name" too: an editable install's finder loads ``pathlib`` at
#: every interpreter start, so ``sys.modules`` alone cannot show that the
#: check path does without it.
_RUN = """
import builtins, os, sys
sys.argv = ["mimelint", *sys.argv[1:]]
asked = set()
_import = builtins.__import__
def _asking(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0 and (globals or {}).get("__name__", "").startswith("mimelint"):
        asked.add(name)
    return _import(name, globals, locals, fromlist, level)
builtins.__import__ = _asking
from mimelint.command import main
try:
    main()
except SystemExit:
    pass
builtins.__import__ = _import
names = sorted(sys.modules) + ["asked:" + name for name in sorted(asked)]
# A pattern compiled on first use (a functools.cache on a function without
# arguments) is listed as "compiled:module.function" once it was compiled.
for name in os.environ.get("LAZY_PATTERNS", "").split():
    module, function = name.rsplit(".", 1)
    if module in sys.modules and getattr(sys.modules[module], function).cache_info().currsize:
        names.append("compiled:" + name)
with open(os.environ["MODULES_OUT"], "w") as fh:
    fh.write("\\n".join(names))
"""

#: Patterns a plain message never needs, compiled on first use (each was
#: about 0.1 to 0.7 ms of every start when compiled at import).
LAZY_PATTERNS = (
    "mimelint.mime.addresses._simple_item",
    "mimelint.mime.addresses._simple_list",
    "mimelint.mime.addresses._phrase_word",
    "mimelint.mime.params._param",
    "mimelint.mime.encoded_words._only_words",
    "mimelint.mime.encoded_words._mailbox_text",
    "mimelint.mime.address_tokens._comment_part",
    "mimelint.mime.domains._repr",
    "mimelint.mime.quoting._looks_escaped",
    "mimelint.mime.tree._cte_decorated",
    "mimelint.lint._lone_surrogate",
    "mimelint.sources._quoted_from",
    "mimelint.sources._from_line",
    "mimelint.rules.addresses.m401_unparseable_address._ses_note",
    "mimelint.rules.attachments.m504_filename_path._drive",
    "mimelint.rules.eightbit.m102_eight_bit_body._stray_equals_before_8bit",
    "mimelint.rules.encodings._common.bad_escape",
    "mimelint.rules.encodings.m721_lowercase_quoted_printable_escape._lower_escape",
    "mimelint.rules.headers.m304_invalid_header_name._name_or_8bit",
    "mimelint.rules.structure.m615_header_section_cut_short._more_parameters",
    "mimelint.mime.charsets._jis_escape",
    "mimelint.mime.charsets._jis_pairs",
    "mimelint.mime.charsets._jis_single_bad",
    "mimelint.mime.parse._field_like_start",
    "mimelint.mime.params._section",
    "mimelint.mime.filenames._section_number",
)
#: Of those, the ones that no check of the fixtures needs: the mboxrd reader's
#: (controlled on its own below) and writer's (mbox_entry), and one for a
#: finding message with undecodable bytes.
NOT_FOR_THE_FIXTURES = (
    "mimelint.sources._quoted_from",
    "mimelint.sources._from_line",
    "mimelint.lint._lone_surrogate",
    # No fixture has ISO-2022-JP text the strict codec refuses, nor a
    # Content-Type whose parameters go on after an empty line: controlled
    # on their own below.
    "mimelint.mime.charsets._jis_escape",
    "mimelint.mime.charsets._jis_pairs",
    "mimelint.mime.charsets._jis_single_bad",
    "mimelint.rules.structure.m615_header_section_cut_short._more_parameters",
)

#: Never needed to check one file and print text.
NOT_FOR_A_PLAIN_CHECK = (
    "click",  # a plain command line is read by mimelint.command (tests/test_cli_plain.py)
    "jsonschema",
    "json",
    "mimelint.formats.sarif",
    "mimelint.formats.github",
    "mimelint.formats.json_format",
    "mimelint.formats.json_lines",
    "mimelint.fixer",
    "mimelint.fixer",
    "mimelint.proof",
    "difflib",
    "tempfile",
    "multiprocessing",
    "concurrent.futures",
    "importlib.metadata",
    "zipfile",
    "csv",
    "email.message",  # lint accepts one, but a file is bytes
    "email.utils",
    "traceback",  # only to place a crashed rule
    "idna",  # only for a non-ASCII or xn-- domain; clean.eml has none
    "hashlib",  # only to make a boundary for a fix
    "mimelint.signatures",  # only for a fixable finding in a signed message
    "mimelint.templates.scan",  # only when a template is linted
    "mimelint.placeholders",
    "mimelint.mime.message_ids",  # M613 needs it under a profile that keeps Message-ID
    "typing",  # annotations only (``TYPE_CHECKING = False``; mimelint._records at run time)
    # Paths are str, read with os.path (configuration discovery, the runner):
    # pathlib imports urllib.parse and ipaddress, about a tenth of the start.
    "asked:pathlib",
    "asked:urllib.parse",
    "asked:ipaddress",
    # Rule modules are imported with __import__: importlib imports warnings.
    "asked:importlib",
    "asked:importlib.machinery",
    # Rule modules are imported when the walk first calls their rule
    # (tests/test_rule_index.py): not for a plain message without an envelope.
    "mimelint.rules.templates.m801_placeholder_in_raw_header",
    "mimelint.rules.envelope.m410_invalid_envelope_address",
)

#: Needed only to write a fix: never for a message that has nothing to fix.
NOT_FOR_A_CLEAN_MESSAGE = (
    "mimelint.mime.writers",  # encoded-words, folding, boundaries, bodies written anew
    "contextvars",  # the writers' boundary seed
)


def _modules(tmp_path: Path, *args: str) -> set[str]:
    """The modules loaded by ``mimelint *args`` run in ``tmp_path``."""
    out = tmp_path / "modules.txt"
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
    env["MODULES_OUT"] = str(out)
    env["LAZY_PATTERNS"] = " ".join(LAZY_PATTERNS)
    done = subprocess.run(
        [sys.executable, "-c", _RUN, *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.exists(), done.stdout + done.stderr
    return set(out.read_text(encoding="utf-8").split())


def test_plain_check_imports_only_what_it_needs(tmp_path: Path) -> None:
    modules = _modules(tmp_path, "check", str(CLEAN))
    assert "mimelint.rules.eightbit" in modules  # the rules did run
    assert "mimelint.formats.text" in modules
    assert sorted(set(NOT_FOR_A_PLAIN_CHECK) & modules) == []
    assert sorted(set(NOT_FOR_A_CLEAN_MESSAGE) & modules) == []
    assert sorted(m for m in modules if m.startswith("compiled:")) == []
    if find_config(tmp_path) is None:  # no configuration file applies: no TOML parser
        assert "tomllib" not in modules


def test_the_pre_commit_hooks_command_lines_need_no_click(tmp_path: Path) -> None:
    # .pre-commit-hooks.yaml: "mimelint check --force-exclude" and "... --fix ...".
    for args in (("--force-exclude",), ("--fix", "--force-exclude")):
        target = tmp_path / "one.eml"
        target.write_bytes(CLEAN.read_bytes())
        modules = _modules(tmp_path, "check", *args, str(target))
        assert "mimelint.rules.eightbit" in modules
        assert "click" not in modules
        if "--fix" not in args:  # the fix engine is another matter (dataclasses, pathlib...)
            assert "asked:pathlib" not in modules  # force-exclude reads paths with os.path


def test_a_configured_project_needs_no_pathlib(tmp_path: Path) -> None:
    # A configuration file with globs, and a file in a folder it excludes.
    (tmp_path / "mimelint.toml").write_text(
        "exclude = ['drafts']\nper-file-ignores = {'mail/*.eml' = ['M601']}\n", "utf-8"
    )
    (tmp_path / "mail").mkdir()
    (tmp_path / "drafts").mkdir()
    for folder in ("mail", "drafts"):
        (tmp_path / folder / "one.eml").write_bytes(CLEAN.read_bytes())
    modules = _modules(tmp_path, "check", "--force-exclude", "mail/one.eml", "drafts/one.eml")
    assert "tomllib" in modules  # the file was read (its globs: tests/test_discovery.py)
    assert "asked:pathlib" not in modules
    # The control: a Maildir folder's messages are listed as pathlib paths.
    for sub in ("cur", "new", "tmp"):
        (tmp_path / "box" / sub).mkdir(parents=True)
    (tmp_path / "box" / "new" / "1.host").write_bytes(CLEAN.read_bytes())
    assert "asked:pathlib" in _modules(tmp_path, "check", "box")


def test_a_pyproject_that_only_names_mimelint_is_not_parsed(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'app'\ndependencies = ['mimelint>=0.1']\n", encoding="utf-8"
    )
    assert "tomllib" not in _modules(tmp_path, "check", str(CLEAN))
    (tmp_path / "pyproject.toml").write_text("[tool.mimelint]\nprofile = 'rfc'\n", "utf-8")
    assert "tomllib" in _modules(tmp_path, "check", str(CLEAN))  # the control


def test_jobs_with_one_file_starts_no_pool(tmp_path: Path) -> None:
    modules = _modules(tmp_path, "check", "--jobs", "4", str(CLEAN))
    assert "mimelint.rules.eightbit" in modules
    assert {"multiprocessing", "concurrent.futures"} & modules == set()


def test_a_fixable_unsigned_message_does_not_load_the_signature_guard(tmp_path: Path) -> None:
    modules = _modules(tmp_path, "check", str(FIXABLE))
    assert "mimelint.rules.eightbit" in modules
    assert sorted(set(NOT_FOR_A_PLAIN_CHECK) & modules) == []


_NON_ASCII_ADDRESS = str(FIXTURES / "examples" / "non-ascii-address.eml")


# Each command line runs once (a fresh interpreter each time), with every
# module or pattern its run must have loaded.
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--format", "sarif", str(CLEAN)), {"mimelint.formats.sarif"}),
        (("--format", "github", str(CLEAN)), {"mimelint.formats.github"}),
        (("--diff", str(FIXABLE)), {"difflib", "mimelint.proof"}),
        ((str(FIXABLE),), {"mimelint.mime.writers"}),  # a finding with a fix: its new body
        (
            (_NON_ASCII_ADDRESS,),
            # Each pattern compiled on first use is compiled when a message needs it.
            {"idna", "compiled:mimelint.mime.addresses._simple_item"},
        ),
        ((str(FIXTURES / "fixes" / "signed" / "dkim-signed.eml"),), {"mimelint.signatures"}),
        ((str(TEMPLATE),), {"mimelint.placeholders"}),
        (("--format", "json", str(CLEAN)), {"click", "typing"}),  # click imports typing
        # An RFC 2231 value (filename*=utf-8''...) is percent-decoded by urllib.parse.
        (
            (str(FIXTURES / "rules" / "M326" / "ok-rfc2231-filename.eml"),),
            {"asked:urllib.parse"},
        ),
        (("--profile", "rfc", str(CLEAN)), {"mimelint.mime.message_ids"}),
        (
            ("--envelope-from", "a@example.com", str(CLEAN)),
            {"mimelint.rules.envelope.values"},
        ),  # an option with a value: click reads it
        (
            (str(FIXTURES / "rules" / "M409" / "ok-undisclosed-recipients.eml"),),
            {"compiled:mimelint.mime.addresses._phrase_word"},
        ),
        (
            (str(FIXTURES / "fixes" / "M320-folded-quoted-boundary.unsafe.after.eml"),),
            {"compiled:mimelint.mime.params._param"},
        ),
        (
            (str(FIXTURES / "fixes" / "M330-compat32-from.unsafe.before.eml"),),
            {
                "compiled:mimelint.mime.addresses._simple_list",
                "compiled:mimelint.mime.encoded_words._only_words",
                "compiled:mimelint.mime.encoded_words._mailbox_text",
            },
        ),
    ],
)
def test_the_import_check_sees_what_a_run_needs(
    tmp_path: Path, args: tuple[str, ...], expected: set[str]
) -> None:
    # Positive controls: the same probe does find these when a run uses them.
    modules = _modules(tmp_path, "check", *args)
    assert sorted(expected - modules) == []


def test_each_pattern_compiled_on_first_use_is_compiled_where_needed(tmp_path: Path) -> None:
    # Positive control for LAZY_PATTERNS: checking every fixture (under a
    # profile other than ses, for M401's note) compiles each of them; in
    # this process (-j 1: there are more fixtures than the threshold above
    # which workers would compile them instead).
    modules = _modules(tmp_path, "check", "-q", "-j", "1", "--profile", "rfc", str(FIXTURES))
    compiled = {m.removeprefix("compiled:") for m in modules if m.startswith("compiled:")}
    assert sorted(set(LAZY_PATTERNS) - set(NOT_FOR_THE_FIXTURES) - compiled) == []
    # An mboxrd file with a quoted "From " line: the reader unquotes it.
    mbox = tmp_path / "one.mbox"
    mbox.write_bytes(b"From a@b Mon Jan 1 00:00:00 2024\n" + CLEAN.read_bytes() + b">From x\n\n")
    assert "compiled:mimelint.sources._quoted_from" in _modules(tmp_path, "check", str(mbox))
    top = b"From: a@example.com\r\nTo: b@example.com\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
    # NEC row 13 in ISO-2022-JP, which Python's strict codec refuses (M731 reads it).
    jis = tmp_path / "jis.eml"
    jis.write_bytes(
        top + b"Content-Type: text/plain; charset=iso-2022-jp\r\n\r\n\x1b$B-!\x1b(B\r\n"
    )
    modules = _modules(tmp_path, "check", str(jis))
    for name in ("_jis_escape", "_jis_pairs", "_jis_single_bad"):
        assert f"compiled:mimelint.mime.charsets.{name}" in modules
    # Content-Type parameters after an empty line (M615).
    cut = tmp_path / "cut.eml"
    cut.write_bytes(top + b"Content-Type: text/plain;\r\n\r\n charset=utf-8\r\n\r\nhi\r\n")
    assert (
        "compiled:mimelint.rules.structure.m615_header_section_cut_short._more_parameters"
        in _modules(tmp_path, "check", str(cut))
    )
