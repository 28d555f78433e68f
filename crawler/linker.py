"""The dedup step in the database: teasers linked to their articles, republished copies to
their original. crawler.dedup computes keys and decides; this module stores the keys in
article_keys / teaser_keys and writes the links, inside the caller's transaction.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, literal_column, or_, select, update
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
from crawler.models import (
    ArticleKey,
    ArticleRow,
    SourceState,
    TeaserKey,
    TeaserRow,
    dialect_insert,
)
from crawler.prepared import Read, Write, mark
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
    titles = dict(db.execute(select(_S.c.source, _S.c.title)).all())
    if source and title and titles.get(source) != title:  # else it is stored already
        named = dialect_insert(db.dialect.name, _S).values(source=source, title=title)
        db.execute(named.on_conflict_do_update(index_elements=["source"],
                                               set_={"title": named.excluded.title}))
        titles[source] = title
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


_TEXT = literal_column("'text'")  # teasers.matched_by of a teaser linked by its text


class _Q:
    """The statements a dedup step runs, built once: building and compiling one again costs more
    than SQLite takes to run it. Each reads or writes many rows: a step runs a few statements
    per chunk of its rows, not several per article."""

    # drop_keys, linked_by_text and teasers_by_keys run at every step, through the driver
    # (crawler.prepared.Read: below _Stored): SQLAlchemy's work on an execution cost more than
    # SQLite's on these. kind is filtered in Python: in SQL, SQLite would scan the primary
    # key's "o" prefix
    drop_keys = (delete(_AK).where(_AK.c.article_id.in_(_many("ids")))
                 .returning(_AK.c.kind, _AK.c.key))
    # adding article keys and reading copy keys: _Raw
    # the writes run for every row: through the driver (crawler.prepared)
    add_teaser_keys = Write(insert(_TK))
    keyed = Write(update(_A).where(_A.c.id == bindparam("row_id"))
                  .values(dedup_hash=bindparam("content")))
    # 'text' is written in the SQL: a Read's one parameter is its list
    linked_by_text = select(_T.c.id).where(_T.c.article_id.in_(_many("ids")),
                                           _T.c.matched_by == _TEXT)
    teasers_by_keys = (select(_TK.c.teaser_id).join(_T, _T.c.id == _TK.c.teaser_id)
                       .where(_TK.c.key.in_(_many("keys")),
                              or_(_T.c.matched_by.is_(None), _T.c.matched_by == _TEXT)))
    # (key, article) of the articles filed under some opening keys, for teasers
    opening_keys = select(_AK.c.key, _AK.c.article_id).where(_AK.c.kind == "o",
                                                             _AK.c.key.in_(_many("keys")))
    # what linking reads of an article (a step's own rows)
    member = (_A.c.id, _A.c.source, _A.c.published_at, _A.c.first_seen_at, _A.c.publisher,
              _A.c.lead, _A.c.body, _A.c.duplicate_of, _A.c.content_hash)
    # ... of the stored articles it meets (copy candidates, the stories' members): all but
    # their texts, read apart (texts) when a fingerprint or credit is not in Computed
    heading = tuple(c for c in member if c.name not in ("lead", "body"))
    # two indexed queries: one with OR scans the whole table on SQLite (read through Read)
    members_by_id = select(*heading).where(_A.c.id.in_(_many("group")))
    # the copies of some originals: their ids (the index holds them), the rows read by id
    # where not read already (a story's copies are mostly its row's copy candidates too)
    members_by_original = select(_A.c.id, _A.c.duplicate_of).where(
        _A.c.duplicate_of.in_(_many("group")))
    texts = select(_A.c.id, _A.c.lead, _A.c.body).where(_A.c.id.in_(_many("group")))
    move = Write(update(_A).where(_A.c.id == bindparam("member"))
                 .values(duplicate_of=bindparam("original")))
    # a row of the step that it moves: one UPDATE, not keyed's and move's (each rewrites it)
    keyed_and_moved = Write(update(_A).where(_A.c.id == bindparam("member"))
                            .values(duplicate_of=bindparam("original"),
                                    dedup_hash=bindparam("content")))
    # TeaserIndex reads at most the first 1,200 characters of a body
    teaser_candidates = select(
        _A.c.id, _A.c.lead, func.substr(_A.c.body, 1, 1300).label("opening"),
        _A.c.first_seen_at, _A.c.duplicate_of,
    ).where(_A.c.id.in_(_many("ids")))
    link_teaser = Write(update(_T).where(_T.c.id == bindparam("teaser_id"))
                        .values(article_id=bindparam("target"), matched_by=bindparam("how"),
                                keyed=True))


class _Raw:
    """The dedup step's two largest statements in the driver's own SQL: tens of rows of keys
    per article, whose building and reading through SQLAlchemy cost more than SQLite takes
    to store and find them (issue 17). Integers and a letter only: nothing to convert."""

    @classmethod
    def add_article_keys(cls, db: Connection, rows: list[tuple[str, int, int]]) -> None:
        """INSERT the (kind, key, article_id) rows, in the order of the primary key: the keys
        are hashes, and in their own order one insert lands next to the one before it instead
        of anywhere in the index (SQLite: ~15% less CPU for a step's ~950 rows)."""
        if rows:
            m = mark(db)
            db.exec_driver_sql(f"INSERT INTO {_AK.name} (kind, key, article_id) "
                               f"VALUES ({m}, {m}, {m})", sorted(rows))

    @classmethod
    def copy_keys(cls, db: Connection, keys: Sequence[int]) -> list[tuple[int, frozenset[int]]]:
        """(key, article ids) of the articles filed under these copy keys, read as one row of
        text ("key:id id,key:id"). A story's copies share their keys: the 20th copy of a story
        finds 19 ids under each of its ~36 keys, and a row per id cost more than the search
        (the sqlite3 module gives up the GIL at every row, and waits to get it back while the
        event loop runs). The keys filed under the same ids share one frozenset."""
        m = mark(db)
        if db.dialect.name == "postgresql":
            ids, pairs = "string_agg(article_id::text, ' ')", "string_agg(key || ':' || ids, ',')"
        else:
            ids, pairs = "group_concat(article_id, ' ')", "group_concat(key || ':' || ids, ',')"
        found = db.exec_driver_sql(
            f"SELECT {pairs} FROM (SELECT key, {ids} AS ids FROM {_AK.name} "
            f"WHERE kind = 'c' AND key IN ({', '.join([m] * len(keys))}) GROUP BY key) AS g",
            tuple(keys)).scalar()
        filed, read = [], {}  # the copies of a story are filed together under most keys
        for pair in found.split(",") if found else ():
            key, _, ids = pair.partition(":")
            if (numbers := read.get(ids)) is None:
                numbers = read[ids] = frozenset(map(int, ids.split()))
            filed.append((int(key), numbers))
        return filed


class Computed:
    """What dedup computes from an article's text, kept across the steps of a process: a story's
    copies are verified against the same stored articles step after step. Keyed by article id
    and content hash, so an updated article is computed afresh; bounded."""

    # Entries per cache, then it starts afresh. A fingerprint of a 500-word article holds ~16 KB
    # and costs ~1 ms to compute: 8,192 of them held ~125 MB in a long run (issue 17); 1,024
    # cover the copies a story gets within a few days of a press this size.
    LIMIT = 1024

    def __init__(self) -> None:
        self._prints: dict[int, tuple[str, Fingerprint | None]] = {}
        self._credits: dict[int, tuple[str, str | None]] = {}
        # {digest of (lead, body): print}: a copy republished word for word is computed once
        self._texts: dict[bytes, Fingerprint | None] = {}
        # {digest of (lead, body): its article_keys}: likewise
        self._openings: dict[bytes, frozenset[int]] = {}

    def fingerprint(self, row: Any) -> Fingerprint | None:
        """Fingerprint.of the row (id, content_hash, lead, body)."""
        known = self._prints.get(row.id)
        if known is not None and known[0] == row.content_hash:
            return known[1]
        text = _digest(row)
        if text in self._texts:
            same = self._texts[text]
            # its own object: the linker tells a row's print from another's by identity
            fingerprint = None if same is None else copy.copy(same)
        else:
            fingerprint = Fingerprint.of(row.lead, row.body)
            self._keep(self._texts, text, fingerprint)
        self._keep(self._prints, row.id, (row.content_hash, fingerprint))
        return fingerprint

    def openings(self, row: Any) -> frozenset[int]:
        """dedup.article_keys of the row (lead, body)."""
        text = _digest(row)
        found = self._openings.get(text)
        if found is None:
            found = frozenset(article_keys(row.lead, row.body))
            self._keep(self._openings, text, found)
        return found

    def holds(self, row: Any) -> bool:
        """Both the fingerprint and the credit of the row (id, content_hash) are here: linking
        will not read its texts."""
        printed, credited = self._prints.get(row.id), self._credits.get(row.id)
        return (printed is not None and printed[0] == row.content_hash
                and credited is not None and credited[0] == row.content_hash)

    def attribution(self, row: Any) -> str | None:
        """publishers.attribution of the row (id, content_hash, publisher, body)."""
        known = self._credits.get(row.id)
        if known is not None and known[0] == row.content_hash:
            return known[1]
        credit = attribution(row.publisher, row.body)
        self._keep(self._credits, row.id, (row.content_hash, credit))
        return credit

    def _keep(self, cache: dict[Any, Any], key: Any, value: Any) -> None:
        if len(cache) >= self.LIMIT:
            cache.clear()  # simpler than an LRU; a step reads what its story needs again
        cache[key] = value


def _digest(row: Any) -> bytes:
    """A digest of the row's (lead, body), a missing one as empty (as Fingerprint.of and
    article_keys read them)."""
    lead, body = row.lead or "", row.body or ""
    return hashlib.blake2b(f"{len(lead)}:{lead}{body}".encode(errors="surrogatepass"),
                           digest_size=16).digest()


class Linker:
    """One dedup step inside one transaction, on its connection. Keys live in article_keys /
    teaser_keys, so each lookup is an indexed query and no run rebuilds an index of every
    article. Statements, not rows, are the cost (on SQLite, and in SQLAlchemy on either): the
    step's rows are keyed and linked by chunks, each chunk's reads done in bulk before its rows
    are linked one after the other in memory (an article finds the copies keyed before it, not
    after), its moves written once at its end."""

    def __init__(self, db: Connection, window: timedelta, titles: Mapping[str, str | None],
                 cache: Computed, article_ids: ArticleIds) -> None:
        # Core statements on the session's connection: Session.execute adds ORM work to each
        self.db, self.article_ids = db, article_ids
        self.window, self.titles, self.cache = window, titles, cache
        self.counts = DedupCounts()
        self.moved: dict[int, int | None] = {}  # article -> its new original, in this step
        self.links: list[dict[str, Any]] = []  # teaser links to write (_link_teasers)
        self.stored = _Stored(db, self.moved, cache)

    def run(self, source: str | None, *, teasers: bool = True) -> DedupCounts:
        t = _T
        rows = self.db.execute(pending_articles(source)).all()
        retest = self._key_articles(rows) if rows else set()
        if self.moved:  # a teaser linked to a story's old original follows it to the new one
            for chunk in chunks(list(self.moved)):
                retest.update(row.id for row in _linked_by_text(self.db, chunk))
        fresh = self.db.execute(pending_teasers(source)).all() if teasers else []
        keys = {teaser.id: teaser_keys(teaser.text) for teaser in fresh}
        _Q.add_teaser_keys.execute_many(self.db, [{"key": k, "teaser_id": teaser_id}
                                                  for teaser_id, ks in keys.items() for k in ks])
        for chunk in chunks(fresh):
            for linked in self._link_teasers(chunk, keys):
                self.counts.teasers_matched += linked is not None
                self.counts.teasers_unmatched += linked is None
        retest -= keys.keys()
        for chunk in chunks(sorted(retest)):
            seen = self.db.execute(select(t).where(t.c.id.in_(chunk))).all()
            for teaser, linked in zip(seen, self._link_teasers(seen), strict=True):
                if linked is not None and teaser.article_id is None:
                    self.counts.teasers_matched += 1  # seen earlier, its article arrived now
        _Q.link_teaser.execute_many(self.db, self.links)
        return self.counts

    def _key_articles(self, rows: Sequence[Any]) -> set[int]:
        """Store the articles' keys and link their copies, one after the other (an article
        finds the copies stored before it); return the teasers to look at again."""
        ids = [row.id for row in rows]
        touched: set[int] = set()  # opening keys, old and new: teasers filed under them
        for chunk in chunks(ids):
            touched.update(key for kind, key in _drop_keys(self.db, chunk) if kind == "o")
        self.stored.order = {row_id: n for n, row_id in enumerate(ids)}
        for chunk in chunks(rows):
            touched |= self._key_chunk(chunk)
        retest: set[int] = set()
        for chunk in chunks(ids):
            retest.update(row.id for row in _linked_by_text(self.db, chunk))
        for chunk in chunks(list(touched)):
            retest.update(row.teaser_id for row in _teasers_by_keys(self.db, chunk))
        return retest

    def _key_chunk(self, rows: Sequence[Any]) -> set[int]:
        """Key a chunk of the step's rows at once, then link their copies row after row;
        return their opening keys."""
        openings = {row.id: self.cache.openings(row) for row in rows}
        prints = {row.id: self.cache.fingerprint(row) for row in rows}
        _Raw.add_article_keys(self.db, [
            (kind, k, row.id) for row in rows
            for kind, keys in (("o", openings[row.id]), ("c", _copy_keys(prints[row.id])))
            for k in keys])
        self.stored.prefetch(rows, [p for p in prints.values() if p is not None])
        for row in rows:
            self.stored.now = self.stored.order[row.id]
            self._link_copies(row, prints[row.id])
        self.stored.flush({row.id: row.content_hash for row in rows})
        return set().union(*openings.values())

    def _link_copies(self, row: Any, fingerprint: Fingerprint | None) -> None:
        # an earlier article of this step may have moved this one to a new original
        current = self.stored.original(row.id)
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
        by_id, by_original = self.stored.members(group)
        members = list({m.id: m for m in [*by_id, *by_original]}.values())
        if len(members) < 2:
            return
        original = choose_original([
            CopyMember(m.id, m.source, _date(m),
                       credited_source(self.cache.attribution(m), self.titles))
            for m in members])
        for m in members:
            target = None if m.id == original else original
            if self.stored.original(m.id) != target:
                self.stored.move(m.id, target)
                self.counts.copies += target is not None

    def _roots_copied(self, row: Any, fingerprint: Fingerprint, group: set[int]) -> set[int]:
        """The originals of the stories outside `group` with an article that this row copies
        or that copies it (verified on the text)."""
        when = _date(row)
        roots: set[int] = set()
        for other in self.stored.copy_candidates(fingerprint.keys, row.id):
            root = self.stored.original(other.id) or other.id
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
        for other in self.stored.copy_candidates(print_.keys, part.id):
            found = self.cache.fingerprint(other)
            if (found is not None and found is not row_print and contradicts(row_print, found)
                    and is_copy(print_, found)):
                return True
        return False

    def _story_prints(self, roots: set[int], row_id: int) -> dict[int, list[Fingerprint]]:
        """{original: the fingerprints of its story's articles} (but the row's own)."""
        stories: dict[int, list[Fingerprint]] = {root: [] for root in roots}
        by_id, by_original = self.stored.members(roots)
        for member in [*by_id, *by_original]:
            found = self.cache.fingerprint(member) if member.id != row_id else None
            if found is not None:  # (an original moved earlier in this step has its own)
                stories.setdefault(self.stored.original(member.id) or member.id,
                                   []).append(found)
        return stories

    def _link_teasers(self, teasers: Sequence[Any],
                      keys: Mapping[int, set[int]] | None = None) -> list[int | None]:
        """Link each teaser by its URL, else to the one story its text fits; return the
        articles (None: unmatched). `keys` are the teasers' teaser_keys when computed already.
        The candidates of all of them are read at once; the links are written by run()."""
        by_url = self.article_ids(self.db, {t.url_key for t in teasers if t.url_key})
        lookups = {teaser.id: keys[teaser.id] if keys is not None else teaser_keys(teaser.text)
                   for teaser in teasers if not (teaser.url_key and by_url.get(teaser.url_key))}
        candidates = self._teaser_candidates(set().union(*lookups.values()))
        return [self._link_teaser(teaser, by_url, lookups.get(teaser.id, set()), candidates)
                for teaser in teasers]

    def _teaser_candidates(self, keys: set[int]) -> dict[int, list[Any]]:
        """{key: the articles filed under this opening key} (id, lead, opening,
        first_seen_at, duplicate_of)."""
        filed: dict[int, list[int]] = {}
        for chunk in chunks(list(keys)):
            for key, article_id in self.db.execute(_Q.opening_keys, {"keys": chunk}):
                filed.setdefault(key, []).append(article_id)
        articles: dict[int, Any] = {}
        for chunk in chunks(list({i for ids in filed.values() for i in ids})):
            articles.update((a.id, a) for a in self.db.execute(_Q.teaser_candidates,
                                                               {"ids": chunk}))
        return {key: [articles[i] for i in ids] for key, ids in filed.items()}

    def _link_teaser(self, teaser: Any, by_url: Mapping[str, int], keys: set[int],
                     filed: Mapping[int, list[Any]]) -> int | None:
        """Link a teaser by its URL, else to the one story its text fits; return the article.
        `by_url` maps the URL keys of stored articles (from article_ids), `keys` are the
        teaser's teaser_keys, `filed` the articles filed under them. The link is written by
        run()."""
        target, how = None, None
        if teaser.url_key:
            target = by_url.get(teaser.url_key)
            how = "url" if target else None
        if target is None and keys:
            index, roots = TeaserIndex(), {}
            candidates = {c.id: c for key in keys for c in filed.get(key, ())}
            for c in candidates.values():
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


class _Stored:
    """What a chunk of the dedup step reads of the stored articles, fetched in bulk and kept
    until the chunk ends: rows, the articles filed under copy keys, the members of stories.
    The step's moves of duplicate_of are applied over what was read (`moved`, kept for the
    whole step) and written once per chunk (flush)."""

    def __init__(self, db: Connection, moved: dict[int, int | None], cache: Computed) -> None:
        self.db, self.moved, self.cache = db, moved, cache
        self.order: dict[int, int] = {}  # the step's rows: id -> position
        self.now = 0  # position of the row being linked: rows after it are not keyed yet
        self._rows: dict[int, Any] = {}
        # copy key -> ids of the articles filed under it (shared by the keys of the same ids:
        # a story's copies are filed together under most of their keys)
        self._filed: dict[int, frozenset[int]] = {}
        self._members: dict[int, set[int]] = {}  # original -> ids whose duplicate_of it is
        self._moved_to: dict[int, set[int]] = {}  # original -> ids the step moved to it
        self._unwritten: dict[int, int | None] = {}

    def prefetch(self, rows: Sequence[Any], prints: Sequence[Fingerprint]) -> None:
        """Read at once what linking these rows will read: their copy candidates and the
        stories of those (as read now; rows linked earlier may change them)."""
        self._rows.update((row.id, row) for row in rows)
        self._file({key for fingerprint in prints for key in fingerprint.keys})
        found = set().union(*set(self._filed.values()))
        self._fetch(found)
        roots = {self.original(i) or i for i in found | self._rows.keys()}
        self._fetch(roots)
        self._fetch_members(roots)

    def original(self, article_id: int) -> int | None:
        """The article's duplicate_of as the step has it now."""
        if article_id in self.moved:
            return self.moved[article_id]
        return self._rows[article_id].duplicate_of

    def copy_candidates(self, keys: Sequence[int], article_id: int) -> list[Any]:
        """The articles other than `article_id` filed under these copy keys, by id; none of
        the step's rows after the one being linked (in a step row after row, they were not
        keyed yet)."""
        self._file(keys)
        filed = self._filed
        found = sorted(i for i in set().union(*{filed[key] for key in keys})
                       if i != article_id and self.order.get(i, -1) <= self.now)
        self._fetch(found)
        return [self._rows[i] for i in found]

    def members(self, group: set[int]) -> tuple[list[Any], list[Any]]:
        """(The articles of `group`, the articles whose original is in `group`), by id."""
        self._fetch(group)
        self._fetch_members(group)
        children = sorted({i for root in group for i in self._members[root]})
        self._fetch(children)
        return [self._rows[i] for i in sorted(group)], [self._rows[i] for i in children]

    def move(self, article_id: int, original: int | None) -> None:
        """Set the article's duplicate_of (written by flush)."""
        before = self.original(article_id)
        if before is not None:
            self._members.get(before, set()).discard(article_id)
            self._moved_to.get(before, set()).discard(article_id)
        if original is not None:
            if original in self._members:
                self._members[original].add(article_id)
            self._moved_to.setdefault(original, set()).add(article_id)
        self.moved[article_id] = self._unwritten[article_id] = original

    def flush(self, keyed: Mapping[int, str]) -> None:
        """Write the moves, and the dedup_hash of the chunk's rows (`keyed`: id -> content
        hash), and forget what was read (the next chunk reads afresh)."""
        moves = self._unwritten
        _Q.keyed_and_moved.execute_many(self.db, [
            {"member": member, "original": original, "content": keyed[member]}
            for member, original in moves.items() if member in keyed])
        _Q.move.execute_many(self.db, [{"member": member, "original": original}
                                       for member, original in moves.items()
                                       if member not in keyed])
        _Q.keyed.execute_many(self.db, [{"row_id": row_id, "content": content}
                                        for row_id, content in keyed.items()
                                        if row_id not in moves])
        moves.clear()
        self._rows.clear()
        self._filed.clear()
        self._members.clear()

    def _file(self, keys: Iterable[int]) -> None:
        missing = list({key for key in keys if key not in self._filed})
        self._filed.update(dict.fromkeys(missing, _NONE))
        for chunk in chunks(missing):
            self._filed.update(_Raw.copy_keys(self.db, chunk))

    def texts(self, article_id: int) -> tuple[str | None, str | None]:
        """(lead, body) of a stored article."""
        for row in _texts_by_id(self.db, [article_id]):
            return row.lead, row.body
        return None, None  # (no such row: nothing deletes articles)

    def _fetch(self, ids: Iterable[int]) -> None:
        missing = [i for i in ids if i not in self._rows]
        for chunk in chunks(missing):
            found = self._as_members(_members_by_id(self.db, chunk))
            self._rows.update((m.id, m) for m in found)

    def _as_members(self, rows: Sequence[Any]) -> list[_Member]:
        """`rows` (heading columns) as _Members, with the texts of those whose fingerprint or
        credit Computed does not hold read at once (the others read theirs if asked)."""
        found = [_Member(self, row) for row in rows]
        lacking = {m.id: m for m in found if not self.cache.holds(m)}
        for chunk in chunks(list(lacking)):
            for row in _texts_by_id(self.db, chunk):
                lacking[row.id].texts = row.lead, row.body
        return found

    def _fetch_members(self, roots: Iterable[int]) -> None:
        missing = [root for root in roots if root not in self._members]
        for chunk in chunks(missing):
            found = _members_by_original(self.db, chunk)
            self._fetch([m.id for m in found])
            for root in chunk:
                self._members[root] = set(self._moved_to.get(root, ()))
            for m in found:  # as read, unless the step moved it since
                if (original := self.original(m.id)) in self._members:
                    self._members[original].add(m.id)  # type: ignore[index]


_NONE: frozenset[int] = frozenset()
_members_by_id = Read(_Q.members_by_id, "group")
_members_by_original = Read(_Q.members_by_original, "group")
_texts_by_id = Read(_Q.texts, "group")
_drop_keys = Read(_Q.drop_keys, "ids")
_linked_by_text = Read(_Q.linked_by_text, "ids")
_teasers_by_keys = Read(_Q.teasers_by_keys, "keys")


class _Member:
    """A stored article that linking meets: a candidate or a story's member, read without its
    texts. Its lead and body are read when first asked for, which Computed does only for a
    fingerprint or credit it does not hold: the 20th copy of a story meets the 19 before it,
    and read whole they cost more than linking it (issue 17)."""

    __slots__ = ("id", "source", "published_at", "first_seen_at", "publisher",
                 "duplicate_of", "content_hash", "_stored", "texts")

    def __init__(self, stored: _Stored, row: Any) -> None:
        self.id, self.source, self.published_at = row.id, row.source, row.published_at
        self.first_seen_at, self.publisher = row.first_seen_at, row.publisher
        self.duplicate_of, self.content_hash = row.duplicate_of, row.content_hash
        self._stored = stored
        self.texts: tuple[str | None, str | None] | None = None  # (lead, body), once read

    @property
    def lead(self) -> str | None:
        return self._read()[0]

    @property
    def body(self) -> str | None:
        return self._read()[1]

    def _read(self) -> tuple[str | None, str | None]:
        if self.texts is None:
            self.texts = self._stored.texts(self.id)
        return self.texts


def _copy_keys(fingerprint: Fingerprint | None) -> set[int]:
    return set(fingerprint.keys) if fingerprint else set()


CHUNK = 500  # rows or values per statement, and rows per chunk of a dedup step


def chunks(items: Sequence[Any], size: int | None = None) -> Iterator[Sequence[Any]]:
    """`items` in slices of `size` (CHUNK): SQLite caps the parameters of one statement."""
    size = size or CHUNK
    for start in range(0, len(items), size):
        yield items[start:start + size]


def pending_articles(source: str | None) -> Any:
    """The articles of `source` (or of every source) that the dedup step has not keyed since
    they were stored or changed (an update resets dedup_hash), by id: found through the index
    on (source, dedup_hash), among the source's pending rows alone."""
    return _of(select(*_Q.member).where(_A.c.dedup_hash.is_(None)), _A, source).order_by(_A.c.id)


def pending_teasers(source: str | None) -> Any:
    """The teasers of `source` (or of every source) never keyed, by id (through the index on
    (source, keyed))."""
    return _of(select(_T).where(_T.c.keyed.is_(False)), _T, source).order_by(_T.c.id)


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
