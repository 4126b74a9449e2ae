"""Render mode: render a template with sample data and map every byte back.

The template is rewritten before it is rendered: each run of literal text
gets a sentinel that names it, and each writing placeholder is wrapped in
sentinels that name it. The renderer copies the sentinels into its output
wherever it emits that text or that value, so after rendering one pass over
the output splits it into pieces of known origin: a rendered byte maps to
the template byte that produced it (literal text), or to the whole
placeholder whose value it is. The sentinels are removed and the rest is
the rendered message, exactly as the renderer would have written it.

Whitespace control (``{%- -%}``, ``{{~ ~}}``) is applied here, to the
literal runs, and the markers are taken out of the tags, so the renderer
sees plain tags and the offsets stay exact.

Jinja2 renders with strict undefined semantics: an undefined variable is a
problem at the placeholder (or block tag) that used it, not an empty string;
rendering then goes on, so one run finds every missing variable. The
Handlebars renderer is ``pybars3`` (helpers such as ``#if``, ``#each``,
``#with``, ``else`` and ``~`` are Handlebars', which a Mustache-only renderer
such as ``chevron`` does not implement); Handlebars itself renders a missing
value as empty, so a missing top-level variable is found by looking it up.
"""

from __future__ import annotations

import array
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from mimelint.mime.quoting import quoted
from mimelint.placeholders import Kind, Placeholder, RenderProblem, RenderProblemKind
from mimelint.templates import Syntax
from mimelint.templates.scan import Scan

#: What to install when a renderer is missing (one line for the CLI).
INSTALL_HINT = "render mode needs the templates extra: pip install 'mimelint[templates]'"

_OPEN, _CLOSE = "\ue000", "\ue001"
_LITERAL, _BEGIN, _END, _UNDEFINED, _AT = "0", "1", "2", "3", "4"
_MARKER = re.compile("\ue000([0-4])([^\ue001]*)\ue001")


class RendererMissing(RuntimeError):
    """The renderer for a syntax is not installed."""


