//! `inbox-sim --listen 127.0.0.1:7900`: run the provider simulator until Ctrl-C.

use std::net::SocketAddr;
use std::process::ExitCode;

use inbox_sim::Simulator;
use tracing_subscriber::EnvFilter;

const DEFAULT_LISTEN: &str = "127.0.0.1:7900";

const USAGE: &str = "\
usage: inbox-sim [--listen ADDR]

Fake omnichannel provider APIs (mConnect) for Agent Inbox.

  --listen ADDR   socket address to bind (default 127.0.0.1:7900; port 0 picks one)
  -h, --help      show this help

Logs go to stderr; RUST_LOG filters them (default info).";

#[derive(Debug, PartialEq, Eq)]
enum Command {
    Run { listen: SocketAddr },
    Help,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut listen = DEFAULT_LISTEN.to_owned();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--listen" => {
                listen = args.next().ok_or_else(|| "--listen needs an address".to_owned())?;
            }
            other => match other.strip_prefix("--listen=") {
                Some(value) => listen = value.to_owned(),
                None => return Err(format!("unknown argument: {other}")),
            },
        }
    }
    let listen = listen.parse().map_err(|error| format!("bad --listen address {listen:?}: {error}"))?;
    Ok(Command::Run { listen })
}

#[tokio::main]
async fn main() -> ExitCode {
    let listen = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Run { listen }) => listen,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("inbox-sim: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };

    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();

    let sim = match Simulator::start(listen) {
        Ok(sim) => sim,
        Err(error) => {
            eprintln!("inbox-sim: cannot listen on {listen}: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("inbox-sim listening on http://{}", sim.addr());
    tracing::info!(endpoint = %sim.mconnect_url(), "mConnect endpoint");
    tracing::info!(base_url = %sim.zchat_url(), token = inbox_sim::zchat::DEFAULT_TOKEN, "ZChat / Omnize API");
    tracing::info!(base_url = %sim.cirrus_url(), "Cirrus API");
    tracing::info!(base_url = %sim.wegly_url(), token = inbox_sim::wegly::DEFAULT_TOKEN, "Wegly API");

    if let Err(error) = tokio::signal::ctrl_c().await {
        tracing::error!(%error, "cannot wait for Ctrl-C");
    }
    sim.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        parse_args(args.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn defaults_to_port_7900_on_loopback() {
        assert_eq!(parse(&[]), Ok(Command::Run { listen: SocketAddr::from(([127, 0, 0, 1], 7900)) }));
    }

    #[test]
    fn accepts_both_listen_forms() {
        let expected = Ok(Command::Run { listen: SocketAddr::from(([0, 0, 0, 0], 8000)) });
        assert_eq!(parse(&["--listen", "0.0.0.0:8000"]), expected);
        assert_eq!(parse(&["--listen=0.0.0.0:8000"]), expected);
    }

    #[test]
    fn rejects_bad_input() {
        assert!(parse(&["--listen"]).is_err());
        assert!(parse(&["--listen", "nope"]).is_err());
        assert!(parse(&["--port", "1"]).is_err());
        assert_eq!(parse(&["--help"]), Ok(Command::Help));
    }
}
