"""Rule documentation: Markdown pages generated from the rules themselves.

A rule's docstring is its documentation (sections *What it does*, *Why is
this bad?*, *Example*, *Use instead*, *Fix safety*, then optionally
*References*); its decorator holds the code, name, severity, summary and fix
safety. This module renders both as Markdown, so the pages under
``docs/rules/`` cannot drift from the code: a test compares the committed
pages with what this module produces now.

Regenerate after changing a rule::

    python -m mimelint.docs           # write docs/rules/*.md, README's table, rules/index.py
    python -m mimelint.docs --check   # exit 1 if anything is out of date

The README belongs to people: only the text between ``<!-- rules-table:start
-->`` and ``<!-- rules-table:end -->`` is rewritten, and a README without
those markers is left alone.
"""

from __future__ import annotations

import argparse
import enum
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from mimelint.rule import Rule, Safety, Scope, Visits

#: Sections every rule's docstring has, in this order.
REQUIRED_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety")
#: Sections a docstring may add after the required ones.
OPTIONAL_SECTIONS = ("References",)

TABLE_START = "<!-- rules-table:start -->"
TABLE_END = "<!-- rules-table:end -->"

#: Where the built-in rules live; third-party rules get no page here.
BUILTIN_PREFIX = "mimelint.rules."

#: A citation: an RFC, a provider's documentation, or a link.
_CITATION = re.compile(
    r"\bRFC\s?\d{3,5}\b|\bSES\b|\bAmazon\b|\bdeveloper guide\b|https?://", re.IGNORECASE
)
_HEADING = re.compile(r"^##\s+(.+?)\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")

_FIX_TEXT = {
    None: "not fixable",
    Safety.SAFE: "safe: applied by `--fix`; what a reader sees stays the same",
    Safety.UNSAFE: "unsafe: applied only with `--unsafe-fixes`; may change what a reader sees",
}


def sections(doc: str) -> list[tuple[str, str]]:
    """Split a docstring into ``(title, body)`` pairs at ``## Title`` lines.

    Text before the first heading comes first with the title ``""``. Lines
    inside fenced code blocks are never headings.
    """
    found: list[tuple[str, list[str]]] = [("", [])]
    fenced = False
    for line in doc.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else _HEADING.match(line)
        if heading is not None:
            found.append((heading.group(1), []))
        else:
            found[-1][1].append(line)
    result = [(title, "\n".join(body).strip("\n")) for title, body in found]
    if result[0] == ("", ""):
        result.pop(0)
    return result


def doc_problems(rule: Rule) -> list[str]:
    """What is wrong with a rule's documentation; empty when it is complete.

    Checks the section order, that each required section has text, that
    the *Why is this bad?* or *References* section cites a source (an RFC,
    the provider's documentation or a link), and that *Fix safety* agrees
    with the rule's declared fix safety.
    """
    where = f"{rule.code} ({rule.name})"
    parts = sections(rule.doc)
    titles = [title for title, _ in parts]
    problems: list[str] = []
    if titles and titles[0] == "":
        problems.append(f"{where}: text before the first section heading")
        parts = parts[1:]
        titles = titles[1:]
    allowed = list(REQUIRED_SECTIONS) + list(OPTIONAL_SECTIONS)
    expected = [t for t in allowed if t in titles or t in REQUIRED_SECTIONS]
    if titles != expected:
        problems.append(
            f"{where}: docstring sections are {titles}, expected {expected} "
            f"(required, in order: {', '.join(REQUIRED_SECTIONS)}; then optionally "
            f"{', '.join(OPTIONAL_SECTIONS)})"
        )
    body = dict(parts)
    for title in REQUIRED_SECTIONS:
        if title in body and not body[title].strip():
            problems.append(f"{where}: section {title!r} is empty")
    sources = body.get("Why is this bad?", "") + "\n" + body.get("References", "")
    if not _CITATION.search(sources):
        problems.append(
            f"{where}: 'Why is this bad?' or 'References' must cite a source "
            "(an RFC section, the provider's documentation or a link)"
        )
    safety = body.get("Fix safety", "").lower()
    if rule.fix_safety is Safety.UNSAFE and "unsafe" not in safety:
        problems.append(f"{where}: the rule's fix is unsafe but 'Fix safety' does not say so")
    if rule.fix_safety is Safety.SAFE and "safe" not in safety.replace("unsafe", ""):
        problems.append(f"{where}: the rule's fix is safe but 'Fix safety' does not say so")
    if not rule.summary.strip():
        problems.append(f"{where}: empty summary")
    return problems


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_rule(rule: Rule) -> str:
    """The Markdown page of one rule."""
    lines = [
        (
            f"<!-- Generated by `python -m mimelint.docs` from {rule.origin or 'the rule'}: "
            "edit the rule's docstring, not this file. -->"
        ),
        "",
        f"# {rule.code}: {rule.name}",
        "",
        rule.summary.strip(),
        "",
        f"- Code: `{rule.code}`",
        f"- Name: `{rule.name}`",
        f"- Default severity: {rule.severity.value}",
        f"- Fix: {_FIX_TEXT[rule.fix_safety]}",
    ]
    if rule.origin:
        lines.append(f"- Defined in: `{rule.origin}`")
    for title, body in sections(rule.doc):
        lines.append("")
        if title:
            lines.extend([f"## {title}", ""])
        lines.append(body)
    return "\n".join(lines).rstrip("\n") + "\n"


