"""M401 unparseable-address: an address field that cannot be read as an address list."""

from __future__ import annotations

import functools
import re

from mimelint.mime.encoded_words import mailbox_in_encoded_word
from mimelint.mime.tree import Message
from mimelint.rule import Context, Fact, Problem, message, rule


# Compiled on first use: only an address error under another profile needs it.
@functools.cache
def _ses_note() -> re.Pattern[str]:
    """The " (SES: <its error text>)" notes of address errors."""
    return re.compile(r" \(SES: [^)]*\)")


@rule(
    code="M401",
    name="unparseable-address",
    severity="error",
    summary="An address field that cannot be read as an RFC 5322 address list",
    visits=message(requires=[Fact.ADDRESS_NOT_SIMPLE]),
)
def unparseable_address(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Reads From, Sender, Reply-To, To, Cc and Bcc of the top-level message as
    RFC 5322 address lists and flags each mailbox that cannot be read: no
    ``@domain``, white space inside the local part, an unquoted special
    character in a display name, ``;`` used as a separator, an unclosed
    quote, bracket, comment or group, doubled angle brackets
    (``<<ann@example.com>>``), a Q encoded-word holding ``:``, ``)`` or
    another special that RFC 2047 §5 keeps out of address fields
    (``=?utf-8?Q?Chip=20:)?=``, named as such rather than as the stray
    character it leaves). The message says what to write instead; the
    Outlook "Last, First" name left unquoted (``Smith, Anna
    <anna@example.com>``) is recognised and the quoted form suggested. Where
    SES has its own error text (``Missing final '@domain'``, ``Local address
    contains control or whitespace``, ``Domain contains illegal
    character``) it is quoted, so that people recognise it.

    One field gets one finding: it points at the first mailbox that cannot
    be read and says how many more there are. A field that is nothing but
    encoded-words hiding one whole mailbox (what Python's ``compat32``
    policy writes for a non-ASCII name) is not reported here: that is one
    mistake with its own rule (M330), not an address without a domain.

    ## Why is this bad?
    SES refuses a message whose address fields it cannot parse; other
    relays and clients guess, and may send to the wrong address or drop a
    recipient. A display name with a comma or ``@`` must be quoted
    (RFC 5322 §3.2.5 phrase, §3.4); an unquoted ``Smith, Anna`` is read as
    two addresses, ``Smith`` without a domain. RFC 7103 (§7.1.2 excessive
    angle brackets, §7.1.4 unbalanced parentheses) lists the repairs
    readers try; each reader may repair differently.

    ## Example
    ```
    From: Smith, Anna <anna@example.com>
    To: Bob <<bob@example.org>>; carol@example.net (Carol
    ```

    ## Use instead
    ```
    From: "Smith, Anna" <anna@example.com>
    To: Bob <bob@example.org>, carol@example.net (Carol)
    ```

    ## Fix safety
    Not fixable: what the author meant is a guess.

    ## References
    RFC 5322 §3.2.2 (comments), §3.2.5, §3.4, §3.4.1, §3.6.2, §3.6.3;
    RFC 7103 §7.1.2, §7.1.4. Obsolete forms that readers must accept
    (RFC 5322 §4.4) are read, not reported here: see M408 and M409.
    """
    read = message.address_fields
    problems: list[Problem] = []
    for field in read.fields:
        if field.simple:
            continue  # read whole by the simple-list regex: nothing in error
        header = field.header
        errors = [a for a in field.addresses if a.error is not None]
        if not errors or mailbox_in_encoded_word(header) is not None:
            continue  # nothing in error, or a whole mailbox in encoded-words (M330's)
        first = errors[0]
        error = first.error or ""
        if not context.profile.quotes_provider_errors:
            error = _ses_note().sub("", error)  # SES's own error text means nothing here
        more = len(errors) - 1
        if more:
            what = "mailbox" if more == 1 else "mailboxes"
            error += f" ({more} more {what} in this field cannot be read either)"
        problems.append(Problem(first.error_start, first.error_end, f"{header.name}: {error}"))
    return problems
