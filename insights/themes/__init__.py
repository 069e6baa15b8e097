"""Themes found in what residents wrote (comments, dreams, cards, feedback), kept
per city and scope with stable ids so staff edits survive recomputation.

`models` (imported by `insights.models`), `sources` (the texts and who may see
them), `services` (recompute, rename, merge, hide), `selectors` (`themes_for`),
`views` (the staff pages at /insights/themes/)."""