@dataclass(frozen=True)
class Rendering:
    """A rendered message and where each of its bytes came from.

    ``starts[i]``/``ends[i]`` are the template span of output byte ``i``: the
    byte itself for literal text, the whole placeholder for a value.
    """

    data: bytes
    starts: array.array[int]
    ends: array.array[int]
    problems: tuple[RenderProblem, ...]
    template_size: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The template span of the output span ``[start, end)``."""
        size = len(self.data)
        if size == 0:
            return 0, 0
        if start >= size:
            at = self.ends[size - 1]
            return at, at
        first = self.starts[start]
        last = self.ends[end - 1] if end > start else first
        return first, max(first, last)


def render(
    data: bytes, scan: Scan, values: Mapping[str, Any], search_path: str | None = None
) -> Rendering:
    """Render the template ``data`` (scanned as ``scan``) with ``values``.

    ``search_path`` is the directory that Jinja ``{% include %}``/``{% import %}``
    and Handlebars partials (``{{> footer}}``: ``footer.hbs``, ``.handlebars``
    or ``.mustache``) are read from; what they write maps to the tag that
    includes them. Raises :class:`RendererMissing` when the renderer is not
    installed.
    """
    source, literal_starts = _instrument(data, scan)
    problems: list[RenderProblem] = []
    where = [0, 0]  # the span of the tag being evaluated (updated by the renderer)

    def at(index: str) -> str:
        p = scan.placeholders[int(index)]
        where[0], where[1] = p.start, p.end
        return ""

    def undefined(name: str) -> None:
        problems.append(
            RenderProblem(
                RenderProblemKind.UNDEFINED,
                where[0],
                where[1],
                f"{quoted(name)} is undefined in the sample data",
            )
        )

    if scan.syntax is Syntax.JINJA:
        try:
            error = _jinja_syntax_error(data)
            if error is None:
                text = _render_jinja(
                    data, source, values, at, undefined, problems, where, search_path
                )
        except (SyntaxError, RecursionError) as exc:
            # Python's limits on what Jinja reads and compiles: its parser
            # recurses per block, and the code it writes may nest 20 loops
            # (and about 100 blocks) at most. A finding, not a traceback.
            error = _too_deep(scan, exc)
        if error is not None:
            return Rendering(b"", array.array("q"), array.array("q"), (error,), len(data))
    else:
        partials = _partials(data, scan, search_path)
        text = _render_handlebars(source, values, at, problems, where, partials)
        _missing_handlebars(scan, values, problems)
    return _map(text, scan, literal_starts, problems, len(data))


def _instrument(data: bytes, scan: Scan) -> tuple[str, list[int]]:
    """The template with sentinels, and each literal run's start in the template."""
    jinja = scan.syntax is Syntax.JINJA
    out: list[str] = []
    literal_starts: list[int] = []
    placeholders = scan.placeholders
    standalone = set() if jinja else _standalone(data, placeholders)
    pos = 0
    for index in range(len(placeholders) + 1):
        p = placeholders[index] if index < len(placeholders) else None
        seg_start, seg_end = pos, (p.start if p is not None else len(data))
        if index > 0 and placeholders[index - 1].strip_after:
            while seg_start < seg_end and data[seg_start] in b" \t\r\n":
                seg_start += 1
        elif index - 1 in standalone:  # the rest of a standalone tag's line goes
            while seg_start < seg_end and data[seg_start] in b" \t":
                seg_start += 1
            if data.startswith(b"\r\n", seg_start) and seg_start + 2 <= seg_end:
                seg_start += 2
            elif data.startswith(b"\n", seg_start) and seg_start < seg_end:
                seg_start += 1
        if p is not None and p.strip_before:
            while seg_end > seg_start and data[seg_end - 1] in b" \t\r\n":
                seg_end -= 1
        elif index in standalone:  # so does its indentation
            while seg_end > seg_start and data[seg_end - 1] in b" \t":
                seg_end -= 1
        if seg_end > seg_start:
            literal_starts.append(seg_start)
            out.append(f"{_OPEN}{_LITERAL}{len(literal_starts) - 1}{_CLOSE}")
            out.append(data[seg_start:seg_end].decode("utf-8", "surrogateescape"))
        if p is None:
            break
        out.append(_tag(data, p, index, jinja))
        pos = p.end
    return "".join(out), literal_starts


def _standalone(data: bytes, placeholders: tuple[Placeholder, ...]) -> set[int]:
    """Handlebars' standalone tags: a block tag or comment alone on its line.

    Handlebars removes such a line whole (its indentation and line ending);
    it is done here, since the sentinels around the tag would hide the
    line's emptiness from the renderer.
    """
    found: set[int] = set()
    for index, p in enumerate(placeholders):
        if p.kind is Kind.OUTPUT or p.kind is Kind.STATEMENT:
            continue
        line_start = data.rfind(b"\n", 0, p.start) + 1
        line_end = data.find(b"\n", p.end)
        line_end = len(data) if line_end < 0 else line_end
        if data[line_start : p.start].strip(b" \t") or data[p.end : line_end].strip(b" \t\r"):
            continue
        neighbours = (placeholders[i] for i in (index - 1, index + 1) if 0 <= i < len(placeholders))
        if any(
            line_start <= q.start < line_end or line_start < q.end <= line_end for q in neighbours
        ):
            continue  # two tags on one line: not standalone
        found.add(index)
    return found


