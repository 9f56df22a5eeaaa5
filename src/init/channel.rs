//! `action_source`: an online shop's orders are `website` events (Meta
//! takes them up to 7 days old), a till's sales `physical_store` (62
//! days). Exports say which by their columns: a filled store, register or
//! staff column is a till; shipping, checkout and payment-intent columns
//! without one are a web shop.

use super::Setting;
use super::claims::Column;
use super::names;

/// Name parts of columns a till fills in.
const TILL: &[&str] = &[
    "location", "register", "device", "terminal", "store", "employee", "server", "cashier",
    "staff", "kasse", "bediener", "filiale", "caisse", "caja", "cassa",
];

/// Name parts of columns only online orders have.
const WEB: &[&str] = &[
    "shipping",
    "shipto",
    "financialstatus",
    "paymentintent",
    "purchasepoint",
    "customernote",
    "landingsite",
    "referringsite",
    "livraison",
    "versand",
    "envio",
    "spedizione",
    "verzending",
];

pub(super) fn action_source(columns: &[Column]) -> Setting {
    let has = |words: &[&str], filled: bool| {
        columns.iter().find(|c| {
            let folded = names::fold(c.name);
            words.iter().any(|w| folded.contains(w))
                && (!filled || c.profile.non_empty * 2 > c.values.len())
        })
    };
    if let Some(till) = has(TILL, true) {
        return Setting {
            value: "physical_store".into(),
            active: true,
            why: format!(
                "in-store sales (62-day window): \"{}\" names a store or till",
                till.name
            ),
        };
    }
    if let Some(web) = has(WEB, false) {
        return Setting {
            value: "website".into(),
            active: true,
            why: format!(
                "online orders (7-day window): \"{}\" and no store column",
                web.name
            ),
        };
    }
    Setting {
        value: "physical_store".into(),
        active: true,
        why: "in-store sales (62-day window); or website, phone_call, other, …".into(),
    }
}
