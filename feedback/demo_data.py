"""The demo's feedback content: agencies, services and items for both cities (read
by `feedback/demo.py`)."""

# (key, Finnish, Swedish, English)
AGENCIES = [
    ("culture", "Kulttuuripalvelut", "Kulturtjänster", "Culture services"),
    ("education", "Kasvatus ja koulutus", "Fostran och utbildning", "Education"),
    ("urban", "Kaupunkiympäristö", "Stadsmiljö", "Urban environment"),
    ("health", "Sosiaali- ja terveyspalvelut", "Social- och hälsovård", "Health"),
]

# The code's suffix (the city's prefix comes first), the agency, the names, the
# descriptions and the subject area in fi/sv/en, and whether new feedback waits
# for a handler's check.
SERVICES = [
    (
        "libraries",
        "culture",
        ("Kirjastot", "Bibliotek", "Libraries"),
        (
            "Kirjastojen kokoelmat, aukioloajat, tilat ja tapahtumat.",
            "Bibliotekens samlingar, öppettider, lokaler och evenemang.",
            "The libraries' collections, opening hours, spaces and events.",
        ),
        ("Kulttuuri ja vapaa-aika", "Kultur och fritid", "Culture and leisure"),
        False,
    ),
    (
        "swimming",
        "culture",
        ("Uimahallit", "Simhallar", "Swimming halls"),
        (
            "Uimahallit ja maauimalat, vuorot ja liput.",
            "Simhallar och utebassänger, turer och biljetter.",
            "Indoor and outdoor pools, sessions and tickets.",
        ),
        ("Kulttuuri ja vapaa-aika", "Kultur och fritid", "Culture and leisure"),
        False,
    ),
    (
        "daycare",
        "education",
        ("Varhaiskasvatus", "Småbarnspedagogik", "Early childhood education"),
        (
            "Päiväkodit, perhepäivähoito ja hakeminen.",
            "Daghem, familjedagvård och ansökan.",
            "Day care centres, family day care and applying.",
        ),
        ("Kasvatus ja koulutus", "Fostran och utbildning", "Education"),
        # Feedback about children is checked before it is public.
        True,
    ),
    (
        "schools",
        "education",
        ("Perusopetus", "Grundläggande utbildning", "Basic education"),
        (
            "Koulut, koulukuljetukset ja kouluruoka.",
            "Skolor, skolskjutsar och skolmat.",
            "Schools, school transport and school meals.",
        ),
        ("Kasvatus ja koulutus", "Fostran och utbildning", "Education"),
        False,
    ),
    (
        "streets",
        "urban",
        ("Katujen kunnossapito", "Gatuunderhåll", "Street maintenance"),
        (
            "Kuopat, auraus, hiekoitus ja katuvalot.",
            "Gropar, plogning, sandning och gatubelysning.",
            "Potholes, snow clearing, gritting and street lights.",
        ),
        ("Liikenne ja kadut", "Trafik och gator", "Traffic and streets"),
        False,
    ),
    (
        "transport",
        "urban",
        ("Joukkoliikenne", "Kollektivtrafik", "Public transport"),
        (
            "Bussit, raitiovaunut, pysäkit ja aikataulut.",
            "Bussar, spårvagnar, hållplatser och tidtabeller.",
            "Buses, trams, stops and timetables.",
        ),
        ("Liikenne ja kadut", "Trafik och gator", "Traffic and streets"),
        False,
    ),
    (
        "parks",
        "urban",
        ("Puistot ja leikkipaikat", "Parker och lekplatser", "Parks and playgrounds"),
        (
            "Puistojen, leikkipaikkojen ja ulkoilureittien hoito.",
            "Skötseln av parker, lekplatser och friluftsleder.",
            "Care of parks, playgrounds and outdoor trails.",
        ),
        ("Ympäristö", "Miljö", "Environment"),
        False,
    ),
    (
        "health-centres",
        "health",
        ("Terveysasemat", "Hälsostationer", "Health centres"),
        (
            "Ajanvaraus, vastaanotot ja neuvonta terveysasemilla.",
            "Tidsbokning, mottagningar och rådgivning på hälsostationerna.",
            "Appointments, consultations and advice at the health centres.",
        ),
        ("Terveys ja hyvinvointi", "Hälsa och välmående", "Health and wellbeing"),
        False,
    ),
]

