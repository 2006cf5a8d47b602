"""Parsers: each format's reader, the shared primitives, what a parser reports it skipped, hostile files."""
