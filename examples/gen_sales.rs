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
//! Emails use the reserved `example.*` domains and phones the fictional
//! ranges where a country has them (US/CA 555-01xx, UK drama numbers,
//! French and Australian fiction ranges), so an upload of this data by
//! mistake is unlikely to match anyone real.
#![allow(clippy::disallowed_macros)] // a tool's own output (see clippy.toml)

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use flate2::Compression;
use flate2::write::GzEncoder;
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, civil};

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

const MAX_ITEMS: usize = 5;
/// `email,phone,first_name,last_name,city,state,zip,country`.
const CUSTOMER_FIELDS: usize = 8;
const WINDOW_SECS: i64 = 5 * 86_400;

/// The deliberate faults, about one order in fifty without `--clean`.
#[derive(Clone, Copy, PartialEq)]
enum Dirt {
    None,
    EmptyTime,
    ImpossibleDate,
    NegativeTotal,
    UnknownCurrency,
    NoCustomer,
}

struct Item {
    sku: u64,
    quantity: u64,
    /// Unit price in the order currency's minor units.
    price: u64,
}

/// The order stream: one generator state, one order at a time.
struct Sales {
    rng: Rng,
    clean: bool,
    line_items: bool,
    window_start: i64,
    tz: TimeZone,
    /// The store's UTC offset when it is the same across the whole window
    /// (no DST change), which spares a zone lookup per row.
    fixed_offset: Option<Offset>,
}

impl Sales {
    fn new(args: &Args, tz: TimeZone) -> Sales {
        let end = args.now.as_second();
        let window_start = end - WINDOW_SECS;
        let offset_at = |t| tz.to_offset(Timestamp::from_second(t).expect("time in range"));
        let fixed_offset = Some(offset_at(window_start)).filter(|&o| o == offset_at(end));
        Sales {
            rng: Rng::new(args.seed),
            clean: args.clean,
            line_items: args.line_items,
            window_start,
            tz,
            fixed_offset,
        }
    }

    /// Writes the 12 order fields into `rec` and, with line items, fills
    /// `items` with at most `room` of the order's items. Returns the
    /// order's currency.
    fn order(
        &mut self,
        seq: u64,
        room: usize,
        rec: &mut Record,
        items: &mut Vec<Item>,
    ) -> &'static Currency {
        let region = pick_region(&mut self.rng);
        let dirt = self.dirt();
        rec.field(|buf| {
            buf.extend_from_slice(b"SO-");
            push_padded(buf, seq, 8);
        });
        let at = self.purchase_time();
        rec.field(|buf| match dirt {
            Dirt::EmptyTime => {}
            Dirt::ImpossibleDate => buf.extend_from_slice(b"2026-13-45 10:00"),
            _ => push_datetime(buf, at),
        });
        let before_customer = rec.mark();
        self.customer(region, rec);
        if dirt == Dirt::NoCustomer {
            rec.truncate(before_customer);
            for _ in 0..CUSTOMER_FIELDS {
                rec.field(|_| {});
            }
        }

