"""The dedup step in the database: teasers linked to their articles, republished copies to
their original. crawler.dedup computes keys and decides; this module stores the keys in
article_keys / teaser_keys and writes the links, inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from crawler.dedup import (
    CopyMember,
    Fingerprint,
    TeaserIndex,
    article_keys,
    choose_original,
    contradicts,
    is_copy,
    teaser_keys,
)
from crawler.models import ArticleKey, ArticleRow, SourceState, TeaserKey, TeaserRow
from crawler.publishers import attribution, credited_source

# {url: article id} of the stored articles among some URLs: the store's rule for finding an
# article by URL, which a teaser's link follows.
ArticleIds = Callable[[Connection, Iterable[str]], dict[str, int]]


@dataclass
class DedupCounts:
    """What one dedup step did: teasers it settled (matched, or left unmatched for now), and
    copies it linked to an original (or moved to a better one)."""

    teasers_matched: int = 0
    teasers_unmatched: int = 0
    copies: int = 0



def dedup(db: Connection, source: str | None, *, window: timedelta, title: str | None,
          teasers: bool, computed: Computed, article_ids: ArticleIds) -> DedupCounts:
    """Store.dedup's step on the connection of its transaction."""
    if source and title:
        dialect = postgresql if db.dialect.name == "postgresql" else sqlite
        named = dialect.insert(_S).values(source=source, title=title)
        db.execute(named.on_conflict_do_update(index_elements=["source"],
                                               set_={"title": named.excluded.title}))
    titles = dict(db.execute(select(_S.c.source, _S.c.title)).all())
    return Linker(db, window, titles, computed, article_ids).run(source, teasers=teasers)


def rebuild(db: Connection, *, window: timedelta, titles: Mapping[str, str | None] | None,
            computed: Computed, article_ids: ArticleIds) -> DedupCounts:
    """Store.rebuild_dedup's work on the connection of its transaction."""
    known = dict(db.execute(select(_S.c.source, _S.c.title)).all())
    db.execute(delete(_AK))
    db.execute(delete(_TK))
    db.execute(update(_A).values(duplicate_of=None, dedup_hash=None))
    db.execute(update(_T).values(article_id=None, matched_by=None, keyed=False))
    counts = Linker(db, window, {**known, **(titles or {})}, computed, article_ids).run(None)
    counts.copies = db.execute(select(func.count()).select_from(_A)
                               .where(_A.c.duplicate_of.is_not(None))).scalar_one()
    return counts


_A, _T = ArticleRow.__table__, TeaserRow.__table__
_AK, _TK = ArticleKey.__table__, TeaserKey.__table__
_S = SourceState.__table__


def _many(name: str) -> Any:
    return bindparam(name, expanding=True)


class _Q:
    """The statements a dedup step runs for every row, built once: building and compiling one
    again costs more than SQLite takes to run it."""

    # kind is filtered in Python: in SQL, SQLite would scan the primary key's "o" prefix
    drop_keys = (delete(_AK).where(_AK.c.article_id.in_(_many("ids")))
                 .returning(_AK.c.kind, _AK.c.key))
    add_article_keys = insert(_AK)
    add_teaser_keys = insert(_TK)
    keyed = (update(_A).where(_A.c.id == bindparam("row_id"))
             .values(dedup_hash=bindparam("content")))
    linked_by_text = select(_T.c.id).where(_T.c.article_id.in_(_many("ids")),
                                           _T.c.matched_by == "text")
    teasers_by_keys = (select(_TK.c.teaser_id).join(_T, _T.c.id == _TK.c.teaser_id)
                       .where(_TK.c.key.in_(_many("keys")),
                              or_(_T.c.matched_by.is_(None), _T.c.matched_by == "text")))
    copy_candidates = select(
        _A.c.id, _A.c.source, _A.c.published_at, _A.c.first_seen_at, _A.c.lead, _A.c.body,
        _A.c.duplicate_of, _A.c.content_hash,
    ).where(_A.c.id.in_(
        select(_AK.c.article_id).where(
            _AK.c.kind == "c", _AK.c.key.in_(_many("keys")),
            _AK.c.article_id != bindparam("article_id")).distinct()))
    _member = (_A.c.id, _A.c.source, _A.c.published_at, _A.c.first_seen_at, _A.c.publisher,
               _A.c.lead, _A.c.body, _A.c.duplicate_of, _A.c.content_hash)
    # two indexed queries: one with OR scans the whole table on SQLite
    members_by_id = select(*_member).where(_A.c.id.in_(_many("group")))
    members_by_original = select(*_member).where(_A.c.duplicate_of.in_(_many("group")))
    move = (update(_A).where(_A.c.id == bindparam("member"))
            .values(duplicate_of=bindparam("original")))
    # TeaserIndex reads at most the first 1,200 characters of a body
    teaser_candidates = select(
        _A.c.id, _A.c.lead, func.substr(_A.c.body, 1, 1300).label("opening"),
        _A.c.first_seen_at, _A.c.duplicate_of,
    ).where(_A.c.id.in_(select(_AK.c.article_id).where(
        _AK.c.kind == "o", _AK.c.key.in_(_many("keys"))).distinct()))
    link_teaser = (update(_T).where(_T.c.id == bindparam("teaser_id"))
                   .values(article_id=bindparam("target"), matched_by=bindparam("how"),
                           keyed=True))


