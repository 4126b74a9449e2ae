"""The built-in rules come from a generated index; each module is imported
when the walk first calls its rule.

``rules/index.py`` is regenerated and compared by tests/test_docs.py
(``test_index_and_readme_are_up_to_date``); these tests pin what the
registry makes of it.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from mimelint import lint
from mimelint.docs import builtin_rules
from mimelint.registry import load_rules
from mimelint.rule import Deferred, Rule, Severity, Visits, indexed_rule
from tests.util import FIXTURES

CLEAN = FIXTURES / "examples" / "clean.eml"


def _metadata(r: Rule) -> tuple[object, ...]:
    return (r.code, r.name, r.severity, r.summary, r.fix_safety, r.origin, r.visits) + (
        r.default_enabled,
        r.gate,
    )


def test_the_registry_has_every_rule_the_modules_define() -> None:
    # builtin_rules() imports every module of mimelint.rules, not the index.
    registered = [r for r in load_rules() if r.origin.startswith("mimelint.rules.")]
    assert [_metadata(r) for r in registered] == [_metadata(r) for r in builtin_rules()]


def test_a_rule_module_is_imported_when_its_rule_is_first_called() -> None:
    # In a fresh interpreter: a check of a plain message never calls the
    # template, envelope or readers rules, nor a rule whose declared fact
    # fails on it (Fact), so their modules stay unread.
    probe = (
        "import json, sys, mimelint\n"
        f"report = mimelint.lint_file({str(CLEAN)!r})\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('mimelint.rules.'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = set(json.loads(done.stdout))
    assert "mimelint.rules.addresses.m406_missing_from" in loaded  # it ran
    for module in (
        "mimelint.rules.templates.m801_placeholder_in_raw_header",
        "mimelint.rules.envelope.m410_invalid_envelope_address",
        "mimelint.rules.readers.m901_readers_disagree",
        "mimelint.rules.encodings.m710_invalid_base64_character",  # no base64 part
        "mimelint.rules.eightbit.m101_eight_bit_header",  # Fact.EIGHT_BIT fails: ASCII
        "mimelint.rules.eightbit.m105_nul_byte",  # Fact.NUL_BYTE fails
        "mimelint.rules.attachments.m502_double_extension",  # Fact.FILE_NAME fails
    ):
        assert module not in loaded


def test_after_the_first_call_the_walk_calls_the_check_itself() -> None:
    # M406 (missing From) runs on every message; M101 runs only on 8-bit
    # ones since it declares its fact, so clean.eml leaves it unloaded.
    lint(CLEAN.read_bytes())
    m406 = next(r for r in load_rules() if r.code == "M406")
    assert not isinstance(m406.check, Deferred)
    assert m406.check.__module__ == "mimelint.rules.addresses.m406_missing_from"


def test_an_indexed_rule_has_the_documentation_of_its_module() -> None:
    real = next(r for r in builtin_rules() if r.code == "M302")
    row = indexed_rule(
        real.origin,
        "header_missing_colon",
        real.code,
        real.name,
        real.severity.value,
        real.summary,
        None if real.fix_safety is None else real.fix_safety.value,
        real.visits,
        real.default_enabled,
        real.gate,
    )
    assert isinstance(row.check, Deferred)
    assert row.doc == real.doc and "## What it does" in row.doc
    assert row.check is real.check  # loading the documentation loaded the check


def _stale_m302() -> Rule:
    """M302 as an index out of date would describe it: another severity."""
    real = next(r for r in builtin_rules() if r.code == "M302")
    return indexed_rule(
        real.origin,
        "header_missing_colon",
        real.code,
        real.name,
        Severity.INFO.value if real.severity is not Severity.INFO else Severity.ERROR.value,
        real.summary,
        None if real.fix_safety is None else real.fix_safety.value,
        Visits(),
        real.default_enabled,
        real.gate,
    )


def test_an_index_that_does_not_match_its_module_is_an_error_that_says_so() -> None:
    stale = _stale_m302()
    with pytest.raises(RuntimeError, match=r"regenerate it with python -m mimelint\.docs"):
        stale.check()


def test_a_rule_survives_copy_and_pickle() -> None:
    # Spark and Dask send a Settings that holds rules to their workers, and
    # copy.copy worked on the dataclass Rule was: restoring the fields must
    # get past the frozen __setattr__.
    import copy
    import pickle

    from mimelint.rules import index

    row = next(r for r in index.RULES if r[2] == "M102")
    made = indexed_rule(*row)
    for copied in (copy.copy(made), copy.deepcopy(made), pickle.loads(pickle.dumps(made))):
        assert copied == made
        assert (copied.visits, copied.origin) == (made.visits, made.origin)
        # Its module is imported on first use, in the copy as in the original.
        assert "What it does" in copied.doc


def test_every_loaded_built_in_rule_pickles() -> None:
    # Once a rule's module is loaded, its check is a function the module
    # names by the rule: plain pickle could not find it and failed
    # ("not the same object"). A loaded rule now travels by name.
    import pickle

    rules = load_rules()
    for r in rules:
        if isinstance(r.check, Deferred):
            r.check.load()
    for r in rules:
        copied = pickle.loads(pickle.dumps(r))
        assert copied == r and copied.visits == r.visits and copied.check is r.check
    # A changed copy keeps its own check: it travels by its fields.
    made = rules[0].replace(check=len)
    assert pickle.loads(pickle.dumps(made)).check is len


def test_mimelint_rule_on_a_stale_index_says_so_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # In a development checkout the index can lag a rule module; printing
    # the rule's documentation then loads the module and finds out. That is
    # one line and exit status 2, not a traceback.
    from click.testing import CliRunner

    from mimelint import cli, registry

    stale = _stale_m302()
    monkeypatch.setattr(registry, "rule_by_code", lambda code: stale)
    result = CliRunner().invoke(cli.main, ["rule", "M302"])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines() if result.stderr_bytes else []
    assert len(lines) == 1 and "regenerate it with python -m mimelint.docs" in lines[0]
