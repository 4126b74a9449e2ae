"""Configuration discovery, validation and how it reaches the profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mimelint.config import ConfigError, Configuration, discover, find_config, load_config
from mimelint.profile import PROFILES, SES_REFUSED_EXTENSIONS
from mimelint.registry import load_rules

RULES = load_rules()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_nearest_pyproject_with_table_wins(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.mimelint]\nprofile = 'rfc'\n")
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")  # no table: skipped
    deep = tmp_path / "sub" / "deeper"
    deep.mkdir()
    assert find_config(deep) == str(tmp_path / "pyproject.toml")  # paths are str
    assert discover(None, False, deep, RULES).profile == "rfc"


def test_mimelint_toml_before_pyproject_in_the_same_directory(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.mimelint]\nprofile = 'rfc'\n")
    write(tmp_path / "mimelint.toml", "profile = 'ses-v2'\n")
    settings = discover(None, False, tmp_path, RULES)
    assert settings.source == str(tmp_path / "mimelint.toml")
    assert settings.profile == "ses-v2"


def test_no_config_and_explicit_config(tmp_path: Path) -> None:
    write(tmp_path / "mimelint.toml", "profile = 'rfc'\n")
    other = write(tmp_path / "other.toml", "profile = 'ses-v2'\n")
    assert discover(None, True, tmp_path, RULES) == Configuration(root=str(tmp_path))
    assert discover(other, False, tmp_path, RULES).profile == "ses-v2"


def test_every_key(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        """
[tool.mimelint]
select = ["M1", "M3"]
ignore = ["M103"]
extend-select = ["M4"]
profile = "ses-v2"
exclude = ["drafts"]
extend-exclude = ["old-*"]
max-message-size = 1000
max-recipients = 5
extra-refused-extensions = ["zip", "RAR"]

