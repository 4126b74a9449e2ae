"""M807: a variable that the sample data does not define (render mode)."""

from __future__ import annotations

from mimelint.mime.tree import Message
from mimelint.rule import Context, Problem, message, rule


@rule(
    code="M807",
    name="undefined-template-variable",
    severity="error",
    summary="A template variable that the sample data does not define (render mode)",
    visits=message(template=True),
)
def undefined_template_variable(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    In render mode (``--render-with DATA``, the ``render-with`` setting or
    ``lint_template(..., data=...)``), flags each placeholder or block tag
    that reads a variable the data does not define. Jinja2 renders with
    strict undefined semantics; for Handlebars, top-level names are looked up.

    ## Why is this bad?
    A renderer that prints a missing value as an empty string sends
    "Hello ," or an empty ``To:``; the sample data is meant to stand for
    every real send, so a variable it lacks is either a typo in the template
    or a gap in the data, and the rendered message that was linted is not
    the one that will be sent (RFC 5322 §3.6 for the fields that become empty).

    ## Example
    ```
    Subject: Hello {{ frist_name }}
    ```
    rendered with ``{"first_name": "Ann"}``.

    ## Use instead
    ```
    Subject: Hello {{ first_name }}
    ```

    ## Fix safety
    No fix.

    ## References
    RFC 5322 §3.6; Jinja2 API documentation, "Undefined Types" (StrictUndefined),
    https://jinja.palletsprojects.com/en/stable/api/#undefined-types.
    """
    from mimelint.placeholders import RenderProblemKind  # loaded only for a template

    template = message.template
    assert template is not None  # visits=message(template=True)
    problems: list[Problem] = []
    for problem in template.render_problems:
        if problem.kind is RenderProblemKind.UNDEFINED:
            problems.append(Problem(problem.start, problem.end, problem.message))
    return problems
