"""M324 encoded-word-line-too-long: a line holding encoded-words over 76 characters."""

from __future__ import annotations

from mimelint.mime.encoded_words import LIMIT_LINE, Word
from mimelint.mime.fields import FieldKind, field_kind, reencoded_field
from mimelint.mime.lines import line_end, line_start, split_lines
from mimelint.mime.tree import FIELD, Header, Part
from mimelint.mime.writers import fold_field
from mimelint.rule import Context, Edit, Fact, Fix, Problem, Safety, parts, rule

#: email.policy.default/SMTP fold at max_line_length=78 (RFC 5322 §2.1.1),
#: and write lines one longer than max_line_length.
_PYTHON_WIDTH = 78
#: The advice, tried: with 74, Python's folder keeps every line within 76 on
#: 3.11, 3.12 and 3.13 (tests/test_rules_encoded_words_generators.py runs it).
#: 75 was enough up to 3.12; 3.13 writes an address list's comma after the
#: fold it chose, up to two characters past max_line_length.
PYTHON_ADVICE = "policy=email.policy.SMTP.clone(max_line_length=74)"
#: How Python's email opens its encoded-words (lower case). Email::MIME's,
#: the mail gem's and PHPMailer's ("=?UTF-8?B?", "=?UTF-8?Q?", "=?utf-8?B?")
#: get no advice about Python's policy on their 77-character lines.
_PYTHON_OPENINGS = (b"=?utf-8?q?", b"=?utf-8?b?")


@rule(
    code="M324",
    name="encoded-word-line-too-long",
    severity="warning",
    summary="A header line holding encoded-words is longer than 76 characters",
    fix_safety="safe",
    visits=parts(encoded_words=True, requires=[Fact.WORD_LONG_FIELD]),
)
def encoded_word_line_too_long(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a physical header line that holds at least one encoded-word and is
    longer than 76 characters. The span covers the characters past the 76th.
    Content-Type and Content-Disposition are left to M326: an
    ``=?...?=`` in a parameter value is no encoded-word to RFC 2047 (§5),
    so its line limit does not apply there (Delta Chat's
    ``filename="=?utf-8?Q?...?="`` lines), and M326 offers the RFC 2231 fix.

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
    (RFC 5322 §2.1.1's general limit), so long non-ASCII Subjects and
    display names get encoded-word lines of 77-78 characters. Lowering the
    limit to 76 is not enough: Python's folder still writes 77-character
    lines (a whole ``Name <address>`` moved after ``From:`` onto a line of
    its own, its leading space included), and Python 3.13 writes a To's
    comma after the fold, up to two characters past the limit. Tried on
    thousands of generated Subjects, From and To fields on Python 3.11,
    3.12 and 3.13, ``email.policy.SMTP.clone(max_line_length=74)`` keeps
    every line within 76 (75 does on 3.11 and 3.12 only); the finding gives that advice for lines of
    77-78 characters whose words open as Python writes them (``=?utf-8?q?``,
    ``=?utf-8?b?``): Perl's Email::MIME and Ruby's mail gem write such lines
    too, with ``=?UTF-8?B?`` and ``=?UTF-8?Q?``.

    ## Fix safety
    Safe: the field is folded again before white space (RFC 5322 §2.2.3),
    so unfolding gives back the same value, and white space between two
    encoded-words is not shown anyway (RFC 2047 §6.2). Where a line of an
    unstructured field (Subject...) is a single long run with no white
    space, the text is re-encoded into shorter encoded-words that decode
    to exactly the same text. Not fixable when neither brings every such
    line within 76, and address fields are only folded: Python's address
    parser reads the words it split itself with a space between them, so
    re-encoding would change what it shows.

    ## References
    RFC 2047 §2, §6.2; RFC 5322 §2.1.1, §2.2.3.
    """
    data = part.data
    problems: list[Problem] = []
    for header, words in part.worded_fields:
        if header.end - header.start <= LIMIT_LINE:
            continue  # no line of the field can be longer than the field
        if field_kind(header.lname) is FieldKind.PARAMS:
            continue  # words in parameter values: M326's
        end = -1
        fixed = False
        for i, w in enumerate(words):
            if w.start < end:
                continue  # words are in order: this line is looked at already
            start = line_start(data, w.start, header.start)
            end = line_end(data, w.end, header.end)
            length = end - start
            if length <= LIMIT_LINE:
                continue
            cause = ""
            if length <= _PYTHON_WIDTH and _opened_as_python_does(data, words, i, end):
                cause = (
                    f" (Python's email writes such lines: build the message with {PYTHON_ADVICE})"
                )
            fix: Fix | None = None
            if not fixed:
                fix = _refold(part, header)
                fixed = True
            problems.append(
                Problem(
                    start + LIMIT_LINE,
                    end,
                    f"a line of {header.name} holding encoded-words is {length} characters "
                    f"long, over RFC 2047's {LIMIT_LINE}; fold it before white space or use "
                    f"shorter encoded-words{cause}",
                    fix=fix,
                )
            )
    return problems


def _refold(part: Part, header: Header) -> Fix | None:
    """Fold the field before white space; else re-encode it; if that brings every line in."""
    if header.kind is not FIELD:
        return None
    raw = header.raw
    linesep = part.message.line_separator
    folded = fold_field(raw, linesep, LIMIT_LINE)
    if folded != raw and _fits(folded):
        why = f"fold {header.name} before white space, lines within {LIMIT_LINE}"
        return Fix((Edit(header.start, header.end, folded),), Safety.SAFE, why)
    if field_kind(header.lname) is not FieldKind.UNSTRUCTURED:
        # Re-encoding a phrase can change what Python's address parser reads
        # (it keeps the white space between words it split itself).
        return None
    again = reencoded_field(part.data, header, linesep)
    if again is not None and again != raw and _fits(again):
        why = f"re-encode {header.name} in shorter encoded-words, lines within {LIMIT_LINE}"
        return Fix((Edit(header.start, header.end, again),), Safety.SAFE, why)
    return None


def _fits(field: bytes) -> bool:
    """Whether every line of ``field`` that holds an encoded-word is within the limit."""
    lines = split_lines(field)
    return max(map(len, lines)) <= LIMIT_LINE or all(
        len(line) <= LIMIT_LINE or b"=?" not in line for line in lines
    )


def _opened_as_python_does(data: bytes, words: list[Word], first: int, end: int) -> bool:
    """Whether the words of a line, ``words[first]`` up to ``end``, all open
    as Python's email writes them. Words are in order and the ones before
    ``first`` are on earlier lines: each word is looked at once per line."""
    for k in range(first, len(words)):
        x = words[k]
        if x.start >= end:
            break
        if data[x.start : x.start + 10] not in _PYTHON_OPENINGS:
            return False
    return True
