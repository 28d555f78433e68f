"""One field list: the Article dataclass (crawler.items) says what each field is (its Role), and
every consumer of the list reads it from there: the content hash, the stored row, the column
limits, the export columns, parse's plain fields, `crawl sources check` and the expected
records of the source tests. Each test here takes one consumer and checks it covers every
field its flag names, by running it; a field added to Article but not wired in (no column, no
Selectors entry, no parser method, no limit for a bounded column) fails one of them."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import String, select
from test_sources import FIELDS as EXPECTED_FIELDS
from test_sources import _record_script

from crawler.commands.sources import check_fields
from crawler.config import Selectors, Source
from crawler.export import COLUMNS, KINDS, Selection, column_kind, rows
from crawler.extract import PROVENANCE_FIELDS, SourceParser
from crawler.items import ROLE, Article, Teaser, article_fields, json_value, role
from crawler.limits import ARTICLE_FIELDS, fit_article
from crawler.models import ArticleRow
from crawler.page import Page
from crawler.store import open_store

ROOT = Path(__file__).resolve().parent.parent
# What the `articles` row adds to an article: its id, when it was seen, its hash, its links.
ROW_ONLY = {"id", "first_seen_at", "last_seen_at", "content_hash", "duplicate_of", "dedup_hash"}
WHEN = datetime(2025, 10, 1, 8, 30, tzinfo=UTC)


def full_article() -> Article:
    """An Article with every field set, each to a value of its own."""
    return Article(
        source="lejournal", url="https://lejournal.ml/2025/10/01/titre/", title="Titre",
        lead="Le chapeau.", body="Premier paragraphe.\n\nSecond paragraphe.",
        authors=["Awa Sidibé"], publisher="L'Essor", section="Politique", tags=["Bamako"],
        image="https://lejournal.ml/photo.jpg", language="fr", published_at=WHEN,
        published_precision="minute", updated_at=datetime(2025, 10, 2, tzinfo=UTC),
        field_sources={"title": "selector"},
        teasers=[Teaser(source="lejournal", seen_on="https://lejournal.ml/2025/10/01/titre/",
                        text="Un autre article…")],
        url_key="lejournal.ml/2025/10/01/titre")


def changed(value):
    """Another value of the same kind."""
    if isinstance(value, datetime):
        return value.replace(year=2024)
    if isinstance(value, list):
        return [*value, value[0]]
    if isinstance(value, dict):
        return {**value, "body": "fallback"}
    return value + "x"


def test_every_article_field_says_what_it_is():
    assert [spec.name for spec in fields(Article) if ROLE not in spec.metadata] == []
    assert {spec.name for spec in article_fields()} == {
        name for name, value in vars(full_article()).items() if value not in (None, [], {}, "")}


def test_the_content_hash_moves_with_the_hashed_fields_and_no_other():
    article = full_article()
    moved = {spec.name for spec in article_fields()
             if replace(article, **{spec.name: changed(getattr(article, spec.name))}
                        ).content_hash != article.content_hash}
    assert moved == {spec.name for spec in article_fields("hashed")}
    assert moved == {"title", "lead", "body", "authors", "publisher", "section", "tags", "image",
                     "published_at", "updated_at"}


def test_the_content_hash_is_the_one_earlier_versions_stored():
    # Computed by crawler/items.py before the field list drove it (git 9989937): a stored
    # article's hash must not move with the code, or every re-crawl would count as `updated`.
    assert full_article().content_hash == (
        "85e502f7ca6e2e0bbf1b29ee398111b462c440561bd3836783489b9781926f56")


def test_every_stored_field_is_a_column_and_every_column_a_field():
    columns = set(ArticleRow.__table__.c.keys())
    stored = {spec.name for spec in article_fields("column")}
    assert stored <= columns
    assert columns - ROW_ONLY == stored


def test_a_stored_article_comes_back_field_by_field_and_is_exported_so(tmp_path):
    store = open_store(f"sqlite:///{tmp_path}/fields.db")
    article = full_article()
    assert store.upsert_articles([article]) == ["new"]
    [record] = rows(store, Selection())
    with store.session() as session:
        [row] = session.exec(select(ArticleRow)).scalars().all()
        for spec in article_fields("column"):
            assert getattr(row, spec.name) == getattr(article, spec.name), spec.name
        assert row.content_hash == article.content_hash
    exported = [spec.name for spec in article_fields("exported")]
    assert [name for name in COLUMNS["articles"] if name not in ROW_ONLY] == exported
    for name in exported:
        assert record[name] == getattr(article, name), name


def test_every_exported_field_has_a_column_type():
    for spec in article_fields("exported"):
        assert COLUMNS["articles"][spec.name] == column_kind(str(spec.type)) in KINDS.values()
    assert column_kind("datetime | None") == "time"
    assert column_kind("list[str]") == "list"


def test_every_bounded_column_says_what_an_over_long_value_does():
    bounded = {spec.name for spec in article_fields("column")
               if isinstance(ArticleRow.__table__.c[spec.name].type, String)
               and ArticleRow.__table__.c[spec.name].type.length}
    assert set(ARTICLE_FIELDS) == bounded
    article = full_article()
    cut_or_dropped = fit_article(replace(article, **{
        name: "x" * 5000 for name, action in ARTICLE_FIELDS.items() if action != "skip"}))
    for name, action in ARTICLE_FIELDS.items():
        if action == "cut":
            assert len(getattr(cut_or_dropped, name)) == ArticleRow.__table__.c[name].type.length
        elif action == "drop":
            assert getattr(cut_or_dropped, name) is None, name
        else:
            assert fit_article(replace(article, **{name: "x" * 5000})) is None, name


def source(**selectors) -> Source:
    return Source.model_validate({
        "name": "lejournal", "title": "Le Journal", "platform": "rss",
        "base_url": "https://lejournal.ml/", "entry_points": ["https://lejournal.ml/feed/"],
        "selectors": selectors,
    })


PAGE = """<html lang="fr"><head><title>T</title>
<meta property="og:image" content="https://lejournal.ml/photo.jpg">
<meta property="article:modified_time" content="2025-10-02T09:00:00+00:00">
</head><body><h1>Titre</h1>
<p class="chapo">Le conseil des ministres s'est réuni hier pour adopter trois projets de loi.</p>
<span class="author">Awa Sidibé</span><time datetime="2025-10-01T08:30:00+00:00">1 oct.</time>
<span class="rubrique">Politique</span><span class="source">L'Essor</span>
<a class="tag">Bamako</a><a class="tag">Koulouba</a>
<article><p>Le gouvernement a examiné mercredi au palais de Koulouba à Bamako plusieurs textes
portant sur l'organisation des élections et le budget de l'État pour l'année prochaine.</p>
<p>Le porte-parole a précisé que les trois projets seront transmis au Conseil national de
Transition dans les prochains jours pour examen et adoption.</p></article></body></html>"""
SELECTORS = {"lead": ".chapo", "body": "article", "authors": ".author", "published": "time",
             "section": ".rubrique", "tags": ".tag", "publisher": ".source"}


def test_every_field_filled_layer_by_layer_has_a_selector_a_method_and_a_check_line():
    assert set(PROVENANCE_FIELDS) == {role(spec).layer for spec in article_fields("layer")}
    assert set(PROVENANCE_FIELDS) <= set(Selectors.model_fields)
    parser = SourceParser(source(**SELECTORS))
    page = Page.from_html("https://lejournal.ml/2025/10/01/titre/", PAGE)
    parsed, checks = check_fields(parser, page)
    article = parsed.article
    assert isinstance(article, Article) and parsed.missing == ()
    assert [check.name for check in checks] == list(PROVENANCE_FIELDS)
    assert [check.name for check in checks if not check.found] == []
    assert set(article.field_sources) == set(PROVENANCE_FIELDS)
    for spec in article_fields("read"):
        assert getattr(article, spec.name) not in (None, "", []), spec.name
    assert (article.section, article.tags, article.language) == (
        "Politique", ["Bamako", "Koulouba"], "fr")


def test_the_expected_records_hold_every_recorded_field():
    recorded = [spec.name for spec in article_fields("recorded")]
    assert list(EXPECTED_FIELDS) == recorded
    article = full_article()
    record = _record_script().article_record(article)
    assert list(record) == ["url", *(n for n in recorded if n != "url"), "field_sources",
                            "teasers"]
    for name in recorded:
        assert record[name] == json_value(getattr(article, name))
    fixture = next((ROOT / "tests" / "sources").glob("*/pages/*.json"))
    assert sorted(json.loads(fixture.read_text("utf-8"))) == sorted(record)


@pytest.mark.parametrize("flag", ["hashed", "column", "exported", "recorded", "layer", "read",
                                  "too_long"])
def test_each_flag_names_a_role_attribute(flag):
    assert article_fields(flag), flag
