"""URL schemes: how a site of each CMS style spells the URLs of its articles and listings."""

from __future__ import annotations

import random

from crawler.demo.cms.model import Paths

# Words sites of each language put in their URLs.
URL_WORDS = {
    "en": {
        "events": ("events", "calendar", "whats-on"),
        "author": ("author", "people", "staff"),
        "tag": ("tag", "topic", "topics"),
        "search": ("search",),
        "video": ("video", "videos"),
        "latest": ("latest", "news", "archive"),
    },
    "de": {
        "events": ("termine", "veranstaltungen", "kalender"),
        "author": ("autor", "autoren"),
        "tag": ("thema", "themen", "tag"),
        "search": ("suche",),
        "video": ("video", "videos"),
        "latest": ("nachrichten", "archiv", "aktuell"),
    },
    "es": {
        "events": ("agenda", "eventos"),
        "author": ("autor", "autores", "firmas"),
        "tag": ("tema", "temas", "etiqueta"),
        "search": ("buscar", "busqueda"),
        "video": ("video", "videos"),
        "latest": ("ultima-hora", "noticias", "hemeroteca"),
    },
    "fr": {
        "events": ("agenda", "sortir", "evenements"),
        "author": ("auteur", "journalistes"),
        "tag": ("sujet", "tag", "mot-cle"),
        "search": ("recherche",),
        "video": ("video", "videos"),
        "latest": ("actualites", "dernieres-infos", "archives"),
    },
    "ja": {
        "events": ("events",),
        "author": ("author", "reporter"),
        "tag": ("tag", "topics"),
        "search": ("search",),
        "video": ("video",),
        "latest": ("news", "latest"),
    },
}


def scheme(style: str, lang: str, rng: random.Random) -> Paths:
    """How a site of ``style`` in language ``lang`` spells its URLs, one of several ways."""
    words = URL_WORDS[lang]
    pick = rng.choice
    ev, au, tg, se, vi, la = (
        pick(words[k]) for k in ("events", "author", "tag", "search", "video", "latest")
    )
    q = pick(("page", "page", "p", "pg"))
    if style == "wordpress":
        return Paths(
            article=pick(
                ("/{y}/{m}/{d}/{slug}/", "/{section}/{slug}/", "/{slug}/", "/{y}/{m}/{slug}/")
            ),
            section="/category/{section}/",
            section_kind="category",
            tag=pick(("/tag/{tag}/", f"/{tg}/{{tag}}/")),
            author="/author/{author}/",
            archive_first="/",
            archive="/page/{n}/",
            archive_from=2,
            calendar=f"/{ev}/?{q}={{n}}",
            search="/?s={q}",
            video=f"/{vi}/",
        )
    if style == "drupal":
        return Paths(
            article=pick(
                (
                    "/{section}/{slug}",
                    "/node/{id}",
                    "/{la}/{y}/{m}/{d}/{slug}",
                    "/{section}/{y}/{m}/{slug}",
                )
            ).replace("{la}", la),
            section="/{section}",
            section_kind="section",
            tag=pick(("/taxonomy/term/{id}", f"/{tg}/{{tag}}")),
            author=f"/{au}/{{author}}",
            archive_first=f"/{la}",
            archive=f"/{la}?page={{n}}",
            archive_from=1,
            calendar=f"/{ev}?page={{n}}",
            search=pick(("/search/node?keys={q}", f"/{se}?search_api_fulltext={{q}}")),
            video=f"/{vi}",
        )
    if style == "nextjs":
        return Paths(
            article=pick(
                (
                    "/{section}/{slug}-{id}",
                    "/article/{slug}",
                    "/{section}/{id}/{slug}",
                    "/news/{y}/{m}/{d}/{slug}",
                )
            ),
            section="/{section}",
            section_kind="section",
            tag=f"/{tg}/{{tag}}",
            author=f"/{au}/{{author}}",
            archive_first=f"/{la}",
            archive=pick((f"/{la}/{{n}}", f"/{la}?{q}={{n}}")),
            archive_from=2,
            calendar=f"/{ev}?{q}={{n}}",
            search=f"/{se}?q={{q}}",
            video=f"/{vi}",
        )
    if style == "arc":
        return Paths(
            article=pick(
                (
                    "/{section}/{y}/{m}/{d}/{slug}/",
                    "/{section}/{slug}-{id}/",
                    "/{section}/{y}/{m}/{d}/{slug}-{id}/",
                )
            ),
            section="/{section}/",
            section_kind="section",
            tag=f"/{tg}/{{tag}}/",
            author=f"/{au}/{{author}}/",
            archive_first=f"/{la}/",
            archive=f"/{la}/{{n}}/",
            archive_from=2,
            calendar=f"/{ev}/?{q}={{n}}",
            search=f"/{se}/?query={{q}}",
            video=f"/{vi}/",
        )
    return Paths(
        article=pick(
            (
                "/news/{y}{m}{d}/{id}.htm",
                "/noticias/nota.asp?id={id}",
                "/archiv/{y}/{id}.html",
                "/stories/story{id}.html",
            )
        ),
        section=pick(("/{section}.htm", "/{section}/index.html")),
        section_kind="section",
        tag=pick(("/keyword.asp?k={tag}", f"/{tg}/{{tag}}.htm")),
        author=f"/{au}/{{author}}.htm",
        archive_first="/archive.htm",
        archive=pick(("/archive.htm?page={n}", "/archive{n}.htm")),
        archive_from=2,
        calendar=f"/{ev}.asp?page={{n}}",
        search=f"/{se}.asp?q={{q}}",
        video=f"/{vi}.htm",
    )
