"""Mali Tribune (malitribune.com), a weekly turned daily site. NOT recorded live.

Observed (../shared/samples/): a feed at https://malitribune.com/feed/ is claimed by one README
(not verified). Since nothing confirms the feed, this source is crawled from its listing pages,
described in sources.yaml by CSS selectors alone (platform: listing). ASSUMED: everything about the
markup: the category listing /category/actualites/ with `mt-card` items (title link, `<time
datetime>`, excerpt) and a `next page-numbers` link to /page/N/; article pages with `mt-article__*`
classes, dates written "Publié le 10/12/2025 à 09:00" and "Mis à jour le ...", no JSON-LD and no
`article:*` meta (so every field comes from a selector); `/YYYY/MM/DD/slug/` permalinks. The texts
are invented.
"""

from common import interaction
from wp_originals import write_cassette

BASE = "https://malitribune.com"
LISTING = f"{BASE}/category/actualites/"

ARTICLES = [
    dict(path="2025/12/10/bamako-les-commercants-du-grand-marche-relogent-leurs-etals/",
         title="Bamako : les commerçants du grand marché relogent leurs étals",
         shown="10/12/2025 à 09:00", updated="10/12/2025 à 14:30", author="Mamadou TOGOLA",
         section="Société", tags=["Grand marché", "Commerce"], image="grand-marche.jpg",
         lead="Deux semaines après l’incendie, la mairie a attribué des emplacements provisoires aux commerçants sinistrés.",
         paras=["Près de 400 commerçants ont reçu un emplacement provisoire sur le terrain voisin de l’ancienne gare ferroviaire.",
                "Les sinistrés réclament une aide pour reconstituer leurs stocks avant les fêtes de fin d’année."],
         lire_aussi=("2025/12/01/incendie-au-grand-marche-de-bamako/", "Incendie au grand marché de Bamako")),
    # No author: an unsigned newsroom piece.
    dict(path="2025/12/09/football-les-aigles-locaux-en-stage-a-kati/",
         title="Football : les Aigles locaux en stage à Kati", shown="09/12/2025 à 17:20",
         updated=None, author=None, section="Sport", tags=["Football"], image="aigles-locaux.jpg",
         lead=None,
         paras=["Vingt-cinq joueurs évoluant dans le championnat national sont en regroupement à Kati jusqu’au 20 décembre.",
                "Le sélectionneur annoncera la liste définitive après deux matchs amicaux."],
         lire_aussi=None),
    dict(path="2025/11/26/sikasso-la-mangue-sechee-trouve-de-nouveaux-marches/",
         title="Sikasso : la mangue séchée trouve de nouveaux marchés", shown="26/11/2025 à 08:00",
         updated=None, author="Fanta DIAKITÉ", section="Économie", tags=["Mangue", "Sikasso", "Export"],
         image="mangue-sechee.jpg",
         lead="Les unités de séchage de Sikasso ont exporté cette année deux fois plus qu’en 2024.",
         paras=["Les coopératives de femmes, qui assurent l’essentiel de la transformation, ont obtenu la certification biologique pour trois unités.",
                "Les commandes viennent désormais du Maroc et de l’Union européenne.",
                "Fanta DIAKITÉ"],  # the byline repeated at the end of the text: it is no paragraph
         lire_aussi=None),
]
OLDER = [dict(path=f"2025/10/{d:02d}/depeche-du-{d}-octobre/", title=f"Dépêche du {d} octobre",
              iso=f"2025-10-{d:02d}T08:00:00+00:00", excerpt="Une dépêche.")
         for d in (29, 22, 16)]


def iso(shown: str) -> str:
    day, time = shown.split(" à ")
    d, m, y = day.split("/")
    return f"{y}-{m}-{d}T{time}:00+00:00"


