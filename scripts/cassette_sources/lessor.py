from common import ROOT, SAMPLES, interaction, lessor_teaser, write

BASE = "https://lessor.ml"

NAIVE = (SAMPLES / "lessor-naive-scrape.txt").read_text(encoding="utf-8").split("\n")
BODY_A1 = NAIVE[:6]
BYLINE_A1 = NAIVE[6]
TEASERS_SAMPLE = [line for line in NAIVE[7:] if line.strip()]
assert BYLINE_A1 == "Aboubacar TRAORE", BYLINE_A1
assert len(TEASERS_SAMPLE) == 6

def page(title, chapeau, date_line, image, section, body_html, slug, related=""):
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{title} - Lessor</title>
<meta property="og:title" content="Lessor">
<meta property="og:type" content="article">
<meta property="og:image" content="{BASE}/storage/posts/{image}">
<meta name="description" content="Journal L'Essor, quotidien national d'information">
<link rel="canonical" href="{BASE}/posts/{slug}">
</head>
<body>
<header class="site-header"><a href="/">L'Essor</a>
<nav><a href="/categorie/politique">Politique</a> <a href="/categorie/economie">Économie</a> <a href="/categorie/societe">Société</a></nav>
</header>
<main class="container">
<div class="post-detail">
<a class="post-categorie" href="/categorie/{section.lower()}">{section}</a>
<h1>{title}</h1>
<div class="chapeau">{chapeau}</div>
<p class="date-publication">{date_line}</p>
<div class="post-image"><img src="/storage/posts/{image}" alt=""></div>
<div class="post-content">
{body_html}
</div>
<p class="redaction">Rédaction Lessor</p>
<div class="partage"><a href="https://www.facebook.com/sharer.php?u={BASE}/posts/{slug}">Facebook</a> <a href="https://twitter.com/intent/tweet?url={BASE}/posts/{slug}">Twitter</a></div>
</div>
{related}
</main>
<footer>© 2025 L'Essor - Tous droits réservés</footer>
</body>
</html>"""

def related_block(items):
    cards = "\n".join(
        f'<div class="similaire"><a href="/posts/{slug}"><h4>{title}</h4></a><p class="extrait">{text}</p></div>'
        for slug, title, text in items)
    return f'<div class="articles-similaires">\n<h3>Articles similaires</h3>\n{cards}\n</div>'

# A2: short FAMa brief, no author. Its chapeau renders as sample teaser 2 under the 300-byte rule.
A2_SLUG = "frappes-aeriennes-un-pick-up-camoufle-neutralise-pres-de-sebabougou-693931ec5b2a1"
A2_CHAPEAU = TEASERS_SAMPLE[1][:-1] + "cle de Kati."
assert lessor_teaser(A2_CHAPEAU) == TEASERS_SAMPLE[1], (lessor_teaser(A2_CHAPEAU), TEASERS_SAMPLE[1])
A2_BODY = """<p>Selon le communiqué de l’état-major général des armées, le véhicule transportait du carburant destiné au ravitaillement de groupes armés terroristes opérant dans la zone.</p>
<p>Les opérations de surveillance se poursuivent sur l’ensemble du territoire.</p>"""

# A3: Pafeem training; chapeau < 300 bytes ending with "." -> sample teaser 4 ("..").
A3_SLUG = "pafeem-les-agents-de-la-microfinance-formes-sur-loutil-cameli-693a8b5d0c4e7"
A3_CHAPEAU = TEASERS_SAMPLE[3][:-1]
assert lessor_teaser(A3_CHAPEAU) == TEASERS_SAMPLE[3]
A3_BODY = """<p>La session, qui durera trois jours, doit permettre aux agents de maîtriser l’outil de collecte
et d’analyse des données des systèmes financiers décentralisés.</p>
<p>Le coordinateur du projet a rappelé que le Pafeem accompagne l’inclusion financière des jeunes et des femmes
dans plusieurs régions du pays.</p>
<p class="auteur">Fatoumata M. SIDIBÉ</p>"""

# A1: the article of lessor-naive-scrape.txt, byline at the bottom, related block after it.
A1_SLUG = "mali-russie-les-deux-delegations-passent-en-revue-la-cooperation-bilaterale-6939a7b1e3f90"
A1_CHAPEAU = ("Le ministre des Affaires étrangères et de la Coopération internationale, Abdoulaye Diop, "
              "et le ministre de la Défense et des Anciens combattants, le général de corps d’armée "
              "Sadio Camara, ont eu une séance de travail avec leurs homologues russes.")
# L'Essor breaks lines inside paragraphs: the second paragraph arrives with hard line breaks.
p2 = BODY_A1[1]
cut = p2.index("Forces de défense")
A1_BODY = "\n".join(
    [f"<p>{BODY_A1[0]}</p>",
     f"<p>{p2[:cut].rstrip()}<br>\n{p2[cut:]}</p>"]
    + [f"<p>{p}</p>" for p in BODY_A1[2:]]
    + [f'<p class="auteur"><strong>{BYLINE_A1}</strong></p>'])
RELATED_SLUGS = [
    "29e-edition-de-leid-le-garde-des-sceaux-preside-louverture-6939a0d2a11c3",
    A2_SLUG,
    "maintien-de-la-paix-un-atelier-de-consultation-a-lemp-abb-69393f1e7d2b4",
    A3_SLUG,
    "banque-confederale-les-experts-de-laes-a-pied-doeuvre-6939b4c18e0d5",
    "blanchiment-des-capitaux-le-decryptage-du-magistrat-yaya-traore-6938f0a4c2e16",
]
RELATED_TITLES = [
    "29è édition de l’EID : le Garde des Sceaux préside l’ouverture",
    "Frappes aériennes : un pick-up camouflé neutralisé près de Sebabougou",
    "Maintien de la paix : un atelier de consultation à l’EMP-ABB",
    "Pafeem : les agents de la microfinance formés sur l’outil Cameli",
    "Banque confédérale : les experts de l’AES à pied d’œuvre",
    "Blanchiment des capitaux : le décryptage du magistrat Yaya Traoré",
]
A1_RELATED = related_block(zip(RELATED_SLUGS, RELATED_TITLES, TEASERS_SAMPLE, strict=True))

# Page 2 articles. A4: in memoriam, 30 Sep 2025 (the date line and suffix seen on the live site).
A4_SLUG = "in-memoriam-aboubacar-traore-repose-desormais-au-cimetiere-de-lafiabougou-a-sikasso-68db9a8de8d76"
A4_CHAPEAU = ("Notre confrère Aboubacar Traoré, décédé le week-end dernier, a été inhumé hier au cimetière "
              "de Lafiabougou à Sikasso, en présence de nombreux parents, amis et collègues.")
A4_BODY = """<p>La cérémonie s’est déroulée dans la sobriété, en présence d’une délégation<br>
de la direction générale de l’Agence malienne de presse et de publicité<br>
(AMAP), conduite par son directeur général.</p>
<p>Pendant plus de trois décennies, le défunt a couvert l’actualité diplomatique<br>
pour les colonnes de L’Essor.</p>
<p>Lire aussi : AMAP : Aboubacar Traoré range définitivement sa plume</p>
<p class="auteur">Mariam F. DIABATÉ</p>"""
A5_SLUG = "editorial-aujourdhui-le-n20500-de-lessor-68ff3bd69b349"
A5_CHAPEAU = "Votre quotidien franchit aujourd’hui le cap de son 20.500è numéro."
A5_BODY = """<p>Depuis sa création en 1949, L’Essor accompagne les lecteurs dans la compréhension de l’actualité
nationale et internationale.</p>
<p>Ce numéro est dédié à tous ceux qui, au fil des décennies, ont fait vivre ce journal.</p>"""

ARTICLES = [
    (A1_SLUG, "Mali-Russie : les deux délégations passent en revue la coopération bilatérale",
     A1_CHAPEAU, "Publié mercredi 10 décembre 2025 à 17:02", "diop-camara-moscou.jpg", "Politique",
     A1_BODY, A1_RELATED),
    (A2_SLUG, RELATED_TITLES[1], A2_CHAPEAU, "Publié mercredi 10 décembre 2025 à 08:40",
     "fama-frappes.jpg", "Sécurité", A2_BODY, ""),
    (A3_SLUG, RELATED_TITLES[3], A3_CHAPEAU, "Publié jeudi 11 décembre 2025 à 09:14",
     "pafeem-cameli.jpg", "Economie", A3_BODY, ""),
    (A4_SLUG, "In memoriam : Aboubacar Traoré repose désormais au cimetière de Lafiabougou à Sikasso",
     A4_CHAPEAU, "Publié mardi 30 septembre 2025 à 08:53", "in-memoriam.jpg", "Société", A4_BODY, ""),
    (A5_SLUG, "Éditorial : aujourd’hui, le N°20500 de L’Essor", A5_CHAPEAU,
     "Publié lundi 27 octobre 2025 à 09:31", "n20500.jpg", "Editorial", A5_BODY, ""),
]

def href(slug):
    """A card's link: /posts/<slug> on lessor.ml, or a full address (the essor.ml archive)."""
    return slug if slug.startswith("http") else f"/posts/{slug}"

