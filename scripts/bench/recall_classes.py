"""Where the generic body finder loses text: the pages of a corpus that lose more than a tenth
of the expected text (recall under 0.9), each put in a class by where its lost text is.

Reads the corpora as `extraction_real.py` does (same loaders, same splits; only `dev` and
`held-dev`: the held-final quarter is not to be looked at), runs ours (the generic path from raw
bytes) and, per page, takes the expected text's paragraphs of five words or more that our body
holds less than half of (by token 4-gram shingles, as the score counts them); on trafilatura's
corpus, the "with" snippets it misses. Each lost paragraph is looked for in the page's walk
(crawler.body.walk: the blocks of text the finder scores), and classed by where it is:

- "inside the choice, dropped by the reader": its block is inside the chosen elements and the
  reading left it out, as a block mostly of links, a block in a marked box (comments, share,
  related, widget...), a line that is no paragraph (date line, label, call to act), or for
  another reason (after a related-list heading, above the headline, the text cleaning);
- "outside the choice": its block is not inside the chosen elements: the standfirst (between
  the page's headline and the article's first element, in the headline's header: at most
  HEADER_LEVELS above it), near before or after (its nearest common ancestor with the
  article's first element at most NEAR_LEVELS above that element: a sibling or a cousin not
  joined), or far (the wrong block was chosen), each "(marked)" when the block is inside a
  marked box;
- "in a skipped element <tag>": in the page, inside an element the walk never reads (SKIP_TAGS:
  <aside>, <figcaption>, <script>...);
- "not in the page's text": in no element's text (the expected text has words the page shows
  only once its scripts run, or that its author wrote in other words);
- "no article": ours found none; "spread": no paragraph is mostly lost (a word here and there).

A page's class is the class of most of its lost words. The counts say which classes are worth a
general fix; `--list` names each page with its classes (lost words per class) for a closer look.

    .venv/bin/python scripts/bench/recall_classes.py \\
        /work/.mirror/tiptopjaw+web-content-extraction-benchmark/repo --split dev [--list]
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import warnings
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import extraction_real as bench  # noqa: E402

from crawler import body  # noqa: E402
from crawler.http import decode_body  # noqa: E402
from crawler.page import Page  # noqa: E402

LOST_RECALL = 0.9  # pages under this recall are classed
MIN_WORDS = 5  # shorter expected paragraphs (a heading's two words) are not classed alone
NEAR_LEVELS = 3
HEADER_LEVELS = 2  # a standfirst is in the headline's header: this far above the headline
_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.replace(bench.SOFT_HYPHEN, ""))


def shingles(text: str) -> set[tuple[str, ...]]:
    """The text's token 4-grams as the score counts them (a shorter text: its tokens)."""
    return set(bench.shingles(text))


def lost_paragraphs(sample: bench.Sample, ours: str) -> list[tuple[str, int]]:
    """The expected paragraphs ours holds less than half of, each with its weight (words; a
    snippet of trafilatura's corpus weighs one)."""
    if sample.expected.body is None:
        kept = bench._norm(ours)
        return [(w, 1) for w in sample.expected.with_snippets if bench._norm(w) not in kept]
    found = shingles(ours)
    lost = []
    for paragraph in re.split(r"\n+", sample.expected.body):
        wanted = shingles(paragraph)
        if len(tokens(paragraph)) >= MIN_WORDS and len(wanted & found) < len(wanted) / 2:
            lost.append((paragraph, len(tokens(paragraph))))
    return lost


def recall(sample: bench.Sample, ours: str) -> float:
    if sample.expected.body is not None:
        return bench.shingle_prf([bench.shingle_counts(sample.expected.body, ours)])[1]
    snippets = sample.expected.with_snippets
    kept = bench._norm(ours)
    return sum(bench._norm(w) in kept for w in snippets) / len(snippets) if snippets else 1.0


def _levels_up(found: body.Walk, start: int, ancestor: int) -> int:
    level = 0
    while start != ancestor:
        start, level = found.parents[start], level + 1
    return level


