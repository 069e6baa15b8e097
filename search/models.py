"""Search's own data."""
