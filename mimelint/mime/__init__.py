"""The engine's MIME knowledge, public and typed, for built-in rules and plugins.

Each module holds one kind of knowledge, written once: :mod:`.parse` (bytes
to a lossless tree, never raising) and :mod:`.tree` (``Message``, ``Part``,
``Header`` and their lazy facts), :mod:`.position` (offsets to lines and
columns), :mod:`.params` (Content-Type and Content-Disposition parameters,
RFC 2045 and RFC 2231), :mod:`.lines` (line ends and long lines of header
fields), :mod:`.scan` (body scans: line lengths and line endings, 8-bit,
NUL, bare CR, base64 and quoted-printable, content sniffing),
:mod:`.transfer_encodings` (the transfer-encoding names and the base64
alphabet),
:mod:`.encoded_words` (RFC 2047 encoded-words: finding, examining,
decoding), :mod:`.fields` (how RFC 2047 reads a field; re-encoding one),
:mod:`.address_fields` (the one table of address fields and their roles),
:mod:`.address_tokens` (the one tokenizer of address lists),
:mod:`.addresses` (RFC 5322 address lists: the mailbox readers, the
address-field facts) and :mod:`.address_units` (a list cut into the places
RFC 2047 tells apart), :mod:`.charsets` (the one charset
table), :mod:`.domains` (IDNA 2008), :mod:`.filenames` (attachment file
names), :mod:`.quoting` (text quoted in a finding), :mod:`.boundaries` (the
boundary grammar, delimiter lines, how multiparts relate), :mod:`.dates`
(RFC 5322 date-time), :mod:`.message_ids` (msg-id), :mod:`.sections` (where
header sections lie) and :mod:`.writers` (the exact encoders fixes write
with). Rules and plugins call these, or read them through the tree's lazy
facts (:class:`mimelint.mime.tree.Part`); they do not parse MIME
themselves.
"""
