"""The invented news stories of the demo world, as plain data (all text written for this project).

Places, people and events are fictional. Wire stories are written once here and carried by
other sites through :func:`edited`, which applies the light edits subeditors make.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Story:
    """One article's editorial content, independent of the site template that shows it."""

    key: str
    title: str
    description: str
    paragraphs: tuple[str, ...]
    caption: str
    image: str  # file name under the site's /images/
    authors: tuple[str, ...]
    published: str  # ISO 8601 with offset
    modified: str | None
    section: str  # section slug on the site that runs it
    tags: tuple[str, ...]


def edited(
    story: Story,
    *,
    key: str,
    title: str,
    dateline: tuple[str, str] | None = None,
    drop: tuple[int, ...] = (),
    add: tuple[tuple[int, str], ...] = (),
    words: tuple[tuple[str, str], ...] = (),
    **changes: object,
) -> Story:
    """Return a syndicated copy of ``story`` with a subeditor's light edits.

    ``dateline`` replaces the opening of the first paragraph, ``drop`` removes paragraphs by index,
    ``add`` inserts ``(index, text)`` paragraphs, ``words`` replaces phrases. Raises ValueError
    when an edit does not apply, so the copy can never silently equal the original.
    """
    paragraphs = list(story.paragraphs)
    if dateline is not None:
        old, new = dateline
        if not paragraphs[0].startswith(old):
            raise ValueError(f"{key}: first paragraph does not start with {old!r}")
        paragraphs[0] = new + paragraphs[0][len(old) :]
    for old, new in words:
        hits = [i for i, text in enumerate(paragraphs) if old in text]
        if len(hits) != 1:
            raise ValueError(f"{key}: {old!r} found in {len(hits)} paragraphs, expected 1")
        paragraphs[hits[0]] = paragraphs[hits[0]].replace(old, new)
    for index in sorted(drop, reverse=True):
        del paragraphs[index]
    for index, text in sorted(add):
        paragraphs.insert(index, text)
    return replace(story, key=key, title=title, paragraphs=tuple(paragraphs), **changes)


# -- Continental Press Agency (wire) --------------------------------------------------------------

GRID_FUND = Story(
    key="grid-fund",
    title="EU energy ministers agree 40-billion-euro fund for cross-border power lines",
    description=(
        "The fund will pay for up to 60 interconnectors by 2032, but southern states say the "
        "money comes too slowly."
    ),
    paragraphs=(
        "BRUSSELS, March 12 (CPA) — European Union energy ministers on Wednesday agreed to create "
        "a 40-billion-euro fund to pay for new high-voltage lines between member states, ending "
        "nearly two years of argument over who should bear the cost of a more connected power "
        "grid.",
        "The Cross-Border Grid Facility will offer loans and grants for up to 60 interconnector "
        "projects between now and 2032, with priority given to links that bring wind and solar "
        "power from the coasts and the south to the industrial regions in the centre of the "
        "continent.",
        "“For too long we have built a single market for electricity on paper and twenty-seven "
        "separate grids in reality,” said Marta Ilves, the energy minister of the country holding "
        "the rotating Council presidency. “Today we agreed to pay for the wires that make the "
        "market real.”",
        "Under the deal, half of the money will come from the EU budget and half from the European "
        "Investment Bank, which will lend at reduced rates to grid operators. Projects must show "
        "that they cut the price gap between neighbouring markets by at least ten percent to "
        "qualify.",
        "Engineers have long warned that Europe's grid is not ready for the amount of renewable "
        "power now being built. On windy days, operators in the north regularly pay wind farms to "
        "stop producing because there is no line to carry the power south, while gas plants keep "
        "running a few hundred kilometres away.",
        "Several southern governments had pushed for a larger fund and faster payments. Diplomats "
        "said the compromise, reached shortly after midnight, included a review clause that allows "
        "the fund to grow in 2028 if the first projects are delivered on time.",
        "“It is a good start, but it is only a start,” said Paolo Ferrante, a deputy minister who "
        "led the southern group in the talks. “Sixty lines will not be enough if every project "
        "takes ten years to get a permit.”",
        "The European Commission is expected to publish rules for faster permitting of grid "
        "projects before the summer. Industry groups welcomed the fund but said planning delays, "
        "rather than money, were the main reason new lines were not being built.",
        "Environmental organisations broadly supported the agreement, although some criticised a "
        "provision that allows part of the money to be spent on lines that also carry power from "
        "gas plants during a transition period.",
        "The deal still needs the formal approval of the European Parliament, which is expected to "
        "vote on it in May. Officials said the first calls for projects could open in the autumn.",
    ),
    caption=(
        "Energy ministers arrive for talks at the Council building in Brussels on Wednesday. "
        "(Photo: CPA/Jonas Reiter)"
    ),
    image="grid-ministers.jpg",
    authors=("Anja Lindqvist",),
    published="2025-03-12T09:40:00+01:00",
    modified="2025-03-12T11:15:00+01:00",
    section="europe",
    tags=("energy", "eu"),
)

