"""Command line (placeholder until the full CLI lands in this same change)."""

import sys

import click

from mimelint.lint import lint


@click.group()
def main() -> None:
    """mimelint: lint raw email."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
def check(paths: tuple[str, ...]) -> None:
    """Check messages."""
    bad = False
    for p in paths:
        data = sys.stdin.buffer.read() if p == "-" else open(p, "rb").read()
        for f in lint(data).findings:
            click.echo(f"{p}:{f.line}:{f.column}: {f.code} [{f.severity.value}] {f.message}")
            bad = True
    sys.exit(1 if bad else 0)
