"""M501 refused-attachment-type: an attachment whose extension the provider refuses."""

from __future__ import annotations

from mimelint.mime.tree import Message
from mimelint.rule import Context, Fact, Problem, message, rule


@rule(
    code="M501",
    name="refused-attachment-type",
    severity="error",
    summary="An attachment whose extension the provider refuses (SES: .exe, .js, ...)",
    visits=message(requires=[Fact.FILE_NAME]),
)
def refused_attachment_type(message: Message, context: Context) -> list[Problem] | None:
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
    profile = context.profile
    refused = profile.refused_extensions
    if not refused:
        return None
    problems: list[Problem] = []
    for name in message.file_names_within:
        ext = name.extension
        if ext not in refused:
            continue
        if ext in profile.provider_refused_extensions:
            why = f"which {profile.provider_label} refuses (the whole message is rejected)"
        else:
            # Added by refused-extensions / extra-refused-extensions: the provider takes it.
            why = "which the configuration refuses (refused-extensions, extra-refused-extensions)"
        problems.append(
            Problem(
                name.start,
                name.end,
                f"{name.label} has the extension .{ext}, {why}; send a link or an archive instead",
                name.part,
            )
        )
    return problems
