"""ASGI entry point: HTTP to Django, WebSockets through origin and auth checks."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from core.realtime.origin import SameOriginValidator  # noqa: E402
from core.text.analysis import warm_up  # noqa: E402

# The lemmatiser's dictionaries take seconds to load: a server loads them before
# it listens, so that its first search (or dream list with `?q=`) does not wait,
# and not in a thread beside its event loop, which that starves (see `warm_up`).
if settings.TEXT_WARM_UP:
    warm_up()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SameOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
