"""Hypothesis strategies: arbitrary bytes, and MIME trees that look like mail.

Generated messages mix what real mailers write with what broken ones do:
CRLF or LF, folded headers, non-ASCII text raw or encoded, nested
multiparts, embedded messages, truncation and stray bytes.
"""

from __future__ import annotations

import base64
import quopri

from hypothesis import strategies as st

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x1F64F), max_size=40
)
BOUNDARY = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'()+_,-./:=?",
    min_size=1,
    max_size=30,
)
HEADER_NAMES = st.sampled_from(
    ["Subject", "X-Note", "Comments", "Content-Description", "Keywords", "From", "To", "Cc"]
)


@st.composite
def header_line(draw: st.DrawFn) -> bytes:
    name = draw(HEADER_NAMES)
    value = draw(TEXT).replace("\r", " ").replace("\n", " ")
    raw = f"{name}: {value}".encode("utf-8", "surrogateescape")
    if draw(st.booleans()) and b" " in raw[len(name) + 2 :]:
        at = raw.index(b" ", len(name) + 2)
        raw = raw[:at] + b"\r\n" + raw[at:]  # fold
    return raw


@st.composite
def leaf(draw: st.DrawFn) -> list[bytes]:
    text = draw(TEXT)
    kind = draw(st.sampled_from(["7bit", "8bit", "qp", "b64", "none"]))
    charset = draw(st.sampled_from(["utf-8", "iso-8859-1", "us-ascii", "bogus-cs"]))
    data = text.encode("utf-8")
    lines = [f"Content-Type: text/plain; charset={charset}".encode()]
    if kind == "qp":
        lines.append(b"Content-Transfer-Encoding: quoted-printable")
        body = quopri.encodestring(data)
    elif kind == "b64":
        lines.append(b"Content-Transfer-Encoding: base64")
        body = base64.encodebytes(data)
    elif kind == "none":
        body = data
    else:
        lines.append(f"Content-Transfer-Encoding: {kind}".encode())
        body = data
    if draw(st.booleans()):
        name = draw(TEXT).replace('"', "").replace("\r", "").replace("\n", "")
        lines.append(f'Content-Disposition: attachment; filename="{name}.exe"'.encode())
    return [*lines, b"", body]


def entity(depth: int) -> st.SearchStrategy[list[bytes]]:
    if depth <= 0:
        return leaf()
    return st.one_of(leaf(), multipart(depth))


@st.composite
def multipart(draw: st.DrawFn, depth: int) -> list[bytes]:
    boundary = draw(BOUNDARY)
    subtype = draw(st.sampled_from(["mixed", "alternative", "related", "digest"]))
    children = draw(st.lists(entity(depth - 1), min_size=0, max_size=3))
    lines = [f'Content-Type: multipart/{subtype}; boundary="{boundary}"'.encode(), b""]
    if draw(st.booleans()):
        lines.append(b"This is a multi-part message in MIME format.")
    for child in children:
        lines.append(f"--{boundary}".encode())
        lines.extend(child)
    if draw(st.booleans()):  # sometimes the close delimiter is missing
        lines.append(f"--{boundary}--".encode())
    return lines


@st.composite
def messages(draw: st.DrawFn) -> bytes:
    """A MIME message, sometimes damaged the ways real mail is."""
    headers = draw(st.lists(header_line(), max_size=5))
    root = draw(entity(3))
    eol = draw(st.sampled_from([b"\r\n", b"\n"]))
    raw = eol.join([b"MIME-Version: 1.0", *headers, *root])
    damage = draw(st.sampled_from(["none", "none", "truncate", "insert", "bare-cr"]))
    if damage == "truncate" and raw:
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif damage == "insert":
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(max_size=8)) + raw[at:]
    elif damage == "bare-cr":
        raw = raw.replace(b"\n", b"\r", 1)
    return raw
