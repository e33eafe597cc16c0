"""What a file may cost, the one set of limits: bytes, rows, columns, a zip's entries and
unpacked size, a workbook's sheets and grid, a deliberation's size; each refused in French.

Generous for real use (a region's 100 000 conventions make a CSV file of about 20 MB), small
enough that a hostile file is refused before it costs memory or time. A cell's length
(MAX_CELL_CHARS) and the values' ranges are the exchange format's, in `domain.records`. The
server's upload limit (`.streamlit/config.toml`, `server.maxUploadSize`) is MAX_FILE_BYTES in
megabytes, checked by `tests/exchange/test_limits.py`.
"""

from spend.domain.french import megabytes, thousands

MAX_FILE_BYTES = 100_000_000  # one CSV file, or one zip or workbook as a whole
MAX_ROWS = 500_000  # rows of one file or sheet, header not counted
MAX_COLUMNS = 100  # cells of a header (a table has at most 13 columns)
MAX_ZIP_ENTRIES = 200  # entries of a zip or workbook, files of a folder or an upload (7 tables)
MAX_UNPACKED_BYTES = 200_000_000  # a zip's or workbook's entries once decompressed, together
MAX_SHEETS = 20  # sheets of a workbook (one per table: 7)
MAX_SHEET_CELLS = 7_000_000  # a sheet's grid, first to last cell (500 000 rows × 13 columns)
READ_CHUNK = 1 << 20  # a zip entry is decompressed this much at a time, up to its limit
MAX_DELIBERATION_BYTES = 25_000_000  # a deliberation's PDF or text, also its upload limit

TOO_LARGE = "fichier de {size} : au plus " + megabytes(MAX_FILE_BYTES) + " par fichier"
TOO_MANY_ROWS = f"plus de {thousands(MAX_ROWS)} lignes : au plus {thousands(MAX_ROWS)} par fichier"
TOO_MANY_COLUMNS = "en-tête de {count} colonnes : au plus " + str(MAX_COLUMNS)
TOO_MANY_ENTRIES = "archive de {count} entrées : au plus " + str(MAX_ZIP_ENTRIES)
TOO_LARGE_UNPACKED = "archive de {size} une fois décompressée : au plus " + megabytes(
    MAX_UNPACKED_BYTES
)
ENTRY_TOO_LARGE = (
    "entrée « {name} » de {size} une fois décompressée : au plus "
    + megabytes(MAX_FILE_BYTES)
    + " par fichier"
)
EXPANDS_TOO_MUCH = (
    "classeur dont les textes partagés font {size} une fois développés dans leurs cellules : "
    "au plus "
    + megabytes(MAX_FILE_BYTES)
    + " (un même texte repris dans des milliers de cellules ?)"
)
