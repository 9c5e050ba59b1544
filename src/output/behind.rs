//! Output written behind its making: the bytes a command makes are handed, a block at
//! a time, to a thread that writes them, so that the system's copying of a
//! document of gigabytes into a file or pipe goes on while the next block is made,
//! not between blocks.

use std::io::{self, Write};
use std::sync::mpsc;

/// How many bytes are made before they are handed to the writing thread.
const BLOCK: usize = 1 << 20;

/// How many made blocks may wait for the writing thread.
const WAITING: usize = 2;

/// Runs `write` with a writer whose bytes `inner` is given on a thread of its own,
/// a block at a time, in order; then flushes `inner` and gives it back.
///
/// # Errors
/// The first error of `write` itself; else the first error of writing into `inner`
/// (when `inner` fails, `write` is stopped at its next block, with an error that
/// gives way to `inner`'s).
///
/// # Panics
/// When the writing thread panics.
pub(crate) fn write_behind<W: Write + Send>(
    mut inner: W,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<W> {
    std::thread::scope(|scope| {
        let (send, blocks) = mpsc::sync_channel::<Vec<u8>>(WAITING);
        let (give_back, spare) = mpsc::channel::<Vec<u8>>();
        let writer = scope.spawn(move || {
            for mut block in blocks {
                inner.write_all(&block)?;
                block.clear();
                // The maker may be done.
                let _ = give_back.send(block);
            }
            inner.flush()?;
            Ok::<W, io::Error>(inner)
        });
        let mut behind = Behind { block: Vec::with_capacity(BLOCK), send, spare, stopped: false };
        let made = write(&mut behind).and_then(|()| behind.pass());
        let stopped = behind.stopped;
        // Closes the channel: the writing thread ends once it has written the rest.
        drop(behind);
        let written = writer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        match (made, written) {
            // `write` failed on its own, whatever the writing then met.
            (Err(e), _) if !stopped => Err(e),
            // The writing's error is why a block could not be handed over.
            (_, Err(e)) | (Err(e), Ok(_)) => Err(e),
            (Ok(()), Ok(inner)) => Ok(inner),
        }
    })
}

/// The writer [`write_behind`] gives: a block being made, and the way to the
/// writing thread.
struct Behind {
    block: Vec<u8>,
    send: mpsc::SyncSender<Vec<u8>>,
    spare: mpsc::Receiver<Vec<u8>>,
    /// Whether a block could not be handed over: the writing stopped.
    stopped: bool,
}

impl Behind {
    /// Hands the block made so far to the writing thread, when it holds anything.
    fn pass(&mut self) -> io::Result<()> {
        if self.block.is_empty() {
            return Ok(());
        }
        let next = self.spare.try_recv().unwrap_or_else(|_| Vec::with_capacity(BLOCK));
        let made = std::mem::replace(&mut self.block, next);
        self.send.send(made).map_err(|_| {
            self.stopped = true;
            io::Error::new(io::ErrorKind::BrokenPipe, "the output stopped")
        })
    }
}

impl Write for Behind {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.block.len() + bytes.len() > BLOCK {
            self.pass()?;
        }
        self.block.extend_from_slice(bytes);
        if self.block.len() >= BLOCK {
            self.pass()?;
        }
        Ok(bytes.len())
    }

    /// Hands on what is made so far, without waiting for it to be written.
    fn flush(&mut self) -> io::Result<()> {
        self.pass()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Takes bytes as they are written, failing once it holds `fail_after`.
    #[derive(Debug)]
    struct Sink {
        bytes: Vec<u8>,
        fail_after: usize,
        flushed: bool,
    }

    impl Write for Sink {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            if self.bytes.len() >= self.fail_after {
                return Err(io::Error::other("disk full"));
            }
            self.bytes.extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            self.flushed = true;
            Ok(())
        }
    }

    fn sink_of(fail_after: usize) -> Sink {
        Sink { bytes: Vec::new(), fail_after, flushed: false }
    }

    #[test]
    fn every_byte_arrives_in_order_and_the_writer_is_flushed() {
        let mut want = Vec::new();
        let sink = write_behind(sink_of(usize::MAX), |out| {
            for i in 0..200_000u32 {
                // Writes small and large, some longer than a block.
                let piece = if i % 50_000 == 7 {
                    vec![b'x'; 3 * BLOCK]
                } else {
                    i.to_string().into_bytes()
                };
                out.write_all(&piece)?;
                want.extend_from_slice(&piece);
                if i % 1_000 == 0 {
                    out.flush()?;
                }
            }
            Ok(())
        })
        .unwrap();
        assert!(sink.flushed);
        assert_eq!(sink.bytes.len(), want.len());
        assert!(sink.bytes == want);
    }

    #[test]
    fn nothing_written_is_nothing_and_an_error_of_the_maker_is_returned() {
        let sink = write_behind(sink_of(usize::MAX), |_| Ok(())).unwrap();
        assert!(sink.bytes.is_empty());
        let err = write_behind(sink_of(usize::MAX), |out| {
            out.write_all(b"half")?;
            Err(io::Error::other("bad value"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "bad value");
    }

    /// `write`'s own error is returned even when the writing then fails too.
    #[test]
    fn the_makers_own_error_is_returned_before_the_writers() {
        // One block handed over, which the writing fails on.
        let err = write_behind(sink_of(0), |out| {
            out.write_all(&vec![b'a'; BLOCK])?;
            Err(io::Error::other("bad value"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "bad value");
    }

    /// A full disk stops the making at its next block and is the error returned.
    #[test]
    fn the_writers_error_stops_the_maker_and_is_returned() {
        let mut made = 0usize;
        let err = write_behind(sink_of(BLOCK), |out| {
            for _ in 0..1_000 {
                out.write_all(&[b'a'; 64 << 10])?;
                made += 64 << 10;
            }
            Ok(())
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert!(made < 1_000 * (64 << 10), "{made}");
    }
}