ASTEROID_ICE = Story(
    key="asteroid-ice",
    title="Astronomers detect water ice on the surface of a distant asteroid",
    description=(
        "Observations of the asteroid Ingrith suggest ice can survive far longer than expected in "
        "the outer asteroid belt."
    ),
    paragraphs=(
        "GENEVA, March 10 (CPA) — Astronomers have found clear signs of water ice on the surface "
        "of an asteroid in the outer part of the main belt, a discovery that suggests frozen water "
        "may be far more common among the small bodies between Mars and Jupiter than scientists "
        "had assumed.",
        "The team, led by researchers at the Halden Observatory, used a large ground-based "
        "telescope and an infrared spectrograph to study sunlight reflected from the asteroid "
        "Ingrith, a dark object about 90 kilometres across. The light showed a narrow absorption "
        "feature at a wavelength of three micrometres, the fingerprint of crystalline ice.",
        "“We expected to see water locked up in minerals, as we have on many asteroids,” said "
        "Sofia Marchetti, the study's lead author. “What we did not expect was ice sitting on the "
        "surface, exposed to sunlight, on an object this close to the Sun.”",
        "Ice on the surface of a body at that distance should turn to vapour within a few thousand "
        "years. The researchers think it is being replenished from below, perhaps when small "
        "impacts expose fresh material, or that the asteroid only recently arrived in its present "
        "orbit.",
        "The findings, published on Monday in a peer-reviewed astronomy journal, add to evidence "
        "that the boundary between asteroids and comets is less sharp than textbooks suggest. "
        "Several objects in the main belt have already been seen to release dust like comets when "
        "they pass closest to the Sun.",
        "Other scientists welcomed the study but urged caution. Henrik Aaltonen, a planetary "
        "scientist who was not involved in the work, said the signal was convincing but that the "
        "amount of ice could not yet be measured. “It could be a thin frost or a thick layer. Only "
        "a spacecraft can tell us which,” he said.",
        "The question matters for understanding how Earth got its water. One long-standing theory "
        "holds that much of it was delivered by icy asteroids early in the history of the solar "
        "system, and every new icy body found in the belt makes that theory more plausible.",
        "The team plans to observe Ingrith again in September, when it will be better placed in "
        "the night sky, to look for changes in the ice signal as the asteroid rotates. They have "
        "also asked for time on a space telescope to search for a faint cloud of water vapour "
        "around it.",
    ),
    caption=(
        "An artist's impression of the asteroid Ingrith released by the observatory team. "
        "(Image: Halden Observatory/CPA)"
    ),
    image="ingrith.jpg",
    authors=("Lena Marsh",),
    published="2025-03-10T16:20:00+01:00",
    modified=None,
    section="science",
    tags=("space",),
)

