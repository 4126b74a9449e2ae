"""The ``mimelint`` command: ``check``, ``fix``, ``rules`` and ``rule``.

Exit status: 0 when no finding of error severity remains; 1 when one does
(with ``--diff``: would remain, or when there is something to fix, so that
``--diff`` never passes a file that ``check`` fails); 2 for bad usage, a
bad configuration, a file that could not be read or written, or a rule that
crashed (an ``M000`` finding). Usage errors are one line on standard error,
never a traceback.

Start-up matters under pre-commit, so report formats, the fix engine and
worker processes are imported only by the runs that use them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

import click

from mimelint.config import ConfigError, Configuration, discover
from mimelint.formats import FORMATS, FileResult, RenderOptions
from mimelint.profile import PROFILES
from mimelint.rule import Rule, Severity

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class MimelintGroup(click.Group):
    """A group whose errors are one line (``mimelint: error: ...``) and exit 2."""

    def main(self, *args: Any, **kwargs: Any) -> NoReturn:
        kwargs["standalone_mode"] = False
        kwargs.setdefault("prog_name", "mimelint")
        try:
            status = super().main(*args, **kwargs)
        except click.exceptions.Abort:
            _fail("interrupted", status=130)
        except click.UsageError as exc:
            if _is_missing_command(exc):
                # Bare ``mimelint``: the whole help, readable, as ruff does
                # (on standard error, exit 2: no command is still a usage error).
                assert exc.ctx is not None
                click.echo(exc.ctx.get_help(), err=True)
                sys.exit(EXIT_ERROR)
            _fail(_one_line(exc))
        except click.ClickException as exc:
            _fail(_one_line(exc))
        except BrokenPipeError:
            # The reader went away (``| head``); not our error to report.
            sys.stderr.close()
            sys.exit(EXIT_FINDINGS)
        sys.exit(status if isinstance(status, int) else EXIT_CLEAN)


def _is_missing_command(exc: click.UsageError) -> bool:
    """Whether click gave up because the group got no command at all."""
    no_args = getattr(click.exceptions, "NoArgsIsHelpError", None)  # click >= 8.2
    if no_args is not None and isinstance(exc, no_args):
        return True
    return exc.format_message().startswith("Missing command")


def _one_line(exc: click.ClickException) -> str:
    message = exc.format_message()
    hint = ""
    if isinstance(exc, click.UsageError) and exc.ctx is not None and "(see" not in message:
        hint = f" (see '{exc.ctx.command_path} --help')"
    return " ".join(message.split()) + hint


def _warn(message: str) -> None:
    click.echo(f"mimelint: warning: {message}", err=True)


def _quiet_warn(message: str) -> None:
    """``--quiet``: warnings are not printed."""


def _wanted(settings: Configuration) -> str:
    """What directory discovery looks for, for "no ... found under DIR"."""
    from mimelint.config import DEFAULT_INCLUDE

    if settings.include == DEFAULT_INCLUDE:
        return ".eml files"
    return "files matching include (" + ", ".join(settings.include) + ")"


def _fail(message: str, status: int = EXIT_ERROR) -> NoReturn:
    click.echo(f"mimelint: error: {message}", err=True)
    sys.exit(status)


def _codes(values: Sequence[str]) -> tuple[str, ...]:
    """Repeatable, comma-separated codes as one tuple."""
    return tuple(code.strip() for value in values for code in value.split(",") if code.strip())


def _load_rules() -> tuple[Rule, ...]:
    from mimelint.registry import PluginError, load_rules

    try:
        return load_rules()
    except PluginError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(
    name="mimelint", cls=MimelintGroup, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(package_name="mimelint", prog_name="mimelint")
def main() -> None:
    """mimelint: find and fix MIME encoding problems in raw email before you send it."""


_FORMAT = click.Choice(list(FORMATS))


def _selection_options(command: Any) -> Any:
    options = [
        click.option(
            "--select",
            multiple=True,
            metavar="CODES",
            help="Rules to run (codes, prefixes such as M1, names or ALL); replaces the configured select.",
        ),
        click.option(
            "--ignore",
            multiple=True,
            metavar="CODES",
            help="Rules to skip; added to the configured ignore.",
        ),
        click.option(
            "--extend-select",
            multiple=True,
            metavar="CODES",
            help="Rules to run in addition to the selected ones.",
        ),
        click.option(
            "--profile",
            type=click.Choice(sorted(PROFILES)),
            default=None,
            help="Provider limits to check against (default: ses, or the configured profile).",
        ),
        click.option(
            "--envelope-from", metavar="ADDR", help="Envelope sender (SES Source, MAIL FROM)."
        ),
        click.option(
            "--envelope-to",
            multiple=True,
            metavar="ADDR",
            help="Envelope recipient (SES Destinations, RCPT TO); repeatable.",
        ),
        click.option(
            "--config",
            "config_file",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Configuration file to use instead of searching for one.",
        ),
        click.option("--no-config", is_flag=True, help="Ignore every configuration file."),
        click.option(
            "--format",
            "output_format",
            type=_FORMAT,
            default=None,
            help="Output format (default: text; github when GITHUB_ACTIONS is set).",
        ),
        click.option(
            "--output-file",
            "-o",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write the report to this file instead of standard output.",
        ),
        click.option(
            "--statistics", is_flag=True, help="Count findings per rule instead of listing them."
        ),
        click.option(
            "--unsafe-fixes",
            is_flag=True,
            help="Also apply fixes that may change what a reader sees.",
        ),
        click.option(
            "--break-signatures",
            is_flag=True,
            help=(
                "Also apply fixes that would invalidate a PGP/MIME, S/MIME or DKIM/ARC "
                "signature (re-sign afterwards)."
            ),
        ),
        click.option(
            "--show-fixes",
            is_flag=True,
            help="List the fixes that were applied (with --diff: that would be).",
        ),
        click.option(
            "--exit-zero",
            is_flag=True,
            help="Exit with status 0 even when error findings remain (2 still means a failure).",
        ),
        click.option(
            "--quiet",
            "-q",
            is_flag=True,
            help="Print the findings only: no summary, no hints, no warnings.",
        ),
        click.option(
            "--baseline",
            "baseline_file",
            type=click.Path(dir_okay=False, path_type=Path),
            metavar="FILE",
            help="Report only findings that are not in this baseline (see --write-baseline).",
        ),
        click.option(
            "--write-baseline",
            "write_baseline_file",
            type=click.Path(dir_okay=False, path_type=Path),
            metavar="FILE",
            help="Record every finding of this run in FILE and exit with status 0.",
        ),
        click.option(
            "--force-exclude/--no-force-exclude",
            default=None,
            help=(
                "Apply exclude to paths named on the command line too (pre-commit names "
                "them); default: the configured force-exclude, else off."
            ),
        ),
        click.option(
            "--template-syntax",
            type=click.Choice(["jinja", "handlebars"]),
            default=None,
            help="Read standard input, and files not named as templates, as templates of this syntax.",
        ),
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=1),
            default=None,
            help=(
                "Worker processes (default: one process for a few hundred files, "
                "one per CPU for more; see docs/performance.md)."
            ),
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _archive_options(command: Any) -> Any:
    """Options for mailboxes, archives and engines (docs/bulk.md)."""
    options = [
        click.option(
            "--input-format",
            type=click.Choice(["auto", "eml", "mbox"]),
            default="auto",
            help=(
                "How to read files: auto (by name: *.mbox, *.mbx, *.tar, *.tar.gz, *.tgz, "
                "*.zip are containers), eml (each file one message) or mbox."
            ),
        ),
        click.option(
            "--engine",
            type=click.Choice(["local", "dask"]),
            default="local",
            help="Where to lint: local processes (-j) or a Dask cluster (mimelint[dask]).",
        ),
        click.option(
            "--scheduler",
            metavar="ADDRESS",
            default=None,
            help=(
                "Dask scheduler address for --engine dask (default: $MIMELINT_DASK_SCHEDULER, "
                "else a local cluster of -j worker processes)."
            ),
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@main.command()
@click.argument("paths", nargs=-1, type=str)
@click.option(
    "--fix", "do_fix", is_flag=True, help="Rewrite files in place with the fixes applied."
)
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option(
    "--render-with",
    "render_with",
    multiple=True,
    metavar="DATA",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Render each template with this JSON or TOML data and lint the result (repeatable).",
)
@_selection_options
@_archive_options
def check(
    paths: tuple[str, ...], do_fix: bool, diff: bool, render_with: tuple[Path, ...], **options: Any
) -> int:
    """Check messages: files, directories (every *.eml and template in them), mbox
    files, Maildir folders, tar and zip archives, or - for standard input."""
    if do_fix and diff:
        raise click.UsageError("use one of --fix or --diff (--diff writes nothing)")
    if render_with and (do_fix or diff):
        raise click.UsageError(
            "--fix and --diff cannot be used with --render-with: fix the template or the data, "
            "not the rendering"
        )
    return _run(paths, fix=do_fix, diff=diff, render_with=render_with, **options)


@main.command()
@click.argument("paths", nargs=-1, type=str)
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@_selection_options
@_archive_options
def fix(paths: tuple[str, ...], diff: bool, **options: Any) -> int:
    """Fix messages in place (the same as check --fix).

    With - the message is read from standard input and the fixed message is
    written to standard output; the findings go to standard error.
    """
    return _run(paths, fix=True, diff=diff, **options)


def _run(
    paths: tuple[str, ...],
    *,
    fix: bool,
    diff: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    extend_select: tuple[str, ...],
    profile: str | None,
    envelope_from: str | None,
    envelope_to: tuple[str, ...],
    config_file: Path | None,
    no_config: bool,
    output_format: str | None,
    output_file: Path | None,
    statistics: bool,
    unsafe_fixes: bool,
    break_signatures: bool,
    show_fixes: bool,
    exit_zero: bool,
    quiet: bool,
    baseline_file: Path | None,
    write_baseline_file: Path | None,
    force_exclude: bool | None,
    jobs: int | None,
    template_syntax: str | None = None,
    render_with: tuple[Path, ...] = (),
    input_format: str = "auto",
    engine: str = "local",
    scheduler: str | None = None,
) -> int:
    from mimelint.plan import select_rules
    from mimelint.runner import STDIN, Job, default_jobs
    from mimelint.runner import discover as discover_files
    from mimelint.settings import SelectionError, Settings

    if not paths:
        raise click.UsageError("no paths given: name files, directories, or - for standard input")
    if config_file is not None and no_config:
        raise click.UsageError("--config and --no-config cannot be used together")
    if output_format == "parquet":
        if output_file is None:
            raise click.UsageError("--format parquet writes a file: give --output-file")
        if fix and not diff and STDIN in paths:
            raise click.UsageError("--format parquet cannot be used with fix - (standard output)")
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise click.UsageError(
                "--format parquet needs pyarrow: pip install 'mimelint[parquet]'"
            ) from None
    if engine == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise click.UsageError(
                "--engine dask needs dask.distributed: pip install 'mimelint[dask]'"
            ) from None
        if fix or diff:
            raise click.UsageError("--engine dask checks only; use --engine local with --fix")
    elif scheduler:
        raise click.UsageError("--scheduler needs --engine dask")
    if statistics and output_format in ("sarif", "github", "parquet"):
        raise click.UsageError(
            f"--statistics cannot be used with --format {output_format}, which lists "
            "findings; use text, json or json-lines"
        )
    if baseline_file is not None and write_baseline_file is not None:
        raise click.UsageError("use one of --baseline or --write-baseline")
    warn = _quiet_warn if quiet else _warn
    rules = _load_rules()
    try:
        settings = discover(config_file, no_config, Path.cwd(), rules, warn=warn)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    if force_exclude is not None:
        settings = replace(settings, force_exclude=force_exclude)
    baseline = None
    if baseline_file is not None:
        from mimelint.baseline import Baseline, BaselineError

        try:
            baseline = Baseline.load(baseline_file)
        except BaselineError as exc:
            raise click.ClickException(str(exc)) from None
    # ``--select ""`` is an empty selection, as ``select = []`` is, not "no --select".
    cli_select = _codes(select) if select else None
    chosen_select = cli_select if cli_select is not None else settings.select
    chosen_extend = (() if cli_select is not None else settings.extend_select) + _codes(
        extend_select
    )
    chosen_ignore = settings.ignore + _codes(ignore)
    try:
        chosen_rules = select_rules(rules, chosen_select, chosen_ignore, chosen_extend)
    except SelectionError as exc:
        raise click.UsageError(f"{exc} (see 'mimelint rules')") from None
    if not chosen_rules:
        raise click.UsageError(
            "no rules selected: select and extend-select (command line or configuration) "
            "minus ignore leave none (see 'mimelint rules')"
        )
    if show_fixes and not (fix or diff):
        warn("--show-fixes does nothing without --fix or --diff")
    prof = settings.build_profile(profile)
    # --statistics is text, json or json-lines: the GitHub default gives way to text.
    default_format = "github" if os.environ.get("GITHUB_ACTIONS") and not statistics else "text"
    fmt = output_format or default_format

    empty: list[str] = []
    excluded: list[str] = []
    found = list(discover_files(paths, settings, empty=empty, excluded=excluded))
    for directory in empty:
        click.echo(f"mimelint: error: no {_wanted(settings)} found under {directory}", err=True)
    if not found:
        if excluded and not empty:
            # Every path given is excluded on purpose (pre-commit named them): a pass.
            warn("every path given is excluded (force-exclude); nothing to check")
            return EXIT_CLEAN
        return EXIT_ERROR  # nothing was checked: that must not pass
    stdin_data = sys.stdin.buffer.read() if STDIN in paths else None
    syntaxes = {
        path: (settings.template_syntax(path) if path != STDIN else None) or template_syntax
        for path, _ in found
    }
    cli_data = tuple(str(p) for p in render_with)
    data_for = {
        path: (cli_data or settings.render_data_for(path)) if syntaxes[path] else ()
        for path, _ in found
    }
    _check_render_mode(syntaxes, data_for)
    lint_settings = Settings.make(
        profile=prof,
        select=chosen_select,
        extend_select=chosen_extend,
        envelope_from=envelope_from,
        envelope_to=envelope_to,
    )
    # One Settings value per distinct ignore list (most files share one), so
    # each plans its walk once (Settings.walk), and a chunk of jobs sent to
    # a worker process carries it once.
    by_ignore: dict[tuple[str, ...], Settings] = {}

    def settings_for(path: str) -> Settings:
        ignore = chosen_ignore + settings.ignored_for(path)
        found = by_ignore.get(ignore)
        if found is None:
            found = by_ignore[ignore] = lint_settings.replace(ignore=ignore)
        return found

    job_list = [
        Job(
            path=path,
            settings=settings_for(path),
            fix=fix,
            diff=diff,
            unsafe_fixes=unsafe_fixes,
            keep_signatures=not break_signatures,
            data=stdin_data if path == STDIN else None,
            error=error,
            template_syntax=syntaxes[path],
            render_data=data_for[path],
            template_ascii=settings.template_ascii,
            encoding_filters=settings.template_encoding_filters,
            fingerprints=fmt == "sarif" or baseline is not None or write_baseline_file is not None,
        )
        for path, error in found
    ]
    del stdin_data
    if jobs is not None:
        workers = jobs
    elif engine == "dask" or _any_container(job_list, input_format):
        # Containers hold many messages: the count of paths says nothing.
        workers = os.cpu_count() or 1
    else:
        workers = default_jobs(len(job_list))
    outcomes = _outcomes(job_list, workers, input_format, engine, scheduler)
    if _show_progress(len(job_list)) and not _any_container(job_list, input_format):
        outcomes = _progress(outcomes, len(job_list))

    # In fix mode standard input's message goes to standard output, so the report must not.
    message_to_stdout = fix and not diff and STDIN in paths
    to_stderr = diff or message_to_stdout
    color = output_file is None and fmt == "text" and _use_color(err=to_stderr)
    render_options = RenderOptions(
        color=color,
        show_fixes=show_fixes,
        statistics=statistics,
        unsafe_fixes=unsafe_fixes,
        mode="diff" if diff else "fix" if fix else "check",
        break_signatures=break_signatures,
        quiet=quiet,
    )
    # Results stream: each outcome is written as it arrives and then dropped;
    # only counters are kept (see mimelint.formats.stream). Writing a
    # baseline is the exception: it needs every finding.
    run = _stream(
        outcomes,
        fmt,
        render_options,
        output_file,
        to_stderr,
        diff,
        message_to_stdout,
        baseline,
        keep=write_baseline_file is not None,
    )
    failed = bool(empty) or run.failed
    if write_baseline_file is not None:
        from mimelint.baseline import BaselineError, write

        try:
            count = write(write_baseline_file, run.kept)
        except BaselineError as exc:
            raise click.ClickException(str(exc)) from None
        if not quiet:
            click.echo(
                f"mimelint: wrote {count} finding{'' if count == 1 else 's'} "
                f"to the baseline {write_baseline_file}",
                err=True,
            )
        return EXIT_ERROR if failed else EXIT_CLEAN
    if failed:
        return EXIT_ERROR
    if exit_zero:
        return EXIT_CLEAN
    if diff and run.changes:
        return EXIT_FINDINGS  # there is something to change
    # Otherwise, as after --fix: what remains (with --diff: would remain).
    return EXIT_FINDINGS if run.errors else EXIT_CLEAN


def _outcomes(
    job_list: list[Any], workers: int, input_format: str, engine: str, scheduler: str | None
) -> Any:
    from mimelint.engine import SCHEDULER_ENV, expand, run_stream

    dask = engine == "dask"
    fmt = None if input_format == "auto" else input_format
    expanded = expand(job_list, fmt, by_reference=dask)
    address = scheduler or os.environ.get(SCHEDULER_ENV) or None
    return run_stream(expanded, workers, engine=engine, scheduler=address)


def _any_container(job_list: list[Any], input_format: str) -> bool:
    from mimelint.sources import kind_of

    if input_format == "mbox":
        return True
    return input_format == "auto" and any(kind_of(job.path) for job in job_list)


def _progress(outcomes: Any, total: int) -> Any:
    with click.progressbar(length=total, label="Checking", file=sys.stderr) as bar:
        for outcome in outcomes:
            yield outcome
            bar.update(1)


class _Streamed(NamedTuple):
    """What a streamed run leaves behind: flags, and results only when asked."""

    failed: bool
    errors: bool
    changes: bool
    kept: list[FileResult]


def _stream(
    outcomes: Any,
    fmt: str,
    options: RenderOptions,
    output_file: Path | None,
    to_stderr: bool,
    diff: bool,
    message_to_stdout: bool,
    baseline: Any = None,
    keep: bool = False,
) -> _Streamed:
    """Write each outcome's part of the report as it arrives."""
    from mimelint.formats.stream import open_writer

    handle = None
    if output_file is not None and fmt != "parquet":
        try:
            handle = open(output_file, "w", encoding="utf-8")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise click.ClickException(
                f"cannot write {output_file}: {exc.strerror or exc}"
            ) from None

    def write(text: str) -> None:
        if not text:
            return
        if handle is not None:
            handle.write(text)
        else:
            click.echo(text, nl=False, err=to_stderr)

    try:
        writer = open_writer(fmt, options, write, output_file)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output_file}: {exc.strerror or exc}") from None
    failed = errors = changes = False
    kept: list[FileResult] = []
    out = sys.stdout.buffer
    try:
        for outcome in outcomes:
            result = outcome.result
            if result.error is not None:
                name = result.path if result.member is None else f"{result.path}#{result.member}"
                click.echo(f"mimelint: error: {name}: {result.error}", err=True)
                failed = True
            failed = failed or outcome.internal_error
            if diff and outcome.diff:
                out.write(outcome.diff)
                out.flush()
                changes = True
            elif message_to_stdout and result.path == "-":
                out.write(outcome.fixed if outcome.fixed is not None else outcome.original or b"")
                out.flush()
            if baseline is not None:
                result = baseline.filter(result)
            errors = errors or any(f.severity is Severity.ERROR for f in result.findings)
            writer.add(result)
            if keep:
                kept.append(result)
        writer.close()
    except OSError as exc:
        raise click.ClickException(f"cannot write {output_file}: {exc.strerror or exc}") from None
    finally:
        if handle is not None:
            handle.close()
    return _Streamed(failed, errors, changes, kept)


