"""Hostile messages, N doubling: lint time must grow linearly in every dimension.

    python bench/scaling.py                  # every dimension, N, 2N, 4N, 8N
    python bench/scaling.py --only words-in-address --steps 5
    python bench/scaling.py --rules          # also the slowest rules at the largest N

For each dimension a generator builds a message from N (header length,
encoded-words, addresses, parts, nesting...), and the lint time is taken at
N, 2N, 4N... (best of a few runs). A linear cost doubles with N: the
"growth" column is the time ratio of each step to the one before (2.0 is
linear; 4.0 is quadratic). The last column is the standard library's
``policy.default`` reading the same message (parse, every header value,
every leaf's content) in the same run, for scale. A benchmark, not a test:
the machine's noise is the reader's to judge; the tests pin behaviour.
"""

from __future__ import annotations

import argparse
import base64
import gc
import sys
import time
from collections.abc import Callable
from email import policy
from email.parser import BytesParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import mimelint
from mimelint.lint import run_rules
from mimelint.profile import PROFILES
from mimelint.registry import load_rules
from mimelint.rule import Context

HEAD = b"From: a@example.com\r\nTo: b@example.com\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\n"
WORD = "=?utf-8?b?" + base64.b64encode("Grüße aus Köln".encode()).decode() + "?="


def _message(headers: bytes, body: bytes = b"body\r\n") -> bytes:
    return HEAD + headers + b"MIME-Version: 1.0\r\n\r\n" + body


def subject_one_line(n: int) -> bytes:
    """A Subject of n words on one line (over 998 octets: M301)."""
    return _message(b"Subject: " + b"word " * n + b"\r\n")


