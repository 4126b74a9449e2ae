"""Templates: the scanner, raw-template mode, the M8xx rules and render mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import mimelint
from mimelint.cli import main
from mimelint.config import ConfigError, parse_table
from mimelint.placeholders import Where
from mimelint.runner import discover
from mimelint.templates import syntax_for
from mimelint.templates.lint import lint_template
from mimelint.templates.scan import Kind, Syntax, scan
from tests.profiles import examples

HEAD = (
    "From: Shop <shop@example.com>\n"
    "To: {{ customer_email }}\n"
    "Date: Mon, 2 Jun 2025 10:00:00 +0000\n"
    "Message-ID: <{{ order_id }}@shop.example.com>\n"
    "MIME-Version: 1.0\n"
)
WELCOME = (
    HEAD + "Subject: Welcome aboard, {{ first_name }}!\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "Content-Transfer-Encoding: 7bit\n"
    "\n"
    "Hello {{ first_name }},\n"
    "{% if tracking_url %}\n"
    "Track your parcel: {{ tracking_url }}\n"
    "{% endif %}\n"
)


def where(text: str, code: str, **options: object) -> list[tuple[int, int, int, int]]:
    report = lint_template(text, **options)  # type: ignore[arg-type]
    assert not report.internal_errors, report.internal_errors
    return [(f.line, f.column, f.end_line, f.end_column) for f in report.findings if f.code == code]


# --- which files are templates --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "syntax"),
    [
        ("welcome.eml.j2", Syntax.JINJA),
        ("welcome.eml.jinja", Syntax.JINJA),
        ("welcome.EML.JINJA2", Syntax.JINJA),
        ("welcome.eml.hbs", Syntax.HANDLEBARS),
        ("welcome.eml.handlebars", Syntax.HANDLEBARS),
        ("welcome.eml.mustache", Syntax.HANDLEBARS),
        ("welcome.eml", None),
        ("welcome.j2", None),
    ],
)
def test_templates_are_known_by_their_extension(name: str, syntax: Syntax | None) -> None:
    assert syntax_for(name) is syntax


def test_template_extensions_setting_adds_endings(tmp_path: Path) -> None:
    settings_ = parse_table({"template-extensions": {".eml.tpl": "handlebars"}}, "t", tmp_path)
    assert settings_.template_syntax("a.eml.tpl") == "handlebars"
    assert settings_.template_syntax("a.eml.j2") == "jinja"
    with pytest.raises(ConfigError, match="unknown syntax"):
        parse_table({"template-extensions": {".eml.tpl": "erb"}}, "t", tmp_path)
    with pytest.raises(ConfigError, match="with its dot"):
        parse_table({"template-extensions": {"tpl": "jinja"}}, "t", tmp_path)


def test_template_settings_are_validated(tmp_path: Path) -> None:
    table = {
        "template-ascii": ["order_id", "*_url"],
        "template-encoding-filters": ["rfc2047"],
        "render-with": {"templates/*.eml.j2": "a.json", "b.eml.hbs": ["b.json", "c.toml"]},
    }
    got = parse_table(table, "t", tmp_path)
    assert got.template_ascii == ("order_id", "*_url")
    assert got.template_encoding_filters == ("rfc2047",)
    (tmp_path / "templates").mkdir()
    assert got.render_data_for(str(tmp_path / "templates" / "w.eml.j2")) == (
        str(tmp_path / "a.json"),
    )
    assert got.render_data_for(str(tmp_path / "x" / "b.eml.hbs")) == (
        str(tmp_path / "b.json"),
        str(tmp_path / "c.toml"),
    )
    assert got.render_data_for("-") == ()
    for bad, message in [
        ({"template-ascii": "order_id"}, "list of strings"),
        ({"render-with": ["a.json"]}, "table of template glob"),
        ({"render-with": {"*.j2": []}}, "names no data file"),
    ]:
        with pytest.raises(ConfigError, match=message):
            parse_table(bad, "t", tmp_path)


def test_directories_yield_templates(tmp_path: Path) -> None:
    for name in ("a.eml", "b.eml.j2", "c.eml.hbs", "d.txt", "e.j2"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    settings_ = parse_table({}, "t", tmp_path)
    found = [Path(p).name for p, _ in discover([str(tmp_path)], settings_)]
    assert found == ["a.eml", "b.eml.j2", "c.eml.hbs"]


# --- the scanner -----------------------------------------------------------------------


def test_jinja_scanner_reads_kinds_names_filters_and_whitespace_control() -> None:
    text = (
        b"{{ user.name | rfc2047 }}{%- if x -%}{% elif y %}{% else %}{% endif %}"
        b"{# note #}{% set a = 1 %}{% raw %}{{ literal }}{% endraw %}{% include 'f' %}"
    )
    found = scan(text, "jinja")
    kinds = [(p.kind, p.tag) for p in found.placeholders]
    assert kinds == [
        (Kind.OUTPUT, ""),
        (Kind.OPEN, "if"),
        (Kind.MIDDLE, "elif"),
        (Kind.MIDDLE, "else"),
        (Kind.CLOSE, "if"),
        (Kind.COMMENT, ""),
        (Kind.STATEMENT, "set"),
        (Kind.OPEN, "raw"),
        (Kind.CLOSE, "raw"),
        (Kind.OUTPUT, "include"),
    ]
    first = found.placeholders[0]
    assert (first.name, first.filters, first.start, first.end) == ("user.name", ("rfc2047",), 0, 25)
    assert found.placeholders[1].strip_before and found.placeholders[1].strip_after
    assert not found.defects
    assert len(found.blocks) == 2  # if..endif, raw..endraw; the raw content is text


def test_handlebars_scanner() -> None:
    text = b"{{rfc2047 name}}{{{html}}}{{#each items}}{{this.x}}{{else}}{{/each}}{{!-- c }} --}}{{> footer}}"
    found = scan(text, "handlebars").placeholders
    assert [(p.kind, p.name, p.filters, p.tag) for p in found] == [
        (Kind.OUTPUT, "name", ("rfc2047",), ""),
        (Kind.OUTPUT, "html", (), ""),
        (Kind.OPEN, None, (), "each"),
        (Kind.OUTPUT, "x", (), ""),
        (Kind.MIDDLE, None, (), "else"),
        (Kind.CLOSE, None, (), "each"),
        (Kind.COMMENT, None, (), ""),
        (Kind.OUTPUT, None, (), "partial"),
    ]


def test_unterminated_and_unbalanced_tags_are_defects() -> None:
    assert [d.message for d in scan(b"a {{ b", "jinja").defects] == ["'{{' is never closed"]
    messages = [d.message for d in scan(b"{% if a %}{% endfor %}", "jinja").defects]
    assert messages == ["'for' closes a block that was never opened", "block 'if' is never closed"]


# --- raw-template mode -----------------------------------------------------------------


def test_a_clean_template_has_no_finding_from_the_message_rules() -> None:
    report = lint_template(WELCOME, template_ascii=["first_name", "tracking_url", "order_id"])
    assert report.findings == []
    masked = report.message.data
    assert len(masked) == len(WELCOME.encode())
    assert [i for i, b in enumerate(masked) if b == 10] == [
        i for i, b in enumerate(WELCOME.encode()) if b == 10
    ]


def test_placeholders_read_as_values_where_they_stand() -> None:
    report = lint_template(
        "From: {{ name }} <{{ sender }}>\n"
        'To: {{ a }}, Ann <ann@{{ domain }}>, "{{ quoted }}" <x@example.com>\n'
        'Content-Type: {{ media_type }}; boundary="{{ b }}"\n'
        "Content-Transfer-Encoding: {{ cte }}\n"
        "\n"
        "{{ body }}\n"
    )
    assert report.message.template is not None
    sites = {s.placeholder.name: s.where for s in report.message.template.sites}
    assert sites == {
        "name": Where.RAW_HEADER,
        "sender": Where.ADDRESS,
        "a": Where.ADDRESS,
        "domain": Where.DOMAIN,
        "quoted": Where.RAW_HEADER,
        "media_type": Where.STRUCTURE,
        "b": Where.STRUCTURE,
        "cte": Where.STRUCTURE,
        "body": Where.BODY,
    }
    codes = {f.code for f in report.findings}
    assert not codes & {"M401", "M320", "M602", "M702", "M302"}, codes


def test_charset_and_disposition_placeholders_read_as_valid_values() -> None:
    text = (
        "Content-Type: text/plain; charset={{ cs }}\n"
        "Content-Disposition: {{ disposition }}; filename=a.txt\n"
        "\n"
        "x\n"
    )
    report = lint_template(text)
    assert report.message.charset == "utf-8"
    assert not {f.code for f in report.findings} & {"M603", "M730"}


def test_block_tags_keep_the_header_section_whole() -> None:
    text = HEAD + "{% if cc %}\nCc: {{ cc }}\n{% endif %}\nSubject: Hi\n\nHello\n"
    report = lint_template(text)
    assert "subject" in {h.lname for h in report.message.headers}
    assert not {f.code for f in report.findings} & {"M302", "M607"}


def test_a_value_that_writes_header_lines_is_a_field() -> None:
    text = "{{ extra_headers }}\nSubject: Hi\n\nHello\n"
    report = lint_template(text)
    assert [h.lname for h in report.message.headers] == ["x", "subject"]
    assert {f.code for f in report.findings} & {"M302", "M305", "M607"} == set()
    assert where(text, "M801") == [(1, 1, 1, 20)]


@settings(max_examples=examples(150), deadline=None)
@given(st.text(alphabet='{}%#-~!/ \nab:@<>,"=^&', max_size=80), st.sampled_from(list(Syntax)))
def test_raw_mode_is_total_and_keeps_every_position(text: str, syntax: Syntax) -> None:
    report = lint_template(text, syntax=syntax)
    raw = text.encode()
    assert len(report.message.data) == len(raw)
    assert not report.internal_errors
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(raw)


# --- the rules, with positions ---------------------------------------------------------


def test_m801_subject_display_name_and_file_name() -> None:
    text = (
        "From: {{ shop }} <shop@example.com>\n"
        "Subject: Hi {{ first_name }}\n"
        'Content-Disposition: attachment; filename="{{ file }}.pdf"\n'
        "\n"
        "x\n"
    )
    assert where(text, "M801") == [(1, 7, 1, 17), (2, 13, 2, 29), (3, 44, 3, 54)]
    assert where(text, "M801", template_ascii=["shop", "f*"], encoding_filters=["x"]) == []
    filtered = text.replace("{{ first_name }}", "{{ first_name|rfc2047 }}")
    assert (2, 13, 2, 37) not in where(filtered, "M801", encoding_filters=["rfc2047"])


def test_m802_m803_by_transfer_encoding() -> None:
    body = (
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: {}\n\nHi {{{{ n }}}}\n"
    )
    assert where(body.format("7bit"), "M802") == [(4, 4, 4, 11)]
    assert where(body.format("7bit"), "M802", template_ascii=["n"]) == []
    assert where(body.format("quoted-printable"), "M802", template_ascii=["n"]) == [(4, 4, 4, 11)]
    assert where(body.format("8bit"), "M802") == []
    assert where(body.format("base64"), "M803") == [(4, 4, 4, 11)]
    # A filter named in template-encoding-filters encodes; "n" is a variable, not a filter.
    assert where(body.format("base64"), "M803", encoding_filters=["n"]) == [(4, 4, 4, 11)]


def test_m804_structure() -> None:
    text = (
        'Content-Type: multipart/mixed; boundary="{{ b }}"\n\n'
        "--{{ b }}\nContent-Type: text/plain\n\nx\n--{{ b }}--\n"
    )
    # A boundary the data gives, written alike in the parameter and every
    # delimiter line, is one the program makes for each message (test_templates_real).
    assert where(text, "M804") == []
    # Two variables of one length: the structure is the data's to make or break.
    mixed = text.replace("--{{ b }}", "--{{ c }}")
    assert where(mixed, "M804") == [(1, 42, 1, 49), (3, 3, 3, 10), (7, 3, 7, 10)]
    assert where("Content-Type: {{ t }}\n\nx\n", "M804") == [(1, 15, 1, 22)]


def test_m805_block_across_the_separator_and_a_boundary() -> None:
    text = "Subject: x\n{% if a %}\nContent-Type: text/html\n\n<p>x</p>\n{% endif %}\n"
    assert where(text, "M805") == [(2, 1, 2, 11)]
    multipart = (
        'Content-Type: multipart/mixed; boundary="b"\n\n'
        "--b\n\none\n{{#if a}}\n--b\n\ntwo\n{{/if}}\n--b--\n"
    )
    assert where(multipart, "M805", syntax="handlebars") == []  # a whole part
    broken = multipart.replace("two\n{{/if}}\n--b--", "two\n--b--\n{{/if}}")
    assert where(broken, "M805", syntax="handlebars") == [(6, 1, 6, 10)]


def test_m806_domain_but_not_a_whole_address() -> None:
    text = "To: {{ to }}, <{{ a }}@{{ d }}>, x@{{ tenant }}.example.com\n\nx\n"
    assert where(text, "M806") == [(1, 24, 1, 31), (1, 36, 1, 48)]


def test_m808_unclosed_tag() -> None:
    assert where("Subject: {{ x\n\nbody\n", "M808") == [(1, 10, 1, 12)]


# --- render mode -----------------------------------------------------------------------

pytest.importorskip("jinja2")
pytest.importorskip("pybars")

DATA = {
    "customer_email": "zoe@example.com",
    "order_id": "A1",
    "first_name": "Zoë",
    "tracking_url": "https://example.com/t/1",
}


def test_render_mode_maps_findings_to_template_lines() -> None:
    report = lint_template(WELCOME, data=DATA, select=["M320", "M102"])
    got = [(f.code, f.line, f.column, f.end_line, f.end_column) for f in report.findings]
    # The Subject's value came from the placeholder on line 6; the body's from line 10.
    assert got == [("M320", 6, 26, 6, 42), ("M102", 10, 7, 10, 23)]
    assert "Zoë" in report.message.data.decode()


def test_render_mode_maps_literal_text_exactly() -> None:
    text = "Subject: {{ s }}\n{%- if x %}\nX-Note: café {{ s }}\n{%- endif %}\n\nbody\n"
    report = lint_template(text, data={"s": "ok", "x": True}, select=["M320"])
    # Line 3 of the template, at its "é" (column 12), though the whitespace
    # control moved it to line 2 of the rendering.
    assert [(f.line, f.column) for f in report.findings] == [(3, 12)]
    assert report.message.data.startswith(b"Subject: ok\nX-Note: caf")


def test_render_mode_maps_related_places_to_the_template_too() -> None:
    # Whitespace control pulls the second Subject up one line in the
    # rendering; both the finding and its related place (the first copy)
    # are given where they stand in the template.
    text = "Subject: {{ s }}\nTo: a@example.com\n{%- if x %}\nSubject: {{ s }}\n{%- endif %}\n\nx\n"
    report = lint_template(text, data={"s": "ok", "x": True}, select=["M605"])
    [finding] = report.findings
    assert (finding.line, finding.column) == (4, 1)
    assert [(r.message, r.line, r.column) for r in finding.related] == [
        ("the first Subject field", 1, 1)
    ]


def test_undefined_variables_are_findings_where_they_are_used() -> None:
    text = "Subject: Hi {{ frist_name }}\n{% if a %}\n{% elif tracking %}\n{% endif %}\n\nx\n"
    report = lint_template(text, data={"a": False}, select=["M807"])
    assert [(f.line, f.column, f.message) for f in report.findings] == [
        (1, 13, "'frist_name' is undefined in the sample data"),
        (3, 1, "'tracking' is undefined in the sample data"),
    ]


def test_handlebars_render_and_missing_variable() -> None:
    text = "Subject: {{rfc2047 name}} {{missing}}\n\n{{#each items}}{{this}}{{/each}}\n"
    report = lint_template(text, syntax="handlebars", data={"name": "Zoë", "items": [1]})
    assert b"=?utf-8?" in report.message.data
    assert [(f.code, f.line, f.column) for f in report.findings if f.code == "M807"] == [
        ("M807", 1, 27)
    ]
    assert "M320" not in {f.code for f in report.findings}


def test_render_syntax_error_points_at_its_line() -> None:
    report = lint_template("Subject: x\n\n{% for %}\n", data={}, select=["M808"])
    assert {f.line for f in report.findings} == {3}


@settings(max_examples=examples(120), deadline=None)
@given(st.text(alphabet='{}%#-~!/ \nab:@<>,"=^&+é()|.', max_size=60), st.sampled_from(list(Syntax)))
def test_render_mode_is_total(text: str, syntax: Syntax) -> None:
    report = lint_template(text, syntax=syntax, data={"a": "é", "b": [1]})
    assert not report.internal_errors
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(text.encode())


def test_library_is_exported() -> None:
    assert mimelint.lint_template is lint_template


# --- the command line ------------------------------------------------------------------


def _repo(tmp_path: Path) -> Path:
    (tmp_path / "welcome.eml.j2").write_text(WELCOME, encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps(DATA), encoding="utf-8")
    (tmp_path / "b.toml").write_text(
        'customer_email = "b@example.com"\norder_id = "B"\nfirst_name = "Bo"\n', encoding="utf-8"
    )
    return tmp_path


def test_cli_render_with_and_fix_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_repo(tmp_path))
    runner = CliRunner()
    done = runner.invoke(
        main, ["check", "--no-config", "--render-with", "a.json", "welcome.eml.j2"]
    )
    assert done.exit_code == 1
    assert "welcome.eml.j2:6:26: M320" in done.output
    done = runner.invoke(main, ["check", "--fix", "--render-with", "a.json", "welcome.eml.j2"])
    assert done.exit_code == 2
    assert done.output.count("\n") == 1 and "--render-with" in done.output


def test_render_with_setting_renders_with_each_data_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path)
    (repo / "mimelint.toml").write_text(
        '[render-with]\n"*.eml.j2" = ["a.json", "b.toml"]\n', encoding="utf-8"
    )
    monkeypatch.chdir(repo)
    done = CliRunner().invoke(main, ["check", "--select", "M320,M807", "."])
    assert "M320" in done.output and "(rendered with a.json)" in done.output
    assert "'tracking_url' is undefined in the sample data (rendered with b.toml)" in done.output


def test_render_mode_without_the_renderer_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_repo(tmp_path))
    monkeypatch.setitem(__import__("sys").modules, "jinja2", None)
    done = CliRunner().invoke(main, ["check", "--render-with", "a.json", "welcome.eml.j2"])
    assert done.exit_code == 2
    assert "pip install 'mimelint[templates]'" in done.output


def test_template_syntax_option_for_standard_input() -> None:
    text = "Subject: Hi {{ name }}\n\nx\n"
    done = CliRunner().invoke(
        main, ["check", "--no-config", "--template-syntax", "jinja", "-"], input=text
    )
    assert "-:1:13: M801" in done.output
    plain = CliRunner().invoke(main, ["check", "--no-config", "-"], input=text)
    assert "M801" not in plain.output


def test_an_optional_base64_attachment_reads_clean() -> None:
    # The tag line after the base64 data would leave it unpadded; a finding
    # that lies in a placeholder's mask is about the token, not the template.
    text = (
        'Content-Type: multipart/mixed; boundary="b1"\n\n'
        "--b1\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        "Hi {{name}}\n"
        "{{#if invoice}}\n--b1\nContent-Type: application/pdf\n"
        "Content-Transfer-Encoding: base64\n\n{{b64 invoice}}\n{{/if}}\n--b1--\n"
    )
    report = lint_template(text, syntax="handlebars", encoding_filters=["b64"])
    codes = {f.code for f in report.findings}
    assert not codes & {"M710", "M711", "M108", "M803", "M805"}, report.findings


def test_handlebars_rendering_is_what_handlebars_renders() -> None:
    import pybars

    text = "a\n{{#if x}}\nb {{y}}\n{{/if}}\nc\n  {{#each l}}\n- {{this}}\n  {{/each}}\n{{! note }}\nd\n"
    values = {"x": 1, "y": "Y", "l": [1, 2]}
    expected = pybars.Compiler().compile(text)(values)
    assert lint_template(text, syntax="handlebars", data=values).message.data.decode() == expected


def test_jinja_rendering_is_what_jinja_renders() -> None:
    import jinja2

    text = (
        "a\n{% if x %}\nb {{ y }}\n{% endif %}\n  {%- for i in l %}\n- {{ i }}\n  {%- endfor %}\n"
    )
    values = {"x": 1, "y": "Y", "l": [1, 2]}
    env = jinja2.Environment(keep_trailing_newline=True)
    expected = env.from_string(text).render(values)
    assert lint_template(text, data=values).message.data.decode() == expected


def test_a_failing_helper_is_reported_where_it_is_called() -> None:
    text = "Subject: x\n\n{{#each items}}\n{{boom x}}\n{{/each}}\n"
    report = lint_template(text, syntax="handlebars", data={"items": [1]}, select=["M808"])
    assert [(f.line, f.column) for f in report.findings] == [(4, 1)]


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "not valid JSON"), ("[1, 2]", "must be a table")],
)
def test_a_bad_data_file_is_one_line_and_status_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, message: str
) -> None:
    monkeypatch.chdir(_repo(tmp_path))
    (tmp_path / "bad.json").write_text(content, encoding="utf-8")
    done = CliRunner().invoke(main, ["check", "--render-with", "bad.json", "welcome.eml.j2"])
    assert done.exit_code == 2
    assert done.output.startswith("mimelint: error: bad.json: ") and message in done.output
    assert done.output.count("\n") == 1


def test_includes_and_partials_are_read_beside_the_template(tmp_path: Path) -> None:
    (tmp_path / "footer.txt").write_text("Grüße\n", encoding="utf-8")
    (tmp_path / "footer.hbs").write_text("Grüße {{name}}\n", encoding="utf-8")
    jinja = "Subject: x\nContent-Type: text/plain; charset=utf-8\n\nHi\n{% include 'footer.txt' %}"
    report = lint_template(jinja, data={}, search_path=tmp_path, select=["M102", "M808"])
    # The 8-bit text came from the included file: it maps to the include tag.
    assert [(f.code, f.line, f.column) for f in report.findings] == [("M102", 5, 1)]
    hbs = "Subject: x\nContent-Type: text/plain; charset=utf-8\n\nHi\n{{> footer}}"
    report = lint_template(
        hbs, syntax="handlebars", data={"name": "A"}, search_path=tmp_path, select=["M102", "M808"]
    )
    assert [(f.code, f.line, f.column) for f in report.findings] == [("M102", 5, 1)]
    missing = lint_template(hbs, syntax="handlebars", data={}, select=["M808"])
    assert [(f.line, f.column) for f in missing.findings] == [(5, 1)]
