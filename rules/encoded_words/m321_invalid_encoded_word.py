"""M321 invalid-encoded-word: an encoded-word whose text cannot be decoded."""

from __future__ import annotations

from mimelint.mime.charsets import codec_for
from mimelint.mime.encoded_words import Fault, Word, splits_character
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Part
from mimelint.rule import Context, Fact, Problem, Severity, parts, rule


@rule(
    code="M321",
    name="invalid-encoded-word",
    severity="error",
    summary="An RFC 2047 encoded-word whose text cannot be decoded",
    visits=parts(encoded_words=True, requires=[Fact.WORD_MALFORMED]),
)
def invalid_encoded_word(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags an encoded-word (``=?charset?B|Q?text?=``) that does not decode:
    an encoding other than B or Q, base64 text that is not strict base64
    (bad characters, length or padding), Q text with a stray ``=``, ``?`` or
    space, decoded bytes that are not valid in the declared charset, or a
    multi-byte character split between two words. Charset labels are read
    as mail clients read them (:mod:`mimelint.mime.charsets`: a ``gb2312`` word
    is decoded as GBK, as every WHATWG reader does). A word whose text
    holds raw 8-bit bytes is left to M101 (bytes that are not UTF-8) and
    M320 (raw UTF-8), which point at exactly those bytes: one problem, one
    finding. One finding per field, at its first malformed word, says how
    many more the field holds. A field whose only fault is characters
    split between words is a warning: readers that join adjacent words of
    one charset before decoding (Python's ``email``, Thunderbird, MimeKit)
    show the text as meant; others show replacement characters.

    ## Why is this bad?
    RFC 2047 §4 defines the B and Q encodings exactly, and §5 requires each
    encoded-word to hold whole characters. Decoders differ on broken words:
    some show the raw ``=?...?=``, some replacement characters, some drop
    the text, so readers see something other than what was sent.

    ## Example
    ```
    Subject: =?utf-8?B?R3LDvMOfZQ?=
    ```

    ## Use instead
    ```
    Subject: =?utf-8?B?R3LDvMOfZQ==?=
    ```

    ## Fix safety
    Not fixable: what the sender meant is a guess.

    ## References
    RFC 2047 §2, §4, §5.
    """
    data = part.data
    problems: list[Problem] = []
    for header, words in part.worded_fields:
        bad = [
            i
            for i, w in enumerate(words)
            if w.fault is Fault.MALFORMED and w.raw.isascii()  # raw 8-bit: M101's or M320's
        ]
        if not bad:
            continue
        i = bad[0]
        w = words[i]
        why = w.error
        split = [j for j in bad if splits_character(data, words, j)]
        if split and split[0] == i:
            why = (
                "it ends in the middle of a multi-byte character "
                "(RFC 2047 §5: each word holds whole characters)"
            )
        more = f" (and {len(bad) - 1:,} more malformed in this field)" if len(bad) > 1 else ""
        problems.append(
            Problem(
                w.start,
                w.end,
                f"encoded-word {quoted(data[w.start : w.end], 40)} in {header.name} is malformed: "
                f"{why}{more}; re-encode the text",
                # Only split characters: readers that join adjacent words of
                # one charset (Python's email, Thunderbird, MimeKit) show it.
                severity=Severity.WARNING if _only_split(words, bad, split) else None,
            )
        )
    return problems


def _only_split(words: list[Word], bad: list[int], split: list[int]) -> bool:
    """Whether every malformed word starts a split character or ends one.

    The words from a split start to the first that completes its character
    (:func:`~mimelint.mime.encoded_words.splits_character` joins at most
    three more) fail only because a character spans them.
    """
    covered = set(split)
    for k in split:
        codec = codec_for(words[k].charset)
        joined = words[k].payload or b""
        for m in range(k + 1, min(k + 4, len(words))):
            joined += words[m].payload or b""
            covered.add(m)
            try:
                joined.decode(codec or "ascii")
                break
            except UnicodeDecodeError:
                continue
    return bool(split) and covered.issuperset(bad)