def listing(cards, page_no):
    items = "\n".join(
        f'<div class="post-card"><a href="{href(slug)}"><img src="/storage/posts/{img}" alt=""></a>'
        f'<h3><a href="{href(slug)}">{title}</a></h3><p class="extrait">{lessor_teaser(chap) if chap else ""}</p></div>'
        for slug, title, chap, img in cards)
    nxt = f'<a class="page-link" rel="next" href="/?page={page_no + 1}">Suivant</a>'
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>L'Essor - Quotidien national d'information</title>
<meta property="og:title" content="Lessor"></head>
<body><header><a href="/">L'Essor</a><nav><a href="/categorie/politique">Politique</a></nav></header>
<main><section class="dernieres">
{items}
</section>
<nav class="pagination">{nxt}</nav></main>
<footer>© 2025 L'Essor</footer></body></html>"""

by_slug = {a[0]: a for a in ARTICLES}
page1 = listing([(s, by_slug[s][1], by_slug[s][2], by_slug[s][4]) for s in (A3_SLUG, A1_SLUG, A2_SLUG)], 1)
page2 = listing([(s, by_slug[s][1], by_slug[s][2], by_slug[s][4]) for s in (A5_SLUG, A4_SLUG)], 2)
OLD = [("amap-en-deuil-lancien-directeur-general-adjoint-cheickna-diawara-nest-plus-645921e5ad544",
        "AMAP en deuil : l’ancien directeur général adjoint Cheickna Diawara n’est plus", None, "diawara.jpg"),
       ("fetes-de-fin-dannee-lamap-en-toute-convivialite-63b5376eabbc0",
        "Fêtes de fin d’année : l’AMAP en toute convivialité", None, "fetes.jpg")]
