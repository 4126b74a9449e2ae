"""Containers of messages: mbox files, Maildir folders, tar and zip archives.

A *source* turns one path into :class:`Item` objects, one per message, in
the container's order, without extracting anything to disk and without
holding more than one message in memory. Each item carries a :class:`Ref`:
plain data (path, kind, member name, byte range) from which any process
that can open the file reads the same message again with :func:`read_refs`.
That is how work is shipped to worker processes and cluster nodes: as
references, never as message bytes through the client.

Members are named in findings by :attr:`Item.member`: the 1-based message
number in an mbox, the member's path inside a tar or zip archive; None for
plain files (a Maildir's messages are plain files).

mbox
    A message starts after a line beginning ``From `` that opens the file
    or follows an empty line (the mboxrd/mboxo writers' separator); the
    empty line before the separator belongs to the mbox, not the message.
    Quoting is read as **mboxrd**: one ``>`` is removed from every line
    that matches ``>+From `` (so ``>From `` becomes ``From `` and
    ``>>From `` becomes ``>From ``). For an mboxo file this is right for
    every line the writer quoted; an mboxo line that was ``>From `` in the
    original cannot be told apart from a quoted one by any reader.

Archive bombs
    A member (or mbox message) longer than ten times the profile's message
    size limit (:func:`member_limit`) is not read: it becomes a
    ``M009 container-limit`` finding. A container whose members add up to
    more than :data:`TOTAL_LIMIT_FACTOR` times that limit (with the ``ses``
    profile: 100 MB per member, 100 GB per container) stops there with
    one such finding; sizes are taken from the member headers, before
    anything is decompressed, and a zip member cannot decompress past the
    size its header declares.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator, Sequence

from mimelint._records import NamedTuple
from mimelint.profile import Profile
from mimelint.rule import Finding

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    import mmap
    import tarfile
    from pathlib import Path
    from typing import IO, Literal, TypeAlias, TypeVar

    Buffer: TypeAlias = bytes | mmap.mmap

# tarfile, zipfile and mmap are imported where used: a plain check of .eml
# files (pre-commit) must not pay for them at start-up.

#: Code and name of the finding for a member or container over its limit.
LIMIT_CODE = "M009"
LIMIT_NAME = "container-limit"
#: A member may be this many times the profile's message size limit.
MEMBER_LIMIT_FACTOR = 10
#: A container's members may add up to this many member limits.
TOTAL_LIMIT_FACTOR = 1000
#: The message size used when the profile sets none (``rfc``): 10 MiB.
DEFAULT_MESSAGE_SIZE = 10 * 1024 * 1024

MBOX = "mbox"
TAR = "tar"
TAR_STREAM = "tar-stream"  # compressed tar: members can only be reached in order
ZIP = "zip"
FILE = "file"

_MBOX_SUFFIXES = (".mbox", ".mbx")
_TAR_SUFFIXES = (".tar",)
_TAR_STREAM_SUFFIXES = (".tar.gz", ".tgz")
_ZIP_SUFFIXES = (".zip",)
#: File names (lower case) that are containers rather than messages.
CONTAINER_SUFFIXES = _MBOX_SUFFIXES + _TAR_SUFFIXES + _TAR_STREAM_SUFFIXES + _ZIP_SUFFIXES


class Ref(NamedTuple):
    """Where one message lives: enough to read it again in another process.

    ``start``/``length`` are a byte range of the file for ``mbox`` (the
    message after its ``From `` line, still quoted), ``tar`` (the member's
    data) and ``file`` (the whole file), and of the decompressed stream for
    ``tar-stream``; ``name`` is the member's name for ``zip`` and
    ``tar-stream`` (read by name when the stream is not gzip).
    """

    path: str
    kind: str
    member: str | None
    name: str | None = None
    start: int = 0
    length: int = -1


class Item(NamedTuple):
    """One message of a source: its reference and, when read, its bytes.

    ``data`` is None when the source was asked for references only, or when
    the message is over a limit: then ``finding`` says so.
    """

    path: str
    member: str | None
    ref: Ref
    data: bytes | None = None
    finding: Finding | None = None


class Limits(NamedTuple):
    """Byte limits of one run: per member and per container."""

    member: int
    total: int


def limits_for(profile: Profile) -> Limits:
    """The archive-bomb limits that follow from a profile's message size limit."""
    size = profile.max_message_size or DEFAULT_MESSAGE_SIZE
    member = size * MEMBER_LIMIT_FACTOR
    return Limits(member, member * TOTAL_LIMIT_FACTOR)


