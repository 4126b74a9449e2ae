"""The ``mimelint`` command's work, and the console script, without click.

``mimelint check FILE...`` is what pre-commit runs on every commit, with at
most a few on/off flags (its hooks pass ``--force-exclude`` and ``--fix``),
and most of that run is start-up. Importing click and building its commands
cost about a sixth of it (docs/performance.md, "Start-up, second pass"). So :func:`main`
reads such a command line itself, from the same option table that
:mod:`mimelint.cli` builds its click commands from (:data:`CHECK` and
:data:`FIX`), and hands every other command line to click: an option that
takes a value, ``-`` (standard input), ``--``, ``-h``/``--help``,
``--version``, an unknown option, another command, shell completion. Both
paths run the same :func:`check` and :func:`fix`, which raise
:class:`UsageError` and :class:`CommandError` for bad usage; both report
them the same way (one line on standard error, exit status 2).
``tests/test_cli_plain.py`` checks that the two read every such command line
alike and give the same output.
"""

from __future__ import annotations

import atexit
import os
import sys
from collections.abc import Callable, Iterator, Sequence

from mimelint._records import NamedTuple
from mimelint.formats import FORMATS, FileResult, RenderOptions
from mimelint.profile import PROFILES
from mimelint.rule import Severity

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, NoReturn

    from mimelint.config import Configuration
    from mimelint.rule import Rule

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

#: The environment variable through which a shell asks click for completions.
COMPLETE_ENV = "_MIMELINT_COMPLETE"


class UsageError(Exception):
    """Bad usage of a command: reported with a pointer to its ``--help``."""


class CommandError(Exception):
    """A command could not do its work (a bad configuration, a plugin, a file)."""


# The option table ----------------------------------------------------------

#: Kinds of option: an on/off flag, an on/off pair (``--x/--no-x``, default
#: None), an option with one value, an option repeated for several values.
FLAG, SWITCH, VALUE, MULTIPLE = "flag", "switch", "value", "multiple"
#: Types of value besides the choices: a file path (a :class:`~pathlib.Path`),
#: a count of at least 1.
PATH, COUNT = "path", "count"


class Option(NamedTuple):
    """One option of a command, as click declares it and :func:`main` reads it.

    ``names`` are its spellings (``("--output-file", "-o")``); a
    :data:`SWITCH` has ``off`` as well (``("--no-force-exclude",)``).
    ``value`` is :data:`PATH`, :data:`COUNT`, a tuple of choices, or None
    for plain text.
    """

    names: tuple[str, ...]
    dest: str
    kind: str
    help: str
    default: object = None
    value: str | tuple[str, ...] | None = None
    metavar: str | None = None
    off: tuple[str, ...] = ()


