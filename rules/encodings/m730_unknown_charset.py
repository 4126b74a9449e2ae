"""M730 unknown-charset: a charset parameter that names no known character set."""

from __future__ import annotations

from mimelint.mime import charsets
from mimelint.mime.quoting import quoted
from mimelint.mime.tree import Header, Part
from mimelint.rule import Context, Problem, fields, rule

from ._common import in_effect

#: Top-level media types whose registrations define no charset parameter
#: (RFC 2046 §4.2-§4.4 and §5, RFC 8081 font/, RFC 2077 model/): readers
#: hand such a part's bytes over as they are and never look at a charset.
#: XML subtypes (``+xml``) are the exception: ``image/svg+xml``'s
#: registration (SVG 2, Appendix J) takes application/xml's charset
#: parameter (RFC 7303), which an XML reader decodes the document with.
_NO_CHARSET = frozenset({"multipart", "message", "image", "audio", "video", "font", "model"})


@rule(
    code="M730",
    name="unknown-charset",
    severity="error",
    summary="A charset parameter that names no known character set",
    visits=fields("content-type"),
)
def unknown_charset(header: Header, part: Part, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a ``charset`` parameter whose value names no character set that
    mail clients know, or that is empty. Known: every label of the WHATWG
    Encoding Standard's table (``ks_c_5601-1987``, ``x-user-defined``,
    ``unicode``, ``x-cp1252``...), and the IANA names Python's codec
    registry holds (``utf-7``, ``iso-2022-jp-2``...). Also flags a label
    that only a lenient decoder reads: quotes inside the value
    (``charset='utf-8'``, a PHP slip), spaces (``utf 8``), stray or doubled
    punctuation (``utf-8-``, ``utf--8``). Outside the WHATWG table, the
    label must be made of RFC 2978 charset-name characters and, up to the
    spelling ``-``/``_``, be a name the codec registry lists; the message
    suggests the name to write. ``iso-2022-cn`` (WHATWG decodes it to a
    single replacement character) stays unknown. Only parts whose bytes a
    charset can turn into characters are checked (``text/*``,
    ``application/*`` such as XML or JSON, and types nobody registered):
    on a ``multipart``, ``message``, ``image``, ``audio``, ``video``,
    ``font`` or ``model`` part no registration defines a charset and no
    reader decodes one (``image/png; charset=base64`` shows the picture),
    except an XML one (``image/svg+xml``), whose charset is
    application/xml's (RFC 7303).

    ## Why is this bad?
    A reader cannot turn the bytes into characters; clients fall back to a
    guess (often Latin-1 or UTF-8) and show mojibake, or show nothing.
    Python's ``codecs.lookup`` folds punctuation and spaces, so ``'utf-8'``
    decodes fine in Python, but mail clients match the label against the
    IANA registry and the WHATWG Encoding Standard's label list as written
    (after trimming white space): they do not know it and fall back to their
    default, typically windows-1252. ``unknown-8bit`` (RFC 1428) is flagged
    too: it says the sender did not know the charset.

    ## Example
    ```
    Content-Type: text/plain; charset=utf-9
    Content-Type: text/plain; charset='utf-8'
    ```

    ## Use instead
    ```
    Content-Type: text/plain; charset=utf-8
    ```

    ## Fix safety
    Not fixed: the right charset is a guess. For a label only a lenient
    decoder reads, the likely name is in the message, but the sender may
    have meant another charset (and the text may not even be in that one).

    ## References
    RFC 2046 §4.1.2; RFC 2978 §2.3 (IANA charset registry, mime-charset);
    WHATWG Encoding Standard §4.2 (labels); RFC 1428; RFC 7303 (XML media
    types and the ``+xml`` suffix).
    """
    if header is not in_effect(part, header):
        return None  # a later duplicate is not read
    if part.maintype in _NO_CHARSET and not part.content_type.endswith("+xml"):
        return None  # a charset means nothing there
    ct = part.content_type_value
    if ct is None:
        return None
    value = ct.get("charset")  # None exactly when no parameter is named charset
    if value is None or charsets.lookup(value) is not None:
        return None
    shown = value.strip()
    meant = charsets.lenient(value)
    if meant is not None:
        text = (
            f"charset {quoted(shown)} is no charset name mail clients know (they match "
            "IANA/WHATWG labels as written; only lenient decoders such as Python's fold "
            f"it to {meant.codec}): they fall back to a default such as windows-1252 and show "
            f"mojibake; write charset={meant.name}"
        )
    else:
        what = f"unknown charset {quoted(shown)}" if shown else "empty charset parameter"
        text = (
            f"{what}: readers cannot decode this {part.content_type} part; declare the "
            "charset the text is really in (utf-8 for new content)"
        )
    param = ct.named("charset")[0]
    problems: list[Problem] = []
    problems.append(Problem(param.value_start, param.value_end, text, part.path))
    return problems
