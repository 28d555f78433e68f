"""Malijet (malijet.com): written from its documented structure; NOT recorded live.

Observed (../shared/samples/README.md, mali-feed-urls-claimed.tsv): a custom CMS; listing pages
/<category>/?page=N made of div.card items whose body lines give the source paper then the
date; article pages with h1.page_title, span.story_author, span.story_date ("Date : …"),
p.article_abstract and div#article_body; month names sometimes garbled ("ao\\ufffdt"), a Latin-1
mix-up; the www-less host.
Assumed: the category "a_la_une_du_mali", URLs /<category>/<id>-<slug>.html, the Bootstrap
card markup (p.card-text with a <br> between paper and date), span.story_author holding the
paper's name, the time after the date, the breadcrumb, div.article_image, div.article_share.
Edges: a Latin-1 page (raw 0xE9/0xE0 bytes inside a UTF-8 page, as the garbled months show), a
date whose accent the site itself stored as U+FFFD, a very short brief, and a whole copy of
L'Essor's Pafeem article (its text read from the L'Essor cassette's expected record).
"""

import html

from aggregators_common import original, ps
from common import ROOT, interaction, write

BASE = "https://malijet.com"
CAT = "a_la_une_du_mali"
PAFEEM = original("lessor", "pafeem")
LATIN1_MARK = "\x00"  # replaced by raw Latin-1 bytes once the page is encoded

ARTICLES = [
    dict(id="301842", slug="pafeem-les-agents-de-la-microfinance-formes-sur-l-outil-cameli",
         title=PAFEEM["title"], paper="L'Essor", card_date="11 décembre 2025",
         date="Date : 11 décembre 2025 à 11:02", image="pafeem.jpg",
         lead=PAFEEM["lead"], paras=PAFEEM["body"].split("\n\n") + PAFEEM["authors"]),
    # The Latin-1 page: "d\xe9cembre" and "\xe0" arrive as single bytes in a UTF-8 page.
    dict(id="301820", slug="kayes-la-route-de-diboli-enfin-praticable",
         title="Kayes : la route de Diboli enfin praticable", paper="l'Indépendant",
         card_date="10 décembre 2025", date=f"Date : 10 d{LATIN1_MARK}cembre 2025 à 16:45",
         image="diboli.jpg",
         lead="Les travaux de réhabilitation du tronçon Kayes-Diboli sont achevés, a annoncé le ministère des Transports.",
         paras=[f"Les camions en provenance du port de Dakar pourront de nouveau circuler {LATIN1_MARK} pleine charge sur cet axe vital pour l’approvisionnement du pays.",
                "Les transporteurs réclamaient ces travaux depuis plus de deux ans.",
                "Moussa DIARRA"]),
    # A very short brief, no author, no chapeau.
    dict(id="301851", slug="football-les-aigles-convoques-pour-un-stage-a-bamako",
         title="Football : les Aigles convoqués pour un stage à Bamako", paper="Info Matin",
         card_date="11 décembre 2025", date="Date : 11 décembre 2025 à 14:20", image="aigles.jpg",
         lead=None, paras=["Vingt-six joueurs sont convoqués du 15 au 22 décembre au stade du 26 Mars."]),
    # Page 2: the month's accent stored by the site as U+FFFD.
    dict(id="301533", slug="segou-les-riziculteurs-attendent-les-engrais",
         title="Ségou : les riziculteurs attendent les engrais", paper="Le Républicain",
         card_date="5 d\ufffdcembre 2025", date="Date : 5 d\ufffdcembre 2025 à 09:00",
         image="riz.jpg", lead=None,
         paras=["Dans la zone Office du Niger, les riziculteurs attendent toujours la livraison des engrais subventionnés pour la contre-saison.",
                "Les responsables de l’Office assurent que les premiers camions arriveront avant la fin du mois."]),
]
OLD = dict(id="300977", slug="mopti-le-pont-de-la-digue-rouvert", title="Mopti : le pont de la digue rouvert",
           paper="L'Essor", card_date="20 novembre 2025", image="pont.jpg")


