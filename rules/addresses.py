"""Addresses in the header: syntax, internationalised parts, lengths, count.

The address fields (From, To, Cc, Bcc, Reply-To, Sender) are read with
:func:`parse_address_list` (see :mod:`mimelint.rules.address_syntax`, which
keeps the byte span of every address, local part and domain).

Only the top-level header section is read. An embedded ``message/rfc822``
is content that the recipient opens; neither SES nor an SMTP relay reads
its addresses, so its missing From or odd address is not a sending problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mimelint.rule import Context, Edit, Fix, Problem, Safety, rule
from mimelint.tree import Header, Message, uncomment

from .address_syntax import (
    AddressSpan,
    DomainCheck,
    EmptyElement,
    Token,
    all_plain,
    check_domain,
    is_simple,
    parse_address_list,
    parse_addresses,
    parse_full,
    tokenize,
)

__all__ = [
    "ADDRESS_FIELDS",
    "RECIPIENT_FIELDS",
    "RULES",
    "AddressSpan",
    "DomainCheck",
    "Token",
    "check_domain",
    "parse_address_list",
    "parse_addresses",
    "tokenize",
]

#: The fields whose values are address lists (RFC 5322 §3.6.2, §3.6.3).
ADDRESS_FIELDS = ("from", "sender", "reply-to", "to", "cc", "bcc")
_ADDRESS_SET = frozenset(ADDRESS_FIELDS)
#: The fields whose addresses receive the message.
RECIPIENT_FIELDS = ("to", "cc", "bcc")

#: RFC 5321 §4.5.3.1.1-3: local part 64 octets, domain 255, and a path of
#: 256 octets including the angle brackets, so 254 for the address itself.
MAX_LOCAL = 64
MAX_DOMAIN = 255
MAX_ADDRESS = 254


# ------------------------------------------------------------------ rules
#: A run of 65 bytes that cannot end an addr-spec in a simple list: without
#: one, no local part or address there is over 64 octets.
_LONG_RUN = re.compile(rb'[^ \t\r\n<>,"]{65}')
#: The " (SES: <its error text>)" notes of address errors, for other profiles.
_SES_NOTE = re.compile(r" \(SES: [^)]*\)")


def _empty_hint(raw: bytes) -> bool:
    """Whether a simple list (no comments) may have an empty element.

    That is a ',' first, two with only white space between, or one last:
    with the white space deleted (one C call), a ',' first or last, or
    ",,". A quoted display name can hold the same text, so a hint only
    sends the list to the full reader.
    """
    if b"," not in raw:
        return False
    bare = raw.translate(None, b" \t\r\n")
    return bare.startswith(b",") or bare.endswith(b",") or b",," in bare


def _any_empty_hint(joined: bytes) -> bool:
    """Whether :func:`_empty_hint` holds for a list of simple lists joined by
    backslashes (which they do not hold): the same test, a backslash
    standing for the start and end of a list."""
    if b"," not in joined:
        return False
    bare = joined.translate(None, b" \t\r\n")
    return (
        bare.startswith(b",")
        or bare.endswith(b",")
        or b",," in bare
        or b"\\," in bare
        or b",\\" in bare
    )


class _Field:
    """An address field read once: the header, cheap facts, and its mailboxes.

    Clean, everyday lists (:func:`is_simple`) are only tested with a regex
    (usually one for all the message's address fields, see :class:`_Read`);
    the mailboxes are built when a rule needs them (non-ASCII text, an
    error to report, a long address, many recipients).
    """

    __slots__ = ("_addresses", "_empties", "ascii", "header", "idna", "raw", "simple")

    def __init__(self, header: Header, raw: bytes, simple: bool) -> None:
        self.header = header
        self.raw = raw  #: the value as written (``header.raw_value``)
        self.ascii = raw.isascii()  #: so is every local part and domain
        #: may hold an IDNA label (an A-label holds "--": found without a copy)
        self.idna = not self.ascii or (b"--" in raw and b"xn--" in raw.lower())
        #: only the common shapes (:func:`is_simple`): no mailbox in error,
        #: one '@' per mailbox
        self.simple = simple
        self._addresses: list[AddressSpan] | None = None
        self._empties: list[EmptyElement] | None = None

    @property
    def addresses(self) -> list[AddressSpan]:
        """The mailboxes (and errors) of the field, read on first use."""
        if self._addresses is None:
            if self.simple:
                self._addresses = parse_addresses(self.raw, self.header.value_start)
            else:  # the full reader gives the empty elements in the same pass
                self._empties = []
                self._addresses = parse_full(self.raw, self.header.value_start, self._empties)
        return self._addresses

    @property
    def empties(self) -> list[EmptyElement]:
        """The runs of superfluous commas (empty list elements) of the field."""
        empties = self._empties
        if empties is None:
            empties = []
            if not self.simple:
                self._addresses = parse_full(self.raw, self.header.value_start, empties)
            elif _empty_hint(self.raw):
                parse_full(self.raw, self.header.value_start, empties)
            self._empties = empties
        return empties

    def count(self) -> int:
        """Number of list elements read (errors included), as len(addresses)."""
        if self._addresses is None and self.simple and b'"' not in self.raw:
            return self.raw.count(b"@")
        return len(self.addresses)

    def short(self) -> bool:
        """Whether no address can break a length limit (ASCII simple list)."""
        return (
            self.ascii
            and self.simple
            and (len(self.raw) < 65 or _LONG_RUN.search(self.raw) is None)
        )


#: Tests turn this off to prove the shortcuts change no finding.
FAST_PATHS = True


class _Read:
    """The address fields of one message, and what holds for all of them.

    The rules of this module ask in turn about the same message. Most
    messages have only simple, ASCII lists without empty elements; that is
    settled for all the fields at once, with one regex and a few C calls on
    their values joined by backslashes, and most rules stop there. The
    per-field objects (:class:`_Field`) are built at once when some field
    is not plain, else only when a rule must look closer.
    """

    __slots__ = (
        "_fields",
        "ascii",
        "froms",
        "headers",
        "idna",
        "joined",
        "plain",
        "raws",
        "recipients",
        "simple",
    )

    def __init__(self, message: Message) -> None:
        data = message.data
        headers: list[Header] = []
        raws: list[bytes] = []
        froms: list[int] = []
        recipients: list[int] = []
        for header in message.headers:
            lname = header.lname
            if lname in _ADDRESS_SET and header.colon >= 0:
                if lname == "from":
                    froms.append(len(raws))
                elif lname in RECIPIENT_FIELDS:
                    recipients.append(len(raws))
                headers.append(header)
                raws.append(data[header.value_start : header.value_end])
        #: From, Sender, Reply-To, To, Cc and Bcc, in header order
        self.headers = headers
        self.raws = raws  #: their values as written
        self.froms = froms  #: indices of the From fields
        self.recipients = recipients  #: indices of To, Cc and Bcc
        #: the values joined by backslashes (see :func:`all_plain`)
        self.joined = joined = b"\\".join(raws)
        #: every field is ASCII: no non-ASCII local part or domain
        self.ascii = joined.isascii()
        #: some field may hold an IDNA label ("xn--" holds no backslash)
        self.idna = not self.ascii or (b"--" in joined and b"xn--" in joined.lower())
        #: every field is a simple list without empty elements: one regex
        #: test, which in the usual case settles ``simple`` too
        self.plain = FAST_PATHS and all_plain(joined, len(raws))
        self._fields: list[_Field] | None = None
        if self.plain:
            #: every field is a simple list: no mailbox in error, no route
            self.simple = True
        else:  # each field is tested on its own, as the rules will look closer
            fields = self._fields = [
                _Field(header, raw, FAST_PATHS and is_simple(raw))
                for header, raw in zip(headers, raws, strict=True)
            ]
            self.simple = all(field.simple for field in fields)

    @property
    def fields(self) -> list[_Field]:
        """Each address field, read on first use."""
        if self._fields is None:  # only when every field is plain
            self._fields = [
                _Field(header, raw, True)
                for header, raw in zip(self.headers, self.raws, strict=True)
            ]
        return self._fields


#: Where a message keeps its address fields. On the message, not in a module
#: global: a global would hold the last message's headers (and through them
#: its buffer) after lint returns. _Read holds no reference to the message,
#: so this makes no reference cycle.
_READ_KEY = "_mimelint_address_fields"


def _fields(message: Message) -> _Read:
    """The message's address fields, read on the first call for the message."""
    return message.memo(_READ_KEY, _Read)


def _mailboxes(message: Message, names: tuple[str, ...]) -> Iterator[tuple[Header, AddressSpan]]:
    for field in _fields(message).fields:
        if field.header.lname in names:
            header = field.header
            for address in field.addresses:
                yield header, address


@rule(
    code="M401",
    name="unparseable-address",
    severity="error",
    summary="An address field that cannot be read as an RFC 5322 address list",
)
def unparseable_address(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Reads From, Sender, Reply-To, To, Cc and Bcc of the top-level message as
    RFC 5322 address lists and flags each mailbox that cannot be read: no
    ``@domain``, white space inside the local part, an unquoted special
    character in a display name, ``;`` used as a separator, an unclosed
    quote, bracket, comment or group, doubled angle brackets
    (``<<ann@example.com>>``). The message says what to write instead; the
    Outlook "Last, First" name left unquoted (``Smith, Anna
    <anna@example.com>``) is recognised and the quoted form suggested. Where
    SES has its own error text (``Missing final '@domain'``, ``Local address
    contains control or whitespace``, ``Domain contains illegal
    character``) it is quoted, so that people recognise it.

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
    read = _fields(message)
    if read.simple:
        return  # every field read whole by the simple-list regex: nothing in error
    for field in read.fields:
        if field.simple:
            continue  # read whole by the simple-list regex: nothing in error
        header = field.header
        for address in field.addresses:
            if address.error is None:
                continue
            error = address.error
            if context.profile.provider != "ses":
                error = _SES_NOTE.sub("", error)  # SES's own error text means nothing here
            yield Problem(address.error_start, address.error_end, f"{header.name}: {error}")


@rule(
    code="M402",
    name="non-ascii-local-part",
    severity="error",
    summary="An address whose local part is not ASCII (needs SMTPUTF8)",
)
def non_ascii_local_part(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags an address in From, Sender, Reply-To, To, Cc or Bcc whose local
    part (before the ``@``) holds non-ASCII characters.

    ## Why is this bad?
    A UTF-8 local part is legal only with SMTPUTF8 (RFC 6531, RFC 6532) on
    every hop. Amazon SES does not offer SMTPUTF8 and refuses such
    addresses; RFC 2047 encoded-words are not allowed in an addr-spec
    (RFC 2047 §5), so there is no ASCII spelling of the same mailbox.

    ## Example
    ```
    To: 张伟@example.com
    ```

    ## Use instead
    ```
    To: =?utf-8?b?5byg5Lyf?= <zhang.wei@example.com>
    ```
    (an ASCII address of the same person, the name in the display name)

    ## Fix safety
    Not fixable: only the recipient's mail provider knows an ASCII alias.

    ## References
    RFC 6531 §3.3; RFC 6532 §3.2; RFC 2047 §5; SES developer guide,
    "Sending raw email using the Amazon SES API" (email addresses).
    """
    read = _fields(message)
    if read.ascii:
        return  # an ASCII field has ASCII local parts
    for field in read.fields:
        if field.ascii:
            continue
        header = field.header
        for address in field.addresses:
            if (
                address.error is None
                and not message.data[address.local_start : address.local_end].isascii()
            ):
                yield Problem(
                    address.local_start,
                    address.local_end,
                    f"{header.name}: the local part {address.local_part!r} of "
                    f"{address.addr_spec!r} is not ASCII; SES and relays without SMTPUTF8 "
                    "refuse it. Use an ASCII address (not fixable automatically)",
                )


@rule(
    code="M403",
    name="non-ascii-domain",
    severity="error",
    summary="A domain written in Unicode instead of its IDNA A-label form",
    fix="safe",
)
def non_ascii_domain(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags an address whose domain holds non-ASCII characters (U-labels, as
    in ``bücher.example``) and offers its IDNA A-label form
    (``xn--bcher-kva.example``), computed with the ``idna`` package
    (IDNA 2008 with UTS #46 mapping, non-transitional).

    ## Why is this bad?
    Without SMTPUTF8 (RFC 6531) a domain in a header must be ASCII; IDNA
    (RFC 5890, RFC 5891) gives every internationalised domain an ASCII
    form. SES asks for Punycoded domains.

    ## Example
    ```
    To: Jörg <joerg@bücher.example>
    ```

    ## Use instead
    ```
    To: =?utf-8?q?J=C3=B6rg?= <joerg@xn--bcher-kva.example>
    ```
    (the display name is the header-encoding rules' concern)

    ## Fix safety
    Safe: the A-label names the same domain; only the domain's bytes are
    replaced. No fix is offered when comments or white space sit inside the
    domain.

    ## References
    RFC 5890 §2.3.2.1; RFC 5891 §4, §5; UTS #46; RFC 6531.
    """
    read = _fields(message)
    if read.ascii:
        return  # an ASCII field has ASCII domains
    data = message.data
    for field in read.fields:
        if field.ascii:
            continue
        header = field.header
        for address in field.addresses:
            raw = data[address.domain_start : address.domain_end]
            if address.error is not None or raw.isascii():
                continue
            result = check_domain(address.domain.encode("utf-8", "surrogateescape"))
            if result.ascii_form is None:
                continue  # invalid: M404 reports it
            fix = None
            if raw.decode("utf-8", "surrogateescape") == address.domain:  # no comment inside
                fix = Fix(
                    (
                        Edit(
                            address.domain_start,
                            address.domain_end,
                            result.ascii_form.encode("ascii"),
                        ),
                    ),
                    Safety.SAFE,
                    f"write the domain as {result.ascii_form}",
                )
            yield Problem(
                address.domain_start,
                address.domain_end,
                f"{header.name}: the domain {address.domain!r} is not ASCII; write its IDNA A-label "
                f"form {result.ascii_form!r}",
                "",
                fix,
            )


@rule(
    code="M404",
    name="invalid-idna-domain",
    severity="error",
    summary="A domain label that is not valid IDNA 2008",
)
def invalid_idna_domain(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a domain label that IDNA 2008 rejects: a U-label with a character
    IDNA does not allow (symbols such as ``☃``, a misplaced joiner), or an
    ASCII label that starts with ``xn--`` but does not decode to a valid
    U-label.

    ## Why is this bad?
    Such a domain has no valid ASCII form, so it cannot be resolved or sent
    to; receivers and SES refuse it or bounce the message.

    ## Example
    ```
    To: ann@xn--zz.example
    ```

    ## Use instead
    ```
    To: ann@xn--bcher-kva.example
    ```

    ## Fix safety
    Not fixable: the intended domain is unknown.

    ## References
    RFC 5891 §4.2, §5.4 (label validation); RFC 5892 (code points);
    RFC 3492 (Punycode).
    """
    read = _fields(message)
    if not read.idna:
        return  # no U-label and no "xn--" anywhere: nothing for IDNA to refuse
    data = message.data
    for field in read.fields:
        if not field.idna:
            continue
        header = field.header
        for address in field.addresses:
            if address.error is not None:
                continue
            raw = data[address.domain_start : address.domain_end]
            if raw.isascii() and b"xn--" not in raw.lower():
                continue
            result = check_domain(address.domain.encode("utf-8", "surrogateescape"))
            if result.error is not None:
                start, end = address.domain_start, address.domain_end
                if (
                    raw.decode("utf-8", "surrogateescape") == address.domain
                ):  # else: the whole domain
                    start, end = start + result.error_start, start + result.error_end
                yield Problem(
                    start,
                    end,
                    f"{header.name}: in the domain {address.domain!r}, {result.error}; correct the domain",
                )


def _octets(address: AddressSpan) -> tuple[int, int]:
    """Octet lengths of the local part and domain as SMTP would send them."""
    local = len(address.local_part.encode("utf-8", "surrogateescape"))
    raw = address.domain.encode("utf-8", "surrogateescape")
    form = check_domain(raw).ascii_form if not raw.isascii() else None
    return local, len(form) if form is not None else len(raw)


@rule(
    code="M405",
    name="address-too-long",
    severity="error",
    summary="Local part over 64 octets, domain over 255, or address over 254",
)
def address_too_long(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags an address whose local part is longer than 64 octets, whose
    domain (in its A-label form) is longer than 255 octets, or which as a
    whole is longer than 254 octets.

    ## Why is this bad?
    RFC 5321 §4.5.3.1 sets these as the sizes every SMTP server must
    accept; longer ones may be refused (the path limit of 256 octets
    includes the two angle brackets, leaving 254 for the address).

    ## Example
    ```
    To: a-local-part-of-sixty-five-characters-xxxxxxxxxxxxxxxxxxxxxxxxx@example.com
    ```

    ## Use instead
    ```
    To: a-shorter-local-part@example.com
    ```

    ## Fix safety
    Not fixable.

    ## References
    RFC 5321 §4.5.3.1.1, §4.5.3.1.2, §4.5.3.1.3.
    """
    read = _fields(message)
    if read.ascii and read.simple:  # then a field is short unless it has a long run
        for raw in read.raws:
            if len(raw) >= 65 and _LONG_RUN.search(raw) is not None:
                break
        else:
            return  # every field is short (see _Field.short)
    for field in read.fields:
        if field.short():
            continue
        header = field.header
        ascii_value = field.ascii
        for address in field.addresses:
            if address.error is not None:
                continue
            if ascii_value and address.domain_end - address.local_start <= MAX_LOCAL:
                # ASCII: the local part, '@' and domain (its own A-label) are at
                # most the bytes as written, which are within every limit
                continue
            local, domain = _octets(address)
            if local > MAX_LOCAL:
                yield Problem(
                    address.local_start,
                    address.local_end,
                    f"{header.name}: the local part of {address.addr_spec!r} is {local} octets; "
                    f"the limit is {MAX_LOCAL} (RFC 5321 §4.5.3.1.1)",
                )
            elif domain > MAX_DOMAIN:
                yield Problem(
                    address.domain_start,
                    address.domain_end,
                    f"{header.name}: the domain of this address is {domain} octets; "
                    f"the limit is {MAX_DOMAIN} (RFC 5321 §4.5.3.1.2)",
                )
            elif local + 1 + domain > MAX_ADDRESS:
                yield Problem(
                    address.local_start,
                    address.domain_end,
                    f"{header.name}: the address is {local + 1 + domain} octets; the limit is "
                    f"{MAX_ADDRESS} (RFC 5321 §4.5.3.1.3: 256 with the angle brackets)",
                )


@rule(
    code="M406",
    name="missing-from",
    severity="error",
    summary="The message has no From field, or an empty one",
)
def missing_from(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags a top-level message without a From field, or whose From holds no
    address. Embedded ``message/rfc822`` parts are not checked: they are
    content the recipient opens (drafts and forwarded fragments often lack
    From), not messages being sent.

    A From that holds no mailbox at all counts as empty: only a comment
    (``From: (nobody)``), an empty group (``From: undisclosed:;``) or
    commas. A mailbox the reader cannot parse is M401's.

    ## Why is this bad?
    RFC 5322 §3.6 requires exactly one From field, and §3.6.2 the author's
    mailbox in it. SES refuses a message without one, and receivers treat it
    as spam or reject it (DMARC aligns on the From domain). RFC 6854 lets
    From hold group syntax in limited cases, but an empty group still names
    no one to reply to or to authenticate.

    ## Example
    ```
    To: bob@example.com
    Subject: Hello
    ```

    ## Use instead
    ```
    From: Ann <ann@example.com>
    To: bob@example.com
    Subject: Hello
    ```

    ## Fix safety
    Not fixable: the sender is unknown.

    ## References
    RFC 5322 §3.6, §3.6.2; SES API reference, RawMessage (required headers).
    """
    read = _fields(message)
    if not read.froms:
        yield Problem(
            message.header_end,
            message.header_end,
            "the message has no From field; add one, for example From: Name <sender@example.com>",
        )
        return
    for index in read.froms:
        if FAST_PATHS and read.plain and read.raws[index].strip(b" \t\r\n"):
            continue  # a plain list (mailboxes and commas only) with a byte in it
        field = read.fields[index]
        header = field.header
        if not field.count() and not header.unfolded:
            yield Problem(
                header.start,
                header.colon + 1,
                "From is empty; give the sender's address, for example From: Name <sender@example.com>",
            )
        elif not field.addresses:  # not even a mailbox in error (M401's)
            value = header.value
            bare = uncomment(value)  # a ':' inside a comment opens no group
            if bare is not None and ":" in bare:
                what = "an empty group"
            elif "(" in value:
                what = "a comment"
            else:
                what = "separators"
            raw = read.raws[index]
            yield Problem(
                header.value_start + len(raw) - len(raw.lstrip(b" \t\r\n")),
                header.value_end,
                f"From holds no address, only {what}; give the sender's address, for "
                "example From: Name <sender@example.com>",
            )


@rule(
    code="M407",
    name="too-many-recipients",
    severity="error",
    summary="More recipients in To, Cc and Bcc than the provider accepts per message",
)
def too_many_recipients(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Counts the addresses in To, Cc and Bcc together and flags the first one
    beyond the profile's limit (50 under the ``ses`` profiles; no limit
    under ``rfc``). Empty groups such as ``undisclosed-recipients:;`` count
    nothing.

    ## Why is this bad?
    SES refuses a message with more than 50 recipients, To, Cc and Bcc
    together (SES API reference, SendRawEmail).

    ## Example
    ```
    To: a1@example.com, a2@example.com, ..., a51@example.com
    ```

    ## Use instead
    Send several messages of at most 50 recipients each, or one per
    recipient.

    ## Fix safety
    Not fixable.

    ## References
    SES API reference, SendRawEmail (Destinations); SES quotas page.
    """
    limit = context.profile.max_recipients
    if limit is None:
        return
    read = _fields(message)
    if read.simple and read.joined.count(b"@") <= limit:
        # a simple list has one '@' per mailbox (more if a display name
        # holds one), and these are every address field, not only To, Cc, Bcc
        return
    recipients = 0
    fields = read.fields
    for index in read.recipients:
        recipients += fields[index].count()
    if recipients <= limit:
        return
    for count, (header, address) in enumerate(_mailboxes(message, RECIPIENT_FIELDS), 1):
        if count == limit + 1:
            total = sum(1 for _ in _mailboxes(message, RECIPIENT_FIELDS))
            yield Problem(
                address.start,
                address.end,
                f"{total} recipients in To, Cc and Bcc; {context.profile.name} accepts at most "
                f"{limit} per message: this is recipient {limit + 1} (in {header.name}). "
                "Split the recipients over several messages",
            )
            return


def _route_fix(address: AddressSpan) -> Fix:
    return Fix(
        (Edit(address.route_start, address.route_end, b""),),
        Safety.SAFE,
        "remove the source route; the address stays the same",
    )


@rule(
    code="M408",
    name="route-address",
    severity="error",
    summary="An address with an obsolete source route (the @relay: before the address), refused by SES",
    fix="safe",
)
def route_address(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Under the ``ses`` profiles, flags an angle address that carries an
    obsolete source route, the ``@relay.example:`` in
    ``<@relay.example:bob@example.org>``. Under other profiles the same
    route is M409, a warning: see "Why" below.

    ## Why is this bad?
    SES refuses the message with ``Extra route-addr`` (the error text
    people report from SES client libraries). Source routes date from
    RFC 822; RFC 5322 §4.4 keeps them only as obsolete syntax that readers
    must accept and writers must not generate (RFC 5322 §4), and readers
    drop the route (Python's ``email`` reports "obsolete route
    specification in angle-addr" and reads ``bob@example.org``). The
    severity follows the profile by code: an error where the provider
    refuses the message (this rule), a warning where the syntax is only
    obsolete (M409, ``rfc``).

    ## Example
    ```
    To: Bob <@relay.example:bob@example.org>
    ```

    ## Use instead
    ```
    To: Bob <bob@example.org>
    ```

    ## Fix safety
    Safe: the fix deletes the route (from its ``@`` to its ``:``); the
    address that readers take, ``bob@example.org``, is unchanged.

    ## References
    RFC 5322 §4, §4.4 (obs-angle-addr, obs-route); RFC 7103 §7.1;
    SES error text ``Extra route-addr`` (see the project's SES facts).
    """
    if context.profile.provider != "ses":
        return
    read = _fields(message)
    if read.simple:
        return  # a simple list has no route
    for field in read.fields:
        if field.simple or b"<@" not in field.raw.replace(b" ", b""):
            continue  # a simple list has no route; a route starts with '<' then '@'
        header = field.header
        for address in field.addresses:
            if address.route_start < address.route_end:
                yield Problem(
                    address.route_start,
                    address.route_end,
                    f"{header.name}: the source route "
                    f"{message.data[address.route_start : address.route_end].decode('utf-8', 'replace')!r} "
                    f"in <...{address.addr_spec}> is obsolete syntax that SES refuses "
                    f"(Extra route-addr); write <{address.addr_spec}>",
                    "",
                    _route_fix(address),
                )


@rule(
    code="M409",
    name="obsolete-address-syntax",
    severity="warning",
    summary="Empty elements in an address list (a@x,, b@x), or a source route outside SES",
    fix="unsafe",
)
def obsolete_address_syntax(message: Message, context: Context) -> Iterator[Problem]:
    """## What it does
    Flags obsolete address-list syntax that readers accept but writers must
    not generate: empty list elements, that is a ``,`` with no address
    before or after it (``To: a@example.com,, b@example.com``, a leading
    or trailing comma), and, under profiles other than ``ses``, a source
    route (``<@relay.example:bob@example.org>``; under ``ses`` that is
    M408, an error). A group with no members
    (``undisclosed-recipients:;``) is valid and not flagged.

    ## Why is this bad?
    RFC 5322 §4.4 (obs-addr-list, obs-mbox-list, obs-angle-addr) keeps
    these forms for reading old mail; §4 says they must not be generated.
    Most readers skip an empty element (Python's ``email`` reports "empty
    element in address-list"), but they usually come from a template that
    joined an empty address, so check that no recipient was lost. A
    warning, not an error: every conforming reader still gets the same
    addresses.

    ## Example
    ```
    To: ann@example.com,, bob@example.org,
    ```

    ## Use instead
    ```
    To: ann@example.com, bob@example.org
    ```

    ## Fix safety
    Unsafe for the commas: the fix deletes the superfluous ones (white
    space and comments stay), so an RFC 5322 reader gets the same
    addresses, but Python's compat32 ``getaddresses`` and readers like it
    read an empty address for each empty element, and that entry goes;
    review that no recipient was meant to be there. Safe for a route
    (under ``rfc``): as in M408, the address read is unchanged.

    ## References
    RFC 5322 §4, §4.4; RFC 5322 §3.4 (address-list).
    """
    routes = context.profile.provider != "ses"
    read = _fields(message)
    if read.simple and (
        # without quoted strings, a ',' separates mailboxes: the hint is the
        # regex's finding
        (read.plain and b'"' not in read.joined) or not _any_empty_hint(read.joined)
    ):
        return  # no hint of an empty element, and a simple list has no route
    for field in read.fields:
        header = field.header
        for run in field.empties:
            count = len(run.commas)
            what = "an empty element" if count == 1 else f"{count} empty elements"
            yield Problem(
                run.start,
                run.end,
                f"{header.name}: {what} in the address list ({count} ',' too many) is obsolete "
                "syntax; remove the extra ',' and check that no address is missing",
                "",
                Fix(
                    tuple(Edit(at, at + 1, b"") for at in run.commas),
                    Safety.UNSAFE,  # compat32 readers lose an empty ('', '') entry
                    "remove the extra ','",
                ),
            )
        if not routes or field.simple or b":" not in field.raw:
            continue  # a simple list has no route, and a route ends with ':'
        for address in field.addresses:
            if address.route_start < address.route_end:
                yield Problem(
                    address.route_start,
                    address.route_end,
                    f"{header.name}: the source route before {address.addr_spec!r} is obsolete "
                    f"syntax (RFC 5322 §4.4) that must not be generated; write <{address.addr_spec}>",
                    "",
                    _route_fix(address),
                )


RULES = [
    unparseable_address,
    non_ascii_local_part,
    non_ascii_domain,
    invalid_idna_domain,
    address_too_long,
    missing_from,
    too_many_recipients,
    route_address,
    obsolete_address_syntax,
]
