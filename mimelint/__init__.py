"""mimelint: a position-exact MIME linter for raw email.

Library use::

    import mimelint
    report = mimelint.lint(raw_bytes, envelope_from="a@example.com")
    for finding in report.findings:
        print(finding.line, finding.column, finding.code, finding.message)

The fix engine (``mimelint.fix``, ``mimelint.FixResult``) and the template
linter (``mimelint.lint_template``) are imported on
first use: a plain check, the common case under pre-commit, never needs it.
"""

import sys
import types

from mimelint.lint import Report, lint, lint_file
from mimelint.mime.parse import parse
from mimelint.mime.tree import Header, Message, Part
from mimelint.profile import PROFILES, Profile
from mimelint.rule import Context, Edit, Finding, Fix, Problem, Rule, Safety, Severity, rule
from mimelint.settings import SelectionError, Settings

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:  # at run time they come from _Package below, on first use
    from mimelint.fixer import FixResult, fix  # noqa: TC004
    from mimelint.templates.lint import lint_template  # noqa: TC004

__version__ = "0.2.0"


class _Package(types.ModuleType):
    """The ``mimelint`` module, with the fix engine loaded on first use.

    ``fix`` and ``lint_template`` are properties, so that the engines behind
    them (:mod:`mimelint.fixer`, :mod:`mimelint.templates`) are imported on
    first use only: a plain check, the common case under pre-commit, never
    needs them. The setter ignores a binding of the name by the import
    system, so ``mimelint.fix`` is always the function.
    """

    @property
    def fix(self) -> object:
        from mimelint.fixer import fix

        return fix

    @fix.setter
    def fix(self, value: object) -> None:
        pass

    @property
    def lint_template(self) -> object:
        from mimelint.templates.lint import lint_template

        return lint_template

    @property
    def FixResult(self) -> object:
        from mimelint.fixer import FixResult

        return FixResult


sys.modules[__name__].__class__ = _Package

__all__ = [
    "PROFILES",
    "Context",
    "Edit",
    "Finding",
    "Fix",
    "FixResult",
    "Header",
    "Message",
    "Part",
    "Problem",
    "Profile",
    "Report",
    "Rule",
    "Safety",
    "SelectionError",
    "Settings",
    "Severity",
    "__version__",
    "fix",
    "lint",
    "lint_file",
    "lint_template",
    "parse",
    "rule",
]
