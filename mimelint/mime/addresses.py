"""Addresses (RFC 5322 §3.4): the one reader of address lists, with positions.

The rules need the byte span of every address, local part and domain, and
the standard library's parsers (``email.utils.getaddresses``,
``email.headerregistry``) give values without positions and repair what
they read, so this module reads address lists itself. It is total: any
bytes give a list of :class:`AddressSpan`, the malformed ones carrying an
``error``. The tests cross-check it against the standard library.

Two readers give one answer: a regex reader of the common shapes
(:func:`parse_simple`) and the token reader of anything
(:func:`parse_full`, on the tokens of :mod:`mimelint.mime.address_tokens`).
Then the facts of a header section's address fields, read once
(:class:`AddressFields`), and one address given on its own
(:func:`read_single_address`, :func:`smtp_octets`).

For a plugin, the usual entry points are the tree's facts:
:attr:`mimelint.mime.tree.Part.address_fields` (every address field of a header
section, read once and shared by every rule) and
:meth:`mimelint.mime.tree.Part.addresses` (the mailboxes of the fields of one
name). :func:`parse_addresses` reads any bytes. Which fields hold addresses
is the table in :mod:`mimelint.mime.address_fields` (its public sets are
re-exported here); the cutting of a field into display names, addr-specs
and comments is :mod:`mimelint.mime.address_units`. Domains are checked by
:mod:`mimelint.mime.domains` (IDNA 2008).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator, Sequence

from mimelint._records import NamedTuple

# Re-exported: docs/plugins.md documents the table and its sets as
# importable from here.
from mimelint.mime.address_fields import (
    ADDRESS_FIELD_ROLES,
    ADDRESS_FIELDS,
    MAILBOX_FIELDS,
    RECIPIENT_FIELDS,
    RESENT_FIELDS,
)
from mimelint.mime.address_tokens import PHRASE_KINDS, Token, TokenKind, tokenize
from mimelint.mime.domains import DomainCheck, check_domain
from mimelint.mime.encoded_words import WORD
from mimelint.mime.quoting import quoted

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from mimelint.mime.tree import Header

__all__ = [
    "ADDRESS_FIELDS",
    "ADDRESS_FIELD_ROLES",
    "MAILBOX_FIELDS",
    "MAX_ADDRESS",
    "MAX_DOMAIN",
    "MAX_LOCAL",
    "RECIPIENT_FIELDS",
    "RESENT_FIELDS",
    "AddressField",
    "AddressFields",
    "AddressSpan",
    "EmptyElement",
    "SingleAddress",
    "is_simple",
    "parse_address_list",
    "parse_addresses",
    "parse_full",
    "read_single_address",
    "read_tokens",
    "smtp_octets",
]

#: RFC 5321 §4.5.3.1.1-3: local part 64 octets, domain 255, and a path of
#: 256 octets including the angle brackets, so 254 for the address itself.
MAX_LOCAL = 64
MAX_DOMAIN = 255
MAX_ADDRESS = 254

# The kinds by short names: an Enum member read through its class costs a
# lookup each time, and the readers below compare kinds per token.
_ATOM, _QUOTED, _LITERAL, _COMMENT = (
    TokenKind.ATOM,
    TokenKind.QUOTED,
    TokenKind.DOMAIN_LITERAL,
    TokenKind.COMMENT,
)
_LT, _GT, _AT, _COMMA, _SEMICOLON, _COLON, _DOT, _OTHER = (
    TokenKind.LT, TokenKind.GT, TokenKind.AT, TokenKind.COMMA, TokenKind.SEMICOLON,
    TokenKind.COLON, TokenKind.DOT, TokenKind.OTHER,
)  # fmt: skip
# Sets of kinds are tuples: a frozenset would hash each kind with Enum's
# __hash__, Python code; a tuple compares identities in C (PHRASE_KINDS too).
#: The kinds of an obsolete phrase without quoted strings: atoms and periods.
_DOTTED_ATOMS = (_ATOM, _DOT)


class AddressSpan(NamedTuple):
    """One mailbox of an address list, with the byte span of each piece.

    Offsets are absolute in the message (or in whatever buffer was parsed).
    ``start``/``end`` cover the whole mailbox, display name and angle
    brackets included. The local part and domain are as written (quotes
    and brackets kept). ``display_start == display_end`` when there is no
    display name. ``group`` is the name of the group the mailbox is in.
    A mailbox that could not be read has ``error`` set (a message for a
    person) and ``error_start``/``error_end`` locate the offending bytes;
    its other fields hold what could be read, possibly empty.
    ``route_start < route_end`` locate an obsolete source route
    (``@relay.example:`` in ``<@relay.example:joe@example.com>``, RFC 5322
    §4.4); both are 0 when there is none.

    A named tuple rather than a frozen dataclass: a long list builds
    thousands of them, and a frozen dataclass takes several times longer
    to construct.
    """

    start: int
    end: int
    display_name: str
    display_start: int
    display_end: int
    local_part: str
    local_start: int
    local_end: int
    domain: str
    domain_start: int
    domain_end: int
    angle: bool = False
    group: str | None = None
    error: str | None = None
    error_start: int = 0
    error_end: int = 0
    route_start: int = 0
    route_end: int = 0

    @property
    def addr_spec(self) -> str:
        """``local@domain`` as written; empty when either is missing."""
        if not self.local_part or not self.domain:
            return ""
        return f"{self.local_part}@{self.domain}"

    @property
    def ok(self) -> bool:
        """Whether the mailbox was read without error."""
        return self.error is None


def parse_address_list(header: Header) -> list[AddressSpan]:
    """The mailboxes of an address header, with absolute byte spans.

    Reads RFC 5322 §3.4 address lists: display-name phrases, quoted
    strings, nested comments, angle addresses, groups (``name: a, b;``),
    obsolete routes (``<@a,@b:x@y>``) and empty list elements, across
    folded lines. Empty groups (``undisclosed-recipients:;``) yield nothing.
    Never raises; see :class:`AddressSpan` for how errors are reported.
    """
    return parse_addresses(header.raw_value, header.value_start)


def parse_addresses(data: bytes, base: int = 0) -> list[AddressSpan]:
    """Like :func:`parse_address_list` for an address list given as bytes.

    Offsets in the result are ``base`` plus the index in ``data``. The
    common shapes are read by :func:`parse_simple` (one regex per mailbox);
    anything else goes through the full reader, which gives the same result
    for those shapes (the tests prove it on generated lists).
    """
    simple = parse_simple(data, base)
    if simple is not None:
        return simple
    return parse_full(data, base)


# ------------------------------------------------------------- fast path
# The shapes nearly every address list has: ``local@domain``,
# ``Display Name <local@domain>`` and ``"Quoted Name" <local@domain>``,
# separated by ',' with optional (folding) white space. The local part and
# domain are dot-atoms without white space, the display name atoms, dots and
# quoted strings without backslashes or line breaks. No comments, groups,
# routes, domain literals or quoted local parts: those take the full reader.
#
# Why a second reader for the same fact: measured (bench/scaling.py, lint of
# the whole message, best of 5, this reader against the token reader alone)
# 3.3 against 35 ms for 1,000 plain addresses, 30 against 58 ms for 1,000
# at an IDNA domain, 29 against 73 ms for 1,000 obsolete phrases; the
# standard library's default policy takes 155 ms for the first, so without
# it mimelint would lead by 4x where issue 14 asks to keep 16x or more. On
# everyday mail it changes nothing measurable: the one-regex test of
# AddressFields.plain settles small messages before any reader runs. The
# tests prove both readers agree on generated lists.
_ATEXT = rb"[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\x80-\xff]"
# Possessive quantifiers (Python 3.11): what follows a dot-atom or a word
# (``@``, ``>``, white space, ``<``, ``,``) can never be part of it, so giving
# characters back cannot help a match, and not trying keeps a long list that
# fails (and falls back to the full reader) linear and cheap.
_DOT_ATOM = rb"%s++(?:\.%s++)*+" % (_ATEXT, _ATEXT)
_WORD = rb'(?:[A-Za-z0-9!#$%&\'*+\-/=?^_`{|}~\x80-\xff.]++|"[^"\\\r\n]*+")++'


# The readers of one simple list item by item (parse_simple) and of a whole
# simple list (is_simple) run only where a rule asks for a field's
# mailboxes: most messages are settled by _PLAIN_LISTS alone, so these are
# compiled on first use (about 1.4 ms of every start otherwise).
@functools.cache
def _simple_item() -> re.Pattern[bytes]:
    """One item of a simple list and the ',' or end after it."""
    return re.compile(
        rb"[ \t\r\n]*(?:"
        rb"(?P<local>%(d)s)@(?P<domain>%(d)s)"
        rb"|(?:(?P<phrase>%(w)s(?:[ \t\r\n]+%(w)s)*)[ \t\r\n]*)?"
        rb"(?P<lt><)(?P<alocal>%(d)s)@(?P<adomain>%(d)s)>"
        rb")?[ \t\r\n]*(?:,|\Z)" % {b"d": _DOT_ATOM, b"w": _WORD}
    )


@functools.cache
def _phrase_word() -> re.Pattern[bytes]:
    """One word (atom, dots, quoted string) of a simple display name."""
    return re.compile(_WORD)


#: The whole list in the common shapes: the language of ``_simple_item()``
#: repeated, written for speed (twice as fast as repeating that pattern).
#: A display name followed by its white space, ``phrase [ \t\r\n]*``, is
#: exactly a run of atext, '.', white space and quoted strings that starts
#: with no white space, so it is matched as runs of one character class
#: instead of word by word. The alternatives exclude one another (an
#: addr-spec's '@' stops a display name; '<' starts no addr-spec), so the
#: first that matches is the only one; items are taken atomically and every
#: repeat is possessive: a failing list stays linear. The tests prove it
#: accepts exactly what ``_simple_item()`` reads item by item.
_NAME_RUN = rb"[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\x80-\xff. \t\r\n]*+"
_QUOTED_NAME = rb'"[^"\\\r\n]*+"'


#: One mailbox in a common shape: ``local@domain`` or ``[phrase] <local@domain>``.
_MAILBOX = (
    rb"%(d)s@%(d)s"
    rb"|(?:(?:[A-Za-z0-9!#$%%&'*+\-/=?^_`{|}~\x80-\xff.]|%(q)s)%(n)s(?:%(q)s%(n)s)*+)?"
    rb"<%(d)s@%(d)s>" % {b"d": _DOT_ATOM, b"q": _QUOTED_NAME, b"n": _NAME_RUN}
)


def _list_pattern(end: bytes) -> bytes:
    """The simple-list pattern; ``end`` matches where the list ends."""
    return rb"(?:(?>[ \t\r\n]*+(?:%s)?+[ \t\r\n]*+(?:,|%s)))*+" % (_MAILBOX, end)


@functools.cache
def _simple_list() -> re.Pattern[bytes]:
    """A whole simple list (:func:`is_simple`)."""
    return re.compile(_list_pattern(rb"\Z"))


#: A simple list without empty elements (white space only, or mailboxes
#: each with a ',' between them and none first or last), where it ends in
#: lists joined by a backslash: at the end or before a backslash, which no
#: simple list holds (it is no atext, no white space, and the quoted strings
#: here exclude it).
_JOINED_PLAIN = (
    rb"[ \t\r\n]*+(?:(?>%(m)s)[ \t\r\n]*+(?:,[ \t\r\n]*+(?>%(m)s)[ \t\r\n]*+)*+)?(?=\\|\Z)"
    % {b"m": _MAILBOX}
)
#: Each list followed by the backslash that joins it to the next, or by the
#: end. One copy of the list pattern (compiling a second cost about 0.9 ms
#: of every start): a list holds no backslash, so where each list ends, and
#: whether the whole matches, is the same as for ``list(\\list)*``.
_PLAIN_LISTS = re.compile(rb"(?:%s(?:\\|\Z))++" % _JOINED_PLAIN)


def is_simple(data: bytes) -> bool:
    """Whether :func:`parse_simple` reads ``data`` (one C-speed regex test).

    A simple list has no mailbox in error, and each mailbox has exactly one
    ``@`` outside quoted strings.
    """
    return _simple_list().fullmatch(data) is not None


def all_plain(joined: bytes, count: int) -> bool:
    """Whether each of ``count`` lists joined by ``b"\\"`` is simple
    (:func:`is_simple`) and has no empty element.

    One regex test for all of a message's address fields: when no list
    holds a backslash (a list that does is not simple), the backslashes in
    ``joined`` are the ``count - 1`` separators, the pattern can only match
    across them, and it matches every list in turn. An empty element is a
    ',' with no mailbox between it and the previous ',' or the start, or
    between it and the end: what ``parse_full`` reports as empty list
    elements. True when ``count`` is 0.
    """
    if count == 0:
        return True
    return joined.count(b"\\") == count - 1 and _PLAIN_LISTS.fullmatch(joined) is not None


def parse_simple(data: bytes, base: int = 0) -> list[AddressSpan] | None:
    """The mailboxes of a list made only of the common shapes, or None.

    None means "not only common shapes": use :func:`parse_full`. When this
    gives a list, it equals what :func:`parse_full` gives for ``data``.
    """
    result: list[AddressSpan] = []
    pos = 0
    end = len(data)
    match = _simple_item().match
    make = AddressSpan._make  # skips the keyword handling of __new__
    while pos < end:
        m = match(data, pos)
        if m is None:
            return None
        # group spans in one call: 1 local, 2 domain, 3 phrase, 4 '<', 5 local, 6 domain
        _, (l_start, l_end), (d_start, d_end), (p_start, p_end), (lt, _), a_local, a_domain = m.regs
        pos = m.end()
        if l_start >= 0:
            start = base + l_start
            result.append(
                make(
                    (
                        start,
                        base + d_end,
                        "",
                        start,
                        start,
                        data[l_start:l_end].decode("utf-8", "surrogateescape"),
                        start,
                        base + l_end,
                        data[d_start:d_end].decode("utf-8", "surrogateescape"),
                        base + d_start,
                        base + d_end,
                        False,
                        None,
                        None,
                        0,
                        0,
                        0,
                        0,
                    )
                )
            )
        elif lt >= 0:
            l_start, l_end = a_local
            d_start, d_end = a_domain
            if p_start >= 0:
                phrase = data[p_start:p_end]
                words = _phrase_word().findall(phrase) if b'"' in phrase else phrase.split()
                name = b" ".join(words).decode("utf-8", "surrogateescape")
                start = base + p_start
                disp_end = base + p_end
            else:
                name = ""
                start = disp_end = base + lt
            result.append(
                make(
                    (
                        start,
                        base + d_end + 1,
                        name,
                        start,
                        disp_end,
                        data[l_start:l_end].decode("utf-8", "surrogateescape"),
                        base + l_start,
                        base + l_end,
                        data[d_start:d_end].decode("utf-8", "surrogateescape"),
                        base + d_start,
                        base + d_end,
                        True,
                        None,
                        None,
                        0,
                        0,
                        0,
                        0,
                    )
                )
            )
        # else: an empty list element (obs-mbox-list), which yields nothing
    return result


# ------------------------------------------------------------ full reader
class EmptyElement(NamedTuple):
    """A run of superfluous commas: empty list elements (RFC 5322 §4.4).

    ``start``/``end`` cover the run (from the first superfluous comma to the
    last, with what lies between); ``commas`` are the offsets of the commas
    that can go without changing the list that is read.
    """

    start: int
    end: int
    commas: tuple[int, ...]


class _Scope:
    """The elements of one list (the field's, or a group's) as they are read."""

    __slots__ = ("commas", "empty")

    def __init__(self) -> None:
        self.empty: list[bool] = []  #: per element: nothing but white space and comments
        self.commas: list[Token] = []  #: the commas between the elements

    def runs(self, out: list[EmptyElement]) -> None:
        """Append the runs of superfluous commas of this (finished) list."""
        empty, commas = self.empty, self.commas
        if not commas or not any(empty):
            return
        n = len(empty)
        k = 0
        while k < n:
            if not empty[k]:
                k += 1
                continue
            j = k
            while j + 1 < n and empty[j + 1]:
                j += 1
            if k == 0 and j == n - 1:
                extra = commas  # nothing but commas
            elif k == 0:
                extra = commas[: j + 1]  # before the first address
            elif j == n - 1:
                extra = commas[k - 1 :]  # after the last address
            else:
                extra = commas[k : j + 1]  # between two addresses: keep one
            out.append(EmptyElement(extra[0].start, extra[-1].end, tuple(t.start for t in extra)))
            k = j + 1


def parse_full(
    data: bytes, base: int = 0, empties: list[EmptyElement] | None = None
) -> list[AddressSpan]:
    """Read any bytes as an address list, token by token (see above).

    When ``empties`` is a list, the runs of superfluous commas (empty list
    elements, obsolete syntax) are appended to it.
    """
    return read_tokens(tokenize(data, base), base + len(data), empties)


def read_tokens(
    tokens: Sequence[Token], end: int, empties: list[EmptyElement] | None = None
) -> list[AddressSpan]:
    """The mailboxes of an address list from its tokens (:func:`tokenize`,
    with or without comments), ``end`` the offset where the list ends; as
    :func:`parse_full` reads them."""
    result: list[AddressSpan] = []
    element: list[Token] = []
    group: str | None = None
    group_token: Token | None = None
    in_angle = False
    scope = _Scope()
    outer: _Scope | None = None  # the field's list while a group is read
    group_done = False  # the element holds a group that was closed with ';'
    runs: list[EmptyElement] = []
    previous: tuple[int, list[Token]] | None = None  # a name without '@' (Last, First)
    for tok in tokens:
        kind = tok.kind
        if kind is _COMMENT and tok.closed:
            continue  # a comment is white space to the reader
        if kind is _LT:
            in_angle = True
        elif kind is _GT:
            in_angle = False
        elif not in_angle:
            if kind is _COMMA:
                previous = _flush_element(element, group, result, previous)
                scope.empty.append(not element and not group_done)
                scope.commas.append(tok)
                element = []
                group_done = False
                continue
            if kind is _COLON and group is None and _phrase_only(element):
                group = b" ".join(t.text for t in element).decode("utf-8", "surrogateescape")
                group_token = element[0] if element else tok
                element = []
                outer, scope = scope, _Scope()
                previous = None
                continue
            if kind is _SEMICOLON and group is not None:
                _flush(element, group, result)
                scope.empty.append(not element)
                scope.runs(runs)
                if outer is not None:
                    scope, outer = outer, None
                element = []
                group = None
                group_token = None
                group_done = True
                previous = None
                continue
        element.append(tok)
    _flush_element(element, group, result, previous)
    scope.empty.append(not element and not group_done)
    scope.runs(runs)
    if outer is not None:  # a group left open: the field's list ends with it
        outer.empty.append(False)
        outer.runs(runs)
    if group is not None and group_token is not None:
        result.append(
            _error(
                group_token.start,
                end,
                f"the group {quoted(group)} is not closed with ';' (write {group}: addresses;)",
                end,
                end,
                group,
            )
        )
    if empties is not None:
        empties.extend(sorted(runs))
    if any(a.error is not None for a in result):
        return _words_cut(tokens, result)
    return result


def _whole_word(text: bytes) -> bool:
    """Whether ``text`` is one RFC 2047 encoded-word, B or Q, with a charset
    (read by the encoded-word module's own pattern)."""
    m = WORD.fullmatch(text)
    return m is not None and bool(m.group(1)) and m.group(2) in (b"B", b"b", b"Q", b"q")


#: The most tokens an encoded-word cut by its specials is looked for in.
_WORD_PIECES = 16


def _words_cut(tokens: Sequence[Token], result: list[AddressSpan]) -> list[AddressSpan]:
    """The mailboxes in error again, where a Q encoded-word that holds
    specials is what broke them (Mandrill writes ``=?utf-8?Q?...=20:)?=``).

    RFC 2047 §5 keeps ``:``, ``)``, ``,``, ``<``... out of an encoded-word
    in an address field; the tokens cut it there, and the errors they made
    name a stray ``)`` or a group. Readers that look for encoded-words
    first (Python's email) read one display name; those that read the
    address syntax first, as §6.1 says, cut the field. The first error
    inside such a word is reported as the word's; the others it made are
    dropped (one problem, one finding). Only the tokens at each error are
    looked at: a long list of such words costs nothing more per word.
    """
    out: list[AddressSpan] = []
    reported: set[int] = set()
    for a in result:
        word = None
        if a.error is not None:
            word = _word_cut_at(tokens, a.start) or _word_cut_at(tokens, a.error_start)
        if word is None:
            out.append(a)
            continue
        start, end, text = word
        if start in reported:
            continue
        reported.add(start)
        specials = list(dict.fromkeys(chr(b) for b in text if chr(b) in '()<>@,;:\\"[]'))
        names = " and ".join(quoted(c) for c in specials)
        escapes = " and ".join(f"{quoted(c)} as ={ord(c):02X}" for c in specials)
        why = (
            f"the encoded-word {quoted(text, 40)} holds {names}, which RFC 2047 §5 does not "
            "allow in an address field: readers that find the word first (Python's email) "
            "read one name, those that read the address syntax first cut the field there; "
            f"write {escapes} in the word"
        )
        out.append(a._replace(error=why, error_start=start, error_end=end))
    return out


def _word_cut_at(tokens: Sequence[Token], pos: int) -> tuple[int, int, bytes] | None:
    """The encoded-word cut into tokens that covers offset ``pos``, if any:
    its span and text. It starts with an atom ``=?...`` and runs on through
    tokens with no white space between them, up to ``?=``."""
    i = bisect.bisect_right(tokens, pos, key=_token_start) - 1
    for k in range(i, max(i - _WORD_PIECES, -1), -1):
        first = tokens[k]
        if first.kind is _ATOM and first.text.startswith(b"=?"):
            if _whole_word(first.text):
                return None  # a whole word: nothing cut here
            joined = first.text
            for piece in tokens[k + 1 : k + _WORD_PIECES]:
                if piece.gap or piece.kind in (_QUOTED, _COMMENT):
                    return None
                joined += piece.text
                if _whole_word(joined):
                    return (first.start, piece.end, joined) if piece.end > pos else None
            return None
        if first.gap or first.kind in (_QUOTED, _COMMENT):
            return None  # white space before it: no word runs through to pos
    return None


def _token_start(t: Token) -> int:
    return t.start


def _flush_element(
    element: list[Token],
    group: str | None,
    out: list[AddressSpan],
    previous: tuple[int, list[Token]] | None,
) -> tuple[int, list[Token]] | None:
    """Read one element; recognise ``Last, First <addr>`` with the one before.

    Returns the element when it is a bare name (words without ``@``) that the
    next element may complete, else None.
    """
    count = len(out)
    _flush(element, group, out)
    if len(out) != count + 1:
        return None
    address = out[count]
    if previous is not None and address.ok and address.angle:
        index, name = previous
        phrase = _phrase_of(element)
        if phrase and all(t.kind in _DOTTED_ATOMS for t in phrase):
            last, first = _text_spaced(name), _text_spaced(phrase)
            suggestion = f'"{last}, {first}" <{address.addr_spec}>'
            out[index] = out[index]._replace(
                end=phrase[-1].end,
                error=(
                    f"the display name {quoted(last + ', ' + first)} has an unquoted ',', so it reads "
                    f"as two addresses and {quoted(last)} has no @domain (SES: Missing final "
                    f"'@domain'); put the name in double quotes: {suggestion}"
                ),
                error_end=phrase[-1].end,
            )
    if address.error is not None and element and all(t.kind in _DOTTED_ATOMS for t in element):
        return count, element
    return None


def _phrase_of(element: list[Token]) -> list[Token]:
    """The tokens before the first ``<`` of an element."""
    for i, t in enumerate(element):
        if t.kind is _LT:
            return element[:i]
    return []


def _outside_angle(element: list[Token], kinds: tuple[TokenKind, ...]) -> Token | None:
    """The first token of one of ``kinds`` that is not between ``<`` and ``>``."""
    depth = 0
    for t in element:
        if t.kind is _LT:
            depth += 1
        elif t.kind is _GT:
            depth = max(0, depth - 1)
        elif depth == 0 and t.kind in kinds:
            return t
    return None


def _phrase_only(element: list[Token]) -> bool:
    return all(t.kind in PHRASE_KINDS for t in element)


def _error(
    start: int, end: int, message: str, err_start: int, err_end: int, group: str | None
) -> AddressSpan:
    return AddressSpan(
        start, end, "", start, start, "", start, start, "", start, start,
        group=group, error=message, error_start=err_start, error_end=err_end,
    )  # fmt: skip


def _text(tokens: list[Token]) -> str:
    return b"".join(t.text for t in tokens).decode("utf-8", "surrogateescape")


def _flush(element: list[Token], group: str | None, out: list[AddressSpan]) -> None:
    """Read one list element (a mailbox) and append it to ``out``."""
    if not element:
        return  # obs-mbox-list: empty elements are read as nothing
    first, last = element[0], element[-1]
    start, end = first.start, last.end
    # The kinds and the tokens left open, listed once: each check below is
    # then a C-speed membership test rather than a pass over the tokens.
    kinds = [t.kind for t in element]
    unclosed = [t for t in element if not t.closed]
    if _OTHER in kinds:
        bad = element[kinds.index(_OTHER)]
        if bad.text == b")":
            why = "')' without a matching '(': remove it, or open the comment with '('"
        else:
            char = bad.text.decode("latin-1")
            why = f"the character {quoted(char)} is not allowed here"
        out.append(_error(start, end, why, bad.start, bad.end, group))
        return
    opened = next((t for t in unclosed if t.kind is _COMMENT), None)
    if opened is not None:
        why = (
            "the comment that starts with '(' is not closed with ')' (readers such as "
            "Python's email report 'end of header inside comment'); add the ')'"
        )
        out.append(_error(start, end, why, opened.start, opened.end, group))
        return
    stray = (
        _outside_angle(element, (_SEMICOLON, _COLON))
        if _SEMICOLON in kinds or _COLON in kinds
        else None
    )
    if stray is not None:
        sep = stray.text.decode("ascii")
        why = (
            "';' is not a separator between addresses; use ','"
            if sep == ";"
            else "':' belongs after a group name (Team: a@x, b@y;); in a display name, "
            "put the name in double quotes"
        )
        out.append(_error(start, end, why, stray.start, stray.end, group))
        return
    if unclosed:
        opened = unclosed[0]
        what = (
            "the quoted string is not closed; add the closing '\"'"
            if opened.kind is _QUOTED
            else "the domain literal is not closed; add the closing ']'"
        )
        out.append(_error(start, end, what, opened.start, end, group))
        return
    lt = [i for i, k in enumerate(kinds) if k is _LT] if _LT in kinds else []
    if not lt:
        if _GT in kinds:
            gt_alone = element[kinds.index(_GT)]
            why = "'>' without a matching '<'; write Name <local@domain>"
            out.append(_error(start, end, why, gt_alone.start, gt_alone.end, group))
            return
        out.append(_addr_spec(element, start, end, group, None))
        return
    i = lt[0]
    gt = next((j for j in range(i + 1, len(element)) if element[j].kind is _GT), None)
    if gt is None:
        why = "'<' is not closed with '>'; write Name <local@domain>"
        out.append(_error(start, end, why, element[i].start, end, group))
        return
    if len(lt) > 1 or gt != len(element) - 1:
        out.append(_extra_text(element, i, gt, lt, start, end, group))
        return
    phrase = element[:i]
    odd = next((t for t in phrase if t.kind not in PHRASE_KINDS), None)
    if odd is not None:
        shown = odd.text.decode("latin-1")
        why = (
            f"{quoted(shown)} in a display name must be inside double quotes: "
            f'"{_text_spaced(phrase)}" <...>'
        )
        out.append(_error(start, end, why, odd.start, odd.end, group))
        return
    inner = element[i + 1 : gt]
    route: tuple[int, int] = (0, 0)
    if inner and inner[0].kind is _AT:  # obsolete route: @a,@b:
        colon = next((k for k, t in enumerate(inner) if t.kind is _COLON), None)
        if colon is None:
            why = "nothing before the '@' (SES: Missing local name); write <local@domain>"
            out.append(_error(start, end, why, inner[0].start, inner[-1].end, group))
            return
        route = (inner[0].start, inner[colon].end)
        inner = inner[colon + 1 :]
    if not inner:
        why = (
            "the empty address '<>' (the null sender of bounces) is for the envelope, "
            "not for an address field; give an address"
        )
        out.append(_error(start, end, why, element[i].start, element[gt].end, group))
        return
    display = (phrase[0].start, phrase[-1].end) if phrase else (start, start)
    address = _addr_spec(inner, start, end, group, display, _text_spaced(phrase))
    if route[0] < route[1] and address.error is None:
        address = address._replace(route_start=route[0], route_end=route[1])
    out.append(address)


def _extra_text(
    element: list[Token], i: int, gt: int, lt: list[int], start: int, end: int, group: str | None
) -> AddressSpan:
    """The error for an element with more than ``Name <addr>``."""
    opens = 1
    while i + opens < gt and element[i + opens].kind is _LT:
        opens += 1
    closes = 1
    while gt + closes < len(element) and element[gt + closes].kind is _GT:
        closes += 1
    inner = element[i + opens : gt]
    if (
        (opens > 1 or closes > 1)
        and gt + closes == len(element)
        and inner
        and not any(t.kind is _LT for t in inner)
    ):
        phrase = _text_spaced(element[: lt[0]])
        good = f"{phrase} <{_text(inner)}>" if phrase else f"<{_text(inner)}>"
        why = (
            f"{'<' * opens}...{'>' * closes} around the address (RFC 7103 §7.1.2); use one pair "
            f"of angle brackets: {good}"
        )
        return _error(start, end, why, element[i].start, element[gt + closes - 1].end, group)
    extra = element[lt[1]] if len(lt) > 1 and lt[1] < gt else element[gt + 1]
    why = "text after the address; separate addresses with ','"
    return _error(start, end, why, extra.start, end, group)


def _text_spaced(tokens: list[Token]) -> str:
    pieces: list[bytes] = []
    for t in tokens:
        if pieces and t.gap:
            pieces.append(b" ")
        pieces.append(t.text)
    return b"".join(pieces).decode("utf-8", "surrogateescape")


def _addr_spec(
    tokens: list[Token],
    start: int,
    end: int,
    group: str | None,
    display: tuple[int, int] | None,
    display_name: str = "",
) -> AddressSpan:
    """Read ``local-part "@" domain`` from ``tokens`` (no angle brackets)."""
    ats = [k for k, t in enumerate(tokens) if t.kind is _AT]
    if not ats:
        shown = _text_spaced(tokens)
        why = (
            f"{quoted(shown)} has no @domain (SES: Missing final '@domain'); write local@domain "
            "or Name <local@domain>"
        )
        return _error(start, end, why, tokens[0].start, tokens[-1].end, group)
    at = ats[-1]
    local, domain = tokens[:at], tokens[at + 1 :]
    if not local:
        why = "nothing before the '@' (SES: Missing local name); write local@domain"
        return _error(start, end, why, tokens[at].start, tokens[at].end, group)
    if not domain:
        why = "nothing after the '@' (SES: Missing domain); write local@domain"
        return _error(start, end, why, tokens[at].end, tokens[at].end, group)
    if len(ats) > 1:
        msg = "more than one '@' in the address; separate addresses with ','"
        return _error(start, end, msg, tokens[ats[0]].start, tokens[ats[0]].end, group)
    problem = _check_dotted(local, _LOCAL_WORDS)
    if problem is not None:
        tok, why = problem
        if why == "adjacent":
            msg = (
                f"white space inside the local part {quoted(_text_spaced(local))} (SES: Local address "
                "contains control or whitespace); remove it, or quote the local part"
            )
        elif why == "dot":
            msg = (
                "the local part has an empty piece ('..', or a '.' at either end); remove the "
                "extra '.', or quote the local part"
            )
        else:
            msg = f"the local part: {why}"
        return _error(start, end, msg, tok.start, tok.end, group)
    if len(domain) == 1 and domain[0].kind is _LITERAL:
        pass
    else:
        problem = _check_dotted(domain, _DOMAIN_WORDS)
        if problem is not None:
            tok, why = problem
            if why == "adjacent":
                msg = f"white space inside the domain {quoted(_text_spaced(domain))}; remove it"
            elif why == "dot":
                msg = "the domain has an empty label ('..', or a '.' at either end)"
            else:
                msg = f"the domain: {why} (SES: Domain contains illegal character)"
            return _error(start, end, msg, tok.start, tok.end, group)
    d_start, d_end = display if display is not None else (start, start)
    return AddressSpan(
        start,
        end,
        display_name,
        d_start,
        d_end,
        _text(local),
        local[0].start,
        local[-1].end,
        _text(domain),
        domain[0].start,
        domain[-1].end,
        angle=display is not None,
        group=group,
    )


#: The words of a dot-atom local part (or obs-local-part), and of a domain.
_LOCAL_WORDS = (_ATOM, _QUOTED)
_DOMAIN_WORDS = (_ATOM,)


def _check_dotted(
    tokens: list[Token], word_kinds: tuple[TokenKind, ...]
) -> tuple[Token, str] | None:
    """Check ``word ("." word)*``; the offending token and why, or None.

    ``why`` is ``adjacent`` (two words with only white space or a comment
    between), ``dot`` (an empty piece) or a description for a person.
    """
    expect_word = True
    for t in tokens:
        if expect_word:
            if t.kind is _DOT:
                return t, "dot"
            if t.kind not in word_kinds:
                return t, f"{quoted(t.text.decode('latin-1'))} is not allowed here"
            expect_word = False
        elif t.kind is _DOT:
            expect_word = True
        elif t.kind in word_kinds:
            return t, "adjacent"
        else:
            return t, f"{quoted(t.text.decode('latin-1'))} is not allowed here"
    if expect_word:
        return tokens[-1], "dot"
    return None


# ------------------------------------------------------- a header's fields
#: A run of 65 bytes that cannot end an addr-spec in a simple list: without
#: one, no local part or address there is over 64 octets. Matched from the
#: start, passing each shorter run whole (possessive), so a byte is looked
#: at once: ``[^...]{65}`` searched retries at every byte of every run, and
#: took 2.4 ms on a list of 1,000 encoded-words (40 KB), this 0.1 ms.
_LONG_RUN = rb'[ \t\r\n<>,"]*+(?:[^ \t\r\n<>,"]{1,64}+[ \t\r\n<>,"]++)*+[^ \t\r\n<>,"]{65}'


@functools.cache
def _long_run() -> re.Pattern[bytes]:
    return re.compile(_LONG_RUN)


def _has_long_run(raw: bytes) -> bool:
    return len(raw) >= 65 and _long_run().match(raw) is not None


def _empty_hint(raw: bytes) -> bool:
    """Whether a simple list (no comments) may have an empty element.

    That is a ',' first, two with only white space between, or one last:
    with the white space deleted (one C call), a ',' first or last, or
    ",,". A quoted display name can hold the same text, so a hint only
    sends the list to the full reader.
    """
    if b"," not in raw:
        return False
    bare = raw.translate(None, b" \t\r\n")
    return bare.startswith(b",") or bare.endswith(b",") or b",," in bare


def _any_empty_hint(joined: bytes) -> bool:
    """Whether :func:`_empty_hint` holds for one of several simple lists
    joined by backslashes (which they do not hold): the same test, a
    backslash standing for the start and end of a list."""
    if b"," not in joined:
        return False
    bare = joined.translate(None, b" \t\r\n")
    return (
        bare.startswith(b",")
        or bare.endswith(b",")
        or b",," in bare
        or b"\\," in bare
        or b",\\" in bare
    )


class AddressField:
    """One address field read once: the header, cheap facts, its mailboxes.

    Clean, everyday lists (:func:`is_simple`) are only tested with a regex
    until a rule needs the mailboxes (non-ASCII text, an error to report, a
    long address, many recipients); then they are read, once.
    """

    __slots__ = ("_addresses", "_empties", "ascii", "header", "idna", "raw", "simple")

    def __init__(self, header: Header, raw: bytes, simple: bool) -> None:
        self.header = header  #: the field
        self.raw = raw  #: the value as written (``header.raw_value``)
        self.ascii = raw.isascii()  #: so is every local part and domain
        #: may hold an IDNA label (an A-label holds "--": found without a copy)
        self.idna = not self.ascii or (b"--" in raw and b"xn--" in raw.lower())
        #: only the common shapes (:func:`is_simple`): no mailbox in error,
        #: one '@' per mailbox, no route, no comment
        self.simple = simple
        self._addresses: list[AddressSpan] | None = None
        self._empties: list[EmptyElement] | None = None

    @property
    def addresses(self) -> list[AddressSpan]:
        """The mailboxes (and mailboxes in error) of the field, in order."""
        if self._addresses is None:
            if self.simple:
                self._addresses = parse_addresses(self.raw, self.header.value_start)
            else:  # the full reader gives the empty elements in the same pass
                self._empties = []
                self._addresses = self._read(self._empties)
        return self._addresses

    def _read(self, empties: list[EmptyElement]) -> list[AddressSpan]:
        """The full reader on the field's tokens (shared with the rules that
        cut the field into units: one tokenization per field)."""
        header = self.header
        return read_tokens(header.address_tokens, header.value_end, empties)

    @property
    def empties(self) -> list[EmptyElement]:
        """The runs of superfluous commas (empty list elements) of the field."""
        empties = self._empties
        if empties is None:
            empties = []
            if not self.simple:
                self._addresses = self._read(empties)
            elif _empty_hint(self.raw):
                self._read(empties)
            self._empties = empties
        return empties

    def count(self) -> int:
        """Number of list elements read (errors included), as len(addresses)."""
        if self._addresses is None and self.simple and b'"' not in self.raw:
            return self.raw.count(b"@")
        return len(self.addresses)

    def short(self) -> bool:
        """Whether no address can break a length limit (ASCII simple list)."""
        return self.ascii and self.simple and not _has_long_run(self.raw)


class AddressFields:
    """The address fields of one header section, and what holds for all.

    Built by :attr:`mimelint.mime.tree.Part.address_fields`, once per part, and
    shared by every rule that reads addresses. Most messages have only
    simple, ASCII lists without empty elements; that is settled for all
    the fields at once, with one regex and a few C calls on their values
    joined by backslashes, and most rules stop there. The per-field objects
    (:class:`AddressField`) are built when some field is not plain, else
    when a rule first looks closer. Holds the headers, never the part.
    """

    __slots__ = (
        "_domains",
        "_fields",
        "ascii",
        "froms",
        "headers",
        "idna",
        "joined",
        "names",
        "plain",
        "raws",
        "recipients",
        "simple",
    )

    def __init__(
        self,
        headers: Sequence[Header],
        data: bytes,
        names: Sequence[str] | frozenset[str] = MAILBOX_FIELDS,
    ) -> None:
        wanted = names if isinstance(names, frozenset) else frozenset(names)
        self.names = wanted  #: the lower-case field names read
        kept: list[Header] = []
        raws: list[bytes] = []
        froms: list[int] = []
        recipients: list[int] = []
        for header in headers:
            lname = header.lname
            if lname in wanted and header.colon >= 0:
                if lname == "from":
                    froms.append(len(raws))
                elif lname in RECIPIENT_FIELDS:
                    recipients.append(len(raws))
                kept.append(header)
                raws.append(data[header.value_start : header.value_end])
        #: the address fields, in header order
        self.headers = kept
        self.raws = raws  #: their values as written
        self.froms = froms  #: indices of the From fields
        self.recipients = recipients  #: indices of To, Cc and Bcc
        #: the values joined by backslashes (see :func:`all_plain`)
        self.joined = joined = b"\\".join(raws)
        #: every field is ASCII: no non-ASCII local part or domain
        self.ascii = joined.isascii()
        #: some field may hold an IDNA label ("xn--" holds no backslash)
        self.idna = not self.ascii or (b"--" in joined and b"xn--" in joined.lower())
        #: every field is a simple list without empty elements: one regex
        #: test, which in the usual case settles ``simple`` too
        self.plain = all_plain(joined, len(raws))
        self._fields: list[AddressField] | None = None
        self._domains: dict[bytes, DomainCheck] = {}
        if self.plain:
            #: every field is a simple list: no mailbox in error, no route
            self.simple = True
        else:  # each field is tested on its own, as the rules will look closer
            fields = self._fields = [
                AddressField(header, raw, is_simple(raw))
                for header, raw in zip(kept, raws, strict=True)
            ]
            self.simple = all(field.simple for field in fields)

    @property
    def fields(self) -> list[AddressField]:
        """Each address field, in header order."""
        if self._fields is None:  # only when every field is plain
            self._fields = [
                AddressField(header, raw, True)
                for header, raw in zip(self.headers, self.raws, strict=True)
            ]
        return self._fields

    def short(self) -> bool:
        """Whether no address of any field can break a length limit
        (:meth:`AddressField.short` for all the fields at once)."""
        return self.ascii and self.simple and not any(map(_has_long_run, self.raws))

    @property
    def empty_hint(self) -> bool:
        """Whether some field may have an empty element (see
        :attr:`AddressField.empties`); False settles that none has."""
        return not self.simple or (
            # without quoted strings a ',' separates mailboxes: the regex's finding
            not (self.plain and b'"' not in self.joined) and _any_empty_hint(self.joined)
        )

    def check_domain(self, domain: bytes) -> DomainCheck:
        """:func:`mimelint.mime.domains.check_domain` of a domain of these
        fields, computed once per distinct domain for every rule that asks
        (IDNA is slow, and a long list often repeats one domain)."""
        found = self._domains.get(domain)
        if found is None:
            found = self._domains[domain] = check_domain(domain)
        return found

    def named(self, names: Sequence[str]) -> Iterator[AddressField]:
        """The fields whose lower-case name is one of ``names``, in order."""
        for field in self.fields:
            if field.header.lname in names:
                yield field

    def mailboxes(self, names: Sequence[str]) -> Iterator[tuple[Header, AddressSpan]]:
        """``(header, mailbox)`` for each mailbox of the fields ``names``."""
        for field in self.named(names):
            header = field.header
            for address in field.addresses:
                yield header, address


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class SingleAddress(NamedTuple):
    """One address given on its own (an SMTP envelope value), as read by
    :func:`read_single_address`: the mailbox, or why there is none."""

    address: AddressSpan | None  #: the mailbox, offsets in ``data``; None when ``error``
    data: bytes  #: the value's UTF-8 bytes (surrogate escapes kept)
    error: str | None  #: why the value is not one readable address, for a person


def read_single_address(value: str) -> SingleAddress:
    """Read a value that must hold exactly one address (``local@domain`` or
    ``Name <local@domain>``), such as the SES ``Source`` or one of its
    ``Destinations``, with the one address reader."""
    data = value.encode("utf-8", "surrogateescape")
    addresses = parse_addresses(data)
    if not addresses:
        return SingleAddress(None, data, "is empty; give one address, local@domain")
    if len(addresses) > 1:
        return SingleAddress(None, data, "holds more than one address; give one address per value")
    address = addresses[0]
    if address.error is not None:
        if _CONTROL.search(value):  # SES's own words for it
            why = "cannot be read: Local address contains control or whitespace"
        else:
            why = f"cannot be read: {address.error}"
        return SingleAddress(None, data, why)
    return SingleAddress(address, data, None)


def smtp_octets(
    address: AddressSpan, check: Callable[[bytes], DomainCheck] = check_domain
) -> tuple[int, int]:
    """The octet lengths of the local part and the domain as SMTP sends them
    (the domain in its A-label form when it has one), to hold against
    :data:`MAX_LOCAL`, :data:`MAX_DOMAIN` and :data:`MAX_ADDRESS`. ``check``
    is :func:`check_domain` or a caller's once-per-domain copy of it
    (:meth:`AddressFields.check_domain`)."""
    local = len(address.local_part.encode("utf-8", "surrogateescape"))
    raw = address.domain.encode("utf-8", "surrogateescape")
    form = check(raw).ascii_form if not raw.isascii() else None
    return local, len(form) if form is not None else len(raw)
