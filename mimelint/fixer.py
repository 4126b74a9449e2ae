"""Apply the rules' fixes, then prove that nothing a reader sees was lost.

The loop: lint, collect the fixes (safe ones; unsafe ones too when asked),
leave those that would touch bytes a signature covers (:mod:`mimelint.signatures`;
their findings stay, with the reason), accept the rest in order of
position, dropping any whose edits overlap an already accepted fix (it is
offered again next pass), apply the accepted edits in one join, re-parse,
repeat until nothing is left to apply. Past ``max_passes`` the loop goes on
only while every pass leaves fewer fixable findings than the one before, up
to :data:`PROGRESS_PASSES` passes: fixes that wait for each other (say, the
close delimiters of 60 nested parts, all added at the same point) then
converge, and a fix that never does is still stopped.

Before the first pass, when there is anything to fix, the two readers of
the proof are asked whether they read the input's structure alike; where
they do not, every fix is unsafe (a plain run applies none and says why).
After the last pass the proof (:mod:`mimelint.proof`) compares the result
with the input, by mimelint's reading and by the standard library's; a
difference refuses only the fixes that cause it: the fixes are tried again
in halves, in message order, and the largest set that proves is applied,
each refused fix reported with its reason (``FixResult.refused_fixes``).
Finally the result is linted again: a finding that still offers a safe fix
means a rule's fix did not converge (a bug in that rule); that is refused
too, so ``--fix`` never claims a clean message it did not produce.

The package exports :func:`fix` as ``mimelint.fix``; this module has
another name so that the function and the module never share one.

Run ``python -m mimelint.fixer --regen`` to rewrite the ``*.after.eml`` of
every fixture pair under ``fixtures/fixes/`` from its ``*.before.eml``;
pairs named ``*.unsafe.before.eml`` are fixed with ``unsafe=True``.
"""

from __future__ import annotations

import bisect
import dataclasses
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Self, Unpack

from mimelint.lint import Source, read_source, run_rules
from mimelint.mime.parse import parse
from mimelint.mime.tree import Message
from mimelint.mime.writers import boundary_seed
from mimelint.plan import Walk
from mimelint.profile import Profile
from mimelint.proof import Span, prove_stdlib, release
from mimelint.proof import prove as _prove
from mimelint.readers import (
    Disagreement,
    ReaderError,
    Seen,
    disagreements,
    dispute_reason,
    disputed,
    read_stdlib,
)
from mimelint.rule import Context, Edit, Finding, Safety
from mimelint.settings import Settings, SettingsOptions
from mimelint.signatures import Signatures

#: The most passes a fix may take when every pass past ``max_passes`` still
#: leaves fewer fixable findings (deeper than any profile's nesting limit).
PROGRESS_PASSES = 200


@dataclasses.dataclass(frozen=True, slots=True)
class Skipped:
    """A finding whose fix was left unapplied, and why (for a person)."""

    finding: Finding
    reason: str


