"""The generic body finder: which part of a page is the article, read as paragraphs.

One walk over the tree cuts its text into blocks: the text between two block-level boundaries
(<p>, <div>, <td>, <li>, headings...), with each <br> kept as a line break, and the share of it
that is link text (a link that tweets the text's own sentence, a "Click To Tweet" quote, is
none). Each block of prose scores the elements above it (readability's rule: one
point, one per comma, one per 100 characters, a <br>-separated line counted as a paragraph; the
parent gets it whole, the grandparent half, further ancestors a third per level), whatever tag
holds it: text in <div>/<br> runs and table cells counts as much as text in <p>. A teaser card's
excerpt scores its card only, not the list of cards. The best element, after its link density
and the hints in its class and id (worth at most four times what its text earned: a short
"modal-body" is no article), is the article, widened to the ancestor that holds three of
the best candidates (readability's rule again); its siblings and cousins that score well too (an
article split into wrappers around adverts) are joined to it, and so is a sibling of five
paragraphs or more with few links and half the top's text (a live blog's entries, deep in
wrappers of their own), and a block of plain prose before the outermost wrapper that holds only
the top (the article's opening in a field of its own), and readability's `<p>` siblings of
that wrapper (the opening beside an embed that holds the rest). A joined part may hold links
(a list of shops, a sentence citing its sources) as long as a fifth of its text is not links
(the entries of a table of contents, links to the page's own anchors, are no teasers' titles);
a cousin in
the top's own class joins on any prose (a class a page builder numbers for one wrapper aside:
"vc_custom_1563455446145"; a class one short of the top's, a how-to's steps after its opening
"content lead"), and the heading right before each part but the first is its subheading. Blocks
inside comments, share bars, related lists,
galleries, sliders and captions, lists of references, dialogs laid over the page, hidden
elements and the like (by class, id, hidden attribute or display:none) are left out of the
scores, so these are never chosen, unless that leaves no article; when it does,
the marks inside the element then chosen still hold if the article keeps its length (a page
wrapped in "Page-ad-margins" still loses its promos); and a marked box that holds the headline
is the article when it scores far above what won (a story opened over the news stream, a
newsletter's issue in a box named as a newsletter's), and so is the choice without the marks
that scores five times what won when the marked prose is five times what was read (a post in
the layout's "sidebar-container"), unless it is in a comment thread.
Inside the chosen block, link lists (but not a <p> or <li> of a sentence mostly in links, unless
it is a labelled link to another page or a breadcrumb, nor a subheading linked to its own
anchor, nor a table cell's linked value, nor a line giving a web address as its link's text) and
stray labels (not a table cell's value nor a heading's words in a <div> of their own) are
dropped, and so are the page's lines that are no paragraph: advert labels, "Published
..."/"Stand: ..." date lines and lines of fields with a date, photo credits and the captions
they end, a player's "WATCH |" label, calls to subscribe, share, follow or get the app; a box of
related links is skipped, and so is a box of a few lines around a signup form (an email or
telephone field), and a "Lire aussi" / "Articles similaires" / "Most read" heading at
the article's own level ends it (in a <div> of its own too, where a heading of a few words is
otherwise a stray label), unless a subheading opening a paragraph of prose follows the list (the
article's conclusion after a "Read more" box).

Every step is linear in the page's size: the walk visits each node once with its own stack (no
recursion: 100,000 nested <div> are fine), subtree sums are one pass over the elements in
reverse order, a block scores at most five ancestors, and the search for joined parts skips the
subtrees already chosen. Parsing itself is not linear in the nesting depth: see cap_nesting.
"""

from __future__ import annotations

import bisect
import collections
import functools
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Literal

from selectolax.lexbor import LexborNode

from crawler.text import ends_sentence, fold_whitespace, word_trigrams

# Never article text: their content is code, controls or navigation.
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "video", "audio", "button", "select", "textarea", "input", "label", "nav", "aside",
    "footer", "figcaption", "head", "title", "meta", "link", "dialog",
})
# Elements that start a new block of text.
BLOCK_TAGS = frozenset({
    "html", "body", "p", "div", "section", "article", "main", "header", "li", "ul", "ol", "dl",
    "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tbody",
    "thead", "tfoot", "tr", "td", "th", "caption", "figure", "form", "fieldset", "address",
    "center", "details", "summary", "hr", "hgroup", "menu", "legend",
})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Blocks whose text scores their parent first; other blocks (a <div> holding text itself, a
# table cell) are candidates themselves.
_PARAGRAPH_LIKE = frozenset({"p", "li", "dt", "dd", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
                             "address", "summary", "caption", "legend", "hr"})
# readability's starting score per tag: a <div> is more likely the article than a list item.
_TAG_SCORE = {"div": 5, "article": 5, "section": 3, "main": 3, "pre": 3, "td": 3,
              "blockquote": 3, "address": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3,
              "li": -3, "form": -3, "h1": -5, "h2": -5, "h3": -5, "h4": -5, "h5": -5, "h6": -5,
              "th": -5}
_ANCESTOR_LEVELS = 5

# readability's "unlikely candidates", with what news sites add: comment threads, share bars,
# related and teaser lists, newsletter boxes, photo galleries and captions, a paper's list of
# references or bibliography (each entry a line of commas). Marked with what they
# hold, unless one of the element's classes also names the content ("main-content share",
# "content-sidebar-wrap" and "article-comments-wrapper" are not marked: a theme's layout wrapper
# is named so too). A BEM class is read up to its "__" ("newsletter-widget__new-story-page" is a
# newsletter box, whatever its element is named). Matched on lowercased names from a word start:
# the \b lets re skip most positions (with IGNORECASE and no anchor the search cost ~20 us an
# element).
_UNLIKELY = re.compile(
    r"\b(?:ads?\b|ad-|advert|ai2html|banner|breadcrumb|combx|comment|community|cover-wrap|"
    r"disqus|extra(?!-?(?:tight|bold|light|large|small|wide|loose)\b)|gdpr|legends|menu|related|"
    r"remark|replies|rss|shoutbox|sidebar|skyscraper|"
    r"social|sponsor|supplemental|agegate|pagination|pager|popup|yom-remote|share|sharing|"
    r"newsletter|subscri|outbrain|taboola|teaser|promo|recommend|popular|trending|read-?more|"
    r"post-tags|tags-|widget|cookie|footer|similar|also-read|lire-aussi|consent|onetrust|"
    r"privacy|policy|caption|next-|prev-|previous-|rating|signup|sign-up|references|bibliograph)"
)
# A word inside a camelCase name: "sectionRating" is "section-Rating"; inside a snake_case one,
# "prev_next_text" is "prev-next-text" (a BEM "__" is left to _unlikely_names). (Lookarounds
# and a plain "-": a replacement template of groups cost 3x as much.)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SNAKE = re.compile(r"_(?<=[a-zA-Z0-9]_)(?=[a-zA-Z0-9])")  # the "_" first: re skips to each
# Photo galleries and sliders of other posts: "hst-resgallery", "article-slideshow",
# "owl-carousel", "avia-content-slider" (anywhere in a name, whatever else the name says)
_GALLERY = re.compile(r"gallery|slideshow|carousel|slider")
# An inline caption or photo credit (<span class="caption">), or a rating widget
# (<span class="post-ratings">, WP-PostRatings): left out as <figcaption> is.
_CAPTION_SPAN = re.compile(r"caption|credit|rating")
# Boxes laid over the page (a login or newsletter dialog, a cookie banner): unlikely even when
# named "modal-content" or "popmake-content", unlike the names above.
_OVERLAY = re.compile(r"\b(?:modal|popup|popmake|pum-|lightbox|lity-|overlay|gdpr|cookie|consent)")
# Marked boxes that hold no article whatever the page: a cookie or consent banner, a product's
# reviews. readability's retry without the marks (a page wrapped in "sidebar") still leaves
# them out: on a product page with a short description, the retry chose the reviews widget
# ("jdgm-review-widget"); on a post of link lists, the cookie banner. (Not comments: a forum
# names its posts so, "MtnComment", and the thread is the page's text.)
_NEVER_ARTICLE = re.compile(r"cookie|consent|gdpr|onetrust|review")
# How an element is marked: not, unlikely (out unless that leaves no article), never the article
UNLIKELY, NEVER = 1, 2
# ("column" is no content word here: grids name every cell so, comment threads included)
_MAYBE_CONTENT = re.compile(r"and|article|body|content|main|shadow|story|entry")
# Shown to nobody: the hidden attribute, a "hidden" class (Bootstrap's "d-none", Bulma's
# "is-hidden"), an inline display:none. Marked unlikely, as above: a site that shows its
# article by script from a hidden wrapper still gets it from the retry without the marks.
# (Not an accordion's collapsed panel, "ss-accordion-content hidden": a guide's answers, shown on
# a click.)
_HIDDEN_CLASS = re.compile(r"(?:^|\s)(?:hidden|is-hidden|d-none|hide)(?:\s|$)")
_DISPLAY_NONE = re.compile(r"display\s*:\s*none")
_POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|chapo|chapeau",
    re.IGNORECASE)
_NEGATIVE = re.compile(
    r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|foot|footer|"
    r"footnote|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|"
    r"skyscraper|sponsor|shopping|tags|tool|widget|teaser|card|byline|author|date",
    re.IGNORECASE)
# Any of the names _unlikely_names looks for (_GALLERY's, _OVERLAY's and _UNLIKELY's in one
# search, ~3 us against ~4.5 for the three): most names hold none, and are no more looked at.
# Each of _OVERLAY's and _UNLIKELY's names starts with a lowercase letter: the lookahead after
# \b changes no match, and re turns down the other word starts ("-", digits) before trying
# the ~80 names there (~1.5 -> 1.1 us a search)
_ANY_MARK = re.compile(_GALLERY.pattern + r"|\b(?=[a-z])(?:" + "|".join(
    p.pattern.removeprefix(r"\b(?:").removesuffix(")") for p in (_OVERLAY, _UNLIKELY)) + ")")
