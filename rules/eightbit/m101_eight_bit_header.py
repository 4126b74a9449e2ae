"""M101 eight-bit-header: raw 8-bit bytes in a header field that are not UTF-8."""

from __future__ import annotations

import re

from mimelint.mime.charsets import codec_for
from mimelint.mime.encoded_words import find_words
from mimelint.mime.tree import Header, Message
from mimelint.rule import Context, Edit, Fact, Fix, Problem, Safety, message, rule

_NON_ASCII = re.compile(rb"[\x80-\xff]+")
_BOM = b"\xef\xbb\xbf"


@rule(
    code="M101",
    name="eight-bit-header",
    severity="error",
    summary="Raw 8-bit bytes in a header field that are not UTF-8, or in a field name",
    fix_safety="safe",
    visits=message(requires=[Fact.EIGHT_BIT]),
)
def eight_bit_header(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags header fields holding raw bytes outside US-ASCII that are not valid
    UTF-8 (Latin-1, Windows-1252, Shift_JIS written raw...), and field
    names holding any byte outside US-ASCII, such as a UTF-8 byte order
    mark (``EF BB BF``) that an editor wrote before the first field. Valid
    UTF-8 text in a field value is left to M3xx's unencoded-header-text
    rule, which can encode it;
    the two never report the same bytes. Raw bytes inside an encoded-word
    (``=?iso-8859-1?q?caf\xe9?=``) are reported here too, and not by M321,
    which leaves raw 8-bit text to M101 and M320; inside a Q word of a
    known charset that reads them the finding says so, since the word
    names their charset.

    ## Why is this bad?
    RFC 5322 §2.2 allows only US-ASCII in header fields; non-ASCII text must
    be written as RFC 2047 encoded-words. Without SMTPUTF8 (RFC 6532, which
    requires UTF-8) on every hop, raw 8-bit headers are refused or mangled,
    and bytes that are not UTF-8 carry no charset at all: no receiver can
    know what they meant. A field name must be printable US-ASCII
    (RFC 5322 §2.2). Amazon SES asks for non-ASCII header text to be encoded
    (SES developer guide, "Sending raw email").

    ## Example
    ```
    Subject: Gr\\xfc\\xdfe        (Latin-1 bytes FC DF written raw)
    ```

    ## Use instead
    ```
    Subject: =?iso-8859-1?q?Gr=FC=DFe?=
    ```

    ## Fix safety
    Not fixable: the bytes' charset is unknown, so any encoding would be a
    guess. Re-create the field from the text in the program that built it.
    Where every such byte sits in Q encoded-words of a known charset that
    reads them (not ``\\xfc`` in a ``utf-8`` word), they are written as
    ``=XX`` (unsafe: Python's email reads the raw bytes in the word's
    charset, as the fix writes them, but a strict decoder shows
    the malformed word as written, so the fix settles one reading).
    A byte order mark before the first field is removed (safe): it is file
    framing, not text of the message, and no field or body byte changes.

    ## References
    RFC 5322 §2.2; RFC 2047 §2, §5; RFC 6532 §3.2.
    """
    data = message.data
    problems: list[Problem] = []
    for part in message.parts():
        for index, header in enumerate(part.headers):
            if header.raw.isascii():
                continue
            if index == 0 and data.startswith(_BOM, header.start):
                # MimeKit's TestData/messages/feedback-report.txt: Python's
                # email reads the header section as body text, so From is missing.
                problems.append(
                    Problem(
                        header.start,
                        header.start + len(_BOM),
                        "the header section starts with a UTF-8 byte order mark (bytes EF BB "
                        "BF), which is no part of a field: readers misread the first field's "
                        "name or take the whole header section for body text; remove it",
                        part.path,
                        Fix(
                            (Edit(header.start, header.start + len(_BOM), b""),),
                            Safety.SAFE,
                            "remove the byte order mark",
                        ),
                    )
                )
                continue
            name_end = header.colon if header.colon >= 0 else header.start
            m = _NON_ASCII.search(data, header.start, name_end)
            if m is not None:
                problems.append(
                    Problem(
                        m.start(),
                        m.end(),
                        "header field name holds bytes outside US-ASCII; a field name must be "
                        "printable ASCII: rename the field",
                        part.path,
                    )
                )
                continue
            try:
                header.raw_value.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad = header.value_start + exc.start
                run = _NON_ASCII.match(data, bad)
                stop = run.end() if run is not None else bad + 1
                name = header.name or "a header line"
                escaped = _escaped_in_words(data, header)
                if escaped is not None:
                    charset, edits = escaped
                    problems.append(
                        Problem(
                            bad,
                            stop,
                            f"{name} holds raw 8-bit bytes inside an encoded-word that declares "
                            f"{charset}, whose Q text must be 7-bit (RFC 2047 §4.2); write each "
                            f"byte as =XX ({edits[0].replacement.decode('ascii')})",
                            part.path,
                            Fix(
                                edits,
                                Safety.UNSAFE,
                                "write the raw bytes of the encoded-words as =XX",
                            ),
                        )
                    )
                    continue
                problems.append(
                    Problem(
                        bad,
                        stop,
                        f"{name} holds raw 8-bit bytes that are not UTF-8, so their charset is "
                        "unknown; rewrite the value as RFC 2047 encoded-words with its real charset",
                        part.path,
                    )
                )
    return problems


def _escaped_in_words(data: bytes, header: Header) -> tuple[str, tuple[Edit, ...]] | None:
    """Where every raw 8-bit byte of the field sits in a Q encoded-word of a
    charset readers know, and reads in it (``=?iso-8859-1?Q?J\xfcrgen?=``,
    as a gateway that decoded the escapes left it): the first word's
    charset and the edits that write each byte as ``=XX``. Else None: the
    bytes' charset is unknown (in a ``utf-8`` word, ``\xfc`` is no text, and
    ``=FC`` would only make the word malformed)."""
    words = []
    for w in find_words(data, header.value_start, header.value_end):
        codec = codec_for(w.charset) if w.encoding in ("Q", "q") else None
        if codec is not None:
            words.append((w, codec))
    edits: list[Edit] = []
    charset = ""
    i = 0  # words and runs are both in order: one pass over each
    for m in _NON_ASCII.finditer(data, header.value_start, header.value_end):
        while i < len(words) and words[i][0].end <= m.end():
            i += 1
        if i == len(words) or words[i][0].start >= m.start():
            return None
        word, codec = words[i]
        try:
            m.group().decode(codec)
        except UnicodeDecodeError:
            return None  # not the word's charset either
        charset = charset or word.charset
        escapes = "".join(f"={b:02X}" for b in m.group()).encode("ascii")
        edits.append(Edit(m.start(), m.end(), escapes))
    return (charset, tuple(edits)) if edits else None
