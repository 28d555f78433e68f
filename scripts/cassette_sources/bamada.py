"""Bamada (bamada.net): written from its documented structure; NOT recorded live.

Observed (../shared/samples/README.md, mali-feed-urls-claimed.tsv): WordPress; republishes with
"Source : l'Indépendant" and sometimes only a teaser plus "Lire la suite dans l'Indépendant";
its feed at /feed, whose items end "The post … appeared first on Bamada.net" (seen where another
site re-syndicated it).
Assumed: WordPress's standard markup (Yoast JSON-LD whose author is the site, entry-content,
sharedaddy), ?paged=N feed pages (page 3 answers 404 here), the "Source :" line being the last
paragraph, the article slugs and texts (invented, but for the copy of Journal du Mali's rain
article, whose text is read from that cassette's expected record).
Edges: a partial copy (a teaser of L'Indépendant's article, stored as a teaser), a byline above
the source line, a paper not configured as a source ("Aujourd'hui-Mali").
"""

from aggregators_common import (
    NOT_FOUND,
    WP_ROBOTS,
    original,
    paragraphs_of,
    ps,
    wp_article,
    wp_feed,
)
from common import ROOT, interaction, write

BASE = "https://bamada.net"
SITE = "Bamada.net"
PLUIES = original("journaldumali", "bamako-la-saison-des-pluies")

ARTICLES = [
    dict(slug="bamako-la-saison-des-pluies-2025-a-depasse-les-previsions", title=PLUIES["title"],
         date="2025-12-11T16:30:00+00:00", section="Societe", image="/wp-content/uploads/2025/12/pluies.jpg",
         paras=paragraphs_of(PLUIES) + ["Source : Journal du Mali"]),
    # A teaser only: the rest is in the paper's print edition.
    dict(slug="assemblee-des-chambres-consulaires-le-budget-2026-en-debat", title="Chambres consulaires : le budget 2026 en débat",
         date="2025-12-11T12:00:00+00:00", section="Economie", image="/wp-content/uploads/2025/12/consulaires.jpg",
         paras=["L’assemblée générale des chambres consulaires s’est ouverte hier à Bamako avec, au menu, l’examen du budget 2026 et le bilan des réformes engagées depuis deux ans…",
                "Lire la suite dans l’Indépendant"]),
    dict(slug="sikasso-la-campagne-de-commercialisation-de-la-mangue-lancee", title="Sikasso : la campagne de commercialisation de la mangue lancée",
         date="2025-12-10T09:15:00+00:00", section="Economie", image="/wp-content/uploads/2025/12/mangues.jpg",
         paras=["Le gouverneur de la région de Sikasso a lancé lundi la campagne de commercialisation de la mangue 2025-2026.",
                "Les exportateurs espèrent dépasser les 60 000 tonnes de l’an dernier grâce à la nouvelle station de conditionnement de Loulouni.",
                "Seydou KONÉ",
                "Source : l’Indépendant"]),
    # Feed page 2.
    dict(slug="education-les-enseignants-du-fondamental-en-formation", title="Education : les enseignants du fondamental en formation",
         date="2025-12-03T10:00:00+00:00", section="Education", image="/wp-content/uploads/2025/12/enseignants.jpg",
         paras=["Quelque 800 enseignants du fondamental suivent depuis lundi une formation sur les nouveaux programmes de lecture.",
                "La formation se tient dans les académies de Bamako rive gauche et rive droite.",
                "Source : Aujourd’hui-Mali"]),
]
OLD = dict(slug="kati-inauguration-du-nouveau-marche", title="Kati : inauguration du nouveau marché",
           date="2025-11-20T08:00:00+00:00", section="Societe", image="/wp-content/uploads/2025/11/kati.jpg",
           paras=["Le nouveau marché de Kati a été inauguré hier."])

for a in ARTICLES + [OLD]:
    a["excerpt"] = " ".join(a["paras"])
    a["content"] = ps(a["paras"])
    a["wp_author"] = "Bamada"  # WordPress's author is the site's account, not a journalist

D1, D2, D3, D4 = ARTICLES
FEED = f"{BASE}/feed"
inter = [
    interaction(f"{BASE}/robots.txt", WP_ROBOTS, "text/plain; charset=utf-8"),
    interaction(FEED, wp_feed(BASE, SITE, FEED, [D1, D2, D3], footer=True),
                "application/rss+xml; charset=UTF-8"),
    interaction(f"{FEED}?paged=2", wp_feed(BASE, SITE, FEED, [D4, OLD], footer=True),
                "application/rss+xml; charset=UTF-8"),
    interaction(f"{FEED}?paged=3", NOT_FOUND, status=404),
]
for a in ARTICLES:
    inter.append(interaction(f"{BASE}/{a['slug']}", wp_article(BASE, SITE, a)))
(ROOT / "cassettes/bamada").mkdir(exist_ok=True)
write(ROOT / "cassettes/bamada/bamada.yaml", inter)
print("ok", len(inter))
