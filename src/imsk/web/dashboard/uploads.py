"""Receiving a data set safely: a zip of the data set folder, or a folder on the server.

An upload is untrusted. The zip is checked entry by entry **before** anything is written, and again
while each entry is copied (the sizes in a zip's directory can lie):

- every entry is a table file the data set knows (``requests.csv``, ``exits.parquet``...), either at
  the top of the zip or inside one top folder (a zipped folder); anything else is refused by name;
- no absolute path, no ``..``, no backslash, no symbolic link, no encryption, no table twice;
- the upload, the whole unpacked size, each entry's compression ratio (a "zip bomb") and the
  number of entries are capped (:class:`Limits`; settings ``IMSK_DASHBOARD_MAX_UPLOAD_MB`` and
  ``IMSK_DASHBOARD_MAX_UNPACKED_MB`` override the defaults).

Files are written under a new folder of the dashboard folder, named by the caller, flat.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Final

from django.conf import settings

from imsk.core.dataset import tables
from imsk.web.dashboard.errors import UploadError

MB: Final = 1024 * 1024
TABLE_FILES: Final = frozenset(
    f"{table.name}.{form}" for table in tables() for form in ("csv", "parquet")
)
_CHUNK: Final = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Caps on one upload (bytes, except the ratio and the entry count)."""

    upload_bytes: int = 200 * MB
    unpacked_bytes: int = 2048 * MB
    ratio: int = 200
    entries: int = len(TABLE_FILES) + 1  # one table file per table, plus a top folder


def dashboard_dir() -> Path:
    """Where registered data sets live (``IMSK_DASHBOARD_DIR``, else ``var/dashboard``)."""
    return Path(getattr(settings, "IMSK_DASHBOARD_DIR", settings.VAR_DIR / "dashboard"))


def limits() -> Limits:
    default = Limits()
    upload_mb = getattr(settings, "IMSK_DASHBOARD_MAX_UPLOAD_MB", default.upload_bytes // MB)
    unpacked_mb = getattr(settings, "IMSK_DASHBOARD_MAX_UNPACKED_MB", default.unpacked_bytes // MB)
    return Limits(upload_bytes=int(upload_mb) * MB, unpacked_bytes=int(unpacked_mb) * MB)


def extract_zip(stream: IO[bytes], size: int, target: Path, caps: Limits) -> list[str]:
    """Unpack the data set zip in ``stream`` into the new folder ``target``; the table files."""
    if size > caps.upload_bytes:
        raise UploadError(
            f"the file is {size / MB:.1f} MB; the largest upload is {caps.upload_bytes // MB} MB"
        )
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError):
        raise UploadError("the file is not a zip archive") from None
    with archive:
        members = checked_members(archive.infolist(), caps)
        target.mkdir(parents=True)
        try:
            budget = caps.unpacked_bytes
            for info, name in members:
                budget -= _copy_entry(archive, info, target / name, budget)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
    return sorted(name for _, name in members)


def checked_members(
    entries: list[zipfile.ZipInfo], caps: Limits
) -> list[tuple[zipfile.ZipInfo, str]]:
    """The table files of the zip with the names to write them under, or an :class:`UploadError`
    naming the first entry that is not allowed."""
    if len(entries) > caps.entries:
        raise UploadError(
            f"the zip has {len(entries)} entries; a data set has at most {caps.entries}"
        )
    tops: set[str] = set()
    chosen: dict[str, zipfile.ZipInfo] = {}
    for info in entries:
        parts = _safe_parts(info)
        if info.is_dir():
            if len(parts) != 1:
                raise UploadError(f"zip entry {info.filename!r}: only one folder level is allowed")
            tops.add(parts[0])
            continue
        name = _table_file(info, parts)
        if len(parts) == 2:
            tops.add(parts[0])
        if name in chosen:
            raise UploadError(f"zip entry {info.filename!r}: the table file {name} is given twice")
        chosen[name] = info
    if len(tops) > 1:
        raise UploadError(f"the zip holds more than one folder: {', '.join(sorted(tops))}")
    if not chosen:
        raise UploadError("the zip holds no table file (services.csv, requests.csv, ...)")
    _check_sizes(list(chosen.values()), caps)
    return [(info, name) for name, info in chosen.items()]


def _safe_parts(info: zipfile.ZipInfo) -> tuple[str, ...]:
    raw = info.filename
    path = PurePosixPath(raw)
    if "\\" in raw or path.is_absolute() or ":" in raw or ".." in path.parts:
        raise UploadError(f"zip entry {raw!r}: a path outside the data set folder is not allowed")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise UploadError(f"zip entry {raw!r}: symbolic links are not allowed")
    if info.flag_bits & 0x1:
        raise UploadError(f"zip entry {raw!r}: encrypted entries are not allowed")
    parts = tuple(part for part in path.parts if part not in {"", "."})
    if not parts:
        raise UploadError(f"zip entry {raw!r} has no name")
    return parts


def _table_file(info: zipfile.ZipInfo, parts: tuple[str, ...]) -> str:
    if len(parts) > 2:
        raise UploadError(f"zip entry {info.filename!r}: only one folder level is allowed")
    name = parts[-1]
    if name not in TABLE_FILES:
        raise UploadError(
            f"zip entry {info.filename!r} is not a table file of the data set "
            "(expected names like requests.csv or exits.parquet)"
        )
    return name


def _check_sizes(entries: list[zipfile.ZipInfo], caps: Limits) -> None:
    total = sum(info.file_size for info in entries)
    if total > caps.unpacked_bytes:
        raise UploadError(
            f"the zip unpacks to {total / MB:.1f} MB; the most allowed is "
            f"{caps.unpacked_bytes // MB} MB"
        )
    for info in entries:
        if info.file_size > caps.ratio * max(info.compress_size, 1) and info.file_size > MB:
            raise UploadError(
                f"zip entry {info.filename!r} is compressed more than {caps.ratio} times; refused"
            )


def _copy_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, budget: int) -> int:
    """Copy one entry, counting the bytes really written; returns how many."""
    written = 0
    with archive.open(info) as source, path.open("xb") as sink:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if written > info.file_size or written > budget:
                raise UploadError(f"zip entry {info.filename!r} is larger than it says; refused")
            sink.write(chunk)
    return written


def copy_folder(source: Path, target: Path) -> tuple[list[str], list[str]]:
    """Copy the table files of folder ``source`` into the new folder ``target``.

    Returns (copied, left): ``left`` names the other entries of ``source``, which are not part of
    the data set (``synth_manifest.json``, say) and were not copied.
    """
    if not source.is_dir():
        raise UploadError(f"{source} is not a folder")
    copied, left = [], []
    target.mkdir(parents=True)
    for entry in sorted(source.iterdir()):
        if entry.name in TABLE_FILES and entry.is_file() and not entry.is_symlink():
            shutil.copyfile(entry, target / entry.name)
            copied.append(entry.name)
        else:
            left.append(entry.name)
    if not copied:
        shutil.rmtree(target, ignore_errors=True)
        raise UploadError(f"{source} holds no table file (services.csv, requests.csv, ...)")
    return copied, left
