"""A new WordPress site, and a new site described only by CSS selectors, each added by YAML alone
(as README's "Adding a source" describes), are crawled correctly from a local server by the
`crawl` command: the daily pass reads the first feed or listing page, a backfill walks back to
--since, and every field lands in the database."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from httpserver import Reply, TestServer
from sqlalchemy import select
from sqlmodel import Session

from crawler.models import ArticleRow, TeaserRow
from crawler.store import open_store

ROOT = Path(__file__).resolve().parent.parent
HTML = {"Content-Type": "text/html; charset=utf-8"}
ROBOTS = Reply(body=b"User-agent: *\nDisallow: /wp-admin/\n",
               headers={"Content-Type": "text/plain"})

# ---- a WordPress site: feed (?paged=N), Yoast JSON-LD, entry-content with a share bar -----------

WP_POSTS = [  # (path, title, ISO date, author or None, tags, paragraphs), newest first
    ("/2025/12/10/kayes-le-marche-a-betail-agrandi/", "Kayes : le marché à bétail agrandi",
     "2025-12-10T09:00:00+00:00", "Awa Coulibaly", ["Élevage", "Kayes"],
     ["Le marché à bétail de Kayes a doublé sa surface d’accueil.",
      "Les éleveurs saluent des enclos mieux aménagés."]),
    ("/2025/12/08/segou-festival-sur-le-niger/", "Ségou : le festival sur le Niger se prépare",
     "2025-12-08T18:30:00+00:00", None, ["Culture"],
     ["Les organisateurs attendent 20.000 visiteurs en février."]),
    ("/2025/11/20/mopti-la-crue-recule/", "Mopti : la crue recule",
     "2025-11-20T07:00:00+00:00", "Awa Coulibaly", [],
     ["Le niveau du fleuve baisse depuis une semaine.", "Les champs de décrue sont semés."]),
    ("/2025/10/02/une-vieille-breve/", "Une vieille brève", "2025-10-02T07:00:00+00:00", None, [],
     ["Trop ancienne pour la fenêtre."]),
]


def wp_article(base: str, path: str, title: str, date: str, author: str | None,
               tags: list[str], paragraphs: list[str]) -> bytes:
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "headline": title, "datePublished": date,
         "articleSection": ["Régions"], "keywords": tags,
         **({"author": {"@type": "Person", "name": author}} if author else {})}]}
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="fr-FR"><head><meta charset="UTF-8">
<title>{title} - Le Nouveau Journal</title>
<link rel="canonical" href="{base}{path}">
<meta property="og:title" content="{title} - Le Nouveau Journal">
<meta property="og:image" content="{base}/wp-content/uploads/une.jpg">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
</head><body><article><h1 class="entry-title">{title}</h1>
<div class="entry-content">{body}
<p>LIRE AUSSI : Un autre article du journal</p>
<div class="sharedaddy"><h3>Partager :</h3><a href="#">Facebook</a> <a href="#">WhatsApp</a></div>
</div></article><footer>© 2025 Le Nouveau Journal. Tous droits réservés.</footer></body></html>
""".encode()


def wp_feed(base: str, posts: list[tuple]) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link>"
        f"<pubDate>{datetime.fromisoformat(date).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
        f"<description><![CDATA[{paragraphs[0]} [&#8230;]]]></description></item>"
        for path, title, date, _, _, paragraphs in posts)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Le Nouveau Journal</title><link>{base}</link>{items}</channel></rss>").encode()


def serve_wordpress(server: TestServer) -> None:
    base = server.base_url
    pages = {"1": WP_POSTS[:2], "2": WP_POSTS[2:]}

    def feed(request, handler):
        query = urlsplit(request.path).query
        number = query.removeprefix("paged=") if query else "1"
        if number not in pages:
            return Reply(status=404, body=b"not found")
        return Reply(body=wp_feed(base, pages[number]),
                     headers={"Content-Type": "application/rss+xml; charset=UTF-8"})

    server.route("/robots.txt", ROBOTS)
    server.route("/feed/", feed)
    for post in WP_POSTS:
        server.route(post[0], Reply(body=wp_article(base, *post), headers=HTML))


# ---- a custom site: listing cards, a "next" link, fields only CSS selectors can find ------------

