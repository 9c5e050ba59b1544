//! Writing what the command produces: plan files replaced atomically (and locked
//! while a command changes them), coloured
//! terminal output that honours `NO_COLOR`, and the as-of date (the binary is the one
//! place in ragplan that reads the clock).

mod behind;
mod synced;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use chrono::{Datelike as _, NaiveDate};
use clap::builder::styling::{AnsiColor, Style};
use ragplan_core::Rating;

/// Lets a large value go without freeing it, once its output is written: the process
/// is about to exit and the operating system takes its memory back at once, where
/// freeing a million actions one allocation at a time takes a second or more. Only
/// the binary does this; the library frees what it makes.
pub fn exit_without_freeing<T>(value: T) {
    std::mem::forget(value);
}

/// Writes `bytes` to `path` so that `path` always holds either its old content or
/// the whole new content, never a part: the bytes go to a temporary file in the same
/// directory, are flushed to disk, and the file is then renamed over `path`.
///
/// A symbolic link is written through: its target is replaced and the link kept. A
/// path that is not a regular file (a device such as `/dev/null`, a FIFO) is written
/// into, never replaced. Temporary files that an earlier, killed write left beside
/// `path` are removed first.
///
/// # Errors
/// When the directory cannot be written or the rename fails; the message names the
/// file. A failed rename leaves `path` as it was and no temporary file behind.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    match target_of(path)? {
        Target::File(target) => replace(&target, |mut file| file.write_all(bytes)),
        Target::Other(target) => write_into(path, &target, |mut out| out.write_all(bytes)),
    }
}

/// [`write_atomic`] of what `write` writes, streamed into the temporary file rather
/// than held whole first: a second thread writes each block while the next is made.
///
/// # Errors
/// As [`write_atomic`], and when `write` fails.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    match target_of(path)? {
        Target::File(target) => {
            replace(&target, |file| behind::write_behind(file, write).map(drop))
        }
        Target::Other(target) => {
            write_into(path, &target, |out| behind::write_behind(out, write).map(drop))
        }
    }
}

/// A writer that can also seek, such as the temporary file of
/// [`write_atomic_seekable`].
pub trait WriteSeek: Write + std::io::Seek {}

impl<T: Write + std::io::Seek + ?Sized> WriteSeek for T {}

/// [`write_atomic_with`] for a writer that seeks as it writes (a workbook's zip):
/// into the temporary file as it is made; into a path that is not a regular file (a
/// device, a FIFO), made whole in memory first, as those cannot seek.
///
/// # Errors
/// As [`write_atomic_with`].
pub fn write_atomic_seekable(
    path: &Path,
    write: impl FnOnce(&mut dyn WriteSeek) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    match target_of(path)? {
        Target::File(target) => replace(&target, |file| {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            write(&mut out).and_then(|()| out.flush())
        }),
        Target::Other(target) => {
            let mut made = made_seekable(write)
                .with_context(|| format!("{}: cannot write", path.display()))?;
            write_into(path, &target, |mut out| std::io::copy(&mut made, &mut out).map(drop))
        }
    }
}

/// What `write` makes, seeking as it writes, to be read back from its start: made in
/// an unnamed temporary file, so that a zip of hundreds of megabytes for a device,
/// a FIFO or standard output is not held in memory; in memory when no temporary
/// file can be made.
fn made_seekable(
    write: impl FnOnce(&mut dyn WriteSeek) -> std::io::Result<()>,
) -> std::io::Result<Box<dyn std::io::Read>> {
    use std::io::Seek as _;
    let Ok(file) = tempfile::tempfile() else {
        let mut made = std::io::Cursor::new(Vec::new());
        write(&mut made)?;
        made.rewind()?;
        return Ok(Box::new(made));
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    write(&mut out)?;
    let mut file = out.into_inner().map_err(std::io::IntoInnerError::into_error)?;
    file.rewind()?;
    Ok(Box::new(file))
}

/// [`write_atomic_seekable`] to standard output, which cannot seek: made first
/// ([`made_seekable`]), then copied out.
///
/// # Errors
/// When `write` fails, or standard output cannot be written (a closed pipe is not
/// an error).
pub fn write_seekable_stdout(
    write: impl FnOnce(&mut dyn WriteSeek) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let mut made = made_seekable(write)?;
    let mut out = std::io::stdout().lock();
    closed_pipe_is_no_error(std::io::copy(&mut made, &mut out).and_then(|_| out.flush()))
}

/// Where a write to a path goes, its symbolic links followed.
enum Target {
    /// A regular file, or none yet: replaced.
    File(PathBuf),
    /// Something else that can be opened for writing (a device, a FIFO): written into.
    Other(PathBuf),
}

/// Where a write to `path` goes; an error for a directory or a loop of links.
fn target_of(path: &Path) -> anyhow::Result<Target> {
    // What the system opens at `path`, its links followed by the system itself: a
    // link it alone can follow (`/dev/stdout` into a pipe names `pipe:[…]`, which is
    // no path) is written into as it is.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return Ok(Target::Other(path.to_path_buf()));
    }
    let target = link_target(path);
    if std::fs::symlink_metadata(&target).is_ok_and(|m| m.file_type().is_symlink()) {
        anyhow::bail!("{}: cannot write: too many levels of symbolic links", path.display());
    }
    match std::fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => {
            anyhow::bail!("{}: cannot write: it is a directory", path.display())
        }
        Ok(meta) if !meta.is_file() => Ok(Target::Other(target)),
        _ => Ok(Target::File(target)),
    }
}

