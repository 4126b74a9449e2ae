"""Containers on the command line, every output format's ``member``, streaming, engines."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from itertools import count, islice
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from mimelint.cli import main
from mimelint.formats import FileResult, RenderOptions, get_renderer
from mimelint.formats._common import finding_dict
from mimelint.profile import SES
from mimelint.runner import Job, process
from mimelint.settings import Settings
from mimelint.sources import mbox_entry
from tests.test_cli import CLEAN
from tests.test_sources import write_tar, write_zip
from tests.util import FIXTURES

#: M320 at line 3, column 12 (the raw "ü").
RAW_SUBJECT = CLEAN.replace(b"Subject: Hello", "Subject: Grüße".encode())


def run(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("MIMELINT_DASK_SCHEDULER", raising=False)
    monkeypatch.chdir(tmp_path)


def mbox(path: Path, messages: list[bytes]) -> Path:
    path.write_bytes(b"".join(mbox_entry(m) for m in messages))
    return path


def rows(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines()]


# -- naming members in every format -----------------------------------------------------


def test_text_names_the_mbox_message(tmp_path: Path) -> None:
    mbox(tmp_path / "sent.mbox", [CLEAN, CLEAN, RAW_SUBJECT])
    result = run("check", "--select", "M320", "sent.mbox")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith("sent.mbox#3:3:12: M320 ")
    # Three messages in one file: the summary counts both.
    assert "in 3 messages (1 file) checked." in result.stdout


def test_the_summary_counts_messages_and_the_files_they_came_in(tmp_path: Path) -> None:
    mbox(tmp_path / "sent.mbox", [CLEAN, RAW_SUBJECT])
    (tmp_path / "one.eml").write_bytes(CLEAN)
    (tmp_path / "two.eml").write_bytes(CLEAN)
    result = run("check", "--select", "M320", "sent.mbox", "one.eml", "two.eml")
    assert result.exit_code == 1
    assert "Found 1 finding (1 error) in 4 messages (3 files) checked." in result.stdout
    # Files alone: the summary stays in files, a message each.
    clean = run("check", "--select", "M320", "one.eml", "two.eml")
    assert clean.stdout.strip().endswith("All checks passed: no findings in 2 files.")


def test_github_names_the_member(tmp_path: Path) -> None:
    write_tar(tmp_path / "a.tgz", {"out/x.eml": RAW_SUBJECT})
    result = run("check", "--select", "M320", "--format", "github", "a.tgz")
    assert result.stdout.startswith("::error file=a.tgz#out/x.eml,line=3,col=12,")


def test_json_and_json_lines_carry_member(tmp_path: Path) -> None:
    write_zip(tmp_path / "a.zip", {"one.eml": CLEAN, "dir/two.eml": RAW_SUBJECT})
    (tmp_path / "plain.eml").write_bytes(RAW_SUBJECT)
    lines = rows(
        run("check", "--select", "M320", "--format", "json-lines", "a.zip", "plain.eml").stdout
    )
    assert [(r["path"], r["member"], r["line"], r["column"]) for r in lines] == [
        ("a.zip", "dir/two.eml", 3, 12),
        ("plain.eml", None, 3, 12),
    ]
    array = json.loads(
        run("check", "--select", "M320", "--format", "json", "a.zip", "plain.eml").stdout
    )
    assert array == lines


def test_sarif_carries_member(tmp_path: Path) -> None:
    mbox(tmp_path / "a.mbox", [RAW_SUBJECT])
    log = json.loads(run("check", "--select", "M320", "--format", "sarif", "a.mbox").stdout)
    [result] = log["runs"][0]["results"]
    assert result["properties"]["member"] == "1"
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "a.mbox"


def test_parquet_rows(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    mbox(tmp_path / "a.mbox", [CLEAN, RAW_SUBJECT, RAW_SUBJECT])
    out = tmp_path / "f.parquet"
    result = run(
        "check", "--select", "M320", "--format", "parquet", "-o", str(out), "a.mbox", "gone.eml"
    )
    assert result.exit_code == 2  # gone.eml cannot be read
    table = pq.read_table(out).to_pylist()
    assert [(r["path"], r["member"], r["line"], r["column"], r["code"]) for r in table] == [
        ("a.mbox", "2", 3, 12, "M320"),
        ("a.mbox", "3", 3, 12, "M320"),
        ("gone.eml", None, None, None, None),
    ]
    assert table[2]["error"] == "No such file or directory"
    # The json keys as flat columns; the nested "related" list is json's only.
    assert set(table[0]) == set(finding_dict("", _a_finding())) - {"related"} | {"error"}


def _a_finding() -> Any:
    return process(
        Job("x", Settings.make(profile=SES, select=["M320"]), data=RAW_SUBJECT)
    ).result.findings[0]


def test_parquet_needs_an_output_file(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(CLEAN)
    result = run("check", "--format", "parquet", "a.eml")
    assert result.exit_code == 2
    assert result.stderr.startswith("mimelint: error: --format parquet writes a file")


# -- inputs ---------------------------------------------------------------------------------


def test_input_format_mbox_for_any_name_and_stdin(tmp_path: Path) -> None:
    data = b"".join(mbox_entry(m) for m in [CLEAN, RAW_SUBJECT])
    (tmp_path / "Sent").write_bytes(data)
    named = run("check", "--select", "M320", "--input-format", "mbox", "Sent")
    assert named.stdout.startswith("Sent#2:3:12: M320")
    piped = run("check", "--select", "M320", "--input-format", "mbox", "-", input=data)
    assert piped.stdout.startswith("-#2:3:12: M320")
    # Without it, the same bytes are one message (with an mbox From line).
    plain = run("check", "--select", "M306", "Sent")
    assert plain.stdout.startswith("Sent:1:1: M306")


def test_from_unquoting_reaches_the_rules(tmp_path: Path) -> None:
    # The message starts with a "From " line; mboxrd quotes it and the reader
    # unquotes it, so the rule sees the message as it was written.
    starts_with_from = b"From sender@example.com Mon Jan  1 00:00:00 2024\r\n" + CLEAN
    mbox(tmp_path / "a.mbox", [starts_with_from])
    assert b"\n>From sender" in (tmp_path / "a.mbox").read_bytes()
    result = run("check", "--select", "M306", "--format", "json-lines", "a.mbox")
    [row] = rows(result.stdout)
    assert (row["member"], row["line"], row["column"], row["code"]) == ("1", 1, 1, "M306")


def test_maildir_and_directory_walk(tmp_path: Path) -> None:
    box = tmp_path / "mail" / "Inbox"
    for sub in ("cur", "new", "tmp"):
        (box / sub).mkdir(parents=True)
    (box / "cur" / "17.host:2,S").write_bytes(RAW_SUBJECT)
    (box / "tmp" / "18.host").write_bytes(RAW_SUBJECT)  # being delivered: not read
    mbox(tmp_path / "mail" / "old.mbox", [RAW_SUBJECT])
    direct = run("check", "--select", "M320", "mail/Inbox")
    assert direct.stdout.splitlines()[0].startswith("mail/Inbox/cur/17.host:2,S:3:12: M320")
    walked = run("check", "--select", "M320", "--format", "json-lines", "mail")
    assert [(r["path"], r["member"]) for r in rows(walked.stdout)] == [
        ("mail/Inbox/cur/17.host:2,S", None),
        ("mail/old.mbox", "1"),
    ]


def test_fix_refuses_containers(tmp_path: Path) -> None:
    mbox(tmp_path / "a.mbox", [RAW_SUBJECT])
    before = (tmp_path / "a.mbox").read_bytes()
    result = run("check", "--fix", "a.mbox")
    assert result.exit_code == 2
    assert "mimelint: error: a.mbox: cannot fix or diff messages inside" in result.stderr
    assert (tmp_path / "a.mbox").read_bytes() == before


def test_damaged_archive_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "a.eml").write_bytes(RAW_SUBJECT)
    result = run("check", "--select", "M320", "bad.zip", "a.eml")
    assert result.exit_code == 2
    assert "mimelint: error: bad.zip: cannot read zip container" in result.stderr
    assert "a.eml:3:12: M320" in result.stdout


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_damaged_member_is_an_error_and_the_others_are_checked(
    tmp_path: Path, compression: int
) -> None:
    # A bad CRC (stored) or a broken deflate stream (zlib.error) in the
    # second member's data used to escape as a traceback.
    path = tmp_path / "box.zip"
    with zipfile.ZipFile(path, "w", compression) as archive:
        archive.writestr("a.eml", RAW_SUBJECT)
        archive.writestr("b.eml", RAW_SUBJECT.replace(b"Hello", b"x" * 400))
    with zipfile.ZipFile(path) as archive:
        second = archive.getinfo("b.eml")
    data = bytearray(path.read_bytes())
    start = second.header_offset + 30 + len(b"b.eml") + 20
    data[start : start + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))
    result = run("check", "--select", "M320", "box.zip")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "box.zip#a.eml:3:12: M320" in result.stdout
    [error] = [line for line in result.stderr.splitlines() if line.startswith("mimelint: error")]
    assert error.startswith("mimelint: error: box.zip")


def test_a_gzip_header_cut_short_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "cut.tar.gz").write_bytes(b"\x1f\x8b\x08")
    result = run("check", "cut.tar.gz")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "mimelint: error: cut.tar.gz: cannot read tar-stream container: the gzip header is cut short"
    )


def test_archive_bomb_limits_from_configuration(tmp_path: Path) -> None:
    # max-message-size 100: a member may be 1,000 bytes, the archive 1,000,000.
    (tmp_path / "mimelint.toml").write_text("max-message-size = 100\n")
    write_tar(tmp_path / "a.tar.gz", {"big.eml": b"x" * 1001, "ok.eml": RAW_SUBJECT})
    result = run("check", "--select", "M320", "--format", "json-lines", "a.tar.gz")
    got = rows(result.stdout)
    assert [(r["member"], r["code"]) for r in got] == [("big.eml", "M009"), ("ok.eml", "M320")]
    assert "1001 bytes is over the limit of 1000 bytes" in got[0]["message"]
    assert result.exit_code == 1


# -- streaming ------------------------------------------------------------------------------


def _mixed_results() -> list[FileResult]:
    found = process(Job("a", Settings.make(profile=SES), data=RAW_SUBJECT)).result.findings
    return [
        FileResult("a.mbox", found, member="1"),
        FileResult("a.mbox", (), member="2"),
        FileResult("gone.eml", error="No such file or directory"),
        FileResult("b.eml", found[:1]),
    ]


@pytest.mark.parametrize("fmt", ["text", "json", "json-lines", "github", "sarif"])
@pytest.mark.parametrize("statistics", [False, True])
def test_streamed_output_is_the_rendered_output(fmt: str, statistics: bool) -> None:
    from mimelint.formats.stream import open_writer

    if statistics and fmt in ("github", "sarif"):
        pytest.skip("--statistics is refused with this format")
    results = _mixed_results()
    options = RenderOptions(statistics=statistics)
    parts: list[str] = []
    writer = open_writer(fmt, options, parts.append)
    for result in results:
        writer.add(result)
    writer.close()
    assert "".join(parts) == get_renderer(fmt)(results, options)


def test_text_writer_keeps_no_findings() -> None:
    from mimelint.formats.stream import TextWriter

    writer = TextWriter("text", RenderOptions(), lambda _: None)
    for result in _mixed_results() * 100:
        writer.add(result)
    assert writer._kept == []  # counters only


def test_run_stream_is_lazy() -> None:
    # An endless supply of jobs: the first outcomes arrive all the same.
    from mimelint.engine import run_stream

    def endless() -> Iterator[Job]:
        for n in count():
            yield Job(f"{n}.eml", Settings.make(profile=SES, select=["M320"]), data=RAW_SUBJECT)

    for workers in (1, 2):
        got = list(islice(run_stream(endless(), workers), 200))
        assert [o.result.path for o in got] == [f"{n}.eml" for n in range(200)]


# -- engines: the same findings as each message on its own ------------------------------------


def corpus() -> list[tuple[str, bytes]]:
    """Every rule fixture and example: many findings of many kinds."""
    paths = sorted(FIXTURES.glob("rules/*/*.eml")) + sorted(FIXTURES.glob("examples/*.eml"))
    return [(p.relative_to(FIXTURES).as_posix(), p.read_bytes()) for p in paths]


def alone(path: str, member: str | None, data: bytes) -> list[dict[str, Any]]:
    outcome = process(Job(path, Settings.make(profile=SES), data=data))
    return [finding_dict(path, f, member) for f in outcome.result.findings]


@pytest.fixture(scope="module")
def containers(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """An mbox, a tar.gz and a zip of the corpus, and the findings each message has alone."""
    root = tmp_path_factory.mktemp("containers")
    messages = [(name, data) for name, data in corpus() if data.endswith(b"\n")]
    assert len(messages) > 100
    mbox(root / "all.mbox", [data for _, data in messages])
    write_tar(root / "all.tar.gz", dict(messages))
    write_zip(root / "all.zip", dict(messages))
    expected: list[dict[str, Any]] = []
    for n, (_, data) in enumerate(messages, 1):
        expected += alone("all.mbox", str(n), data)
    for container in ("all.tar.gz", "all.zip"):
        for name, data in messages:
            expected += alone(container, name, data)
    # A plain file among them (read by path on a worker).
    plain = (FIXTURES / "examples" / "raw-utf8-subject.eml").read_bytes()
    (root / "plain.eml").write_bytes(plain)
    expected += alone("plain.eml", None, plain)
    return root, expected


@pytest.fixture(scope="module")
def dask_cluster() -> Iterator[Any]:
    """One local Dask cluster of two worker processes, for the tests that name
    a scheduler: each cluster started costs about a second per worker. The
    engine's own cluster (no scheduler named) is started by
    test_python_dash_m_with_a_spawned_dask_cluster."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster


