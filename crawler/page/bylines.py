"""Who wrote an article: the people in its byline, and the news agency for agency copy.

Structural evidence first: the JSON-LD author of the article itself (a Person is a person, an
Organization is the publisher or an agency), then the author meta tags, then the page's
byline (itemprop author, rel=author links, elements classed as a byline). Each source is
taken whole or not at all, in that order, so one page's names are never mixed from places
that disagree. Names are cleaned of "By", of roles ("Senior reporter"), of e-mail addresses
and initials in brackets; what is no person's name is dropped: menu words, dates, the
publisher's own name and its desks ("Redaktion", "Staff"). A news agency named in place of,
or beside, the people goes in ``agency``; so does one in the opening dateline ("(dpa) -").
The word lists below are evidence beside the markup, not the rule.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from crawler.page.cleaning.phrases import MONTH_NAMES
from crawler.page.signals import BylineMark, Signals, ld_text
from crawler.page.titles import key

# More names than this is a page listing its staff, not a byline; the first ones are kept.
MAX_AUTHORS = 100
# A person's name has at most this many words (Latin "Anna Giulia von der Fink") and, in
# scripts without spaces, at most this many characters.
NAME_MAX_WORDS = 6
NAME_MAX_CHARS = 60
UNSPACED_NAME_MAX_CHARS = 12

# News agencies and wire services, by the names bylines give them.
AGENCIES = frozenset(
    key(name)
    for name in (
        "AP, Associated Press, The Associated Press, Reuters, Thomson Reuters, AFP, Agence "
        "France-Presse, Agence France Presse, AFP Deutschland, dpa, DPA, Deutsche Presse-Agentur, "
        "dpa-AFX, APA, Austria Presse Agentur, SDA, Keystone-SDA, KNA, epd, SID, ANSA, EFE, "
        "Europa Press, PA, PA Media, Press Association, AAP, Australian Associated Press, "
        "The Canadian Press, Canadian Press, UPI, United Press International, Xinhua, Kyodo, "
        "Kyodo News, Jiji, Jiji Press, Yonhap, TASS, RIA Novosti, Interfax, Anadolu, "
        "Anadolu Agency, Anadolu Ajansı, AA, Belga, ANP, Ritzau, NTB, TT, STT, ČTK, CTK, PAP, "
        "MTI, Agerpres, Lusa, Bloomberg, Dow Jones, IANS, PTI, ANI, Bernama, Antara, "
        "Notimex, Télam, Agência Brasil, EPA, NTB Scanpix, HINA, Tanjug, BTA, ATS, SNA, CNA, "
        "Agence Belga, AP/dpa, dpa/AFP, AFP/dpa"
    ).split(", ")
)
# Words of a newsroom's own credit, not a person: "Redaktion", "Guardian staff reporter".
_DESK_WORDS = frozenset(
    "redaktion red staff team desk newsroom editors editorial agencies agenturen agentur wire "
    "wires redacción redaccion rédaction redaction redazione redactie redakcja redação "
    "redacao редакция toimitus redaksjon redaktionen redaksjonen newsdesk admin administrator "
    "contributor contributors guest author group".split()
)
# Words of a publication's or a company's name (extra evidence that a site's name is no
# person's): "Lesotho Times", "Salzburger Nachrichten", "Help Net Security".
_ORGANISATION_WORDS = frozenset(
    "news times post journal daily weekly zeitung nachrichten online media tv radio magazine "
    "magazin herald tribune gazette press presse digital web network group inc ltd llc gmbh "
    "ag company bank studio studios agency solutions systems labs blog club institute "
    "university college school council foundation association society center centre service "
    "services store shop health insurance security marketing consulting construction dental "
    "care travel guide reviews report express mail observer standard telegraph guardian "
    "independent mirror chronicle courier examiner monitor voice world today info channel "
    "broadcasting corporation tech official noticias diario periódico journal quotidien "
    "giornale krant avis tidende lehti gazeta".split()
)
# A name that opens with an article is a publication's: "The Guardian", "Der Postillon".
_ARTICLES = frozenset("the der die das le la les el il lo los las de het".split())
_DOMAIN = re.compile(r"(?:https?://)?(?:www\.)?([\w-]+(?:\.[\w-]+)+)")
# Of those, the words no person's name holds.
_INSTITUTION_WORDS = frozenset(
    "foundation institute university college school council association society center "
    "centre inc ltd llc gmbh company corporation bank agency solutions systems services group "
    "team staff".split()
)
# Role and job words, in the languages of the press, and the words that qualify them.
_ROLE_WORDS = frozenset(
    "reporter reporters correspondent correspondents editor editors journalist writer "
    "columnist contributor analyst producer photographer photojournalist founder cofounder "
    "co-founder ceo cto cfo coo director manager expert specialist strategist coordinator "
    "consultant officer president owner partner lead head chief senior junior deputy associate "
    "assistant executive managing contributing freelance staff intern fellow professor "
    "researcher scientist economist anchor presenter host commentator critic reviewer "
    "editor-in-chief "
    "redakteur redakteurin korrespondent korrespondentin journalistin autorin autor "
    "reporterin volontär volontärin ressortleiter ressortleiterin chefredakteur chefredakteurin "
    "rédacteur rédactrice journaliste correspondant correspondante envoyé envoyée spécial "
    "periodista redactor redactora corresponsal enviado enviada giornalista redattore "
    "redattrice inviato inviata corrispondente verslaggever correspondente jornalista "
    "dziennikarz dziennikarka korespondent reportér redaktor redaktorka toimittaja "
    "журналист журналистка корреспондент редактор muhabir editörü 기자 특파원 記者 记者 "
    "编辑 特派員 特约记者".split()
)
_ROLE_WORDS = frozenset(key(w).replace(" ", "") for w in _ROLE_WORDS)
_ROLE_QUALIFIERS = frozenset(
    "political politics business sports sport tech technology science health autos motoring "
    "investigative foreign news digital video social data economics finance markets culture "
    "arts travel food fashion entertainment features opinion weather crime legal local "
    "national international global breaking special guest marketing content communications "
    "product sales design security privacy".split()
)
# Words of menus and labels, never in a name.
_LABEL_WORDS = frozenset(
    "sign log login logout menu home search subscribe subscription share follow followed "
    "following newsletter comments comment more read updated update published posted written "
    "view all profile insights anmelden abonnieren folgen teilen aktualisiert veröffentlicht "
    "mehr kommentar kommentare commentary opinion meinung analyse analysis interview column "
    "kolumne gastbeitrag essay podcast unknown anonymous none null undefined".split()
)
# Words of dates and small words: a name may hold one ("May Smith", "Jan Roe"), not only them.
_FILLER_WORDS = frozenset(
    "by the a an of on at for from with in "
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec today yesterday min mins minutes hours "
    "ago".split()
)
# Lower-case words a Latin-script name may hold: "Anna von der Fink", "Lê da Silva".
_PARTICLES = frozenset(
    "von van der den de da di del della dei la le du dos das do ter ten bin binti al el zu "
    "y e af av och und".split()
)
_NOT_IN_NAME = re.compile(r"[()\[\]{}:@#/\\?!=<>|]")
# "By", "Von:", "Text:" before a name, in the languages of the press.
_PREFIX = re.compile(
    r"^(?:about\s+the\s+authors?|about|(?:written|posted|reported|story|words|text|reporting|"
    r"compiled|edited)\s+by|by|"
    r"von|vom|autor(?:in)?|author|authors|text|texte|par|por|di|door|av|af|przez|"
    r"від|от|автор|автори|yazan|szerző|kirjoittaja|tekst|escrito\s+por|scritto\s+da|"
    r"écrit\s+par|redacción|fuente|quelle|source|credit|mit\s+material\s+von)\b[\s:.\-–—]*",
    re.IGNORECASE,
)
# Where a byline stops naming its authors: "Reviewed by …", "Updated …", "on behalf of".
_STOP = re.compile(
    r"\s*(?:\b(?:reviewed|fact[\s-]checked|edited|photos?|pictures?|illustrations?|"
    r"video|translated|translation)\s+(?:by|von|par|por)\b|\b(?:updated|published|posted|"
    r"aktualisiert|veröffentlicht|stand|mis à jour|publié|actualizado|publicado)\b|"
    r"\bon behalf of\b).*$",
    re.IGNORECASE,
)
# "… Written by Jane Roe", "05.06.2025 um 14:46 von Jane Roe": the names follow the marker.
_BY = re.compile(r"\b(?:by|von|par|por|door|av|af|przez|від|от)\b[\s:]*", re.IGNORECASE)
_NOT_BY = frozenset(
    "reviewed checked edited photo photos picture pictures illustrated translated video".split()
)
# Between names.
_STRONG_SEPARATORS = re.compile(r"\s*(?:[;/|•·、]|\s[-–—]\s)\s*")
_COMMA = re.compile(r"\s*[,，]\s*")
_WEAK_SEPARATORS = re.compile(r"\s*(?:&|\+)\s*")
_CONJUNCTIONS = re.compile(
    r"\s+(?:and|und|et|y|e|og|och|en|i|és|a|ja|и|і|ve|și|si|und\s+von)\s+", re.IGNORECASE
)
_BRACKETS = re.compile(r"\s*[(\[][^)\]]{0,40}[)\]]")
# A date beside the names in a byline element ("Dec. 19, 2025 · Jane Roe", "Jane Roe
# 19.12.2025"): month-name dates in either order, and all-number dates.
_DATE_TEXT = re.compile(
    rf"\b(?:(?:{MONTH_NAMES})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|"
    rf"\d{{1,2}}\.?\s+(?:{MONTH_NAMES})\s+\d{{4}}|(?:{MONTH_NAMES})\s+\d{{4}}|"
    r"\d{4}-\d\d-\d\d(?:[T ][\d:.]+)?|\d{1,2}[./]\d{1,2}[./]\d{2,4})\b,?",
    re.IGNORECASE,
)
_EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|\S+\.(?:com|de|org|net)\b")
# "(dpa) -", "(AP) —", "(Reuters) -" at the start of the text: agency copy.
_DATELINE = re.compile(r"^[^\n]{0,80}?\(([^()\n]{2,40})\)\s*[-–—:]")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
# Korean and Japanese bylines glue the role to the name: "박준석 기자", "山田太郎記者".
_GLUED_ROLE = re.compile(r"\s*(?:기자|특파원|記者|记者|特派員|编辑|編集委員)(?:\s*외\s*\d*명?)?$")
# "Associated Press in Valencia", "Jane Roe in Kyiv": the place a byline was filed from.
_BUREAU = re.compile(r"\s+(?:in|aus|en|à|em|from)\s+[A-ZÀ-Ý][\w.-]*(?:\s+[A-ZÀ-Ý][\w.-]*)?\s*$")
_AGENCY_TYPES = frozenset({"organization", "newsmediaorganization", "corporation"})


@dataclass
class Byline:
    """The people who wrote an article, and the agency when it is agency copy."""

    authors: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)

    @property
    def agency(self) -> str | None:
        return ", ".join(self.agencies) or None


def _is_agency(name: str) -> bool:
    k = key(_BUREAU.sub("", name))
    if k in AGENCIES:
        return True
    words = k.split()
    # "AFP Deutschland", "dpa-AFX", "AFP, Manila": an agency and its bureau or service.
    return len(words) == 2 and words[0] in AGENCIES and len(words[0]) >= 3


def _looks_like_organisation(name: str) -> bool:
    """True for "Lesotho Times", "ndr.de", "BBC", "Der Postillon"; False for "Rick Steves"."""
    words = key(name).split()
    if len(words) < 2 or "." in name or name.isupper() or words[0] in _ARTICLES:
        return True
    return any(w in _ORGANISATION_WORDS or w in _DESK_WORDS for w in words)


def _is_publisher(name: str, publishers: list[str]) -> bool:
    """True when ``name`` is the publisher's, or its newsroom's ("Redaktion hessenschau.de",
    "MDR THÜRINGEN", "Deutsche Welle (www.dw.com)").

    A site named after a person (a columnist's own site, "Rick Steves") is the author's: a
    name of the site that reads as a person's name is kept.
    """
    squashed = key(name).replace(" ", "")
    if not squashed:
        return False
    domains = [key(d).replace(" ", "") for d in _DOMAIN.findall(name)]
    first = key(name).split()[0]
    for publisher in publishers:
        other = key(publisher).replace(" ", "")
        if not other:
            continue
        if squashed == other:
            return _looks_like_organisation(name)
        if first == other and len(key(name).split()) > 1:
            return True  # the site and a desk or region of it
        if any(other in domain for domain in domains):
            return True
        if len(other) >= 4 and other in squashed:
            words = [w for w in key(name).split() if other not in w.replace(" ", "")]
            if not words or all(w in _DESK_WORDS or len(w) <= 3 for w in words):
                return True
    return False


def _strip_role(name: str) -> str:
    """``name`` without the role after it ("Jane Roe Tech Reporter" -> "Jane Roe"); empty when
    it is only a role ("Senior Autos Reporter")."""
    name = _GLUED_ROLE.sub("", name)
    words = name.split()
    keys = [_squash(w) for w in words]
    for i in range(len(words)):
        rest = keys[i:]
        only_roles = all(k in _ROLE_WORDS or k in _ROLE_QUALIFIERS or not k for k in rest)
        if (only_roles and any(k in _ROLE_WORDS for k in rest)) or (
            i >= 1 and keys[i] in _ROLE_WORDS
        ):
            return " ".join(words[:i])
    return name


def clean_name(raw: str) -> str | None:
    """``raw`` as a person's name, or None when it is none (a menu word, a role, a date)."""
    name = " ".join(unicodedata.normalize("NFC", raw).split())
    name = _BRACKETS.sub("", name)
    name = _EMAIL_OR_URL.sub(" ", name)
    name = _BUREAU.sub("", name)
    for _ in range(2):
        name = _PREFIX.sub("", name).strip(" :.-–—")
    name = _strip_role(name).strip(" ,:;.-–—'\"")
    if not name or len(name) > NAME_MAX_CHARS or _NOT_IN_NAME.search(name):
        return None
    words = key(name).split()
    if not words or len(words) > NAME_MAX_WORDS or _squash(words[0]) in _ROLE_WORDS:
        return None  # "Head Winemaker", "Senior Editor Politics": a role, not a name
    if _UNSPACED.search(name):
        return name if len(name.replace(" ", "")) <= UNSPACED_NAME_MAX_CHARS else None
    if any(ch.isdigit() for ch in name) or any(w in _LABEL_WORDS for w in words):
        return None
    if all(
        w in _FILLER_WORDS or w in _ROLE_WORDS or w in _DESK_WORDS or w in _ORGANISATION_WORDS
        for w in words
    ):
        return None  # "Nachrichten", "Daily News", "Staff Writer"
    if _is_agency(name):
        return name
    # A Latin-script name is capitalised, but for its particles ("von", "da").
    if any(w[:1].islower() and w not in _PARTICLES for w in name.split()):
        return None
    return name


def split_names(text: str) -> Iterator[str]:
    """The names in one byline string: "A, B and C", "A & B", "By A · Updated …".

    A part after a comma that names a role ("Jane Roe, Senior reporter") is left out.
    """
    text = " ".join(_DATE_TEXT.sub(" ", text).split())
    for marker in _BY.finditer(text):
        before = text[: marker.start()].strip()
        if marker.end() >= len(text) or (before and before.split()[-1].lower() in _NOT_BY):
            continue
        # "Anna von der Fink": a lower-case marker after a name is a particle of that name.
        if before and marker.group()[0].islower() and clean_name(before):
            continue
        text = text[marker.end() :]
        break
    for segment in _STRONG_SEPARATORS.split(text):
        for i, clause in enumerate(_COMMA.split(segment)):
            if i and _has_role(clause):
                continue
            for part in _WEAK_SEPARATORS.split(clause):
                part = _STOP.sub("", _PREFIX.sub("", part)).strip()
                if not part:
                    continue
                pieces = _CONJUNCTIONS.split(part)
                if len(pieces) > 1 and all(clean_name(p) for p in pieces):
                    yield from pieces
                else:
                    yield part


def _has_role(text: str) -> bool:
    return any(_squash(w) in _ROLE_WORDS for w in text.split())


def _squash(word: str) -> str:
    return key(word).replace(" ", "")


def _ld_people(signals: Signals) -> list[tuple[str, bool]]:
    """(name, is an organisation) for each author of the article's JSON-LD (of the page's
    WebPage node when it has no article node). An author given as a reference ("@id") is
    the graph's node of that id."""
    ids = {n["@id"]: n for n in signals.ld_nodes if isinstance(n.get("@id"), str)}
    node = signals.ld or next(
        (n for n in signals.ld_nodes if _types(n) & _PAGE_TYPES and n.get("author")), {}
    )
    found: list[tuple[str, bool]] = []
    for prop in ("author", "creator"):
        value = node.get(prop)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, str):
                found.extend((name, False) for name in split_names(ld_text(item) or ""))
            elif isinstance(item, dict):
                if set(item) <= {"@id", "@type"} and isinstance(item.get("@id"), str):
                    item = ids.get(item["@id"], item)
                org = bool(_types(item) & _AGENCY_TYPES)
                name = ld_text(item.get("name"))
                if not name and (item.get("givenName") or item.get("familyName")):
                    given = ld_text(item.get("givenName")) or ""
                    family = ld_text(item.get("familyName")) or ""
                    name = f"{given} {family}".strip()
                if name and name.islower() and " " in name and "person" in _types(item):
                    name = name.title()  # a Person typed in lower case: "jane roe"
                if name:
                    found.extend((part, org) for part in split_names(name))
        if found:
            break
    return found