CITY_PREFIX = {"helsinki": "hel", "turku": "tku"}
# Where the demo points lie: around each city's centre.
CITY_CENTRE = {"helsinki": (60.1699, 24.9384), "turku": (60.4518, 22.2666)}

# Steps of the handling trail: (status, note, internal); a note of None is the
# status's usual note in the item's language (NOTES).
ALLOCATE = ("allocated", None, False)
HANDLE = ("handling", None, False)
DONE = ("done", None, False)
NOTES = {
    "allocated": {
        "fi": "Välitetty vastuuyksikölle",
        "sv": "Skickat till den ansvariga enheten",
        "en": "Passed on to the unit in charge",
    },
    "handling": {
        "fi": "Asia on työn alla.",
        "sv": "Ärendet behandlas.",
        "en": "We are working on it.",
    },
    "done": {"fi": "Käsitelty.", "sv": "Behandlat.", "en": "Done."},
}

# Each item: key, city, service suffix, kind, language, title, text, the days ago
# it was sent, the district slug; optionally a place ((north, east) offset in km
# from the centre, address), the steps, the answer, what a handler does further
# ("private", "redact", "confirm_place", "publish", "merge:<key>") and how many
# said "me too".
ITEMS = [
    {
        "key": "hel-door",
        "city": "helsinki",
        "service": "libraries",
        "kind": "fault_report",
        "language": "fi",
        "title": "Kirjaston automaattiovi ei aukea",
        "text": "Pääsisäänkäynnin automaattiovi on ollut rikki viikon. "
        "Pyörätuolilla ja rattaiden kanssa sisään on vaikea päästä.",
        "days": 40,
        "place": ((0.4, 0.2), "Kirjastonkatu 1"),
        "district": "kallio",
        "steps": [ALLOCATE, HANDLE, ("done", "Ovi korjattiin 12.3.", False)],
        "answer": "Kiitos ilmoituksesta! Ovimoottori vaihdettiin ja ovi toimii taas. "
        "Ilmoitamme jatkossa korjauksista kirjaston ovella.",
        "extra": ["confirm_place"],
        "supports": 5,
        # The follow-up link of this one is the demo's known token.
        "tracked": True,
    },
    {
        "key": "hel-evening",
        "city": "helsinki",
        "service": "libraries",
        "kind": "praise",
        "language": "fi",
        "title": "Kiitos iltasatutuokioista",
        "text": "Lapset odottavat joka viikko kirjaston iltasatuja. Kiitos "
        "lukijoille, tämä on ihana palvelu.",
        "days": 35,
        "district": "kontula",
        "steps": [ALLOCATE, DONE],
        "answer": "Kiitos kauniista palautteesta! Välitimme sen lukijoillemme.",
        "supports": 8,
    },
    {
        "key": "hel-opening",
        "city": "helsinki",
        "service": "libraries",
        "kind": "question",
        "language": "sv",
        "title": "Öppettider under sommaren?",
        "text": "Har biblioteket i Berghäll öppet på lördagar under juli? "
        "Jag hittar inte informationen på webben.",
        "days": 30,
        "district": "kallio",
        "steps": [ALLOCATE, DONE],
        "answer": "Biblioteket i Berghäll har öppet på lördagar 10–16 även i juli. "
        "Vi har lagt till sommartiderna på webbplatsen.",
        "supports": 2,
    },
    {
        "key": "hel-pothole",
        "city": "helsinki",
        "service": "streets",
        "kind": "fault_report",
        "language": "fi",
        "title": "Syvä kuoppa pyörätiellä",
        "text": "Pyörätiellä on syvä kuoppa, johon pyörän rengas jää kiinni. "
        "Vaarallinen pimeällä.",
        "days": 20,
        "place": ((1.1, -0.8), ""),
        "district": "pasila",
        "steps": [
            ALLOCATE,
            HANDLE,
            ("handling", "Urakoitsijalle tilaus 4711, korjaus ensi viikolla.", True),
        ],
        "supports": 12,
    },
    {
        "key": "hel-pothole-again",
        "city": "helsinki",
        "service": "streets",
        "kind": "fault_report",
        "language": "fi",
        "title": "Kuoppa Pasilan pyörätiellä",
        "text": "Samassa kohdassa pyörätietä on iso kuoppa, melkein kaaduin siihen.",
        "days": 18,
        "place": ((1.1, -0.79), ""),
        "district": "pasila",
        "extra": ["merge:hel-pothole"],
    },
    {
        "key": "hel-snow",
        "city": "helsinki",
        "service": "streets",
        "kind": "complaint",
        "language": "fi",
        "title": "Jalkakäytävä auraamatta kolme päivää",
        "text": "Jalkakäytävää ei ole aurattu lumisateen jälkeen. Ikäihmisten on "
        "vaikea päästä kauppaan.",
        "days": 55,
        "place": ((-1.5, 3.0), ""),
        "district": "vuosaari",
        "steps": [ALLOCATE, DONE],
        "answer": "Pahoittelemme viivettä. Alueen aurausurakoitsijaa on muistutettu "
        "jalkakäytävien aurauksesta, ja katu aurattiin seuraavana aamuna.",
        "supports": 6,
    },
    {
        "key": "hel-tram",
        "city": "helsinki",
        "service": "transport",
        "kind": "idea",
        "language": "en",
        "title": "Real-time displays at every tram stop",
        "text": "Many tram stops have no display of the next departures. Screens "
        "would help visitors and people without a smartphone.",
        "days": 25,
        "place": ((0.1, -0.3), ""),
        "district": "keskusta",
        "steps": [ALLOCATE, HANDLE],
        "supports": 9,
    },
    {
        "key": "hel-bus",
        "city": "helsinki",
        "service": "transport",
        "kind": "complaint",
        "language": "fi",
        "title": "Bussi 55 jättää vuoroja ajamatta",
        "text": "Aamun vuorot jäävät usein ajamatta eikä näytöllä kerrota siitä.",
        "days": 3,
        "district": "malmi",
    },
    {
        "key": "hel-swim",
        "city": "helsinki",
        "service": "swimming",
        "kind": "question",
        "language": "en",
        "title": "Are there women-only swimming hours?",
        "text": "I would like to know whether any swimming hall has women-only "
        "sessions, and when.",
        "days": 28,
        "district": None,
        "steps": [ALLOCATE, DONE],
        "answer": "Yes: the Itäkeskus swimming hall has women-only sessions on "
        "Tuesday evenings from 19 to 21.",
        "supports": 4,
    },
    {
        "key": "hel-playground",
        "city": "helsinki",
        "service": "parks",
        "kind": "idea",
        "language": "sv",
        "title": "Skugga vid lekplatsen",
        "text": "Lekplatsen i parken saknar skugga. Några träd eller ett tak skulle "
        "hjälpa familjerna under varma dagar.",
        "days": 12,
        "place": ((-0.6, 0.9), ""),
        "district": "kamppi",
        "steps": [ALLOCATE],
        "supports": 3,
    },
    {
        "key": "hel-clinic",
        "city": "helsinki",
        "service": "health-centres",
        "kind": "complaint",
        "language": "fi",
        "title": "Ajanvarauksen jono liian pitkä",
        "text": "Puhelinjonossa odotin tunnin. Soita minulle 040 123 4567, niin "
        "kerron tarkemmin.",
        "days": 8,
        "district": "malmi",
        "steps": [ALLOCATE],
        # The phone number held it for a check; a handler removes it and
        # publishes the rest.
        "extra": ["redact", "publish"],
        "redacted": (
            "Ajanvarauksen jono liian pitkä",
            "Puhelinjonossa odotin tunnin. [Yhteystiedot poistettu.]",
        ),
    },
    {
        "key": "hel-clinic-private",
        "city": "helsinki",
        "service": "health-centres",
        "kind": "complaint",
        "language": "fi",
        "title": "Kokemukseni vastaanotolta",
        "text": "Kerron tässä omasta hoidostani ja terveydentilastani, jotta asia "
        "selvitetään.",
        "days": 6,
        "district": None,
        "steps": [ALLOCATE],
        # Health details: the handler keeps it to the city and the sender.
        "extra": ["private"],
    },
    {
        "key": "hel-daycare",
        "city": "helsinki",
        "service": "daycare",
        "kind": "question",
        "language": "fi",
        "title": "Milloin päiväkotipaikasta ilmoitetaan?",
        "text": "Hain päiväkotipaikkaa elokuusta alkaen. Milloin päätöksiä tulee?",
        "days": 2,
        "district": "kallio",
        # The service publishes after a check: this one still waits.
    },
    {
        "key": "hel-daycare-checked",
        "city": "helsinki",
        "service": "daycare",
        "kind": "praise",
        "language": "sv",
        "title": "Tack till personalen på daghemmet",
        "text": "Personalen har varit underbar med vårt barn hela året. Tack!",
        "days": 45,
        "district": "keskusta",
        "steps": [ALLOCATE, DONE],
        "answer": "Tack för den fina responsen! Vi har skickat den till daghemmet.",
        "extra": ["publish"],
        "supports": 2,
    },
    {
        "key": "tku-ferry",
        "city": "turku",
        "service": "transport",
        "kind": "fault_report",
        "language": "fi",
        "title": "Föllärin aikataulunäyttö pimeänä",
        "text": "Föllärin rannan aikataulunäyttö ei ole toiminut viikkoon.",
        "days": 22,
        "place": ((0.3, -0.5), "Läntinen Rantakatu"),
        "district": "keskusta",
        "steps": [ALLOCATE, HANDLE, DONE],
        "answer": "Näyttö korjattiin, kiitos ilmoituksesta.",
        "extra": ["confirm_place"],
        "supports": 3,
    },
    {
        "key": "tku-library",
        "city": "turku",
        "service": "libraries",
        "kind": "idea",
        "language": "fi",
        "title": "Lainattavia urheiluvälineitä kirjastoon",
        "text": "Kirjastosta voisi lainata lumikenkiä ja sauvoja, kuten monessa "
        "muussa kaupungissa.",
        "days": 33,
        "district": "varissuo",
        "steps": [ALLOCATE, HANDLE],
        "answer": "Hyvä idea! Selvitämme välinelainaamoa Varissuon kirjastoon ensi "
        "vuodeksi.",
        "supports": 7,
    },
    {
        "key": "tku-school-food",
        "city": "turku",
        "service": "schools",
        "kind": "praise",
        "language": "sv",
        "title": "God skolmat",
        "text": "Barnen berömmer den nya vegetariska maten i skolan.",
        "days": 15,
        "district": "nummi",
        "steps": [ALLOCATE, DONE],
        "answer": "Tack! Vi framför berömmet till köket.",
        "supports": 1,
    },
    {
        "key": "tku-park-lights",
        "city": "turku",
        "service": "parks",
        "kind": "fault_report",
        "language": "en",
        "title": "Trail lights out in the park",
        "text": "Half of the lights on the jogging trail have been out for two "
        "weeks; it is pitch dark after five.",
        "days": 10,
        "place": ((-2.0, 1.5), ""),
        "district": "hirvensalo",
        "steps": [ALLOCATE, HANDLE],
        "supports": 4,
    },
    {
        "key": "tku-streets",
        "city": "turku",
        "service": "streets",
        "kind": "complaint",
        "language": "fi",
        "title": "Hiekoitushiekat edelleen kaduilla",
        "text": "Toukokuu on jo pitkällä, mutta hiekat ovat yhä pyöräteillä.",
        "days": 5,
        "place": ((1.0, 1.0), ""),
        "district": "runosmaki",
    },
    {
        "key": "tku-health",
        "city": "turku",
        "service": "health-centres",
        "kind": "question",
        "language": "en",
        "title": "Can I book a nurse appointment online?",
        "text": "Is there an online booking for the health centre nurse, or only "
        "by phone?",
        "days": 19,
        "district": "martti",
        "steps": [ALLOCATE, DONE],
        "answer": "Yes, nurse appointments can be booked online in the city's "
        "e-services; choose your own health centre.",
        "supports": 2,
    },
    {
        "key": "tku-swim",
        "city": "turku",
        "service": "swimming",
        "kind": "complaint",
        "language": "sv",
        "title": "Kallt vatten i simhallen",
        "text": "Vattnet i undervisningsbassängen har varit mycket kallt i två veckor.",
        "days": 4,
        "district": "keskusta",
        "steps": [
            ALLOCATE,
            ("handling", "Tekniken kontrollerar uppvärmningen.", False),
        ],
    },
    {
        "key": "tku-daycare",
        "city": "turku",
        "service": "daycare",
        "kind": "idea",
        "language": "fi",
        "title": "Päiväkodin pihalle kasvimaa",
        "text": "Lapset voisivat kasvattaa omia kasviksia päiväkodin pihalla.",
        "days": 1,
        "district": "runosmaki",
    },
]
