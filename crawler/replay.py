"""`crawl --replay DIR`: an httpx transport answering from vcrpy cassettes, not the network.

The cassettes are the ones the tests replay (vcrpy's YAML format, loaded with vcrpy's own
persister), so the whole job can be watched working offline. A request that no cassette holds
fails like an unreachable host; nothing ever reaches the network.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from vcr.persisters.filesystem import FilesystemPersister
from vcr.serializers import yamlserializer

from crawler.errors import UsageError

# Headers that describe the recorded transfer, not the body we now hand over decoded.
TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


class CassetteTransport(httpx.AsyncBaseTransport):
    """Serve GET requests from every cassette under a folder, matched on method and URL."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise UsageError(f"--replay: no such folder: {self.folder}")
        self.responses: dict[tuple[str, str], dict] = {}
        for path in sorted(self.folder.rglob("*.yaml")):
            try:
                requests, responses = FilesystemPersister.load_cassette(path, yamlserializer)[:2]
            except Exception as exc:  # noqa: BLE001 - any unreadable file is one clear line
                raise UsageError(f"--replay: cannot read cassette {path}: {exc}") from exc
            for request, response in zip(requests, responses, strict=True):
                self.responses.setdefault((request.method.upper(), request.uri), response)
        self.served: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = (request.method.upper(), str(request.url))
        recorded = self.responses.get(key)
        if recorded is None:
            raise httpx.ConnectError(f"not in the cassettes: {request.method} {request.url}",
                                     request=request)
        self.served.append(str(request.url))
        headers = [
            (name, value)
            for name, values in recorded["headers"].items()
            for value in (values if isinstance(values, list) else [values])
            if name.lower() not in TRANSFER_HEADERS
        ]
        body = recorded["body"]["string"]
        if isinstance(body, str):
            body = body.encode("utf-8")
        return httpx.Response(recorded["status"]["code"], headers=headers, content=body,
                              request=request)
