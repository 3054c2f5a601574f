"""What the junk inside and around an article says, per language: several phrasings of each kind.

Placeholders: ``{site}`` (site name), ``{section}`` (section label), ``{n}`` (a number),
``{name}`` (a person), ``{agency}`` (a photo agency). :mod:`crawler.demo.cms.junk` picks one
phrasing, fills it in and decorates it at random (arrows, case, punctuation), so the same kind of
block reads differently from page to page.
"""

from __future__ import annotations

Pool = dict[str, tuple[str, ...]]

EN: Pool = {
    "cookie_heading": (
        "We value your privacy",
        "Cookies on {site}",
        "Your privacy choices",
        "About cookies",
        "Help us improve {site}",
    ),
    "cookie_intro": (
        "We use cookies and similar technologies to run this site and to see how it is used.",
        "This website stores cookies on your device to give you the best reading experience.",
        "{site} and our {n} partners use cookies to personalise content and measure audiences.",
        "By continuing to browse you agree to our use of cookies.",
        "We and selected partners store and access information on your device.",
        "Some cookies are essential, others help us show you relevant advertising.",
    ),
    "cookie_more": (
        "You can change your preferences at any time in the privacy settings.",
        "Find out more in our cookie notice.",
        "Manage your choices or withdraw consent whenever you like.",
        "Read how we process personal data before you decide.",
    ),
    "cookie_accept": (
        "Accept all",
        "Accept cookies",
        "I agree",
        "Allow all cookies",
        "Yes, I accept",
        "Agree and continue",
    ),
    "cookie_reject": (
        "Reject all",
        "Decline optional cookies",
        "Only necessary cookies",
        "No, thanks",
    ),
    "cookie_settings": (
        "Manage preferences",
        "Cookie settings",
        "Customise choices",
        "More options",
    ),
    "cookie_policy": ("Cookie policy", "Privacy notice", "Learn more about cookies"),
    "newsletter_heading": (
        "Sign up for our newsletter",
        "Get the morning briefing",
        "The {section} newsletter",
        "Never miss a story",
        "Stay informed with {site}",
        "Our best journalism, in your inbox",
    ),
    "newsletter_pitch": (
        "The day's most important stories, delivered to your inbox every morning.",
        "Join {n},000 readers who start their day with our free email.",
        "A short, smart summary of the news from {site}, every weekday.",
        "Get the latest {section} headlines straight to your inbox.",
        "Free, once a week, and you can unsubscribe at any time.",
    ),
    "newsletter_button": (
        "Sign up",
        "Subscribe now",
        "Sign me up",
        "Join for free",
        "Get the newsletter",
        "Register",
    ),
    "newsletter_placeholder": ("Your email address", "Enter your email", "name@example.com"),
    "newsletter_fine": (
        "By signing up you agree to our terms and privacy policy.",
        "We will never share your email address with third parties.",
        "You can unsubscribe with one click from any email we send.",
    ),
    "paywall_heading": (
        "Subscribe to continue reading",
        "This article is for subscribers",
        "Continue reading with a subscription",
        "Want to read the whole story?",
        "You have reached your free article limit",
    ),
    "paywall_text": (
        "Get unlimited access to {site} for just {n} pounds a month.",
        "Support independent journalism and read every article without limits.",
        "Subscribers get full access to all our reporting, apps and archives.",
        "Your first month is free, cancel at any time.",
    ),
    "paywall_cta": (
        "Subscribe now",
        "See subscription offers",
        "Start your free trial",
        "Become a member",
    ),
    "paywall_login": (
        "Already a subscriber? Log in",
        "Already have an account? Sign in",
        "Existing subscribers can log in here",
    ),
    "related_heading": (
        "You may also like",
        "Related",
        "Related stories",
        "More on this story",
        "Read next",
        "Recommended for you",
        "Don't miss",
        "Also on {site}",
        "Around {site}",
        "Keep exploring",
        "Stories you might have missed",
        "More from our reporters",
        "Elsewhere in {section}",
    ),
    "continue": (
        "Continue reading",
        "Read more",
        "Keep reading",
        "Read the rest of this story",
        "Show the full article",
        "Read on",
    ),
    "desk": (
        "More stories from this desk: {section}",
        "More from {section}",
        "More {section} news",
        "Further reading in {section}",
        "All the latest in {section}",
        "Browse more {section} coverage",
        "Find more in our {section} pages",
    ),
    "print": ("Print this page", "Print", "Print article", "Printer-friendly version"),
    "email": ("Email a friend", "Send by email", "Email this story", "Share via email"),
    "share": (
        "Share this article",
        "Share",
        "Share on Facebook",
        "Share on X",
        "Copy link",
        "Share on WhatsApp",
        "Post to LinkedIn",
    ),
    "share_intro": ("Share this story", "Spread the word", "Tell your friends", "Share:"),
    "comments": (
        "Join the conversation",
        "{n} comments",
        "Read the comments",
        "Comments are closed for this article",
    ),
    "top": ("Back to top", "Return to top", "Top of page", "Scroll to top", "Go to top"),
    "credit_prefix": ("Photo:", "Picture:", "Image:", "Photograph:", "Credit:", "©"),
    "advert": (
        "Advertisement",
        "Sponsored content",
        "Story continues below advertisement",
        "Article continues after this ad",
    ),
    "also": (
        "Also read:",
        "Read also:",
        "See also:",
        "Related:",
        "Read more:",
        "Also on {site}:",
        "Worth reading:",
        "Background:",
    ),
    "more_by": (
        "More by {name}",
        "All articles by {name}",
        "Follow {name}",
        "Read more from {name}",
    ),
    "bio": (
        "{name} is a reporter covering {section} for {site}.",
        "{name} has written about {section} since joining {site} in 20{n}.",
        "{name} is {site}'s {section} correspondent. Send tips by email.",
        "{name} writes about {section}, local politics and the people behind the headlines.",
    ),
    "tags_label": ("Topics:", "Tags:", "Filed under:", "More about:", "In this story:"),
    "full_story": (
        "Read the full story at {site}",
        "Read the full story",
        "Full story on {site}",
        "Continue reading on {site}",
        "The complete report is on {site}",
    ),
    "dateline": (
        "Published {date}",
        "Updated {date}",
        "Posted on {date}",
        "First published on {date}",
        "Last modified: {date}",
    ),
    "sidebar_heading": (
        "Most read",
        "Trending now",
        "Popular this week",
        "Latest headlines",
        "Editor's picks",
        "Top stories",
    ),
    "footer": (
        "© 2025 {site}. All rights reserved.",
        "{site} is published by {site} Media Ltd, registered in England.",
        "Copyright 2025 {site}. Reproduction without permission is prohibited.",
        "{site} is a member of the press standards organisation.",
    ),
    "tagline": (
        "Independent news since 19{n}",
        "News you can trust, every day",
        "Your local paper online",
        "The voice of the region",
    ),
    "bio_page": (
        "{name} joined {site} in 20{n} after working as a freelance reporter. Before that she "
        "spent several years at regional papers across the country and taught journalism.",
        "{name} covers {section} and the stories that shape daily life in our region. He has "
        "reported from courts, council chambers and picket lines for more than a decade.",
        "Before joining the newsroom, {name} worked in radio and wrote for several magazines. "
        "Readers can reach the reporter with tips and corrections through the news desk.",
    ),
    "section_intro": (
        "The latest {section} news from {site}: analysis, reports and opinion from our reporters "
        "across the region, updated throughout the day with the stories that matter to you.",
        "Everything you need to know about {section}, from breaking news to in-depth features, "
        "explainers and interviews with the people who make the decisions.",
    ),
    "tag_intro": (
        "All our coverage of {section}, collected in one place. Follow the latest developments, "
        "read the background and find out what happens next.",
        "Stories, analysis and opinion about {section}, from the first reports to the latest "
        "updates, brought together by the {site} newsroom.",
    ),
    "calendar_intro": (
        "Concerts, exhibitions, markets and talks in and around the city: our editors pick the "
        "best events every week. Listings are submitted by organisers and may change.",
        "Looking for something to do? Browse the events calendar for this month and plan your "
        "weekend with the help of our culture desk.",
    ),
    "event": (
        "Concert",
        "Exhibition",
        "Farmers' market",
        "Public lecture",
        "Film night",
        "Open day",
        "Walking tour",
        "Book reading",
    ),
    "video_intro": (
        "Watch the latest video reports, interviews and explainers from the {site} newsroom.",
        "Our video team brings you the stories behind the headlines, in short films.",
    ),
    "search_intro": (
        "Showing the most relevant results first.",
        "Refine your search by section or date.",
    ),
}

