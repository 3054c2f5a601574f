"""Scrapy settings of the newsdedup project: polite defaults, the pipeline order, our own knobs.

Every default lives here once; the CLI and ``scrapy crawl news`` both read this module, and
``-s NAME=VALUE`` overrides any of it.
"""

BOT_NAME = "newsdedup"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- newsdedup's own settings -------------------------------------------------------------
# SQLite store the crawl writes to (created when missing).
NEWSDEDUP_DB = "news.db"
# Keep each page's raw HTML (zlib-compressed) so articles can be re-extracted without a re-crawl.
NEWSDEDUP_KEEP_HTML = True
# Who runs the crawler: a URL or e-mail put in the User-Agent so site owners can reach you.
NEWSDEDUP_CONTACT = "https://github.com/newsdedup/newsdedup"
# Start URLs (a list, or one string of URLs separated by commas or spaces); `-a urls=` also works.
NEWSDEDUP_START_URLS: list[str] = []
# Follow links from a feed, sitemap or robots.txt to these sites only (the start URLs' sites);
# add more sites here (host[:port], without www.).
NEWSDEDUP_ALLOWED_SITES: list[str] = []
# A sources file (TOML, see sources.example.toml) naming the sites to crawl; `--sources`.
NEWSDEDUP_SOURCES = ""
# Crawl only these sources of the file (names), even disabled ones; `--only`.
NEWSDEDUP_ONLY: list[str] = []

# --- the page pool ------------------------------------------------------------------------
# Each HTML page is parsed once, in a pool of page processes (crawler.page.pool.PagePool), so the
# reactor keeps downloading while pages are extracted on every core.
# Page processes; None: every usable core; 0: in the crawl process (no time or memory limit).
NEWSDEDUP_WORKERS: int | None = None
# Seconds one page may take before it is given up (reason "timeout") and its process replaced;
# 0: no limit. Extraction takes ~35 ms of CPU on a typical page and about a second on the worst.
NEWSDEDUP_PAGE_TIMEOUT = 30.0
# Memory (MiB) a page process may take on top of its size at start; past it the page fails with
# "memory_limit" instead of pushing the machine into swap; 0: no cap.
NEWSDEDUP_PAGE_MEMORY_MB = 1024
# Pages handed to the page processes and not yet done; None: 4 per process. Responses waiting
# for a slot count toward SCRAPER_SLOT_MAX_ACTIVE_SIZE, so Scrapy stops starting new downloads
# while the processes are behind, and memory stays flat.
NEWSDEDUP_MAX_IN_FLIGHT: int | None = None
# What a page process runs on a page (import path), with process_page's signature.
NEWSDEDUP_PAGE_FUNCTION = "crawler.page.process.process_page"
# Scrapy starts this many tasks for every response's output (default 100); our pipelines never
# wait, so a few are enough and the reactor spends less time per page.
CONCURRENT_ITEMS = 16

# --- archiving -----------------------------------------------------------------------------
# Write every fetched response to WARC files in this folder ("" = off).
NEWSDEDUP_WARC_DIR = ""
# Start a new WARC file past this size (MiB).
NEWSDEDUP_WARC_MAX_MB = 1024
# WARC file names: <prefix>-<UTC time>-<serial>.warc.gz
NEWSDEDUP_WARC_PREFIX = "newsdedup"

# --- distributed mode ---------------------------------------------------------------------
# A Redis URL switches on the shared queue, seen-URL filter and near-duplicate index
# (crawler.distributed); "" is single-machine mode. These settings may also come from the
# environment variables of the same names, which override the defaults here but not -s.
NEWSDEDUP_REDIS_URL = ""
# Prefix of every Redis key of this crawl; crawls with different prefixes share nothing.
NEWSDEDUP_REDIS_PREFIX = "newsdedup"
# PEM file of a private CA that signed the Redis server's TLS certificate (rediss:// URLs).
NEWSDEDUP_REDIS_TLS_CA = ""
# Seconds a worker with nothing to do waits (all other workers idle too) before it closes.
NEWSDEDUP_REDIS_IDLE_CLOSE = 5.0
# Seconds a worker may go without a word in Redis before the others take it for dead and put the
# requests it had taken back in the queue. Live workers speak at least four times as often.
NEWSDEDUP_REDIS_DEAD_AFTER = 120.0
# This worker's shard name in the shared index; "": host name and store path.
NEWSDEDUP_REDIS_SHARD = ""
# Wait (at most 120 s) until this many workers have joined before crawling, so a run started
# on several machines at once shares the work from the first page on.
NEWSDEDUP_REDIS_WAIT_WORKERS = 0
ADDONS = {"crawler.distributed.Distributed": 0}

