//! `serve`: the site built into memory, served over HTTP, rebuilt on every save, with live
//! reload and the build's problems shown in the page.
//!
//! A rebuild that fails keeps the last good site online and sends the diagnostics to the
//! open pages (an overlay) and the terminal; the next good rebuild reloads the pages.

pub mod http;
pub mod watch;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use crate::diagnostics::{render_json, Diagnostic, Summary};
use crate::project::LoadError;
use crate::site::{search, BuildOptions, Rebuild, Session, SiteFiles};

/// What the open pages are told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signal {
    /// A rebuild succeeded: reload.
    Reload,
    /// The site builds: no overlay.
    Ok,
    /// The last rebuild failed: the diagnostics, as `check --format json` prints them.
    Problems(Arc<String>),
    /// The site builds, with warnings: the diagnostics, as `check --format json` prints
    /// them (shown in a quieter style).
    Warnings(Arc<String>),
}

/// State shared by the HTTP handlers and the rebuild loop.
pub struct Shared {
    /// The address served.
    pub addr: SocketAddr,
    /// The path the site is served below (`/v1.19`), empty for `/`.
    pub base: String,
    site: RwLock<SiteState>,
    signals: tokio::sync::broadcast::Sender<Signal>,
    shutdown: tokio::sync::watch::Sender<bool>,
}

struct SiteState {
    files: SiteFiles,
    problems: Option<Arc<String>>,
    warnings: Option<Arc<String>>,
}

impl Shared {
    fn file(&self, key: &str) -> Option<Vec<u8>> {
        self.site.read().ok()?.files.get(key).cloned()
    }

    fn current_signal(&self) -> Signal {
        let Ok(site) = self.site.read() else {
            return Signal::Ok;
        };
        match (&site.problems, &site.warnings) {
            (Some(problems), _) => Signal::Problems(problems.clone()),
            (None, Some(warnings)) => Signal::Warnings(warnings.clone()),
            (None, None) => Signal::Ok,
        }
    }

    /// Publishes a rebuild: new files and a reload, or the problems and the old files.
    /// Returns whether the files were published. The search index of the files before
    /// stays until [`Shared::publish_search`] replaces it.
    fn publish(
        &self,
        files: Option<SiteFiles>,
        diagnostics: &[Diagnostic],
        summary: &Summary,
    ) -> bool {
        let published = files.is_some();
        let signal = {
            let Ok(mut site) = self.site.write() else {
                return false;
            };
            match files {
                Some(mut files) => {
                    if let Some(index) = site.files.remove(search::INDEX_FILE) {
                        files.insert(search::INDEX_FILE.to_string(), index);
                    }
                    site.files = files;
                    site.problems = None;
                    site.warnings =
                        (summary.warnings > 0).then(|| Arc::new(render_json(diagnostics, summary)));
                    Signal::Reload
                }
                None => {
                    let json = Arc::new(render_json(diagnostics, summary));
                    site.problems = Some(json.clone());
                    Signal::Problems(json)
                }
            }
        };
        let _ = self.signals.send(signal);
        published
    }

    /// Publishes the search index (made in turn: the first before serving, on every core,
    /// then by the one thread that indexes, in order, on that thread alone so that a
    /// rebuild meanwhile has the other core).
    fn publish_search(&self, index: String) {
        let index = index.into_bytes();
        if let Ok(mut site) = self.site.write() {
            site.files.insert(search::INDEX_FILE.to_string(), index);
        }
    }
}

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// How to build.
    pub build: BuildOptions,
    /// The address to listen on.
    pub addr: SocketAddr,
    /// Poll the files instead of using the system's watcher.
    pub poll: bool,
    /// How long a connection may take to send a request's headers, and how long it may
    /// stay open waiting for the next request ([`HEADER_TIMEOUT`] by default).
    pub header_timeout: std::time::Duration,
}

