//! The one worker pool: a job list mapped on every core, results in input order.
//!
//! Parsing files, checking documents and validating examples are independent jobs of
//! uneven size, so each worker takes the next job as it is free (one shared counter), and
//! may keep state of its own across the jobs it takes (a validator cache).

use std::sync::atomic::{AtomicUsize, Ordering};

/// How many workers a job list of `len` items gets: one per core, at most one per item.
/// The cores are counted once per process (on Linux that reads the cgroup's quota files).
fn workers(len: usize) -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let cores = *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    cores.min(len.max(1))
}

/// `f(index, item)` for every item, on every core; results in input order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    map_with(items, || (), |(), i, item| f(i, item))
}

/// Like [`map`], but each worker first makes a state with `init` and hands it to every
/// job it runs (a cache that lives as long as the worker).
pub fn map_with<T: Sync, S, R: Send>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, usize, &T) -> R + Sync,
) -> Vec<R> {
    let workers = workers(items.len());
    if workers <= 1 {
        let mut state = init();
        return items
            .iter()
            .enumerate()
            .map(|(i, t)| f(&mut state, i, t))
            .collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut state = init();
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(&mut state, i, item)));
        }
    };
    let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for h in handles {
            all.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        for (i, r) in all {
            slots[i] = Some(r);
        }
    });
    slots
        .into_iter()
        .map(|s| s.expect("every job ran"))
        .collect()
}

/// Drops `value` on a thread of its own, so that freeing a large structure (compiled
/// validators) does not hold up the caller; inline when no thread can be started.
pub fn drop_in_background<T: Send + 'static>(value: T) {
    // When no thread can be started, the closure is dropped here, and the value with it.
    let _ = std::thread::Builder::new()
        .name("drop".into())
        .spawn(move || drop(value));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_input_order() {
        let items: Vec<usize> = (0..1000).collect();
        assert_eq!(
            map(&items, |i, x| i + x),
            (0..1000).map(|x| 2 * x).collect::<Vec<_>>()
        );
        let counted = map_with(
            &items,
            || 0usize,
            |n, _, x| {
                *n += 1;
                *x
            },
        );
        assert_eq!(counted, items);
        assert!(map(&[] as &[u8], |_, _| ()).is_empty());
    }
}
