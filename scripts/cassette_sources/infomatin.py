"""Info-Matin (info-matin.ml), a Bamako daily. NOT recorded live.

Observed (../shared/samples/): WordPress-like; feed at https://info-matin.ml/feed/ claimed by
public code (not verified); Maliweb files its copies under the author "InfoMatin". ASSUMED: the
bare host, tagDiv's Newspaper theme (`td-post-content`, the chapeau in `td-post-sub-title`,
`td-post-sharing`), Yoast JSON-LD, unsigned briefs filed under the WordPress account
"Info-Matin", `/YYYY/MM/DD/slug/` permalinks. The texts are invented.
"""

from common import interaction
from wp_originals import NOT_FOUND, article_page, feed_pages, paragraphs, write_cassette

BASE = "https://info-matin.ml"
SITE = "Info-Matin"

BUDGET = dict(
    id=66120, path="2025/12/11/loi-de-finances-2026-les-deputes-du-cnt-adoptent-le-budget/",
    title="Loi de finances 2026 : les membres du CNT adoptent le budget",
    date="2025-12-11T08:10:00+00:00", modified="2025-12-11T09:00:00+00:00",
    author="Bakary SOGODOGO", section="Politique", tags=["Budget", "CNT", "Loi de finances"],
    image="/wp-content/uploads/2025/12/cnt-budget.jpg",
    lead="Le Conseil national de Transition a adopté mardi le projet de loi de finances pour l’exercice 2026, arrêté en recettes et en dépenses à plus de 3.000 milliards de francs CFA.",
    content=paragraphs(
        "Le vote est intervenu au terme de trois jours de débats en plénière, en présence du ministre de l’Économie et des Finances.",
        "Les secteurs de la défense, de l’éducation et de la santé concentrent plus de la moitié des crédits.",
        "LIRE AUSSI : Dette intérieure : l’État lève 150 milliards sur le marché régional",
        "Les membres du CNT ont recommandé un meilleur suivi de l’exécution des dépenses d’investissement."))
# A very short, unsigned brief filed under the paper's own WordPress account.
DELESTAGES = dict(
    id=66101, path="2025/12/10/energie-fin-des-delestages-annoncee-a-kayes/",
    title="Énergie : fin des délestages annoncée à Kayes", date="2025-12-10T19:30:00+00:00",
    author=None, wp_account="Info-Matin", section="Économie", tags=["EDM-SA"],
    image="/wp-content/uploads/2025/12/edm-kayes.jpg",
    content=paragraphs("EDM-SA annonce la fin des délestages à Kayes à partir de lundi, après la mise en service d’une nouvelle centrale solaire."))
COTON = dict(
    id=65840, path="2025/11/21/cmdt-le-coton-graine-paye-aux-producteurs-avant-fin-decembre/",
    title="CMDT : le coton graine payé aux producteurs avant fin décembre",
    date="2025-11-21T07:45:00+00:00", author="Sikou BAH", section="Économie",
    tags=["Coton", "CMDT"], image="/wp-content/uploads/2025/11/coton.jpg",
    lead="La Compagnie malienne pour le développement des textiles s’engage à payer l’intégralité du coton graine livré avant le 31 décembre.",
    content=paragraphs(
        "Selon la direction commerciale, près de 80 % des sommes dues ont déjà été virées sur les comptes des coopératives.",
        "Les producteurs de la zone de Koutiala réclament toutefois le paiement des arriérés de la campagne précédente."))
OLD = [dict(id=65500 + d, path=f"2025/10/{d:02d}/breve-du-{d}-octobre/",
            title=f"Brève du {d} octobre", date=f"2025-10-{d:02d}T08:00:00+00:00",
            section="Société", wp_account="Info-Matin", content=paragraphs("Brève."))
       for d in (29, 20, 14)]

pages = feed_pages(BASE, SITE, [[BUDGET, DELESTAGES], [COTON, OLD[0]], OLD[1:]],
                   description="Quotidien d'information et de réflexion")
articles = [interaction(f"{BASE}/{a['path']}", article_page(BASE, SITE, a, theme="newspaper"))
            for a in (BUDGET, DELESTAGES, COTON)]
write_cassette("infomatin", BASE, [*pages, *articles,
                                   interaction(f"{BASE}/feed/?paged=4", NOT_FOUND, status=404)])
