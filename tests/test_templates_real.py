"""Raw-template mode on the shapes of real templates (a sweep over template repositories).

Each test is a minimal template written for it, in the shape of a real one
whose source is named in a comment; the real files are not in the repository.
"""

from __future__ import annotations

import re
from collections import Counter
from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mimelint.placeholders import Block, Kind
from mimelint.templates.lint import _Alternatives, lint_template
from mimelint.templates.scan import scan
from tests.profiles import examples
from tests.util import Counted


def _codes(text: str, syntax: str = "jinja") -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.column) for f in lint_template(text, syntax=syntax).findings]


# ------------------------------------------------- body templates (no header section)


def test_a_body_template_that_starts_with_a_tag_has_no_header_section() -> None:
    # Shape of element-hq/synapse synapse/res/templates/add_threepid.html: an
    # {% extends %} line, then a block on the next line. The tag line was read
    # as a harmless header field and the next line as a broken header (M607).
    text = (
        '{% extends "_base.html" %}\n'
        "{% block title %}Request to add an address{% endblock %}\n"
        "\n"
        "{% block body %}\n<p>Hi {{ name }},</p>\n{% endblock %}\n"
    )
    report = lint_template(text)
    assert [(f.code, f.line, f.column) for f in report.findings] == [("M001", 1, 1)]
    assert report.findings[0].message.startswith("the template has no header section")


def test_a_body_template_that_opens_with_a_loop_has_no_header_section() -> None:
    # Shape of synapse/res/templates/notif.html: a {%- for %} line, then an
    # indented line (read as the continuation of a field named X, so M801
    # said "X will hold this value as written").
    text = (
        '{%- for m in messages %}\n    <tr class="{{ m.cls }}">{{ m.sender }}</tr>\n{%- endfor %}\n'
    )
    assert _codes(text) == [("M001", 1, 1)]
    assert _codes("{{#each items}}\n  <li>{{name}}</li>\n{{/each}}\n", "handlebars") == [
        ("M001", 1, 1)
    ]


def test_a_value_opening_a_body_template_is_not_a_header_field() -> None:
    # Shape of the mailman 3 / postmark text bodies that open with a value.
    assert _codes("{{ greeting }},\n\nthank you for {{ product }}.\n") == [("M001", 1, 1)]


def test_a_tag_line_before_the_header_fields_still_reads_as_a_header_section() -> None:
    # The near miss: a template whose first line is a tag and whose next line
    # is a field has a header section; nothing is reported about its shape.
    text = (
        "{% if cc %}\nCc: {{ cc }}\n{% endif %}\n"
        "From: Shop <shop@example.com>\nDate: {{ date }}\n"
        "Message-ID: <{{ id }}@example.com>\nSubject: Your order\n\nHello\n"
    )
    codes = {c for c, _, _ in _codes(text)}
    assert not codes & {"M001", "M302", "M607", "M608"}, codes


# ------------------------------------------------- addresses written with blocks


def test_an_address_followed_by_an_if_tag_is_a_whole_address() -> None:
    # Shape of the reply template of an OpenSRS mail service (Go text/template):
    # "To: {{.ToEmail}}{{if .CCEmail}}" then "Cc: {{.CCEmail}}{{- end}}", here in
    # Jinja. The tag after the value made it header text (M801).
    text = (
        "From: Shop <shop@example.com>\n"
        "To: {{ to }}{% if cc %}\nCc: {{ cc }}{% endif %}\n"
        "Date: {{ date }}\nMessage-ID: <{{ id }}@example.com>\nSubject: Hi\n\nHello\n"
    )
    assert _codes(text) == []


