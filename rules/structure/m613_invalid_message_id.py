"""M613 invalid-message-id: a Message-ID that is not <id-left@id-right>."""

from __future__ import annotations

from mimelint.mime.tree import FIELD, Message, uncomment
from mimelint.rule import Context, Problem, rule


@rule(
    code="M613",
    name="invalid-message-id",
    severity="error",
    summary="A Message-ID that is not <id-left@id-right>",
)
def invalid_message_id(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a top-level Message-ID whose value is not one ``<id-left@id-right>``:
    no angle brackets, no ``@``, several identifiers, or characters an
    identifier cannot hold (a colon, a space). Comments around it are
    allowed; the obsolete forms are accepted (RFC 5322 §4.5.4): a
    quoted-string left part, and white space or comments inside the
    brackets (``< abc@example.com >``). Not reported
    under the SES profiles: Amazon SES replaces the Message-ID of every
    message it sends with its own (``--profile rfc`` reports it).

    ## Why is this bad?
    RFC 5322 §3.6.4 defines ``msg-id = "<" id-left "@" id-right ">"``.
    Gmail refuses such mail with "550-5.7.1 Messages missing a valid
    Message-ID header are not accepted" (or replaces the field), and
    replies cannot thread on an identifier that clients read differently.

    ## Example
    ```
    Message-ID: 20260302100000.42@example.com
    ```

    ## Use instead
    ```
    Message-ID: <20260302100000.42@example.com>
    ```

    ## Fix safety
    Not fixable: a fix would change the identifier that replies and
    References already point at; have the sending code write a correct one
    (Python: ``email.utils.make_msgid``).

    ## References
    RFC 5322 §3.6.4, §4.5.4; SES developer guide, "Amazon SES header
    fields" (SES overwrites Message-ID).
    """
    if context.profile.overwrites_date_and_message_id:
        return None
    # Imported here: its pattern takes 0.5 ms to compile, which SES profiles never need.
    from mimelint.mime.message_ids import is_msg_id

    problems: list[Problem] = []
    for h in message.headers_named("message-id"):
        if h.kind != FIELD:
            continue
        text = uncomment(h.unfolded.decode("latin-1"))
        if text is not None and is_msg_id(text):
            continue
        start, end = h.value_span
        problems.append(
            Problem(
                start,
                end,
                "the Message-ID is not one '<id-left@id-right>' (RFC 5322 §3.6.4); Gmail "
                "refuses mail without a valid one: write it like '<unique-id@your-domain>'",
                "",
            )
        )
    return problems