VARNE_FLOOD = Story(
    key="varne-flood",
    title="Storm Ilse floods river towns as the Varne bursts its banks",
    description=(
        "Hundreds of homes were evacuated overnight and rail services between Estover and the "
        "coast were suspended."
    ),
    paragraphs=(
        "MARROW, March 13 (CPA) — Hundreds of people were evacuated from their homes overnight "
        "after the river Varne burst its banks in several towns, as Storm Ilse brought more than "
        "a month's rain in less than two days to the Linden Valley.",
        "Emergency services said about 640 homes in Marrow and the neighbouring village of Holtby "
        "were flooded, some to a depth of more than a metre. No deaths were reported, but two "
        "people were taken to hospital with hypothermia after being rescued from a car that was "
        "swept off a flooded road near Holtby.",
        "“The water came up faster than anyone here has ever seen,” said Greta Lindahl, 71, who "
        "was taken from her house by boat shortly before dawn. “By the time we had carried the "
        "photographs upstairs, the kitchen was under water.”",
        "The regional rail operator suspended all services between Estover and the coast after "
        "water covered the line at two points, and said trains were unlikely to run before "
        "Saturday. Several main roads in the valley were closed, and schools in Marrow will stay "
        "shut until Monday.",
        "The national weather service said the storm was moving slowly east and issued its "
        "highest level of flood warning for the lower Varne until Friday evening. The river at the "
        "Marrow gauge peaked at 4.8 metres on Thursday morning, the highest level since records "
        "began in 1952.",
        "Army engineers were sent to reinforce flood barriers at Estover, the largest town in the "
        "valley, where the river was still rising on Thursday afternoon. “The barriers are "
        "holding, and we are doing everything we can to keep it that way,” said the county's "
        "emergency coordinator, Ivo Kessler.",
        "Insurers said it was too early to estimate the cost of the damage, but warned that claims "
        "would be high because many of the affected homes had been built on the flood plain since "
        "the 1970s.",
        "Climate scientists have warned that heavy rain events in the region are becoming more "
        "frequent. A government review published last year found that spending on flood defences "
        "in the valley had not kept pace with new building on land at risk of flooding.",
    ),
    caption=(
        "Firefighters help residents leave a flooded street in Marrow on Thursday. "
        "(Photo: CPA/Tobias Brenner)"
    ),
    image="marrow-flood.jpg",
    authors=("Tobias Brenner",),
    published="2025-03-13T10:05:00+01:00",
    modified="2025-03-13T15:30:00+01:00",
    section="europe",
    tags=("weather", "flooding"),
)

RATES_HOLD = Story(
    key="rates-hold",
    title="Central bank holds interest rates at 2.5 percent, signals cut in June",
    description=(
        "Policymakers said inflation was falling as expected but wanted more evidence that wage "
        "growth was slowing."
    ),
    paragraphs=(
        "PORT ALDER, March 11 (CPA) — The central bank kept its main interest rate at 2.5 percent "
        "on Tuesday, as expected, but gave its clearest signal yet that borrowing costs could "
        "start to fall in June if inflation keeps easing.",
        "Governor Elin Sørby told reporters that the nine members of the monetary policy "
        "committee had agreed unanimously to hold rates, the fourth meeting in a row without a "
        "change. Consumer prices rose 2.9 percent in the year to February, down from a peak of "
        "7.4 percent two years ago.",
        "“We are not there yet, but we can see the target from here,” Sørby said. “If the next "
        "three months look like the last three, the committee will be in a position to lower "
        "rates at its June meeting.”",
        "The bank's new forecasts show inflation returning to its two percent target in the "
        "first half of next year, slightly earlier than it predicted in December. Economic growth "
        "is expected to be a modest 1.1 percent this year, held back by weak exports and cautious "
        "spending by households.",
        "Policymakers remain worried about wages, which are still rising by more than four "
        "percent a year. The bank said that pay settlements in the spring would be an important "
        "test of whether price pressures in the service sector were fading.",
        "Financial markets had already priced in a cut by the summer, and the currency moved "
        "little after the announcement. Yields on two-year government bonds fell slightly, while "
        "shares in the country's largest banks were flat in afternoon trading.",
        "Business groups urged the bank to act sooner. “Firms have waited a long time for relief "
        "on borrowing costs, and investment plans are on hold across manufacturing,” said Karin "
        "Holm of the national chamber of commerce.",
        "Unions, by contrast, said the bank should not be in a hurry to declare victory while "
        "many families were still struggling with high rents and food prices. The next rate "
        "decision is due on April 29.",
    ),
    caption=(
        "Governor Elin Sørby arrives for the rate announcement in Port Alder on Tuesday. "
        "(Photo: CPA/Mara Jensen)"
    ),
    image="sorby.jpg",
    authors=("Pieter van Dam",),
    published="2025-03-11T13:30:00+01:00",
    modified=None,
    section="economy",
    tags=("interest-rates", "economy"),
)

