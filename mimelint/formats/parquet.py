"""``--format parquet --output-file F``: one row per finding, in row groups.

Every key of ``--format json`` is a column (``path``, ``member``, ``line``,
``column``, ``end_line``, ``end_column``, ``code``, ``name``, ``severity``,
``message``, ``part``, ``fixable``, ``fix_safety``), plus ``error``, set
(and the finding's columns null) on the row of a file or member that
could not be read. Rows are buffered and written as a row group every
:data:`ROW_GROUP` rows, so memory stays flat however many messages a run
reads. Needs pyarrow (``pip install 'mimelint[parquet]'``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mimelint.formats import FileResult, RenderOptions
from mimelint.formats.stream import Writer

#: Rows per row group.
ROW_GROUP = 50_000

#: Column name -> pyarrow type name, in order.
COLUMNS = {
    "path": "string",
    "member": "string",
    "line": "int32",
    "column": "int32",
    "end_line": "int32",
    "end_column": "int32",
    "code": "string",
    "name": "string",
    "severity": "string",
    "message": "string",
    "part": "string",
    "fixable": "bool_",
    "fix_safety": "string",
    "error": "string",
}

INSTALL_HINT = "--format parquet needs pyarrow: pip install 'mimelint[parquet]'"


def schema() -> Any:
    """The pyarrow schema of the findings table."""
    import pyarrow as pa

    return pa.schema([(name, getattr(pa, kind)()) for name, kind in COLUMNS.items()])


class ParquetWriter(Writer):
    def __init__(self, output_file: Path, options: RenderOptions) -> None:
        import pyarrow.parquet as pq

        super().__init__("parquet", options, lambda _: None)
        self.schema = schema()
        self.file = pq.ParquetWriter(str(output_file), self.schema)
        self.columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
        self.rows = 0

    def add(self, result: FileResult) -> None:
        from mimelint.formats._common import error_dict, finding_dict

        if result.error is not None:
            self._row(error_dict(result.path, result.error, result.member))
        for finding in result.findings:
            self._row(finding_dict(result.path, finding, result.member))
        if self.rows >= ROW_GROUP:
            self._flush()

    def _row(self, row: dict[str, Any]) -> None:
        for name, values in self.columns.items():
            values.append(row.get(name))
        self.rows += 1

    def _flush(self) -> None:
        import pyarrow as pa

        if self.rows:
            table = pa.Table.from_pydict(self.columns, schema=self.schema)
            self.file.write_table(table)
            for values in self.columns.values():
                values.clear()
            self.rows = 0

    def close(self) -> None:
        self._flush()
        self.file.close()


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    """Parquet is binary: it is written to a file by :class:`ParquetWriter` only."""
    raise ValueError("--format parquet writes a file: use --output-file")
