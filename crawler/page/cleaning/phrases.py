"""Multilingual phrase patterns that mark non-article lines: related blocks, labels, credits."""

from __future__ import annotations

import re

# Headings that open a block of links to other stories. A line (or an HTML heading) that is
# exactly one of these, give or take punctuation and arrows, starts a block to drop.
RELATED_HEADINGS = (
    # English
    r"related",
    r"related (?:news|stories|story|articles?|content|coverage|posts?|links|topics|reading)",
    r"related videos?",
    r"(?:read|see) (?:more|also|next)",
    r"also (?:read|see|on [\w .'-]{1,40})",
    r"more (?:to read|stories|news|articles|headlines|coverage|reading)",
    r"more (?:from|on|about|in) [\w .,'&-]{1,40}",
    r"more on this (?:story|topic)",
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)",
    r"(?:we|you) recommend",
    r"recommended(?: for you| stories| articles| reading| videos?)?",
    r"(?:most|more) (?:read|popular|viewed|shared|commented)",
    r"trending(?: now| stories| news)?",
    r"(?:our |the )?top stories",
    r"(?:our |the )?latest (?:news|stories|articles|headlines)",
    r"don'?t miss",
    r"editor'?s picks?",
    r"further reading",
    r"in other news",
    r"popular (?:stories|articles|now|posts)",
    r"what to read next",
    r"up next",
    r"keep reading",
    r"around the web",
    r"(?:sponsored|promoted) (?:stories|content|links)",
    # German
    r"lesen sie (?:auch|mehr|hier)",
    r"mehr zum thema(?: [\w .-]{1,30})?",
    r"(?:das )?(?:könnte|dürfte) sie (?:auch )?interessieren",
    r"auch interessant",
    r"weitere (?:artikel|nachrichten|themen|meldungen)",
    r"meistgelesen(?:e artikel)?",
    r"verwandte (?:artikel|themen)",
    r"zum thema",
    r"empfehlungen",
    r"empfohlene (?:beiträge|artikel)",
    r"(?:das|dieses) thema könnte (?:dich|sie) (?:auch )?interessieren",
    r"schon gelesen",
    r"(?:mehr|weitere) themen",
    r"weitere (?:beiträge|artikel|informationen|infos|tipps)(?: [\w .-]{1,40})?",
    r"zum weiterlesen",
    r"lesen sie auch (?:die|diese|den|folgende)[\w ]{0,30}",
    r"vorschau auf den nächsten artikel",
    r"top[- ]themen(?: [\w .-]{1,30})?",
    r"auch auf [\w.-]{1,40}",
    # French
    r"(?:à |a )?lire (?:aussi|également|egalement|la suite)",
    r"sur le même sujet",
    r"voir aussi",
    r"articles? (?:similaires|liés|associés)",
    r"les plus lus",
    r"vous (?:aimerez|pourriez aimer) (?:aussi|également)",
    r"dans la même rubrique",
    r"à voir aussi",
    # Spanish / Portuguese / Italian
    r"le[ae] (?:también|más|tambien)",
    r"(?:le|te) puede interesar",
    r"(?:también|tambien) te puede interesar",
    r"(?:noticias|artículos|articulos|notas) relacionad[oa]s",
    r"relacionad[oa]s?",
    r"lo más (?:leído|visto)",
    r"más noticias",
    r"(?:contenido|artículo|artículos|contenidos) relacionados?",
    r"más sobre [\w .-]{1,40}",
    r"temas(?: relacionados)?",
    r"ver también",
    r"leia (?:também|mais)",
    r"veja (?:também|mais)",
    r"saiba mais",
    r"(?:notícias|matérias) relacionadas",
    r"mais lidas",
    r"leggi (?:anche|pure)",
    r"(?:ti )?potrebbe (?:anche )?interessar(?:ti|e)",
    r"articoli correlati",
    r"(?:i )?più letti",
    # Dutch / Scandinavian / Polish / Czech / Romanian / Turkish / Indonesian
    r"lees (?:ook|meer)",
    r"gerelateerde (?:artikelen|berichten)",
    r"meest gelezen",
    r"läs (?:också|även|mer)",
    r"læs (?:også|mere)",
    r"les (?:også|mer)",
    r"relaterte? (?:saker|artikler)",
    r"czytaj (?:także|też|więcej)",
    r"dowiedz się więcej",
    r"zobacz (?:także|też|również)",
    r"przeczytaj (?:także|też|również)",
    r"čtěte (?:také|též)",
    r"související (?:články|zprávy)",
    r"citește și",
    r"articole similare",
    r"ilgili haberler",
    r"baca juga",
    r"berita terkait",
    # Cyrillic, Arabic, CJK
    r"читайте (?:также|также:|тоже)",
    r"читайте також",
    r"смотрите также",
    r"(?:ещё|еще)? ?по теме",
    r"اقرأ أيضا|اقرأ أيضاً|ذات صلة",
    r"相关(?:新闻|阅读|文章)",
    r"関連記事",
    r"関連キーワード",
    r"おすすめ(?:情報|記事)?",
    r"관련기사",
)

