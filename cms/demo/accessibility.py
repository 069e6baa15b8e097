"""The accessibility statement in Finnish, Swedish and English."""

from cms.demo.blocks import heading, text

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