class FixResult(bytes):
    """The fixed message (it *is* the bytes) and an account of the fixing.

    - ``data``: the new bytes; the input unchanged when refused or clean;
    - ``applied``: the findings whose fixes were applied, in order (their
      positions are in the message of the pass that applied them; the
      description is ``finding.fix.description``);
    - ``remaining``: the findings of the final message;
    - ``found``: the findings of the input, as a plain lint reports them
      (a fix may clear more findings than its own, so this can be more
      than ``applied`` plus what was cleared; reports count from it);
    - ``refused``: why the fix was refused, or None;
    - ``skipped``: the fixes left unapplied though the rest went through,
      each a :class:`Skipped` (the finding with its fix, and the reason:
      today, that the edit would invalidate a signature). Such a finding
      also stands in ``remaining`` without its fix and with
      ``"; not fixed: <reason>"`` after its message, so every report shows
      why it is still there;
    - ``refused_fixes``: the fixes a proof refused while the others went
      through (or, where the two readers disagree about the input, every
      safe fix, now unsafe), each a :class:`Skipped` with the reason. Such
      a finding stands in ``remaining`` with ``"; not fixed: <reason>"``
      after its message (and without its fix, or with it marked unsafe
      where the readers disagree);
    - ``changed``: whether ``data`` differs from the input;
    - ``passes``: how many lint-and-apply passes ran.
    """

    applied: list[Finding]
    remaining: list[Finding]
    found: list[Finding]
    refused: str | None
    skipped: list[Skipped]
    refused_fixes: list[Skipped]
    passes: int
    _changed: bool

    def __new__(
        cls,
        data: bytes,
        *,
        original: bytes,
        applied: list[Finding],
        remaining: list[Finding],
        refused: str | None = None,
        skipped: list[Skipped] | None = None,
        passes: int = 0,
        found: list[Finding] | None = None,
        refused_fixes: list[Skipped] | None = None,
    ) -> Self:
        self = super().__new__(cls, data)
        self.applied = applied
        self.remaining = remaining
        self.found = found if found is not None else remaining
        self.refused = refused
        self.skipped = skipped if skipped is not None else []
        self.refused_fixes = refused_fixes if refused_fixes is not None else []
        self.passes = passes
        self._changed = data != original
        return self

    @property
    def data(self) -> bytes:
        """The fixed message's bytes."""
        return bytes(self)

    @property
    def changed(self) -> bool:
        """Whether the fixed message differs from the input."""
        return self._changed

    def __repr__(self) -> str:
        state = f"refused={self.refused!r}" if self.refused else f"changed={self.changed}"
        return f"FixResult({len(self)} bytes, {len(self.applied)} applied, {state})"


def _clash(a: Span, b: Span) -> bool:
    """Do two edits' spans touch the same bytes (or insert at the same point)?

    Conservative where order matters: an insertion at either end of another
    edit (or at the same point as another insertion) counts as overlapping,
    so their relative order never has to be guessed; the later one waits a
    pass. Two replacements that merely meet do not clash.
    """
    (s1, e1), (s2, e2) = a, b
    if s1 == e1 or s2 == e2:
        return s2 <= s1 <= e2 or s1 <= s2 <= e1
    return s1 < e2 and s2 < e1


class _Taken:
    """The spans of accepted edits, sorted, for clash tests in log time.

    Accepted spans never clash with each other, so sorted by start they are
    sorted by end too (none nests in another); a new span can only clash
    with the run of neighbours whose end reaches its start or whose start
    reaches its end, and only those are tested. This keeps a pass linear
    (up to the sort) in the number of edits, where testing every pair made
    a message with thousands of fixes quadratic.
    """

    def __init__(self) -> None:
        self.spans: list[Span] = []

    def clashes(self, span: Span) -> bool:
        spans = self.spans
        i = bisect.bisect_left(spans, span)
        j = i - 1
        while j >= 0 and spans[j][1] >= span[0]:
            if _clash(spans[j], span):
                return True
            j -= 1
        j = i
        while j < len(spans) and spans[j][0] <= span[1]:
            if _clash(spans[j], span):
                return True
            j += 1
        return False

    def add(self, span: Span) -> None:
        bisect.insort(self.spans, span)


def _self_clash(spans: Sequence[Span]) -> bool:
    """Do any of one fix's spans (sorted) clash with each other?

    For sorted spans, a clash always shows between neighbours (or the
    earlier clash stops the test first), so one pass suffices.
    """
    return any(_clash(spans[i - 1], spans[i]) for i in range(1, len(spans)))