/// Writes into `target` (what `path` names), which is not a regular file. A pipe
/// closed by its reader (`-o /dev/stdout | head`) ends the writing without an error,
/// as standard output's does.
fn write_into(
    path: &Path,
    target: &Path,
    write: impl FnOnce(std::fs::File) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    match std::fs::OpenOptions::new().write(true).open(target).and_then(write) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        written => written.with_context(|| format!("{}: cannot write", path.display())),
    }
}

/// Replaces the regular file `target` with what `write` writes into the file, in
/// its two steps.
fn replace(
    target: &Path,
    write: impl FnOnce(&std::fs::File) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    remove_left_temporaries(target);
    stage(target, write)?.commit()
}

/// The file a path names once symbolic links are followed (at most 40, as the
/// system follows them), even when the last target does not exist yet.
fn link_target(path: &Path) -> PathBuf {
    let mut target = path.to_path_buf();
    for _ in 0..40 {
        let is_link = std::fs::symlink_metadata(&target).is_ok_and(|m| m.file_type().is_symlink());
        let Some(next) = is_link.then(|| std::fs::read_link(&target).ok()).flatten() else {
            break;
        };
        target = match target.parent() {
            Some(dir) if next.is_relative() => dir.join(next),
            _ => next,
        };
    }
    target
}

/// Removes the temporary files of writes to `path` that were killed before their
/// rename (`.plan.json.XXXXXX.tmp`). A write in progress holds a lock on its own
/// temporary file, and a file younger than a few seconds may be one whose lock is
/// not yet taken: both are left alone.
fn remove_left_temporaries(path: &Path) {
    let (Some(name), dir) = (path.file_name(), temp_dir(path)) else { return };
    let prefix = format!(".{}.", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        // `.plan.json.` + the six random letters and digits of a temporary file +
        // `.tmp`: no other file's temporaries, and no file of the user's.
        let random = file_name.strip_prefix(&prefix).and_then(|rest| rest.strip_suffix(".tmp"));
        if !random.is_some_and(|r| r.len() == 6 && r.bytes().all(|b| b.is_ascii_alphanumeric())) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > LEFT_TEMPORARY_AGE);
        let unlocked = std::fs::File::open(entry.path()).is_ok_and(|f| f.try_lock().is_ok());
        if old && unlocked {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// How old a temporary file must be before [`remove_left_temporaries`] takes it for
/// one left behind.
const LEFT_TEMPORARY_AGE: Duration = Duration::from_secs(5);

/// The directory a write to `path` stages its temporary file in: `path`'s own.
fn temp_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// New content written whole beside the file it replaces, not yet renamed over it:
/// what a crash between the two steps of [`write_atomic`] leaves.
struct Staged<'p> {
    path: &'p Path,
    temp: tempfile::NamedTempFile,
}

/// The first step of [`write_atomic`]: `bytes` written and flushed to a temporary
/// file in `path`'s directory, with the permissions of the file it will replace. The
/// temporary file is locked while it is written, so that another write to `path`
/// does not take it for one left behind.
fn stage<'p>(
    path: &'p Path,
    write: impl FnOnce(&std::fs::File) -> std::io::Result<()>,
) -> anyhow::Result<Staged<'p>> {
    let dir = temp_dir(path);
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{file_name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("{}: cannot create a temporary file", dir.display()))?;
    let _ = temp.as_file().lock();
    // Keep the permissions of the file being replaced (a new temporary file is
    // readable by its owner only).
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => {
            let _ = temp.as_file().set_permissions(meta.permissions());
        }
        _ => readable_by_all(temp.as_file()),
    }
    // Named by the file the user gave: the temporary one is removed with the error.
    synced::write_synced(temp.as_file(), write)
        .with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(Staged { path, temp })
}

