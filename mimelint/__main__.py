"""``python -m mimelint``: the same as the ``mimelint`` command."""

from mimelint.cli import main

main()
