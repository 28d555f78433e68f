"""Maliweb (maliweb.net): written from its documented structure; NOT recorded live.

Observed (../shared/samples/README.md, mali-feed-urls-claimed.tsv): WordPress with the Newspaper
theme (td-post-content, h3.entry-title, time.entry-date, .page-nav); categories at
/category/<cat>/page/N; articles at /<cat>/<slug>-<id>.html; the author field is the source paper
(/author/InfoMatin/); dates displayed like "29 Sep 2025 - 10:32"; /rss/latest-posts is the feed
two independent projects use (its /feed was reported to answer HTML, so it is not used).
Assumed: the rest of the Newspaper markup (td-post-author-name, td-category, td-tags,
td-excerpt, td-post-featured-image, td_block_related_posts), a time.entry-date without a
datetime attribute on article pages (the displayed form is read) but with one on listing cards,
/rss/latest-posts being RSS 2.0, and the article ids. The texts of the copies of L'Essor and
Journal du Mali are those of their cassettes; the others are invented.
"""

import html

from aggregators_common import original, paragraphs_of, ps, rfc
from common import ROOT, interaction, write

BASE = "https://www.maliweb.net"

A1 = original("lessor", "mali-russie")
COTON = original("journaldumali", "economie-le-prix-du-coton")

ARTICLES = [
    # A whole copy of L'Essor's article; the author field "Lessor" names the paper.
    dict(path="politique/mali-russie-les-deux-delegations-passent-en-revue-la-cooperation-bilaterale-3138211.html",
         title=A1["title"], paper=("lessor", "Lessor"), shown="10 Dec 2025 - 19:15",
         iso="2025-12-10T19:15:00+00:00", section="Politique", tags=["Russie", "Coopération"],
         image="2025/12/diop-camara.jpg", paras=paragraphs_of(A1) + ["Aboubacar TRAORE"]),
    # Info-Matin, named "InfoMatin" by its author page; byline at the bottom; related block.
    dict(path="politique/loi-de-finances-2026-le-cnt-adopte-un-budget-en-hausse-de-6-3138240.html",
         title="Loi de finances 2026 : le CNT adopte un budget en hausse de 6 %",
         paper=("InfoMatin", "InfoMatin"), shown="11 Dec 2025 - 08:05",
         iso="2025-12-11T08:05:00+00:00", section="Politique", tags=["CNT", "Budget"],
         image="2025/12/cnt-budget.jpg",
         paras=["Le Conseil national de Transition a adopté mardi, à une large majorité, le projet de loi de finances pour l’exercice 2026, arrêté en recettes et en dépenses à plus de 3 000 milliards de francs CFA.",
                "Selon le rapport de la commission des finances, la hausse profite d’abord aux secteurs de la défense, de l’éducation et de la santé.",
                "Le ministre de l’Economie et des Finances a salué « un budget de souveraineté » et promis un effort sur le recouvrement des recettes intérieures.",
                "Boubacar PAÏTAO"],
         related=True),
    # Le Républicain, not a configured source: its name stays as given. No byline.
    dict(path="economie/energie-edm-sa-annonce-un-plan-contre-les-delestages-3138262.html",
         title="Énergie : EDM-SA annonce un plan contre les délestages",
         paper=("LeRepublicain", "Le Républicain"), shown="11 Dec 2025 - 10:40",
         iso="2025-12-11T10:40:00+00:00", section="Economie", tags=["EDM-SA", "Électricité"],
         image="2025/12/edm.jpg",
         paras=["La société Energie du Mali (EDM-SA) a présenté lundi un plan de réduction des délestages qui prévoit la remise en service de deux centrales thermiques d’ici la fin du premier trimestre 2026.",
                "Le directeur général a reconnu des coupures de plus de douze heures par jour dans certains quartiers de Bamako au mois de novembre."]),
    # Journal du Mali's coton article, trimmed to its first two paragraphs (backfill page 2).
    dict(path="economie/economie-le-prix-du-coton-graine-fixe-pour-la-campagne-2026-3137905.html",
         title=COTON["title"], paper=("journaldumali", "Journal du Mali"), shown="4 Dec 2025 - 09:30",
         iso="2025-12-04T09:30:00+00:00", section="Economie", tags=["Coton"],
         image="2025/12/coton.jpg", paras=paragraphs_of(COTON)[:2]),
]
OLD = dict(path="economie/bourse-du-travail-les-syndicats-reclament-un-dialogue-3130001.html",
           title="Bourse du travail : les syndicats réclament un dialogue", paper=("LeRepublicain", "Le Républicain"),
           shown="20 Nov 2025 - 11:00", iso="2025-11-20T11:00:00+00:00", section="Economie",
           image="2025/11/syndicats.jpg",
           paras=["Les centrales syndicales ont demandé l’ouverture d’un dialogue social sur les salaires."])

RELATED = """<div class="td_block_wrap td_block_related_posts"><h4 class="td-related-title"><span>ARTICLES SIMILAIRES</span></h4>
<div class="td_module_related_posts"><h3 class="entry-title td-module-title"><a href="https://www.maliweb.net/politique/budget-2025-execution-3120001.html">Budget 2025 : le taux d’exécution à 78 %</a></h3></div></div>"""


