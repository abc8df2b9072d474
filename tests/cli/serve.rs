//! Integration tests of `mxspec serve`: the real binary, serving a temporary copy of a
//! project on a free port (`--port 0`), spoken to over plain `TcpStream`s.
//!
//! Each test copies a project (this repository's own `data/`, `content/` and `templates/`,
//! or a fixture under `tests/fixtures/build/`) into a temporary folder, starts
//! `mxspec serve` on it and reads its stdout line by line on a thread: the first line gives
//! the URL, the later ones tell when a rebuild finished. Pages are fetched with a tiny
//! HTTP/1.1 client (`Connection: close`); the live-reload channel is read as server-sent
//! events from a connection kept open. Every wait is bounded (see [`WAIT`]), and the server
//! is always stopped (SIGINT, then SIGKILL) when a test ends, passed or failed.
//!
//! Tests marked `#[ignore = "BUG: ..."]` expose bugs of `src/`: they describe what should
//! happen and fail today (`cargo test --test cli serve:: -- --ignored`).

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::common::{build_fixture, build_raw, copy_dir, manifest_dir};
use serde_json::Value;
use tempfile::TempDir;

/// The longest any single wait lasts (a start, a rebuild, a response, an event).
const WAIT: Duration = Duration::from_secs(10);
/// How long a test waits before it concludes that a rebuild is not coming.
const QUIET: Duration = Duration::from_secs(3);

const SCHEMA: &str = "data/event-schemas/schema/m.room_key.withheld.yaml";
const COMPONENT: &str = "data/event-schemas/schema/components/room_key_withheld_content.yaml";
const EXAMPLE: &str = "data/event-schemas/examples/m.room_key.withheld.yaml";
const CS_PAGE: &str = "content/client-server-api/_index.md";
const HOME_PAGE: &str = "content/_index.md";
/// A phrase of the description of `m.room_key.withheld` (rendered on `/client-server-api/`).
const SCHEMA_TEXT: &str = "sender is not sharing room keys";
/// What the tests write in its place.
const SCHEMA_EDIT: &str = "sender withholds the room keys";

// ---------------------------------------------------------------------------------------
// A project in a temporary folder
// ---------------------------------------------------------------------------------------

/// A copy of a project: `<tmp>/site` is the root; `<tmp>` itself holds a file that no
/// request may ever read (`secret.txt`).
struct Project {
    tmp: TempDir,
    root: PathBuf,
}

/// What `<tmp>/secret.txt` holds: found in a response, it means an escape from the root.
const SECRET: &str = "TOP-SECRET-a6f1c0de-outside-the-root";

impl Project {
    fn new() -> Project {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        fs::create_dir_all(&root).unwrap();
        fs::write(tmp.path().join("secret.txt"), SECRET).unwrap();
        Project { tmp, root }
    }

    /// This repository's own site: `data/`, `content/` and `templates/`.
    fn own_site() -> Project {
        let project = Project::new();
        for dir in ["data", "content", "templates"] {
            copy_dir(&manifest_dir().join(dir), &project.root.join(dir));
        }
        project
    }

    /// A copy of `tests/fixtures/build/<name>`.
    fn fixture(name: &str) -> Project {
        let project = Project::new();
        copy_dir(&build_fixture(name), &project.root);
        project
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Writes a file in place (truncate and write, as most editors do).
    fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// Replaces the one occurrence of `from` in a file by `to`, in place; returns the text
    /// written.
    fn replace(&self, rel: &str, from: &str, to: &str) -> String {
        let text = self.read(rel);
        assert_eq!(text.matches(from).count(), 1, "{from:?} in {rel}:\n{text}");
        let new = text.replacen(from, to, 1);
        self.write(rel, &new);
        new
    }

    /// Saves a file as editors that write a temporary file and rename it over the original
    /// do (GIO's `.goutputstream-XXXXXX`, in the same folder).
    fn save_by_rename(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        let scratch = path.parent().unwrap().join(".goutputstream-Q7XK2Z");
        fs::write(&scratch, text).unwrap();
        fs::rename(&scratch, &path).unwrap();
    }
}

/// The 1-based line and column of the one occurrence of `needle` in `text`.
fn line_col(text: &str, needle: &str) -> (u64, u64) {
    assert_eq!(text.matches(needle).count(), 1, "{needle:?} in:\n{text}");
    let at = text.find(needle).unwrap();
    let before = &text[..at];
    let line = before.matches('\n').count() as u64 + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count() as u64
        + 1;
    (line, column)
}

/// Waits (at most a second and a bit) until the clock is well past the second of the
/// file's last change.
///
/// The polling watcher compares modification times in whole seconds (see the ignored test
/// `polling_sees_two_saves_within_one_second`): a change in the same second as the one
/// before is missed. The margin covers the file system's coarse clock, which lags the
/// system time by a few milliseconds.
fn next_second_after_mtime(path: &Path) {
    let mtime = fs::metadata(path).unwrap().modified().unwrap();
    let second = mtime
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let target =
        std::time::UNIX_EPOCH + Duration::from_secs(second + 1) + Duration::from_millis(50);
    if let Ok(wait) = target.duration_since(std::time::SystemTime::now()) {
        std::thread::sleep(wait.min(Duration::from_millis(1100)));
    }
}

// ---------------------------------------------------------------------------------------
// The server process
// ---------------------------------------------------------------------------------------

/// Lines read from a pipe by a thread.
#[derive(Default)]
struct Lines {
    lines: Vec<String>,
    closed: bool,
}

type SharedLines = Arc<(Mutex<Lines>, Condvar)>;

fn collect_lines(pipe: impl Read + Send + 'static) -> SharedLines {
    let shared: SharedLines = Arc::default();
    let writer = shared.clone();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        loop {
            let mut bytes = Vec::new();
            let read = reader.read_until(b'\n', &mut bytes);
            let (lock, cvar) = &*writer;
            let mut lines = lock.lock().unwrap();
            match read {
                Ok(0) | Err(_) => {
                    lines.closed = true;
                    cvar.notify_all();
                    return;
                }
                Ok(_) => {
                    let line = String::from_utf8_lossy(&bytes);
                    lines
                        .lines
                        .push(line.trim_end_matches(['\r', '\n']).to_string());
                    cvar.notify_all();
                }
            }
        }
    });
    shared
}

fn snapshot(lines: &SharedLines) -> (Vec<String>, bool) {
    let guard = lines.0.lock().unwrap();
    (guard.lines.clone(), guard.closed)
}

/// A running `mxspec serve`; dropping it stops it (SIGINT, then SIGKILL).
struct Server {
    child: Child,
    stdout: SharedLines,
    stderr: SharedLines,
    addr: SocketAddr,
}

