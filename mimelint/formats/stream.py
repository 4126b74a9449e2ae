"""Streamed reports: each result is written as it arrives, then a closing part.

The command line feeds results here one at a time (in input order) and does
not keep them, so a run over millions of messages holds only counters:

- ``text``, ``github``, ``json-lines`` and ``parquet`` write each result's
  findings at once; the text summary and ``--statistics`` come from a
  :class:`mimelint.formats.text.Tally`;
- ``json`` writes its array an element at a time (the same bytes as
  :func:`mimelint.formats.json_format.render`);
- ``sarif`` is one document whose rule table is sorted and indexed by the
  results, so it keeps the results until the end (SARIF is for code
  scanning, which takes at most 25,000 results a run; use ``json-lines`` or
  ``parquet`` for archives).

Each writer gives output identical to the format's ``render`` over the same
results (tests/test_stream.py checks it).
"""

from __future__ import annotations

from collections.abc import Callable

from mimelint.formats import FileResult, RenderOptions, get_renderer

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any


class Writer:
    """The base: collect every result and render at :meth:`close`."""

    def __init__(self, fmt: str, options: RenderOptions, write: Callable[[str], object]) -> None:
        self.fmt = fmt
        self.options = options
        self.write = write
        self._kept: list[FileResult] = []

    def add(self, result: FileResult) -> None:
        self._kept.append(result)

    def close(self) -> None:
        self.write(get_renderer(self.fmt)(self._kept, self.options))


class TextWriter(Writer):
    def __init__(self, fmt: str, options: RenderOptions, write: Callable[[str], object]) -> None:
        from mimelint.formats.text import Tally

        super().__init__(fmt, options, write)
        self.tally = Tally(options)
        self.wrote = False

    def add(self, result: FileResult) -> None:
        from mimelint.formats import shown
        from mimelint.formats.text import finding_line

        self.tally.add(result)
        if result.refused is not None or result.fixes:
            self._kept.append(result._replace(findings=(), found=(), fixed=()))
        if self.options.statistics or not result.findings:
            return
        name = shown(result)
        self.write("".join(finding_line(name, f, self.options) + "\n" for f in result.findings))
        self.wrote = True

    def close(self) -> None:
        from mimelint.formats.text import closing, statistics

        lines: list[str] = []
        if self.options.statistics:
            lines = statistics(self.tally)
        lines.extend(closing(self._kept, self.tally, self.wrote or bool(lines)))
        self.write("".join(line + "\n" for line in lines))


class PerResultWriter(Writer):
    """Formats whose output for many results is the concatenation of each one's."""

    def add(self, result: FileResult) -> None:
        if self.options.statistics:
            super().add(result._replace(fixes=(), found=(), fixed=()))
            return
        self.write(get_renderer(self.fmt)([result], self.options))

    def close(self) -> None:
        if self.options.statistics:
            super().close()


class StatisticsWriter(Writer):
    """``--statistics`` in json or json-lines: counters only."""

    def __init__(self, fmt: str, options: RenderOptions, write: Callable[[str], object]) -> None:
        from mimelint.formats.text import Tally

        super().__init__(fmt, options, write)
        self.tally = Tally(options)

    def add(self, result: FileResult) -> None:
        self.tally.add(result)

    def close(self) -> None:
        import json

        rows = [
            {"code": code, "name": name, "count": count, "fixable": fixable}
            for code, name, count, _, fixable in self.tally.statistics_rows()
        ]
        if self.fmt == "json":
            self.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        else:
            self.write("".join(json.dumps(row) + "\n" for row in rows))


class JsonWriter(Writer):
    """The json array, one element at a time."""

    def __init__(self, fmt: str, options: RenderOptions, write: Callable[[str], object]) -> None:
        super().__init__(fmt, options, write)
        self.count = 0

    def add(self, result: FileResult) -> None:
        import json

        from mimelint.formats._common import error_dict, finding_dict

        items: list[dict[str, Any]] = []
        if result.error is not None:
            items.append(error_dict(result.path, result.error, result.member))
        items.extend(finding_dict(result.path, f, result.member) for f in result.findings)
        for item in items:
            text = json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n  ")
            self.write(("[\n  " if not self.count else ",\n  ") + text)
            self.count += 1

    def close(self) -> None:
        self.write("\n]\n" if self.count else "[]\n")


def open_writer(
    fmt: str,
    options: RenderOptions,
    write: Callable[[str], object],
    output_file: Path | None = None,
) -> Writer:
    """The streaming writer of a format; ``write`` takes text as it is produced.

    ``parquet`` writes to ``output_file`` itself (binary) and ignores ``write``.
    """
    if fmt == "parquet":
        from mimelint.formats.parquet import ParquetWriter

        if output_file is None:
            raise ValueError("parquet needs an output file")
        return ParquetWriter(output_file, options)
    if fmt == "text":
        return TextWriter(fmt, options, write)
    if options.statistics and fmt in ("json", "json-lines"):
        return StatisticsWriter(fmt, options, write)
    if fmt == "json":
        return JsonWriter(fmt, options, write)
    if fmt in ("json-lines", "github"):
        return PerResultWriter(fmt, options, write)
    return Writer(fmt, options, write)
