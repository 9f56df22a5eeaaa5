//! Writes a synthetic point-of-sale export: the input for benchmarks, demos
//! and the sample files in `fixtures/`.
//!
//! ```text
//! cargo run --release --example gen_sales -- --rows 10000000 --out sales.csv.zst
//! cargo run --release --example gen_sales -- --rows 1000 --seed 7 --clean --line-items
//! ```
//!
//! The header is `order_id,purchased_at,email,phone,first_name,last_name,
//! city,state,zip,country,total,currency`, plus `sku,quantity,item_price` with
//! `--line-items` (one row per item, 1–5 items per order on consecutive rows
//! that repeat the order's customer and total). Three customers in four are
//! American; the rest come from eight other countries with their own cities,
//! postcodes, phone formats and currency. Values come in the spellings real
//! exports hold (`IL` and `illinois`, `MEX` and `México`, `$45.00` and
//! `1,234.56`), and `purchased_at` is store-clock time (`--timezone`, no
//! offset) within the five days before `--now`. Without `--clean`, about 2%
//! of the orders carry the dirt a nightly job meets: an empty or impossible
//! time, a negative total, an unknown currency, no customer data at all.
//!
//! The same seed writes the same bytes, and row k does not depend on
//! `--rows`: `--rows 50` is the head of `--rows 1000`. `--clean` draws the
//! same orders as a plain run of its seed, without the dirt and the dirty
//! spellings (`N/A` emails, `usd`, national numbers abroad).
//!
//! `--mix international` writes an international retailer's export instead
//! (`international.rs`): US, Canada, Mexico, Brazil, Germany, the UK and
//! Puerto Rico, phones with `+CC`, `00CC` or in the national form, a third
//! of the orders with accented names and city, six currencies.
//!
//! Emails use the reserved `example.*` domains and phones the fictional
//! ranges where a country has them (US/CA 555-01xx, UK drama numbers,
//! French and Australian fiction ranges), so an upload of this data by
//! mistake is unlikely to match anyone real.
#![allow(clippy::disallowed_macros)] // a tool's own output (see clippy.toml)

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

mod international;
mod orders;
mod regions;

use anyhow::Context;
use clap::Parser;
use flate2::Compression;
use flate2::write::GzEncoder;
use jiff::tz::TimeZone;
use jiff::{Timestamp, civil};

use orders::{MAX_ITEMS, Sales};
use regions::Currency;

/// Write a synthetic point-of-sale export (CSV) for offconv.
#[derive(Parser)]
#[command(name = "gen_sales")]
struct Args {
    /// Data rows to write (with --line-items: rows, not orders).
    #[arg(long)]
    rows: u64,
    /// Generator seed: the same seed always writes the same file.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output path or `-` for stdout; `.gz` and `.zst` endings compress.
    #[arg(long, default_value = "-")]
    out: String,
    /// The export's clock: purchases fall in the five days before it.
    #[arg(long, default_value = "2026-11-26T12:00:00Z")]
    now: Timestamp,
    /// IANA zone of the store clock that `purchased_at` is written in.
    #[arg(long, default_value = "America/Chicago")]
    timezone: String,
    /// One row per line item, appending `sku,quantity,item_price`.
    #[arg(long)]
    line_items: bool,
    /// No deliberate dirt: every row is valid (some still lack an email).
    #[arg(long)]
    clean: bool,
    /// Whose customers: `us` (three in four American) or `international`
    /// (an international retailer's: seven countries, accents, currencies).
    #[arg(long, value_enum, default_value_t = Mix::Us)]
    mix: Mix,
}

/// The customer mix of the export.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Mix {
    Us,
    International,
}

