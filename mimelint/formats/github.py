"""``--format github``: GitHub Actions workflow commands (annotations).

Each finding becomes one ``::error``/``::warning``/``::notice`` line that the
Actions runner turns into an annotation on the file and line of the pull
request. Chosen automatically when ``GITHUB_ACTIONS`` is set. A message
inside an mbox or archive is shown as ``file=archive.mbox#3`` (lines
relative to that message).

Escaping follows the Actions toolkit: in the message ``%``, CR and LF become
``%25``, ``%0D`` and ``%0A``; property values (file, title) additionally
escape ``:`` and ``,`` as ``%3A`` and ``%2C``, which would otherwise end the
property early.
"""

from __future__ import annotations

from collections.abc import Sequence

from mimelint.formats import FileResult, RenderOptions, related_note, shown
from mimelint.rule import Finding, Severity

#: Our severities to GitHub's annotation commands.
COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape the message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (``file=``, ``title=``) of a workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(path: str, finding: Finding) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in (
            ("file", path),
            ("line", finding.line),
            ("col", finding.column),
            ("endLine", finding.end_line),
            ("endColumn", finding.end_column),
            ("title", finding.code),
        )
    )
    # A message never names its part; the annotation adds it as the text
    # format does ("(part 1.2)"), and the rule's name before the message.
    text = f"{finding.name}: {finding.message}{related_note(finding)}"
    if finding.part:
        text += f" (part {finding.part})"
    return f"::{COMMANDS[finding.severity]} {props}::{escape_data(text)}"


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    """One workflow command per finding.

    An unreadable (or, with ``--fix``, unwritable) file is one ``::error``
    and a refused fix one ``::warning`` on the file as a whole; an
    unwritable file's findings follow.
    """
    lines: list[str] = []
    for result in results:
        if result.error is not None:
            lines.append(
                f"::error file={escape_property(shown(result))},title=unreadable::"
                f"{escape_data(result.error)}"
            )
        lines.extend(_annotation(shown(result), finding) for finding in result.findings)
        if result.refused is not None:
            lines.append(
                f"::warning file={escape_property(shown(result))},title=fix refused::"
                f"{escape_data(result.refused)}"
            )
    return "".join(line + "\n" for line in lines)
