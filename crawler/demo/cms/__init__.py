"""Random news worlds never seen before, with their truth, and a scorer for a crawl of them.

``generate(seed, out_dir)`` writes a world of sites in several CMS styles and languages (pages,
feeds, sitemaps, robots.txt and ``truth.json``) that :func:`crawler.demo.server.serve_world`
serves; ``score(db_path, truth, world)`` measures a ``newsdedup crawl`` of it against the truth.

Honesty: cleaning rules are written against the development seeds (1-5, the benchmark's default)
and checked on seeds drawn fresh on every test run and benchmark (``--fresh N``). Seeds from 1000
up are held out: they are never printed in docs or commit messages, and no rule is tuned on them.
"""

from crawler.demo.cms.generate import generate
from crawler.demo.cms.score import Scores, combine, fingerprint, score
from crawler.demo.cms.truth import Truth

__all__ = ["Scores", "Truth", "combine", "fingerprint", "generate", "score"]
