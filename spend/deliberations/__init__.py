"""Deliberations read from their text or PDF, and the records they propose for review.

`reader` reads a document into a `DeliberationReading` from the structure every French
deliberation shares (`structure`): `text` (extraction, normalisation, line searches), `header`
(number, authority, assembly, object) and `dates`, `votes`, `budget_table`, `fees` (with
`centrals` and `amounts`); `evidence` ties each value to the line it was read from.
`records` turns a reading into rows of the store to review beside the stored ones, a review
table of every field with its evidence and confidence, and checks against the engine.
"""
