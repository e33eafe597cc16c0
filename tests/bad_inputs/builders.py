"""Hostile files built at test time (nothing large is committed): zip bombs, workbooks, PDFs."""

import csv
import io
import struct
import zipfile
import zlib

import xlsxwriter

from spend.domain.records import TABLES

MIB = 1 << 20


def deflated_zeros(mebibytes: int) -> bytes:
    """Raw deflate data of `mebibytes` MiB of zero bytes, made in milliseconds: one MiB is
    compressed once, flushed so that it stands alone, and repeated."""
    one = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = one.compress(bytes(MIB)) + one.flush(zlib.Z_FULL_FLUSH)
    return segment * mebibytes + b"\x03\x00"  # an empty final block ends the stream


def _zeros_crc(mebibytes: int) -> int:
    crc, block = 0, bytes(MIB)
    for _ in range(mebibytes):
        crc = zlib.crc32(block, crc)
    return crc


def zip_with_entries(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written byte by byte: (name, deflated data, CRC, declared size, method) per entry,
    so that a test can make the central directory say what it likes."""
    body, directory = io.BytesIO(), io.BytesIO()
    for name, data, crc, size, method in entries:
        encoded = name.encode()
        offset = body.tell()
        body.write(
            struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc, len(data), size,
                        len(encoded), 0)
        )  # fmt: skip
        body.write(encoded + data)
        directory.write(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0, crc,
                        len(data), size, len(encoded), 0, 0, 0, 0, 0, offset)
        )  # fmt: skip
        directory.write(encoded)
    start, length = body.tell(), directory.tell()
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), length, start, 0)
    return body.getvalue() + directory.getvalue() + end


def zip_bomb(
    name: str = "bodies.csv", *, mebibytes: int = 1024, declared: int | None = None
) -> bytes:
    """About 1 MB of zip that unpacks to `mebibytes` MiB of zeros; `declared` makes its headers
    lie about that size (the CRC stays that of the whole)."""
    data = deflated_zeros(mebibytes)
    size = mebibytes * MIB if declared is None else declared
    return zip_with_entries([(name, data, _zeros_crc(mebibytes), size, zipfile.ZIP_DEFLATED)])


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def workbook(sheets: dict[str, list[list[object]]], *, far: tuple[int, int] | None = None) -> bytes:
    """An .xlsx with one sheet per name, its rows as given (the first is the header), and, with
    `far`, one more cell at that (row, column) of the first sheet, 0-based."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:
        for index, (name, rows) in enumerate(sheets.items()):
            sheet = book.add_worksheet(name)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    sheet.write_string(r, c, str(value))
            if far is not None and index == 0:
                sheet.write_string(*far, "loin")
    return buffer.getvalue()


def with_entry_replaced(archive: bytes, name: str, entry: tuple[bytes, int, int]) -> bytes:
    """A copy of a zip (a workbook) whose entry `name` is replaced by (deflated data, CRC,
    declared size)."""
    entries = []
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        for info in source.infolist():
            if info.filename == name:
                data, crc, size = entry
            else:
                raw = source.read(info)
                one = zlib.compressobj(6, zlib.DEFLATED, -15)
                data, crc, size = one.compress(raw) + one.flush(), zlib.crc32(raw), len(raw)
            entries.append((info.filename, data, crc, size, zipfile.ZIP_DEFLATED))
    return zip_with_entries(entries)


def csv_file(
    table: str,
    rows: list[list[str]],
    dialect: str = "standard",
    *,
    encoding: str = "utf-8",
) -> bytes:
    """A file of the exchange format: 'standard' (',', English headers, UTF-8) or 'excel_fr'
    (';', French headers, UTF-8 with BOM unless another encoding is asked)."""
    columns = TABLES[table].columns
    french = dialect == "excel_fr"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if french else ",", lineterminator="\r\n")
    writer.writerow([c.french if french else c.name for c in columns if not c.optional_column])
    writer.writerows(rows)
    text = buffer.getvalue()
    if french and encoding == "utf-8":
        return ("\ufeff" + text).encode("utf-8")
    return text.encode(encoding)
