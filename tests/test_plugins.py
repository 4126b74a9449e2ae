"""Third-party rules through the ``mimelint.rules`` entry-point group.

In-process: ``registry.collect`` on hand-made entry points (order,
collisions, broken plugins). End to end: the example package in
``tests/plugin_example`` installed with pip into a throwaway directory, then
``mimelint check`` and ``mimelint rule`` in a subprocess that sees it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import types
import zipfile
from collections.abc import Iterable, Iterator
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any

import pytest

import mimelint
from mimelint.docs import doc_problems
from mimelint.registry import GROUP, PluginError, collect, installed_entry_points
from tests.util import ROOT, msg

EXAMPLE = ROOT / "tests" / "plugin_example"

LOCAL_ID = msg(
    "From: Ann <ann@example.com>\n"
    "To: bob@example.com\n"
    "Subject: Build finished\n"
    "Date: Mon, 2 Jun 2025 10:00:00 +0000\n"
    "Message-ID: <20250602.1@build-7.localdomain>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=us-ascii\n"
    "\n"
    "All green.\n"
)
GOOD_ID = LOCAL_ID.replace(b"build-7.localdomain", b"mail.example.com")


def _ep(name: str, value: str) -> EntryPoint:
    return EntryPoint(name=name, value=value, group=GROUP)


@pytest.fixture
def modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A directory on sys.path for throwaway plugin modules; the example too."""
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.syspath_prepend(str(EXAMPLE / "src"))
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:
        if name.startswith(("mimelint_example_plugin", "fake_")):
            del sys.modules[name]


def _module(folder: Path, name: str, code: str, rule_name: str) -> None:
    (folder / f"{name}.py").write_text(
        "from mimelint.rule import rule\n"
        f"@rule(code={code!r}, name={rule_name!r}, severity='info', summary='A test rule')\n"
        "def check(message, context):\n"
        "    return iter(())\n"
        "RULES = [check]\n",
        encoding="utf-8",
    )


# --- in process ------------------------------------------------------------


def test_collect_loads_the_example_rule(modules: Path) -> None:
    [r] = collect([_ep("example", "mimelint_example_plugin:RULES")])
    assert (r.code, r.name, r.severity.value) == ("X001", "message-id-local-host", "warning")
    assert r.origin == "mimelint_example_plugin"
    assert doc_problems(r) == []  # the example follows the documentation standard


def test_example_rule_finds_the_local_host(modules: Path) -> None:
    rules = collect([_ep("example", "mimelint_example_plugin:RULES")])
    [f] = mimelint.lint(LOCAL_ID, rules=rules).findings
    assert (f.code, f.line, f.column, f.end_column, f.part) == ("X001", 5, 25, 44, "")
    assert "build-7.localdomain" in f.message
    assert mimelint.lint(GOOD_ID, rules=rules).findings == []


def test_collect_order_is_deterministic(modules: Path) -> None:
    _module(modules, "fake_b", "X200", "bee")
    _module(modules, "fake_a", "X100", "ay")
    eps = [_ep("b", "fake_b:RULES"), _ep("a", "fake_a")]  # a module with RULES will do
    first = collect(eps)
    second = collect(list(reversed(eps)))
    assert [r.code for r in first] == [r.code for r in second] == ["X100", "X200"]


def test_code_collision_is_refused(modules: Path) -> None:
    _module(modules, "fake_clash", "M101", "my-own-eight-bit-check")
    eps = [_ep("eightbit", "mimelint.rules.eightbit:RULES"), _ep("clash", "fake_clash:RULES")]
    with pytest.raises(PluginError) as caught:
        collect(eps)
    text = str(caught.value)  # names both sides, whichever loaded first
    assert "M101" in text and "fake_clash" in text and "eightbit" in text


def test_name_collision_is_refused(modules: Path) -> None:
    _module(modules, "fake_rename", "X777", "eight-bit-header")
    eps = [_ep("eightbit", "mimelint.rules.eightbit:RULES"), _ep("rename", "fake_rename:RULES")]
    with pytest.raises(PluginError, match="X777"):
        collect(eps)


