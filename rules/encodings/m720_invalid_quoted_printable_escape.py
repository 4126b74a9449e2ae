"""M720 invalid-quoted-printable-escape: an '=' not followed by two hex digits."""

from __future__ import annotations

from mimelint.mime.lines import line_end
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Part
from mimelint.rule import Context, Fact, Problem, Safety, parts, rule

from ._common import bad_escape, plural, qp_reencode


@rule(
    code="M720",
    name="invalid-quoted-printable-escape",
    severity="error",
    summary="An '=' in a quoted-printable body not followed by two hex digits",
    fix_safety="unsafe",
    visits=parts(
        leaf=True,
        multipart=False,
        transfer_encoding=["quoted-printable"],
        requires=[Fact.QP_ODD_ESCAPE],
    ),
)
def invalid_quoted_printable_escape(part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags an ``=`` in a quoted-printable body that is neither an escape
    (``=`` and two hexadecimal digits) nor a soft line break (``=`` at the
    end of a line): typically text that was never encoded, such as
    ``a=b`` or a URL with ``?lang=en``. Reports the first one and the count.

    ## Why is this bad?
    RFC 2045 §6.7 rule 1: ``=`` must be written ``=3D``. Decoders guess:
    some keep the ``=`` as is, some drop it, some decode the next two
    characters anyway (``=42`` becomes ``B``), so readers see different text.

    ## Example
    ```
    Content-Transfer-Encoding: quoted-printable

    Open https://example.com/?lang=en&ref=mail to confirm.
    ```

    ## Use instead
    ```
    Content-Transfer-Encoding: quoted-printable

    Open https://example.com/?lang=3Den&ref=3Dmail to confirm.
    ```

    ## Fix safety
    Unsafe: the fix re-encodes what a lenient decoder reads (the ``=`` kept
    literally), which is usually but not always what the sender meant.

    ## References
    RFC 2045 §6.7.
    """
    scan = part.quoted_printable_scan
    assert scan is not None  # a quoted-printable leaf (Fact.QP_ODD_ESCAPE)
    data, end = part.data, part.body_end
    m = bad_escape().search(data, scan.odd_at, end)
    if m is None:
        return None
    count = len(bad_escape().findall(data, m.start(), end))
    shown = data[m.start() : min(m.start() + 3, line_end(data, m.start(), end))]
    others = f" ({plural(count, 'bad escape')} in all)" if count > 1 else ""
    return [
        Problem(
            m.start(),
            m.start() + 1,
            f"{quoted(shown.decode('latin-1'))} is not a quoted-printable escape{others}: '=' must be "
            "followed by two hex digits or end the line (RFC 2045 §6.7); write '=' as '=3D'",
            part.path,
            qp_reencode(part, Safety.UNSAFE, "re-encode the quoted-printable body"),
        )
    ]
