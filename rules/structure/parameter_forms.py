"""What M604 reads beyond the tokenizer's defects: RFC 2231 forms and empty parameters.

Not a rule: the part of M604 (:mod:`.m604_malformed_parameter`) that looks
at parameter syntax the tokenizer (:func:`mimelint.mime.params.parse_structured`)
accepts without a defect but readers do not agree on. Each item is
(start, end, what is wrong and what to do, fix or None, severity or None for
the rule's own).
"""

from __future__ import annotations

from collections.abc import Iterator

from mimelint.mime.boundaries import boundary_problem
from mimelint.mime.params import ATTRIBUTE_CHARS, StructuredValue, empty_parameters
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Header, Part
from mimelint.rule import Edit, Fix, Safety, Severity

#: Deletes what an RFC 2231 ext-value may hold (attribute-chars, "%"
#: escapes and the two "'" of charset'language', RFC 2231 §7).
_EXT_VALUE_CHARS = str.maketrans(dict.fromkeys(ATTRIBUTE_CHARS + "%'"))

#: One finding's material: start, end, what is wrong and what to do, the
#: fix or None, the severity or None for the rule's own.
Item = tuple[int, int, str, Fix | None, Severity | None]


def rfc2231_and_empty(
    part: Part, header: Header, sv: StructuredValue, extended: bool
) -> list[Item]:
    """Parameter syntax the tokenizer accepts but readers do not agree on.

    An RFC 2231 extended value written as a quoted string, an empty
    parameter (``;;``) and a multipart boundary given only in RFC 2231 form.
    A list (nearly always empty), not a generator: M604 asks for every
    Content-Type and Content-Disposition field.
    """
    data = part.data
    found: list[Item] = []
    for p in sv.params if extended else ():
        if p.raw_name.endswith("*") and p.quoted:
            inner = p.value
            fix = None
            if inner and not inner.translate(_EXT_VALUE_CHARS):
                fix = Fix(
                    (Edit(p.value_start, p.value_end, inner.encode("latin-1")),),
                    Safety.SAFE,
                    f"write the value of {p.raw_name} bare",
                )
            found.append(
                (
                    p.value_start,
                    p.value_end,
                    (
                        f"writes the RFC 2231 extended value of {quoted(p.raw_name)} as a quoted "
                        "string, which RFC 2231 §7 does not allow: Python's email and the "
                        "common clients drop the quotes, a reader that follows the grammar "
                        f"keeps them; write it bare: {p.raw_name}={inner}"
                    ),
                    fix,
                    # Mailers write it (Kopano; CPython's own test msg_29.txt) and
                    # readers decode it as if bare: a warning, not an error.
                    Severity.WARNING,
                )
            )
    for empty in empty_parameters(data, sv, header.value_end):
        found.append(_empty_parameter(empty))
    if extended and header.lname == "content-type" and sv.params and part.is_multipart:
        found.extend(_boundary_in_rfc2231_form(sv))
    return found


def _empty_parameter(empty: list[tuple[int, int]]) -> Item:
    """A run of ';' with nothing between them, outside quoted strings and comments."""
    more = f" ({len(empty)} in a row)" if len(empty) > 1 else ""
    return (
        empty[0][1],
        empty[0][1] + 1,
        (
            f"has an empty parameter (';' after ';'){more}, which RFC 2045 §5.1 does "
            "not allow; some readers stop at it and lose the parameters after it: "
            "remove the extra ';'"
        ),
        Fix(
            tuple(Edit(a, b, b"") for a, b in empty),
            Safety.SAFE,
            "remove the empty parameters" if more else "remove the empty parameter",
        ),
        None,
    )


def _boundary_in_rfc2231_form(sv: StructuredValue) -> Iterator[Item]:
    """A multipart's boundary given only as ``boundary*=`` (or in sections)."""
    named = sv.named("boundary")
    if named and all("*" in p.raw_name for p in named):
        first = named[0]
        value = sv.get("boundary") or ""
        fix = None
        if len(named) == 1 and value and boundary_problem(value) is None:
            fix = Fix(
                (Edit(first.start, first.end, f'boundary="{value}"'.encode("ascii")),),
                Safety.SAFE,
                "give the boundary as a plain parameter",
            )
        yield (
            first.start,
            first.end,
            (
                f"gives the boundary only in RFC 2231 form ({quoted(first.raw_name)}); "
                "RFC 2046 §5.1.1 defines a plain boundary parameter and many readers look "
                f'only for that one, find no boundary and show no parts: write boundary="{value}"'
            ),
            fix,
            None,
        )