DE: Pool = {
    "cookie_heading": (
        "Wir schätzen Ihre Privatsphäre",
        "Cookies auf {site}",
        "Ihre Datenschutz-Einstellungen",
        "Zustimmung erforderlich",
    ),
    "cookie_intro": (
        "Wir verwenden Cookies und ähnliche Technologien, um diese Website zu betreiben.",
        "Diese Website speichert Cookies auf Ihrem Gerät, für das beste Leseerlebnis.",
        "{site} und unsere {n} Partner nutzen Cookies, um Inhalte zu personalisieren.",
        "Mit der weiteren Nutzung stimmen Sie der Verwendung von Cookies zu.",
        "Wir und ausgewählte Partner speichern Informationen auf Ihrem Endgerät.",
    ),
    "cookie_more": (
        "Sie können Ihre Einstellungen jederzeit in den Datenschutzoptionen ändern.",
        "Weitere Informationen finden Sie in unserer Datenschutzerklärung.",
        "Ihre Einwilligung können Sie jederzeit widerrufen.",
    ),
    "cookie_accept": (
        "Alle akzeptieren",
        "Zustimmen",
        "Einverstanden",
        "Alle Cookies erlauben",
        "Akzeptieren und weiter",
    ),
    "cookie_reject": ("Alle ablehnen", "Nur notwendige Cookies", "Ablehnen"),
    "cookie_settings": ("Einstellungen verwalten", "Cookie-Einstellungen", "Weitere Optionen"),
    "cookie_policy": ("Datenschutzerklärung", "Cookie-Richtlinie", "Mehr erfahren"),
    "newsletter_heading": (
        "Newsletter abonnieren",
        "Der Morgen-Newsletter",
        "Der {section}-Newsletter",
        "Nichts mehr verpassen",
        "Bleiben Sie informiert mit {site}",
    ),
    "newsletter_pitch": (
        "Die wichtigsten Nachrichten des Tages, jeden Morgen in Ihrem Postfach.",
        "Schließen Sie sich {n}.000 Leserinnen und Lesern an, die mit uns in den Tag starten.",
        "Der kompakte Überblick von {site}, jeden Werktag kostenlos.",
        "Die neuesten Meldungen aus {section} direkt in Ihr Postfach.",
    ),
    "newsletter_button": ("Jetzt anmelden", "Abonnieren", "Kostenlos registrieren", "Anmelden"),
    "newsletter_placeholder": ("Ihre E-Mail-Adresse", "E-Mail eingeben"),
    "newsletter_fine": (
        "Mit der Anmeldung akzeptieren Sie unsere Datenschutzbestimmungen.",
        "Eine Abmeldung ist jederzeit mit einem Klick möglich.",
    ),
    "paywall_heading": (
        "Weiterlesen mit Abo",
        "Dieser Artikel ist exklusiv für Abonnenten",
        "Jetzt weiterlesen",
        "Sie möchten den ganzen Artikel lesen?",
    ),
    "paywall_text": (
        "Lesen Sie alle Artikel auf {site} für nur {n} Euro im Monat.",
        "Unterstützen Sie unabhängigen Journalismus und lesen Sie ohne Grenzen.",
        "Der erste Monat ist kostenlos und jederzeit kündbar.",
    ),
    "paywall_cta": ("Jetzt abonnieren", "Angebote ansehen", "Gratis testen", "Abo abschließen"),
    "paywall_login": ("Bereits Abonnent? Hier anmelden", "Sie haben schon ein Konto? Einloggen"),
    "related_heading": (
        "Das könnte Sie auch interessieren",
        "Mehr zum Thema",
        "Lesen Sie auch",
        "Weitere Artikel",
        "Empfehlungen der Redaktion",
        "Auch interessant",
        "Aus dem Ressort {section}",
        "Neu auf {site}",
        "Verpassen Sie nicht",
        "Weiterlesen bei {site}",
    ),
    "continue": ("Weiterlesen", "Mehr lesen", "Den ganzen Artikel lesen", "Artikel fortsetzen"),
    "desk": (
        "Mehr aus dem Ressort: {section}",
        "Mehr aus {section}",
        "Weitere Nachrichten aus {section}",
        "Alle Artikel im Ressort {section}",
        "Zur Übersicht {section}",
    ),
    "print": ("Seite drucken", "Drucken", "Artikel drucken", "Druckversion"),
    "email": ("Per E-Mail versenden", "Artikel empfehlen", "Einem Freund senden"),
    "share": (
        "Artikel teilen",
        "Teilen",
        "Auf Facebook teilen",
        "Auf X teilen",
        "Link kopieren",
        "Per WhatsApp teilen",
    ),
    "share_intro": ("Diesen Artikel teilen", "Weitersagen", "Teilen Sie diesen Beitrag"),
    "comments": ("Diskutieren Sie mit", "{n} Kommentare", "Kommentare lesen"),
    "top": ("Nach oben", "Zurück nach oben", "Zum Seitenanfang"),
    "credit_prefix": ("Foto:", "Bild:", "Fotograf:", "Quelle:", "©"),
    "advert": ("Anzeige", "Werbung", "Artikel wird nach der Anzeige fortgesetzt"),
    "also": ("Lesen Sie auch:", "Auch interessant:", "Mehr dazu:", "Hintergrund:", "Siehe auch:"),
    "more_by": ("Mehr von {name}", "Alle Artikel von {name}", "{name} folgen"),
    "bio": (
        "{name} ist Redakteurin im Ressort {section} bei {site}.",
        "{name} schreibt seit 20{n} für {site} über {section}.",
        "{name} berichtet über {section} und Lokalpolitik.",
    ),
    "tags_label": ("Themen:", "Schlagworte:", "Mehr zu:", "Stichworte:"),
    "full_story": (
        "Den vollständigen Artikel lesen Sie bei {site}",
        "Zum ganzen Artikel",
        "Weiterlesen auf {site}",
    ),
    "dateline": (
        "Veröffentlicht am {date}",
        "Aktualisiert am {date}",
        "Stand: {date}",
        "Erstellt am {date}",
    ),
    "sidebar_heading": ("Meistgelesen", "Top-Themen", "Beliebt diese Woche", "Neueste Artikel"),
    "footer": (
        "© 2025 {site}. Alle Rechte vorbehalten.",
        "{site} ist ein Angebot der {site} Mediengruppe GmbH.",
        "Copyright 2025 {site}. Nachdruck nur mit Genehmigung.",
    ),
    "tagline": ("Unabhängig seit 19{n}", "Nachrichten aus der Region", "Ihre Zeitung im Netz"),
    "bio_page": (
        "{name} kam 20{n} zu {site}, nachdem sie als freie Journalistin gearbeitet hatte. Zuvor "
        "war sie mehrere Jahre bei Regionalzeitungen tätig und unterrichtete Journalismus.",
        "{name} berichtet über {section} und die Themen, die den Alltag in unserer Region "
        "prägen. Er schreibt seit mehr als zehn Jahren aus Gerichten und Ratssälen.",
    ),
    "section_intro": (
        "Aktuelle Nachrichten aus {section} von {site}: Analysen, Berichte und Kommentare aus "
        "der ganzen Region, laufend aktualisiert mit den Themen, die Sie bewegen.",
        "Alles Wichtige zum Thema {section}, von der Eilmeldung bis zur Reportage, mit "
        "Erklärstücken und Interviews mit den Menschen, die entscheiden.",
    ),
    "tag_intro": (
        "Alle unsere Artikel zum Thema {section} an einem Ort. Verfolgen Sie die neuesten "
        "Entwicklungen und lesen Sie die Hintergründe.",
        "Berichte, Analysen und Meinungen zu {section}, zusammengestellt von der Redaktion "
        "von {site}.",
    ),
    "calendar_intro": (
        "Konzerte, Ausstellungen, Märkte und Vorträge in der Stadt und im Umland: Unsere "
        "Redaktion wählt jede Woche die besten Termine aus. Angaben ohne Gewähr.",
    ),
    "event": (
        "Konzert",
        "Ausstellung",
        "Wochenmarkt",
        "Vortrag",
        "Filmabend",
        "Tag der offenen Tür",
        "Stadtführung",
        "Lesung",
    ),
    "video_intro": (
        "Die neuesten Videos, Interviews und Erklärstücke aus der Redaktion von {site}.",
    ),
    "search_intro": (
        "Die relevantesten Treffer zuerst.",
        "Suche nach Ressort oder Datum eingrenzen.",
    ),
}