        let currency = if self.rng.percent(80) {
            region.currency
        } else {
            &USD
        };
        let total = if self.line_items {
            self.items(room, currency, items)
        } else {
            currency.minor_units(order_cents(&mut self.rng))
        };
        let rng = &mut self.rng;
        let grouped = rng.percent(40);
        let sign = rng.percent(10);
        rec.field(|buf| {
            if dirt == Dirt::NegativeTotal {
                buf.push(b'-');
            }
            push_amount(buf, total, currency, grouped, sign);
        });
        let lowercase = rng.percent(1) && !self.clean;
        rec.field(|buf| match dirt {
            Dirt::UnknownCurrency => buf.extend_from_slice(b"XYZ"),
            _ if lowercase => push_cased(buf, currency.code, Case::Lower),
            _ => buf.extend_from_slice(currency.code.as_bytes()),
        });
        currency
    }

    /// Draws the order's fault (also with `--clean`, which then drops it).
    fn dirt(&mut self) -> Dirt {
        if !self.rng.percent(2) {
            return Dirt::None;
        }
        let dirt = match self.rng.below(5) {
            0 => Dirt::EmptyTime,
            1 => Dirt::ImpossibleDate,
            2 => Dirt::NegativeTotal,
            3 => Dirt::UnknownCurrency,
            _ => Dirt::NoCustomer,
        };
        if self.clean { Dirt::None } else { dirt }
    }

    /// Writes the customer fields, `email` to `country`.
    fn customer(&mut self, region: &'static Region, rec: &mut Record) {
        let clean = self.clean;
        let rng = &mut self.rng;
        let city = rng.pick(region.cities);
        let first = rng.pick(region.first_names);
        let last = rng.pick(region.last_names);
        // One customer in ten leaves only a phone number, one in twenty a
        // phone and a name; the rest give an email.
        let profile = rng.below(100);
        let with_email = profile >= 15;
        let with_phone = rng.percent(70) || profile < 15;
        let with_names = profile >= 10;
        let with_address = rng.percent(85) && with_names;
        let placeholder = *rng.pick(&["N/A", "none", "-", "no email"]);
        let with_placeholder = rng.percent(20) && !with_email && !clean;

        rec.field(|buf| {
            if with_email {
                push_email(buf, rng, first, last);
            } else if with_placeholder {
                buf.extend_from_slice(placeholder.as_bytes());
            }
        });
        rec.field(|buf| {
            if with_phone {
                // Outside North America a number without its country code
                // reads wrong under phone_region US: dirt, so not when clean.
                let national = rng.percent(region.national_pct) && (region.nanp || !clean);
                let formats = if national {
                    region.national
                } else {
                    region.intl
                };
                let format = *rng.pick(formats);
                push_pattern(buf, rng, format, city.area);
            }
        });
        let name_case = Case::draw(rng, 8, 4);
        for name in [first.0, last.0] {
            rec.field(|buf| {
                if with_names {
                    push_cased(buf, name, name_case);
                }
            });
        }
        let city_case = Case::draw(rng, 8, 5);
        rec.field(|buf| {
            if with_address {
                push_cased(buf, city.name, city_case);
            }
        });
        rec.field(|buf| {
            let (code, name) = city.state;
            if with_address && !code.is_empty() {
                match rng.below(20) {
                    0..=10 => buf.extend_from_slice(code.as_bytes()),
                    11 => push_cased(buf, code, Case::Lower),
                    12..=16 => buf.extend_from_slice(name.as_bytes()),
                    17 => push_cased(buf, name, Case::Lower),
                    _ => push_cased(buf, name, Case::Upper),
                }
            }
        });
        rec.field(|buf| {
            if with_address {
                push_pattern(buf, rng, city.zip, "");
                if region.zip_plus4 {
                    match rng.below(20) {
                        0..=3 => push_pattern(buf, rng, "-####", ""),
                        4 => push_pattern(buf, rng, "####", ""),
                        _ => {}
                    }
                }
            }
        });
        // The country stays when the street address is skipped: tills
        // keep it from the customer profile (only US rows leave it blank).
        rec.field(|buf| {
            if with_names {
                buf.extend_from_slice(rng.pick(region.countries).as_bytes());
            }
        });
    }

    /// A moment in the window during store hours (08:00–21:59 local), as
    /// the store clock shows it.
    fn purchase_time(&mut self) -> civil::DateTime {
        let mut tries = 0;
        loop {
            let t = self.window_start + self.rng.below(WINDOW_SECS as u64) as i64;
            let at = Timestamp::from_second(t).expect("time in range");
            let offset = self.fixed_offset.unwrap_or_else(|| self.tz.to_offset(at));
            let local = offset.to_datetime(at);
            tries += 1;
            if (8..22).contains(&local.hour()) || tries == 8 {
                return local;
            }
        }
    }

    /// Draws an order's items (keeping at most `room`) and returns the
    /// total of those kept, in the order currency's minor units.
    fn items(&mut self, room: usize, currency: &Currency, items: &mut Vec<Item>) -> u64 {
        items.clear();
        let count = 1 + self.rng.below(MAX_ITEMS as u64) as usize;
        let mut total = 0;
        for i in 0..count {
            let sku = 10_000 + self.rng.below(2_500);
            let quantity = match self.rng.below(10) {
                0..=6 => 1,
                7 | 8 => 2,
                _ => 3,
            };
            let price = currency.minor_units(list_price(sku));
            if i < room {
                total += quantity * price;
                items.push(Item {
                    sku,
                    quantity,
                    price,
                });
            }
        }
        total
    }
}

