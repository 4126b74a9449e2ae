"""Address tokens (RFC 5322 §3.2, §3.4): the one tokenizer of address lists.

Cuts an address list into lexical tokens (atoms, quoted strings, domain
literals, comments and the specials), each with its absolute byte span.
Total: any bytes give tokens, a byte that fits nowhere an ``OTHER`` token.
The mailbox readers (:mod:`mimelint.mime.addresses`) and the units
(:mod:`mimelint.mime.address_units`) read these tokens;
:attr:`mimelint.mime.tree.Header.address_tokens` holds a field's, read once.
"""

from __future__ import annotations

import enum
import functools
import re

from mimelint._records import NamedTuple

__all__ = ["PHRASE_KINDS", "Token", "TokenKind", "tokenize"]


class TokenKind(enum.Enum):
    """The kind of a lexical token of an address list (RFC 5322 §3.2, §3.4)."""

    ATOM = "atom"  #: a run of atext (and of bytes >= 0x80, RFC 6532)
    QUOTED = "quoted"  #: a quoted-string, quotes included
    DOMAIN_LITERAL = "domain-literal"  #: ``[...]``, brackets included
    COMMENT = "comment"  #: ``(...)``, nested comments in one token
    LT = "<"
    GT = ">"
    AT = "@"
    COMMA = ","
    SEMICOLON = ";"
    COLON = ":"
    DOT = "."
    OTHER = "other"  #: a byte that has no place in an address list


# One token per match, with the white space before it (group 1). Atoms take
# RFC 5322 atext plus every byte >= 0x80 (RFC 6532 lets UTF-8 in); the rules
# decide what non-ASCII means. A comment without a nested one is one match;
# a "(" that starts anything else is read by _skip_comment. The groups
# exclude one another by their first byte (a quoted string or literal
# either closes or runs to the end), and every repeat is possessive.
_TOKEN_PATTERN = rb"""
    ([ \t\r\n]*+)
    (?:
      (?P<atom>[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\x80-\xff]++)
    | (?P<lt><) | (?P<gt>>) | (?P<at>@) | (?P<comma>,) | (?P<dot>\.)
    | (?P<semicolon>;) | (?P<colon>:)
    | (?P<quoted>"(?:[^"\\]++|\\[\s\S])*+")
    | (?P<comment>\((?:[^()\\]++|\\[\s\S])*+\))
    | (?P<open_quoted>"(?:[^"\\]++|\\[\s\S])*+\\?\Z)
    | (?P<literal>\[(?:[^\[\]\\]++|\\[\s\S])*+\])
    | (?P<open_literal>\[(?:[^\[\]\\]++|\\[\s\S])*+\\?\Z)
    | (?P<nested>\()
    | (?P<other>[\s\S])
    )?
    """


@functools.cache
def _token() -> re.Pattern[bytes]:
    """The token pattern, compiled on first use (0.4 ms: not at start-up)."""
    return re.compile(_TOKEN_PATTERN, re.VERBOSE)


#: The token kind of each group of the token pattern, and whether it is closed.
_GROUP_KIND: dict[str | None, tuple[TokenKind, bool]] = {
    "atom": (TokenKind.ATOM, True),
    "lt": (TokenKind.LT, True),
    "gt": (TokenKind.GT, True),
    "at": (TokenKind.AT, True),
    "comma": (TokenKind.COMMA, True),
    "dot": (TokenKind.DOT, True),
    "semicolon": (TokenKind.SEMICOLON, True),
    "colon": (TokenKind.COLON, True),
    "quoted": (TokenKind.QUOTED, True),
    "comment": (TokenKind.COMMENT, True),
    "open_quoted": (TokenKind.QUOTED, False),
    "literal": (TokenKind.DOMAIN_LITERAL, True),
    "open_literal": (TokenKind.DOMAIN_LITERAL, False),
    "other": (TokenKind.OTHER, True),
}
# The kinds by short names: an Enum member read through its class costs a
# lookup each time, and the tokenizer compares kinds per token.
_ATOM, _QUOTED, _COMMENT, _DOT = (
    TokenKind.ATOM,
    TokenKind.QUOTED,
    TokenKind.COMMENT,
    TokenKind.DOT,
)


# Compiled on first use: only an address with a comment needs it.
@functools.cache
def _comment_part() -> re.Pattern[bytes]:
    """A piece of a comment: a run of plain bytes, a quoted-pair, a parenthesis."""
    return re.compile(rb"[^()\\]+|\\[\s\S]?|[()]")


# Sets of kinds are tuples: a frozenset would hash each kind with Enum's
# __hash__, Python code; a tuple compares identities in C.
#: The kinds a display name (phrase) is made of.
PHRASE_KINDS = (_ATOM, _QUOTED, _DOT)


class Token(NamedTuple):
    """A lexical unit of an address list: kind, text and absolute span.

    White space is no token; ``gap`` says whether any (or a comment) stood
    before it. Comments are tokens only where asked (see :func:`tokenize`).
    """

    kind: TokenKind
    text: bytes
    start: int
    end: int
    gap: bool
    closed: bool = True  #: False for a quoted string, literal or comment left open


def tokenize(data: bytes, base: int = 0, *, comments: bool = False) -> list[Token]:
    """Tokens of ``data``; a token's offsets are ``base`` + its index.

    Never raises: a byte that fits nowhere becomes an ``OTHER`` token, an
    unclosed comment an unclosed ``COMMENT`` token that runs to the end.
    With ``comments``, every comment is a ``COMMENT`` token too (nested
    comments in one token), else only an unclosed one is. One regex match
    per token (white space included); a nested comment is skipped by
    :func:`_skip_comment` and the scan resumes after it.
    """
    end = len(data)
    tokens: list[Token] = []
    append = tokens.append
    kinds = _GROUP_KIND
    gap = False  # a comment stood before the next token
    pos = 0
    while pos < end:
        resume = end
        for m in _token().finditer(data, pos):
            name = m.lastgroup
            if name is None:  # white space at the end
                break
            start, stop = m.end(1), m.end()
            spaced = gap or start > m.start()
            if name == "nested":  # a comment with comments inside, or unclosed
                after = _skip_comment(data, start, end)
                if after < 0:  # never closed: the rest of the value is the comment
                    append(Token(_COMMENT, data[start:], base + start, base + end, spaced, False))
                    break
                if comments:
                    append(Token(_COMMENT, data[start:after], base + start, base + after, spaced))
                gap = True
                resume = after
                break
            kind, closed = kinds[name]
            if kind is _COMMENT:
                if comments:
                    append(Token(kind, data[start:stop], base + start, base + stop, spaced))
                gap = True
            else:
                append(Token(kind, data[start:stop], base + start, base + stop, spaced, closed))
                gap = False
        pos = resume
    return tokens


def _skip_comment(data: bytes, pos: int, end: int) -> int:
    """Offset after the (nested) comment that starts at ``pos``; -1 if unclosed."""
    depth = 0
    for m in _comment_part().finditer(data, pos, end):
        piece = m.group()
        if piece == b"(":
            depth += 1
        elif piece == b")":
            depth -= 1
            if depth == 0:
                return m.end()
    return -1