_SELECTION = (
    Option(
        ("--select",),
        "select",
        MULTIPLE,
        "Rules to run (codes, prefixes such as M1, names or ALL); replaces the configured select.",
        metavar="CODES",
    ),
    Option(
        ("--ignore",),
        "ignore",
        MULTIPLE,
        "Rules to skip; added to the configured ignore.",
        metavar="CODES",
    ),
    Option(
        ("--extend-select",),
        "extend_select",
        MULTIPLE,
        "Rules to run in addition to the selected ones.",
        metavar="CODES",
    ),
    Option(
        ("--profile",),
        "profile",
        VALUE,
        "Provider limits to check against (default: ses, or the configured profile).",
        value=tuple(sorted(PROFILES)),
    ),
    Option(
        ("--envelope-from",),
        "envelope_from",
        VALUE,
        "Envelope sender (SES Source, MAIL FROM).",
        metavar="ADDR",
    ),
    Option(
        ("--envelope-to",),
        "envelope_to",
        MULTIPLE,
        "Envelope recipient (SES Destinations, RCPT TO); repeatable.",
        metavar="ADDR",
    ),
    Option(
        ("--config",),
        "config_file",
        VALUE,
        "Configuration file to use instead of searching for one.",
        value=PATH,
    ),
    Option(("--no-config",), "no_config", FLAG, "Ignore every configuration file."),
    Option(
        ("--format",),
        "output_format",
        VALUE,
        "Output format (default: text; github when GITHUB_ACTIONS is set).",
        value=tuple(FORMATS),
    ),
    Option(
        ("--output-file", "-o"),
        "output_file",
        VALUE,
        "Write the report to this file instead of standard output.",
        value=PATH,
    ),
    Option(
        ("--statistics",), "statistics", FLAG, "Count findings per rule instead of listing them."
    ),
    Option(
        ("--unsafe-fixes",),
        "unsafe_fixes",
        FLAG,
        "Also apply fixes that may change what a reader sees.",
    ),
    Option(
        ("--break-signatures",),
        "break_signatures",
        FLAG,
        "Also apply fixes that would invalidate a PGP/MIME, S/MIME or DKIM/ARC "
        "signature (re-sign afterwards).",
    ),
    Option(
        ("--show-fixes",),
        "show_fixes",
        FLAG,
        "List the fixes that were applied (with --diff: that would be).",
    ),
    Option(
        ("--exit-zero",),
        "exit_zero",
        FLAG,
        "Exit with status 0 even when error findings remain (2 still means a failure).",
    ),
    Option(
        ("--quiet", "-q"),
        "quiet",
        FLAG,
        "Print the findings only: no summary, no hints, no warnings.",
    ),
    Option(
        ("--baseline",),
        "baseline_file",
        VALUE,
        "Report only findings that are not in this baseline (see --write-baseline).",
        value=PATH,
        metavar="FILE",
    ),
    Option(
        ("--write-baseline",),
        "write_baseline_file",
        VALUE,
        "Record every finding of this run in FILE and exit with status 0.",
        value=PATH,
        metavar="FILE",
    ),
    Option(
        ("--force-exclude",),
        "force_exclude",
        SWITCH,
        "Apply exclude to paths named on the command line too (pre-commit names "
        "them); default: the configured force-exclude, else off.",
        off=("--no-force-exclude",),
    ),
    Option(
        ("--template-syntax",),
        "template_syntax",
        VALUE,
        "Read standard input, and files not named as templates, as templates of this syntax.",
        value=("jinja", "handlebars"),
    ),
    Option(
        ("--jobs", "-j"),
        "jobs",
        VALUE,
        "Worker processes (default: one process for a few hundred files, "
        "one per CPU for more; see docs/performance.md).",
        value=COUNT,
    ),
)

#: Options for mailboxes, archives and engines (docs/bulk.md).
_ARCHIVES = (
    Option(
        ("--input-format",),
        "input_format",
        VALUE,
        "How to read files: auto (by name: *.mbox, *.mbx, *.tar, *.tar.gz, *.tgz, "
        "*.zip are containers), eml (each file one message) or mbox.",
        default="auto",
        value=("auto", "eml", "mbox"),
    ),
    Option(
        ("--engine",),
        "engine",
        VALUE,
        "Where to lint: local processes (-j) or a Dask cluster (mimelint[dask]).",
        default="local",
        value=("local", "dask"),
    ),
    Option(
        ("--scheduler",),
        "scheduler",
        VALUE,
        "Dask scheduler address for --engine dask (default: $MIMELINT_DASK_SCHEDULER, "
        "else a local cluster of -j worker processes).",
        metavar="ADDRESS",
    ),
)

_DIFF = Option(("--diff",), "diff", FLAG, "Print the fixes as a unified diff; write nothing.")

#: ``mimelint check PATHS...``: its options in the order its help lists them.
CHECK = (
    Option(("--fix",), "do_fix", FLAG, "Rewrite files in place with the fixes applied."),
    _DIFF,
    Option(
        ("--render-with",),
        "render_with",
        MULTIPLE,
        "Render each template with this JSON or TOML data and lint the result (repeatable).",
        value=PATH,
        metavar="DATA",
    ),
    *_SELECTION,
    *_ARCHIVES,
)

#: ``mimelint fix PATHS...``.
FIX = (_DIFF, *_SELECTION, *_ARCHIVES)


def _default(option: Option) -> object:
    if option.kind == MULTIPLE:
        return ()
    if option.kind == FLAG:
        return False
    return option.default


