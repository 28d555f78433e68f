"""A small RSS site on the test server, slow on purpose, for overlap, daemon and worker tests."""

from __future__ import annotations

import threading
from pathlib import Path

from httpserver import Reply, TestServer


def serve_site(server: TestServer, *, articles: int = 6, delay: float = 0.0,
               prefix: str = "", gate: threading.Event | None = None) -> None:
    """Serve {prefix}/feed/ listing `articles` article pages, each answering after `delay`;
    with a `gate`, each article page also waits until the gate is set (at most 120 s), so a
    test decides when a crawl may finish instead of guessing how long it takes."""
    items = "".join(
        f"<item><title>Article {i}</title><link>{server.url(f'{prefix}/a/{i}/')}</link>"
        f"<pubDate>Wed, 10 Dec 2025 0{i % 10}:00:00 +0000</pubDate>"
        f"<description>Le début de l'article {i} [&#8230;]</description></item>"
        for i in range(articles))
    server.route("/robots.txt", Reply(status=404))
    server.route(f"{prefix}/feed/", Reply(
        body=f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
             f"{items}</channel></rss>".encode(),
        headers={"Content-Type": "application/rss+xml"}))
    for i in range(articles):
        reply = Reply(delay=delay, body=(
            f"<html lang='fr'><head><title>Article {i}</title></head><body><article>"
            f"<h1>Article {i}</h1><p>Premier paragraphe de l'article numéro {i}.</p>"
            f"<p>Second paragraphe.</p></article></body></html>").encode(),
            headers={"Content-Type": "text/html; charset=utf-8"})
        server.route(f"{prefix}/a/{i}/", reply if gate is None else _gated(reply, gate))


def _gated(reply: Reply, gate: threading.Event):
    def respond(request, handler) -> Reply:
        gate.wait(120)
        return reply
    return respond


def write_config(path: Path, server: TestServer, names: list[str], *, every: str = "1h",
                 prefix_of=lambda name: f"/{name}", timeout: float = 10) -> Path:
    """sources.yaml with one rss source per name, each on its own path prefix."""
    lines = [f"settings: {{delay: 0, timeout: {timeout:g}}}", "sources:"]
    for name in names:
        lines += [f"  - name: {name}", "    platform: rss", f"    base_url: {server.url('/')}",
                  f"    entry_points: [{server.url(prefix_of(name) + '/feed/')}]",
                  f"    every: {every}"]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path
