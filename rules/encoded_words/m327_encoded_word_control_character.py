"""M327 encoded-word-control-character: an encoded-word that decodes to CR, LF, NUL or another control."""

from __future__ import annotations

import re

from mimelint.mime.charsets import codec_for
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Part
from mimelint.rule import Context, Problem, parts, rule

#: C0 controls but the tab, and DEL: what no header text may hold (RFC 5322 §2.2, §3.2.5).
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_NAMES = {0x00: "a NUL", 0x0A: "a line feed (LF)", 0x0D: "a carriage return (CR)"}


def _named(char: str) -> str:
    """The character for a person: "a line feed (LF) U+000A"."""
    code = ord(char)
    return f"{_NAMES.get(code, 'the control character')} U+{code:04X}"


@rule(
    code="M327",
    name="encoded-word-control-character",
    severity="error",
    summary="An encoded-word that decodes to CR, LF, NUL or another control character",
    visits=parts(encoded_words=True),
)
def encoded_word_control_character(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags an encoded-word, in any header field (Subject, display names,
    file names...), whose decoded text holds a carriage return, a line
    feed, a NUL or another C0 control character (the tab excepted) or DEL:
    ``=?utf-8?q?Hi=0D=0ABcc:_x@evil.example?=``.

    ## Why is this bad?
    Header text never holds these characters (RFC 5322 §2.2, §3.2.5: field
    bodies are printable characters and white space; RFC 2047 §5 encodes
    text, not line breaks). Encoding them hides them from every check that
    reads the raw header; a program that decodes the value and writes it
    back into a header (a reply, a forward, a ticket system, a log line)
    then writes the line break itself, and the text after it becomes a new
    field: header injection (CWE-93). A NUL ends the string in C readers.

    ## Example
    ```
    Subject: =?utf-8?q?Hi=0D=0ABcc:_x@evil.example?=
    ```

    ## Use instead
    ```
    Subject: =?utf-8?q?Hi_Bcc:_x@evil.example?=
    ```

    ## Fix safety
    Not fixable: dropping the characters changes the text, and what the
    sender meant by them is a guess. Remove control characters from the
    text before it is encoded (most often user input placed in a
    Subject or a display name).

    ## References
    RFC 2047 §5; RFC 5322 §2.2, §3.2.5; CWE-93 (CRLF injection).
    """
    data = part.data
    problems: list[Problem] = []
    for header, words in part.worded_fields:
        for w in words:
            if w.payload is None:
                continue
            codec = codec_for(w.charset)
            if codec is None:
                continue  # M322: nobody can read it
            text = w.payload.decode(codec, "replace")
            found = _CONTROL.search(text)
            if found is None:
                continue
            count = len(_CONTROL.findall(text))
            more = (
                f" and {count - 1} more control character{'s' if count > 2 else ''}"
                if count > 1
                else ""
            )
            problems.append(
                Problem(
                    w.start,
                    w.end,
                    f"encoded-word {quoted(data[w.start : w.end], 40)} in {header.name} decodes to "
                    f"{_named(found.group())}{more}: a reader that writes the decoded text into "
                    "a header again can be made to add fields (header injection); remove "
                    "control characters from the text before encoding it",
                )
            )
    return problems