impl Server {
    /// `mxspec serve --root <root> --port 0 <extra...>` (no `--port 0` when `extra` has a
    /// `--port`), once it listens and has built.
    fn start(root: &Path, extra: &[&str]) -> Server {
        let port: &[&str] = if extra.contains(&"--port") {
            &[]
        } else {
            &["--port", "0"]
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_mxspec"))
            .arg("serve")
            .arg("--root")
            .arg(root)
            .args(port)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot start the mxspec binary");
        let stdout = collect_lines(child.stdout.take().unwrap());
        let stderr = collect_lines(child.stderr.take().unwrap());
        let mut server = Server {
            child,
            stdout,
            stderr,
            addr: SocketAddr::from(([0, 0, 0, 0], 0)),
        };
        let (index, first) = server.wait_line(0, |l| l.starts_with("Serving "));
        assert_eq!(
            index,
            0,
            "the URL is not the first line\n{}",
            server.output()
        );
        let url = first
            .strip_prefix("Serving http://")
            .and_then(|rest| rest.split_once('/'))
            .map(|(host, _)| host)
            .unwrap_or_else(|| panic!("no URL in {first:?}"));
        server.addr = url
            .parse()
            .unwrap_or_else(|e| panic!("bad address {url:?} in {first:?}: {e}"));
        assert!(
            first.ends_with("data/, content/, templates/, changelogs/; Ctrl-C to stop)"),
            "{first:?}"
        );
        server.wait_line(1, |l| l.starts_with("built in "));
        server
    }

    /// The number of stdout lines so far (to wait for lines printed after now).
    fn mark(&self) -> usize {
        self.stdout.0.lock().unwrap().lines.len()
    }

    /// The first stdout line at index `from` or later that matches, within `timeout`.
    fn try_wait_line(
        &self,
        from: usize,
        timeout: Duration,
        matches: impl Fn(&str) -> bool,
    ) -> Option<(usize, String)> {
        let deadline = Instant::now() + timeout;
        let (lock, cvar) = &*self.stdout;
        let mut guard = lock.lock().unwrap();
        loop {
            if let Some((i, line)) = guard
                .lines
                .iter()
                .enumerate()
                .skip(from)
                .find(|(_, l)| matches(l))
            {
                return Some((i, line.clone()));
            }
            let now = Instant::now();
            if guard.closed || now >= deadline {
                return None;
            }
            guard = cvar.wait_timeout(guard, deadline - now).unwrap().0;
        }
    }

    /// Like [`Server::try_wait_line`] within [`WAIT`], but panics with the output if no
    /// line comes.
    fn wait_line(&self, from: usize, matches: impl Fn(&str) -> bool) -> (usize, String) {
        self.try_wait_line(from, WAIT, matches).unwrap_or_else(|| {
            panic!(
                "no expected line (after line {from}) within {WAIT:?}\n{}",
                self.output()
            )
        })
    }

    /// Waits for the rebuild line that names `file` as changed, after line `from`.
    fn wait_rebuilt(&self, from: usize, file: &str) -> (usize, String) {
        self.wait_line(from, |l| names_changed(l, file))
    }

    /// Waits for a rebuild after line `from` that names `file` and built (no error).
    fn wait_good(&self, from: usize, file: &str) -> (usize, String) {
        self.wait_line(from, |l| {
            names_changed(l, file) && l.ends_with(" warning(s)") && !l.contains("still serving")
        })
    }

    /// Waits for a rebuild after line `from` that names `file` and failed.
    fn wait_failed(&self, from: usize, file: &str) -> (usize, String) {
        self.wait_line(from, |l| {
            names_changed(l, file) && l.ends_with("; still serving the last good site")
        })
    }

    /// The stdout lines from index `from` to `to` (excluded).
    fn lines(&self, from: usize, to: usize) -> Vec<String> {
        snapshot(&self.stdout).0[from..to].to_vec()
    }

    /// Everything printed so far, for failure messages.
    fn output(&self) -> String {
        let (out, out_closed) = snapshot(&self.stdout);
        let (err, _) = snapshot(&self.stderr);
        format!(
            "--- stdout{} ---\n{}\n--- stderr ---\n{}\n---",
            if out_closed { " (closed)" } else { "" },
            out.join("\n"),
            err.join("\n")
        )
    }

    /// Sends SIGINT and waits up to `timeout` for the exit; `None` (after SIGKILL) if the
    /// process did not stop in time.
    fn interrupt(&mut self, timeout: Duration) -> Option<ExitStatus> {
        if let Ok(Some(status)) = self.child.try_wait() {
            return Some(status);
        }
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let status = wait_exit(&mut self.child, timeout);
        if status.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        status
    }

    // HTTP, as a browser on this machine would ask.

    fn get(&self, path: &str) -> Response {
        get(self.addr, path)
    }

    /// A page that must be there: its HTML.
    fn page(&self, path: &str) -> String {
        let response = self.get(path);
        assert_eq!(
            response.status,
            200,
            "GET {path}: {}\n{}",
            response.describe(),
            self.output()
        );
        response.text()
    }

    /// The live-reload channel, opened with the server's own host and origin.
    fn events(&self) -> Events {
        let host = self.addr.to_string();
        let events = Events::open(self.addr, &host, Some(&format!("http://{host}")));
        assert_eq!(events.status, 200, "{}", self.output());
        events
    }
}

/// Whether `line` reports a rebuild for a change that includes `file`
/// (`a, b changed; rebuilt in ...`).
fn names_changed(line: &str, file: &str) -> bool {
    line.split_once(" changed; rebuilt in ")
        .is_some_and(|(files, _)| files.split(", ").any(|f| f == file))
}

impl Drop for Server {
    fn drop(&mut self) {
        self.interrupt(Duration::from_secs(5));
    }
}

fn wait_exit(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

// ---------------------------------------------------------------------------------------
// HTTP/1.1 over TcpStream
// ---------------------------------------------------------------------------------------

/// A whole response.
struct Response {
    status: u16,
    /// Names in lower case.
    headers: Headers,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn describe(&self) -> String {
        let mut body = self.text();
        if body.len() > 600 {
            let mut end = 600;
            while !body.is_char_boundary(end) {
                end -= 1;
            }
            body.truncate(end);
            body.push_str("...");
        }
        format!(
            "status {}, headers {:?}, body:\n{body}",
            self.status, self.headers
        )
    }
}

/// Header names (lower case) and values, in order.
type Headers = Vec<(String, String)>;

/// The status line and headers, or `None` while incomplete; also the length of the head.
fn parse_head(bytes: &[u8]) -> Option<(u16, Headers, usize)> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&bytes[..end]);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some((status, headers, end + 4))
}

/// Moves the complete chunks of a `chunked` body from `raw` to `out`; true once the last
/// (empty) chunk was seen.
fn dechunk(raw: &mut Vec<u8>, out: &mut Vec<u8>) -> bool {
    loop {
        let Some(line_end) = raw.windows(2).position(|w| w == b"\r\n") else {
            return false;
        };
        let size_text = String::from_utf8_lossy(&raw[..line_end]);
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)
            .unwrap_or_else(|_| panic!("bad chunk size {size_text:?}"));
        if size == 0 {
            raw.clear();
            return true;
        }
        let start = line_end + 2;
        if raw.len() < start + size + 2 {
            return false;
        }
        out.extend_from_slice(&raw[start..start + size]);
        raw.drain(..start + size + 2);
    }
}

/// Sends `request` as it is (no normalisation) and reads the whole response.
fn request_raw(addr: SocketAddr, request: &str) -> Response {
    let mut stream = TcpStream::connect_timeout(&addr, WAIT).expect("cannot connect");
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.set_write_timeout(Some(WAIT)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let deadline = Instant::now() + WAIT;
    let mut buf = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
            Err(e) => panic!(
                "reading the response to {:?}: {e}; got so far:\n{}",
                request.lines().next(),
                String::from_utf8_lossy(&bytes)
            ),
        }
        assert!(Instant::now() < deadline, "the response never ended");
    }
    let (status, headers, head_len) = parse_head(&bytes).unwrap_or_else(|| {
        panic!(
            "no complete response to {:?}:\n{}",
            request.lines().next(),
            String::from_utf8_lossy(&bytes)
        )
    });
    let mut raw = bytes[head_len..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        let mut body = Vec::new();
        dechunk(&mut raw, &mut body);
        body
    } else {
        raw
    };
    Response {
        status,
        headers,
        body,
    }
}

/// `GET <path>` with the server's own `Host`; `path` is sent exactly as given.
fn get(addr: SocketAddr, path: &str) -> Response {
    request_raw(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
}

// ---------------------------------------------------------------------------------------
// Server-sent events
// ---------------------------------------------------------------------------------------

/// One event of the live-reload channel.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Event {
    /// `event:` (`message` when absent).
    name: String,
    /// The `data:` lines, joined with `\n`.
    data: String,
}

