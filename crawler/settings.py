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
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
REDIRECT_MAX_TIMES = 10
# A news page is rarely over a few MB; anything past this is not an article page.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
# How many links deep to follow from a start page (feeds and sitemaps count as one step).
DEPTH_LIMIT = 3
DEPTH_PRIORITY = 0
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

ITEM_PIPELINES = {
    "crawler.pipelines.ExtractPipeline": 300,
    "crawler.pipelines.StorePipeline": 800,
}

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
