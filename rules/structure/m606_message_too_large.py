"""M606 message-too-large: a message larger than the provider accepts."""

from __future__ import annotations

from mimelint.mime.tree import Message
from mimelint.rule import Context, Problem, rule


@rule(
    code="M606",
    name="message-too-large",
    severity="error",
    summary="A message larger than the provider accepts",
)
def message_too_large(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a message whose size in bytes, as given, exceeds the profile's
    ``max_message_size``: 10,485,760 bytes for ``ses`` (SendRawEmail, API
    v1), 40 MiB for ``ses-v2`` (API v2 and SMTP), no limit for ``rfc``. The
    finding points at the first byte past the limit.

    ## Why is this bad?
    SES refuses the whole message (``Message length is more than 10485760
    bytes long``). The limit applies after encoding: base64 makes an
    attachment about 37% larger than the file, so a 7.7 MB file already
    fills 10 MB.

    ## Example
    A message with a 9 MB PDF attached in base64 (about 12.3 MB).

    ## Use instead
    Link to the file, compress it, or send through SES API v2 or SMTP,
    whose limit is 40 MB.

    ## Fix safety
    Not fixable.

    ## References
    SES developer guide, "Service quotas in Amazon SES"; SendRawEmail API
    reference.
    """
    limit = context.profile.max_message_size
    size = len(message.data)
    if limit is None or size <= limit:
        return None
    profile = context.profile
    if limit == profile.provider_max_message_size:
        who = f"{profile.provider_label} accepts at most {limit:,} (profile {profile.name})"
    else:
        who = f"the configured max-message-size allows at most {limit:,}"
    return [
        Problem(
            limit,
            size,
            f"the message is {size:,} bytes; {who}, counted after encoding; the excess "
            "starts here: link to large files instead of attaching them",
            "",
        )
    ]