def read_plain(args: Sequence[str]) -> tuple[str, dict[str, Any]] | None:
    """``check`` or ``fix`` with paths and on/off flags only, read as click
    reads it: the command and its parameters (every option, given or not).

    None for any other command line: click reads those (:mod:`mimelint.cli`).
    """
    if not args or args[0] not in _PLAIN:
        return None
    command = args[0]
    options = _PLAIN[command]
    flags = {
        name: option.kind == FLAG or name not in option.off
        for option in options
        if option.kind in (FLAG, SWITCH)
        for name in option.names + option.off
    }
    dest = {name: option.dest for option in options for name in option.names + option.off}
    params = {option.dest: _default(option) for option in options}
    paths = []
    for arg in args[1:]:
        if not arg.startswith("-"):
            paths.append(arg)
        elif arg in flags:
            params[dest[arg]] = flags[arg]
        else:
            return None  # "-", "--", an option with a value, --help, a typo...
    if not paths:
        return None
    params["paths"] = tuple(paths)
    return command, params


# The console script ----------------------------------------------------------


def script() -> NoReturn:
    """The console script (and ``python -m mimelint``): :func:`main`, and a
    plain run leaves without the interpreter's teardown (:func:`_leave`)."""
    main(leave=True)


def main(argv: Sequence[str] | None = None, *, leave: bool = False) -> NoReturn:
    """``mimelint``: a plain ``check``/``fix`` here, everything else through click.

    Ends with :exc:`SystemExit`; with ``leave``, a plain run that went
    through ends the process instead (:func:`_leave`).
    """
    args = sys.argv[1:] if argv is None else list(argv)
    if sys.stdout is None or sys.stderr is None:
        _closed_streams()
    # Windows: click expands wildcards in the arguments; shells do elsewhere.
    plain = None if os.name == "nt" or os.environ.get(COMPLETE_ENV) else read_plain(args)
    if plain is None:
        from mimelint import cli

        cli.main.main(args=argv)
    command, params = plain
    try:
        status = _COMMANDS[command](**params)
    except UsageError as exc:
        fail(one_line(str(exc), f"mimelint {command}"))
    except CommandError as exc:
        fail(one_line(str(exc)))
    except (EOFError, KeyboardInterrupt):
        echo("", err=True)  # as click does
        fail("interrupted", status=130)
    except BrokenPipeError:
        # The reader went away (``| head``): not our error to report.
        _silence_stdout()
        sys.exit(EXIT_FINDINGS)
    if leave:
        _leave(status)
    sys.exit(status)


def _closed_streams() -> None:
    """Stand-ins for standard streams the process was started without.

    Python leaves ``sys.stdout`` None when descriptor 1 is closed
    (``mimelint check x >&-``). Standard output becomes a stream whose
    writes fail as a closed descriptor's do, so a report is "cannot write
    standard output" (exit 2) and a run with ``--output-file`` still works;
    closed standard error swallows what would have gone there.
    """
    import errno
    import io

    class Closed(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, data: Any) -> int:
            raise OSError(errno.EBADF, "it is closed")

    if sys.stdout is None:
        # Unbuffered: a failed write leaves nothing to fail again at exit.
        sys.stdout = io.TextIOWrapper(Closed(), "utf-8", write_through=True)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (until exit)


def _silence_stdout() -> None:
    """The reader went away (``| head``): what is still buffered goes nowhere,
    instead of failing again at exit."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _leave(status: int) -> NoReturn:
    """End the process with ``status`` now, its output flushed.

    A plain run has closed every file it opened by the time it returns.
    What the interpreter's teardown would still do is free every module and
    object one by one, which the operating system does at once when the
    process ends: about a tenth of a plain check's time (docs/performance.md,
    "Start-up"). Anything registered to run at exit (a plugin's logging or
    temporary files) or a thread still running gets the normal exit.
    """
    threading = sys.modules.get("threading")
    pending = getattr(atexit, "_ncallbacks", lambda: 1)()
    if pending or (threading is not None and threading.active_count() > 1):
        sys.exit(status)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        _silence_stdout()
        status = EXIT_FINDINGS
    os._exit(status)


def one_line(message: str, command_path: str | None = None) -> str:
    """A usage error's message on one line, with where to read the usage."""
    hint = ""
    if command_path is not None and "(see" not in message:
        hint = f" (see '{command_path} --help')"
    return " ".join(message.split()) + hint


