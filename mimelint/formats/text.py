"""``--format text`` (the default): one line per finding, then a summary.

::

    mail.eml:3:10: M101 [*] [error] Subject holds raw UTF-8 ... (part 1.2)

``[*]`` marks a finding that ``--fix`` would repair (an unsafe fix only
counts with ``--unsafe-fixes``; a fix that would invalidate a signature
never does: the runner drops it, unless ``--break-signatures``). The part is left out for the top-level
message. Files that could not be read are not listed here: the command line
reports them on standard error; the summary counts them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from mimelint.formats import FileResult, RenderOptions, related_note, shown
from mimelint.rule import Finding, Safety, Severity

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from typing import Any

_SEVERITY_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def applicable(finding: Finding, unsafe_fixes: bool) -> bool:
    """Whether ``--fix`` (with ``--unsafe-fixes`` if given) would apply its fix."""
    if finding.fix is None:
        return False
    return finding.fix.safety is Safety.SAFE or unsafe_fixes


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _styler(color: bool) -> Callable[..., str]:
    if not color:
        return lambda text, **_: text
    import click

    return click.style


def finding_line(path: str, finding: Finding, options: RenderOptions) -> str:
    """The text line of one finding."""
    style = _styler(options.color)
    where = style(f"{path}:{finding.line}:{finding.column}:", bold=True)
    code = style(finding.code, fg=_SEVERITY_COLOURS[finding.severity], bold=True)
    mark = " [*]" if applicable(finding, options.unsafe_fixes) else ""
    severity = style(f"[{finding.severity.value}]", fg=_SEVERITY_COLOURS[finding.severity])
    line = f"{where} {code}{mark} {severity} {finding.message}{related_note(finding)}"
    if finding.part:
        line += f" (part {finding.part})"
    return line


def _severities(by_severity: Counter[Severity]) -> str:
    """``" (2 errors, 1 info)"``: counts by severity, most severe first."""
    counts = ", ".join(
        f"{by_severity[s]} info" if s is Severity.INFO else _plural(by_severity[s], s.value)
        for s in Severity
        if by_severity[s]
    )
    return f" ({counts})" if counts else ""


class Tally:
    """What the summary and ``--statistics`` need, as counters.

    Results are added one at a time and not kept, so that a streamed run
    (:mod:`mimelint.formats.stream`) prints the same closing lines as
    :func:`render` without holding every finding.
    """

    def __init__(self, options: RenderOptions) -> None:
        self.options = options
        self.results = 0
        self.found = 0
        self.found_by: Counter[Severity] = Counter()
        self.remaining = 0
        self.remaining_by: Counter[Severity] = Counter()
        self.applied = 0
        self.descriptions_only = 0
        self.unreadable = 0
        self.not_written = 0
        self.fixable = 0
        self.fixable_unsafe = False
        self.hidden = 0
        self.skipped = 0
        self.refused = 0
        self.baselined = 0
        self.signed = False
        #: Messages read from inside a container (an mbox, a Maildir, an
        #: archive), and the containers: "6 messages (1 file)".
        self.members = 0
        self.containers: set[str] = set()
        #: --statistics: code -> [name, count, any applicable, any fixable at all].
        self.codes: dict[str, list[Any]] = {}

    def add(self, r: FileResult) -> None:
        unsafe = self.options.unsafe_fixes
        self.results += 1
        if r.member is not None:
            self.members += 1
            self.containers.add(r.path)
        # A caller may give only the descriptions of the fixes; each is one finding.
        self.applied += max(len(r.fixes), len(r.fixed))
        found: Iterable[Finding]
        if r.found is not None:
            found = r.found
        else:
            found = (*r.findings, *r.fixed)
            self.descriptions_only += max(0, len(r.fixes) - len(r.fixed))
        for f in found:
            self.found += 1
            self.found_by[f.severity] += 1
        for f in r.findings:
            self.remaining += 1
            self.remaining_by[f.severity] += 1
            ok = applicable(f, unsafe)
            if ok:
                self.fixable += 1
                if f.fix is not None and f.fix.safety is Safety.UNSAFE:
                    self.fixable_unsafe = True
            elif f.fix is not None:
                self.hidden += 1
            row = self.codes.get(f.code)
            if row is None:
                row = self.codes[f.code] = [f.name, 0, False, False]
            row[1] += 1
            row[2] = row[2] or ok
            row[3] = row[3] or f.fixable
        if r.error is not None:
            self.unreadable += 1
            if r.error.startswith("cannot write"):
                self.not_written += 1
        self.skipped += r.skipped
        self.refused += r.refused is not None
        self.baselined += r.baselined
        self.signed = self.signed or bool(r.signed_fixes)

    def statistics_rows(self) -> list[tuple[str, str, int, bool, bool]]:
        """``(code, name, count, applicable, fixable)``, most findings first, then by code."""
        rows = [(code, *row) for code, row in self.codes.items()]
        return sorted(rows, key=lambda row: (-row[2], row[0]))


def tally(results: Iterable[FileResult], options: RenderOptions) -> Tally:
    counts = Tally(options)
    for result in results:
        counts.add(result)
    return counts


def summary(t: Tally) -> list[str]:
    """The closing lines; they describe the files as they were given.

    ``Found N`` counts the findings of the files as given, the same N as a
    plain ``check``. After ``--fix`` (``--diff``) it goes on with how many
    of them were fixed (would be) and how many findings remain (would
    remain); a fix that also clears another finding counts both as fixed.
    A run with an unreadable file never says "All checks passed".
    """
    options = t.options
    total = t.found + t.descriptions_only
    # The findings gone after fixing, or the fixes applied if more (a fix
    # that leaves a new finding behind).
    fixed_count = max(t.applied, total - t.remaining)
    # A file that could not be written was checked: its findings are listed.
    unreadable = t.unreadable - t.not_written
    checked = t.results - unreadable
    files = _plural(checked, "file")
    if t.members:
        # Some inputs held several messages: count messages, then files.
        given = checked - t.members + len(t.containers)
        files = f"{_plural(checked, 'message')} ({_plural(given, 'file')})"
    failures = []
    if unreadable:
        failures.append(f"{_plural(unreadable, 'file')} could not be read")
    if t.not_written:
        failures.append(f"{_plural(t.not_written, 'file')} could not be written")
    failed = " and ".join(failures)
    lines: list[str] = []
    if not total and failed:
        lines.append(f"{failed}; no findings in {files} checked.")
    elif not total:
        lines.append(f"All checks passed: no findings in {files}.")
    else:
        # Severities need the findings themselves, not just descriptions.
        every = _severities(t.found_by) if not t.descriptions_only else ""
        line = f"Found {_plural(total, 'finding')}{every} in {files} checked"
        left = _severities(t.remaining_by)
        if options.mode == "diff":
            rest = f"{t.remaining} would remain{left}" if t.remaining else "none would remain"
            line += f"; --fix would fix {fixed_count} (nothing written), {rest}"
        elif options.mode == "fix":
            rest = f"{t.remaining} remaining{left}" if t.remaining else "none remaining"
            line += f"; fixed {fixed_count}, {rest}"
        lines.append(line + ".")
    if options.mode == "check" and t.fixable:
        command = "mimelint check --fix"
        if t.fixable_unsafe:
            command += " --unsafe-fixes"
        if options.break_signatures and t.signed:
            command += " --break-signatures"
        lines.append(f"[*] {t.fixable} fixable with `{command}`.")
    if t.hidden:
        fixes, they = ("1 more fix", "it") if t.hidden == 1 else (f"{t.hidden} more fixes", "they")
        lines.append(
            f"{fixes} available with `--fix --unsafe-fixes` ({they} may change what a reader sees)."
        )
    if t.skipped:
        what, it = ("1 fix", "it") if t.skipped == 1 else (f"{t.skipped} fixes", "they")
        lines.append(
            f"{what} held back: {it} would invalidate a signature "
            "(fix before signing, or use --break-signatures and re-sign)."
        )
    if t.baselined:
        known = _plural(t.baselined, "finding")
        lines.append(f"{known} in the baseline not shown (--baseline).")
    if t.refused:
        lines.append(f"{_plural(t.refused, 'file')} left unchanged: the fix was refused.")
    if failed and total:
        lines.append(f"{failed}.")
    return lines


def statistics(t: Tally) -> list[str]:
    rows = t.statistics_rows()
    width = max((len(str(row[2])) for row in rows), default=1)
    lines = []
    for code, name, count, ok, _ in rows:
        # [*]: --fix would repair at least one of them (not a signed one, say).
        mark = "[*]" if ok else "   "
        lines.append(f"{count:>{width}}  {code:<5} {mark} {name}")
    return lines


def closing(results: Sequence[FileResult], t: Tally, wrote_any: bool) -> list[str]:
    """Everything after the finding lines: refusals, ``--show-fixes``, the summary.

    ``results`` need only be those with a refusal or fixes (the others add
    nothing here); ``wrote_any`` says whether lines came before.
    """
    options = t.options
    lines: list[str] = []
    for result in results:
        if result.refused is not None:
            lines.append(f"{shown(result)}: fix refused, file left unchanged: {result.refused}")
    if options.show_fixes and any(r.fixes for r in results):
        lines.append("")
        lines.append("Would fix (nothing written):" if options.mode == "diff" else "Fixed:")
        for result in results:
            if result.fixes:
                lines.append(f"  {shown(result)}:")
                lines.extend(f"    {description}" for description in result.fixes)
    if options.quiet:
        return lines
    if lines or wrote_any:
        lines.append("")
    lines.extend(summary(t))
    return lines


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    """The findings of every file, in order, then the fixes and a summary."""
    t = tally(results, options)
    lines: list[str] = []
    if options.statistics:
        lines.extend(statistics(t))
    else:
        for result in results:
            lines.extend(finding_line(shown(result), f, options) for f in result.findings)
    lines.extend(closing(results, t, bool(lines)))
    return "".join(line + "\n" for line in lines)