RAIL_STRIKE = Story(
    key="rail-strike",
    title="Rail unions call 48-hour strike over night-shift rosters",
    description=(
        "Drivers and signal staff will walk out on March 27 and 28 unless talks on new rosters "
        "resume."
    ),
    paragraphs=(
        "PORT ALDER, March 14 (CPA) — Rail unions on Friday called a 48-hour national strike for "
        "later this month, escalating a dispute over new night-shift rosters that they say would "
        "force drivers and signal staff to work more consecutive nights.",
        "The two largest rail unions said their members would walk out from 4 a.m. on March 27 "
        "until 4 a.m. on March 29. Both unions said more than 80 percent of members who voted in "
        "a ballot this month backed industrial action, on a turnout of around 70 percent.",
        "The state railway company wants to introduce rosters that would allow staff to be "
        "scheduled for up to six night shifts in a row, up from four, as it expands overnight "
        "freight services. Management says the change is needed to run more goods trains without "
        "hiring hundreds of extra staff.",
        "“Nobody is asking for more money. We are asking not to be made dangerously tired,” said "
        "Jonas Ek, general secretary of the drivers' union. “A tired driver at the controls of a "
        "freight train at three in the morning is a risk to everyone.”",
        "The railway said safety rules on rest periods would continue to apply and that the new "
        "rosters had been reviewed by the rail safety regulator. It said it was ready to resume "
        "talks at any time and called the strike dates disproportionate.",
        "If it goes ahead, the strike would halt almost all passenger trains for two days and "
        "disrupt deliveries to ports and factories. The last national rail strike, in 2022, cost "
        "the economy an estimated 90 million euros a day, according to the employers' federation.",
        "The transport ministry urged both sides to return to the negotiating table and said it "
        "would not intervene in what it called a dispute between an employer and its staff. "
        "Opposition parties called on the government to appoint a mediator.",
        "Passenger groups advised travellers with plans for the last week of March to check "
        "their journeys and said ticket holders should be entitled to full refunds if their "
        "trains are cancelled.",
    ),
    caption=(
        "A freight train passes through the central station in Port Alder. (Photo: CPA/Mara Jensen)"
    ),
    image="freight-train.jpg",
    authors=("Pieter van Dam",),
    published="2025-03-14T12:10:00+01:00",
    modified=None,
    section="economy",
    tags=("transport", "strikes"),
)

CHESS_TITLE = Story(
    key="chess-title",
    title="Sixteen-year-old Ksenia Volk wins European rapid chess title",
    description=(
        "The youngest champion in the event's history beat three grandmasters on the final day."
    ),
    paragraphs=(
        "LJUBLJANA, March 9 (CPA) — Ksenia Volk, a 16-year-old from Port Alder, won the European "
        "rapid chess championship on Sunday, becoming the youngest player to take the title since "
        "the event was first held more than two decades ago.",
        "Volk finished with nine and a half points from eleven games, half a point ahead of a "
        "group of four players that included two former champions. She beat three grandmasters "
        "on the final day, including the top seed, who lost on time in a position that computer "
        "analysis showed was still level.",
        "“I did not look at the standings until the last round because I knew it would make me "
        "nervous,” Volk said after the closing ceremony. “I just tried to play good moves quickly "
        "and trust my preparation.”",
        "Rapid chess gives each player fifteen minutes for the whole game plus ten seconds for "
        "each move, which rewards quick calculation and strong nerves. More than 400 players from "
        "38 countries took part in the three-day tournament.",
        "Volk learned the game at the age of six at a library club in her home city and became an "
        "international master last year. Her coach, Viktor Anand-Berg, said she trained for "
        "around five hours a day while keeping up with her school work.",
        "“What makes Ksenia special is not her openings or her endgames,” he said. “It is that "
        "she is never afraid. She will go into a complicated position against anyone.”",
        "The win lifts her into the top 50 women in the world on the rapid rating list and earns "
        "her a place in the world rapid championship in December. She is also expected to be "
        "selected for the national team at the Olympiad later this year.",
        "Her school in Port Alder said pupils had followed the final round on a big screen in the "
        "sports hall and would hold a reception for her when she returns home on Tuesday.",
    ),
    caption=(
        "Ksenia Volk during her final-round game in Ljubljana on Sunday. (Photo: CPA/Nika Zupan)"
    ),
    image="volk.jpg",
    authors=("Nika Zupan",),
    published="2025-03-09T19:45:00+01:00",
    modified=None,
    section="sport",
    tags=("chess",),
)

# -- The Daily Courier ----------------------------------------------------------------------------

