"""Word lists per language and the sentences, headlines and names made from them.

Sentences are built from a template (subject, verb, object, adverbial, sometimes a second clause
or an attributed statement) filled with random picks, so two unrelated articles share almost no
run of four words. A story's *topic* (a place, a person, a few noun phrases) is mixed into its
sentences, so two different stories on one topic read alike without sharing sentences.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


def _split(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split("|") if item.strip())


@dataclass(frozen=True)
class Language:
    """What the generator needs to write pages in one language."""

    code: str
    subjects: tuple[str, ...]
    objects: tuple[str, ...]
    verbs: tuple[str, ...]
    adverbials: tuple[str, ...]
    joins: tuple[str, ...]  # ", while", ", but": open a second clause
    statements: tuple[str, ...]  # "{name}, {role}, said that": open an attributed clause
    roles: tuple[str, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    places: tuple[str, ...]
    months: tuple[str, ...]
    sections: tuple[tuple[str, str], ...]  # (slug, label)
    ui: dict[str, str]
    spaced: bool = True  # False: no spaces between words (Japanese)
    subject_first: bool = True  # adverbial after the verb (de/es/fr) or at the end (en)
    complements: tuple[
        str, ...
    ] = ()  # "for the harbour": follows (precedes, in Japanese) an object

    def join(self, words: list[str]) -> str:
        return (" " if self.spaced else "").join(word for word in words if word)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def person(rng: random.Random, lang: Language) -> str:
    """A random full name of the language."""
    if not lang.spaced:
        return rng.choice(lang.last_names) + rng.choice(lang.first_names)
    return f"{rng.choice(lang.first_names)} {rng.choice(lang.last_names)}"


@dataclass(frozen=True)
class Topic:
    """What one story (or several stories on one subject) keeps coming back to."""

    place: str
    person: str
    role: str
    nouns: tuple[str, ...]  # object phrases favoured by the topic


def topic(rng: random.Random, lang: Language) -> Topic:
    return Topic(
        place=rng.choice(lang.places),
        person=person(rng, lang),
        role=rng.choice(lang.roles),
        nouns=tuple(thing(rng, lang) for _ in range(3)),
    )


def thing(rng: random.Random, lang: Language) -> str:
    """An object phrase: a noun phrase, often with a complement ('the tram line for commuters')."""
    noun = rng.choice(lang.objects)
    if rng.random() < 0.55:
        complement = rng.choice(lang.complements)
        return complement + noun if not lang.spaced else f"{noun} {complement}"
    return noun


def clause(rng: random.Random, lang: Language, subject_topic: Topic | None = None) -> list[str]:
    subject = rng.choice(lang.subjects)
    obj = thing(rng, lang)
    if subject_topic is not None and rng.random() < 0.35:
        obj = rng.choice(subject_topic.nouns)
    adverbial = rng.choice(lang.adverbials)
    if subject_topic is not None and rng.random() < 0.3:
        adverbial = lang.ui["in_place"].format(place=subject_topic.place)
    verb = rng.choice(lang.verbs)
    if not lang.subject_first:
        return [subject, adverbial, obj, verb]  # subject-object-verb (Japanese)
    if lang.code == "en":
        return [subject, verb, obj, adverbial]
    return [subject, verb, adverbial, obj]  # verb second, as German requires


def sentence(rng: random.Random, lang: Language, about: Topic | None = None) -> str:
    """One sentence of 10-30 words, ending with a full stop."""
    roll = rng.random()
    words = clause(rng, lang, about)
    if roll < 0.3:
        words += [rng.choice(lang.joins), *clause(rng, lang, about)]
    elif roll < 0.5:
        name = about.person if about and rng.random() < 0.6 else person(rng, lang)
        role = about.role if about and name == about.person else rng.choice(lang.roles)
        opening = rng.choice(lang.statements).format(name=name, role=role)
        words = [opening, *words]
    if rng.random() < 0.2:
        words.append(lang.ui["by_percent"].format(n=rng.randint(2, 95)))
    stop = "。" if not lang.spaced else "."
    text = lang.join(words)
    return _cap(text.replace(" ,", ",")) + stop


def paragraph(rng: random.Random, lang: Language, about: Topic | None = None) -> str:
    count = rng.choice((2, 2, 3, 3, 4))
    return lang.join([sentence(rng, lang, about) for _ in range(count)])


def headline(rng: random.Random, lang: Language, about: Topic | None = None) -> str:
    """A headline without a final full stop, e.g. 'The port authority doubles the ferry fares'."""
    subject = rng.choice(lang.subjects)
    obj = rng.choice(about.nouns) if about and rng.random() < 0.6 else thing(rng, lang)
    verb = rng.choice(lang.verbs)
    words = [subject, obj, verb] if not lang.spaced else [subject, verb, obj]
    if about and rng.random() < 0.5:
        words.append(lang.ui["in_place"].format(place=about.place))
    return _cap(lang.join(words))


def short_text(rng: random.Random, lang: Language, about: Topic | None = None) -> str:
    """A sentence of one clause (captions, teaser excerpts, event notes)."""
    text = lang.join(clause(rng, lang, about))
    return _cap(text) + ("。" if not lang.spaced else ".")


EN = Language(
    code="en",
    subjects=_split(
        """the city council | the ministry | local residents | the port authority |
        the health board | the teachers' union | the water company | the mayor |
        a local charity | the rail operator | the fire service | school governors |
        the planning committee | a review panel | the chamber | the university | farmers |
        the regulator | the police | the opposition | tenants | museum trustees |
        the coastguard | builders | the auditor | the football club | the agency |
        the district court | the bus company | the finance minister | the airport |
        shopkeepers"""
    ),
    objects=_split(
        """a new budget | the second bridge | two clinics | night bus fares |
        the flood defences | the old depot | a car ban | short lets | the market hall |
        a pay offer | the tram line | library hours | air quality | three colleges |
        ten thousand trees | landlord checks | a bakery fund | the ferry timetable |
        parking charges | the town hall | cheaper heating | the sea wall | the steelworks |
        electric buses | the swimming pool | the rail yard | youth unemployment |
        the warehouse fire | a tourist levy | flooded shops | the cathedral roof |
        the cycle lanes | a new stadium | school meals | the night market |
        bin collections | the ring road | care homes | the power station | wind turbines |
        the old brewery | rent controls | the harbour wall | a pension fund |
        the ambulance service"""
    ),
    complements=_split(
        """for the harbour | near the station | in the north | across the region |
        for families | for older residents | on the coast | of the old town |
        for next year | in the valley | by the river | for small firms |
        in three districts | at the university | for pupils | on the east side |
        for commuters | in rural areas | for the winter | of the county |
        behind the market | for night workers | along the canal | in the suburbs"""
    ),
    verbs=_split(
        """approved | rejected | postponed | criticised | defended | announced | questioned |
        welcomed | blocked | proposed | reviewed | challenged | endorsed | delayed |
        funded | praised | scrapped | outlined | demanded | revised | investigated |
        published"""
    ),
    adverbials=_split(
        """on Tuesday | late on Monday | after long debate | for a third time |
        despite protests | without a vote | at a packed meeting | earlier this month |
        in a statement | during a visit | before the recess | after months of talks |
        at short notice | in a surprise move | on Friday morning | after a ruling |
        under pressure | ahead of polls | last autumn | on Sunday evening | within weeks |
        by a narrow margin"""
    ),
    joins=_split(", while | , but | , and | , although | , after | , because | , even though"),
    statements=_split(
        """{name}, {role}, said | according to {name}, {role}, | {name} told reporters |
        {name} explained that | {name}, {role}, confirmed | {name} argued that |
        {name} insisted"""
    ),
    roles=_split(
        """a council spokeswoman | the union leader | a senior engineer | the chief executive |
        a shopkeeper | an economist | the deputy mayor | a lawyer | the project manager |
        a retired teacher | a local doctor | the harbour master | a campaigner |
        a councillor"""
    ),
    first_names=_split(
        """Anna | Tom | Priya | Daniel | Grace | Oliver | Fatima | Liam | Hannah | Samuel |
        Chloe | Marcus | Ruth | Kofi | Elena | Patrick | Yusuf | Megan | Isaac | Naomi"""
    ),
    last_names=_split(
        """Whitfield | Okoro | Marsh | Bennett | Castellano | Hughes | Lindqvist | Patel |
        Fairbairn | Osei | Gallagher | Thornton | Mbeki | Ashworth | Delaney | Kowalski"""
    ),
    places=_split(
        """Port Alder | Kestrel Bay | Millbrook | Ashford Vale | Carrow Heath | Linton Quay |
        Easthaven | Stonebridge | Greywater | Hollin Marsh | Redcliffe | Fenwick Green"""
    ),
    months=_split(
        "January|February|March|April|May|June|July|August|September|October|November|December"
    ),
    sections=(
        ("politics", "Politics"),
        ("business", "Business"),
        ("local", "Local"),
        ("world", "World"),
        ("sport", "Sport"),
        ("culture", "Culture"),
        ("science", "Science"),
        ("opinion", "Opinion"),
    ),
    ui={
        "in_place": "in {place}",
        "by_percent": "by {n} per cent",
        "by": "By",
        "home": "Home",
        "search": "Search",
        "menu": "Menu",
        "published": "Published",
        "updated": "Updated",
        "video": "Video",
        "videos": "Videos",
        "events": "What's on",
        "calendar": "Events calendar",
        "page": "Page",
        "next": "Next page",
        "previous": "Previous page",
        "results_for": "Search results for",
        "results_count": "{n} results",
        "topic": "Topic",
        "topics": "Topics",
        "archive": "Archive",
        "all_stories": "All stories",
        "author_stories": "Stories by {name}",
        "about": "About us",
        "contact": "Contact",
        "privacy": "Privacy policy",
        "terms": "Terms of use",
        "rights": "All rights reserved.",
        "minutes": "{n} min",
        "venue": "Venue",
        "free_entry": "Free entry",
        "latest": "Latest",
        "watch": "Watch",
        "follow": "Follow",
        "date": "{month} {day}, {year}",
        "date_short": "{day} {month} {year}",
    },
)

DE = Language(
    code="de",
    subjects=_split(
        """der Stadtrat | das Ministerium | die Anwohner | die Hafenbehörde |
        der Gesundheitsausschuss | die Gewerkschaft | der Wasserversorger |
        die Bürgermeisterin | ein Verein | die Bahn | die Feuerwehr | der Elternbeirat |
        der Bauausschuss | eine Kommission | die Handelskammer | das Klinikum |
        die Landwirte | die Aufsicht | die Polizei | die Opposition | die Genossenschaft |
        der Museumsverein | die Küstenwache | ein Baukonsortium | der Rechnungshof |
        der Fußballverein | die Mieter | das Umweltamt | das Landgericht |
        der Busbetreiber | die Finanzministerin | der Flughafen | die Händler"""
    ),
    objects=_split(
        """einen neuen Haushalt | die zweite Brücke | zwei Kliniken | die Nachtbuspreise |
        die Deiche | das alte Depot | ein Fahrverbot | die Ferienwohnungen |
        die Markthalle | ein Lohnangebot | die Straßenbahn | die Öffnungszeiten |
        die Luftqualität | drei Hochschulen | zehntausend Bäume | die Mietkontrollen |
        einen Bäckereifonds | den Fährfahrplan | die Parkgebühren | das Rathaus |
        günstigere Heizkosten | die Ufermauer | das Stahlwerk | neue Elektrobusse |
        das Hallenbad | den Güterbahnhof | die Jugendarbeitslosigkeit | den Lagerhausbrand |
        eine Kurtaxe | die Radwege | ein neues Stadion | das Schulessen | den Nachtmarkt |
        die Müllabfuhr | die Umgehungsstraße | die Pflegeheime | das Kraftwerk |
        die Windräder | die alte Brauerei | die Mietpreisbremse | die Hafenmauer |
        den Pensionsfonds | den Rettungsdienst"""
    ),
    complements=_split(
        """für den Hafen | am Bahnhof | im Norden | in der Region | für Familien |
        für Senioren | an der Küste | der Altstadt | für nächstes Jahr | im Tal | am Fluss |
        für kleine Betriebe | in drei Stadtteilen | an der Universität | für Schüler |
        im Osten | für Pendler | auf dem Land | für den Winter | des Landkreises |
        hinter dem Markt | für Nachtarbeiter | am Kanal | in den Vororten"""
    ),
    verbs=_split(
        """genehmigte | verwarf | verschob | kritisierte | verteidigte | verkündete |
        hinterfragte | begrüßte | blockierte | beantragte | prüfte | bestätigte |
        unterstützte | verzögerte | finanzierte | lobte | stoppte | skizzierte | forderte |
        überarbeitete | untersuchte"""
    ),
    adverbials=_split(
        """am Dienstag | spät am Montag | nach langer Debatte | zum dritten Mal |
        trotz Protesten | ohne Abstimmung | in voller Sitzung | Anfang des Monats |
        in einer Erklärung | bei einem Besuch | vor der Sommerpause |
        nach monatelangen Gesprächen | kurzfristig | überraschend | am Freitagmorgen |
        nach einem Urteil | auf Druck | vor der Wahl | im Herbst | am Sonntagabend |
        binnen Wochen | knapp"""
    ),
    joins=_split(", während | , aber | , und | , doch | , denn | , obwohl"),
    statements=_split(
        """{name}, {role}, sagte, | laut {name}, {role}, | {name} erklärte, | {name} betonte, |
        {name}, {role}, bestätigte, | {name} sagte, | {name} kritisierte,"""
    ),
    roles=_split(
        """Sprecherin der Stadt | Gewerkschaftschef | leitende Ingenieurin | Geschäftsführer |
        Ladenbesitzerin | Ökonom | Vizebürgermeister | Anwältin | Projektleiter |
        pensionierte Lehrerin | Hausärztin | Hafenmeister | Aktivistin | Stadträtin"""
    ),
    first_names=_split(
        """Anna | Jonas | Lena | Matthias | Sophie | Lukas | Katrin | Felix | Miriam | Tobias |
        Julia | Stefan | Leonie | Andreas | Hanna | Florian | Sabine | Moritz | Ayşe | Jan"""
    ),
    last_names=_split(
        """Becker | Hoffmann | Schulte | Wagner | Lindner | Krüger | Brandt | Vogel |
        Zimmermann | Hartmann | Neumann | Seidel | Roth | Keller | Yilmaz | Petersen"""
    ),
    places=_split(
        """Altenbrück | Wiesental | Neuhafen | Birkenau | Steinfeld | Lindenberg | Moorhausen |
        Rabenstein | Eichstedt | Waldkirchen | Seebrück | Hohenau"""
    ),
    months=_split(
        "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
    ),
    sections=(
        ("politik", "Politik"),
        ("wirtschaft", "Wirtschaft"),
        ("lokales", "Lokales"),
        ("welt", "Welt"),
        ("sport", "Sport"),
        ("kultur", "Kultur"),
        ("wissen", "Wissen"),
        ("meinung", "Meinung"),
    ),
    ui={
        "in_place": "in {place}",
        "by_percent": "um {n} Prozent",
        "by": "Von",
        "home": "Startseite",
        "search": "Suche",
        "menu": "Menü",
        "published": "Veröffentlicht",
        "updated": "Aktualisiert",
        "video": "Video",
        "videos": "Videos",
        "events": "Veranstaltungen",
        "calendar": "Veranstaltungskalender",
        "page": "Seite",
        "next": "Nächste Seite",
        "previous": "Vorherige Seite",
        "results_for": "Suchergebnisse für",
        "results_count": "{n} Treffer",
        "topic": "Thema",
        "topics": "Themen",
        "archive": "Archiv",
        "all_stories": "Alle Artikel",
        "author_stories": "Artikel von {name}",
        "about": "Über uns",
        "contact": "Kontakt",
        "privacy": "Datenschutz",
        "terms": "Impressum",
        "rights": "Alle Rechte vorbehalten.",
        "minutes": "{n} Min.",
        "venue": "Ort",
        "free_entry": "Eintritt frei",
        "latest": "Neueste",
        "watch": "Ansehen",
        "follow": "Folgen",
        "date": "{day}. {month} {year}",
        "date_short": "{day}. {month} {year}",
    },
)

ES = Language(
    code="es",
    subjects=_split(
        """el ayuntamiento | el ministerio | los vecinos | la autoridad portuaria |
        la consejería | el sindicato | la empresa de aguas | la alcaldesa | una asociación |
        la compañía ferroviaria | los bomberos | el consejo escolar | la comisión |
        un comité | la cámara de comercio | el hospital | los agricultores | el regulador |
        la policía | la oposición | la cooperativa | el patronato | salvamento marítimo |
        las constructoras | el tribunal | el club | los inquilinos | la agencia |
        el juzgado | la red de bibliotecas | el aeropuerto | los comerciantes"""
    ),
    objects=_split(
        """un nuevo presupuesto | el segundo puente | dos ambulatorios |
        las tarifas nocturnas | las defensas | las antiguas cocheras | la prohibición |
        los pisos turísticos | el mercado central | una oferta salarial | el tranvía |
        el horario | la calidad del aire | tres facultades | diez mil árboles |
        los controles | un fondo | el horario del ferry | el aparcamiento |
        la casa consistorial | la calefacción | el malecón | la acería |
        autobuses eléctricos | la piscina municipal | la antigua estación |
        el paro juvenil | el incendio | una tasa turística | los carriles bici |
        un nuevo estadio | los comedores escolares | el mercadillo | la recogida |
        la ronda | las residencias | la central | los molinos | la vieja fábrica |
        el control de alquileres | el muelle | el fondo de pensiones | las ambulancias"""
    ),
    complements=_split(
        """para el puerto | junto a la estación | en el norte | de la comarca | para familias |
        para mayores | en la costa | del casco antiguo | para el próximo año | en el valle |
        junto al río | para pymes | en tres barrios | de la universidad | para alumnos |
        en el este | para los usuarios | en zonas rurales | para el invierno |
        de la provincia | tras el mercado | para turnos nocturnos | junto al canal |
        en las afueras"""
    ),
    verbs=_split(
        """aprobó | rechazó | aplazó | criticó | defendió | anunció | cuestionó | celebró |
        bloqueó | propuso | revisó | impugnó | respaldó | retrasó | financió | elogió |
        suprimió | presentó | exigió | modificó | investigó"""
    ),
    adverbials=_split(
        """el martes | el lunes | tras un debate | por tercera vez | pese a las protestas |
        sin votación | en un pleno | a principios de mes | en un comunicado |
        durante una visita | antes del verano | tras meses de negociación |
        con poca antelación | por sorpresa | el viernes | tras una sentencia |
        bajo presión | antes de elecciones | el pasado otoño | el domingo |
        en pocas semanas | por un estrecho margen"""
    ),
    joins=_split(", mientras | , pero | , y | , aunque | , después de que | , porque"),
    statements=_split(
        """{name}, {role}, dijo que | según {name}, {role}, | {name} explicó que |
        {name} aseguró que | {name}, {role}, confirmó que | {name} advirtió que |
        {name} recordó que"""
    ),
    roles=_split(
        """portavoz municipal | líder sindical | ingeniera jefe | consejero delegado |
        comerciante | economista | teniente de alcalde | abogada | director del proyecto |
        maestra jubilada | médica de familia | capitán del puerto | activista | concejala"""
    ),
    first_names=_split(
        """Lucía | Javier | Carmen | Diego | Marta | Pablo | Elena | Andrés | Sofía | Miguel |
        Laura | Raúl | Inés | Álvaro | Paula | Sergio | Nuria | Hugo | Rocío | Iván"""
    ),
    last_names=_split(
        """García | Fernández | Moreno | Jiménez | Navarro | Ortega | Castillo | Romero |
        Delgado | Vázquez | Serrano | Molina | Herrera | Rubio | Medina | Iglesias"""
    ),
    places=_split(
        """Villamar | San Telmo | Puertollano Bajo | Montealto | Valdeluz | Río Seco |
        Torreblanca | Las Arenas | Peñaroja | Castrillo | Fuentesol | Alcañada"""
    ),
    months=_split(
        "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
    ),
    sections=(
        ("politica", "Política"),
        ("economia", "Economía"),
        ("local", "Local"),
        ("internacional", "Internacional"),
        ("deportes", "Deportes"),
        ("cultura", "Cultura"),
        ("ciencia", "Ciencia"),
        ("opinion", "Opinión"),
    ),
    ui={
        "in_place": "en {place}",
        "by_percent": "un {n} por ciento",
        "by": "Por",
        "home": "Portada",
        "search": "Buscar",
        "menu": "Menú",
        "published": "Publicado",
        "updated": "Actualizado",
        "video": "Vídeo",
        "videos": "Vídeos",
        "events": "Agenda",
        "calendar": "Agenda de eventos",
        "page": "Página",
        "next": "Página siguiente",
        "previous": "Página anterior",
        "results_for": "Resultados de búsqueda para",
        "results_count": "{n} resultados",
        "topic": "Tema",
        "topics": "Temas",
        "archive": "Hemeroteca",
        "all_stories": "Todas las noticias",
        "author_stories": "Noticias de {name}",
        "about": "Quiénes somos",
        "contact": "Contacto",
        "privacy": "Política de privacidad",
        "terms": "Aviso legal",
        "rights": "Todos los derechos reservados.",
        "minutes": "{n} min",
        "venue": "Lugar",
        "free_entry": "Entrada libre",
        "latest": "Última hora",
        "watch": "Ver",
        "follow": "Síguenos",
        "date": "{day} de {month} de {year}",
        "date_short": "{day}/{month}/{year}",
    },
)

FR = Language(
    code="fr",
    subjects=_split(
        """le conseil municipal | le ministère | les habitants | l'autorité portuaire |
        l'agence de santé | le syndicat | la compagnie des eaux | la maire |
        une association | la société ferroviaire | les pompiers | le conseil d'école |
        la commission | un comité | la chambre de commerce | le centre hospitalier |
        les agriculteurs | le régulateur | la police | l'opposition | l'office du logement |
        le musée | la garde côtière | les constructeurs | la cour des comptes | le club |
        les locataires | la préfecture | le tribunal | la médiathèque | l'aéroport |
        les commerçants"""
    ),
    objects=_split(
        """un nouveau budget | le second pont | deux dispensaires | les tarifs de nuit |
        les digues | l'ancien dépôt | une interdiction | les meublés | les halles |
        une offre salariale | le tramway | les horaires | la qualité de l'air |
        trois facultés | dix mille arbres | les contrôles | un fonds | les horaires du bac |
        le stationnement | l'hôtel de ville | le chauffage | la digue | l'aciérie |
        des bus électriques | la piscine municipale | l'ancienne gare |
        le chômage des jeunes | l'incendie | une taxe de séjour | les pistes cyclables |
        un nouveau stade | les cantines | le marché de nuit | la collecte | la rocade |
        les maisons de retraite | la centrale | les éoliennes | la vieille brasserie |
        l'encadrement des loyers | le quai | le fonds de pension | les ambulances"""
    ),
    complements=_split(
        """pour le port | près de la gare | dans le nord | de la région | pour les familles |
        pour les seniors | sur la côte | de la vieille ville | pour l'an prochain |
        dans la vallée | au bord du fleuve | pour les artisans | dans trois quartiers |
        de l'université | pour les élèves | à l'est | pour les usagers | en zone rurale |
        pour l'hiver | du département | derrière le marché | pour le travail de nuit |
        le long du canal | en banlieue"""
    ),
    verbs=_split(
        """a approuvé | a rejeté | a reporté | a critiqué | a défendu | a annoncé |
        a contesté | a salué | a bloqué | a proposé | a examiné | a soutenu | a retardé |
        a financé | a supprimé | a présenté | a exigé | a révisé | a enquêté sur"""
    ),
    adverbials=_split(
        """mardi | lundi soir | après un débat | pour la troisième fois |
        malgré les protestations | sans vote | en séance | en début de mois |
        dans un communiqué | lors d'une visite | avant l'été | après des mois |
        à la dernière minute | par surprise | vendredi matin | après un jugement |
        sous pression | avant le scrutin | l'automne dernier | dimanche soir |
        en quelques semaines | de justesse"""
    ),
    joins=_split(", tandis que | , mais | , et | , alors que | , car | , même si"),
    statements=_split(
        """{name}, {role}, a déclaré que | selon {name}, {role}, | {name} a expliqué que |
        {name} a assuré que | {name}, {role}, a confirmé que | {name} a rappelé que"""
    ),
    roles=_split(
        """porte-parole de la mairie | syndicaliste | ingénieure en chef | directeur général |
        commerçante | économiste | adjoint au maire | avocate | chef de projet |
        institutrice retraitée | médecin | capitaine du port | militante | conseillère"""
    ),
    first_names=_split(
        """Camille | Julien | Chloé | Mathieu | Léa | Antoine | Manon | Nicolas | Inès |
        Thomas | Claire | Karim | Louise | Hugo | Amandine | Olivier | Sarah | Rémi |
        Élodie | Yanis"""
    ),
    last_names=_split(
        """Martin | Bernard | Lefèvre | Moreau | Girard | Lambert | Fontaine | Rousseau |
        Mercier | Chevalier | Garnier | Faure | Benali | Perrin | Morel | Gauthier"""
    ),
    places=_split(
        """Saint-Aubin-sur-Mer | Valmont | Port-Réal | Beaulieu | Montclair |
        Rivesaltes-le-Haut | Champfleury | Les Sablons | Villeneuve-la-Forêt | Brémont |
        Sainte-Colombe | Lussac"""
    ),
    months=_split(
        "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
    ),
    sections=(
        ("politique", "Politique"),
        ("economie", "Économie"),
        ("region", "Région"),
        ("monde", "Monde"),
        ("sports", "Sports"),
        ("culture", "Culture"),
        ("sciences", "Sciences"),
        ("idees", "Idées"),
    ),
    ui={
        "in_place": "à {place}",
        "by_percent": "de {n} pour cent",
        "by": "Par",
        "home": "Accueil",
        "search": "Rechercher",
        "menu": "Menu",
        "published": "Publié le",
        "updated": "Mis à jour",
        "video": "Vidéo",
        "videos": "Vidéos",
        "events": "Sortir",
        "calendar": "Agenda",
        "page": "Page",
        "next": "Page suivante",
        "previous": "Page précédente",
        "results_for": "Résultats de recherche pour",
        "results_count": "{n} résultats",
        "topic": "Sujet",
        "topics": "Sujets",
        "archive": "Archives",
        "all_stories": "Tous les articles",
        "author_stories": "Articles de {name}",
        "about": "Qui sommes-nous",
        "contact": "Contact",
        "privacy": "Confidentialité",
        "terms": "Mentions légales",
        "rights": "Tous droits réservés.",
        "minutes": "{n} min",
        "venue": "Lieu",
        "free_entry": "Entrée libre",
        "latest": "En continu",
        "watch": "Regarder",
        "follow": "Suivez-nous",
        "date": "{day} {month} {year}",
        "date_short": "{day}/{month}/{year}",
    },
)

