# The discussions are exercised on planned services (the first app to use them)
# and on dreams (tests/ideas): the same fixtures as the participation tests.
from tests.participation.conftest import *  # noqa: F403