impl Staged<'_> {
    /// The second step of [`write_atomic`]: the temporary file renamed over the
    /// target, and the rename flushed to disk with its directory. When the rename
    /// fails the temporary file is removed.
    fn commit(self) -> anyhow::Result<()> {
        self.temp
            .persist(self.path)
            .map_err(|e| e.error)
            .with_context(|| format!("{}: cannot write", self.path.display()))?;
        sync_dir(temp_dir(self.path));
        Ok(())
    }
}

/// Flushes a directory's entries to disk, so that a file just renamed into it is
/// there after a power cut, not the file it replaced. The new file is already in
/// place, whole and synced, when this runs, and every error is let go: a file system
/// that cannot flush a directory (or fails to) leaves the rename as durable as it
/// makes it, and saying the write failed would be untrue of what is on the disk.
#[cfg(unix)]
fn sync_dir(dir: &Path) {
    let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
}

/// Elsewhere a directory is not opened as a file; the rename is as durable as the
/// system makes it.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) {}

/// Refuses an output file that is one of the command's inputs: writing it would
/// destroy what is being read. An output that does not exist yet is none of them.
///
/// # Errors
/// Naming both the output and the input it is.
pub fn refuse_overwriting_inputs(output: Option<&Path>, inputs: &[&Path]) -> anyhow::Result<()> {
    let Some(output) = output.filter(|p| p.as_os_str() != "-") else { return Ok(()) };
    for input in inputs {
        if same_path(input, output) {
            anyhow::bail!(
                "{}: the output is the input {}; writing it would destroy what is read \
                 (name another file)",
                output.display(),
                input.display()
            );
        }
    }
    Ok(())
}

/// An advisory lock on a plan file that a command reads, changes and writes back
/// (`update`, `override`), held until it is dropped: two such commands on one file
/// run one after the other, so neither loses the other's change.
pub struct PlanLock {
    _file: std::fs::File,
}

/// How long [`lock_plan`] waits for another command to finish with the plan.
const LOCK_WAIT: Duration = Duration::from_secs(60);

/// Takes the [`PlanLock`] of `path`, waiting up to a minute for another ragplan
/// command writing the same plan. The lock is on the file the path names when it is
/// taken; a writer that replaced the file meanwhile is seen, and the new file locked.
///
/// # Errors
/// When the plan cannot be opened, or another command holds it for over a minute.
pub fn lock_plan(path: &Path) -> anyhow::Result<PlanLock> {
    let target = link_target(path);
    let started = std::time::Instant::now();
    loop {
        let file = std::fs::File::open(&target)
            .with_context(|| format!("{}: cannot open the plan", path.display()))?;
        match file.try_lock() {
            Ok(()) if same_file(&file, &target) => return Ok(PlanLock { _file: file }),
            // Replaced since it was opened (or a file system that cannot tell): try
            // the file that is there now, within the same wait.
            Ok(()) | Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_WAIT => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Ok(()) | Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
                "{}: another ragplan command has been writing this plan for over a minute; \
                 nothing was changed (try again when it has finished)",
                path.display()
            ),
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("{}: cannot lock the plan", path.display()));
            }
        }
    }
}

/// Whether the open `file` is still the file at `path`.
#[cfg(unix)]
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Elsewhere a file renamed over another cannot be told apart by its metadata here;
/// the lock alone serialises writers.
#[cfg(not(unix))]
fn same_file(_file: &std::fs::File, _path: &Path) -> bool {
    true
}

