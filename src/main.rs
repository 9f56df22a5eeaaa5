use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = offconv::cli::Cli::parse();
    match offconv::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            if err
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("offconv: {err:#}");
            ExitCode::from(2)
        }
    }
}
