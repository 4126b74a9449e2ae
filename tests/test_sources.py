"""Containers (mimelint.sources): mbox, Maildir, tar, zip; members, limits, references."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mimelint.profile import SES
from mimelint.sources import (
    LIMIT_CODE,
    MBOX,
    TAR,
    TAR_STREAM,
    ZIP,
    Limits,
    is_maildir,
    items,
    kind_of,
    limits_for,
    maildir_messages,
    mbox_entry,
    quote_mboxrd,
    read_refs,
    unquote_mboxrd,
)

BIG = Limits(10**9, 10**12)
ONE = b"From: a@example.com\nSubject: one\n\nbody\nFrom here, a line that was quoted\n"
TWO = b"From: b@example.com\r\nSubject: two\r\n\r\n>From already quoted\r\n"
THREE = b"From: c@example.com\nSubject: three\n\nlast line without a break"


def write_mbox(path: Path, messages: list[bytes]) -> None:
    path.write_bytes(b"".join(mbox_entry(m) for m in messages))


def write_tar(path: Path, members: dict[str, bytes], mode: str = "w:gz") -> None:
    with tarfile.open(path, mode) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def write_zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_kind_by_suffix_case_insensitive() -> None:
    assert kind_of("a.MBOX") == MBOX and kind_of("x/a.mbx") == MBOX
    assert kind_of("a.tar") == TAR
    assert kind_of("a.tar.gz") == TAR_STREAM and kind_of("a.TGZ") == TAR_STREAM
    assert kind_of("a.zip") == ZIP
    assert kind_of("a.eml") is None and kind_of("mbox") is None
    assert kind_of("Inbox", "mbox") == MBOX


def test_mbox_members_numbered_and_unquoted(tmp_path: Path) -> None:
    path = tmp_path / "a.mbox"
    write_mbox(path, [ONE, TWO, THREE])
    raw = path.read_bytes()
    assert b"\n>From here" in raw and b"\n>>From already" in raw  # the writer quoted
    got = list(items(str(path), MBOX, BIG))
    assert [i.member for i in got] == ["1", "2", "3"]
    assert [i.data for i in got] == [ONE, TWO, THREE + b"\n"]
    assert all(i.finding is None for i in got)


def test_mbox_separator_needs_an_empty_line_before_it(tmp_path: Path) -> None:
    path = tmp_path / "a.mbox"
    # An unquoted "From " inside a paragraph does not split the message (mboxo writers).
    path.write_bytes(
        b"From x Thu Jan  1 00:00:00 1970\nSubject: a\n\nline\nFrom me, unquoted\n\n"
        b"From y Thu Jan  1 00:00:00 1970\nSubject: b\n\nb\n"
    )
    got = [i.data for i in items(str(path), MBOX, BIG)]
    assert got == [b"Subject: a\n\nline\nFrom me, unquoted\n", b"Subject: b\n\nb\n"]


def test_mbox_crlf_separators(tmp_path: Path) -> None:
    path = tmp_path / "a.mbox"
    path.write_bytes(b"From x 1\r\nSubject: a\r\n\r\na\r\n\r\nFrom y 2\r\nSubject: b\r\n\r\nb\r\n")
    got = [i.data for i in items(str(path), MBOX, BIG)]
    assert got == [b"Subject: a\r\n\r\na\r\n", b"Subject: b\r\n\r\nb\r\n"]


def test_mbox_text_before_first_separator_is_a_message(tmp_path: Path) -> None:
    path = tmp_path / "a.mbox"
    path.write_bytes(b"Subject: stray\n\nx\n\nFrom y 2\nSubject: b\n\nb\n")
    got = [(i.member, i.data) for i in items(str(path), MBOX, BIG)]
    assert got == [("1", b"Subject: stray\n\nx\n"), ("2", b"Subject: b\n\nb\n")]


def test_empty_mbox_has_no_messages(tmp_path: Path) -> None:
    path = tmp_path / "e.mbox"
    path.write_bytes(b"")
    assert list(items(str(path), MBOX, BIG)) == []


def test_mboxrd_quoting() -> None:
    assert unquote_mboxrd(b">From a\n>>From b\n>>x\nFrom c\n") == b"From a\n>From b\n>>x\nFrom c\n"
    assert quote_mboxrd(b"From a\n>From b\nx From c\n") == b">From a\n>>From b\nx From c\n"


@given(st.binary(max_size=300))
def test_mbox_round_trip_property(data: bytes) -> None:
    # Whatever a message holds, an mboxrd entry gives it back (plus a final
    # line break when it had none).
    from mimelint.sources import mbox_ranges

    buf = mbox_entry(data) + mbox_entry(b"Subject: next\n\nx\n")
    got = [unquote_mboxrd(buf[a:b]) for a, b in mbox_ranges(buf)]
    want = data if data.endswith(b"\n") else data + b"\n"
    assert got == [want, b"Subject: next\n\nx\n"]


@pytest.mark.parametrize(
    ("name", "mode"), [("a.tar", "w"), ("a.tar.gz", "w:gz"), ("a.tgz", "w:gz")]
)
def test_tar_members_named_by_path(tmp_path: Path, name: str, mode: str) -> None:
    path = tmp_path / name
    write_tar(path, {"sent/1.eml": ONE, "sent/2.eml": TWO}, mode)
    got = list(items(str(path), kind_of(name) or "", BIG))
    assert [(i.member, i.data) for i in got] == [("sent/1.eml", ONE), ("sent/2.eml", TWO)]
    # References read the same bytes again, without the client's copy.
    refs = [i.ref for i in items(str(path), kind_of(name) or "", BIG, want_data=False)]
    assert list(read_refs(refs)) == [ONE, TWO]
    assert list(read_refs(refs[1:])) == [TWO]
    assert list(read_refs(refs[::-1])) == [TWO, ONE]  # backwards: the stream rewinds


def test_zip_members(tmp_path: Path) -> None:
    path = tmp_path / "a.zip"
    write_zip(path, {"x/one.eml": ONE, "two.eml": TWO})
    got = list(items(str(path), ZIP, BIG))
    assert [(i.member, i.data) for i in got] == [("x/one.eml", ONE), ("two.eml", TWO)]
    assert list(read_refs([g.ref for g in got][::-1])) == [TWO, ONE]


def test_mbox_refs_are_byte_ranges(tmp_path: Path) -> None:
    path = tmp_path / "a.mbox"
    write_mbox(path, [ONE, TWO])
    refs = [i.ref for i in items(str(path), MBOX, BIG, want_data=False)]
    assert all(r.length > 0 for r in refs)
    assert list(read_refs(refs)) == [ONE, TWO]


def test_member_over_limit_is_a_finding_not_read(tmp_path: Path) -> None:
    path = tmp_path / "bomb.tar.gz"
    write_tar(path, {"small.eml": ONE, "huge.eml": b"x" * 5000, "after.eml": TWO})
    got = list(items(str(path), TAR_STREAM, Limits(1000, 10**9)))
    assert [i.member for i in got] == ["small.eml", "huge.eml", "after.eml"]
    assert got[1].data is None and got[1].finding is not None
    assert got[1].finding.code == LIMIT_CODE and "5000 bytes" in got[1].finding.message
    assert got[2].data == TWO  # the rest is still read


def test_total_over_limit_stops_the_container(tmp_path: Path) -> None:
    path = tmp_path / "many.zip"
    write_zip(path, {f"{n}.eml": b"y" * 400 for n in range(10)})
    got = list(items(str(path), ZIP, Limits(1000, 1000)))
    assert [i.member for i in got] == ["0.eml", "1.eml", "2.eml"]
    assert got[-1].finding is not None and "add up to more than 1000" in got[-1].finding.message


def test_mbox_message_over_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.mbox"
    write_mbox(path, [ONE, b"Subject: big\n\n" + b"z" * 3000 + b"\n"])
    got = list(items(str(path), MBOX, Limits(1000, 10**9)))
    assert got[0].data == ONE and got[1].finding is not None and got[1].data is None


def test_limits_follow_the_profile() -> None:
    assert limits_for(SES) == Limits(104_857_600, 104_857_600_000)
    assert limits_for(SES.replace(max_message_size=None)).member == 10 * 10 * 1024 * 1024


def test_maildir(tmp_path: Path) -> None:
    box = tmp_path / "Inbox"
    for sub in ("cur", "new", "tmp"):
        (box / sub).mkdir(parents=True)
    (box / "new" / "2.host").write_bytes(TWO)
    (box / "cur" / "1.host:2,S").write_bytes(ONE)
    (box / "cur" / ".hidden").write_bytes(ONE)
    (box / "tmp" / "3.host").write_bytes(ONE)
    assert is_maildir(box) and not is_maildir(tmp_path)
    assert [p.name for p in maildir_messages(box)] == ["2.host", "1.host:2,S"]


def test_large_mbox_reads_right_after_pages_are_released(tmp_path: Path) -> None:
    # Over the 4 MiB release step: messages after released pages still read whole.
    messages = [b"Subject: %d\n\n" % n + b"x" * 70_000 + b"\n" for n in range(100)]
    path = tmp_path / "big.mbox"
    write_mbox(path, messages)
    assert path.stat().st_size > 6 * 1024 * 1024
    assert [i.data for i in items(str(path), MBOX, BIG)] == messages


def test_compressed_tar_that_is_not_gzip_reads_by_name(tmp_path: Path) -> None:
    # A .tgz compressed with bzip2: members are listed by tarfile's detection
    # and read back by name, since the gzip ranges do not apply.
    path = tmp_path / "odd.tgz"
    write_tar(path, {"a.eml": ONE, "b.eml": TWO}, "w:bz2")
    refs = [i.ref for i in items(str(path), TAR_STREAM, BIG, want_data=False)]
    assert list(read_refs(refs[::-1])) == [TWO, ONE]
    assert list(read_refs(refs)) == [ONE, TWO]


def test_tar_members_are_forgotten_once_passed(tmp_path: Path) -> None:
    from mimelint.sources import _tar_members

    path = tmp_path / "a.tar.gz"
    write_tar(path, {f"{n}.eml": ONE for n in range(5)})
    with tarfile.open(path, "r|*") as archive:
        held = [len(archive.members) for _ in _tar_members(archive)]
    assert held == [0] * 5  # TarFile alone would hold 1, 2, 3, 4, 5
