"""M808: a tag that the template language cannot read."""

from __future__ import annotations

from mimelint.mime.tree import Message
from mimelint.rule import Context, Problem, message, rule


@rule(
    code="M808",
    name="template-syntax-error",
    severity="error",
    summary="A template tag that is never closed or closes nothing, or a failed render",
    visits=message(template=True),
)
def template_syntax_error(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Flags a tag that is never closed (``{{ name``), a block left open
    (``{% if %}`` without ``{% endif %}``) or closed without being opened,
    and, in render mode, the renderer's own syntax errors and failures
    (a filter or helper that raised). A template with no tag of its
    syntax whose header lines hold another language's placeholders (ERB
    ``<%= %>``, Template Toolkit ``[% %]``, ``${x}``, Python ``%(x)s`` or
    ``{x}``) is reported once, at the first of them: mimelint reads those
    as literal text, and the findings on them would not say why.

    ## Why is this bad?
    The template cannot be rendered, or renders differently from what its
    author meant; every other check of it reads a guess (Jinja2 documentation,
    "Template Designer Documentation"; Handlebars language guide).

    ## Example
    ```
    Subject: Hello {{ first_name }
    ```

    ## Use instead
    ```
    Subject: Hello {{ first_name }}
    ```

    ## Fix safety
    No fix.

    ## References
    Jinja2 Template Designer Documentation,
    https://jinja.palletsprojects.com/en/stable/templates/; Handlebars
    language guide, https://handlebarsjs.com/guide/.
    """
    from mimelint.placeholders import RenderProblemKind  # loaded only for a template

    template = message.template
    assert template is not None  # visits=message(template=True)
    problems: list[Problem] = []
    for defect in template.defects:
        problems.append(Problem(defect.start, defect.end, defect.message))
    for problem in template.render_problems:
        if problem.kind is RenderProblemKind.ERROR:
            problems.append(Problem(problem.start, problem.end, problem.message))
    return problems