# Prefixes of an inline pointer to another story: "Read more: <headline>", "ALSO READ | ...".
INLINE_PREFIXES = (
    r"read (?:more|also|next)",
    r"also read",
    r"(?:also )?see also",
    r"related(?: \w+)?",
    r"more",
    r"recommended",
    r"most read",
    r"lesen sie (?:auch|mehr)",
    r"mehr zum thema",
    r"auch interessant",
    r"(?:à |a )?lire aussi",
    r"le[ae] (?:también|tambien)",
    r"(?:le|te) puede interesar",
    r"leia (?:também|mais)",
    r"veja também",
    r"leggi anche",
    r"lees ook",
    r"läs (?:också|även)",
    r"czytaj (?:także|też)",
    r"читайте также",
    r"baca juga",
    r"auch lesen",
    r"dowiedz się więcej",
    r"zobacz (?:także|też|również)",
    r"vea (?:también|tambien)",
    r"puedes ver",
    r"(?-i:LEA|LEE|MIRA|MIRE|VEA|VER|WATCH|LISTEN)",
)

# Lines that are only a label of the page furniture.
LABELS = (
    r"advertisements?",
    r"ad(?:vert)?",
    r"sponsored(?: content)?",
    r"(?:the )?(?:story|article) continues (?:below|after) (?:this )?(?:advertisement|ad)",
    r"continue reading(?: below| the (?:main )?story)?",
    r"advertisement[ -]+scroll to continue(?: with content)?",
    r"scroll to continue(?: with content)?",
    r"anzeige",
    r"werbung",
    r"publicidad",
    r"publicité",
    r"pubblicità",
    r"реклама",
    r"share(?: this)?(?: (?:article|story|post|page))?(?: on [\w ]{1,20})?",
    r"share via",
    r"(?:print|email|e-mail|copy link|comments?)(?: (?:this )?(?:article|story|page))?",
    r"(?:order )?reprints?",
    r"an error (?:has )?occurred\W*(?:please try again(?: later)?)?",
    r"https?://\S+\.(?:jpe?g|png|gif|webp|svg)(?:\?\S*)?",  # an image address left as text
    r"follow us(?: on [\w ,&]{1,60})?",
    r"(?:listen|watch)(?: to)? (?:this )?(?:article|story)",
    r"\d+ min(?:ute)?s? read",
    r"(?:facebook|twitter|x|whatsapp|linkedin|pinterest|reddit|telegram|email)",
    r"teilen",
    r"compartir",
    r"partager",
    r"(?:anzeige|werbung|advertisement|sponsored|publicidad)\b.{0,80}",
    r"\*?werbung\b.{0,80}",
    r"(?:lesezeit|lesedauer|reading time|tiempo de lectura|temps de lecture|tempo de leitura)"
    r"\W*\d+.{0,20}",
    r"(?:filed under|tags?|schlagworte|stichworte|etiquetas)\s*:?.{0,60}\|",
    r"ten tekst przeczytasz w .{0,30}",
    r"(?:video|audio) verfügbar bis .{0,30}",
)

