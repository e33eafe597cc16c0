"""The rules of the domain, as pure functions of Polars frames: no file, database or screen.

- `records`: the tables the domain works on (columns, types, keys, accepted codes, French names).
- `money`: exact cents, rounded half away from zero.
- `dates`: "the same day n months later".
- `fees`: the fee engine: conventions and grids become titles and totals per central.
- `budget`: credits against commitments per line and year; which commitments count.
- `conventions`: effective dates, notice deadlines, which conventions are active.
- `figures`: what every screen and command shows, and a year's summary.
- `scenario`: what-if changes applied to a copy of the inputs.

Imports nothing else from `spend`; everything else may import it.
"""