def article_page(a: dict) -> str:
    url = f"{BASE}/{a['path']}"
    author = (f'Par <span class="mt-article__auteur"><a href="{BASE}/auteur/x/">{a["author"]}</a></span> | '
              if a["author"] else "")
    updated = f' <span class="mt-article__maj">Mis à jour le {a["updated"]}</span>' if a["updated"] else ""
    lead = f'<p class="mt-article__chapo">{a["lead"]}</p>' if a["lead"] else ""
    paras = [f"<p>{p}</p>" for p in a["paras"]]
    if a["lire_aussi"]:
        href, title = a["lire_aussi"]
        paras.insert(1, f'<div class="mt-lire-aussi"><span>Lire aussi</span> <a href="{BASE}/{href}">{title}</a></div>')
    tags = "".join(f'<li><a href="{BASE}/tag/{t.lower().replace(" ", "-")}/">{t}</a></li>' for t in a["tags"])
    body = "\n".join(paras)
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{a['title']} | Mali Tribune</title>
<meta property="og:title" content="{a['title']} | Mali Tribune">
<link rel="canonical" href="{url}">
</head>
<body>
<header class="mt-header"><a class="mt-logo" href="{BASE}/">Mali Tribune</a>
<nav class="mt-menu"><a href="{BASE}/category/actualites/">Actualités</a> <a href="{BASE}/category/sport/">Sport</a></nav></header>
<main class="mt-main">
<article class="mt-article">
<div class="mt-article__rubrique"><a href="{BASE}/category/{a['section'].lower()}/">{a['section']}</a></div>
<h1 class="mt-article__titre">{a['title']}</h1>
{lead}
<div class="mt-article__meta">{author}<span class="mt-article__date">Publié le {a['shown']}</span>{updated}</div>
<figure class="mt-article__image"><img src="{BASE}/wp-content/uploads/{a['image']}" alt=""><figcaption>Photo : Mali Tribune</figcaption></figure>
<div class="mt-article__texte">
{body}
<div class="mt-partage"><span>Partager :</span> <a href="https://www.facebook.com/sharer.php?u={url}">Facebook</a> <a href="https://wa.me/?text={url}">WhatsApp</a></div>
</div>
<ul class="mt-article__tags">{tags}</ul>
</article>
<section class="mt-a-lire"><h2>À lire aussi</h2><div class="mt-card"><a class="mt-card__title" href="{BASE}/2025/12/01/incendie-au-grand-marche-de-bamako/">Incendie au grand marché de Bamako</a></div></section>
</main>
<footer class="mt-footer">© 2025 Mali Tribune</footer>
</body>
</html>"""


def listing(cards: list[dict], page: int, more: bool) -> str:
    items = "\n".join(
        f'<div class="mt-card"><a href="{BASE}/{c["path"]}"><img src="{BASE}/wp-content/uploads/vignette.jpg" alt=""></a>'
        f'<a class="mt-card__title" href="{BASE}/{c["path"]}">{c["title"]}</a>'
        f'<time datetime="{c["iso"]}">{c["iso"][:10]}</time><p class="mt-card__extrait">{c["excerpt"]}</p></div>'
        for c in cards)
    nxt = f'<a class="next page-numbers" href="{LISTING}page/{page + 1}/">Suivant »</a>' if more else ""
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Actualités | Mali Tribune</title></head>
<body><header class="mt-header"><a class="mt-logo" href="{BASE}/">Mali Tribune</a></header>
<main class="mt-main"><h1>Actualités</h1>
<div class="mt-liste">
{items}
</div>
<nav class="mt-pagination"><span class="page-numbers current">{page}</span> {nxt}</nav>
</main><footer class="mt-footer">© 2025 Mali Tribune</footer></body></html>"""


def card(a: dict) -> dict:
    text = a["lead"] or a["paras"][0]
    return dict(path=a["path"], title=a["title"], iso=iso(a["shown"]),
                excerpt=" ".join(text.split()[:18]) + " […]")


page1 = listing([card(a) for a in ARTICLES[:2]], 1, True)
page2 = listing([card(ARTICLES[2]), OLDER[0]], 2, True)
page3 = listing(OLDER[1:], 3, True)
inter = [interaction(LISTING, page1), interaction(f"{LISTING}page/2/", page2),
         interaction(f"{LISTING}page/3/", page3)]
inter += [interaction(f"{BASE}/{a['path']}", article_page(a)) for a in ARTICLES]
write_cassette("malitribune", BASE, inter)