ES: Pool = {
    "cookie_heading": (
        "Valoramos tu privacidad",
        "Cookies en {site}",
        "Tus opciones de privacidad",
        "Sobre las cookies",
    ),
    "cookie_intro": (
        "Utilizamos cookies propias y de terceros para mejorar nuestros servicios.",
        "Este sitio web almacena cookies en tu dispositivo para ofrecerte la mejor experiencia.",
        "{site} y nuestros {n} socios usamos cookies para personalizar el contenido.",
        "Si continúas navegando, consideramos que aceptas su uso.",
        "Nosotros y nuestros socios almacenamos información en tu dispositivo.",
    ),
    "cookie_more": (
        "Puedes cambiar tus preferencias en cualquier momento.",
        "Consulta nuestra política de cookies para más información.",
        "Puedes retirar tu consentimiento cuando quieras.",
    ),
    "cookie_accept": (
        "Aceptar todas",
        "Aceptar",
        "Estoy de acuerdo",
        "Aceptar y continuar",
        "Permitir todas las cookies",
    ),
    "cookie_reject": ("Rechazar todas", "Solo las necesarias", "Rechazar"),
    "cookie_settings": ("Configurar cookies", "Gestionar preferencias", "Más opciones"),
    "cookie_policy": ("Política de cookies", "Aviso de privacidad", "Saber más"),
    "newsletter_heading": (
        "Suscríbete a nuestro boletín",
        "El boletín de la mañana",
        "Boletín de {section}",
        "No te pierdas nada",
        "Recibe lo mejor de {site}",
    ),
    "newsletter_pitch": (
        "Las noticias más importantes del día, cada mañana en tu correo.",
        "Únete a los {n}.000 lectores que empiezan el día con nosotros.",
        "Un resumen breve de {site}, de lunes a viernes y gratis.",
        "Recibe las últimas noticias de {section} en tu bandeja de entrada.",
    ),
    "newsletter_button": ("Suscribirme", "Apúntate", "Darme de alta", "Quiero recibirlo"),
    "newsletter_placeholder": ("Tu correo electrónico", "Escribe tu email"),
    "newsletter_fine": (
        "Al suscribirte aceptas nuestra política de privacidad.",
        "Puedes darte de baja en cualquier momento.",
    ),
    "paywall_heading": (
        "Suscríbete para seguir leyendo",
        "Este contenido es exclusivo para suscriptores",
        "Sigue leyendo con tu suscripción",
        "¿Quieres leer la noticia completa?",
    ),
    "paywall_text": (
        "Accede sin límites a {site} por solo {n} euros al mes.",
        "Apoya el periodismo independiente y lee todas nuestras noticias.",
        "El primer mes es gratis y puedes cancelar cuando quieras.",
    ),
    "paywall_cta": ("Suscríbete ahora", "Ver ofertas", "Prueba gratis", "Hazte socio"),
    "paywall_login": ("¿Ya eres suscriptor? Inicia sesión", "¿Ya tienes cuenta? Entra"),
    "related_heading": (
        "Más noticias",
        "Te puede interesar",
        "Noticias relacionadas",
        "Lee también",
        "Lo más leído",
        "Recomendado para ti",
        "Más en {section}",
        "También en {site}",
        "No te lo pierdas",
        "Sigue leyendo",
    ),
    "continue": ("Seguir leyendo", "Leer más", "Continuar leyendo", "Ver noticia completa"),
    "desk": (
        "Más historias de esta sección: {section}",
        "Más de {section}",
        "Más noticias de {section}",
        "Todo sobre {section}",
        "Ir a la sección {section}",
    ),
    "print": ("Imprimir esta página", "Imprimir", "Versión para imprimir"),
    "email": ("Enviar por correo", "Enviar a un amigo", "Compartir por email"),
    "share": (
        "Compartir",
        "Compartir en Facebook",
        "Compartir en X",
        "Copiar enlace",
        "Enviar por WhatsApp",
    ),
    "share_intro": ("Comparte esta noticia", "Compártelo", "Difunde esta historia"),
    "comments": ("Únete a la conversación", "{n} comentarios", "Ver comentarios"),
    "top": ("Volver arriba", "Ir arriba", "Subir"),
    "credit_prefix": ("Foto:", "Imagen:", "Fotografía:", "Crédito:", "©"),
    "advert": ("Publicidad", "Contenido patrocinado", "La noticia continúa tras la publicidad"),
    "also": (
        "Lee también:",
        "Te puede interesar:",
        "Más información:",
        "Contexto:",
        "Ver también:",
    ),
    "more_by": ("Más de {name}", "Todas las noticias de {name}", "Sigue a {name}"),
    "bio": (
        "{name} es periodista de la sección de {section} de {site}.",
        "{name} escribe sobre {section} en {site} desde 20{n}.",
        "{name} cubre {section} y política municipal.",
    ),
    "tags_label": ("Temas:", "Etiquetas:", "Archivado en:", "Más sobre:"),
    "full_story": (
        "Lee la noticia completa en {site}",
        "Noticia completa",
        "Sigue leyendo en {site}",
    ),
    "dateline": ("Publicado el {date}", "Actualizado el {date}", "Última actualización: {date}"),
    "sidebar_heading": ("Lo más leído", "Tendencias", "Lo más visto", "Última hora"),
    "footer": (
        "© 2025 {site}. Todos los derechos reservados.",
        "{site} es una publicación de {site} Ediciones S.L.",
        "Queda prohibida la reproducción total o parcial sin autorización.",
    ),
    "tagline": (
        "El diario de la comarca",
        "Información independiente desde 19{n}",
        "Noticias de aquí",
    ),
    "bio_page": (
        "{name} llegó a {site} en 20{n} tras años como periodista independiente. Antes trabajó "
        "en varios diarios regionales y dio clases de periodismo en la universidad.",
        "{name} cubre {section} y los asuntos que marcan la vida diaria de la comarca. Lleva más "
        "de una década informando desde juzgados, plenos y asambleas.",
    ),
    "section_intro": (
        "Las últimas noticias de {section} en {site}: análisis, crónicas y opinión de nuestros "
        "periodistas, actualizadas durante todo el día con lo que de verdad importa.",
        "Todo lo que necesitas saber sobre {section}, desde la última hora hasta los reportajes "
        "en profundidad y las entrevistas con quienes toman las decisiones.",
    ),
    "tag_intro": (
        "Toda nuestra cobertura sobre {section}, reunida en un solo lugar. Sigue la última hora "
        "y los antecedentes.",
        "Noticias, análisis y opinión sobre {section}, seleccionados por la redacción de {site}.",
    ),
    "calendar_intro": (
        "Conciertos, exposiciones, mercados y charlas en la ciudad y alrededores: nuestra "
        "redacción elige cada semana los mejores planes. La información puede cambiar.",
    ),
    "event": (
        "Concierto",
        "Exposición",
        "Mercado",
        "Conferencia",
        "Cine de verano",
        "Jornada de puertas abiertas",
        "Ruta guiada",
        "Presentación de libro",
    ),
    "video_intro": ("Los últimos vídeos, entrevistas y reportajes de la redacción de {site}.",),
    "search_intro": ("Mostrando primero los resultados más relevantes.",),
}