/// A whole-order total in US cents: mostly small baskets, a long tail.
fn order_cents(rng: &mut Rng) -> u64 {
    match rng.below(10) {
        0..=5 => 500 + rng.below(9_500),
        6..=8 => 10_000 + rng.below(40_000),
        _ => 50_000 + rng.below(250_000),
    }
}

/// A SKU's shelf price in US cents: fixed per SKU, ending in .99.
fn list_price(sku: u64) -> u64 {
    let mut rng = Rng::new(sku);
    (1 + rng.below(150)) * 100 + 99
}

/// Emails of the shapes customers type: `jose.garcia@example.com`,
/// `First.Last@Example.com`, `JSMITH@EXAMPLE.NET`, sometimes with spaces.
fn push_email(buf: &mut Vec<u8>, rng: &mut Rng, first: &Name, last: &Name) {
    let (first, last) = (first.1, last.1);
    let padded = rng.percent(4);
    if padded {
        buf.extend_from_slice(b"  ");
    }
    let start = buf.len();
    match rng.below(8) {
        0 | 1 => {
            buf.extend_from_slice(first.as_bytes());
            buf.push(b'.');
            buf.extend_from_slice(last.as_bytes());
        }
        2 => {
            buf.extend_from_slice(first.as_bytes());
            buf.extend_from_slice(last.as_bytes());
        }
        3 => {
            buf.push(first.as_bytes()[0]);
            buf.extend_from_slice(last.as_bytes());
        }
        4 => {
            buf.extend_from_slice(first.as_bytes());
            buf.push(b'_');
            buf.extend_from_slice(last.as_bytes());
            push_int(buf, 10 + rng.below(90));
        }
        5 => {
            buf.extend_from_slice(first.as_bytes());
            push_int(buf, 1950 + rng.below(58));
        }
        6 => {
            buf.extend_from_slice(last.as_bytes());
            buf.push(b'.');
            buf.extend_from_slice(first.as_bytes());
        }
        _ => {
            buf.extend_from_slice(first.as_bytes());
            buf.push(b'.');
            buf.extend_from_slice(last.as_bytes());
            buf.extend_from_slice(b"+shop");
        }
    }
    buf.push(b'@');
    buf.extend_from_slice(rng.pick(EMAIL_DOMAINS).as_bytes());
    match rng.below(20) {
        // First.Last@Example.com
        0..=2 => {
            // Each part of the local part, and the domain's first label.
            let mut capital = true;
            let mut in_domain = false;
            for b in &mut buf[start..] {
                if capital {
                    b.make_ascii_uppercase();
                }
                capital = match *b {
                    b'@' => {
                        in_domain = true;
                        true
                    }
                    b'.' | b'_' => !in_domain,
                    _ => false,
                };
            }
        }
        3 | 4 => buf[start..].make_ascii_uppercase(),
        _ => {}
    }
    if padded {
        buf.push(b' ');
    }
}

/// A name as typed and its ASCII form for email addresses.
type Name = (&'static str, &'static str);

struct Currency {
    code: &'static str,
    decimals: bool,
    /// Minor units per 100 US cents.
    per_usd: u64,
}

impl Currency {
    /// `usd_cents` in this currency's minor units (whole yen for JPY).
    fn minor_units(&self, usd_cents: u64) -> u64 {
        let minor = usd_cents * self.per_usd / 100;
        if self.decimals {
            minor
        } else {
            minor / 10 * 10
        }
    }
}

