//! Header cells that are really customer data. A headerless export's first
//! row is taken as its header, and errors that list the header (columns
//! missing, "did you mean") once printed a customer's email, phone and
//! name on stderr and in the MCP tool result. Such cells are described by
//! position and shape instead: `column 3 (an email address)`.

/// What a header cell looks like when it looks like a value, not a name.
pub fn value_shape(cell: &str) -> Option<&'static str> {
    let digits = cell.chars().filter(char::is_ascii_digit).count();
    if cell.contains('@') {
        Some("an email address")
    } else if digits >= 5 {
        Some("a number, phone or id")
    } else if cell.chars().any(|c| c.is_control()) {
        Some("control characters")
    } else if cell.chars().count() > 64 {
        Some("a long text")
    } else {
        None
    }
}

/// Whether the header is likely the first data row of a headerless file:
/// some cell looks like a value.
pub fn looks_headerless(header: &[String]) -> bool {
    header.iter().any(|c| value_shape(c).is_some())
}

/// The header for an error: names as they are, and cells that look like
/// values by their position and shape. With any such cell, every cell is
/// told by position only (a name, a city, next to an email, is data too).
pub fn describe_header(header: &[String]) -> String {
    if !looks_headerless(header) {
        return header.join(", ");
    }
    let cells: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, c)| match value_shape(c) {
            Some(shape) => format!("column {} ({shape})", i + 1),
            None if c.is_empty() => format!("column {} (empty)", i + 1),
            None => format!("column {} (text)", i + 1),
        })
        .collect();
    format!(
        "{} — its first line holds values, not column names: the export seems to have no header line (add one; its values are not shown here)",
        cells.join(", ")
    )
}

/// A header cell to quote in an error, or `None` when it looks like data.
pub fn quotable(header: &[String], cell: &str) -> bool {
    !looks_headerless(header) && value_shape(cell).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_in_the_header_are_described_not_printed() {
        let header: Vec<String> = [
            "SO-00000001",
            "thomas@mail.example.com",
            "+1 415 555 0169",
            "Thomas",
        ]
        .map(String::from)
        .to_vec();
        let text = describe_header(&header);
        for v in &header {
            assert!(!text.contains(v.as_str()), "{text}");
        }
        assert!(text.contains("column 2 (an email address)"), "{text}");
        assert!(text.contains("no header line"), "{text}");
        let names: Vec<String> = ["order_id", "email"].map(String::from).to_vec();
        assert_eq!(describe_header(&names), "order_id, email");
    }
}
