"""Plan a world from its random generator: sites, URL schemes, stories, articles and listings.

Everything random is drawn here from the one ``random.Random`` handed in, in a fixed order, so a
seed always gives the same plan. No HTML is written here (see :mod:`crawler.demo.cms.render`).
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from crawler.demo.cms import lang as L
from crawler.demo.cms.model import Article, Event, Figure, Listing, Named, Site, Video
from crawler.demo.cms.phrases import AGENCIES, PHRASES
from crawler.demo.cms.schemes import scheme

STYLES = ("wordpress", "drupal", "nextjs", "arc", "table")
# Article templates per style (each a different page structure; see crawler.demo.cms.styles).
TEMPLATE_COUNTS = {"wordpress": 4, "drupal": 3, "nextjs": 3, "arc": 3, "table": 3}

PAPER_NAMES = {
    "en": (
        "The {place} Courier",
        "{place} Herald",
        "The {place} Gazette",
        "{place} Chronicle",
        "The {place} Post",
        "{place} Evening Echo",
        "The {place} Observer",
    ),
    "de": (
        "{place}er Zeitung",
        "{place}er Anzeiger",
        "Rundschau {place}",
        "{place}er Kurier",
        "Tagblatt {place}",
        "{place}er Nachrichten",
    ),
    "es": (
        "Diario de {place}",
        "El Heraldo de {place}",
        "La Voz de {place}",
        "El Correo de {place}",
        "Noticias de {place}",
    ),
    "fr": (
        "Le Courrier de {place}",
        "L'Écho de {place}",
        "La Dépêche de {place}",
        "Le Républicain de {place}",
        "Les Nouvelles de {place}",
    ),
    "ja": ("{place}新聞", "{place}日報"),
}
TIMEZONES = {"en": 0, "de": 1, "es": 1, "fr": 1, "ja": 9}
# Copies of a wire story other than the first (complete) one: full, cut short, or an excerpt.
COPY_KINDS = (("copy", 0.45), ("truncated", 0.35), ("excerpt", 0.2))
PAYWALL_SHARE = 0.1
MIN_WORDS = 60  # at least this many words stay in a truncated, excerpted or paywalled copy
CALENDAR_PAGES = 3


def slugify(text: str, words: int = 8) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    parts = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(parts[:words])


@dataclass
class Story:
    """A story's text before any site prints it: paragraphs as lists of sentences."""

    id: str
    lang: L.Language
    topic: L.Topic
    title: str
    paragraphs: list[list[str]]
    subheads: dict[int, str]  # paragraph index -> subheading printed before it
    carriers: list[str] = field(default_factory=list)


def write_story(
    rng: random.Random,
    lang: L.Language,
    sid: str,
    about: L.Topic | None = None,
    paragraphs: tuple[int, int] = (4, 9),
) -> Story:
    about = about or L.topic(rng, lang)
    count = rng.randint(*paragraphs)
    paras = [
        [L.sentence(rng, lang, about) for _ in range(rng.choice((2, 3, 3, 4)))]
        for _ in range(count)
    ]
    subheads = {}
    if count >= 5 and rng.random() < 0.35:
        for index in rng.sample(range(2, count), rng.randint(1, 2)):
            subheads[index] = L.headline(rng, lang, about)
    return Story(sid, lang, about, L.headline(rng, lang, about), paras, subheads)


