"""URLs: the one kept with an article, as served, and the key that says which article it is.

Two rules, used by every path that stores a URL (articles, teasers, partial copies, export):

- `served_url`: the address as the site served it (scheme and host kept: an http-only site's
  links must open), minus tracking tags and the fragment, which never change the page.
- `url_key`: what identifies the article, whichever way it was reached: w3lib
  canonicalisation, tracking tags, AMP suffixes and default ports dropped, alias hosts mapped
  to the source's host, "www." dropped, and no scheme at all ("lessor.ml/posts/a"), so that
  http and https, www and bare host, feed and listing links of one article are one row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

# Query parameters that never change what a page says.
TRACKING_PARAMS = (
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
    "fbclid", "gclid", "mc_cid", "mc_eid", "amp", "output", "ref", "share",
)
AMP_SUFFIXES = ("/amp/", "/amp")
DEFAULT_PORTS = {"http": ":80", "https": ":443"}


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def is_article_url(url: str, hosts: frozenset[str], pattern: str | None) -> bool:
    """True for a URL on one of `hosts` whose path matches the regex `pattern` (if any)."""
    if host_of(url) not in hosts:
        return False
    return pattern is None or re.search(pattern, urlsplit(url).path) is not None


def served_url(url: str) -> str:
    """The URL to keep and show: as served, without tracking tags or fragment."""
    return url_query_cleaner(url.strip(), TRACKING_PARAMS, remove=True)


def url_key(url: str, *, host: str | None = None, aliases: Iterable[str] = ()) -> str:
    """The key of the article at `url`: its canonical form without scheme or "www.", any host
    in `aliases` replaced by `host` ("lessor.ml/posts/a"). Keys are compared, never opened."""
    cleaned = canonicalize_url(served_url(url), keep_fragments=False)
    parts = urlsplit(cleaned)
    netloc = parts.netloc.lower()
    default_port = DEFAULT_PORTS.get(parts.scheme)
    if default_port and netloc.endswith(default_port):  # "lessor.ml:80" is "lessor.ml"
        netloc = netloc.removesuffix(default_port)
    if host and (netloc in {a.lower() for a in aliases} or netloc == host.lower()):
        netloc = host.lower()
    netloc = netloc.removeprefix("www.")
    path = parts.path or "/"
    for suffix in AMP_SUFFIXES:
        if path.endswith(suffix) and len(path) > len(suffix):
            path = path[: -len(suffix)]
            # WordPress: /slug/amp/ -> /slug/ ; Newspaper theme: /slug-1.html/amp/ -> /slug-1.html
            if "." not in path.rsplit("/", 1)[-1]:
                path += "/"
            break
    if parts.scheme not in ("http", "https", ""):  # not a web page: keep what it is
        return urlunsplit((parts.scheme, netloc, path, parts.query, ""))
    return urlunsplit(("", netloc, path, parts.query, "")).removeprefix("//")


def same_scheme_as_served(url: str, served: str) -> str:
    """`url` (a page's own canonical link) with the scheme `served` came with, when both are
    on one host: a host answers on the scheme it served the page on, while a canonical link
    may name https on a site that only serves http."""
    link, page = urlsplit(url), urlsplit(served)
    if link.hostname and link.hostname == page.hostname and link.scheme in ("http", "https"):
        return urlunsplit((page.scheme, link.netloc, link.path, link.query, link.fragment))
    return url
