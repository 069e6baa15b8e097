"""The demo site's texts in Finnish, Swedish and English (used by `load_demo`).

Each page is a dict of language → fields. Bodies are StreamField data in Wagtail's
raw form (a list of {"type", "value"}), so they load exactly as an editor would
have saved them.
"""

LANGUAGES = ("fi", "sv", "en")


def heading(text: str) -> dict:
    return {"type": "heading", "value": text}


def text(html: str) -> dict:
    return {"type": "rich_text", "value": html}


def faq(title: str, items: list[tuple[str, str]]) -> dict:
    return {
        "type": "faq",
        "value": {
            "title": title,
            "items": [{"question": q, "answer": a} for q, a in items],
        },
    }


HOME = {
    "fi": {
        "title": "Palvelupaja",
        "intro": (
            "<p>Palvelupajassa kaupunkien asukkaat, yritykset, järjestöt ja "
            "tutkijat kehittävät palveluja yhdessä kaupungin kanssa. Kommentoi "
            "suunniteltuja palveluja, osallistu työpajoihin ja kerro, millaisesta "
            "palvelusta unelmoit. Kaikki julkinen on heti avointa dataa.</p>"
        ),
    },
    "sv": {
        "title": "Palvelupaja – Serviceverkstaden",
        "intro": (
            "<p>I Palvelupaja utvecklar invånare, företag, organisationer och "
            "forskare städernas tjänster tillsammans med staden. Kommentera "
            "planerade tjänster, delta i verkstäder och berätta vilken tjänst du "
            "drömmer om. Allt som är offentligt är genast öppna data.</p>"
        ),
    },
    "en": {
        "title": "Palvelupaja – the service workshop",
        "intro": (
            "<p>In Palvelupaja, residents, companies, associations and researchers "
            "develop city services together with the city. Comment on planned "
            "services, join workshops and tell us what service you dream of. "
            "Everything public is open data straight away.</p>"
        ),
    },
}

CITIES = {
    "helsinki": {
        "names": {"fi": "Helsinki", "sv": "Helsingfors", "en": "Helsinki"},
        "slugs": {"fi": "helsinki", "sv": "helsingfors", "en": "helsinki"},
        "intro": {
            "fi": (
                "<p>Helsinki kehittää palvelujaan yhdessä kaupunkilaisten kanssa. "
                "Täällä voit kommentoida suunnitteilla olevia palveluja, liittyä "
                "työpajoihin ja kertoa omat palveluunelmasi.</p>"
            ),
            "sv": (
                "<p>Helsingfors utvecklar sina tjänster tillsammans med invånarna. "
                "Här kan du kommentera tjänster som planeras, delta i verkstäder "
                "och berätta om dina egna tjänstedrömmar.</p>"
            ),
            "en": (
                "<p>Helsinki develops its services together with the people who "
                "use them. Here you can comment on services being planned, join "
                "workshops and share your own service dreams.</p>"
            ),
        },
        "body": {
            "fi": [
                heading("Miten voin osallistua?"),
                text(
                    "<ul><li>Lue suunniteltu palvelu ja kommentoi sitä osio "
                    "kerrallaan.</li><li>Tule mukaan työpajaan: tarvitset vain "
                    "ohjaajan antaman koodin.</li><li>Kerro palveluunelmasi ja "
                    "kannata muiden unelmia.</li></ul>"
                    "<p>Kaupunki kertoo jokaisen kierroksen lopuksi, miten "
                    "palautetta käytettiin.</p>"
                ),
            ],
            "sv": [
                heading("Hur kan jag delta?"),
                text(
                    "<ul><li>Läs en planerad tjänst och kommentera den avsnitt "
                    "för avsnitt.</li><li>Delta i en verkstad: du behöver bara "
                    "koden som handledaren ger.</li><li>Berätta om din "
                    "tjänstedröm och stöd andras drömmar.</li></ul>"
                    "<p>Staden berättar efter varje omgång hur responsen "
                    "användes.</p>"
                ),
            ],
            "en": [
                heading("How can I take part?"),
                text(
                    "<ul><li>Read a planned service and comment on it section by "
                    "section.</li><li>Join a workshop: all you need is the code "
                    "your facilitator gives you.</li><li>Tell us your service "
                    "dream and support other people's dreams.</li></ul>"
                    "<p>At the end of each round the city tells how your input "
                    "was used.</p>"
                ),
            ],
        },
    },
    "turku": {
        "names": {"fi": "Turku", "sv": "Åbo", "en": "Turku"},
        "slugs": {"fi": "turku", "sv": "abo", "en": "turku"},
        "intro": {
            "fi": (
                "<p>Turku kutsuu asukkaat, yritykset ja järjestöt suunnittelemaan "
                "palveluja kanssaan. Kerro mielipiteesi ajoissa, kun muutokset "
                "ovat vielä helppoja tehdä.</p>"
            ),
            "sv": (
                "<p>Åbo bjuder in invånare, företag och organisationer att "
                "planera tjänster tillsammans. Säg din åsikt i tid, medan "
                "ändringar ännu är lätta att göra.</p>"
            ),
            "en": (
                "<p>Turku invites residents, companies and associations to design "
                "services together. Have your say early, while changes are still "
                "easy to make.</p>"
            ),
        },
        "body": {
            "fi": [
                heading("Yhdessä suunniteltua"),
                text(
                    "<p>Turun palveluja kehitetään avoimesti: suunnitelmat, "
                    "kommentit ja työpajojen tulokset julkaistaan avoimena "
                    "datana, jotta kuka tahansa voi tarkastella niitä ja "
                    "rakentaa niiden päälle.</p>"
                ),
            ],
            "sv": [
                heading("Planerat tillsammans"),
                text(
                    "<p>Åbos tjänster utvecklas öppet: planer, kommentarer och "
                    "resultaten från verkstäderna publiceras som öppna data, så "
                    "att vem som helst kan granska dem och bygga vidare på "
                    "dem.</p>"
                ),
            ],
            "en": [
                heading("Designed together"),
                text(
                    "<p>Turku develops its services in the open: plans, comments "
                    "and workshop results are published as open data so that "
                    "anyone can examine them and build on them.</p>"
                ),
            ],
        },
    },
}