def test_addresses_joined_in_a_loop_are_addresses_and_the_list_is_not_broken() -> None:
    # Shape of SES/Handlebars recipient lists:
    # {{#each to}}{{this}}{{#unless @last}}, {{/unless}}{{/each}}: the value was
    # header text (M801) and the element after the comma, only closing tags,
    # an empty list element (M409).
    head = "From: Shop <shop@example.com>\nDate: {{date}}\nMessage-ID: <{{id}}@example.com>\n"
    hbs = head + "To: {{#each to}}{{this}}{{#unless @last}}, {{/unless}}{{/each}}\n\nHi\n"
    assert _codes(hbs, "handlebars") == []
    jinja = (
        head.replace("{{date}}", "{{ date }}")
        + "To: {% for r in to %}{{ r }}{% if not loop.last %}, {% endif %}{% endfor %}\n\nHi\n"
    )
    assert _codes(jinja) == []


def test_a_separator_before_a_comment_is_still_an_empty_element() -> None:
    # The near miss: a comment writes nothing, so the list ends with a comma.
    text = (
        "From: Shop <shop@example.com>\nDate: {{ date }}\nMessage-ID: <{{ id }}@example.com>\n"
        "To: {{ a }}, {# nobody #}\n\nHi\n"
    )
    assert _codes(text) == [("M409", 4, 12)]


# ------------------------------------------------- boundaries the program makes


def test_a_boundary_the_program_makes_is_not_mime_structure_from_the_data() -> None:
    # Shape of matrix-org/sydent res/matrix-org/invite_template.eml.j2 and of
    # chasquid's DSN template: boundary="{{ multipart_boundary|safe }}" and each
    # delimiter line --{{ multipart_boundary|safe }}, a fresh boundary for each
    # message. Every one of those lines was an M804 error.
    text = (
        "From: {{ from|safe }}\nTo: {{ to|safe }}\nDate: {{ date|safe }}\n"
        "Message-ID: {{ messageid|safe }}\nSubject: Invitation\nMIME-Version: 1.0\n"
        'Content-Type: multipart/alternative;\n\tboundary="{{ boundary|safe }}"\n\n'
        "--{{ boundary|safe }}\nContent-Type: text/plain; charset=UTF-8\n\nHi\n\n"
        "--{{ boundary|safe }}\nContent-Type: text/html; charset=UTF-8\n\n<p>Hi</p>\n\n"
        "--{{ boundary|safe }}--\n"
    )
    assert _codes(text) == []


def test_a_delimiter_written_otherwise_than_the_boundary_is_flagged() -> None:
    # The near miss: the parameter and the delimiter lines are different text.
    text = (
        'Content-Type: multipart/mixed; boundary="=_{{ id }}"\n\n'
        "--=_{{ ix }}\nContent-Type: text/plain\n\nx\n--=_{{ ix }}--\n"
    )
    assert [(c, line) for c, line, _ in _codes(text) if c == "M804"] == [
        ("M804", 1),
        ("M804", 3),
        ("M804", 7),
    ]


# ------------------------------------------------- messages quote the template


def test_a_message_rule_quotes_the_tag_not_its_mask() -> None:
    # Shape of a Go mailer's attachment part (text/template, "Content-Type:
    # {{.Type}}\"" with a stray quote), here in Jinja: M602 quoted the mask,
    # "'xxxxxxxxxxx\"' is not type/subtype", text the user never wrote.
    text = 'Subject: x\nContent-Type: {{ kind }}"\n\nbody\n'
    found = [f for f in lint_template(text).findings if f.code == "M602"]
    assert len(found) == 1
    assert "'{{ kind }}\"'" in found[0].message


def test_two_values_quoted_together_keep_their_order() -> None:
    # Shape of the OpenSRS reply template in Jinja mode, where Go's
    # "{{.ToEmail}}{{if .CCEmail}}" is two values: the message quotes both tags,
    # in the order written.
    text = "From: a@example.com\nTo: {{.ToEmail}}{{if .CCEmail}}\n\nbody\n"
    found = [f for f in lint_template(text).findings if f.code == "M401"]
    assert len(found) == 1
    assert "'{{.ToEmail}}{{if .CCEmail}}'" in found[0].message


