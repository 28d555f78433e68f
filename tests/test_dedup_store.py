"""Dedup in the database: teasers linked in either order, copies linked to their original,
`rebuild_dedup` idempotent; on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

from crawler.items import Article, Teaser
from crawler.models import ArticleRow, TeaserRow
from crawler.store import open_store

WINDOW = timedelta(days=60)
WHEN = datetime(2025, 12, 10, 8, 40, tzinfo=UTC)
NAIVE = (Path(__file__).parent / "data" / "lessor-naive-scrape.txt").read_text("utf-8").split("\n")
STORY_BODY = "\n\n".join(NAIVE[:6])
STORY_LEAD = (
    "Le ministre des Affaires étrangères et de la Coopération internationale, Abdoulaye Diop, "
    "et le ministre de la Défense et des Anciens combattants, le général de corps d’armée "
    "Sadio Camara, ont eu une séance de travail avec leurs homologues russes."
)
TITLES = {"lessor": "L'Essor", "maliweb": "Maliweb", "malijet": "Malijet"}
# How each of the six related teasers of the naive scrape continues past L'Essor's 300 bytes
# (the first two chapeaus are known: scripts/cassette_sources/lessor.py and test_dedup.py).
CONTINUATIONS = [
    "ence de plusieurs membres du gouvernement.",
    "cle de Kati.",
    "ion sur la protection des civils.",
    None, None,
    "enjeux de la lutte contre ce fléau.",
]
TEASERS = NAIVE[7:13]


def lessor_teaser(lead: str) -> str:
    return lead.encode("utf-8")[:300].decode("utf-8", errors="ignore") + "."


def lead_of(teaser: str, continuation: str | None) -> str:
    """A chapeau that L'Essor renders as this teaser."""
    lead = teaser[:-1] + (continuation or "")
    assert lessor_teaser(lead) == teaser
    return lead


LEADS = [lead_of(t, c) for t, c in zip(TEASERS, CONTINUATIONS, strict=True)]


def article(source: str, slug: str, *, lead: str | None = None, body: str = STORY_BODY,
            when: datetime = WHEN, **more) -> Article:
    host = {"lessor": "lessor.ml", "maliweb": "www.maliweb.net", "malijet": "malijet.com"}
    return Article(source=source, url=f"https://{host.get(source, source + '.ml')}/{slug}",
                   title=slug, lead=lead, body=body, published_at=when, **more)


def teaser(text: str, *, seen_on: str = "https://lessor.ml/", url: str | None = None,
           source: str = "lessor") -> Teaser:
    return Teaser(source=source, seen_on=seen_on, text=text, url=url)


@pytest.fixture
def store(db_url):
    opened = open_store(db_url)
    yield opened
    opened.engine.dispose()


def dedup(store, source=None):
    return store.dedup(source, window=WINDOW, title=TITLES.get(source))


def articles(store) -> dict[str, ArticleRow]:
    with Session(store.engine) as session:
        return {a.title: a for a in session.exec(select(ArticleRow)).scalars()}


def teaser_links(store) -> dict[str, tuple[str | None, str | None]]:
    """teaser text -> (title of its article, how it was linked)."""
    titles = {a.id: a.title for a in articles(store).values()}
    with Session(store.engine) as session:
        return {t.text: (titles.get(t.article_id), t.matched_by)
                for t in session.exec(select(TeaserRow)).scalars()}


def copy_links(store) -> dict[str, str | None]:
    rows = articles(store)
    by_id = {a.id: a.title for a in rows.values()}
    return {title: by_id.get(a.duplicate_of) for title, a in rows.items()}


