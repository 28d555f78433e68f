import json
import zlib
from datetime import datetime
from email.utils import format_datetime

from common import ROOT, interaction, write

BASE = "https://www.journaldumali.com"

ARTS = [
 dict(slug="2025/12/11/bamako-la-saison-des-pluies-2025-a-depasse-les-previsions/",
      title="Bamako : la saison des pluies 2025 a dépassé les prévisions",
      date="2025-12-11T10:20:00+00:00", modified="2025-12-11T14:05:12+00:00",
      author="Boubacar Diallo", section="Société", tags=["Climat", "Bamako", "Agriculture"],
      image="/wp-content/uploads/2025/12/pluies-bamako.jpg",
      paras=["Selon le bilan de l’Agence nationale de la météorologie, le cumul des pluies enregistré à Bamako entre juin et octobre 2025 dépasse de 18 % la moyenne des trente dernières années.",
             "Les agriculteurs de la zone périurbaine saluent une campagne favorable, même si plusieurs quartiers riverains du fleuve ont subi des inondations en août.",
             "LIRE AUSSI : Campagne agricole : les engrais subventionnés arrivent dans les cercles",
             "Les services techniques recommandent de curer les caniveaux avant la prochaine saison afin de limiter les dégâts."],
      lire_aussi=True, author_in_ld=True),
 dict(slug="2025/12/10/coupe-du-mali-le-djoliba-file-en-demi-finale/",
      title="Coupe du Mali : le Djoliba file en demi-finale",
      date="2025-12-10T21:45:00+00:00", modified=None, author=None, section="Sport", tags=["Football"],
      image="/wp-content/uploads/2025/12/djoliba.jpg",
      paras=["Le Djoliba AC s’est qualifié mardi soir pour les demi-finales de la Coupe du Mali en battant l’AS Bakaridjan (2-0) au stade Modibo Kéïta.",
             "Les Rouges affronteront le vainqueur du match entre le Stade malien et l’AS Real."],
      lire_aussi=False, author_in_ld=False),
 dict(slug="2025/12/03/economie-le-prix-du-coton-graine-fixe-pour-la-campagne-2026/",
      title="Économie : le prix du coton graine fixé pour la campagne 2026",
      date="2025-12-03T08:00:00+00:00", modified=None, author="Aminata Keïta", section="Economie",
      tags=["Coton", "CMDT"], image="/wp-content/uploads/2025/12/coton.jpg",
      paras=["Le prix d’achat du coton graine aux producteurs est maintenu à 300 francs CFA le kilogramme pour la campagne 2026, a annoncé la Compagnie malienne pour le développement des textiles.",
             "Les producteurs demandaient une hausse pour compenser le coût des intrants.",
             "La filière fait vivre plusieurs millions de personnes dans le sud du pays."],
      lire_aussi=False, author_in_ld=True),
]
# A very short brief with no author, on feed page 2.
OLD_ITEM = dict(slug="2025/11/20/mopti-reouverture-du-marche-de-betail/",
                title="Mopti : réouverture du marché de bétail",
                date="2025-11-20T09:00:00+00:00", modified=None, author=None, section="Economie",
                tags=[], image="/wp-content/uploads/2025/11/mopti-betail.jpg",
                paras=["Le marché de bétail de Mopti a rouvert ses portes après trois semaines de travaux."],
                lire_aussi=False, author_in_ld=False)

