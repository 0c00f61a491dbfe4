//! Where guest console output (UART, HTIF) goes.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// A cloneable console sink shared by every device that prints.
#[derive(Clone)]
pub struct Console {
    sink: Arc<Mutex<Box<dyn Write + Send>>>,
}

impl Console {
    /// Output to the host's stdout, flushed at every newline.
    pub fn stdout() -> Console {
        Console::new(Box::new(io::stdout()))
    }

    /// Output thrown away (for test suites).
    pub fn discard() -> Console {
        Console::new(Box::new(io::sink()))
    }

    /// Output to any writer.
    pub fn new(sink: Box<dyn Write + Send>) -> Console {
        Console { sink: Arc::new(Mutex::new(sink)) }
    }

    /// Flushes whatever the sink buffered.
    pub fn flush_all(&self) {
        let _ = self.sink.lock().unwrap_or_else(|e| e.into_inner()).flush();
    }
}

impl Write for Console {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut sink = self.sink.lock().unwrap_or_else(|e| e.into_inner());
        sink.write_all(buf)?;
        if buf.contains(&b'\n') {
            sink.flush()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.sink.lock().unwrap_or_else(|e| e.into_inner()).flush()
    }
}

/// The QEMU-style escape key: Ctrl-A, then `x` quits, `h` prints help,
/// Ctrl-A again sends one Ctrl-A to the guest.
const ESCAPE: u8 = 0x01;

/// Where an escape sequence stands between two reads.
#[derive(Default)]
struct EscapeState {
    after_escape: bool,
}

impl EscapeState {
    /// Filters one chunk of host input: the bytes for the guest, and
    /// whether the user asked to quit.
    fn filter(&mut self, bytes: &[u8]) -> (Vec<u8>, bool) {
        let mut out = Vec::with_capacity(bytes.len());
        for &b in bytes {
            if !std::mem::take(&mut self.after_escape) {
                if b == ESCAPE {
                    self.after_escape = true;
                } else {
                    out.push(b);
                }
                continue;
            }
            match b {
                b'x' | b'X' => return (out, true),
                ESCAPE => out.push(ESCAPE),
                b'h' | b'H' => {
                    eprint!("\r\nC-a x    exit hartvm\r\nC-a C-a  send C-a to the guest\r\nC-a h    this help\r\n")
                }
                _ => {}
            }
        }
        (out, false)
    }
}

type Notify = Arc<dyn Fn() + Send + Sync>;

/// Console input: bytes read from the host's stdin by a background thread,
/// taken by the guest without waiting (SBI getchar and DBCN read, or the
/// UART through [`ConsoleInput::set_notify`]). Ctrl-A x asks hartvm to
/// quit, as in QEMU.
#[derive(Clone, Default)]
pub struct ConsoleInput {
    queue: Arc<Mutex<std::collections::VecDeque<u8>>>,
    quit: Arc<AtomicBool>,
    notify: Arc<Mutex<Option<Notify>>>,
}

impl ConsoleInput {
    /// Input that starts empty and is fed from stdin from now on (until
    /// stdin ends). With `raw`, a terminal on stdin is put in raw mode
    /// (keys go to the guest as typed, Ctrl-C included) until
    /// [`restore_terminal`] runs.
    pub fn from_stdin(raw: bool) -> ConsoleInput {
        if raw {
            terminal::enter_raw_mode();
        }
        let input = ConsoleInput::default();
        let feed = input.clone();
        let reader = move || {
            let mut buf = [0u8; 256];
            let mut stdin = io::stdin().lock();
            let mut escape = EscapeState::default();
            while let Ok(n @ 1..) = io::Read::read(&mut stdin, &mut buf) {
                let (bytes, quit) = escape.filter(&buf[..n]);
                feed.push(&bytes);
                if quit {
                    feed.quit.store(true, Ordering::Release);
                    feed.notify();
                    break;
                }
            }
        };
        // Without a thread the guest simply sees no input.
        let _ = std::thread::Builder::new().name("console-input".into()).spawn(reader);
        input
    }

    fn push(&self, bytes: &[u8]) {
        if !bytes.is_empty() {
            self.queue.lock().unwrap_or_else(|e| e.into_inner()).extend(bytes);
            self.notify();
        }
    }

    fn notify(&self) {
        let notify = self.notify.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(f) = notify {
            f();
        }
    }

    /// Calls `f` (on the input thread) whenever input arrives or the user
    /// asks to quit.
    pub fn set_notify(&self, f: impl Fn() + Send + Sync + 'static) {
        *self.notify.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(f));
    }

    /// Moves up to `buf.len()` waiting bytes into `buf`; how many.
    pub fn read(&self, buf: &mut [u8]) -> usize {
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        let n = buf.len().min(queue.len());
        for (slot, byte) in buf.iter_mut().zip(queue.drain(..n)) {
            *slot = byte;
        }
        n
    }

    /// Takes every waiting byte.
    pub fn take_all(&self) -> Vec<u8> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner()).drain(..).collect()
    }

    /// Whether input is waiting.
    pub fn has_input(&self) -> bool {
        !self.queue.lock().unwrap_or_else(|e| e.into_inner()).is_empty()
    }

    /// Whether the user typed Ctrl-A x.
    pub fn quit_requested(&self) -> bool {
        self.quit.load(Ordering::Acquire)
    }
}

/// Puts the terminal back as it was before raw mode (a no-op otherwise).
pub fn restore_terminal() {
    terminal::restore();
}

/// Raw mode for an interactive console, with the old settings kept to
/// put back at exit.
mod terminal {
    use std::sync::Mutex;

    static SAVED: Mutex<Option<libc::termios>> = Mutex::new(None);

    pub fn enter_raw_mode() {
        // SAFETY: isatty only inspects descriptor 0.
        if unsafe { libc::isatty(0) } != 1 {
            return;
        }
        // SAFETY: termios is plain data; tcgetattr fills it for fd 0,
        // which is a terminal (checked above).
        let mut old: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(0, &mut old) } != 0 {
            return;
        }
        let mut raw = old;
        // SAFETY: cfmakeraw only edits the struct it is given.
        unsafe { libc::cfmakeraw(&mut raw) };
        // Keep newline translation on output so hartvm's own messages
        // (and guests that print a bare \n) still start at column 0.
        raw.c_oflag |= libc::OPOST | libc::ONLCR;
        // SAFETY: fd 0 is a terminal and `raw` a valid termios.
        if unsafe { libc::tcsetattr(0, libc::TCSANOW, &raw) } == 0 {
            *SAVED.lock().unwrap_or_else(|e| e.into_inner()) = Some(old);
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                restore();
                previous(info);
            }));
        }
    }

    pub fn restore() {
        if let Some(old) = SAVED.lock().unwrap_or_else(|e| e.into_inner()).take() {
            // SAFETY: `old` came from tcgetattr on fd 0.
            unsafe { libc::tcsetattr(0, libc::TCSANOW, &old) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences() {
        let mut e = EscapeState::default();
        assert_eq!(e.filter(b"ab\x01\x01c"), (b"ab\x01c".to_vec(), false));
        assert_eq!(e.filter(b"x\x01"), (b"x".to_vec(), false));
        // The escape state carries over from one read to the next.
        assert_eq!(e.filter(b"xzz"), (Vec::new(), true));
        let mut e = EscapeState::default();
        assert_eq!(e.filter(b"q\x01?r"), (b"qr".to_vec(), false));
    }
}