def url_of(a):
    return f"{BASE}/{CAT}/{a['id']}-{a['slug']}.html"


def article_page(a):
    lead = f'<p class="article_abstract">{html.escape(a["lead"], quote=False)}</p>' if a["lead"] else ""
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{html.escape(a['title'], quote=False)} - Malijet</title>
<meta property="og:title" content="{html.escape(a['title'])}">
<meta property="og:image" content="{BASE}/images/articles/{a['image']}">
</head>
<body>
<nav class="navbar"><a class="navbar-brand" href="/">Malijet</a><a href="/{CAT}/">A la une</a> <a href="/actualite_politique_au_mali/">Politique</a></nav>
<div class="container">
<ol class="breadcrumb"><li><a href="/">Accueil</a></li><li><a href="/{CAT}/">A la une</a></li></ol>
<h1 class="page_title">{html.escape(a['title'], quote=False)}</h1>
<div class="story_meta"><span class="story_author">{html.escape(a['paper'], quote=False)}</span> | <span class="story_date">{a['date']}</span></div>
<div class="article_image"><img src="/images/articles/{a['image']}" alt=""></div>
{lead}
<div id="article_body">
{ps(a['paras'])}
</div>
<div class="article_share">Partager : <a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">WhatsApp</a></div>
<div class="related_articles"><h4>Sur le même sujet</h4><ul><li><a href="/{CAT}/300001-autre.html">Un autre article</a></li></ul></div>
</div>
<footer>© 2025 Malijet - Tous droits réservés</footer>
</body>
</html>"""


def card(a):
    return f"""<div class="card mb-3">
<a href="/{CAT}/{a['id']}-{a['slug']}.html"><img class="card-img-top" src="/images/articles/{a['image']}" alt=""></a>
<div class="card-body">
<h5 class="card-title"><a href="/{CAT}/{a['id']}-{a['slug']}.html">{html.escape(a['title'], quote=False)}</a></h5>
<p class="card-text">{html.escape(a['paper'], quote=False)}<br>{a['card_date']}</p>
</div>
</div>"""


def listing(cards, page_no):
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>A la une du Mali - Malijet</title></head>
<body><nav class="navbar"><a class="navbar-brand" href="/">Malijet</a></nav>
<div class="container"><h1 class="page_title">A la une du Mali</h1>
<div class="row">
{chr(10).join(card(a) for a in cards)}
</div>
<ul class="pagination"><li class="page-item"><a class="page-link" rel="next" href="/{CAT}/?page={page_no + 1}">Suivant</a></li></ul>
</div></body></html>"""


def encoded(page: str) -> bytes:
    """UTF-8, except the marked letters, which go out as single Latin-1 bytes (é, à)."""
    parts = page.split(LATIN1_MARK)
    raw = parts[0].encode("utf-8")
    for letter, part in zip("éà", parts[1:], strict=False):
        raw += letter.encode("latin-1") + part.encode("utf-8")
    return raw


J1, J2, J3, J4 = ARTICLES
inter = [
    interaction(f"{BASE}/robots.txt", "User-agent: *\nDisallow: /admin/\n", "text/plain"),
    interaction(f"{BASE}/{CAT}/", listing([J3, J1, J2], 1)),
    interaction(f"{BASE}/{CAT}/?page=2", listing([J4], 2)),
    interaction(f"{BASE}/{CAT}/?page=3", listing([OLD], 3)),
]
for a in ARTICLES:
    page = article_page(a)
    inter.append(interaction(url_of(a), encoded(page) if LATIN1_MARK in page else page))
(ROOT / "cassettes/malijet").mkdir(exist_ok=True)
write(ROOT / "cassettes/malijet/malijet.yaml", inter)
print("ok", len(inter))