# --- incremental runs ---------------------------------------------------------------------
# Fetch known articles again and send no conditional requests; `--refresh`.
NEWSDEDUP_REFRESH = False
# Skip feed and sitemap entries dated before this date (YYYY-MM-DD); `--since`.
NEWSDEDUP_SINCE = ""
# Days before a URL that answered 404 or 410 is asked again; doubled for each such answer in
# a row, up to NEWSDEDUP_GONE_WAIT_MAX_DAYS.
NEWSDEDUP_GONE_WAIT_DAYS = 1.0
NEWSDEDUP_GONE_WAIT_MAX_DAYS = 30.0
# Seconds a crawl waits for another crawl of the same store to finish; 0: exit at once.
NEWSDEDUP_LOCK_WAIT = 0.0

# --- the schedule (storage.schedule) ------------------------------------------------------
# How often a source is due (`--due`) when the sources file gives it no `interval`: a number and
# a unit, s, m, h or d ("15m", "6h", "2d"). Adaptive sources are visited this often on average,
# the busier ones more often and the quieter ones less.
NEWSDEDUP_INTERVAL = "35m"
# Adapt each source's interval to how often its visits find new articles, between these bounds
# (a source's `min_interval` / `max_interval` override them); false: the interval as given.
NEWSDEDUP_ADAPTIVE = True
NEWSDEDUP_MIN_INTERVAL = "15m"
NEWSDEDUP_MAX_INTERVAL = "1d"
# The time scheduling decisions take as "now" (ISO 8601, UTC when no zone is given); empty: the
# clock. Only which sources are due and when they are due next read it, so a test or a
# simulation runs a schedule without waiting.
NEWSDEDUP_NOW = ""

# --- politeness ---------------------------------------------------------------------------
USER_AGENT = f"newsdedup/0.1 (+{NEWSDEDUP_CONTACT})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
# robots.txt Crawl-delay is obeyed up to this many seconds (a larger one would stall the crawl).
NEWSDEDUP_MAX_CRAWL_DELAY = 60.0
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# A retry waits the server's Retry-After, else this many seconds, doubled at each retry.
NEWSDEDUP_RETRY_BACKOFF = 1.0
# Longest wait for a retry; a Retry-After asking for more is not waited for in this run.
NEWSDEDUP_RETRY_AFTER_MAX = 120.0

# --- safety -------------------------------------------------------------------------------
# Private, loopback, link-local (cloud metadata) and other non-public addresses are never
# connected to, unless a start URL is on them or they fall in these networks (CIDR strings).
NEWSDEDUP_ALLOWED_NETWORKS: list[str] = []
TWISTED_DNS_RESOLVER = "crawler.safety.GuardedResolver"
REDIRECT_MAX_TIMES = 5
METAREFRESH_MAXDELAY = 10
# A news page is rarely over a few MB; anything past this is not an article page. The same
# limit applies to a compressed body once inflated, so a gzip bomb stops there.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
# How many links deep to follow from a start page (feeds and sitemaps count as one step).
DEPTH_LIMIT = 3
DEPTH_PRIORITY = 0
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

ITEM_PIPELINES = {
    "crawler.pipelines.VerdictPipeline": 300,
    "crawler.pipelines.SourceLanguagePipeline": 500,
    "crawler.pipelines.StorePipeline": 800,
}

DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt is fetched for a host: never even ask a forbidden address.
    "crawler.safety.AddressGuardMiddleware": 40,
    # Scrapy's lets a request through unchecked when two others already wait for its host's
    # robots.txt (a third start URL on one site); this one checks every waiting request.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.WaitingRobotsTxtMiddleware": 100,
    # Retries that wait for Retry-After or back off, instead of Scrapy's immediate ones.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.politeness.PoliteRetryMiddleware": 550,
    "crawler.middlewares.ConditionalRequestsMiddleware": 560,
    # After decompression (590), before meta-refresh handling (580) reads the text.
    "crawler.middlewares.CharsetMiddleware": 585,
    # Scrapy's meta-refresh check decodes every whole page to read its first 4,096 characters.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.HeadMetaRefreshMiddleware": 580,
    # Before Scrapy's redirect middleware (600) follows a loop or an endless chain.
    "crawler.safety.RedirectGuardMiddleware": 610,
}

EXTENSIONS = {
    "crawler.extensions.CrawlStateExtension": 100,
    "crawler.extensions.PagePoolExtension": 200,
    # Does nothing unless NEWSDEDUP_WARC_DIR is set.
    "crawler.extensions.WarcExport": 500,
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.politeness.Throttle": 0,
    "crawler.politeness.RobotsCrawlDelay": 0,
}

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