JA = Language(
    code="ja",
    subjects=_split(
        """市議会は | 国土交通省は | 住民団体は | 港湾局は | 県の保健部は | 教職員組合は |
        水道局は | 市長室は | 地元の財団は | 鉄道会社は | 消防局は | 都市計画委員会は |
        独立調査委員会は | 商工会議所は | 大学病院は | 農業団体は | 電力規制当局は |
        警察は"""
    ),
    objects=_split(
        """予算を | 橋の計画を | 診療所の閉鎖を | 運賃の値上げを | 堤防の見直しを |
        車庫の売却を | 車両規制を | 民泊規則を | 市場の再建を | 賃上げ案を |
        路面電車の延伸を | 開館時間の短縮を | 大気調査を | 大学統合を | 植樹計画を |
        監査強化を | 自転車道を | 新球場を | 給食を"""
    ),
    complements=_split(
        "港湾の | 駅前の | 北部の | 県内の | 家族向けの | 高齢者向けの | 沿岸の | 旧市街の"
    ),
    verbs=_split(
        "承認した | 否決した | 延期した | 批判した | 発表した | 提案した | 見直した | 支持した"
    ),
    adverbials=_split(
        """火曜日に | 月曜日の夜遅くに | 長い議論の末に | 今年三度目に |
        強い反対にもかかわらず | 住民投票なしで | 今月初めに | 声明の中で | 夏休み前に |
        数か月の協議の後で"""
    ),
    joins=_split("が、 | 一方で、 | また、"),
    statements=_split("{role}の{name}氏によると、 | {name}氏は記者団に対し、"),
    roles=_split("市の広報担当 | 組合の委員長 | 主任技師 | 最高経営責任者 | 大学の経済学者"),
    first_names=_split("花子 | 太郎 | 美咲 | 健一 | 陽子 | 大輔 | 由美 | 翔太"),
    last_names=_split("佐藤 | 鈴木 | 高橋 | 田中 | 渡辺 | 伊藤 | 山本 | 中村"),
    places=_split("北浜市 | 南川町 | 青葉台 | 白石港 | 桜丘 | 東山村"),
    months=_split("1月|2月|3月|4月|5月|6月|7月|8月|9月|10月|11月|12月"),
    sections=(
        ("politics", "政治"),
        ("economy", "経済"),
        ("local", "地域"),
        ("world", "国際"),
        ("sports", "スポーツ"),
        ("culture", "文化"),
    ),
    ui={
        "in_place": "{place}で",
        "by_percent": "{n}パーセント",
        "by": "記者：",
        "home": "トップ",
        "search": "検索",
        "menu": "メニュー",
        "published": "公開",
        "updated": "更新",
        "video": "動画",
        "videos": "動画",
        "events": "イベント",
        "calendar": "イベントカレンダー",
        "page": "ページ",
        "next": "次のページ",
        "previous": "前のページ",
        "results_for": "検索結果：",
        "results_count": "{n}件",
        "topic": "トピック",
        "topics": "トピックス",
        "archive": "アーカイブ",
        "all_stories": "すべての記事",
        "author_stories": "{name}の記事",
        "about": "会社概要",
        "contact": "お問い合わせ",
        "privacy": "プライバシーポリシー",
        "terms": "利用規約",
        "rights": "無断転載を禁じます。",
        "minutes": "{n}分",
        "venue": "会場",
        "free_entry": "入場無料",
        "latest": "最新",
        "watch": "見る",
        "follow": "フォロー",
        "date": "{year}年{month}{day}日",
        "date_short": "{year}/{month}/{day}",
    },
    spaced=False,
    subject_first=False,
)

LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (EN, DE, ES, FR, JA)}
# Languages a world's sites are written in; Japanese only when asked for (CJK is separate work).
DEFAULT_LANGUAGES = ("en", "de", "es", "fr")