class Computed:
    """What dedup computes from an article's text, kept across the steps of a process: a story's
    copies are verified against the same stored articles step after step. Keyed by article id
    and content hash, so an updated article is computed afresh; bounded."""

    LIMIT = 8192

    def __init__(self) -> None:
        self._prints: dict[int, tuple[str, Fingerprint | None]] = {}
        self._credits: dict[int, tuple[str, str | None]] = {}

    def fingerprint(self, row: Any) -> Fingerprint | None:
        """Fingerprint.of the row (id, content_hash, lead, body)."""
        known = self._prints.get(row.id)
        if known is not None and known[0] == row.content_hash:
            return known[1]
        fingerprint = Fingerprint.of(row.lead, row.body)
        self._keep(self._prints, row.id, (row.content_hash, fingerprint))
        return fingerprint

    def attribution(self, row: Any) -> str | None:
        """publishers.attribution of the row (id, content_hash, publisher, body)."""
        known = self._credits.get(row.id)
        if known is not None and known[0] == row.content_hash:
            return known[1]
        credit = attribution(row.publisher, row.body)
        self._keep(self._credits, row.id, (row.content_hash, credit))
        return credit

    def _keep(self, cache: dict[int, Any], key: int, value: Any) -> None:
        if len(cache) >= self.LIMIT:
            cache.clear()  # simpler than an LRU; a step reads what its story needs again
        cache[key] = value


