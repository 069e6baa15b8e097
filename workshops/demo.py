"""Demo content: a finished Service Jam with published results (one of its cards
became a service dream), and an upcoming customer panel that anyone can join with
the code printed in the README (a service dream waits on its board as a card)."""

from datetime import timedelta

from django.utils import timezone

from ideas.models import CLOSED_STATUSES, Dream, TargetGroup
from workshops import services
from workshops.models import Card, Method, Workshop
from workshops.protocol import Message

FINISHED_CODE = "PAJA25"
UPCOMING_CODE = "JAM242"

JAM_CARDS = {
    # column index: [(text, cluster, votes)]
    0: [
        ("Lapsiperhe, joka asioi kirjastossa iltaisin", "Perheet", 3),
        ("Eläkeläinen, joka ei käytä älypuhelinta", "Ikäihmiset", 4),
        ("Vastikään Suomeen muuttanut opiskelija", "", 2),
    ],
    1: [
        ("Hiljainen paikka tehdä etätöitä", "Tilat", 3),
        ("Apua digiasioinnissa omalla kielellä", "Digituki", 5),
        ("Aukioloajat, jotka sopivat vuorotyöhön", "Tilat", 2),
    ],
    2: [
        ("Digituutorit kirjastoon kahtena iltana viikossa", "Digituki", 6),
        ("Omatoimikirjasto auki klo 6–23", "Aukiolo", 4),
        ("Varattavat hiljaiset kopit sovelluksella", "Tilat", 1),
    ],
    3: [
        ("Paperiprototyyppi: digituen ajanvarauslomake", "", 3),
        ("Roolileikki: ensikäynti kirjastossa", "", 1),
    ],
}


def _access(workshop: Workshop, participant, facilitator=False):
    board = workshop.boards.get()
    return services.BoardAccess(
        board_id=board.pk,
        workshop_id=workshop.pk,
        participant_id=participant.pk,
        display_name=participant.display_name,
        facilitator=facilitator,
    )


def _change(access, user, kind: str, op: str, **fields) -> int:
    message = Message(type=kind, op=op, fields=fields)
    return services.board_change(access=access, user=user, message=message).seq


def _finished_jam(*, city, facilitator) -> None:
    if Workshop.objects.filter(join_code=FINISHED_CODE).exists():
        return
    start = timezone.now() - timedelta(days=14)
    workshop = services.workshop_create(
        user=facilitator,
        city=city,
        title="Kirjastojami: kirjasto kaikille",
        description=(
            "Kolmen tunnin palvelujami, jossa asukkaat ja kirjaston henkilökunta "
            "kehittivät kirjaston iltapalveluja."
        ),
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        method=Method.SERVICE_JAM,
        join_code=FINISHED_CODE,
    )
    board = workshop.boards.get()
    columns = list(board.columns.all())
    people = [
        services.participant_join(workshop=workshop, display_name=name)
        for name in ("Aino", "Mikko", "Leena", "Yusuf", "Sanna", "Pekka")
    ]
    fac = _access(
        workshop,
        services.participant_for_facilitator(workshop=workshop, user=facilitator),
        facilitator=True,
    )
    _change(fac, facilitator, "vote.budget", "demo-budget", budget=10)
    # The demo writes and votes card by card: voting opened outside its phase.
    _change(fac, facilitator, "voting.set", "demo-voting", open=True)
    voter = 0
    for column_index, cards in JAM_CARDS.items():
        for n, (text, cluster, votes) in enumerate(cards):
            author = people[(column_index + n) % len(people)]
            access = _access(workshop, author)
            seq = _change(
                access,
                None,
                "card.add",
                f"demo-card-{column_index}-{n}",
                column=columns[column_index].pk,
                text=text,
            )
            card_id = board.events.get(seq=seq).payload["card"]["id"]
            if cluster:
                _change(
                    access,
                    None,
                    "card.group",
                    f"demo-group-{card_id}",
                    card=card_id,
                    group=cluster,
                )
            for v in range(votes):
                person = people[voter % len(people)]
                voter += 1
                _change(
                    _access(workshop, person),
                    None,
                    "vote.cast",
                    f"demo-vote-{card_id}-{v}",
                    card=card_id,
                )
    workshop = services.workshop_close(
        user=facilitator,
        workshop=workshop,
        summary=(
            "Tärkein tarve oli digituki omalla kielellä iltaisin. Kirjasto kokeilee "
            "digituutoreita keväällä kahtena iltana viikossa.\n\n"
            "Aukioloajoista jatketaan omatoimikirjaston kokeilua."
        ),
    )
    services.workshop_publish(user=facilitator, workshop=workshop, published=True)


def _upcoming_panel(*, city, facilitator) -> None:
    if Workshop.objects.filter(join_code=UPCOMING_CODE).exists():
        return
    start = (timezone.now() + timedelta(days=7)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )
    services.workshop_create(
        user=facilitator,
        city=city,
        title="Asiakasraati: joukkoliikenteen iltavuorot",
        description="Kerro, miten iltabussit palvelevat sinua. Liity koodilla JAM242.",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        method=Method.CUSTOMER_PANEL,
        capacity=30,
        join_code=UPCOMING_CODE,
    )


# The jam card that became a dream, and the dream placed on the panel's board.
JAM_DREAM_CARD = "Digituutorit kirjastoon kahtena iltana viikossa"
PANEL_DREAM_TITLE = "Yöbussit viikonloppuisin saaristoon"


def _jam_card_dream(*, facilitator) -> None:
    jam = Workshop.objects.filter(join_code=FINISHED_CODE).first()
    if jam is None:
        return
    cards = Card.objects.filter(board__workshop=jam)
    if cards.filter(became_dream__isnull=False).exists():
        return
    card = cards.filter(text=JAM_DREAM_CARD).first()
    if card is None:
        return
    services.card_dream_create(
        workshop=jam,
        card=card,
        by=facilitator,
        title="Digituutorit kirjastoon iltaisin",
        description=(
            f"{card.text}.\n\nKirjastojamissa eniten ääniä saanut idea: "
            "digituki omalla kielellä iltaisin, kun työssäkäyvät ja "
            "vuorotyöläiset ehtivät kirjastoon."
        ),
        city=jam.city,
        target_group=TargetGroup.SENIORS,
    )


def _panel_dream_card(*, facilitator) -> None:
    panel = Workshop.objects.filter(join_code=UPCOMING_CODE).first()
    if panel is None or panel.is_closed:
        return
    board = panel.boards.order_by("position", "id").first()
    if Card.objects.filter(board=board, from_dream__isnull=False).exists():
        return
    dream = (
        Dream.objects.filter(title=PANEL_DREAM_TITLE, city=panel.city)
        .exclude(status__in=CLOSED_STATUSES)
        .first()
    )
    if dream is None:  # the ideas demo was not loaded
        return
    column = board.columns.order_by("-position", "-id").first()  # what to improve
    services.cards_place_dreams(
        board=board, column=column, dreams=[dream], by=facilitator
    )


def load(*, cities, city_pages, users, stdout) -> None:
    facilitator = users["facilitator"]
    _finished_jam(city=cities["helsinki"], facilitator=facilitator)
    _upcoming_panel(city=cities["turku"], facilitator=facilitator)
    _jam_card_dream(facilitator=facilitator)
    _panel_dream_card(facilitator=facilitator)
    from workshops.panels import demo as panels_demo

    panels_demo.load(city=cities["helsinki"], facilitator=facilitator)
    stdout.write(
        f"Workshops: finished jam {FINISHED_CODE}, upcoming panel {UPCOMING_CODE}\n"
    )