FERRY_SAFETY = Story(
    key="ferry-safety",
    title="Varga urges overhaul of ferry safety rules after Kestrel Sound grounding",
    description=(
        "The transport minister wants new inspection powers and a single safety authority for "
        "all passenger vessels."
    ),
    paragraphs=(
        "PORT ALDER: Transport Minister Helena Varga on Wednesday called for an urgent overhaul "
        "of the rules that govern passenger ferries, stressing the need for unannounced "
        "inspections, stronger penalties for operators and a single authority responsible for "
        "the safety of every vessel that carries the public.",
        "Addressing ferry operators, port officials and coastguard commanders at the close of a "
        "two-day safety conference, she said the grounding of the ferry Kestrel Sound last month "
        "had exposed gaps that could no longer be ignored.",
        "“Our ferries are among the safest ways to travel in this country,” she said, adding, "
        "“but safety is not something we inherit. It is something we have to earn on every "
        "crossing.”",
        "The Kestrel Sound ran aground on a sandbank near the island of Ness with 212 passengers "
        "on board. All were taken off safely, but an initial investigation found that a repair "
        "to the ship's steering system had been signed off without being tested at sea.",
        "Varga said responsibility for ferry safety was currently split between three agencies, "
        "which meant that problems noticed by one were not always passed on to the others. She "
        "proposed merging their inspection teams into a single maritime safety authority by the "
        "end of next year.",
        "The minister also set out five principles for the reform, including unannounced "
        "inspections, public reports on every serious incident, minimum training hours for "
        "crews, fines linked to an operator's turnover and a confidential line for crew members "
        "to report concerns.",
        "Operators gave the plans a cautious welcome. The ferry owners' association said it "
        "supported a single regulator but warned that extra inspections must not lead to "
        "cancelled sailings for the island communities that depend on them.",
        "Varga ended on a firm note: “Every family that boards a ferry should be able to trust "
        "that someone has checked, and checked again. That is the promise we intend to keep.”",
        "The proposals will be published for consultation next month, ahead of a bill that the "
        "government hopes to present to parliament before a regional ports summit scheduled for "
        "Port Alder later this year.",
    ),
    caption=(
        "Transport Minister Helena Varga addressing a news conference in this undated picture. "
        "— Courier/Files"
    ),
    image="varga.jpg",
    authors=("Staff Reporter",),
    published="2025-03-12T21:10:00+01:00",
    modified=None,
    section="news",
    tags=("transport", "ferries"),
)

TRAM_EXTENSION = Story(
    key="tram-extension",
    title="City council approves tram extension to Port Alder airport",
    description=(
        "The 7-kilometre line will link the central station with the airport terminal by 2029."
    ),
    paragraphs=(
        "Port Alder's city council on Tuesday night approved a 7-kilometre extension of the tram "
        "network to the airport, ending a decade of debate about how to connect the city's "
        "fastest-growing district to its public transport system.",
        "The vote, 41 to 18, came after a six-hour meeting in which councillors heard from "
        "residents of the Eastfield estate, where the new line will run along the old canal "
        "towpath, and from business owners in the airport's freight zone.",
        "The extension will add six stops between the central station and the airport terminal, "
        "including two in Eastfield and one at the new hospital campus. Trams will run every "
        "six minutes at peak times, and the journey from the city centre will take 19 minutes.",
        "“This is the most important transport decision this council has made in a generation,” "
        "said Deputy Mayor Farid Osei, who chairs the transport committee. “For the first time, "
        "people in Eastfield will have a fast, reliable way to get to work, to hospital and to "
        "the rest of the city.”",
        "The project is expected to cost 410 million euros, of which the national government "
        "will pay 60 percent. Construction is due to start next spring and the line should open "
        "in 2029, although council officials admitted the timetable depended on finding a "
        "contractor quickly.",
        "Opposition councillors said the cost estimate was optimistic and that the money would "
        "be better spent on buses, which could be introduced far sooner. Several Eastfield "
        "residents also raised concerns about noise and the loss of trees along the towpath.",
        "Council officials said 140 trees would be felled but that more than 400 would be planted "
        "along the route, and that the trams would be quieter than the diesel buses they "
        "replace. A public exhibition on the final design will open at the central library next "
        "month.",
        "The airport, which handled 6.2 million passengers last year, welcomed the decision and "
        "said it would contribute to the cost of the terminal stop.",
    ),
    caption=("A tram crosses the Harbour Bridge in central Port Alder. — Courier/Miriam Okafor"),
    image="tram-bridge.jpg",
    authors=("Miriam Okafor",),
    published="2025-03-11T23:05:00+01:00",
    modified="2025-03-12T08:30:00+01:00",
    section="news",
    tags=("transport", "city-council"),
)