def test_an_expression_without_a_variable_is_this_placeholder() -> None:
    # synapse notif.html: {{ "a" if x else "b" }} in a 7bit body; M802 said
    # "a non-ASCII value of this value".
    text = 'Subject: x\n\n<tr class="{{ "a" if x else "b" }}">\n'
    found = [f for f in lint_template(text).findings if f.code == "M802"]
    assert [f.message.split(" makes")[0] for f in found] == [
        "the body is 7bit, so a non-ASCII value of this placeholder"
    ]


# ------------------------------------------------- header lines inside blocks


def test_a_field_after_an_if_tag_on_its_line_is_that_field() -> None:
    # Shape of Jinja mail templates that guard a header on one line:
    # "{% if reply_to %}Reply-To: {{ reply_to }}" then "{% endif %}Subject: ...".
    # The tag's mask joined the field name ("xxxxReply-To"), so the address was
    # header text (M801).
    text = (
        "From: Shop <shop@example.com>\nDate: {{ date }}\nMessage-ID: <{{ id }}@example.com>\n"
        "To: {{ to }}\n{% if reply_to %}Reply-To: {{ reply_to }}\n{% endif %}Subject: Hi\n\nx\n"
    )
    assert _codes(text) == []
    # The near miss: the same line with a display name placeholder is text sent raw.
    named = text.replace("Reply-To: {{ reply_to }}", 'Reply-To: "{{ name }}" <r@example.com>')
    found = [f for f in lint_template(named).findings if f.code == "M801"]
    assert [(f.line, f.column) for f in found] == [(5, 29)]
    assert found[0].message.startswith("Reply-To will hold 'name'")


def test_one_field_in_each_branch_of_an_if_is_not_a_duplicate() -> None:
    # Shape of templates that pick the body type in the header:
    # {% if html %}Content-Type: text/html{% else %}Content-Type: text/plain{% endif %};
    # no rendering has both, but M605 (an error) called the second a duplicate.
    head = "From: Shop <shop@example.com>\nDate: {{ date }}\nMessage-ID: <{{ id }}@example.com>\n"
    text = (
        head + "MIME-Version: 1.0\nSubject: Hi\n{% if html %}\nContent-Type: text/html\n"
        "{% elif md %}\nContent-Type: text/markdown\n{% else %}\nContent-Type: text/plain\n"
        "{% endif %}\n\nx\n"
    )
    assert _codes(text) == []
    hbs = text.replace("{{ ", "{{").replace(" }}", "}}")
    hbs = hbs.replace("{% if html %}", "{{#if html}}").replace("{% elif md %}", "{{else if md}}")
    hbs = hbs.replace("{% else %}", "{{else}}").replace("{% endif %}", "{{/if}}")
    assert _codes(hbs, "handlebars") == []


class _Place(int):
    """An offset that counts how often it is compared (Python asks a
    subclass's reflected comparison first, so both sides count)."""

    compared = 0

    def _count(self, other: object, op: str) -> bool:
        _Place.compared += 1
        return bool(getattr(int(self), op)(other))

    def __lt__(self, other: object) -> bool:
        return self._count(other, "__lt__")

    def __le__(self, other: object) -> bool:
        return self._count(other, "__le__")

    def __gt__(self, other: object) -> bool:
        return self._count(other, "__gt__")

    def __ge__(self, other: object) -> bool:
        return self._count(other, "__ge__")


def _pair(a: int, b: int) -> Any:
    return SimpleNamespace(start=a, related=(SimpleNamespace(start=b),))