def kind_of(path: str, input_format: str | None = None) -> str | None:
    """The container kind a path names (by its suffix, case-insensitive), or None.

    ``input_format="mbox"`` makes every file an mbox.
    """
    if input_format == MBOX:
        return MBOX
    lower = path.lower()
    if lower.endswith(_MBOX_SUFFIXES):
        return MBOX
    if lower.endswith(_TAR_STREAM_SUFFIXES):
        return TAR_STREAM
    if lower.endswith(_TAR_SUFFIXES):
        return TAR
    if lower.endswith(_ZIP_SUFFIXES):
        return ZIP
    return None


def is_maildir(directory: str | os.PathLike[str]) -> bool:
    """A Maildir folder: a directory with ``cur`` and ``new`` subdirectories."""
    return os.path.isdir(os.path.join(directory, "cur")) and os.path.isdir(
        os.path.join(directory, "new")
    )


def maildir_messages(directory: str | os.PathLike[str]) -> Iterator[Path]:
    """The message files of a Maildir: ``new/`` then ``cur/``, each sorted by name.

    Names starting with ``.`` are skipped (Maildir writers' own files);
    ``tmp/`` holds deliveries in progress and is not read.
    """
    from pathlib import Path  # a Maildir only: a plain check does without pathlib

    folder = Path(directory)
    for sub in ("new", "cur"):
        try:
            entries = sorted(os.scandir(folder / sub), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if not entry.name.startswith(".") and entry.is_file():
                yield folder / sub / entry.name


def limit_finding(text: str) -> Finding:
    """An ``M009`` finding at the start of a member (the member was not read)."""
    return Finding.about_input(LIMIT_CODE, LIMIT_NAME, text)


def _too_big(size: int, limits: Limits) -> str:
    return (
        f"member of {size} bytes is over the limit of {limits.member} bytes "
        "(ten times the profile's message size); not read"
    )


def _over_total(total: int, limits: Limits) -> str:
    return (
        f"members add up to more than {limits.total} bytes (at least {total}); "
        "the rest of the container is not read"
    )


# mbox ----------------------------------------------------------------------


# The mboxrd patterns are compiled on first use: a check of plain files needs neither.
@functools.cache
def _quoted_from() -> re.Pattern[bytes]:
    """A line that starts ``>+From ``."""
    return re.compile(rb"^>(>*From )", re.MULTILINE)


def unquote_mboxrd(data: bytes) -> bytes:
    """Remove one ``>`` from every line matching ``>+From `` (mboxrd)."""
    if b">" not in data:
        return data
    return _quoted_from().sub(rb"\1", data)


@functools.cache
def _from_line() -> re.Pattern[bytes]:
    """A line that starts ``>*From ``."""
    return re.compile(rb"^(>*From )", re.MULTILINE)


def quote_mboxrd(data: bytes) -> bytes:
    """Add one ``>`` to every line matching ``>*From `` (the mboxrd writer's rule)."""
    if b"From " not in data:
        return data
    return _from_line().sub(rb">\1", data)


def mbox_entry(data: bytes, sender: str = "MAILER-DAEMON") -> bytes:
    """One message as an mboxrd writer appends it: separator, quoted text, empty line.

    A message that does not end with a line break gets one (an mbox cannot
    keep that); :func:`mbox_items` gives back every other message exactly.
    """
    body = quote_mboxrd(data)
    if not body.endswith(b"\n"):
        body += b"\n"
    return b"From " + sender.encode("ascii") + b" Thu Jan  1 00:00:00 1970\n" + body + b"\n"


def mbox_ranges(buf: Buffer) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each message in an mbox buffer, after its ``From `` line.

    The end excludes the empty line before the next separator. Text before
    the first separator (none, in a well-formed file) is a message of its
    own only if it is not empty. C-speed: one ``find`` per separator.
    """
    size = len(buf)
    pos = 0
    if buf[:5] != b"From ":
        nxt = _next_separator(buf, 0)
        head_end = size if nxt < 0 else nxt
        if buf[:head_end].strip():
            yield 0, _trim_blank(buf, head_end)
        if nxt < 0:
            return
        pos = nxt
    while pos < size:
        eol = buf.find(b"\n", pos)
        start = size if eol < 0 else eol + 1
        nxt = _next_separator(buf, start)
        end = size if nxt < 0 else nxt
        yield start, _trim_blank(buf, end) if nxt >= 0 else _trim_final(buf, start, end)
        if nxt < 0:
            return
        pos = nxt


def _next_separator(buf: Buffer, pos: int) -> int:
    """Offset of the next ``From `` line that follows an empty line, or -1."""
    while True:
        hit = buf.find(b"\nFrom ", pos)
        if hit < 0:
            return -1
        # The line before must be empty: "\n\nFrom " or "\n\r\nFrom ".
        if hit >= 1 and buf[hit - 1 : hit] == b"\n":
            return hit + 1
        if hit >= 2 and buf[hit - 2 : hit] == b"\n\r":
            return hit + 1
        if hit == 0:  # an empty first line
            return 1
        pos = hit + 1


def _trim_blank(buf: Buffer, end: int) -> int:
    """Drop the empty line (LF or CRLF) that precedes a separator at ``end``."""
    if buf[end - 2 : end] == b"\n\n":
        return end - 1
    if buf[end - 3 : end] == b"\n\r\n":
        return end - 2
    return end


def _trim_final(buf: Buffer, start: int, end: int) -> int:
    """The last message keeps its text; a final empty line (the writer's) goes."""
    return max(start, _trim_blank(buf, end))


def _map(path: str) -> tuple[IO[bytes], Buffer]:
    import mmap

    fh = open(path, "rb")  # noqa: SIM115 (the caller closes it, after the map)
    try:
        if os.fstat(fh.fileno()).st_size == 0:
            return fh, b""
        return fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except BaseException:
        fh.close()
        raise


def mbox_items(
    path: str, limits: Limits, want_data: bool = True, data: bytes | None = None
) -> Iterator[Item]:
    """Every message of an mbox file (or of ``data``, for standard input)."""
    if data is not None:
        yield from _mbox_items(path, data, limits, want_data)
        return
    fh, buf = _map(path)
    try:
        yield from _mbox_items(path, buf, limits, want_data)
    finally:
        if not isinstance(buf, bytes):
            buf.close()
        fh.close()


#: Read pages of a mapped mbox are released every this many bytes.
_RELEASE_EVERY = 4 * 1024 * 1024


def _mbox_items(path: str, buf: Buffer, limits: Limits, want_data: bool) -> Iterator[Item]:
    total = 0
    released = 0
    for number, (start, end) in enumerate(mbox_ranges(buf), 1):
        if start - released >= _RELEASE_EVERY and not isinstance(buf, bytes):
            released = _release(buf, released, start)
        member = str(number)
        size = end - start
        ref = Ref(path, MBOX, member, None, start, size)
        total += size
        if total > limits.total:
            yield Item(path, member, ref, finding=limit_finding(_over_total(total, limits)))
            return
        if size > limits.member:
            yield Item(path, member, ref, finding=limit_finding(_too_big(size, limits)))
            continue
        yield Item(path, member, ref, unquote_mboxrd(buf[start:end]) if want_data else None)


def _release(buf: Buffer, begin: int, end: int) -> int:
    """Drop the mapped pages in ``[begin, end)`` from this process's memory.

    The file's pages stay in the page cache; without this a scan of a
    multi-gigabyte mbox would grow the resident set to the file's size.
    Returns the new start of the pages still held.
    """
    import mmap

    cut = end - end % mmap.PAGESIZE
    if cut > begin and isinstance(buf, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
        buf.madvise(mmap.MADV_DONTNEED, begin, cut - begin)
        return cut
    return begin


# tar and zip ----------------------------------------------------------------


def _tar_items(path: str, kind: str, limits: Limits, want_data: bool) -> Iterator[Item]:

    total = 0
    # A plain tar can be entered anywhere (byte ranges); a compressed one only in order.
    mode: Literal["r:", "r|*"] = "r:" if kind == TAR else "r|*"
    with _open_tar(path, mode) as archive:
        for info in _tar_members(archive):
            if not info.isreg():
                continue
            member = info.name
            if kind == TAR:
                ref = Ref(path, TAR, member, None, info.offset_data, info.size)
            else:
                # The byte range is in the decompressed stream.
                ref = Ref(path, TAR_STREAM, member, member, info.offset_data, info.size)
            total += info.size
            if total > limits.total:
                yield Item(path, member, ref, finding=limit_finding(_over_total(total, limits)))
                return
            if info.size > limits.member:
                yield Item(path, member, ref, finding=limit_finding(_too_big(info.size, limits)))
                continue
            data = None
            if want_data:
                fh = archive.extractfile(info)
                data = fh.read() if fh is not None else b""
            yield Item(path, member, ref, data)


def _tar_members(archive: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    """The members of an open tar, one at a time, forgetting each once passed.

    ``TarFile`` keeps every member it has read in ``members``; over an
    archive of millions that list alone would fill memory.
    """
    while (info := archive.next()) is not None:
        archive.members.clear()  # type: ignore[attr-defined]  # (untyped in typeshed)
        yield info


def _zip_items(path: str, limits: Limits, want_data: bool) -> Iterator[Item]:
    import zipfile

    total = 0
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            member = info.filename
            ref = Ref(path, ZIP, member, member)
            total += info.file_size
            if total > limits.total:
                yield Item(path, member, ref, finding=limit_finding(_over_total(total, limits)))
                return
            if info.file_size > limits.member:
                text = _too_big(info.file_size, limits)
                yield Item(path, member, ref, finding=limit_finding(text))
                continue
            yield Item(path, member, ref, archive.read(info) if want_data else None)


def items(
    path: str,
    kind: str,
    limits: Limits,
    want_data: bool = True,
    data: bytes | None = None,
) -> Iterator[Item]:
    """The messages of one container, in order. Raises OSError (and the
    archive modules' errors, see :func:`archive_errors`) for an unreadable one."""
    if kind == MBOX:
        return mbox_items(path, limits, want_data, data)
    if kind in (TAR, TAR_STREAM):
        return _tar_items(path, kind, limits, want_data)
    if kind == ZIP:
        return _zip_items(path, limits, want_data)
    raise ValueError(f"unknown container kind {kind!r}")


def archive_errors() -> tuple[type[Exception], ...]:
    """What reading a damaged container raises."""
    import tarfile
    import zipfile
    import zlib

    return (
        OSError,
        EOFError,
        tarfile.TarError,
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,  # zipfile: a damaged deflate stream
        ValueError,
        RuntimeError,  # zipfile: an encrypted member
    )


def _open_tar(path: str, mode: Literal["r:", "r|*"]) -> tarfile.TarFile:
    """``tarfile.open``, raising ``tarfile.ReadError`` for a gzip header cut short.

    The standard library's stream reader calls ``ord()`` on the bytes it
    got and raises ``TypeError`` when the file ends inside the header.
    """
    import tarfile

    try:
        return tarfile.open(path, mode)
    except TypeError as exc:
        raise tarfile.ReadError(f"the gzip header is cut short ({exc})") from None


# reading references ------------------------------------------------------------


def read_refs(refs: Sequence[Ref]) -> Iterator[bytes]:
    """The bytes of each reference, in order, opening each file once per run of refs.

    For ``tar-stream`` the compressed stream is read from its start up to
    the last member asked for (it cannot be entered in the middle); the
    other kinds seek.
    """
    i = 0
    while i < len(refs):
        j = i
        while j < len(refs) and refs[j].path == refs[i].path and refs[j].kind == refs[i].kind:
            j += 1
        yield from _read_group(refs[i:j])
        i = j


def _read_group(refs: Sequence[Ref]) -> Iterator[bytes]:
    import zipfile

    first = refs[0]
    if first.kind in (MBOX, TAR, FILE):
        with open(first.path, "rb") as fh:
            for ref in refs:
                fh.seek(ref.start)
                data = fh.read() if ref.length < 0 else fh.read(ref.length)
                yield unquote_mboxrd(data) if ref.kind == MBOX else data
    elif first.kind == ZIP:
        with zipfile.ZipFile(first.path) as archive:
            for ref in refs:
                yield archive.read(ref.name or "")
    elif first.kind == TAR_STREAM and _is_gzip(first.path):
        yield from _read_gzip_ranges(first.path, refs)
    elif first.kind == TAR_STREAM:
        wanted: dict[str, list[int]] = {}
        for index, ref in enumerate(refs):
            wanted.setdefault(ref.name or "", []).append(index)
        found: dict[int, bytes] = {}
        with _open_tar(first.path, "r|*") as archive:
            for info in _tar_members(archive):
                if info.isreg() and info.name in wanted:
                    member = archive.extractfile(info)
                    data = member.read() if member is not None else b""
                    # A name can repeat in a tar; the n-th ref takes the n-th copy.
                    found[wanted[info.name].pop(0)] = data
                    if not wanted[info.name]:
                        del wanted[info.name]
                    if not wanted:
                        break
        for index in range(len(refs)):
            yield found.pop(index, b"")
    else:
        raise ValueError(f"unknown reference kind {first.kind!r}")


def _is_gzip(path: str) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def _read_gzip_ranges(path: str, refs: Sequence[Ref]) -> Iterator[bytes]:
    """Members of a ``.tar.gz`` by their range in the decompressed stream.

    A gzip stream cannot be entered in the middle, but skipping forward is
    zlib's work in C, with no tar header parsed in Python; refs in stream
    order (as a batch is) decompress the file once.
    """
    import gzip

    with gzip.open(path, "rb") as stream:
        for ref in refs:
            if ref.start < stream.tell():
                stream.seek(0)
            stream.seek(ref.start)
            yield stream.read(ref.length)


def file_ref(path: str) -> Ref:
    """The reference of a plain message file (the whole file)."""
    return Ref(path, FILE, None)


if TYPE_CHECKING:
    T = TypeVar("T")


def chunked(iterable: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most ``size`` items."""
    batch: list[T] = []
    for item in iterable:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


__all__ = [
    "CONTAINER_SUFFIXES",
    "Item",
    "Limits",
    "Ref",
    "archive_errors",
    "file_ref",
    "is_maildir",
    "items",
    "kind_of",
    "limits_for",
    "maildir_messages",
    "mbox_items",
    "read_refs",
    "unquote_mboxrd",
]