LISTING_POSTS = [  # (id, title, day, author or None, chapeau, paragraphs)
    (301, "Koulikoro : la route refaite", "11/12/2025", "Issa DEMBÉLÉ",
     "Les travaux de la RN27 sont achevés.", ["La route a été élargie.", "Le trafic a repris."]),
    (298, "Sikasso : la foire aux mangues", "05/12/2025", None,
     "La foire ouvre ses portes samedi.", ["Cent exposants sont attendus."]),
    (270, "Tombouctou : les pluies tardives", "25/11/2025", "Issa DEMBÉLÉ",
     "Des pluies hors saison sont tombées.", ["Les dégâts sont limités."]),
    (190, "Une nouvelle d'octobre", "01/10/2025", None, "Trop ancienne.", ["Hors fenêtre."]),
]


def listing_page(posts: list[tuple], next_href: str | None) -> bytes:
    cards = "".join(
        f'<li class="carte"><a class="carte-titre" href="/nouvelles/{i}.html">{title}</a>'
        f'<span class="carte-resume">{chapeau} (...)</span></li>'
        for i, title, _, _, chapeau, _ in posts)
    nxt = f'<a class="suivant" href="{next_href}">Page suivante</a>' if next_href else ""
    return (f'<html lang="fr"><body><div class="menu"><a href="/apropos.html">À propos</a></div>'
            f'<ul class="cartes">{cards}</ul>{nxt}</body></html>').encode()


def listing_article(i: int, title: str, day: str, author: str | None, chapeau: str,
                    paragraphs: list[str]) -> bytes:
    signed = f'<span class="signature">{author}</span>' if author else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<html><head><title>Le Courrier du Fleuve</title></head><body>
<div class="fil">Accueil &gt; <span class="rubrique">Régions</span></div>
<div class="titre-article">{title}</div>
<div class="chapo">{chapeau}</div>
<div class="infos">{signed} <span class="jour">Le {day} à 10:00</span></div>
<img class="illustration" src="/images/{i}.jpg">
<div class="texte">{body}<div class="partage">Partager sur Facebook</div></div>
<div class="mots-cles"><a href="/mot/regions">Régions</a><a href="/mot/mali">Mali</a></div>
</body></html>""".encode()


def serve_listing(server: TestServer) -> None:
    server.route("/robots.txt", ROBOTS)
    server.route("/nouvelles/", Reply(body=listing_page(LISTING_POSTS[:2], "/nouvelles/p2.html"),
                                      headers=HTML))
    server.route("/nouvelles/p2.html", Reply(body=listing_page(LISTING_POSTS[2:], None),
                                             headers=HTML))
    for post in LISTING_POSTS:
        server.route(f"/nouvelles/{post[0]}.html", Reply(body=listing_article(*post), headers=HTML))


# ---- sources.yaml entries, as README's "Adding a source" writes them ------------------------

def sources_yaml(wordpress: str, listing: str) -> str:
    return f"""settings:
  delay: 0

sources:
  - name: nouveaujournal
    title: "Le Nouveau Journal"
    platform: wordpress
    base_url: {wordpress}/
    entry_points:
      - {wordpress}/feed/
    language: fr
    every: 1h

  - name: courrierdufleuve
    title: "Le Courrier du Fleuve"
    platform: listing
    base_url: {listing}/
    entry_points:
      - {listing}/nouvelles/
    article_url_pattern: '^/nouvelles/[0-9]+\\.html$'
    selectors:
      links: .carte a.carte-titre
      teaser: .carte-resume
      next_page: a.suivant
      title: .titre-article
      lead: .chapo
      body: .texte
      authors: .signature
      published: .jour
      section: .rubrique
      tags: .mots-cles a
      image: img.illustration
      remove: [.partage]
    language: fr
    every: 2h