PRIVACY = {
    "fi": {
        "title": "Tietosuojaseloste",
        "slug": "tietosuojaseloste",
        "summary": (
            "Mitä tietoja Palvelupaja sinusta käsittelee, miksi ja miten voit "
            "käyttää oikeuksiasi."
        ),
        "body": [
            heading("Rekisterinpitäjä"),
            text(
                "<p>Rekisterinpitäjä on se kaupunki, jonka osallistumiseen otat "
                "osaa (esimerkiksi Helsingin tai Turun kaupunki). Kaupungin "
                "tietosuojavastaavan yhteystiedot löytyvät kaupungin "
                "verkkosivuilta.</p>"
            ),
            heading("Mitä tietoja käsittelemme"),
            text(
                "<ul><li><strong>Käyttäjätili:</strong> sähköpostiosoite, "
                "julkinen nimimerkki ja kieli, jolla haluat asioida.</li>"
                "<li><strong>Kirjoittamasi sisältö:</strong> kommentit, "
                "palveluunelmat ja työpajojen muistilaput. Ne ovat julkisia.</li>"
                "<li><strong>Vapaaehtoiset taustatiedot:</strong> ikäryhmä, "
                "asuinalue ja äidinkieli, vain jos annat niihin erikseen "
                "suostumuksen. Niitä käytetään ainoastaan tilastoihin.</li>"
                "<li><strong>Tekniset tiedot:</strong> istuntoevästeet, jotka "
                "pitävät sinut kirjautuneena. Emme käytä seuranta- tai "
                "mainosevästeitä.</li></ul>"
            ),
            heading("Avoin data ilman henkilötietoja"),
            text(
                "<p>Julkinen sisältö julkaistaan avoimena datana. Nimesi, "
                "sähköpostiosoitteesi ja tunnisteesi eivät ole datassa: "
                "kirjoittaja näkyy pysyvänä salanimenä.</p>"
            ),
            heading("Oikeutesi"),
            text(
                "<ul><li>Voit ladata kaikki sinusta tallennetut tiedot omalta "
                "sivultasi.</li><li>Voit peruuttaa suostumuksen milloin tahansa; "
                "sen kattamat tiedot poistetaan heti.</li><li>Voit poistaa "
                "tilisi. Henkilötietosi poistetaan heti, ja kirjoittamasi sisältö "
                "jää näkyviin merkinnällä ”poistettu käyttäjä”.</li><li>Voit "
                "tehdä valituksen tietosuojavaltuutetun toimistolle.</li></ul>"
            ),
        ],
    },
    "sv": {
        "title": "Dataskyddsbeskrivning",
        "slug": "dataskyddsbeskrivning",
        "summary": (
            "Vilka uppgifter om dig Palvelupaja behandlar, varför och hur du kan "
            "använda dina rättigheter."
        ),
        "body": [
            heading("Personuppgiftsansvarig"),
            text(
                "<p>Personuppgiftsansvarig är den stad vars deltagande du tar del "
                "av (till exempel Helsingfors eller Åbo stad). Kontaktuppgifterna "
                "till stadens dataskyddsombud finns på stadens webbplats.</p>"
            ),
            heading("Vilka uppgifter vi behandlar"),
            text(
                "<ul><li><strong>Användarkonto:</strong> e-postadress, offentlig "
                "signatur och det språk du vill använda.</li><li><strong>Innehåll "
                "du skriver:</strong> kommentarer, tjänstedrömmar och lappar i "
                "verkstäder. De är offentliga.</li><li><strong>Frivilliga "
                "bakgrundsuppgifter:</strong> åldersgrupp, bostadsområde och "
                "modersmål, endast om du särskilt samtycker till det. De används "
                "enbart för statistik.</li><li><strong>Tekniska uppgifter:"
                "</strong> sessionskakor som håller dig inloggad. Vi använder "
                "inga spårnings- eller reklamkakor.</li></ul>"
            ),
            heading("Öppna data utan personuppgifter"),
            text(
                "<p>Offentligt innehåll publiceras som öppna data. Ditt namn, "
                "din e-postadress och dina identifierare finns inte i datan: "
                "skribenten visas med en bestående pseudonym.</p>"
            ),
            heading("Dina rättigheter"),
            text(
                "<ul><li>Du kan ladda ner alla uppgifter som sparats om dig på "
                "din egen sida.</li><li>Du kan när som helst återkalla ett "
                "samtycke; uppgifterna det omfattar raderas genast.</li><li>Du "
                "kan radera ditt konto. Dina personuppgifter raderas genast, och "
                "innehåll du skrivit blir kvar med markeringen ”raderad "
                "användare”.</li><li>Du kan lämna in ett klagomål till "
                "dataombudsmannens byrå.</li></ul>"
            ),
        ],
    },
    "en": {
        "title": "Privacy notice",
        "slug": "privacy-notice",
        "summary": (
            "What personal data Palvelupaja processes about you, why, and how to "
            "use your rights."
        ),
        "body": [
            heading("Controller"),
            text(
                "<p>The controller is the city whose participation you take part "
                "in (for example the City of Helsinki or the City of Turku). The "
                "contact details of the city's data protection officer are on the "
                "city's website.</p>"
            ),
            heading("What data we process"),
            text(
                "<ul><li><strong>Your account:</strong> e-mail address, public "
                "display name and the language you prefer.</li><li><strong>What "
                "you write:</strong> comments, service dreams and workshop notes. "
                "They are public.</li><li><strong>Optional background details:"
                "</strong> age band, home district and first language, only if "
                "you give separate consent. They are used for statistics only."
                "</li><li><strong>Technical data:</strong> session cookies that "
                "keep you logged in. We use no tracking or advertising cookies."
                "</li></ul>"
            ),
            heading("Open data without personal data"),
            text(
                "<p>Public content is published as open data. Your name, e-mail "
                "address and identifiers are not in the data: the author appears "
                "as a stable pseudonym.</p>"
            ),
            heading("Your rights"),
            text(
                "<ul><li>You can download everything stored about you from your "
                "own page.</li><li>You can withdraw a consent at any time; the "
                "details it covered are erased at once.</li><li>You can delete "
                "your account. Your personal data is removed at once, and what "
                "you wrote stays, shown as written by a “removed user”.</li>"
                "<li>You can lodge a complaint with the Office of the Data "
                "Protection Ombudsman.</li></ul>"
            ),
        ],
    },
}