_BRANCHY = st.recursive(
    st.sampled_from(["x\n", "y\n"]),
    lambda inner: st.tuples(st.lists(inner, min_size=1, max_size=3), st.integers(1, 3)).map(
        lambda t: (
            "{% if a %}"
            + "{% else %}".join("".join(t[0][:1]) for _ in range(t[1]))
            + "".join(t[0][1:])
            + "{% endif %}"
        )
    ),
    max_leaves=12,
)


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(_BRANCHY, min_size=1, max_size=4), st.data())
def test_two_places_are_apart_as_the_branches_of_every_block_say(
    pieces: list[str], data: st.DataObject
) -> None:
    # The definition: some block with alternatives holds both places, each in
    # another branch. The lookup asks the innermost block holding both only.
    text = "".join(pieces).encode()
    info = scan(text)
    alternatives = _Alternatives(info)  # type: ignore[arg-type]
    closes = {b.open: b.close for b in info.blocks}
    found = info.placeholders
    spans = []
    for o, c in closes.items():
        middles = [p.start for p in found[o + 1 : c] if p.kind is Kind.MIDDLE]
        spans.append((found[o].end, found[c].start, middles))
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(0, len(text)))

    def branch(middles: list[int], at: int, start: int, end: int) -> int:
        # Middle tags of blocks nested deeper are not this block's.
        own = [m for m in middles if not any(s < m < e for s, e, _ in spans if start < s)]
        return sum(m <= at for m in own)

    expected = any(
        s <= a < e and s <= b < e and branch(m, a, s, e) != branch(m, b, s, e) for s, e, m in spans
    )
    assert alternatives.apart(_pair(a, b)) is expected


def test_places_in_many_if_blocks_are_told_apart_in_few_steps() -> None:
    # Every finding with a related place was compared with every block that
    # has an else: 8,000 Content-Type fields in if/else blocks (two per block)
    # took 2.7 s there. Counted, not timed: how often a place is compared.
    counts = []
    for n in (1_000, 2_000):
        text = ("{% if h %}Content-Type: text/html\n{% else %}Other\n{% endif %}\n" * n).encode()
        alternatives = _Alternatives(scan(text))  # type: ignore[arg-type]
        first = text.index(b"Content-Type")
        _Place.compared = 0
        apart = [
            alternatives.apart(_pair(_Place(m.start()), _Place(first)))
            for m in re.finditer(b"Content-Type|Other", text)
        ]
        assert apart == [False, True] + [False] * (2 * n - 2)
        counts.append(_Place.compared)
    assert counts[1] < 3 * counts[0]


def test_a_field_repeated_inside_one_branch_is_a_duplicate() -> None:
    # The near miss: a Subject and a second one that an {% if %} adds.
    text = (
        "From: Shop <shop@example.com>\nDate: {{ date }}\nMessage-ID: <{{ id }}@example.com>\n"
        "Subject: a\n{% if x %}\nSubject: b\n{% endif %}\n\nx\n"
    )
    assert _codes(text) == [("M605", 6, 1)]


# ------------------------------------------------- other languages


def test_django_and_liquid_blocks_pair_in_jinja_mode() -> None:
    # Shape of Django mail templates ({% blocktrans %}...{% endblocktrans %},
    # {% comment %}) and Liquid ones ({% unless %}, {% case %}/{% when %}): their
    # closing tags were M808 'closes a block that was never opened'.
    text = (
        "From: a@example.com\nDate: {{ date }}\nMessage-ID: <{{ id }}@example.com>\n"
        "Subject: Hi\n\n{% blocktrans %}Hello {{ name }}{% endblocktrans %}\n"
        "{% comment %}note{% endcomment %}\n{% unless x %}y{% endunless %}\n"
        "{% case k %}{% when 1 %}one{% else %}other{% endcase %}\n"
        "{% for i in l %}{{ i }}{% empty %}none{% endfor %}\n"
    )
    assert "M808" not in {c for c, _, _ in _codes(text)}
    assert [c for c, _, _ in _codes(text + "{% endblocktrans %}\n")].count("M808") == 1


