"""M325 misplaced-encoded-word: an encoded-word where RFC 2047 does not allow one."""

from __future__ import annotations

from collections.abc import Iterator

from mimelint.mime.address_tokens import TokenKind
from mimelint.mime.address_units import UnitRole
from mimelint.mime.encoded_words import Word, mailbox_in_encoded_word
from mimelint.mime.fields import NO_WORDS, FieldKind, field_kind
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Header, Part
from mimelint.rule import Context, Fact, Problem, parts, rule


@rule(
    code="M325",
    name="misplaced-encoded-word",
    severity="warning",
    summary="An encoded-word where RFC 2047 does not allow one",
    visits=parts(encoded_words=True, requires=[Fact.WORD_OUTSIDE_TEXT]),
)
def misplaced_encoded_word(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags an encoded-word inside a quoted-string (``"=?utf-8?q?...?=" <a@b>``),
    inside an addr-spec, in the media type of Content-Type or
    Content-Disposition, or in a structured field that allows none
    (Received, Message-ID, In-Reply-To, References, Date, Content-ID,
    Content-Transfer-Encoding, MIME-Version). An address field that is
    nothing but a whole mailbox in encoded-words is M330's, and an empty
    word (``"=?utf-8?q??="``, Delta Chat's empty display name) is M329's,
    which removes it. One finding per
    field and place, at the first such word, says how many more there are.

    ## Why is this bad?
    RFC 2047 §5 allows encoded-words only in unstructured text, comments and
    phrases, and says they "MUST NOT appear within a 'quoted-string'" or in
    an addr-spec. Conforming decoders show such words raw; others decode
    them, so recipients see different names.

    ## Example
    ```
    From: "=?utf-8?q?J=C3=B6rg?=" <joerg@example.com>
    ```

    ## Use instead
    ```
    From: =?utf-8?q?J=C3=B6rg?= <joerg@example.com>
    ```

    ## Fix safety
    Not fixable: whether readers should see the decoded or the literal text
    is exactly what decoders disagree on.

    ## References
    RFC 2047 §5; RFC 5322 §3.4.
    """
    data = part.data
    problems: list[Problem] = []
    for header, words in part.worded_fields:
        kind = field_kind(header.lname)
        if kind is FieldKind.UNSTRUCTURED or kind is FieldKind.KEYWORDS:
            continue  # words are allowed anywhere in these
        if kind is FieldKind.ADDRESS and mailbox_in_encoded_word(header) is not None:
            continue  # a whole mailbox in words: M330's one finding
        # One finding per place of the field, at its first word, with a count.
        by_place: dict[str, list[Word]] = {}
        for w, where in _misplaced(data, header, kind, words):
            if w.raw:  # an empty word, wherever it is, is M329's (which removes it)
                by_place.setdefault(where, []).append(w)
        for where, found in by_place.items():
            w = found[0]
            more = ""
            if len(found) > 1:
                more = f" (and {len(found) - 1:,} more there in this field)"
            problems.append(
                Problem(
                    w.start,
                    w.end,
                    f"encoded-word {quoted(data[w.start : w.end], 40)} sits {where}{more}, where RFC 2047 §5 forbids "
                    "encoded-words and decoders disagree; write it where allowed (an unquoted "
                    "display name) or in plain ASCII",
                )
            )
    return problems


def _misplaced(
    data: bytes, header: Header, kind: FieldKind, words: list[Word]
) -> Iterator[tuple[Word, str]]:
    """Each word of the field that sits where RFC 2047 §5 allows none, and where."""
    if kind is FieldKind.STRUCTURED:
        if header.lname in NO_WORDS:
            for w in words:
                yield w, f"in {header.name}, a structured field"
    elif kind is FieldKind.PARAMS:
        main_end = header.structured.main_end
        for w in words:
            if w.start < main_end:
                yield w, f"in the media type of {header.name}"
    elif kind is FieldKind.ADDRESS:
        # The forbidden places, in order and disjoint: addr-specs, and the
        # quoted-strings of phrases. Words are in order too: one merge pass.
        spans: list[tuple[int, int, str]] = []
        for u in header.address_units:
            if u.role is UnitRole.ADDR:
                spans.append((u.start, u.end, "inside an address (addr-spec)"))
            elif u.role is UnitRole.PHRASE:
                spans.extend(
                    (t.start, t.end, "inside a quoted-string")
                    for t in u.tokens
                    if t.kind is TokenKind.QUOTED
                )
        spans.sort()
        i = 0
        for w in words:
            while i < len(spans) and spans[i][1] <= w.start:
                i += 1
            if i < len(spans) and spans[i][0] <= w.start:
                yield w, spans[i][2]