def test_a_plugin_that_fails_to_import_is_named(modules: Path) -> None:
    (modules / "fake_broken.py").write_text("import no_such_module_here\n", encoding="utf-8")
    with pytest.raises(PluginError) as caught:
        collect([_ep("broken", "fake_broken:RULES")])
    text = str(caught.value)
    assert "'broken'" in text and "fake_broken:RULES" in text
    assert "ModuleNotFoundError" in text


def test_a_plugin_without_rules_is_named(modules: Path) -> None:
    (modules / "fake_empty.py").write_text("RULES = ['not a rule']\n", encoding="utf-8")
    with pytest.raises(PluginError, match="'empty'.*does not provide mimelint rules"):
        collect([_ep("empty", "fake_empty:RULES")])


# --- discovery without importlib.metadata ------------------------------------


def _pairs(eps: Iterable[Any]) -> list[tuple[str, str]]:
    return sorted((ep.name, ep.value) for ep in eps)


@pytest.mark.parametrize("group", [GROUP, "console_scripts", "pytest11", "no.such.group"])
def test_discovery_agrees_with_importlib_metadata(group: str) -> None:
    # The fast reader must find exactly what the standard library finds.
    assert _pairs(installed_entry_points(group)) == _pairs(entry_points(group=group))
    assert group != GROUP or len(installed_entry_points(group)) >= 9  # the built-in modules


def _dist(site: Path, folder: str, text: str | None) -> None:
    info = site / folder
    info.mkdir(parents=True)
    if text is not None:
        (info / "entry_points.txt").write_text(text, encoding="utf-8")


def test_discovery_of_a_site_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    _dist(
        first,
        "Fake_Plugin-1.0.dist-info",
        f"# note\n[other]\nx = y\n[{GROUP}]\n a = fake_a:RULES \n",
    )
    _dist(first, "no_entry_points-2.0.dist-info", None)
    (first / "single_file-1.0.egg-info").write_text("Name: single-file\n", encoding="utf-8")
    # Shadowed: the same distribution (normalized name) later on the path.
    _dist(second, "fake.plugin-0.9.dist-info", f"[{GROUP}]\nold = fake_old:RULES\n")
    _dist(second, "other_plugin-3.egg-info", f"[{GROUP}]\nb = fake_b\n")
    path = [str(first), str(second), str(tmp_path / "missing")]
    monkeypatch.setattr(sys, "path", path)
    found = installed_entry_points(GROUP)
    assert _pairs(found) == [("a", "fake_a:RULES"), ("b", "fake_b")]
    assert _pairs(found) == _pairs(entry_points(group=GROUP))


def test_discovery_falls_back_for_a_zip_on_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("zipped-1.0.dist-info/entry_points.txt", f"[{GROUP}]\nz = fake_zipped\n")
        zf.writestr("zipped-1.0.dist-info/METADATA", "Name: zipped\nVersion: 1.0\n")
    monkeypatch.setattr(sys, "path", [str(archive)])
    assert _pairs(installed_entry_points(GROUP)) == [("z", "fake_zipped")]


def test_entry_point_loads_module_and_attributes(modules: Path) -> None:
    from mimelint.registry import EntryPoint as FastEntryPoint

    _module(modules, "fake_attr", "X300", "attr-rule")
    [r] = collect([FastEntryPoint("attr", "fake_attr:check", GROUP)])
    assert r.code == "X300"
    module = FastEntryPoint("mod", "fake_attr [extra]", GROUP).load()
    assert isinstance(module, types.ModuleType)
    assert module.RULES == [r]
    with pytest.raises(PluginError, match="'bad'.*failed to load: ValueError"):
        collect([FastEntryPoint("bad", "fake_attr:", GROUP)])


def test_entry_points_import_as_importlib_does(modules: Path) -> None:
    # mimelint imports modules (entry points, rule modules, formats) without
    # importlib, and knows the standard path finder without importing
    # importlib.machinery (start-up): both must be what importlib gives.
    import importlib
    import importlib.machinery

    from mimelint import entry_points

    _module(modules, "fake_nested", "X301", "nested-rule")
    assert entry_points.import_module("fake_nested") is importlib.import_module("fake_nested")
    assert (
        entry_points.import_module("mimelint.formats.text") is sys.modules["mimelint.formats.text"]
    )
    with pytest.raises(ModuleNotFoundError):
        entry_points.import_module("fake_missing_module")
    assert entry_points._is_path_finder(importlib.machinery.PathFinder)
    others = [f for f in sys.meta_path if f is not importlib.machinery.PathFinder]
    others.append(importlib.machinery.FileFinder)
    assert not any(entry_points._is_path_finder(f) for f in others)


