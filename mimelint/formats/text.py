"""``--format text`` (the default): one line per finding, then a summary.

::

    mail.eml:3:10: M101 [*] [error] Subject holds raw UTF-8 ... (part 1.2)

``[*]`` marks a finding that ``--fix`` would repair (an unsafe fix only
counts with ``--unsafe-fixes``). The part is left out for the top-level
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


def _summary(results: Sequence[FileResult], options: RenderOptions) -> list[str]:
    findings = [f for r in results for f in r.findings]
    unreadable = sum(1 for r in results if r.error is not None)
    fixed = sum(len(r.fixes) for r in results)
    checked = len(results) - unreadable
    by_severity = Counter(f.severity for f in findings)
    lines: list[str] = []
    if findings:
        counts = ", ".join(
            f"{by_severity[s]} info" if s is Severity.INFO else _plural(by_severity[s], s.value)
            for s in Severity
            if by_severity[s]
        )
        verb = "Remaining" if fixed else "Found"
        lines.append(
            f"{verb}: {_plural(len(findings), 'finding')} ({counts}) in "
            f"{_plural(checked, 'file')} checked."
        )
    else:
        lines.append(f"All checks passed: no findings in {_plural(checked, 'file')}.")
    if fixed:
        # With --diff nothing was written (``extra["diff"]``): say what would be fixed.
        verb = "Would fix" if options.extra.get("diff") else "Fixed"
        lines.append(f"{verb} {_plural(fixed, 'finding')}.")
    fixable = sum(1 for f in findings if applicable(f, options.unsafe_fixes))
    if fixable:
        lines.append(f"[*] {fixable} fixable with `mimelint check --fix`.")
    hidden = sum(
        1 for f in findings if f.fix is not None and not applicable(f, options.unsafe_fixes)
    )
    if hidden:
        fixes = "1 more fix" if hidden == 1 else f"{hidden} more fixes"
        lines.append(
            f"{fixes} available with `--fix --unsafe-fixes` (they may change what a reader sees)."
        )
    refused = sum(1 for r in results if r.refused is not None)
    if refused:
        lines.append(f"{_plural(refused, 'file')} left unchanged: the fix was refused.")
    if unreadable:
        lines.append(f"{_plural(unreadable, 'file')} could not be read or written.")
    return lines


def _statistics(results: Sequence[FileResult], options: RenderOptions) -> list[str]:
    counts: Counter[str] = Counter()
    first: dict[str, Finding] = {}
    for result in results:
        for finding in result.findings:
            counts[finding.code] += 1
            first.setdefault(finding.code, finding)
    width = max((len(str(n)) for n in counts.values()), default=1)
    lines = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        finding = first[code]
        mark = "[*]" if applicable(finding, options.unsafe_fixes) else "   "
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
        lines.append("Fixed:")
        for result in results:
            if result.fixes:
                lines.append(f"  {result.path}:")
                lines.extend(f"    {description}" for description in result.fixes)
    if lines:
        lines.append("")
    lines.extend(_summary(results, options))
    return "".join(line + "\n" for line in lines)