HOUSE_RULES = {
    "fi": {
        "title": "Pelisäännöt",
        "slug": "pelisaannot",
        "summary": (
            "Näiden sääntöjen avulla keskustelu pysyy asiallisena ja kaikille "
            "turvallisena. Moderaattorit viittaavat sääntöihin numerolla."
        ),
        "body": [
            text(
                "<ol><li><strong>Kunnioita muita.</strong> Arvostele ajatuksia, "
                "älä ihmisiä.</li><li><strong>Ei vihapuhetta eikä häirintää."
                "</strong> Syrjivä, uhkaava tai halventava kirjoittelu "
                "poistetaan.</li><li><strong>Pysy aiheessa.</strong> Kirjoita "
                "siitä palvelusta tai osiosta, jota keskustelu koskee.</li><li>"
                "<strong>Älä jaa henkilötietoja.</strong> Älä kirjoita omia tai "
                "muiden yhteystietoja, terveystietoja tai muita "
                "yksityisasioita.</li><li><strong>Ei mainontaa eikä roskapostia."
                "</strong> Yritykset ovat tervetulleita ideoimaan, mutta eivät "
                "markkinoimaan.</li><li><strong>Noudata lakia.</strong> Älä "
                "julkaise toisten tekijänoikeuksin suojattua aineistoa ilman "
                "lupaa.</li><li><strong>Yksi ihminen, yksi tili.</strong> Älä "
                "esiinny toisena henkilönä.</li></ol>"
            ),
            heading("Moderointi"),
            text(
                "<p>Moderaattori voi piilottaa viestin, joka rikkoo sääntöjä, ja "
                "kertoo, mitä sääntöä (esimerkiksi ”sääntö 2”) viesti rikkoi. "
                "Voit ilmoittaa asiattomasta viestistä moderaattoreille "
                "viestin yhteydessä olevalla painikkeella.</p>"
            ),
        ],
    },
    "sv": {
        "title": "Spelregler",
        "slug": "spelregler",
        "summary": (
            "Med de här reglerna hålls diskussionen saklig och trygg för alla. "
            "Moderatorerna hänvisar till reglerna med nummer."
        ),
        "body": [
            text(
                "<ol><li><strong>Respektera andra.</strong> Kritisera idéer, inte "
                "människor.</li><li><strong>Inga hatiska uttalanden och inga "
                "trakasserier.</strong> Diskriminerande, hotfulla eller "
                "nedsättande inlägg tas bort.</li><li><strong>Håll dig till "
                "ämnet.</strong> Skriv om den tjänst eller det avsnitt som "
                "diskussionen gäller.</li><li><strong>Dela inte "
                "personuppgifter.</strong> Skriv inte dina eller andras "
                "kontaktuppgifter, hälsouppgifter eller andra privata "
                "saker.</li><li><strong>Ingen reklam och inget skräppost."
                "</strong> Företag är välkomna att komma med idéer, men inte att "
                "marknadsföra.</li><li><strong>Följ lagen.</strong> Publicera "
                "inte andras upphovsrättsligt skyddade material utan "
                "tillstånd.</li><li><strong>En människa, ett konto.</strong> "
                "Utge dig inte för att vara någon annan.</li></ol>"
            ),
            heading("Moderering"),
            text(
                "<p>En moderator kan dölja ett inlägg som bryter mot reglerna och "
                "berättar vilken regel (till exempel ”regel 2”) inlägget bröt "
                "mot. Du kan anmäla ett olämpligt inlägg till moderatorerna med "
                "knappen vid inlägget.</p>"
            ),
        ],
    },
    "en": {
        "title": "House rules",
        "slug": "house-rules",
        "summary": (
            "These rules keep the discussion relevant and safe for everyone. "
            "Moderators refer to them by number."
        ),
        "body": [
            text(
                "<ol><li><strong>Respect others.</strong> Criticise ideas, not "
                "people.</li><li><strong>No hate speech or harassment.</strong> "
                "Discriminating, threatening or demeaning posts are removed."
                "</li><li><strong>Stay on topic.</strong> Write about the service "
                "or section the discussion is about.</li><li><strong>Do not "
                "share personal data.</strong> Do not post your own or anyone "
                "else's contact details, health information or other private "
                "matters.</li><li><strong>No advertising or spam.</strong> "
                "Companies are welcome to contribute ideas, but not to market "
                "themselves.</li><li><strong>Follow the law.</strong> Do not "
                "publish material protected by someone else's copyright without "
                "permission.</li><li><strong>One person, one account.</strong> "
                "Do not pretend to be someone else.</li></ol>"
            ),
            heading("Moderation"),
            text(
                "<p>A moderator may hide a post that breaks these rules and says "
                "which rule (for example “house rule 2”) it broke. You can report "
                "an inappropriate post to the moderators with the button next to "
                "it.</p>"
            ),
        ],
    },
}

