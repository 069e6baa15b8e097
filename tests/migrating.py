"""Migration tests' helpers: move the database to a migration state and back."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# A round trip (back to an old state, rows written the old way, forward again)
# rebuilds many tables: together about 2.5 minutes on SQLite. They run once per
# CI run, in the PostgreSQL pass: production's database, where the rows they
# carry live. The SQLite pass still builds its test database through every
# migration.
once_on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="migration round trips run once per CI run, in the PostgreSQL pass "
    "(CI sets DATABASE_URL)",
)


def migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    """Migrate to `targets`; the executor holds the apps of that state
    (`executor.loader.project_state(targets).apps`)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor


def latest() -> list[tuple[str, str]]:
    """Every app's newest migration: the state the code expects."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
