"""(being written) Rules for this concern."""

from mimelint.rule import Rule

RULES: list[Rule] = []