def test_closing_tags_that_match_no_open_block_are_paired_in_one_pass() -> None:
    # Each closing tag that does not close the innermost block was looked
    # for in the whole stack of open blocks: 4,000 '{% if %}' never closed,
    # then 4,000 '{% endfor %}', took 7 s to pair. Counted, not timed: how
    # often a tag's name is read.
    from mimelint.templates.scan import _pair

    read: Counter[str] = Counter()
    counts = []
    for n in (500, 1_000):
        found = scan(("{% if a %}x" * n + "{% endfor %}" * n).encode()).placeholders
        read.clear()
        blocks, defects = _pair([Counted(p, read) for p in found])  # type: ignore[misc]
        assert blocks == [] and len(defects) == 2 * n
        counts.append(read["tag"])
    assert counts[1] < 2.2 * counts[0]
    # Pairing is as before: an inner block left open is reported when its outer closes.
    found = scan(b"{% for x in l %}{% if a %}y{% endfor %}").placeholders
    blocks, defects = _pair(list(found))
    assert blocks == [Block(0, 2)] and [d.message for d in defects] == [
        "block 'if' is never closed"
    ]


def test_placing_tags_in_a_multipart_of_many_parts_is_linear() -> None:
    # A tag in a delimiter line was looked for in every delimiter of the
    # multipart, and the part holding a tag after the last part by a walk
    # back over every part: 2,000 parts took 1.4 s to mask. Counted, not
    # timed: the lines of mask.py run (sys.settrace), which grow as the
    # template does.
    import sys

    from mimelint.templates import mask as masking

    lines = 0

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        nonlocal lines
        if frame.f_code.co_filename != masking.__file__:
            return None
        if event == "line":
            lines += 1
        return tracer

    counts = []
    for n in (300, 600):
        text = (
            'From: a@example.com\nContent-Type: multipart/mixed; boundary="{{ b }}"\n\n'
            + "--{{ b }}\nContent-Type: text/plain\n\n{{ x }}\n" * n
            + "--{{ b }}--\n{{ after }}\n"
        ).encode()
        found = scan(text)
        lines = 0
        sys.settrace(tracer)
        try:
            masked = masking.mask(text, found, max_depth=50)
        finally:
            sys.settrace(None)
        info = masked.template
        assert info is not None
        wheres = [site.where.value for site in info.sites]
        assert wheres.count("generated-boundary") == n + 2 and wheres[-1] == "multipart-text"
        counts.append(lines)
    assert counts[1] < 2.2 * counts[0]


def test_a_template_of_another_language_says_so() -> None:
    # Shapes of sympa-community/sympa default/mail_tt2/*.tt2 ("From: [% fromlist %]"),
    # matrix-org/sydent's older .eml templates ("From: %(from)s"), Rails mailer
    # views ("<%= @user.email %>") and "${to}" templates, read as Jinja: no tag
    # is found, so the placeholders were literal text and the findings on them
    # (M401 "white space inside the domain 'from %'") did not say why.
    tail = "Date: x\n\nHi\n"
    cases = {
        "From: [% fromlist %]\n": "Template Toolkit ('[% ... %]')",
        "From: %(from)s\n": "Python '%(name)s'",
        "From: <%= @from %>\n": "ERB/EJS ('<%= ... %>')",
        "To: ${to}\n": "'${...}'",
        "To: {to}\n": "Python '{name}'",
    }
    for head, language in cases.items():
        found = [f for f in lint_template(head + tail).findings if f.code == "M808"]
        assert [(f.line, f.message.split(" placeholders")[0]) for f in found] == [
            (1, f"the template has no Jinja tag, but {language}")
        ], head


def test_another_language_is_named_at_its_first_placeholder() -> None:
    # M808 is reported once, at the first of them: a '${...}' on line 1 and an
    # ERB tag on line 2 were reported at the ERB tag (patterns tried in turn).
    text = "Subject: ${subject}\nFrom: <%= @from %>\nDate: x\n\nHi\n"
    (f,) = [f for f in lint_template(text).findings if f.code == "M808"]
    assert (f.line, f.column, f.end_column) == (1, 10, 20)
    assert "but '${...}' placeholders" in f.message