def subject_folded(n: int) -> bytes:
    """A Subject of n words folded every ~900 octets: long lines just under the limit."""
    line = b"word " * 180
    return _message(b"Subject: " + b"\r\n ".join([line] * max(1, n // 180)) + b"\r\n")


def words_in_subject(n: int) -> bytes:
    """A Subject of n encoded-words."""
    return _message(("Subject: " + " ".join([WORD] * n)).encode() + b"\r\n")


def words_in_address(n: int) -> bytes:
    """``To:`` + n encoded-words + a quoted string + ``<x@example.com>`` (M325's old quadratic)."""
    value = " ".join([WORD] * n) + ' "quoted =?utf-8?q?x?=" <x@example.com>'
    return HEAD.replace(b"To: b@example.com\r\n", b"") + (
        b"To: " + value.encode() + b"\r\nMIME-Version: 1.0\r\n\r\nbody\r\n"
    )


def addresses(n: int) -> bytes:
    """A To of n mailboxes with non-ASCII display names and comments."""
    one = "Jörg Müller (Büro) <j{i}@example.com>"
    value = ", ".join(one.format(i=i) for i in range(n))
    return HEAD.replace(b"To: b@example.com\r\n", b"") + (
        b"To: " + value.encode() + b"\r\nMIME-Version: 1.0\r\n\r\nbody\r\n"
    )


def _to(item: str, n: int) -> bytes:
    value = ",\r\n ".join(item.format(i=i) for i in range(n))
    return HEAD.replace(b"To: b@example.com\r\n", b"") + (
        b"To: " + value.encode() + b"\r\nMIME-Version: 1.0\r\n\r\nbody\r\n"
    )


def plain_addresses(n: int) -> bytes:
    """A folded To of n bare addresses: the address facts' regex path."""
    return _to("u{i}@example.com", n)


def unreadable_addresses(n: int) -> bytes:
    """A To of n names without a domain: every mailbox in error (one M401 with a count)."""
    return _to("user{i}", n)


def obsolete_phrases(n: int) -> bytes:
    """A To of n display names with a period (M415 per field, its fix for each)."""
    return _to("J. {i} <u{i}@example.com>", n)


def periods_in_address(n: int) -> bytes:
    """A To of n encoded-words holding periods, with no separator in the whole
    field (MimeKit's stack-overflow.txt: M415's pre-filter was quadratic)."""
    value = "\r\n\t".join(["=?utf-8?Q?date=3E2017-08-20T10:08:28.617=3C/pr?="] * n)
    return HEAD.replace(b"To: b@example.com\r\n", b"") + (
        b"To: " + value.encode() + b"\r\nMIME-Version: 1.0\r\n\r\nbody\r\n"
    )


def idna_addresses(n: int) -> bytes:
    """A To of n addresses at a Unicode domain (M403's A-labels)."""
    return _to("u{i}@bücher.example", n)


def headers(n: int) -> bytes:
    """n header fields, some with white space before the colon or encoded-words."""
    lines = b"".join(
        (b"X-Note-%d : " % i if i % 7 == 0 else b"X-Note-%d: " % i) + WORD.encode() + b"\r\n"
        for i in range(n)
    )
    return _message(lines)


def parts(n: int) -> bytes:
    """A multipart/mixed of n parts, each with an encoded file name."""
    part = (
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b'Content-Disposition: attachment; filename="' + WORD.encode() + b'"\r\n\r\nhi\r\n'
    )
    return _message(
        b"Subject: parts\r\nContent-Type: multipart/mixed; boundary=b\r\n",
        part * n + b"--b--\r\n",
    ).replace(b"MIME-Version: 1.0\r\n\r\n", b"MIME-Version: 1.0\r\n\r\n", 1)


def nesting(n: int) -> bytes:
    """n nested multiparts (past the depth cap, the parser reports and stops)."""
    body = b"hi\r\n"
    for i in range(n, 0, -1):
        b = b"n%d" % i
        body = (
            b"Content-Type: multipart/mixed; boundary=" + b + b"\r\n\r\n--" + b + b"\r\n"
            + body + b"--" + b + b"--\r\n"
        )  # fmt: skip
    return HEAD + b"MIME-Version: 1.0\r\nSubject: nest\r\n" + body


def indented_preamble(n: int) -> bytes:
    """A preamble of n lines each naming the boundary indented (``--bx``,
    another boundary's line), then an indented delimiter line and the part
    it hides (M209 looks at each line once)."""
    return _message(
        b"Subject: preamble\r\nContent-Type: multipart/mixed; boundary=b\r\n",
        b" --bx\r\n" * n + b" --b\r\n\r\nhidden\r\n--b\r\n\r\nhi\r\n--b--\r\n",
    )


def lines_after_a_cut(n: int) -> bytes:
    """A folded Subject cut by an empty line, then n ``Name: value`` lines
    naming no header field and one that does (M615 reads each once)."""
    cut = b"MIME-Version: 1.0\r\nSubject: one\r\n two\r\n\r\n"
    return HEAD + cut + b"Index: a\r\n" * n + b"X-Id: 1\r\n"


def template_placeholders(n: int) -> bytes:
    """A Jinja template with n placeholders in an address field, n in
    display names and domains, n blocks in the body and n parts (raw mode,
    linted with lint_template: the placeholders are masked and mapped)."""
    to = ", ".join(f"{{{{ a{i} }}}}" for i in range(n))
    cc = ", ".join(f'"{{{{ n{i} }}}}" <x@{{{{ d{i} }}}}>' for i in range(n))
    body = "".join(f"{{% if c{i} %}}Hi {{{{ v{i} }}}}{{% endif %}}\n" for i in range(n))
    parts = "".join(f"--b\nContent-Type: text/plain\n\n{{{{ p{i} }}}}\n" for i in range(n))
    return (
        f"To: {to}\nCc: {cc}\nSubject: x\nContent-Type: multipart/mixed; boundary=b\n\n"
        f"--b\n\n{body}{parts}--b--\n"
    ).encode()


def _lint_template(data: bytes) -> None:
    from mimelint.templates.lint import lint_template

    lint_template(data.decode())


def raw_words_written(n: int) -> bytes:
    """A Subject of n raw UTF-8 words, timed through the writer that M320's
    fix uses to encode them (the fix's own cost, without the proof's
    standard-library reader, which is superlinear on such a header)."""
    return _message(("Subject: " + " ".join(["Grüße"] * n)).encode() + b"\r\n")


def _write_subject(data: bytes) -> None:
    from mimelint.mime.writers import encode_unstructured

    start = data.index(b"Subject: ") + 9
    encode_unstructured("Subject", data[start : data.index(b"\r\n", start)].decode())


def bare_values(n: int) -> bytes:
    """A Content-Type of n unquoted values holding a tspecial (M604 and its
    quoting fix for each: the fix looked its parameter up by walking them all)."""
    values = "; ".join(f"x{i}=a/b" for i in range(n))
    return _message(f"Content-Type: text/plain; {values}\r\n".encode())


def duplicates_beside_refused_fix(n: int) -> bytes:
    """n identical Subject fields (M605's safe fixes) beside a fix the second
    reader refuses (M328 in the Date), timed through ``fix``: the refused set
    is settled in trial runs that leave fixes out (a trial used to take each
    field after a removed one for another fix and apply them one pass after
    another: quadratic)."""
    date = b"Date: Mon, 02 Mar 2026 10: =?utf-8?q?x?==?utf-8?q?y?= 00:00 +0000\r\n"
    return HEAD.replace(HEAD[HEAD.index(b"Date:") :], date) + (
        b"Message-ID: <1@example.com>\r\n" + b"Subject: Hello\r\n" * n + b"\r\nhi\r\n"
    )


def _fix(data: bytes) -> None:
    mimelint.fix(data)


DIMENSIONS: dict[str, tuple[Callable[[int], bytes], int]] = {
    "subject-one-line": (subject_one_line, 20_000),
    "subject-folded": (subject_folded, 20_000),
    "words-in-subject": (words_in_subject, 1_000),
    "words-in-address": (words_in_address, 1_000),
    "addresses": (addresses, 1_000),
    "plain-addresses": (plain_addresses, 1_000),
    "unreadable-addresses": (unreadable_addresses, 1_000),
    "obsolete-phrases": (obsolete_phrases, 1_000),
    "periods-in-address": (periods_in_address, 1_000),
    "idna-addresses": (idna_addresses, 1_000),
    "headers": (headers, 1_000),
    "parts": (parts, 1_000),
    "nesting": (nesting, 50),
    "indented-preamble": (indented_preamble, 5_000),
    "lines-after-a-cut": (lines_after_a_cut, 5_000),
    "template-placeholders": (template_placeholders, 200),
    "raw-words-written": (raw_words_written, 5_000),
    "bare-values": (bare_values, 2_000),
    "duplicates-beside-refused-fix": (duplicates_beside_refused_fix, 100),
}
#: Dimensions linted otherwise than by mimelint.lint (their stdlib column
#: reads the same bytes as a message, for scale only).
LINTERS: dict[str, Callable[[bytes], object]] = {
    "template-placeholders": _lint_template,
    "raw-words-written": _write_subject,
    "duplicates-beside-refused-fix": _fix,
}


def stdlib_default(data: bytes) -> None:
    """policy.default: parse, read every header value, get every leaf's content."""
    msg = BytesParser(policy=policy.default).parsebytes(data)
    for part in msg.walk():
        for value in part.values():
            str(value)
        if not part.is_multipart():
            try:
                part.get_content()
            except (KeyError, LookupError, ValueError):
                pass


def best(func: Callable[[bytes], object], data: bytes, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        func(data)
        times.append(time.perf_counter() - start)
    return min(times)


def slowest_rules(data: bytes, top: int = 3) -> str:
    context = Context(PROFILES["ses"], None, ())
    spent = []
    for r in load_rules():
        message = mimelint.parse(data)
        start = time.perf_counter()
        run_rules(message, (r,), context)
        spent.append((time.perf_counter() - start, r.code))
    spent.sort(reverse=True)
    return ", ".join(f"{code} {s * 1000:.0f} ms" for s, code in spent[:top])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", action="append", choices=sorted(DIMENSIONS))
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rules", action="store_true", help="the slowest rules at the largest N")
    parser.add_argument("--no-stdlib", action="store_true")
    args = parser.parse_args()
    load_rules()
    print(f"{'dimension':18} {'N':>7} {'size':>9} {'lint ms':>9} {'growth':>7} {'stdlib ms':>10}")
    for name in args.only or DIMENSIONS:
        make, base = DIMENSIONS[name]
        previous = 0.0
        data = b""
        for step in range(args.steps):
            n = base << step
            data = make(n)
            seconds = best(LINTERS.get(name, mimelint.lint), data, args.repeats)
            growth = f"{seconds / previous:.2f}" if previous else "-"
            std = "-" if args.no_stdlib else f"{best(stdlib_default, data, 1) * 1000:.0f}"
            print(f"{name:18} {n:>7} {len(data):>9} {seconds * 1000:>9.1f} {growth:>7} {std:>10}")
            previous = seconds
        if args.rules:
            print(f"{'':18} slowest rules at N={base << (args.steps - 1)}: {slowest_rules(data)}")


if __name__ == "__main__":
    main()