/// Whether two existing paths name one file: its device and inode, so a hard link
/// or another spelling of the path is the same file.
#[cfg(unix)]
fn same_path(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Elsewhere, by their canonical paths.
#[cfg(not(unix))]
fn same_path(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Makes a new file readable by everyone and writable by its owner, as files
/// written by other tools are (a temporary file starts readable by its owner only).
#[cfg(unix)]
fn readable_by_all(file: &std::fs::File) {
    use std::os::unix::fs::PermissionsExt as _;
    let _ = file.set_permissions(std::fs::Permissions::from_mode(0o644));
}

/// Elsewhere a new file keeps the permissions it was created with.
#[cfg(not(unix))]
fn readable_by_all(_file: &std::fs::File) {}

/// Writes `text` to `path` atomically, or to standard output when `path` is `None` or
/// `-`. The text is data (a plan, a table, a document) and is written as it is.
///
/// # Errors
/// As [`write_atomic`], or when standard output is closed.
pub fn write_to(path: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match path {
        Some(p) if p.as_os_str() != "-" => write_atomic(p, text.as_bytes()),
        _ => print_data(text),
    }
}

/// Writes `plan` as its canonical `ragplan/2` document ([`Plan::to_json`]'s bytes) to
/// `path`, atomically, or to standard output when `path` is absent or `-`, streamed
/// rather than held whole: a million-action plan's document is 670 MB.
///
/// [`Plan::to_json`]: ragplan_core::Plan::to_json
///
/// # Errors
/// As [`write_atomic`] and [`write_data`].
pub fn write_plan(path: Option<&Path>, plan: &ragplan_core::Plan) -> anyhow::Result<()> {
    match path {
        Some(p) if p.as_os_str() != "-" => write_atomic_with(p, |out| plan.write_json(out)),
        _ => write_data(|out| plan.write_json(out)),
    }
}

/// Writes `text` to `out`; a closed pipe (`ragplan status … | head`) is not an error.
fn write_out(out: impl Write, text: &str) -> anyhow::Result<()> {
    closed_pipe_is_no_error(write_all(out, text))
}

fn write_all(mut out: impl Write, text: &str) -> std::io::Result<()> {
    out.write_all(text.as_bytes()).and_then(|()| out.flush())
}

fn closed_pipe_is_no_error(written: std::io::Result<()>) -> anyhow::Result<()> {
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write to standard output")
        }
        _ => Ok(()),
    }
}

/// Prints text meant for a reader to standard output, stripping colour codes when
/// `NO_COLOR` is set, when standard output is not a terminal, or when the terminal has
/// no colour (`CLICOLOR_FORCE` forces colour).
///
/// # Errors
/// When standard output cannot be written (a closed pipe is not an error).
pub fn print_stdout(text: &str) -> anyhow::Result<()> {
    closed_pipe_is_no_error(print_text(text))
}

/// [`print_stdout`], with a closed pipe the error it is.
fn print_text(text: &str) -> std::io::Result<()> {
    if !colour() && !has_control(text, true) {
        // Nothing the colour filter would take out (escape sequences, the other
        // control characters): it would read every byte for nothing, which shows in
        // a tree of hundreds of megabytes.
        return write_all(std::io::stdout().lock(), text);
    }
    write_all(anstream::stdout().lock(), text)
}

/// Text for a reader written to standard output as it is made, a piece of whole
/// lines at a time, each piece as [`print_stdout`] prints text: so that a tree of
/// hundreds of megabytes is never held whole. Whether colour codes are stripped is
/// decided piece by piece, which gives the bytes deciding it once for the whole text
/// gives (a piece ends at a line end, and no colour code holds one). A closed pipe
/// ends the printing without an error, and the writer is told so (`write_str` fails
/// from then on) so that it can stop; another failure is kept for
/// [`TextOut::finish`].
#[derive(Debug, Default)]
pub struct TextOut {
    pending: String,
    failed: Option<anyhow::Error>,
    closed: bool,
}

impl TextOut {
    /// Below this many bytes, text waits for more.
    const PIECE: usize = 1 << 16;

    /// Nothing written yet.
    pub fn new() -> TextOut {
        TextOut::default()
    }

    /// Prints what is pending up to its last line end.
    fn print_lines(&mut self) {
        let Some(end) = self.pending.rfind('\n') else { return };
        self.print(end + 1);
    }

    /// Prints the first `len` bytes of what is pending.
    fn print(&mut self, len: usize) {
        let pending = std::mem::take(&mut self.pending);
        self.emit(&pending[..len]);
        self.pending = pending;
        self.pending.drain(..len);
    }

    /// Prints `text`, unless printing has stopped; a failure stops it.
    fn emit(&mut self, text: &str) {
        if !self.closed && self.failed.is_none() {
            match print_text(text) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => self.closed = true,
                Err(e) => self.failed = closed_pipe_is_no_error(Err(e)).err(),
            }
        }
    }

    /// Prints the rest.
    ///
    /// # Errors
    /// When standard output could not be written (a closed pipe is not an error).
    pub fn finish(mut self) -> anyhow::Result<()> {
        self.print(self.pending.len());
        self.failed.map_or(Ok(()), Err)
    }
}

impl std::fmt::Write for TextOut {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        if self.closed || self.failed.is_some() {
            return Err(std::fmt::Error);
        }
        if self.pending.is_empty() && text.len() >= Self::PIECE && text.ends_with('\n') {
            // A piece of whole lines already: printed without a copy.
            self.emit(text);
            return Ok(());
        }
        self.pending.push_str(text);
        if self.pending.len() >= Self::PIECE {
            self.print_lines();
        }
        Ok(())
    }
}