def test_foreign_looking_text_in_a_template_with_tags_is_text() -> None:
    # The near misses: a template with a Jinja tag, and one whose ${...} is in the body.
    assert "M808" not in {c for c, _, _ in _codes("Subject: {{ s }} {x}\n\nHi\n")}
    assert "M808" not in {c for c, _, _ in _codes("Subject: Hi\n\necho ${HOME}\n")}


# ------------------------------------------------- render mode totality


def test_a_filter_the_renderer_lacks_is_m808_not_a_crash() -> None:
    # element-hq/synapse's templates use their own filters ({{ ts|format_ts("%d-%m-%Y") }},
    # mxc_to_http): rendering them with sample data raised jinja2's
    # TemplateAssertionError (found when compiling, after the parse check).
    text = (
        "Subject: {{ s }}\nFrom: a@example.com\n\n{% for i in l %}\n{{ i }}\n{%- endfor %}\n"
        '{{ y\n }}\nValid until {{ ts|format_ts("%d-%m-%Y") }}\n'
    )
    report = lint_template(text, data={"s": "a", "l": [1], "y": 2, "ts": 0})
    found = [(f.code, f.line, f.column, f.message) for f in report.findings if f.code == "M808"]
    assert found == [("M808", 9, 1, "template error: No filter named 'format_ts'.")]


def test_blocks_nested_too_deeply_for_python_are_m808_not_a_crash() -> None:
    # Jinja compiles a template to Python, which nests at most 20 loops (and
    # about 100 blocks), and parses it recursively: 25 nested {% for %} raised
    # SyntaxError ('too many statically nested blocks') out of render mode,
    # 1,000 nested {% if %} RecursionError, and check printed a traceback.
    head = "From: a@example.com\nSubject: x\n\n"
    fors = "".join(f"{{% for x{i} in l %}}" for i in range(25))
    text = head + fors + "x" + "{% endfor %}" * 25 + "\n"
    report = lint_template(text, data={"l": [1]})
    (f,) = [f for f in report.findings if f.code == "M808"]
    column = text.index("{% for x24 ") - len(head) + 1  # the innermost loop's tag
    assert (f.line, f.column, f.end_column) == (4, column, column + len("{% for x24 in l %}"))
    assert "too many statically nested blocks" in f.message
    ifs = head + "{% if a %}" * 1000 + "x" + "{% endif %}" * 1000 + "\n"
    (g,) = [f for f in lint_template(ifs, data={"a": 1}).findings if f.code == "M808"]
    assert g.line == 4 and "nest too deeply" in g.message
    # The near miss: 15 nested loops render.
    fifteen = head + fors[: fors.index("{% for x15 ")] + "x" + "{% endfor %}" * 15 + "\n"
    assert [f.code for f in lint_template(fifteen, data={"l": [1]}).findings] == []


def test_a_global_delivery_status_with_values_is_not_7bit_content() -> None:
    # Shape of albertito/chasquid internal/queue/dsn.go's DSN template: a
    # message/global-delivery-status part declared 8bit, holding
    # "Final-Recipient: utf-8; {{.Address}}". Its values are UTF-8 addresses
    # (RFC 6533), but the letters of the mask made it "8bit over 7-bit content" (M108).
    text = (
        "From: a@example.com\nDate: {{ date }}\nMessage-ID: <{{ id }}@example.com>\n"
        "Subject: Delivery failed\nMIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\n\n'
        "--b1\nContent-Type: text/plain; charset=us-ascii\n\nFailed.\n\n"
        "--b1\nContent-Type: message/global-delivery-status\nContent-Transfer-Encoding: 8bit\n\n"
        "Reporting-MTA: dns; mx.example.com\n\nFinal-Recipient: utf-8; {{ address }}\n"
        "Action: failed\nStatus: 5.0.0\n\n--b1--\n"
    )
    codes = {c for c, _, _ in _codes(text)}
    assert "M108" not in codes
    # The near miss: the same part without a placeholder is 7-bit content.
    plain = text.replace("{{ address }}", "rcpt@example.com")
    assert "M108" in {c for c, _, _ in _codes(plain)}