BAKERY_CHAIN = Story(
    key="bakery-chain",
    title="Harbourside bakery chain to open eight shops as flour costs ease",
    description=(
        "Crumb & Co says lower wheat prices and busier high streets justify its biggest "
        "expansion in ten years."
    ),
    paragraphs=(
        "Crumb & Co, the Port Alder bakery chain that began as a single shop on the harbourside in "
        "1987, plans to open eight new branches this year, its biggest expansion in a decade, as "
        "falling flour prices ease the pressure on its margins.",
        "The family-owned company, which employs 310 people in 22 shops, said the new branches "
        "would create about 120 jobs. Four will open in the capital, two in Estover and two in "
        "towns along the northern coast.",
        "“Two years ago we were paying almost twice as much for flour as we are now, and we "
        "seriously talked about closing shops,” said managing director Ines Carvalho, the "
        "founder's granddaughter. “Today our costs are back to something we can plan around.”",
        "Wholesale wheat prices have fallen by more than a third from their peak, helped by good "
        "harvests and lower energy costs. Electricity for the ovens remains the company's "
        "second-largest expense after wages, Carvalho said, and the new shops will have heat "
        "pumps and solar panels on their roofs.",
        "The chain's sales rose 9 percent last year to 28 million euros, according to accounts "
        "filed this week, while profits more than doubled to 1.6 million euros after two "
        "difficult years.",
        "Carvalho said busier high streets had also played a part. Footfall in Port Alder's main "
        "shopping streets has recovered to pre-pandemic levels, according to the city's business "
        "association, as more office workers return to the centre for at least part of the week.",
        "Not every baker has been so fortunate. The national bakers' federation said 140 "
        "independent bakeries closed last year, many of them unable to pass higher costs on to "
        "customers in smaller towns.",
        "Crumb & Co will also open a training school for apprentice bakers at its central "
        "bakery in the docks district in September, with places for 24 students a year.",
    ),
    caption=(
        "Bakers prepare loaves at the Crumb & Co central bakery in the docks district. "
        "— Courier/Tomás Reyes"
    ),
    image="crumb-bakery.jpg",
    authors=("Tomás Reyes",),
    published="2025-03-13T07:00:00+01:00",
    modified=None,
    section="business",
    tags=("retail", "food"),
)

STRIKE_EXPLAINER = Story(
    key="strike-explainer",
    title="Rail strike: what it means for your journey and how to get a refund",
    description=(
        "Which services are affected, whether buses will run and what you are owed if your "
        "train is cancelled."
    ),
    paragraphs=(
        "If you are planning to travel by train in the last week of March, you should expect "
        "serious disruption. Here is what we know so far about the strike and how it could "
        "affect your plans.",
        "The walkout is planned to last two full days, from early on Thursday March 27 until "
        "early on Saturday March 29. Because drivers and signal staff are both involved, the "
        "railway has warned that it cannot promise to run any passenger trains at all on those "
        "days.",
        "Trains on the evening of Wednesday March 26 may also finish earlier than usual, because "
        "carriages need to be back in their depots before the strike begins. The first trains on "
        "Saturday morning are likely to be delayed for the same reason.",
        "Port Alder's trams and city buses are run by the municipal transport company and are "
        "not affected, although they are expected to be much busier than normal. The city says "
        "it will add extra buses on the routes that run parallel to the suburban rail lines.",
        "If your train is cancelled, you are entitled to a full refund, including for advance "
        "tickets that are normally not refundable. Season ticket holders can claim back the "
        "value of the days they cannot travel. Claims can be made at station ticket offices or "
        "online for up to 28 days after the strike.",
        "Long-distance coach operators say they have added departures between the capital, "
        "Estover and the northern coast, but several were already close to fully booked on "
        "Friday. Car-sharing platforms reported a sharp rise in searches for the strike dates.",
        "Employers' groups have asked businesses to let staff work from home where they can. "
        "Schools and hospitals have been told to plan for staff who may arrive late or be unable "
        "to travel at all.",
        "It is still possible that the strike will be called off if talks between the unions "
        "and the railway resume this week. We will update this article as soon as there is "
        "news.",
    ),
    caption=(
        "Commuters on a platform at Port Alder central station on Friday morning. "
        "— Courier/Miriam Okafor"
    ),
    image="platform.jpg",
    authors=("Miriam Okafor",),
    published="2025-03-14T17:25:00+01:00",
    modified=None,
    section="news",
    tags=("transport", "strikes"),
)

# -- Valley Herald ---------------------------------------------------------------------------------