const USD: Currency = Currency {
    code: "USD",
    decimals: true,
    per_usd: 100,
};

struct City {
    name: &'static str,
    /// Code and full name; empty where addresses carry no state.
    state: (&'static str, &'static str),
    /// Postcode pattern (see `push_pattern`).
    zip: &'static str,
    /// Phone area part, substituted for `%` in the region's formats.
    area: &'static str,
}

struct Region {
    /// Orders per thousand.
    weight: u64,
    /// The ways the country is written, repeated to weight them.
    countries: &'static [&'static str],
    currency: &'static Currency,
    cities: &'static [City],
    first_names: &'static [Name],
    last_names: &'static [Name],
    /// Phone formats with the country code, and as dialled at home.
    intl: &'static [&'static str],
    national: &'static [&'static str],
    /// Share of phones (percent) in the national format, dirty runs only.
    national_pct: u64,
    /// In the North American Numbering Plan (national formats need no `+1`).
    nanp: bool,
    zip_plus4: bool,
}

fn pick_region(rng: &mut Rng) -> &'static Region {
    let mut r = rng.below(1000);
    for region in REGIONS {
        if r < region.weight {
            return region;
        }
        r -= region.weight;
    }
    &REGIONS[0]
}

const EMAIL_DOMAINS: &[&str] = &[
    "example.com",
    "example.com",
    "example.net",
    "example.org",
    "mail.example.com",
    "post.example.net",
    "inbox.example.org",
];

const fn city(
    name: &'static str,
    state: (&'static str, &'static str),
    zip: &'static str,
    area: &'static str,
) -> City {
    City {
        name,
        state,
        zip,
        area,
    }
}

const NO_STATE: (&str, &str) = ("", "");

