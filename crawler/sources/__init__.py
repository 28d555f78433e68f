"""Per-site parsers, one small module per site that needs code.

A module here is named by a source's `kind` in sources.yaml and exposes `Parser`, a subclass of
`crawler.extract.SourceParser` that declares its selectors and overrides only what differs.
"""
