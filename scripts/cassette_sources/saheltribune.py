"""Sahel Tribune (saheltribune.com), a news and analysis site. NOT recorded live.

Observed (../shared/samples/): WordPress-like; feed at https://saheltribune.com/feed/ claimed by
public code (not verified). ASSUMED: the bare host, the JNews theme (title `jeg_post_title`,
chapeau `jeg_post_subtitle`, text in `content-inner`, `jeg_meta_author`, `jeg_meta_category`,
`jeg_post_tags`, share buttons `jeg_share_button`, an inline related-posts block
`jnews_inline_related_post` inside the text), dates only in `article:published_time` meta, no
JSON-LD, `/YYYY/MM/DD/slug/` permalinks. The texts are invented.
"""

from common import interaction
from wp_originals import NOT_FOUND, article_page, feed_pages, paragraphs, write_cassette

BASE = "https://saheltribune.com"
SITE = "Sahel Tribune"


def related(*items: tuple[str, str]) -> str:
    links = "".join(f'<div class="jeg_post"><h3 class="jeg_post_title"><a href="{BASE}/{p}">{t}</a></h3></div>'
                    for p, t in items)
    return (f'<div class="jnews_inline_related_post_wrapper"><div class="jnews_inline_related_post">'
            f'<div class="jeg_block_heading"><h3 class="jeg_block_title"><span>À lire aussi</span></h3></div>'
            f'<div class="jeg_posts">{links}</div></div></div>')


AES = dict(
    id=51230, path="2025/12/10/aes-la-force-unifiee-installe-son-etat-major-a-niamey/",
    title="AES : la force unifiée installe son état-major à Niamey",
    date="2025-12-10T11:00:00+00:00", modified="2025-12-10T13:40:00+00:00",
    author="Chiencoro Diarra", section="Sécurité", tags=["AES", "Défense", "Niger"],
    image="/wp-content/uploads/2025/12/force-aes.jpg",
    lead="Les trois pays de la Confédération des États du Sahel ont installé l’état-major de leur force unifiée.",
    content=paragraphs(
        "La cérémonie s’est déroulée en présence des chefs d’état-major des armées du Burkina Faso, du Mali et du Niger.",
        related(("2025/11/30/aes-la-banque-confederale-en-preparation/", "AES : la banque confédérale en préparation"),
                ("2025/11/20/sahel-les-defis-de-la-securite-alimentaire/", "Sahel : les défis de la sécurité alimentaire")),
        "La force doit compter 5.000 hommes et conduire des opérations conjointes dans la zone des trois frontières.",
        "Son commandement sera assuré à tour de rôle par chacun des trois pays."))
# No author shown, a short note by the newsroom, no chapeau.
NOTE = dict(
    id=51201, path="2025/12/08/bourse-regionale-le-mali-leve-80-milliards/",
    title="Bourse régionale : le Mali lève 80 milliards", date="2025-12-08T16:15:00+00:00",
    author=None, section="Économie", tags=["Finances publiques"],
    image="/wp-content/uploads/2025/12/umoa-titres.jpg",
    content=paragraphs(
        "Le Trésor public malien a levé 80 milliards de francs CFA sur le marché des titres de l’UMOA, pour un montant recherché de 75 milliards."))
ANALYSE = dict(
    id=50877, path="2025/11/16/analyse-ce-que-change-le-nouveau-code-minier/",
    title="Analyse : ce que change le nouveau code minier", date="2025-11-16T09:00:00+00:00",
    author="Chiencoro Diarra", section="Analyse", tags=["Mines", "Or"],
    image="/wp-content/uploads/2025/11/code-minier.jpg",
    lead="Deux ans après son adoption, le code minier de 2023 a modifié le partage des revenus de l’or.",
    content=paragraphs(
        "La part de l’État dans les nouvelles mines peut atteindre 35 %, contre 20 % auparavant.",
        "Les compagnies minières ont renégocié leurs conventions, parfois après de longs bras de fer avec le gouvernement.",
        "Les recettes minières ont progressé, mais la baisse de production de certaines mines pèse sur les résultats."))
OLD = [dict(id=50500 + d, path=f"2025/10/{d:02d}/note-du-{d}-octobre/", title=f"Note du {d} octobre",
            date=f"2025-10-{d:02d}T08:00:00+00:00", section="Économie", content=paragraphs("Note."))
       for d in (27, 19, 11)]

pages = feed_pages(BASE, SITE, [[AES, NOTE], [ANALYSE, OLD[0]], OLD[1:]],
                   description="Actualités, analyses et opinions sur le Sahel")
articles = [interaction(f"{BASE}/{a['path']}", article_page(BASE, SITE, a, theme="jnews", yoast=False))
            for a in (AES, NOTE, ANALYSE)]
write_cassette("saheltribune", BASE, [*pages, *articles,
                                      interaction(f"{BASE}/feed/?paged=4", NOT_FOUND, status=404)])
