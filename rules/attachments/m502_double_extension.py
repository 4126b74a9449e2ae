"""M502 double-extension: an executable extension hidden behind a document one."""

from __future__ import annotations

from mimelint.mime.tree import Message
from mimelint.profile import SES_REFUSED_EXTENSIONS
from mimelint.rule import Context, Fact, Problem, message, rule

#: Extensions that make a file look like a harmless document or picture: the
#: disguise of ``invoice.pdf.exe``. A name ending in a refused extension is
#: deceptive only when the one before it is on this list, so that
#: ``jquery.min.js`` or ``setup.v2.exe`` are not called deceptive.
_DECOY_EXTENSIONS = frozenset(
    """
    pdf doc docx docm dot xls xlsx xlsm csv ppt pptx pps ppsx odt ods odp rtf
    txt text log md html htm xml json eml msg ics vcf jpg jpeg png gif bmp tif
    tiff webp heic svg ico mp3 mp4 m4a wav avi mov mkv wmv flv ogg zip rar 7z
    gz tgz tar iso
    """.split()  # noqa: SIM905 (a word list reads better than 58 quoted strings)
)


@rule(
    code="M502",
    name="double-extension",
    severity="warning",
    summary="A file name that hides an executable extension behind a document one",
    visits=message(requires=[Fact.FILE_NAME]),
)
def double_extension(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a file name such as ``invoice.pdf.exe`` or ``photo.jpg   .scr``:
    an executable extension (one on the profile's refused list, or on the
    SES list under a profile that refuses none) right after an extension
    that looks like a document, picture or archive, possibly with spaces
    between them. Names like ``jquery.min.js`` or ``setup.v2.exe`` are not
    flagged here (the refused type itself is M501's business).

    ## Why is this bad?
    Mail clients and file managers often hide the last extension, or cut
    a long name, so the reader sees ``invoice.pdf`` and runs a program.
    It is a classic malware disguise: spam filters score it (SpamAssassin
    flags double bad extensions) and receivers quarantine the message.
    Under SES, M501 also reports the refused extension.

    ## Example
    ```
    Content-Disposition: attachment; filename="invoice.pdf.exe"
    ```

    ## Use instead
    ```
    Content-Disposition: attachment; filename="invoice.pdf"
    ```

    ## Fix safety
    Not fixable: the file itself must change.

    ## References
    SES developer guide, "Amazon SES unsupported attachment types";
    SpamAssassin MIME rules; RFC 2183 §2.3.
    """
    executable = context.profile.refused_extensions or SES_REFUSED_EXTENSIONS
    problems: list[Problem] = []
    for name in message.file_names_within:
        ext = name.extension
        if ext not in executable:
            continue
        stem = name.stripped[: -len(ext) - 1]
        padded = stem.rstrip(" \t\u00a0")
        inner_stem, dot, inner = padded.rpartition(".")
        if not dot or not inner_stem or inner.lower() not in _DECOY_EXTENSIONS:
            continue
        spaces = len(stem) - len(padded)
        hidden = f" after {spaces} spaces" if spaces else ""
        problems.append(
            Problem(
                name.start,
                name.end,
                f"{name.label} ends in .{ext}{hidden} behind .{inner}: a program disguised "
                "as a document, which filters quarantine; send the real file type",
                name.part,
            )
        )
    return problems
