"""Subcommands of `crawl`, one module each, registered by crawler/cli.py (SUBCOMMANDS)."""