# Promotion of the site itself, in any position of a short line: subscriptions, newsletters,
# apps, social accounts, donations, log-in prompts, paywall notices, affiliate disclosures,
# copyright notices. Searched, so the patterns are specific verbs and phrases, never a lone
# word such as "subscription" that news text uses too.
PROMO = (
    r"\bsubscribe (?:now|today|to (?:our|the)|here)",
    r"\bsign(?:ing)? up (?:for|to) (?:our|the) [\w ]{0,20}newsletter",
    r"\bnewsletter (?:today|now|here)\b",
    r"\bsign up here\b",
    r"\b(?:already a subscriber|become a (?:member|subscriber)|to (?:view|read) the full story)",
    r"\bfollow (?:us|[\w .]{1,30}) on (?:twitter|facebook|instagram|x|tiktok|linkedin)",
    r"\bdownload (?:our|the) [\w ]{0,30}app",
    r"\bsupport(?:ing)? (?:our|independent) (?:work|journalism)",
    r"\bconsider supporting\b",
    r"\b(?:you must be|need to be) logged in\b",
    r"\baffiliate[- ]links?\b",
    r"\breferences to products from\b",
    r"\bletter to the editor\b",
    r"\ball rights reserved\b",
    r"\bcopyrighted property\b",
    r"\bthis copy is for your personal,? non-?commercial use\b",
    r"\b(?:jetzt|hier) (?:abonnieren|registrieren|anmelden)",
    r"\bzum newsletter\b",
    r"\bnewsletter (?:anmelden|abonnieren)",
    r"\bfolgen sie uns\b",
    r"\bunterstütze[n]? (?:sie )?(?:uns|unsere|[\w]+ (?:bereits|mit|jetzt))",
    r"\bsie sind (?:aktuell )?nicht eingeloggt",
    r"\bdu musst eingeloggt sein",
    r"\balle rechte vorbehalten\b",
    r"\bsuscr[ií]bete\b",
    r"\bhazte (?:miembro|socio)\b",
    r"\bs[ií]guenos en\b",
    r"\búnete\b",
    r"\btodos los derechos reservados\b",
    r"\babonnez-vous\b",
    r"\bpour (?:lire la suite|accéder en illimité)",
    r"\binscrivez-vous\b",
    r"\btous droits réservés\b",
    r"\bzapraszamy (?:też )?do subskrypcji",
    r"\bchroniony prawem autorskim",
    r"\b(?:in|to) your inbox\b",
    r"\bclick here to get the [\w ]{1,30} app\b",
    r"\bget [\w ]{1,30} on the go by clicking here",
    r"\bif you enjoyed this (?:article|story|post)",
    r"\blike this (?:article|story)\? share it",
    r"\bclick here to read (?:the|more)\b",
    r"\bfor more stories like this\b",
    r"\bgot a story\? (?:get in touch|email)",
    r"\b(?:join our commenting forum|would you like to comment on this)",
    r"\bbefore commenting\b",
    r"\blog in or create an account\b",
    r"\bor sign in now\b",
    r"\bwhatsapp[- ]kanal\b",
    r"\bfolgst du (?:schon|uns)\b",
    r"\bihre meinung ist uns wichtig\b",
    r"\bin unserem (?:liveblog|newsblog|ticker)\b",
    r"\b(?:lesen sie|lest) den originalartikel\b",
    r"\bdieser artikel ist zuerst (?:bei|in|auf)\b",
    r"\bum einen kommentar abzugeben\b",
    r"\bla suite est réservée aux abonnés\b",
    r"\bil vous reste [\d.,]+ ?% de cet article\b",
    r"\bs[óo]lo para suscriptores\b",
    r"\bmay earn (?:us )?(?:an? )?(?:affiliate )?commission\b",
    r"\bich bin damit einverstanden, dass mir (?:der )?externe",
    r"\ban dieser stelle finden sie einen [\w ,]{0,40}externen inhalt",
)
# The patterns are lowercase and searched in the lowercased line: a case-sensitive search is
# about three times faster than an IGNORECASE one over this many alternatives.
PROMO_RE = re.compile("|".join(f"(?:{p})" for p in PROMO))


# Japanese paywall notices ("members only", "register for free", "read all you like"): kept
# apart, since patterns without a word boundary in front slow every search of PROMO_RE.
CJK_PROMO_RE = re.compile("会員限定|無料で会員登録|読み放題")


def is_promo(line: str) -> bool:
    """True when ``line`` promotes the site (subscriptions, newsletters, apps, copyright)."""
    if PROMO_RE.search(line.lower()) is not None:
        return True
    return not line.isascii() and CJK_PROMO_RE.search(line) is not None


