"""``--format json``: one JSON array of every finding of every file.

Each finding is an object with ``path``, ``member``, ``line``, ``column``, ``end_line``,
``end_column``, ``code``, ``name``, ``severity``, ``message``, ``part``,
``fixable`` and ``fix_safety`` (the same keys as ``--format json-lines``;
both build them in :mod:`mimelint.formats._common`). A file that could not be
read is one ``{"path": ..., "error": ...}`` object; a file that ``--fix``
could not write is that object followed by the file's findings. With ``--statistics`` the
array holds one ``{"code", "name", "count", "fixable"}`` object per code.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from mimelint.formats import FileResult, RenderOptions
from mimelint.formats._common import error_dict, finding_dict, statistics_rows


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    """The findings as an indented JSON array, ending with a newline."""
    items: list[dict[str, Any]]
    if options.statistics:
        items = statistics_rows(results)
    else:
        items = []
        for result in results:
            if result.error is not None:
                items.append(error_dict(result.path, result.error, result.member))
            items.extend(finding_dict(result.path, f, result.member) for f in result.findings)
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
