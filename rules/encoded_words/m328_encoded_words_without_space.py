"""M328 encoded-words-without-space: two encoded-words with no white space between them."""

from __future__ import annotations

from itertools import pairwise

from mimelint.mime.address_fields import ADDRESS_FIELDS
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Part
from mimelint.rule import Context, Edit, Fact, Fix, Problem, Safety, parts, rule


@rule(
    code="M328",
    name="encoded-words-without-space",
    severity="error",
    summary="Two encoded-words written with no white space between them",
    fix_safety="safe",
    visits=parts(encoded_words=True, requires=[Fact.WORD_GLUED]),
)
def encoded_words_without_space(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags an encoded-word that directly follows another, with no white
    space between them: ``=?utf-8?q?Hello?==?utf-8?q?_World?=``. One
    finding per field, at the first word that follows another, says how
    many more the field holds; its fix separates them all.

    ## Why is this bad?
    RFC 2047 §5 requires an encoded-word to be separated from any
    adjacent encoded-word by linear white space (§6.2: that white space is
    then not shown). Glued words are one malformed token to a strict
    reader: Yahoo refuses the message (``554 Invalid Subject header``),
    others show the raw ``=?...?=``. Python's ``email`` package has
    written such headers (python/cpython#144156).

    ## Example
    ```
    Subject: =?utf-8?q?Hello?==?utf-8?q?_World?=
    ```

    ## Use instead
    ```
    Subject: =?utf-8?q?Hello?= =?utf-8?q?_World?=
    ```

    ## Fix safety
    Safe in unstructured fields (Subject, Comments...): a space is inserted
    between each two glued words. Decoders drop white space between adjacent
    encoded-words (RFC 2047 §6.2), so the readers that decoded the glued
    words see the same text, and the strict ones now see it too.

    Unsafe in address fields (From, To, Cc...): there the readers already
    disagree about the input. mimelint's address reader, like strict
    receivers, takes the glued words of a display name or comment as literal
    text; Python's email decodes them. The fix settles on the decoded
    reading, which changes what one of them shows. Python 3.13's folder
    writes such display names (``=?utf-8?q?_?==?utf-8?q?r=C3=A9sum=C3=A9?=``).

    ## References
    RFC 2047 §5, §6.2; python/cpython#144156.
    """
    data = part.data
    problems: list[Problem] = []
    for header, words in part.worded_fields:
        glued = [w for before, w in pairwise(words) if before.end == w.start]
        if not glued:
            continue
        # An address field's glued words are literal text to mimelint's
        # address reader and decoded by Python's: the readers disagree.
        safety = Safety.UNSAFE if header.lname in ADDRESS_FIELDS else Safety.SAFE
        first = glued[0]
        more = f" (and {len(glued) - 1:,} more in this field)" if len(glued) > 1 else ""
        problems.append(
            Problem(
                first.start,
                first.end,
                f"encoded-word {quoted(data[first.start : first.end], 40)} in {header.name} follows "
                f"another with no white space between them{more}, which RFC 2047 §5 requires and "
                "strict receivers refuse (Yahoo: Invalid Subject header); put a space between them",
                fix=Fix(
                    tuple(Edit(w.start, w.start, b" ") for w in glued),
                    safety,
                    f"put a space between the encoded-words of {header.name}",
                ),
            )
        )
    return problems