def accept(findings: Iterable[Finding], size: int, unsafe: bool) -> list[Finding]:
    """The findings whose fixes can be applied together in this pass.

    Fixes are taken in order of their first edit; a fix that overlaps an
    accepted one, or whose own edits overlap or leave the message, is left
    for a later pass. A fix identical to an accepted one is accepted too
    (two findings, one repair) without applying its edits twice.
    """
    candidates = [f for f in findings if _applicable(f, unsafe)]
    candidates.sort(
        key=lambda f: (min(e.start for e in f.fix.edits), f.code) if f.fix else (0, f.code)
    )
    chosen: list[Finding] = []
    taken = _Taken()
    seen: set[tuple[Edit, ...]] = set()
    for f in candidates:
        assert f.fix is not None
        edits = tuple(sorted(f.fix.edits, key=lambda e: (e.start, e.end)))
        if edits in seen:
            chosen.append(f)
            continue
        if any(e.start < 0 or e.end > size or e.end < e.start for e in edits):
            continue
        spans = [(e.start, e.end) for e in edits]
        if _self_clash(spans):
            continue
        if any(taken.clashes(span) for span in spans):
            continue
        seen.add(edits)
        for span in spans:
            taken.add(span)
        chosen.append(f)
    return chosen


def apply(data: bytes, findings: Sequence[Finding]) -> tuple[bytes, list[Span], list[Span]]:
    """Apply the accepted findings' edits in one pass over ``data``.

    Returns the new bytes and, for the proof, the spans that unsafe edits
    covered before (old offsets) and after (new offsets). The unchanged
    stretches are joined as views of ``data``, not copies: the join is the
    only new copy of the message.
    """
    edits: dict[tuple[int, int, bytes], bool] = {}
    for f in findings:
        assert f.fix is not None
        for e in f.fix.edits:
            key = (e.start, e.end, e.replacement)
            edits[key] = edits.get(key, False) or f.fix.safety is Safety.UNSAFE
    pieces: list[bytes | memoryview] = []
    old_spans: list[Span] = []
    new_spans: list[Span] = []
    pos = 0
    out_len = 0
    view = memoryview(data)
    for (start, end, replacement), is_unsafe in sorted(
        edits.items(), key=lambda kv: (kv[0][0], kv[0][1])
    ):
        head = view[pos:start]
        pieces.append(head)
        out_len += len(head)
        if is_unsafe:
            old_spans.append((start, end))
            new_spans.append((out_len, out_len + len(replacement)))
        pieces.append(replacement)
        out_len += len(replacement)
        pos = end
    pieces.append(view[pos:])
    return b"".join(pieces), old_spans, new_spans


def prove(
    old: Message,
    new: Message,
    old_touched: list[Span] | None = None,
    new_touched: list[Span] | None = None,
    *,
    release: bool = False,
) -> str | None:
    """:func:`mimelint.proof.prove`, total: a proof that cannot finish refuses.

    The proof reads both messages with decoders of the standard library;
    should one of them raise on some input nobody foresaw, the fix is
    refused (the input stays untouched) instead of the exception escaping.
    """
    try:
        return _prove(old, new, old_touched, new_touched, release=release)
    except Exception as exc:  # noqa: BLE001 - refusing is the safe answer to any failure
        return (
            f"the proof could not compare the messages ({type(exc).__name__}: {exc}); "
            "nothing was changed. Please report this."
        )


