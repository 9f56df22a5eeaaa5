//! The `offconv` binary: parses arguments, sets up logging, runs the
//! command, and turns an error into one line on stderr and exit code 2
//! (DESIGN.md 4.5). Everything else lives in the library.

use std::io::IsTerminal as _;
use std::process::ExitCode;

use clap::Parser;
use offconv::cli::GlobalArgs;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = offconv::cli::Cli::parse();
    init_logging(&cli.global);
    match offconv::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // `offconv hash … | head` closes the pipe early: not an error.
            if err
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            offconv::say!("offconv: {}", error_chain(&err));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes, as `{:#}` joins them, without a cause that
/// the text before it already holds: an error type that prints its
/// `{source}` and also reports it as its source would show it twice
/// ("No such file or directory (os error 2): No such file or directory").
fn error_chain(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let cause = cause.to_string();
        if text.contains(&cause) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&cause);
    }
    text
}

/// Log lines go to stderr, so stdout stays the command's output. Warnings
/// by default, info with -v, debug with -vv, errors only with -q;
/// `RUST_LOG` overrides all of it. -v and -vv raise offconv's own level
/// only: at debug, hyper and rustls describe every connection, which is
/// what `RUST_LOG=debug` is for.
fn init_logging(global: &GlobalArgs) {
    let default = match (global.quiet, global.verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "warn,offconv=info",
        (false, _) => "warn,offconv=debug",
    };
    let filter = match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.trim().is_empty() => EnvFilter::try_new(&spec).unwrap_or_else(|e| {
            offconv::say!("offconv: RUST_LOG={spec:?} ignored: {e}");
            EnvFilter::new(default)
        }),
        _ => EnvFilter::new(default),
    };
    // rmcp logs every JSON-RPC message at debug and trace, tool arguments
    // (customer data) included: capped at info whatever RUST_LOG says.
    let filter = filter.add_directive("rmcp=info".parse().expect("a valid directive"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(global.verbose >= 2);
    // A person watching a terminal sees when each line came; a log file
    // or CI output has its own timestamps, and ANSI colours only garble it.
    let installed = if std::io::stderr().is_terminal() {
        builder
            .with_timer(tracing_subscriber::fmt::time::uptime())
            .try_init()
    } else {
        builder.with_ansi(false).without_time().try_init()
    };
    // Only fails when a subscriber is already set, which a binary never does.
    drop(installed);
}

/// mimalloc: the CPU stage allocates each event on a worker thread and the
/// writer frees it on another; glibc's allocator pays for that hand-over
/// with lock and consolidation work that mimalloc's per-thread free lists
/// avoid. Built without transparent huge pages (`no_thp`): with them, every
/// page mimalloc took back from the OS came as a 2 MiB page to zero (about
/// 1 GB zeroed per million rows, peak RSS 97 MB); without, 55 MB.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
