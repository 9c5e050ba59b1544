//! A file written and flushed to disk as it is written: a second thread asks the
//! system to put what is written so far on the disk every [`EVERY`], so that the
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
/// on the file, [`EVERY`] so often.
///
/// # Errors
/// The error of `write`; else the first error of any flush. An error met by an
/// early flush is returned even though the last flush may not report it again (a
/// file's write-back error is reported once to the handles it shares).
pub(crate) fn write_synced(
    file: &File,
    write: impl FnOnce(&File) -> io::Result<()>,
) -> io::Result<()> {
    let Ok(early) = file.try_clone() else {
        return write(file).and_then(|()| file.sync_all());
    };
    let (written, flushed) = std::thread::scope(|scope| {
        let (done, finished) = mpsc::channel::<()>();
        let flusher = scope.spawn(move || {
            while let Err(RecvTimeoutError::Timeout) = finished.recv_timeout(EVERY) {
                early.sync_data()?;
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

    /// A write that outlasts [`EVERY`] is flushed while it runs, from the second
    /// handle, and still ends whole.
    #[test]
    fn a_long_write_is_flushed_while_it_runs_and_ends_whole() {
        let mut file = tempfile::tempfile().unwrap();
        let started = std::time::Instant::now();
        write_synced(&file, |mut f| {
            let mut n = 0u64;
            while started.elapsed() < EVERY * 3 {
                f.write_all(&n.to_le_bytes())?;
                n += 1;
            }
            f.write_all(b"end")
        })
        .unwrap();
        let mut bytes = Vec::new();
        file.rewind().unwrap();
        file.read_to_end(&mut bytes).unwrap();
        assert!(bytes.ends_with(b"end"));
        assert_eq!((bytes.len() - 3) % 8, 0);
    }
}