class Planner:
    """Draws a world. ``plan()`` returns its sites, story ids and hard-negative pairs."""

    def __init__(
        self,
        rng: random.Random,
        *,
        sites: int,
        articles: tuple[int, int],
        languages: tuple[str, ...],
        japanese: bool,
    ) -> None:
        self.rng = rng
        self.n_sites = sites
        self.articles = articles
        self.languages = languages
        self.japanese = japanese
        self.sites: list[Site] = []
        self.stories: dict[str, Story] = {}
        self.hard_negatives: list[tuple[str, str]] = []  # story id pairs
        self._numbers: set[int] = set()
        self._paths: dict[str, set[str]] = {}

    # -- sites ------------------------------------------------------------------------------------

    def plan(self) -> list[Site]:
        rng = self.rng
        codes = list(self.languages)
        rng.shuffle(codes)
        distinct = min(len(codes), 3 if self.n_sites < 6 else 4, self.n_sites)
        site_langs = codes[:distinct]
        while len(site_langs) < self.n_sites:
            site_langs.append(rng.choice(codes[:2]))
        styles = list(STYLES)
        rng.shuffle(styles)
        while len(styles) < self.n_sites:
            styles.append(rng.choice(STYLES))
        for index in range(self.n_sites):
            self.sites.append(self._site(styles[index], L.LANGUAGES[site_langs[index]]))
        if self.japanese:
            site = self._site(rng.choice(STYLES), L.JA)
            site.cjk = True
            self.sites.append(site)
        budgets = {site.key: rng.randint(*self.articles) for site in self.sites}
        self._wire_stories(budgets)
        self._hard_negatives(budgets)
        for site in self.sites:
            while budgets[site.key] > 0:
                story = self._new_story(site.lang)
                self._place(site, story, "own")
                budgets[site.key] -= 1
        for site in self.sites:
            site.articles.sort(key=lambda a: a.published, reverse=True)
            self._listings(site)
            self._discovery(site)
        return self.sites

    def _site(self, style: str, lang: L.Language) -> Site:
        rng = self.rng
        taken = {site.key for site in self.sites}
        while True:
            place = rng.choice(lang.places)
            name = rng.choice(PAPER_NAMES[lang.code]).format(place=place)
            key = slugify(name, 4) or f"site-{len(self.sites)}"
            if lang.code == "ja":
                key = f"nippo-{len(self.sites)}"
            if key not in taken:
                break
        host = rng.choice(
            ("www.{k}.example", "{k}.example", "news.{k}.example", "www.{k}-online.example")
        )
        origin = "https://" + host.format(k=key)
        sections = [
            Named(label, slug, "") for slug, label in rng.sample(lang.sections, rng.randint(3, 5))
        ]
        paths = scheme(style, lang.code, rng)
        sections = [Named(s.label, s.slug, paths.section.format(section=s.slug)) for s in sections]
        authors = []
        for _ in range(rng.randint(2, 4)):
            full_name = L.person(rng, lang)
            slug = slugify(full_name, 3) or f"author-{rng.randint(10, 999)}"
            if any(a.slug == slug for a in authors):
                continue
            bio = rng.choice(PHRASES[lang.code]["bio_page"]).format(
                name=full_name,
                site=name,
                n=rng.randint(10, 24),
                section=rng.choice(sections).label,
            )
            authors.append(Named(full_name, slug, paths.author.format(author=slug), bio))
        tags = []
        for _ in range(rng.randint(3, 6)):
            label = rng.choice((rng.choice(lang.places), L._cap(rng.choice(lang.objects))))
            slug = slugify(label, 5) or f"t{rng.randint(100, 999)}"
            if any(t.slug == slug for t in tags):
                continue
            tags.append(Named(label, slug, paths.tag.format(tag=slug, id=rng.randint(10, 999))))
        templates = rng.sample(range(TEMPLATE_COUNTS[style]), min(3, TEMPLATE_COUNTS[style]))
        site = Site(key, name, origin, style, lang, paths, templates, sections, authors, tags)
        self._paths[key] = {"/"}
        return site

    # -- stories ----------------------------------------------------------------------------------

    def _new_story(
        self, lang: L.Language, about: L.Topic | None = None, paragraphs: tuple[int, int] = (4, 9)
    ) -> Story:
        sid = f"s{len(self.stories) + 1:03d}"
        story = write_story(self.rng, lang, sid, about, paragraphs)
        self.stories[sid] = story
        return story

    def _groups(self) -> dict[str, list[Site]]:
        groups: dict[str, list[Site]] = {}
        for site in self.sites:
            groups.setdefault(site.lang.code, []).append(site)
        return {code: sites for code, sites in groups.items() if len(sites) >= 2}

    def _wire_stories(self, budgets: dict[str, int]) -> None:
        rng = self.rng
        for sites in self._groups().values():
            for _ in range(rng.randint(3, 3 + len(sites))):
                carriers = rng.sample(sites, rng.randint(2, min(4, len(sites))))
                carriers = [s for s in carriers if budgets[s.key] > 2]
                if len(carriers) < 2:
                    continue
                story = self._new_story(carriers[0].lang, paragraphs=(6, 10))
                first = self._place(carriers[0], story, "copy", changed=0)
                budgets[carriers[0].key] -= 1
                for site in carriers[1:]:
                    kind = rng.choices([k for k, _ in COPY_KINDS], [w for _, w in COPY_KINDS])[0]
                    self._place(
                        site, story, kind, full=(carriers[0].name, carriers[0].url(first.path))
                    )
                    budgets[site.key] -= 1

    def _hard_negatives(self, budgets: dict[str, int]) -> None:
        """Different stories on one subject: same place, person and things, other sentences."""
        rng = self.rng
        for sites in [*self._groups().values(), *([s] for s in self.sites)]:
            for _ in range(rng.randint(1, 2)):
                pair = rng.sample(sites, 2) if len(sites) > 1 else [sites[0], sites[0]]
                if any(budgets[s.key] < 2 for s in pair):
                    continue
                about = L.topic(rng, pair[0].lang)
                first = self._new_story(pair[0].lang, about)
                second = self._new_story(pair[0].lang, about)
                self._place(pair[0], first, "own")
                self._place(pair[1], second, "own")
                for site in pair:
                    budgets[site.key] -= 1
                self.hard_negatives.append((first.id, second.id))

    def _place(
        self,
        site: Site,
        story: Story,
        kind: str,
        *,
        changed: int | None = None,
        full: tuple[str, str] | None = None,
    ) -> Article:
        """Put ``story`` on ``site`` as an article of ``kind``; return it."""
        rng = self.rng
        lang = site.lang
        paras = [list(p) for p in story.paragraphs]
        subheads = dict(story.subheads)
        if kind in ("copy", "truncated", "excerpt") and story.carriers:
            for _ in range(rng.randint(1, 3) if changed is None else changed):
                p = rng.randrange(len(paras))
                paras[p][rng.randrange(len(paras[p]))] = L.sentence(rng, lang, story.topic)
            if rng.random() < 0.5:
                subheads = {}
        if kind in ("copy", "truncated", "excerpt") and rng.random() < 0.35 and lang.spaced:
            paras[0][0] = f"{story.topic.place.upper()} ({rng.choice(AGENCIES)}) – {paras[0][0]}"
        paywalled = kind == "own" and rng.random() < PAYWALL_SHARE and len(paras) >= 4
        keep = len(paras)
        if kind == "truncated":
            keep = max(2, round(len(paras) * rng.uniform(0.25, 0.6)))
        elif kind == "excerpt":
            keep = 1
        elif paywalled:
            keep = rng.randint(2, 3)
        # What is left must still read as an article, not a brief a crawler may rightly drop.
        while keep < len(paras) and _words(paras[:keep], lang) < MIN_WORDS:
            keep += 1
        paras = paras[:keep]
        lines: list[str] = []
        heads: set[int] = set()
        for index, sentences in enumerate(paras):
            if index in subheads:
                heads.add(len(lines))
                lines.append(subheads[index])
            lines.append(lang.join(sentences))
        title = story.title if not story.carriers else L.headline(rng, lang, story.topic)
        story.carriers.append(site.key)
        number = self._number()
        published = datetime(2025, 3, 1, tzinfo=timezone(timedelta(hours=TIMEZONES[lang.code])))
        published += timedelta(
            days=rng.randint(0, 13), hours=rng.randint(6, 21), minutes=rng.randrange(0, 60, 5)
        )
        section = rng.choice(site.sections)
        path = self._article_path(site, title, number, published, section)
        figures = []
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            after = rng.choice((-1, *range(len(lines) - 1))) if lines else -1
            if after in {f.after for f in figures}:
                continue
            figures.append(
                Figure(
                    L.short_text(rng, lang, story.topic),
                    f"/img/{rng.randint(10**5, 10**6)}.jpg",
                    after,
                )
            )
        authors = rng.sample(site.authors, rng.choice((0, 1, 1, 1, 2))) if kind != "excerpt" else []
        tags = rng.sample(site.tags, rng.randint(0, min(3, len(site.tags))))
        article = Article(
            site=site.key,
            number=number,
            path=path,
            title=title,
            description=L.short_text(rng, lang, story.topic),
            lines=lines,
            subheads=heads,
            figures=sorted(figures, key=lambda f: f.after),
            authors=authors,
            published=published,
            section=section,
            tags=tags,
            story=story.id,
            copy=kind,
            paywalled=paywalled,
            full_story=full if kind == "excerpt" else None,
            template=rng.choice(site.templates),
            modified=published + timedelta(hours=rng.randint(1, 30))
            if rng.random() < 0.3
            else None,
        )
        site.articles.append(article)
        return article

    def _number(self) -> int:
        while True:
            number = self.rng.randint(1000, 99999)
            if number not in self._numbers:
                self._numbers.add(number)
                return number

    def _article_path(
        self, site: Site, title: str, number: int, when: datetime, section: Named
    ) -> str:
        slug = slugify(title) or f"article-{number}"
        path = site.paths.article.format(
            section=section.slug,
            y=f"{when.year}",
            m=f"{when.month:02d}",
            d=f"{when.day:02d}",
            slug=slug,
            id=number,
        )
        return self._claim(site, path)

    def _claim(self, site: Site, path: str) -> str:
        taken = self._paths[site.key]
        base, n = path, 2
        while path in taken:
            path = (
                base.replace(".htm", f"-{n}.htm") if ".htm" in base else base.rstrip("/") + f"-{n}"
            )
            path += "/" if base.endswith("/") and not path.endswith("/") else ""
            n += 1
        taken.add(path)
        return path

    # -- listings ---------------------------------------------------------------------------------

    def _listings(self, site: Site) -> None:
        rng = self.rng
        lang, paths, pool = site.lang, site.paths, PHRASES[site.lang.code]
        ui = lang.ui

        def prose(kind: str, section: str) -> str:
            return rng.choice(pool[kind]).format(
                site=site.name, section=section, n=rng.randint(10, 24), name=""
            )

        arts = site.articles
        home = Listing("home", "/", site.name, items=arts[: rng.randint(6, 9)])
        site.listings.append(home)
        with_ld = rng.random() < 0.4
        for section in site.sections:
            items = [a for a in arts if a.section == section]
            intro = prose("section_intro", section.label) if rng.random() < 0.6 else ""
            listing = Listing(
                paths.section_kind,
                self._claim(site, section.path),
                section.label,
                intro=intro,
                items=items,
            )
            if with_ld and items:
                listing.misleading, with_ld = "ld_article", False
            site.listings.append(listing)
        per_page = rng.randint(5, 7)
        chunks = [arts[i : i + per_page] for i in range(0, len(arts), per_page)]
        first = None
        if paths.archive_first != "/":
            first = Listing(
                "archive",
                self._claim(site, paths.archive_first),
                ui["all_stories"],
                items=chunks[0],
            )
            site.listings.append(first)
        previous = first or home
        for number, chunk in enumerate(chunks[1:], start=paths.archive_from):
            page = Listing(
                "archive",
                self._claim(site, paths.archive.format(n=number)),
                f"{ui['all_stories']} – {ui['page']} {number}",
                items=chunk,
                page=number,
                prev=previous.path,
            )
            previous.next = page.path
            previous = page
            site.listings.append(page)
        for author in site.authors:
            items = [a for a in arts if author in a.authors]
            listing = Listing(
                "author",
                self._claim(site, author.path),
                author.label,
                intro=author.bio,
                items=items,
                author=author,
            )
            roll = rng.random()
            listing.misleading = (
                "og_article" if roll < 0.2 else ("og_profile" if roll < 0.6 else None)
            )
            site.listings.append(listing)
        for tag in site.tags:
            items = [a for a in arts if tag in a.tags] or rng.sample(arts, min(3, len(arts)))
            intro = prose("tag_intro", tag.label) if rng.random() < 0.5 else ""
            listing = Listing(
                "tag",
                self._claim(site, tag.path),
                f"{ui['topic']}: {tag.label}",
                intro=intro,
                items=items,
            )
            listing.misleading = "og_article" if rng.random() < 0.35 else None
            site.listings.append(listing)
        calendar = []
        for number in range(1, CALENDAR_PAGES + 1):
            events = [self._event(site) for _ in range(rng.randint(4, 6))]
            intro = prose("calendar_intro", "") if number == 1 or rng.random() < 0.3 else ""
            page = Listing(
                "calendar",
                self._claim(site, paths.calendar.format(n=number)),
                f"{ui['calendar']} – {ui['page']} {number}",
                intro=intro,
                events=sorted(events, key=lambda e: e.when),
                page=number,
            )
            if calendar:
                page.prev, calendar[-1].next = calendar[-1].path, page.path
            calendar.append(page)
        site.listings += calendar
        for term in rng.sample(site.tags, min(len(site.tags), rng.randint(1, 2))):
            query = slugify(term.label, 2).replace("-", "+") or "news"
            items = rng.sample(arts, min(len(arts), rng.randint(3, 7)))
            site.listings.append(
                Listing(
                    "search",
                    self._claim(site, paths.search.format(q=query)),
                    f"{ui['results_for']} {query.replace('+', ' ')}",
                    intro=ui["results_count"].format(n=len(items)),
                    items=items,
                    query=query,
                )
            )
        videos = [
            Video(
                L.headline(rng, lang), rng.randint(1, 12), L.short_text(rng, lang), rng.choice(arts)
            )
            for _ in range(rng.randint(3, 6))
        ]
        site.listings.append(
            Listing(
                "video",
                self._claim(site, paths.video),
                ui["videos"],
                intro=prose("video_intro", ""),
                videos=videos,
            )
        )
        for path, label in (
            ("/about/", ui["about"]),
            ("/privacy/", ui["privacy"]),
            ("/subscribe/", PHRASES[lang.code]["paywall_cta"][0]),
        ):
            site.services[self._claim(site, path)] = label

    def _event(self, site: Site) -> Event:
        rng, lang = self.rng, site.lang
        kind = rng.choice(PHRASES[lang.code]["event"])
        place = rng.choice(lang.places)
        when = datetime(2025, 3, 15, 10, tzinfo=timezone(timedelta(hours=TIMEZONES[lang.code])))
        when += timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 10))
        text = lang.join([L.sentence(rng, lang) for _ in range(rng.randint(1, 2))])
        venue = f"{L._cap(rng.choice(lang.subjects))}, {place}"
        return Event(f"{kind}: {L.person(rng, lang)}", when, venue, text)

    # -- discovery --------------------------------------------------------------------------------

    def _discovery(self, site: Site) -> None:
        rng = self.rng
        feed = rng.choice(("rss", "rss", "atom", "both", None))
        rss_path = {
            "wordpress": "/feed/",
            "drupal": "/rss.xml",
            "nextjs": "/feed.xml",
            "arc": "/arc/outboundfeeds/rss/",
            "table": "/rss.xml",
        }[site.style]
        atom_path = rng.choice(("/atom.xml", "/feeds/all.atom.xml", "/feed/atom/"))
        if feed in ("rss", "both"):
            site.feeds.append((self._claim(site, rss_path), "rss"))
        if feed in ("atom", "both"):
            site.feeds.append((self._claim(site, atom_path), "atom"))
        sitemap = rng.choice(("plain", "index", "index", "news", None))
        if sitemap == "plain":
            site.sitemaps.append(self._claim(site, "/sitemap.xml"))
        elif sitemap in ("index", "news"):
            site.sitemaps.append(
                self._claim(site, rng.choice(("/sitemap_index.xml", "/sitemap-index.xml")))
            )
        site.disallow = ["/private/"]
        if rng.random() < 0.3:
            path, _, query = site.paths.search.partition("?")
            # WordPress searches the homepage (/?s=): disallow the query, not the whole site.
            site.disallow.append(path if path != "/" else "/?" + query.split("=")[0] + "=")
        site.start = ["/"]
        if site.feeds and rng.random() < 0.6:
            site.start.append(site.feeds[0][0])
        if site.sitemaps and rng.random() < 0.4:
            site.start.append(site.sitemaps[0])
        site.sitemap_kind = sitemap or ""


def _words(paras: list[list[str]], lang: L.Language) -> int:
    if not lang.spaced:
        return sum(len(s) for p in paras for s in p) // 2
    return sum(len(s.split()) for p in paras for s in p)
