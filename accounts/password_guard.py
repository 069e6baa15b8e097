"""How many password guesses an account and an address get: the one rule for
logging in and for confirming a password (deleting the account, changing it).

Every check is counted *before* the slow hash is computed, with atomic cache
counters (Redis in production, so the limits hold across processes): fifty
simultaneous wrong passwords get the first few checked and the rest refused
without a hash. Three counters decide:

- account + address: `LOGIN_FAILURE_LIMIT` checks in `LOGIN_FAILURE_WINDOW_SECONDS`,
  then this address is locked out of this account for the rest of the window.
  Guesses from elsewhere never lock the owner out of their own account.
- address, whatever the account: `LOGIN_ADDRESS_LIMIT` failed checks in the window
  (generous: a library or a school shares one address), against password spraying.
- account, whatever the address: past `LOGIN_FAILURE_LIMIT` unproven checks in the
  window, each further check must wait a delay that doubles with every attempt, up
  to `LOGIN_MAX_DELAY_SECONDS`; a guesser spread over many addresses gets about one
  guess a minute, and the owner waits at most that long.

A successful check clears the account's counters (the owner proved who they are)
but never the address's failures, so an attacker's own account buys no guesses.
"""

import hashlib
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from core import ratelimit


def _keys(request, email: str) -> tuple[str, str, str]:
    # Only hashes of e-mail addresses ever sit in the cache as keys.
    account = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    ip = ratelimit.client_ip(request) if request is not None else "unknown"
    address = hashlib.sha256(ip.encode()).hexdigest()[:32]
    return (
        f"pw:pair:{account}:{address}",
        f"pw:address:{address}",
        f"pw:account:{account}",
    )


@dataclass
class PasswordCheck:
    """One reserved password check: call `failed()` or `succeeded()` after it."""

    allowed: bool
    retry_after: int = 0
    _keys: tuple[str, str, str] = field(default=("", "", ""), repr=False)

    def failed(self) -> None:
        """The password was wrong: the reserved check stays counted everywhere."""

    def succeeded(self) -> None:
        pair, address, account = self._keys
        ratelimit.forget_hits(pair)
        ratelimit.forget_hits(account)
        cache.delete(f"{account}:slot")
        ratelimit.uncount_hit(address)  # a right password is not a failure

    def abandoned(self) -> None:
        """The check never judged the password (another error): take it back."""
        for key in self._keys:
            ratelimit.uncount_hit(key)

    def error(self) -> ValidationError:
        minutes = max(1, math.ceil(self.retry_after / 60))
        return ValidationError(
            ngettext(
                "Too many failed log-ins. Try again in %(minutes)d minute "
                "or reset your password.",
                "Too many failed log-ins. Try again in %(minutes)d minutes "
                "or reset your password.",
                minutes,
            )
            % {"minutes": minutes},
            code="rate_limited",
        )


def begin_check(request, email: str) -> PasswordCheck:
    """Reserve one password check for `email` from this request's address."""
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    limit = settings.LOGIN_FAILURE_LIMIT
    keys = pair, address, account = _keys(request, email)
    refused = PasswordCheck(allowed=False)

    if ratelimit.count_hit(pair, window_seconds=window) > limit:
        ratelimit.uncount_hit(pair)  # refusals do not lengthen the lock
        refused.retry_after = ratelimit.seconds_until_forgotten(
            pair, window_seconds=window
        )
        return refused
    if (
        ratelimit.count_hit(address, window_seconds=window)
        > settings.LOGIN_ADDRESS_LIMIT
    ):
        ratelimit.uncount_hit(address)
        ratelimit.uncount_hit(pair)
        refused.retry_after = ratelimit.seconds_until_forgotten(
            address, window_seconds=window
        )
        return refused
    checks = ratelimit.count_hit(account, window_seconds=window)
    if checks > limit:
        delay = min(2 ** (checks - limit), settings.LOGIN_MAX_DELAY_SECONDS)
        # Only one check per delay gets through, however many arrive at once.
        if not cache.add(f"{account}:slot", 1, timeout=delay):
            ratelimit.uncount_hit(address)
            ratelimit.uncount_hit(pair)
            refused.retry_after = delay
            return refused
    return PasswordCheck(allowed=True, _keys=keys)
