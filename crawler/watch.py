"""Noticing that the sources file changed, for the long-running entry points (`crawl schedule`,
`crawl worker`): they reload it on SIGHUP or when this says it changed.

Polls the file's modification time, size and inode every `poll` seconds: editors and
configuration managers replace the file (a new inode) rather than write it in place, and a
poll needs no platform's file-event API.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

POLL = 2.0  # seconds between two looks at the file


def signature(path: Path) -> tuple[int, int, int] | None:
    """What changes when the file is edited or replaced; None while it is missing."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


async def watch(path: Path, changed: Callable[[], None], *, poll: float = POLL) -> None:
    """Call `changed` each time `path` is found changed; runs until cancelled. A file that
    goes missing is not a change (a replace in progress); its return with other content is."""
    seen = signature(path)
    while True:
        await asyncio.sleep(poll)
        now = signature(path)
        if now is not None and now != seen:
            seen = now
            changed()
