"""aBamako (news.abamako.com): written from its documented structure; NOT recorded live.

Observed (../shared/samples/README.md): a custom CMS; articles at /h/<id>.html; the text in
span.FullArticleTexte; the source line div.FontArticleSource "Publié le lundi 1 novembre 2021 |
Le 22 Septembre" (the paper after the bar); partial texts ending "… suite de l'article sur …".
Assumed: the home page as the listing and /?page=N as its pagination (page 3 answers 404 here),
the listing markup (div.ListeArticle with a p.FontArticleChapeau teaser), h1.FontArticleTitre,
div.FullArticleImage, div.FontArticleRubrique, paragraphs separated by <br /><br /> inside the
span, the "suite" text being a link to the original, the article ids.
Edges: a partial text (a teaser of Le 22 Septembre's article, not an article), a whole copy of
Journal du Mali's coton article (its text read from that cassette's expected record), a paper
spelt "Info Matin", a byline at the bottom.
"""

import html

from aggregators_common import NOT_FOUND, original, paragraphs_of
from common import ROOT, interaction, write

BASE = "https://news.abamako.com"
COTON = original("journaldumali", "economie-le-prix-du-coton")
ORIGINAL_22 = "https://www.22septembre.net/transition-les-partis-politiques-face-a-la-nouvelle-charte/"

ARTICLES = [
    dict(id="318204", title="Transition : les partis politiques face à la nouvelle charte",
         line="Publié le jeudi 11 décembre 2025 | Le 22 Septembre", section="Politique",
         image="charte.jpg",
         paras=["La nouvelle charte des partis politiques, adoptée en conseil des ministres, durcit les conditions de création et de financement des formations politiques.",
                "Plusieurs responsables de partis dénoncent un texte rédigé sans concertation et annoncent des recours."],
         partial=ORIGINAL_22,
         chapeau="La nouvelle charte des partis politiques, adoptée en conseil des ministres, durcit les conditions…"),
    dict(id="318211", title="Santé : la campagne de vaccination contre la rougeole prolongée",
         line="Publié le jeudi 11 décembre 2025 | Info Matin", section="Santé", image="rougeole.jpg",
         paras=["Le ministère de la Santé et du Développement social a prolongé d’une semaine la campagne de vaccination contre la rougeole dans les régions de Ségou et de Mopti.",
                "Plus de 1,2 million d’enfants de 9 mois à 14 ans sont visés par cette campagne.",
                "Aminata TRAORÉ"],
         chapeau="Le ministère de la Santé et du Développement social a prolongé d’une semaine la campagne de vaccination…"),
    dict(id="318150", title="Tombouctou : les manuscrits anciens numérisés",
         line="Publié le mardi 9 décembre 2025 | Studio Tamani", section="Culture", image="manuscrits.jpg",
         paras=["Près de 4 000 manuscrits anciens de Tombouctou ont été numérisés depuis le début de l’année, selon l’Institut des hautes études et de recherches islamiques Ahmed Baba.",
                "Les copies numériques seront accessibles aux chercheurs à partir de 2026."],
         chapeau="Près de 4 000 manuscrits anciens de Tombouctou ont été numérisés depuis le début de l’année…"),
    # Page 2: Journal du Mali's coton article, whole.
    dict(id="317795", title=COTON["title"],
         line="Publié le jeudi 4 décembre 2025 | Journal du Mali", section="Economie", image="coton.jpg",
         paras=paragraphs_of(COTON),
         chapeau=paragraphs_of(COTON)[0][:100].rsplit(" ", 1)[0] + "…"),
]


def texte(a):
    parts = [html.escape(p, quote=False) for p in a["paras"]]
    if a.get("partial"):
        parts.append(f'… <a href="{a["partial"]}" target="_blank">suite de l\'article sur Le 22 Septembre</a>')
    return "<br /><br />\n".join(parts)


def article_page(a):
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{html.escape(a['title'], quote=False)} - aBamako.com</title>
<meta property="og:title" content="{html.escape(a['title'])}" />
<meta property="og:image" content="{BASE}/photos/{a['image']}" />
</head>
<body>
<div id="header"><a href="{BASE}/">aBamako.com</a> <a href="{BASE}/r/politique/">Politique</a></div>
<div id="content">
<div class="FontArticleRubrique"><a href="{BASE}/r/{a['section'].lower()}/">{a['section']}</a></div>
<h1 class="FontArticleTitre">{html.escape(a['title'], quote=False)}</h1>
<div class="FontArticleSource">{a['line']}</div>
<div class="FullArticleImage"><img src="/photos/{a['image']}" alt="" /></div>
<span class="FullArticleTexte">{texte(a)}</span>
<div class="FontArticleShare">Partager : <a href="#">Facebook</a> <a href="#">Twitter</a></div>
</div>
<div id="footer">© aBamako.com 2025</div>
</body>
</html>"""


def listing(items):
    rows = "\n".join(f"""<div class="ListeArticle">
<a class="FontArticleTitreListe" href="{BASE}/h/{a['id']}.html">{html.escape(a['title'], quote=False)}</a>
<p class="FontArticleChapeau">{html.escape(a['chapeau'], quote=False)}</p>
<span class="FontArticleSourceListe">{a['line'].rpartition('|')[2].strip()}</span>
</div>""" for a in items)
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" /><title>aBamako.com : Toute l'actualité du Mali</title></head>
<body><div id="header"><a href="{BASE}/">aBamako.com</a></div>
<div id="content">
{rows}
</div></body></html>"""


B1, B2, B3, B4 = ARTICLES
inter = [
    interaction(f"{BASE}/robots.txt", "User-agent: *\nDisallow: /admin/\n", "text/plain"),
    interaction(f"{BASE}/", listing([B2, B1, B3])),
    interaction(f"{BASE}/?page=2", listing([B4])),
    interaction(f"{BASE}/?page=3", NOT_FOUND, status=404),
]
for a in ARTICLES:
    inter.append(interaction(f"{BASE}/h/{a['id']}.html", article_page(a)))
(ROOT / "cassettes/abamako").mkdir(exist_ok=True)
write(ROOT / "cassettes/abamako/abamako.yaml", inter)
print("ok", len(inter))
