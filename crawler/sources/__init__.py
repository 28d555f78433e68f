"""Per-site parsers, one small module per site that needs code, and `parser_for`, which picks a
source's parser.

A module here is named by a source's `parser:` in sources.yaml and exposes `Parser`, a subclass
of `crawler.extract.SourceParser` that declares its selectors and overrides only what differs.
A source without `parser:` is read by `SourceParser` itself, from its YAML selectors.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from crawler.extract import SourceParser

if TYPE_CHECKING:
    from crawler.config import Source


def parser_for(source: Source) -> SourceParser:
    """The `Parser` of crawler/sources/<parser>.py for a source that names one, else the
    generic SourceParser."""
    if source.parser is None:
        return SourceParser(source)
    module = importlib.import_module(f"crawler.sources.{source.parser}")
    return module.Parser(source)