SANDBAGS = Story(
    key="sandbags",
    title="Volunteers fill 5,000 sandbags as Estover waits for the Varne to peak",
    description=(
        "More than 200 people answered the council's call for help in the leisure centre car park."
    ),
    paragraphs=(
        "ESTOVER — By late Thursday afternoon, the car park behind the Estover leisure centre had "
        "become a production line. Volunteers in waterproofs shovelled sand from a lorry into "
        "bags, tied them off and passed them along a chain of hands to a row of waiting pick-up "
        "trucks.",
        "More than 200 people turned up after the town council asked for help on social media at "
        "lunchtime, and by the evening they had filled about 5,000 sandbags for homes and shops "
        "along Riverside Walk and Mill Lane, the streets closest to the Varne.",
        "“I saw the pictures from Marrow this morning and thought, that could be us tomorrow,” "
        "said Amira Haddad, who closed her hairdressing salon on Bridge Street for the afternoon "
        "to help. “You cannot just sit at home and watch the river.”",
        "Among the volunteers were pupils from Estover Academy, members of the rugby club and a "
        "group of retired engineers who used to work at the old paper mill. Several local cafés "
        "sent soup and sandwiches, and the leisure centre kept its changing rooms open so people "
        "could dry off.",
        "The river in the town centre was about forty centimetres below the top of the flood wall "
        "on Thursday evening. Army engineers spent the day adding temporary barriers on top of "
        "the wall near the footbridge, which is the lowest point of the defences.",
        "“The barriers are holding, and we are doing everything we can to keep it that way,” said "
        "Ivo Kessler, the county's emergency coordinator, who visited the sandbag station in the "
        "early evening. He thanked the volunteers and asked people not to walk along the "
        "riverbank or cross the footbridge until further notice.",
        "The council said sandbags would be delivered first to homeowners on the streets at "
        "highest risk. Others can collect up to six bags each from the leisure centre car park "
        "until 10pm, or from the fire station on Bridge Street overnight.",
        "For many older residents, the scene brought back memories of 1998, when the river last "
        "came over the wall and flooded more than 300 homes in the town. “We said then it would "
        "never happen again,” said Alan Pryce, 78. “Let's hope we were right.”",
    ),
    caption=(
        "Volunteers pass sandbags along a human chain at the Estover leisure centre on Thursday. "
        "Photo: Valley Herald/Sam Okoye"
    ),
    image="sandbags.jpg",
    authors=("Daniela Pereira",),
    published="2025-03-13T19:40:00+01:00",
    modified=None,
    section="local",
    tags=("flooding", "estover"),
)

ROBOTICS = Story(
    key="robotics",
    title="Estover Academy team wins national school robotics final",
    description=(
        "Five pupils built a robot that sorts recycling faster than any other entry in the "
        "competition."
    ),
    paragraphs=(
        "A team of five pupils from Estover Academy has won the national schools robotics "
        "championship with a machine that sorts household recycling, beating 47 other schools "
        "in a final held at the technical university in Port Alder on Saturday.",
        "The robot, which the team named Magpie, uses a camera and a small neural network that "
        "the pupils trained themselves to tell apart cans, plastic bottles, glass and paper. A "
        "pair of arms made from bicycle parts and 3D-printed joints then drops each item into "
        "the right bin.",
        "In the final round, Magpie sorted 60 mixed items in just under four minutes with only "
        "two mistakes, a score the judges said was the best they had seen in the competition's "
        "twelve-year history.",
        "“We lost a whole weekend because it kept putting yoghurt pots in the glass bin,” said "
        "team captain Priya Nair, 17. “In the end we took hundreds more photos of yoghurt pots "
        "and retrained it. It has not made that mistake since.”",
        "The team, all in their final two years at the school, worked on the robot at lunchtimes "
        "and after school for six months. Their physics teacher, Martin Kowalczyk, said the "
        "pupils had done almost all of the work themselves.",
        "“My job was mostly to find them a room and to make sure they went home before the "
        "caretaker locked up,” he said. “They designed it, built it, broke it and fixed it again "
        "more times than I can count.”",
        "The win comes with a prize of 5,000 euros for the school's science department and a "
        "place at the international finals in Singapore in July. The school has started a "
        "crowdfunding page to help pay for the trip.",
        "The county's waste company has also invited the team to show Magpie to engineers at its "
        "sorting plant in Holtby, where most of the valley's recycling is processed.",
    ),
    caption=(
        "Priya Nair and her teammates with their robot Magpie after the final on Saturday. "
        "Photo: Valley Herald/Ruth Calloway"
    ),
    image="magpie-robot.jpg",
    authors=("Ruth Calloway",),
    published="2025-03-10T12:00:00+01:00",
    modified=None,
    section="local",
    tags=("schools", "estover"),
)