STORY = [
    article("maliweb", "mali-russie-cooperation.html", publisher="L'Essor",
            lead=None, body=STORY_LEAD + "\n\n" + STORY_BODY, when=WHEN + timedelta(hours=5)),
    article("malijet", "mali-russie", lead=STORY_LEAD,
            body=STORY_BODY.replace("Russie", "Russie,") + "\n\nSource : L'Essor",
            when=WHEN + timedelta(hours=2)),
    # L'Essor is the original, though it is the latest here (a late date on its page)
    article("lessor", "posts/mali-russie-6939a7b1e3f90", lead=STORY_LEAD,
            when=WHEN + timedelta(hours=9)),
]


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 2, 0)])
def test_story_from_lessor_and_two_aggregators_leaves_one_original_two_copies(store, order):
    copies = 0
    for i in order:
        store.upsert_articles([STORY[i]])
        copies += dedup(store, STORY[i].source).copies
    original = STORY[2].title
    assert copy_links(store) == {original: None, STORY[0].title: original,
                                 STORY[1].title: original}
    assert copies >= 2


def test_without_attribution_the_earliest_copy_is_the_original(store):
    story = [article(s, f"story-{s}", lead=STORY_LEAD, when=WHEN + timedelta(hours=h))
             for s, h in (("maliweb", 3), ("malijet", 1), ("bamada", 2))]
    for item in story:
        store.upsert_articles([item])
        dedup(store, item.source)
    assert copy_links(store) == {"story-maliweb": "story-malijet", "story-malijet": None,
                                 "story-bamada": "story-malijet"}


def test_articles_that_only_open_alike_are_not_copies(store):
    other_body = "\n\n".join(NAIVE[7:13])
    store.upsert_articles([article("lessor", "a", lead=STORY_LEAD),
                           article("maliweb", "b", lead=STORY_LEAD, body=other_body)])
    assert dedup(store).copies == 0
    assert set(copy_links(store).values()) == {None}


def test_listing_teaser_of_the_story_is_linked_to_the_original_not_stored(store):
    for item in STORY:
        store.upsert_articles([item])
        dedup(store, item.source)
    # seen on an aggregator's listing, linking to a page we never stored
    store.add_teasers([teaser(lessor_teaser(STORY_LEAD), seen_on="https://bamada.net/",
                              url="https://bamada.net/mali-russie", source="bamada")])
    counts = dedup(store, "bamada")
    assert (counts.teasers_matched, counts.teasers_unmatched) == (1, 0)
    assert teaser_links(store)[lessor_teaser(STORY_LEAD)] == (STORY[2].title, "text")
    assert len(articles(store)) == 3


@pytest.mark.parametrize("teasers_first", [True, False])
def test_six_naive_scrape_teasers_match_their_articles_in_either_order(store, teasers_first):
    related = [teaser(t, seen_on="https://lessor.ml/posts/mali-russie") for t in TEASERS]
    stories = [article("lessor", f"posts/story-{i}", lead=lead,
                       body=f"Premier paragraphe de l'article numéro {i}.")
               for i, lead in enumerate(LEADS)]
    first, then = (related, stories) if teasers_first else (stories, related)
    for batch in (first, then):
        if isinstance(batch[0], Teaser):
            store.add_teasers(batch)
        else:
            store.upsert_articles(batch)
        counts = dedup(store, "lessor")
    assert counts.teasers_matched == 6
    assert teaser_links(store) == {t: (f"posts/story-{i}", "text") for i, t in enumerate(TEASERS)}


MINISTER = "Le ministre de la Justice, Garde des Sceaux, a présidé hier à Bamako "
SIBLING_LEADS = [
    MINISTER + "la cérémonie de rentrée judiciaire de la Cour suprême, en présence des magistrats.",
    MINISTER + "la réunion du comité de pilotage de la réforme pénitentiaire.",
    MINISTER + "la cérémonie de remise de diplômes aux greffiers de la promotion 2025.",
]
HELD_OUT = [  # (teaser as a site shows it, index of its lead or None when ambiguous)
    (SIBLING_LEADS[0][:95] + "…", 0),
    (SIBLING_LEADS[1][:100] + "...", 1),
    (SIBLING_LEADS[2][:104] + " […]", 2),
    (SIBLING_LEADS[0][:110] + ". Lire la suite", 0),
    (SIBLING_LEADS[2].upper()[:90] + "…", 2),
    (lessor_teaser(SIBLING_LEADS[1]), 1),
    (MINISTER + "la cérémonie…", None),  # two ceremonies: ambiguous, so left unmatched
    (MINISTER + "la…", None),
]