def echo(text: str, nl: bool = True, err: bool = False) -> None:
    """Write to standard output (or error) and flush, as ``click.echo`` does
    with text that holds colour only when it goes to a terminal (and as
    UTF-8 to a stream whose encoding cannot hold the text)."""
    stream = sys.stderr if err else sys.stdout
    line = text + "\n" if nl else text
    try:
        stream.write(line)
    except UnicodeEncodeError:
        # A stream that cannot hold the text (an ASCII locale, PYTHONIOENCODING=ascii):
        # UTF-8, as click.echo writes to such a stream, rather than a traceback.
        stream.flush()
        stream.buffer.write(line.encode("utf-8", "replace"))
    stream.flush()


def fail(message: str, status: int = EXIT_ERROR) -> NoReturn:
    """``mimelint: error: ...`` on standard error, and exit."""
    echo(f"mimelint: error: {message}", err=True)
    sys.exit(status)


def _warn(message: str) -> None:
    echo(f"mimelint: warning: {message}", err=True)


def _quiet_warn(message: str) -> None:
    """``--quiet``: warnings are not printed."""


def _wanted(settings: Configuration) -> str:
    """What directory discovery looks for, for "no ... found under DIR"."""
    from mimelint.config import DEFAULT_INCLUDE

    if settings.include == DEFAULT_INCLUDE:
        return ".eml files"
    return "files matching include (" + ", ".join(settings.include) + ")"


def _codes(values: Sequence[str]) -> tuple[str, ...]:
    """Repeatable, comma-separated codes as one tuple."""
    return tuple(code.strip() for value in values for code in value.split(",") if code.strip())


def load_rules() -> tuple[Rule, ...]:
    """Every installed rule; a broken plugin is a :class:`CommandError`."""
    from mimelint.registry import PluginError, load_rules

    try:
        return load_rules()
    except PluginError as exc:
        raise CommandError(str(exc)) from None


# The commands ----------------------------------------------------------------


def check(
    paths: tuple[str, ...], do_fix: bool, diff: bool, render_with: tuple[Path, ...], **options: Any
) -> int:
    """Check messages: files, directories (every *.eml and template in them), mbox
    files, Maildir folders, tar and zip archives, or - for standard input."""
    if do_fix and diff:
        raise UsageError("use one of --fix or --diff (--diff writes nothing)")
    if render_with and (do_fix or diff):
        raise UsageError(
            "--fix and --diff cannot be used with --render-with: fix the template or the data, "
            "not the rendering"
        )
    return run(paths, fix=do_fix, diff=diff, render_with=render_with, **options)


def fix(paths: tuple[str, ...], diff: bool, **options: Any) -> int:
    """Fix messages in place (the same as check --fix).

    With - the message is read from standard input and the fixed message is
    written to standard output; the findings go to standard error.
    """
    return run(paths, fix=True, diff=diff, **options)


_PLAIN = {"check": CHECK, "fix": FIX}
_COMMANDS: dict[str, Callable[..., int]] = {"check": check, "fix": fix}