def _tag(data: bytes, p: Placeholder, index: int, jinja: bool) -> str:
    """A tag without whitespace control, wrapped so that its output is known."""
    width = p.inner_start - p.start - (1 if p.strip_before or _plus(data, p, jinja) else 0)
    opener = data[p.start : p.start + width].decode("ascii", "replace")
    closer_width = p.end - p.inner_end - (1 if p.strip_after or _plus_end(data, p, jinja) else 0)
    closer = data[p.end - closer_width : p.end].decode("ascii", "replace")
    inner = data[p.inner_start : p.inner_end].decode("utf-8", "surrogateescape")
    if p.kind is Kind.COMMENT or (p.tag == "raw" and p.kind in (Kind.OPEN, Kind.CLOSE)):
        return f"{opener}{inner}{closer}"
    if not jinja:
        at = f'{{{{_mimelint_at "{index}"}}}}'
        if p.kind is Kind.OUTPUT:
            return (
                f"{at}{_OPEN}{_BEGIN}{index}{_CLOSE}{opener}{inner}{closer}"
                f"{_OPEN}{_END}{index}{_CLOSE}"
            )
        if p.kind is Kind.OPEN:
            return f"{at}{opener}{inner}{closer}"
        return f"{opener}{inner}{closer}"
    at = f"{{{{ _mimelint_at('{index}') }}}}"
    if p.kind is Kind.OUTPUT:
        return (
            f"{at}{_OPEN}{_BEGIN}{index}{_CLOSE}{opener}{inner}{closer}{_OPEN}{_END}{index}{_CLOSE}"
        )
    if p.kind is Kind.MIDDLE and p.tag == "elif":
        condition = inner.strip()[4:]
        return f"{opener} elif _mimelint_at('{index}') or ({condition}) {closer}"
    if p.kind in (Kind.OPEN, Kind.STATEMENT):
        return f"{at}{opener}{inner}{closer}"
    return f"{opener}{inner}{closer}"


def _plus(data: bytes, p: Placeholder, jinja: bool) -> bool:
    return jinja and data[p.inner_start - 1 : p.inner_start] == b"+"


def _plus_end(data: bytes, p: Placeholder, jinja: bool) -> bool:
    return jinja and data[p.inner_end : p.inner_end + 1] == b"+"


def _rfc2047(value: object) -> str:
    text = str(value)
    if text.isascii():
        return text
    from mimelint.mime.writers import encode_phrase

    return encode_phrase(text)


def _qp(value: object) -> str:
    import quopri

    return quopri.encodestring(str(value).encode("utf-8")).decode("ascii")


def _b64(value: object) -> str:
    import base64

    return base64.encodebytes(str(value).encode("utf-8")).decode("ascii").rstrip("\n")


def _idna(value: object) -> str:
    import idna

    try:
        return idna.encode(str(value), uts46=True).decode("ascii")
    except idna.IDNAError:
        return str(value)


#: Encoding filters (Jinja) and helpers (Handlebars) that render mode provides,
#: so that a template using these names renders; list the names in
#: ``template-encoding-filters`` for raw-template mode to trust them.
ENCODING_FILTERS: dict[str, Callable[[object], str]] = {
    "rfc2047": _rfc2047,
    "qp": _qp,
    "b64": _b64,
    "idna": _idna,
}


def _helper(function: Callable[[object], str]) -> Callable[..., str]:
    def helper(this: object, value: object, *args: object) -> str:
        return function(value)

    return helper


def _jinja_syntax_error(data: bytes) -> RenderProblem | None:
    """The template's syntax error, at the start of its line, as Jinja reports it."""
    try:
        import jinja2
    except ImportError:
        raise RendererMissing(INSTALL_HINT) from None
    try:
        env = jinja2.Environment()
        env.filters.update(ENCODING_FILTERS)
        env.parse(data.decode("utf-8", "surrogateescape"))
    except jinja2.TemplateSyntaxError as exc:
        return _at_line(data, exc.lineno, f"template syntax error: {exc.message}")
    return None


def _too_deep(scan: Scan, exc: SyntaxError | RecursionError) -> RenderProblem:
    """The render problem of a template nested too deeply for Jinja: at the
    opening tag of its most deeply nested block (or its first tag)."""
    why = exc.msg if isinstance(exc, SyntaxError) else "maximum recursion depth exceeded"
    found = scan.placeholders
    deepest, most = 0, 0
    closes: list[int] = []  # the blocks open at each block's start, by their closing tag
    for block in sorted(scan.blocks, key=lambda b: b.open):
        while closes and closes[-1] < block.open:
            closes.pop()
        closes.append(block.close)
        if len(closes) > most:
            deepest, most = block.open, len(closes)
    tag = found[deepest] if found else None
    start, end = (tag.start, tag.end) if tag is not None else (0, 0)
    return RenderProblem(
        RenderProblemKind.ERROR,
        start,
        end,
        f"the renderer cannot compile the template: its blocks or expressions nest too "
        f"deeply for Python ({why}); split the template or flatten its blocks",
    )