def _full(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """Match a whole line made of one pattern, allowing decoration around it."""
    body = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"^[\W_]*(?:{body})[\s.…:!»>›→▶➤\-–—|]*$", re.IGNORECASE)


RELATED_HEADING_RE = _full(RELATED_HEADINGS)
LABEL_RE = _full(LABELS)
_POINTER_BODY = "|".join(f"(?:{p})" for p in INLINE_PREFIXES)
INLINE_POINTER_RE = re.compile(
    rf"^[\W_]*(?:{_POINTER_BODY})\s*(?:[:|»>›→▶➤]|[-–—]\s)\s*\S", re.IGNORECASE
)

# A photo credit on its own or closing a caption: "Photo: Jane Doe/Reuters", "(Image: Getty)",
# "Foto: dpa", "... picture. — APP/Files". CREDIT_START_RE is matched at the start of a line,
# CREDIT_END_RE searched in its last CREDIT_TAIL_CHARS characters only, which keeps both cheap.
# Only trusted on short lines, see text.CREDIT_MAX_WORDS.
CREDIT_START_RE = re.compile(
    r"[(\[]?(?:(?:photos?|images?|pictures?|credits?|fotos?|bild|bildquelle|quelle"
    r"|illustration|photograph|crédits?(?: photos?)?|crédito|source|copyright|titelbild"
    r"|beitragsbild|image illustrative|fotografía)\s*(?:[:©]|by\b|credit\b)|fot\.\s)",
    re.IGNORECASE,
)
CREDIT_END_RE = re.compile(
    r"[—–]\s*[^\W\d_][^/—–]{0,40}(?:/[^/—–]{1,30}){1,3}$"
    r"|[—–]\s*(?:AFP|AP|Reuters|APP|EPA|Getty Images|PTI|ANI|Xinhua|dpa|File|Files)\s*[)\]]?\.?$"
    r"|\((?:photo|image|picture|credit|foto|bild)\s*:[^)]*\)\.?$"
    r"|©\s*\w"
    r"|^[a-z]{2,4}/(?:PAP|AFP|AP|dpa|DPA|EFE|ANSA|APA|KNA|epd|Reuters)$",
    re.IGNORECASE,
)
CREDIT_TAIL_CHARS = 80


def is_credit(line: str) -> bool:
    """True when a line is, or ends with, a photo credit."""
    return bool(CREDIT_START_RE.match(line) or CREDIT_END_RE.search(line[-CREDIT_TAIL_CHARS:]))


# "Published July 1, 2025", "Updated: 12.03.2024 10:15", "Veröffentlicht am ...".
DATE_LINE_RE = re.compile(
    r"^[\W_]*(?:published|updated|posted|last (?:updated|modified)|first published|modified|"
    r"veröffentlicht|aktualisiert|stand|publicado|actualizado|atualizado|publié|mis à jour|"
    r"pubblicato|aggiornato|gepubliceerd|bijgewerkt|opublikowano|zaktualizowano|"
    r"опубликовано|обновлено|letzte änderung|release date|news date|fecha|uppdaterad|publicerad|"
    r"oppdatert|publisert|opdateret|publiceret|güncelleme|yayınlanma)\b.*\d",
    re.IGNORECASE,
)

# Month names and their abbreviations in the languages dates are read in here and in bylines.
MONTH_NAMES = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-zäéû]*\.?"
    r"|(?:januar|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|mars|avril|juin|"
    r"juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|"
    r"julio|agosto|septiembre|octubre|noviembre|diciembre)"
)
# A line that is only a date and maybe a time: "July 1, 2025", "01.07.2025 10:15", "2025-07-01".
BARE_DATE_RE = re.compile(
    rf"^[\W_]*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:{MONTH_NAMES})\s*,?\s+\d{{4}}"
    rf"|(?:{MONTH_NAMES})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}})"
    rf"(?:\s*[,|@-]?\s*(?:at\s+)?\d{{1,2}}[:.h]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{{2,4}})?)?"
    rf"[\W_]*$",
    re.IGNORECASE,
)

BYLINE_RE = re.compile(r"^[\W_]*(?:by|von|par|por|di|door|av|af|przez|автор)\s+\S", re.IGNORECASE)
