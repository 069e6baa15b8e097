"""Every write to the advice desk, split by concern (`advice.services.<module>`)."""
