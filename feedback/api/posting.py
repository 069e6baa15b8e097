"""`requests` POST: new feedback from an API client (filled in below)."""
