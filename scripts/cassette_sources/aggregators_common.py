"""Shared by the aggregator cassette scripts (maliweb, malijet, abamako, bamada, maliactu).

The aggregators republish the originals' articles, so their pages here reuse the texts of the
L'Essor and Journal du Mali cassettes, read from those sources' reviewed expected records
(tests/sources/<source>/*.json): a copy then carries exactly the original's words, and the
dedup of copies can be shown end to end. Also: WordPress article pages and feeds (Bamada and
Maliactu are WordPress; the markup is WordPress's standard one, as in journaldumali.py).
"""

import html
import json
import zlib
from datetime import datetime
from email.utils import format_datetime

from common import ROOT


def original(source: str, stem: str) -> dict:
    """The expected record of an original article whose file name starts with `stem`."""
    paths = sorted((ROOT / "tests" / "sources" / source).glob(f"{stem}*.json"))
    assert len(paths) == 1, (source, stem, paths)
    return json.loads(paths[0].read_text("utf-8"))


def paragraphs_of(record: dict) -> list[str]:
    """What a copy shows of an original: its chapeau (if any), then its body paragraphs."""
    return ([record["lead"]] if record["lead"] else []) + record["body"].split("\n\n")


def ps(texts) -> str:
    return "\n".join(f"<p>{html.escape(t, quote=False)}</p>" for t in texts)


def rfc(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso))


def wp_article(base: str, site: str, a: dict) -> str:
    """A WordPress single post: Yoast JSON-LD, og/article meta, entry-content, share bar."""
    url = f"{base}/{a['slug']}"
    node = {"@type": "NewsArticle", "@id": url + "#article", "headline": a["title"],
            "datePublished": a["date"], "mainEntityOfPage": url,
            "articleSection": [a["section"]], "keywords": a.get("tags", []),
            "author": {"@type": "Person", "name": a.get("wp_author", site)},
            "image": {"@type": "ImageObject", "url": base + a["image"]},
            "publisher": {"@type": "Organization", "name": site}}
    ld = json.dumps({"@context": "https://schema.org",
                     "@graph": [node, {"@type": "WebPage", "@id": url, "url": url}]},
                    ensure_ascii=False)
    tags = " ".join(f'<a href="{base}/tag/{t.lower()}/" rel="tag">{t}</a>'
                    for t in a.get("tags", []))
    metas = "".join(f'<meta property="article:tag" content="{t}" />\n' for t in a.get("tags", []))
    return f"""<!DOCTYPE html>
<html lang="fr-FR">
<head>
<meta charset="UTF-8">
<title>{a['title']} - {site}</title>
<link rel="canonical" href="{url}" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{html.escape(a['title'])} - {site}" />
<meta property="og:url" content="{url}" />
<meta property="og:site_name" content="{site}" />
<meta property="article:section" content="{a['section']}" />
{metas}<meta property="article:published_time" content="{a['date']}" />
<meta property="og:image" content="{base}{a['image']}" />
<script type="application/ld+json" class="yoast-schema-graph">{ld}</script>
</head>
<body class="post-template-default single single-post">
<header id="masthead" class="site-header"><nav class="main-navigation"><ul><li><a href="{base}/category/politique/">Politique</a></li><li><a href="{base}/category/societe/">Société</a></li></ul></nav></header>
<div id="content" class="site-content">
<article class="post type-post status-publish format-standard has-post-thumbnail">
<header class="entry-header">
<span class="cat-links"><a href="{base}/category/{a['section'].lower()}/" rel="category tag">{a['section']}</a></span>
<h1 class="entry-title">{a['title']}</h1>
<div class="entry-meta"><time class="entry-date published" datetime="{a['date']}">{a['date'][:10]}</time> <span class="author vcard"><a class="url fn n" href="{base}/author/{site.lower()}/">{a.get('wp_author', site)}</a></span></div>
</header>
<div class="post-thumbnail"><img src="{base}{a['image']}" alt="" /></div>
<div class="entry-content">
{a['content']}
<div class="sharedaddy sd-sharing-enabled"><div class="sd-block sd-social"><h3 class="sd-title">Partager :</h3><ul><li><a class="share-facebook" href="#">Facebook</a></li><li><a class="share-whatsapp" href="#">WhatsApp</a></li></ul></div></div>
</div>
<footer class="entry-footer"><span class="tags-links">{tags}</span></footer>
</article>
<aside id="secondary" class="widget-area"><section class="widget"><h2>Articles récents</h2><ul><li><a href="{base}/autre-article/">Un autre article</a></li></ul></section></aside>
</div>
<footer id="colophon" class="site-footer"><p>© 2025 {site}. Tous droits réservés.</p></footer>
</body>
</html>"""


def wp_feed(base: str, site: str, feed_url: str, items: list[dict], footer: bool = False) -> str:
    """A WordPress RSS 2.0 feed page; `footer` adds the "The post … appeared first on …" line
    that some sites' feeds carry (seen on Bamada's, re-syndicated elsewhere)."""
    entries = []
    for a in items:
        url = f"{base}/{a['slug']}"
        words = a["excerpt"]
        summary = html.escape(words[:160].rsplit(" ", 1)[0], quote=False) + " [&#8230;]"
        if footer:
            summary = (f"<p>{summary}</p>\n<p>The post <a href=\"{url}\">{html.escape(a['title'])}"
                       f"</a> appeared first on <a href=\"{base}\">{site}</a>.</p>")
        entries.append(f"""	<item>
		<title>{html.escape(a['title'], quote=False)}</title>
		<link>{url}</link>
		<dc:creator><![CDATA[{a.get('wp_author', site)}]]></dc:creator>
		<pubDate>{rfc(a['date'])}</pubDate>
		<category><![CDATA[{a['section']}]]></category>
		<guid isPermaLink="false">{base}/?p={zlib.crc32(url.encode()) % 100000}</guid>
		<description><![CDATA[{summary}]]></description>
	</item>""")
    body = "\n".join(entries)
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
	<title>{site}</title>
	<atom:link href="{feed_url}" rel="self" type="application/rss+xml" />
	<link>{base}</link>
	<description>Actualité du Mali</description>
	<language>fr-FR</language>
	<generator>https://wordpress.org/?v=6.8.3</generator>
{body}
</channel>
</rss>"""


NOT_FOUND = ("<!DOCTYPE html><html lang=\"fr\"><head><title>Page non trouvée</title></head>"
             "<body><h1>Page non trouvée</h1></body></html>")
WP_ROBOTS = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"
