"""M324 encoded-word-line-too-long: a line holding encoded-words over 76 characters."""

from __future__ import annotations

from collections.abc import Iterator

from mimelint.mime.encoded_words import LIMIT_LINE
from mimelint.mime.lines import line_end, line_start
from mimelint.rule import Context, Problem, parts, rule
from mimelint.tree import Part

#: email.policy.default/SMTP fold at max_line_length=78 (RFC 5322 §2.1.1).
_PYTHON_WIDTH = 78


@rule(
    code="M324",
    name="encoded-word-line-too-long",
    severity="warning",
    summary="A header line holding encoded-words is longer than 76 characters",
    visits=parts(),
)
def encoded_word_line_too_long(part: Part, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a physical header line that holds at least one encoded-word and is
    longer than 76 characters. The span covers the characters past the 76th.

    ## Why is this bad?
    RFC 2047 §2 limits each line of a field holding encoded-words to 76
    characters, so that old decoders and gateways do not break the words.

    ## Example
    ```
    Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?= aus =?utf-8?q?K=C3=B6ln?= und viel mehr Text dazu
    ```

    ## Use instead
    ```
    Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?= aus =?utf-8?q?K=C3=B6ln?= und viel mehr
     Text dazu
    ```

    The usual source is Python's ``email`` package: ``policy.default``,
    ``policy.SMTP`` and ``policy.SMTPUTF8`` fold at ``max_line_length=78``
    (RFC 5322 §2.1.1's general limit), so every long non-ASCII Subject they
    write has encoded-word lines of 77-78 characters. The message names
    this cause for such lines; the cure at the source is
    ``policy.default.clone(max_line_length=76)``.

    ## Fix safety
    Not fixed: the long line is usually a single encoded-word with no white
    space to fold at, so a fix would have to re-encode the words, and the
    shared encoder folds at 78. Most readers accept 78-character lines, so
    this stays a warning; fix it at the source as above.

    ## References
    RFC 2047 §2; RFC 5322 §2.1.1, §2.2.3.
    """
    data = part.data
    for header, words in part.worded_fields:
        if header.end - header.start <= LIMIT_LINE:
            continue  # no line of the field can be longer than the field
        last_line = -1
        for w in words:
            start = line_start(data, w.start, header.start)
            if start == last_line:
                continue  # words are in order: this line is reported already
            last_line = start
            end = line_end(data, w.end, header.end)
            length = end - start
            if length > LIMIT_LINE:
                cause = (
                    " (Python's email folds at 78 by default: build the message with "
                    "policy.clone(max_line_length=76))"
                    if length <= _PYTHON_WIDTH
                    else ""
                )
                yield Problem(
                    start + LIMIT_LINE,
                    end,
                    f"a line of {header.name} holding encoded-words is {length} characters "
                    f"long, over RFC 2047's {LIMIT_LINE}; fold it before white space or use "
                    f"shorter encoded-words{cause}",
                )