# Where the article ends: a heading that opens a list of other articles.
_RELATED_HEADING = re.compile(
    r"^(?:(?:à|a)\s+)?(?:lire|voir)\s+(?:aussi|également|egalement)|^articles?\s+(?:similaires|"
    r"liés|lies|connexes|recommandés)|^sur\s+le\s+m[êe]me\s+(?:sujet|th[èe]me)|"
    r"^dans\s+la\s+m[êe]me\s+rubrique|^(?:les\s+)?autres\s+articles|^(?:les\s+)?plus\s+lus|"
    r"^(?:nos\s+)?derniers\s+articles|^vous\s+aimerez\s+aussi|^related\s+(?:articles|stories|"
    r"posts|content)|^(?:read|see)\s+(?:also|more)|^you\s+may\s+also|"
    # "More stories", "More from ...", "More Great WIRED Stories"
    r"^more\s+(?:\S+\s+){0,3}?stories\b|^more\s+from\b|"
    r"^recommended\b|^(?:audios?\s+et\s+)?vid[ée]os\s+sur\s+le\s+sujet|"
    # a box of the site's most read articles: "Most read in Football", "Meistgelesen"
    r"^most\s+(?:read|popular|viewed|shared)\b|^meistgelesen|^lo\s+m[áa]s\s+le[íi]do|"
    r"^i\s+pi[ùu]\s+letti\b|"
    r"^(?:art[íi]culos|noticias|notas)\s+relacionad[oa]s|^te\s+puede\s+interesar|"
    r"^tell\s+us\s+what\s+you\s+think|"
    # German, Italian, Spanish, Portuguese: "Lesen Sie auch", "Mehr zum Thema", "Leggi anche"
    r"^(?:lesen\s+sie\s+(?:auch|mehr)|(?:zum\s+)?weiterlesen|mehr\s+zum\s+thema|das\s+k[öo]nnte\s+sie\s+"
    r"(?:auch\s+)?interessieren|leggi\s+anche|lee\s+tambi[ée]n|"
    r"leia\s+tamb[ée]m)\b|"
    # a comment thread's heading: the plural, or a call to write one ("Kommentar" alone labels
    # an opinion piece, "Comment" a section)
    r"^(?:\d+\s+)?(?:comments|kommentare|commentaires|commenti|comentarios|reactions|"
    r"r[ée]actions)$|^(?:kommentieren|leave\s+a\s+(?:reply|comment)|post\s+a\s+comment|"
    r"add\s+a\s+comment|write\s+a\s+comment|laisser\s+un\s+commentaire|"
    r"schreibe\s+einen\s+kommentar|kommentar\s+schreiben|lascia\s+un\s+commento|"
    r"deja\s+un\s+comentario)\b",
    re.IGNORECASE,
)
_RELATED_HEADING_WORDS = 8
# A line saying when the article was published or updated, shown above or below its text
# ("Published 2:16 AM EST Nov 20, 2019", "Stand: 28.04.2023 17:23 Uhr", "Last updated 6 hours
# ago", "Posted on April 22, 2022 by ..."): the page's metadata, no paragraph.
_DATE_LINE = re.compile(
    # a byline's few capitalised words may come first: "The Associated Press Published ..."
    r"(?:(?-i:[A-Z][\w.'-]*\s+){1,4}(?=(?:published|updated|posted)\b))?"
    r"(?:(?:(?:first\s+|last\s+)?(?:published|updated|posted|modified)|mis\s+[àa]\s+jour|"
    r"publi[ée]|modifi[ée]|erstellt|aktualisiert|ver[öo]ffentlicht|stand(?:\s+des\s+artikels)?|"
    r"actualizado|publicado|pubblicato|aggiornato|sendung)\b[\s:,]*"
    r"(?:(?:on|at|am|le|il|el|the)\s+)?"
    r"(?:\S+\s+){0,3}?(?:\d{1,2}[:h.]\d{2}|(?:19|20)\d\d|\d+\s+(?:hours?|minutes?|days?)\s+ago"
    r"|\d{1,2}\.?\s+\w+\s+\d{4}))"
    # or a live blog's entry time: "21 mins ago11:48 Jon King"
    r"|\d+\s+(?:mins?|minutes?|hours?|hrs?)\s+ago",
    re.IGNORECASE)
# Fields of the page's metadata in one line, one a date or time: "Do 25.04.24 | 14:07 Uhr | Von
# Eva Kirchner-Rätsch", "MDR THÜRINGEN - Das Radio | Nachrichten | 28. April 2023 | 10:00 Uhr"
_FIELD_SEPARATOR = re.compile(r"\s[|•]\s")
_DATE_OR_TIME = re.compile(r"\d{1,2}[:h.]\d{2}|\b(?:19|20)\d\d\b")
_FIELD_LINE_CHARS = 150
_DATE_LINE_CHARS = 120
# A player's or a link's label in the text: "WATCH | Palestinians react to ...:", "Video | US-
# Truppen nehmen ...", "Video: Dr Hilary suggests ...", or "More:" alone before links.
_MEDIA_LABEL = re.compile(
    r"(?:watch|video|vid[ée]o|listen|audio|podcast)\s*[|:]\s*\S|(?:more|related)\s*:?$",
    re.IGNORECASE)
_MEDIA_LABEL_CHARS = 200
# A call to subscribe, share or follow, closing or interrupting the text: "Subscribe now to our
# eNATION edition for the full story.", "Jetzt abonnieren und von der Vorlesefunktion
# profitieren.", "Like this story? Share it with a friend!", "Teilen:", "Folgen Sie uns auf ..."
_CALL_TO_ACT = re.compile(
    r"(?:subscribe\b|jetzt\s+abonnieren|abonnieren\b|abonnez-vous|follow\s+us\b|"
    r"folgen\s+sie\s+uns|suivez-nous|(?:artikel\s+)?teilen\s*[:/]|share\s+this\b|"
    r"partager\s+(?:cet|l['’]\s*)article|like\s+this\s+(?:story|article)\?|"
    r"m[öo]chten\s+sie\s+(?:den|diesen)\s+artikel\s+teilen|"
    # "For the latest stories ... download the Nationnews apps for iOS and Android."
    r"(?:[^.]{0,60}\s)?download\s+(?:the|our)\s+(?:\S+\s+){0,3}?apps?\b|"
    # "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.", "Suivez le Journal sur X"
    r"(?:follow|suivez|folgen\s+sie)\s+(?:\S+\s+){1,4}?(?:on|sur|auf)\s+(?:instagram|"
    r"facebook|twitter|x|youtube|tiktok|linkedin|threads|bluesky|whatsapp|telegram)\b)",
    re.IGNORECASE)
_CALL_TO_ACT_CHARS = 250
# An affiliate disclosure above or in the text: "We may earn commission from links on this
# page", "If you buy a product featured here, we may earn an affiliate commission", "This post
# may contain affiliate links", "Anzeige, enthält Affiliate Links", "As an Amazon Associate we
# earn from qualifying purchases", "Cet article contient des liens affiliés", "nous pouvons
# percevoir une commission" (not a sentence about affiliate links: "Streamers earn a
# commission when viewers buy via affiliate links", "implement affiliate links, UTM tracking")
_DISCLOSURE = re.compile(
    r"\b(?:may|might|could)\s+(?:\S+\s+){0,3}?(?:earn|receive|get)\s+(?:\S+\s+){0,3}?"
    r"commissions?\b|\b(?:contains?|includes?|uses?|enth[äa]lt|handelt\s+es\s+sich\s+um)\s+"
    r"(?:\S+\s+){0,2}?affiliate[\s-]links?\b|\bas\s+an\s+amazon\s+associate\b|"
    r"\b(?:peut|peuvent|pouvons|pourrions|pourrait|pourraient)\s+(?:\S+\s+){0,3}?"
    r"(?:percevoir|toucher|recevoir|gagner)\s+(?:\S+\s+){0,3}?commissions?\b|"
    r"\b(?:contient|contiennent|comprend|inclut|utilise|utilisons)\s+(?:\S+\s+){0,2}?liens\s+"
    r"(?:d['’]\s*)?affili[ée]s?\b",
    re.IGNORECASE)
_DISCLOSURE_CHARS = 400
# The placeholder of an embedded post, video or chart shown only on a click (the "two-click"
# consent German sites put in the text): "Empfohlener redaktioneller Inhalt", "An dieser Stelle
# finden Sie einen ... externen Inhalt", "Ich bin damit einverstanden, dass mir ... angezeigt
# wird", "Ein Klick für den Datenschutz", "Erst wenn Sie hier klicken, werden die Grafiken
# nachgeladen" (Tagesspiegel, Gamestar, ZDF)
_EMBED_CONSENT = re.compile(
    r"empfohlener\s+redaktioneller\s+inhalt|ein\s+klick\s+für\s+den\s+datenschutz|"
    r"an\s+dieser\s+stelle\s+find\w*\s+(?:du|sie|ihr)\s+ein\w*\b[^.]{0,80}\bextern|"
    r"ich\s+bin\s+damit\s+einverstanden,\s+dass\s+mir|mit\s+einem\s+klick\s+anzeigen\s+lassen|"
    r"personenbezogene\s+daten\s+(?:können|werden)\s+an\s+drittplattformen|"
    r"erst\s+wenn\s+sie\s+hier\s+klicken,\s+werden",
    re.IGNORECASE)
_EMBED_CONSENT_CHARS = 600
# A photo's caption or credit left in the text as a block of its own: it ends with the credit
# ("Lee Elder sprach Tiger Woods Mut zu. | © Augusta National/Getty Images", "Foto: IBU/C.
# Manzoni", "(Foto: Stadt Nordhausen)", "Crédit photo : KB / Bondy Blog").
_CREDIT = re.compile(
    r"(?:^|[\s|.(/])(?:©|(?:foto|photo|bild|image|cr[ée]dits?(?:\s+photos?)?|credit|bildcredit|"
    r"bildrechte|bildquelle|"
    r"fotos|photos)\s*(?:©|:))\s*\w[^©]{0,80}$",
    re.IGNORECASE)
_CREDIT_LINE_CHARS = 250
_CREDIT_TAIL_CHARS = 83  # "©" or ":", a space, the credit's 81 characters
_CREDIT_WORD_CHARS = 25  # "Crédits photos :" and what is before it
# five lowercase words in a row: a sentence ("Published in 2019, the report found that...")
_SENTENCE_RUN = re.compile(r"(?:\b[^\W\d_A-Z]{2,}\b[\s,]+){4}[^\W\d_A-Z]{2,}")
_MIN_BLOCK_CHARS = 25  # shorter blocks (a date, a caption, a button) score nothing
# a "heading" of sentences this long is a paragraph set as one (<h3><strong>opening...</h3>)
_HEADING_PROSE_CHARS = 150
_MAX_LINK_DENSITY = 0.5
_SHORT_ARTICLE_CHARS = 500
_OVERLAID_SHARE = 3
_OUTSCORED_SHARE = 5
_SHORT_POST_CHARS = 200  # a post this long is the article, not the comments under it
_RUN_PROSE_CHARS = 100
_RUN_LINK_DENSITY = 0.25
_RUN_GAP_CHARS = 300
# a sentence's end (Chinese and Japanese full stops too), before closing quotes or brackets
_RUN_SENTENCE_ENDS = ".!?\u2026\u3002\uff01\uff1f"
_RUN_CLOSING = " \"'\u201d\u2019\u300d\u300f\u00bb)]"
_FULLER_SHARE = 1.5
_SECTION_PROSE_CHARS = 150
_FULLER_KEPT = 0.8
_CARD_CHARS = 500
_ALTERNATIVES = 6
_COUSIN_LEVELS = 5
_FAR_COUSIN_LEVELS = 10
# A class a page builder makes for one element, with a number of its own ("vc_custom_156345..."),
# or ending in a hash of hexadecimal digits and letters ("uagb-block-6b392fa1": Spectra's columns)
_GENERATED_CLASS = re.compile(r"\d{5}|[-_](?=[a-f]*\d)(?=\d*[a-f])[0-9a-f]{6,}$")
_LABEL_WORDS = 4
_MAX_ID_HYPHENS = 3
_LABEL_CHARS = 40
_LABEL_WORD_CHARS = 15  # "Advertisement", "Legende:"
_CELLS = frozenset({"td", "th"})
_LABEL_TAGS = frozenset({"div", "span", "section", "article", "figure", "header", "a", "button"})
# An advert's label, whatever holds it (<center>, <p>): "Advert", "- Anzeige-", "Publicité".
_AD_LABEL = re.compile(
    r"[\W_]*(?:advert|advertisement|anzeige|werbung|publicit[ée]|annonce|pub|publicidad|"
    r"pubblicit[àa]|reklame|sponsored)[\W_]*", re.IGNORECASE)