const HEADER: &[&str] = &[
    "order_id",
    "purchased_at",
    "email",
    "phone",
    "first_name",
    "last_name",
    "city",
    "state",
    "zip",
    "country",
    "total",
    "currency",
];
const ITEM_HEADER: &[&str] = &["sku", "quantity", "item_price"];

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        // `gen_sales ... | head` is a normal way to use it.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("gen_sales: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn run(args: &Args) -> anyhow::Result<()> {
    let tz =
        TimeZone::get(&args.timezone).with_context(|| format!("--timezone {:?}", args.timezone))?;
    let sink = Sink::create(&args.out).with_context(|| format!("cannot create {}", args.out))?;
    let mut out = BufWriter::with_capacity(1 << 20, sink);
    let mut sales = Sales::new(args, tz);

    let mut record = Record::default();
    for name in HEADER
        .iter()
        .chain(if args.line_items { ITEM_HEADER } else { &[] })
    {
        record.field(|buf| buf.extend_from_slice(name.as_bytes()));
    }
    record.end();
    out.write_all(&record.buf)?;

    let mut order = Record::default();
    let mut items = Vec::with_capacity(MAX_ITEMS);
    let mut written = 0;
    let mut seq = 0;
    while written < args.rows {
        seq += 1;
        let room = usize::try_from(args.rows - written).unwrap_or(usize::MAX);
        order.clear();
        let currency = sales.order(seq, room, &mut order, &mut items);
        if !args.line_items {
            order.end();
            out.write_all(&order.buf)?;
            written += 1;
            continue;
        }
        for item in &items {
            record.copy_from(&order);
            record.field(|buf| write_sku(buf, item.sku));
            record.field(|buf| push_int(buf, item.quantity));
            record.field(|buf| push_amount(buf, item.price, currency, false, false));
            record.end();
            out.write_all(&record.buf)?;
            written += 1;
        }
    }
    out.into_inner()
        .map_err(io::IntoInnerError::into_error)?
        .finish()?;
    Ok(())
}