// Laid out by hand: rows of names read better than rustfmt's one per line.
#[rustfmt::skip]
const REGIONS: &[Region] = &[
    Region {
        weight: 750,
        countries: &[
            "US", "US", "US", "US", "us", "USA", "United States", "united states",
            "UNITED STATES", "U.S.", "", "",
        ],
        currency: &USD,
        cities: &[
            city("Chicago", ("IL", "Illinois"), "606##", "312"),
            city("Chicago", ("IL", "Illinois"), "606##", "773"),
            city("Chicago", ("IL", "Illinois"), "606##", "872"),
            city("Evanston", ("IL", "Illinois"), "602##", "847"),
            city("Naperville", ("IL", "Illinois"), "605##", "630"),
            city("Oak Park", ("IL", "Illinois"), "603##", "708"),
            city("Joliet", ("IL", "Illinois"), "604##", "815"),
            city("Milwaukee", ("WI", "Wisconsin"), "532##", "414"),
            city("Madison", ("WI", "Wisconsin"), "537##", "608"),
            city("Indianapolis", ("IN", "Indiana"), "462##", "317"),
            city("St. Louis", ("MO", "Missouri"), "631##", "314"),
            city("Kansas City", ("MO", "Missouri"), "641##", "816"),
            city("Minneapolis", ("MN", "Minnesota"), "554##", "612"),
            city("Saint Paul", ("MN", "Minnesota"), "551##", "651"),
            city("Detroit", ("MI", "Michigan"), "482##", "313"),
            city("Des Moines", ("IA", "Iowa"), "503##", "515"),
            city("Columbus", ("OH", "Ohio"), "432##", "614"),
            city("Cleveland", ("OH", "Ohio"), "441##", "216"),
            city("Louisville", ("KY", "Kentucky"), "402##", "502"),
            city("Nashville", ("TN", "Tennessee"), "372##", "615"),
            city("New York", ("NY", "New York"), "100##", "212"),
            city("Brooklyn", ("NY", "New York"), "112##", "718"),
            city("Los Angeles", ("CA", "California"), "900##", "213"),
            city("San Francisco", ("CA", "California"), "941##", "415"),
            city("San Diego", ("CA", "California"), "921##", "619"),
            city("Houston", ("TX", "Texas"), "770##", "713"),
            city("Dallas", ("TX", "Texas"), "752##", "214"),
            city("Austin", ("TX", "Texas"), "787##", "512"),
            city("Denver", ("CO", "Colorado"), "802##", "303"),
            city("Seattle", ("WA", "Washington"), "981##", "206"),
            city("Atlanta", ("GA", "Georgia"), "303##", "404"),
            city("Miami", ("FL", "Florida"), "331##", "305"),
            city("Orlando", ("FL", "Florida"), "328##", "407"),
            city("Boston", ("MA", "Massachusetts"), "021##", "617"),
            city("Philadelphia", ("PA", "Pennsylvania"), "191##", "215"),
            city("Phoenix", ("AZ", "Arizona"), "850##", "602"),
            city("Washington", ("DC", "District of Columbia"), "200##", "202"),
            city("San Juan", ("PR", "Puerto Rico"), "009##", "787"),
            city("Honolulu", ("HI", "Hawaii"), "968##", "808"),
            city("New Orleans", ("LA", "Louisiana"), "701##", "504"),
            city("Omaha", ("NE", "Nebraska"), "681##", "402"),
        ],
        first_names: &[
            ("James", "james"), ("Mary", "mary"), ("Robert", "robert"),
            ("Patricia", "patricia"), ("John", "john"), ("Jennifer", "jennifer"),
            ("Michael", "michael"), ("Linda", "linda"), ("David", "david"),
            ("Elizabeth", "elizabeth"), ("William", "william"), ("Susan", "susan"),
            ("Jessica", "jessica"), ("Thomas", "thomas"), ("Sarah", "sarah"),
            ("Christopher", "christopher"), ("Karen", "karen"), ("Daniel", "daniel"),
            ("Ashley", "ashley"), ("Emily", "emily"), ("Olivia", "olivia"), ("Noah", "noah"),
            ("Liam", "liam"), ("Ava", "ava"), ("DeShawn", "deshawn"), ("Keisha", "keisha"),
            ("Priya", "priya"), ("Wei", "wei"), ("Minh", "minh"), ("Fatima", "fatima"),
            ("José", "jose"), ("María", "maria"), ("Sofía", "sofia"), ("Jesús", "jesus"),
            ("Zoë", "zoe"), ("Renée", "renee"), ("Chloé", "chloe"), ("André", "andre"),
            ("Mary-Kate", "marykate"), ("Jo Ann", "joann"),
        ],
        last_names: &[
            ("Smith", "smith"), ("Johnson", "johnson"), ("Williams", "williams"),
            ("Brown", "brown"), ("Jones", "jones"), ("Miller", "miller"), ("Davis", "davis"),
            ("Wilson", "wilson"), ("Anderson", "anderson"), ("Taylor", "taylor"),
            ("Moore", "moore"), ("Jackson", "jackson"), ("Martin", "martin"), ("Lee", "lee"),
            ("Thompson", "thompson"), ("White", "white"), ("Harris", "harris"),
            ("Garcia", "garcia"), ("Rodriguez", "rodriguez"), ("Hernández", "hernandez"),
            ("López", "lopez"), ("Martínez", "martinez"), ("Nguyen", "nguyen"),
            ("Patel", "patel"), ("Kim", "kim"), ("Kowalski", "kowalski"), ("Okafor", "okafor"),
            ("O'Brien", "obrien"), ("McDonald", "mcdonald"), ("Smith-Jones", "smithjones"),
            ("De la Cruz", "delacruz"), ("St. John", "stjohn"), ("Müller", "mueller"),
            ("Johansson", "johansson"),
        ],
        intl: &["+1 % 555 01##", "+1 (%) 555-01##", "+1-%-555-01##"],
        national: &[
            "(%) 555-01##", "(%) 555-01##", "%-555-01##", "%-555-01##", "%.555.01##",
            "%55501##", "1-%-555-01##", "1 (%) 555-01##", "(%) 555-01##", "%-555-01##",
        ],
        national_pct: 75,
        nanp: true,
        zip_plus4: true,
    },
    Region {
        weight: 50,
        countries: &[
            "GB", "GB", "gb", "United Kingdom", "united kingdom", "UK", "GBR", "England",
        ],
        currency: &Currency { code: "GBP", decimals: true, per_usd: 79 },
        cities: &[
            city("London", NO_STATE, "EC1A #@@", "20 7946 0"),
            city("London", NO_STATE, "SW1A #@@", "20 7946 0"),
            city("Manchester", NO_STATE, "M1 #@@", "161 496 0"),
            city("Birmingham", NO_STATE, "B1 #@@", "121 496 0"),
            city("Bristol", NO_STATE, "BS1 #@@", "117 496 0"),
            city("Leeds", NO_STATE, "LS1 #@@", "113 496 0"),
            city("Edinburgh", NO_STATE, "EH1 #@@", "131 496 0"),
        ],
        first_names: &[
            ("Oliver", "oliver"), ("George", "george"), ("Harry", "harry"),
            ("Amelia", "amelia"), ("Isla", "isla"), ("Charlotte", "charlotte"),
            ("Siobhan", "siobhan"), ("Rhys", "rhys"), ("Niamh", "niamh"), ("Zoë", "zoe"),
        ],
        last_names: &[
            ("Smith", "smith"), ("Jones", "jones"), ("Taylor", "taylor"), ("Evans", "evans"),
            ("Roberts", "roberts"), ("Walker", "walker"), ("Davies", "davies"),
            ("Hughes", "hughes"), ("MacLeod", "macleod"), ("O'Sullivan", "osullivan"),
            ("Ffrench-Mullen", "ffrenchmullen"),
        ],
        intl: &["+44 %###", "+44 %###", "+44 (0)%###", "0044 %###"],
        national: &["0%###"],
        national_pct: 30,
        nanp: false,
        zip_plus4: false,
    },
    Region {
        weight: 50,
        countries: &["CA", "CA", "ca", "Canada", "CANADA", "CAN"],
        currency: &Currency { code: "CAD", decimals: true, per_usd: 138 },
        cities: &[
            city("Toronto", ("ON", "Ontario"), "M5V #@#", "416"),
            city("Ottawa", ("ON", "Ontario"), "K1P #@#", "613"),
            city("Montréal", ("QC", "Québec"), "H2X #@#", "514"),
            city("Québec", ("QC", "Québec"), "G1R #@#", "418"),
            city("Vancouver", ("BC", "British Columbia"), "V6B #@#", "604"),
            city("Calgary", ("AB", "Alberta"), "T2P #@#", "403"),
        ],
        first_names: &[
            ("Liam", "liam"), ("Emma", "emma"), ("Noah", "noah"), ("Olivia", "olivia"),
            ("François", "francois"), ("Étienne", "etienne"), ("Léa", "lea"),
            ("Chloé", "chloe"), ("Mathieu", "mathieu"), ("Gabrielle", "gabrielle"),
        ],
        last_names: &[
            ("Tremblay", "tremblay"), ("Gagnon", "gagnon"), ("Roy", "roy"), ("Côté", "cote"),
            ("Bouchard", "bouchard"), ("Lavoie", "lavoie"), ("Smith", "smith"),
            ("MacDonald", "macdonald"), ("Wong", "wong"),
        ],
        intl: &["+1 % 555 01##", "(%) 555-01##", "%-555-01##"],
        national: &["(%) 555-01##", "%-555-01##"],
        national_pct: 50,
        nanp: true,
        zip_plus4: false,
    },
    Region {
        weight: 30,
        countries: &["DE", "DE", "de", "Germany", "Deutschland", "DEU"],
        currency: &Currency { code: "EUR", decimals: true, per_usd: 92 },
        cities: &[
            city("Berlin", NO_STATE, "10###", "30"),
            city("München", NO_STATE, "80###", "89"),
            city("Hamburg", NO_STATE, "20###", "40"),
            city("Köln", NO_STATE, "50###", "221"),
            city("Frankfurt am Main", NO_STATE, "60###", "69"),
        ],
        first_names: &[
            ("Lukas", "lukas"), ("Leon", "leon"), ("Jürgen", "juergen"), ("Jörg", "joerg"),
            ("Anna", "anna"), ("Lena", "lena"), ("Sophie", "sophie"), ("Björn", "bjoern"),
            ("Katharina", "katharina"),
        ],
        last_names: &[
            ("Müller", "mueller"), ("Schmidt", "schmidt"), ("Schneider", "schneider"),
            ("Fischer", "fischer"), ("Weber", "weber"), ("Meyer", "meyer"),
            ("Schäfer", "schaefer"), ("Köhler", "koehler"), ("Groß", "gross"),
        ],
        intl: &["+49 % ########", "+49 (0)% ########", "0049 % ########"],
        national: &["0% ########"],
        national_pct: 30,
        nanp: false,
        zip_plus4: false,
    },
    Region {
        weight: 25,
        countries: &["FR", "FR", "fr", "France", "FRA"],
        currency: &Currency { code: "EUR", decimals: true, per_usd: 92 },
        cities: &[
            city("Paris", NO_STATE, "750##", "1 99 00"),
            city("Lyon", NO_STATE, "6900#", "4 65 71"),
            city("Marseille", NO_STATE, "130##", "4 65 71"),
            city("Toulouse", NO_STATE, "310##", "5 36 49"),
            city("Lille", NO_STATE, "590##", "3 53 01"),
        ],
        first_names: &[
            ("Jean", "jean"), ("Marie", "marie"), ("François", "francois"),
            ("Hélène", "helene"), ("Léa", "lea"), ("Gaëlle", "gaelle"), ("Jérôme", "jerome"),
            ("Noël", "noel"), ("Amélie", "amelie"),
        ],
        last_names: &[
            ("Martin", "martin"), ("Bernard", "bernard"), ("Dubois", "dubois"),
            ("Petit", "petit"), ("Durand", "durand"), ("Lefèvre", "lefevre"),
            ("Moreau", "moreau"), ("Girard", "girard"), ("Rousseau", "rousseau"),
        ],
        intl: &["+33 % ## ##", "+33 (0)% ## ##", "0033 % ## ##"],
        national: &["0% ## ##"],
        national_pct: 30,
        nanp: false,
        zip_plus4: false,
    },
    Region {
        weight: 40,
        countries: &["MX", "MX", "mx", "Mexico", "México", "MEX", "MEX"],
        currency: &Currency { code: "MXN", decimals: true, per_usd: 1_700 },
        cities: &[
            city("Ciudad de México", ("CDMX", "Ciudad de México"), "06###", "55"),
            city("Guadalajara", ("JAL", "Jalisco"), "44###", "33"),
            city("Zapopan", ("JAL", "Jalisco"), "45###", "33"),
            city("Monterrey", ("NL", "Nuevo León"), "64###", "81"),
        ],
        first_names: &[
            ("José", "jose"), ("María", "maria"), ("Juan", "juan"), ("Guadalupe", "guadalupe"),
            ("Luis", "luis"), ("Sofía", "sofia"), ("Ximena", "ximena"),
            ("Santiago", "santiago"), ("Jesús", "jesus"), ("Ángel", "angel"),
        ],
        last_names: &[
            ("Hernández", "hernandez"), ("García", "garcia"), ("Martínez", "martinez"),
            ("López", "lopez"), ("González", "gonzalez"), ("Pérez", "perez"),
            ("Sánchez", "sanchez"), ("Ramírez", "ramirez"), ("Cruz", "cruz"),
            ("De la Cruz", "delacruz"),
        ],
        intl: &["+52 % #### ####", "+52 (%) ####-####", "0052 % #### ####"],
        national: &["% #### ####"],
        national_pct: 30,
        nanp: false,
        zip_plus4: false,
    },
    Region {
        weight: 20,
        countries: &["BR", "BR", "br", "Brazil", "Brasil", "BRA"],
        currency: &Currency { code: "BRL", decimals: true, per_usd: 500 },
        cities: &[
            city("São Paulo", ("SP", "São Paulo"), "01###-###", "11"),
            city("Rio de Janeiro", ("RJ", "Rio de Janeiro"), "20###-###", "21"),
            city("Belo Horizonte", ("MG", "Minas Gerais"), "30###-###", "31"),
            city("Brasília", ("DF", "Distrito Federal"), "70###-###", "61"),
            city("Curitiba", ("PR", "Paraná"), "80###-###", "41"),
        ],
        first_names: &[
            ("João", "joao"), ("José", "jose"), ("Maria", "maria"), ("Ana", "ana"),
            ("Luíza", "luiza"), ("Gabriel", "gabriel"), ("Lucas", "lucas"),
            ("Beatriz", "beatriz"), ("Conceição", "conceicao"),
        ],
        last_names: &[
            ("Silva", "silva"), ("Santos", "santos"), ("Oliveira", "oliveira"),
            ("Souza", "souza"), ("Ferreira", "ferreira"), ("Pereira", "pereira"),
            ("Gonçalves", "goncalves"), ("Araújo", "araujo"),
        ],
        intl: &["+55 % 9####-####", "+55 (%) 9####-####", "+55 % 9#### ####"],
        national: &["(%) 9####-####", "0% 9####-####"],
        national_pct: 30,
        nanp: false,
        zip_plus4: false,
    },
    Region {
        weight: 15,
        countries: &["JP", "JP", "jp", "Japan", "JPN"],
        currency: &Currency { code: "JPY", decimals: false, per_usd: 150 },
        cities: &[
            city("Tokyo", NO_STATE, "1##-####", "3-####"),
            city("Ōsaka", NO_STATE, "5##-####", "6-####"),
            city("Yokohama", NO_STATE, "2##-####", "45-###"),
            city("Kyōto", NO_STATE, "6##-####", "75-###"),
            city("Sapporo", NO_STATE, "0##-####", "11-###"),
        ],
        first_names: &[
            ("Yuki", "yuki"), ("Hiroshi", "hiroshi"), ("Haruto", "haruto"),
            ("Sakura", "sakura"), ("Takashi", "takashi"), ("翔太", "shota"), ("陽菜", "hina"),
        ],
        last_names: &[
            ("Tanaka", "tanaka"), ("Suzuki", "suzuki"), ("Takahashi", "takahashi"),
            ("Watanabe", "watanabe"), ("Itō", "ito"), ("佐藤", "sato"), ("山田", "yamada"),
        ],
        intl: &["+81 %-####", "+81 % ####"],
        national: &["0%-####"],
        national_pct: 30,
        nanp: false,
        zip_plus4: false,
    },
    Region {
        weight: 20,
        countries: &["AU", "AU", "au", "Australia", "AUS"],
        currency: &Currency { code: "AUD", decimals: true, per_usd: 152 },
        cities: &[
            city("Sydney", ("NSW", "New South Wales"), "20##", "2 5550"),
            city("Melbourne", ("VIC", "Victoria"), "30##", "3 7010"),
            city("Brisbane", ("QLD", "Queensland"), "40##", "7 5550"),
            city("Perth", ("WA", "Western Australia"), "60##", "8 5550"),
            city("Adelaide", ("SA", "South Australia"), "50##", "8 7010"),
        ],
        first_names: &[
            ("Jack", "jack"), ("Charlotte", "charlotte"), ("William", "william"),
            ("Mia", "mia"), ("Lachlan", "lachlan"), ("Matilda", "matilda"), ("Zoë", "zoe"),
        ],
        last_names: &[
            ("Smith", "smith"), ("Jones", "jones"), ("Williams", "williams"),
            ("Nguyen", "nguyen"), ("Kelly", "kelly"), ("O'Connor", "oconnor"),
            ("White", "white"),
        ],
        intl: &["+61 % ####", "+61 (0)% ####", "0061 % ####"],
        national: &["0% ####"],
        national_pct: 30,
        nanp: false,
        zip_plus4: false,
    },
];
