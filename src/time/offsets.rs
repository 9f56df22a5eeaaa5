//! The zone's offset kept per civil hour, per worker: a store's sales of
//! one night fall in a few dozen hours, and jiff's lookup of the offset
//! (a search of the zone's transitions) was the costliest part of reading
//! a time. An hour is kept only when every second of it has one offset
//! that is not ambiguous, so a cached answer is the one jiff gives; an
//! hour with a transition in it (a gap or fold, or an offset that changes
//! mid-hour) is asked of jiff every time.

use std::sync::atomic::{AtomicU64, Ordering};

use jiff::civil::DateTime;
use jiff::tz::{AmbiguousOffset, TimeZone};

use super::TimeError;

/// Hours kept (48 KB): a backfill of Meta's 62 days is 1,488 hours of a
/// zone, a night's export a few dozen.
const SLOTS: usize = 2048;

/// A number for each zone made ready to read times in (never 0, never
/// reused in a process), so a slot names its zone without holding it.
pub(super) fn next_zone_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[derive(Clone, Copy, Default)]
struct Slot {
    /// 0: empty.
    zone: u64,
    /// Civil hours since 1970-01-01T00.
    hour: i64,
    /// Seconds east of UTC.
    offset: i32,
}

/// Steady hours seen lately, direct-mapped by zone and hour.
#[derive(Default)]
pub struct OffsetCache {
    /// Allocated on first use.
    slots: Vec<Slot>,
}

impl OffsetCache {
    /// Unix seconds of `dt` in `tz` (numbered `zone`), as
    /// [`super::local`] reads it.
    pub(super) fn timestamp(
        &mut self,
        zone: u64,
        tz: &TimeZone,
        dt: DateTime,
    ) -> Result<i64, TimeError> {
        let civil = civil_seconds(dt);
        let hour = civil.div_euclid(3600);
        if self.slots.is_empty() {
            self.slots = vec![Slot::default(); SLOTS];
        }
        let at = slot_of(zone, hour);
        let slot = self.slots[at];
        if slot.zone == zone && slot.hour == hour {
            return Ok(civil - i64::from(slot.offset));
        }
        let t = super::local(tz, dt)?;
        if let Some(offset) = steady_offset(tz, dt) {
            self.slots[at] = Slot { zone, hour, offset };
        }
        Ok(t)
    }
}

fn slot_of(zone: u64, hour: i64) -> usize {
    let h = (hour as u64 ^ zone.rotate_left(32)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (h >> (64 - SLOTS.trailing_zeros())) as usize
}

/// The offset of every second of `dt`'s hour, when it is one and not
/// ambiguous; `None` when the hour holds a gap, a fold or a change.
fn steady_offset(tz: &TimeZone, dt: DateTime) -> Option<i32> {
    // The offset at minute and second `ms` of the hour.
    let offset = |ms: i8| {
        let at = dt
            .with()
            .minute(ms)
            .second(ms)
            .subsec_nanosecond(0)
            .build()
            .ok()?;
        match tz.to_ambiguous_timestamp(at).offset() {
            AmbiguousOffset::Unambiguous { offset } => Some(offset.seconds()),
            _ => None,
        }
    };
    let first = offset(0)?;
    (offset(59)? == first).then_some(first)
}

/// Seconds from 1970-01-01T00:00:00 to `dt`, both read on one clock
/// (proleptic Gregorian days, H. Hinnant's `days_from_civil`).
fn civil_seconds(dt: DateTime) -> i64 {
    let (y, m, d) = (
        i64::from(dt.year()),
        i64::from(dt.month()),
        i64::from(dt.day()),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    days * 86_400
        + i64::from(dt.hour()) * 3600
        + i64::from(dt.minute()) * 60
        + i64::from(dt.second())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;
    use proptest::prelude::*;

    /// Zones with DST, half-hour DST (Lord Howe), odd offsets, none.
    const ZONES: &[&str] = &[
        "America/Chicago",
        "Europe/Berlin",
        "Australia/Lord_Howe",
        "Asia/Kathmandu",
        "America/St_Johns",
        "America/Sao_Paulo",
        "UTC",
    ];

    /// Unix seconds near changes of clocks in 2026: the US (March and
    /// November), the EU, Lord Howe (half an hour, April and October).
    const CHANGES: &[i64] = &[
        1_772_956_800,
        1_793_516_400,
        1_774_746_000,
        1_775_309_400,
        1_791_043_200,
    ];

    #[test]
    fn civil_seconds_of_known_days() {
        let at = |s: &str| civil_seconds(s.parse().unwrap());
        assert_eq!(at("1970-01-01T00:00:00"), 0);
        assert_eq!(at("2000-03-01T00:00:00"), 951_868_800);
        assert_eq!(at("2026-11-26T12:00:00"), 1_795_694_400);
        assert_eq!(at("1969-12-31T23:59:59"), -1);
    }

    #[test]
    fn the_hours_clocks_change_are_asked_every_time() {
        let tz = TimeZone::get("America/Chicago").unwrap();
        // 2026-03-08 02:00 does not exist there; 2026-11-01 01:00 twice.
        for hour in ["2026-03-08T02:30:00", "2026-11-01T01:30:00"] {
            assert_eq!(steady_offset(&tz, hour.parse().unwrap()), None);
        }
        assert_eq!(
            steady_offset(&tz, "2026-07-01T12:30:00".parse().unwrap()),
            Some(-5 * 3600)
        );
        // Clocks that go forward at half past: the hour starts steady and
        // ends in the gap.
        let half_past = TimeZone::posix("AST4ADT,M3.2.0/1:30,M11.1.0/2").unwrap();
        let hour = "2026-03-08T01:10:00".parse().unwrap();
        assert_eq!(steady_offset(&half_past, hour), None);
        let mut cache = OffsetCache::default();
        let id = next_zone_id();
        for at in ["2026-03-08T01:10:00", "2026-03-08T01:45:00"] {
            let dt = at.parse().unwrap();
            assert_eq!(
                cache.timestamp(id, &half_past, dt),
                super::super::local(&half_past, dt)
            );
        }
    }

    proptest! {
        /// Cached or not, and in whichever order times come, each reads
        /// as jiff reads it.
        #[test]
        fn reads_as_jiff_does(
            secs in proptest::collection::vec(1_000_000_000i64..2_100_000_000, 1..64),
            zone in 0..ZONES.len(),
            near in proptest::option::of(0..CHANGES.len()),
        ) {
            let tz = TimeZone::get(ZONES[zone]).unwrap();
            let mut cache = OffsetCache::default();
            let id = next_zone_id();
            // Near: the two days around a change of clocks, so the cache
            // is hit and the hours of the change come up.
            let times = secs.iter().map(|&s| match near {
                Some(c) => CHANGES[c] - 86_400 + s % 172_800,
                None => s,
            });
            for s in times.clone().chain(times) {
                let dt = Timestamp::from_second(s).unwrap().to_zoned(TimeZone::UTC).datetime();
                let want = super::super::local(&tz, dt);
                prop_assert_eq!(cache.timestamp(id, &tz, dt), want, "{} in {}", dt, ZONES[zone]);
                prop_assert_eq!(
                    civil_seconds(dt),
                    s,
                    "{} read on the UTC clock", dt
                );
            }
        }
    }
}