ACCESSIBILITY = {
    "fi": {
        "title": "Saavutettavuusseloste",
        "slug": "saavutettavuusseloste",
        "summary": (
            "Palvelupaja pyrkii siihen, että jokainen voi osallistua, myös "
            "avustavan teknologian kanssa ja puhelimella."
        ),
        "body": [
            heading("Saavutettavuuden tila"),
            text(
                "<p>Palvelupaja on tehty täyttämään WCAG 2.1 -ohjeiston AA-tason "
                "vaatimukset, kuten digitaalisten palvelujen tarjoamisesta "
                "annettu laki (306/2019) edellyttää. Sivut toimivat "
                "näppäimistöllä ja ruudunlukijalla, kommentointi toimii ilman "
                "JavaScriptiä ja palvelu on käytettävissä suomeksi, ruotsiksi "
                "ja englanniksi.</p>"
            ),
            heading("Tunnetut puutteet"),
            text(
                "<ul><li>Käyttäjien lisäämissä kuvissa ja upotetuissa videoissa "
                "voi puuttua tekstivastine tai tekstitys.</li><li>Työpajan "
                "taululla korttien järjestäminen vetämällä vaatii hiiren tai "
                "kosketuksen; samat toiminnot ovat käytettävissä myös "
                "painikkeilla.</li></ul>"
            ),
            heading("Palaute ja valvonta"),
            text(
                "<p>Jos huomaat saavutettavuuspuutteen, kerro siitä kaupungin "
                "palautekanavassa; vastaamme kahden viikon kuluessa. Jos et ole "
                "tyytyväinen vastaukseen, voit tehdä ilmoituksen "
                "valvontaviranomaiselle. Ohjeet löytyvät osoitteesta "
                '<a href="https://www.saavutettavuusvaatimukset.fi">'
                "saavutettavuusvaatimukset.fi</a>.</p>"
            ),
        ],
    },
    "sv": {
        "title": "Tillgänglighetsutlåtande",
        "slug": "tillganglighetsutlatande",
        "summary": (
            "Palvelupaja strävar efter att alla ska kunna delta, också med "
            "hjälpmedel och med mobiltelefon."
        ),
        "body": [
            heading("Tillgänglighetens status"),
            text(
                "<p>Palvelupaja har byggts för att uppfylla kraven på nivå AA i "
                "WCAG 2.1, så som lagen om tillhandahållande av digitala tjänster "
                "(306/2019) förutsätter. Sidorna fungerar med tangentbord och "
                "skärmläsare, kommentarsfunktionen fungerar utan JavaScript och "
                "tjänsten finns på finska, svenska och engelska.</p>"
            ),
            heading("Kända brister"),
            text(
                "<ul><li>Bilder och inbäddade videor som användare lagt till kan "
                "sakna textalternativ eller textning.</li><li>På verkstadens "
                "tavla kräver det mus eller pekskärm att dra kort; samma "
                "funktioner finns också som knappar.</li></ul>"
            ),
            heading("Respons och tillsyn"),
            text(
                "<p>Om du märker en brist i tillgängligheten, berätta om den i "
                "stadens responskanal; vi svarar inom två veckor. Om du inte är "
                "nöjd med svaret kan du göra en anmälan till "
                "tillsynsmyndigheten. Anvisningar finns på "
                '<a href="https://www.webbtillganglighet.fi">'
                "webbtillganglighet.fi</a>.</p>"
            ),
        ],
    },
    "en": {
        "title": "Accessibility statement",
        "slug": "accessibility-statement",
        "summary": (
            "Palvelupaja aims to let everyone take part, including with assistive "
            "technology and on a phone."
        ),
        "body": [
            heading("Compliance status"),
            text(
                "<p>Palvelupaja is built to meet level AA of the WCAG 2.1 "
                "guidelines, as the Finnish Act on the Provision of Digital "
                "Services (306/2019) requires. The pages work with a keyboard and "
                "a screen reader, commenting works without JavaScript, and the "
                "service is available in Finnish, Swedish and English.</p>"
            ),
            heading("Known shortcomings"),
            text(
                "<ul><li>Images and embedded videos added by users may lack a "
                "text alternative or captions.</li><li>On a workshop board, "
                "dragging cards needs a mouse or touch; the same actions are "
                "also available as buttons.</li></ul>"
            ),
            heading("Feedback and enforcement"),
            text(
                "<p>If you notice an accessibility problem, tell us through the "
                "city's feedback channel; we answer within two weeks. If you are "
                "not satisfied with the answer, you can notify the supervisory "
                "authority. Instructions are at "
                '<a href="https://www.saavutettavuusvaatimukset.fi/en">'
                "saavutettavuusvaatimukset.fi</a>.</p>"
            ),
        ],
    },
}

