"""Running a check over many files: discovery, one job per file, atomic writes.

Kept apart from :mod:`mimelint.cli` so that worker processes (``--jobs``)
import no ``click`` code they do not need and so that the library can drive
the same loop. A job is plain data; :func:`process` turns it into an
:class:`Outcome` and never raises for a bad file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence

from mimelint._records import NamedTuple
from mimelint.config import Configuration, posix_path
from mimelint.formats import FileResult
from mimelint.lint import lint
from mimelint.mime.tree import Message
from mimelint.rule import Finding, Safety
from mimelint.settings import Settings
from mimelint.sources import is_maildir, kind_of, maildir_messages

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from mimelint.sources import Ref

#: Up to this many files, one process checks them all: starting worker
#: processes costs more than they save (measured with bench/jobs.py; the
#: figures are in docs/performance.md, "Worker processes").
PARALLEL_THRESHOLD = 512
STDIN = "-"


class Job(NamedTuple):
    """One file to check (and maybe fix). Picklable, for worker processes.

    A NamedTuple rather than a frozen dataclass: start-up (see formats).
    """

    path: str
    #: The profile, the rule selection (with the file's own ignores) and the envelope.
    settings: Settings
    fix: bool = False
    diff: bool = False
    unsafe_fixes: bool = False
    #: Leave fixes that would invalidate a signature (``--break-signatures``
    #: turns this off); plain checks then do not call them fixable either.
    keep_signatures: bool = True
    #: The bytes of standard input, already read (for ``-``).
    data: bytes | None = None
    #: Set when discovery already knows the file cannot be read.
    error: str | None = None
    #: The template syntax (``jinja``, ``handlebars``) when the file is a template.
    template_syntax: str | None = None
    #: Sample data files: render the template with each (render mode).
    render_data: tuple[str, ...] = ()
    template_ascii: tuple[str, ...] = ()
    encoding_filters: tuple[str, ...] = ()
    #: Compute each finding's fingerprint (for SARIF and baselines).
    fingerprints: bool = False
    #: The message's name inside a container (mbox number, archive member),
    #: None for a plain file; see :mod:`mimelint.sources`.
    member: str | None = None
    #: Where to read the message when ``data`` is None and it is not the
    #: file at ``path`` (a member shipped by reference to another process).
    ref: Ref | None = None
    #: Set when the member is over an archive-bomb limit: it is not read and
    #: this text becomes its one finding.
    over_limit: str | None = None


class Outcome(NamedTuple):
    """What a job produced: the result to render and, maybe, new bytes."""

    result: FileResult
    #: The fixed message (``--fix``/``--diff``), None when nothing changed.
    fixed: bytes | None = None
    #: The unified diff (``--diff``), empty when nothing changed.
    diff: bytes = b""
    #: The original bytes; kept only for standard input in fix mode.
    original: bytes | None = None
    internal_error: bool = False


def discover(
    paths: Sequence[str],
    settings: Configuration,
    empty: list[str] | None = None,
    excluded: list[str] | None = None,
) -> Iterator[tuple[str, str | None]]:
    """``(path as shown, error or None)`` for every file to check, in order.

    A directory yields the files below it that ``include`` names (``*.eml``
    by default, matched case-insensitively), recursively, sorted, skipping
    what ``exclude`` names (a directory is walked whatever its name, ``d.eml``
    too). A directory that cannot be read is yielded with its error, and the
    rest is still walked. A path given explicitly is checked, unless
    ``force-exclude`` is on and ``exclude`` names it (it is then appended to
    ``excluded``). Each file is yielded once. A given directory in which
    nothing is found is appended to ``empty``.
    Mbox files and archives (:data:`mimelint.sources.CONTAINER_SUFFIXES`)
    are found like messages, and a Maildir folder yields its messages
    (:func:`mimelint.sources.maildir_messages`).
    """
    seen: set[str] = set()
    for given in paths:
        if given == STDIN:
            if given not in seen:
                seen.add(given)
                yield given, None
            continue
        if settings.is_force_excluded(given):
            if excluded is not None:
                excluded.append(given)
            continue
        if os.path.isdir(given):
            count = 0
            # Found files are shown as pathlib would write them (no "./", no "//").
            top = posix_path(given).replace("/", os.sep)
            inside = _maildir(top) if is_maildir(top) else _walk(top, settings)
            for shown, error in inside:
                count += 1
                if shown not in seen:
                    seen.add(shown)
                    yield shown, error
            if not count and empty is not None:
                empty.append(given)
        elif given not in seen:
            seen.add(given)
            if os.path.exists(given) and not os.path.isfile(given):
                yield given, "not a regular file"
            else:
                yield given, None


def _walk(
    directory: str, settings: Configuration, above: frozenset[tuple[int, int]] = frozenset()
) -> Iterator[tuple[str, str | None]]:
    """The files to check below ``directory``, and each folder that cannot be read.

    Symbolic links to folders are followed, except one back to a folder
    being walked (``above``: device and inode of each): its files are found
    there, and following it would go round until the system refuses.
    """
    try:
        here = os.stat(directory)
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        yield directory, f"cannot read the directory: {_describe(exc)}"
        return
    key = (here.st_dev, here.st_ino)
    if key in above:
        return
    above |= {key}
    for entry in entries:
        path = entry.name if directory == "." else os.path.join(directory, entry.name)
        if settings.is_excluded(path):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError as exc:  # a link the system will not follow
            yield path, f"cannot read: {_describe(exc)}"
            continue
        if is_dir:
            yield from _maildir(path) if is_maildir(path) else _walk(path, settings, above)
        elif _is_message_name(path, settings) and entry.is_file():
            yield path, None


def _maildir(directory: str) -> Iterator[tuple[str, str | None]]:
    for found in maildir_messages(directory):
        yield str(found), None


def _is_message_name(path: str, settings: Configuration) -> bool:
    """A message (``include``: ``*.eml`` in any case), a template (``*.eml.j2``,
    ``template-extensions``), or an mbox or archive (by its suffix)."""
    return (
        settings.is_included(path)
        or settings.template_syntax(os.path.basename(path)) is not None
        or kind_of(os.path.basename(path)) is not None
    )


def _read(job: Job) -> bytes:
    if job.data is not None:
        return job.data
    if job.ref is not None:
        from mimelint.sources import read_refs

        return next(read_refs([job.ref]))
    with open(job.path, "rb") as fh:
        return fh.read()


def _describe(exc: OSError) -> str:
    return exc.strerror or str(exc)


def process(job: Job) -> Outcome:
    """Check one file; with ``fix``/``diff`` also fix it. Never raises for bad files."""
    if job.member is not None:
        outcome = _process(job)
        return outcome._replace(result=outcome.result._replace(member=job.member))
    return _process(job)


def _process(job: Job) -> Outcome:
    if job.over_limit is not None:
        from mimelint.sources import limit_finding

        over = (limit_finding(job.over_limit),)
        return Outcome(FileResult(job.path, over, fingerprints=_fingerprints(job, b"", over)))
    if job.error is not None:
        return Outcome(FileResult(job.path, error=job.error))
    try:
        data = _read(job)
    except OSError as exc:
        return Outcome(FileResult(job.path, error=_describe(exc)))
    except Exception as exc:
        from mimelint.sources import archive_errors

        if not isinstance(exc, archive_errors()):
            raise
        # A member of a damaged archive (a bad CRC, a broken deflate stream).
        return Outcome(FileResult(job.path, error=f"cannot read the member: {exc}"))
    if job.template_syntax is not None:
        return _template(job, data)
    if job.fix or job.diff:
        return _fix(job, data)
    report = lint(data, settings=job.settings)
    findings: tuple[Finding, ...] = tuple(report.findings)
    skipped = signed = 0
    if _maybe_signed(report.message, findings):
        if job.keep_signatures:
            findings, skipped = _unsign(report.message, findings)
        else:
            # Fixable only thanks to --break-signatures: the hint must say so.
            signed = _unsign(report.message, findings)[1]
    if not job.unsafe_fixes and any(
        f.fix is not None and f.fix.safety is Safety.SAFE for f in findings
    ):
        findings = _undisputed(report.message, findings)
    return Outcome(
        FileResult(
            job.path,
            findings,
            skipped=skipped,
            signed_fixes=signed,
            fingerprints=_fingerprints(job, data, findings),
        ),
        internal_error=bool(report.internal_errors),
    )


def _fingerprints(job: Job, data: bytes, findings: Sequence[Finding]) -> tuple[str, ...]:
    if not job.fingerprints or not findings:
        return ()  # a plain check pays no import
    from mimelint.baseline import fingerprints

    return fingerprints(data, findings)


#: Top-level fields that sign the body and other fields (as in mimelint.signatures).
_SIGNING_FIELDS = frozenset({"dkim-signature", "arc-message-signature"})


def _maybe_signed(message: Message, findings: Sequence[Finding]) -> bool:
    """Could a signature keep ``--fix`` from applying one of these fixes?

    The cheap test before :mod:`mimelint.signatures` is imported: some
    finding offers a fix, and the message has a ``multipart/signed`` part
    or a DKIM/ARC signature field. Most messages fail the first test.
    """
    if not any(f.fix is not None and f.fix.edits for f in findings):
        return False
    if any(h.lname in _SIGNING_FIELDS for h in message.headers):
        return True
    return any(p.content_type == "multipart/signed" for p in message.parts())


def _unsign(message: Message, findings: tuple[Finding, ...]) -> tuple[tuple[Finding, ...], int]:
    """The findings as ``--fix`` would report them: a fix a signature blocks is dropped.

    The same account as the fix engine's (``mimelint.fixer``): the finding
    stays, without its fix, with ``"; not fixed: <reason>"`` after its
    message, so ``check`` never marks fixable what ``--fix`` leaves.
    """
    from mimelint.signatures import Signatures

    guard = Signatures(message)
    if not guard:
        return findings, 0
    out: list[Finding] = []
    skipped = 0
    for f in findings:
        why = guard.why(f.fix.edits) if f.fix is not None and f.fix.edits else None
        if why is not None:
            skipped += 1
            f = f._replace(message=f"{f.message}; not fixed: {why}", fix=None)
        out.append(f)
    return tuple(out), skipped


def _undisputed(message: Message, findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """The findings as ``--fix`` would report them where the two readers
    disagree about the message: every safe fix unsafe, with the reason.

    The fix engine (``mimelint.fixer``) applies no safe fix to such a
    message, so ``check`` must not mark one fixable either. The cheap facts
    of :func:`mimelint.readers.disagreements` rule most messages out before
    the standard library reads any.
    """
    from mimelint.readers import disagreements, dispute_reason, disputed

    disputes = disagreements(message)
    if not disputes:
        return findings
    reason = dispute_reason(message, disputes)
    return tuple(disputed(f, reason) for f in findings)


def _template(job: Job, data: bytes) -> Outcome:
    """Check a template, raw or rendered with each data file. Templates are not fixed.

    A fix is edits on the message's bytes; for a template they would land
    in masked or rendered text, so findings carry none (fix the template).
    """
    from mimelint.templates.lint import DataError, lint_template
    from mimelint.templates.render import RendererMissing

    options = {
        "syntax": job.template_syntax,
        "settings": job.settings,
        "template_ascii": job.template_ascii,
        "encoding_filters": job.encoding_filters,
        "search_path": os.path.dirname(job.path) or "." if job.path != STDIN else None,
    }
    found: dict[tuple[int, int, str, str], tuple[Finding, list[str]]] = {}
    internal = False
    sources = job.render_data or (None,)
    try:
        for source in sources:
            report = lint_template(data, data=source, **options)  # type: ignore[arg-type]
            internal = internal or bool(report.internal_errors)
            for f in report.findings:
                entry = found.setdefault((f.start, f.end, f.code, f.message), (f, []))
                entry[1].append(os.path.basename(source or ""))
    except (RendererMissing, DataError) as exc:
        return Outcome(FileResult(job.path, error=str(exc)))
    findings: dict[tuple[int, int, str, str], Finding] = {}
    for key, (f, seen) in found.items():
        if len(seen) < len(sources):  # not every rendering has it: say which did
            f = f._replace(message=f"{f.message} (rendered with {', '.join(seen)})")
        findings[key] = f._replace(fix=None)
    ordered = tuple(sorted(findings.values(), key=lambda f: (f.start, f.end, f.code)))
    # ``mimelint fix -`` writes standard input's message back: a template, unchanged.
    original = data if job.path == STDIN else None
    # A baseline (and SARIF) needs a fingerprint for each finding, as for a message.
    fps = _fingerprints(job, data, ordered)
    return Outcome(
        FileResult(job.path, ordered, fingerprints=fps), original=original, internal_error=internal
    )


def _fix(job: Job, data: bytes) -> Outcome:
    from mimelint.fixer import fix

    result = fix(
        data,
        settings=job.settings,
        unsafe=job.unsafe_fixes,
        keep_signatures=job.keep_signatures,
    )
    remaining: tuple[Finding, ...] = tuple(result.remaining)
    # The findings of the file as given: a fix can clear more than its own.
    found = tuple(result.found)
    fixed_findings = tuple(result.applied)
    applied = tuple(_fix_description(item) for item in fixed_findings)
    refused = result.refused
    skipped = len(result.skipped)
    internal = any(f.code == "M000" for f in remaining)
    fixed = result.data if result.changed and result.data != data else None
    original = data if job.path == STDIN else None
    if fixed is None:
        return Outcome(
            FileResult(
                job.path,
                remaining,
                refused=refused,
                skipped=skipped,
                found=found,
                fingerprints=_fingerprints(job, data, remaining),
            ),
            original=original,
            internal_error=internal,
        )
    report = FileResult(
        job.path,
        remaining,
        fixes=applied,
        refused=refused,
        fixed=fixed_findings,
        skipped=skipped,
        found=found,
        fingerprints=_fingerprints(job, fixed, remaining),
    )
    if job.diff:
        # Nothing is written: the fixes are what would be applied.
        return Outcome(
            report,
            fixed=fixed,
            diff=unified_diff(job.path, data, fixed),
            original=original,
            internal_error=internal,
        )
    if job.path != STDIN:
        try:
            write_atomic(job.path, fixed)
        except OSError as exc:
            # The file is as it was: its findings stand, beside the failure.
            error = f"cannot write the fixed file: {_describe(exc)}"
            return Outcome(
                FileResult(
                    job.path,
                    found,
                    error=error,
                    skipped=skipped,
                    found=found,
                    fingerprints=_fingerprints(job, data, found),
                ),
                internal_error=internal,
            )
    return Outcome(
        report,
        fixed=fixed,
        original=original,
        internal_error=internal,
    )


def _fix_description(finding: Finding) -> str:
    """One applied fix as a line of ``--show-fixes``: the code and what was done."""
    what = finding.fix.description if finding.fix is not None else finding.message
    return f"{finding.code} {what}"


def unified_diff(path: str, before: bytes, after: bytes) -> bytes:
    """A unified diff of two versions of a message, line endings kept."""
    import difflib

    name = path.encode("utf-8", "surrogateescape")
    out = []
    for line in difflib.diff_bytes(
        difflib.unified_diff,
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=b"a/" + name,
        tofile=b"b/" + name,
    ):
        if not line.endswith(b"\n"):
            line += b"\n\\ No newline at end of file\n"
        out.append(line)
    return b"".join(out)


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace the file at ``path`` with ``data`` so that it is never half-written.

    The bytes go to a temporary file in the same directory (same file
    system, so the rename is atomic), are flushed to disk, get the old
    file's permission bits, and then :func:`os.replace` swaps them in. If
    anything fails the temporary file is removed and the old file is
    untouched. A symbolic link is followed: the file it points to is
    replaced and the link stays.
    """
    import tempfile

    target = os.path.realpath(path)
    folder, name = os.path.split(target)
    mode = stat.S_IMODE(os.stat(target).st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".mimelint-tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_directory(folder)


def _fsync_directory(directory: str) -> None:
    # Makes the rename itself durable; not every platform can open a directory.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def default_jobs(count: int) -> int:
    """Worker processes for ``count`` files when ``-j`` is not given.

    One process up to :data:`PARALLEL_THRESHOLD` files, one per CPU above.
    """
    if count <= PARALLEL_THRESHOLD:
        return 1
    return os.cpu_count() or 1


def run(jobs: Sequence[Job], workers: int, progress: bool = False) -> list[Outcome]:
    """Process every job, with ``workers`` processes when there is more than one job.

    Results come in job order. The caller chooses ``workers``
    (:func:`default_jobs` when the user did not).
    """
    if workers > 1 and len(jobs) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
            chunk = max(1, len(jobs) // (workers * 4))
            return _collect(pool.map(process, jobs, chunksize=chunk), len(jobs), progress)
    return _collect(map(process, jobs), len(jobs), progress)


def _collect(outcomes: Iterator[Outcome], total: int, progress: bool) -> list[Outcome]:
    if not progress:
        return list(outcomes)
    import sys

    import click

    results = []
    with click.progressbar(length=total, label="Checking", file=sys.stderr) as bar:
        for outcome in outcomes:
            results.append(outcome)
            bar.update(1)
    return results