def _common_ancestor(found: body.Walk, one: int, other: int) -> int:
    above = set()
    while one >= 0:
        above.add(one)
        one = found.parents[one]
    while other not in above:
        other = found.parents[other]
    return other


def block_class(found: body.Walk, chosen: list[int], block: body.Block) -> str:
    owner = block.owner
    tag = found.tags[owner]
    if any(i <= owner < found.ends[i] for i in chosen):
        if block.link_density > body._MAX_LINK_DENSITY:
            why = "link-dense block"
        elif block.unlikely:
            why = "marked box"
        elif body._is_no_paragraph(block, tag):
            why = "no-paragraph rule"
        else:
            why = "other"
        return f"inside the choice, dropped by the reader: {why}"
    marked = " (marked)" if block.unlikely else ""
    top, headline = min(chosen), found.headline
    if (headline >= 0 and found.ends[headline] <= owner < top and _levels_up(
            found, headline, _common_ancestor(found, owner, headline)) <= HEADER_LEVELS):
        return f"outside the choice: standfirst{marked}"
    ancestor = _common_ancestor(found, owner, top)
    if _levels_up(found, top, ancestor) > NEAR_LEVELS:
        return f"outside the choice: far{marked}"
    return f"outside the choice: near {'before' if owner < top else 'after'}{marked}"


def skipped_class(page: Page, wanted: set[tuple[str, ...]]) -> str:
    for node in page.tree.root.traverse():
        if node.tag in body.SKIP_TAGS and len(
                wanted & shingles(node.text(separator=" "))) >= len(wanted) / 2:
            return f"in a skipped element <{node.tag}>"
    return "not in the page's text"


def page_classes(sample: bench.Sample, ours: str) -> Counter[str]:
    """Lost words per class on one page."""
    if not ours.strip():
        return Counter({"no article": 1})
    page = Page.from_html(sample.url, decode_body(sample.raw, None))
    found = body.walk(page.tree.body or page.tree.root)
    chosen, _ = body.locate(found)
    blocks = [(block, shingles(block.folded)) for block in found.blocks]
    in_page = shingles(page.tree.root.text(separator=" "))
    classes: Counter[str] = Counter()
    for paragraph, weight in lost_paragraphs(sample, ours):
        wanted = shingles(paragraph)
        where = max(blocks, key=lambda b: len(wanted & b[1]), default=None)
        if where is not None and chosen and len(wanted & where[1]) >= len(wanted) / 2:
            classes[block_class(found, chosen, where[0])] += weight
        elif len(wanted & in_page) >= len(wanted) / 2:
            classes[skipped_class(page, wanted)] += weight
        else:
            classes["not in the page's text"] += weight
    return classes or Counter({"spread": 1})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, help="corpus folder or git mirror")
    parser.add_argument("--split", default="dev", choices=("dev", "held-dev"))
    parser.add_argument("--list", action="store_true", help="list the pages and their classes")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    samples = bench.load(args.corpus, args.split)
    run = bench.ours()
    counts: Counter[str] = Counter()
    lines = []
    for sample in samples:
        try:
            ours = run(sample.raw, sample.url).body
        except Exception:  # a crash costs the page, as in extraction_real
            ours = ""
        if recall(sample, ours) >= LOST_RECALL:
            continue
        classes = page_classes(sample, ours)
        main_class = classes.most_common(1)[0][0]
        counts[main_class] += 1
        lines.append(f"  {sample.key}  R {recall(sample, ours):.3f}  {main_class}  {dict(classes)}")
    print(f"corpus: {bench.corpus_kind(args.corpus)} at {bench.corpus_commit(args.corpus)}, "
          f"split {args.split}: {len(samples)} pages, {sum(counts.values())} with recall under "
          f"{LOST_RECALL}")
    print("| class (of most lost words) | pages |\n|---|---:|")
    for name, n in counts.most_common():
        print(f"| {name} | {n} |")
    if args.list:
        print("\n".join(lines))


if __name__ == "__main__":
    main()
