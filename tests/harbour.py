"""The article body the extraction tests build their pages around: four paragraphs of prose."""

BODY = [
    "The harbour board approved the expansion plan on Tuesday after a debate that lasted "
    "well into the evening, with two members voting against the proposal.",
    "Work on the new quay is due to start in the spring and should take about three years, "
    "the board said, adding that the cost would be shared with the region.",
    "Residents had asked for the plan to include a public walkway along the water, which "
    "the final version now does, to the relief of the local associations.",
    "The board's chair said the project would create several hundred jobs during the works "
    "and secure the port's future for the next generation of shipping.",
]

# A longer story, as eight paragraphs of HTML, with the address it is served under.
FERRY_URL = "https://www.harbour-post.example/news/ferry-timetable-changes"
FERRY_BODY = "".join(
    f"<p>Paragraph {n} of the timetable story tells the islanders which crossings the "
    "operator drops in winter and why the council thinks the change breaks its contract.</p>"
    for n in range(8)
)
