"""AMAP (amap.ml), the national press agency (it also publishes L'Essor). NOT recorded live.

Observed (../shared/samples/README.md): WordPress-like; dispatches open with a dateline
"Bamako, 8 déc (AMAP)"; same agency as L'Essor. Claimed by public code, not verified: nothing
for amap.ml itself; the feed at /feed/ is ASSUMED (WordPress's default). ASSUMED: a classic
theme (`entry-title`, `entry-content`, `entry-date`, `author vcard`), no Yoast JSON-LD (so the
YAML entry names its selectors), `/slug/` permalinks, the dateline followed by " - ", Jetpack's
share bar. The dispatch texts are invented.
"""

from common import interaction
from wp_originals import NOT_FOUND, article_page, feed_pages, paragraphs, write_cassette

BASE = "https://amap.ml"
SITE = "AMAP"
SHARE = ('<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social">'
         '<h3 class="sd-title">Partager :</h3><div class="sd-content"><ul>'
         '<li><a class="share-facebook sd-button" href="#"><span>Facebook</span></a></li>'
         '<li><a class="share-twitter sd-button" href="#"><span>X</span></a></li>'
         '<li><a class="share-jetpack-whatsapp sd-button" href="#"><span>WhatsApp</span></a></li>'
         '</ul></div></div></div>')

VACCINATION = dict(
    id=48211, path="sante-lancement-de-la-campagne-de-vaccination-contre-la-rougeole-a-bamako/",
    title="Santé : lancement de la campagne de vaccination contre la rougeole à Bamako",
    date="2025-12-08T10:30:00+00:00", modified="2025-12-08T16:02:41+00:00",
    author="Fatoumata NAPO", section="Santé", tags=["Santé", "Vaccination", "Rougeole"],
    image="/wp-content/uploads/2025/12/vaccination-rougeole.jpg",
    content=paragraphs(
        "Bamako, 8 déc (AMAP) - Le ministre de la Santé et du Développement social a lancé lundi, au centre de santé de référence de la Commune IV, la campagne de vaccination contre la rougeole qui vise près de 900.000 enfants de 9 mois à 14 ans dans le District de Bamako.",
        "La campagne durera dix jours. Les équipes de vaccination se rendront dans les écoles, les marchés et les lieux de culte afin d’atteindre les enfants qui n’ont pas reçu leurs deux doses.",
        '<p><strong>Lire aussi : <a href="https://amap.ml/sante-les-agents-de-sante-communautaire-formes-a-kati/">Santé : les agents de santé communautaire formés à Kati</a></strong></p>',
        "Le directeur régional de la santé a rappelé que la vaccination est gratuite et a invité les parents à présenter le carnet de santé de leurs enfants.",
        SHARE))

# A very short brief: one sentence, no author.
PONT = dict(
    id=48230, path="circulation-le-pont-des-martyrs-ferme-mercredi-matin/",
    title="Circulation : le pont des Martyrs fermé mercredi matin",
    date="2025-12-09T18:05:00+00:00", author=None, section="Société", tags=[],
    image="/wp-content/uploads/2025/12/pont-des-martyrs.jpg",
    content=paragraphs(
        "Bamako, 9 déc (AMAP) - La circulation sera interdite mercredi sur le pont des Martyrs de 8 heures à 12 heures pour des travaux d’entretien, a annoncé la mairie du District.",
        SHARE))

# Feed page 2: an article inside the backfill window, and one just before it.
CAMPAGNE = dict(
    id=47902, path="agriculture-la-campagne-de-contre-saison-lancee-a-niono/",
    title="Agriculture : la campagne de contre-saison lancée à Niono",
    date="2025-11-24T09:15:00+00:00", author="Sidi Y. WAGUÉ", section="Économie",
    tags=["Agriculture", "Office du Niger"], image="/wp-content/uploads/2025/11/niono-riz.jpg",
    content=paragraphs(
        "Niono, 24 nov (AMAP) - La campagne de contre-saison a été lancée samedi dans la zone de l’Office du Niger, où près de 30.000 hectares doivent être cultivés en riz et en maraîchage.",
        "Les exploitants ont reçu les semences améliorées et les engrais avant le début des travaux, a indiqué le président-directeur général de l’Office.",
        "Les superficies emblavées ont progressé de 12 % par rapport à l’an dernier.",
        SHARE))
OCTOBRE = dict(id=47511, path="education-la-rentree-scolaire-fixee-au-3-novembre/",
               title="Éducation : la rentrée scolaire fixée au 3 novembre",
               date="2025-10-21T08:00:00+00:00", author="Fatoumata NAPO", section="Éducation",
               content=paragraphs("Bamako, 21 oct (AMAP) - La rentrée scolaire aura lieu le 3 novembre."))
OLDER = [dict(id=47400 + i, path=f"depeche-du-{d}-octobre/", title=f"Dépêche du {d} octobre",
              date=f"2025-10-{d:02d}T09:00:00+00:00", section="Société",
              content=paragraphs(f"Bamako, {d} oct (AMAP) - Dépêche."))
         for i, d in enumerate((15, 10))]

DESCRIPTION = "Agence malienne de presse et de publicité"
pages = feed_pages(BASE, SITE, [[PONT, VACCINATION], [CAMPAGNE, OCTOBRE], OLDER],
                   description=DESCRIPTION)
articles = [interaction(f"{BASE}/{a['path']}", article_page(BASE, SITE, a, yoast=False))
            for a in (VACCINATION, PONT, CAMPAGNE)]
write_cassette("amap", BASE, [*pages, *articles,
                              interaction(f"{BASE}/feed/?paged=4", NOT_FOUND, status=404)])
