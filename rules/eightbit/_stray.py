"""What M105 (NUL) and M106 (bare CR) share: a byte that may occur nowhere."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from mimelint.mime.scan import ContentBytes, RegionKind
from mimelint.mime.tree import Part
from mimelint.rule import Problem

from ._reencode import reencode_fix, where


def stray_byte_problems(
    part: Part,
    first: Callable[[ContentBytes], int],
    count: Callable[[ContentBytes], int],
    one: str,
    many: str,
) -> Iterator[Problem]:
    """Findings for a byte that may occur in no header section and no content.

    ``first`` and ``count`` read the byte's first offset (-1: none) and
    count from a span's scan. One finding for the header section, one per
    region of content (a binary body is left alone: any byte is data there).
    """
    header = ContentBytes(part.data, part.start, part.header_end)
    at = first(header)
    if at >= 0:
        n = count(header)
        what = one if n == 1 else f"{n} {many}"
        yield Problem(
            at,
            at + 1,
            f"the header section holds {what}, the first here; remove "
            "them from the field (no encoding can carry them in a header)",
            part.path,
        )
    for region, scan in part.content_scans:
        if part.transfer_encoding == "binary" and region.kind is RegionKind.BODY:
            continue
        at = first(scan)
        if at < 0:
            continue
        n = count(scan)
        what = one if n == 1 else f"{n} {many}"
        fix = reencode_fix(part) if region.kind is RegionKind.BODY else None
        advice = (
            "encode the part as quoted-printable or base64"
            if fix or region.kind is RegionKind.BODY
            else "remove them"
        )
        yield Problem(
            at,
            at + 1,
            f"{where(region.kind)} holds {what}, the first here; {advice}",
            part.path,
            fix,
        )
