"""Studio Tamani (studiotamani.org), the Fondation Hirondelle's news radio. NOT recorded live.

Observed (../shared/samples/): WordPress (formerly Joomla); radio boilerplate and mp3 links in
the pages; feed at https://www.studiotamani.org/feed/ claimed by public code (not verified).
ASSUMED: the www host, a classic theme with Yoast JSON-LD, the audio as the PowerPress podcast
plugin renders it (`powerpress_player` with a WordPress `<audio>`, then a
`powerpress_links` line "Podcast: Play in new window | Download"), the "Écoutez ..." line that
introduces a report, the closing line on the partner radios, `/YYYY/MM/DD/slug/` permalinks.
The texts are invented.
"""

import zlib

from common import interaction
from wp_originals import NOT_FOUND, article_page, feed_pages, paragraphs, write_cassette

BASE = "https://www.studiotamani.org"
SITE = "Studio Tamani"


def audio(mp3: str) -> str:
    url = f"{BASE}/wp-content/uploads/{mp3}"
    return (f'<div class="powerpress_player" id="powerpress_player_{zlib.crc32(mp3.encode()) % 9999}">'
            f'<audio class="wp-audio-shortcode" id="audio-1" preload="none" style="width: 100%;" controls="controls">'
            f'<source type="audio/mpeg" src="{url}?_=1" /><a href="{url}">{url}</a></audio></div>'
            f'<p class="powerpress_links powerpress_links_mp3">Podcast: <a href="{url}" class="powerpress_link_pinw" target="_blank" title="Play in new window" rel="nofollow">Play in new window</a>'
            f' | <a href="{url}" class="powerpress_link_d" title="Download" rel="nofollow" download="{mp3.rsplit("/", 1)[-1]}">Download</a></p>')


PARTNERS = ("<p><em>Les programmes de Studio Tamani sont diffusés en français, bambara, peul, "
            "sonrhaï et tamasheq par un réseau de radios partenaires au Mali.</em></p>")

# The radio edge: a report introduced by "Écoutez ...", the player, an mp3 link, the closing line.
ECOLES = dict(
    id=118402, path="2025/12/11/mopti-des-ecoles-rouvrent-dans-le-cercle-de-bandiagara/",
    title="Mopti : des écoles rouvrent dans le cercle de Bandiagara",
    date="2025-12-11T17:40:00+00:00", modified="2025-12-11T19:02:10+00:00",
    author="Boubacar Djiré", section="Éducation", tags=["Éducation", "Bandiagara", "Mopti"],
    image="/wp-content/uploads/2025/12/ecole-bandiagara.jpg",
    content=paragraphs(
        "Une vingtaine d’écoles fermées depuis trois ans ont rouvert leurs portes cette semaine dans le cercle de Bandiagara, selon l’académie d’enseignement.",
        "Plus de 2.000 élèves ont repris le chemin des classes. Les enseignants redéployés ont reçu des kits scolaires et une prime d’installation.",
        "Écoutez le reportage de notre correspondant à Mopti :",
        audio("2025/12/JT-FR-11-12-2025-ecoles-bandiagara.mp3"),
        "Les parents d’élèves demandent le retour des cantines scolaires pour maintenir les enfants à l’école.",
        PARTNERS))

# A flash: one sentence, no author, and the audio of the news bulletin.
FLASH = dict(
    id=118377, path="2025/12/10/flash-info-le-prix-du-gaz-butane-baisse-a-bamako/",
    title="Flash info : le prix du gaz butane baisse à Bamako",
    date="2025-12-10T12:05:00+00:00", author=None, section="Économie", tags=["Flash info"],
    image="/wp-content/uploads/2025/12/gaz-butane.jpg",
    content=paragraphs(
        "La bouteille de gaz butane de 6 kg est vendue à 3.000 francs CFA depuis ce mercredi à Bamako, contre 3.500 francs la semaine dernière.",
        audio("2025/12/FLASH-10-12-2025-12h.mp3"),
        PARTNERS))

# Feed page 2: a talk show in the window, then an item before it.
DEBAT = dict(
    id=117820, path="2025/11/19/grand-dialogue-la-gestion-des-dechets-a-bamako/",
    title="Grand dialogue : la gestion des déchets à Bamako",
    date="2025-11-19T20:30:00+00:00", author="Aminata Dindi Sissoko", section="Débats",
    tags=["Grand dialogue", "Environnement"], image="/wp-content/uploads/2025/11/dechets-bamako.jpg",
    content=paragraphs(
        "Les dépôts de transit d’ordures débordent dans plusieurs quartiers de Bamako. Comment améliorer la collecte et le traitement des déchets ?",
        "Pour en débattre, nos invités sont un responsable de la mairie du District, une présidente de groupement d’intérêt économique de ramassage et un chercheur en environnement.",
        audio("2025/11/GRAND-DIALOGUE-19-11-2025.mp3"),
        "Réécoutez l’intégralité du Grand dialogue sur notre site et sur les radios partenaires.",
        PARTNERS))
OLD = dict(id=117100, path="2025/10/25/kayes-la-route-de-diboli-rehabilitee/",
           title="Kayes : la route de Diboli réhabilitée", date="2025-10-25T09:00:00+00:00",
           section="Économie", content=paragraphs("Les travaux sont terminés."))
OLDER = [dict(id=116900 + d, path=f"2025/10/{d:02d}/journal-du-{d}-octobre/",
              title=f"Le journal du {d} octobre", date=f"2025-10-{d:02d}T19:00:00+00:00",
              section="Journal", content=paragraphs("Le journal du soir."))
         for d in (20, 18)]

DESCRIPTION = "L'information au Mali en français et en langues nationales"
pages = feed_pages(BASE, SITE, [[ECOLES, FLASH], [DEBAT, OLD], OLDER], description=DESCRIPTION)
articles = [interaction(f"{BASE}/{a['path']}", article_page(BASE, SITE, a))
            for a in (ECOLES, FLASH, DEBAT)]
write_cassette("studiotamani", BASE, [*pages, *articles,
                                      interaction(f"{BASE}/feed/?paged=4", NOT_FOUND, status=404)])
