"""Which site runs which story at which URL: the map of the demo world, without any HTML."""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.demo import stories as s
from crawler.demo.stories import Story


@dataclass(frozen=True)
class Placement:
    """A story as one site publishes it."""

    story: Story
    path: str  # canonical path on the site
    related: tuple[str, ...] = ()  # story keys (same site) teased in the related-news block
    inline: str | None = None  # story key teased inside the body ("Also read:", "Read more:")
    listed: bool = True  # linked from the homepage and its section page
    amp: bool = False
    printable: bool = False
    credit: str | None = None  # byline line some sites print above a syndicated story
    original: str | None = None  # key of the wire story this copy carries


@dataclass(frozen=True)
class Author:
    name: str
    slug: str
    bio: str


@dataclass(frozen=True)
class Draft:
    """An article-like page under a robots-disallowed path: it must never be requested."""

    path: str
    title: str
    text: str


@dataclass(frozen=True)
class Site:
    folder: str
    name: str
    origin: str
    template: str  # "courier", "wire" or "herald"
    tagline: str
    sections: dict[str, str]  # slug -> label, in menu order
    authors: tuple[Author, ...]
    about: tuple[str, ...]
    articles: tuple[Placement, ...]
    robots_disallow: tuple[str, ...]
    drafts: tuple[Draft, ...]
    disallowed_links: tuple[str, ...]  # extra disallowed paths linked from every page
    start: tuple[str, ...]  # entry paths for World.start_urls()
    redirects: dict[str, str] = field(default_factory=dict)
    dead_links: tuple[str, ...] = ()  # linked paths that answer 404

    def placement(self, key: str) -> Placement:
        """Return the placement of story ``key`` on this site; KeyError if it is not carried."""
        for placement in self.articles:
            if placement.story.key == key:
                return placement
        raise KeyError(f"{self.folder} does not carry {key!r}")

    def author(self, name: str) -> Author | None:
        return next((a for a in self.authors if a.name == name), None)


COURIER = Site(
    folder="daily-courier",
    name="The Daily Courier",
    origin="https://www.daily-courier.example",
    template="courier",
    tagline="Port Alder's daily newspaper since 1894",
    sections={"news": "News", "world": "World", "business": "Business"},
    authors=(
        Author(
            "Miriam Okafor",
            "miriam-okafor",
            "Miriam Okafor is the Courier's city affairs correspondent. She has covered "
            "transport, housing and the city council since 2016.",
        ),
        Author(
            "Tomás Reyes",
            "tomas-reyes",
            "Tomás Reyes writes about business, retail and the port economy. Before joining the "
            "Courier he reported for a shipping trade weekly.",
        ),
        Author(
            "Staff Reporter",
            "staff-reporter",
            "Reports filed by the Courier newsroom.",
        ),
    ),
    about=(
        "The Daily Courier has been published in Port Alder every morning except Christmas Day "
        "since 1894. It is owned by the Courier Trust, an independent charitable foundation, and "
        "has no proprietor and no shareholders.",
        "Our newsroom of sixty journalists covers the city, the country and the world, with "
        "correspondents in the capital's parliament and at the port. We carry reports from the "
        "Continental Press Agency alongside our own.",
        "To contact the newsroom, write to the news desk at 12 Quay Street, Port Alder. "
        "Corrections are published on page two of the print edition and at the foot of the "
        "article concerned online.",
    ),
    articles=(
        Placement(
            s.FERRY_SAFETY,
            "/news/2025/03/12/varga-ferry-safety-overhaul/",
            related=("tram-extension", "strike-explainer"),
            amp=True,
        ),
        Placement(
            s.TRAM_EXTENSION,
            "/news/2025/03/11/tram-extension-airport-approved/",
            related=("ferry-safety", "strike-explainer"),
            inline="bakery-chain",
            amp=True,
            printable=True,
        ),
        Placement(
            s.BAKERY_CHAIN,
            "/business/2025/03/13/crumb-and-co-expansion/",
            related=("tram-extension", "grid-fund@daily-courier"),
            printable=True,
        ),
        Placement(
            s.STRIKE_EXPLAINER,
            "/news/2025/03/14/rail-strike-what-it-means/",
            related=("tram-extension", "ferry-safety"),
            inline="tram-extension",
        ),
        Placement(
            s.GRID_FUND_COURIER,
            "/world/2025/03/12/europe-backs-grid-plan/",
            related=("asteroid-ice@daily-courier", "bakery-chain"),
            credit="Anja Lindqvist | CPA",
            original="grid-fund",
        ),
        Placement(
            s.ASTEROID_ICE_COURIER,
            "/world/2025/03/10/ice-found-on-asteroid/",
            related=("grid-fund@daily-courier", "ferry-safety"),
            inline="grid-fund@daily-courier",
            original="asteroid-ice",
        ),
    ),
    robots_disallow=("/search", "/private/"),
    drafts=(
        Draft(
            "/private/drafts/varga-interview-embargoed/",
            "EMBARGOED: Varga interview on ferry reform",
            "Draft copy, not for publication before the minister's office has approved the "
            "quotes. The interview covers the Kestrel Sound grounding, the proposed maritime "
            "safety authority and the timetable for the bill.",
        ),
    ),
    disallowed_links=("/search/?q=tram+extension",),
    start=("/", "/feed.xml"),
    redirects={"/news/tram-extension": "/news/2025/03/11/tram-extension-airport-approved/"},
)

