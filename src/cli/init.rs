//! `offconv init`: writes a first mapping file for an export (see
//! [`crate::init`] for how it guesses). Refuses to overwrite a mapping
//! unless told, because a hand-tuned mapping is work a typo should not
//! destroy.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

use super::GlobalArgs;
use crate::init::{self, Sample};
use crate::source;

#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// The export to read the header and a sample of rows from (CSV; .gz
    /// and .zst are decompressed), or - for stdin.
    #[arg(value_name = "INPUT")]
    pub input: String,
    /// Where to write the mapping; - prints it to stdout.
    #[arg(short, long, default_value = "offconv.toml", value_name = "FILE")]
    pub output: PathBuf,
    /// Overwrite the output file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Exit 0: a complete mapping was written. 1: written, but with a TODO
/// for the time column or the customer keys. 2: nothing written.
pub fn run(args: InitArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let to_stdout = args.output.as_os_str() == "-";
    if !to_stdout && !args.force && args.output.exists() {
        anyhow::bail!(
            "{} exists; pass --force to overwrite it, or -o to write elsewhere",
            args.output.display()
        );
    }
    let mut input = source::open(&args.input, None)?;
    // A headerless export's "column names" are a customer's data: never
    // written into a mapping (a file users commit) nor echoed.
    if crate::redact::looks_headerless(&input.header) {
        anyhow::bail!(
            "{}: the header is {}",
            args.input,
            crate::redact::describe_header(&input.header)
        );
    }
    let sample = Sample::read(&mut input, init::SAMPLE_ROWS);
    let guess = init::guess(&sample);

    let mapping_path = if to_stdout {
        "offconv.toml".to_owned()
    } else {
        args.output.display().to_string()
    };
    let text = init::render_mapping(&guess, &mapping_path);
    if to_stdout {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(text.as_bytes())?;
        stdout.flush()?;
    } else {
        write_new(&args.output, &text, args.force)
            .with_context(|| format!("cannot write the mapping {}", args.output.display()))?;
    }

    if !global.quiet {
        let written_to = if to_stdout {
            "the mapping to stdout"
        } else {
            &mapping_path
        };
        crate::say_raw!(
            "{}",
            init::render_summary(&guess, written_to, &mapping_path)
        );
    }
    let missing = guess.missing();
    if missing.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    crate::say!(
        "offconv init: could not find {}; the mapping has a TODO for it",
        missing.join(", nor ")
    );
    Ok(ExitCode::from(1))
}

/// Writes `text` to `path`; without `force`, fails if the file appeared
/// since the check (`create_new` makes the refusal race-free).
fn write_new(path: &std::path::Path, text: &str, force: bool) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}
