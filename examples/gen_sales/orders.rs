//! The order stream: one order at a time from one generator state, with
//! its customer, its dirt and (with `--line-items`) its items.

use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, civil};

use crate::regions::{Currency, EMAIL_DOMAINS, Name, REGIONS, Region, USD, pick_region};
use crate::{
    Args, Case, Mix, Record, Rng, push_amount, push_cased, push_datetime, push_int, push_padded,
    push_pattern,
};

pub(crate) const MAX_ITEMS: usize = 5;
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

pub(crate) struct Item {
    pub(crate) sku: u64,
    pub(crate) quantity: u64,
    /// Unit price in the order currency's minor units.
    pub(crate) price: u64,
}

/// The order stream: one generator state, one order at a time.
pub(crate) struct Sales {
    rng: Rng,
    clean: bool,
    line_items: bool,
    window_start: i64,
    tz: TimeZone,
    /// The store's UTC offset when it is the same across the whole window
    /// (no DST change), which spares a zone lookup per row.
    fixed_offset: Option<Offset>,
    /// The customers' countries (`--mix`).
    regions: &'static [Region],
}

impl Sales {
    pub(crate) fn new(args: &Args, tz: TimeZone) -> Sales {
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
            regions: match args.mix {
                Mix::Us => REGIONS,
                Mix::International => crate::international::REGIONS,
            },
        }
    }

    /// Writes the 12 order fields into `rec` and, with line items, fills
    /// `items` with at most `room` of the order's items. Returns the
    /// order's currency.
    pub(crate) fn order(
        &mut self,
        seq: u64,
        room: usize,
        rec: &mut Record,
        items: &mut Vec<Item>,
    ) -> &'static Currency {
        let region = pick_region(&mut self.rng, self.regions);
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
        // The international mix: a third of the orders with accents.
        let (cities, first_names, last_names) = match region.accented {
            Some(accented) if rng.below(3) == 0 => {
                (accented.cities, accented.first_names, accented.last_names)
            }
            _ => (region.cities, region.first_names, region.last_names),
        };
        let city = rng.pick(cities);
        let first = rng.pick(first_names);
        let last = rng.pick(last_names);
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
