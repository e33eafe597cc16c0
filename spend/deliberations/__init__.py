"""Deliberations read from their text or PDF, and the records they propose for review.

`reader` reads a document into a `DeliberationReading` (its parts: `text` extraction,
`header`, `votes`, `budget_table`, `fees`); `records` turns a reading into rows of the store to
review beside the stored ones, and checks its amounts against the engine.
"""
