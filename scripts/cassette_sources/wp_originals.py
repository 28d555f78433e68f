"""WordPress pages and feeds for the original papers' cassettes (AMAP, Studio Tamani, Sahelien,
Benbere, Info-Matin, Mali Tribune, L'Indépendant, Sahel Tribune).

Nothing here is recorded. What is standard WordPress, and so expected on any of these sites: the
RSS 2.0 feed at /feed/ with `?paged=N` for older items, `dc:creator`, `[&#8230;]` at the end of an
excerpt, `<html lang>` from the site language, the `article:*` Open Graph tags and the Yoast
JSON-LD `@graph` when the site uses Yoast, the class names of three common themes (a classic
theme: `entry-title`, `entry-content`, `entry-date`, `author vcard`, `cat-links`, `tags-links`;
tagDiv's Newspaper: `td-post-content`, `td-post-sub-title`, `td-tags`; JNews: `jeg_post_title`,
`jeg_post_subtitle`, `content-inner`), Jetpack's `sharedaddy` share bar and AddToAny's
`addtoany_share_save_container`. Which theme each site uses is ASSUMED (each script says so).
"""

import html
import json
import re
from datetime import datetime
from email.utils import format_datetime


def paragraphs(*texts: str) -> str:
    """<p> elements; a text that already starts with "<" is kept as raw HTML."""
    return "\n".join(t if t.startswith("<") else f"<p>{t}</p>" for t in texts)


def _excerpt(a: dict) -> str:
    """WordPress's automatic excerpt: the first 55 words of the text, then " [&#8230;]"."""
    text = re.sub(r"<[^>]+>", " ", a.get("lead") or a["content"])
    words = html.unescape(text).split()
    return " ".join(words[:55]) + (" [&#8230;]" if len(words) > 55 else "")


def _yoast(base: str, site: str, a: dict, url: str) -> str:
    item = {"@type": "NewsArticle", "@id": url + "#article", "headline": a["title"],
            "datePublished": a["date"], "mainEntityOfPage": {"@id": url},
            "articleSection": [a["section"]], "keywords": a.get("tags", []),
            "image": {"@type": "ImageObject", "url": base + a["image"]},
            "inLanguage": a.get("lang", "fr-FR"),
            "publisher": {"@type": "Organization", "name": site}}
    if a.get("modified"):
        item["dateModified"] = a["modified"]
    account = a.get("author") or a.get("wp_account")
    if account:
        item["author"] = {"@type": "Person", "name": account}
    graph = [item, {"@type": "WebPage", "@id": url, "url": url, "name": f"{a['title']} - {site}"}]
    return json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False)


def _classic(base: str, a: dict, account: str | None) -> str:
    author = (f'<span class="byline"> par <span class="author vcard"><a class="url fn n" '
              f'href="{base}/author/{_slug(account)}/">{account}</a></span></span>'
              if account else "")
    tags = ", ".join(f'<a href="{base}/tag/{_slug(t)}/" rel="tag">{t}</a>' for t in a.get("tags", []))
    updated = (f'<time class="updated" datetime="{a["modified"]}">{a["modified"][:10]}</time>'
               if a.get("modified") else "")
    return f"""<article id="post-{a['id']}" class="post-{a['id']} post type-post status-publish format-standard has-post-thumbnail hentry">
<header class="entry-header">
<span class="cat-links"><a href="{base}/category/{_slug(a['section'])}/" rel="category tag">{a['section']}</a></span>
<h1 class="entry-title">{a['title']}</h1>
<div class="entry-meta"><span class="posted-on">Publié le <time class="entry-date published" datetime="{a['date']}">{a['date'][:10]}</time>{updated}</span>{author}</div>
</header>
<div class="post-thumbnail"><img width="1024" height="683" src="{base}{a['image']}" class="attachment-post-thumbnail wp-post-image" alt=""></div>
<div class="entry-content">
{a['content']}
</div>
<footer class="entry-footer"><span class="tags-links">{tags}</span></footer>
</article>"""


