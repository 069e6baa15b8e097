"""Who may see and edit a city's themes: its editors and moderators."""

import rules

from accounts.rules import is_editor, is_moderator

MANAGE_THEMES = "insights.manage_themes"

# The object is a Theme or a City (`accounts.rules` finds the city of either).
rules.add_perm(MANAGE_THEMES, is_editor | is_moderator)
rules.add_rule(MANAGE_THEMES, is_editor | is_moderator)
