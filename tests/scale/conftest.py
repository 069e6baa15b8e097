"""What every scale test needs: PostgreSQL that several daphne processes share,
and Redis for the channels_redis layer. The embedded SQLite run has neither, so
these tests are skipped there by design and run in CI's PostgreSQL + Redis pass."""

import os

import pytest

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("SCALE_REDIS_URL") or os.environ.get("REDIS_URL", "")

needs_postgres_and_redis = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")) or not REDIS_URL,
    reason="tests/scale needs PostgreSQL and Redis (DATABASE_URL=postgres://…, "
    "REDIS_URL=redis://…); the embedded SQLite run skips them",
)
