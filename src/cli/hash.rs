//! `offconv hash`: what offconv sends for a value, to explain a match or a
//! miss. One line per value: `normalized<TAB>sha256`; a value that
//! normalizes to nothing prints only the TAB.

use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

use clap::Args;

use crate::normalize::{self, Field, Outcome};

#[derive(Debug, Clone, Args)]
pub struct HashArgs {
    /// The field: em ph fn ln ge db ct st zp country external_id.
    #[arg(long, value_parser = parse_field)]
    pub field: Field,
    /// Values to hash; without any, one value per line of stdin.
    #[arg(value_name = "VALUE")]
    pub values: Vec<String>,
    /// Region for phone numbers without a country code (as in the mapping).
    #[arg(long, value_name = "REGION")]
    pub phone_region: Option<normalize::PhoneRegion>,
}

fn parse_field(s: &str) -> Result<Field, String> {
    Field::from_key(s).ok_or_else(|| {
        let known: Vec<&str> = Field::ALL.iter().map(|f| f.key()).collect();
        let hint = crate::suggest::closest(s, known.iter().copied())
            .map(|c| format!(" (did you mean {c}?)"))
            .unwrap_or_default();
        format!("{s:?} is not a field{hint}; use one of {}", known.join(" "))
    })
}

pub fn run(args: HashArgs) -> anyhow::Result<ExitCode> {
    let options = normalize::Options {
        phone_region: args.phone_region,
        hash_external_id: true,
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut normalized = String::new();
    let mut line = |value: &str, out: &mut dyn Write| -> std::io::Result<()> {
        match normalize::normalize(args.field, value, &options, &mut normalized) {
            Outcome::Dropped => writeln!(out, "\t"),
            Outcome::AlreadyHashed => writeln!(out, "{normalized}\t{normalized}"),
            Outcome::Normalized => {
                let digest = normalize::sha256_hex(normalized.as_bytes());
                let hex = std::str::from_utf8(&digest).expect("hex is ASCII");
                writeln!(out, "{normalized}\t{hex}")
            }
        }
    };
    let result = if args.values.is_empty() {
        let stdin = std::io::stdin();
        let mut result = Ok(());
        for value in stdin.lock().lines() {
            let value = value?;
            let value = value.strip_suffix('\r').unwrap_or(&value);
            result = line(value, &mut out);
            if result.is_err() {
                break;
            }
        }
        result
    } else {
        args.values.iter().try_for_each(|v| line(v, &mut out))
    };
    match result.and_then(|()| out.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // A closed pipe (`| head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.into()),
    }
}
