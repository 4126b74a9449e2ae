"""Attachments: file names that providers refuse or that deceive the reader.

A part's file name comes from the Content-Disposition ``filename``
parameter or the Content-Type ``name`` parameter (RFC 2183 §2.3, RFC 2046
§4.5.1). Both are read here, each after RFC 2231 decoding (continuations,
``name*=charset''%XX``) and after RFC 2047 encoded-words (which RFC 2047
§5 forbids in parameters but Outlook and others write anyway). When both
are present and decode to the same name, only the first is reported.

Findings point at the parameter's value as written; for an RFC 2231
continuation, at its first section. None of these rules can fix: renaming
an attachment changes what the recipient receives.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from mimelint.params import Param, StructuredValue
from mimelint.profile import SES_REFUSED_EXTENSIONS
from mimelint.rule import Context, Problem, rule
from mimelint.tree import Message, Part, decode_words

_FOLD = re.compile(r"\r?\n(?=[ \t])")
_SECTION_NUMBER = re.compile(r"\*(\d+)")

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

# Characters that change how a name is displayed without being seen: the C0
# and C1 controls and DEL (category Cc), and the bidirectional formatting
# characters (U+200E, U+200F, U+202A-U+202E, U+2066-U+2069, U+061C).
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(slots=True)  # not frozen: frozen dataclasses are slow to build
class _Name:
    """One decoded file name and where its parameter stands."""

    path: str  #: the part's path (not the part: the list is cached on the message)
    value: str  #: decoded, folds removed
    header: str  #: "Content-Disposition" or "Content-Type"
    param: str  #: "filename" or "name"
    start: int
    end: int

    @property
    def label(self) -> str:
        """A phrase naming the parameter for a person (findings name the part)."""
        return f"the {self.header} {self.param} {self.value!r}"

    @property
    def stripped(self) -> str:
        """The name as Windows saves it: trailing dots and spaces removed."""
        return self.value.rstrip(". ")

    @property
    def extension(self) -> str:
        """The lower-case extension after the last dot, or ''."""
        stem, dot, ext = self.stripped.rpartition(".")
        return ext.lower() if dot and stem else ""


def _first_section(params: list[Param]) -> Param:
    """The parameter that starts the value: RFC 2231 section 0 when split."""
    sections = [p for p in params if "*" in p.raw_name]
    if not sections:
        return params[0]

    def number(p: Param) -> int:
        m = _SECTION_NUMBER.search(p.raw_name)
        return int(m.group(1)) if m else 0

    return min(sections, key=number)


def _from(
    part: Part, sv: StructuredValue | None, header: str, key: str, other: str | None = None
) -> _Name | None:
    """The name ``key`` of ``sv``, or None; also None when it decodes to ``other``."""
    if sv is None:
        return None
    value = sv.get(key)
    if value is None:
        return None
    params = sv.params
    if len(params) == 1 and "*" not in params[0].raw_name:
        # The usual `filename="a.pdf"` alone: sv.get found it, so it is the one.
        at = params[0]
    else:
        # sv.named(key), without a regex per parameter for plain names
        named = [p for p in params if (p.name if "*" in p.raw_name else p.raw_name.lower()) == key]
        if not named:
            return None
        at = _first_section(named)
    decoded = decode_words(value)
    if "\n" in decoded:
        decoded = _FOLD.sub("", decoded)
    if decoded == other:
        return None
    return _Name(part.path, decoded, header, key, at.value_start, at.value_end)


def _names(message: Message) -> list[_Name]:
    """Every file name in the message, once per distinct decoded value.

    No search for "name" first: the parser has already read every part's
    Content-Type (it needs the type to split the body), a Content-Disposition
    is read once for every rule that asks (M603 reads each one too), and
    ``StructuredValue.get`` is one dictionary lookup once the parameters are
    collected.
    """
    found: list[_Name] = []
    for part in message.parts():
        first = _from(part, part.disposition_value, "Content-Disposition", "filename")
        if first is not None:
            found.append(first)
        second = _from(
            part,
            part.content_type_value,
            "Content-Type",
            "name",
            None if first is None else first.value,
        )
        if second is not None:
            found.append(second)
    return found


def _names_cached(message: Message) -> list[_Name]:
    # Four rules read the same names: collect them once per message.
    return message.memo("_mimelint_attachment_names", _names)


@rule(
    code="M501",
    name="refused-attachment-type",
    severity="error",
    summary="An attachment whose extension the provider refuses (SES: .exe, .js, ...)",
)
def refused_attachment_type(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a file name whose extension is on the profile's list of refused
    attachment types. The name is taken from Content-Disposition
    ``filename`` or Content-Type ``name`` after RFC 2231 and RFC 2047
    decoding; trailing dots and spaces are removed (Windows drops them when
    saving) and the comparison ignores case. The ``rfc`` profile refuses
    no type, so this rule reports nothing under it.

    ## Why is this bad?
    Amazon SES refuses the whole message when any attachment has one of
    about 90 extensions (``.exe``, ``.js``, ``.bat``, ``.scr``, ``.vbs``,
    ``.msi``, ...), whatever the part's Content-Type says. Many receiving
    mail systems drop such attachments too.

    ## Example
    ```
    Content-Type: application/octet-stream; name="setup.exe"
    Content-Disposition: attachment; filename="setup.exe"
    ```

    ## Use instead
    Send a link to the file, or put it in an archive (some receivers refuse
    archives as well):
    ```
    Content-Type: application/zip; name="setup.zip"
    Content-Disposition: attachment; filename="setup.zip"
    ```

    ## Fix safety
    Not fixable: renaming or removing an attachment changes what the
    recipient receives.

    ## References
    SES developer guide, "Amazon SES unsupported attachment types";
    RFC 2183 §2.3; RFC 2231 §3-4.
    """
    refused = context.profile.refused_extensions
    if not refused:
        return
    ses = context.profile.provider == "ses"
    for name in _names_cached(message):
        ext = name.extension
        if ext not in refused:
            continue
        if ses and ext in SES_REFUSED_EXTENSIONS:
            why = "which Amazon SES refuses (the whole message is rejected)"
        else:
            # Added by refused-extensions / extra-refused-extensions: SES takes it.
            why = "which the configuration refuses (refused-extensions, extra-refused-extensions)"
        yield Problem(
            name.start,
            name.end,
            f"{name.label} has the extension .{ext}, {why}; send a link or an archive instead",
            name.path,
        )


