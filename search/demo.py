"""The demo's search index: everything public the other apps' demos made."""

from search.services import index_rebuild


def load(*, cities, city_pages, users, stdout) -> None:
    """Index what is public and missing (the demos write some rows directly,
    without the services that would have indexed them); safe to run again."""
    result = index_rebuild(incremental=True)
    written = sum(done for done, _ in result.values())
    stdout.write(f"search: {written} documents indexed")
