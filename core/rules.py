"""Named permissions on core's own data, asked with `rules.has_perm(name, user)`."""

import rules

# Issuing and revoking API keys (the admin screen and `core.apikeys`).
rules.add_perm("core.manage_api_keys", rules.is_active & rules.is_superuser)
