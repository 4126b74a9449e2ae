"""M415 obsolete-phrase: a display name with an unquoted '.' (RFC 5322 obs-phrase)."""

from __future__ import annotations

import re

from mimelint.mime.address_tokens import TokenKind, tokenize
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Message
from mimelint.rule import Context, Edit, Fix, Problem, Safety, rule

#: A '.' with nothing between it and a '<' that could end a display name
#: (no '@', '>', ',', quote or backslash, which separates the fields
#: joined): without one, no display name holds an unquoted period. Linear:
#: a try starts only where a run of such characters starts, and never
#: gives back what it read (possessive), so each run is read once;
#: ``\.[^<>@,"\\]*<`` read the rest of the run again from every period,
#: quadratic in a long field full of periods (1.2 s on a 135 KB To of 2,700
#: encoded-words, MimeKit's stack-overflow.txt). A run starts at the start
#: of the text (``_RUN_AT_START``, matched there) or after a separator
#: (``_SEPARATOR_RUN``, searched): a search whose pattern starts with a
#: character class skips to each candidate in C, where a pattern that starts
#: with a look-behind (``(?<![^<>@,"\\])``) was tried at every byte (0.9 of
#: its 1.9 us on a small message's From and To).
_RUN = rb'[^<>@,"\\.]*+\.[^<>@,"\\]*+<'
_RUN_AT_START = re.compile(_RUN)
_SEPARATOR_RUN = re.compile(rb'[<>@,"\\]' + _RUN)


def dot_before_angle(text: bytes) -> bool:
    """Whether ``text`` holds a '.' with nothing but a run of display-name
    characters (no separator) between it and a following '<'."""
    return _RUN_AT_START.match(text) is not None or _SEPARATOR_RUN.search(text) is not None


@rule(
    code="M415",
    name="obsolete-phrase",
    severity="warning",
    summary="A display name with an unquoted '.', obsolete syntax (John Q. Public <jqp@example.com>)",
    fix_safety="safe",
)
def obsolete_phrase(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a display name in an address field (From, Sender, Reply-To, To,
    Cc, Bcc and their ``Resent-`` forms) that holds a ``.`` outside double
    quotes, as in ``John Q. Public <jqp@example.com>`` or
    ``John Doe.<john@example.com>``. One finding per field, at the first
    such name, counting the others.

    ## Why is this bad?
    A display name is a ``phrase``: words, that is atoms and quoted
    strings, and ``.`` is not an atom character (RFC 5322 §3.2.3, §3.2.5).
    §4.1 keeps ``obs-phrase``, which allows the period, only so that old
    mail can be read: it "MUST NOT be generated". Readers disagree on it:
    Python's ``email`` with ``policy.default`` records a defect ("period in
    'phrase'") and, before Python 3.13, for a period right before the ``<``
    (``John Doe.<john@example.com>``), raises an exception instead of
    returning the address (python/cpython#75171), so Python-based
    receivers and tools fail on the message.

    ## Example
    ```
    From: John Q. Public <jqp@example.com>
    ```

    ## Use instead
    ```
    From: "John Q. Public" <jqp@example.com>
    ```

    ## Fix safety
    Safe: the fix puts the display name in double quotes, which every
    reader reads as the same name. It is offered only when the name is
    plain words and periods with single spaces between them (no
    encoded-word, quoted string, comment or line break, whose reading the
    quotes would change), and not for a field with a period right before a
    ``<``: Python's ``email`` before 3.13 cannot read that field at all, so
    the fix proof, which compares its reading before and after, cannot pass
    there, and a fix must prove on every supported Python; quote the name
    by hand.

    ## References
    RFC 5322 §3.2.3 (atom), §3.2.5 (phrase), §4, §4.1 (obs-phrase).
    """
    read = message.address_fields
    if not read.headers or not dot_before_angle(read.joined):
        return None  # no period in any display name (one regex over all the fields)
    data = message.data
    problems: list[Problem] = []
    for field in read.fields:
        if not dot_before_angle(field.raw):
            continue
        header = field.header
        found: list[tuple[int, int, str, str]] = []  # the '.', the name, the addr-spec
        edits: list[Edit] = []
        unreadable = False  # Python's email fails on the field: no fix can be proved
        for address in field.addresses:
            start, end = address.display_start, address.display_end
            if address.error is not None or start == end or b"." not in data[start:end]:
                continue
            tokens = tokenize(data[start:end], start)
            dot = next((t for t in tokens if t.kind is TokenKind.DOT), None)
            if dot is None:
                continue  # the periods are inside quotes or comments
            found.append((dot.start, dot.end, address.display_name, address.addr_spec))
            unreadable = unreadable or data[end - 1 : end + 1] == b".<"
            raw = data[start:end]
            plain = (
                all(t.kind is TokenKind.ATOM or t.kind is TokenKind.DOT for t in tokens)
                and b"=?" not in raw
            )
            if plain and raw == address.display_name.encode("utf-8", "surrogateescape"):
                edits.append(Edit(start, end, b'"' + raw + b'"'))
        if not found:
            continue
        start, end, name, addr_spec = found[0]
        more = ""
        if len(found) > 1:
            what = "name" if len(found) == 2 else "names"
            more = f" ({len(found) - 1} more display {what} in this field too)"
        fix = None
        if edits and not unreadable:
            fix = Fix(tuple(edits), Safety.SAFE, "put the display names in double quotes")
        problems.append(
            Problem(
                start,
                end,
                f"{header.name}: the display name {quoted(name)} has a '.' outside double quotes, "
                "obsolete syntax (RFC 5322 §4.1) that Python's email flags, and before 3.13 cannot "
                f"read at all right before a '<'; quote the name: \"{name}\" <{addr_spec}>{more}",
                "",
                fix,
            )
        )
    return problems
