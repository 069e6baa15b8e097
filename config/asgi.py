"""ASGI entry point: HTTP to Django, WebSockets through origin and auth checks."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from core.realtime.origin import SameOriginValidator  # noqa: E402
from core.text.analysis import warm_up_in_background  # noqa: E402

# The lemmatiser's dictionaries take seconds to load: a server loads them as it
# starts, so that its first search (or dream list with `?q=`) does not wait.
warm_up_in_background()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SameOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