def article_page(a):
    url = f"{BASE}/{a['path']}"
    slug, name = a["paper"]
    tags = "".join(f'<li><a href="{BASE}/tag/{t.lower()}/">{t}</a></li>' for t in a["tags"])
    return f"""<!DOCTYPE html>
<html lang="fr-FR">
<head>
<meta charset="UTF-8" />
<title>{html.escape(a['title'])} | maliweb.net</title>
<link rel="canonical" href="{url}" />
<meta property="og:title" content="{html.escape(a['title'])} | maliweb.net" />
<meta property="og:image" content="{BASE}/wp-content/uploads/{a['image']}" />
</head>
<body class="post-template-default single single-post td-standard-pack">
<div class="td-header-wrap"><div class="td-header-menu-wrap"><ul class="sf-menu"><li><a href="{BASE}/category/politique/">Politique</a></li><li><a href="{BASE}/category/economie/">Économie</a></li></ul></div></div>
<div class="td-main-content-wrap td-container-wrap">
<article class="post type-post status-publish">
<div class="td-post-header">
<ul class="td-category"><li class="entry-category"><a href="{BASE}/category/{a['section'].lower()}/">{a['section']}</a></li></ul>
<header class="td-post-title">
<h1 class="entry-title">{html.escape(a['title'], quote=False)}</h1>
<div class="td-module-meta-info">
<div class="td-post-author-name"><div class="td-author-by">Par</div> <a href="{BASE}/author/{slug}/">{name}</a><div class="td-author-line"> - </div></div>
<span class="td-post-date"><time class="entry-date updated td-module-date">{a['shown']}</time></span>
</div>
</header>
</div>
<div class="td-post-sharing-top"><div class="td-post-sharing td-ps-bg td-post-sharing-style1"><a class="td-social-sharing-button td-social-facebook" href="#"><span>Facebook</span></a><a class="td-social-sharing-button td-social-whatsapp" href="#"><span>WhatsApp</span></a></div></div>
<div class="td-post-content tagdiv-type">
<div class="td-post-featured-image"><a href="{BASE}/wp-content/uploads/{a['image']}"><img class="entry-thumb" src="{BASE}/wp-content/uploads/{a['image']}" alt="" /></a></div>
{ps(a['paras'])}
</div>
<footer><div class="td-post-source-tags"><ul class="td-tags td-post-small-box clearfix"><li><span>TAGS</span></li>{tags}</ul></div></footer>
</article>
{RELATED if a.get('related') else ''}
</div>
<div class="td-footer-wrap"><p>© maliweb.net - Tous droits réservés</p></div>
</body>
</html>"""


def excerpt(a):
    words = " ".join(a["paras"]).split()
    return " ".join(words[:25]) + "..."


def card(a):
    url = f"{BASE}/{a['path']}"
    slug, name = a["paper"]
    return f"""<div class="td_module_10 td_module_wrap td-animation-stack">
<div class="td-module-thumb"><a href="{url}" rel="bookmark" class="td-image-wrap" title="{html.escape(a['title'])}"><img src="{BASE}/wp-content/uploads/{a['image']}" alt="" /></a></div>
<div class="item-details">
<h3 class="entry-title td-module-title"><a href="{url}" rel="bookmark" title="{html.escape(a['title'])}">{html.escape(a['title'], quote=False)}</a></h3>
<div class="td-module-meta-info"><span class="td-post-author-name"><a href="{BASE}/author/{slug}/">{name}</a> <span>-</span> </span><span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{a['iso']}">{a['shown'][:11]}</time></span></div>
<div class="td-excerpt">{html.escape(excerpt(a), quote=False)}</div>
</div>
</div>"""


def listing(cards, page_no, last):
    nav = f'<span class="current">{page_no}</span>'
    if not last:
        nav += (f'<a href="{BASE}/category/economie/page/{page_no + 1}/" class="page" title="{page_no + 1}">{page_no + 1}</a>'
                f'<a href="{BASE}/category/economie/page/{page_no + 1}/"><i class="td-icon-menu-right"></i></a>')
    return f"""<!DOCTYPE html>
<html lang="fr-FR"><head><meta charset="UTF-8" /><title>Economie Archives | maliweb.net</title></head>
<body class="archive category td-standard-pack">
<div class="td-main-content-wrap"><div class="td-category-header"><h1 class="entry-title td-page-title">Economie</h1></div>
<div class="td-ss-main-content">
{chr(10).join(card(a) for a in cards)}
<div class="page-nav td-pb-padding-side">{nav}</div>
</div></div>
</body></html>"""


def feed(items):
    entries = "\n".join(f"""<item>
<title>{html.escape(a['title'], quote=False)}</title>
<link>{BASE}/{a['path']}</link>
<pubDate>{rfc(a['iso'])}</pubDate>
<description><![CDATA[{excerpt(a)}]]></description>
</item>""" for a in items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>maliweb.net - Derniers articles</title>
<link>{BASE}</link>
<description>L'actualité du Mali</description>
{entries}
</channel></rss>"""


ROBOTS = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"
M1, M2, M3, M4 = ARTICLES
inter = [
    interaction(f"{BASE}/robots.txt", ROBOTS, "text/plain; charset=utf-8"),
    interaction(f"{BASE}/rss/latest-posts", feed([M2, M1]), "application/rss+xml; charset=UTF-8"),
    interaction(f"{BASE}/category/economie/", listing([M3], 1, False)),
    interaction(f"{BASE}/category/economie/page/2/", listing([M4], 2, False)),
    interaction(f"{BASE}/category/economie/page/3/", listing([OLD], 3, True)),
    # What /feed answers (reported): an HTML page. Not an entry point; `crawl sources check`
    # on a copy of the source that uses it shows the error.
    interaction(f"{BASE}/feed", listing([M3], 1, True)),
]
for a in ARTICLES:
    inter.append(interaction(f"{BASE}/{a['path']}", article_page(a)))
(ROOT / "cassettes/maliweb").mkdir(exist_ok=True)
write(ROOT / "cassettes/maliweb/maliweb.yaml", inter)
print("ok", len(inter))
