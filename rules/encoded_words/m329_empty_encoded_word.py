"""M329 empty-encoded-word: an encoded-word with no encoded text."""

from __future__ import annotations

from mimelint.mime.encoded_words import Word
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Header, Part
from mimelint.rule import Context, Edit, Fact, Fix, Problem, Safety, parts, rule

_WSP = b" \t\r\n"


@rule(
    code="M329",
    name="empty-encoded-word",
    severity="warning",
    summary="An encoded-word with empty encoded text",
    fix_safety="safe",
    visits=parts(encoded_words=True, requires=[Fact.WORD_EMPTY]),
)
def empty_encoded_word(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags an encoded-word whose encoded text is empty: ``=?utf-8?q??=``
    or ``=?utf-8?b??=``.

    ## Why is this bad?
    RFC 2047 §2 defines encoded-text as one or more characters; an empty
    word is not an encoded-word to a strict reader, which shows it raw,
    while lenient readers drop it. Python's ``email`` package has written
    such words when folding (python/cpython#136052).

    ## Example
    ```
    Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?= =?utf-8?q??=
    ```

    ## Use instead
    ```
    Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=
    ```

    ## Fix safety
    Safe: the word is removed together with the white space that decoders
    drop next to it (between it and an adjacent encoded-word, RFC 2047
    §6.2), so the decoded value stays the same. Unsafe where the word
    touches plain text with no white space (``plain=?utf-8?q??=text``):
    that is no encoded-word by RFC 2047 §5, and readers disagree about it
    (Python's email reads a space there, strict readers the characters as
    written), so any removal changes what one of them shows.

    ## References
    RFC 2047 §2, §6.2; python/cpython#136052.
    """
    data = part.data
    problems: list[Problem] = []
    for header, words in part.worded_fields:
        for i, w in enumerate(words):
            if w.raw:
                continue
            problems.append(
                Problem(
                    w.start,
                    w.end,
                    f"encoded-word {quoted(data[w.start : w.end], 40)} in {header.name} has no encoded text, which "
                    "strict readers show as it is; remove it",
                    fix=Fix(
                        (_removal(data, header, words, i),),
                        Safety.UNSAFE if _touches_text(data, header, words, i) else Safety.SAFE,
                        f"remove the empty encoded-word from {header.name}",
                    ),
                )
            )
    return problems


def _touches_text(data: bytes, header: Header, words: list[Word], i: int) -> bool:
    """Whether word ``i`` touches plain text (not white space, not a word) on a side."""
    w = words[i]
    before_word = i > 0 and words[i - 1].end == w.start
    after_word = i + 1 < len(words) and words[i + 1].start == w.end
    before = not before_word and w.start > header.value_start and data[w.start - 1] not in _WSP
    after = not after_word and w.end < header.value_end and data[w.end] not in _WSP
    return before or after


def _removal(data: bytes, header: Header, words: list[Word], i: int) -> Edit:
    """Remove word ``i`` and the white space beside it that decoders drop anyway.

    White space between two encoded-words is not shown (RFC 2047 §6.2):
    next to an encoded-word on its right, that white space goes with the
    word; else next to one on its left; else (text or the field's edges on
    both sides, or a word glued to it) only the word goes, and the white
    space around it stays.
    """
    w = words[i]
    if (i > 0 and words[i - 1].end == w.start) or (
        i + 1 < len(words) and words[i + 1].start == w.end
    ):
        return Edit(w.start, w.end, b"")  # glued to a word: its white space must stay (M328)
    after = w.end
    while after < header.value_end and data[after] in _WSP:
        after += 1
    if i + 1 < len(words) and words[i + 1].start == after and after > w.end:
        return Edit(w.start, after, b"")
    before = w.start
    while before > header.value_start and data[before - 1] in _WSP:
        before -= 1
    if i > 0 and words[i - 1].end == before and before < w.start:
        return Edit(before, w.end, b"")
    return Edit(w.start, w.end, b"")