impl Event {
    /// The data of a `problems` event, parsed.
    fn json(&self) -> Value {
        serde_json::from_str(&self.data).unwrap_or_else(|e| {
            panic!(
                "the data of {:?} is not JSON ({e}):\n{}",
                self.name, self.data
            )
        })
    }
}

/// A connection to `/__mxspec/events` kept open.
struct Events {
    stream: TcpStream,
    status: u16,
    headers: Headers,
    chunked: bool,
    /// Bytes received and not yet decoded.
    raw: Vec<u8>,
    /// The body so far, not yet split into events.
    body: Vec<u8>,
    /// The body ended (last chunk or connection closed).
    ended: bool,
}

impl Events {
    /// `GET /__mxspec/events` with this `Host` and, when given, this `Origin`; returns once
    /// the head of the response arrived.
    fn open(addr: SocketAddr, host: &str, origin: Option<&str>) -> Events {
        let stream = TcpStream::connect_timeout(&addr, WAIT).expect("cannot connect");
        stream.set_write_timeout(Some(WAIT)).unwrap();
        let origin = origin.map_or(String::new(), |o| format!("Origin: {o}\r\n"));
        let request = format!(
            "GET /__mxspec/events HTTP/1.1\r\nHost: {host}\r\n{origin}Accept: text/event-stream\r\nConnection: close\r\n\r\n"
        );
        (&stream).write_all(request.as_bytes()).unwrap();
        let mut events = Events {
            stream,
            status: 0,
            headers: Vec::new(),
            chunked: false,
            raw: Vec::new(),
            body: Vec::new(),
            ended: false,
        };
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some((status, headers, head_len)) = parse_head(&events.raw) {
                events.raw.drain(..head_len);
                events.chunked = headers
                    .iter()
                    .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
                events.status = status;
                events.headers = headers;
                return events;
            }
            assert!(
                events.read_more(deadline),
                "no response head from the events channel within {WAIT:?}: {:?}",
                String::from_utf8_lossy(&events.raw)
            );
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Reads what arrives before `deadline`; false on timeout or end of stream.
    fn read_more(&mut self, deadline: Instant) -> bool {
        let now = Instant::now();
        if now >= deadline || self.ended {
            return false;
        }
        let remaining = (deadline - now).max(Duration::from_millis(1));
        self.stream.set_read_timeout(Some(remaining)).unwrap();
        let mut buf = [0u8; 16 * 1024];
        match self.stream.read(&mut buf) {
            Ok(0) => {
                self.ended = true;
                false
            }
            Ok(n) => {
                self.raw.extend_from_slice(&buf[..n]);
                true
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                false
            }
            Err(_) => {
                self.ended = true;
                false
            }
        }
    }

    fn decode(&mut self) {
        if self.chunked {
            if dechunk(&mut self.raw, &mut self.body) {
                self.ended = true;
            }
        } else {
            self.body.append(&mut self.raw);
        }
    }

    /// The next event within `timeout` (comments, such as keep-alives, skipped); `None` on
    /// timeout or when the stream ended.
    fn next(&mut self, timeout: Duration) -> Option<Event> {
        let deadline = Instant::now() + timeout;
        loop {
            self.decode();
            while let Some(end) = self.body.windows(2).position(|w| w == b"\n\n") {
                let block: Vec<u8> = self.body.drain(..end + 2).collect();
                if let Some(event) = parse_event(&String::from_utf8_lossy(&block)) {
                    return Some(event);
                }
            }
            if !self.read_more(deadline) && (self.ended || Instant::now() >= deadline) {
                self.decode();
                if self.body.windows(2).any(|w| w == b"\n\n") {
                    continue;
                }
                return None;
            }
        }
    }

    /// The first event, which must come within [`WAIT`].
    fn first(&mut self) -> Event {
        self.next(WAIT)
            .unwrap_or_else(|| panic!("no first event within {WAIT:?}"))
    }

    /// Reads events until one named `name` (within [`WAIT`]); returns it and those before.
    fn wait_for(&mut self, name: &str) -> (Event, Vec<Event>) {
        let deadline = Instant::now() + WAIT;
        let mut before = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.next(left) {
                Some(event) if event.name == name => return (event, before),
                Some(event) => before.push(event),
                None => panic!(
                    "no {name:?} event within {WAIT:?} (stream ended: {}); events before: {before:?}",
                    self.ended
                ),
            }
        }
    }

    /// Reads events until a `problems` report that holds this error (within [`WAIT`]);
    /// returns it.
    fn wait_problem(&mut self, code: &str, file: &str, line: u64, column: u64) -> Event {
        let deadline = Instant::now() + WAIT;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.next(left) {
                Some(event)
                    if event.name == "problems"
                        && has_problem(&event.json(), code, file, line, column) =>
                {
                    assert_problem(&event.json(), code, file, line, column);
                    return event;
                }
                Some(event) => seen.push(event),
                None => panic!(
                    "no problems report with {code} at {file}:{line}:{column} within {WAIT:?}; \
                     events: {seen:#?}"
                ),
            }
        }
    }

    /// Whether the stream ends within `timeout` (events before the end are dropped).
    fn ends_within(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if self.next(left).is_none() && self.ended {
                return true;
            }
        }
        self.ended
    }

    /// The whole body (for a refused request: it is short and ends).
    fn rest(&mut self) -> String {
        let deadline = Instant::now() + WAIT;
        while self.read_more(deadline) {}
        self.decode();
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn parse_event(block: &str) -> Option<Event> {
    let mut name = None;
    let mut data: Vec<&str> = Vec::new();
    for line in block.lines() {
        let line = line.trim_end_matches('\r');
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "event" => name = Some(value.to_string()),
            "data" => data.push(value),
            _ => {}
        }
    }
    if name.is_none() && data.is_empty() {
        return None;
    }
    Some(Event {
        name: name.unwrap_or_else(|| "message".to_string()),
        data: data.join("\n"),
    })
}

// ---------------------------------------------------------------------------------------
// Assertions about problems reports
// ---------------------------------------------------------------------------------------

/// Whether a `problems` report holds an error with this code at this place.
fn has_problem(report: &Value, code: &str, file: &str, line: u64, column: u64) -> bool {
    report["diagnostics"].as_array().is_some_and(|all| {
        all.iter().any(|d| {
            d["severity"] == "error"
                && d["code"] == code
                && d["file"] == file
                && d["line"] == line
                && d["column"] == column
        })
    })
}

/// Asserts that a `problems` report (as `check --format json` prints it) holds an error
/// with this code at this place, and that its summary counts its errors.
fn assert_problem(report: &Value, code: &str, file: &str, line: u64, column: u64) {
    let diagnostics = report["diagnostics"]
        .as_array()
        .unwrap_or_else(|| panic!("no diagnostics in {report:#}"));
    let found = has_problem(report, code, file, line, column);
    assert!(
        found,
        "no error {code} at {file}:{line}:{column} in {report:#}"
    );
    let errors = diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .count() as u64;
    assert_eq!(report["summary"]["errors"], errors, "{report:#}");
}

/// Asserts that the human diagnostics printed in `lines` show this error at file:line:col.
fn assert_printed(lines: &[String], code: &str, file: &str, line: u64, column: u64) {
    let text = lines.join("\n");
    assert!(
        text.contains(&format!("error[{code}]")),
        "no error[{code}] printed:\n{text}"
    );
    assert!(
        text.contains(&format!("--> {file}:{line}:{column}")),
        "no --> {file}:{line}:{column} printed:\n{text}"
    );
}

