//! Large output made on two threads and written in order: a plan document of a
//! million actions, a tree of its every node. Each block is made into a buffer by
//! one of two threads, taking turns, and handed to the writer in its turn; the
//! writer gives each buffer back to be made again, so that no block's room is
//! asked of the system twice.

use std::sync::mpsc;

/// A buffer a block is made into: emptied before it is made again.
pub trait Buffer: Default + Send {
    /// Empties the buffer, keeping its room.
    fn clear(&mut self);
}

impl Buffer for String {
    fn clear(&mut self) {
        String::clear(self);
    }
}

impl Buffer for Vec<u8> {
    fn clear(&mut self) {
        Vec::clear(self);
    }
}

/// Whether the machine has two cores or more, so that work split between two threads
/// runs side by side rather than taking turns: every such split in ragplan asks this.
pub fn two_cores() -> bool {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get) >= 2
}

/// Makes blocks `0..n` with `make(block, buffer)` on two threads (block 0, 2, 4…
/// on one, 1, 3, 5… on the other, a few ahead of the writer at most) and hands each
/// to `write` in order; on a machine of one core, one block after another on this
/// thread. The first error, from either, stops both and is returned.
///
/// # Errors
/// The first error of `make` or `write`.
///
/// # Panics
/// When `make` panics.
pub fn make_in_order<B: Buffer, E: Send>(
    n: usize,
    make: impl Fn(usize, &mut B) -> Result<(), E> + Sync,
    mut write: impl FnMut(&B) -> Result<(), E>,
) -> Result<(), E> {
    if !two_cores() {
        // One core: a second thread would only take turns with this one.
        let mut buffer = B::default();
        for block in 0..n {
            buffer.clear();
            make(block, &mut buffer)?;
            write(&buffer)?;
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        let make = &make;
        let mut lanes = Vec::with_capacity(2);
        for first in 0..2 {
            let (send_made, made) = mpsc::sync_channel::<Result<B, E>>(2);
            let (give_back, given_back) = mpsc::channel::<B>();
            lanes.push((made, give_back));
            scope.spawn(move || {
                for block in (first..n).step_by(2) {
                    let mut buffer = given_back.try_recv().unwrap_or_default();
                    buffer.clear();
                    let result = make(block, &mut buffer).map(|()| buffer);
                    let failed = result.is_err();
                    // A failed send: the writer has stopped.
                    if send_made.send(result).is_err() || failed {
                        break;
                    }
                }
            });
        }
        for block in 0..n {
            let (made, give_back) = &lanes[block % 2];
            // Nothing to receive: the thread panicked, which the scope passes on.
            let Ok(result) = made.recv() else { break };
            let buffer = result?;
            write(&buffer)?;
            // The thread may be done with its blocks.
            let _ = give_back.send(buffer);
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_written_in_order() {
        let mut written = String::new();
        let made = make_in_order(
            101,
            |b, text: &mut String| {
                text.push_str(&format!("{b},"));
                Ok::<(), ()>(())
            },
            |text| {
                written.push_str(text);
                Ok(())
            },
        );
        assert_eq!(made, Ok(()));
        let expected: String = (0..101).map(|b| format!("{b},")).collect();
        assert_eq!(written, expected);
    }

    #[test]
    fn the_first_error_of_either_side_stops_both() {
        let made = make_in_order(
            1_000,
            |b, text: &mut Vec<u8>| {
                text.push(1);
                if b == 7 { Err(b) } else { Ok(()) }
            },
            |_| Ok(()),
        );
        assert_eq!(made, Err(7));
        let mut n_written = 0;
        let written = make_in_order(
            1_000,
            |_, text: &mut Vec<u8>| {
                text.push(1);
                Ok(())
            },
            |_| {
                n_written += 1;
                if n_written == 5 { Err(n_written) } else { Ok(()) }
            },
        );
        assert_eq!(written, Err(5));
    }
}
