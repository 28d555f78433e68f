"""Maliactu (maliactu.net): written from its documented structure; NOT recorded live.

Observed (../shared/samples/README.md, mali-feed-urls-claimed.tsv): WordPress; titles prefixed
"Mali :"; "Getting your Trinity Audio player ready…" noise in the text; republishes with
"Source : INFO-MATIN" and sometimes rewrites other papers' articles; its feed at /feed/.
Assumed: WordPress's standard markup (as in journaldumali.py), the Trinity player text as the
first paragraph of entry-content inside its wrapper div, "La Rédaction" as the WordPress author,
?paged=N feed pages (page 3 answers 404 here), the slugs and the texts (invented, but for the
copy of L'Essor's FAMa brief, read from that cassette's expected record).
Edges: a copy of L'Essor's article under a "Mali : " title, a paper spelt "INFO-MATIN", an
article of its own with no source line.
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

BASE = "https://maliactu.net"
SITE = "Maliactu"
FAMA = original("lessor", "frappes-aeriennes")
TRINITY = ('<div class="trinity-tts-pb" dir="ltr"><div class="trinity-player-iframe-wrapper">'
           "<p>Getting your Trinity Audio player ready...</p></div></div>")

ARTICLES = [
    dict(slug="mali-frappes-aeriennes-un-pick-up-camoufle-neutralise-pres-de-sebabougou/",
         title="Mali : " + FAMA["title"], date="2025-12-10T12:30:00+00:00", section="Securite",
         image="/wp-content/uploads/2025/12/fama.jpg",
         paras=paragraphs_of(FAMA) + ["Source : L’Essor"]),
    dict(slug="mali-bamako-les-transporteurs-suspendent-leur-mot-dordre-de-greve/",
         title="Mali : Bamako : les transporteurs suspendent leur mot d’ordre de grève",
         date="2025-12-11T09:00:00+00:00", section="Societe", image="/wp-content/uploads/2025/12/greve.jpg",
         paras=["Le syndicat national des transporteurs routiers a suspendu mercredi soir le mot d’ordre de grève prévu pour ce jeudi, après une rencontre avec le ministre des Transports.",
                "Les deux parties se retrouveront la semaine prochaine pour discuter des tracasseries routières et du prix du carburant.",
                "Source : INFO-MATIN"]),
    # Feed page 2: Maliactu's own rewrite, no source line.
    dict(slug="mali-kidal-reprise-des-cours-dans-six-ecoles/",
         title="Mali : Kidal : reprise des cours dans six écoles",
         date="2025-12-06T15:00:00+00:00", section="Education", image="/wp-content/uploads/2025/12/kidal.jpg",
         paras=["Six écoles de la ville de Kidal ont rouvert leurs portes cette semaine, selon les autorités régionales.",
                "Plus de 1 500 élèves ont repris le chemin des classes."]),
]
OLD = dict(slug="mali-gao-un-nouveau-forage-pour-le-quartier-chateau/", title="Mali : Gao : un nouveau forage pour le quartier Château",
           date="2025-11-25T08:00:00+00:00", section="Societe", image="/wp-content/uploads/2025/11/gao.jpg",
           paras=["Un nouveau forage alimente le quartier Château de Gao."])

for a in ARTICLES + [OLD]:
    a["excerpt"] = " ".join(a["paras"])
    a["content"] = TRINITY + "\n" + ps(a["paras"])
    a["wp_author"] = "La Rédaction"

C1, C2, C3 = ARTICLES
FEED = f"{BASE}/feed/"
inter = [
    interaction(f"{BASE}/robots.txt", WP_ROBOTS, "text/plain; charset=utf-8"),
    interaction(FEED, wp_feed(BASE, SITE, FEED, [C2, C1]), "application/rss+xml; charset=UTF-8"),
    interaction(f"{FEED}?paged=2", wp_feed(BASE, SITE, FEED, [C3, OLD]), "application/rss+xml; charset=UTF-8"),
    interaction(f"{FEED}?paged=3", NOT_FOUND, status=404),
]
for a in ARTICLES:
    inter.append(interaction(f"{BASE}/{a['slug']}", wp_article(BASE, SITE, a)))
(ROOT / "cassettes/maliactu").mkdir(exist_ok=True)
write(ROOT / "cassettes/maliactu/maliactu.yaml", inter)
print("ok", len(inter))
