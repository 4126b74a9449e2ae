"""The ``mimelint`` command: ``check``, ``fix``, ``rules`` and ``rule``.

Exit status: 0 when no finding of error severity remains; 1 when one does
(with ``--diff``: would remain, or when there is something to fix, so that
``--diff`` never passes a file that ``check`` fails); 2 for bad usage, a
bad configuration, a file that could not be read or written, or a rule that
crashed (an ``M000`` finding). Usage errors are one line on standard error,
never a traceback.

The commands' work is in :mod:`mimelint.command`, whose option table the
``check`` and ``fix`` options here are built from; the console script reads
a plain ``check``/``fix`` command line (paths and on/off flags, what the
pre-commit hooks run) there without importing this module or click, and
hands every other command line here. Start-up matters under pre-commit, so
report formats, the fix engine and worker processes are imported only by
the runs that use them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from mimelint import command
from mimelint.command import (
    CHECK,
    COUNT,
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    FIX,
    FLAG,
    MULTIPLE,
    PATH,
    SWITCH,
    Option,
    fail,
    one_line,
)
from mimelint.rule import Rule, StaleIndexError


class MimelintGroup(click.Group):
    """A group whose errors are one line (``mimelint: error: ...``) and exit 2."""

    def main(self, *args: Any, **kwargs: Any) -> NoReturn:
        kwargs["standalone_mode"] = False
        kwargs.setdefault("prog_name", "mimelint")
        try:
            status = super().main(*args, **kwargs)
        except click.exceptions.Abort:
            fail("interrupted", status=130)
        except click.UsageError as exc:
            if _is_missing_command(exc):
                # Bare ``mimelint``: the whole help, readable, as ruff does
                # (on standard error, exit 2: no command is still a usage error).
                assert exc.ctx is not None
                click.echo(exc.ctx.get_help(), err=True)
                sys.exit(EXIT_ERROR)
            fail(one_line(exc.format_message(), exc.ctx.command_path if exc.ctx else None))
        except click.ClickException as exc:
            fail(one_line(exc.format_message()))
        except BrokenPipeError:
            # The reader went away (``| head``); not our error to report.
            sys.stderr.close()
            sys.exit(EXIT_FINDINGS)
        except OSError as exc:
            if exc.filename is not None:
                raise  # not a write to a standard stream
            # ``mimelint rules > /dev/full``: the output could not be written.
            fail(f"cannot write standard output: {exc.strerror or exc}")
        sys.exit(status if isinstance(status, int) else EXIT_CLEAN)


def _is_missing_command(exc: click.UsageError) -> bool:
    """Whether click gave up because the group got no command at all."""
    no_args = getattr(click.exceptions, "NoArgsIsHelpError", None)  # click >= 8.2
    if no_args is not None and isinstance(exc, no_args):
        return True
    return exc.format_message().startswith("Missing command")


def _load_rules() -> tuple[Rule, ...]:
    try:
        return command.load_rules()
    except command.CommandError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(
    name="mimelint", cls=MimelintGroup, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(package_name="mimelint", prog_name="mimelint")
def main() -> None:
    """mimelint: find and fix MIME encoding problems in raw email before you send it."""


def _click_type(option: Option) -> Any:
    if option.value == PATH:
        return click.Path(dir_okay=False, path_type=Path)
    if option.value == COUNT:
        return click.IntRange(min=1)
    if isinstance(option.value, tuple):
        return click.Choice(list(option.value))
    return None


def _click_option(option: Option) -> Callable[[Any], Any]:
    """The click option for one row of :mod:`mimelint.command`'s table."""
    if option.kind == FLAG:
        return click.option(*option.names, option.dest, is_flag=True, help=option.help)
    if option.kind == SWITCH:
        names = "/".join(("/".join(option.names), "/".join(option.off)))
        return click.option(names, option.dest, default=None, help=option.help)
    return click.option(
        *option.names,
        option.dest,
        type=_click_type(option),
        multiple=option.kind == MULTIPLE,
        default=option.default,
        metavar=option.metavar,
        help=option.help,
    )


def _command(name: str, function: Callable[..., int], options: tuple[Option, ...]) -> click.Command:
    """A click command that reads ``options`` and runs ``function``: the
    same function, with the same parameters, as :func:`mimelint.command.main`
    runs for a plain command line."""

    def callback(**params: Any) -> int:
        try:
            return function(**params)
        except command.UsageError as exc:
            raise click.UsageError(str(exc)) from None
        except command.CommandError as exc:
            raise click.ClickException(str(exc)) from None

    callback.__doc__ = function.__doc__
    decorated: Any = callback
    for option in reversed(options):
        decorated = _click_option(option)(decorated)
    decorated = click.argument("paths", nargs=-1, type=str)(decorated)
    return main.command(name=name)(decorated)


check = _command("check", command.check, CHECK)
fix = _command("fix", command.fix, FIX)


@main.command(name="rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def list_rules(output_format: str) -> int:
    """List every rule: code, name, severity, fix and summary."""
    rules = _load_rules()
    if output_format == "json":
        import json

        click.echo(
            json.dumps(
                [
                    {
                        "code": r.code,
                        "name": r.name,
                        "severity": r.severity.value,
                        "fix": r.fix_safety.value if r.fix_safety is not None else None,
                        "summary": r.summary,
                        "origin": r.origin,
                    }
                    for r in rules
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return EXIT_CLEAN
    name_width = max((len(r.name) for r in rules), default=4)
    click.echo(f"{'CODE':<5} {'NAME':<{name_width}} {'SEVERITY':<8} {'FIX':<6} SUMMARY")
    for r in rules:
        fix_text = r.fix_safety.value if r.fix_safety is not None else "-"
        click.echo(
            f"{r.code:<5} {r.name:<{name_width}} {r.severity.value:<8} {fix_text:<6} {r.summary}"
        )
    return EXIT_CLEAN


@main.command(name="rule")
@click.argument("code")
def show_rule(code: str) -> int:
    """Print the documentation of one rule (by code or name)."""
    from mimelint.registry import rule_by_code

    _load_rules()
    found = rule_by_code(code)
    if found is None:
        raise click.UsageError(f"unknown rule {code!r} (see 'mimelint rules' for the list)")
    try:
        text = rule_text(found)
    except StaleIndexError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(text, nl=False)
    return EXIT_CLEAN


def rule_text(r: Rule) -> str:
    """A rule's documentation as plain text for a terminal."""
    fix_text = {None: "not fixable", "safe": "safe", "unsafe": "unsafe (with --unsafe-fixes)"}
    lines = [
        f"{r.code}: {r.name}",
        "",
        r.summary.strip(),
        "",
        f"Severity: {r.severity.value}",
        f"Fix: {fix_text[r.fix_safety.value if r.fix_safety is not None else None]}",
    ]
    fenced = False
    for line in r.doc.splitlines():
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            lines.append("    " + line if line else "")
        elif line.startswith("## "):
            while lines and not lines[-1]:
                lines.pop()
            title = line[3:].strip()
            lines.extend(["", title, "-" * len(title)])
        else:
            lines.append(line)
    return "\n".join(lines).rstrip() + "\n"