WIRE = Site(
    folder="cpa-wire",
    name="Continental Press Agency",
    origin="https://wire.cpa-news.example",
    template="wire",
    tagline="Independent news agency",
    sections={"europe": "Europe", "economy": "Economy", "science": "Science", "sport": "Sport"},
    authors=(
        Author("Anja Lindqvist", "anja-lindqvist", "Brussels correspondent."),
        Author("Lena Marsh", "lena-marsh", "Science correspondent, based in Geneva."),
        Author("Tobias Brenner", "tobias-brenner", "Regional correspondent and photographer."),
        Author("Pieter van Dam", "pieter-van-dam", "Economics correspondent in Port Alder."),
        Author("Nika Zupan", "nika-zupan", "Sport reporter, based in Ljubljana."),
    ),
    about=(
        "The Continental Press Agency is a cooperative news agency owned by its member "
        "newspapers and broadcasters. It supplies text, photographs and video to more than 300 "
        "outlets in 24 countries.",
        "CPA journalists follow the agency's editorial standards: every story is checked by a "
        "second editor, corrections are published as new versions of the story, and anonymous "
        "sources are used only when a senior editor has approved them.",
        "Member outlets may edit CPA stories for length and style but must keep the agency "
        "credit. For subscriptions and syndication rights, contact the sales desk.",
    ),
    articles=(
        Placement(
            s.GRID_FUND,
            "/stories/2025/03/12/eu-grid-fund-agreed-cpa1042.html",
            related=("rates-hold", "varne-flood"),
            inline="rates-hold",
        ),
        Placement(
            s.ASTEROID_ICE,
            "/stories/2025/03/10/water-ice-on-asteroid-cpa1017.html",
            related=("grid-fund", "varne-flood"),
        ),
        Placement(
            s.VARNE_FLOOD,
            "/stories/2025/03/13/storm-ilse-varne-floods-cpa1063.html",
            related=("grid-fund", "rail-strike"),
            inline="grid-fund",
        ),
        Placement(
            s.RATES_HOLD,
            "/stories/2025/03/11/central-bank-holds-rates-cpa1029.html",
            related=("rail-strike", "grid-fund"),
        ),
        Placement(
            s.RAIL_STRIKE,
            "/stories/2025/03/14/rail-unions-call-strike-cpa1077.html",
            related=("rates-hold", "varne-flood"),
            inline="rates-hold",
        ),
        # Older story: only in the feed and the sitemaps, no longer linked from any page.
        Placement(
            s.CHESS_TITLE,
            "/stories/2025/03/09/volk-wins-rapid-title-cpa1008.html",
            related=("asteroid-ice",),
            listed=False,
        ),
    ),
    robots_disallow=("/internal/", "/search"),
    drafts=(
        Draft(
            "/internal/embargoed/budget-preview-cpa1101.html",
            "EMBARGOED UNTIL 18:00: Budget preview",
            "Embargoed copy for member outlets. The finance ministry's spring budget is expected "
            "to include a freeze on fuel duty and new money for flood defences in the Linden "
            "Valley.",
        ),
    ),
    disallowed_links=("/search/?q=grid+fund",),
    start=("/", "/sitemap_index.xml"),
)