# JSON-LD types of a page as a whole, whose author is the article's on a page without an
# article node.
_PAGE_TYPES = frozenset({"webpage", "itempage"})


def _types(node: dict[str, object]) -> set[str]:
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return {k.lower() for k in kinds if isinstance(k, str)}


_AUTHOR_META = ("author", "article:author", "dc.creator", "dcterms.creator", "parsely-author",
                "sailthru.author", "byl", "citation_author")  # fmt: skip


def _meta_people(signals: Signals) -> list[tuple[str, bool]]:
    for name in _AUTHOR_META:
        values = signals.meta_lists.get(name, [])
        found: list[tuple[str, bool]] = []
        for value in values:
            if name == "citation_author" and value.count(",") == 1:
                family, given = value.split(",")
                found.append((f"{given.strip()} {family.strip()}", False))
                continue
            parts = list(split_names(value))
            # A one-word meta author is a handle or a section ("admin", "news"), unless it
            # is an agency.
            found.extend((p, False) for p in parts if " " in p.strip() or _is_agency(p))
        if found:
            return found
    return []


def _page_people(signals: Signals, publishers: list[str]) -> Iterator[list[tuple[str, bool]]]:
    """The byline elements' names: the first run of itemprop authors of the article, else of
    rel=author links, else of elements classed as a byline (their link texts where they link
    to the authors), else of links to an author's page, else the opening paragraph that some
    templates write as one (in bold, or opening with "By").
    A run is the elements side by side that name people: it ends at one that names nobody or
    sits in another box (a teaser's byline). An element naming only the publisher starts no
    run (the site's logo or credit beside the byline)."""
    marks = [m for m in signals.bylines if not m.chrome]
    inside = [m for m in marks if m.in_article]
    for source in ("itemprop", "rel", "class", "href", "lead"):
        group = [m for m in (inside or marks) if m.source == source]
        names: list[tuple[str, bool]] = []
        boxes: set[int] = set()
        for mark in group:
            if (
                source == "class"
                and _UNSPACED.search(mark.text)
                and (len(mark.text) > 2 * UNSPACED_NAME_MAX_CHARS)
            ):
                continue  # a box of text around a name, in a script without spaces
            parts = _mark_names(mark)
            if source in _WEAK_SOURCES:
                # A lone word there is a section, a place or a handle, not a byline.
                parts = [p for p in parts if not _lone_word(p)]
            if any(ch.isalpha() for ch in mark.text):
                people = [p for p in parts if _is_agency(p) or clean_name(p)]
                named = any(not _is_publisher(p, publishers) for p in people)
                if names and (not named or not boxes & set(mark.boxes)):
                    break  # the byline's list of authors has ended
                if not named:
                    continue
                boxes = boxes or set(mark.boxes)
            names.extend((part, False) for part in parts)
        yield names


