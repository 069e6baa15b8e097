"""Named permissions of the search app.

The queries that found nothing hold no personal data, but they are the
editors' working list (what residents look for and do not find), not a page
for everyone.
"""

import rules

from participation.rules import is_editor_somewhere

rules.add_rule(
    "search.view_zero_results",
    rules.is_active & (rules.is_superuser | is_editor_somewhere),
)