# ------------------------------------------------- totality on template-shaped input

_PIECES = [
    "From: ",
    "To: ",
    "Cc: ",
    "Reply-To: ",
    "Subject: ",
    "Content-Type: ",
    "multipart/mixed",
    '; boundary="',
    '"',
    "--",
    "b1",
    "\n",
    "\n\n",
    ", ",
    "<",
    ">",
    "@",
    "x.example",
    " ",
    "{{ a }}",
    "{{ b|nosuch }}",
    "{% if a %}",
    "{% elif b %}",
    "{% else %}",
    "{% endif %}",
    "{% for r in l %}",
    "{% endfor %}",
    "{%- if a -%}",
    "{# c #}",
    "{{#each l}}",
    "{{this}}",
    "{{#unless @last}}",
    "{{/unless}}",
    "{{/each}}",
    "{{else}}",
    "{{> p}}",
    "[% x %]",
    "<%= y %>",
    "${z}",
    "%(w)s",
    "{% blocktrans %}",
    "{% endblocktrans %}",
    "é",
]


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.sampled_from(["jinja", "handlebars"]))
def test_template_shaped_input_is_total_in_both_modes(pieces: list[str], syntax: str) -> None:
    text = "".join(pieces)
    size = len(text.encode())
    raw = lint_template(text, syntax=syntax)
    assert len(raw.message.data) == size
    rendered = lint_template(text, syntax=syntax, data={"a": "é", "b": "x", "l": [1, 2]})
    for report in (raw, rendered):
        assert not report.internal_errors
        for f in report.findings:
            assert 0 <= f.start <= f.end <= size
            assert f.line >= 1 and f.column >= 1


def test_two_tags_that_open_a_field_line_are_not_part_of_its_name() -> None:
    # Shape of a Go mail service's header template ("{{end}}{{if .MessageID -}}Message-ID:
    # {{.MessageID}}"), in Jinja: the second tag was masked as blanks, so the field
    # name held spaces (M304, an error) and the Message-ID value was header text.
    text = (
        "From: a@example.com\nDate: {{ date }}\nSubject: Hi\n"
        "{% if ref %}References: <{{ ref }}>\n"
        "{% endif %}{% if mid -%}Message-ID: <{{ mid }}>\n{% endif %}To: b@example.com\n\nx\n"
    )
    assert _codes(text) == []


def test_a_jinja_tag_line_before_the_body_is_the_blank_line() -> None:
    # Same Go header template: "{{end}}" alone on the line before "<html>" is the
    # blank line that ends the header section; in Jinja "{% endif %}" renders as
    # an empty line too (trim_blocks off, as render mode renders). Raw mode read
    # it as a field and called "<html>" a broken header (M607, an error).
    text = (
        "From: a@example.com\nDate: {{ date }}\nSubject: Hi\nMessage-ID: <1@example.com>\n"
        "{% if ref %}References: <{{ ref }}>\n{% endif %}\n<html>{{ body }}</html>\n"
    )
    assert "M607" not in {c for c, _, _ in _codes(text)}
    rendered = lint_template(text, data={"date": "Mon, 2 Jun 2025 10:00:00 +0000", "ref": "r@x"})
    assert "M607" not in {f.code for f in rendered.findings}
    # The near miss: Handlebars drops a line that holds only a block tag, so the
    # body follows the header directly there, raw and rendered.
    hbs = text.replace("{% if ref %}", "{{#if ref}}").replace("{% endif %}", "{{/if}}")
    hbs = hbs.replace("{{ ", "{{").replace(" }}", "}}")
    assert "M607" in {c for c, _, _ in _codes(hbs, "handlebars")}