def _at_line(data: bytes, lineno: int | None, message: str) -> RenderProblem:
    """A render problem spanning line ``lineno`` (1-based) of the template."""
    start = 0
    for _ in range(max(0, (lineno or 1) - 1)):
        nl = data.find(b"\n", start)
        if nl < 0:
            break
        start = nl + 1
    end = data.find(b"\n", start)
    end = len(data) if end < 0 else end
    return RenderProblem(RenderProblemKind.ERROR, start, end, message)


def _render_jinja(
    data: bytes,
    source: str,
    values: Mapping[str, Any],
    at: Callable[[str], str],
    undefined: Callable[[str], None],
    problems: list[RenderProblem],
    where: list[int],
    search_path: str | None,
) -> str:
    try:
        import jinja2
    except ImportError:
        raise RendererMissing(INSTALL_HINT) from None

    class Missing(jinja2.ChainableUndefined):
        """StrictUndefined's verdict (every use is a problem) without stopping the render."""

        def __str__(self) -> str:
            return f"{_OPEN}{_UNDEFINED}{self._undefined_name}{_CLOSE}"

        def __bool__(self) -> bool:
            undefined(str(self._undefined_name))
            return False

        def __iter__(self) -> Any:
            undefined(str(self._undefined_name))
            return iter(())

        def __len__(self) -> int:
            undefined(str(self._undefined_name))
            return 0

    loader = jinja2.FileSystemLoader(search_path) if search_path is not None else None
    env = jinja2.Environment(
        undefined=Missing, keep_trailing_newline=True, autoescape=False, loader=loader
    )
    env.filters.update(ENCODING_FILTERS)
    try:
        template = env.from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        # Found when compiling, not parsing: a filter or test the environment
        # lacks (synapse's format_ts). The instrumented source can have fewer
        # lines (a tag written over two), so the line is the template's own
        # compile's, on this error path only.
        lineno = exc.lineno
        try:
            env.from_string(data.decode("utf-8", "surrogateescape"))
        except jinja2.TemplateSyntaxError as own:
            lineno = own.lineno
        problems.append(_at_line(data, lineno, f"template error: {exc.message}"))
        return ""
    try:
        return template.render({**values, "_mimelint_at": at})
    except jinja2.UndefinedError as exc:
        problems.append(
            RenderProblem(RenderProblemKind.UNDEFINED, where[0], where[1], str(exc.message))
        )
    except Exception as exc:  # noqa: BLE001 - a failing filter is a finding, not a crash
        problems.append(
            RenderProblem(
                RenderProblemKind.ERROR,
                where[0],
                where[1],
                f"rendering failed: {type(exc).__name__}: {exc}",
            )
        )
    return ""


def _render_handlebars(
    source: str,
    values: Mapping[str, Any],
    at: Callable[[str], str],
    problems: list[RenderProblem],
    where: list[int],
    partials: Mapping[str, str],
) -> str:
    try:
        import pybars  # type: ignore[import-untyped]
    except ImportError:
        raise RendererMissing(INSTALL_HINT) from None
    try:
        compiler = pybars.Compiler()
        template = compiler.compile(source)
        compiled = {name: compiler.compile(text) for name, text in partials.items()}
        helpers = {name: _helper(f) for name, f in ENCODING_FILTERS.items()}
        helpers["_mimelint_at"] = lambda this, index: at(str(index))
    except Exception as exc:  # noqa: BLE001 - pybars raises its own and PyMeta's errors
        problems.append(
            RenderProblem(RenderProblemKind.ERROR, 0, 0, f"template syntax error: {exc}")
        )
        return ""
    try:
        return str(template(dict(values), helpers=helpers, partials=compiled))
    except Exception as exc:  # noqa: BLE001 - a failing helper is a finding, not a crash
        problems.append(
            RenderProblem(
                RenderProblemKind.ERROR,
                where[0],
                where[1],
                f"rendering failed: {type(exc).__name__}: {exc}",
            )
        )
    return ""