def test_held_out_teasers_match_with_no_false_merge_among_look_alikes(store):
    store.upsert_articles([article("lessor", f"sibling-{i}", lead=lead, body="Corps.")
                           for i, lead in enumerate(SIBLING_LEADS)])
    store.add_teasers([teaser(text, seen_on=f"https://site.ml/{n}")
                       for n, (text, _) in enumerate(HELD_OUT)])
    counts = dedup(store, "lessor")
    links = teaser_links(store)
    expected = {text: (f"sibling-{i}", "text") if i is not None else (None, None)
                for text, i in HELD_OUT}
    assert links == expected
    assert (counts.teasers_matched, counts.teasers_unmatched) == (6, 2)


def test_a_second_article_fitting_a_matched_teaser_unlinks_it(store):
    text = MINISTER + "la cérémonie…"
    store.add_teasers([teaser(text)])
    store.upsert_articles([article("lessor", "first", lead=SIBLING_LEADS[0], body="Corps.")])
    dedup(store, "lessor")
    assert teaser_links(store)[text] == ("first", "text")
    store.upsert_articles([article("lessor", "second", lead=SIBLING_LEADS[2], body="Corps.")])
    dedup(store, "lessor")
    assert teaser_links(store)[text] == (None, None)


def test_teaser_seen_outside_the_window_of_an_article_is_not_matched(store):
    store.upsert_articles([article("lessor", "old", lead=SIBLING_LEADS[0], body="Corps.")])
    store.add_teasers([teaser(lessor_teaser(SIBLING_LEADS[0]))])
    assert store.dedup("lessor", window=timedelta(0)).teasers_matched == 0  # not the same instant
    assert store.rebuild_dedup(window=WINDOW).teasers_matched == 1


def test_a_link_by_url_wins_over_a_link_by_text(store):
    url = "https://lessor.ml/posts/sibling-1"
    store.add_teasers([teaser(lessor_teaser(SIBLING_LEADS[0]), url=url)])
    store.upsert_articles([article("lessor", "sibling-0", lead=SIBLING_LEADS[0], body="Corps.")])
    dedup(store, "lessor")
    assert teaser_links(store)[lessor_teaser(SIBLING_LEADS[0])] == ("sibling-0", "text")
    store.upsert_articles([article("lessor", "posts/sibling-1", lead=SIBLING_LEADS[1],
                                   body="Corps.")])
    dedup(store, "lessor")
    assert teaser_links(store)[lessor_teaser(SIBLING_LEADS[0])] == ("posts/sibling-1", "url")


def store_one_by_one(store):
    """TEASERS, then STORY and an article per lead of LEADS, each stored and deduplicated on
    its own, as a crawl's steps do."""
    store.add_teasers([teaser(t, seen_on="https://lessor.ml/x") for t in TEASERS])
    for item in [*STORY, *(article("lessor", f"s{i}", lead=lead, body="Corps.")
                           for i, lead in enumerate(LEADS))]:
        store.upsert_articles([item])
        dedup(store, item.source)


def test_rebuild_twice_gives_the_links_the_runs_made(store):
    store_one_by_one(store)
    store.add_teasers([teaser(text, seen_on=f"https://site.ml/{n}")
                       for n, (text, _) in enumerate(HELD_OUT)])
    dedup(store, "lessor")
    incremental = (teaser_links(store), copy_links(store))
    first = store.rebuild_dedup(window=WINDOW, titles=TITLES)
    assert (teaser_links(store), copy_links(store)) == incremental
    second = store.rebuild_dedup(window=WINDOW, titles=TITLES)
    assert (teaser_links(store), copy_links(store)) == incremental
    assert first == second
    assert (first.copies, first.teasers_matched) == (2, 6)