FR: Pool = {
    "cookie_heading": (
        "Votre vie privée compte",
        "Les cookies sur {site}",
        "Vos choix",
        "Gestion du consentement",
    ),
    "cookie_intro": (
        "Nous utilisons des cookies pour faire fonctionner ce site et mesurer son audience.",
        "Ce site enregistre des cookies sur votre appareil pour améliorer votre lecture.",
        "{site} et ses {n} partenaires utilisent des cookies pour personnaliser les contenus.",
        "En poursuivant votre navigation, vous acceptez l'utilisation de cookies.",
    ),
    "cookie_more": (
        "Vous pouvez modifier vos choix à tout moment.",
        "Pour en savoir plus, consultez notre politique de confidentialité.",
    ),
    "cookie_accept": ("Tout accepter", "Accepter", "J'accepte", "Accepter et fermer"),
    "cookie_reject": ("Tout refuser", "Continuer sans accepter", "Refuser"),
    "cookie_settings": ("Paramétrer", "Gérer mes choix", "Personnaliser"),
    "cookie_policy": ("Politique de cookies", "En savoir plus"),
    "newsletter_heading": (
        "Inscrivez-vous à notre newsletter",
        "La lettre du matin",
        "La newsletter {section}",
        "Ne manquez rien",
    ),
    "newsletter_pitch": (
        "L'essentiel de l'actualité, chaque matin dans votre boîte mail.",
        "Rejoignez les {n} 000 lecteurs qui commencent leur journée avec nous.",
        "Un résumé court et gratuit de {site}, du lundi au vendredi.",
    ),
    "newsletter_button": ("Je m'inscris", "S'abonner", "Valider", "Recevoir la newsletter"),
    "newsletter_placeholder": ("Votre adresse e-mail", "Saisissez votre e-mail"),
    "newsletter_fine": ("Vous pouvez vous désinscrire à tout moment.",),
    "paywall_heading": (
        "Abonnez-vous pour lire la suite",
        "Article réservé aux abonnés",
        "La suite est réservée aux abonnés",
        "Envie de lire la suite ?",
    ),
    "paywall_text": (
        "Accédez à tous les articles de {site} pour {n} euros par mois.",
        "Soutenez un journalisme indépendant et lisez sans limite.",
        "Le premier mois est offert, sans engagement.",
    ),
    "paywall_cta": ("Je m'abonne", "Voir les offres", "Essai gratuit"),
    "paywall_login": ("Déjà abonné ? Connectez-vous", "Vous avez un compte ? Se connecter"),
    "related_heading": (
        "À lire aussi",
        "Sur le même sujet",
        "Vous aimerez aussi",
        "Lire aussi",
        "Nos recommandations",
        "Dans la rubrique {section}",
        "À ne pas manquer",
        "Les plus lus",
        "Encore plus sur {site}",
    ),
    "continue": ("Lire la suite", "Continuer la lecture", "Lire l'article complet", "En lire plus"),
    "desk": (
        "Plus d'articles de cette rubrique : {section}",
        "Plus de {section}",
        "Toute l'actualité {section}",
        "Retour à la rubrique {section}",
    ),
    "print": ("Imprimer cette page", "Imprimer", "Version imprimable"),
    "email": ("Envoyer à un ami", "Envoyer par e-mail", "Partager par e-mail"),
    "share": ("Partager", "Partager sur Facebook", "Partager sur X", "Copier le lien"),
    "share_intro": ("Partager cet article", "Faites passer le mot"),
    "comments": ("Réagir", "{n} commentaires", "Voir les réactions"),
    "top": ("Haut de page", "Retour en haut", "Remonter"),
    "credit_prefix": ("Photo :", "Crédit photo :", "Image :", "©"),
    "advert": ("Publicité", "Contenu sponsorisé", "L'article continue après la publicité"),
    "also": ("Lire aussi :", "À lire aussi :", "Voir aussi :", "Contexte :"),
    "more_by": ("Plus d'articles de {name}", "Suivre {name}", "Tous les articles de {name}"),
    "bio": (
        "{name} est journaliste au service {section} de {site}.",
        "{name} écrit sur {section} pour {site} depuis 20{n}.",
    ),
    "tags_label": ("Sujets :", "Mots-clés :", "Thèmes :"),
    "full_story": (
        "Lire l'article complet sur {site}",
        "Lire la suite sur {site}",
        "Article complet",
    ),
    "dateline": ("Publié le {date}", "Mis à jour le {date}", "Modifié le {date}"),
    "sidebar_heading": ("Les plus lus", "À la une", "Tendances", "Dernières infos"),
    "footer": (
        "© 2025 {site}. Tous droits réservés.",
        "{site} est édité par {site} Presse SAS.",
        "Reproduction interdite sans autorisation.",
    ),
    "tagline": ("Le quotidien de la région", "L'information depuis 19{n}", "Vos infos locales"),
    "bio_page": (
        "{name} a rejoint {site} en 20{n} après plusieurs années comme pigiste. Auparavant, elle "
        "a travaillé dans plusieurs quotidiens régionaux et enseigné le journalisme.",
        "{name} couvre {section} et les sujets qui rythment la vie quotidienne de la région "
        "depuis plus de dix ans, des tribunaux aux conseils municipaux.",
    ),
    "section_intro": (
        "Toute l'actualité {section} sur {site} : analyses, reportages et points de vue de nos "
        "journalistes, mis à jour tout au long de la journée.",
    ),
    "tag_intro": (
        "Tous nos articles sur {section}, réunis en un seul endroit. Suivez les derniers "
        "développements et retrouvez le contexte.",
    ),
    "calendar_intro": (
        "Concerts, expositions, marchés et conférences en ville et aux alentours : notre "
        "rédaction sélectionne chaque semaine les meilleures sorties.",
    ),
    "event": (
        "Concert",
        "Exposition",
        "Marché",
        "Conférence",
        "Ciné-club",
        "Portes ouvertes",
        "Visite guidée",
        "Lecture",
    ),
    "video_intro": ("Les dernières vidéos, interviews et décryptages de la rédaction de {site}.",),
    "search_intro": ("Les résultats les plus pertinents d'abord.",),
}

