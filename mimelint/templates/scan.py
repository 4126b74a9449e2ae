"""Find the placeholders of a Jinja or Handlebars/Mustache template.

A template is scanned as bytes, so every offset is a byte offset into the
file: the same offsets the masked message (see :mod:`mimelint.templates.mask`)
and its findings use. The scanner knows the tag syntax only, not the
expression language: a placeholder records the variable it reads (its
dotted path, when the expression starts with one) and the filters or
helpers applied to it, which is what the template rules need.

Jinja: ``{{ expr }}``, ``{% tag %}``, ``{# comment #}``, with ``-``/``+``
whitespace control, and ``{% raw %}...{% endraw %}`` whose content is text.
Handlebars: ``{{expr}}``, ``{{{expr}}}``, ``{{&expr}}``, ``{{#block}}``,
``{{^block}}``, ``{{else}}``, ``{{/block}}``, ``{{> partial}}``,
``{{! comment }}``, ``{{!-- comment --}}``, ``~`` whitespace control and
``{{{{raw}}}}...{{{{/raw}}}}``.

One pass with ``bytes.find`` and a few anchored regular expressions: the
cost is linear in the template's length.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mimelint.placeholders import Block, Kind, Placeholder, TemplateDefect

# Defined in the package's light __init__: file discovery needs it, not the scanner.
from mimelint.templates import Syntax


@dataclass(frozen=True, slots=True)
class Scan:
    """The placeholders of a template, its matched blocks and its defects."""

    syntax: Syntax
    placeholders: tuple[Placeholder, ...]
    blocks: tuple[Block, ...]
    defects: tuple[TemplateDefect, ...]


_PATH = re.compile(rb"[A-Za-z_@][A-Za-z0-9_]*(?:(?:\.|/)[A-Za-z_][A-Za-z0-9_]*|\[[^\]]*\])*")
_IDENT = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_JINJA_OPEN = re.compile(rb"\{[{%#]")
_JINJA_RAW_END = re.compile(rb"\{%[-+]?\s*endraw\s*[-+]?%\}")
_JINJA_BLOCKS = frozenset(
    {"if", "for", "macro", "call", "filter", "block", "with", "autoescape", "trans"}
    # Django and Liquid templates share the tag syntax; their blocks pair alike.
    | {"blocktrans", "blocktranslate", "comment", "spaceless", "verbatim", "ifchanged"}
    | {"ifequal", "ifnotequal", "localize", "localtime", "timezone", "cache"}
    | {"unless", "capture", "case", "tablerow"}
)
_JINJA_MIDDLES = frozenset({"elif", "else", "pluralize", "empty", "plural", "when", "elsif"})
#: Tags of template languages mimelint does not read, as they appear in a header
#: line, and the language's name: what a user who picked the wrong syntax sees.
_FOREIGN_TAGS = (
    (re.compile(rb"<%[=-]?[^\n]*?%>"), "ERB/EJS ('<%= ... %>')"),
    (re.compile(rb"\[%[^\n]*?%\]"), "Template Toolkit ('[% ... %]')"),
    (re.compile(rb"\$\{[^}\n]+\}"), "'${...}'"),
    (re.compile(rb"%\([A-Za-z_][A-Za-z0-9_]*\)[sdr]"), "Python '%(name)s'"),
    (re.compile(rb"(?<![{$])\{[A-Za-z_][A-Za-z0-9_.]*\}(?!\})"), "Python '{name}'"),
)
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_JINJA_OUTPUT_STATEMENTS = frozenset({"include"})
_TOP_LEVEL_BAR = re.compile(rb"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[()\[\]]|\|""")


def scan(data: bytes, syntax: Syntax | str = Syntax.JINJA) -> Scan:
    """Every placeholder of ``data``, in order; never raises."""
    syntax = Syntax(syntax)
    if syntax is Syntax.JINJA:
        found, defects = _scan_jinja(data)
    else:
        found, defects = _scan_handlebars(data)
    blocks, unmatched = _pair(found)
    if not found and not defects:
        defects = _foreign(data, syntax)
    return Scan(syntax, tuple(found), tuple(blocks), tuple(defects + unmatched))


def _foreign(data: bytes, syntax: Syntax) -> list[TemplateDefect]:
    """A template with no tag of its syntax, whose header lines hold another language's tags.

    ``From: <%= @from %>`` in a file read as Jinja: every placeholder is
    literal text to mimelint, and the findings on it (an address without
    @domain) would not say why. Only the header section is looked at: there
    a ``${x}`` or ``{x}`` is not what a message holds.
    """
    blank = _HEADER_END.search(data)
    end = blank.start() if blank is not None else len(data)
    found = [
        (m.start(), m.end(), language)
        for pattern, language in _FOREIGN_TAGS
        if (m := pattern.search(data, 0, end)) is not None
    ]
    if not found:
        return []
    start, stop, language = min(found)  # the first in the template, whichever language
    reads = "Jinja" if syntax is Syntax.JINJA else "Handlebars/Mustache"
    return [
        TemplateDefect(
            start,
            stop,
            f"the template has no {reads} tag, but {language} placeholders: mimelint "
            "reads Jinja and Handlebars/Mustache templates only, and checks these "
            "as literal text",
        )
    ]


