//! A file written and flushed to disk as it is written: a second thread asks the
//! system to put what is written so far on the disk [`EVERY`] after its last such
//! flush ended, so that the
//! flush that must finish before a replacing rename waits only for the last part of
//! a file of hundreds of megabytes, not for all of it after the last byte.

use std::fs::File;
use std::io;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// How long a write runs before what it has written so far is flushed to disk, and
/// between flushes after that. A write of a small file ends first and is flushed
/// once, at its end.
const EVERY: Duration = Duration::from_millis(100);

/// Runs `write` into `file`, then flushes the file (its data and metadata) to disk.
/// While `write` runs, what it has written is flushed to disk from a second handle
/// on the file, [`EVERY`] after the last flush ended.
///
/// # Errors
/// The error of `write`; else the first error of any flush. An error met by an
/// early flush is returned even though the last flush may not report it again (a
/// file's write-back error is reported once to the handles it shares); `write`
/// runs on to its end, and the flushes stop.
pub(crate) fn write_synced(
    file: &File,
    write: impl FnOnce(&File) -> io::Result<()>,
) -> io::Result<()> {
    let Ok(early) = file.try_clone() else {
        return write(file).and_then(|()| file.sync_all());
    };
    write_flushed(file, write, EVERY, move || early.sync_data())
}

/// [`write_synced`] with the early flush and how often it runs given.
fn write_flushed(
    file: &File,
    write: impl FnOnce(&File) -> io::Result<()>,
    every: Duration,
    flush: impl Fn() -> io::Result<()> + Send,
) -> io::Result<()> {
    let (written, flushed) = std::thread::scope(|scope| {
        let (done, finished) = mpsc::channel::<()>();
        let flusher = scope.spawn(move || {
            while let Err(RecvTimeoutError::Timeout) = finished.recv_timeout(every) {
                flush()?;
            }
            Ok::<(), io::Error>(())
        });
        let written = write(file);
        // Ends the flusher, after the flush it may be in.
        drop(done);
        let flushed = flusher.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (written, flushed)
    });
    written.and(flushed).and_then(|()| file.sync_all())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read as _, Seek as _, Write as _};
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn what_is_written_is_in_the_file_when_it_returns() {
        let mut file = tempfile::tempfile().unwrap();
        write_synced(&file, |mut f| {
            for i in 0..200u32 {
                f.write_all(format!("line {i}\n").as_bytes())?;
            }
            Ok(())
        })
        .unwrap();
        let mut text = String::new();
        file.rewind().unwrap();
        file.read_to_string(&mut text).unwrap();
        assert_eq!(text.lines().count(), 200);
        assert_eq!(text.lines().last(), Some("line 199"));
    }

    #[test]
    fn the_writes_own_error_is_returned() {
        let file = tempfile::tempfile().unwrap();
        let err = write_synced(&file, |_| Err(io::Error::other("disk full"))).unwrap_err();
        assert_eq!(err.to_string(), "disk full");
    }

    /// A write that runs past the interval is flushed while it runs, and ends
    /// whole.
    #[test]
    fn a_long_write_is_flushed_while_it_runs_and_ends_whole() {
        let mut file = tempfile::tempfile().unwrap();
        let flushes = AtomicUsize::new(0);
        let flush = || {
            flushes.fetch_add(1, Ordering::SeqCst);
            Ok(())
        };
        let started = std::time::Instant::now();
        write_flushed(
            &file,
            |mut f| {
                // Until two flushes have run (or long past when they should have).
                let mut n = 0u64;
                while flushes.load(Ordering::SeqCst) < 2 && started.elapsed().as_secs() < 30 {
                    f.write_all(&n.to_le_bytes())?;
                    n += 1;
                }
                f.write_all(b"end")
            },
            Duration::from_millis(1),
            flush,
        )
        .unwrap();
        assert!(flushes.load(Ordering::SeqCst) >= 2);
        let mut bytes = Vec::new();
        file.rewind().unwrap();
        file.read_to_end(&mut bytes).unwrap();
        assert!(bytes.ends_with(b"end"));
        assert_eq!((bytes.len() - 3) % 8, 0);
    }

    /// An early flush's error is returned though the write went on and the last
    /// flush passed (the system reports a write-back error once); the write's own
    /// error comes first.
    #[test]
    fn an_early_flushs_error_is_returned_and_the_writes_own_comes_first() {
        let file = tempfile::tempfile().unwrap();
        let failed = AtomicUsize::new(0);
        let flush = || {
            failed.fetch_add(1, Ordering::SeqCst);
            Err(io::Error::other("input/output error"))
        };
        let wait_for_the_flush = |_: &File| {
            let started = std::time::Instant::now();
            while failed.load(Ordering::SeqCst) == 0 && started.elapsed().as_secs() < 30 {
                std::thread::yield_now();
            }
            Ok(())
        };
        let every = Duration::from_millis(1);
        let err = write_flushed(&file, wait_for_the_flush, every, flush).unwrap_err();
        assert_eq!(err.to_string(), "input/output error");
        // One failed flush stops the flushing.
        assert_eq!(failed.load(Ordering::SeqCst), 1);
        failed.store(0, Ordering::SeqCst);
        let fails = |_: &File| {
            while failed.load(Ordering::SeqCst) == 0 {
                std::thread::yield_now();
            }
            Err(io::Error::other("disk full"))
        };
        let err = write_flushed(&file, fails, every, flush).unwrap_err();
        assert_eq!(err.to_string(), "disk full");
    }
}
