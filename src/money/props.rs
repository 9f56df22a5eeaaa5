//! Property tests of the amount parser under both decimal conventions:
//! never a panic, and an amount formatted under a convention (with or
//! without thousands groups, a symbol or a code) reads back as the same
//! decimal, except the one shape the convention refuses to guess.

use proptest::prelude::*;

use super::*;

fn separator() -> impl Strategy<Value = Separator> {
    prop_oneof![Just(Separator::Point), Just(Separator::Comma)]
}

/// `int` with the convention's thousands separator every three digits.
fn grouped(int: u64, sep: Separator) -> String {
    let digits = int.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep.group() as char);
        }
        out.push(c);
    }
    out
}

proptest! {
    #[test]
    fn never_panics(raw in "\\PC{0,24}", sep in separator()) {
        let _ = parse_amount(&raw, sep);
    }

    #[test]
    fn never_panics_on_amount_like_text(raw in "[-(€$£ ]{0,2}[0-9.,]{0,12}[ )€kr]{0,2}", sep in separator()) {
        let _ = parse_amount(&raw, sep);
    }

    #[test]
    fn formatted_amounts_read_back(
        int in 0u64..1_000_000_000_000,
        frac in "[0-9]{0,6}",
        group in any::<bool>(),
        sep in separator(),
        dress in 0usize..4,
    ) {
        let int_text = if group { grouped(int, sep) } else { int.to_string() };
        let number = if frac.is_empty() {
            int_text.clone()
        } else {
            format!("{int_text}{}{frac}", sep.decimal() as char)
        };
        let raw = match dress {
            0 => number.clone(),
            1 => format!("€{number}"),
            2 => format!("{number} €"),
            _ => format!("{number} EUR"),
        };
        let expected = if frac.is_empty() { int.to_string() } else { format!("{int}.{frac}") };
        let lone_group = int_text.bytes().filter(|&b| b == sep.group()).count() == 1;
        match parse_amount(&raw, sep) {
            Ok(Some(a)) => {
                prop_assert_eq!(a.decimal, expected);
                prop_assert_eq!(a.currency, (dress == 3).then_some("EUR"));
                prop_assert_eq!(a.symbol.map(|s| s.text), (dress == 1 || dress == 2).then_some("€"));
            }
            // Under ",", `1.250` is a group or three decimals: refused.
            Err(ValueError::Ambiguous) => {
                prop_assert!(sep == Separator::Comma && lone_group && frac.is_empty(), "{raw}");
            }
            other => prop_assert!(false, "{raw} under {:?}: {:?}", sep, other),
        }
    }

    #[test]
    fn the_other_convention_is_named(
        int in 0u64..1000,
        frac in "[0-9]{1,2}",
        sep in separator(),
    ) {
        // One or two decimals after the other convention's separator.
        let raw = format!("{int}{}{frac}", sep.other().decimal() as char);
        prop_assert_eq!(parse_amount(&raw, sep), Err(ValueError::OtherConvention));
    }

    /// The plain amounts' short way gives what the whole way gives.
    #[test]
    fn plain_amounts_read_as_the_whole_way_reads_them(
        raw in "[0-9]{0,14}([.,][0-9]{0,12})?[.,]?",
        sep in separator(),
    ) {
        let short = parse_amount(&raw, sep).map(|a| a.map(|a| a.decimal.into_owned()));
        let whole = parse_dressed(&raw, sep).map(|a| a.map(|a| a.decimal.into_owned()));
        prop_assert_eq!(short, whole, "{:?} under {:?}", raw, sep);
    }
}