# The archive's last page also links an article of the older essor.ml WordPress site at its
# essor.ml address (ASSUMED: how lessor.ml reaches its pre-CMS archive, and the
# /YYYY/MM/DD/slug/ permalinks). essor.ml as WordPress is observed (samples/README.md: "older
# essor.ml was WordPress with div.entry-content, time.entry-date"; public code links
# www.essor.ml/wp-content/themes/essor/). Its page is parsed by EssorWordPress, picked by markup.
ESSOR_WP_URL = "https://www.essor.ml/2020/06/15/campagne-agricole-2020-2021-loffice-du-niger-vise-700-000-tonnes-de-paddy/"
ESSOR_WP_TITLE = "Campagne agricole 2020-2021 : l’Office du Niger vise 700.000 tonnes de paddy"
OLD.append((ESSOR_WP_URL, ESSOR_WP_TITLE, None, "office-du-niger.jpg"))
page3 = listing(OLD, 3)
page4 = listing([], 4)

# The 2023 pages of the archive (today's markup), dated by their uniqid suffixes.
OLD_ARTICLES = [
    (OLD[0][0], OLD[0][1],
     "L’Agence malienne de presse et de publicité (AMAP) a appris avec tristesse le décès de son ancien directeur général adjoint, Cheickna Diawara.",
     "Publié lundi 8 mai 2023 à 16:23", "diawara.jpg", "Société",
     """<p>Journaliste de formation, le défunt a servi à L’Essor puis à la direction de l’Agence, où il a formé plusieurs générations de reporters.</p>
<p>L’inhumation a eu lieu au cimetière de Hamdallaye en présence de nombreux confrères.</p>""", ""),
    (OLD[1][0], OLD[1][1],
     "Le personnel de l’AMAP s’est retrouvé samedi autour de la direction générale pour célébrer la fin de l’année.",
     "Publié mercredi 4 janvier 2023 à 08:23", "fetes.jpg", "Société",
     """<p>Repas, musique et remise de prix aux meilleurs agents de l’année ont marqué cette rencontre conviviale.</p>
<p class="auteur">Oumar DIAKITÉ</p>""", ""),
]