/// Bytes written into a [`TextOut`] (or any text) as text, whole characters at a time: a
/// character whose bytes are split between two writes waits for the rest, and bytes
/// that are not UTF-8 are printed as `�`, as `String::from_utf8_lossy` reads them.
/// A report's text formats are printed to standard output through it, made as they
/// are printed rather than held whole.
pub struct TextBytes<W> {
    out: W,
    /// The first bytes of a character whose rest is to come.
    partial: Vec<u8>,
    /// Whether the printing stopped (a closed pipe, a failed write).
    refused: bool,
}

impl<W: std::fmt::Write> TextBytes<W> {
    /// Writes into `out`.
    pub fn new(out: W) -> TextBytes<W> {
        TextBytes { out, partial: Vec::new(), refused: false }
    }

    /// Whether the printing stopped: an error of what wrote into this writer is then
    /// the consequence, and [`TextOut::finish`] says what happened.
    pub fn refused(&self) -> bool {
        self.refused
    }

    /// Ends the text: the bytes of a character never finished are printed as `�`
    /// (unless the printing has stopped, which [`TextOut::finish`] reports).
    pub fn end(mut self) {
        if !self.partial.is_empty() {
            let _ = self.push("\u{FFFD}");
        }
    }

    fn push(&mut self, text: &str) -> std::io::Result<()> {
        self.out.write_str(text).map_err(|_| {
            self.refused = true;
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "standard output stopped")
        })
    }
}

impl<W: std::fmt::Write> Write for TextBytes<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let joined;
        let mut rest = if self.partial.is_empty() {
            bytes
        } else {
            self.partial.extend_from_slice(bytes);
            joined = std::mem::take(&mut self.partial);
            &joined[..]
        };
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    self.push(text)?;
                    break;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    self.push(std::str::from_utf8(valid).unwrap_or_default())?;
                    match e.error_len() {
                        None => {
                            self.partial = after.to_vec();
                            break;
                        }
                        Some(len) => {
                            self.push("\u{FFFD}")?;
                            rest = &after[len..];
                        }
                    }
                }
            }
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Whether standard output shows colour: anstream's choice for it (`NO_COLOR`,
/// `CLICOLOR_FORCE`, a terminal that has colour), read once.
fn colour() -> bool {
    static COLOUR: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *COLOUR.get_or_init(|| {
        anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
    })
}

/// Prints data (JSON, CSV) to standard output exactly as given: it holds no colour
/// codes, so it skips the colour filter of [`print_stdout`], which matters for
/// documents of hundreds of megabytes.
///
/// # Errors
/// When standard output cannot be written (a closed pipe is not an error).
pub fn print_data(text: &str) -> anyhow::Result<()> {
    write_out(std::io::stdout().lock(), text)
}

/// Streams data (JSON, CSV) to standard output as `write` makes it, so that a
/// document of hundreds of megabytes is never held whole; a second thread writes
/// each block while the next is made.
///
/// # Errors
/// When standard output cannot be written (a closed pipe is not an error).
pub fn write_data(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> anyhow::Result<()> {
    match behind::write_behind(std::io::stdout(), write).map(drop) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write to standard output")
        }
        _ => Ok(()),
    }
}

/// Streams `value` to standard output as JSON in `style`, with a final newline.
///
/// # Errors
/// When standard output cannot be written (a closed pipe is not an error).
pub fn write_json(
    value: &impl serde::Serialize,
    style: ragplan_core::document::JsonStyle,
) -> anyhow::Result<()> {
    write_data(|out| ragplan_core::document::write_json(value, out, style))
}

/// `text` from a plan, safe to print on a terminal: control characters (escape
/// sequences that could retitle the window or clear the screen, line breaks, tabs)
/// are each shown as `�`, so that a plan's text never drives the terminal.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if has_control(text, false) {
        text.chars().map(|c| if c.is_control() { '\u{FFFD}' } else { c }).collect::<String>().into()
    } else {
        text.into()
    }
}

