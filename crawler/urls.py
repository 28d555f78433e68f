"""URL canonicalisation: one article, one key, whichever host alias or tracking tag it came with."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

# Query parameters that never change what a page says.
TRACKING_PARAMS = (
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
    "fbclid", "gclid", "mc_cid", "mc_eid", "amp", "output", "ref", "share",
)
AMP_SUFFIXES = ("/amp/", "/amp")


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def canonical_url(url: str, *, host: str | None = None, aliases: Iterable[str] = ()) -> str:
    """Canonical form of `url`: w3lib canonicalisation, tracking and AMP markers dropped,
    scheme forced to https, and any host in `aliases` replaced by `host`."""
    cleaned = url_query_cleaner(url.strip(), TRACKING_PARAMS, remove=True)
    cleaned = canonicalize_url(cleaned, keep_fragments=False)
    parts = urlsplit(cleaned)
    netloc = parts.netloc.lower()
    alias_set = {a.lower() for a in aliases}
    if host and (netloc in alias_set or netloc == host.lower()):
        netloc = host.lower()
    path = parts.path or "/"
    for suffix in AMP_SUFFIXES:
        if path.endswith(suffix) and len(path) > len(suffix):
            path = path[: -len(suffix)]
            # WordPress: /slug/amp/ -> /slug/ ; Newspaper theme: /slug-1.html/amp/ -> /slug-1.html
            if "." not in path.rsplit("/", 1)[-1]:
                path += "/"
            break
    scheme = "https" if parts.scheme in ("http", "https") else parts.scheme
    return urlunsplit((scheme, netloc, path, parts.query, ""))