def render_table(rules: Iterable[Rule], link_prefix: str = "") -> str:
    """The rules as a Markdown table, each code linking to its page."""
    lines = [
        "| Code | Name | Severity | Fix | Summary |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in rules:
        fix = r.fix_safety.value if r.fix_safety is not None else ""
        lines.append(
            f"| [{r.code}]({link_prefix}{r.code}.md) | `{r.name}` | {r.severity.value} "
            f"| {fix} | {_cell(r.summary.strip())} |"
        )
    return "\n".join(lines) + "\n"


def render_index(rules: Sequence[Rule]) -> str:
    """``docs/rules/index.md``: every built-in rule in one table."""
    return (
        "<!-- Generated by `python -m mimelint.docs`: edit the rules, not this file. -->\n"
        "\n"
        "# Rules\n"
        "\n"
        f"mimelint has {len(rules)} built-in rules. Codes are stable; a rule's "
        "name can be used wherever its code can (`--select`, `--ignore`, "
        "`mimelint rule NAME`). Fix: *safe* fixes are applied by `--fix` and "
        "keep what a reader sees identical; *unsafe* ones need `--unsafe-fixes`.\n"
        "\n"
        "M000 (`internal-error`) is not a rule: it reports a rule that failed "
        "on a message, which is a bug in that rule. M009 (`container-limit`) is not "
        "a rule either: it reports a message in an mbox or archive that was not read "
        "because it is over the archive-bomb limits (see docs/bulk.md).\n"
        "\n" + render_table(rules)
    )


def builtin_rules() -> tuple[Rule, ...]:
    """mimelint's own rules (not third-party plugins), sorted by code.

    Found by importing every module of ``mimelint.rules`` and taking the
    rules each defines, not through the index (which is generated from them).
    """
    import importlib
    import pkgutil

    package = importlib.import_module(BUILTIN_PREFIX.rstrip("."))
    found: list[Rule] = []
    for info in pkgutil.walk_packages(package.__path__, BUILTIN_PREFIX):
        module = importlib.import_module(info.name)
        found.extend(
            value
            for value in vars(module).values()
            if isinstance(value, Rule) and value.origin == info.name
        )
    return tuple(sorted(found, key=lambda r: r.code))


def _literal(value: object) -> str:
    """``value`` as Python source, written the way ``ruff format`` leaves it."""
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, frozenset):
        items = ", ".join(sorted(_literal(v) for v in value))
        return f"frozenset({{{items}}})"
    if isinstance(value, str):
        text = repr(value)
        if text.startswith("'") and '"' not in value:
            text = '"' + text[1:-1].replace("\\'", "'") + '"'
        return text
    return repr(value)


def _visits_source(visits: Visits) -> str:
    """A :class:`Visits` as a constructor call with its non-default fields."""
    default = Visits()
    args = [] if visits.scope is Scope.MESSAGE else [_literal(visits.scope)]
    args.extend(
        f"{field}={_literal(getattr(visits, field))}"
        for field in Visits._fields[1:]
        if getattr(visits, field) != getattr(default, field)
    )
    return f"Visits({', '.join(args)})"