HERALD = Site(
    folder="valley-herald",
    name="Valley Herald",
    origin="https://valleyherald.example",
    template="herald",
    tagline="News from the Linden Valley since 1921",
    sections={"local": "Local", "region": "Region & World"},
    authors=(
        Author(
            "Daniela Pereira",
            "dpereira",
            "Daniela Pereira covers Estover and the lower valley for the Herald.",
        ),
        Author(
            "Ruth Calloway",
            "rcalloway",
            "Ruth Calloway reports on schools, health and the valley's young people.",
        ),
        Author(
            "Sam Okoye",
            "sokoye",
            "Sam Okoye is the Herald's photographer and writes about food and farming.",
        ),
    ),
    about=(
        "The Valley Herald is the local newspaper for Estover, Marrow, Holtby and the villages "
        "of the Linden Valley. It was founded as a weekly in 1921 and has published online "
        "every day since 2009.",
        "We are a small team of reporters, photographers and volunteers. We also carry national "
        "and international news from the Continental Press Agency.",
        "Got a story? Email the newsroom or drop in to our office on Bridge Street, Estover.",
    ),
    articles=(
        Placement(
            s.SANDBAGS,
            "/2025/03/13/volunteers-fill-sandbags-estover/",
            related=("varne-flood@valley-herald", "goods-shed-market"),
            amp=True,
        ),
        Placement(
            s.VARNE_FLOOD_HERALD,
            "/2025/03/13/marrow-holtby-flooded-storm-ilse/",
            related=("sandbags", "grid-fund@valley-herald"),
            inline="sandbags",
            credit="By Tobias Brenner, Continental Press Agency",
            original="varne-flood",
        ),
        Placement(
            s.ROBOTICS,
            "/2025/03/10/estover-academy-robotics-final/",
            related=("goods-shed-market", "sandbags"),
            inline="goods-shed-market",
        ),
        Placement(
            s.GOODS_SHED_MARKET,
            "/2025/03/08/farmers-market-goods-shed/",
            related=("robotics", "sandbags"),
            amp=True,
        ),
        Placement(
            s.GRID_FUND_HERALD,
            "/2025/03/12/brussels-grid-fund-valley-power-line/",
            related=("varne-flood@valley-herald", "asteroid-ice@valley-herald"),
            credit="By Anja Lindqvist, Continental Press Agency",
            original="grid-fund",
        ),
        Placement(
            s.ASTEROID_ICE_HERALD,
            "/2025/03/11/water-ice-faraway-asteroid/",
            related=("robotics", "grid-fund@valley-herald"),
            credit="By Lena Marsh, Continental Press Agency",
            original="asteroid-ice",
        ),
    ),
    robots_disallow=("/wp-admin/", "/preview/"),
    drafts=(
        Draft(
            "/preview/council-budget-draft/",
            "DRAFT: County budget — what it means for Estover",
            "Draft for editing. The county council's budget for next year includes money for "
            "the Estover flood wall, two new school buses and a review of the recycling plant "
            "contract in Holtby.",
        ),
    ),
    disallowed_links=("/wp-admin/",),
    start=("/",),
    dead_links=("/2019/05/old-bridge-story-removed/",),
)

SITES: tuple[Site, ...] = (COURIER, WIRE, HERALD)
