"""Zip archives of CSV files (as the Données page exports them) unpacked within the limits.

An archive is bounded before it is unpacked, from its central directory (`archive_bounds`: its
entries, their names, their declared sizes), and while it is, a chunk at a time (`_unpacked`);
a zip inside it, or an entry named outside it, is refused rather than read.
"""

import io
import zipfile
import zlib
from pathlib import PurePosixPath

from spend.domain.french import megabytes, thousands
from spend.exchange.limits import (
    ENTRY_TOO_LARGE,
    MAX_FILE_BYTES,
    MAX_UNPACKED_BYTES,
    MAX_ZIP_ENTRIES,
    READ_CHUNK,
    TOO_LARGE,
    TOO_LARGE_UNPACKED,
    TOO_MANY_ENTRIES,
)
from spend.exchange.problems import Problem

UNSAFE_ENTRY = "entrée « {name} » refusée : chemin hors de l'archive"
NESTED_ZIP = "entrée « {name} » refusée : une archive dans l'archive n'est pas lue"
UNREADABLE_ZIP = "archive zip illisible"
LOCKED_ZIP = "archive zip protégée par un mot de passe"


def _unsafe_name(name: str) -> bool:
    """An entry that would land outside a folder it were unpacked into (../x, /x, C:x)."""
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ":" in parts[0] or ".." in parts


def _ignored(entry: zipfile.ZipInfo) -> bool:
    """Folders, and what macOS adds to the zips it makes (__MACOSX/, ._bodies.csv)."""
    name = PurePosixPath(entry.filename.replace("\\", "/"))
    return entry.is_dir() or "__MACOSX" in name.parts or name.name.startswith("._")


def archive_bounds(
    file: str, archive: zipfile.ZipFile, read: list[zipfile.ZipInfo]
) -> list[Problem]:
    """The limits an archive breaks, from its central directory, before anything is unpacked:
    its entries, their names, and the sizes they declare for the entries that will be `read`."""
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        return [Problem.of_file(file, TOO_MANY_ENTRIES.format(count=thousands(len(entries))))]
    unsafe = [e.filename for e in entries if _unsafe_name(e.filename)]
    if unsafe:
        return [Problem.of_file(file, UNSAFE_ENTRY.format(name=unsafe[0]))]
    large = [e for e in read if e.file_size > MAX_FILE_BYTES]
    if large:
        size = megabytes(large[0].file_size)
        return [Problem.of_file(file, ENTRY_TOO_LARGE.format(name=large[0].filename, size=size))]
    declared = sum(e.file_size for e in read)
    if declared > MAX_UNPACKED_BYTES:
        return [Problem.of_file(file, TOO_LARGE_UNPACKED.format(size=megabytes(declared)))]
    return []


def _unpacked(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limit: int) -> bytes | None:
    """An entry's bytes, or None past `limit`: decompressed a chunk at a time, so that an entry
    whose header understates its size costs no more than the limit."""
    chunks: list[bytes] = []
    size = 0
    with archive.open(entry) as stream:
        while chunk := stream.read(READ_CHUNK):
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
    return b"".join(chunks)


def zip_files(file: str, content: bytes) -> tuple[list[tuple[str, bytes]], list[Problem]]:
    """The CSV files inside a zip (as the Données page exports them), as (name, bytes).

    A zip is bounded before it is unpacked (`archive_bounds`) and while it is (`_unpacked`); a
    zip inside it, or an entry named outside it, is refused rather than read.
    """
    if len(content) > MAX_FILE_BYTES:
        return [], [Problem.of_file(file, TOO_LARGE.format(size=megabytes(len(content))))]
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        return [], [Problem.of_file(file, UNREADABLE_ZIP)]
    with archive:
        members = [m for m in archive.infolist() if not _ignored(m)]
        nested = [m.filename for m in members if m.filename.lower().endswith(".zip")]
        wanted = [m for m in members if m.filename.lower().endswith(".csv")]
        problems = archive_bounds(file, archive, wanted)
        if not problems and nested:
            problems = [Problem.of_file(file, NESTED_ZIP.format(name=nested[0]))]
        if problems:
            return [], problems
        files, problems = _unpacked_members(file, archive, wanted)
    if not files and not problems:
        return [], [Problem.of_file(file, "aucun fichier .csv dans cette archive")]
    return files, problems


def _unpacked_members(
    file: str, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]
) -> tuple[list[tuple[str, bytes]], list[Problem]]:
    files: list[tuple[str, bytes]] = []
    left = MAX_UNPACKED_BYTES
    for member in members:
        name = f"{file}/{PurePosixPath(member.filename.replace(chr(92), '/')).name}"
        try:
            data = _unpacked(archive, member, min(left, MAX_FILE_BYTES))
        except RuntimeError:  # zipfile's word for an encrypted entry
            return [], [Problem.of_file(file, LOCKED_ZIP)]
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError):
            return [], [Problem.of_file(file, f"{UNREADABLE_ZIP} (entrée « {member.filename} »)")]
        if data is None:  # more than its header said
            size = f"plus de {megabytes(min(left, MAX_FILE_BYTES))}"
            message = ENTRY_TOO_LARGE.format(name=member.filename, size=size)
            return [], [Problem.of_file(file, message)]
        if data.startswith(b"PK\x03\x04"):
            return [], [Problem.of_file(file, NESTED_ZIP.format(name=member.filename))]
        left -= len(data)
        files.append((name, data))
    return files, []