def test_rows_stored_before_dedup_are_pending_until_a_dedup_step(store):
    store.upsert_articles([article("lessor", "s0", lead=LEADS[0], body="Corps.")])
    store.add_teasers([teaser(TEASERS[0])])
    assert teaser_links(store)[TEASERS[0]] == (None, None)
    assert dedup(store).teasers_matched == 1
    assert dedup(store).teasers_matched == 0  # nothing pending any more
    assert teaser_links(store)[TEASERS[0]] == ("s0", "text")


def test_crawl_dedup_rebuild_twice_gives_the_same_links(store, db_url, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from crawler.cli import app

    for item in STORY:
        store.upsert_articles([item])
        dedup(store, item.source)
    store.add_teasers([teaser(t, seen_on="https://lessor.ml/x") for t in TEASERS[:1]])
    store.upsert_articles([article("lessor", "s0", lead=LEADS[0], body="Corps.")])
    monkeypatch.chdir(tmp_path)  # no sources.yaml here: titles come from the database
    before = (teaser_links(store), copy_links(store))
    for _ in range(2):
        result = CliRunner().invoke(app, ["dedup", "--rebuild", "--db", db_url])
        assert result.exit_code == 0, result.output
        assert (teaser_links(store), copy_links(store)) == (
            {TEASERS[0]: ("s0", "text")}, before[1])
    assert "copies linked" in result.output


def test_an_article_whose_lead_changed_is_keyed_and_linked_again(store):
    store.add_teasers([teaser(TEASERS[0])])
    store.upsert_articles([article("lessor", "s0", lead=LEADS[1], body="Corps.")])
    assert dedup(store, "lessor").teasers_matched == 0
    assert store.upsert_articles([article("lessor", "s0", lead=LEADS[0], body="Corps.")]) == [
        "updated"]
    assert dedup(store, "lessor").teasers_matched == 1
    assert teaser_links(store)[TEASERS[0]] == ("s0", "text")


def test_a_page_rewritten_into_a_copy_is_linked_when_its_update_is_stored(store):
    # The store keeps each article's fingerprint between dedup steps: a changed text must be
    # fingerprinted again, on either side of the comparison.
    other_body = "\n\n".join(NAIVE[7:13])
    original = article("lessor", "posts/mali-russie", lead=STORY_LEAD)
    aggregator = article("maliweb", "mali-russie.html", lead=None, body=other_body)
    store.upsert_articles([original, aggregator])
    assert dedup(store).copies == 0
    rewritten = replace(aggregator, body=STORY_LEAD + "\n\n" + STORY_BODY + "\n\nSource : L'Essor")
    assert store.upsert_articles([rewritten]) == ["updated"]
    assert dedup(store).copies == 1
    assert copy_links(store)[aggregator.title] == original.title


# ---- copies of template texts, damaged copies, dates ------------------------------------------
from test_dedup import BRIEF, REPORT, fuel_notice, lost_accents  # noqa: E402


def stored(store, *items: Article) -> dict[str, str | None]:
    """Store and dedup the articles one by one, as crawls find them; {title: title of original}."""
    for item in items:
        store.upsert_articles([item])
        dedup(store, item.source)
    return copy_links(store)


def notice(source: str, slug: str, gasoil: int, when: datetime = WHEN, **more) -> Article:
    lead, body = fuel_notice(gasoil, **more)
    return article(source, slug, lead=lead, body=body, when=when)


def test_template_notices_with_different_figures_are_not_linked(store):
    links = stored(store, notice("lessor", "gasoil-725", 725),
                   notice("journaldumali", "gasoil-750", 750, when=WHEN + timedelta(hours=3)))
    assert links == {"gasoil-725": None, "gasoil-750": None}


def test_a_copy_of_one_template_notice_links_to_it_and_not_to_its_sibling(store):
    lead, body = fuel_notice(750)
    links = stored(store, notice("lessor", "gasoil-725", 725),
                   notice("journaldumali", "gasoil-750", 750, when=WHEN + timedelta(hours=3)),
                   article("maliweb", "copie-750", lead=None,
                           body=f"{lead}\n\n{body}\n\nSource : Journal du Mali",
                           when=WHEN + timedelta(hours=5)))
    assert links == {"gasoil-725": None, "gasoil-750": None, "copie-750": "gasoil-750"}


def test_thirty_dispatches_of_one_site_are_not_copies_of_another_source(store):
    notices = [notice("amap", f"depeche-{n}", 700 + 5 * n, when=WHEN + timedelta(hours=n))
               for n in range(30)]
    links = stored(store, notice("lessor", "onap", 690), *notices)
    assert set(links.values()) == {None}


def test_accent_lost_copy_is_linked(store):
    lead, body = fuel_notice(725, director="Hawa SANGARÉ")
    links = stored(store, notice("lessor", "gasoil", 725, director="Hawa SANGARÉ"),
                   article("malijet", "gasoil-sans-accents", lead=lost_accents(lead),
                           body=lost_accents(body), when=WHEN + timedelta(hours=2)))
    assert links["gasoil-sans-accents"] == "gasoil"


def test_mojibake_copy_is_linked(store):
    def mojibake(text: str) -> str:
        return text.encode("utf-8").decode("cp1252", errors="replace")
    links = stored(store, article("lessor", "russie", lead=STORY_LEAD),
                   article("bamada", "russie-mojibake", lead=mojibake(STORY_LEAD),
                           body=mojibake(STORY_BODY), when=WHEN + timedelta(hours=2)))
    assert links["russie-mojibake"] == "russie"


def test_chapeau_dropped_trimmed_copy_is_proposed_and_linked(store):
    # The copy keeps the body's first two paragraphs only: too little of the whole text for
    # the LSH bands; the key on the body's opening proposes it.
    trimmed = "\n\n".join(NAIVE[:2]) + " … Lire la suite"
    links = stored(store, article("lessor", "russie", lead=STORY_LEAD),
                   article("maliactu", "russie-sans-chapeau", lead=None, body=trimmed,
                           when=WHEN + timedelta(hours=2)))
    assert links["russie-sans-chapeau"] == "russie"


@pytest.mark.parametrize(("days", "linked"), [(1, True), (30, False)])
def test_far_apart_dates_need_a_whole_copy(store, days, linked):
    # A paragraph swapped for other text (Jaccard 0.6, containment 0.8): a copy the next day,
    # not a month later; a whole copy (weeks from both) still is one.
    edited = "\n\n".join([*NAIVE[:3], " ".join(TEASERS[:2]), *NAIVE[4:6]])
    links = stored(store, article("lessor", "russie", lead=STORY_LEAD),
                   article("maliweb", "russie-retouche", lead=STORY_LEAD, body=edited,
                           when=WHEN + timedelta(days=days)),
                   article("bamada", "russie-entier", lead=STORY_LEAD,
                           body=STORY_BODY + "\n\nSource : L'Essor",
                           when=WHEN + timedelta(days=59)))
    assert links == {"russie": None, "russie-retouche": "russie" if linked else None,
                     "russie-entier": "russie"}


def test_a_trimmed_copy_that_fits_two_notices_links_to_neither(store):
    # Cut before the figures: it could be a copy of either notice.
    lead, body = fuel_notice(725)
    part = body.split("\n\n")
    trimmed = "\n\n".join([part[2], part[3]]) + " … Lire la suite"
    links = stored(store, notice("lessor", "gasoil-725", 725),
                   notice("journaldumali", "gasoil-750", 750, when=WHEN + timedelta(hours=1)),
                   article("maliweb", "extrait", lead=lead, body=trimmed,
                           when=WHEN + timedelta(hours=2)),
                   notice("infomatin", "gasoil-760", 760, when=WHEN + timedelta(hours=3)))
    assert set(links.values()) == {None}


def test_reports_sharing_only_their_quotes_are_not_linked(store):
    # Jaccard 0.3-0.5, containment 0.6-0.8: lowering either threshold links them.
    links = stored(store, article("lessor", "conference", lead=None, body=REPORT),
                   article("studiotamani", "breve", lead=None, body=BRIEF,
                           when=WHEN + timedelta(hours=1)))
    assert links == {"conference": None, "breve": None}


def test_the_member_reads_through_the_driver_give_what_sqlalchemy_reads(store):
    """linker.Read (crawler.prepared) runs the dedup step's member reads through the driver:
    the same rows, the same values (aware UTC datetimes, None where the column is empty) as
    SQLAlchemy's."""
    from crawler import linker

    later = WHEN + timedelta(hours=3, microseconds=123456)
    store.upsert_articles([
        article("lessor", "one", lead=STORY_LEAD),
        article("maliweb", "two", lead=STORY_LEAD, publisher="L'Essor"),
        article("bamada", "three", when=later)])
    dedup(store)
    with store.engine.connect() as db:
        ids = sorted(db.execute(select(ArticleRow.id)).scalars())
        assert len(ids) == 3
        for read, statement in ((linker._members_by_id, linker._Q.members_by_id),
                                (linker._members_by_original, linker._Q.members_by_original),
                                (linker._texts_by_id, linker._Q.texts)):
            for chunk in (ids, ids[:1], ids[1:], [max(ids) + 1]):
                expected = [tuple(r) for r in db.execute(statement, {"group": chunk})]
                got = read(db, chunk)
                assert [tuple(r) for r in got] == expected
                assert [r.id for r in got] == [r[0] for r in expected]
        rows = {r.id: r for r in linker._members_by_id(db, ids)}
        texts = {r.id: r for r in linker._texts_by_id(db, ids)}
    assert {r.published_at for r in rows.values()} >= {later}
    assert all(r.published_at.tzinfo is UTC and r.first_seen_at.tzinfo is UTC
               for r in rows.values())
    assert sum(r.lead is None for r in texts.values()) == 1
    assert all(r.body for r in texts.values())
    assert sum(r.duplicate_of is not None for r in rows.values()) >= 1


def test_texts_read_only_when_linking_asks_for_them_link_the_same(store, monkeypatch):
    """The stored articles a step meets are read without their lead and body, which are read
    for the articles whose fingerprint or credit the step's caches do not hold. Here the
    caches claim to hold every article (none read in bulk) and keep one entry: every text
    linking needs is read on demand, one article at a time, and the links are those of a
    rebuild that reads them in bulk."""
    from crawler import linker

    asked: list[int] = []
    read = linker._Stored.texts

    def texts(self: linker._Stored, article_id: int) -> tuple[str | None, str | None]:
        asked.append(article_id)
        return read(self, article_id)

    monkeypatch.setattr(linker._Stored, "texts", texts)
    monkeypatch.setattr(linker.Computed, "holds", lambda self, row: True)
    monkeypatch.setattr(linker.Computed, "LIMIT", 1)
    store_one_by_one(store)
    on_demand = (teaser_links(store), copy_links(store))
    assert asked  # the texts came through the read on demand
    monkeypatch.undo()
    rebuilt = store.rebuild_dedup(window=WINDOW, titles=TITLES)
    assert (teaser_links(store), copy_links(store)) == on_demand
    assert (rebuilt.copies, rebuilt.teasers_matched) == (2, 6)


def test_a_fingerprint_cache_cleared_at_every_entry_links_the_same(store, monkeypatch):
    """The dedup step's caches (linker.Computed) are bounded: at LIMIT they start afresh
    (issue 17: 8,192 fingerprints held ~125 MB of real articles). Cleared at every entry, the
    steps link what a rebuild with room to keep them links."""
    from crawler.linker import Computed

    monkeypatch.setattr(Computed, "LIMIT", 1)
    store_one_by_one(store)
    cleared = (teaser_links(store), copy_links(store))
    kept = store._computed
    assert max(len(kept._prints), len(kept._credits), len(kept._texts),
               len(kept._openings)) == 1  # bounded
    monkeypatch.setattr(Computed, "LIMIT", 1_000_000)
    rebuilt = store.rebuild_dedup(window=WINDOW, titles=TITLES)
    assert (teaser_links(store), copy_links(store)) == cleared
    assert (rebuilt.copies, rebuilt.teasers_matched) == (2, 6)


def test_a_sources_title_is_stored_by_the_step_that_names_it_and_only_rewritten_when_it_changes(
        store):
    """Store.dedup(source, title=...) keeps the source's display name (read by later steps for
    an aggregator's "Source : <title>"): written when new or changed, not at every step."""
    from sqlalchemy import event

    from crawler.models import SourceState

    writes: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO SOURCE_STATE"):
            writes.append(statement)

    def title() -> str | None:
        with Session(store.engine) as session:
            return session.get(SourceState, "lessor").title

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        store.dedup("lessor", window=WINDOW, title="L'Essor")
        assert title() == "L'Essor" and len(writes) == 1
        store.dedup("lessor", window=WINDOW, title="L'Essor")
        store.dedup("lessor", window=WINDOW)  # no title: the stored one stays
        assert title() == "L'Essor" and len(writes) == 1
        store.dedup("lessor", window=WINDOW, title="L'Essor Quotidien")
        assert title() == "L'Essor Quotidien" and len(writes) == 2
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)


