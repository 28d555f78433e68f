"""Benbere (benbere.org), a collective blog of young Malian writers. NOT recorded live.

Observed (../shared/samples/): WordPress-like; feed at https://benbere.org/feed/ claimed by
public code (not verified). ASSUMED: a classic theme with Yoast JSON-LD naming the blogger,
the Simple Author Box plugin's bio (`saboxplugin-wrap`) at the end of `entry-content`, a
newsletter prompt paragraph, Jetpack's related posts (`jp-relatedposts`), `/YYYY/MM/DD/slug/`
permalinks. The texts are invented.
"""

from common import interaction
from wp_originals import NOT_FOUND, article_page, feed_pages, paragraphs, write_cassette

BASE = "https://benbere.org"
SITE = "Benbere"


def author_box(name: str, bio: str) -> str:
    return (f'<div class="saboxplugin-wrap" itemtype="http://schema.org/Person" itemscope itemprop="author">'
            f'<div class="saboxplugin-tab"><div class="saboxplugin-gravatar"><img src="{BASE}/wp-content/uploads/avatar.jpg" alt=""></div>'
            f'<div class="saboxplugin-authorname"><a href="{BASE}/author/x/" class="vcard author" rel="author"><span class="fn">{name}</span></a></div>'
            f'<div class="saboxplugin-desc"><div itemprop="description"><p>{bio}</p></div></div></div></div>')


NEWSLETTER = "<p><strong>Abonnez-vous à la newsletter de Benbere pour recevoir nos derniers billets chaque semaine.</strong></p>"
RELATED = ('<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline"><em>Sur le même sujet</em></h3>'
           f'<div class="jp-relatedposts-items"><p class="jp-relatedposts-post-title"><a href="{BASE}/2025/11/02/autre-billet/">Un autre billet</a></p></div></div>')

SOTRAMA = dict(
    id=21402, path="2025/12/06/bamako-la-sotrama-ce-bureau-ambulant/",
    title="Bamako : la Sotrama, ce bureau ambulant",
    date="2025-12-06T07:30:00+00:00", modified="2025-12-06T10:12:00+00:00",
    author="Aïssata Maïga", section="Société", tags=["Bamako", "Transport", "Chronique"],
    image="/wp-content/uploads/2025/12/sotrama.jpg",
    content=paragraphs(
        "Chaque matin, entre Kalaban Coura et le centre-ville, je passe quarante minutes dans une Sotrama. Assez pour lire, répondre à mes messages et écouter les débats des passagers.",
        "<blockquote><p>« Ici, tout le monde a un avis sur tout », me lance un apprenti en souriant.</p></blockquote>",
        "Le minibus vert est devenu un lieu de travail, de rencontre et parfois de dispute. Il raconte la ville mieux que bien des rapports.",
        NEWSLETTER,
        author_box("Aïssata Maïga", "Étudiante en journalisme à Bamako, Aïssata blogue sur la vie urbaine et la mobilité."),
        RELATED))
LANGUES = dict(
    id=21377, path="2025/12/01/ecrire-en-bambara-sur-les-reseaux-sociaux/",
    title="Écrire en bambara sur les réseaux sociaux", date="2025-12-01T18:00:00+00:00",
    author="Boubacar Sangaré", section="Culture", tags=["Langues nationales", "Bambara"],
    image="/wp-content/uploads/2025/12/bambara.jpg",
    content=paragraphs(
        "De plus en plus de jeunes publient en bambara sur Facebook et TikTok, avec ou sans l’alphabet officiel.",
        "Pour les linguistes, ces usages spontanés sont une chance pour la langue, à condition de ne pas abandonner l’écriture normalisée à l’école.",
        NEWSLETTER,
        author_box("Boubacar Sangaré", "Blogueur, il écrit sur les langues et la culture."),
        RELATED))
PLUIES = dict(
    id=21102, path="2025/11/14/apres-les-pluies-les-routes-de-mon-quartier/",
    title="Après les pluies, les routes de mon quartier", date="2025-11-14T12:00:00+00:00",
    author="Aïssata Maïga", section="Société", tags=["Bamako", "Voirie"],
    image="/wp-content/uploads/2025/11/routes.jpg",
    content=paragraphs(
        "Trois mois après la saison des pluies, les nids-de-poule de mon quartier sont toujours là, comblés de gravats par les riverains.",
        "La mairie promet des travaux en janvier. En attendant, chacun contourne les trous comme il peut.",
        author_box("Aïssata Maïga", "Étudiante en journalisme à Bamako."),
        RELATED))
OLD = [dict(id=20800 + d, path=f"2025/10/{d:02d}/billet-du-{d}-octobre/",
            title=f"Billet du {d} octobre", date=f"2025-10-{d:02d}T12:00:00+00:00",
            section="Société", author="Boubacar Sangaré", content=paragraphs("Un billet."))
       for d in (30, 21, 9)]

pages = feed_pages(BASE, SITE, [[SOTRAMA, LANGUES], [PLUIES, OLD[0]], OLD[1:]],
                   description="Le blog des jeunes Maliens")
articles = [interaction(f"{BASE}/{a['path']}", article_page(BASE, SITE, a))
            for a in (SOTRAMA, LANGUES, PLUIES)]
write_cassette("benbere", BASE, [*pages, *articles,
                                 interaction(f"{BASE}/feed/?paged=4", NOT_FOUND, status=404)])