/// How long a client may take to send a request's headers, or keep an idle connection
/// open: idle and slow connections are closed, so they cannot use up the server.
pub const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// What the server reports to its caller (the CLI prints it).
pub enum Report {
    /// Listening.
    Listening {
        /// The URL of the site.
        url: String,
        /// Whether files are polled.
        polling: bool,
        /// The port asked for, when it was busy and the next free one was taken.
        busy_port: Option<u16>,
    },
    /// The first build or a rebuild finished.
    Built {
        /// What changed (empty for the first build).
        changed: BTreeSet<String>,
        /// What was done.
        rebuild: Rebuild,
        /// How long it took.
        millis: u128,
        /// Every problem.
        diagnostics: Vec<Diagnostic>,
        /// Counts.
        summary: Summary,
        /// The source table, for printing diagnostics.
        session: Arc<std::sync::Mutex<Session>>,
    },
    /// The project could not be read at all.
    Failed(LoadError),
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The first build could not read the project.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {error}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The error (said in the message, so not given as its source as well).
        error: std::io::Error,
    },
    /// The watcher could not start.
    #[error("cannot watch the project: {0}")]
    Watch(notify_debouncer_full::notify::Error),
    /// The runtime could not start.
    #[error("cannot start: {0}")]
    Runtime(std::io::Error),
}

/// A running server (for tests and benchmarks); dropping it does not stop it, `stop` does.
pub struct Handle {
    /// The site's URL.
    pub url: String,
    shared: Arc<Shared>,
    thread: Option<std::thread::JoinHandle<Result<(), ServeError>>>,
}

impl Handle {
    /// Stops the server and waits for it.
    pub fn stop(mut self) -> Result<(), ServeError> {
        // `send_replace` stores the value even before anyone listens: a stop asked for
        // while the server is still starting is not lost.
        self.shared.shutdown.send_replace(true);
        match self.thread.take().map(|t| t.join()) {
            Some(Ok(result)) => result,
            _ => Ok(()),
        }
    }
}

/// Serves until Ctrl-C (or `stop` on the handle, see [`start`]); `report` is told of each
/// step.
pub fn serve(
    options: ServeOptions,
    report: impl FnMut(Report) + Send + 'static,
) -> Result<(), ServeError> {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let result = run(options, report, ready_tx, true);
    drop(ready_rx);
    result
}

/// Starts a server on a thread and returns once it listens.
pub fn start(
    options: ServeOptions,
    report: impl FnMut(Report) + Send + 'static,
) -> Result<Handle, ServeError> {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || run(options, report, ready_tx, false));
    match ready_rx.recv() {
        Ok((url, shared)) => Ok(Handle {
            url,
            shared,
            thread: Some(thread),
        }),
        Err(_) => match thread.join() {
            Ok(Err(e)) => Err(e),
            _ => Err(ServeError::Runtime(std::io::Error::other(
                "the server stopped while starting",
            ))),
        },
    }
}

fn run(
    options: ServeOptions,
    mut report: impl FnMut(Report) + Send + 'static,
    ready: std::sync::mpsc::Sender<(String, Arc<Shared>)>,
    ctrl_c: bool,
) -> Result<(), ServeError> {
    let started = Instant::now();
    let session = Session::open(options.build.clone())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async move {
        let (listener, busy_port) = bind(options.addr).await?;
        let addr = listener.local_addr().map_err(|error| ServeError::Bind {
            addr: options.addr,
            error,
        })?;
        let (signals, _) = tokio::sync::broadcast::channel(16);
        let (shutdown, _) = tokio::sync::watch::channel(false);
        let base = options.build.base_url.trim_end_matches('/');
        let shared = Arc::new(Shared {
            addr,
            base: if base.starts_with('/') {
                base.to_string()
            } else {
                String::new()
            },
            site: RwLock::new(SiteState {
                files: SiteFiles::new(),
                problems: None,
                warnings: None,
            }),
            signals,
            shutdown,
        });
        let (diagnostics, summary) = session.diagnostics();
        shared.publish(session.files_if(&summary), &diagnostics, &summary);
        shared.publish_search(search::index_script(&session.page_texts()));
        let interrupted = interruption(ctrl_c).map_err(ServeError::Runtime)?;
        let (watching, changes) =
            watch::watch(&options.build.root, options.poll).map_err(ServeError::Watch)?;
        let url = format!("http://{addr}{}/", shared.base);
        report(Report::Listening {
            url: url.clone(),
            polling: watching.is_polling(),
            busy_port,
        });
        let session = Arc::new(std::sync::Mutex::new(session));
        report(Report::Built {
            changed: BTreeSet::new(),
            rebuild: Rebuild {
                full: true,
                ..Rebuild::default()
            },
            millis: started.elapsed().as_millis(),
            diagnostics,
            summary,
            session: session.clone(),
        });
        let rebuilder = {
            let shared = shared.clone();
            std::thread::spawn(move || rebuild_loop(session, changes, shared, report, watching))
        };
        let _ = ready.send((url, shared.clone()));
        let mut stop = shared.shutdown.subscribe();
        let app = http::router(shared.clone());
        let shared_for_stop = shared.clone();
        let graceful = async move {
            tokio::select! {
                _ = interrupted => {}
                _ = stop.wait_for(|stopped| *stopped) => {}
            }
            // Ends the live-reload streams, so that shutdown does not wait for them.
            shared_for_stop.shutdown.send_replace(true);
        };
        let served = http::serve_connections(
            listener,
            app,
            options.header_timeout,
            shared.shutdown.subscribe(),
            graceful,
        );
        // A client that never finishes its request must not hold the server open.
        let mut stopping = shared.shutdown.subscribe();
        let deadline = async move {
            let _ = stopping.wait_for(|stopped| *stopped).await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        };
        let result = tokio::select! {
            served = served => served,
            _ = deadline => Ok(()),
        };
        drop(rebuilder);
        result.map_err(|error| ServeError::Bind { addr, error })
    })
}

