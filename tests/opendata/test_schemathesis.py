"""An outside tool checks the open data API against its own OpenAPI schema.

Schemathesis reads `/api/v1/schema/` from the WSGI application (no server),
generates valid and invalid requests for every operation (seeded, a capped number
of examples each) and runs all its checks on every response: no 500, every status
and body as documented (rows and tombstones included), invalid input refused,
valid input accepted. It sends an API key, as a mirror would.

It runs once per CI run, in the PostgreSQL pass (whose integers and timestamps
are the narrow ones); the SQLite pass skips it, as it skips the other
PostgreSQL-only tests.
"""

import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connections
from django.test import override_settings

from core import apikeys
from discussions.services import comment_hide
from tests.opendata.conftest import make_dream, publish_workshop
from tests.opendata.test_api import comment

schemathesis = pytest.importorskip("schemathesis")
hypothesis = pytest.importorskip("hypothesis")
GenerationMode = schemathesis.GenerationMode

SEED = 15
EXAMPLES_PER_OPERATION = 20

pytestmark = pytest.mark.skipif(
    connections["default"].vendor != "postgresql",
    reason="run once per CI run, in the PostgreSQL pass (CI sets DATABASE_URL)",
)


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, keeping the test's connection (and its transaction)
    open between requests, as Django's own test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(setup, city, wsgi_app):
    """Rows of every kind, a tombstone among them, and the schema as served,
    read with an API key."""
    service, discussion, user, moderator = setup
    comment(discussion, user)
    hidden = comment(discussion, user, "piilotettava")
    comment_hide(comment=hidden, moderator=moderator, reason="test")
    make_dream(city, user)
    publish_workshop(city)
    _, key = apikeys.api_key_issue(
        user=apikeys.OPERATOR, name="Schemathesis", owner="CI"
    )
    config = schemathesis.config.SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "headers": {"X-Api-Key": key},
            "generation": {
                "mode": "all",
                "max-examples": EXAMPLES_PER_OPERATION,
                "deterministic": True,
            },
        }
    )
    return schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", wsgi_app, config=config
    )


def test_the_api_does_what_its_schema_says(api_schema):
    """Every operation, valid and invalid requests, all checks: 0 failures."""
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 8
    with override_settings(OPENDATA_KEY_PER_MINUTE=1_000_000):
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                try:
                    _exercise(operation, mode)
                except hypothesis.errors.Unsatisfiable:
                    # No parameters (participation-stats): no invalid request.
                    assert mode == GenerationMode.NEGATIVE, operation.label
                except Exception as failure:  # noqa: BLE001 - reported below
                    failures.append(f"{operation.label} ({mode.value}): {failure}")
    assert not failures, "\n\n".join(failures)


def _exercise(operation, mode):
    @hypothesis.seed(SEED)
    @hypothesis.settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        if mode == GenerationMode.POSITIVE:
            # A cursor is opaque: the only valid ones are those `next` links carry
            # (followed in test_api), so a generated one is refused with 400 even
            # when the schema's "any string" allows it.
            case.query.pop("cursor", None)
        case.call_and_validate()

    run()
