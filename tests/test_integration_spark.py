"""mimelint.integrations.spark on a real Spark in local mode (pyspark and Java 17).

The session is started once for this module by a fixture: local[2], small
memory, quiet logs. Marked slow (it starts a JVM: about 10-20 s).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mimelint.formats._common import finding_dict
from mimelint.profile import SES
from mimelint.runner import Job, process
from mimelint.settings import Settings
from tests.test_archives import corpus

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    pytest.importorskip("pyarrow")
    from pyspark.sql import SparkSession

    # Executors run this interpreter (it has mimelint installed).
    saved = {name: os.environ.get(name) for name in ("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON")}
    for name in saved:
        os.environ[name] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("mimelint-tests")
        .config("spark.driver.memory", "512m")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.extraJavaOptions", "-Dlog4j2.level=ERROR")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def alone(path: str, data: bytes) -> list[dict[str, Any]]:
    outcome = process(Job(path, Settings.make(profile=SES), data=data))
    return [finding_dict(path, f) for f in outcome.result.findings]


def test_lint_dataframe_finds_what_each_message_has_alone(spark: Any) -> None:
    from mimelint.integrations.spark import SPARK_COLUMNS, lint_dataframe

    messages = corpus()
    df = spark.createDataFrame(messages, "path string, content binary").repartition(3)
    findings = lint_dataframe(df)
    assert [f.name for f in findings.schema.fields] == [name for name, _ in SPARK_COLUMNS]
    got = sorted(
        (r.asDict() for r in findings.collect()),
        key=lambda r: (r["path"], r["line"], r["column"], r["code"], r["message"]),
    )
    columns = [name for name, _ in SPARK_COLUMNS]  # the json keys but "related"
    expected = sorted(
        (
            {name: row[name] for name in columns}
            for path, data in messages
            for row in alone(path, data)
        ),
        key=lambda r: (r["path"], r["line"], r["column"], r["code"], r["message"]),
    )
    assert len(expected) > 100
    assert got == expected


def test_binary_file_source_and_options(spark: Any, tmp_path: Path) -> None:
    from mimelint.integrations.spark import lint_dataframe

    raw = b"From: a@example.com\r\nTo: b@example.com\r\nSubject: Gr\xc3\xbc\xc3\x9fe\r\n\r\nhi\r\n"
    (tmp_path / "a.eml").write_bytes(raw)
    df = spark.read.format("binaryFile").option("pathGlobFilter", "*.eml").load(str(tmp_path))
    rows = lint_dataframe(df, select=["M320"]).collect()
    assert [(Path(r.path).name, r.line, r.column, r.code, r.member) for r in rows] == [
        ("a.eml", 3, 12, "M320", None)
    ]
