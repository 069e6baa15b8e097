"""Named permissions of following: asked by the services, views and templates."""

import rules

from accounts.rules import is_signed_in
from notifications import registry


@rules.predicate
def target_is_followable(user, target) -> bool:
    """`target` is of a followable kind and may be talked about now."""
    return (
        target is not None
        and registry.is_followable(target)
        and registry.is_visible(target)
    )


rules.add_rule("notifications.follow", is_signed_in & target_is_followable)
