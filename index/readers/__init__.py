"""Readers turn a plan file of one format into a `Document` the parser reads.

One module per format; `read(path)` picks the reader by the file's suffix. Adding a format is
one new module that registers itself in `READERS`.
"""