# Byline evidence read from a paragraph's wording, not from markup or links that say "author".
_WEAK_SOURCES = frozenset({"lead"})


def _lone_word(part: str) -> bool:
    """True for a one-word name in a spaced script ("Lifestyle", "Berlin"), not an agency."""
    name = clean_name(part)
    return bool(name) and " " not in name and not _UNSPACED.search(name) and not _is_agency(part)


def _mark_names(mark: BylineMark) -> list[str]:
    """The names one byline element gives: its link texts where they name people (links to
    the authors' pages), else its text."""
    if mark.source == "class" and mark.links:
        linked = [part for text in mark.links for part in split_names(text)]
        if any(_is_agency(p) or clean_name(p) for p in linked):
            return linked
    return list(split_names(mark.text))


def _dateline_agency(text: str | None) -> str | None:
    if not text:
        return None
    match = _DATELINE.match(text.lstrip())
    if match:
        for part in re.split(r"[/,;]\s*", match[1]):
            if _is_agency(part.strip()):
                return part.strip()
    return None


def _agency_suffix(name: str) -> tuple[str, str | None]:
    """("Jane Roe", "The Associated Press") for "Jane Roe The Associated Press"."""
    words = name.split()
    for i in range(2, len(words)):
        if _is_agency(" ".join(words[i:])):
            return " ".join(words[:i]), " ".join(words[i:])
    return name, None


