"""The engine's MIME knowledge, public and typed, for built-in rules and plugins.

Each module holds one kind of knowledge, written once: :mod:`.lines` (line
ends and long lines), :mod:`.encoded_words` (RFC 2047 encoded-words:
finding, decoding, re-encoding a field). Rules and plugins call these; they
do not parse MIME themselves.
"""
