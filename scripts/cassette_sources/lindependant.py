"""L'Indépendant (lindependant.ml), a Bamako daily. NOT recorded live.

Observed (../shared/samples/): WordPress-like; feed at https://lindependant.ml/feed/ claimed by
public code (not verified); Bamada republishes it ("Source : l'Indépendant"). ASSUMED: the bare
host, a classic theme with Yoast JSON-LD, every article filed under the WordPress account
"L'Indépendant" with the journalist's name as the last paragraph of the text ("Abdoulaye
DIARRA", "Par Moussa KONÉ"), `/YYYY/MM/DD/slug/` permalinks. The texts are invented.
"""

from common import interaction
from wp_originals import NOT_FOUND, article_page, feed_pages, paragraphs, write_cassette

BASE = "https://lindependant.ml"
SITE = "L'Indépendant"
ACCOUNT = "L'Indépendant"

# The byline at the bottom, in bold, after the text.
ECOLE = dict(
    id=33410, path="2025/12/11/enseignement-superieur-les-resultats-du-concours-dentree-a-lens-publies/",
    title="Enseignement supérieur : les résultats du concours d’entrée à l’ENSup publiés",
    date="2025-12-11T06:30:00+00:00", author=None, wp_account=ACCOUNT, section="Éducation",
    tags=["ENSup", "Concours"], image="/wp-content/uploads/2025/12/ensup.jpg",
    content=paragraphs(
        "Les résultats du concours d’entrée à l’École normale supérieure ont été proclamés lundi : 620 candidats ont été admis sur plus de 9.000 inscrits.",
        "Les admis sont invités à confirmer leur inscription avant le 20 décembre, faute de quoi ils seront remplacés par les candidats de la liste d’attente.",
        "<p><strong>Abdoulaye DIARRA</strong></p>"))
# The byline at the bottom, with "Par".
SECHERESSE = dict(
    id=33388, path="2025/12/09/elevage-les-pasteurs-de-nara-face-au-manque-de-paturage/",
    title="Élevage : les pasteurs de Nara face au manque de pâturage",
    date="2025-12-09T07:00:00+00:00", author=None, wp_account=ACCOUNT, section="Économie",
    tags=["Élevage", "Nara"], image="/wp-content/uploads/2025/12/nara.jpg",
    content=paragraphs(
        "Dans le cercle de Nara, les éleveurs commencent la transhumance plus tôt que d’habitude, faute de pâturage après une saison des pluies déficitaire.",
        "Les services vétérinaires recommandent de vacciner les troupeaux avant le départ.",
        "Par Moussa KONÉ"))
# A very short brief, unsigned.
BREVE = dict(
    id=33012, path="2025/11/18/kati-un-nouveau-pont-sur-le-niger-ouvert-a-la-circulation/",
    title="Kati : un nouveau pont ouvert à la circulation", date="2025-11-18T10:00:00+00:00",
    author=None, wp_account=ACCOUNT, section="Société", tags=[],
    image="/wp-content/uploads/2025/11/pont-kati.jpg",
    content=paragraphs("Le pont de Kati-Kambila a été ouvert à la circulation ce week-end."))
OLD = [dict(id=32700 + d, path=f"2025/10/{d:02d}/breve-du-{d}-octobre/",
            title=f"Brève du {d} octobre", date=f"2025-10-{d:02d}T08:00:00+00:00",
            section="Société", wp_account=ACCOUNT, content=paragraphs("Brève."))
       for d in (30, 23, 17)]

pages = feed_pages(BASE, SITE, [[ECOLE, SECHERESSE], [BREVE, OLD[0]], OLD[1:]],
                   description="Quotidien malien d'informations")
articles = [interaction(f"{BASE}/{a['path']}", article_page(BASE, SITE, a))
            for a in (ECOLE, SECHERESSE, BREVE)]
write_cassette("lindependant", BASE, [*pages, *articles,
                                      interaction(f"{BASE}/feed/?paged=4", NOT_FOUND, status=404)])
