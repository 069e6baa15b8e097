"""Insight's own data: rollups of the counts it reads from other apps, and themes."""
