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
from collections.abc import Callable, Sequence

from mimelint.formats import FileResult, RenderOptions
from mimelint.rule import Finding, Safety, Severity

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
    line = f"{where} {code}{mark} {severity} {finding.message}"
    if finding.part:
        line += f" (part {finding.part})"
    return line


def _severities(findings: Sequence[Finding]) -> str:
    """``" (2 errors, 1 info)"``: the findings by severity, most severe first."""
    by_severity = Counter(f.severity for f in findings)
    counts = ", ".join(
        f"{by_severity[s]} info" if s is Severity.INFO else _plural(by_severity[s], s.value)
        for s in Severity
        if by_severity[s]
    )
    return f" ({counts})" if counts else ""


def _summary(results: Sequence[FileResult], options: RenderOptions) -> list[str]:
    """The closing lines; they describe the files as they were given.

    ``Found N`` counts the findings of the files as given, the same N as a
    plain ``check``. After ``--fix`` (``--diff``) it goes on with how many
    of them were fixed (would be) and how many findings remain (would
    remain); a fix that also clears another finding counts both as fixed.
    A run with an unreadable file never says "All checks passed".
    """
    remaining = [f for r in results for f in r.findings]
    found: list[Finding] = []
    applied = 0
    for r in results:
        # A caller may give only the descriptions of the fixes; each is one finding.
        applied += max(len(r.fixes), len(r.fixed))
        if r.found is not None:
            found.extend(r.found)
        else:
            found.extend(r.findings)
            found.extend(r.fixed)
    descriptions_only = sum(max(0, len(r.fixes) - len(r.fixed)) for r in results if r.found is None)
    total = len(found) + descriptions_only
    # The findings gone after fixing, or the fixes applied if more (a fix
    # that leaves a new finding behind).
    fixed_count = max(applied, total - len(remaining))
    not_written = sum(
        1 for r in results if r.error is not None and r.error.startswith("cannot write")
    )
    # A file that could not be written was checked: its findings are listed.
    unreadable = sum(1 for r in results if r.error is not None) - not_written
    checked = len(results) - unreadable
    files = _plural(checked, "file")
    failures = []
    if unreadable:
        failures.append(f"{_plural(unreadable, 'file')} could not be read")
    if not_written:
        failures.append(f"{_plural(not_written, 'file')} could not be written")
    failed = " and ".join(failures)
    lines: list[str] = []
    if not total and failed:
        lines.append(f"{failed}; no findings in {files} checked.")
    elif not total:
        lines.append(f"All checks passed: no findings in {files}.")
    else:
        # Severities need the findings themselves, not just descriptions.
        every = _severities(found) if not descriptions_only else ""
        line = f"Found {_plural(total, 'finding')}{every} in {files} checked"
        left = _severities(remaining)
        if options.mode == "diff":
            rest = f"{len(remaining)} would remain{left}" if remaining else "none would remain"
            line += f"; --fix would fix {fixed_count} (nothing written), {rest}"
        elif options.mode == "fix":
            rest = f"{len(remaining)} remaining{left}" if remaining else "none remaining"
            line += f"; fixed {fixed_count}, {rest}"
        lines.append(line + ".")
    if options.mode == "check":
        fixable = [f for f in remaining if applicable(f, options.unsafe_fixes)]
        if fixable:
            command = "mimelint check --fix"
            if any(f.fix is not None and f.fix.safety is Safety.UNSAFE for f in fixable):
                command += " --unsafe-fixes"
            if options.break_signatures and any(r.signed_fixes for r in results):
                command += " --break-signatures"
            lines.append(f"[*] {len(fixable)} fixable with `{command}`.")
    hidden = sum(
        1 for f in remaining if f.fix is not None and not applicable(f, options.unsafe_fixes)
    )
    if hidden:
        fixes, they = ("1 more fix", "it") if hidden == 1 else (f"{hidden} more fixes", "they")
        lines.append(
            f"{fixes} available with `--fix --unsafe-fixes` ({they} may change what a reader sees)."
        )
    skipped = sum(r.skipped for r in results)
    if skipped:
        what, it = ("1 fix", "it") if skipped == 1 else (f"{skipped} fixes", "they")
        lines.append(
            f"{what} held back: {it} would invalidate a signature "
            "(fix before signing, or use --break-signatures and re-sign)."
        )
    baselined = sum(r.baselined for r in results)
    if baselined:
        known = _plural(baselined, "finding")
        lines.append(f"{known} in the baseline not shown (--baseline).")
    refused = sum(1 for r in results if r.refused is not None)
    if refused:
        lines.append(f"{_plural(refused, 'file')} left unchanged: the fix was refused.")
    if failed and total:
        lines.append(f"{failed}.")
    return lines


def _statistics(results: Sequence[FileResult], options: RenderOptions) -> list[str]:
    counts: Counter[str] = Counter()
    first: dict[str, Finding] = {}
    fixable: set[str] = set()
    for result in results:
        for finding in result.findings:
            counts[finding.code] += 1
            first.setdefault(finding.code, finding)
            if applicable(finding, options.unsafe_fixes):
                fixable.add(finding.code)
    width = max((len(str(n)) for n in counts.values()), default=1)
    lines = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        finding = first[code]
        # [*]: --fix would repair at least one of them (not a signed one, say).
        mark = "[*]" if code in fixable else "   "
        lines.append(f"{count:>{width}}  {code:<5} {mark} {finding.name}")
    return lines


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    """The findings of every file, in order, then the fixes and a summary."""
    lines: list[str] = []
    if options.statistics:
        lines.extend(_statistics(results, options))
    else:
        for result in results:
            lines.extend(finding_line(result.path, f, options) for f in result.findings)
    for result in results:
        if result.refused is not None:
            lines.append(f"{result.path}: fix refused, file left unchanged: {result.refused}")
    if options.show_fixes and any(r.fixes for r in results):
        lines.append("")
        lines.append("Would fix (nothing written):" if options.mode == "diff" else "Fixed:")
        for result in results:
            if result.fixes:
                lines.append(f"  {result.path}:")
                lines.extend(f"    {description}" for description in result.fixes)
    if options.quiet:
        return "".join(line + "\n" for line in lines)
    if lines:
        lines.append("")
    lines.extend(_summary(results, options))
    return "".join(line + "\n" for line in lines)
