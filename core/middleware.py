"""Answer 503, never 500, when no database connection could be had in time.

On PostgreSQL each process lends connections from a bounded psycopg pool
(settings: DATABASE_POOL_MAX_SIZE, DATABASE_POOL_TIMEOUT). When every one is in
use for longer than the timeout, psycopg_pool raises PoolTimeout, which Django
hands on wrapped in its own OperationalError. That is overload, not a bug: the
client is told to come back (Retry-After), the API in JSON, people in a page.
"""

import logging

from django.http import HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 5


def is_pool_timeout(exception: BaseException | None) -> bool:
    """True for psycopg_pool's PoolTimeout, bare or wrapped by Django."""
    try:
        from psycopg_pool import PoolTimeout
    except ImportError:  # SQLite-only install: there is no pool to wait for
        return False
    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, PoolTimeout):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False


def database_busy_response(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "detail": "The service is busy; try again shortly.",
                "code": "database_busy",
            },
            status=503,
        )
    else:
        # Rendered without the request: no context processor may touch the
        # database that just had no connection to give.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseBusyMiddleware:
    """Turns a pool timeout raised by a view (or its template) into a 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_pool_timeout(exception):
            return None
        logger.warning(
            "no database connection within the pool timeout: %s %s",
            request.method,
            request.path,
        )
        return database_busy_response(request)