_TEASER_LINK_SHARE = 0.2
_LINKED_PROSE_CHARS = 40
_MAX_LINKED_PROSE_DENSITY = 0.8
# A link after a label ("Czytaj też: <another article's title>", "À écouter : <a podcast>"): a
# pointer to another page, not a sentence quoting it
_LINK_LABEL = re.compile(r"[^\W\d][^:.!?]{0,29}\s?:\s")
_LINK_LABEL_SLACK = 3  # the label's link may hold a space or a full stop of the line
# A breadcrumb's separators ("Mensagens » Mensagens de Autoestima » Só quem se Ama…"); one "»"
# closes a French quotation
_CRUMB_SEPARATORS = re.compile(r"\s[»›>/]\s")
_JOINED_PARAGRAPHS = 5
_SENTENCE_STOP = re.compile(r"\.(?: |$)")  # readability's test of a short <p>: a full stop
_JOINED_LINK_SHARE = 0.25
_PLAIN_PROSE_CHARS = 300
_PLAIN_PROSE_LINK_SHARE = 0.45
_MIN_ALTERNATIVES = 3  # a block mostly of links is a menu or a list of other articles
# Which unlikely marks hold in the chosen elements (see region_paragraphs).
Marks = Literal["all", "inside", "none"]


@dataclass(slots=True)
class Block:
    """The text between two block boundaries; `owner` is the innermost block element."""

    text: str  # with "\n" where a <br> was
    link_chars: int
    owner: int
    folded: str = ""
    # inside a share bar, related list... (UNLIKELY), a comment thread or cookie banner (NEVER)
    unlikely: int = 0
    # the share of `folded` in links, at most 1 (1 when empty): set by the walk, read for
    # every block each time the page is scored
    link_density: float = 1.0
    # all its links go to the page's own anchors (an entry of a table of contents)
    in_page: bool = False


@dataclass
class Walk:
    """The elements of a subtree in document order, with their parents, extents and blocks."""

    nodes: list[LexborNode] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    parents: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)  # element i's descendants are i+1 .. ends[i]-1
    # the element's or its nearest marked ancestor's mark: 0, UNLIKELY or NEVER
    unlikely: list[int] = field(default_factory=list)
    marked: list[int] = field(default_factory=list)  # the element's own mark
    blocks: list[Block] = field(default_factory=list)

    @functools.cached_property
    def headline(self) -> int:
        """The page's first <h1> (its headline), or -1."""
        try:
            return self.tags.index("h1")
        except ValueError:
            return -1


@functools.lru_cache(maxsize=16384)  # a site repeats its class names on every page
def _unlikely_names(names: str) -> bool:
    names = names.lower()
    if _ANY_MARK.search(names) is None:
        return False
    if _OVERLAY.search(names):
        return True
    # (_ANY_MARK found one of _GALLERY's or _UNLIKELY's names: one of the names below has it)
    unlikely = False
    for name in names.split():
        kind = _name_kind(name)
        if kind == _MAYBE_CONTENT_NAME:
            return False  # "main-content", "content-sidebar-wrap": maybe the content
        if kind:
            unlikely = True
    return unlikely


_GALLERY_NAME, _MAYBE_CONTENT_NAME, _UNLIKELY_NAME = 1, 2, 3


@functools.lru_cache(maxsize=16384)  # "elementor-widget-container" on many sites' pages
def _name_kind(name: str) -> int:
    """What one lowercased class name (read up to a BEM "__") says: a gallery or slider
    ("avia-content-slider", "article-slideshow": no content, whatever else it says), maybe the
    content, an unlikely box, or nothing (0)."""
    name = name.split("__", 1)[0]
    if _GALLERY.search(name):
        return _GALLERY_NAME
    if _MAYBE_CONTENT.search(name):
        return _MAYBE_CONTENT_NAME
    return _UNLIKELY_NAME if _UNLIKELY.search(name) else 0


def _unlikely(attributes: dict[str, str | None]) -> int:
    """The mark of an element with these attributes: 0, UNLIKELY or NEVER (see
    _NEVER_ARTICLE)."""
    if "hidden" in attributes or (
            "style" in attributes and _DISPLAY_NONE.search(attributes["style"] or "")):
        return UNLIKELY  # an article shown by script may be hidden in the markup
    names = attributes.get("class") or ""
    ident = attributes.get("id") or ""
    return _unlikely_attributes(names, ident) if names or ident else 0


@functools.lru_cache(maxsize=16384)  # a site repeats its (class, id) pairs on every page
def _unlikely_attributes(names: str, ident: str) -> int:
    # (each of the hidden classes holds "hid" or "d-none": the search only where one is)
    if (names and ("hid" in names or "d-none" in names) and _HIDDEN_CLASS.search(names)
            and "accordion" not in names.lower()):
        return UNLIKELY
    # an id made of the text's own words ("...-promoted-dune-part-two-in-london") names nothing
    if ident and ident.count("-") <= _MAX_ID_HYPHENS:
        names = f"{names} {ident}"
    if not names:
        return 0
    # camelCase names are read as written ("newsLetter") and word by word ("sectionRelated",
    # "InlineImage-imageEmbedCaption"); the split only for names with a capital inside; so
    # are snake_case names ("prev_next_text", "ctl00_Footer": "_" is a word character for re)
    if not (_unlikely_names(names) or (not names.islower() and _CAMEL.search(names) is not None
                                       and _unlikely_names(_CAMEL.sub("-", names))) or (
            "_" in names and _unlikely_names(_SNAKE.sub("-", names)))):
        return 0
    return NEVER if _NEVER_ARTICLE.search(names.lower()) else UNLIKELY


# A control that closes a box: "close", "btn-close", "modal__close", "popup-close"
_CLOSE = re.compile(r"(?:^|[\s_-])close(?:$|[\s_-])")


def _is_close_control(attributes: dict[str, str | None]) -> bool:
    """An element named as the control that closes its box (vinosytapas.de's shipping terms,
    `<div id="vkinfo"><div class="close">Schließen [X]</div>...`, hidden by its stylesheet and
    shown on a click): the box is a pop-up, whatever its own name says."""
    names = attributes.get("class")
    return bool(names) and "lose" in names and _close_names(names)  # "close", "Close"


@functools.lru_cache(maxsize=4096)
def _close_names(names: str) -> bool:
    return _CLOSE.search(names.lower()) is not None


def _is_caption_span(node: LexborNode) -> bool:
    names = node.attributes.get("class")
    return bool(names) and _caption_names(names)


@functools.lru_cache(maxsize=4096)
def _caption_names(names: str) -> bool:
    return bool(_CAPTION_SPAN.search(names.lower()))


# The last page-level walk and its located article: a page's body and its lead (extract.py
# body_node) both ask for them, and a second walk cost a tenth of the page's extraction. The
# slot holds `root`, so its tree stays alive and no other tree's node can share its mem_id.
_last_walk: tuple[LexborNode, tuple[int, frozenset[int], bool], Walk] | None = None
_last_located: tuple[Walk, tuple[list[int], Marks, list[str]]] | None = None


def walk(root: LexborNode, *, pruned: Collection[int] = (), mark_unlikely: bool = True,
         read_noscript: bool = False) -> Walk:
    """`_walk`, remembered for the last root walked with `mark_unlikely` (the page's body)."""
    global _last_walk
    if not mark_unlikely:
        return _walk(root, pruned=pruned, mark_unlikely=False)
    key = (root.mem_id, frozenset(pruned), read_noscript)
    last = _last_walk
    if last is not None and last[1] == key:
        return last[2]
    found = _walk(root, pruned=pruned, mark_unlikely=True, read_noscript=read_noscript)
    _last_walk = (root, key, found)
    return found


_INLINE = -2  # _walk's next owner when an inline element starts (no block boundary)
# A link that tweets the article's own words: a "Click To Tweet" quote (the Better Click To
# Tweet and Social Warfare plugins) is a sentence of the text inside one
_TWEET_INTENT = re.compile(
    r"(?:https?:)?//(?:www\.)?(?:twitter|x)\.com/(?:intent/(?:tweet|post)|share)\b")
# ... followed by its button, inline: "Every online business exists in ...'Click To Tweet"
_TWEET_BUTTON = "click to tweet"
# The link to a heading's own anchor that documentation and blog engines put after it
_PERMALINK = "¶"
# a line this long, or a sentence this long, is a paragraph of the text: an <h1> after it is no
# headline atop the article (a post's heading set as <h1>)
_HEADLINE_PROSE_CHARS = 200
_HEADLINE_SENTENCE_CHARS = 60


_IN_PAGE = 2  # _link_kind of a link to an anchor of the page itself ("#types-of-service")


def _link_kind(node: LexborNode) -> int:
    """How an <a> is read: 0 for no link (a named anchor, <a name="sprung1"> around a
    subheading, links nowhere; a quote to tweet, see _TWEET_INTENT, is the text's own),
    _IN_PAGE for a link to an anchor of the page ("#section-2": a table of contents, a
    footnote), else 1 (an <a> without href and name is a control, "Zum Vergrößern anklicken",
    read as a link)."""
    attributes = node.attrs
    href = attributes.get("href")
    if href is None:
        return 0 if attributes.get("name") is not None else 1
    if href[:1] == "#" and len(href) > 1:
        return _IN_PAGE
    if ("twitter.com/" in href or "x.com/" in href) and _TWEET_INTENT.match(href) is not None:
        return 0
    return 1