def fix(
    data: Source,
    *,
    settings: Settings | None = None,
    unsafe: bool = False,
    seed: int | None = None,
    max_passes: int = 10,
    keep_signatures: bool = True,
    **options: Unpack[SettingsOptions],
) -> FixResult:
    """Fix one raw message; see :class:`FixResult` for what comes back.

    Safe fixes are proven by two readers, mimelint's and the standard
    library's ``email`` package: both must read the same content before and
    after; a fix the proof refuses is left out (``refused_fixes``) and the
    others are applied. Where the two readers disagree about the input's
    structure, every fix is unsafe. ``unsafe`` also applies fixes that may
    change what a reader sees (mimelint's proof then allows exactly the
    headers and bodies those fixes touched to change; the standard library
    is not asked). ``seed`` varies the boundaries that fixes make (default 0:
    the same message always gets the same boundaries). ``max_passes``:
    passes always allowed; more run (up to :data:`PROGRESS_PASSES`) only
    while each leaves fewer fixable findings. ``keep_signatures`` (the
    default) leaves every fix that would touch bytes a signature covers
    (the signed part of a ``multipart/signed``; with a ``DKIM-Signature``
    or ``ARC-Message-Signature``, the body and the signed fields), listing
    it in ``skipped``; pass False to fix anyway, then re-sign. ``settings``
    (a :class:`~mimelint.settings.Settings`) or the keywords it is made of
    are those of :func:`mimelint.lint`. Never raises on message content;
    raises ``SelectionError`` on a bad selection or profile.
    """
    original = bytes(read_source(data))
    settings = Settings.given(settings, options)
    prof = settings.profile
    walk = settings.walk
    context = settings.context
    token = boundary_seed.set(seed or 0)
    try:
        result = _Fixer(original, walk, context, prof, unsafe, keep_signatures).run(max_passes)
        # A fix the proof refused beside others may prove once they are made
        # (its trouble was a shape they changed): run again on the output, so
        # that fixing the output again finds nothing more to do.
        for _ in range(SETTLE_ROUNDS):
            if not (result.changed and result.refused_fixes):
                break
            again = _Fixer(bytes(result), walk, context, prof, unsafe, keep_signatures)
            more = again.run(max_passes)
            if not more.changed:
                break
            result = FixResult(
                bytes(more),
                original=original,
                applied=result.applied + more.applied,
                remaining=more.remaining,
                skipped=more.skipped,
                passes=result.passes + more.passes,
                found=result.found,
                refused_fixes=more.refused_fixes,
            )
        return result
    finally:
        boundary_seed.reset(token)


#: How many more fix runs may follow one whose proof refused some fixes
#: while applying others.
SETTLE_ROUNDS = 2


def _applicable(f: Finding, unsafe: bool) -> bool:
    return f.fix is not None and bool(f.fix.edits) and (unsafe or f.fix.safety is Safety.SAFE)


#: A fix's identity across passes: its rule and its span in the input's offsets.
Key = tuple[str, int, int]
#: One pass's edits: (old start, old end, new start, new end), in order.
Shifts = list[tuple[int, int, int, int]]

#: The most trial runs spent finding which fixes of a refused set prove
#: (each is a whole fix run). Fixes not reached are refused as untried.
MAX_TRIALS = 32
#: Fewer trials for long runs: at most about this many passes times
#: megabytes of message in all the trials of one fix (at least 2 trials).
TRIAL_BUDGET = 32


