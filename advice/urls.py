"""The advice desk's pages (`/advice/…`); the sockets are in `advice/routing.py`."""

from django.urls import path

from advice import urls_ops
from advice.views import desk, resident

app_name = "advice"

urlpatterns: list = [
    path("", resident.chat_start_view, name="start"),
    path("chats/<int:pk>/", resident.chat_detail, name="chat"),
    path("chats/<int:pk>/send/", resident.chat_send, name="chat_send"),
    path("chats/<int:pk>/close/", resident.chat_close_view, name="chat_close"),
    path("chats/<int:pk>/rate/", resident.chat_rate, name="chat_rate"),
    path(
        "chats/<int:pk>/transcript/", resident.chat_transcript, name="chat_transcript"
    ),
    path("desk/", desk.desk, name="desk"),
    path("desk/status/", desk.desk_status, name="desk_status"),
    path("desk/accept/", desk.desk_accept, name="desk_accept"),
    path("desk/kb/", desk.desk_kb, name="desk_kb"),
    path("desk/chats/<int:pk>/", desk.desk_chat, name="desk_chat"),
    path("desk/chats/<int:pk>/send/", desk.desk_send, name="desk_send"),
    path("desk/chats/<int:pk>/note/", desk.desk_note, name="desk_note"),
    path("desk/chats/<int:pk>/transfer/", desk.desk_transfer, name="desk_transfer"),
    path("desk/chats/<int:pk>/close/", desk.desk_close, name="desk_close"),
    path("desk/chats/<int:pk>/block/", desk.desk_block, name="desk_block"),
    path("desk/supervisor/", desk.supervisor, name="supervisor"),
    # advops: offline questions and publishing (advice/urls_ops.py).
    *urls_ops.urlpatterns,
]
