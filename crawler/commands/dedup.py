"""`crawl dedup`: link what is pending, or `--rebuild` every teaser and copy link from the
stored articles and teasers (after a rule change). Idempotent."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from crawler.commands.shared import DbOption, open_database, out, reported_errors

DEFAULT_CONFIG = Path("sources.yaml")


def register(app: typer.Typer) -> None:
    @app.command("dedup")
    def dedup(
        rebuild: Annotated[bool, typer.Option(
            help="forget every teaser and copy link and make them again from stored data")
        ] = False,
        config: Annotated[Path | None, typer.Option(
            "--config", "-c", help="sources file for source titles and copy_window_days "
            "(default: ./sources.yaml when it exists)")] = None,
        db: DbOption = None,
    ) -> None:
        """Match teasers to their articles and link republished copies to their originals."""
        from crawler.config import Settings, load_config

        with reported_errors():
            path = config or (DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else None)
            cfg = load_config(path) if path else None
            settings = cfg.settings if cfg else Settings()
            titles = {s.name: s.title for s in cfg.sources} if cfg else {}
            window = timedelta(days=settings.copy_window_days)
            store = open_database(db)
            if rebuild:
                counts = store.rebuild_dedup(window=window, titles=titles)
            else:
                counts = store.dedup(window=window)
        table = Table(title="dedup (rebuild: totals)" if rebuild else "dedup (pending rows)")
        for column in ("teasers matched", "teasers unmatched", "copies linked"):
            table.add_column(column, justify="right")
        table.add_row(str(counts.teasers_matched), str(counts.teasers_unmatched),
                      str(counts.copies))
        out.print(table)