@rule(
    code="M502",
    name="double-extension",
    severity="warning",
    summary="A file name that hides an executable extension behind a document one",
)
def double_extension(message: Message, context: Context) -> Iterator[Problem]:
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
    for name in _names_cached(message):
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
        yield Problem(
            name.start,
            name.end,
            f"{name.label} ends in .{ext}{hidden} behind .{inner}: a program disguised "
            "as a document, which filters quarantine; send the real file type",
            name.path,
        )


def _invisible(value: str) -> list[str]:
    return [c for c in value if c in _BIDI or unicodedata.category(c) == "Cc"]


@rule(
    code="M503",
    name="filename-control-characters",
    severity="error",
    summary="A file name holding control or bidirectional-override characters",
)
def filename_control_characters(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a file name that holds control characters (C0, C1, DEL) or
    Unicode bidirectional formatting characters (U+202E RIGHT-TO-LEFT
    OVERRIDE and its kin U+202A-U+202D, the isolates U+2066-U+2069, the
    marks U+200E, U+200F, U+061C), after RFC 2231 and RFC 2047 decoding.
    Folding line breaks of a quoted value are not counted.

    ## Why is this bad?
    A right-to-left override reverses what follows it on screen:
    ``invoice\\u202Efdp.exe`` is displayed as ``invoiceexe.pdf``. It is a
    well-known malware trick, spam filters score it, and control characters
    in a name break the clients and file systems that save it.

    ## Example
    ```
    Content-Disposition: attachment;
     filename*=utf-8''invoice%E2%80%AEfdp.exe
    ```

    ## Use instead
    ```
    Content-Disposition: attachment; filename="invoice.pdf"
    ```

    ## Fix safety
    Not fixable: the name the sender chose must be rewritten by a person.

    ## References
    Unicode Bidirectional Algorithm (UAX #9), §2; RFC 2183 §2.3; RFC 2231.
    """
    for name in _names_cached(message):
        if name.value.isascii() and name.value.isprintable():
            continue
        found = _invisible(name.value)
        if not found:
            continue
        shown = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in found))
        yield Problem(
            name.start,
            name.end,
            f"{name.label} holds invisible characters ({shown}) that hide or reorder what "
            "the reader sees; remove them from the name",
            name.path,
        )


_DRIVE = re.compile(r"[A-Za-z]:[\\/]")


@rule(
    code="M504",
    name="filename-path",
    severity="warning",
    summary="A file name that holds a directory path ('/', '\\\\', '..', 'C:')",
)
def filename_path(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a file name that holds a directory separator (``/`` or ``\\``),
    a parent-directory step (``..`` as a path component) or a Windows drive
    (``C:``), after RFC 2231 and RFC 2047 decoding.

    ## Why is this bad?
    RFC 2183 §2.3 says the file name is a name, not a path, and that a
    receiver must not trust a path in it: ``../../.bashrc`` is an attack on
    clients that save attachments naively. Receivers strip or refuse such
    names, and a full path such as ``C:\\Users\\ann\\report.pdf`` leaks the
    sender's directories.

    ## Example
    ```
    Content-Disposition: attachment; filename="../../etc/passwd"
    ```

    ## Use instead
    ```
    Content-Disposition: attachment; filename="passwd"
    ```

    ## Fix safety
    Not fixable automatically: the name is part of what the recipient
    receives.

    ## References
    RFC 2183 §2.3, §5; RFC 2231.
    """
    for name in _names_cached(message):
        value = name.value
        if "/" not in value and "\\" not in value and ":" not in value and ".." not in value:
            continue
        components = re.split(r"[/\\]", value)
        why: str | None = None
        if _DRIVE.match(value):
            why = "a drive letter"
        elif ".." in (c.strip() for c in components):
            why = "a parent-directory step '..'"
        elif len(components) > 1:
            why = "a directory separator"
        if why is None:
            continue
        base = components[-1]
        yield Problem(
            name.start,
            name.end,
            f"{name.label} holds {why}; a file name must not carry a path, "
            f"use the bare name {base!r}",
            name.path,
        )


RULES = [refused_attachment_type, double_extension, filename_control_characters, filename_path]