class Linker:
    """One dedup step inside one transaction, on its connection. Keys live in article_keys /
    teaser_keys, so each lookup is an indexed query and no run rebuilds an index of every
    article. What can be done for all of a step's rows at once is (statements, not rows, are
    the cost on SQLite)."""

    def __init__(self, db: Connection, window: timedelta, titles: Mapping[str, str | None],
                 cache: Computed, article_ids: ArticleIds) -> None:
        # Core statements on the session's connection: Session.execute adds ORM work to each
        self.db, self.article_ids = db, article_ids
        self.window, self.titles, self.cache = window, titles, cache
        self.counts = DedupCounts()
        self.moved: dict[int, int | None] = {}  # article -> its new original, in this step
        self.links: list[dict[str, Any]] = []  # teaser links to write (_link_teaser)

    def run(self, source: str | None, *, teasers: bool = True) -> DedupCounts:
        a, t = _A, _T
        pending = select(a).where(a.c.dedup_hash.is_(None))  # an update resets it
        rows = self.db.execute(_of(pending, a, source).order_by(a.c.id)).all()
        retest = self._key_articles(rows) if rows else set()
        if self.moved:  # a teaser linked to a story's old original follows it to the new one
            retest.update(self.db.execute(select(t.c.id).where(
                t.c.article_id.in_(self.moved), t.c.matched_by == "text")).scalars())
        fresh = self.db.execute(
            _of(select(t), t, source).where(t.c.keyed.is_(False)).order_by(t.c.id)
        ).all() if teasers else []
        keys = {teaser.id: teaser_keys(teaser.text) for teaser in fresh}
        self._execute_many(_Q.add_teaser_keys, [{"key": k, "teaser_id": teaser_id}
                                                for teaser_id, ks in keys.items() for k in ks])
        by_url = self.article_ids(self.db, {teaser.url_key for teaser in fresh if teaser.url_key})
        for teaser in fresh:
            linked = self._link_teaser(teaser, by_url, keys[teaser.id])
            self.counts.teasers_matched += linked is not None
            self.counts.teasers_unmatched += linked is None
        retest -= keys.keys()
        for chunk in chunks(sorted(retest)):
            seen = self.db.execute(select(t).where(t.c.id.in_(chunk))).all()
            by_url = self.article_ids(self.db, {t.url_key for t in seen if t.url_key})
            for teaser in seen:
                if self._link_teaser(teaser, by_url) is not None and teaser.article_id is None:
                    self.counts.teasers_matched += 1  # seen earlier, its article arrived now
        self._execute_many(_Q.link_teaser, self.links)
        return self.counts

    def _execute_many(self, statement: Any, rows: list[dict[str, Any]]) -> None:
        if rows:
            self.db.execute(statement, rows)

    def _key_articles(self, rows: Sequence[Any]) -> set[int]:
        """Store the articles' keys and link their copies, one after the other (an article
        finds the copies stored before it); return the teasers to look at again."""
        ids = [row.id for row in rows]
        touched: set[int] = set()  # opening keys, old and new: teasers filed under them
        for chunk in chunks(ids):
            touched.update(key for kind, key in self.db.execute(_Q.drop_keys, {"ids": chunk})
                           if kind == "o")
        for row in rows:
            openings = article_keys(row.lead, row.body)
            fingerprint = self.cache.fingerprint(row)
            copy_keys = set(fingerprint.keys) if fingerprint else set()
            self._execute_many(_Q.add_article_keys,
                               [{"kind": "o", "key": k, "article_id": row.id} for k in openings]
                               + [{"kind": "c", "key": k, "article_id": row.id}
                                  for k in copy_keys])
            self._link_copies(row, fingerprint)
            touched |= openings
        self._execute_many(_Q.keyed, [{"row_id": row.id, "content": row.content_hash}
                                      for row in rows])
        retest: set[int] = set()
        for chunk in chunks(ids):
            retest.update(self.db.execute(_Q.linked_by_text, {"ids": chunk}).scalars())
        for chunk in chunks(list(touched)):
            retest.update(self.db.execute(_Q.teasers_by_keys, {"keys": chunk}).scalars())
        return retest

    def _link_copies(self, row: Any, fingerprint: Fingerprint | None) -> None:
        # an earlier article of this step may have moved this one to a new original
        current = self.moved.get(row.id, row.duplicate_of)
        group = {row.id} | ({current} if current else set())
        if fingerprint is not None and (roots := self._roots_copied(row, fingerprint, group)):
            stories = self._story_prints(roots | group - {row.id}, row.id)
            # A copy joins a story only if it agrees on the facts with the story's articles: a
            # trimmed copy can fit two template texts, and an earlier link may be to such a copy.
            stories = {root: prints for root, prints in stories.items()
                       if root == current or not _differ([fingerprint], prints)}
            if not _one_story(stories):
                return  # it fits stories that differ: it joins none (nor joins them together)
            group |= stories.keys()
        members = list({m.id: m for m in [
            *self.db.execute(_Q.members_by_id, {"group": list(group)}),
            *self.db.execute(_Q.members_by_original, {"group": list(group)})]
        }.values())
        if len(members) < 2:
            return
        original = choose_original([
            CopyMember(m.id, m.source, _date(m),
                       credited_source(self.cache.attribution(m), self.titles))
            for m in members])
        moves = []
        for m in members:
            target = None if m.id == original else original
            if m.duplicate_of != target:
                moves.append({"member": m.id, "original": target})
                self.moved[m.id] = target
                self.counts.copies += target is not None
        self._execute_many(_Q.move, moves)

    def _roots_copied(self, row: Any, fingerprint: Fingerprint, group: set[int]) -> set[int]:
        """The originals of the stories outside `group` with an article that this row copies
        or that copies it (verified on the text)."""
        when = _date(row)
        roots: set[int] = set()
        for other in self.db.execute(
                _Q.copy_candidates, {"keys": fingerprint.keys, "article_id": row.id}).all():
            root = other.duplicate_of or other.id
            if root in group or root in roots:
                continue  # its story is in already: nothing to verify
            apart = abs(_date(other) - when)
            if (other.source != row.source and apart <= self.window
                    and (found := self.cache.fingerprint(other)) is not None
                    and is_copy(fingerprint, found, apart / timedelta(days=1))
                    and not (found.cut and self._fits_another(other, found, fingerprint))):
                roots.add(root)
        return roots

    def _fits_another(self, part: Any, print_: Fingerprint, row_print: Fingerprint) -> bool:
        """A trimmed text (`part`) is also a copy of a stored article that states other facts
        than the row: the part may be of either, so it links to neither."""
        for other in self.db.execute(
                _Q.copy_candidates, {"keys": print_.keys, "article_id": part.id}).all():
            found = self.cache.fingerprint(other)
            if (found is not None and found is not row_print and contradicts(row_print, found)
                    and is_copy(print_, found)):
                return True
        return False

    def _story_prints(self, roots: set[int], row_id: int) -> dict[int, list[Fingerprint]]:
        """{original: the fingerprints of its story's articles} (but the row's own)."""
        stories: dict[int, list[Fingerprint]] = {root: [] for root in roots}
        for query in (_Q.members_by_id, _Q.members_by_original):
            for member in self.db.execute(query, {"group": list(roots)}):
                found = self.cache.fingerprint(member) if member.id != row_id else None
                if found is not None:  # (an original moved earlier in this step has its own)
                    stories.setdefault(member.duplicate_of or member.id, []).append(found)
        return stories

    def _link_teaser(self, teaser: Any, by_url: Mapping[str, int],
                     keys: set[int] | None = None) -> int | None:
        """Link a teaser by its URL, else to the one story its text fits; return the article.
        `by_url` maps the URL keys of stored articles (from article_ids); `keys` are the
        teaser's teaser_keys when computed already. The link is written by run()."""
        target, how = None, None
        if teaser.url_key:
            target = by_url.get(teaser.url_key)
            how = "url" if target else None
        if target is None and keys is None:
            keys = teaser_keys(teaser.text)
        if target is None and keys:
            index, roots = TeaserIndex(), {}
            for c in self.db.execute(_Q.teaser_candidates, {"keys": list(keys)}):
                if abs(c.first_seen_at - teaser.first_seen_at) <= self.window:
                    index.add(c.id, c.lead, c.opening)
                    roots[c.id] = c.duplicate_of or c.id
            # Copies of one story share its lead: the teaser names the story, i.e. its original.
            stories = {roots[i] for i in index.matches(teaser.text)}
            if len(stories) == 1:
                target, how = stories.pop(), "text"
        if (teaser.article_id, teaser.matched_by) != (target, how) or not teaser.keyed:
            self.links.append({"teaser_id": teaser.id, "target": target, "how": how})
        return target


def chunks(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    """`items` in slices of `size`: SQLite caps the parameters of one statement."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _of(statement: Any, table: Any, source: str | None) -> Any:
    return statement if source is None else statement.where(table.c.source == source)


def _one_story(stories: Mapping[int, list[Fingerprint]]) -> bool:
    """No two of these stories state different facts."""
    told = list(stories.values())
    return not any(_differ(these, those) for i, these in enumerate(told) for those in told[i + 1:])


def _differ(these: list[Fingerprint], those: list[Fingerprint]) -> bool:
    """Two sets of articles tell different stories: each whole text of one states other facts
    than each whole text of the other (cut ones count only where a side has no whole one).
    A copy can add facts of its own, a dateline "Bamako, 7 avr. (AMAP)": one article of a
    story that agrees is enough."""
    these = [p for p in these if not p.cut] or these
    those = [p for p in those if not p.cut] or those
    return bool(these and those) and all(contradicts(a, b) for a in these for b in those)


def _date(row: Any) -> datetime:
    return row.published_at or row.first_seen_at
