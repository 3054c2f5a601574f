"""What became of a fetch, and why: one vocabulary of outcomes and reason codes for every caller."""

from __future__ import annotations

from dataclasses import dataclass

# What Store.add_article did with an article (AddResult.status).
NEW = "new"
UPDATED = "updated"
UNCHANGED = "unchanged"
DUPLICATE = "duplicate"
ADD_STATUSES = (NEW, UPDATED, UNCHANGED, DUPLICATE)

# A fetch's outcome in the fetch log: an add status (a new article is "stored"), or no article.
STORED = "stored"
REJECTED = "rejected"  # the page is not an article (a verdict on the page)
ERROR = "error"  # the page could not be fetched or handled
FETCH_OUTCOMES = frozenset({STORED, DUPLICATE, UPDATED, UNCHANGED, REJECTED, ERROR})

# Verdicts of extraction on a page.
EMPTY = "empty"
NOT_HTML = "not_html"
PARSE_ERROR = "parse_error"
NOT_ARTICLE = "not_article"
TOO_SHORT = "too_short"
LANGUAGE = "language"  # another language than its source expects
ROBOTS_TXT = "robots_txt"

# What a page was taken for (the fetch log's page_type): an article, or what else it is. A
# rejected page keeps its reason (NOT_ARTICLE, TOO_SHORT, EMPTY, ...) and its type beside it.
# OTHER: a page no type fits (a profile, a legal page, a page with no text).
ARTICLE = "article"
LISTING = "listing"  # section fronts, tag and author pages, archives, category grids
FORUM = "forum"  # threads, questions and answers
PRODUCT = "product"
SERVICE = "service"  # company, pricing, about, contact and sign-up pages
DOCUMENTATION = "documentation"
OTHER = "other"
PAGE_TYPES = (ARTICLE, LISTING, FORUM, PRODUCT, SERVICE, DOCUMENTATION, OTHER)

# A page that could not be handled: it hung or crashed its worker, hit an extractor bug, needed
# more memory than a page may take, or was larger than a page may be.
TIMEOUT = "timeout"
WORKER_CRASHED = "worker_crashed"
WORKER_ERROR = "worker_error"
EXTRACT_ERROR = "extract_error"
MEMORY_LIMIT = "memory_limit"
TOO_LARGE = "too_large"
PROCESSING_ERRORS = frozenset(
    {TIMEOUT, WORKER_CRASHED, WORKER_ERROR, EXTRACT_ERROR, MEMORY_LIMIT, TOO_LARGE}
)
# Of those, the ones the same bytes may get past on another try; a page over the size limit
# stays over it.
TRANSIENT_ERRORS = PROCESSING_ERRORS - {TOO_LARGE}
# Answers that say the URL is gone for good.
GONE_REASONS = frozenset({"http_404", "http_410"})
# What the crawl state remembers of a URL that gave one of those answers.
GONE = "gone"
# Verdicts that are the normal business of a crawl (hubs, tag pages), logged quietly.
QUIET_REASONS = frozenset({NOT_ARTICLE})


def fetch_outcome(add_status: str) -> str:
    """Return the fetch-log outcome of an article the store answered ``add_status`` for."""
    return STORED if add_status == NEW else add_status


def page_outcome(reason: str) -> str:
    """Return the fetch-log outcome of a page that gave no article, for ``reason``."""
    return ERROR if reason in PROCESSING_ERRORS else REJECTED


@dataclass(frozen=True)
class AddResult:
    """What :meth:`Store.add_article` did with a record."""

    status: str  # one of storage.outcomes.ADD_STATUSES
    article_id: int
    duplicate_of: int | None = None
    similarity: float | None = None
    match: str | None = None  # "url" | "exact" | "minhash" | "containment" | None
    # A duplicate fuller than its story's representative took its place: the former one's id.
    # ``duplicate_of`` is still the story it joined, by that id.
    promoted: int | None = None
