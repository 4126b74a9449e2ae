"""Linting a template, raw or rendered: :func:`lint_template`.

Two modes, one :class:`~mimelint.lint.Report`:

- **raw-template mode** (the default): :func:`~mimelint.templates.scan.scan`
  finds the placeholders, :func:`~mimelint.templates.mask.mask` replaces each
  by a token of its own length that reads as the value it stands for, and
  the ordinary rules lint the result; positions are template positions. The
  template rules (``M8xx``) read the placeholders from
  :attr:`mimelint.mime.tree.Message.template`.
- **render mode** (``data`` given): the template is rendered with the data
  (:mod:`mimelint.templates.render`), the rendered message is linted, and
  every finding is moved back to the template text or placeholder that
  produced it. The template rules still run on the template itself.
"""

from __future__ import annotations

import bisect
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any, Unpack

from mimelint.lint import Report, Source, read_source, run_rules
from mimelint.mime.parse import parse
from mimelint.mime.tree import Message
from mimelint.placeholders import Kind, Placeholder, TemplateInfo
from mimelint.rule import Finding, RelatedLocation, Rule
from mimelint.settings import Settings, SettingsOptions
from mimelint.templates import Syntax
from mimelint.templates.mask import mask
from mimelint.templates.render import Rendering, render
from mimelint.templates.scan import scan

#: The package of the rules that read :attr:`~mimelint.mime.tree.Message.template`:
#: in render mode they run on the template, the others on the rendering.
TEMPLATE_RULES_PACKAGE = "mimelint.rules.templates"


class DataError(ValueError):
    """A sample data file that cannot be read (a usage error)."""