def _take(candidates: Iterable[tuple[str, bool]], publishers: list[str]) -> Byline:
    byline = Byline()
    seen: set[str] = set()

    def add_agency(raw: str) -> None:
        name = " ".join(_BUREAU.sub("", raw).split()).strip(" ,;:")
        if key(name) not in seen:
            seen.add(key(name))
            byline.agencies.append(name)

    for raw, org in candidates:
        if _is_agency(raw):
            add_agency(raw)
            continue
        if org or _is_publisher(raw, publishers):
            continue
        if any(w in _DESK_WORDS for w in key(_BRACKETS.sub("", raw)).split()):
            continue  # the newsroom's own credit: "Redaktion", "MND Staff"
        raw, agency = _agency_suffix(raw)
        if agency:
            add_agency(agency)
        name = clean_name(raw)
        if not name or _is_publisher(name, publishers) or key(name) in seen:
            continue
        if any(w in _INSTITUTION_WORDS for w in key(name).split()):
            continue  # "National Science Foundation", "Acme Inc"
        seen.add(key(name))
        byline.authors.append(name)
        if len(byline.authors) >= MAX_AUTHORS:
            break
    # Beside full names, a lone word is a place or a role the byline also gives.
    if any(len(a.split()) > 1 for a in byline.authors):
        byline.authors = [a for a in byline.authors if len(a.split()) > 1 or _UNSPACED.search(a)]
    return byline


