//! Watching the project's folders (every [`Area`]: `data/`, `content/`, `templates/`,
//! `changelogs/`, `data-definitions/`, `assets/`) with notify and a debouncer (saves done
//! by renaming a temporary file included), falling back to polling where the system's
//! watcher cannot run. The root itself is watched too, so that one of these folders made
//! while serving is watched from then on.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;

use notify_debouncer_full::notify::{self, EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, Debouncer, RecommendedCache};

use crate::project::Area;
use crate::source::rel_path;

/// How long a burst of file events is gathered before a rebuild.
pub const DEBOUNCE: Duration = Duration::from_millis(5);
/// How often the polling fallback looks at the files.
pub const POLL_INTERVAL: Duration = Duration::from_millis(200);

/// The folders watched, relative to the root: those the project is read from.
fn watched() -> impl Iterator<Item = &'static str> {
    Area::ALL.into_iter().map(Area::dir)
}

/// A running watcher; dropping it stops watching.
pub struct Watching {
    root: PathBuf,
    watcher: Watcher,
}

enum Watcher {
    Native(Debouncer<notify::RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<notify::PollWatcher, RecommendedCache>),
}

impl Watching {
    /// Whether this is the polling fallback.
    pub fn is_polling(&self) -> bool {
        matches!(self.watcher, Watcher::Poll(_))
    }

    fn watch(&mut self, dir: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match &mut self.watcher {
            Watcher::Native(d) => d.watch(dir, mode),
            Watcher::Poll(d) => d.watch(dir, mode),
        }
    }

    /// Starts watching the watched folders among `changed` that were just made.
    pub fn follow_new_folders(&mut self, changed: &BTreeSet<String>) {
        for dir in watched().filter(|d| changed.contains(*d)) {
            let path = self.root.join(dir);
            if path.is_dir() {
                let _ = self.watch(&path, RecursiveMode::Recursive);
            }
        }
    }
}

/// Starts watching `root`; batches of changed root-relative paths arrive on the returned
/// receiver.
pub fn watch(
    root: &Path,
    force_poll: bool,
) -> notify::Result<(Watching, Receiver<BTreeSet<String>>)> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let (tx, rx) = std::sync::mpsc::channel();
    let handler = batch_handler(root.clone(), tx);
    let mut watching = None;
    if !force_poll {
        let native = new_debouncer_opt::<_, notify::RecommendedWatcher, _>(
            DEBOUNCE,
            None,
            handler.clone(),
            RecommendedCache::new(),
            notify::Config::default(),
        );
        if let Ok(d) = native {
            let mut w = Watching {
                root: root.clone(),
                watcher: Watcher::Native(d),
            };
            if start(&mut w).is_ok() {
                watching = Some(w);
            }
        }
    }
    let watching = match watching {
        Some(w) => w,
        None => {
            // Poll times have a resolution of a second: compare contents too, so two
            // saves within one second are both seen.
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            let d = new_debouncer_opt::<_, notify::PollWatcher, _>(
                DEBOUNCE,
                None,
                handler,
                RecommendedCache::new(),
                config,
            )?;
            let mut w = Watching {
                root,
                watcher: Watcher::Poll(d),
            };
            start(&mut w)?;
            w
        }
    };
    Ok((watching, rx))
}

fn start(w: &mut Watching) -> notify::Result<()> {
    let root = w.root.clone();
    w.watch(&root, RecursiveMode::NonRecursive)?;
    for dir in watched().map(|d| root.join(d)).filter(|d| d.is_dir()) {
        w.watch(&dir, RecursiveMode::Recursive)?;
    }
    Ok(())
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
                let watched = Area::of(&rel).is_some();
                (watched && !is_noise(&rel)).then_some(rel)
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
