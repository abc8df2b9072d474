//! HTTP: the built site from memory, the live-reload channel, and nothing else.
//!
//! Only files of the built site are served: the request path is percent-decoded and any
//! `..`, `.`, backslash or NUL segment is refused (400) before it is looked up in memory.
//! The reload channel (server-sent events at `/__mxspec/events`) answers only requests
//! whose `Host` is the server's own and whose `Origin`, when sent, is too.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream};
use percent_encoding::percent_decode_str;

use super::{Shared, Signal};

/// The path of the live-reload channel.
pub const EVENTS_PATH: &str = "/__mxspec/events";

/// The script added to every HTML page served.
pub const RELOAD_SCRIPT: &str = include_str!("reload.js");

/// The router of the preview server.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(get(file))
        .with_state(shared)
}

/// Accepts connections until `stop` completes, each served over HTTP/1 with a header
/// read timeout (which also closes a connection left idle between requests). On stop, no
/// connection is accepted any more and the open ones are asked to finish (live-reload
/// streams end when `shutdown` turns true).
pub async fn serve_connections(
    listener: tokio::net::TcpListener,
    app: Router,
    header_timeout: std::time::Duration,
    shutdown: tokio::sync::watch::Receiver<bool>,
    stop: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(stop);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of descriptors, or a connection reset before it was accepted: wait
                // a little rather than spin.
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let mut shutdown = shutdown.clone();
        connections.spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                () = stopped(&mut shutdown) => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
        // Finished connections are reaped as new ones come.
        while connections.try_join_next().is_some() {}
    }
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// Completes when the server is asked to stop.
async fn stopped(shutdown: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stopped| *stopped).await;
}

/// Whether a `Host` header names this machine by a name no other site can take over: an
/// IP address or `localhost`. A page asked for by another name (DNS rebinding: a site
/// whose name now points here) is refused.
fn safe_host(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let (name, _) = split_host(host);
    let bare = name.trim_start_matches('[').trim_end_matches(']');
    name.eq_ignore_ascii_case("localhost")
        || name.to_ascii_lowercase().ends_with(".localhost")
        || bare.parse::<std::net::IpAddr>().is_ok()
}

/// Why a request path is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum PathError {
    /// Not a valid path (bad encoding, `..`, `.`, `\`, NUL).
    Bad,
}

/// The site file a request path names: `/` -> `index.html`, `/a/` -> `a/index.html`,
/// `/a/x.css` -> `a/x.css`.
pub fn site_key(path: &str) -> Result<String, PathError> {
    let decoded = percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| PathError::Bad)?;
    if !decoded.starts_with('/') || decoded.contains('\\') || decoded.contains('\0') {
        return Err(PathError::Bad);
    }
    let segments: Vec<&str> = decoded[1..].split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        if *segment == ".." || *segment == "." || (segment.is_empty() && i != last) {
            return Err(PathError::Bad);
        }
    }
    let joined = segments.join("/");
    Ok(if joined.is_empty() || joined.ends_with('/') {
        format!("{joined}index.html")
    } else {
        joined
    })
}

/// `host[:port]` or `[v6]:port` into the host and the port (80 when left out).
fn split_host(host: &str) -> (&str, u16) {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((ip, tail)) => (&host[..ip.len() + 2], tail.strip_prefix(':')),
            None => (host, None),
        },
        None => match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    (name, port.map_or(Some(80), |p| p.parse().ok()).unwrap_or(0))
}

/// Whether the request comes for this server by one of its own names, from a page of
/// its own (no other site may read the channel).
fn allowed_host(shared: &Shared, headers: &HeaderMap) -> bool {
    let own_ip = match shared.addr.ip() {
        std::net::IpAddr::V4(ip) => ip.to_string(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
    };
    // Listening on every address (`--bind 0.0.0.0`): any address of this machine may be
    // the one a browser used; a name still may not (DNS rebinding).
    let any_ip = shared.addr.ip().is_unspecified();
    let ok = |host: &str| {
        let (name, port) = split_host(host);
        let is_ip = name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok();
        port == shared.addr.port()
            && (name.eq_ignore_ascii_case("localhost")
                || name == "127.0.0.1"
                || name == "[::1]"
                || name == own_ip
                || (any_ip && is_ip))
    };
    let host_ok = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(ok);
    let origin_ok = match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        None => true,
        Some(origin) => origin.strip_prefix("http://").is_some_and(ok),
    };
    host_ok && origin_ok
}