def _newspaper(base: str, a: dict, account: str | None) -> str:
    author = (f'<div class="td-post-author-name"><div class="td-author-by">Par</div> '
              f'<a href="{base}/author/{_slug(account)}/">{account}</a></div>' if account else "")
    lead = f'<p class="td-post-sub-title">{a["lead"]}</p>' if a.get("lead") else ""
    tags = "".join(f'<li><a href="{base}/tag/{_slug(t)}/">{t}</a></li>' for t in a.get("tags", []))
    return f"""<article id="post-{a['id']}" class="post-{a['id']} post type-post status-publish">
<div class="td-post-header">
<ul class="td-category"><li class="entry-category"><a href="{base}/category/{_slug(a['section'])}/">{a['section']}</a></li></ul>
<header class="td-post-title"><h1 class="entry-title">{a['title']}</h1>{lead}
<div class="td-module-meta-info">{author}<span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{a['date']}">{a['date'][:10]}</time></span></div>
</header></div>
<div class="td-post-sharing-top"><div class="td-post-sharing"><a class="td-social-sharing-button td-social-facebook" href="https://www.facebook.com/sharer.php?u={base}"><span>Facebook</span></a><a class="td-social-sharing-button td-social-whatsapp" href="#"><span>WhatsApp</span></a></div></div>
<div class="td-post-content tagdiv-type">
<div class="td-post-featured-image"><img class="entry-thumb" src="{base}{a['image']}" alt=""></div>
{a['content']}
</div>
<footer><div class="td-post-source-tags"><ul class="td-tags td-post-small-box clearfix"><li><span>TAGS</span></li>{tags}</ul></div></footer>
</article>"""


def _jnews(base: str, a: dict, account: str | None) -> str:
    author = (f'<div class="jeg_meta_author"><span class="meta_text">par</span> '
              f'<a href="{base}/author/{_slug(account)}/">{account}</a></div>' if account else "")
    lead = f'<h2 class="jeg_post_subtitle">{a["lead"]}</h2>' if a.get("lead") else ""
    tags = "".join(f'<a href="{base}/tag/{_slug(t)}/" rel="tag">{t}</a>' for t in a.get("tags", []))
    day = datetime.fromisoformat(a["date"])
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
              "octobre", "novembre", "décembre"]
    shown = f"{day.day} {months[day.month - 1]} {day.year}"
    return f"""<div class="jeg_inner_content">
<div class="entry-header">
<div class="jeg_meta_category"><a href="{base}/category/{_slug(a['section'])}/" rel="category tag">{a['section']}</a></div>
<h1 class="jeg_post_title">{a['title']}</h1>{lead}
<div class="jeg_meta_container"><div class="jeg_post_meta">{author}<div class="jeg_meta_date"><a href="{base}/{a['path']}">{shown}</a></div></div></div>
</div>
<div class="jeg_featured featured_image"><img src="{base}{a['image']}" class="wp-post-image" alt=""></div>
<div class="jeg_share_top_container"><div class="jeg_share_button"><a href="https://www.facebook.com/sharer.php?u={base}/{a['path']}" class="jeg_btn-facebook"><span>Partager sur Facebook</span></a><a href="#" class="jeg_btn-whatsapp"><span>WhatsApp</span></a></div></div>
<div class="entry-content no-share">
<div class="content-inner">
{a['content']}
</div>
<div class="jeg_post_tags"><span>Tags:</span> {tags}</div>
</div>
</div>"""


THEMES = {"classic": _classic, "newspaper": _newspaper, "jnews": _jnews}


def _slug(text: str) -> str:
    import unicodedata
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def article_page(base: str, site: str, a: dict, *, theme: str = "classic", yoast: bool = True,
                 og_suffix: str | None = None, sidebar: str = "") -> str:
    """One article page of a WordPress site. `a`: path, id, title, date, modified, author (the
    byline, None when the page shows none), wp_account (the WordPress account shown when the
    article is unsigned, e.g. the paper's own name), section, tags, image, lead, content, lang."""
    url = f"{base}/{a['path']}"
    lang = a.get("lang", "fr-FR")
    account = a.get("author") or a.get("wp_account")
    og_title = f"{a['title']} - {og_suffix or site}"
    metas = [
        f'<meta property="og:locale" content="{lang.replace("-", "_")}" />',
        '<meta property="og:type" content="article" />',
        f'<meta property="og:title" content="{html.escape(og_title)}" />',
        f'<meta property="og:description" content="{html.escape(_excerpt(a))}" />',
        f'<meta property="og:url" content="{url}" />',
        f'<meta property="og:site_name" content="{html.escape(site)}" />',
        f'<meta property="article:published_time" content="{a["date"]}" />',
    ]
    if a.get("modified"):
        metas.append(f'<meta property="article:modified_time" content="{a["modified"]}" />')
    metas.append(f'<meta property="og:image" content="{base}{a["image"]}" />')
    if account:
        metas.append(f'<meta name="author" content="{html.escape(account)}" />')
    ld = (f'<script type="application/ld+json" class="yoast-schema-graph">'
          f'{_yoast(base, site, a, url)}</script>' if yoast else "")
    body = THEMES[theme](base, a, account)
    meta_block = "\n".join(metas)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{og_title}</title>
