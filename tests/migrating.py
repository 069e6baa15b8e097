"""Migration tests' helpers: move the database to a migration state and back."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


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