def _walk(root: LexborNode, *, pruned: Collection[int] = (), mark_unlikely: bool = True,
          read_noscript: bool = False) -> Walk:
    """Cut the text under `root` into blocks, in one pass. Elements whose mem_id is in `pruned`
    and SKIP_TAGS are left out with everything inside them; with `mark_unlikely`, blocks inside
    an element whose class or id says comments, share bar, related list and the like are marked
    (left out by `choose` unless that leaves no article: some sites put "sidebar" on the
    wrapper of the whole page). With `read_noscript`, <noscript> is read as any element."""
    out = Walk()
    # locals and bound methods: the loop below runs once per node of the page (~1 us each)
    nodes, tags, parents, ends, unlikely_of, marked = (out.nodes, out.tags, out.parents,
                                                       out.ends, out.unlikely, out.marked)
    blocks_append = out.blocks.append
    parts: list[str] = []
    parts_append = parts.append
    block_tags, skip_tags = BLOCK_TAGS, SKIP_TAGS - {"noscript"} if read_noscript else SKIP_TAGS
    nodes.append(root)
    tags.append(root.tag)
    parents.append(-1)
    ends.append(0)
    unlikely_of.append(0)
    marked.append(0)
    link_chars = link_depth = owner = index = 0
    anchor_chars = anchor_depth = 0  # the same, for links to the page's own anchors
    children = root.iter(include_text=True)
    # per open element under the root: its parent's remaining children, the parent's index,
    # the owner before the element and whether it is a link
    stack: list[tuple[Iterator[LexborNode], int, int, bool]] = []
    while True:
        for child in children:  # the children of element `index`, until one to descend into
            tag = child.tag
            if tag == "-text":
                text = child.text_content or ""
                parts_append(text)
                if link_depth:
                    link_chars += len(text.strip())
                    if anchor_depth:
                        anchor_chars += len(text.strip())
                continue
            if not tag or tag == "br" or tag in skip_tags or tag[0] == "-" or (
                    pruned and child.mem_id in pruned):
                if tag == "br":
                    parts_append("\n")
                # lexbor gives some nodes (a processing instruction, a bogus comment) no tag
                continue
            if tag == "span" and mark_unlikely and _is_caption_span(child):
                continue
            child_index = len(nodes)
            nodes.append(child)
            tags.append(tag)
            parents.append(index)
            ends.append(0)
            is_link = _link_kind(child) if tag == "a" else 0
            stack.append((children, index, owner, is_link))
            children, index = child.iter(include_text=True), child_index
            if tag not in block_tags:
                marked.append(0)
                unlikely_of.append(unlikely_of[parents[child_index]])
                if is_link:
                    link_depth += 1
                    anchor_depth += is_link == _IN_PAGE
                new_owner = _INLINE
                break
            box = parents[child_index]
            own = 0
            if mark_unlikely and tag != "html" and tag != "body":
                attributes = child.attributes
                if attributes:
                    own = _unlikely(attributes)
                    if child_index == box + 1 and box and _is_close_control(attributes) and (
                            not parts or "".join(parts).isspace()):
                        # a box that opens with its close control is laid over the page
                        marked[box] = max(marked[box], UNLIKELY)
                        unlikely_of[box] = max(unlikely_of[box], UNLIKELY)
            marked.append(own)
            above = unlikely_of[box]
            unlikely_of.append(own if own > above else above)
            new_owner = child_index
            break  # a block starts: the text before it is a block of its own
        else:  # element `index` ends
            ends[index] = len(nodes)
            if not stack:  # the root, block or inline (<span class="FullArticleTexte">)
                new_owner = -1
            else:
                children, parent, owner_before, is_link = stack.pop()
                if is_link:
                    link_depth -= 1
                    anchor_depth -= is_link == _IN_PAGE
                if tags[index] not in block_tags:
                    index = parent
                    continue
                index, new_owner = parent, owner_before
        if new_owner == _INLINE:  # an inline element starts: no boundary
            continue
        # a block boundary: flush the text since the last one (fold_whitespace inlined)
        if parts:
            text = "".join(parts)
            parts.clear()
            if "\xad" in text:  # soft hyphens: where a word may break, no part of it
                text = text.replace("\xad", "")
            if not text.isspace():
                folded = " ".join(text.split()) if "\u200b" not in text else fold_whitespace(text)
                if folded:
                    blocks_append(Block(text, link_chars, owner, folded, unlikely_of[owner],
                                        min(1.0, link_chars / len(folded)),
                                        0 < link_chars == anchor_chars))
        link_chars = anchor_chars = 0
        if new_owner < 0:
            return out
        owner = new_owner


def _opens_related_list(block: Block, tag: str) -> bool:
    """A heading ("Articles similaires", "Sur le même sujet"), or a line that is only those
    words: not "Lire aussi : <another article's title>" inside the text."""
    found = _RELATED_HEADING.match(block.folded)
    if found is None:
        return False
    if tag in HEADINGS:
        return len(block.folded.split()) <= _RELATED_HEADING_WORDS
    return not block.folded[found.end():].strip(" :.-–—»>|…!")


def _is_stray_label(block: Block, tag: str) -> bool:
    """A few words outside any paragraph that are no sentence: a photo credit ("Noel Celis/Getty
    Images"), a button ("Box aufklappen"), "Placeholder image-1"; and an advert's label in any
    element."""
    text = block.folded
    if len(text) <= _LABEL_WORD_CHARS + 4 and _AD_LABEL.fullmatch(text):
        return True
    # one "word" of CJK text can be a whole sentence: without spaces, only a short one is a label
    longest = _LABEL_CHARS if " " in text else _LABEL_WORD_CHARS
    return (tag in _LABEL_TAGS and len(text) <= longest
            and len(text.split()) <= _LABEL_WORDS and not ends_sentence(text)
            and not text.endswith(("。", "！", "？")))


def _is_credit(line: str) -> bool:
    """A photo's caption ending with its credit, or the credit alone (see _CREDIT): a line of
    its own (a caption under a <br> after the slide's text is still a line apart)."""
    if len(line) > _CREDIT_LINE_CHARS:
        return False
    # the search (~5 us a line) only from a little before the line's last "©" or colon, when
    # the credit's few words could follow it
    at = max(line.rfind("©"), line.rfind(":"))
    return (at >= 0 and len(line) - at <= _CREDIT_TAIL_CHARS
            and _CREDIT.search(line, max(0, at - _CREDIT_WORD_CHARS)) is not None)


def _is_date_line(block: Block) -> bool:
    """When the article was published or updated (see _DATE_LINE), or a line of fields one of
    which is a date or time; not a sentence."""
    text = block.folded
    if len(text) > _FIELD_LINE_CHARS:
        return False
    dated = ((len(text) <= _DATE_LINE_CHARS and _DATE_LINE.match(text) is not None)
             or (len(_FIELD_SEPARATOR.findall(text)) >= 2
                 and _DATE_OR_TIME.search(text) is not None))
    # the sentence search last: it runs on the few lines that look dated, not on every line
    return dated and _SENTENCE_RUN.search(text) is None


def _is_no_paragraph(block: Block, tag: str) -> bool:
    """A line of the page that is no paragraph of the article: a stray label, a date line, a
    player's label, a call to subscribe or share, an embed's consent placeholder."""
    text = block.folded
    return (_is_stray_label(block, tag) or _is_date_line(block)
            or (len(text) <= _MEDIA_LABEL_CHARS and _MEDIA_LABEL.match(text) is not None)
            or (len(text) <= _CALL_TO_ACT_CHARS and _CALL_TO_ACT.match(text) is not None)
            or (len(text) <= _DISCLOSURE_CHARS and _discloses(text))
            or (len(text) <= _EMBED_CONSENT_CHARS and _asks_consent(text)))


def _discloses(text: str) -> bool:
    """An affiliate disclosure (see _DISCLOSURE); searched only in lines with one of its words
    ("commission", "affiliate", "affilié", "associate")."""
    return (("ommission" in text or "ffili" in text or "ssociate" in text)
            and _DISCLOSURE.search(text) is not None)


def _asks_consent(text: str) -> bool:
    """An embed's consent placeholder (see _EMBED_CONSENT). The search costs ~35 us a line:
    it runs only on lines with one of its words ("Inhalt", "Klick", "klicken",
    "Drittplattformen"; three substring tests, ~0.3 us)."""
    return (("nhalt" in text or "lick" in text or "rittplattform" in text)
            and _EMBED_CONSENT.search(text) is not None)


def _linked_prose(block: Block, tag: str) -> bool:
    """A paragraph of the article with most of its words in links (a sentence quoting the
    sources it links to, a digest's item: its story's linked headline, then a sentence): a <p>
    or <li> of some length that ends a sentence, with some words unlinked; not a labelled link
    to another article ("Read also: <its title>?") nor a breadcrumb."""
    text = block.folded
    if not ((tag == "p" or tag == "li") and len(text) >= _LINKED_PROSE_CHARS
            and block.link_density < _MAX_LINKED_PROSE_DENSITY and ends_sentence(text)):
        return False
    label = _LINK_LABEL.match(text)
    if label is not None and len(text) - label.end() <= block.link_chars + _LINK_LABEL_SLACK:
        return False
    return len(_CRUMB_SEPARATORS.findall(text)) < 2


# A web address shown whole as text: "https://code.visualstudio.com/"; not a profile on a social
# network ("Reach the reporters on Twitter at http://twitter.com/..."), a contact line
_ADDRESS = re.compile(r"https?://\S+", re.IGNORECASE)
_SOCIAL_ADDRESS = re.compile(
    r"https?://(?:www\.)?(?:twitter|x|facebook|instagram|linkedin|youtube|tiktok|t)\.(?:com|me)/",
    re.IGNORECASE)
_ADDRESS_LINK_SHARE = 0.8


def _shows_addresses(block: Block) -> bool:
    """A block mostly of links that show their own web address, whole, as text ("Website:
    https://code.visualstudio.com/", "Official documentation: https://...", a list of the
    sources' addresses): the article gives the addresses to its readers; no menu or teaser
    names a link so. (An address without its scheme, "www.webmd.com" alone under the text, is
    as often a source's credit as a reference.)"""
    text = block.folded
    if "http" not in text:
        return False
    addresses = _ADDRESS.findall(text)
    return (sum(map(len, addresses)) >= _ADDRESS_LINK_SHARE * block.link_chars
            and not any(_SOCIAL_ADDRESS.match(address) for address in addresses))


def _anchored_heading(found: Walk, owner: int) -> bool:
    """A subheading whose links point inside the page: its own permalink ("¶", "#"), or back
    to the table of contents (Sphinx's toc-backref, the anchors blog engines put on their
    headings). It heads a part of the text, unlike a heading linked to another article."""
    if found.tags[owner] not in HEADINGS:
        return False
    hrefs = [link.attributes.get("href") or "" for link in found.nodes[owner].css("a")]
    return bool(hrefs) and all(href.startswith("#") and len(href) > 1 for href in hrefs)


def block_lines(block: Block) -> list[str]:
    """A block's paragraphs: one per line, a line that does not end a sentence joined to the
    next (a hard line break inside a sentence, as L'Essor's pages have)."""
    if "\n" not in block.text:
        return [block.folded]  # the text folded as fold_whitespace does (see _walk)
    lines: list[str] = []
    for line in (fold_whitespace(t) for t in block.text.split("\n")):
        if line and lines and not ends_sentence(lines[-1]):
            lines[-1] = f"{lines[-1]} {line}"
        elif line:
            lines.append(line)
    return lines


