"""mimelint: a position-exact MIME linter for raw email.

Library use::

    import mimelint
    report = mimelint.lint(raw_bytes, envelope_from="a@example.com")
    for finding in report.findings:
        print(finding.line, finding.column, finding.code, finding.message)
"""

from mimelint.fix import FixResult, fix
from mimelint.lint import Report, SelectionError, lint
from mimelint.parse import parse
from mimelint.profile import PROFILES, Profile
from mimelint.rule import Context, Edit, Finding, Fix, Problem, Rule, Safety, Severity, rule
from mimelint.tree import Header, Message, Part

__version__ = "0.1.0"

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
    "Severity",
    "__version__",
    "fix",
    "lint",
    "parse",
    "rule",
]
