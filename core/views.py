import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.jobs import job_health

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "down"
        logger.exception("health check: database")
        return False


async def _layer_roundtrip() -> bool:
    layer = get_channel_layer()
    if layer is None:
        return False
    channel = await layer.new_channel("healthz.")
    await layer.send(channel, {"type": "healthz.ping"})
    message = await asyncio.wait_for(layer.receive(channel), timeout=2)
    return message.get("type") == "healthz.ping"


def _channel_layer_ok() -> bool:
    try:
        return async_to_sync(_layer_roundtrip)()
    except Exception:  # noqa: BLE001 - any failure means "down"
        logger.exception("health check: channel layer")
        return False


@never_cache
@require_GET
def healthz(request):
    """200 when the database and channel layer answer, else 503 naming what failed.

    Periodic jobs (`core.jobs`) are reported under "jobs"; one that has not
    succeeded for too long makes the status "degraded" but keeps the 200: the
    process still serves, so a load balancer must not take it out of rotation,
    while monitoring reads the status and the names under "stale_jobs"."""
    checks = {"database": _database_ok(), "channel_layer": _channel_layer_ok()}
    failed = [name for name, ok in checks.items() if not ok]
    jobs = _jobs_health() if checks["database"] else {}
    stale = [name for name, state in jobs.items() if state != "ok"]
    body = {
        "status": "fail" if failed else "degraded" if stale else "ok",
        "checks": {name: "ok" if ok else "fail" for name, ok in checks.items()},
        "jobs": jobs,
    }
    if failed:
        body["failed"] = failed
    if stale:
        body["stale_jobs"] = stale
    return JsonResponse(body, status=503 if failed else 200)


def _jobs_health() -> dict[str, str]:
    try:
        return job_health()
    except Exception:  # noqa: BLE001 - a health check reports, never raises
        logger.exception("health check: jobs")
        return {}


def server_error(request):
    """handler500: a pool timeout raised outside a view (in a middleware) is
    still a 503; anything else is the friendly, self-contained 500 page."""
    import sys

    from core.error_pages import server_error_page
    from core.middleware import database_busy_response, is_pool_timeout

    if is_pool_timeout(sys.exc_info()[1]):
        return database_busy_response(request)
    return server_error_page(request)


def default_language_unprefixed(request, rest: str = ""):
    """`/fi/…` → `/…`: the default language has no prefix (DESIGN.md, Public
    contracts). Permanent, with the query string; leading slashes and
    backslashes are folded so `/fi//host` cannot leave the site."""
    prefix = f"/{settings.LANGUAGE_CODE}"
    tail = request.get_full_path()[len(prefix) :]
    return HttpResponsePermanentRedirect("/" + tail.lstrip("/\\"))
