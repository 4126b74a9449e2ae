"""Fingerprints of findings, and baselines made of them.

A fingerprint names a finding by what it is about, not by where it is, so
that it survives edits elsewhere in the file: the rule's code, the MIME part,
and the bytes the finding points at (line endings normalised to LF). A
finding that points at nothing (``start == end``: something missing) is
named by its message instead. Two findings with the same name in one file
are told apart by their order (``:1``, ``:2`` ...), as GitHub does for its
own line hashes. SARIF output carries the fingerprint as
``partialFingerprints`` (GitHub code scanning tracks a result across
commits by it); a baseline file records it.

A baseline (``--write-baseline FILE``) is a JSON file listing today's
findings; ``--baseline FILE`` then reports only findings not in it, so a
team can turn the check on in a repository that already has problems. The
format is documented in ``docs/baseline.md``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from mimelint._records import NamedTuple
from mimelint.formats import FileResult
from mimelint.rule import Finding

FORMAT_VERSION = 1


class BaselineError(ValueError):
    """A baseline file that cannot be read or written (one line, for the CLI)."""


def fingerprints(data: bytes, findings: Sequence[Finding]) -> tuple[str, ...]:
    """The fingerprint of each finding of one message, in the same order."""
    seen: Counter[str] = Counter()
    out: list[str] = []
    for f in findings:
        if f.end > f.start:
            subject = data[f.start : f.end].replace(b"\r\n", b"\n")
        else:
            subject = f.message.encode("utf-8", "surrogateescape")
        digest = hashlib.sha256()
        for piece in (
            f.code.encode("ascii", "replace"),
            f.part.encode("ascii", "replace"),
            subject,
        ):
            digest.update(len(piece).to_bytes(8, "big"))
            digest.update(piece)
        base = digest.hexdigest()[:32]
        seen[base] += 1
        out.append(f"{base}:{seen[base]}")
    return tuple(out)


def _key(path: str, relative_to: Path) -> str:
    """A result's path as the baseline records it: relative to the baseline's folder."""
    if path == "-":
        return path
    full = os.path.abspath(path)
    try:
        return Path(os.path.relpath(full, relative_to)).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(full).as_posix()


class Entry(NamedTuple):
    """What identifies a finding in a baseline."""

    path: str
    code: str
    part: str
    fingerprint: str


def _entries(result: FileResult, folder: Path) -> Iterable[tuple[Entry, Finding]]:
    path = _key(result.path, folder)
    for finding, fp in zip(result.findings, result.fingerprints, strict=True):
        yield Entry(path, finding.code, finding.part, fp), finding


def write(target: Path, results: Sequence[FileResult]) -> int:
    """Record every finding of ``results`` in the baseline file ``target``.

    Returns how many were recorded. Files that could not be read have no
    findings and so no entries.
    """
    folder = target.resolve().parent
    items: list[dict[str, Any]] = []
    for result in results:
        for entry, finding in _entries(result, folder):
            items.append(
                {
                    "path": entry.path,
                    "code": entry.code,
                    "part": entry.part,
                    "fingerprint": entry.fingerprint,
                    # For a person reading the file; not used for matching.
                    "line": finding.line,
                    "message": finding.message,
                }
            )
    document = {"mimelint-baseline": FORMAT_VERSION, "findings": items}
    try:
        target.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    except OSError as exc:
        raise BaselineError(f"cannot write the baseline {target}: {exc.strerror or exc}") from None
    return len(items)


class Baseline:
    """A loaded baseline: which findings are already known."""

    def __init__(self, entries: Iterable[Entry], folder: Path) -> None:
        self.entries = frozenset(entries)
        self.folder = folder

    @classmethod
    def load(cls, source: Path) -> Baseline:
        """Read a baseline file; :class:`BaselineError` for a missing or malformed one."""
        try:
            document = json.loads(source.read_text("utf-8"))
        except OSError as exc:
            raise BaselineError(
                f"cannot read the baseline {source}: {exc.strerror or exc}"
            ) from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BaselineError(f"{source} is not a mimelint baseline: {exc}") from None
        if (
            not isinstance(document, dict)
            or document.get("mimelint-baseline") != FORMAT_VERSION
            or not isinstance(document.get("findings"), list)
        ):
            raise BaselineError(
                f"{source} is not a mimelint baseline (version {FORMAT_VERSION}); "
                "write one with --write-baseline"
            )
        entries = []
        for item in document["findings"]:
            try:
                entries.append(
                    Entry(
                        str(item["path"]),
                        str(item["code"]),
                        str(item["part"]),
                        str(item["fingerprint"]),
                    )
                )
            except (KeyError, TypeError):
                raise BaselineError(
                    f"{source}: a finding without path, code, part and fingerprint: {item!r}"
                ) from None
        return cls(entries, source.resolve().parent)

    def filter(self, result: FileResult) -> FileResult:
        """``result`` without the findings the baseline knows; ``baselined`` counts them."""
        if not result.findings:
            return result
        kept: list[Finding] = []
        kept_fps: list[str] = []
        known = 0
        for entry, finding in _entries(result, self.folder):
            if entry in self.entries:
                known += 1
            else:
                kept.append(finding)
                kept_fps.append(entry.fingerprint)
        if not known:
            return result
        # ``found`` (the findings before --fix) would count the known ones
        # again: without it the summary counts what is shown plus what was fixed.
        return result._replace(
            findings=tuple(kept),
            fingerprints=tuple(kept_fps),
            baselined=result.baselined + known,
            found=None,
        )
