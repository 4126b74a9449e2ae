"""Integrations that run mimelint where messages are sent.

Each one imports its third-party library only when used, so that the core
install does not depend on it (see :mod:`mimelint.integrations.ses`, the
``mimelint[ses]`` extra).
"""
