"""Distribution files: CSV (UTF-8), JSON and GeoJSON written in one pass, with size and SHA-256.

Each file is a head, rows and a foot. The byte offset where the foot starts is
kept (``DatasetVersion.tails``), so an incremental build copies the previous file
up to it and appends only the new rows: the new file is complete on its own.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

CHUNK = 1 << 20


class _HashingFile:
    """A binary file that hashes and counts what is written to it."""

    def __init__(self, path: Path) -> None:
        self.handle: BinaryIO = path.open("wb")
        self.sha = hashlib.sha256()
        self.size = 0
        self.pending: list[bytes] = []
        self.pending_size = 0

    def write(self, data: bytes) -> None:
        # Rows are small: hash and write them in blocks of about 1 MiB.
        self.pending.append(data)
        self.pending_size += len(data)
        self.size += len(data)
        if self.pending_size >= CHUNK:
            self.flush()

    def flush(self) -> None:
        block = b"".join(self.pending)
        self.handle.write(block)
        self.sha.update(block)
        self.pending, self.pending_size = [], 0

    def copy_prefix(self, source: Path, length: int) -> None:
        with source.open("rb") as src:
            left = length
            while left > 0:
                block = src.read(min(CHUNK, left))
                if not block:
                    raise OSError(f"{source} is shorter than its recorded tail")
                self.write(block)
                left -= len(block)

    def close(self) -> None:
        self.flush()
        self.handle.close()


class FormatWriter:
    """Writes one format; ``tail`` is the offset of the foot (where appending resumes)."""

    head: bytes = b""
    foot: bytes = b""
    separator: bytes = b""

    def __init__(self, path: Path, columns: list[str], previous: tuple[Path, int, bool] | None) -> None:
        self.columns = columns
        self.out = _HashingFile(path)
        self.first = True
        if previous is not None:
            source, tail, had_rows = previous
            self.out.copy_prefix(source, tail)
            self.first = not had_rows
        else:
            self.out.write(self.start())

    def start(self) -> bytes:
        return self.head

    def encode(self, row: dict[str, Any], as_json: bytes) -> bytes | None:
        raise NotImplementedError

    def add(self, row: dict[str, Any], as_json: bytes) -> None:
        """Write one row; ``as_json`` is its columns as a JSON object, encoded once for every writer."""
        data = self.encode(row, as_json)
        if data is None:
            return
        if not self.first:
            self.out.write(self.separator)
        self.first = False
        self.out.write(data)

    def finish(self) -> tuple[int, int, str]:
        """(tail offset, byte size, sha256)."""
        tail = self.out.size
        self.out.write(self.foot)
        self.out.close()
        return tail, self.out.size, self.out.sha.hexdigest()


def row_json(row: dict[str, Any], columns: list[str]) -> bytes:
    """The row's declared columns as a compact JSON object (UTF-8)."""
    return json.dumps(
        {name: row.get(name) for name in columns}, ensure_ascii=False, separators=(",", ":")
    ).encode()


class CsvWriter(FormatWriter):
    def __init__(self, *args: Any) -> None:
        self.buffer = io.StringIO()
        self.csv = csv.writer(self.buffer, lineterminator="\r\n")
        super().__init__(*args)

    def _line(self, values: list[Any]) -> bytes:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.csv.writerow(["" if v is None else v for v in values])
        return self.buffer.getvalue().encode("utf-8")

    def start(self) -> bytes:
        return self._line(self.columns)

    def encode(self, row: dict[str, Any], as_json: bytes) -> bytes:
        return self._line([row.get(name) for name in self.columns])


class JsonWriter(FormatWriter):
    head, foot, separator = b"[\n", b"\n]\n", b",\n"

    def encode(self, row: dict[str, Any], as_json: bytes) -> bytes:
        return as_json


class GeoJsonWriter(FormatWriter):
    head, foot, separator = b'{"type":"FeatureCollection","features":[\n', b"\n]}\n", b",\n"
    geometry: Callable[[dict[str, Any]], dict[str, Any] | None]

    def encode(self, row: dict[str, Any], as_json: bytes) -> bytes | None:
        shape = self.geometry(row)
        if shape is None:
            return None  # a row with no location is in the CSV and JSON, not on the map
        geometry = json.dumps(shape, separators=(",", ":")).encode()
        return b'{"type":"Feature","geometry":' + geometry + b',"properties":' + as_json + b"}"


WRITERS: dict[str, type[FormatWriter]] = {"CSV": CsvWriter, "JSON": JsonWriter, "GeoJSON": GeoJsonWriter}
