//! The writer a report's zip (xlsx, docx) is written into, which stops at its first
//! error.
//!
//! zip's `ZipWriter`, dropped unfinished after an error (the disk full, a pipe
//! closed), finishes the archive in its `Drop` and prints to standard error when that
//! fails as well. [`Stopping`] returns the first error, then takes whatever follows
//! and writes none of it: the drop writes nothing and says nothing, and the error
//! reported is the one that happened first.

use std::io::{self, Seek, SeekFrom, Write};

/// A writer that fails once, at the first error of the one it wraps, and after it
/// takes and drops everything.
#[derive(Debug)]
pub(crate) struct Stopping<W> {
    inner: W,
    /// Where the next byte goes, kept once stopped so that seeks still answer.
    at: u64,
    /// The first error, once there was one: its kind and its message.
    stopped: Option<(io::ErrorKind, String)>,
}

impl<W: Write + Seek> Stopping<W> {
    /// `inner`, wrapped; it is at its current position.
    pub(crate) fn new(mut inner: W) -> io::Result<Stopping<W>> {
        let at = inner.stream_position()?;
        Ok(Stopping { inner, at, stopped: None })
    }

    /// The writer, written; or the first error, when there was one.
    pub(crate) fn into_inner(self) -> io::Result<W> {
        match self.stopped {
            Some((kind, message)) => Err(io::Error::new(kind, message)),
            None => Ok(self.inner),
        }
    }

    /// `result` of a call to the wrapped writer, remembered when it is the first
    /// error. An interrupted call is tried again by its caller and stops nothing.
    fn noted<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result
            && e.kind() != io::ErrorKind::Interrupted
        {
            self.stopped = Some((e.kind(), e.to_string()));
        }
        result
    }
}

impl<W: Write + Seek> Write for Stopping<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.stopped.is_some() {
            self.at += buf.len() as u64;
            return Ok(buf.len());
        }
        let written = match self.inner.write(buf) {
            // A writer with no more room says so by writing nothing.
            Ok(0) if !buf.is_empty() => {
                Err(io::Error::new(io::ErrorKind::WriteZero, "no room for more bytes"))
            }
            other => other,
        };
        let n = self.noted(written)?;
        self.at += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.stopped.is_some() {
            return Ok(());
        }
        let flushed = self.inner.flush();
        self.noted(flushed)
    }
}

impl<W: Write + Seek> Seek for Stopping<W> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        if self.stopped.is_some() {
            // Nothing is written any more: any place will do, and one that adds up
            // keeps the writer's own arithmetic from failing.
            self.at = match pos {
                SeekFrom::Start(n) => n,
                SeekFrom::Current(d) | SeekFrom::End(d) => self.at.saturating_add_signed(d),
            };
            return Ok(self.at);
        }
        let sought = self.inner.seek(pos);
        let at = self.noted(sought)?;
        self.at = at;
        Ok(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer with room for `room` bytes, failing as a full disk does after them,
    /// that counts what it is asked to do after failing.
    #[derive(Debug)]
    struct FullDisk {
        bytes: io::Cursor<Vec<u8>>,
        room: u64,
        failed: bool,
        calls_after: usize,
    }

    impl FullDisk {
        fn new(room: u64) -> FullDisk {
            FullDisk { bytes: io::Cursor::new(Vec::new()), room, failed: false, calls_after: 0 }
        }
    }

    impl Write for FullDisk {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.failed {
                self.calls_after += 1;
            }
            if self.bytes.position() + buf.len() as u64 > self.room {
                self.failed = true;
                return Err(io::Error::from(io::ErrorKind::StorageFull));
            }
            self.bytes.write(buf)
        }

        fn flush(&mut self) -> io::Result<()> {
            if self.failed {
                self.calls_after += 1;
            }
            Ok(())
        }
    }

    impl Seek for FullDisk {
        fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
            if self.failed {
                self.calls_after += 1;
            }
            self.bytes.seek(pos)
        }
    }

    #[test]
    fn after_the_first_error_nothing_reaches_the_writer_and_the_error_is_kept() {
        let mut out = Stopping::new(FullDisk::new(4)).unwrap();
        out.write_all(b"abc").unwrap();
        let err = out.write_all(b"defg").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::StorageFull);
        out.write_all(b"more").unwrap();
        out.flush().unwrap();
        assert_eq!(out.seek(SeekFrom::Start(1)).unwrap(), 1);
        assert_eq!(out.seek(SeekFrom::Current(3)).unwrap(), 4);
        assert_eq!(out.inner.calls_after, 0);
        assert_eq!(out.inner.bytes.get_ref(), b"abc");
        assert_eq!(out.into_inner().unwrap_err().kind(), io::ErrorKind::StorageFull);
    }

    #[test]
    fn a_writer_with_no_room_that_writes_nothing_is_an_error() {
        let mut room = [0_u8; 2];
        let mut out = Stopping::new(io::Cursor::new(&mut room[..])).unwrap();
        let err = out.write_all(b"abc").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WriteZero);
        assert!(out.into_inner().is_err());
    }

    fn report_of(plan: &ragplan_core::Plan, run: impl FnOnce(&crate::Report<'_>)) {
        let policy = ragplan_core::Policy::default();
        let as_of = chrono::NaiveDate::from_ymd_opt(2016, 3, 31).unwrap_or_default();
        let ratings = ragplan_core::rate(plan, &policy, as_of);
        run(&crate::Report::build(&ratings, None, &crate::ReportOptions::default()));
    }

    /// Bug: a workbook or Word document whose disk filled while it was written was
    /// finished again by the zip writer's drop, into the full disk, which printed
    /// `ZipWriter::drop: failed to finalize archive` to standard error from the
    /// library. Now nothing reaches the writer after its first error, which is the
    /// one reported.
    #[test]
    fn a_full_disk_while_writing_a_zip_printed_from_the_zip_writers_drop() {
        let plan = ragplan_core::generate::synthetic_plan(400, 5, 3);
        report_of(&plan, |report| {
            let whole = crate::xlsx::write_xlsx(report).unwrap().len() as u64;
            for room in [0, 100, 5_000, whole / 2, whole - 1] {
                let mut disk = FullDisk::new(room);
                let err = crate::xlsx::write_xlsx_to(report, &mut disk).unwrap_err().to_string();
                assert!(err.starts_with("writing the spreadsheet: "), "{err}");
                assert!(err.contains("no storage space"), "{err}");
                assert!(disk.failed, "{room}");
                assert_eq!(disk.calls_after, 0, "xlsx with room for {room} of {whole} bytes");
            }
            let whole = crate::docx::write_docx(report).unwrap().len() as u64;
            for room in [0, 100, whole / 2, whole - 1] {
                let mut disk = FullDisk::new(room);
                let err = crate::docx::write_docx_to(report, &mut disk).unwrap_err().to_string();
                assert!(err.contains("no storage space"), "{err}");
                assert_eq!(disk.calls_after, 0, "docx with room for {room} of {whole} bytes");
            }
        });
    }

    #[test]
    fn without_an_error_the_writer_is_given_back_written() {
        let mut out = Stopping::new(io::Cursor::new(Vec::new())).unwrap();
        out.write_all(b"abc").unwrap();
        out.seek(SeekFrom::Start(1)).unwrap();
        out.write_all(b"X").unwrap();
        assert_eq!(out.into_inner().unwrap().into_inner(), b"aXc");
    }
}