OPEN_DATA = {
    "fi": {
        "title": "Avoin data",
        "slug": "avoin-data",
        "summary": (
            "Kaikki Palvelupajan julkinen sisältö on avointa dataa CC BY 4.0 "
            "-lisenssillä, kaikille yhtä aikaa."
        ),
        "body": [
            text(
                "<p>Suunnitellut palvelut, kommentit, palveluunelmat, työpajojen "
                "kortit ja kaupunkien vastaukset julkaistaan avoimena datana heti, "
                "kun ne ovat julkisia. Datasetit ovat osoitteessa "
                '<a href="/api/v1/">/api/v1/</a>: rajapinta, '
                "kokonaislataukset (CSV, JSON Lines, Parquet) ja DCAT-AP-"
                "aineistoluettelo.</p>"
            ),
            heading("Datasetit ja esimerkit"),
            text(
                "<ul><li>services: suunnitellut palvelut</li><li>sections: "
                "palvelujen osiot (key on sama kaikilla kieliversioilla)</li>"
                "<li>comments: näkyvät kommentit ja vastaukset (suodatus "
                "osioittain: ?section=)</li><li>dreams: palveluunelmat ja "
                "niiden aiheet</li><li>responses: "
                "kaupunkien vastaukset</li><li>workshops: työpajat, joiden "
                "tulokset on julkaistu</li><li>cards: julkaistujen "
                "työpajojen kortit ja äänet</li><li>participation-stats: "
                "osallistujamäärät kaupungeittain ja kuukausittain, "
                "k-anonyymisti (k=5)</li></ul>"
            ),
            text(
                "<p>Rajapintaa voi käyttää ilman kirjautumista 60 pyyntöä "
                "minuutissa. Ylläpito myöntää pyynnöstä API-avaimen, jolla raja "
                "on 600 pyyntöä minuutissa: lähetä se otsakkeessa "
                "Authorization: Api-Key &lt;avain&gt;. Raja ja jäljellä olevat "
                "pyynnöt kerrotaan otsakkeissa X-RateLimit-Limit, "
                "X-RateLimit-Remaining ja X-RateLimit-Reset.</p>"
            ),
            text(
                "<p>Jokaisella rivillä on id, city, created_at ja "
                "updated_at; kirjoitetuilla riveillä author on salanimi ja "
                "created_at pyöristetään alas tasatuntiin. Sarakkeet "
                "kuvataan osoitteessa <a "
                'href="/api/v1/docs/">/api/v1/docs/</a>. CSV-tiedostossa =, '
                "+, -, @, sarkaimella tai rivinvaihdolla alkaviin soluihin "
                "lisätään heittomerkki ('), jottei taulukkolaskenta suorita "
                "niitä kaavoina.</p>"
            ),
            text(
                "<p>Esimerkki komentorivillä: curl "
                '"https://palvelupaja.example.fi/api/v1/comments/?city=helsin'
                'ki&amp;updated_since=2026-01-01T00:00:00Z"</p>'
            ),
            text(
                "<p>Esimerkki pandasilla: "
                'pandas.read_parquet("https://palvelupaja.example.fi/api/v1/e'
                'xports/comments.parquet") tai '
                'pandas.read_csv("https://palvelupaja.example.fi/api/v1/expor'
                'ts/comments.csv")</p>'
            ),
            heading("Lisenssi"),
            text(
                "<p>Data on lisensoitu Creative Commons Nimeä 4.0 "
                '(<a href="https://creativecommons.org/licenses/by/4.0/deed.fi">'
                "CC BY 4.0</a>) -lisenssillä: saat käyttää, muokata ja jakaa "
                "sitä myös kaupallisesti, kun mainitset lähteen, esimerkiksi "
                "”Lähde: Palvelupaja, Helsingin kaupunki, CC BY 4.0”.</p>"
            ),
            faq(
                "Usein kysyttyä",
                [
                    (
                        "Onko datassa henkilötietoja?",
                        "<p>Ei. Kirjoittajat näkyvät pysyvinä salaniminä, eikä "
                        "datassa ole nimiä, sähköpostiosoitteita eikä "
                        "IP-osoitteita.</p>",
                    ),
                    (
                        "Miksi osa riveistä on merkitty poistetuiksi?",
                        "<p>Piilotettu tai poistettu sisältö näkyy datassa "
                        "pelkkänä merkintänä, jotta kopiosi pysyy ajan "
                        "tasalla.</p>",
                    ),
                    (
                        "Kuinka usein data päivittyy?",
                        "<p>Heti. Voit hakea vain muuttuneet rivit "
                        "updated_since-parametrilla.</p>",
                    ),
                ],
            ),
        ],
    },
    "sv": {
        "title": "Öppna data",
        "slug": "oppna-data",
        "summary": (
            "Allt offentligt innehåll i Palvelupaja är öppna data med licensen "
            "CC BY 4.0, för alla på samma gång."
        ),
        "body": [
            text(
                "<p>Planerade tjänster, kommentarer, tjänstedrömmar, kort från "
                "verkstäder och städernas svar publiceras som öppna data genast "
                "när de är offentliga. Dataseten finns på "
                '<a href="/api/v1/">/api/v1/</a>: gränssnittet, hela '
                "nedladdningar (CSV, JSON Lines, Parquet) och en "
                "DCAT-AP-datakatalog.</p>"
            ),
            heading("Dataset och exempel"),
            text(
                "<ul><li>services: planerade tjänster</li><li>sections: "
                "tjänsternas avsnitt (key är samma i alla språkversioner)</li>"
                "<li>comments: synliga kommentarer och svar (filtrera per "
                "avsnitt: ?section=)</li><li>dreams: tjänstedrömmar och deras "
                "ämnen</li><li>responses: städernas "
                "svar</li><li>workshops: verkstäder vars resultat har "
                "publicerats</li><li>cards: lappar från publicerade "
                "verkstäder, med röster</li><li>participation-stats: antal "
                "deltagare per stad och månad, k-anonymt (k=5)</li></ul>"
            ),
            text(
                "<p>Gränssnittet kan användas utan inloggning med 60 förfrågningar "
                "i minuten. Administratörerna ger på begäran en API-nyckel med "
                "600 förfrågningar i minuten: skicka den i rubriken "
                "Authorization: Api-Key &lt;nyckel&gt;. Gränsen och de "
                "återstående förfrågningarna anges i rubrikerna "
                "X-RateLimit-Limit, X-RateLimit-Remaining och "
                "X-RateLimit-Reset.</p>"
            ),
            text(
                "<p>Varje rad har id, city, created_at och updated_at; på "
                "skrivna rader är author en pseudonym och created_at "
                "avrundas nedåt till hel timme. Kolumnerna beskrivs på <a "
                'href="/api/v1/docs/">/api/v1/docs/</a>. I CSV-filen får '
                "celler som börjar med =, +, -, @, tabb eller radbrytning en "
                "apostrof (') i början, så att kalkylprogram inte kör dem "
                "som formler.</p>"
            ),
            text(
                "<p>Exempel på kommandoraden: curl "
                '"https://palvelupaja.example.fi/api/v1/comments/?city=helsin'
                'ki&amp;updated_since=2026-01-01T00:00:00Z"</p>'
            ),
            text(
                "<p>Exempel med pandas: "
                'pandas.read_parquet("https://palvelupaja.example.fi/api/v1/e'
                'xports/comments.parquet") eller '
                'pandas.read_csv("https://palvelupaja.example.fi/api/v1/expor'
                'ts/comments.csv")</p>'
            ),
            heading("Licens"),
            text(
                "<p>Datan är licensierad med Creative Commons Erkännande 4.0 "
                '(<a href="https://creativecommons.org/licenses/by/4.0/deed.sv">'
                "CC BY 4.0</a>): du får använda, bearbeta och dela den, också "
                "kommersiellt, när du anger källan, till exempel ”Källa: "
                "Palvelupaja, Helsingfors stad, CC BY 4.0”.</p>"
            ),
            faq(
                "Vanliga frågor",
                [
                    (
                        "Finns det personuppgifter i datan?",
                        "<p>Nej. Skribenterna visas med bestående pseudonymer, "
                        "och datan innehåller inga namn, e-postadresser eller "
                        "IP-adresser.</p>",
                    ),
                    (
                        "Varför är en del rader markerade som borttagna?",
                        "<p>Dolt eller raderat innehåll syns i datan endast som "
                        "en markering, så att din kopia hålls aktuell.</p>",
                    ),
                    (
                        "Hur ofta uppdateras datan?",
                        "<p>Genast. Du kan hämta bara de ändrade raderna med "
                        "parametern updated_since.</p>",
                    ),
                ],
            ),
        ],
    },
    "en": {
        "title": "Open data",
        "slug": "open-data",
        "summary": (
            "Everything public in Palvelupaja is open data under the CC BY 4.0 "
            "licence, for everyone at the same time."
        ),
        "body": [
            text(
                "<p>Planned services, comments, service dreams, workshop cards and "
                "the cities' responses are published as open data as soon as they "
                "are public. The datasets are at "
                '<a href="/api/v1/">/api/v1/</a>: the API, bulk downloads '
                "(CSV, JSON Lines, Parquet) and a DCAT-AP catalogue.</p>"
            ),
            heading("Datasets and examples"),
            text(
                "<ul><li>services: planned services</li><li>sections: the "
                "services' sections (key is shared by the language versions)</li>"
                "<li>comments: visible comments and replies (filter by section: "
                "?section=)</li><li>dreams: service dreams and their topics</li>"
                "<li>responses: the cities' "
                "responses</li><li>workshops: workshops whose results were "
                "published</li><li>cards: cards of published workshops, with "
                "votes</li><li>participation-stats: participation counts per "
                "city and month, k-anonymous (k=5)</li></ul>"
            ),
            text(
                "<p>The API can be used without logging in, 60 requests a "
                "minute. On request, the administrators issue an API key that "
                "allows 600 requests a minute: send it in the header "
                "Authorization: Api-Key &lt;key&gt;. The limit and the requests "
                "left are stated in the X-RateLimit-Limit, X-RateLimit-Remaining "
                "and X-RateLimit-Reset headers.</p>"
            ),
            text(
                "<p>Every row has id, city, created_at and updated_at; on "
                "authored rows author is a pseudonym and created_at is "
                "rounded down to the hour. The columns are described at <a "
                'href="/api/v1/docs/">/api/v1/docs/</a>. In CSV files, cells '
                "starting with =, +, -, @, tab or a line break get a leading "
                "apostrophe (') so that spreadsheets do not run them as "
                "formulas.</p>"
            ),
            text(
                "<p>On the command line: curl "
                '"https://palvelupaja.example.fi/api/v1/comments/?city=helsin'
                'ki&amp;updated_since=2026-01-01T00:00:00Z"</p>'
            ),
            text(
                "<p>With pandas: "
                'pandas.read_parquet("https://palvelupaja.example.fi/api/v1/e'
                'xports/comments.parquet") or '
                'pandas.read_csv("https://palvelupaja.example.fi/api/v1/expor'
                'ts/comments.csv")</p>'
            ),
            heading("Licence"),
            text(
                "<p>The data is licensed under Creative Commons Attribution 4.0 "
                '(<a href="https://creativecommons.org/licenses/by/4.0/">'
                "CC BY 4.0</a>): you may use, adapt and share it, commercially "
                "too, as long as you credit the source, for example “Source: "
                "Palvelupaja, City of Helsinki, CC BY 4.0”.</p>"
            ),
            faq(
                "Frequently asked questions",
                [
                    (
                        "Is there personal data in the data?",
                        "<p>No. Authors appear as stable pseudonyms, and the data "
                        "contains no names, e-mail addresses or IP addresses.</p>",
                    ),
                    (
                        "Why are some rows marked as removed?",
                        "<p>Hidden or deleted content appears in the data only as "
                        "a marker, so that your copy stays in sync.</p>",
                    ),
                    (
                        "How often is the data updated?",
                        "<p>At once. You can fetch only the rows that changed "
                        "with the updated_since parameter.</p>",
                    ),
                ],
            ),
        ],
    },
}

# Top-level content pages, in the order they appear in the footer.
CONTENT_PAGES = {
    "privacy": PRIVACY,
    "house_rules": HOUSE_RULES,
    "accessibility": ACCESSIBILITY,
    "open_data": OPEN_DATA,
}