"""


def crawl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from crawler.cli import main; main()", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )


def stored(db_url: str) -> tuple[dict[str, ArticleRow], list[TeaserRow]]:
    store = open_store(db_url)
    with Session(store.engine) as session:
        articles = {a.url: a for a in session.exec(select(ArticleRow)).scalars()}
        teasers = list(session.exec(select(TeaserRow)).scalars())
    store.engine.dispose()
    return articles, teasers


@pytest.fixture
def sites(tmp_path):
    with TestServer() as wordpress, TestServer() as listing:
        serve_wordpress(wordpress)
        serve_listing(listing)
        config = tmp_path / "sources.yaml"
        config.write_text(sources_yaml(wordpress.base_url, listing.base_url), "utf-8")
        yield wordpress, listing, config


def key(server: TestServer, path: str) -> str:
    """The URL an article is stored under: the one the site served (http here)."""
    return server.url(path)


def day(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y").replace(hour=10, tzinfo=UTC)


def test_daily_pass_stores_the_first_page_of_both_yaml_only_sources(sites, tmp_path):
    wordpress, listing, config = sites
    db = f"sqlite:///{tmp_path}/daily.db"
    result = crawl("--config", str(config), "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    articles, teasers = stored(db)
    wp = {urlsplit(u).path: a for u, a in articles.items() if a.source == "nouveaujournal"}
    custom = {urlsplit(u).path: a for u, a in articles.items() if a.source == "courrierdufleuve"}
    assert sorted(wp) == sorted(p[0] for p in WP_POSTS[:2])
    assert sorted(custom) == ["/nouvelles/298.html", "/nouvelles/301.html"]

    kayes = wp[WP_POSTS[0][0]]
    assert kayes.url == key(wordpress, WP_POSTS[0][0])
    assert kayes.title == "Kayes : le marché à bétail agrandi"  # JSON-LD headline, no suffix
    assert kayes.body.split("\n\n") == WP_POSTS[0][5]  # "LIRE AUSSI", share bar, © dropped
    assert kayes.authors == ["Awa Coulibaly"]
    assert kayes.tags == ["Élevage", "Kayes"]
    assert kayes.section == "Régions"
    assert kayes.image == wordpress.url("/wp-content/uploads/une.jpg")
    assert kayes.published_at.replace(tzinfo=UTC) == datetime(2025, 12, 10, 9, tzinfo=UTC)
    assert kayes.language == "fr"
    assert wp[WP_POSTS[1][0]].authors == []

    route = custom["/nouvelles/301.html"]
    assert route.title == "Koulikoro : la route refaite"
    assert route.lead == "Les travaux de la RN27 sont achevés."
    assert route.body == "La route a été élargie.\n\nLe trafic a repris."
    assert route.authors == ["Issa DEMBÉLÉ"]
    assert route.published_at.replace(tzinfo=UTC) == day("11/12/2025")
    assert route.section == "Régions"
    assert route.tags == ["Régions", "Mali"]
    assert route.image == listing.url("/images/301.jpg")
    assert custom["/nouvelles/298.html"].authors == []

    # Feed descriptions and listing cards are kept as teasers of the articles they link to.
    by_url = {t.url: t.text for t in teasers}
    assert by_url[kayes.url].startswith("Le marché à bétail de Kayes")
    assert by_url[route.url] == "Les travaux de la RN27 sont achevés. (...)"
    # The daily pass read only the first page of each entry point.
    assert wordpress.count("/2025/11/20/mopti-la-crue-recule/") == 0
    assert listing.count("/nouvelles/p2.html") == 0


def test_backfill_walks_feed_pages_and_next_links_back_to_since(sites, tmp_path):
    wordpress, listing, config = sites
    db = f"sqlite:///{tmp_path}/backfill.db"
    result = crawl("--config", str(config), "--db", db, "--since", "2025-11-01")
    assert result.returncode == 0, result.stdout + result.stderr
    articles, _ = stored(db)
    paths = sorted(urlsplit(u).path for u in articles)
    assert paths == sorted([p[0] for p in WP_POSTS[:3]]
                           + [f"/nouvelles/{p[0]}.html" for p in LISTING_POSTS[:3]])
    mopti = articles[key(wordpress, "/2025/11/20/mopti-la-crue-recule/")]
    assert mopti.body.split("\n\n") == WP_POSTS[2][5]
    pluies = articles[key(listing, "/nouvelles/270.html")]
    assert pluies.published_at.replace(tzinfo=UTC) == day("25/11/2025")
    # WordPress's ?paged=2 was read; the article before --since was never stored.
    assert any(r.path == "/feed/?paged=2" for r in wordpress.requests)
    assert key(wordpress, "/2025/10/02/une-vieille-breve/") not in articles
    assert key(listing, "/nouvelles/190.html") not in articles