/// How many ports after a busy one are tried (as Hugo and Zola do).
pub const PORTS_TRIED: u16 = 10;

/// Listens on `addr`; when its port is busy, on the next free one of the following
/// [`PORTS_TRIED`] (not for port 0, which takes any free port). Returns the port asked
/// for when it moved.
async fn bind(addr: SocketAddr) -> Result<(tokio::net::TcpListener, Option<u16>), ServeError> {
    let first = tokio::net::TcpListener::bind(addr).await;
    let error = match first {
        Ok(listener) => return Ok((listener, None)),
        Err(e) => e,
    };
    if error.kind() == std::io::ErrorKind::AddrInUse && addr.port() != 0 {
        for port in (addr.port().saturating_add(1)..=addr.port().saturating_add(PORTS_TRIED))
            .filter(|p| *p != addr.port())
        {
            let next = SocketAddr::new(addr.ip(), port);
            if let Ok(listener) = tokio::net::TcpListener::bind(next).await {
                return Ok((listener, Some(addr.port())));
            }
        }
    }
    Err(ServeError::Bind { addr, error })
}

/// How long open connections may take to finish once the server is asked to stop.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

/// A future that completes on Ctrl-C (or SIGTERM); the handlers are installed at once,
/// so a signal that comes before the future is first awaited is not lost.
fn interruption(
    enabled: bool,
) -> std::io::Result<std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>> {
    if !enabled {
        return Ok(Box::pin(std::future::pending()));
    }
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(Box::pin(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        }))
    }
    #[cfg(not(unix))]
    {
        Ok(Box::pin(async {
            let _ = tokio::signal::ctrl_c().await;
        }))
    }
}

fn rebuild_loop(
    session: Arc<std::sync::Mutex<Session>>,
    changes: std::sync::mpsc::Receiver<BTreeSet<String>>,
    shared: Arc<Shared>,
    mut report: impl FnMut(Report),
    mut watching: watch::Watching,
) {
    // One thread makes the search index, of the latest pages only.
    let (indexer, pages) = std::sync::mpsc::channel::<Vec<search::PageText>>();
    let indexed = shared.clone();
    std::thread::spawn(move || {
        while let Ok(mut latest) = pages.recv() {
            while let Ok(later) = pages.try_recv() {
                latest = later;
            }
            indexed.publish_search(search::index_script_on_this_thread(&latest));
        }
    });
    while let Ok(mut changed) = changes.recv() {
        // Take every batch already waiting: one rebuild for them all.
        while let Ok(more) = changes.try_recv() {
            changed.extend(more);
        }
        if *shared.shutdown.borrow() {
            return;
        }
        watching.follow_new_folders(&changed);
        let started = Instant::now();
        let Ok(mut guard) = session.lock() else {
            return;
        };
        match guard.update(&changed) {
            Ok(rebuild) => {
                let (diagnostics, summary) = guard.diagnostics();
                let published = shared.publish(guard.files_if(&summary), &diagnostics, &summary);
                let search =
                    (published && !rebuild.rendered.is_empty()).then(|| guard.page_texts());
                drop(guard);
                report(Report::Built {
                    changed,
                    rebuild,
                    millis: started.elapsed().as_millis(),
                    diagnostics,
                    summary,
                    session: session.clone(),
                });
                // The pages are online; the index of their text follows, made beside the
                // next rebuild rather than before it.
                if let Some(pages) = search {
                    let _ = indexer.send(pages);
                }
            }
            Err(e) => {
                drop(guard);
                report(Report::Failed(e));
            }
        }
    }
}
