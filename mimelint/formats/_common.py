"""What the machine-readable formats share: one finding as plain data.

``json`` and ``json-lines`` print the same keys for a finding, so they build
them here, in one place, and cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mimelint.rule import Finding

if TYPE_CHECKING:
    from mimelint.formats import FileResult


def finding_dict(path: str, finding: Finding, member: str | None = None) -> dict[str, Any]:
    """The JSON object for one finding of the file shown as ``path``.

    ``member`` names the message inside a container file (mbox number,
    archive member path), None for a plain file; its lines and columns are
    then relative to that message.

    Lines and columns are 1-based; columns count characters; ``end_line``
    and ``end_column`` point just after the last offending character.
    ``fix_safety`` is ``"safe"``, ``"unsafe"`` or None when no fix exists.
    ``related`` lists the other places the finding refers to (the first copy
    of a repeated field), each with its ``message``, line and column.
    """
    return {
        "path": path,
        "member": member,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "part": finding.part,
        "fixable": finding.fixable,
        "fix_safety": finding.fix.safety.value if finding.fix is not None else None,
        "related": [
            {
                "message": r.message,
                "line": r.line,
                "column": r.column,
                "end_line": r.end_line,
                "end_column": r.end_column,
            }
            for r in finding.related
        ],
    }


def error_dict(path: str, error: str, member: str | None = None) -> dict[str, Any]:
    """The JSON object for a file (or container member) that could not be read."""
    return {"path": path, "member": member, "error": error}


def statistics_rows(results: Sequence[FileResult]) -> list[dict[str, Any]]:
    """``--statistics`` for json and json-lines: one ``{code, name, count, fixable}`` per code.

    Most findings first, then by code.
    """
    rows: dict[str, dict[str, Any]] = {}
    for result in results:
        for finding in result.findings:
            row = rows.setdefault(
                finding.code,
                {"code": finding.code, "name": finding.name, "count": 0, "fixable": False},
            )
            row["count"] += 1
            row["fixable"] = row["fixable"] or finding.fixable
    return sorted(rows.values(), key=lambda row: (-row["count"], row["code"]))