// ---------------------------------------------------------------------------------------
// Serving
// ---------------------------------------------------------------------------------------

#[test]
fn serves_pages_stylesheet_not_found_and_redirects() {
    let project = Project::own_site();
    let server = Server::start(&project.root, &[]);

    let page = server.get("/client-server-api/");
    assert_eq!(page.status, 200, "{}", page.describe());
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = page.text();
    assert!(html.contains(SCHEMA_TEXT), "no schema description:\n{html}");
    assert!(
        html.contains("id=\"mroom_keywithheld\""),
        "no event section:\n{html}"
    );
    assert!(
        html.contains("When sending an encrypted event to a room"),
        "no Markdown text:\n{html}"
    );
    // The live-reload script, once, inside the body.
    assert_eq!(
        html.matches("new EventSource(\"/__mxspec/events\")")
            .count(),
        1,
        "{html}"
    );
    let script = html.find("new EventSource(").unwrap();
    let body_end = html.rfind("</body>").expect("no </body>");
    assert!(script < body_end, "the script is after </body>");
    assert!(html[..script].rfind("<script>").is_some());

    // The same page under its file name, and the start page.
    assert_eq!(server.page("/client-server-api/index.html"), html);
    let home = server.page("/");
    assert!(
        home.contains("<title>Event specification</title>"),
        "{home}"
    );
    assert!(home.contains("EventSource"), "{home}");

    // The stylesheet: the project's own template, as it is.
    let css = server.get("/mxspec.css");
    assert_eq!(css.status, 200, "{}", css.describe());
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(
        css.body,
        fs::read(project.path("templates/mxspec.css")).unwrap()
    );

    // Unknown paths: 404 with an HTML page. Files of the project that are not part of the
    // built site are unknown too.
    for path in [
        "/no-such-page/",
        "/no-such-page",
        "/nope.css",
        "/data/string-formats.yaml",
        "/content/_index.md",
        "/templates/base.html",
        "/client-server-api/nope/",
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 404, "{path}: {}", response.describe());
        assert_eq!(
            response.header("content-type"),
            Some("text/html; charset=utf-8"),
            "{path}"
        );
        let text = response.text();
        assert!(
            text.contains("<html") && text.contains("</html>"),
            "{path}: {text}"
        );
        assert!(!text.contains("mx-room-id:"), "{path}: {text}");
    }

    // A page's folder without its slash: a permanent redirect to the page.
    for (path, location) in [
        ("/client-server-api", "/client-server-api/"),
        ("/appendices", "/appendices/"),
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 301, "{path}: {}", response.describe());
        assert_eq!(response.header("location"), Some(location), "{path}");
    }
}

#[test]
fn escapes_from_the_site_are_refused() {
    let project = Project::own_site();
    let server = Server::start(&project.root, &[]);
    // `<tmp>/secret.txt` is next to the root (`<tmp>/site`); the repository's Cargo.toml
    // is further up. Every path is sent as it is, without normalisation.
    for path in [
        "/../secret.txt",
        "/../../../../../../../../etc/passwd",
        "/client-server-api/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2E/%2e%2e/Cargo.toml",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/a%5c..%5cb",
        "/..%5c..%5csecret.txt",
        "/%5c..%5csecret.txt",
        "/./data/string-formats.yaml",
        "/%2e/data/string-formats.yaml",
        "/%00",
        "/index.html%00.css",
        "/%ff",
        "//secret.txt",
        "//evil.example/",
    ] {
        let response = server.get(path);
        let text = response.text();
        assert_eq!(response.status, 400, "{path}: {}", response.describe());
        for leaked in [SECRET, "[package]", "root:x:0", "mx-room-id:"] {
            assert!(!text.contains(leaked), "{path} leaked {leaked:?}:\n{text}");
        }
        assert!(response.header("location").is_none(), "{path} redirects");
    }
    // Still serving afterwards.
    assert!(server.page("/").contains("Event specification"));
}

// ---------------------------------------------------------------------------------------
// Rebuilds and live reload
// ---------------------------------------------------------------------------------------

#[test]
fn edits_rebuild_and_reload() {
    let project = Project::own_site();
    let server = Server::start(&project.root, &[]);
    let mut events = server.events();
    assert_eq!(
        events.header("content-type"),
        Some("text/event-stream"),
        "{:?}",
        events.headers
    );
    let first = events.first();
    assert_eq!(first.name, "ok", "{first:?}");
    assert!(server.page("/client-server-api/").contains(SCHEMA_TEXT));

    // A schema's description.
    let mark = server.mark();
    project.replace(SCHEMA, SCHEMA_TEXT, SCHEMA_EDIT);
    let (_, line) = server.wait_good(mark, SCHEMA);
    assert!(
        line.contains("(checked data/, rendered 1 page(s): /client-server-api/); 0 warning(s)"),
        "{line:?}\n{}",
        server.output()
    );
    events.wait_for("reload");
    let html = server.page("/client-server-api/");
    assert!(html.contains(SCHEMA_EDIT), "{html}");
    assert!(!html.contains(SCHEMA_TEXT), "{html}");

    // A schema that the event's schema `$ref`s (its content).
    edit_and_reload(
        &server,
        &mut events,
        &project,
        COMPONENT,
        "The encryption algorithm for the key",
        "The cipher suite of the key",
    );
    let html = server.page("/client-server-api/");
    assert!(html.contains("The cipher suite of the key"), "{html}");

    // An example of the event.
    edit_and_reload(
        &server,
        &mut events,
        &project,
        EXAMPLE,
        "Device not verified",
        "Device never verified",
    );
    let html = server.page("/client-server-api/");
    assert!(html.contains("Device never verified"), "{html}");

    // A Markdown paragraph.
    let mark = server.mark();
    project.replace(
        CS_PAGE,
        "a client can signal to other",
        "a client may tell other",
    );
    let (_, line) = server.wait_good(mark, CS_PAGE);
    assert!(
        line.contains("(rendered 1 page(s): /client-server-api/)"),
        "{line:?}"
    );
    events.wait_for("reload");
    let html = server.page("/client-server-api/");
    assert!(html.contains("a client may tell other"), "{html}");
    assert!(html.contains(SCHEMA_EDIT), "{html}");

    // A save that writes a temporary file and renames it over the page.
    let mark = server.mark();
    let text = project
        .read(HOME_PAGE)
        .replace("This site is built by", "This site is assembled by");
    project.save_by_rename(HOME_PAGE, &text);
    server.wait_good(mark, HOME_PAGE);
    events.wait_for("reload");
    let home = server.page("/");
    assert!(home.contains("This site is assembled by"), "{home}");

    // The stylesheet (a template asset): every page is rendered again.
    let mark = server.mark();
    let css = format!(
        "{}\n.mxspec-test {{ color: rebeccapurple; }}\n",
        project.read("templates/mxspec.css")
    );
    project.write("templates/mxspec.css", &css);
    let (_, line) = server.wait_good(mark, "templates/mxspec.css");
    assert!(line.contains("rendered every page"), "{line:?}");
    events.wait_for("reload");
    assert_eq!(server.get("/mxspec.css").text(), css);

    // The channel still starts with `ok`.
    assert_eq!(server.events().first().name, "ok");
}