def test_a_dedup_step_reads_the_pending_rows_through_their_own_indexes(store):
    """At every step the dedup step reads a source's pending articles and teasers. With a
    source's rows keyed already, they are found by source and pending marker together, both in
    the index (revision 0009), not by reading every row the source has (through the index on
    source alone, which SQLite chose before: a step's cost grew with the source's history);
    and they are exactly the rows not keyed yet."""
    from sqlalchemy import text

    from crawler.linker import pending_articles, pending_teasers

    def words(n: int) -> str:  # a text of its own for each n (no copies to link)
        return " ".join(f"mot{n}x{i}" for i in range(60))

    keyed = [article("lessor", f"a{n}", body=words(n)) for n in range(300)]
    store.upsert_articles(keyed)
    store.add_teasers([teaser(f"Teaser {n} : {words(n)[:80]}", seen_on=f"https://lessor.ml/p{n}")
                       for n in range(300)])
    dedup(store, "lessor")
    store.upsert_articles([article("lessor", "new", body=words(1000)),
                           article("maliweb", "other", body=words(1001))])
    store.add_teasers([teaser("Un teaser nouveau de la page d'accueil, pas encore vu.")])
    new_id = articles(store)["new"].id
    with store.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("ANALYZE articles"))
            connection.execute(text("ANALYZE teasers"))
        sqlite = connection.dialect.name == "sqlite"
        for statement, index, searched_by, pending in (
                (pending_articles("lessor"), "ix_articles_source_dedup_hash",
                 "(source=? AND dedup_hash=?)" if sqlite else "AND (dedup_hash IS NULL))",
                 [new_id]),
                (pending_teasers("lessor"), "ix_teasers_source_keyed",
                 "(source=? AND keyed=?)" if sqlite else "AND (keyed = false))",
                 ["Un teaser nouveau de la page d'accueil, pas encore vu."])):
            compiled = statement.compile(connection, compile_kwargs={"literal_binds": True})
            explain = ("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + str(compiled)
            lines = [str(row[-1]) for row in connection.exec_driver_sql(explain)]
            assert any(index in line for line in lines), lines
            # both terms searched in the index (SQLite's SEARCH line, PostgreSQL's Index Cond),
            # not the pending marker filtered row by row
            assert any(searched_by in line for line in lines
                       if sqlite or "Index Cond" in line), lines
            found = connection.execute(statement).all()
            assert [row.id if "dedup_hash" in index else row.text for row in found] == pending