@pytest.mark.parametrize("engine", [["-j1"], ["-j2"], ["--engine", "dask"]])
def test_engines_find_what_each_message_has_alone(
    containers: tuple[Path, list[dict[str, Any]]],
    engine: list[str],
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    if "dask" in engine:
        cluster = request.getfixturevalue("dask_cluster")
        engine = [*engine, "--scheduler", cluster.scheduler_address]
    root, expected = containers
    monkeypatch.chdir(root)
    args = ["check", "--format", "json-lines", *engine, "all.mbox", "all.tar.gz", "all.zip"]
    args.append("plain.eml")
    result = run(*args)
    assert result.exit_code == 1, result.stderr
    assert rows(result.stdout) == expected


def test_dask_scheduler_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dask_cluster: Any
) -> None:
    mbox(tmp_path / "a.mbox", [CLEAN, RAW_SUBJECT])
    scheduler = dask_cluster.scheduler
    assert scheduler is not None
    before = scheduler.transition_counter  # the cluster may have run other tests' tasks
    monkeypatch.setenv("MIMELINT_DASK_SCHEDULER", dask_cluster.scheduler_address)
    result = run("check", "--select", "M320", "--engine", "dask", "a.mbox")
    assert result.stdout.startswith("a.mbox#2:3:12: M320")
    # The client sent work to this cluster, not to one of its own.
    assert "process_batch" in scheduler.task_prefixes
    assert scheduler.transition_counter > before  # tasks ran here