/// Where the export goes; compression is chosen by the file's ending.
enum Sink {
    Stdout(io::StdoutLock<'static>),
    Plain(File),
    Gzip(GzEncoder<File>),
    Zstd(zstd::Encoder<'static, File>),
}

impl Sink {
    fn create(path: &str) -> io::Result<Sink> {
        if path == "-" {
            return Ok(Sink::Stdout(io::stdout().lock()));
        }
        let file = File::create(path)?;
        let ext = Path::new(path).extension().unwrap_or_default();
        Ok(if ext.eq_ignore_ascii_case("gz") {
            // GzEncoder writes mtime 0 and no name: the bytes depend on the data only.
            Sink::Gzip(GzEncoder::new(file, Compression::default()))
        } else if ext.eq_ignore_ascii_case("zst") {
            Sink::Zstd(zstd::Encoder::new(file, 3)?)
        } else {
            Sink::Plain(file)
        })
    }

    /// Writes the compressed stream's trailer; dropping would lose its errors.
    fn finish(self) -> io::Result<()> {
        match self {
            Sink::Stdout(mut out) => out.flush(),
            Sink::Plain(mut file) => file.flush(),
            Sink::Gzip(enc) => enc.finish()?.flush(),
            Sink::Zstd(enc) => enc.finish()?.flush(),
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(out) => out.write(buf),
            Sink::Plain(file) => file.write(buf),
            Sink::Gzip(enc) => enc.write(buf),
            Sink::Zstd(enc) => enc.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(out) => out.flush(),
            Sink::Plain(file) => file.flush(),
            Sink::Gzip(enc) => enc.flush(),
            Sink::Zstd(enc) => enc.flush(),
        }
    }
}

/// One CSV record being assembled in a reused buffer; a field is quoted
/// only when it holds a comma, a quote or a line break.
#[derive(Default)]
struct Record {
    buf: Vec<u8>,
    fields: usize,
}

impl Record {
    fn clear(&mut self) {
        self.buf.clear();
        self.fields = 0;
    }

    fn copy_from(&mut self, other: &Record) {
        self.buf.clear();
        self.buf.extend_from_slice(&other.buf);
        self.fields = other.fields;
    }

    fn field(&mut self, write: impl FnOnce(&mut Vec<u8>)) {
        if self.fields > 0 {
            self.buf.push(b',');
        }
        self.fields += 1;
        let start = self.buf.len();
        write(&mut self.buf);
        if self.buf[start..]
            .iter()
            .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
        {
            let raw = self.buf.split_off(start);
            self.buf.push(b'"');
            for &b in &raw {
                if b == b'"' {
                    self.buf.push(b'"');
                }
                self.buf.push(b);
            }
            self.buf.push(b'"');
        }
    }

    /// Where the record stands, to go back to with `truncate`.
    fn mark(&self) -> (usize, usize) {
        (self.buf.len(), self.fields)
    }

    fn truncate(&mut self, (len, fields): (usize, usize)) {
        self.buf.truncate(len);
        self.fields = fields;
    }

    fn end(&mut self) {
        self.buf.push(b'\n');
    }
}

/// xoshiro256++ seeded through splitmix64. Written out here rather than
/// taken from a crate whose small generator may change between versions,
/// so a seed names the same file for good.
struct Rng([u64; 4]);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut state = seed;
        let mut next = || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        Rng([next(), next(), next(), next()])
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` by multiply-shift (bias far below anything visible).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    fn pick<T>(&mut self, items: &'static [T]) -> &'static T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// How a text value is typed into the till.
#[derive(Clone, Copy)]
enum Case {
    AsIs,
    Upper,
    Lower,
}

impl Case {
    fn draw(rng: &mut Rng, upper_pct: u64, lower_pct: u64) -> Case {
        let r = rng.below(100);
        if r < upper_pct {
            Case::Upper
        } else if r < upper_pct + lower_pct {
            Case::Lower
        } else {
            Case::AsIs
        }
    }
}

fn push_cased(buf: &mut Vec<u8>, text: &str, case: Case) {
    let mut utf8 = [0; 4];
    match case {
        Case::AsIs => buf.extend_from_slice(text.as_bytes()),
        Case::Upper => {
            for c in text.chars().flat_map(char::to_uppercase) {
                buf.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
            }
        }
        Case::Lower => {
            for c in text.chars().flat_map(char::to_lowercase) {
                buf.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
            }
        }
    }
}

/// Expands a pattern: `#` a digit, `@` a postcode letter, `%` the city's
/// `area` (itself a pattern), anything else as written.
fn push_pattern(buf: &mut Vec<u8>, rng: &mut Rng, pattern: &str, area: &str) {
    const LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
    for b in pattern.bytes() {
        match b {
            b'#' => buf.push(b'0' + rng.below(10) as u8),
            b'@' => buf.push(LETTERS[rng.below(LETTERS.len() as u64) as usize]),
            b'%' => push_pattern(buf, rng, area, ""),
            _ => buf.push(b),
        }
    }
}

fn push_int(buf: &mut Vec<u8>, n: u64) {
    let mut digits = [0; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

/// `n` with leading zeros to at least `width` digits.
fn push_padded(buf: &mut Vec<u8>, n: u64, width: usize) {
    let start = buf.len();
    push_int(buf, n);
    let digits = buf.len() - start;
    if digits < width {
        buf.splice(start..start, std::iter::repeat_n(b'0', width - digits));
    }
}

fn push_two(buf: &mut Vec<u8>, n: u8) {
    buf.extend_from_slice(&[b'0' + n / 10, b'0' + n % 10]);
}

/// `YYYY-MM-DD HH:MM:SS`, the way most tills export.
fn push_datetime(buf: &mut Vec<u8>, dt: civil::DateTime) {
    let year = dt.year() as u16;
    push_two(buf, (year / 100) as u8);
    push_two(buf, (year % 100) as u8);
    buf.push(b'-');
    push_two(buf, dt.month() as u8);
    buf.push(b'-');
    push_two(buf, dt.day() as u8);
    buf.push(b' ');
    push_two(buf, dt.hour() as u8);
    buf.push(b':');
    push_two(buf, dt.minute() as u8);
    buf.push(b':');
    push_two(buf, dt.second() as u8);
}

/// An amount in minor units: `123.45`, `1,234.56`, `$45.00`, or `12800` for
/// a currency without decimals.
fn push_amount(buf: &mut Vec<u8>, minor: u64, currency: &Currency, grouped: bool, sign: bool) {
    if sign && currency.code == "USD" {
        buf.push(b'$');
    }
    let (units, cents) = if currency.decimals {
        (minor / 100, Some(minor % 100))
    } else {
        (minor, None)
    };
    if grouped && units >= 1000 {
        push_grouped(buf, units);
    } else {
        push_int(buf, units);
    }
    if let Some(cents) = cents {
        buf.push(b'.');
        push_two(buf, cents as u8);
    }
}

fn push_grouped(buf: &mut Vec<u8>, n: u64) {
    if n >= 1000 {
        push_grouped(buf, n / 1000);
        buf.push(b',');
        let rest = n % 1000;
        push_two(buf, (rest / 10) as u8);
        buf.push(b'0' + (rest % 10) as u8);
    } else {
        push_int(buf, n);
    }
}

fn write_sku(buf: &mut Vec<u8>, sku: u64) {
    buf.extend_from_slice(b"SKU-");
    push_int(buf, sku);
}
