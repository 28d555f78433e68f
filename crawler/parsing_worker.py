"""A parsing worker: the process crawler.parsing starts to decode and parse pages.

It reads tasks from one pipe and writes results to another, one at a time, each a frame: its
length (8 bytes, little-endian) and a pickle. The first frame it reads is the crawling
process's sys.path and where its __main__ is (so that the functions and parsers it is sent
import as they do there); it then imports what parsing a page needs and writes an empty frame,
"ready". Every later frame is a list of tasks handed over together, each `(function, args)`
pickled; each is answered in turn, in a frame of its own: `(True, result)` or `(False,
exception)`. It exits when the task pipe closes. It holds no pool, thread or lock: the
crawling process times each task and kills the worker when a page overruns its budget.

This module is what a worker imports first, so it imports little; the functions run in a
worker that the crawling process names are defined here, so that unpickling them brings in
neither asyncio nor the crawling process's machinery.
"""

from __future__ import annotations

import io
import os
import pickle
import signal
import struct
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from crawler.extract import SourceParser
    from crawler.items import Parsed

Result = TypeVar("Result")
HEADER = struct.Struct("<Q")  # a frame's length
MARKER = "--parsing-worker"  # in a worker's command line (argv[1])
# What a worker runs: `python -c BOOTSTRAP --parsing-worker TASKS_FD RESULTS_FD HOME`, HOME the
# folder that holds the crawling process's `crawler` package: first on the path, so that the
# worker imports this module from there, not a `crawler` folder where it was started (`-c` puts
# the current folder first), which may be another version's.
BOOTSTRAP = ("import sys; sys.path.insert(0, sys.argv[4]); "
             "from crawler.parsing_worker import main; main(int(sys.argv[2]), int(sys.argv[3]))")
# In a worker: {digest: parser} of the parsers it was sent (see crawler.parsing._ship)
_received: dict[bytes, SourceParser] = {}
_RECEIVED_LIMIT = 256  # parsers a worker keeps (a run's sources; more only in a long worker)
_warm = False  # in a worker: its start-up imports are done


class NotShipped(Exception):  # noqa: N818 (a request to send again, not an error)
    """Raised in a worker sent only a parser's digest for a parser it has not received."""


def parse_page(parser: SourceParser, url: str, content: bytes,
               content_type: str | None) -> Parsed:
    """Decode and parse one article page (what a worker runs)."""
    from crawler.http.charset import decode_body
    from crawler.page import Page

    return parser.find(Page.from_html(url, decode_body(content, content_type)))


def with_shipped(function: Callable[..., Result], digest: bytes, blob: bytes | None,
                 *args: Any) -> Result:
    """`function(parser, *args)` with the worker's copy of a shipped parser (unpickled on its
    first page). Without the pickle (`blob` None), NotShipped if the worker has not got it."""
    parser = _received.get(digest)
    if parser is None:
        if blob is None:
            raise NotShipped
        if len(_received) >= _RECEIVED_LIMIT:
            _received.clear()
        parser = _received[digest] = pickle.loads(blob)
    return function(parser, *args)


def read_frame(fd: int) -> bytes | None:
    """The next frame from `fd` (blocking), None at its end."""
    header = _read_exactly(fd, HEADER.size)
    if header is None:
        return None
    body = _read_exactly(fd, HEADER.unpack(header)[0])
    if body is None:
        return None
    return body


def _read_exactly(fd: int, size: int) -> bytes | None:
    parts, left = [], size
    while left:
        part = os.read(fd, min(left, 1 << 20))
        if not part:
            return None
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def write_frame(fd: int, body: bytes) -> None:
    """`body` written to `fd` as one frame (blocking)."""
    header = HEADER.pack(len(body))
    written = os.writev(fd, (header, body))
    if written < len(header) + len(body):  # the pipe was full: the rest as the reader takes it
        view = memoryview(header + body)[written:]
        while view:
            view = view[os.write(fd, view):]


def _answer(task: bytes) -> bytes:
    """The pickled answer to one task, `(function, args)` pickled: its result, else the
    exception it raised (as a ParseError naming it when the exception itself cannot be
    pickled)."""
    try:
        function, args = _Unpickler(io.BytesIO(task)).load()
        return pickle.dumps((True, function(*args)), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 (the crawling process raises it)
        try:
            return pickle.dumps((False, exc), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001
            from crawler.errors import ParseError

            return pickle.dumps((False, ParseError(f"{type(exc).__name__}: {exc}")),
                                protocol=pickle.HIGHEST_PROTOCOL)


class _Unpickler(pickle.Unpickler):
    """Reads tasks; a function of the crawling process's __main__ (a script that runs tasks
    of its own) is found in that script, run here under the name __mp_main__ (as
    multiprocessing's spawned processes do), when a task first names it."""

    main: tuple[str, str] | None = None  # ("path", file) or ("module", name) of that __main__

    def find_class(self, module: str, name: str) -> Any:
        if module == "__main__" and _Unpickler.main is not None:
            _run_main(*_Unpickler.main)
            _Unpickler.main = None
        return super().find_class(module, name)


def _run_main(kind: str, where: str) -> None:
    import runpy
    import types

    main = types.ModuleType("__mp_main__")
    sys.modules["__main__"] = sys.modules["__mp_main__"] = main
    found = (runpy.run_path(where, run_name="__mp_main__") if kind == "path"
             else runpy.run_module(where, run_name="__mp_main__", alter_sys=True))
    main.__dict__.update(found)


def main_of(module: Any) -> tuple[str, str] | None:
    """Where a worker finds `module`, the crawling process's __main__: ("module", its name)
    when run with -m, ("path", its file) when a .py script, else None (a console script such
    as `crawl` holds no task)."""
    spec = getattr(module, "__spec__", None)
    if spec is not None and spec.name not in ("__main__", None):
        return ("module", spec.name)
    path = getattr(module, "__file__", None)
    if isinstance(path, str) and path.endswith(".py"):
        return ("path", path)
    return None


def main(tasks: int, results: int) -> None:
    """Serve tasks from fd `tasks`, answering on fd `results`, until `tasks` ends."""
    global _warm
    # Ctrl-C reaches the whole process group: the crawling process parses what arrived, then
    # stops its workers itself (it closes their task pipes). SIGTERM is left to end a worker:
    # one stuck on a page whose crawling process was killed would otherwise outlive it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    path = read_frame(tasks)
    if path is None:
        return
    sys.path[:], _Unpickler.main = pickle.loads(path)
    import crawler.extract
    import crawler.http.charset
    import crawler.page  # noqa: F401 (imported before the first page, not when it comes)

    _warm = True
    write_frame(results, b"")
    while (frame := read_frame(tasks)) is not None:
        for task in pickle.loads(frame):
            write_frame(results, _answer(task))

