"""Bodies: streamed, decompressed in bounded steps, and held to a size cap where they are read.

httpx decompresses each network chunk in one go, so a 64 KB chunk of a brotli bomb could become
gigabytes before the size cap sees it; these decoders hand out bounded pieces instead.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import brotli
import httpx

from crawler.http.retry import Failure

_CHUNK = 64 * 1024  # most decompressed bytes produced per step, so a bomb never inflates at once


async def read_body(response: httpx.Response, limit: int, truncate: bool) -> bytes:
    """Stream and decompress the body, stopping as soon as it grows past `limit` bytes."""
    too_large = Failure(f"body larger than {limit} bytes", response.status_code)
    length = response.headers.get("content-length", "").strip()
    if not truncate and length.isdigit() and int(length) > limit:
        raise too_large
    if response.is_stream_consumed:
        # a transport that built its responses from bytes (httpx.MockTransport, a replay) has
        # already read and decompressed them
        body = response.content
        if len(body) > limit:
            if truncate:
                return body[:limit]
            raise too_large
        return body
    decoder = _decoder(response.headers.get("content-encoding"))
    body = bytearray()
    async for raw in response.aiter_raw():
        for piece in decoder.feed(raw):
            body += piece
            if len(body) > limit:
                if truncate:
                    return bytes(body[:limit])
                raise too_large
    decoder.finish()
    return bytes(body)


def gunzip(data: bytes, limit: int) -> bytes:
    """A gzip file that is the body itself (a .xml.gz sitemap served without Content-Encoding),
    decompressed in the same bounded steps as bodies, and refused past `limit` bytes: a 1 MB
    bomb must not become gigabytes. Raises ValueError naming what is wrong."""
    decoder = _Zlib("gzip")
    out = bytearray()
    try:
        for piece in decoder.feed(data):
            out += piece
            if len(out) > limit:
                raise ValueError(f"larger than {limit} bytes once decompressed")
        decoder.finish()
    except Failure as exc:
        raise ValueError(exc.reason) from None
    return bytes(out)


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        if data:
            yield data

    def finish(self) -> None:
        pass


class _Zlib:
    """gzip (several members allowed) and deflate (zlib-wrapped or raw, as servers differ)."""

    def __init__(self, coding: str) -> None:
        self._coding = coding
        self._gzip = coding != "deflate"
        self._wbits = 16 + zlib.MAX_WBITS if self._gzip else zlib.MAX_WBITS
        self._stream = zlib.decompressobj(self._wbits)
        self._fed = False
        self._produced = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        self._fed = self._fed or bool(data)
        try:
            yield from self._inflate(data)
        except zlib.error:
            raise Failure(f"corrupt {self._coding} body", retryable=True) from None

    def _inflate(self, data: bytes) -> Iterator[bytes]:
        while True:
            if self._stream.eof:
                rest = self._stream.unused_data + data
                # another gzip member may follow; anything else after the end is padding
                if not (self._gzip and rest.startswith(b"\x1f\x8b")):
                    return
                self._stream = zlib.decompressobj(self._wbits)
                data = rest
            try:
                out = self._stream.decompress(data, _CHUNK)
            except zlib.error:
                if self._gzip or self._produced or self._wbits < 0:
                    raise
                self._wbits = -zlib.MAX_WBITS  # raw deflate without the zlib header
                self._stream = zlib.decompressobj(self._wbits)
                continue
            data = self._stream.unconsumed_tail
            if out:
                self._produced = True
                yield out
            if not data and len(out) < _CHUNK and not self._stream.eof:
                return

    def finish(self) -> None:
        if self._fed and not self._stream.eof:
            raise Failure(f"truncated {self._coding} body", retryable=True)


class _Brotli:
    def __init__(self) -> None:
        self._stream = brotli.Decompressor()
        self._fed = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        self._fed = self._fed or bool(data)
        try:
            out = self._stream.process(data, output_buffer_limit=_CHUNK)
            # can_accept_more_data() alone can be True while output is still pending
            while out or not self._stream.can_accept_more_data():
                yield out
                out = self._stream.process(b"", output_buffer_limit=_CHUNK)
        except brotli.error:
            raise Failure("corrupt br body", retryable=True) from None

    def finish(self) -> None:
        if self._fed and not self._stream.is_finished():
            raise Failure("truncated br body", retryable=True)


def _decoder(content_encoding: str | None) -> _Identity | _Zlib | _Brotli:
    codings = [
        c
        for c in (part.strip().lower() for part in (content_encoding or "").split(","))
        if c and c != "identity"
    ]
    if not codings:
        return _Identity()
    if len(codings) == 1 and codings[0] in ("gzip", "x-gzip", "deflate"):
        return _Zlib(codings[0])
    if codings == ["br"]:
        return _Brotli()
    # we only ever offer gzip, deflate and br, one at a time
    raise Failure(f"unsupported Content-Encoding {content_encoding}")
