#!/usr/bin/env python3
"""Splits a point-of-sale export into one CSV per sale day.

    split_by_day.py EXPORT.csv[.gz|.zst] MAPPING.toml OUT_DIR

The day of a row is read from the mapping's [event] time_column, with its
time_format and timezone, so the split agrees with what offconv will send.
Each day file keeps the header and the delimiter of the export. Rows whose
time cannot be read go to OUT_DIR/undated.csv (offconv would reject them
with bad_time anyway). Prints one line per day file: DAY<TAB>ROWS<TAB>PATH,
oldest first.

Needs Python 3.11 (tomllib) and, for .zst exports, the zstd command.
"""

import csv
import gzip
import io
import subprocess
import sys
import tomllib
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo


def open_export(path: Path) -> io.TextIOBase:
    """The export as text; a BOM is dropped, as offconv drops it."""
    name = path.name.lower()
    if name.endswith(".gz"):
        raw = gzip.open(path, "rb")
    elif name.endswith(".zst") or name.endswith(".zstd"):
        raw = subprocess.Popen(["zstd", "-dc", str(path)], stdout=subprocess.PIPE).stdout
    else:
        raw = open(path, "rb")
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")


def detect_delimiter(header_line: str) -> str:
    """The candidate that occurs most often in the header, as offconv does."""
    counts = {d: header_line.count(d) for d in [",", ";", "\t", "|"]}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def sale_day(raw: str, time_format: str | None, zone) -> str | None:
    """YYYY-MM-DD of a sale time in the stores' zone, or None."""
    value = raw.strip()
    if not value:
        return None
    try:
        if time_format:
            parsed = datetime.strptime(value, time_format)
        elif value.isdigit():
            seconds = int(value) / (1000 if len(value) >= 12 else 1)
            parsed = datetime.fromtimestamp(seconds, tz=timezone.utc)
        else:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(zone)
    return parsed.strftime("%Y-%m-%d")


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    export, mapping_path, out_dir = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    with open(mapping_path, "rb") as f:
        event = tomllib.load(f).get("event", {})
    time_column = event.get("time_column")
    if not time_column:
        print(f"{mapping_path}: [event] time_column is missing", file=sys.stderr)
        return 2
    zone = ZoneInfo(event.get("timezone", "UTC"))
    time_format = event.get("time_format")

    text = open_export(export)
    header_line = text.readline()
    delimiter = detect_delimiter(header_line)
    header = next(csv.reader([header_line], delimiter=delimiter))
    names = [h.strip() for h in header]
    # offconv matches a column exactly, then ignoring case and spaces.
    if time_column in names:
        index = names.index(time_column)
    else:
        lowered = [n.lower() for n in names]
        if time_column.strip().lower() not in lowered:
            print(f"{export}: no column {time_column!r} (the mapping's time_column)", file=sys.stderr)
            return 2
        index = lowered.index(time_column.strip().lower())

    out_dir.mkdir(parents=True, exist_ok=True)
    writers: dict[str, tuple] = {}
    counts: dict[str, int] = {}
    for row in csv.reader(text, delimiter=delimiter):
        day = sale_day(row[index], time_format, zone) if index < len(row) else None
        key = day or "undated"
        if key not in writers:
            handle = open(out_dir / f"{key}.csv", "w", encoding="utf-8", newline="")
            writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
            writer.writerow(header)
            writers[key] = (handle, writer)
            counts[key] = 0
        writers[key][1].writerow(row)
        counts[key] += 1
    for handle, _ in writers.values():
        handle.close()

    for key in sorted(k for k in counts if k != "undated"):
        print(f"{key}\t{counts[key]}\t{out_dir / (key + '.csv')}")
    if "undated" in counts:
        print(
            f"split_by_day: {counts['undated']} rows have no readable {time_column!r}; "
            f"they are in {out_dir / 'undated.csv'} and are not uploaded",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