async fn events(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if !allowed_host(&shared, &headers) {
        return (
            StatusCode::FORBIDDEN,
            "mxspec: this channel answers only its own host\n",
        )
            .into_response();
    }
    let first = shared.current_signal();
    let receiver = shared.signals.subscribe();
    let shutdown = shared.shutdown.subscribe();
    Sse::new(signal_stream(first, receiver, shutdown))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

type Receivers = (
    Option<Signal>,
    tokio::sync::broadcast::Receiver<Signal>,
    tokio::sync::watch::Receiver<bool>,
);

/// The current state first, then every signal, until the server stops.
fn signal_stream(
    first: Signal,
    receiver: tokio::sync::broadcast::Receiver<Signal>,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    stream::unfold(
        (Some(first), receiver, shutdown),
        |(first, mut rx, mut stop): Receivers| async move {
            if let Some(signal) = first {
                return Some((Ok(to_event(signal)), (None, rx, stop)));
            }
            loop {
                tokio::select! {
                    received = rx.recv() => match received {
                        Ok(signal) => return Some((Ok(to_event(signal)), (None, rx, stop))),
                        Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                        Err(_) => return None,
                    },
                    _ = stop.changed() => return None,
                }
            }
        },
    )
}

fn to_event(signal: Signal) -> Event {
    match signal {
        Signal::Reload => Event::default().event("reload").data("reload"),
        Signal::Ok => Event::default().event("ok").data("ok"),
        Signal::Problems(json) => Event::default().event("problems").data(json.as_str()),
        Signal::Warnings(json) => Event::default().event("warnings").data(json.as_str()),
    }
}

async fn file(State(shared): State<Arc<Shared>>, uri: Uri, headers: HeaderMap) -> Response {
    if !safe_host(&headers) {
        return (
            StatusCode::FORBIDDEN,
            "mxspec: the preview answers only to an IP address or localhost\n",
        )
            .into_response();
    }
    let path = uri.path();
    let path = if shared.base.is_empty() {
        path
    } else {
        match path.strip_prefix(shared.base.as_str()) {
            Some(rest) if rest.starts_with('/') => rest,
            // The site lives below its base URL: lead there.
            _ if path == "/" || path == shared.base => {
                return Response::builder()
                    .status(StatusCode::FOUND)
                    .header(header::LOCATION, format!("{}/", shared.base))
                    .body(Body::empty())
                    .unwrap_or_default();
            }
            _ => return not_found(&shared),
        }
    };
    let key = match site_key(path) {
        Ok(k) => k,
        Err(PathError::Bad) => {
            return (StatusCode::BAD_REQUEST, "mxspec: bad path\n").into_response()
        }
    };
    let found = shared.file(&key);
    match found {
        Some(bytes) => respond(StatusCode::OK, &key, bytes),
        None => {
            // `/a` for the page `/a/`.
            if !key.ends_with(".html") && shared.file(&format!("{key}/index.html")).is_some() {
                let location = format!("{}/", uri.path());
                return Response::builder()
                    .status(StatusCode::MOVED_PERMANENTLY)
                    .header(header::LOCATION, location)
                    .body(Body::empty())
                    .unwrap_or_default();
            }
            not_found(&shared)
        }
    }
}

/// The site's `404.html` (a plain page while the site has none), with status 404.
fn not_found(shared: &Shared) -> Response {
    let page = shared
        .file("404.html")
        .unwrap_or_else(|| NOT_FOUND.as_bytes().to_vec());
    respond(StatusCode::NOT_FOUND, "404.html", page)
}

const NOT_FOUND: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title>\
<link rel=\"stylesheet\" href=\"/mxspec.css\"></head><body><main class=\"content\" style=\"padding:2rem\">\
<h1>Not found</h1><p>This page is not part of the site. <a href=\"/\">Go to the start page</a>.</p></main></body></html>\n";

fn respond(status: StatusCode, key: &str, bytes: Vec<u8>) -> Response {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let (content_type, body) = if is_html {
        ("text/html; charset=utf-8".to_string(), inject(bytes))
    } else if mime.type_() == "text" || mime.essence_str() == "application/javascript" {
        (format!("{mime}; charset=utf-8"), bytes)
    } else {
        (mime.to_string(), bytes)
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Adds the live-reload script before `</body>` (or at the end).
fn inject(html: Vec<u8>) -> Vec<u8> {
    let script = format!("<script>{RELOAD_SCRIPT}</script>\n");
    let text = String::from_utf8_lossy(&html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{script}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{script}").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_site_files() {
        assert_eq!(site_key("/").unwrap(), "index.html");
        assert_eq!(site_key("/a/b/").unwrap(), "a/b/index.html");
        assert_eq!(site_key("/mxspec.css").unwrap(), "mxspec.css");
        assert_eq!(site_key("/a%20b/").unwrap(), "a b/index.html");
    }

    #[test]
    fn pages_answer_only_to_addresses_and_localhost() {
        let host = |h: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::HOST, h.parse().unwrap());
            safe_host(&headers)
        };
        assert!(host("127.0.0.1:8000"));
        assert!(host("localhost:8000"));
        assert!(host("[::1]:8000"));
        assert!(host("192.168.1.5:8000"));
        assert!(!host("attacker.example:8000"));
        assert!(!host("localhost.attacker.example"));
        assert!(!safe_host(&HeaderMap::new()));
    }

    #[test]
    fn hosts_split_with_default_port() {
        assert_eq!(split_host("localhost:8000"), ("localhost", 8000));
        assert_eq!(split_host("localhost"), ("localhost", 80));
        assert_eq!(split_host("[::1]:8000"), ("[::1]", 8000));
        assert_eq!(split_host("[::ffff:127.0.0.1]"), ("[::ffff:127.0.0.1]", 80));
    }

    #[test]
    fn escapes_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/a/%2E%2E/b",
            "/a%5c..%5cb",
            "/a//b",
            "/./x",
            "/%00",
            "/%ff",
        ] {
            assert_eq!(site_key(bad), Err(PathError::Bad), "{bad}");
        }
    }
}