def _class_weight(node: LexborNode) -> int:
    attributes = node.attributes
    names = f"{attributes.get('class') or ''} {node.id or ''} {attributes.get('itemprop') or ''}"
    return _names_weight(names) if names.strip() else 0


@functools.lru_cache(maxsize=16384)  # unanchored IGNORECASE searches: ~14 us an element
def _names_weight(names: str) -> int:
    weight = 0
    if _NEGATIVE.search(names):
        weight -= 25
    if _POSITIVE.search(names):
        weight += 25
    return weight


Counts = list[int]


@dataclass
class _Sums:
    """Per element, over its whole subtree."""

    text_chars: Counts
    link_chars: Counts
    # blocks that are mostly links: a title in a teaser card, a menu entry (not a table cell's:
    # a ranking's linked names are its values)
    link_blocks: Counts
    prose_blocks: Counts


def _points(block: Block, tag: str) -> float:
    """readability's points for a block of prose, each <br>-separated line counted as the
    paragraph it is on screen; a <pre> block (code, a listing) one paragraph with no comma
    counted, as a paragraph of prose earns per clause and a listing's lines and commas are
    none (a tutorial's one script outscored its own article)."""
    if tag == "pre":
        return 1 + min(len(block.folded) / 100, 3)
    points = 0.0
    for line in block.text.split("\n") if "\n" in block.text else (block.folded,):
        length = len(line.strip())
        if length >= _MIN_BLOCK_CHARS:
            points += 1 + line.count(",") + line.count("，") + line.count("、") + min(
                length / 100, 3)
    return points


def _scores(found: Walk, strict: bool) -> tuple[dict[int, float], dict[int, float], _Sums]:
    """Each candidate element's score and the part of it earned by its text (without the hints
    of its tag and class), and sums over each element's subtree."""
    n = len(found.nodes)
    sums = _Sums([0] * n, [0] * n, [0] * n, [0] * n)
    text_chars, link_chars = sums.text_chars, sums.link_chars
    link_blocks, prose_blocks = sums.link_blocks, sums.prose_blocks
    tags, parents = found.tags, found.parents
    prose = []  # which blocks are prose: long enough, few links, no heading (nor unlikely)
    for block in found.blocks:
        owner, length = block.owner, len(block.folded)
        text_chars[owner] += length
        link_chars[owner] += min(block.link_chars, length)
        if block.link_density > _MAX_LINK_DENSITY:
            # a table of contents' entry is no teaser's title: the part of the article that
            # holds one is no list of teasers (see _teasers), nor is a table of linked names
            link_blocks[owner] += not block.in_page and tags[owner] not in _CELLS
            prose.append(False)
        elif (length >= _MIN_BLOCK_CHARS and (tags[owner] not in HEADINGS or (
                length >= _HEADING_PROSE_CHARS and ends_sentence(block.folded)))
              and not (block.unlikely if strict else block.unlikely == NEVER)):
            prose_blocks[owner] += 1
            prose.append(True)
        else:
            prose.append(False)
    for index in range(n - 1, 0, -1):  # children come after their parent: sums flow upwards
        if text_chars[index]:  # every block has text: no text, nothing to add
            parent = parents[index]
            text_chars[parent] += text_chars[index]
            link_chars[parent] += link_chars[index]
            link_blocks[parent] += link_blocks[index]
            prose_blocks[parent] += prose_blocks[index]
    content: dict[int, float] = {}
    for block, is_prose in zip(found.blocks, prose, strict=True):
        if not is_prose:
            continue
        index = block.owner
        points = _points(block, tags[index])
        if tags[index] in _PARAGRAPH_LIKE:
            index = parents[index]
        level = 0
        while index >= 0 and level < _ANCESTOR_LEVELS:
            share = 1 if level == 0 else 2 if level == 1 else level * 3
            content[index] = content.get(index, 0.0) + points / share
            # _is_card, inlined: a teaser's excerpt scores its card, not the list
            if (link_blocks[index] == 1 and prose_blocks[index] <= 2
                    and text_chars[index] < _CARD_CHARS):
                break
            index = parents[index]
            level += 1
    scores = {}
    for index, points in content.items():
        tag = found.tags[index]
        # a hint in the name adds at most what the text earned: "modal-body" around a login
        # form or "image-text" under a photo is no article however it is named
        start = min(_TAG_SCORE.get(tag, 0) + _class_weight(found.nodes[index]), 4 * points)
        density = link_chars[index] / text_chars[index] if text_chars[index] else 1.0
        scores[index] = (start + points) * (1 - min(density, 1.0))
        content[index] = points * (1 - min(density, 1.0))
    return scores, content, sums


def _is_card(sums: _Sums, index: int) -> bool:
    """A teaser card: one link (its title) and a short excerpt of one or two blocks."""
    return (sums.link_blocks[index] == 1 and sums.prose_blocks[index] <= 2
            and sums.text_chars[index] < _CARD_CHARS)


def _teasers(sums: _Sums, index: int) -> bool:
    """A list of teaser cards: a link title per excerpt, and much of the text in links. An
    article's next part has few link blocks, or little link text (a "Read more" line or a list
    of shop links between long paragraphs)."""
    return (sums.link_blocks[index] > sums.prose_blocks[index] / 2
            and sums.link_chars[index] >= _TEASER_LINK_SHARE * sums.text_chars[index])


def _many_paragraphs(sums: _Sums, index: int, top: int) -> bool:
    """Paragraphs enough to be a part of the article whatever their nesting (a live blog's
    entries, each a few wrappers deep, after the article's opening), with few links, and as
    much text as half the top (not a dialog's or a comment form's few lines)."""
    text = sums.text_chars[index]
    return (sums.prose_blocks[index] >= _JOINED_PARAGRAPHS
            and sums.link_chars[index] < _JOINED_LINK_SHARE * text
            and text >= sums.text_chars[top] / 2)


def _plain_prose(sums: _Sums, index: int) -> bool:
    """Prose and nothing else, at some length: no link blocks, and less than half of it in
    links (a review's opening names the products it links to: four tenths of Engadget's). Joined
    when it comes before the top: a paywalled page's free opening paragraph in a wrapper of its
    own, before the metered rest (after the article, such a box is an author's bio, a donation
    appeal or a "context" box)."""
    text = sums.text_chars[index]
    return (text >= _PLAIN_PROSE_CHARS and sums.link_blocks[index] == 0
            and sums.link_chars[index] < _PLAIN_PROSE_LINK_SHARE * text)


def _widen(found: Walk, scores: dict[int, float], top: int) -> int:
    """readability's rule: when three of the best candidates other than the top (within 75% of
    its score) sit in one ancestor of the top, the article is that ancestor (paragraphs each in
    a wrapper of their own)."""
    best = sorted(scores.values(), reverse=True)[:_ALTERNATIVES]
    # the wrappers around the top score much like it, and are no other part of the article
    alternatives = [i for i, score in scores.items()
                    if i != top and score >= 0.75 * scores[top] and score >= best[-1]
                    and not i < top < found.ends[i]]
    if len(alternatives) < _MIN_ALTERNATIVES:
        return top
    ancestor, level = found.parents[top], 0
    while ancestor > 0 and level < _ANCESTOR_LEVELS * 2:
        inside = sum(ancestor < i < found.ends[ancestor] for i in alternatives)
        if inside >= _MIN_ALTERNATIVES:
            return ancestor
        ancestor, level = found.parents[ancestor], level + 1
    return top


def _out_of_quotes(found: Walk, top: int) -> int:
    """The element holding the outermost <blockquote> around `top` (up to _ANCESTOR_LEVELS
    above it), if any: a quote is a part of the text that quotes it (a forum post quoting the
    announcement it answers, its quote longer than its own words), never the article alone."""
    tags, parents = found.tags, found.parents
    index, holder = top, top
    for _ in range(_ANCESTOR_LEVELS):
        if index <= 0:
            break
        if tags[index] == "blockquote":
            holder = parents[index]
        index = parents[index]
    return holder


def choose(found: Walk, *, strict: bool = True) -> list[int]:
    """The elements holding the article: the best candidate and the siblings joined to it;
    when `strict`, blocks marked unlikely do not count."""
    return _choose(found, strict)[0]


def _choose(found: Walk, strict: bool) -> tuple[list[int], float, _Sums]:
    """`choose`, the score of the best candidate and the sums the page was scored with."""
    scores, content, sums = _scores(found, strict)
    text_chars, link_chars = sums.text_chars, sums.link_chars
    if not scores:
        return [], 0.0, sums
    first = max(scores, key=lambda i: (scores[i], -i))
    best = scores[first]
    top = _widen(found, scores, _out_of_quotes(found, first))
    parent = found.parents[top]
    if parent < 0:
        return [top], best, sums
    # A sibling joins on what its text earns, not on its class name ("entry-header").
    threshold = max(3.0, content.get(top, 0.0) * 0.2)  # a widened top may have no score
    top_class = found.nodes[top].attributes.get("class") or ""
    top_section = _opens_with_heading(found, top)
    chosen = []
    for index in range(parent + 1, found.ends[parent]):
        if found.parents[index] != parent:
            continue
        if index == top:
            chosen.append(index)
            continue
        bonus = threshold if (top_class and _same_class(
            found.nodes[index].attributes.get("class"), top_class)) or (
            top_section and found.tags[index] == found.tags[top]
            and _opens_with_heading(found, index)) else 0.0
        if index in content and not _teasers(sums, index) and (
                content[index] + bonus >= threshold
                or (not found.unlikely[index] and (_many_paragraphs(sums, index, top)
                                                   or (index < top
                                                       and _plain_prose(sums, index))))):
            chosen.append(index)
        elif found.tags[index] == "p" and text_chars[index]:
            density = link_chars[index] / text_chars[index]
            if (text_chars[index] > 80 and density < 0.25) or (density == 0 and text_chars[index]
                                                                 > 25):
                chosen.append(index)
    article = _only_holder(found, sums, top)
    if article != top and found.parents[article] >= 0:
        chosen += _openings(found, content, sums, article, threshold)
        chosen += _paragraphs_beside(found, sums, article)
    chosen += _cousins(found, content, sums, top, chosen, threshold)
    return chosen + _subheadings(found, chosen, strict), best, sums


def _opens_with_heading(found: Walk, index: int) -> bool:
    """Element `index` is a section of a text: a `<section>` whose first child is a heading
    (the article's parts, each under its subheading, the short ones earning less than a fifth
    of the longest; not a `<div>`, as a sidebar's widgets and a comment form open so too)."""
    first = index + 1
    return (found.tags[index] == "section" and first < found.ends[index]
            and found.tags[first] in HEADINGS)