<link rel="canonical" href="{url}" />
{meta_block}
{ld}
<link rel="alternate" type="application/rss+xml" title="{html.escape(site)} &raquo; Flux" href="{base}/feed/" />
</head>
<body class="post-template-default single single-post postid-{a['id']} single-format-standard">
<div id="page" class="site">
<header id="masthead" class="site-header"><div class="site-branding"><a href="{base}/" rel="home">{site}</a></div>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu"><li><a href="{base}/category/politique/">Politique</a></li><li><a href="{base}/category/societe/">Société</a></li><li><a href="{base}/category/economie/">Économie</a></li></ul></nav></header>
<div id="content" class="site-content"><main id="main" class="site-main">
{body}
</main>
<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries"><h2 class="widget-title">Articles récents</h2><ul><li><a href="{base}/category/politique/">Politique</a></li></ul></section>{sidebar}</aside>
</div>
<footer id="colophon" class="site-footer"><div class="site-info">© 2025 {site}. Tous droits réservés.</div></footer>
</div>
</body>
</html>"""


def feed(base: str, site: str, items: list[dict], *, feed_path: str = "feed/",
         lang: str = "fr-FR", description: str = "") -> str:
    """A WordPress RSS 2.0 feed page holding `items` (newest first)."""
    entries = []
    for a in items:
        url = f"{base}/{a['path']}"
        creator = a.get("author") or a.get("wp_account") or site
        stamp = format_datetime(datetime.fromisoformat(a["date"]))
        entries.append(f"""	<item>
		<title>{html.escape(a['title'], quote=False)}</title>
		<link>{url}</link>
		<dc:creator><![CDATA[{creator}]]></dc:creator>
		<pubDate>{stamp}</pubDate>
		<category><![CDATA[{a['section']}]]></category>
		<guid isPermaLink="false">{base}/?p={a['id']}</guid>
		<description><![CDATA[{_excerpt(a)}]]></description>
	</item>""")
    newest = format_datetime(datetime.fromisoformat(items[0]["date"])) if items else ""
    items_xml = "\n".join(entries)
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/">
<channel>
	<title>{html.escape(site, quote=False)}</title>
	<atom:link href="{base}/{feed_path}" rel="self" type="application/rss+xml" />
	<link>{base}</link>
	<description>{html.escape(description, quote=False)}</description>
	<lastBuildDate>{newest}</lastBuildDate>
	<language>{lang}</language>
	<sy:updatePeriod>hourly</sy:updatePeriod>
	<sy:updateFrequency>1</sy:updateFrequency>
	<generator>https://wordpress.org/?v=6.8.3</generator>
{items_xml}
</channel>
</rss>"""


ROBOTS = ("User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\n"
          "Sitemap: {base}/wp-sitemap.xml\n")

NOT_FOUND = ('<!DOCTYPE html><html lang="fr-FR"><head><title>Page non trouvée</title></head>'
             '<body><h1 class="page-title">Oups ! Cette page est introuvable.</h1></body></html>')


def feed_pages(base: str, site: str, pages: list[list[dict]], *, feed_path: str = "feed/",
               lang: str = "fr-FR", description: str = "") -> list[dict]:
    """Interactions for feed page 1 (`/feed/`) and its older pages (`/feed/?paged=N`)."""
    from common import interaction

    out = []
    for number, items in enumerate(pages, 1):
        url = f"{base}/{feed_path}" + ("" if number == 1 else f"?paged={number}")
        headers = ({"ETag": f'"{_slug(site)}-feed-1"',
                    "Last-Modified": format_datetime(datetime.fromisoformat(items[0]["date"]),
                                                     usegmt=True)}
                   if number == 1 else None)
        out.append(interaction(url, feed(base, site, items, feed_path=feed_path, lang=lang,
                                         description=description),
                               "application/rss+xml; charset=UTF-8", headers=headers))
    return out


def write_cassette(name: str, base: str, interactions: list[dict]) -> None:
    """robots.txt first, then `interactions`, to cassettes/<name>/<name>.yaml."""
    from common import ROOT, interaction, write

    robots = interaction(f"{base}/robots.txt", ROBOTS.format(base=base),
                         "text/plain; charset=utf-8")
    folder = ROOT / "cassettes" / name
    folder.mkdir(exist_ok=True)
    write(folder / f"{name}.yaml", [robots, *interactions])
    print("ok", name, len(interactions) + 1)