/// Whether `text` holds a control character, other than tabs, line ends and form
/// feeds when `layout` is set: C0, DEL or C1 (U+0080 to U+009F, which UTF-8 writes as
/// 0xC2 and a byte from 0x80 to 0x9F), the same as [`char::is_control`], found from
/// the bytes without decoding them.
fn has_control(text: &str, layout: bool) -> bool {
    const CHUNK: usize = 64;
    let bytes = text.as_bytes();
    let kept = |b: u8| layout && matches!(b, b'\t' | b'\n' | 0x0c | b'\r');
    let c0 = |b: u8| (b < 0x20 || b == 0x7f) && !kept(b);
    let control = |i: usize, b: u8| {
        c0(b) || (b == 0xc2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    };
    // A chunk is read byte by byte only when a whole-chunk test, which the compiler
    // turns into vector instructions, finds a byte that may start one: the text of a
    // tree is hundreds of megabytes.
    bytes.chunks(CHUNK).enumerate().any(|(n, chunk)| {
        chunk.iter().fold(false, |any, &b| any | c0(b) | (b == 0xc2))
            && chunk.iter().enumerate().any(|(i, &b)| control(n * CHUNK + i, b))
    })
}

/// Prints one line to standard error (diagnostics, notes), colour stripped as for
/// [`print_stdout`].
pub fn print_stderr(line: &str) {
    let mut err = anstream::stderr().lock();
    // Nothing useful can be done when standard error is closed.
    let _ = writeln!(err, "{line}");
}

/// Today's date in the local time zone: the default `--as-of`.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The as-of date to use: the one given, or today.
pub fn as_of_or_today(given: Option<NaiveDate>) -> NaiveDate {
    given.unwrap_or_else(today)
}

/// A date in a date flag (`--as-of`, `--on`, `--reported-on`…): ISO or UK day-first,
/// as [`Timescale::day`](ragplan_core::Timescale::day) reads it; never month-first.
///
/// # Errors
/// A message quoting the text, for clap to report.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    use ragplan_core::Timescale;
    Timescale::day(text).ok_or_else(|| {
        let trimmed = text.trim();
        let a_day = ["%Y-%m-%d", "%d/%m/%Y"]
            .iter()
            .find_map(|f| NaiveDate::parse_from_str(trimmed, f).ok());
        match a_day {
            Some(day) if !Timescale::YEARS.contains(&day.year()) => format!(
                "{text:?} is outside the years ragplan reads dates in, {} to {}",
                Timescale::YEARS.start(),
                Timescale::YEARS.end()
            ),
            _ => format!(
                "{text:?} is not a date (expected a day such as 2015-06-30, 30/06/2015 or \
                 30 June 2015; day first, never month first)"
            ),
        }
    })
}

/// A rating as the terminal shows it: the shape and upper-case word of
/// [`ragplan_report::chip()`] (the one table of shapes and words), in bold and the
/// rating's colour. The colour codes are stripped on output when colour is off, so the
/// shape and word always remain.
pub fn chip(rating: Rating) -> String {
    let (shape, word) = ragplan_report::chip(rating);
    let colour = match rating {
        Rating::Red => AnsiColor::Red,
        Rating::AmberRed | Rating::Amber => AnsiColor::Yellow,
        Rating::AmberGreen | Rating::Green => AnsiColor::Green,
        Rating::Complete => AnsiColor::Blue,
        Rating::NotRated => AnsiColor::BrightBlack,
    };
    if !self::colour() {
        // The codes would only be stripped again on output.
        return format!("{shape} {word}");
    }
    let style = Style::new().bold().fg_color(Some(colour.into()));
    format!("{style}{shape} {word}{style:#}")
}

/// Width of the widest chip (`◐ AMBER/GREEN`) and the space after it, so that what
/// follows lines up and never touches a chip.
const CHIP_WIDTH: usize = 14;

