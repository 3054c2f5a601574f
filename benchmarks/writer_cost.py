"""Writer cost: CPU milliseconds per article of the crawl's last step (learn, strip, dedup, store).

The crawl's writer runs in one process for every page processor, so its cost per article bounds
a crawl's throughput. Pages of the shared corpus (aeb and fundus) are extracted once (not timed),
then written through :class:`crawler.writer.ArticleWriter` into a fresh store, twice:

- ``as is``: under their real URLs (hundreds of sites, a page or two each);
- ``few sites``: the same pages spread over a few sites (as a crawl of a few outlets sees them),
  so every site and template gathers counts, boilerplate is learned and applied to stored pages;
  each page also carries one of a few furniture lines shared by its site, as real sites do.

Prints the median and mean CPU time per article and the total, per pass.

    python benchmarks/writer_cost.py [--pages 400] [--sites 4] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from crawler.page.process import process_page
from crawler.writer import ArticleWriter
from storage import Store
from storage.pagecodec import compress_html

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
FURNITURE = (
    "Support local journalism: subscribe today and read every story on our site.",
    "This article was produced by the newsroom of {site}, which is solely responsible for it.",
    "Come back tomorrow for more news from {site} and the region.",
)


def corpus_pages(corpus: Path, limit: int) -> list[tuple[str, bytes]]:
    """(url, html) of up to ``limit`` aeb and fundus pages, in a fixed order."""
    pages: list[tuple[str, bytes]] = []
    truth = json.loads((corpus / "aeb" / "ground-truth.json").read_text())
    for key in sorted(truth):
        file = corpus / "aeb" / "html" / f"{key}.html.gz"
        if file.exists():
            pages.append((truth[key]["url"], gzip.decompress(file.read_bytes())))
    for file in sorted((corpus / "fundus" / "ground-truth").glob("*.json")):
        html = corpus / "fundus" / "html" / f"{file.stem}.html.gz"
        if html.exists():
            pages.append((json.loads(file.read_text())["url"], gzip.decompress(html.read_bytes())))
    return pages[:limit]


def records(pages: list[tuple[str, bytes]], store: Store) -> list[dict[str, Any]]:
    out = []
    for url, html in pages:
        result = process_page(html, url, params=store.params, links=False)
        if result.article is None:
            continue
        record = result.record(fetched_at="2025-03-01T00:00:00+00:00", http_status=200)
        record["raw_html_zlib"] = compress_html(html)
        out.append(record)
    return out


def few_sites(recs: list[dict[str, Any]], sites: int) -> list[dict[str, Any]]:
    """The records moved to ``sites`` sites, each page with one of its site's furniture lines."""
    out = []
    for i, rec in enumerate(recs):
        site = f"outlet{i % sites}.example"
        line = FURNITURE[(i // sites) % len(FURNITURE)].format(site=site)
        out.append(
            {
                **rec,
                "url": f"https://{site}/news/{i}",
                "site": site,
                "text": rec["text"] + "\n" + line,
                "minhash": None,
            }
        )
    return out


def timed(recs: list[dict[str, Any]], db: Path) -> list[float]:
    costs = []
    with Store.open(db) as store:
        writer = ArticleWriter(store)
        for rec in recs:
            started = time.process_time()
            writer.write(rec, rec["url"])
            costs.append(time.process_time() - started)
    return costs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--sites", type=int, default=4)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    if not (args.corpus / "aeb").is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="writer-cost-") as tmp:
        with Store.open(Path(tmp) / "params.db") as store:
            recs = records(corpus_pages(args.corpus, args.pages), store)
        print(f"{len(recs)} articles extracted")
        for label, batch in (("as is", recs), ("few sites", few_sites(recs, args.sites))):
            costs = timed(batch, Path(tmp) / f"{label.replace(' ', '-')}.db")
            print(
                f"{label:>10}: median {statistics.median(costs) * 1000:.2f} ms, "
                f"mean {statistics.mean(costs) * 1000:.2f} ms, total {sum(costs):.2f} s "
                f"over {len(costs)} articles"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
