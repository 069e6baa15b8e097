"""The privacy notice (tietosuojaseloste) in Finnish, Swedish and English."""

from cms.demo.blocks import heading, text

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
                "asuinalue, äidinkieli ja sukupuoli, kukin vain jos annat siihen "
                "erikseen suostumuksen. Niitä käytetään ainoastaan tilastoihin, "
                "ja suostumuksen peruminen poistaa tiedon. Erillisellä "
                "suostumuksella sinut voidaan kutsua asiakasraatiin. Alle "
                "18-vuotiailta kysytään vain ikäryhmä.</li>"
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
                "bakgrundsuppgifter:</strong> åldersgrupp, bostadsområde, "
                "modersmål och kön, var och en endast om du särskilt samtycker "
                "till den. De används enbart för statistik, och återkallat "
                "samtycke raderar uppgiften. Med ett separat samtycke kan du "
                "bjudas in till en kundpanel. Av personer under 18 år frågas "
                "endast åldersgruppen.</li><li><strong>Tekniska uppgifter:"
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
                "</strong> age band, home district, first language and gender, "
                "each only if you consent to it separately. They are used for "
                "statistics only, and withdrawing consent deletes the detail. "
                "With a separate consent you may be invited to a customer "
                "panel. People under 18 are asked only their age band."
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
