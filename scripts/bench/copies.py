"""Near-duplicate linking in memory, a crawl's database work left out; --labelled: via the store.

Speed: CopyIndex against naive rapidfuzz all-pairs. With --labelled, precision and recall on
template texts and damaged copies, stored and linked as a crawl does.

For each size (10k, 100k, 1M synthetic articles of 150-350 words, each size in a fresh process)
articles arrive one by one, as in a crawl: each is fingerprinted (4-word shingles, datasketch
MinHash, 32 LSH bands), its copies are looked up and verified on exact shingles, then it is
indexed. One article in ten is a copy of an earlier one from another source: whole with a
"Source :" line, trimmed to its first 50-80%, or lightly edited (3% of words changed, a
"Mali :" prefix). Recall: copies linked to their story; precision: linked pairs that are one
story. The naive approach (rapidfuzz fuzz.ratio of each new article against every earlier one,
>= 70) is timed in the same process on 20 queries, each against the 20,000 articles before it,
and extrapolated to the n(n-1)/2 comparisons it needs: run in full it would take hours at 10k
and about a year at 1M.

    .venv/bin/python scripts/bench/copies.py [--sizes 10000 100000 1000000] [--seed 1]

With --labelled, precision and recall instead, on a labelled set of articles stored and linked
through the store as a crawl does: template families of distinct articles (the same wording,
other figures, dates or names; some differing in one fact only), and copies made the ways
aggregators make them (trimmed, chapeau dropped, accents lost, mojibake, "Source :" added...).
Families held out from tuning are reported apart; the previous rule and rapidfuzz side by side.

    .venv/bin/python scripts/bench/copies.py --labelled [--seed 1] [--show]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from measure import machine, rss_mb  # scripts/bench/measure.py
from rapidfuzz import fuzz, process
from sqlalchemy import text

from crawler.dedup import (
    COPY_CONTAINMENT,
    COPY_JACCARD,
    MIN_SHINGLES,
    CopyIndex,
    Fingerprint,
    copy_text,
    shingles,
)
from crawler.items import Article
from crawler.store import open_store

_SYLLABLE_TEXT = ("ba ko ma li sa ne ré pu bli que mi nis tre jus ti ce pré si dé hier cé ré mo "
                  "nie con fé ren ce dé ve lop pe ment sé cu ri té é co no mie par te nai re ac "
                  "cord ca pi ta le ré gion ar mée forces dé fen se na tio nal pro jet for ma tion")
NAIVE_QUERIES = 20
NAIVE_SLICE = 20_000  # a naive query costs the same per comparison whatever the corpus size


def make_corpus(n: int, seed: int) -> tuple[list[tuple[str, str]], list[int]]:
    """(lead, body) per article and the story each one tells (its own index, or its original's)."""
    rng = np.random.default_rng(seed)
    syllables = np.array(_SYLLABLE_TEXT.split())
    vocab = np.unique(["".join(rng.choice(syllables, size=rng.integers(1, 5)))
                       for _ in range(60_000)])
    cdf = np.cumsum(1 / np.arange(1, len(vocab) + 1))  # Zipf-like word frequencies
    cdf /= cdf[-1]
    articles: list[tuple[str, str]] = []
    story: list[int] = []
    for i in range(n):
        if i > 100 and rng.random() < 0.1:
            j = int(rng.integers(max(0, i - 5000), i))  # republished within days
            j = story[j]
            lead, body = articles[j]
            words = body.split()
            kind = rng.integers(3)
            if kind == 0:
                body = body + "\n\nSource : L'Essor"
            elif kind == 1:
                body = " ".join(words[: int(len(words) * rng.uniform(0.5, 0.8))]) + " Lire la suite"
            else:
                for k in rng.choice(len(words), size=max(1, len(words) * 3 // 100), replace=False):
                    words[k] = str(vocab[rng.integers(len(vocab))])
                lead, body = "Mali : " + lead, " ".join(words)
            articles.append((lead, body))
            story.append(j)
        else:
            # what rng.choice(p=...) does, without summing the vocabulary again per article
            size = int(rng.integers(150, 350))
            words = vocab[cdf.searchsorted(rng.random(size), side="right")]
            articles.append((" ".join(words[:30]), " ".join(words[30:])))
            story.append(i)
    return articles, story


def one_size(n: int, seed: int) -> dict:
    articles, story = make_corpus(n, seed)
    rss0 = rss_mb()
    index = CopyIndex()
    found_pairs = true_pairs = copies_found = 0
    fingerprint_s = link_s = 0.0
    for i, (lead, body) in enumerate(articles):
        t0 = time.process_time()
        fingerprint = Fingerprint.of(lead, body)
        t1 = time.process_time()
        found = index.copies_of(fingerprint) if fingerprint else []
        if fingerprint:
            index.add_fingerprint(i, fingerprint)
        link_s += time.process_time() - t1
        fingerprint_s += t1 - t0
        found_pairs += len(found)
        true_pairs += sum(story[j] == story[i] for j in found)
        copies_found += story[i] != i and story[i] in {story[j] for j in found}
    copies = sum(story[i] != i for i in range(n))
    total = fingerprint_s + link_s

    # naive: fuzz.ratio against every earlier article, timed on a sample of queries
    texts = [copy_text(lead, body) for lead, body in articles]
    rng = np.random.default_rng(seed + 1)
    queries = [i for i in range(n) if story[i] != i][:NAIVE_QUERIES // 2] + list(
        rng.choice(n, size=NAIVE_QUERIES // 2, replace=False))
    start = time.process_time()
    naive_hits = compared = 0
    for i in queries:  # against the NAIVE_SLICE articles before it (its original is among them)
        first = max(0, i - NAIVE_SLICE)
        hits = process.extract(texts[i], texts[first:i], scorer=fuzz.ratio, score_cutoff=70,
                               limit=None)
        compared += i - first
        naive_hits += story[i] != i and any(story[first + j] == story[i] for _, _, j in hits)
    per_comparison = (time.process_time() - start) / compared
    naive_total = per_comparison * n * (n - 1) / 2
    return {
        "articles": n, "copies": copies, "seconds": total, "per_s": n / total,
        "fingerprint_share": fingerprint_s / total, "rss_mb": rss_mb() - rss0,
        "recall": copies_found / copies,
        "precision": true_pairs / found_pairs if found_pairs else 1.0,
        "naive_seconds": naive_total, "naive_per_s": n / naive_total,
        "naive_recall": naive_hits / (NAIVE_QUERIES // 2),
    }


# ---- the labelled set: template families of distinct articles, and copies made every way ---
def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words("Moussa Aminata Boubacar Fatoumata Oumar Mariam Seydou Awa Ibrahim Kadiatou Modibo "
         "Assitan Souleymane Hawa Bakary Djénéba Mamadou Oumou Cheick Salimata Adama Néné "
         "Abdoulaye Rokia Issa Coumba Yacouba Aïssata Lassana Bintou")
LAST = _words("Traoré Koné Diarra Coulibaly Keïta Sidibé Diallo Touré Sangaré Doumbia Konaté Maïga "
        "Cissé Dembélé Sissoko Camara Samaké Bagayoko Tounkara Kanté Guindo Ouologuem Tembely "
        "Haïdara Dicko Togola Fofana Bathily Niaré Sylla")
PLACES = _words("Bamako Kayes Koulikoro Sikasso Ségou Mopti Tombouctou Gao Kidal Ménaka Niono "
                "Bougouni Koutiala San Djenné Bandiagara Kita Kati Sévaré Douentza Ansongo "
                "Bourem Yorosso Kadiolo Diéma Nara Macina Tominian Bla Dioïla")
MONTHS = _words("janvier février mars avril mai juin juillet août septembre octobre novembre "
                "décembre")
DAYS = _words("lundi mardi mercredi jeudi vendredi samedi dimanche")
PAPERS = ["lessor", "journaldumali", "lindependant", "infomatin", "lerepublicain", "studiotamani"]
PAPER_TITLES = {"lessor": "L'Essor", "journaldumali": "Journal du Mali",
                "lindependant": "L'Indépendant", "infomatin": "Info-Matin",
                "lerepublicain": "Le Républicain", "studiotamani": "Studio Tamani"}
AGGREGATORS = ["maliweb", "malijet", "abamako", "bamada", "maliactu"]
START = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


@dataclass
class Item:
    """One article of the labelled set: `story` is the same for an original and its copies."""

    source: str
    lead: str | None
    body: str
    when: datetime
    story: str
    family: str  # the template family ("news" for ordinary articles), for the report
    how: str = "original"  # how a copy was made


class Writer:
    """Procedural French: each sentence picks one of several phrasings, each slot a value."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, options):
        return options[self.rng.randrange(len(options))]

    def person(self) -> str:
        return f"{self.pick(FIRST)} {self.pick(LAST)}"

    def place(self) -> str:
        return self.pick(PLACES)

    def date(self, when: datetime) -> str:
        return f"{DAYS[when.weekday()]} {when.day} {MONTHS[when.month - 1]} {when.year}"

    def num(self, low: int, high: int) -> str:
        value = self.rng.randint(low, high)
        return f"{value:,}".replace(",", " ")

    def fill(self, template: str, **slots) -> str:
        def slot(match: re.Match) -> str:
            name = match.group(1)
            if name in slots:
                return str(slots[name])
            return {"person": self.person, "place": self.place}[name]()
        return re.sub(r"\{(\w+)\}", slot, self.pick(template) if isinstance(template, list)
                      else template)


# Ordinary news: a subject and sentences from a bank with slots. Two articles drawn from the
# same bank share phrasing the way two papers' reports share the language of the beat.
NEWS_SUBJECTS = [
    ("la campagne agricole", "les producteurs de coton", "les intrants"),
    ("la rentrée scolaire", "les enseignants", "les manuels"),
    ("la campagne de vaccination", "les agents de santé", "les doses"),
    ("le festival des arts", "les troupes", "les spectacles"),
    ("la réhabilitation de la route", "les entreprises", "les travaux"),
    ("la distribution de vivres", "les ménages vulnérables", "les céréales"),
    ("le forum sur l'emploi des jeunes", "les jeunes diplômés", "les financements"),
    ("la lutte contre le paludisme", "les relais communautaires", "les moustiquaires"),
    ("l'électrification rurale", "les villages", "les panneaux solaires"),
    ("la session du conseil régional", "les élus", "les projets"),
]
NEWS_SENTENCES = [
    "Le ministre {person} a présidé {day} à {place} la cérémonie de lancement de {subject}.",
    "Le lancement de {subject} a eu lieu à {place} sous la présidence de {person}.",
    "Selon {person}, {actors} ont désormais accès à {things} en quantité suffisante.",
    "Pour {person}, il s'agit de permettre à {actors} de mieux s'organiser.",
    "Au total, {n1} personnes sont concernées dans la région de {place}.",
    "Plus de {n1} bénéficiaires sont attendus dans les cercles de {place} et de {place2}.",
    "Le coût de l'opération est estimé à {n2} millions de francs CFA.",
    "L'enveloppe consacrée à {subject} s'élève à {n2} millions de FCFA, a précisé {person}.",
    "Les autorités locales, les leaders religieux et les représentants de la société civile "
    "ont pris part à la rencontre.",
    "Plusieurs partenaires techniques et financiers étaient présents à la cérémonie.",
    "Dans son intervention, le gouverneur de la région a salué l'engagement de {actors}.",
    "Le maire de la commune, {person}, a remercié le gouvernement pour cette initiative.",
    "Cette initiative s'inscrit dans la politique du gouvernement en faveur de {actors}.",
    "Il a invité {actors} à faire bon usage de {things} mis à leur disposition.",
    "Les difficultés rencontrées l'année dernière ont été au centre des échanges.",
    "Les participants ont formulé des recommandations pour améliorer la gestion de {things}.",
    "Un comité de suivi sera mis en place dans les prochains jours, a annoncé {person}.",
    "La prochaine étape concernera les localités de {place} et de {place2}.",
    "« Nous avons besoin de l'implication de tous pour réussir {subject} », a déclaré {person}.",
    "« C'est un grand jour pour notre communauté », s'est réjoui {person}, chef de village.",
    "Les {n3} premiers lots ont été remis aux bénéficiaires à la fin de la cérémonie.",
    "Les travaux dureront {n3} mois, selon le directeur régional, {person}.",
    "La délégation a ensuite visité les installations du site de {place}.",
    "Rappelons que {subject} avait été annoncé lors du dernier Conseil des ministres.",
    "Le gouvernement entend étendre l'expérience à l'ensemble du territoire national.",
    "Les bénéficiaires ont exprimé leur satisfaction et leur reconnaissance aux autorités.",
]


def news(w: Writer, when: datetime) -> tuple[str, str]:
    subject, actors, things = w.pick(NEWS_SUBJECTS)
    slots = lambda: dict(subject=subject, actors=actors, things=things,  # noqa: E731
                         day=w.pick(["hier", "ce " + DAYS[when.weekday()], "le week-end dernier"]),
                         place2=w.place(), n1=w.num(200, 90000), n2=w.num(5, 4000),
                         n3=w.num(2, 48))
    order = w.rng.sample(NEWS_SENTENCES, 16)
    sentences = [w.fill(s, **slots()) for s in order]
    sentences = [s[0].upper() + s[1:] for s in sentences]
    lead = " ".join(sentences[:2])
    rest = sentences[2:]
    cuts = sorted(w.rng.sample(range(1, len(rest)), 4))
    paragraphs = [" ".join(rest[a:b]) for a, b in zip([0, *cuts], [*cuts, len(rest)],
                                                                   strict=True)]
    return lead, "\n\n".join(paragraphs)


# Template families: each member is a distinct article; its facts (figures, dates, names)
# differ, its wording mostly does not.
def fuel_notice(w: Writer, when: datetime) -> tuple[str, str]:
    g, s, p = (w.rng.randrange(low, low + 90, 5) for low in (690, 740, 620))
    month = f"{MONTHS[when.month - 1]} {when.year}"
    lead = w.pick([
        f"L'Office national des produits pétroliers (ONAP) a rendu publics les prix à la pompe "
        f"applicables au mois de {month}.",
        f"Les prix des hydrocarbures à la pompe pour le mois de {month} sont connus, selon un "
        f"communiqué de l'Office national des produits pétroliers (ONAP).",
    ])
    body = "\n\n".join([
        w.pick([f"À Bamako, le litre de gasoil est fixé à {g} francs CFA et le litre de super "
                f"à {s} francs CFA. Le pétrole lampant est cédé à {p} francs CFA le litre.",
                f"À Bamako, le prix du litre de gasoil passe à {g} francs CFA, celui du super à "
                f"{s} francs CFA, et le pétrole lampant à {p} francs CFA."]),
        f"Dans les régions, un différentiel de transport de {w.rng.randrange(10, 60, 5)} francs "
        f"CFA par litre s'ajoute à ces prix, précise le communiqué signé du directeur général "
        f"de l'ONAP, {w.person()}.",
        "L'Office rappelle que ces prix sont des plafonds et que tout contrevenant s'expose aux "
        "sanctions prévues par la réglementation en vigueur. Les consommateurs sont invités à "
        "signaler toute pratique abusive aux services de la Direction générale du commerce, "
        "de la consommation et de la concurrence.",
        w.pick(["Ces prix entrent en vigueur à compter du 1er " + month + ".",
                "Les nouveaux prix sont applicables dès le 1er " + month + " sur toute l'étendue "
                "du territoire."]),
    ])
    return lead, body


def brvm_bulletin(w: Writer, when: datetime) -> tuple[str, str]:
    composite, b30 = f"{w.rng.uniform(200, 320):.2f}", f"{w.rng.uniform(100, 160):.2f}"
    move = w.pick(["en hausse", "en baisse"])
    pct = f"{w.rng.uniform(0.05, 2.5):.2f}"
    lead = (f"La Bourse régionale des valeurs mobilières (BRVM) a clôturé la séance du "
            f"{w.date(when)} {move}.")
    tops = w.rng.sample(["Sonatel", "Orange Côte d'Ivoire", "Ecobank", "Société Générale",
                         "Solibra", "Total Sénégal", "Bank of Africa", "Sodecom", "Nestlé",
                         "Palm Côte d'Ivoire", "Tractafric", "Servair"], 4)
    body = "\n\n".join([
        f"L'indice BRVM Composite s'établit à {composite} points, soit une variation de {pct} %, "
        f"tandis que l'indice BRVM 30 termine à {b30} points.",
        f"La capitalisation du marché des actions se chiffre à {w.num(9000, 14000)} milliards de "
        f"francs CFA, pour un volume de {w.num(100000, 2000000)} titres échangés.",
        f"Les plus fortes hausses reviennent à {tops[0]} (+{w.rng.uniform(1, 7.5):.2f} %) et à "
        f"{tops[1]} (+{w.rng.uniform(1, 7.5):.2f} %). Les plus fortes baisses concernent "
        f"{tops[2]} (-{w.rng.uniform(1, 7.5):.2f} %) et "
        f"{tops[3]} (-{w.rng.uniform(1, 7.5):.2f} %).",
        "Le marché obligataire reste stable, avec une capitalisation de "
        f"{w.num(9000, 11000)} milliards de francs CFA. La séance de cotation s'est déroulée "
        "normalement, selon le bulletin officiel de la cote publié par la BRVM.",
    ])
    return lead, body


def weather_bulletin(w: Writer, when: datetime) -> tuple[str, str]:
    cities = w.rng.sample(PLACES, 6)
    temps = [(w.rng.randint(17, 27), w.rng.randint(32, 45)) for _ in cities]
    lead = (f"Mali-Météo prévoit pour ce {w.date(when)} un temps "
            f"{w.pick(['ensoleillé', 'chaud et sec', 'nuageux', 'brumeux'])} sur la majeure "
            f"partie du pays.")
    body = "\n\n".join([
        w.pick(["Les températures maximales seront comprises entre ",
                "Les maximales oscilleront entre "]) +
        f"{min(t[1] for t in temps)} et {max(t[1] for t in temps)} degrés Celsius.",
        "Prévisions par ville : " + ", ".join(
            f"{c} {lo} °C / {hi} °C" for c, (lo, hi) in zip(cities, temps, strict=True)) + ".",
        f"Le vent soufflera de secteur {w.pick(['est', 'nord-est', 'sud-ouest', 'ouest'])} à "
        f"{w.rng.randint(10, 40)} km/h, avec des rafales pouvant atteindre "
        f"{w.rng.randint(40, 70)} km/h dans le nord. La visibilité sera réduite par la poussière "
        "dans les régions de Gao, Tombouctou et Kidal, précise le bulletin de l'Agence nationale "
        "de la météorologie.",
        "Mali-Météo recommande aux usagers de la route la plus grande prudence et invite les "
        "populations à s'hydrater régulièrement pendant les heures les plus chaudes.",
    ])
    return lead, body


def fama_communique(w: Writer, when: datetime) -> tuple[str, str]:
    place = w.place()
    lead = w.pick([
        f"Dans le cadre des opérations de surveillance du territoire menées le {w.date(when)}, "
        f"les Forces armées maliennes (FAMa) ont neutralisé plusieurs terroristes près de {place}.",
        f"Les Forces armées maliennes (FAMa) ont mené le {w.date(when)} une opération de "
        f"sécurisation dans la zone de {place}, selon un communiqué de l'État-major général.",
    ])
    body = "\n\n".join([
        f"Selon le communiqué de l'État-major général des armées, les vecteurs aériens ont "
        f"frappé {w.pick(['un plot logistique', 'un regroupement', 'des motos'])} "
        f"à {w.num(8, 60)} kilomètres au {w.pick(['nord', 'sud', 'est', 'ouest'])} de {place}.",
        f"Le bilan fait état de {w.num(3, 40)} terroristes neutralisés et de "
        f"{w.num(2, 25)} motos détruites. {w.num(1, 9)} armes de guerre ont été récupérées.",
        "L'État-major général des armées rassure l'opinion nationale et internationale de sa "
        "détermination à poursuivre la traque des groupes armés terroristes jusque dans leurs "
        "derniers retranchements, et invite les populations à collaborer avec les Forces de "
        "défense et de sécurité en signalant tout mouvement suspect.",
        "L'État-major général des armées salue la bravoure des hommes engagés sur le terrain.",
    ])
    return lead, body


def obituary(w: Writer, when: datetime) -> tuple[str, str]:
    name, age, place = w.person(), w.rng.randint(48, 96), w.place()
    title = w.pick(["l'ancien ministre", "le doyen", "l'ancien député", "le professeur",
                    "l'imam", "le journaliste"])
    lead = (f"Les familles {name.split()[1]}, alliées et amies ont la profonde douleur de vous "
            f"annoncer le décès de {title} {name}, survenu le {w.date(when)} à {place}, à "
            f"l'âge de {age} ans.")
    body = "\n\n".join([
        f"L'enterrement a eu lieu le lendemain au cimetière de {w.place()}, après la prière "
        f"à la mosquée du quartier {w.pick(['Hippodrome', 'Badalabougou', 'Niaréla', 'Missira'])}.",
        f"Le défunt laisse derrière lui {w.rng.randint(2, 12)} enfants et "
        f"{w.rng.randint(3, 40)} petits-enfants. Né à {w.place()} en {2025 - age}, il avait "
        f"servi l'administration pendant {w.rng.randint(20, 40)} ans.",
        "Les condoléances sont reçues au domicile familial. Que son âme repose en paix. "
        "La rédaction présente ses condoléances les plus attristées à la famille éplorée.",
        "Puisse Allah l'accueillir dans son paradis éternel. Amen.",
    ])
    return lead, body


def exam_results(w: Writer, when: datetime) -> tuple[str, str]:
    exam = w.pick(["du Diplôme d'études fondamentales (DEF)", "du baccalauréat malien",
                   "du Certificat d'aptitude professionnelle (CAP)"])
    rate = f"{w.rng.uniform(20, 80):.2f}"
    academies = w.rng.sample(["Bamako rive gauche", "Bamako rive droite", "Kati", "Ségou",
                              "Sikasso", "Kayes", "Mopti", "Koutiala", "Gao", "Koulikoro"], 4)
    lead = (f"Les résultats de la session {when.year} {exam} ont été proclamés le "
            f"{w.date(when)}, avec un taux de réussite national de {rate} %.")
    body = "\n\n".join([
        f"Sur {w.num(20000, 240000)} candidats, {w.num(10000, 150000)} ont été déclarés "
        f"admis, selon le ministère de l'Éducation nationale.",
        "Par académie, " + ", ".join(
            f"{a} affiche {w.rng.uniform(15, 85):.2f} %" for a in academies) + ".",
        f"Le meilleur candidat, {w.person()}, du lycée de {w.place()}, obtient une moyenne "
        f"de {w.rng.uniform(15, 19):.2f} sur 20.",
        "Le ministre a félicité les candidats admis et encouragé les autres à persévérer. Il a "
        "salué le travail des enseignants et des correcteurs, ainsi que le bon déroulement des "
        "épreuves sur l'ensemble du territoire national.",
    ])
    return lead, body


def council_of_ministers(w: Writer, when: datetime) -> tuple[str, str]:
    lead = (f"Le Conseil des ministres s'est réuni en session ordinaire, le {w.date(when)}, "
            "dans sa salle de délibérations au Palais de Koulouba, sous la présidence du "
            "Président de la Transition, Chef de l'État.")
    measures = [
        f"un projet de décret portant nomination de {w.person()} en qualité de "
        f"{w.pick(['directeur général', 'secrétaire général', 'inspecteur en chef'])} "
        f"{w.pick(['de la Santé', 'des Domaines', 'du Trésor', 'de la Jeunesse', 'des Mines'])}",
        f"un projet de loi autorisant la ratification de l'accord de prêt de "
        f"{w.num(5, 90)} milliards de francs CFA conclu avec la "
        f"{w.pick(['Banque islamique de développement', 'Banque mondiale', 'BOAD'])}",
        f"un projet d'ordonnance portant création de l'Agence "
        f"{w.pick(['de gestion des fonds', 'nationale de l’eau', 'pour la promotion des PME'])}",
        f"un projet de décret fixant les modalités d'organisation du recensement à "
        f"{w.place()} et à {w.place()}",
    ]
    w.rng.shuffle(measures)
    body = "\n\n".join([
        "Après examen des points inscrits à l'ordre du jour, le Conseil a adopté "
        + "; ".join(measures[:3]) + ".",
        f"Au titre des mesures individuelles, le Conseil a procédé à la nomination de "
        f"{w.person()}, {w.person()} et {w.person()}.",
        f"Au chapitre des communications, le ministre de la Santé a informé le Conseil de la "
        f"situation épidémiologique, marquée par {w.num(2, 400)} cas de dengue notifiés.",
        "Le Conseil a pris acte des communications et félicité les ministres concernés. "
        f"Koulouba, le {when.day} {MONTHS[when.month - 1]} {when.year}. Le Secrétaire général "
        f"du Gouvernement, {w.person()}, Chevalier de l'Ordre national.",
    ])
    return lead, body


def power_cut_notice(w: Writer, when: datetime) -> tuple[str, str]:
    """The near-identical dispatches one site publishes by the dozen."""
    quarter = w.pick(["Badalabougou", "Kalaban Coura", "Sébénikoro", "Faladié", "Niamakoro",
                      "Sogoniko", "Banankabougou", "Djicoroni Para", "Lafiabougou", "Hamdallaye",
                      "Korofina", "Boulkassoumbougou", "Sikoroni", "Missabougou", "Yirimadio"])
    start = w.rng.randint(7, 11)
    lead = (f"Énergie du Mali (EDM-SA) informe son aimable clientèle d'une interruption de la "
            f"fourniture d'électricité le {w.date(when)} de {start}h à "
            f"{start + w.rng.randint(3, 8)}h "
            f"dans le quartier de {quarter}.")
    body = "\n\n".join([
        f"Cette interruption est nécessaire pour des travaux de maintenance sur le poste "
        f"{w.pick(['de Kalaban', 'de Sirakoro', 'de Lafiabougou', 'de Dar Salam'])} "
        f"et la ligne {w.num(10, 99)} kV qui l'alimente.",
        f"Les zones concernées sont : {quarter}, {w.place()} Coura et les environs de la "
        f"route de {w.place()}.",
        "EDM-SA s'excuse des désagréments que cette coupure pourrait causer et remercie sa "
        "clientèle pour sa compréhension. Pour toute information, appelez le numéro vert.",
        "La Direction générale",
    ])
    return lead, body


def football_result(w: Writer, when: datetime) -> tuple[str, str]:
    """Held out: written after the rules were set, never used to tune them."""
    teams = w.rng.sample(["Stade malien", "Djoliba AC", "Real de Bamako", "AS Bakaridjan",
                          "USC Kita", "Onze Créateurs", "AS Police", "Binga FC", "CO Bamako",
                          "AS Black Stars", "Yeelen Olympique", "Afrique Football Élite"], 2)
    goals = (w.rng.randint(0, 4), w.rng.randint(0, 4))
    lead = (f"En match comptant pour la {w.rng.randint(1, 26)}e journée de la Ligue 1 Orange, "
            f"le {teams[0]} a {'battu' if goals[0] > goals[1] else 'affronté'} le {teams[1]} "
            f"({goals[0]}-{goals[1]}) ce {DAYS[when.weekday()]} au stade "
            f"{w.pick(['Modibo Keïta', 'du 26 Mars', 'Mamadou Konaté', 'Babemba Traoré'])}.")
    scorers = ", ".join(f"{w.person()} ({w.rng.randint(1, 90)}e)" for _ in range(sum(goals)))
    body = "\n\n".join([
        "Les buts ont été inscrits par " + (scorers or "personne") + ".",
        f"Devant {w.num(500, 25000)} spectateurs, les deux équipes ont livré une rencontre "
        "disputée, marquée par plusieurs occasions de part et d'autre en première période.",
        f"Au classement, le {teams[0]} compte désormais {w.rng.randint(1, 60)} points, contre "
        f"{w.rng.randint(1, 60)} pour le {teams[1]}. La prochaine journée est prévue le week-end "
        "prochain sur l'ensemble des terrains du pays.",
        f"L'entraîneur {w.person()} s'est dit satisfait de la prestation de ses joueurs et a "
        "promis de corriger les erreurs constatées avant le prochain match.",
    ])
    return lead, body


def one_fact_changed(w: Writer, lead: str, body: str) -> tuple[str, str]:
    """The same text with one figure or one name changed, anywhere in it: the hardest pair."""
    names = set(FIRST) | set(LAST) | set(PLACES)
    spots = [m for m in re.finditer(r"\d+|[^\W\d_]+", body)
             if m.group().isdigit() or m.group() in names]
    spot = w.pick(spots)
    old = spot.group()
    if old.isdigit():
        new = str(int(old) + w.pick([-1, 1]) * w.rng.randint(1, 9) * 10 ** max(0, len(old) - 2))
        new = new if int(new) >= 0 else str(int(old) + 1)
    else:
        pool = next(p for p in (FIRST, LAST, PLACES) if old in p)
        new = w.pick([n for n in pool if n != old])
    return lead, body[: spot.start()] + new + body[spot.end():]


def minimal(write: Callable) -> Callable:
    """A family whose members each differ from the one before in a single fact."""
    written: list[tuple[str, str]] = []

    def member(w: Writer, when: datetime) -> tuple[str, str]:
        text = write(w, when) if not written else one_fact_changed(w, *written[-1])
        while text in written:  # a change undone two steps later makes the same text again
            text = one_fact_changed(w, *written[-1])
        written.append(text)
        return text
    return member


def market_prices(w: Writer, when: datetime) -> tuple[str, str]:
    """Held out: written after the rules were set, never used to tune them."""
    market = w.pick(["Médine", "Dibida", "Niaréla", "Wonida", "Bagadadji", "Sabalibougou"])
    lead = (f"Au marché de {market}, à Bamako, les prix des céréales et de l'or relevés ce "
            f"{w.date(when)} sont {w.pick(['stables', 'en légère hausse', 'en baisse'])}.")
    body = "\n\n".join([
        f"Le sac de 100 kg de riz local se vend à {w.num(30, 45)} 000 FCFA, le riz importé à "
        f"{w.num(28, 40)} 000 FCFA. Le mil est cédé à {w.num(18, 30)} 000 FCFA le sac et le "
        f"maïs à {w.num(15, 25)} 000 FCFA.",
        f"Le gramme d'or 18 carats s'échange à {w.num(38, 52)} 500 FCFA, selon les "
        f"bijoutiers du marché, contre {w.num(36, 50)} 000 FCFA il y a un mois.",
        f"Le kilogramme de viande avec os est à {w.num(3, 4)} 000 FCFA, sans os à "
        f"{w.num(4, 5)} 500 FCFA. Le litre d'huile d'arachide coûte {w.num(9, 14)}00 FCFA.",
        f"Selon {w.person()}, commerçant grossiste, l'approvisionnement reste régulier malgré "
        "les difficultés de transport sur les axes routiers du pays.",
    ])
    return lead, body


FAMILIES = {  # name: (writer, members, days between members)
    "conseil des ministres": (council_of_ministers, 8, 7),
    "prix des carburants": (fuel_notice, 8, 30),
    "BRVM": (brvm_bulletin, 10, 1),
    "météo": (weather_bulletin, 10, 1),
    "FAMa": (fama_communique, 10, 2),
    "nécrologie": (obituary, 10, 1),
    "résultats d'examens": (exam_results, 6, 3),
    "carburants, un seul chiffre change": (minimal(fuel_notice), 6, 1),
    "nécrologie, un seul fait change": (minimal(obituary), 6, 1),
    "météo, un seul fait change": (minimal(weather_bulletin), 6, 1),
    "coupures, un seul fait change": (minimal(power_cut_notice), 6, 1),
    "FAMa, un seul fait change": (minimal(fama_communique), 6, 1),
}
HELD_OUT = {"football (held out)": (football_result, 20, 1),
            "prix des marchés (held out)": (market_prices, 20, 1),
            "prix des marchés, un seul fait change (held out)": (minimal(market_prices), 8, 1)}


PRESS_QUOTES = [
    "« Le Mali ne cédera pas au chantage et la sécurité de nos populations reste notre "
    "priorité absolue », a martelé le ministre devant la presse.",
    "« Les résultats obtenus sur le terrain sont le fruit des sacrifices consentis par nos "
    "soldats et par l'ensemble du peuple malien »",
    "« Nous lançons un appel à tous nos partenaires pour qu'ils respectent la souveraineté de "
    "notre pays et les choix de notre peuple »",
]


def press_conference(w: Writer, when: datetime) -> list[tuple[str, str]]:
    """One press conference told by three papers: three distinct articles, the same quotes."""
    minister, place, n = w.person(), w.pick(["Centre international de conférences",
                                            "ministère de la Communication"]), w.num(30, 90)
    date = w.date(when)
    tellings = [
        (f"Le ministre {minister} a animé le {date} une conférence de presse au {place} sur la "
         "situation sécuritaire du pays.",
         [f"Devant une cinquantaine de journalistes, le ministre {minister} a dressé le bilan "
          f"des opérations menées ces {n} derniers jours par les forces armées.",
          PRESS_QUOTES[0],
          "Il a ensuite répondu aux questions des journalistes sur la libre circulation des "
          "personnes et des biens, ainsi que sur l'approvisionnement des régions du nord.",
          PRESS_QUOTES[1] + ", a-t-il ajouté.",
          "La conférence s'est achevée par une séance de questions-réponses avec les médias."]),
        (f"Situation sécuritaire : {minister} face à la presse",
         [f"C'était le {date} au {place}. Le ministre {minister} a fait le point de la situation "
          f"sécuritaire, à l'issue de {n} jours d'opérations.",
          PRESS_QUOTES[1] + ", a-t-il déclaré d'entrée de jeu.",
          "Interrogé sur les relations avec les pays voisins, le ministre a été clair.",
          PRESS_QUOTES[2] + ", a-t-il lancé.",
          "Selon plusieurs observateurs, cette sortie médiatique intervient dans un contexte "
          "diplomatique tendu pour les pays de la Confédération des États du Sahel."]),
        (f"Le gouvernement a tenu une conférence de presse le {date} au {place}.",
         [f"Face aux journalistes, {minister} a abordé plusieurs sujets d'actualité : la "
          "sécurité, la diplomatie et la situation humanitaire.",
          PRESS_QUOTES[0],
          PRESS_QUOTES[2] + ", a poursuivi le conférencier.",
          f"Il a également annoncé que {n} nouvelles unités seront déployées avant la fin de "
          "l'année dans les zones les plus exposées.",
          "Les questions des journalistes ont porté sur le coût de la vie et la crise de "
          "l'énergie, auxquelles le ministre a promis des réponses dans les prochains jours."]),
    ]
    tellings.append((  # a radio's brief: mostly the quotes the others carry too
        f"Conférence de presse de {minister}",
        [PRESS_QUOTES[0], PRESS_QUOTES[2] + f", a-t-il dit le {date}."]))
    return [(lead, "\n\n".join(paragraphs)) for lead, paragraphs in tellings]


ADS = ["PUBLICITÉ", "Abonnez-vous à notre chaîne WhatsApp pour ne rien manquer de l'actualité.",
       "Téléchargez notre application mobile disponible sur Android et iOS.",
       "LIRE AUSSI : Bamako : la mairie du district lance l'opération ville propre"]


def _drop_accents(text: str) -> str:
    return "".join(c for c in text if c.isascii())


def _fold_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _mojibake(text: str) -> str:
    return text.encode("utf-8").decode("cp1252", errors="replace")


def _question_marks(text: str) -> str:
    return "".join(c if c.isascii() or not c.isalpha() else "?" for c in text)


def _trim(rng: random.Random, body: str) -> str:
    words = body.split(" ")
    return " ".join(words[: int(len(words) * rng.uniform(0.45, 0.75))]) + rng.choice(
        ["… Lire la suite", " […]", "...", "\n\nLire la suite sur L'Essor"])


def _reorder(rng: random.Random, body: str) -> str:
    paragraphs = body.split("\n\n")
    head, rest = paragraphs[:1], paragraphs[1:]
    rng.shuffle(rest)
    for ad in rng.sample(ADS, 2):
        rest.insert(rng.randrange(len(rest) + 1), ad)
    return "\n\n".join(head + rest)


def _light_edit(rng: random.Random, body: str) -> str:
    for old, new in [("hier", "ce lundi"), ("a déclaré", "a indiqué"), ("a précisé", "a dit"),
                     ("Selon", "D'après"), ("francs CFA", "FCFA")]:
        body = body.replace(old, new)
    return body


def _figures_reformatted(body: str) -> str:
    """"12 500" -> "12500", "francs CFA" -> "FCFA": how some sites retype figures."""
    return re.sub(r"(?<=\d) (?=\d{3}\b)", "", body).replace("francs CFA", "FCFA")


def _dateline(rng: random.Random, body: str, when: datetime) -> str:
    site = rng.choice(["Maliweb", "AMAP", "Malijet"])
    return f"Bamako, {when.day} {MONTHS[when.month - 1][:4]}. {when.year} ({site}) - {body}"


COPY_KINDS = [
    "whole + Source line", "chapeau into body", "chapeau dropped", "trimmed",
    "chapeau dropped, trimmed", "accents lost", "accents folded", "mojibake", "question marks",
    "headline changed, Mali : prefix", "reordered + ads", "lightly edited",
    "figures retyped, dateline added", "accents lost, chapeau dropped, Source line",
    "mojibake, trimmed", "copy of a copy: Source line, then accents lost and trimmed",
]


def make_copy(rng: random.Random, kind: str, lead: str, body: str, paper: str,
              when: datetime) -> tuple[str | None, str]:
    """(lead, body) of a copy made the way `kind` says an aggregator makes it."""
    match kind:
        case "whole + Source line":
            return lead, f"{body}\n\nSource : {paper}"
        case "chapeau into body":
            return None, f"{lead}\n\n{body}"
        case "chapeau dropped":
            return None, body
        case "trimmed":
            return lead, _trim(rng, body)
        case "chapeau dropped, trimmed":
            return None, _trim(rng, body)
        case "accents lost":
            return _drop_accents(lead), _drop_accents(body)
        case "accents folded":
            return _fold_accents(lead), _fold_accents(body)
        case "mojibake":
            return _mojibake(lead), _mojibake(body)
        case "question marks":
            return _question_marks(lead), _question_marks(body)
        case "headline changed, Mali : prefix":
            return "Mali : " + lead, body
        case "reordered + ads":
            return lead, _reorder(rng, body)
        case "lightly edited":
            return lead, _light_edit(rng, body) + f"\n\nAvec {paper}"
        case "figures retyped, dateline added":
            return None, _dateline(rng, _figures_reformatted(f"{lead}\n\n{body}"), when)
        case "accents lost, chapeau dropped, Source line":
            return None, _drop_accents(body) + f"\n\nSource : {_drop_accents(paper)}"
        case "mojibake, trimmed":
            return _mojibake(lead), _mojibake(_trim(rng, body))
        case "copy of a copy: Source line, then accents lost and trimmed":
            return _drop_accents(lead), _drop_accents(_trim(rng, f"{body}\n\nSource : {paper}"))
    raise ValueError(kind)


def copies_of(rng: random.Random, original: Item, count: int, late: bool = False) -> list[Item]:
    """`count` copies by different aggregators, hours later (or weeks later, whole)."""
    made = []
    for aggregator in rng.sample(AGGREGATORS, count):
        kind = rng.choice(COPY_KINDS)
        if late:
            kind = rng.choice(["whole + Source line", "chapeau into body", "accents lost"])
            delay = timedelta(days=rng.uniform(10, 45))
        else:
            delay = timedelta(hours=rng.uniform(-6, 48))  # a copy may carry an earlier date
        lead, body = make_copy(rng, kind, original.lead or "", original.body,
                               PAPER_TITLES.get(original.source, original.source),
                               original.when + delay)
        made.append(Item(aggregator, lead, body, original.when + delay, original.story,
                         original.family, kind))
    return made


def labelled_set(seed: int, families: dict) -> list[Item]:
    """Originals with their copies, and the template families' distinct articles (some copied)."""
    rng = random.Random(seed)
    w = Writer(rng)
    items: list[Item] = []
    for name, (write, members, every) in families.items():
        for k in range(members):
            when = START + timedelta(days=every * k, hours=rng.uniform(0, 10))
            lead, body = write(w, when)
            item = Item(rng.choice(PAPERS), lead, body, when, f"{name} {k}", name)
            items.append(item)
            if rng.random() < 0.3:  # an aggregator copies this one, not its siblings
                items.extend(copies_of(rng, item, 1))
    return items


def general_set(seed: int, originals: int) -> list[Item]:
    rng = random.Random(seed + 1000)
    w = Writer(rng)
    items: list[Item] = []
    for k in range(originals):
        when = START + timedelta(days=rng.uniform(0, 120))
        lead, body = news(w, when)
        item = Item(rng.choice(PAPERS), lead, body, when, f"news {k}", "news")
        items.append(item)
        items.extend(copies_of(rng, item, rng.randint(1, 3)))
        if rng.random() < 0.15:
            items.extend(copies_of(rng, item, 1, late=True))
    for k in range(3):  # three press conferences, each told by four papers
        when = START + timedelta(days=rng.uniform(0, 120))
        tellings = press_conference(w, when)
        for paper, (lead, body) in zip(rng.sample(PAPERS, len(tellings)), tellings, strict=True):
            items.append(Item(paper, lead, body, when + timedelta(hours=rng.uniform(0, 12)),
                              f"presse {k} {paper}", "conférence de presse (4 récits)"))
    # thirty near-identical dispatches from one site, and one from another source
    for k in range(30):
        when = START + timedelta(days=k, hours=rng.uniform(0, 10))
        lead, body = power_cut_notice(w, when)
        items.append(Item("edm", lead, body, when, f"coupure {k}", "coupures (30 d'un site)"))
    lead, body = power_cut_notice(w, START + timedelta(days=12))
    items.append(Item("lessor", lead, body, START + timedelta(days=12, hours=3), "coupure L'Essor",
                      "coupures (30 d'un site)"))
    return items


@dataclass
class Score:
    linked: set[frozenset[int]]  # pairs put in one copy group

    def against(self, items: list[Item], subset: set[int]) -> dict:
        """Precision, recall and false merges over the pairs of `subset`'s articles."""
        true_pairs = {frozenset((i, j)) for i, j in itertools.combinations(sorted(subset), 2)
                      if items[i].story == items[j].story}
        linked = {p for p in self.linked if p <= subset}
        false = linked - true_pairs
        return {"copy pairs": len(true_pairs), "linked": len(linked),
                "true linked": len(linked & true_pairs), "false merges": len(false),
                "recall": len(linked & true_pairs) / len(true_pairs) if true_pairs else 1.0,
                "precision": len(linked & true_pairs) / len(linked) if linked else 1.0,
                "false pairs": false}


def through_the_store(items: list[Item], window_days: int) -> Score:
    """What the product links: each article stored and deduped as a crawl does, in order of
    arrival (a copy may arrive before its original); groups read back from duplicate_of."""
    titles = {**PAPER_TITLES, "edm": "EDM-SA"}
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/copies.db")
        ids: dict[str, int] = {}
        for n in sorted(range(len(items)), key=lambda n: items[n].when):
            item = items[n]
            url = f"https://{item.source}.ml/{n}"
            store.upsert_articles([Article(source=item.source, url=url, title=f"article {n}",
                                           lead=item.lead, body=item.body,
                                           published_at=item.when)])
            store.dedup(item.source, window=timedelta(days=window_days),
                        title=titles.get(item.source))
            ids[url] = n
        with store.engine.connect() as db:
            rows = db.execute(text("SELECT id, url, duplicate_of FROM articles")).all()
        store.engine.dispose()
    by_id = {row.id: ids[row.url] for row in rows}
    groups: dict[int, list[int]] = {}
    for row in rows:
        groups.setdefault(row.duplicate_of or row.id, []).append(by_id[row.id])
    return Score({frozenset(p) for g in groups.values() for p in itertools.combinations(g, 2)})


def all_pairs(items: list[Item], linked: Callable[[int, int], bool], window_days: int) -> Score:
    """A pairwise rule over every pair from different sources within the window."""
    pairs = set()
    for i, j in itertools.combinations(range(len(items)), 2):
        a, b = items[i], items[j]
        if a.source != b.source and abs(a.when - b.when) <= timedelta(days=window_days) \
                and linked(i, j):
            pairs.add(frozenset((i, j)))
    return Score(pairs)


def previous_rule(items: list[Item]) -> Callable[[int, int], bool]:
    """The rule before this change: Jaccard >= 0.5 or containment >= 0.8 of the accent-folded
    shingles, nothing else."""
    prints = [shingles(copy_text(i.lead, i.body)) for i in items]

    def linked(i: int, j: int) -> bool:
        a, b = prints[i], prints[j]
        if min(len(a), len(b)) < MIN_SHINGLES:
            return False
        common = len(np.intersect1d(a, b, assume_unique=True))
        return (common / (len(a) + len(b) - common) >= COPY_JACCARD
                or common / min(len(a), len(b)) >= COPY_CONTAINMENT)
    return linked


def rapidfuzz_rule(items: list[Item]) -> Callable[[int, int], bool]:
    """What a user might write first: rapidfuzz token_set_ratio >= 90 of the texts."""
    texts = [copy_text(i.lead, i.body) for i in items]
    return lambda i, j: fuzz.token_set_ratio(texts[i], texts[j]) >= 90


def labelled(seed: int, window_days: int, show_false: bool) -> None:
    dev = labelled_set(seed, FAMILIES) + general_set(seed, 60)
    held = labelled_set(seed + 7, HELD_OUT)
    items = dev + held
    dev_ids, held_ids = set(range(len(dev))), set(range(len(dev), len(items)))
    start = time.process_time()
    rules = {"ours (the store)": through_the_store(items, window_days)}
    ours_s = time.process_time() - start
    rules["previous rule (shingles only, all pairs)"] = all_pairs(items, previous_rule(items),
                                                                  window_days)
    rules["rapidfuzz token_set_ratio >= 90, all pairs"] = all_pairs(
        items, rapidfuzz_rule(items), window_days)
    print(f"Copy detection on a labelled set, seed {seed} ({len(dev)} articles to tune on, "
          f"{len(held)} held out; {machine()}; load average {os.getloadavg()[0]:.1f}; ours "
          f"{ours_s:.1f} s CPU for storing and linking all {len(items)})\n")
    print("| rule | set | copy pairs | linked | true linked | false merges | recall | "
          "precision |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, score in rules.items():
        for label, subset in [("tuned on", dev_ids), ("held out", held_ids)]:
            r = score.against(items, subset)
            print(f"| {name} | {label} | {r['copy pairs']} | {r['linked']} | "
                  f"{r['true linked']} | {r['false merges']} | {r['recall']:.3f} | "
                  f"{r['precision']:.3f} |")
    ours = rules["ours (the store)"]
    print("\nOurs by family (all pairs of the family's articles and their copies):\n")
    print("| family | articles | copy pairs | linked of them | distinct pairs | false merges |")
    print("|---|---:|---:|---:|---:|---:|")
    for family in dict.fromkeys(i.family for i in items):
        subset = {n for n, i in enumerate(items) if i.family == family}
        r = ours.against(items, subset)
        distinct = len(subset) * (len(subset) - 1) // 2 - r["copy pairs"]
        print(f"| {family} | {len(subset)} | {r['copy pairs']} | {r['true linked']} | "
              f"{distinct} | {r['false merges']} |")
    print("\nOurs by copy kind (a copy linked to its original):\n")
    print("| copy made by | copies | linked to the original |")
    print("|---|---:|---:|")
    originals = {i.story: n for n, i in enumerate(items) if i.how == "original"}
    kinds: dict[str, list[bool]] = {}
    for n, item in enumerate(items):
        if item.how != "original":
            kinds.setdefault(item.how, []).append(frozenset((n, originals[item.story]))
                                                   in ours.linked)
    for kind, found in sorted(kinds.items()):
        print(f"| {kind} | {len(found)} | {sum(found)} |")
    if show_false:
        for name, score in rules.items():
            for pair in sorted(score.against(items, dev_ids | held_ids)["false pairs"],
                               key=sorted)[:10]:
                i, j = sorted(pair)
                print(f"\n{name}: false merge {items[i].story!r} ({items[i].how}) ~ "
                      f"{items[j].story!r} ({items[j].how})")
        missed = [(n, originals[i.story]) for n, i in enumerate(items) if i.how != "original"
                  and frozenset((n, originals[i.story])) not in ours.linked]
        for n, o in missed[:10]:
            print(f"\nmissed: {items[n].story!r} by {items[n].how}, "
                  f"{(items[n].when - items[o].when).days} days apart")
    print(f"\nreproduce: .venv/bin/python scripts/bench/copies.py --labelled --seed {seed}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--labelled", action="store_true",
                        help="precision and recall on the labelled set instead of speed")
    parser.add_argument("--window-days", type=int, default=60)
    parser.add_argument("--show", action="store_true", help="list false merges and misses")
    args = parser.parse_args()
    if args.labelled:
        labelled(args.seed, args.window_days, args.show)
        return
    if args.one:
        print(json.dumps(one_size(args.one, args.seed)))
        return
    rows = []
    for n in args.sizes:
        done = subprocess.run([sys.executable, __file__, "--one", str(n), "--seed", str(args.seed)],
                              stdout=subprocess.PIPE, text=True, check=True)
        rows.append(json.loads(done.stdout))
        print(f"... {n} articles done", file=sys.stderr)
    print(f"Near-duplicate linking, one core, CPU time of the process ({machine()}, load average "
          f"{os.getloadavg()[0]:.1f})")
    print("| articles | copies | seconds | articles/s | fingerprint share | RSS MB | recall | "
          "precision | naive all-pairs seconds (extrapolated) | naive articles/s | speed ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['articles']:,} | {r['copies']:,} | {r['seconds']:.1f} | {r['per_s']:,.0f} | "
              f"{r['fingerprint_share']:.0%} | {r['rss_mb']:,.0f} | {r['recall']:.4f} | "
              f"{r['precision']:.4f} | {r['naive_seconds']:,.0f} | {r['naive_per_s']:,.2f} | "
              f"{r['per_s'] / r['naive_per_s']:,.0f}x |")
    first, last = rows[0], rows[-1]
    growth = (last["seconds"] / first["seconds"]) / (last["articles"] / first["articles"])
    print(f"\ntime grows {growth:.2f}x as fast as the article count from {first['articles']:,} "
          f"to {last['articles']:,} (1.00 = linear; all-pairs would be "
          f"{last['articles'] / first['articles']:,.0f}x)")
    sizes = " ".join(map(str, args.sizes))
    print(f"reproduce: .venv/bin/python scripts/bench/copies.py --sizes {sizes} --seed {args.seed}")


if __name__ == "__main__":
    main()
