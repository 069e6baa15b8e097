"""The house rules (pelisäännöt) in Finnish, Swedish and English."""

from cms.demo.blocks import heading, text

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
