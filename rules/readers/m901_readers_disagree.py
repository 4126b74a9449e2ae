"""M901 readers-disagree: mimelint and Python's email package read the structure otherwise."""

from __future__ import annotations

from mimelint.mime.tree import Message
from mimelint.rule import Context, Problem, rule


@rule(
    code="M901",
    name="readers-disagree",
    severity="warning",
    summary="Two readers disagree about the message's structure or header extent",
    default_enabled=False,
)
def readers_disagree(message: Message, context: Context) -> list[Problem] | None:
    """## What it does
    Reads the message with a second, independent reader, Python's ``email``
    package (``policy.compat32``, the parser every Python program reading
    mail uses), and flags where it reads the structure otherwise than
    mimelint: which lines are header fields (an obsolete ``Subject :``, a
    header line without a colon, an 8-bit field name, a bare CR), the
    content type, where a multipart's parts begin and end (a boundary with
    white space at its end, a ``Content-Type`` missing its ``;``, a fold
    inside a quoted boundary), embedded messages. The finding says what each
    reader sees. Off by default: select it with ``--select M901`` (or
    ``--extend-select M901``). Cheap facts decide first (every header line a
    well-formed field, no bare CR, plain Content-Type values); only a message
    that fails them is parsed a second time.

    ## Why is this bad?
    The recipient's software is one reader among many (clients, filters,
    archivers, the provider's own scanners). Where they disagree about
    structure, a part one of them shows is missing or doubled for another,
    fields become body text (RFC 5322 §2.2 and §4.5 obsolete syntax; RFC
    2046 §5.1.1 for delimiters). Any fix then settles one reading, so
    ``mimelint check --fix`` treats every fix of such a message as unsafe.

    ## Example
    ```
    From: ann@example.com
    Subject : Quarterly report
    To: bob@example.org

    Hello
    ```

    ## Use instead
    ```
    From: ann@example.com
    Subject: Quarterly report
    To: bob@example.org

    Hello
    ```

    ## Fix safety
    No fix of its own: other rules' fixes repair the syntax, and on such a
    message each of them is unsafe (``--unsafe-fixes``), since it makes every
    reader read it as mimelint does.

    ## References
    RFC 5322 §2.2, §3.6.8, §4.5; RFC 2045 §5.1; RFC 2046 §5.1.1;
    Python ``email.feedparser``.
    """
    from mimelint.readers import disagreements  # off by default: a plain check never loads it

    problems: list[Problem] = []
    for d in disagreements(message):
        problems.append(
            Problem(d.start, d.end, f"the readers disagree: {d.message}", d.part, related=d.related)
        )
    return problems
