from accounts.selectors import personal_data_export
from discussions.models import SupportValue
from discussions.services import comment_create, comment_like, discussion_support


def test_personal_data_export_holds_their_comments_likes_and_positions(
    discussion, resident, resident2, as_participant
):
    mine = comment_create(
        discussion=discussion, participant=as_participant(resident), text="Hyvä idea"
    )
    theirs = comment_create(
        discussion=discussion, participant=as_participant(resident2), text="Huono idea"
    )
    comment_like(comment=theirs, participant=as_participant(resident))
    discussion_support(
        discussion=discussion,
        participant=as_participant(resident),
        value=SupportValue.SUPPORT,
    )

    data = personal_data_export(resident)["participation"]

    assert [c["text"] for c in data["comments"]] == ["Hyvä idea"]
    assert data["comments"][0]["id"] == mine.pk
    assert [like["comment"] for like in data["likes"]] == [theirs.pk]
    assert len(data["positions"]) == 1
    assert "Huono idea" not in str(data)


def test_deleted_account_leaves_comments_attributed_to_removed_user(
    client, service, discussion, resident, as_participant
):
    from accounts.services import account_delete

    comment = comment_create(
        discussion=discussion,
        participant=as_participant(resident),
        text="Pidän tästä suunnitelmasta",
    )

    account_delete(user=resident)

    comment.refresh_from_db()
    assert comment.author_id is None
    assert comment.text == "Pidän tästä suunnitelmasta"
    page = client.get(service.url).content.decode()
    assert "Pidän tästä suunnitelmasta" in page
    assert "removed user" in page or "poistettu käyttäjä" in page
    assert "Riikka" not in page
