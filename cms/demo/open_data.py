"""The open data page (API, exports, licence, FAQ) in Finnish, Swedish and English."""

from django.conf import settings

from cms.demo.blocks import faq, heading, text

# Datasets with a direct download on the page, in the order the page lists them.
FORMATS = (("csv", "CSV"), ("jsonl", "JSON Lines"), ("parquet", "Parquet"))
DOWNLOADS = (
    "services",
    "sections",
    "comments",
    "dreams",
    "responses",
    "workshops",
    "cards",
    "participation-stats",
)


def downloads(title: str, excel: str, note: str) -> dict:
    """Direct links to every dataset's CSV, CSV for Excel (labelled `excel`),
    JSON Lines and Parquet download, and a `note` on the Excel variant."""
    items = "".join(
        f"<li>{name}: "
        + ", ".join(
            f'<a href="/api/v1/exports/{name}.{fmt}">{label}</a>'
            for fmt, label in (
                ("csv", "CSV"),
                ("excel.csv", excel),
                ("jsonl", "JSON Lines"),
                ("parquet", "Parquet"),
            )
        )
        + "</li>"
        for name in DOWNLOADS
    )
    return text(f"<h3>{title}</h3><p>{note}</p><ul>{items}</ul>")


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
                "niitä kaavoina. Tekstisarakkeet ovat pelkkää tekstiä "
                "sellaisena kuin ihmiset sen kirjoittivat, myös merkit &lt;, "
                "&gt; ja &amp;: muunna ne (escape), ennen kuin lisäät tekstin "
                "HTML-sivulle.</p>"
            ),
            text(
                "<p>Esimerkki komentorivillä: curl "
                '"{SITE}/api/v1/comments/?city=helsin'
                'ki&amp;updated_since=2026-01-01T00:00:00Z"</p>'
            ),
            text(
                "<p>Esimerkki pandasilla: "
                'pandas.read_parquet("{SITE}/api/v1/e'
                'xports/comments.parquet") tai '
                'pandas.read_csv("{SITE}/api/v1/expor'
                'ts/comments.csv")</p>'
            ),
            downloads(
                "Suorat lataukset",
                "CSV Excelille",
                "CSV Excelille on sama CSV-tiedosto Exceliä varten: "
                "UTF-8-merkistön tunnisteella (BOM), puolipisteellä "
                "erotettuna ja CRLF-rivinvaihdoin, joten suomen- ja "
                "ruotsinkielinen Excel avaa sen oikein "
                "kaksoisnapsautuksella. Osoite on muotoa "
                "/api/v1/exports/comments.excel.csv.",
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
                'href="/sv/api/v1/docs/">/sv/api/v1/docs/</a>. I CSV-filen får '
                "celler som börjar med =, +, -, @, tabb eller radbrytning en "
                "apostrof (') i början, så att kalkylprogram inte kör dem "
                "som formler. Textkolumnerna är ren text precis som "
                "människor skrev den, också tecknen &lt;, &gt; och &amp;: "
                "koda dem (escape) innan du sätter texten på en HTML-sida.</p>"
            ),
            text(
                "<p>Exempel på kommandoraden: curl "
                '"{SITE}/api/v1/comments/?city=helsin'
                'ki&amp;updated_since=2026-01-01T00:00:00Z"</p>'
            ),
            text(
                "<p>Exempel med pandas: "
                'pandas.read_parquet("{SITE}/api/v1/e'
                'xports/comments.parquet") eller '
                'pandas.read_csv("{SITE}/api/v1/expor'
                'ts/comments.csv")</p>'
            ),
            downloads(
                "Direkta nedladdningar",
                "CSV för Excel",
                "CSV för Excel är samma CSV-fil för Excel: med "
                "byteordningsmarkering för UTF-8 (BOM), semikolon mellan "
                "cellerna och CRLF-radbrytningar, så att finsk- och "
                "svenskspråkiga Excel öppnar den rätt med dubbelklick. "
                "Adressen har formen /api/v1/exports/comments.excel.csv.",
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
                'href="/en/api/v1/docs/">/en/api/v1/docs/</a>. In CSV files, cells '
                "starting with =, +, -, @, tab or a line break get a leading "
                "apostrophe (') so that spreadsheets do not run them as "
                "formulas. Text columns are plain text exactly as people typed "
                "it, including the characters &lt;, &gt; and &amp;: escape "
                "them before putting the text into an HTML page.</p>"
            ),
            text(
                "<p>On the command line: curl "
                '"{SITE}/api/v1/comments/?city=helsin'
                'ki&amp;updated_since=2026-01-01T00:00:00Z"</p>'
            ),
            text(
                "<p>With pandas: "
                'pandas.read_parquet("{SITE}/api/v1/e'
                'xports/comments.parquet") or '
                'pandas.read_csv("{SITE}/api/v1/expor'
                'ts/comments.csv")</p>'
            ),
            downloads(
                "Direct downloads",
                "CSV for Excel",
                "CSV for Excel is the same CSV file made for Excel: a UTF-8 "
                "byte-order mark (BOM), semicolons between cells and CRLF line "
                "ends, so that Excel in Finnish and Swedish opens it right with "
                "a double-click. Its address is "
                "/api/v1/exports/comments.excel.csv.",
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


def _at_this_site(language_pages: dict) -> None:
    """The examples name the address this site is served at (`SITE_URL`), so that
    they work when copied; a placeholder host would not."""
    site = settings.SITE_URL.rstrip("/")
    for page in language_pages.values():
        for block in page["body"]:
            if block["type"] == "rich_text":
                block["value"] = block["value"].replace("{SITE}", site)


_at_this_site(OPEN_DATA)
