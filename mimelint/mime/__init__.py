"""MIME knowledge, public and typed: what rules and plugins share.

Each module here knows one part of the standards (body scans, addresses,
encoded-words, dates...) and no rule. Rules read these through the tree's
lazy facts (:class:`mimelint.tree.Part`) or call them directly; nothing in
``rules/`` parses MIME that a module here already parses.
"""
