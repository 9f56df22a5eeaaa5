use std::process::ExitCode;
#[derive(Debug, Clone, clap::Args)]
pub struct SandboxArgs {
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: std::net::SocketAddr,
}
pub fn run(_args: SandboxArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the sandbox is not built yet")
}