[tool.mimelint.per-file-ignores]
"legacy/*.eml" = ["M102"]
"*.8bit.eml" = ["M1"]
""",
    )
    s = load_config(path, RULES)
    assert s.select == ("M1", "M3")
    assert s.ignore == ("M103",)
    assert s.extend_select == ("M4",)
    assert s.exclude == ("drafts", "old-*")  # exclude replaces the defaults
    profile = s.build_profile()
    assert profile.name == "ses-v2"
    assert profile.max_message_size == 1000
    assert profile.max_recipients == 5
    assert profile.refused_extensions == SES_REFUSED_EXTENSIONS | {"zip", "rar"}
    assert s.ignored_for(str(tmp_path / "legacy" / "a.eml")) == ("M102",)
    assert s.ignored_for(str(tmp_path / "x" / "y.8bit.eml")) == ("M1",)
    assert s.ignored_for(str(tmp_path / "other.eml")) == ()
    assert s.is_excluded(tmp_path / "drafts")
    assert s.is_excluded(tmp_path / "a" / "old-2020")
    assert not s.is_excluded(tmp_path / "mail")


def test_refused_extensions_replaces_and_command_line_profile_wins(tmp_path: Path) -> None:
    path = write(tmp_path / "mimelint.toml", "refused-extensions = ['exe']\nmax-recipients = 3\n")
    s = load_config(path, RULES)
    assert s.build_profile().refused_extensions == frozenset({"exe"})
    rfc = s.build_profile("rfc")
    assert rfc.name == "rfc" and rfc.max_recipients == 3


def test_defaults_are_the_builtin_profile_itself() -> None:
    assert Configuration().build_profile() is PROFILES["ses"]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("selekt = ['M1']", "pyproject.toml: [tool.mimelint] unknown key 'selekt'; did you mean 'select'?"),
        ("ignroe = ['M1']", "pyproject.toml: [tool.mimelint] unknown key 'ignroe'; did you mean 'ignore'?"),
        ("extra_refused_extensions = ['zip']", "pyproject.toml: [tool.mimelint] unknown key 'extra_refused_extensions'; did you mean 'extra-refused-extensions'?"),
        ("template_ascii = ['x']", "pyproject.toml: [tool.mimelint] unknown key 'template_ascii'; did you mean 'template-ascii'?"),
        ("render_with = {}", "pyproject.toml: [tool.mimelint] unknown key 'render_with'; did you mean 'render-with'?"),
        ("colour = true", "pyproject.toml: [tool.mimelint] unknown key 'colour'"),
        ("force-exclude = 1", "pyproject.toml: [tool.mimelint] 'force-exclude' must be true or false, got int 1"),
        ("include = '*.eml'", "pyproject.toml: [tool.mimelint] 'include' must be a list of strings, got str '*.eml'"),
        ("select = 'M1'", "pyproject.toml: [tool.mimelint] 'select' must be a list of strings, got str 'M1'"),
        ("select = ['M999']", "pyproject.toml: [tool.mimelint] 'select': unknown rule code 'M999'"),
        ("ignore = ['nope']", "pyproject.toml: [tool.mimelint] 'ignore': unknown rule code 'nope'"),
        ("profile = 'gmail'", "pyproject.toml: [tool.mimelint] 'profile': unknown profile 'gmail' (known: rfc, ses, ses-v2)"),
        ("max-message-size = '10MB'", "pyproject.toml: [tool.mimelint] 'max-message-size' must be a positive integer, got str '10MB'"),
        ("max-recipients = 0", "pyproject.toml: [tool.mimelint] 'max-recipients' must be a positive integer, got int 0"),
        ("max-recipients = true", "pyproject.toml: [tool.mimelint] 'max-recipients' must be a positive integer, got bool True"),
        ("extra-refused-extensions = ['.zip']", "pyproject.toml: [tool.mimelint] 'extra-refused-extensions': '.zip' is not a file extension (write it without the dot)"),
        ("per-file-ignores = ['a']", "pyproject.toml: [tool.mimelint] 'per-file-ignores' must be a table of glob = [codes], got list ['a']"),
        ("per-file-ignores = {'*.eml' = ['M99']}", "pyproject.toml: [tool.mimelint] 'per-file-ignores.*.eml': unknown rule code 'M99'"),
        ("select = [", "pyproject.toml: invalid TOML: "),
    ],
)  # fmt: skip
def test_validation(tmp_path: Path, text: str, error: str) -> None:
    path = write(tmp_path / "pyproject.toml", f"[tool.mimelint]\n{text}\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, RULES)
    assert str(info.value).startswith(error)
    assert "\n" not in str(info.value)


def test_tool_mimelint_must_be_a_table(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[tool]\nmimelint = 3\n")
    with pytest.raises(ConfigError, match=r"^pyproject.toml: \[tool.mimelint\] must be a table$"):
        load_config(path, RULES)


def test_mimelint_toml_names_itself(tmp_path: Path) -> None:
    path = write(tmp_path / "mimelint.toml", "[tool.mimelint]\nselect = ['M1']\n")
    with pytest.raises(ConfigError, match=r"^mimelint.toml unknown key 'tool'$"):
        load_config(path, RULES)


# --- the cheap test before parsing a pyproject.toml --------------------------

CONFIGURED = [
    "[tool.mimelint]\nprofile = 'rfc'\n",
    "[ tool . mimelint ]\nprofile = 'rfc'\n",
    '["tool"."mimelint"]\nprofile = "rfc"\n',
    "[tool.'mimelint']\nprofile = 'rfc'\n",
    "[tool.mimelint.per-file-ignores]\n'a.eml' = ['M101']\n[tool.mimelint]\nprofile = 'rfc'\n",
    "[tool]\nmimelint = { profile = 'rfc' }\n",
    "[tool]\nmimelint.profile = 'rfc'\n",
    "tool.mimelint.profile = 'rfc'\n[project]\nname = 'x'\n",
    "tool = { mimelint = { profile = 'rfc' } }\n",
    "  [tool.mimelint]  # indented, with a comment\nprofile = 'rfc'\n",
]
#: mimelint named, never configured, and no line that could configure it.
NAMED_ONLY = [
    "[project]\nname = 'mimelint'\n[project.scripts]\nmimelint = 'mimelint.cli:main'\n",
    "[project]\ndependencies = ['mimelint>=0.1']\n[tool.ruff]\nline-length = 100\n",
    "[tool.ruff]\nextend-exclude = ['mimelint']\n",
]
#: Not configured either, but a bare [tool] table could be: the parser decides.
PARSED = ["[tool]\nruff = { line-length = 100 }\n[project]\nname = 'mimelint'\n"]


@pytest.mark.parametrize("text", CONFIGURED + NAMED_ONLY + PARSED)
def test_pyproject_with_the_table_is_found_in_every_spelling(tmp_path: Path, text: str) -> None:
    import tomllib

    has_table = isinstance(tomllib.loads(text).get("tool", {}).get("mimelint"), dict)
    assert has_table is (text in CONFIGURED)
    write(tmp_path / "pyproject.toml", text)
    found = find_config(tmp_path)
    assert (found == str(tmp_path / "pyproject.toml")) is has_table
    if has_table:
        assert discover(None, False, tmp_path, RULES).profile == "rfc"


def test_only_a_line_that_could_configure_mimelint_loads_the_toml_parser() -> None:
    from mimelint.config import _may_have_tool_table

    assert [t for t in CONFIGURED + PARSED if not _may_have_tool_table(t)] == []
    assert [t for t in NAMED_ONLY if _may_have_tool_table(t)] == []


# Paths without pathlib (start-up): the os.path readings give what pathlib gave.

_STEPS = st.sampled_from(["", ".", "..", "a", "b.eml", "c d", "drafts"])


@given(st.booleans(), st.integers(0, 2), st.lists(_STEPS, max_size=6), st.booleans())
def test_as_posix_writes_a_path_as_pathlib_does(
    absolute: bool, slashes: int, steps: list[str], trailing: bool
) -> None:
    from pathlib import PurePosixPath

    from mimelint.config import _name, posix_path

    text = ("/" * (slashes + 1) if absolute else "") + "/".join(steps) + ("/" if trailing else "")
    pure = PurePosixPath(text)
    assert posix_path(text) == pure.as_posix()
    assert _name(posix_path(text)) == pure.name


def test_paths_relative_to_the_root_as_pathlib_reads_them(tmp_path: Path) -> None:
    from mimelint.config import _relative

    (tmp_path / "mail" / "old").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "mail")
    outside = tmp_path.parent / "elsewhere.eml"

    def old(path: Path, root: Path) -> str:  # the pathlib code this replaced
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    root = tmp_path / "mail"
    for path in (
        root,
        root / "a.eml",
        root / "old" / "b.eml",
        tmp_path / "link" / "old" / "c.eml",  # resolved through the link
        tmp_path / "mail" / ".." / "mail" / "d.eml",
        outside,
        Path("relative/e.eml"),
    ):
        assert _relative(path, root) == _relative(str(path), str(root)) == old(path, root)


def test_a_root_given_as_a_path_object_still_works(tmp_path: Path) -> None:
    settings = Configuration(root=tmp_path, exclude=("drafts",), force_exclude=True)  # type: ignore[arg-type]
    assert settings.is_force_excluded(tmp_path / "drafts" / "x" / "a.eml")
    assert settings.is_force_excluded(str(tmp_path / "drafts" / "a.eml"))
    assert not settings.is_force_excluded(tmp_path / "mail" / "a.eml")


def test_render_with_data_files_are_written_as_pathlib_joined_them(tmp_path: Path) -> None:
    for root in (tmp_path, Path("."), Path("sub/")):
        table = {"render-with": {"*.eml.j2": ["data.json", "./more//x.json", "/abs/y.json"]}}
        from mimelint.config import parse_table

        got = parse_table(table, "t", str(root)).render_with
        want = tuple(str(root / f) for f in table["render-with"]["*.eml.j2"])
        assert got == (("*.eml.j2", want),)
