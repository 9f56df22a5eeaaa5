//! `[event] data_processing_options`, `data_processing_options_country`,
//! `data_processing_options_state` and `ldu_column`: Limited Data Use
//! (DESIGN.md sections 1 and 6), for every event or per row.
//!
//! Meta knows one data processing option, `"LDU"`, with a country (0: Meta
//! geolocates the event, 1: the US) and a state (0: geolocate, 1000:
//! California). Anything else is refused at start-up, naming the key: an
//! upload that silently leaves LDU off would break the store's promise to
//! its customers for every event of the night.

use super::event::EventSection;

/// The one data processing option Meta knows.
pub const LDU: &str = "LDU";

/// LDU as the mapping sets it: present when some event can be under LDU
/// (every event, or the rows `ldu_column` turns on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ldu {
    /// `data_processing_options = ["LDU"]`: every event.
    pub always: bool,
    /// `data_processing_options_country`: 0 (geolocate) or 1 (US).
    pub country: u8,
    /// `data_processing_options_state`: 0 (geolocate) or 1000 (California).
    pub state: u16,
}

pub(super) fn check(ev: &EventSection) -> Result<Option<Ldu>, String> {
    let always = match &ev.data_processing_options {
        None => false,
        Some(options) => {
            if let Some(bad) = options.iter().find(|o| *o != LDU) {
                return Err(format!(
                    "[event] data_processing_options holds {bad:?}: Meta knows only \"{LDU}\" (Limited Data Use); write [\"{LDU}\"], or [] for none"
                ));
            }
            !options.is_empty()
        }
    };
    let country = match ev.data_processing_options_country {
        None | Some(0) => 0,
        Some(1) => 1,
        Some(n) => {
            return Err(format!(
                "[event] data_processing_options_country = {n}: Meta takes 0 (it geolocates the event) or 1 (the US)"
            ));
        }
    };
    let state = match ev.data_processing_options_state {
        None | Some(0) => 0,
        Some(1000) => 1000,
        Some(n) => {
            return Err(format!(
                "[event] data_processing_options_state = {n}: Meta takes 0 (it geolocates the event) or 1000 (California)"
            ));
        }
    };
    if state == 1000 && country != 1 {
        return Err(
            "[event] data_processing_options_state = 1000 (California) needs data_processing_options_country = 1 (the US)".into(),
        );
    }
    if !always && ev.ldu_column.is_none() {
        for (key, set) in [
            (
                "data_processing_options_country",
                ev.data_processing_options_country.is_some(),
            ),
            (
                "data_processing_options_state",
                ev.data_processing_options_state.is_some(),
            ),
        ] {
            if set {
                return Err(format!(
                    "[event] {key} is sent only with Limited Data Use: set data_processing_options = [\"{LDU}\"] or ldu_column"
                ));
            }
        }
        return Ok(None);
    }
    Ok(Some(Ldu {
        always,
        country,
        state,
    }))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::Mapping;

    fn parse(event: &str) -> Result<Option<super::Ldu>, String> {
        let text = format!("[event]\ntime_column = \"t\"\n{event}\n[user_data]\nem = \"e\"\n");
        Mapping::parse(&text, Path::new("m.toml"))
            .map(|m| m.ldu)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_and_values() {
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("data_processing_options = []").unwrap(), None);
        let ldu = parse("data_processing_options = [\"LDU\"]")
            .unwrap()
            .unwrap();
        assert_eq!((ldu.always, ldu.country, ldu.state), (true, 0, 0));
        let ldu = parse(
            "data_processing_options = [\"LDU\"]\ndata_processing_options_country = 1\ndata_processing_options_state = 1000",
        )
        .unwrap()
        .unwrap();
        assert_eq!((ldu.always, ldu.country, ldu.state), (true, 1, 1000));
        let ldu = parse("ldu_column = \"opt_out\"").unwrap().unwrap();
        assert_eq!((ldu.always, ldu.country, ldu.state), (false, 0, 0));
    }

    #[test]
    fn what_meta_does_not_take_is_refused() {
        for (event, says) in [
            ("data_processing_options = [\"ldu\"]", "knows only \"LDU\""),
            ("data_processing_options = [\"LDU\", \"GDPR\"]", "\"GDPR\""),
            (
                "data_processing_options = [\"LDU\"]\ndata_processing_options_country = 2",
                "0 (it geolocates the event) or 1 (the US)",
            ),
            (
                "data_processing_options = [\"LDU\"]\ndata_processing_options_country = 1\ndata_processing_options_state = 6",
                "1000 (California)",
            ),
            (
                "data_processing_options = [\"LDU\"]\ndata_processing_options_state = 1000",
                "needs data_processing_options_country = 1",
            ),
            (
                "data_processing_options_country = 1",
                "sent only with Limited Data Use",
            ),
            (
                "data_processing_options = []\ndata_processing_options_state = 0",
                "sent only with Limited Data Use",
            ),
        ] {
            let err = parse(event).unwrap_err();
            assert!(err.contains("m.toml"), "{err}");
            assert!(err.contains(says), "{event}: {err}");
        }
    }
}
