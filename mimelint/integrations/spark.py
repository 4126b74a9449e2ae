"""Lint a Spark DataFrame of raw messages: :func:`lint_dataframe`.

::

    from mimelint.integrations.spark import lint_dataframe

    raw = spark.read.format("binaryFile").option("pathGlobFilter", "*.eml").load("s3a://bucket/sent/")
    findings = lint_dataframe(raw)  # columns: path, member, line, column, ..., fix_safety
    findings.groupBy("code").count().show()

Each executor lints its partition's messages with ``mapInArrow``: Arrow
batches in, Arrow batches of findings out, no pandas conversion and no row
objects. A finding row has the keys of ``mimelint check --format json``
as columns. Needs pyspark 3.3 or newer and pyarrow
(``pip install 'mimelint[spark]'``); mimelint must be installed on the
executors too. docs/bulk.md has the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

#: The result columns and their Spark SQL types (the keys of ``--format json`` but ``related``).
SPARK_COLUMNS = (
    ("path", "string"),
    ("member", "string"),
    ("line", "int"),
    ("column", "int"),
    ("end_line", "int"),
    ("end_column", "int"),
    ("code", "string"),
    ("name", "string"),
    ("severity", "string"),
    ("message", "string"),
    ("part", "string"),
    ("fixable", "boolean"),
    ("fix_safety", "string"),
)
#: The result schema as a Spark DDL string.
SCHEMA_DDL = ", ".join(f"`{name}` {kind}" for name, kind in SPARK_COLUMNS)
_ARROW_TYPES = {"string": "string", "int": "int32", "boolean": "bool_"}


def arrow_schema() -> Any:
    """The findings schema as a pyarrow schema (what ``mapInArrow`` yields)."""
    import pyarrow as pa

    return pa.schema([(name, getattr(pa, _ARROW_TYPES[kind])()) for name, kind in SPARK_COLUMNS])


def lint_rows(
    rows: Iterable[tuple[str | None, bytes | None]],
    *,
    profile: str = "ses",
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    extend_select: Sequence[str] = (),
    envelope_from: str | None = None,
    envelope_to: Sequence[str] = (),
) -> Iterator[dict[str, Any]]:
    """The finding rows of ``(path, content)`` pairs, as ``mimelint check`` reports them.

    Each message goes through the command line's own job
    (:func:`mimelint.runner.process`), so a row is exactly what
    ``--format json`` prints for that file. A missing content is one row
    whose code is None and whose message says so.
    """
    from mimelint.formats._common import finding_dict
    from mimelint.profile import get_profile
    from mimelint.runner import Job, process
    from mimelint.settings import Settings

    prof = get_profile(profile)
    template = Job(
        path="",
        settings=Settings.make(
            profile=prof,
            select=select,
            ignore=ignore,
            extend_select=extend_select,
            envelope_from=envelope_from,
            envelope_to=envelope_to,
        ),
    )
    for path, content in rows:
        shown = path or ""
        if content is None:
            yield {"path": shown, "member": None, "message": "no content"}
            continue
        outcome = process(template._replace(path=shown, data=bytes(content)))
        for finding in outcome.result.findings:
            yield finding_dict(shown, finding)


def _batches(
    batches: Iterable[Any], content_col: str, path_col: str | None, options: dict[str, Any]
) -> Iterator[Any]:
    import pyarrow as pa

    schema = arrow_schema()
    names = [name for name, _ in SPARK_COLUMNS]
    for batch in batches:
        contents = batch.column(content_col).to_pylist()
        paths = batch.column(path_col).to_pylist() if path_col else [None] * len(contents)
        columns: dict[str, list[Any]] = {name: [] for name in names}
        for row in lint_rows(zip(paths, contents), **options):
            for name in names:
                columns[name].append(row.get(name))
        yield pa.RecordBatch.from_pydict(columns, schema=schema)


def lint_dataframe(
    df: Any,
    content_col: str = "content",
    path_col: str | None = "path",
    *,
    profile: str = "ses",
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    extend_select: Sequence[str] = (),
    envelope_from: str | None = None,
    envelope_to: Sequence[str] = (),
) -> Any:
    """A DataFrame of findings, one row per finding, for a DataFrame of raw messages.

    ``content_col`` holds each message's bytes (binary), ``path_col`` its
    name (None: no path column; findings then have an empty path). The
    options are those of :func:`mimelint.lint`. Lazy, like every Spark
    transformation: nothing runs until an action (``count``, ``write``).
    """
    options: dict[str, Any] = {
        "profile": profile,
        "select": tuple(select) if select is not None else None,
        "ignore": tuple(ignore),
        "extend_select": tuple(extend_select),
        "envelope_from": envelope_from,
        "envelope_to": tuple(envelope_to),
    }
    columns = [content_col] if path_col is None else [path_col, content_col]

    def lint_partition(batches: Iterable[Any]) -> Iterator[Any]:
        return _batches(batches, content_col, path_col, options)

    return df.select(*columns).mapInArrow(lint_partition, SCHEMA_DDL)