ESSOR_WP_PAGE = f"""<!DOCTYPE html>
<html lang="fr-FR">
<head>
<meta charset="UTF-8">
<title>{ESSOR_WP_TITLE} &#8211; L&#039;Essor</title>
<link rel="canonical" href="{ESSOR_WP_URL}" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{ESSOR_WP_TITLE}" />
<meta property="og:image" content="https://www.essor.ml/wp-content/uploads/2020/06/office-du-niger.jpg" />
<link rel="stylesheet" href="https://www.essor.ml/wp-content/themes/essor/style.css" />
</head>
<body class="post-template-default single single-post">
<div id="page" class="site">
<header id="masthead" class="site-header"><img src="https://www.essor.ml/wp-content/themes/essor/images/logo-dark.png" alt="L'Essor"></header>
<div id="content" class="site-content">
<article id="post-52817" class="post-52817 post type-post status-publish format-standard hentry category-economie">
<header class="entry-header">
<h1 class="entry-title">{ESSOR_WP_TITLE}</h1>
<div class="entry-meta"><span class="posted-on"><time class="entry-date published" datetime="2020-06-15T09:12:00+00:00">15 juin 2020</time></span>
<span class="byline"> par <span class="author vcard"><a class="url fn n" href="https://www.essor.ml/author/ckeita/">Cheick Amadou KEITA</a></span></span></div>
</header>
<div class="entry-content">
<p>Le lancement officiel de la campagne agricole 2020-2021 de l’Office du Niger a eu lieu samedi à Niono, en présence du ministre de l’Agriculture.</p>
<p>L’Office prévoit d’emblaver plus de 140.000 hectares en riz pour une production attendue de 700.000 tonnes de paddy.</p>
<p>Les exploitants ont demandé la réhabilitation des canaux secondaires avant la montée des eaux.</p>
</div>
<footer class="entry-footer"><span class="cat-links"><a href="https://www.essor.ml/category/economie/" rel="category tag">Economie</a></span>
<span class="tags-links"><a href="https://www.essor.ml/tag/office-du-niger/" rel="tag">Office du Niger</a>, <a href="https://www.essor.ml/tag/riz/" rel="tag">Riz</a></span></footer>
</article>
</div>
<footer id="colophon" class="site-footer">© 2020 L'Essor</footer>
</div>
</body>
</html>"""

ROBOTS = "User-agent: *\nDisallow: /admin\nDisallow: /login\n"
inter = [interaction(f"{BASE}/robots.txt", ROBOTS, "text/plain; charset=UTF-8"),
         interaction(f"{BASE}/", page1),
         interaction(f"{BASE}/?page=2", page2),
         interaction(f"{BASE}/?page=3", page3),
         interaction(f"{BASE}/?page=4", page4)]
for slug, title, chap, date, img, section, body, related in ARTICLES + OLD_ARTICLES:
    inter.append(interaction(f"{BASE}/posts/{slug}", page(title, chap, date, img, section, body, slug, related)))
inter.append(interaction("https://www.essor.ml/robots.txt", "User-agent: *\nDisallow: /wp-admin/\n",
                         "text/plain; charset=UTF-8"))
inter.append(interaction(ESSOR_WP_URL, ESSOR_WP_PAGE))
(ROOT / "cassettes/lessor").mkdir(exist_ok=True)
write(ROOT / "cassettes/lessor/lessor.yaml", inter)
print("ok", len(inter))