def _subheadings(found: Walk, parts: list[int], strict: bool) -> list[int]:
    """The heading right before each part of the article but the first, in the part's parent:
    the article's subheadings, when its paragraphs sit in wrappers of their own beside them
    (`<div>` text, `<h2>`, `<div>` text; forstpraxis.de's `h2.paragraph_subline` before each
    `div.paragraph-text`). Not one marked, nor a related list's heading; before the first
    part, a heading is the page's headline or a kicker."""
    tags, parents = found.tags, found.parents
    headings = []
    for part in sorted(parts)[1:]:
        parent, index = parents[part], part - 1
        while index > parent and parents[index] != parent:  # up to the previous sibling
            index = parents[index]
        if (index > parent and tags[index] in HEADINGS and index not in parts
                and not (found.unlikely[index] if strict else found.unlikely[index] == NEVER)
                and _RELATED_HEADING.match(fold_whitespace(found.nodes[index].text())) is None):
            headings.append(index)
    return headings


def _only_holder(found: Walk, sums: _Sums, top: int) -> int:
    """The outermost wrapper that holds only the top (no other text): the top itself when its
    parent holds more."""
    text_chars, parents = sums.text_chars, found.parents
    article = top
    while parents[article] > 0 and text_chars[parents[article]] == text_chars[article]:
        article = parents[article]
    return article


def _paragraphs_beside(found: Walk, sums: _Sums, article: int) -> list[int]:
    """readability's `<p>` siblings (more than 80 characters with few links, or a sentence with
    none) of `article`, the outermost wrapper that holds only the top (`_only_holder`), when
    that wrapper is not the top: readability takes a top that is its parent's only child for
    the parent, upwards, before it joins siblings. The article's opening paragraphs beside the
    wrapper of the rest (an embed's `div.w-embed > div.responsive-table` inside a rich-text
    block)."""
    parent = found.parents[article]
    text_chars, link_chars, parents, tags = (sums.text_chars, sums.link_chars, found.parents,
                                             found.tags)
    beside = []
    for index in range(parent + 1, found.ends[parent]):
        if parents[index] != parent or tags[index] != "p" or not text_chars[index]:
            continue
        density = link_chars[index] / text_chars[index]
        if (text_chars[index] > 80 and density < 0.25) or (
                density == 0 and _SENTENCE_STOP.search(found.nodes[index].text()) is not None):
            beside.append(index)
    return beside


def _openings(found: Walk, content: dict[int, float], sums: _Sums, article: int,
              threshold: float) -> list[int]:
    """The article's opening in a wrapper of its own before the wrapper of the rest, when the
    top is deeper than its siblings: `article`, the outermost wrapper that holds only the top
    (`_only_holder`: a Drupal body field's block before the block of the field of paragraphs
    that won), has, before it, a sibling of plain prose (see _plain_prose) that earns its own
    score."""
    parents = found.parents
    parent = parents[article]
    return [index for index in range(parent + 1, article)
            if parents[index] == parent and index in content and content[index] >= threshold
            and not found.unlikely[index] and _plain_prose(sums, index)]


def _cousins(found: Walk, content: dict[int, float], sums: _Sums, top: int, chosen: list[int],
             threshold: float) -> list[int]:
    """Parts of the article in wrappers like the top's (same tag and class, and the same parent
    tag and class when the top has none) that are no siblings of it: each part in a module or
    grid cell of its own, between adverts. Looked for up to _COUSIN_LEVELS above the top, and,
    with enough prose of their own and no copy of the chosen paragraphs, up to
    _FAR_COUSIN_LEVELS (a guide's sections each in a stack of layout wrappers, the first one
    deeper than the others: Quanta's year in review). A part is left out as a list of teasers
    (see _teasers) unless the top has that shape too: a page of webcams, each view's
    description between a credit and links, is no list of teasers when the view that won is
    one such."""
    def kind(index: int) -> tuple[str, str | None]:
        return found.tags[index], found.nodes[index].attributes.get("class")

    top_kind, top_parent = kind(top), found.parents[top]
    if top_parent <= 0:
        return []
    parent_kind = kind(top_parent)
    ancestor = top_parent
    for _ in range(_COUSIN_LEVELS - 1):
        if found.parents[ancestor] <= 0:
            break
        ancestor = found.parents[ancestor]
    near = ancestor  # up to here, a part in the top's own class joins on any prose
    for _ in range(_FAR_COUSIN_LEVELS - _COUSIN_LEVELS):
        if found.parents[ancestor] <= 0:
            break
        ancestor = found.parents[ancestor]

    def same_kind(index: int, wanted: tuple[str, str | None]) -> bool:
        tag, names = kind(index)
        return tag == wanted[0] and _same_class(names, wanted[1])

    # the top's class but one class it has more: a how-to's steps in `div.content` each, its
    # opening, the top, in `div.content.lead` (eHow's pages)
    top_names = (top_kind[1] or "").split()
    but_one = {" ".join(top_names[:i] + top_names[i + 1:]) for i in range(len(top_names))
               } if len(top_names) > 1 else set()

    def alike(index: int) -> bool:
        if not same_kind(index, top_kind) and not (
                but_one and found.tags[index] == top_kind[0] and kind(index)[1] in but_one):
            return False
        parent = found.parents[index]
        return bool(top_kind[1]) or (parent > 0 and same_kind(parent, parent_kind))

    starts = sorted(chosen)  # disjoint subtrees, skipped whole: one pass, in document order
    top_teasers = _teasers(sums, top)
    skip = {i: found.ends[i] for i in chosen}
    found_parts = []
    index = ancestor + 1
    while index < found.ends[ancestor]:
        if index in skip:
            index = skip[index]
            continue
        holds_chosen = bisect.bisect_right(starts, index)
        # a part in a wrapper of the top's own class joins on any prose; others, and those
        # further up, on enough (and not when they repeat the chosen paragraphs)
        if (index in content and alike(index)
                and (content[index] >= threshold or (top_kind[1] and content[index] > 0
                                                     and near <= index < found.ends[near]))
                and (not _teasers(sums, index) or top_teasers)
                and not (holds_chosen < len(starts) and starts[holds_chosen] < found.ends[index])
                and (near <= index < found.ends[near] or not _copies(found, index, chosen))):
            found_parts.append(index)
            index = found.ends[index]
            continue
        index += 1
    return found_parts


def _copies(found: Walk, index: int, chosen: list[int]) -> bool:
    """Element `index` repeats the chosen elements' paragraphs (the article shown twice, for
    small screens and large): one of its paragraphs of prose is one of theirs."""
    spans = [(i, found.ends[i]) for i in chosen]
    end = found.ends[index]
    chosen_prose, its_prose = set(), set()
    for block in found.blocks:
        if len(block.folded) < _RUN_PROSE_CHARS:
            continue
        if index <= block.owner < end:
            its_prose.add(block.folded)
        elif any(start <= block.owner < stop for start, stop in spans):
            chosen_prose.add(block.folded)
    return not its_prose.isdisjoint(chosen_prose)



def _same_class(names: str | None, other: str | None) -> bool:
    """Two class attributes of one kind of wrapper: the same classes, but for those a page
    builder generates with a number of its own (it adds one to a wrapper whose spacing was
    edited: "wpb_text_column wpb_content_element  vc_custom_1563455446145"), and the number it
    gives each instance of a module beside the module's class ("fusion-text fusion-text-1",
    "fusion-text fusion-text-3": Avada's text blocks). Grid and spacing classes are no such
    difference: "col-md-8 mx-auto mt-4 bg-light" is a box under the article, not the
    "col-md-8 mx-auto" that holds it, and "col-md-4" is no instance of "col-md-8"."""
    if names == other:
        return True
    if not names or not other:
        return False
    ours = _kind_classes(names)
    return bool(ours) and ours == _kind_classes(other)


# An instance's number after its module's class: "fusion-text-3", "elementor-element-12"
_INSTANCE_NUMBER = re.compile(r"[-_]\d+$")
# A BEM modifier after its block's or element's class: "block-text_initial-letter",
# "article__block--wide" (the last "_" or "--" not part of a "__")
_BEM_MODIFIER = re.compile(r"(?<!_)_(?!_)[^_]+$|--[^-]+$")


@functools.lru_cache(maxsize=4096)
def _kind_classes(names: str) -> frozenset[str]:
    """The classes that say what kind of wrapper an element is: not a generated one (see
    _GENERATED_CLASS), nor an instance's number or a BEM modifier after a class the element
    has too ("block-text block-text_initial-letter" is a "block-text": the first of the
    article's text blocks, its initial letter set large)."""
    classes = names.split()
    kept = set()
    for name in classes:
        if _GENERATED_CLASS.search(name):
            continue
        number = _INSTANCE_NUMBER.search(name)
        if number is not None and name[:number.start()] in classes:
            continue
        modifier = _BEM_MODIFIER.search(name)
        if modifier is not None and name[:modifier.start()] in classes:
            continue
        kept.add(name)
    return frozenset(kept)


def _marked_inside(found: Walk, roots: list[int]) -> set[int]:
    """The elements under `roots` (disjoint subtrees) marked unlikely, themselves or by an
    ancestor below the root: one pass over each subtree, parents before children."""
    marked, parents = found.marked, found.parents
    inside: set[int] = set()
    for root in roots:
        for index in range(root + 1, found.ends[root]):
            if marked[index] or parents[index] in inside:
                inside.add(index)
    return inside


# A form that asks for an address or a number to send to: a newsletter's or an SMS signup
_SIGNUP_INPUT = "input[type=email], input[type=tel]"
_SIGNUP_BOX_CHARS = 600


