//! `offconv datasets`: the datasets an ad account can send to, with the
//! two facts that decide where offline events go (consolidated or not,
//! last event seen), as a table for a person or JSON for a script.

use std::io::Write as _;
use std::process::ExitCode;

use clap::Args;

use super::GlobalArgs;
use super::check::{GraphArgs, GraphSession, printable};
use crate::account::{self, DatasetInfo};

/// The ad account `datasets --sandbox` lists when none is given (the
/// sandbox shows the same datasets to every account).
const SANDBOX_AD_ACCOUNT: &str = "act_1234567890";

/// Arguments of `datasets`.
#[derive(Debug, Clone, Args)]
pub struct DatasetsArgs {
    /// The ad account id: act_123 or 123 [default with --sandbox: act_1234567890].
    #[arg(long, value_name = "ID", required_unless_present = "sandbox")]
    pub ad_account: Option<String>,
    /// Print a JSON array of {id, name, is_consolidated_container,
    /// last_fired_time} instead of a table.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub graph: GraphArgs,
}

pub fn run(args: DatasetsArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let session = GraphSession::open(&args.graph, global)?;
    let account = args
        .ad_account
        .clone()
        .unwrap_or_else(|| SANDBOX_AD_ACCOUNT.to_owned());
    let answer = session.block_on(account::list_datasets(&session.access, &account));
    session.close();
    let datasets = answer?;
    tracing::info!("{} datasets", datasets.len());
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &datasets)?;
        writeln!(out)?;
    } else if datasets.is_empty() {
        if !global.quiet {
            crate::say!(
                "offconv: ad account {} has no datasets this token can see",
                account.trim()
            );
        }
    } else {
        out.write_all(table(&datasets).as_bytes())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Aligned columns, widths from the content; names may be any script, so
/// widths count characters, not bytes.
fn table(datasets: &[DatasetInfo]) -> String {
    let header = ["ID", "NAME", "CONSOLIDATED", "LAST FIRED"].map(str::to_owned);
    let rows: Vec<[String; 4]> = datasets
        .iter()
        .map(|d| {
            [
                printable(&d.id).into_owned(),
                d.name
                    .as_deref()
                    .map_or_else(|| "-".to_owned(), |n| printable(n).into_owned()),
                match d.is_consolidated_container {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "?",
                }
                .to_owned(),
                d.last_fired_time
                    .as_deref()
                    .map_or_else(|| "never".to_owned(), last_fired),
            ]
        })
        .collect();
    let mut widths = [0usize; 4];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            line.extend(std::iter::repeat_n(' ', width - cell.chars().count()));
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

/// Graph's `2026-07-28T09:15:00+0000` as `2026-07-28 09:15 UTC`; anything
/// else as given.
fn last_fired(graph_time: &str) -> String {
    jiff::Timestamp::strptime("%Y-%m-%dT%H:%M:%S%z", graph_time).map_or_else(
        |_| printable(graph_time).into_owned(),
        |t| t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_and_sanitizes() {
        let datasets = [
            DatasetInfo {
                id: "1".into(),
                name: Some("Läden\tNord".into()),
                is_consolidated_container: Some(true),
                last_fired_time: Some("2026-07-28T09:15:00+0200".into()),
            },
            DatasetInfo {
                id: "22".into(),
                name: None,
                is_consolidated_container: None,
                last_fired_time: None,
            },
        ];
        assert_eq!(
            table(&datasets),
            "ID  NAME        CONSOLIDATED  LAST FIRED\n\
             1   Läden Nord  yes           2026-07-28 07:15 UTC\n\
             22  -           ?             never\n"
        );
    }
}
