//! Watching `data/`, `content/` and `templates/` with notify and a debouncer (saves done
//! by renaming a temporary file included), falling back to polling where the system's
//! watcher cannot run.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;

use notify_debouncer_full::notify::{self, EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, Debouncer, RecommendedCache};

use crate::source::rel_path;

/// How long a burst of file events is gathered before a rebuild.
pub const DEBOUNCE: Duration = Duration::from_millis(5);
/// How often the polling fallback looks at the files.
pub const POLL_INTERVAL: Duration = Duration::from_millis(200);

/// The folders watched, relative to the root.
pub const WATCHED: &[&str] = &["data", "content", "templates"];

/// A running watcher; dropping it stops watching.
pub enum Watching {
    /// The system's watcher (inotify, FSEvents, ...).
    Native(Debouncer<notify::RecommendedWatcher, RecommendedCache>),
    /// Polling.
    Poll(Debouncer<notify::PollWatcher, RecommendedCache>),
}

impl Watching {
    /// Whether this is the polling fallback.
    pub fn is_polling(&self) -> bool {
        matches!(self, Watching::Poll(_))
    }
}

/// Starts watching the folders of `root` that exist; batches of changed root-relative
/// paths arrive on the returned receiver.
pub fn watch(
    root: &Path,
    force_poll: bool,
) -> notify::Result<(Watching, Receiver<BTreeSet<String>>)> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let (tx, rx) = std::sync::mpsc::channel();
    let handler = batch_handler(root.clone(), tx);
    let dirs: Vec<PathBuf> = WATCHED
        .iter()
        .map(|d| root.join(d))
        .filter(|d| d.is_dir())
        .collect();
    if !force_poll {
        let native = new_debouncer_opt::<_, notify::RecommendedWatcher, _>(
            DEBOUNCE,
            None,
            handler.clone(),
            RecommendedCache::new(),
            notify::Config::default(),
        );
        if let Ok(mut debouncer) = native {
            if dirs
                .iter()
                .all(|d| debouncer.watch(d, RecursiveMode::Recursive).is_ok())
            {
                return Ok((Watching::Native(debouncer), rx));
            }
        }
    }
    let mut debouncer = new_debouncer_opt::<_, notify::PollWatcher, _>(
        DEBOUNCE,
        None,
        handler,
        RecommendedCache::new(),
        notify::Config::default().with_poll_interval(POLL_INTERVAL),
    )?;
    for d in &dirs {
        debouncer.watch(d, RecursiveMode::Recursive)?;
    }
    Ok((Watching::Poll(debouncer), rx))
}

fn batch_handler(
    root: PathBuf,
    tx: Sender<BTreeSet<String>>,
) -> impl Fn(DebounceEventResult) + Clone + Send + 'static {
    move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        // Reads (open, access) are not changes: the rebuild itself reads every file.
        let changed: BTreeSet<String> = events
            .iter()
            .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
            .flat_map(|e| e.event.paths.iter())
            .filter_map(|path| {
                let rel = rel_path(&root, path);
                let watched = WATCHED.iter().any(|d| rel.starts_with(&format!("{d}/")));
                (watched && !is_noise(&rel) && !path.is_dir()).then_some(rel)
            })
            .collect();
        if !changed.is_empty() {
            let _ = tx.send(changed);
        }
    }
}

/// Editor scratch files: swap files, backups, vim's write test `4913`.
fn is_noise(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_noise_is_ignored() {
        assert!(is_noise("data/.x.yaml.swp"));
        assert!(is_noise("content/a.md~"));
        assert!(is_noise("content/4913"));
        assert!(!is_noise("data/event-schemas/schema/m.x.yaml"));
    }
}