def _is_ci() -> bool:
    return bool(os.environ.get("CI")) or bool(os.environ.get("GITHUB_ACTIONS"))


def _use_color(err: bool = False) -> bool:
    """Colour only on a terminal, never with NO_COLOR set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    stream = sys.stderr if err else sys.stdout
    return stream.isatty() and os.environ.get("TERM") != "dumb"


#: Fewer files than this finish before a progress bar would be worth drawing.
PROGRESS_THRESHOLD = 50


def _check_render_mode(
    syntaxes: dict[str, str | None], data_for: dict[str, tuple[str, ...]]
) -> None:
    """Before any work: the renderers are installed and every data file reads."""
    rendered = {syntaxes[path] for path, files in data_for.items() if files}
    if not rendered:
        return
    from mimelint.templates.lint import DataError, load_data
    from mimelint.templates.render import INSTALL_HINT

    module = {"jinja": "jinja2", "handlebars": "pybars"}
    for syntax in rendered:
        try:
            __import__(module[syntax or "jinja"])
        except ImportError:
            raise click.ClickException(INSTALL_HINT) from None
    for name in sorted({f for files in data_for.values() for f in files}):
        try:
            load_data(name)
        except DataError as exc:
            raise click.ClickException(str(exc)) from None


def _show_progress(count: int) -> bool:
    """A progress bar only for many files, on a terminal, outside CI logs."""
    return count >= PROGRESS_THRESHOLD and sys.stderr.isatty() and not _is_ci()


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
    click.echo(rule_text(found), nl=False)
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
