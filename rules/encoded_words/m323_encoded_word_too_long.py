"""M323 encoded-word-too-long: an encoded-word longer than 75 characters."""

from __future__ import annotations

from mimelint.mime.encoded_words import LIMIT_WORD
from mimelint.mime.fields import FieldKind, field_kind
from mimelint.mime.tree import Part
from mimelint.rule import Context, Fact, Problem, parts, rule

from ._common import repair_fix


@rule(
    code="M323",
    name="encoded-word-too-long",
    severity="warning",
    summary="An encoded-word longer than 75 characters",
    fix_safety="safe",
    visits=parts(encoded_words=True, requires=[Fact.WORD_TOO_LONG]),
)
def encoded_word_too_long(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags an encoded-word longer than 75 characters, delimiters included.
    Content-Type and Content-Disposition are left to M326: an ``=?...?=``
    in a parameter value is no encoded-word to RFC 2047 (§5), and M326
    adds the RFC 2231 form that readers decode.

    ## Why is this bad?
    RFC 2047 §2: "An 'encoded-word' may not be more than 75 characters
    long". Longer text must be split into several words separated by white
    space; some decoders refuse long words and show them raw. A warning,
    not an error: Google Calendar and Mailchimp send such words and the
    mainstream readers decode them. One finding per field, at the first
    long word, says how many more the field holds.

    ## Example
    ```
    Subject: =?utf-8?q?Eine_sehr_lange_Betreffzeile_mit_=C3=9Cberl=C3=A4nge_und_mehr_Text?=
    ```

    ## Use instead
    ```
    Subject: =?utf-8?q?Eine_sehr_lange_Betreffzeile_mit_=C3=9Cberl=C3=A4nge_?=
     =?utf-8?q?und_mehr_Text?=
    ```

    ## Fix safety
    Safe in unstructured fields, display names, comments and
    ``name``/``filename`` parameters: the field is decoded and re-encoded
    with words of at most 75 characters that decode to the same text. Not
    fixable elsewhere, or when a word of the field is malformed.

    ## References
    RFC 2047 §2, §5.
    """
    problems: list[Problem] = []
    for header, words in part.worded_fields:
        if field_kind(header.lname) is FieldKind.PARAMS:
            continue  # words in parameter values: M326's (rspamd's fname.eml)
        long = [w for w in words if w.end - w.start > LIMIT_WORD]
        if not long:
            continue
        w = long[0]
        more = ""
        if len(long) > 1:
            more = f" (and {len(long) - 1:,} more in this field)"
        problems.append(
            Problem(
                w.start,
                w.end,
                f"encoded-word in {header.name} is {w.end - w.start} characters long{more}, over "
                f"RFC 2047's limit of {LIMIT_WORD}; split the text into several words",
                fix=repair_fix(part, header, f"split the encoded-words of {header.name}"),
            )
        )
    return problems
