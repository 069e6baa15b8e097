"""Every app's WebSocket routes, gathered for `config.asgi`."""

from workshops.routing import websocket_urlpatterns as workshop_routes

websocket_urlpatterns = [*workshop_routes]
