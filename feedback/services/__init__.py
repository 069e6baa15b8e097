"""Every write to feedback: intake, handling, supports, imports.

Each function is keyword-only, runs in one transaction, asks the named rules of
`feedback.rules` and refuses with a `core.errors` service error having written
nothing. E-mails go through the outbox (`core.mail`). Split by concern; the
public names are importable from their modules (`feedback.services.intake`, …).
"""