GOODS_SHED_MARKET = Story(
    key="goods-shed-market",
    title="Farmers' market to move into Estover's restored railway goods shed",
    description=(
        "The Saturday market will have a roof over its head for the first time in its 30-year "
        "history."
    ),
    paragraphs=(
        "Estover's Saturday farmers' market will move into the town's restored railway goods "
        "shed from May, giving its stallholders a permanent roof for the first time since the "
        "market began in a school playground thirty years ago.",
        "The brick shed, built in 1889 to store grain and timber arriving by train, stood empty "
        "for more than forty years after the goods yard closed. A community trust bought it from "
        "the railway for one euro in 2019 and has spent five years repairing the roof, walls and "
        "cast-iron columns.",
        "“For thirty years we have been at the mercy of the weather,” said market chair Hanna "
        "Lund, who sells cheese from her family's farm near Holtby. “On a wet day in February we "
        "could have six stalls and a few brave customers. Now we can plan for the whole year.”",
        "The shed has room for 45 stalls, almost twice as many as the market has now, and the "
        "trust says it has already received applications from bakers, growers and craft "
        "producers from across the valley. A café and public toilets will open in the old "
        "weighbridge office next to the entrance.",
        "The restoration cost 1.9 million euros, most of it from a national heritage fund, with "
        "the rest raised locally through donations, concerts and a sponsored walk along the old "
        "railway line.",
        "Some traders in the town centre had worried that moving the market away from the high "
        "street would take customers with it. The trust said it would run a free shuttle bus "
        "from the market square on Saturdays and signpost a walking route through the park.",
        "The first market in the goods shed will be held on May 3, with an opening ceremony and "
        "a brass band. The trust is still looking for volunteers to help on the day.",
    ),
    caption=(
        "The restored goods shed in Estover, which will host the farmers' market from May. "
        "Photo: Valley Herald/Sam Okoye"
    ),
    image="goods-shed.jpg",
    authors=("Sam Okoye",),
    published="2025-03-08T09:30:00+01:00",
    modified=None,
    section="local",
    tags=("estover", "food"),
)

# -- Syndicated copies: the same wire story, lightly edited by the sites that carry it ------------

GRID_FUND_COURIER = edited(
    GRID_FUND,
    key="grid-fund@daily-courier",
    title="Europe backs €40bn plan to link national power grids",
    dateline=("BRUSSELS, March 12 (CPA) — ", "BRUSSELS: "),
    drop=(8,),
    section="world",
    published="2025-03-12T13:00:00+01:00",
    modified=None,
)

GRID_FUND_HERALD = edited(
    GRID_FUND,
    key="grid-fund@valley-herald",
    title="Brussels agrees grid fund that could pay for the valley's power line",
    dateline=("BRUSSELS, March 12 (CPA) — ", "BRUSSELS (CPA) — "),
    words=(("operators in the north regularly pay", "operators in the north often pay"),),
    add=(
        (
            10,
            "County officials hope the long-planned Estover–Marrow interconnector, which would "
            "carry power from the valley's hill wind farms, will be among the first projects.",
        ),
    ),
    section="region",
    published="2025-03-12T15:45:00+01:00",
    modified=None,
)

ASTEROID_ICE_COURIER = edited(
    ASTEROID_ICE,
    key="asteroid-ice@daily-courier",
    title="Ice found on asteroid surface surprises scientists",
    dateline=("GENEVA, March 10 (CPA) — ", "GENEVA: "),
    words=(
        ("Other scientists welcomed the study", "Other scientists praised the study"),
        ("the fingerprint of crystalline ice", "the signature of crystalline ice"),
    ),
    section="world",
    published="2025-03-10T19:00:00+01:00",
    modified=None,
)

# Carried word for word: only the headline and the site around it differ (an exact duplicate).
ASTEROID_ICE_HERALD = edited(
    ASTEROID_ICE,
    key="asteroid-ice@valley-herald",
    title="Water ice spotted on faraway asteroid",
    section="region",
    published="2025-03-11T08:15:00+01:00",
)

VARNE_FLOOD_HERALD = edited(
    VARNE_FLOOD,
    key="varne-flood@valley-herald",
    title="Marrow and Holtby under water as Storm Ilse hits the valley",
    dateline=("MARROW, March 13 (CPA) — ", "MARROW (CPA) — "),
    words=(("two days to the Linden Valley", "two days to our valley"),),
    add=(
        (
            4,
            "A rest centre for evacuated families has been opened at Marrow Community Hall on "
            "Station Road, and the county council said anyone who needs a place to stay should "
            "call its emergency line.",
        ),
    ),
    section="local",
    published="2025-03-13T12:20:00+01:00",
    modified=None,
)