# JSON-LD, meta tags, itemprop and rel=author come first in the sources and say who wrote
# the article; elements classed as a byline may be other stories' too.
_MARKED_SOURCES = 4


def needs_page_bylines(signals: Signals, publishers: list[str]) -> bool:
    """True unless the JSON-LD names the authors, or the meta tags name several: only then is
    the page's body searched for byline elements (a walk over every element's class). An
    author meta tag often names the first author alone."""
    ld = _take(_ld_people(signals), publishers)
    if ld.authors or ld.agencies:
        return False
    meta = _take(_meta_people(signals), publishers)
    return len(meta.authors) <= 1 and not meta.agencies


def byline(
    signals: Signals, publishers: list[str], text: str | None = None, fallback: str | None = None
) -> Byline:
    """The article's authors and agency.

    ``publishers`` are the names the site goes by (its own credit is nobody's name); ``text``
    is the article text, whose opening dateline may name an agency; ``fallback`` is another
    extractor's byline (names split on ";"), read when the page gives none.
    """
    sources: list[list[tuple[str, bool]]] = [_ld_people(signals), _meta_people(signals)]
    sources.extend(_page_people(signals, publishers))
    # The other extractor reads the same JSON-LD and meta tags: when they credit only the
    # publisher, its reading is that credit or a guess from the page's text.
    if fallback and not (sources[0] or sources[1]):
        sources.append([(part, False) for part in fallback.split(";") if len(part.split()) > 1])
    found = Byline()
    taken = [_take(candidates, publishers) for candidates in sources]
    for i, first in enumerate(taken):
        if first.authors or first.agencies:
            found = first
            # A later source of markup that names the same people and more: the first one was
            # cut short (an author meta tag with the first author alone).
            names = {key(a) for a in first.authors}
            for later in taken[i + 1 : _MARKED_SOURCES]:
                if names < {key(a) for a in later.authors}:
                    found = Byline(later.authors, first.agencies or later.agencies)
                    break
            break
    agency = _dateline_agency(text)
    if agency and key(agency) not in map(key, found.agencies):
        found.agencies.append(agency)
    return found


__all__ = [
    "AGENCIES",
    "MAX_AUTHORS",
    "Byline",
    "byline",
    "clean_name",
    "needs_page_bylines",
    "split_names",
]