#[test]
fn pages_added_and_removed() {
    let (project, server, mut events) = serving_own_site();
    assert_eq!(server.get("/extra/").status, 404);

    let mark = server.mark();
    project.write(
        "content/extra.md",
        "---\ntitle: \"Extra notes\"\nweight: 50\n---\n\nA page added while serving.\n",
    );
    let (_, line) = server.wait_good(mark, "content/extra.md");
    // A new page changes the sidebar: every page is rendered again.
    assert!(line.contains("rendered every page"), "{line:?}");
    events.wait_for("reload");
    let extra = server.page("/extra/");
    assert!(extra.contains("A page added while serving."), "{extra}");
    assert!(
        server.page("/").contains("Extra notes"),
        "not in the sidebar"
    );

    let mark = server.mark();
    fs::remove_file(project.path("content/extra.md")).unwrap();
    server.wait_good(mark, "content/extra.md");
    events.wait_for("reload");
    assert_eq!(server.get("/extra/").status, 404);
    assert!(!server.page("/").contains("Extra notes"));
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_reports_problems() {
    let (project, server, mut events) = serving_own_site();
    let original = project.read(SCHEMA);

    // 1. A YAML syntax error (and a new description, which must not show).
    let mark = server.mark();
    let broken = original.replacen(SCHEMA_TEXT, SCHEMA_EDIT, 1).replacen(
        "\ntype: object\n",
        "\ntype: [object\n",
        1,
    );
    project.write(SCHEMA, &broken);
    let (line_no, column) = line_col(&broken, "[object");
    let (end, _) = server.wait_failed(mark, SCHEMA);
    assert_printed(
        &server.lines(mark, end),
        "yaml-syntax",
        SCHEMA,
        line_no,
        column,
    );

    let problems = events.wait_problem("yaml-syntax", SCHEMA, line_no, column);

    // The last good site is still served.
    let html = server.page("/client-server-api/");
    assert!(html.contains(SCHEMA_TEXT), "{html}");
    assert!(!html.contains(SCHEMA_EDIT), "{html}");
    // A page opened now learns of the problems at once.
    let mut late = server.events();
    let first = late.first();
    assert_eq!(first.name, "problems", "{first:?}");
    assert_eq!(first.json(), problems.json());

    // 2. The fix: a reload on every open page, and the new text.
    let mark = server.mark();
    let fixed = original.replacen(SCHEMA_TEXT, SCHEMA_EDIT, 1);
    project.write(SCHEMA, &fixed);
    server.wait_good(mark, SCHEMA);
    events.wait_for("reload");
    late.wait_for("reload");
    let html = server.page("/client-server-api/");
    assert!(html.contains(SCHEMA_EDIT), "{html}");
    assert_eq!(server.events().first().name, "ok");

    // 3. An example that its schema refuses (and a new reason, which must not show).
    let example = project.read(EXAMPLE);
    let mark = server.mark();
    let broken = example
        .replacen("\"m.unverified\"", "\"m.bogus\"", 1)
        .replacen("Device not verified", "Device never verified", 1);
    project.write(EXAMPLE, &broken);
    let (line_no, column) = line_col(&broken, "\"m.bogus\"");
    let (end, line) = server.wait_failed(mark, EXAMPLE);
    assert!(
        line.contains(": 1 error(s); "),
        "{line:?}\n{}",
        server.output()
    );
    assert_printed(
        &server.lines(mark, end),
        "example-invalid",
        EXAMPLE,
        line_no,
        column,
    );
    events.wait_problem("example-invalid", EXAMPLE, line_no, column);
    assert_eq!(server.events().first().name, "problems");
    let html = server.page("/client-server-api/");
    assert!(html.contains("Device not verified"), "{html}");
    assert!(!html.contains("Device never verified"), "{html}");

    // 4. The fix.
    let mark = server.mark();
    project.write(
        EXAMPLE,
        &example.replacen("Device not verified", "Device never verified", 1),
    );
    server.wait_good(mark, EXAMPLE);
    events.wait_for("reload");
    let html = server.page("/client-server-api/");
    assert!(html.contains("Device never verified"), "{html}");
    assert_eq!(server.events().first().name, "ok");
}

#[test]
fn published_api_documents_are_served_once_a_page_error_is_fixed() {
    // The API documents are made from data/, which has no error; a page whose front
    // matter cannot be read holds back the whole site, and fixing the page (not data/)
    // must bring them back too.
    let project = Project::fixture("http-api");
    let text = project.read(HOME_PAGE);
    project.write(HOME_PAGE, &text.replacen("title:", "title: [", 1));
    let server = Server::start(&project.root, &[]);
    server.wait_line(0, |l| l.starts_with("built in "));
    assert_eq!(server.get("/api/demo.json").status, 404);
    let mark = server.mark();
    project.write(HOME_PAGE, &text);
    server.wait_good(mark, HOME_PAGE);
    let api = server.get("/api/demo.json");
    assert_eq!(api.status, 200);
    assert!(String::from_utf8_lossy(&api.body).contains("\"openapi\""));
}

#[test]
fn a_site_broken_from_the_start_is_served_once_fixed() {
    let project = Project::fixture("missing-event");
    let server = Server::start(&project.root, &[]);
    let (end, line) = server.wait_line(0, |l| l.starts_with("built in "));
    assert!(
        line.contains(": 1 error(s); still serving the last good site"),
        "{line:?}\n{}",
        server.output()
    );
    let text = project.read(HOME_PAGE);
    let (line_no, column) = line_col(&text, "{{% event");
    assert_printed(
        &server.lines(0, end),
        "shortcode",
        HOME_PAGE,
        line_no,
        column,
    );

    // No good site yet: nothing to serve, and the channel says why.
    assert_eq!(server.get("/").status, 404);
    let mut events = server.events();
    let first = events.first();
    assert_eq!(first.name, "problems", "{first:?}");
    assert_problem(&first.json(), "shortcode", HOME_PAGE, line_no, column);

    let mark = server.mark();
    project.write(
        HOME_PAGE,
        &text.replace("Text {{% event event=\"m.nope\" %}} more.", "Text, fixed."),
    );
    server.wait_good(mark, HOME_PAGE);
    events.wait_for("reload");
    let home = server.page("/");
    assert!(home.contains("Text, fixed."), "{home}");
    assert_eq!(server.events().first().name, "ok");
}

#[test]
fn polling_picks_up_edits() {
    let project = Project::own_site();
    let server = Server::start(&project.root, &["--poll"]);
    let (out, _) = snapshot(&server.stdout);
    assert!(out[0].contains("(polling data/"), "{:?}", out[0]);
    let mut events = server.events();
    assert_eq!(events.first().name, "ok");

    next_second_after_mtime(&project.path(SCHEMA));
    edit_schema_and_reload(&server, &mut events, &project);
    let html = server.page("/client-server-api/");
    assert!(html.contains(SCHEMA_EDIT), "{html}");

    next_second_after_mtime(&project.path(HOME_PAGE));
    let mark = server.mark();
    let text = project
        .read(HOME_PAGE)
        .replace("This site is built by", "This site is assembled by");
    project.save_by_rename(HOME_PAGE, &text);
    server.wait_good(mark, HOME_PAGE);
    events.wait_for("reload");
    assert!(server.page("/").contains("This site is assembled by"));
}

// ---------------------------------------------------------------------------------------
// The live-reload channel answers only its own host
// ---------------------------------------------------------------------------------------

#[test]
fn the_events_channel_checks_host_and_origin() {
    let project = Project::own_site();
    let server = Server::start(&project.root, &[]);
    let port = server.addr.port();
    let other_port = if port == 65535 { port - 1 } else { port + 1 };

    let refused: Vec<(String, Option<String>)> = vec![
        // DNS rebinding: a foreign name that resolves to 127.0.0.1.
        (format!("evil.example:{port}"), None),
        ("evil.example".to_string(), None),
        (format!("localhost.evil.example:{port}"), None),
        (format!("127.0.0.1:{other_port}"), None),
        // Another site's page on this machine.
        (
            format!("127.0.0.1:{port}"),
            Some("http://evil.example".to_string()),
        ),
        (
            format!("127.0.0.1:{port}"),
            Some(format!("http://evil.example:{port}")),
        ),
        (
            format!("127.0.0.1:{port}"),
            Some(format!("http://127.0.0.1:{other_port}")),
        ),
        (
            format!("127.0.0.1:{port}"),
            Some(format!("https://127.0.0.1:{port}")),
        ),
        (format!("127.0.0.1:{port}"), Some("null".to_string())),
    ];
    for (host, origin) in &refused {
        let mut events = Events::open(server.addr, host, origin.as_deref());
        let body = events.rest();
        assert_eq!(
            events.status, 403,
            "Host {host:?}, Origin {origin:?}: {:?} {body}",
            events.headers
        );
        assert!(!body.contains("event:"), "{body}");
    }

    let allowed: Vec<(String, Option<String>)> = vec![
        (format!("127.0.0.1:{port}"), None),
        (
            format!("127.0.0.1:{port}"),
            Some(format!("http://127.0.0.1:{port}")),
        ),
        (
            format!("localhost:{port}"),
            Some(format!("http://localhost:{port}")),
        ),
        // A page on one of the server's names may talk to it under another.
        (
            format!("127.0.0.1:{port}"),
            Some(format!("http://localhost:{port}")),
        ),
        (
            format!("[::1]:{port}"),
            Some(format!("http://[::1]:{port}")),
        ),
    ];
    for (host, origin) in &allowed {
        let mut events = Events::open(server.addr, host, origin.as_deref());
        if events.status != 200 {
            let (status, headers) = (events.status, events.headers.clone());
            panic!(
                "Host {host:?}, Origin {origin:?} refused: {status} {headers:?} {}",
                events.rest()
            );
        }
        assert_eq!(events.header("content-type"), Some("text/event-stream"));
        assert_eq!(events.first().name, "ok");
    }

    // Pages answer to an address or localhost, not to another site's name that was made
    // to point here (DNS rebinding).
    let page = request_raw(
        server.addr,
        "GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(page.status, 403);
    let page = request_raw(
        server.addr,
        &format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(page.status, 200);
}

// ---------------------------------------------------------------------------------------
// Starting and stopping
// ---------------------------------------------------------------------------------------

#[test]
fn sigint_stops_cleanly_with_connections_open() {
    let project = Project::own_site();
    let mut server = Server::start(&project.root, &[]);
    let mut events = server.events();
    assert_eq!(events.first().name, "ok");
    // A browser's spare connection: open, nothing sent.
    let _idle = TcpStream::connect_timeout(&server.addr, WAIT).unwrap();
    // A keep-alive connection that has had its answer.
    let mut kept = TcpStream::connect_timeout(&server.addr, WAIT).unwrap();
    kept.write_all(format!("GET /mxspec.css HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).as_bytes())
        .unwrap();
    kept.set_read_timeout(Some(WAIT)).unwrap();
    let mut buf = [0u8; 1024];
    assert!(kept.read(&mut buf).unwrap() > 0);

    // Give the server a moment to install its Ctrl-C handler: it does so only after it
    // already answers requests (see the ignored `sigint_right_after_start_stops_cleanly`).
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let status = server.interrupt(WAIT);
    let status = status
        .unwrap_or_else(|| panic!("still running {WAIT:?} after SIGINT\n{}", server.output()));
    assert_eq!(status.code(), Some(0), "{status:?}\n{}", server.output());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "stopping took {:?}",
        started.elapsed()
    );
    server.wait_line(0, |l| l == "stopped");
    let (out, _) = snapshot(&server.stdout);
    assert_eq!(out.last().map(String::as_str), Some("stopped"), "{out:?}");
    let (err, _) = snapshot(&server.stderr);
    assert!(err.is_empty(), "{}", server.output());
    // The open channel was ended, not left hanging.
    assert!(
        events.ends_within(Duration::from_secs(2)),
        "the event stream did not end"
    );
}

#[test]
fn an_address_in_use_is_a_clear_error() {
    // A port that is taken: the next free one is served, and the move is said. When
    // every port tried is taken, or the address is not this machine's, it is an error
    // of one line.
    let project = Project::own_site();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let server = Server::start(&project.root, &["--port", &port.to_string()]);
    let (_, serving) = server.wait_line(0, |l| l.starts_with("Serving http://127.0.0.1:"));
    assert!(!serving.contains(&format!(":{port}/")), "{serving}");
    assert!(
        serving.contains(&format!(
            "(port {port} is busy, so the next free one; watching"
        )),
        "{serving}"
    );
    drop(server);
    drop(taken);

    // 192.0.2.1 (TEST-NET-1) is no address of this machine.
    let mut child = Command::new(env!("CARGO_BIN_EXE_mxspec"))
        .arg("serve")
        .arg("--root")
        .arg(&project.root)
        .args(["--bind", "192.0.2.1", "--port", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = collect_lines(child.stdout.take().unwrap());
    let stderr = collect_lines(child.stderr.take().unwrap());
    let status = wait_exit(&mut child, WAIT);
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    // Let the readers see the end of the pipes.
    let deadline = Instant::now() + WAIT;
    while !(snapshot(&stdout).1 && snapshot(&stderr).1) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = snapshot(&stdout).0.join("\n");
    let err = snapshot(&stderr).0.join("\n");
    let status =
        status.unwrap_or_else(|| panic!("still running on a foreign address\n{out}\n{err}"));
    assert_eq!(status.code(), Some(2), "stdout:\n{out}\nstderr:\n{err}");
    assert!(!out.contains("Serving"), "{out}");
    assert!(
        err.contains(&format!("cannot listen on 192.0.2.1:{port}")),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

// ---------------------------------------------------------------------------------------
// Bugs (ignored until fixed)
// ---------------------------------------------------------------------------------------

/// Whether a fresh `mxspec build` of `root` writes a page holding `needle` (proves what the
/// served page should hold).
fn fresh_build_contains(root: &Path, page: &str, needle: &str) -> bool {
    let out = tempfile::tempdir().unwrap();
    let run = build_raw(root, &out.path().join("site"), &[]);
    assert_eq!(run.status, Some(0), "{run:?}");
    fs::read_to_string(out.path().join("site").join(page))
        .unwrap()
        .contains(needle)
}

#[test]
fn edits_made_while_broken_are_rendered_after_the_fix() {
    let project = Project::own_site();
    let server = Server::start(&project.root, &[]);
    let original = project.read(SCHEMA);

    let mark = server.mark();
    project.write(
        SCHEMA,
        &original.replacen("\ntype: object\n", "\ntype: [object\n", 1),
    );
    server.wait_line(mark, |l| l.contains("still serving the last good site"));

    // While the schema is broken, the start page is edited: nothing can be rendered now.
    let mark = server.mark();
    project.replace(
        HOME_PAGE,
        "This site is built by",
        "This site is assembled by",
    );
    server.wait_rebuilt(mark, HOME_PAGE);

    // The schema is fixed: the site builds, and must show both edits.
    let mark = server.mark();
    project.write(SCHEMA, &original);
    let (_, line) = server.wait_rebuilt(mark, SCHEMA);
    assert!(line.contains("0 warning(s)"), "{line:?}");
    let home = server.page("/");
    assert!(
        home.contains("This site is assembled by"),
        "the start page is stale: the edit made while the schema was broken is lost \
         (rebuild: {line:?})"
    );
}

#[test]
fn editing_a_referenced_example_re_renders_the_page() {
    let project = Project::own_site();
    let server = Server::start(&project.root, &[]);
    let rel = "data/event-schemas/examples/core/event.json";
    let mark = server.mark();
    project.replace(
        rel,
        "\"type\": \"org.example.custom.event\"",
        "\"type\": \"org.example.custom.event\",\n    \"sender\": \"@zorbly:example.org\"",
    );
    let (_, line) = server.wait_rebuilt(mark, rel);
    assert!(
        fresh_build_contains(
            &project.root,
            "client-server-api/index.html",
            "@zorbly:example.org"
        ),
        "a fresh build does not show the new field"
    );
    let html = server.page("/client-server-api/");
    assert!(
        html.contains("@zorbly:example.org"),
        "the served page is stale, unlike a fresh build (rebuild: {line:?})"
    );
}

#[test]
fn a_new_example_re_renders_the_page() {
    let project = Project::own_site();
    let server = Server::start(&project.root, &[]);
    let rel = "data/event-schemas/examples/m.room_key.withheld$unavailable.yaml";
    let mark = server.mark();
    project.write(
        rel,
        &project
            .read(EXAMPLE)
            .replace("m.unverified", "m.unavailable")
            .replace("Device not verified", "The key is gone"),
    );
    let (_, line) = server.wait_rebuilt(mark, rel);
    assert!(line.contains("0 warning(s)"), "{line:?}");
    assert!(fresh_build_contains(
        &project.root,
        "client-server-api/index.html",
        "The key is gone"
    ));
    let html = server.page("/client-server-api/");
    assert!(
        html.contains("The key is gone"),
        "the served page lacks the new example, unlike a fresh build (rebuild: {line:?})"
    );
}

#[test]
fn a_folder_moved_into_content_is_picked_up() {
    let project = Project::own_site();
    let server = Server::start(&project.root, &[]);
    // Prepared outside the watched folders, on the same file system, then moved in.
    let staging = project.tmp.path().join("staging/extra");
    fs::create_dir_all(&staging).unwrap();
    fs::write(
        staging.join("_index.md"),
        "---\ntitle: \"Extra\"\nweight: 50\n---\n\nMoved in while serving.\n",
    )
    .unwrap();
    let mark = server.mark();
    fs::rename(&staging, project.path("content/extra")).unwrap();
    let rebuilt = server.try_wait_line(mark, QUIET, |l| l.contains(" changed; rebuilt in "));
    let response = server.get("/extra/");
    assert!(
        rebuilt.is_some() && response.status == 200,
        "no rebuild within {QUIET:?} after moving content/extra/ in; GET /extra/: {}\n{}",
        response.status,
        server.output()
    );
}

#[test]
fn a_templates_folder_created_while_serving_is_watched() {
    let project = Project::fixture("layout");
    assert!(!project.path("templates").exists());
    let server = Server::start(&project.root, &[]);
    let mark = server.mark();
    project.write("templates/mxspec.css", "body { color: rebeccapurple; }\n");
    let rebuilt = server.try_wait_line(mark, QUIET, |l| l.contains(" changed; rebuilt in "));
    let css = server.get("/mxspec.css").text();
    assert!(
        rebuilt.is_some() && css == "body { color: rebeccapurple; }\n",
        "templates/mxspec.css created while serving is ignored (the first line says \
         \"watching data/, content/, templates/\")\n{}",
        server.output()
    );
}

#[test]
fn sigint_stops_with_an_unfinished_request_open() {
    let project = Project::own_site();
    let mut server = Server::start(&project.root, &[]);
    // A request whose head never ends (a stalled or slow client).
    let mut stalled = TcpStream::connect_timeout(&server.addr, WAIT).unwrap();
    stalled
        .write_all(format!("GET / HTTP/1.1\r\nHost: {}\r\n", server.addr).as_bytes())
        .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let status = server.interrupt(Duration::from_secs(3));
    assert!(
        status.is_some(),
        "still running 3 s after SIGINT (a second SIGINT does not help either; only \
         closing the client's connection or SIGKILL stops it)\n{}",
        server.output()
    );
    assert_eq!(status.unwrap().code(), Some(0));
}

#[test]
fn polling_sees_two_saves_within_one_second() {
    let project = Project::own_site();
    let server = Server::start(&project.root, &["--poll"]);
    let original = project.read(HOME_PAGE);
    // Both saves fall in one wall-clock second, about 300 ms apart (a poll in between).
    next_second_after_mtime(&project.path(HOME_PAGE));
    let mark = server.mark();
    project.write(
        HOME_PAGE,
        &original.replacen("This site is built by", "This site is first built by", 1),
    );
    server.wait_rebuilt(mark, HOME_PAGE);
    assert!(server.page("/").contains("This site is first built by"));
    let first_save = fs::metadata(project.path(HOME_PAGE))
        .unwrap()
        .modified()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let mark = server.mark();
    project.write(
        HOME_PAGE,
        &original.replacen("This site is built by", "This site is then built by", 1),
    );
    let second_save = fs::metadata(project.path(HOME_PAGE))
        .unwrap()
        .modified()
        .unwrap();
    let second = |t: std::time::SystemTime| {
        t.duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs()
    };
    assert_eq!(
        second(first_save),
        second(second_save),
        "inconclusive: the two saves fell in different seconds (a slow machine?)"
    );
    let rebuilt = server.try_wait_line(mark, QUIET, |l| l.contains(" changed; rebuilt in "));
    let home = server.page("/");
    assert!(
        rebuilt.is_some() && home.contains("This site is then built by"),
        "the second save is never picked up: the page still shows the first one ({})\n{}",
        if home.contains("This site is first built by") {
            "first save"
        } else {
            "neither save"
        },
        server.output()
    );
}

#[test]
fn sigint_right_after_start_stops_cleanly() {
    let project = Project::own_site();
    // bash reads the first line (the URL) and sends SIGINT at once, as a user pressing
    // Ctrl-C quickly, or a script, would; then prints the exit status (130: killed by it).
    let script = r#"
coproc S { exec "$0" serve --root "$1" --port 0 2>/dev/null; }
pid=$S_PID; exec 4<&"${S[0]}"
IFS= read -r first <&4
kill -INT "$pid"
cat <&4
wait "$pid"; echo "exit:$?"
"#;
    for attempt in 1..=10 {
        let mut child = Command::new("bash")
            .args(["-c", script, env!("CARGO_BIN_EXE_mxspec")])
            .arg(&project.root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("cannot run bash");
        let stdout = collect_lines(child.stdout.take().unwrap());
        if wait_exit(&mut child, WAIT).is_none() {
            let _ = child.kill();
            let _ = child.wait();
            panic!("attempt {attempt}: did not stop: {:?}", snapshot(&stdout).0);
        }
        let deadline = Instant::now() + WAIT;
        while !snapshot(&stdout).1 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        let out = snapshot(&stdout).0;
        let n = out.len();
        assert!(
            n >= 2 && out[n - 1] == "exit:0" && out[n - 2] == "stopped",
            "attempt {attempt}: SIGINT right after the URL was printed did not stop the server \
             cleanly (exit:130 = killed by the signal); stdout: {out:#?}"
        );
    }
}

/// The host part of the URL that the server printed (`127.0.0.1:PORT`, `[::1]:PORT`).
fn printed_host(server: &Server) -> String {
    let (out, _) = snapshot(&server.stdout);
    out[0]
        .strip_prefix("Serving http://")
        .and_then(|rest| rest.split_once('/'))
        .map(|(host, _)| host.to_string())
        .unwrap()
}

#[test]
fn the_events_channel_accepts_the_printed_url_on_ipv6() {
    if TcpListener::bind("[::ffff:127.0.0.1]:0").is_err() {
        eprintln!("skipping: no IPv6 sockets here");
        return;
    }
    let project = Project::own_site();
    // An IPv6 address that reaches this machine only; `::`, or a LAN address such as
    // `2001:db8::5`, fail the same way.
    let server = Server::start(&project.root, &["--bind", "::ffff:127.0.0.1"]);
    let host = printed_host(&server);
    assert_eq!(host, format!("[::ffff:127.0.0.1]:{}", server.addr.port()));
    // The page at the printed URL is served; its script then opens the channel with the
    // same Host and Origin.
    assert_eq!(
        request_raw(
            server.addr,
            &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
        .status,
        200
    );
    let mut events = Events::open(server.addr, &host, Some(&format!("http://{host}")));
    let status = events.status;
    assert_eq!(
        status,
        200,
        "the page at the server's own URL http://{host}/ cannot open the live-reload \
         channel: {}",
        events.rest()
    );
}

#[test]
fn the_events_channel_accepts_the_default_port_omitted() {
    match TcpListener::bind("127.0.0.1:80") {
        Ok(probe) => drop(probe),
        Err(e) => {
            eprintln!("skipping: cannot listen on port 80 here ({e})");
            return;
        }
    }
    let project = Project::own_site();
    let server = Server::start(&project.root, &["--port", "80"]);
    assert_eq!(server.addr.port(), 80);
    // A browser at http://127.0.0.1:80/ or http://localhost/ sends no port: the URL's
    // default port is omitted from Host and Origin.
    let mut refused = Vec::new();
    for name in ["127.0.0.1", "localhost"] {
        let mut events = Events::open(server.addr, name, Some(&format!("http://{name}")));
        let status = events.status;
        if status != 200 {
            refused.push(format!("{name}: {status} {}", events.rest().trim()));
        }
    }
    assert!(
        refused.is_empty(),
        "a page served on port 80 cannot open the live-reload channel: {refused:?}"
    );
}

#[test]
fn warnings_are_printed_once_and_shown_quietly_in_the_page() {
    let project = Project::own_site();
    project.write(
        "content/extra.md",
        "---\ntitle: Extra\n---\n{{% api-explorer spec=\"x\" %}}\n",
    );
    let server = Server::start(&project.root, &[]);
    let (_, built) = server.wait_line(0, |l| l.starts_with("built in "));
    assert!(built.ends_with("; 1 warning(s)"), "{built}");
    assert!(
        server.output().contains("warning[unknown-shortcode]"),
        "the warning is printed: {}",
        server.output()
    );
    // The page's channel says so, for a quiet box; the site is served all the same.
    let mut events = server.events();
    let first = events.first();
    assert_eq!(first.name, "warnings");
    assert_eq!(first.json()["summary"]["warnings"], 1);
    // A save that changes nothing of the warnings does not print them again.
    let mark = server.mark();
    project.replace("content/extra.md", "title: Extra", "title: Extra page");
    let (_, rebuilt) = server.wait_line(mark, |l| l.contains("changed; rebuilt"));
    assert!(rebuilt.ends_with("; 1 warning(s)"), "{rebuilt}");
    let after: Vec<String> = server.lines(mark, server.mark());
    assert!(
        !after
            .iter()
            .any(|l| l.contains("warning[unknown-shortcode]")),
        "{after:?}"
    );
    // A break shows its error alone, and its fix prints no warning again.
    let mark = server.mark();
    project.replace("content/extra.md", "title: Extra page", "title: [unclosed");
    server.wait_line(mark, |l| l.contains("still serving the last good site"));
    let mark_fixed = server.mark();
    project.replace("content/extra.md", "title: [unclosed", "title: Extra page");
    server.wait_line(mark_fixed, |l| l.contains("changed; rebuilt"));
    let after: Vec<String> = server.lines(mark, server.mark());
    assert!(
        !after.iter().any(|l| l.starts_with("warning[")),
        "{after:?}"
    );
    assert!(after.iter().any(|l| l.starts_with("error[")), "{after:?}");
}

#[test]
fn the_search_index_follows_edits() {
    let project = Project::fixture("spec-pages");
    let server = Server::start(&project.root, &[]);
    let mut events = server.events();
    assert_eq!(events.first().name, "ok");
    let index = server.get("/search-index.js");
    assert_eq!(index.status, 200, "{}", index.describe());
    assert!(index.text().starts_with("window.mxspecSearch = "));
    assert!(!index.text().contains("zeppelin"));
    assert_eq!(server.get("/elasticlunr.min.js").status, 200);

    // A new word on a page is found once the page is rebuilt (the index follows the
    // reload: the page first, then the index of its text).
    let mark = server.mark();
    project.replace("content/appendices.md", "## Flow", "## Flow of a zeppelin");
    server.wait_good(mark, "content/appendices.md");
    events.wait_for("reload");
    let deadline = Instant::now() + WAIT;
    loop {
        let text = server.get("/search-index.js").text();
        if text.contains("zeppelin") {
            assert!(
                text.contains(
                    "[\"/appendices/#flow-of-a-zeppelin\",\"Flow of a zeppelin\",\"Appendices\"]"
                ),
                "{text}"
            );
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the index never held the new word"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The project's own site, served, and the events channel past its first `ok`.
fn serving_own_site() -> (Project, Server, Events) {
    let project = Project::own_site();
    let server = Server::start(&project.root, &[]);
    let mut events = server.events();
    assert_eq!(events.first().name, "ok");
    (project, server, events)
}

/// [`edit_and_reload`] of the withheld event's schema: its description becomes
/// [`SCHEMA_EDIT`].
fn edit_schema_and_reload(server: &Server, events: &mut Events, project: &Project) {
    edit_and_reload(server, events, project, SCHEMA, SCHEMA_TEXT, SCHEMA_EDIT);
}

/// Replaces `from` by `to` in the project's file `rel`, and waits until `serve` has built
/// it again, without a problem, and sent the reload signal.
fn edit_and_reload(
    server: &Server,
    events: &mut Events,
    project: &Project,
    rel: &str,
    from: &str,
    to: &str,
) {
    let mark = server.mark();
    project.replace(rel, from, to);
    server.wait_good(mark, rel);
    events.wait_for("reload");
}

/// A page as `build` writes it: the page `serve` sends, without the live-reload script it
/// adds.
fn without_live_reload(served: &str) -> &str {
    let at = served
        .find("<script>// mxspec serve:")
        .expect("serve adds its script");
    &served[..at]
}

#[test]
fn a_page_rendered_again_from_kept_calls_is_the_page_a_build_makes() {
    // Editing prose renders the page again reusing its events and endpoints made before;
    // a change of data forgets them.
    let (project, server, mut events) = serving_own_site();
    let fresh = |project: &Project| {
        let out = project.tmp.path().join("fresh");
        let _ = fs::remove_dir_all(&out);
        let run = build_raw(&project.root, &out, &[]);
        assert_eq!(run.status, Some(0), "{}", run.stderr);
        fs::read_to_string(out.join("client-server-api/index.html")).unwrap()
    };

    // Prose above the event: the event comes from the kept call, the page is the same as
    // a build's.
    edit_and_reload(
        &server,
        &mut events,
        &project,
        CS_PAGE,
        "a client can signal to other",
        "a client may tell other",
    );
    let served = server.page("/client-server-api/");
    assert_eq!(
        without_live_reload(&served),
        fresh(&project).trim_end_matches("</body>\n</html>\n")
    );

    // The event's schema: the kept call is forgotten, the event shows the change.
    edit_schema_and_reload(&server, &mut events, &project);
    // And stays shown when prose changes again.
    edit_and_reload(
        &server,
        &mut events,
        &project,
        CS_PAGE,
        "a client may tell other",
        "a client can tell other",
    );
    let served = server.page("/client-server-api/");
    assert!(served.contains(SCHEMA_EDIT));
    assert!(!served.contains(SCHEMA_TEXT));
    assert_eq!(
        without_live_reload(&served),
        fresh(&project).trim_end_matches("</body>\n</html>\n")
    );
}