def test_scheduler_needs_dask_engine(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(CLEAN)
    result = run("check", "--scheduler", "tcp://127.0.0.1:1", "a.eml")
    assert result.exit_code == 2
    assert result.stderr.startswith("mimelint: error: --scheduler needs --engine dask")


def test_limit_finding_in_sarif_and_eml_input_format(tmp_path: Path) -> None:
    (tmp_path / "mimelint.toml").write_text("max-message-size = 100\n")
    mbox(tmp_path / "a.mbox", [b"Subject: big\n\n" + b"x" * 2000 + b"\n"])
    log = json.loads(run("check", "--format", "sarif", "a.mbox").stdout)
    [rule] = log["runs"][0]["tool"]["driver"]["rules"]
    assert (rule["id"], rule["name"]) == ("M009", "container-limit")
    [result] = log["runs"][0]["results"]
    assert result["properties"] == {"member": "1"}
    # --input-format eml: the same file is one message, its From line and all.
    plain = run("check", "--select", "M306", "--input-format", "eml", "a.mbox")
    assert plain.stdout.startswith("a.mbox:1:1: M306")


def test_python_dash_m_with_a_spawned_dask_cluster(tmp_path: Path) -> None:
    # Dask starts its workers with "spawn", which imports __main__ again:
    # ``python -m mimelint`` must not run the command once more in each worker.
    import subprocess
    import sys

    pytest.importorskip("distributed")
    mbox(tmp_path / "a.mbox", [CLEAN, RAW_SUBJECT])
    done = subprocess.run(
        [sys.executable, "-m", "mimelint", "check", "--no-config", "--select", "M320"]
        + ["--engine", "dask", "-j1", "--format", "json-lines", "a.mbox"],
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stderr.decode()
    assert [(r["member"], r["code"]) for r in rows(done.stdout.decode())] == [("2", "M320")]