def article_html(a):
    url = f"{BASE}/{a['slug']}"
    graph = [{"@type": "NewsArticle", "@id": url + "#article", "headline": a["title"],
              "datePublished": a["date"], "mainEntityOfPage": url,
              "articleSection": [a["section"]], "keywords": a["tags"],
              "image": {"@type": "ImageObject", "url": BASE + a["image"]},
              "publisher": {"@type": "Organization", "name": "Journal du Mali"}}]
    if a["modified"]:
        graph[0]["dateModified"] = a["modified"]
    if a["author_in_ld"]:
        graph[0]["author"] = {"@type": "Person", "name": a["author"]}
    graph.append({"@type": "WebPage", "@id": url, "url": url, "name": a["title"] + " - Journal du Mali"})
    ld = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False)
    paras = []
    for p in a["paras"]:
        if p.startswith("LIRE AUSSI"):
            paras.append(f'<p><strong><a href="{BASE}/2025/12/01/campagne-agricole-les-engrais-subventionnes-arrivent/">{p}</a></strong></p>')
        else:
            paras.append(f"<p>{p}</p>")
    body = "\n".join(paras)
    tags = " ".join(f'<a href="{BASE}/tag/{t.lower()}/" rel="tag">{t}</a>' for t in a["tags"])
    author_line = (f'<span class="author vcard"><a class="url fn n" href="{BASE}/author/x/">{a["author"]}</a></span>'
                   if a["author"] else "")
    metas = "".join(f'<meta property="article:tag" content="{t}" />\n' for t in a["tags"])
    mod = f'<meta property="article:modified_time" content="{a["modified"]}" />\n' if a["modified"] else ""
    return f"""<!DOCTYPE html>
<html lang="fr-FR">
<head>
<meta charset="UTF-8">
<title>{a['title']} - Journal du Mali</title>
<link rel="canonical" href="{url}" />
<meta property="og:locale" content="fr_FR" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{a['title']} - Journal du Mali" />
<meta property="og:description" content="{a['paras'][0][:150]}&hellip;" />
<meta property="og:url" content="{url}" />
<meta property="og:site_name" content="Journal du Mali" />
<meta property="article:section" content="{a['section']}" />
{metas}<meta property="article:published_time" content="{a['date']}" />
{mod}<meta property="og:image" content="{BASE}{a['image']}" />
<script type="application/ld+json" class="yoast-schema-graph">{ld}</script>
</head>
<body class="post-template-default single single-post">
<div id="page" class="site">
<header id="masthead" class="site-header"><nav class="main-navigation"><ul><li><a href="{BASE}/category/politique/">Politique</a></li><li><a href="{BASE}/category/economie/">Économie</a></li></ul></nav></header>
<div id="content" class="site-content">
<article id="post-1" class="post type-post status-publish format-standard has-post-thumbnail">
<header class="entry-header">
<span class="cat-links"><a href="{BASE}/category/{a['section'].lower()}/" rel="category tag">{a['section']}</a></span>
<h1 class="entry-title">{a['title']}</h1>
<div class="entry-meta"><span class="posted-on"><time class="entry-date published" datetime="{a['date']}">{a['date'][:10]}</time></span> {author_line}</div>
</header>
<div class="post-thumbnail"><img src="{BASE}{a['image']}" alt="" /></div>
<div class="entry-content">
{body}
<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social"><h3 class="sd-title">Partager :</h3><ul><li><a class="share-facebook" href="#">Facebook</a></li><li><a class="share-whatsapp" href="#">WhatsApp</a></li></ul></div></div>
</div>
<footer class="entry-footer"><span class="tags-links">{tags}</span></footer>
</article>
<aside id="secondary" class="widget-area"><section class="widget"><h2>Articles récents</h2><ul><li><a href="{BASE}/2025/12/09/autre-article/">Un autre article</a></li></ul></section></aside>
</div>
<footer id="colophon" class="site-footer"><p>© 2025 Journal du Mali. Tous droits réservés.</p></footer>
</div>
</body>
</html>"""



def rfc(iso):
    return format_datetime(datetime.fromisoformat(iso))

def feed(items, page):
    entries = []
    for a in items:
        url = f"{BASE}/{a['slug']}"
        summary = a["paras"][0][:160].rsplit(" ", 1)[0] + " [&#8230;]"
        creator = a.get("author") or "Journal du Mali"
        entries.append(f"""	<item>
		<title>{a['title']}</title>
		<link>{url}</link>
		<dc:creator><![CDATA[{creator}]]></dc:creator>
		<pubDate>{rfc(a['date'])}</pubDate>
		<category><![CDATA[{a.get('section', 'Actualité')}]]></category>
		<guid isPermaLink="false">{BASE}/?p={zlib.crc32(url.encode()) % 100000}</guid>
		<description><![CDATA[{summary}]]></description>
	</item>""")
    items_xml = "\n".join(entries)
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel>
	<title>Journal du Mali</title>
	<atom:link href="{BASE}/feed/" rel="self" type="application/rss+xml" />
	<link>{BASE}</link>
	<description>L&#039;actualité du Mali</description>
	<lastBuildDate>Thu, 11 Dec 2025 14:05:12 +0000</lastBuildDate>
	<language>fr-FR</language>
	<sy:updatePeriod>hourly</sy:updatePeriod>
	<generator>https://wordpress.org/?v=6.8.3</generator>
{items_xml}
</channel>
</rss>"""

NOT_FOUND = "<!DOCTYPE html><html lang=\"fr-FR\"><head><title>Page non trouvée - Journal du Mali</title></head><body><h1>Oups ! Cette page est introuvable.</h1></body></html>"
ROBOTS = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\nSitemap: https://www.journaldumali.com/sitemap_index.xml\n"
inter = [interaction(f"{BASE}/robots.txt", ROBOTS, "text/plain; charset=utf-8"),
         interaction(f"{BASE}/feed/", feed(ARTS[:2], 1), "application/rss+xml; charset=UTF-8",
                     headers={"ETag": '"8c1f-jdm-feed-1"', "Last-Modified": "Thu, 11 Dec 2025 14:05:12 GMT"}),
         interaction(f"{BASE}/feed/?paged=2", feed([ARTS[2], OLD_ITEM], 2), "application/rss+xml; charset=UTF-8"),
         interaction(f"{BASE}/feed/?paged=3", NOT_FOUND, status=404),
         ]
for a in [*ARTS, OLD_ITEM]:
    inter.append(interaction(f"{BASE}/{a['slug']}", article_html(a)))
(ROOT / "cassettes/journaldumali").mkdir(exist_ok=True)
write(ROOT / "cassettes/journaldumali/journaldumali.yaml", inter)
print("ok", len(inter))
