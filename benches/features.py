#!/usr/bin/env python3
"""The US-heavy bench export once per mapping feature (issue 18): each
variant holds the same sales, written the way an export that needs the
feature writes them, with the mapping that reads it. `validate.sh` with
FEATURES=1 runs them alternately with the plain export, so each line of
its output is what one feature costs a file that uses it.

    python3 benches/features.py us.csv OUTDIR

writes OUTDIR/<feature>.csv and OUTDIR/<feature>.toml for each feature
below, and prints the feature names, one a line. The `ledger` variant is
the plain file; validate.sh runs it with `--dataset` and a fresh SQLite
ledger (benches/ledger.sh measures lookups against millions of entries).
"""
import csv
import pathlib
import sys

# The plain mapping (fixtures/store_sales.toml) as sections; a variant
# edits one section.
EVENT = {
    "name": '"Purchase"',
    "action_source": '"physical_store"',
    "time_column": '"purchased_at"',
    "timezone": '"America/Chicago"',
    "id_column": '"order_id"',
}
CUSTOM = {
    "value_column": '"total"',
    "currency_column": '"currency"',
    "order_id_column": '"order_id"',
}
USER = {
    "em": '"email"',
    "ph": '"phone"',
    "fn": '"first_name"',
    "ln": '"last_name"',
    "ct": '"city"',
    "st": '"state"',
    "zp": '"zip"',
    "country": '"country"',
}
NORMALIZE = {"country_default": '"US"', "phone_region": '"US"'}

# Zones a chain's stores write per row, in the spellings exports use.
ZONES = ["America/Chicago", "Eastern Time (US & Canada)", "America/Denver", "-08:00"]


def mapping(csv_section=None, event=None, filt=None, custom=None, user=None):
    sections = [
        ("csv", csv_section or {}),
        ("event", {**EVENT, **(event or {})}),
        ("filter", filt or {}),
        ("custom_data", {**CUSTOM, **(custom or {})}),
        ("user_data", {k: v for k, v in {**USER, **(user or {})}.items() if v}),
        ("normalize", NORMALIZE),
    ]
    out = []
    for name, keys in sections:
        if keys:
            out.append(f"[{name}]")
            out.extend(f"{k} = {v}" for k, v in keys.items())
            out.append("")
    return "\n".join(out)


def european(amount):
    """'9,999.99' and '$45.00' as a European till writes them:
    '9.999,99' and '$45,00' (the two separators swapped). A whole amount
    loses its grouping ('3,250' yen: '3250'), as '3.250' is the value
    offconv refuses to guess under decimal_separator = ","."""
    if "." not in amount:
        return amount.replace(",", "")
    return amount.translate(str.maketrans(",.", ".,"))


def variants(header, rows):
    """(name, mapping, header, rows, delimiter, encoding) per feature."""
    col = {name: i for i, name in enumerate(header)}
    t, first, last, total = col["purchased_at"], col["first_name"], col["last_name"], col["total"]
    yield "plain", mapping(), header, rows, ",", "utf-8"
    yield "encoding", mapping(csv_section={"encoding": '"windows-1252"'}), header, rows, ",", "cp1252"
    # A filter no row meets: the same rows go through, the test is paid.
    yield (
        "filter",
        mapping(filt={"skip": '{ "currency" = ["XTS"], "country" = ["test"] }'}),
        header, rows, ",", "utf-8",
    )
    joined_header = header[:t] + ["date", "time"] + header[t + 1:]
    yield (
        "joined_time",
        mapping(event={"time_column": '"date"', "time_of_day_column": '"time"'}),
        joined_header,
        (r[:t] + r[t].split(" ", 1) + r[t + 1:] for r in rows),
        ",", "utf-8",
    )
    yield (
        "zone_column",
        mapping(event={"timezone_column": '"zone"'}),
        header + ["zone"],
        (r + [ZONES[i % len(ZONES)]] for i, r in enumerate(rows)),
        ",", "utf-8",
    )
    named_header = [h for h in header if h not in ("first_name", "last_name")]
    named_header.insert(first, "name")
    yield (
        "full_name",
        mapping(user={"fn": None, "ln": None, "full_name": '"name"'}),
        named_header,
        (r[:first] + [f"{r[first]} {r[last]}".strip()] + r[last + 1:] for r in rows),
        ",", "utf-8",
    )
    # The delimiter alone, then with decimal commas: the difference is the rule's.
    yield "semicolon", mapping(), header, rows, ";", "utf-8"
    yield (
        "decimal_comma",
        mapping(custom={"decimal_separator": '","'}),
        header,
        (r[:total] + [european(r[total])] + r[total + 1:] for r in rows),
        ";", "utf-8",
    )
    yield "ledger", mapping(), header, rows, ",", "utf-8"


def main():
    source, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    with source.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    for name, toml, head, body, delimiter, encoding in variants(header, rows):
        (out / f"{name}.toml").write_text(toml)
        with (out / f"{name}.csv").open("w", newline="", encoding=encoding, errors="replace") as f:
            w = csv.writer(f, delimiter=delimiter, lineterminator="\n")
            w.writerow(head)
            w.writerows(body)
        print(name)


if __name__ == "__main__":
    main()
