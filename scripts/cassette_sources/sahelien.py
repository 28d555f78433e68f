"""Sahelien (sahelien.com), French and English. NOT recorded live.

Observed (../shared/samples/): WordPress-like; an English section at /en/; feeds claimed by
public code at https://sahelien.com/feed/ and https://sahelien.com/en/feed/ (not verified).
ASSUMED: the bare host, a classic theme with Yoast JSON-LD, `<html lang="en-US">` on the English
pages (WordPress writes the post's language there), `/slug/` and `/en/slug/` permalinks, Jetpack's
share bar. The texts are invented.
"""

from common import interaction
from wp_originals import article_page, feed_pages, paragraphs, write_cassette

BASE = "https://sahelien.com"
SITE = "Sahelien"
SHARE = ('<div class="sharedaddy sd-sharing-enabled"><div class="sd-block sd-social">'
         '<h3 class="sd-title">Partager :</h3><ul><li><a class="share-facebook" href="#">Facebook</a></li>'
         '<li><a class="share-twitter" href="#">X</a></li></ul></div></div>')

TOMBOUCTOU = dict(
    id=90211, path="tombouctou-les-manuscrits-anciens-numerises-a-lahmed-baba/",
    title="Tombouctou : les manuscrits anciens numérisés à l’Ahmed Baba",
    date="2025-12-10T15:20:00+00:00", author="Hamadou Ag Alhousseini", section="Culture",
    tags=["Tombouctou", "Patrimoine"], image="/wp-content/uploads/2025/12/manuscrits.jpg",
    content=paragraphs(
        "L’Institut des hautes études et de recherches islamiques Ahmed Baba a achevé la numérisation de 12.000 manuscrits anciens, a annoncé son directeur.",
        "Les fichiers seront consultables en ligne à partir de janvier. Les originaux restent conservés dans des salles climatisées à Tombouctou.",
        SHARE))
# No author shown: an unsigned piece by the newsroom.
GAO = dict(
    id=90188, path="gao-le-bac-traverse-de-nouveau-le-fleuve/",
    title="Gao : le bac traverse de nouveau le fleuve", date="2025-12-09T09:45:00+00:00",
    author=None, section="Société", tags=["Gao"], image="/wp-content/uploads/2025/12/bac-gao.jpg",
    content=paragraphs(
        "Le bac de Gao a repris ses rotations entre les deux rives du fleuve Niger après deux semaines d’arrêt pour réparation du moteur.",
        "Les transporteurs saluent la reprise, attendue avant la saison des récoltes.",
        SHARE))
MENAKA = dict(
    id=89630, path="menaka-des-deplaces-regagnent-leurs-villages/",
    title="Ménaka : des déplacés regagnent leurs villages", date="2025-11-17T11:00:00+00:00",
    author="Hamadou Ag Alhousseini", section="Humanitaire", tags=["Ménaka", "Déplacés"],
    image="/wp-content/uploads/2025/11/menaka.jpg",
    content=paragraphs(
        "Plusieurs centaines de familles déplacées ont regagné leurs villages autour de Ménaka depuis octobre, selon les autorités locales.",
        "Les organisations humanitaires distribuent des vivres et des semences pour faciliter leur réinstallation.",
        SHARE))
OLD_FR = [dict(id=89000 + d, path=f"breve-du-{d}-octobre/", title=f"Brève du {d} octobre",
               date=f"2025-10-{d:02d}T10:00:00+00:00", section="Société",
               content=paragraphs("Brève."))
          for d in (28, 22, 15)]

# The English section: its own feed, pages in English.
EN_MANUSCRIPTS = dict(
    id=90215, path="en/timbuktu-ancient-manuscripts-digitised-at-the-ahmed-baba-institute/",
    title="Timbuktu: ancient manuscripts digitised at the Ahmed Baba Institute",
    date="2025-12-10T16:05:00+00:00", author="Hamadou Ag Alhousseini", section="Culture",
    tags=["Timbuktu", "Heritage"], image="/wp-content/uploads/2025/12/manuscrits.jpg", lang="en-US",
    content=paragraphs(
        "The Ahmed Baba Institute of Higher Learning and Islamic Research has finished digitising 12,000 ancient manuscripts, its director announced.",
        "The files will be available online from January. The originals remain in climate-controlled rooms in Timbuktu.",
        SHARE.replace("Partager :", "Share this:")))
EN_GOLD = dict(
    id=89870, path="en/mali-gold-output-rises-in-the-third-quarter/",
    title="Mali: gold output rises in the third quarter", date="2025-11-06T08:30:00+00:00",
    author=None, section="Economy", tags=["Gold", "Mining"],
    image="/wp-content/uploads/2025/11/gold.jpg", lang="en-US",
    content=paragraphs(
        "Industrial gold output rose by 9 percent in the third quarter compared with the previous quarter, according to the Ministry of Mines.",
        "Small-scale mining is not included in these figures."))
OLD_EN = [dict(id=88000 + d, path=f"en/brief-of-october-{d}/", title=f"Brief of October {d}",
               date=f"2025-10-{d:02d}T10:00:00+00:00", section="News", lang="en-US",
               content=paragraphs("Brief."))
          for d in (30, 20)]

fr = feed_pages(BASE, SITE, [[TOMBOUCTOU, GAO], [MENAKA, OLD_FR[0]], OLD_FR[1:]],
                description="L'actualité du Sahel")
en = feed_pages(BASE, SITE, [[EN_MANUSCRIPTS, EN_GOLD], OLD_EN], feed_path="en/feed/",
                lang="en-US", description="News from the Sahel")
articles = [interaction(f"{BASE}/{a['path']}", article_page(BASE, SITE, a))
            for a in (TOMBOUCTOU, GAO, MENAKA, EN_MANUSCRIPTS, EN_GOLD)]
write_cassette("sahelien", BASE, [*fr, *en, *articles])
