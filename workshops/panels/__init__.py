"""Standing customer panels (asiakasraadit): a city's group of residents drawn to
be as mixed as the city, meeting in workshops over a term.

`models` (imported by `workshops.models`), `draw` (the algorithm, no Django),
`services` (every write), `selectors` (reads), `rules` (who may do what),
`forms`, `views` and `urls`.
"""