def _trials(passes: int, size: int) -> int:
    """How many trial runs one fix may spend settling a refused set."""
    weight = max(1, passes) * max(1, size >> 20)
    return max(2, min(MAX_TRIALS, TRIAL_BUDGET // weight))


def _shifts(findings: Sequence[Finding]) -> Shifts:
    """Where :func:`apply` puts each distinct edit of these findings."""
    edits = sorted(
        {(e.start, e.end, e.replacement) for f in findings if f.fix for e in f.fix.edits},
        key=lambda e: (e[0], e[1]),
    )
    out: Shifts = []
    delta = 0
    for start, end, replacement in edits:
        out.append((start, end, start + delta, start + delta + len(replacement)))
        delta += len(replacement) - (end - start)
    return out


def _back(pos: int, history: Sequence[Shifts], *, start: bool) -> int | None:
    """An offset of the latest message in the input's offsets; None inside an applied edit.

    ``start``: the offset starts a span (the byte at it counts), else it
    ends one (the byte before it counts). Where an edit wrote nothing (a
    removed line), the byte at the offset is the first after what was
    removed: a start there is the removed text's end in the input, an end
    its start. Mapping both to the start gave the field after a removed
    duplicate another fix's key, so a trial that left fixes out applied
    them one pass after another.
    """
    for shifts in reversed(history):
        i = bisect.bisect_right(shifts, (pos, 1 << 62), key=lambda s: (s[2], s[3]))
        # bisect on new starts: the last edit that starts at or before pos
        if i == 0:
            continue
        old_start, old_end, new_start, new_end = shifts[i - 1]
        if pos == new_start:
            pos = old_end if start and new_start == new_end else old_start
        elif pos < new_end:
            return None
        else:
            pos = old_end + (pos - new_end)
    return pos


def _key(f: Finding, history: Sequence[Shifts]) -> Key | None:
    start = _back(f.start, history, start=True)
    # An empty span (an insertion point, such as M206's close delimiter) is
    # one offset: mapped as an end after a removed line, it would become
    # (removed text's end, its start), a key no fix of the input has.
    end = start if f.end == f.start else _back(f.end, history, start=False)
    if start is None or end is None:
        return None
    return (f.code, start, end)


@dataclasses.dataclass
class _Attempt:
    """One fix run with some of the input's fixes left out."""

    data: bytes
    applied: list[Finding]
    remaining: list[Finding]
    blocked: dict[int, str]
    keys: list[Key | None]  #: each remaining finding's key
    passes: int
    changed: bool
    failure: str | None = None  #: why it failed, or None
    culprits: Sequence[Finding] = ()
    proof: bool = False  #: the failure is a proof's (settled fix by fix)


class _Fixer:
    """One fix run: the loop, the proofs, the account of what happened."""

    def __init__(
        self,
        original: bytes,
        walk: Walk,
        context: Context,
        prof: Profile,
        unsafe: bool,
        keep_signatures: bool,
    ) -> None:
        self.original = original
        self.walk = walk
        self.context = context
        self.max_depth = prof.max_depth
        self.unsafe = unsafe
        self.keep_signatures = keep_signatures
        self.stdlib_input: Seen | None = None  #: the second reader's reading of the input

    def lint(self, data: bytes) -> tuple[Message, list[Finding], dict[int, str]]:
        """Parse and lint ``data``; also which findings' fixes a signature blocks."""
        message = parse(data, max_depth=self.max_depth)
        findings = run_rules(message, self.walk, self.context)
        blocked: dict[int, str] = {}
        if self.keep_signatures:
            guard = Signatures(message)
            if guard:
                for i, f in enumerate(findings):
                    if f.fix is not None and f.fix.edits:
                        why = guard.why(f.fix.edits)
                        if why is not None:
                            blocked[i] = why
        return message, findings, blocked

    def count(self, findings: list[Finding], blocked: dict[int, str]) -> int:
        """How many findings offer a fix this run would apply."""
        unsafe = self.unsafe
        return sum(1 for i, f in enumerate(findings) if i not in blocked and _applicable(f, unsafe))

    def run(self, max_passes: int) -> FixResult:
        original, unsafe = self.original, self.unsafe
        first, first_findings, first_blocked = self.lint(original)
        # The first tree waits for the final proof; its decoded bodies are
        # decoded again then, part by part, rather than held all along.
        release(first)
        candidates = [
            f
            for i, f in enumerate(first_findings)
            if i not in first_blocked and _applicable(f, unsafe)
        ]
        if not candidates:  # nothing to fix: no proof, no second reader
            remaining, skipped = _annotate(first_findings, first_blocked)
            return FixResult(
                original, original=original, applied=[], remaining=remaining, skipped=skipped
            )
        # The second reader: where it reads the input's structure otherwise,
        # any fix settles one reading, so every fix is unsafe here.
        if not unsafe:
            disputes = disagreements(first)
            if disputes:
                return self.disputed(first, first_findings, first_blocked, disputes)
        whole = self.attempt(first, first_findings, first_blocked, max_passes, {})
        if whole.failure is None:
            return self.result(whole, first_findings, first_blocked, {})
        if not whole.proof:
            return self.refuse(
                first_findings, first_blocked, whole.passes, whole.failure, whole.culprits
            )
        return self.settle(first, first_findings, first_blocked, max_passes, candidates, whole)

    def disputed(
        self,
        first: Message,
        findings: list[Finding],
        blocked: dict[int, str],
        disputes: list[Disagreement],
    ) -> FixResult:
        """The input unchanged: every safe fix is unsafe where the readers disagree."""
        reason = dispute_reason(first, disputes)
        remaining: list[Finding] = []
        refused: list[Skipped] = []
        for i, f in enumerate(findings):
            if i not in blocked and f.fix is not None and f.fix.safety is Safety.SAFE:
                refused.append(Skipped(f, reason))
                f = disputed(f, reason)
            remaining.append(f)
        annotated, skipped = _annotate(remaining, blocked)
        return FixResult(
            self.original,
            original=self.original,
            applied=[],
            remaining=annotated,
            skipped=skipped,
            refused_fixes=refused,
            found=annotated,
        )

    def attempt(
        self,
        first: Message,
        first_findings: list[Finding],
        first_blocked: dict[int, str],
        max_passes: int,
        excluded: dict[Key, str],
    ) -> _Attempt:
        """The fix loop, leaving out the input's fixes whose keys are ``excluded``."""
        original, unsafe = self.original, self.unsafe
        message, findings, blocked = first, first_findings, first_blocked
        history: list[Shifts] = []

        def allowed(f: Finding) -> bool:
            if not excluded:
                return True
            key = _key(f, history)
            return key is None or key not in excluded

        applied: list[Finding] = []
        touched = False
        passes = 0
        limit = max(max_passes, PROGRESS_PASSES)
        fixable = self.count(findings, blocked)
        shrinking = True  # did the last pass leave fewer fixable findings?
        out_of_passes = False
        while True:
            free = [f for i, f in enumerate(findings) if i not in blocked and allowed(f)]
            batch = accept(free, len(message.data), unsafe)
            if not batch:
                break
            if passes >= max_passes and (passes >= limit or not shrinking):
                out_of_passes = True
                break
            new_data, old_spans, new_spans = apply(message.data, batch)
            if new_data == message.data:
                break
            passes += 1
            new_message, new_findings, new_blocked = self.lint(new_data)
            if unsafe:
                # Unsafe fixes change content on purpose: prove each pass
                # alone, allowing what they touched, since the end-to-end
                # proof cannot.
                touched = touched or bool(old_spans)
                difference = prove(message, new_message, old_spans, new_spans, release=True)
                if difference is not None:
                    return self.failed(first_findings, passes, difference, batch, proof=True)
            applied.extend(batch)
            history.append(_shifts(batch))
            if message is not first:
                release(message)
            message, findings, blocked = new_message, new_findings, new_blocked
            count = self.count(findings, blocked)
            shrinking = count < fixable
            fixable = count
        keys: list[Key | None] = (
            [_key(f, history) for f in findings] if excluded else [None] * len(findings)
        )
        if message is first:
            return _Attempt(original, [], findings, blocked, keys, passes, False)
        # A fix this run would apply that is still offered: it did not converge.
        stuck = [
            f
            for i, (f, key) in enumerate(zip(findings, keys, strict=True))
            if f.fix is not None
            and i not in blocked
            and (unsafe or f.fix.safety is Safety.SAFE)
            and (key is None or key not in excluded)
        ]
        if stuck:
            f = stuck[0]
            if out_of_passes and shrinking:
                reason = (
                    f"stopped after {passes} passes with {fixable} fixable findings left "
                    f"(first: {f.code} at line {f.line}, column {f.column}): every pass fixed "
                    "some, but fixes that wait for each other (such as deeply nested parts "
                    f"ending at the same point) needed more than {limit} passes"
                )
            else:
                reason = (
                    f"{f.code} ({f.name}) still offers a fix after {passes} pass(es) at "
                    f"line {f.line}, column {f.column}: its fix does not converge (a bug in "
                    "that rule; please report it)"
                )
            return self.failed(first_findings, passes, reason, applied)
        if not touched:
            # Part by part, dropping each pair's decoded bodies once compared,
            # so the two trees never hold every payload at once.
            difference = prove(first, message, release=True)
            if difference is None and not unsafe:
                difference = self.prove_stdlib(message.data)
            if difference is not None:
                return self.failed(first_findings, passes, difference, applied, proof=True)
        return _Attempt(message.data, applied, findings, blocked, keys, passes, True)

    def prove_stdlib(self, new: bytes) -> str | None:
        """The second reader's proof, reading the input once per fix run."""
        if self.stdlib_input is None:
            try:
                self.stdlib_input = read_stdlib(self.original, content=True)
            except ReaderError as exc:
                return f"{exc}; the readers cannot be compared"
        return prove_stdlib(self.stdlib_input, new)

    def failed(
        self,
        findings: list[Finding],
        passes: int,
        reason: str,
        culprits: Sequence[Finding],
        *,
        proof: bool = False,
    ) -> _Attempt:
        return _Attempt(self.original, [], findings, {}, [], passes, False, reason, culprits, proof)

    def settle(
        self,
        first: Message,
        first_findings: list[Finding],
        first_blocked: dict[int, str],
        max_passes: int,
        candidates: list[Finding],
        whole: _Attempt,
    ) -> FixResult:
        """The proof refused the whole set: apply the largest set that proves.

        Fixes are tried in message order, in halves of the refused set: a
        half that proves together with what was kept is kept whole, one that
        does not is split again, down to the single fix, which is then
        refused with the proof's reason. Linear when nothing is refused;
        about ``r * log2(n)`` more fix runs for ``r`` refused fixes of ``n``.
        """
        order = sorted(
            candidates,
            key=lambda f: (min(e.start for e in f.fix.edits), f.code) if f.fix else (0, f.code),
        )
        keys: list[Key] = []
        by_key: dict[Key, Finding] = {}
        for f in order:
            key = (f.code, f.start, f.end)
            if key not in by_key:
                by_key[key] = f
                keys.append(key)
        kept: set[Key] = set()
        reasons: dict[Key, str] = {}
        best: _Attempt | None = None
        chunks = _halves(keys) if len(keys) > 1 else []
        if len(keys) == 1:
            reasons[keys[0]] = whole.failure or ""
        trials = 0
        limit = _trials(whole.passes, len(self.original))
        while chunks:
            chunk = chunks.pop(0)
            if trials >= limit:
                for key in chunk:
                    reasons[key] = (
                        f"not tried: the proof refused the set of fixes and {limit} trial "
                        "runs were spent on the fixes before it"
                    )
                continue
            trials += 1
            chosen = kept | set(chunk)
            excluded = {key: "" for key in keys if key not in chosen}
            trial = self.attempt(first, first_findings, first_blocked, max_passes, excluded)
            if trial.failure is None:
                kept |= set(chunk)
                best = trial
            elif len(chunk) == 1:
                reasons[chunk[0]] = trial.failure
            else:
                chunks[:0] = _halves(chunk)
        refused = [Skipped(by_key[key], reasons[key]) for key in keys if key in reasons]
        if best is None or not best.changed:
            result = self.refuse(
                first_findings, first_blocked, whole.passes, whole.failure or "", whole.culprits
            )
            result.refused_fixes = refused
            result.remaining = _mark(result.remaining, _own_keys(result.remaining), reasons)
            return result
        return self.result(best, first_findings, first_blocked, reasons, refused)

    def result(
        self,
        done: _Attempt,
        first_findings: list[Finding],
        first_blocked: dict[int, str],
        reasons: dict[Key, str],
        refused: list[Skipped] | None = None,
    ) -> FixResult:
        remaining, skipped = _annotate(done.remaining, done.blocked)
        if reasons:
            remaining = _mark(remaining, done.keys, reasons)
        found = _annotate(first_findings, first_blocked)[0]
        return FixResult(
            done.data,
            original=self.original,
            applied=done.applied,
            remaining=remaining,
            skipped=skipped,
            passes=done.passes,
            found=found if done.changed else remaining,
            refused_fixes=refused,
        )

    def refuse(
        self,
        findings: list[Finding],
        blocked: dict[int, str],
        passes: int,
        reason: str,
        culprits: Sequence[Finding],
    ) -> FixResult:
        """The input unchanged, its findings, and why nothing was fixed."""
        codes = sorted({f.code for f in culprits})
        suffix = f" (fixes from {', '.join(codes)})" if codes else ""
        remaining, skipped = _annotate(findings, blocked)
        return FixResult(
            self.original,
            original=self.original,
            applied=[],
            remaining=remaining,
            refused=reason + suffix,
            skipped=skipped,
            passes=passes,
        )


def _halves(keys: list[Key]) -> list[list[Key]]:
    mid = len(keys) // 2
    return [keys[:mid], keys[mid:]]


def _own_keys(findings: list[Finding]) -> list[Key | None]:
    return [(f.code, f.start, f.end) for f in findings]


def _mark(
    findings: list[Finding], keys: Sequence[Key | None], reasons: dict[Key, str]
) -> list[Finding]:
    """Findings whose fix was refused: reported without it, with the reason."""
    out = []
    for f, key in zip(findings, keys, strict=True):
        why = reasons.get(key) if key is not None else None
        if why is not None and f.fix is not None:
            f = f._replace(message=f"{f.message}; not fixed: {why}", fix=None)
        out.append(f)
    return out


def _annotate(
    findings: list[Finding], blocked: dict[int, str]
) -> tuple[list[Finding], list[Skipped]]:
    """The findings as reported, and the fixes a signature kept back.

    A blocked finding is reported without its fix (no report may call it
    fixable) and with the reason after its message.
    """
    if not blocked:
        return findings, []
    remaining: list[Finding] = []
    skipped: list[Skipped] = []
    for i, f in enumerate(findings):
        why = blocked.get(i)
        if why is not None:
            skipped.append(Skipped(f, why))
            f = f._replace(message=f"{f.message}; not fixed: {why}", fix=None)
        remaining.append(f)
    return remaining, skipped


def pair_after(before: Path) -> Path:
    """The ``*.after.eml`` of a fixture pair's ``*.before.eml``."""
    return before.with_name(before.name.removesuffix(".before.eml") + ".after.eml")


def pair_is_unsafe(before: Path) -> bool:
    """Whether a fixture pair is fixed with unsafe fixes (``*.unsafe.before.eml``)."""
    return before.name.endswith(".unsafe.before.eml")


def regenerate(folder: Path, *, check: bool = False) -> list[Path]:
    """Rewrite (or with ``check``, list stale) ``*.after.eml`` fixture files.

    ``NAME.before.eml`` is fixed with safe fixes only, ``NAME.unsafe.before.eml``
    with unsafe ones too; the result goes to the matching ``*.after.eml``.
    """
    stale: list[Path] = []
    for before in sorted(folder.glob("*.before.eml")):
        after = pair_after(before)
        result = fix(before.read_bytes(), seed=0, unsafe=pair_is_unsafe(before))
        if not after.exists() or after.read_bytes() != result.data:
            stale.append(after)
            if not check:
                after.write_bytes(result.data)
    return stale


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m mimelint.fixer --regen [--check] [folder]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if "--regen" not in args:
        print("usage: python -m mimelint.fixer --regen [--check] [fixtures/fixes]", file=sys.stderr)
        return 2
    check = "--check" in args
    rest = [a for a in args if not a.startswith("--")]
    folder = Path(rest[0]) if rest else Path("fixtures/fixes")
    stale = regenerate(folder, check=check)
    for path in stale:
        print(("stale: " if check else "wrote: ") + str(path))
    return 1 if check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
