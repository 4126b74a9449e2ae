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

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Unpack

if TYPE_CHECKING:
    from mimelint.settings import Settings, SettingsOptions

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
    settings: Settings | None = None,
    **options: Unpack[SettingsOptions],
) -> Iterator[dict[str, Any]]:
    """The finding rows of ``(path, content)`` pairs, as ``mimelint check`` reports them.

    Each message goes through the command line's own job
    (:func:`mimelint.runner.process`), so a row is exactly what
    ``--format json`` prints for that file. A missing content is one row
    whose code is None and whose message says so. ``settings`` (or the
    keywords it is made of) are :func:`mimelint.lint`'s.
    """
    from mimelint.formats._common import finding_dict
    from mimelint.runner import Job, process
    from mimelint.settings import Settings

    template = Job(path="", settings=Settings.given(settings, options))
    for path, content in rows:
        shown = path or ""
        if content is None:
            yield {"path": shown, "member": None, "message": "no content"}
            continue
        outcome = process(template._replace(path=shown, data=bytes(content)))
        for finding in outcome.result.findings:
            yield finding_dict(shown, finding)


def _batches(
    batches: Iterable[Any], content_col: str, path_col: str | None, settings: Settings
) -> Iterator[Any]:
    import pyarrow as pa

    schema = arrow_schema()
    names = [name for name, _ in SPARK_COLUMNS]
    for batch in batches:
        contents = batch.column(content_col).to_pylist()
        paths = batch.column(path_col).to_pylist() if path_col else [None] * len(contents)
        columns: dict[str, list[Any]] = {name: [] for name in names}
        for row in lint_rows(zip(paths, contents), settings=settings):
            for name in names:
                columns[name].append(row.get(name))
        yield pa.RecordBatch.from_pydict(columns, schema=schema)


def lint_dataframe(
    df: Any,
    content_col: str = "content",
    path_col: str | None = "path",
    *,
    settings: Settings | None = None,
    **options: Unpack[SettingsOptions],
) -> Any:
    """A DataFrame of findings, one row per finding, for a DataFrame of raw messages.

    ``content_col`` holds each message's bytes (binary), ``path_col`` its
    name (None: no path column; findings then have an empty path).
    ``settings`` (or the keywords it is made of) are :func:`mimelint.lint`'s;
    they travel to the executors as one frozen value. Lazy, like every Spark
    transformation: nothing runs until an action (``count``, ``write``).
    """
    from mimelint.settings import Settings

    chosen = Settings.given(settings, options)
    columns = [content_col] if path_col is None else [path_col, content_col]

    def lint_partition(batches: Iterable[Any]) -> Iterator[Any]:
        return _batches(batches, content_col, path_col, chosen)

    return df.select(*columns).mapInArrow(lint_partition, SCHEMA_DDL)