INDEX_HEADER = '''"""The built-in rules as the registry sees them before their modules are imported.

Generated by ``python -m mimelint.docs`` from the rule modules; do not
edit (``python -m mimelint.docs --check`` and tests/test_docs.py fail when
it is out of date). Each family's ``RULES`` is read from here
(:func:`mimelint.registry.indexed`): selecting rules and planning the walk
need only this metadata, and a rule's module is imported when the walk
first calls the rule, so a check imports only the rules a message needs.

A row, one rule a line (a table: ``ruff format`` leaves this file alone,
see pyproject.toml): module, attribute, code, name, severity, summary,
fix safety, visits, default_enabled, gate.
"""

from mimelint.mime.tree import DefectKind
from mimelint.registry import IndexRow
from mimelint.rule import Fact, Scope, Visits

RULES: tuple[IndexRow, ...] = (
'''


def render_rule_index(rules: Sequence[Rule]) -> str:
    """The source of ``rules/index.py`` (``mimelint.rules.index``)."""
    rows = []
    for r in rules:
        module = sys.modules[r.origin]
        attribute = next(n for n, v in vars(module).items() if v is r)
        values = (
            _literal(r.origin),
            _literal(attribute),
            _literal(r.code),
            _literal(r.name),
            _literal(r.severity.value),
            _literal(r.summary),
            _literal(r.fix_safety.value if r.fix_safety is not None else None),
            _visits_source(r.visits),
            _literal(r.default_enabled),
            _literal(r.gate),
        )
        rows.append(f"    ({', '.join(values)}),\n")
    return INDEX_HEADER + "".join(rows) + ")\n"


def replace_table(readme: str, table: str) -> str | None:
    """``readme`` with the text between the markers replaced by ``table``.

    None when the markers are missing or out of order.
    """
    start = readme.find(TABLE_START)
    end = readme.find(TABLE_END)
    if start < 0 or end < start:
        return None
    head = readme[: start + len(TABLE_START)]
    return f"{head}\n{table}{readme[end:]}"


def expected_files(root: Path, rules: Sequence[Rule]) -> dict[Path, str]:
    """Every generated file under ``root`` (the repository) and its contents.

    README.md is included only when it has the table markers.
    """
    out = {root / "docs" / "rules" / f"{r.code}.md": render_rule(r) for r in rules}
    out[root / "docs" / "rules" / "index.md"] = render_index(rules)
    out[root / "rules" / "index.py"] = render_rule_index(rules)
    readme = root / "README.md"
    if readme.exists():
        updated = replace_table(
            readme.read_text(encoding="utf-8"), render_table(rules, "docs/rules/")
        )
        if updated is not None:
            out[readme] = updated
    return out


_PAGE = re.compile(r"^[A-Z]+\d+\.md$")


def stale_pages(root: Path, rules: Sequence[Rule]) -> list[Path]:
    """Rule pages under ``docs/rules/`` whose rule no longer exists."""
    codes = {r.code for r in rules}
    folder = root / "docs" / "rules"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if _PAGE.match(p.name) and p.name[:-3] not in codes)


def generate(root: Path, *, check: bool = False) -> list[str]:
    """Write (or with ``check``, only compare) the generated docs.

    Returns one line per file that was (or would be) written or removed.
    """
    rules = builtin_rules()
    changes: list[str] = []
    for path, text in expected_files(root, rules).items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        changes.append(f"{'out of date' if check else 'wrote'}: {path.relative_to(root)}")
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
    for path in stale_pages(root, rules):
        changes.append(f"{'stale' if check else 'removed'}: {path.relative_to(root)}")
        if not check:
            path.unlink()
    return changes


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m mimelint.docs [--check] [--root DIR]``."""
    parser = argparse.ArgumentParser(
        prog="python -m mimelint.docs",
        description="Generate docs/rules/*.md and README's rule table from the rules.",
    )
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if stale")
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(__file__).resolve().parent.parent,
        help="the repository root (default: the one this mimelint runs from)",
    )
    args = parser.parse_args(argv)
    root: Path = args.root
    readme = root / "README.md"
    if not readme.exists() or replace_table(readme.read_text(encoding="utf-8"), "") is None:
        print(
            f"note: {readme} has no {TABLE_START} ... {TABLE_END} markers; README left untouched",
            file=sys.stderr,
        )
    problems = [p for r in builtin_rules() for p in doc_problems(r)]
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    changes = generate(root, check=args.check)
    for change in changes:
        print(change)
    if args.check and changes:
        print("run `python -m mimelint.docs` to regenerate", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
