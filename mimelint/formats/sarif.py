"""``--format sarif``: SARIF 2.1.0, as GitHub code scanning and IDEs read it.

One run of the ``mimelint`` tool. The driver lists a rule descriptor (code,
name, summary, documentation, default level) for each rule that has a
result; each result points at its file by a URI relative to the current
directory (``%SRCROOT%``) and at its region by line and column. Columns
count characters (``columnKind: unicodeCodePoints``), as mimelint's do.
Fixes travel as SARIF fixes whose regions are byte ranges of the file.
Files that could not be read, and fixes that were refused, are reported as
tool execution notifications of the invocation.

Spec: OASIS SARIF 2.1.0 (Errata 01), sections 3.13 (run), 3.19 (tool
component), 3.27 (result), 3.30 (region), 3.49 (reporting descriptor),
3.55 (fix).
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from mimelint.formats import FileResult, RenderOptions, shown
from mimelint.rule import Finding, Fix, RelatedLocation, Rule, Severity
from mimelint.sources import LIMIT_CODE

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/mimelint/mimelint"
#: Where a built-in rule's generated page is published.
RULE_HELP_URI = INFORMATION_URI + "/blob/main/docs/rules/{code}.md"
SRCROOT = "%SRCROOT%"
#: The ``partialFingerprints`` key of mimelint.baseline's fingerprints; versioned,
#: so that a new recipe is never compared with old values.
FINGERPRINT_KEY = "mimelintFingerprint/v1"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

_INTERNAL_ERROR_DOC = """## What it does
Reports that a rule raised an exception on this message instead of
finishing. The other rules still ran.

## Why is this bad?
It is a bug in the rule, not in the message: the rule's findings for this
message are missing. Please report it with the message that triggered it."""


_LIMIT_DOC = """## What it does
Reports a message in an mbox or archive that was not read because it, or
the container's members together, exceed the archive-bomb limits
(docs/bulk.md).

## Why is this bad?
A member that large is not a message anyone sent; reading it whole could
exhaust memory or disk. Check it on its own if it is genuine."""


def artifact_uri(path: str, cwd: Path) -> str:
    """The URI of a shown path: relative to ``cwd`` with ``/`` and %-escapes.

    A path outside ``cwd`` becomes an absolute ``file:`` URI; standard input
    (``-``) stays ``-``. A name's bytes are escaped as they are on disk.
    """
    if path == "-":
        return path
    full = Path(os.path.normpath(cwd / path))
    try:
        relative = full.relative_to(cwd)
    except ValueError:
        return full.as_uri()
    # The name's own bytes are %-escaped: a name that is not UTF-8 holds
    # surrogate escapes, which quote() cannot encode as text.
    return quote(os.fsencode(PurePath(relative).as_posix()), safe="/")


def _directory_uri(directory: Path) -> str:
    uri = directory.resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _text_of(doc: str) -> str:
    """The documentation as plain text: Markdown headings lose their ``##``."""
    return "\n".join(line.removeprefix("## ") for line in doc.splitlines()).strip()


def _first_section(doc: str) -> str:
    from mimelint.docs import sections

    for title, body in sections(doc):
        if title == "What it does":
            return " ".join(body.split())
    return ""


def _lookup(code: str) -> Rule | None:
    from mimelint.registry import PluginError, rule_by_code

    try:
        return rule_by_code(code)
    except PluginError:  # the run that made these results already said so
        return None


def _descriptor(code: str, example: Finding) -> dict[str, Any]:
    """The reporting descriptor of a rule, from its metadata and docstring."""
    found = _lookup(code)
    if found is not None and found.code == code:
        name, summary, doc = found.name, found.summary.strip(), found.doc
        level = LEVELS[found.severity]
        fix = found.fix_safety.value if found.fix_safety is not None else None
        builtin = found.origin.startswith("mimelint.rules.")
    elif code == LIMIT_CODE:
        name, summary, doc = example.name, "A container member over a size limit", _LIMIT_DOC
        level, fix, builtin = "error", None, False
    elif code == "M000":
        name, summary, doc = example.name, "A rule failed on this message", _INTERNAL_ERROR_DOC
        level, fix, builtin = "error", None, False
    else:  # a rule passed directly to lint(), unknown to the registry
        name, summary, doc = example.name, example.name, ""
        level, fix, builtin = LEVELS[example.severity], None, False
    descriptor: dict[str, Any] = {
        "id": code,
        "name": name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": _first_section(doc) or summary},
        "defaultConfiguration": {"level": level},
        "properties": {"fix": fix or "none"},
    }
    if doc:
        descriptor["help"] = {"text": _text_of(doc), "markdown": doc}
    if builtin:
        descriptor["helpUri"] = RULE_HELP_URI.format(code=code)
    return descriptor