def load_data(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a sample data file: JSON, or TOML for a ``.toml`` file; a table at the top."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise DataError(f"{name}: cannot read: {exc.strerror or exc}") from None
    try:
        if name.lower().endswith(".toml"):
            import tomllib

            value: Any = tomllib.loads(raw.decode("utf-8"))
        else:
            value = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        kind = "TOML" if name.lower().endswith(".toml") else "JSON"
        raise DataError(f"{name}: not valid {kind}: {' '.join(str(exc).split())}") from None
    if not isinstance(value, dict):
        raise DataError(
            f"{name}: the data must be a table (a JSON object), got {type(value).__name__}"
        )
    return value


def is_template_rule(r: Rule) -> bool:
    """Whether ``r`` reads the template's placeholders (a template-family rule)."""
    return r.origin.startswith(TEMPLATE_RULES_PACKAGE)


def lint_template(
    text: Source,
    *,
    syntax: Syntax | str = Syntax.JINJA,
    data: Mapping[str, Any] | str | os.PathLike[str] | None = None,
    search_path: str | os.PathLike[str] | None = None,
    settings: Settings | None = None,
    template_ascii: Iterable[str] = (),
    encoding_filters: Iterable[str] = (),
    **options: Unpack[SettingsOptions],
) -> Report:
    """Lint a template; the same :class:`~mimelint.lint.Report` as :func:`mimelint.lint`.

    Without ``data`` the template is linted raw (placeholders masked). With
    ``data`` (a mapping, or the path of a JSON or TOML file) it is rendered
    and the rendering is linted; findings point into the template either
    way, and carry no fix in render mode (fix the template or the value).
    ``settings`` (or the keywords it is made of) are :func:`mimelint.lint`'s.
    ``search_path`` is where render mode reads included templates and
    partials (the command line passes the template's directory).
    ``report.message`` is the masked template, or the rendered message.
    Raises :class:`RendererMissing` when render mode lacks its renderer and
    :class:`DataError` for an unreadable data file.
    """
    raw = read_source(text)
    settings = Settings.given(settings, options)
    prof = settings.profile
    walk = settings.walk
    chosen = walk.rules
    context = settings.context
    found = scan(raw, syntax)
    masked = mask(
        raw,
        found,
        max_depth=prof.max_depth,
        ascii_names=template_ascii,
        encoding_filters=encoding_filters,
    )
    if data is None:
        # The template rules' findings are about placeholders; a gate's (M001: no
        # header section) is about the whole input, wherever its span ends.
        kept = {r.code for r in chosen if is_template_rule(r) or r.gate}
        info = info_of(masked)
        placeholders = info.placeholders
        starts = [p.start for p in placeholders]
        branches = _Alternatives(info)
        jinja = found.syntax is Syntax.JINJA

        def about_the_masks(f: Finding) -> bool:
            return (
                _inside_a_placeholder(f, placeholders, starts)
                or branches.apart(f)
                or (
                    jinja
                    and f.code == "M607"
                    and _after_a_tag_line(raw, placeholders, starts, f.start)
                )
            )

        findings = [
            f if f.code in kept else _in_template_words(f, raw, masked.data, placeholders, starts)
            for f in run_rules(masked, walk, context)
            if f.code in kept or not about_the_masks(f)
        ]
        return Report(masked, findings)
    values = data if isinstance(data, Mapping) else load_data(data)
    rendering = render(raw, found, values, None if search_path is None else os.fspath(search_path))
    masked.template = replace(info_of(masked), render_problems=rendering.problems)
    findings = run_rules(masked, [r for r in chosen if is_template_rule(r)], context)
    if not rendering.data and rendering.problems:
        return Report(masked, findings)  # nothing was rendered
    rendered = parse(rendering.data, max_depth=prof.max_depth)
    others = [r for r in chosen if not is_template_rule(r)]
    findings += [_moved(f, rendering, masked) for f in run_rules(rendered, others, context)]
    findings.sort(key=lambda f: (f.start, f.end, f.code))
    return Report(rendered, findings)


def info_of(message: Message) -> TemplateInfo:
    """The template description :func:`~mimelint.templates.mask.mask` attached."""
    assert message.template is not None
    return message.template


def _inside_a_placeholder(
    f: Finding, placeholders: tuple[Placeholder, ...], starts: list[int]
) -> bool:
    """Whether a message rule's finding is about a mask token and nothing else.

    The masks are chosen to read as valid values; where one still draws a
    finding (base64 data that a tag line leaves unpadded, say), the finding
    lies within the placeholder (an empty span at its end included), and is
    about the token, not the template.
    """
    i = bisect.bisect_right(starts, f.start) - 1
    if i < 0:
        return False
    p = placeholders[i]
    return p.start <= f.start and f.end <= p.end


class _Alternatives:
    """The blocks with alternatives (``{% if %}...{% else %}``, ``{{#if}}...{{else}}``).

    Each as the span of its content and the offsets of its middle tags,
    which cut it into branches that are never rendered together; sorted by
    start, with the index of the block each one is nested in (or -1).
    """

    def __init__(self, info: TemplateInfo) -> None:
        found = info.placeholders
        closes = {b.open: b.close for b in info.blocks}
        cuts: dict[int, list[int]] = {}
        stack: list[int] = []
        for i, p in enumerate(found):
            while stack and closes[stack[-1]] < i:
                stack.pop()
            if p.kind is Kind.MIDDLE and stack:
                cuts.setdefault(stack[-1], []).append(p.start)
            if i in closes:
                stack.append(i)
        self.blocks = sorted((found[o].end, found[closes[o]].start, m) for o, m in cuts.items())
        self.starts = [start for start, _, _ in self.blocks]
        self.outer: list[int] = []
        stack = []
        for k, (start, _, _) in enumerate(self.blocks):
            while stack and self.blocks[stack[-1]][1] <= start:
                stack.pop()
            self.outer.append(stack[-1] if stack else -1)
            stack.append(k)

    def apart(self, f: Finding) -> bool:
        """Whether a finding relates two places that no rendering has together.

        Two Content-Type fields, one in each branch of ``{% if html %}...{% else %}``,
        are never both in a message: a finding about the pair (M605, its related
        place the first copy) is about the template's reading, not a message.
        Only the innermost block holding both places can part them: a block
        nested in another lies in one branch of it. That block is found from
        the last one starting before them, outwards (as deep as the nesting).
        """
        if not f.related or not self.blocks:
            return False
        a, b = f.start, f.related[0].start
        low, high = min(a, b), max(a, b)
        k = bisect.bisect_right(self.starts, low) - 1
        while k >= 0 and self.blocks[k][1] <= high:
            k = self.outer[k]
        if k < 0:
            return False
        middles = self.blocks[k][2]
        return bisect.bisect_right(middles, a) != bisect.bisect_right(middles, b)


def _after_a_tag_line(
    data: bytes, placeholders: tuple[Placeholder, ...], starts: list[int], pos: int
) -> bool:
    """Whether the line before the one at ``pos`` holds only tags that write nothing.

    Jinja renders such a line as an empty line unless the application turns
    on ``trim_blocks`` (render mode does not): ``{% endif %}`` right before
    the body is the blank line that ends the header section, as ``{{end}}``
    is in the Go templates this shape comes from. Raw mode reads a tag line
    as a harmless field, which made the body's first line a broken header
    (M607); the template is not wrong about it. (Handlebars drops a line
    that holds only a block tag, so there the finding stands.)
    """
    line_start = data.rfind(b"\n", 0, pos) + 1
    if line_start == 0:
        return False
    prev_start = data.rfind(b"\n", 0, line_start - 1) + 1
    i = bisect.bisect_left(starts, prev_start)
    cursor, seen = prev_start, False
    while i < len(placeholders) and placeholders[i].start < line_start:
        p = placeholders[i]
        if p.kind.writes or data[cursor : p.start].strip():
            return False
        cursor, seen = p.end, True
        i += 1
    return seen and not data[cursor:line_start].strip()


def _in_template_words(
    f: Finding,
    template: bytes,
    masked: bytes,
    placeholders: tuple[Placeholder, ...],
    starts: list[int],
) -> Finding:
    """A message rule's finding whose message quotes a mask token, quoting the tag instead.

    A rule quotes the text it read (``'xxxxxxxxx"' is not type/subtype``);
    where that text is a placeholder's token, the user wrote the tag
    (``'{{.Type}}"'``). Only the placeholders the finding's span touches
    are looked at, longest token first.
    """
    i = max(bisect.bisect_right(starts, f.start) - 1, 0)
    touched: list[Placeholder] = []
    while i < len(placeholders) and placeholders[i].start <= f.end:
        p = placeholders[i]
        if p.end >= f.start and p.end - p.start >= 3:
            touched.append(p)
        i += 1
    if not touched:
        return f
    text = f.message
    # The text from the first to the last touched placeholder, literal text between
    # them included, and failing that each token that stands alone in the message.
    spans = [(touched[0].start, touched[-1].end)] + [(p.start, p.end) for p in touched]
    for start, end in spans:
        token = masked[start:end]
        if b"\n" in token or b"\r" in token:
            continue
        token_text = token.decode("utf-8", "replace")
        at = text.find(token_text)
        if at < 0 or text.find(token_text, at + 1) >= 0:
            continue
        before, after = text[at - 1 : at], text[at + len(token_text) : at + len(token_text) + 1]
        if before == token_text[0] or after == token_text[-1]:
            continue  # part of a longer run of the same letters: not this token
        text = (
            text[:at]
            + template[start:end].decode("utf-8", "replace")
            + text[at + len(token_text) :]
        )
        break
    return f if text == f.message else f._replace(message=text)


def _moved(f: Finding, rendering: Rendering, template: Any) -> Finding:
    """A finding on the rendering, at the template span that produced its bytes."""
    start, end, line, column, end_line, end_column = _placed(rendering, template, f.start, f.end)
    return f._replace(
        start=start,
        end=end,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        fix=None,
        related=tuple(
            RelatedLocation(r.message, *_placed(rendering, template, r.start, r.end))
            for r in f.related
        ),
    )


def _placed(
    rendering: Rendering, template: Any, start: int, end: int
) -> tuple[int, int, int, int, int, int]:
    """The template span that produced rendered bytes ``[start, end)``, with its
    line and column at each end."""
    start, end = rendering.span(start, end)
    return (start, end, *template.position(start), *template.position(end))
