//! Running the simulator on a socket.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::cirrus::{self, CirrusSim};
use crate::mconnect::{self, MconnectSim};
use crate::state::{Recorded, SimState};
use crate::wegly::{self, WeglySim};
use crate::zchat::{self, ZchatSim};

/// Entry point: `Simulator::start(addr)`.
#[derive(Debug, Clone, Copy)]
pub struct Simulator;

impl Simulator {
    /// Bind `addr` (port 0 picks a free port) and serve the simulator on the
    /// current tokio runtime. Must be called from within a runtime.
    pub fn start(addr: SocketAddr) -> io::Result<SimHandle> {
        let runtime = tokio::runtime::Handle::try_current().map_err(io::Error::other)?;
        let std_listener = std::net::TcpListener::bind(addr)?;
        std_listener.set_nonblocking(true)?;
        let local = std_listener.local_addr()?;
        let listener = tokio::net::TcpListener::from_std(std_listener)?;

        let state = SimState::new(base_url(local)).map_err(io::Error::other)?;
        let app = crate::router(state.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = runtime.spawn(async move {
            let shutdown = async {
                // A dropped sender also means stop.
                let _ = stopped.await;
            };
            if let Err(error) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
                tracing::error!(%error, "simulator server failed");
            }
        });
        tracing::info!(addr = %local, "simulator started");
        Ok(SimHandle {
            state,
            addr: local,
            server: Arc::new(Server { stop: Mutex::new(Some(stop)), task: Mutex::new(Some(task)) }),
        })
    }
}

/// URL clients use to reach a listener on `addr`: a wildcard address is
/// reached through loopback.
fn base_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

/// A running simulator. Clones share the server; it stops when the last
/// clone is dropped or on [`SimHandle::shutdown`].
#[derive(Clone)]
pub struct SimHandle {
    state: SimState,
    addr: SocketAddr,
    server: Arc<Server>,
}

impl SimHandle {
    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> String {
        self.state.base_url().to_owned()
    }

    /// The full mConnect endpoint URL, trailing slash included.
    pub fn mconnect_url(&self) -> String {
        format!("{}{}", self.state.base_url(), mconnect::ENDPOINT_PATH)
    }

    /// The ZChat/Omnize base URL for an account's settings: `{base_url}/zchat`.
    pub fn zchat_url(&self) -> String {
        format!("{}{}", self.state.base_url(), zchat::PREFIX)
    }

    /// All recorded provider-API requests, oldest first.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.requests()
    }

    pub fn clear_requests(&self) {
        self.state.clear_requests();
    }

    pub fn mconnect(&self) -> MconnectSim {
        MconnectSim::new(self.state.clone())
    }

    /// The simulated Cirrus API's base URL (`{base_url}/cirrus`), for an account's `base_url`.
    pub fn cirrus_url(&self) -> String {
        format!("{}{}", self.state.base_url(), cirrus::PREFIX)
    }

    pub fn cirrus(&self) -> CirrusSim {
        CirrusSim::new(self.state.clone())
    }

    pub fn zchat(&self) -> ZchatSim {
        ZchatSim::new(self.state.clone())
    }

    /// The Wegly account `base_url` that reaches this simulator (`{base_url}/wegly`).
    pub fn wegly_url(&self) -> String {
        format!("{}{}", self.state.base_url(), wegly::PREFIX)
    }

    pub fn wegly(&self) -> WeglySim {
        WeglySim::new(self.state.clone())
    }

    pub fn state(&self) -> &SimState {
        &self.state
    }

    /// Stop accepting connections and wait for the server task to end
    /// (in-flight requests finish first). Later calls return at once.
    pub async fn shutdown(&self) {
        self.server.signal_stop();
        let task = self.server.task.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(task) = task
            && let Err(error) = task.await
        {
            tracing::error!(%error, "simulator task ended abnormally");
        }
    }
}

struct Server {
    stop: Mutex<Option<oneshot::Sender<()>>>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl Server {
    fn signal_stop(&self) {
        let stop = self.stop.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(stop) = stop {
            // The server may already be gone; nothing to do then.
            let _ = stop.send(());
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.signal_stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_maps_wildcards_to_loopback() {
        let url = |s: &str| base_url(s.parse().expect("socket address"));
        assert_eq!(url("0.0.0.0:7900"), "http://127.0.0.1:7900");
        assert_eq!(url("127.0.0.1:1"), "http://127.0.0.1:1");
        assert_eq!(url("[::]:80"), "http://[::1]:80");
        assert_eq!(url("10.0.0.5:8080"), "http://10.0.0.5:8080");
    }

    #[test]
    fn start_outside_a_runtime_is_an_error() {
        let result = Simulator::start("127.0.0.1:0".parse().expect("socket address"));
        assert!(result.is_err());
    }
}
