"""Text in three languages, analysed once: see `analysis` (words → lemmas, in Python)
and `search` (lemmas indexed in the database, matched and ranked)."""
