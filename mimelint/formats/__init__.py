"""Report formats. Presentation lives here only; a finding is data.

Each format is a module ``mimelint.formats.<name>`` with a function
``render(results, options) -> str``. Modules are imported on demand so that
a run pays only for the format it prints (start-up matters under
pre-commit).
"""

from __future__ import annotations

from collections.abc import Sequence

from mimelint._records import NamedTuple, Protocol
from mimelint.entry_points import import_module
from mimelint.rule import Finding

#: Format name -> module name under mimelint.formats.
FORMATS = {
    "text": "text",
    "json": "json_format",
    "json-lines": "json_lines",
    "sarif": "sarif",
    "github": "github",
    "parquet": "parquet",
}


# Plain data are NamedTuples, not dataclasses: a frozen dataclass costs
# about 1.5 ms to create at import, which every pre-commit run would pay.


class FileResult(NamedTuple):
    """The outcome for one input file.

    ``path`` is as shown to the user (relative where possible; ``-`` for
    standard input). ``error`` is set when the file could not be read (then
    ``findings`` is empty) or, with ``--fix``, could not be written (then
    ``findings`` are those of the file as it still is). With ``--fix`` (or ``--diff``) ``findings``
    are those that remain (would remain), ``fixes`` the descriptions of the
    fixes applied (that would be), ``fixed`` their findings, and ``refused``
    why the fix was refused, if it was. ``skipped`` counts the fixes left
    out because they would invalidate a signature (their findings stand in
    ``findings`` without a fix); plain ``check`` counts them too.
    ``member`` names the message inside a container file (``path``); see
    :func:`shown`. ``found`` (``--fix``/``--diff``) holds the findings of the file as it
    was given, the same as plain ``check`` reports; None means ``findings``
    plus ``fixed``. ``signed_fixes`` counts the findings of a plain check
    that are fixable only because ``--break-signatures`` was given.
    """

    path: str
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    fixes: tuple[str, ...] = ()
    refused: str | None = None
    fixed: tuple[Finding, ...] = ()
    skipped: int = 0
    found: tuple[Finding, ...] | None = None
    signed_fixes: int = 0
    #: The fingerprint of each finding, in the same order (see
    #: :mod:`mimelint.baseline`); empty when not computed.
    fingerprints: tuple[str, ...] = ()
    #: Findings left out because ``--baseline`` already knows them.
    baselined: int = 0
    #: The message's name inside a container: the 1-based message number
    #: of an mbox, a tar or zip member's path; None for a plain file.
    member: str | None = None


def shown(result: FileResult) -> str:
    """How a result's file is shown in text: ``path``, or ``path#member`` in a container."""
    return result.path if result.member is None else f"{result.path}#{result.member}"


def related_note(finding: Finding) -> str:
    """The places a finding refers to, for a line of text: ``" (see the first Subject field at 3:1)"``.

    A message names no line of its own (a line number in the text would be
    wrong wherever positions are mapped, as in a rendered template); the
    text formats add the related places here, as they add the part.
    """
    return "".join(f" (see {r.message} at {r.line}:{r.column})" for r in finding.related)


class RenderOptions(NamedTuple):
    """Switches that change presentation only."""

    color: bool = False
    show_fixes: bool = False
    statistics: bool = False
    #: ``--unsafe-fixes`` was given: unsafe fixes count as applicable.
    unsafe_fixes: bool = False
    #: What the run did: ``"check"``, ``"fix"`` (files written) or ``"diff"``
    #: (fixed in memory, nothing written). The summary words follow it.
    mode: str = "check"
    #: ``--break-signatures`` was given (the fix hint repeats it when it matters).
    break_signatures: bool = False
    #: ``--quiet``: the findings only, no summary or hints.
    quiet: bool = False


class Renderer(Protocol):
    def __call__(self, results: Sequence[FileResult], options: RenderOptions) -> str: ...


def get_renderer(name: str) -> Renderer:
    """The ``render`` function of a format; ``KeyError`` for unknown names."""
    module = import_module(f"mimelint.formats.{FORMATS[name]}")
    render: Renderer = module.render
    return render