def _signup_boxes(found: Walk, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The boxes inside the chosen elements that hold a signup form (an email or telephone
    field) and a few lines about it ("Be the first to know!", "By signing up, you agree
    ..."), whatever their class names (a Tailwind page's `section.relative.p-8.my-12`): each
    the outermost ancestor of the form, below the chosen element, with at most
    _SIGNUP_BOX_CHARS of text."""
    tags, parents, ends = found.tags, found.parents, found.ends
    boxes: list[tuple[int, int]] = []
    for start, end in spans:
        if "form" not in tags[start:end]:
            continue
        for index in range(start + 1, end):
            if tags[index] != "form" or any(a <= index < b for a, b in boxes):
                continue
            if found.nodes[index].css_first(_SIGNUP_INPUT) is None:
                continue
            box, above = index, parents[index]
            while above > start and _text_chars(found, above) <= _SIGNUP_BOX_CHARS:
                box, above = above, parents[above]
            if _text_chars(found, box) <= _SIGNUP_BOX_CHARS:
                boxes.append((box, ends[box]))
    return boxes


def _text_chars(found: Walk, index: int) -> int:
    end = found.ends[index]
    return sum(len(block.folded) for block in found.blocks if index <= block.owner < end)


def region_paragraphs(found: Walk, chosen: list[int], *, generic: bool = True,
                      marks: Marks = "all") -> list[str]:
    """The paragraphs of the blocks inside the chosen elements, in document order; when
    `generic`, without link lists and up to a heading that opens a list of other articles,
    and without the blocks marked unlikely: all of them, only those marked inside the chosen
    elements (the article is in a wrapper named "Page-ad-margins", its promos inside it are
    still promos), or none; blocks in a box never the article (a cookie banner, comments)
    are left out whatever `marks` says."""
    spans = sorted((i, found.ends[i]) for i in chosen)
    inside = _marked_inside(found, chosen) if marks == "inside" and generic else set()
    signups = _signup_boxes(found, spans) if generic else []
    lines: list[str] = []
    span = 0
    box = -1  # an element of related links inside the article, skipped
    headline = found.headline
    prose_seen = False
    listed = False  # in a list of other articles at the article's own level (see below)
    listed_from = -1  # the block that opened it
    for number, block in enumerate(found.blocks):
        while span < len(spans) and block.owner >= spans[span][1]:
            span += 1
        if span == len(spans):
            break
        if block.owner < spans[span][0]:
            continue
        if not generic:
            lines.extend(block_lines(block))
            continue
        if (block.link_density > _MAX_LINK_DENSITY and found.tags[block.owner] not in _CELLS
                and not _linked_prose(block, found.tags[block.owner])
                and not _anchored_heading(found, block.owner) and not _shows_addresses(block)
                ) or (
                block.unlikely and (
                marks == "all" or block.unlikely == NEVER or block.owner in inside)):
            continue
        if box >= 0 and box <= block.owner < found.ends[box]:
            continue
        if signups and any(start <= block.owner < end for start, end in signups):
            continue
        tag = found.tags[block.owner]
        if tag == "div":
            holder = found.parents[block.owner]
            if found.tags[holder] in _CELLS or (
                    found.tags[holder] in HEADINGS and holder + 1 == block.owner
                    and found.ends[holder] == found.ends[block.owner]):
                # a table cell's text in a <div> of its own, or a heading's whole text
                # (<h2><div>...</div></h2>): a value or a subheading, no stray label (a
                # teaser's heading, "<h3><div>kicker</div><span>:</span><a>title</a>", is not)
                tag = found.tags[holder]
        no_paragraph = _is_no_paragraph(block, tag)
        # a heading of a few words in an element of its own ("More Great WIRED Stories" in a
        # <div>) is a stray label too, and opens its list all the same; in the chosen element's
        # own text, among inline elements (La Vanguardia's <span>Lee también</span> over one
        # card of links), it is only a label
        if (not no_paragraph or block.owner not in chosen) and _opens_related_list(block, tag):
            # a box of links inside the text ends with its box; at the article's own level,
            # the list runs to the end, or to a subheading that opens prose (below)
            box = found.parents[block.owner]
            if box in chosen or box < spans[span][0]:
                listed, listed_from = True, number
                box = -1
            continue
        if listed:
            # the list of other articles runs to a subheading of the article's own that
            # opens prose (a FAQ, a conclusion after a "Read more" box), or to the end; a
            # label and one link in the text's own paragraphs ("Leggi anche", a linked title,
            # and the text goes on) end with that link
            if not (tag in HEADINGS and not no_paragraph and block.link_chars == 0
                    and _opens_prose(found, number + 1, spans[span][1])) and not (
                    _one_link_between(found, listed_from, number)
                    and _opens_prose(found, number, spans[span][1])):
                continue
            listed = False
        if no_paragraph:
            continue
        if block.owner == headline and not prose_seen:
            # the page's headline (its first <h1>) atop the article: its title, stored apart,
            # and what was above it, a kicker ("Hitzefolgen") or a category's name; a later
            # <h1> is a heading of the text
            del lines[:]
            continue
        for line in block_lines(block):
            if tag in HEADINGS and line.endswith(_PERMALINK):
                line = line.rstrip(_PERMALINK + " ")  # a heading's permalink, no word of it
            if len(line) > len(_TWEET_BUTTON) and line[-len(_TWEET_BUTTON):].lower() == (
                    _TWEET_BUTTON):
                line = line[:-len(_TWEET_BUTTON)].rstrip()
            if not _is_credit(line):
                lines.append(line)
                prose_seen = prose_seen or len(line) >= _HEADLINE_PROSE_CHARS or (
                    len(line) >= _HEADLINE_SENTENCE_CHARS and ends_sentence(line))
    return lines


def _one_link_between(found: Walk, label: int, number: int) -> bool:
    """Blocks `label` (a "Read also" label) and `number` have one block between them, a link,
    and all three are paragraphs of one element (the text's own, not a box of cards)."""
    if number - label != 2:
        return False
    parents, blocks = found.parents, found.blocks
    owners = [blocks[k].owner for k in (label, label + 1, number)]
    return (blocks[label + 1].link_density > _MAX_LINK_DENSITY
            and len({parents[owner] for owner in owners}) == 1
            and found.tags[owners[2]] == "p")


def _opens_prose(found: Walk, number: int, end: int) -> bool:
    """Block `number` is a paragraph of prose before element `end`: long (a teaser's excerpt
    is a sentence or two), few links, ending a sentence, under no mark."""
    if number >= len(found.blocks):
        return False
    block = found.blocks[number]
    return block.owner < end and _is_prose(block, _SECTION_PROSE_CHARS)


def _is_prose(block: Block, chars: int = _RUN_PROSE_CHARS) -> bool:
    """`block` reads as a paragraph of prose: `chars` long or more, few links, under no mark,
    ending a sentence."""
    return (len(block.folded) >= chars and block.link_density <= _RUN_LINK_DENSITY
            and not block.unlikely
            and (block.folded.rstrip(_RUN_CLOSING) or " ")[-1] in _RUN_SENTENCE_ENDS)


def outside_article(found: Walk) -> list[str]:
    """The text of every block outside the elements `locate` chose (the rest of the page)."""
    chosen, _ = locate(found)
    spans = sorted((i, found.ends[i]) for i in chosen)
    starts = [start for start, _ in spans]
    out = []
    for block in found.blocks:
        at = bisect.bisect_right(starts, block.owner) - 1
        if at < 0 or block.owner >= spans[at][1]:
            out.append(block.folded)
    return out


def above_article(found: Walk) -> list[str]:
    """The text of every block before the article (`locate`'s first element) in the page:
    its header, title, standfirst, and the page's header and menus."""
    chosen, _ = locate(found)
    if not chosen:
        return []
    first = min(chosen)
    out = []
    for block in found.blocks:
        if block.owner >= first:
            break
        out.append(block.folded)
    return out


def all_paragraphs(found: Walk) -> list[str]:
    """Every block's paragraphs, in document order."""
    return region_paragraphs(found, [0], generic=False) if found.nodes else []


def locate(found: Walk) -> tuple[list[int], Marks]:
    """`choose`, and which unlikely marks hold (see region_paragraphs): readability's retry
    without the marks when what they leave is short and the retry finds more; in the retry,
    the marks inside the chosen elements still hold when the article is not the less for it
    (remembered for the last walk)."""
    chosen, marks, _ = _located(found)
    return chosen, marks


def _located(found: Walk) -> tuple[list[int], Marks, list[str]]:
    """`locate`, with the paragraphs it read of the article (the page's body, read once)."""
    global _last_located
    last = _last_located
    if last is not None and last[0] is found:
        return last[1]
    located = _locate(found)
    _last_located = (found, located)
    return located


def _locate(found: Walk) -> tuple[list[int], Marks, list[str]]:
    chosen, best, sums = _choose(found, strict=True)
    paragraphs = region_paragraphs(found, chosen) if chosen else []
    length = sum(map(len, paragraphs))
    if length >= _SHORT_ARTICLE_CHARS:
        located = (_overlaid_article(found, best, sums)
                   or _outscored_article(found, best, length)
                   or (chosen, "all", paragraphs))
    else:
        located = _unmarked_article(found, chosen, paragraphs, length)
    return _fuller_article(found, located) or located


# How far above the article's first element the headline and the article may part (the header
# of one article and its text, not the page's header and a column below it), and how far above
# the headline the standfirst may be (in the article's header)
_STANDFIRST_LEVELS = 4
_HEADER_LEVELS = 2
# a standfirst sums up the article: this share of its long words are the article's (an author's
# biography or the site's pitch shares few), and it repeats none of its sentences
_STANDFIRST_SHARED = 1 / 3
_STANDFIRST_REPEATED = 0.5
_LONG_WORD = re.compile(r"\w{5,}")


def standfirst(found: Walk) -> str | None:
    """The standfirst shown between the page's headline and the article (the text `locate`
    chose): when the chosen elements start after the headline (its first <h1>), in a container
    of both a few levels above the article, the first element after the headline whose text is
    one paragraph of prose (long, ending a sentence, few links, under no mark; no date line,
    no credit, no disclosure), in the headline's own header, that sums up the article without
    repeating it (see _sums_up). A standfirst in an element of its own (`div.intro`,
    `h2.subheadline`, `p.summary`), whatever its class."""
    chosen, _, paragraphs = _located(found)
    headline = found.headline
    if headline <= 0 or not chosen:
        return None
    top = min(chosen)
    if top < found.ends[headline]:
        return None
    parents, ends = found.parents, found.ends
    above, level = parents[top], 1
    while above > 0 and not above < headline:
        above, level = parents[above], level + 1
    if above <= 0 or level > _STANDFIRST_LEVELS:
        return None
    owners: dict[int, Block] = {}
    prose: dict[int, bool] = {}
    for block in found.blocks:
        owner = block.owner
        if owner < ends[headline]:
            continue
        if owner >= top:
            break
        text = block.folded
        owners.setdefault(owner, block)
        prose[owner] = prose.get(owner, True) and (
            _is_prose(block) and not _is_no_paragraph(block, found.tags[owner])
            and not _is_credit(text))
    # the first element whose text is all one such paragraph (not a box holding others too)
    opening = next((owner for owner in owners if prose[owner] and not any(
        owner < other < ends[owner] for other in owners)), -1)
    if opening < 0:
        return None
    header, level = parents[headline], 1
    while header > 0 and not header < opening < ends[header]:
        header, level = parents[header], level + 1
    text = owners[opening].folded
    return text if level <= _HEADER_LEVELS and _sums_up(text, paragraphs) else None


def _sums_up(text: str, paragraphs: list[str]) -> bool:
    """`text` shares enough of its long words with the article's `paragraphs` and repeats
    few of its word trigrams (not the article's opening again, as a teaser of it)."""
    article = " ".join(paragraphs).casefold()
    words = set(_LONG_WORD.findall(text.casefold()))
    if not words or sum(word in article for word in words) < _STANDFIRST_SHARED * len(words):
        return False
    trigrams = word_trigrams(text)
    repeated = trigrams & word_trigrams(article)
    return len(repeated) < _STANDFIRST_REPEATED * max(len(trigrams), 1)


def _unmarked_article(found: Walk, chosen: list[int], paragraphs: list[str],
                      length: int) -> tuple[list[int], Marks, list[str]]:
    """readability's retry without the marks, for an article that is short with them (its
    `paragraphs`, `length` characters): taken when it finds more."""
    loose = choose(found, strict=False)
    if not loose or (length >= _SHORT_POST_CHARS and _in_comments(found, loose[0])):
        # a short post's readers' comments are no article: the post, however short, is
        return chosen, "all", paragraphs
    inside = region_paragraphs(found, loose, marks="inside")
    inside_length = sum(map(len, inside))
    if inside_length > 2 * length and inside_length >= _SHORT_ARTICLE_CHARS:
        return loose, "inside", inside
    unmarked = region_paragraphs(found, loose, marks="none")
    if sum(map(len, unmarked)) > 2 * length:
        return loose, "none", unmarked
    return chosen, "all", paragraphs


def _overlaid_article(found: Walk, best: float,
                      sums: _Sums) -> tuple[list[int], Marks, list[str]] | None:
    """The article shown in a box laid over the page it was opened from (Yahoo's stories open
    in `div.render-target-modal` over the news stream), or in a box named as something else (a
    newsletter's issue published as a page, in `section.cc-newsletter`): the marks took it
    out, and the stream's teasers, or the readers' quotes below the issue, won with more text
    than the article. When the page's headline (its first <h1>) is in marked boxes (none a
    comment thread's or a cookie banner's, see _NEVER_ARTICLE) with some text, the page is
    chosen again without the marks; taken when that choice is in the outermost box, under no
    such mark, and scores `_OVERLAID_SHARE` times what won. A pop-up of the article's own
    (acpjournals.org's long list of the authors' disclosures) has no headline, a login or
    newsletter pop-up is a few lines."""
    headline, marked, parents = found.headline, found.marked, found.parents
    box, index = -1, parents[headline] if headline > 0 else -1
    while index > 0:  # the headline's marked ancestors, the outermost `box`
        if marked[index]:
            if marked[index] != UNLIKELY:
                return None
            box = index
        index = parents[index]
    if box < 0 or sums.text_chars[box] < _SHORT_ARTICLE_CHARS:
        return None
    loose, loose_best, _ = _choose(found, strict=False)
    if not loose or loose_best < _OVERLAID_SHARE * best:
        return None
    index = loose[0]
    while index > box:  # in the box, under no comment thread's or banner's mark
        if marked[index] == NEVER:
            return None
        index = parents[index]
    if index != box:
        return None  # the article outside the box over the page: the marks were right
    return loose, "inside", region_paragraphs(found, loose, marks="inside")


def _outscored_article(found: Walk, best: float,
                       length: int) -> tuple[list[int], Marks, list[str]] | None:
    """The article in a wrapper of the page's layout named as something else
    (`div.sidebar-container` around the post and its sidebar): the marks took it out, and a
    few teasers won with a score a fraction of the article's. When the blocks of prose under
    a mark hold `_OUTSCORED_SHARE` times the text read, the page is chosen again without the
    marks; taken when that choice scores `_OUTSCORED_SHARE` times what won and is under no
    comment thread's mark (a thread of long comments under a short post is no article) nor
    a box that is never one (see _NEVER_ARTICLE). The marks inside it still hold."""
    marked_prose = 0
    for block in found.blocks:
        if block.unlikely == UNLIKELY and block.link_density <= _MAX_LINK_DENSITY:
            marked_prose += len(block.folded)
    if marked_prose < _OUTSCORED_SHARE * length:
        return None
    loose, loose_best, _ = _choose(found, strict=False)
    if not loose or loose_best < _OUTSCORED_SHARE * best:
        return None
    index = loose[0]
    while index > 0:
        if found.marked[index] == NEVER:
            return None
        index = found.parents[index]
    if _in_comments(found, loose[0]):
        return None
    return loose, "inside", region_paragraphs(found, loose, marks="inside")


def _in_comments(found: Walk, index: int) -> bool:
    """Element `index` is in (or is) a marked box of readers' comments."""
    while index > 0:
        if found.marked[index] and _comment_box(found.nodes[index]):
            return True
        index = found.parents[index]
    return False


# A box of readers' comments, by its class or id
_COMMENTS = re.compile(r"comment|repl(?:y|ies)|disqus|discussion|respon", re.IGNORECASE)


def _comment_box(node: LexborNode) -> bool:
    attributes = node.attributes
    return _COMMENTS.search(f"{attributes.get('class') or ''} {attributes.get('id') or ''}"
                            ) is not None


def _prose_run(found: Walk) -> tuple[int, int, int]:
    """jusText's view of the page: the run of prose blocks (long, ending a sentence, few
    links, under no mark, and not repeated: a box shown twice, for small screens and large,
    is no article) with the most text, the blocks between two of them short (a subheading, a
    caption, an advert's label) and no links (a list of teasers is excerpts between linked
    titles): its first and last block and its prose's length."""
    prose = [_is_prose(block) for block in found.blocks]
    seen = collections.Counter(block.folded for block, is_prose in zip(found.blocks, prose,
                                                                        strict=True)
                               if is_prose)
    best = (-1, -1, 0)
    first = last = -1
    text = gap = 0
    for number, block in enumerate(found.blocks):
        length = len(block.folded)
        if prose[number] and seen[block.folded] == 1:
            if first < 0 or gap > _RUN_GAP_CHARS:
                first, text = number, 0
            last, text, gap = number, text + length, 0
            if text > best[2]:
                best = (first, last, text)
        elif first >= 0:
            gap += _RUN_GAP_CHARS + 1 if block.link_density > _MAX_LINK_DENSITY and (
                length >= _MIN_BLOCK_CHARS) else length
    return best


def _fuller_article(found: Walk, located: tuple[list[int], Marks, list[str]]
                    ) -> tuple[list[int], Marks, list[str]] | None:
    """A safeguard against the wrong element, or a part of the article, chosen (trafilatura's
    fallback to other algorithms when its own result looks weak): when the page's longest run
    of prose is clearly longer than what was read, the element holding the run is read
    instead, if that holds much more text and most of what was read."""
    paragraphs = located[2]
    length = sum(map(len, paragraphs))
    first, last, text = _prose_run(found)
    if text < _FULLER_SHARE * length or first < 0:
        return None
    owner, end = found.blocks[first].owner, found.blocks[last].owner
    holder = owner
    while holder > 0 and not end < found.ends[holder]:
        holder = found.parents[holder]
    fuller = region_paragraphs(found, [holder])
    fuller_length = sum(map(len, fuller))
    if fuller_length < _FULLER_SHARE * length:
        return None
    kept = set(fuller)
    if sum(len(line) for line in paragraphs if line in kept) < _FULLER_KEPT * length:
        return None
    if _listed_prose(found, located[0], first, last) > text / 2:
        return None  # the run goes on into a list of items: comments, search results
    return [holder], "all", fuller


def _listed_prose(found: Walk, chosen: list[int], first: int, last: int) -> int:
    """The length of the prose blocks between `first` and `last` (the run) outside the chosen
    elements and inside a list item: a thread of comments or a list of results after the
    article is its own paragraphs each in an <li>, where an article's parts are not (its list
    items are short points, read with it when it is chosen)."""
    spans = [(i, found.ends[i]) for i in chosen]
    tags, parents = found.tags, found.parents
    listed = 0
    for block in found.blocks[first:last + 1]:
        owner = block.owner
        if len(block.folded) < _RUN_PROSE_CHARS or any(
                start <= owner < end for start, end in spans):
            continue
        index, level = owner, 0
        while index > 0 and level < _ANCESTOR_LEVELS:
            if tags[index] == "li":
                listed += len(block.folded)
                break
            index, level = parents[index], level + 1
    return listed


def article_paragraphs(root: LexborNode, pruned: Collection[int] = ()) -> list[str]:
    """The article's paragraphs in the page under `root` ([] when no block reads as prose).
    A page that shows nothing but in <noscript> (its whole markup inside one left open, as
    some sites serve the version without scripts), or little outside a <noscript> that holds
    much more, is read from there."""
    found = list(_located(walk(root, pruned=pruned))[2])
    length = sum(map(len, found))
    # a post shown by script and, for readers without, in a closed <noscript> (Blogger's
    # pages): read there when what the page shows without it is short
    if length < _SHORT_ARTICLE_CHARS and root.css_first("noscript") is not None:
        shown = list(_located(walk(root, pruned=pruned, read_noscript=True))[2])
        if not found or sum(map(len, shown)) > 2 * length:
            found = shown
    return found


# -- nesting -------------------------------------------------------------------------------------

# An HTML parser looks through the stack of open elements at each start tag ("has a <p> in button
# scope"), so its time grows with the square of the nesting: 100,000 nested <div> took lexbor
# 15 s. Browsers cap the depth (Chromium at 512); the tags past MAX_DEPTH are dropped before
# parsing, their text kept. Elements whose end tag may be left out, and void ones, do not count.
MAX_DEPTH = 512
_TAG = re.compile(
    r"<!--.*?-->|<(script|style|textarea|title)\b.*?</\1\s*>|<(/?)([a-zA-Z][^\s/>]*)[^>]*>",
    re.DOTALL | re.IGNORECASE)
_NOT_COUNTED = frozenset({
    "p", "li", "dt", "dd", "tr", "td", "th", "tbody", "thead", "tfoot", "option", "optgroup",
    "colgroup", "rb", "rt", "rp", "html", "head", "body", "area", "base", "br", "col", "embed",
    "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param", "keygen",
})


# The scan costs ~2 ms on a common page, as much as the parse: it runs only on pages of more than
# 20,000 "<", where the nesting can cost more. Below, the deepest page parses in ~0.1-0.3 s
# (10,000 nested <div>, measured).
_SCAN_ABOVE_TAGS = 20_000


def cap_nesting(html: str, max_depth: int = MAX_DEPTH) -> str:
    """`html` without the start and end tags nested deeper than `max_depth` (usually as is)."""
    if html.count("<") < _SCAN_ABOVE_TAGS:
        return html
    depth = 0
    dropped: dict[str, int] = {}  # per tag name, start tags dropped and not yet closed
    cuts: list[tuple[int, int]] = []
    for found in _TAG.finditer(html):
        name = found.group(3)
        if name is None:
            continue
        name = name.lower()
        if name in _NOT_COUNTED or found.group(0).endswith("/>"):
            continue
        if found.group(2):  # an end tag
            if dropped.get(name):
                dropped[name] -= 1
                cuts.append(found.span())
            elif depth:
                depth -= 1
        elif depth >= max_depth:
            dropped[name] = dropped.get(name, 0) + 1
            cuts.append(found.span())
        else:
            depth += 1
    if not cuts:
        return html
    kept, start = [], 0
    for cut_start, cut_end in cuts:
        kept.append(html[start:cut_start])
        start = cut_end
    kept.append(html[start:])
    return "".join(kept)
