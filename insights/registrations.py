"""What insights hands to core at start-up (called from `InsightsConfig.ready`)."""

from datetime import timedelta


def register() -> None:
    from core.jobs import register_job  # imports models: not before ready()

    # Embedding is seconds to minutes of CPU: once a day, off the request path.
    register_job("refresh_themes", every=timedelta(days=1))
