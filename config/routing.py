"""Every app's WebSocket routes, gathered for `config.asgi`."""

from advice.routing import websocket_urlpatterns as advice_routes
from workshops.routing import websocket_urlpatterns as workshop_routes

websocket_urlpatterns = [*workshop_routes, *advice_routes]
