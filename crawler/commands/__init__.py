"""Subcommands of `crawl`, one module each, registered by crawler/cli.py (SUBCOMMANDS); what
they and `crawl` itself share (options, consoles, error handling) is in `shared`."""
