"""Where the jobs run: in this process, a local process pool, or a Dask cluster.

:func:`expand` turns the jobs of the command line (one per path) into one
job per message, opening containers (:mod:`mimelint.sources`) lazily;
:func:`run_stream` processes them and yields each :class:`Outcome` in job
order, with a bounded number of jobs in flight, so that memory stays flat
however many messages a container holds. Every engine gives the same
outcomes in the same order as ``-j1``.

With ``engine="dask"`` a job travels as a reference (path, byte range or
member name; :class:`mimelint.sources.Ref`), never as message bytes: each
task reads its own messages from the file, which every worker must be able
to open at the same path (a shared file system, or the same machine).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice

from mimelint.runner import STDIN, Job, Outcome, process
from mimelint.sources import (
    MBOX,
    TAR_STREAM,
    archive_errors,
    chunked,
    file_ref,
    items,
    kind_of,
    limits_for,
    read_refs,
)

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from typing import Any

#: Environment variable naming a Dask scheduler (``tcp://host:8786``).
SCHEDULER_ENV = "MIMELINT_DASK_SCHEDULER"
#: Jobs per task: large enough that task overhead is small next to linting.
LOCAL_BATCH = 64
DASK_BATCH = 256
#: Members of a compressed tar per Dask task: each task decompresses the
#: stream from its start, so fewer, larger tasks cost less in total.
DASK_STREAM_BATCH = 2048
#: Tasks in flight per worker: keeps workers busy while results are consumed in order.
WINDOW_PER_WORKER = 3

CONTAINER_FIX_ERROR = (
    "cannot fix or diff messages inside an mbox or archive; check it without --fix or --diff"
)


def expand(jobs: Iterable[Job], input_format: str | None, by_reference: bool) -> Iterator[Job]:
    """One job per message: plain files pass through, containers are opened.

    ``by_reference`` (a cluster engine): members carry a :class:`Ref` and no
    bytes, and plain files a reference by absolute path. A container that
    cannot be read (or stops being readable half-way) becomes one job with
    an ``error``.
    """
    for job in jobs:
        if job.error is not None:
            yield job
            continue
        if input_format == "eml" or (job.path == STDIN and input_format != MBOX):
            kind = None
        else:
            kind = kind_of(job.path, input_format)
        if kind is None:
            if by_reference and job.path != STDIN:
                job = job._replace(ref=file_ref(os.path.abspath(job.path)))
            yield job
            continue
        if job.fix or job.diff:
            yield job._replace(error=CONTAINER_FIX_ERROR)
            continue
        yield from _members(job, kind, by_reference and job.path != STDIN)


def _members(job: Job, kind: str, by_reference: bool) -> Iterator[Job]:
    limits = limits_for(job.settings.profile)
    where = os.path.abspath(job.path) if by_reference else job.path
    data = job.data if kind == MBOX else None
    try:
        for item in items(where, kind, limits, want_data=not by_reference, data=data):
            yield job._replace(
                member=item.member,
                data=item.data,
                ref=item.ref if by_reference else None,
                over_limit=item.finding.message if item.finding is not None else None,
            )
    except archive_errors() as exc:
        text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        yield job._replace(data=None, error=f"cannot read {kind} container: {text}")


def process_batch(jobs: list[Job]) -> list[Outcome]:
    """Process jobs in order, reading referenced messages a file at a time."""
    wanted = [j for j in jobs if j.ref is not None and j.data is None and j.over_limit is None]
    if wanted:
        try:
            read = dict(zip(map(id, wanted), read_refs([j.ref for j in wanted if j.ref])))
        except archive_errors():
            read = {}  # each job reads (and reports) on its own below
        jobs = [j._replace(data=read[id(j)], ref=None) if id(j) in read else j for j in jobs]
    return [process(job) for job in jobs]


def _windowed(
    submit: Callable[[list[Job]], Any], batches: Iterable[list[Job]], window: int
) -> Iterator[Outcome]:
    """Submit batches, at most ``window`` in flight; yield outcomes in order."""
    pending: deque[Any] = deque()
    for batch in batches:
        pending.append(submit(batch))
        if len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


def run_stream(
    jobs: Iterable[Job],
    workers: int,
    *,
    engine: str = "local",
    scheduler: str | None = None,
    threshold: int | None = None,
) -> Iterator[Outcome]:
    """Every job's outcome, in job order, without holding all of them.

    ``local``: in this process, or a pool of ``workers`` processes when there
    are more than ``threshold`` jobs (default
    :data:`mimelint.runner.PARALLEL_THRESHOLD`). ``dask``: on the cluster at
    ``scheduler``, or on a local cluster of ``workers`` processes.
    """
    if engine == "dask":
        yield from _dask(jobs, workers, scheduler)
        return
    if threshold is None:
        from mimelint import runner

        threshold = runner.PARALLEL_THRESHOLD
    iterator = iter(jobs)
    head = list(islice(iterator, threshold + 1))
    if workers <= 1 or len(head) <= threshold:
        yield from map(process, chain(head, iterator))
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        batches = chunked(chain(head, iterator), LOCAL_BATCH)
        yield from _windowed(
            lambda batch: pool.submit(process_batch, batch),
            batches,
            workers * WINDOW_PER_WORKER,
        )


def _dask_batches(jobs: Iterable[Job]) -> Iterator[list[Job]]:
    """Tasks of :data:`DASK_BATCH` jobs, or :data:`DASK_STREAM_BATCH` from a ``.tar.gz``."""
    batch: list[Job] = []
    limit = DASK_BATCH
    for job in jobs:
        if not batch:
            stream = job.ref is not None and job.ref.kind == TAR_STREAM
            limit = DASK_STREAM_BATCH if stream else DASK_BATCH
        batch.append(job)
        if len(batch) >= limit:
            yield batch
            batch = []
    if batch:
        yield batch


def _dask(jobs: Iterable[Job], workers: int, scheduler: str | None) -> Iterator[Outcome]:
    import importlib
    import logging

    # Untyped: imported as a module object so strict typing stays honest elsewhere.
    distributed: Any = importlib.import_module("distributed")
    cluster = None
    if scheduler:
        client = distributed.Client(scheduler)
    else:
        cluster = distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            # Any free port: the default 8787 is often taken (warning), and
            # the HTTP server only serves health checks without bokeh.
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        )
        client = distributed.Client(cluster)
    try:
        threads = max(1, sum(client.nthreads().values()))
        yield from _windowed(
            lambda batch: client.submit(process_batch, batch, pure=False),
            _dask_batches(jobs),
            threads * WINDOW_PER_WORKER,
        )
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