def test_a_relative_module_name_is_refused_before_anything_runs(modules: Path) -> None:
    # An entry point's value may begin with a dot (importlib.metadata's
    # pattern allows it). importlib refuses such a name without a package;
    # __import__ alone would run fake_dotted.py as a module named
    # ".fake_dotted", leave it in sys.modules and report "Empty module name".
    from mimelint import entry_points
    from mimelint.registry import EntryPoint as FastEntryPoint

    (modules / "fake_dotted.py").write_text("RAN = True\nRULES = []\n", encoding="utf-8")
    for name in (".fake_dotted", "..fake_dotted"):
        with pytest.raises(TypeError, match="relative"):
            entry_points.import_module(name)
    with pytest.raises(PluginError, match=r"'dotted' \(\.fake_dotted:RULES\).*TypeError"):
        collect([FastEntryPoint("dotted", ".fake_dotted:RULES", GROUP)])
    assert not [name for name in sys.modules if "fake_dotted" in name]


# --- end to end: a real install --------------------------------------------


def _env(extra_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(extra_path), env.get("PYTHONPATH")]))
    return env


def _mimelint(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mimelint", *args],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plugin pip-installed into a directory of its own.

    pip builds in the source tree, so build from a copy; ``--no-deps``
    keeps mimelint itself out (the running one is used); the build backend
    comes from PyPI through pip's build isolation.
    """
    work = tmp_path_factory.mktemp("plugin")
    source = work / "src"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    target = work / "site"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(source),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return target


@pytest.mark.slow
def test_installed_plugin_is_selected_and_run(installed: Path, tmp_path: Path) -> None:
    bad = tmp_path / "local-id.eml"
    bad.write_bytes(LOCAL_ID)
    good = tmp_path / "good-id.eml"
    good.write_bytes(GOOD_ID)
    env = _env(installed)

    done = _mimelint(env, "check", "--select", "X001", str(bad), str(good))
    assert done.returncode == 0, done.stdout + done.stderr  # a warning does not fail the run
    assert "X001" in done.stdout and "build-7.localdomain" in done.stdout
    assert ":5:25:" in done.stdout  # line 5, column 25 of local-id.eml
    assert "good-id.eml" not in done.stdout

    done = _mimelint(env, "check", "--select", "X001", str(good))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "X001" not in done.stdout

    # Every rule runs by default, the plugin's included.
    done = _mimelint(env, "check", "--format", "json-lines", str(bad))
    assert '"code": "X001"' in done.stdout

    # Without the plugin on the path, X001 is an unknown code: a usage error.
    done = _mimelint(_env(tmp_path), "check", "--select", "X001", str(good))
    assert done.returncode == 2


@pytest.mark.slow
def test_installed_plugin_is_documented(installed: Path) -> None:
    done = _mimelint(_env(installed), "rule", "X001")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "message-id-local-host" in done.stdout
    assert "Why is this bad?" in done.stdout
    assert "RFC 5322" in done.stdout


def test_a_broken_installed_plugin_is_one_clear_error(tmp_path: Path) -> None:
    # A distribution made by hand (what pip would leave): its entry point
    # names a module that does not import.
    site = tmp_path / "site"
    info = site / "broken_plugin-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: broken-plugin\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[{GROUP}]\nbroken = broken_plugin_module:RULES\n", encoding="utf-8"
    )
    (site / "broken_plugin_module.py").write_text("raise RuntimeError('boom')\n", "utf-8")
    message = tmp_path / "m.eml"
    message.write_bytes(GOOD_ID)

    done = _mimelint(_env(site), "check", str(message))
    assert done.returncode == 2
    assert "broken" in done.stderr and "boom" in done.stderr
    assert "Traceback" not in done.stderr
