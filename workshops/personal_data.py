"""What workshops store about a person, for `/accounts/me/data/`."""

from workshops.models import Card, Participant


def workshops_personal_data(user) -> dict:
    """The workshops `user` took part in while logged in, and the cards they wrote."""
    participations = Participant.objects.filter(user=user).select_related("workshop")
    cards = Card.objects.filter(author__user=user).select_related("board__workshop")
    return {
        "participations": [
            {
                "workshop": participant.workshop.title,
                "display_name": participant.display_name,
                "joined_at": participant.created_at,
                "removed_at": participant.removed_at,
            }
            for participant in participations.order_by("created_at", "id")
        ],
        "cards": [
            {
                "id": card.pk,
                "workshop": card.board.workshop.title,
                "board": card.board.title,
                "text": card.text,
                "group": card.group,
                "created_at": card.created_at,
            }
            for card in cards.order_by("created_at", "id")
        ],
    }