# ------------------------------------------------------------------ Jinja


def _scan_jinja(data: bytes) -> tuple[list[Placeholder], list[TemplateDefect]]:
    found: list[Placeholder] = []
    defects: list[TemplateDefect] = []
    pos = 0
    size = len(data)
    while pos < size:
        m = _JINJA_OPEN.search(data, pos)
        if m is None:
            break
        start = m.start()
        opener = data[start + 1 : start + 2]
        closer = {b"{": b"}}", b"%": b"%}", b"#": b"#}"}[opener]
        end = data.find(closer, start + 2)
        if end < 0:
            defects.append(
                TemplateDefect(start, start + 2, f"'{{{opener.decode()}' is never closed")
            )
            break
        end += 2
        inner_start, inner_end = start + 2, end - 2
        strip_before = data[inner_start : inner_start + 1] == b"-"
        strip_after = inner_end > inner_start and data[inner_end - 1 : inner_end] == b"-"
        if data[inner_start : inner_start + 1] in (b"-", b"+"):
            inner_start += 1
        if inner_end > inner_start and data[inner_end - 1 : inner_end] in (b"-", b"+"):
            inner_end -= 1
        inner = data[inner_start:inner_end]
        common: dict[str, Any] = {
            "start": start,
            "end": end,
            "strip_before": strip_before,
            "strip_after": strip_after,
            "inner_start": inner_start,
            "inner_end": inner_end,
        }
        if opener == b"#":
            found.append(Placeholder(Kind.COMMENT, **common))
        elif opener == b"{":
            name, filters = _jinja_expression(inner)
            found.append(Placeholder(Kind.OUTPUT, name=name, filters=filters, **common))
        else:
            word_match = _IDENT.match(inner.strip())
            word = word_match.group().decode() if word_match else ""
            if word == "raw":
                found.append(Placeholder(Kind.OPEN, tag="raw", **common))
                close = _JINJA_RAW_END.search(data, end)
                if close is None:
                    defects.append(TemplateDefect(start, end, "'{% raw %}' is never closed"))
                    break
                found.append(
                    Placeholder(
                        Kind.CLOSE,
                        close.start(),
                        close.end(),
                        tag="raw",
                        inner_start=close.start() + 2,
                        inner_end=close.end() - 2,
                    )
                )
                pos = close.end()
                continue
            found.append(_jinja_statement(word, inner, common))
        pos = end
    return found, defects


def _jinja_statement(word: str, inner: bytes, common: Mapping[str, Any]) -> Placeholder:
    if word in _JINJA_BLOCKS or (word == "set" and b"=" not in inner):
        return Placeholder(Kind.OPEN, tag=word, **common)
    if word in _JINJA_MIDDLES:
        return Placeholder(Kind.MIDDLE, tag=word, **common)
    if word.startswith("end"):
        return Placeholder(Kind.CLOSE, tag=word[3:], **common)
    if word in _JINJA_OUTPUT_STATEMENTS:
        return Placeholder(Kind.OUTPUT, tag=word, **common)
    return Placeholder(Kind.STATEMENT, tag=word, **common)


def _jinja_expression(inner: bytes) -> tuple[str | None, tuple[str, ...]]:
    """The leading variable path and the top-level filters of an expression."""
    pieces: list[bytes] = []
    depth = 0
    last = 0
    for m in _TOP_LEVEL_BAR.finditer(inner):
        token = m.group()
        if token in (b"(", b"["):
            depth += 1
        elif token in (b")", b"]"):
            depth = max(0, depth - 1)
        elif token == b"|" and depth == 0:
            pieces.append(inner[last : m.start()])
            last = m.end()
    pieces.append(inner[last:])
    head = pieces[0].strip()
    path = _PATH.fullmatch(head)
    name = path.group().decode() if path else None
    filters = []
    for piece in pieces[1:]:
        ident = _IDENT.match(piece.strip())
        if ident:
            filters.append(ident.group().decode())
    return name, tuple(filters)


# ------------------------------------------------------------- Handlebars