def run(
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
    from mimelint.config import ConfigError, discover
    from mimelint.plan import select_rules
    from mimelint.runner import STDIN, Job, default_jobs
    from mimelint.runner import discover as discover_files
    from mimelint.settings import SelectionError, Settings

    if not paths:
        raise UsageError("no paths given: name files, directories, or - for standard input")
    if config_file is not None and no_config:
        raise UsageError("--config and --no-config cannot be used together")
    if output_format == "parquet":
        if output_file is None:
            raise UsageError("--format parquet writes a file: give --output-file")
        if fix and not diff and STDIN in paths:
            raise UsageError("--format parquet cannot be used with fix - (standard output)")
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise UsageError(
                "--format parquet needs pyarrow: pip install 'mimelint[parquet]'"
            ) from None
    if engine == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise UsageError(
                "--engine dask needs dask.distributed: pip install 'mimelint[dask]'"
            ) from None
        if fix or diff:
            raise UsageError("--engine dask checks only; use --engine local with --fix")
    elif scheduler:
        raise UsageError("--scheduler needs --engine dask")
    if statistics and output_format in ("sarif", "github", "parquet"):
        raise UsageError(
            f"--statistics cannot be used with --format {output_format}, which lists "
            "findings; use text, json or json-lines"
        )
    if baseline_file is not None and write_baseline_file is not None:
        raise UsageError("use one of --baseline or --write-baseline")
    warn = _quiet_warn if quiet else _warn
    rules = load_rules()
    try:
        settings = discover(config_file, no_config, os.getcwd(), rules, warn=warn)
    except ConfigError as exc:
        raise CommandError(str(exc)) from None
    if force_exclude is not None:
        settings = settings._replace(force_exclude=force_exclude)
    baseline = None
    if baseline_file is not None:
        from mimelint.baseline import Baseline, BaselineError

        try:
            baseline = Baseline.load(baseline_file)
        except BaselineError as exc:
            raise CommandError(str(exc)) from None
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
        raise UsageError(f"{exc} (see 'mimelint rules')") from None
    if not chosen_rules:
        raise UsageError(
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
        echo(f"mimelint: error: no {_wanted(settings)} found under {directory}", err=True)
    if not found:
        if excluded and not empty:
            # Every path given is excluded on purpose (pre-commit named them): a pass.
            warn("every path given is excluded (force-exclude); nothing to check")
            return EXIT_CLEAN
        return EXIT_ERROR  # nothing was checked: that must not pass
    stdin_data = _read_stdin() if STDIN in paths else None
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
            raise CommandError(str(exc)) from None
        if not quiet:
            echo(
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


def _progress(outcomes: Any, total: int) -> Iterator[Any]:
    import click  # only to draw a bar: many files, on a terminal

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
            raise CommandError(f"cannot write {output_file}: {exc.strerror or exc}") from None

    def write(text: str) -> None:
        if not text:
            return
        if handle is not None:
            handle.write(text)
        else:
            echo(text, nl=False, err=to_stderr)

    try:
        writer = open_writer(fmt, options, write, output_file)
    except OSError as exc:
        raise CommandError(f"cannot write {output_file}: {exc.strerror or exc}") from None
    failed = errors = changes = False
    kept: list[FileResult] = []
    out = sys.stdout.buffer
    try:
        for outcome in _produced(outcomes):
            result = outcome.result
            if result.error is not None:
                name = result.path if result.member is None else f"{result.path}#{result.member}"
                echo(f"mimelint: error: {name}: {result.error}", err=True)
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
        if handle is not None:
            handle.close()  # writes what is buffered: a full disk fails here
    except BrokenPipeError:
        raise  # the reader went away (``| head``): the caller ends quietly
    except OSError as exc:
        target = "standard output" if output_file is None else output_file
        raise CommandError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if handle is not None and not handle.closed:
            import contextlib  # a failure only (start-up)

            with contextlib.suppress(OSError):  # already failing: say why, not this
                handle.close()
    return _Streamed(failed, errors, changes, kept)


def _produced(outcomes: Any) -> Iterator[Any]:
    """The outcomes; an ``OSError`` of making them (a Dask scheduler that does
    not answer, a worker that cannot start) is not an error of writing them."""
    it = iter(outcomes)
    while True:
        try:
            outcome = next(it)
        except StopIteration:
            return
        except OSError as exc:
            raise CommandError(f"cannot run the checks: {exc.strerror or exc}") from None
        yield outcome


def _read_stdin() -> bytes:
    """Standard input's bytes; one that is closed or cannot be read is a usage error."""
    if sys.stdin is None:  # the process was started with descriptor 0 closed
        raise CommandError("cannot read standard input: it is closed")
    try:
        return sys.stdin.buffer.read()
    except OSError as exc:
        raise CommandError(f"cannot read standard input: {exc.strerror or exc}") from None


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
            raise CommandError(INSTALL_HINT) from None
    for name in sorted({f for files in data_for.values() for f in files}):
        try:
            load_data(name)
        except DataError as exc:
            raise CommandError(str(exc)) from None


def _show_progress(count: int) -> bool:
    """A progress bar only for many files, on a terminal, outside CI logs."""
    return count >= PROGRESS_THRESHOLD and sys.stderr.isatty() and not _is_ci()