/// [`chip`] padded with spaces to the width of the widest chip and a space; made once
/// per rating, as a tree of a million lines writes one on every line.
pub fn chip_cell(rating: Rating) -> &'static str {
    static CELLS: std::sync::OnceLock<Vec<(Rating, String)>> = std::sync::OnceLock::new();
    let cells = CELLS.get_or_init(|| {
        Rating::ALL
            .into_iter()
            .map(|rating| {
                let (shape, word) = ragplan_report::chip(rating);
                let width = shape.chars().count() + 1 + word.chars().count();
                let pad = " ".repeat(CHIP_WIDTH.saturating_sub(width));
                (rating, format!("{}{pad}", chip(rating)))
            })
            .collect()
    });
    cells.iter().find(|(r, _)| *r == rating).map_or("", |(_, cell)| cell.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of `bytes` written into a [`TextBytes`] in pieces that end at `cuts`.
    fn text_in_pieces(bytes: &[u8], cuts: &[usize]) -> String {
        let mut text = String::new();
        let mut out = TextBytes::new(&mut text);
        let mut at = 0;
        for &cut in cuts.iter().chain(std::iter::once(&bytes.len())) {
            let cut = cut.clamp(at, bytes.len());
            out.write_all(&bytes[at..cut]).unwrap();
            at = cut;
        }
        assert!(!out.refused());
        out.end();
        text
    }

    proptest::proptest! {
        /// However the bytes are cut into writes, the text is what
        /// `String::from_utf8_lossy` reads them as: a character cut in two is whole,
        /// and bytes that are not UTF-8 are each `�` as it gives them.
        #[test]
        fn bytes_written_as_text_in_any_pieces_read_as_they_would_whole(
            bytes in proptest::collection::vec(proptest::prop_oneof![
                proptest::arbitrary::any::<u8>(),
                proptest::sample::select(vec![0xE2u8, 0x96, 0xA0, 0xC2, 0xA3, 0xF0, 0x9F, b'a']),
            ], 0..40),
            mut cuts in proptest::collection::vec(0usize..40, 0..6),
        ) {
            cuts.sort_unstable();
            let want = String::from_utf8_lossy(&bytes).into_owned();
            proptest::prop_assert_eq!(text_in_pieces(&bytes, &cuts), want);
        }
    }

    #[test]
    fn a_character_cut_between_writes_is_printed_whole() {
        let bytes = "■ RED · £5".as_bytes();
        for cut in 0..=bytes.len() {
            assert_eq!(text_in_pieces(bytes, &[cut]), "■ RED · £5");
        }
        assert_eq!(text_in_pieces(b"ab\xE2\x96", &[]), "ab\u{FFFD}");
    }

    /// Text without colour went to standard output as it was when it held no escape
    /// byte, but the colour filter it skipped also takes out the other control
    /// characters (a bell, a backspace that overwrites what is shown): only text
    /// with none but tabs, line ends and form feeds skips it.
    #[test]
    fn the_colour_filter_was_skipped_for_text_with_control_characters() {
        let layout = true;
        for dirty in ["a\x07b", "a\x08b", "a\x7fb", "a\x00b", "\x1b[2J", "a\u{85}b"] {
            assert!(has_control(dirty, layout), "{dirty:?}");
        }
        for clean in ["a\tb\r\n", "Bob Jones · due 31 March 2016", "■ RED", ""] {
            assert!(!has_control(clean, layout), "{clean:?}");
        }
        assert!(has_control("a\tb", false));
    }

    proptest::proptest! {
        /// The byte test before decoding changes nothing: every control character,
        /// and only those, is shown as the replacement character.
        #[test]
        fn printable_is_the_control_character_rule(text in "\\PC*|[\\x00-\\x{a0}a-z\\x{2028}]{0,12}|[a-z\\x{b7}]{250,300}[\\x{80}-\\x{a0}\\x00-\\x1f]?[a-z]{0,9}") {
            let by_char: String =
                text.chars().map(|c| if c.is_control() { '\u{FFFD}' } else { c }).collect();
            let shown = printable(&text);
            proptest::prop_assert_eq!(shown.as_ref(), by_char.as_str());
            let layout = |c: char| matches!(c, '\t' | '\n' | '\x0c' | '\r');
            let filtered = text.chars().any(|c| c.is_control() && !layout(c));
            proptest::prop_assert_eq!(has_control(&text, true), filtered);
        }
    }

    #[test]
    fn dates_parse_iso_and_uk_day_first_and_refuse_the_rest() {
        let day = NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
        for good in ["2015-06-30", "30/06/2015", "30 June 2015", " 30th Jun 2015 "] {
            assert_eq!(parse_date(good), Ok(day), "{good}");
        }
        for bad in
            ["06/30/2015", "2015-02-30", "31/02/2015", "June 2015", "Q1 2015/16", "", "today"]
        {
            let err = parse_date(bad).unwrap_err();
            assert!(err.contains("is not a date"), "{bad}: {err}");
        }
    }

    #[test]
    fn chips_carry_shape_and_word_and_line_up() {
        for rating in Rating::ALL {
            let (shape, word) = ragplan_report::chip(rating);
            let cell = chip_cell(rating);
            assert!(cell.contains(&format!("{shape} {word}")), "{cell:?}");
            // Without the colour codes every cell is as wide as the widest chip.
            let plain: String = anstream::adapter::strip_str(cell).to_string();
            assert_eq!(plain.chars().count(), CHIP_WIDTH, "{plain:?}");
        }
    }

    /// `--as-of 1899-12-31` was called "not a date (expected a day such as
    /// 2015-06-30…)", though it is one: ragplan reads years 1900 to 2199. The message
    /// now says so; text that is no date keeps the old one.
    #[test]
    fn a_date_outside_the_years_read_was_called_not_a_date() {
        let outside = parse_date("1899-12-31").unwrap_err();
        assert_eq!(
            outside,
            "\"1899-12-31\" is outside the years ragplan reads dates in, 1900 to 2199"
        );
        assert!(parse_date("31/12/2200").unwrap_err().contains("outside the years"));
        assert!(parse_date("30/06/2015").is_ok());
        assert!(parse_date("06/30/2015").unwrap_err().contains("never month first"));
        assert!(parse_date("soon").unwrap_err().contains("is not a date"));
    }

    /// The tree printed `◐ AMBER/GREEN1.3`: the widest chip filled its cell, and the
    /// key that follows touched it. Every chip now has a space after it.
    #[test]
    fn the_widest_chip_touched_the_key_after_it() {
        for rating in Rating::ALL {
            let plain = anstream::adapter::strip_str(chip_cell(rating)).to_string();
            assert!(plain.ends_with(' '), "{plain:?}");
        }
        let (_, widest) = ragplan_report::chip(Rating::AmberGreen);
        let plain = anstream::adapter::strip_str(chip_cell(Rating::AmberGreen)).to_string();
        assert!(plain.trim_end().ends_with(widest), "{plain:?}");
    }

    #[test]
    fn atomic_write_replaces_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        std::fs::write(&path, "old").unwrap();
        write_atomic(&path, b"new content").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new content");
        // No temporary file is left behind.
        let names: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("plan.json")]);
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_kept_or_readable_by_all() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.json");
        write_atomic(&new, b"{}").unwrap();
        assert_eq!(std::fs::metadata(&new).unwrap().permissions().mode() & 0o777, 0o644);
        let private = dir.path().join("private.json");
        std::fs::write(&private, "old").unwrap();
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&private, b"new").unwrap();
        assert_eq!(std::fs::metadata(&private).unwrap().permissions().mode() & 0o777, 0o600);
    }

    /// A crash after the new content is written and before it is renamed over the
    /// file leaves the old file whole, and the new content whole beside it.
    #[test]
    fn a_write_stopped_before_the_rename_leaves_the_old_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        std::fs::write(&path, "old").unwrap();
        let staged = stage(&path, |mut out| out.write_all(b"new content")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_to_string(staged.temp.path()).unwrap(), "new content");
        let temp_name = staged.temp.path().file_name().unwrap().to_string_lossy().into_owned();
        assert!(temp_name.starts_with(".plan.json.") && temp_name.ends_with(".tmp"), "{temp_name}");
        staged.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new content");
    }

    /// Bug: a write that failed (a full disk) was named by its temporary file,
    /// `.plan.json.Ab12Cd.tmp`, which the error removes, not by the file given.
    #[test]
    fn a_failed_write_was_named_by_its_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        std::fs::write(&path, "old").unwrap();
        let full = |_: &std::fs::File| Err(std::io::Error::from(std::io::ErrorKind::StorageFull));
        let err = format!("{:#}", stage(&path, full).err().unwrap());
        assert_eq!(err, format!("{}: cannot write: no storage space", path.display()));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        let names: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("plan.json")]);
    }

    /// When the rename fails (here the target is a directory) the target is left as
    /// it was and no temporary file is left behind.
    #[test]
    fn a_failed_rename_leaves_the_target_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.html");
        std::fs::create_dir(&target).unwrap();
        let err = write_atomic(&target, b"x").unwrap_err();
        assert!(format!("{err:#}").contains("report.html: cannot write"), "{err:#}");
        assert!(target.is_dir());
        let names: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("report.html")]);
    }

    /// A writer that seeks (a workbook's zip goes back to fill in each part's
    /// header) writes into the temporary file, and into a device through memory.
    #[test]
    fn a_seeking_write_replaces_a_file_and_writes_into_a_device() {
        use std::io::SeekFrom;
        let write = |out: &mut dyn WriteSeek| {
            out.write_all(b"....tail")?;
            out.seek(SeekFrom::Start(0))?;
            out.write_all(b"head")
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.xlsx");
        std::fs::write(&path, "old").unwrap();
        write_atomic_seekable(&path, write).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "headtail");
        let names: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("report.xlsx")]);
        #[cfg(unix)]
        write_atomic_seekable(Path::new("/dev/null"), write).unwrap();
        let err = write_atomic_seekable(dir.path(), write).unwrap_err();
        assert!(format!("{err:#}").contains("it is a directory"), "{err:#}");
    }

    #[test]
    fn atomic_write_into_a_missing_directory_names_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no-such-dir").join("plan.json");
        let err = write_atomic(&path, b"x").unwrap_err();
        assert!(format!("{err:#}").contains("no-such-dir"), "{err:#}");
    }
}
