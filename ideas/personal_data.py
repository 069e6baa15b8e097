"""What ideas stores about a person, for `/accounts/me/data/`."""

from ideas.models import Dream, DreamSupport


def ideas_personal_data(user) -> dict:
    """The dreams `user` wrote and the dreams they support."""
    dreams = Dream.objects.filter(author=user).select_related("city", "district")
    supports = DreamSupport.objects.filter(user=user).select_related("dream")
    return {
        "dreams": [
            {
                "id": dream.pk,
                "title": dream.title,
                "description": dream.description,
                "what_would_change": dream.what_would_change,
                "target_group": dream.target_group,
                "city": dream.city.slug if dream.city else "",
                "district": dream.district.name if dream.district else "",
                "language": dream.language,
                "status": dream.status,
                "address": dream.get_absolute_url(),
                "created_at": dream.created_at,
            }
            for dream in dreams.order_by("created_at", "id")
        ],
        "supports": [
            {
                "dream": support.dream_id,
                "title": support.dream.title,
                "created_at": support.created_at,
            }
            for support in supports.order_by("created_at", "id")
        ],
    }