def _location(uri: str, finding: Finding | RelatedLocation | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri, "uriBaseId": SRCROOT}}
    if finding is not None:
        physical["region"] = {
            "startLine": finding.line,
            "startColumn": finding.column,
            "endLine": finding.end_line,
            "endColumn": finding.end_column,
        }
    return {"physicalLocation": physical}


def _content(data: bytes) -> dict[str, str]:
    if data.isascii():
        return {"text": data.decode("ascii")}
    return {"binary": base64.b64encode(data).decode("ascii")}


def _fix(uri: str, fix: Fix) -> dict[str, Any]:
    return {
        "description": {"text": fix.description},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": uri, "uriBaseId": SRCROOT},
                "replacements": [
                    {
                        "deletedRegion": {
                            "byteOffset": edit.start,
                            "byteLength": edit.end - edit.start,
                        },
                        "insertedContent": _content(edit.replacement),
                    }
                    for edit in fix.edits
                ],
            }
        ],
        "properties": {"safety": fix.safety.value},
    }


def _result(
    uri: str, finding: Finding, index: int, fingerprint: str | None, member: str | None = None
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [_location(uri, finding)],
    }
    if fingerprint is not None:
        # §3.27.17: lets GitHub code scanning follow a result across commits
        # when lines move (see mimelint.baseline for what it is made of).
        result["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint}
    if finding.part:
        result["properties"] = {"part": finding.part}
    if member is not None:
        # Lines and columns are relative to this message of the container.
        result.setdefault("properties", {})["member"] = member
    if finding.related:
        # §3.27.22: the places the message refers to, each with its own text.
        result["relatedLocations"] = [
            {"id": i, **_location(uri, r), "message": {"text": r.message}}
            for i, r in enumerate(finding.related)
        ]
    if finding.fix is not None:
        result["fixes"] = [_fix(uri, finding.fix)]
    return result


def sarif_log(results: Sequence[FileResult], cwd: Path | None = None) -> dict[str, Any]:
    """The SARIF log object for ``results``; URIs relative to ``cwd``."""
    from mimelint import __version__

    base = cwd if cwd is not None else Path.cwd()
    examples: dict[str, Finding] = {}
    for file_result in results:
        for finding in file_result.findings:
            examples.setdefault(finding.code, finding)
    codes = sorted(examples)
    index = {code: i for i, code in enumerate(codes)}

    sarif_results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for file_result in results:
        uri = artifact_uri(file_result.path, base)
        if file_result.error is not None:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{shown(file_result)}: {file_result.error}"},
                    "locations": [_location(uri)],
                    "descriptor": {"id": "unreadable-file"},
                }
            )
        if file_result.refused is not None:
            notifications.append(
                {
                    "level": "warning",
                    "message": {"text": f"{file_result.path}: {file_result.refused}"},
                    "locations": [_location(uri)],
                    "descriptor": {"id": "fix-refused"},
                }
            )
        fps: Sequence[str | None] = file_result.fingerprints or [None] * len(file_result.findings)
        sarif_results.extend(
            _result(uri, f, index[f.code], fp, file_result.member)
            for f, fp in zip(file_result.findings, fps, strict=True)
        )

    failed = any(r.error is not None for r in results) or "M000" in examples
    invocation: dict[str, Any] = {"executionSuccessful": not failed}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mimelint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_descriptor(code, examples[code]) for code in codes],
                    }
                },
                "invocations": [invocation],
                "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(base)}},
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
            }
        ],
    }


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    """The SARIF log as indented JSON."""
    return json.dumps(sarif_log(results), indent=2) + "\n"
