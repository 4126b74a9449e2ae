"""``--format json-lines``: one JSON object per finding, one per line.

Easy to stream into ``jq``, log pipelines or a database loader; each line
stands alone (non-ASCII is \\u-escaped, so any path or message is
safe to print). A file that could not be read is one ``{"path", "error"}``
object (followed by its findings when ``--fix`` could not write it). The keys of a finding are those of ``--format json``. With
``--statistics`` each line is one ``{"code", "name", "count", "fixable"}``
object, as in the array of ``--format json --statistics``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from mimelint.formats import FileResult, RenderOptions
from mimelint.formats._common import error_dict, finding_dict, statistics_rows


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    """Every finding (and every unreadable file) as one JSON line."""
    if options.statistics:
        return "".join(json.dumps(row) + "\n" for row in statistics_rows(results))
    lines: list[str] = []
    for result in results:
        if result.error is not None:
            lines.append(json.dumps(error_dict(result.path, result.error, result.member)))
        for finding in result.findings:
            lines.append(json.dumps(finding_dict(result.path, finding, result.member)))
    return "".join(line + "\n" for line in lines)
