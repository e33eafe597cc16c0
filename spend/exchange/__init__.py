"""Files in and out: the exchange format read, checked and loaded; exports, SCDL, the seed.

- `encoding`: bytes to text as users' files come (UTF-8, Windows-1252).
- `limits`: what a file may cost (bytes, rows, columns, entries, sheets), refused in French.
- `reading`: CSV files to text tables (`RawTable`), headers in either language; `xlsx`:
  workbooks, their XML scanned within the limits; `archives`: zips unpacked within them.
- `validation`: text cells to typed columns and references, every problem with line and column.
- `importer`: check everything, then write all or nothing through the store.
- `exports`, `writing`: CSV (both dialects) and XLSX for users; the whole store as files.
- `uploads`: what the Données page receives; `settings`: the settings a user types.
- `scdl`: deliberations as open data; `seed`: the database's first contents (data/seed/).
- `problems`: a problem said in French with its file, line and column.
- `demo`: the synthetic authority of `python -m spend demo`. It sits here, not beside the engine
  in `domain`, because it writes a database through the store (the domain imports nothing); it
  runs the engine only to give each budget line credits near what the fees commit.
"""