JA: Pool = {
    "cookie_heading": ("プライバシーについて", "クッキーの使用について"),
    "cookie_intro": (
        "当サイトでは利便性向上のためにクッキーを使用しています。",
        "{site}と提携する{n}社はクッキーを利用して広告を表示します。",
    ),
    "cookie_more": ("設定はいつでも変更できます。",),
    "cookie_accept": ("すべて同意する", "同意して閉じる"),
    "cookie_reject": ("すべて拒否する",),
    "cookie_settings": ("詳細設定",),
    "cookie_policy": ("クッキーポリシー",),
    "newsletter_heading": ("ニュースレターに登録", "朝のニュースをメールで"),
    "newsletter_pitch": ("毎朝、主要なニュースをお届けします。",),
    "newsletter_button": ("登録する", "無料で登録"),
    "newsletter_placeholder": ("メールアドレス",),
    "newsletter_fine": ("いつでも配信を停止できます。",),
    "paywall_heading": ("この記事は有料会員限定です", "続きは会員登録で読めます"),
    "paywall_text": ("月額{n}00円ですべての記事が読み放題。",),
    "paywall_cta": ("今すぐ登録",),
    "paywall_login": ("会員の方はログイン",),
    "related_heading": ("関連記事", "こちらもおすすめ", "あわせて読みたい", "{section}の最新記事"),
    "continue": ("続きを読む", "記事の続き"),
    "desk": ("{section}の記事一覧", "{section}のニュースをもっと見る"),
    "print": ("このページを印刷", "印刷する"),
    "email": ("メールで送る", "友人に知らせる"),
    "share": ("シェアする", "リンクをコピー"),
    "share_intro": ("この記事をシェア",),
    "comments": ("コメントを見る", "{n}件のコメント"),
    "top": ("ページの先頭へ", "トップへ戻る"),
    "credit_prefix": ("写真：", "撮影：", "©"),
    "advert": ("広告", "スポンサーコンテンツ"),
    "also": ("関連：", "あわせて読む："),
    "more_by": ("{name}の記事一覧",),
    "bio": ("{name}は{site}の{section}担当記者。",),
    "tags_label": ("タグ：", "キーワード："),
    "full_story": ("全文は{site}で読めます", "記事全文を読む"),
    "dateline": ("{date}公開", "{date}更新"),
    "sidebar_heading": ("よく読まれている記事", "アクセスランキング"),
    "footer": ("© 2025 {site} 無断転載を禁じます。",),
    "tagline": ("地域のニュースを毎日",),
    "bio_page": (
        "{name}は20{n}年に{site}に入社し、{section}を担当している。以前は地方紙で"
        "記者を務め、裁判や議会の取材を長く続けてきた。読者からの情報提供を歓迎している。",
    ),
    "section_intro": (
        "{site}の{section}に関する最新ニュース、解説、インタビューをまとめて"
        "お届けします。記事は一日を通して更新されます。",
    ),
    "tag_intro": ("{section}に関する記事をまとめました。最新の動きと背景を詳しく伝えます。",),
    "calendar_intro": (
        "市内と周辺のコンサート、展覧会、市場、講演会を編集部が毎週選んで紹介します。",
    ),
    "event": ("コンサート", "展覧会", "朝市", "講演会", "映画上映会"),
    "video_intro": ("{site}編集部による最新の動画ニュースと解説。",),
    "search_intro": ("関連性の高い順に表示しています。",),
}

PHRASES: dict[str, Pool] = {"en": EN, "de": DE, "es": ES, "fr": FR, "ja": JA}

# Fictional photo agencies, shared by every language (credits name them as real ones do).
AGENCIES = (
    "Nordpress",
    "Meridian Pictures",
    "Atlas Images",
    "Agencia Sol",
    "Pressebild Süd",
    "Coastline Photo",
    "Lumen Agency",
    "Photo Vallée",
    "Fotodienst Nord",
    "Harbour Images",
)
