#!/usr/bin/env python3
"""A European till's line-item export from a gen_sales one, for the benchmark
of the keys that read it (issue 14, BENCHMARKS.md): Windows-1252 bytes
(`[csv] encoding`), `;` fields, decimal commas with `.` thousands groups
(`decimal_separator = ","`), a `€` after the amounts of half the orders
(the symbol check), each line's total instead of its unit price
(`line_total_column`) and Square-style quantities (`2,0`) on a third of
the lines.

    cargo run --release --example gen_sales -- --rows 100000 --line-items --mix international --out in.csv
    python3 benches/european.py in.csv european.csv
    offconv validate european.csv --mapping benches/european_bench.toml --now 2026-11-26T12:00:00Z

Every valid currency becomes EUR (the dirt, an unknown code, stays); a
character Windows-1252 lacks (the generator's few Japanese names) becomes
`?`, as Excel writes it.
"""

import csv
import sys


def german(text, euro):
    """`1,234.56`, `$45.00`, `-12.00` -> `1.234,56 €`; other text as it is."""
    core = text.replace(",", "").replace("$", "").strip()
    negative = core.startswith("-")
    core = core.lstrip("-")
    units, _, cents = core.partition(".")
    if not units.isdigit() or (cents and not cents.isdigit()):
        return text
    grouped = f"{int(units):,}".replace(",", ".")
    out = ("-" if negative else "") + grouped + ("," + cents if cents else "")
    return out + " €" if euro else out


def line_total(quantity, price):
    """quantity × unit price, in the unit price's decimals (text)."""
    core = price.replace(",", "").replace("$", "").strip()
    units, _, cents = core.partition(".")
    if not units.isdigit():
        return price
    scale = 10 ** len(cents)
    minor = (int(units) * scale + int(cents or 0)) * quantity
    if not cents:
        return str(minor)
    return f"{minor // scale}.{minor % scale:0{len(cents)}d}"


def main(src, dst):
    with open(src, newline="", encoding="utf-8") as f_in, open(
        dst, "w", newline="", encoding="cp1252", errors="replace"
    ) as f_out:
        rows = csv.reader(f_in)
        out = csv.writer(f_out, delimiter=";", lineterminator="\r\n")
        header = next(rows)
        col = {name: i for i, name in enumerate(header)}
        header[col["item_price"]] = "line_total"
        out.writerow(header)
        for n, row in enumerate(rows):
            # Per order, so an order's rows write its total alike.
            euro = sum(map(ord, row[col["order_id"]])) % 2 == 0
            quantity = int(row[col["quantity"]])
            total = line_total(quantity, row[col["item_price"]])
            row[col["item_price"]] = german(total, euro)
            row[col["total"]] = german(row[col["total"]], euro)
            if row[col["currency"]] in ("USD", "CAD", "MXN", "BRL", "EUR", "GBP", "usd"):
                row[col["currency"]] = "EUR"
            if n % 3 == 0:
                row[col["quantity"]] = f"{quantity},0"
            out.writerow(row)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