_PARTIAL_NAME = re.compile(rb">\s*([A-Za-z0-9_./-]+)")
_PARTIAL_ENDINGS = (".hbs", ".handlebars", ".mustache", "")


def _partials(data: bytes, scan: Scan, search_path: str | None) -> dict[str, str]:
    """The text of each partial the template names, read from ``search_path``.

    A partial that is not found is left out: the renderer then reports it.
    """
    import os

    found: dict[str, str] = {}
    if search_path is None:
        return found
    for p in scan.placeholders:
        if p.tag != "partial":
            continue
        m = _PARTIAL_NAME.match(data, p.inner_start, p.inner_end)
        if m is None:
            continue
        name = m.group(1).decode("ascii")
        for ending in _PARTIAL_ENDINGS:
            path = os.path.join(search_path, name + ending)
            if name not in found and os.path.isfile(path):
                try:
                    with open(path, encoding="utf-8", errors="surrogateescape") as fh:
                        found[name] = fh.read()
                except OSError:
                    continue
    return found


def _missing_handlebars(
    scan: Scan, values: Mapping[str, Any], problems: list[RenderProblem]
) -> None:
    """Top-level outputs whose variable the data lacks (Handlebars would print nothing)."""
    # Inside each/with (any block but if/unless) names are read from another context.
    scoped: list[bool] = []
    for p in scan.placeholders:
        if p.kind is Kind.OPEN:
            scoped.append(p.tag not in ("if", "unless"))
        elif p.kind is Kind.CLOSE and scoped:
            scoped.pop()
        elif p.kind is Kind.OUTPUT and not any(scoped) and p.name and p.tag != "partial":
            head = re.split(r"[./\[]", p.name, maxsplit=1)[0]
            if head not in values and head not in ("this", "@root", "@index", "@key"):
                problems.append(
                    RenderProblem(
                        RenderProblemKind.UNDEFINED,
                        p.start,
                        p.end,
                        f"{quoted(p.name or '')} is undefined in the sample data",
                    )
                )


def _map(
    text: str,
    scan: Scan,
    literal_starts: list[int],
    problems: list[RenderProblem],
    template_size: int,
) -> Rendering:
    """Strip the sentinels from ``text`` and record each output byte's origin."""
    out = bytearray()
    starts: array.array[int] = array.array("q")
    ends: array.array[int] = array.array("q")
    stack: list[Placeholder] = []
    literal = 0  # the template offset of the next literal byte
    pos = 0
    placeholders = scan.placeholders
    seen_undefined: set[tuple[int, str]] = set()
    for m in _MARKER.finditer(text):
        literal = _emit(text[pos : m.start()], out, starts, ends, stack, literal)
        pos = m.end()
        kind, value = m.group(1), m.group(2)
        if kind == _LITERAL:
            literal = literal_starts[int(value)]
        elif kind == _BEGIN:
            stack.append(placeholders[int(value)])
        elif kind == _END:
            if stack:
                stack.pop()
        elif kind == _UNDEFINED and stack:
            p = stack[-1]
            if (p.start, value) not in seen_undefined:
                seen_undefined.add((p.start, value))
                problems.append(
                    RenderProblem(
                        RenderProblemKind.UNDEFINED,
                        p.start,
                        p.end,
                        f"{quoted(value)} is undefined in the sample data",
                    )
                )
    _emit(text[pos:], out, starts, ends, stack, literal)
    unique: dict[tuple[int, int, str], RenderProblem] = {}
    for problem in problems:
        unique.setdefault((problem.start, problem.end, problem.message), problem)
    return Rendering(bytes(out), starts, ends, tuple(unique.values()), template_size)


def _emit(
    piece: str,
    out: bytearray,
    starts: array.array[int],
    ends: array.array[int],
    stack: list[Placeholder],
    literal: int,
) -> int:
    if not piece:
        return literal
    raw = piece.encode("utf-8", "surrogateescape")
    out += raw
    if stack:
        p = stack[-1]
        starts.extend([p.start] * len(raw))
        ends.extend([p.end] * len(raw))
        return literal
    starts.extend(range(literal, literal + len(raw)))
    ends.extend(range(literal + 1, literal + len(raw) + 1))
    return literal + len(raw)
