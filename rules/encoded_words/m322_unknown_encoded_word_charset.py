"""M322 unknown-encoded-word-charset: an encoded-word names a charset nobody knows."""

from __future__ import annotations

from mimelint.mime.encoded_words import Fault
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Part
from mimelint.rule import Context, Fact, Problem, parts, rule


@rule(
    code="M322",
    name="unknown-encoded-word-charset",
    severity="error",
    summary="An encoded-word names a charset nobody knows",
    visits=parts(encoded_words=True, requires=[Fact.WORD_UNKNOWN_CHARSET]),
)
def unknown_encoded_word_charset(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags an encoded-word whose charset is not a known text encoding
    (``=?utf8x?q?...?=``, ``=?unknown-8bit?q?...?=``).

    ## Why is this bad?
    A decoder cannot turn the bytes into characters without knowing the
    charset (RFC 2047 §2, registered charsets per RFC 2978); readers see the
    raw encoded-word or garbage.

    ## Example
    ```
    Subject: =?utf-9?q?Gr=C3=BC=C3=9Fe?=
    ```

    ## Use instead
    ```
    Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=
    ```

    ## Fix safety
    Not fixable: the intended charset is a guess.

    ## References
    RFC 2047 §2, §3; RFC 2978.
    """
    data = part.data
    problems: list[Problem] = []
    for header, words in part.worded_fields:
        for w in words:
            if w.fault is Fault.UNKNOWN_CHARSET:
                problems.append(
                    Problem(
                        w.start,
                        w.end,
                        f"encoded-word {quoted(data[w.start : w.end], 40)} in {header.name}: {w.error}; use a "
                        "registered charset such as utf-8",
                    )
                )
    return problems