def _scan_handlebars(data: bytes) -> tuple[list[Placeholder], list[TemplateDefect]]:
    found: list[Placeholder] = []
    defects: list[TemplateDefect] = []
    pos = 0
    size = len(data)
    while pos < size:
        start = data.find(b"{{", pos)
        if start < 0:
            break
        if data.startswith(b"{{{{", start):  # a raw block: its content is text
            end = data.find(b"}}}}", start + 4)
            if end < 0:
                defects.append(TemplateDefect(start, start + 4, "'{{{{' is never closed"))
                break
            name_match = _IDENT.match(data, start + 4)
            tag = name_match.group().decode() if name_match else ""
            end += 4
            found.append(
                Placeholder(
                    Kind.OPEN, start, end, tag=tag, inner_start=start + 4, inner_end=end - 4
                )
            )
            closer = b"{{{{/" + tag.encode() + b"}}}}"
            close = data.find(closer, end)
            if close < 0:
                defects.append(TemplateDefect(start, end, f"raw block '{tag}' is never closed"))
                break
            found.append(
                Placeholder(
                    Kind.CLOSE,
                    close,
                    close + len(closer),
                    tag=tag,
                    inner_start=close + 4,
                    inner_end=close + len(closer) - 4,
                )
            )
            pos = close + len(closer)
            continue
        triple = data.startswith(b"{{{", start)
        if data.startswith(b"{{!--", start) or data.startswith(b"{{~!--", start):
            end = data.find(b"--}}", start + 5)
            if end >= 0:
                end += 4
            elif (alt := data.find(b"--~}}", start + 5)) >= 0:
                end = alt + 5
        elif triple:
            end = data.find(b"}}}", start + 3)
            end = end + 3 if end >= 0 else -1
        else:
            end = data.find(b"}}", start + 2)
            end = end + 2 if end >= 0 else -1
        if end < 0:
            defects.append(TemplateDefect(start, start + 2, "'{{' is never closed"))
            break
        width = 3 if triple else 2
        inner_start, inner_end = start + width, end - width
        strip_before = data[inner_start : inner_start + 1] == b"~"
        strip_after = inner_end > inner_start and data[inner_end - 1 : inner_end] == b"~"
        if strip_before:
            inner_start += 1
        if strip_after and inner_end > inner_start:
            inner_end -= 1
        found.append(
            _handlebars_tag(
                data[inner_start:inner_end].strip(),
                {
                    "start": start,
                    "end": end,
                    "strip_before": strip_before,
                    "strip_after": strip_after,
                    "inner_start": inner_start,
                    "inner_end": inner_end,
                },
            )
        )
        pos = end
    return found, defects


def _handlebars_tag(inner: bytes, common: Mapping[str, Any]) -> Placeholder:
    sigil = inner[:1]
    if sigil == b"!":
        return Placeholder(Kind.COMMENT, **common)
    if sigil in (b"#", b"^") and len(inner) > 1:
        words = inner[1:].split()
        tag = words[0].lstrip(b"*").decode("ascii", "replace") if words else ""
        return Placeholder(Kind.OPEN, tag=tag, **common)
    if sigil == b"/":
        return Placeholder(Kind.CLOSE, tag=inner[1:].strip().decode("ascii", "replace"), **common)
    if inner in (b"else", b"^") or inner.startswith(b"else "):
        return Placeholder(Kind.MIDDLE, tag="else", **common)
    if sigil == b">":
        return Placeholder(Kind.OUTPUT, tag="partial", **common)
    if sigil in (b"&", b"{"):
        inner = inner[1:].strip()
    words = inner.split()
    if not words:
        return Placeholder(Kind.OUTPUT, **common)
    # ``{{helper arg}}``: the helper is the filter and the last plain path the variable.
    helpers = tuple(w.decode("ascii", "replace") for w in words[:-1] if _IDENT.fullmatch(w))
    path = _PATH.fullmatch(words[-1])
    name = path.group().decode() if path else None
    if name is not None and name.startswith("this."):
        name = name[5:]
    return Placeholder(Kind.OUTPUT, name=name, filters=helpers, **common)


# ------------------------------------------------------------------ blocks


def _pair(found: list[Placeholder]) -> tuple[list[Block], list[TemplateDefect]]:
    """Match opening and closing tags; report the ones left over."""
    blocks: list[Block] = []
    defects: list[TemplateDefect] = []
    stack: list[int] = []
    open_tags: Counter[str] = Counter()  # the tags on the stack: no search of it
    for index, p in enumerate(found):
        if p.kind is Kind.OPEN:
            stack.append(index)
            open_tags[p.tag] += 1
        elif p.kind is Kind.CLOSE:
            if stack and found[stack[-1]].tag == p.tag:
                blocks.append(Block(stack.pop(), index))
                open_tags[p.tag] -= 1
            elif open_tags[p.tag] > 0:
                while stack and found[stack[-1]].tag != p.tag:
                    left = found[stack.pop()]
                    open_tags[left.tag] -= 1
                    defects.append(
                        TemplateDefect(left.start, left.end, f"block '{left.tag}' is never closed")
                    )
                blocks.append(Block(stack.pop(), index))
                open_tags[p.tag] -= 1
            else:
                defects.append(
                    TemplateDefect(
                        p.start, p.end, f"'{p.tag}' closes a block that was never opened"
                    )
                )
    for index in stack:
        left = found[index]
        defects.append(TemplateDefect(left.start, left.end, f"block '{left.tag}' is never closed"))
    blocks.sort(key=lambda b: b.open)
    return blocks, defects
