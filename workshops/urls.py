from django.urls import path

from workshops import views
from workshops.panels.urls import urlpatterns as panel_urlpatterns
from workshops.views import paper

app_name = "workshops"

urlpatterns = [
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.join, name="join_code"),
    path("workshops/", views.workshop_list, name="list"),
    path("workshops/new/", views.workshop_create, name="create"),
    path("workshops/public/", views.public_results, name="public"),
    path("workshops/templates/", views.board_template_list, name="templates"),
    path(
        "workshops/templates/<int:template_id>/delete/",
        views.board_template_delete,
        name="template_delete",
    ),
    path("workshops/<int:pk>/", views.workshop_detail, name="detail"),
    path("workshops/<int:pk>/edit/", views.workshop_edit, name="edit"),
    path("workshops/<int:pk>/join-sheet/", views.join_sheet, name="join_sheet"),
    path("workshops/<int:pk>/close/", views.workshop_close, name="close"),
    path("workshops/<int:pk>/publish/", views.workshop_publish, name="publish"),
    path(
        "workshops/<int:pk>/participants/<int:participant_id>/remove/",
        views.participant_remove,
        name="participant_remove",
    ),
    path(
        "workshops/<int:pk>/participants/<int:participant_id>/readmit/",
        views.participant_readmit,
        name="participant_readmit",
    ),
    path(
        "workshops/<int:pk>/participants/<int:participant_id>/admit/",
        views.participant_admit,
        name="participant_admit",
    ),
    path("workshops/<int:pk>/results/", views.results, name="results"),
    path(
        "workshops/<int:pk>/results.<str:fmt>",
        views.results_download,
        name="results_download",
    ),
    path("workshops/<int:pk>/boards/<int:board_id>/", views.board, name="board"),
    path(
        "workshops/<int:pk>/boards/<int:board_id>/columns/",
        views.board_columns,
        name="board_columns",
    ),
    path(
        "workshops/<int:pk>/boards/<int:board_id>/save-template/",
        views.board_template_save,
        name="template_save",
    ),
    path(
        "workshops/<int:pk>/boards/<int:board_id>/cards/",
        views.card_add,
        name="card_add",
    ),
    path(
        "workshops/<int:pk>/boards/<int:board_id>/dreams/",
        views.board_dreams,
        name="board_dreams",
    ),
    path(
        "workshops/<int:pk>/boards/<int:board_id>/suggest-groups/",
        views.board_suggest_groups,
        name="board_suggest_groups",
    ),
    path(
        "workshops/<int:pk>/cards/<int:card_id>/dream/",
        views.card_dream,
        name="card_dream",
    ),
    path(
        "workshops/<int:pk>/boards/<int:board_id>/console/",
        views.board_console,
        name="board_console",
    ),
    # Paper and in-person input (workshops/views/paper.py).
    path("workshops/<int:pk>/kit/", paper.kit, name="kit"),
    path(
        "workshops/<int:pk>/boards/<int:board_id>/paper/",
        paper.paper_cards,
        name="paper_cards",
    ),
    path(
        "workshops/<int:pk>/boards/<int:board_id>/photos/",
        paper.board_photos,
        name="board_photos",
    ),
    path(
        "workshops/<int:pk>/photos/<int:photo_id>/",
        paper.board_photo_change,
        name="board_photo_change",
    ),
]

# Customer panels (workshops/panels/).
urlpatterns += panel_urlpatterns
