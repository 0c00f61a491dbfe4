//! Where guest console output (UART, HTIF) goes.

use std::io::{self, Write};
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

/// Console input: bytes read from the host's stdin by a background thread,
/// taken by the guest without waiting (SBI getchar and DBCN read).
#[derive(Clone, Default)]
pub struct ConsoleInput {
    queue: Arc<Mutex<std::collections::VecDeque<u8>>>,
}

impl ConsoleInput {
    /// Input that starts empty and is fed from stdin from now on (until
    /// stdin ends).
    pub fn from_stdin() -> ConsoleInput {
        let input = ConsoleInput::default();
        let queue = input.queue.clone();
        let reader = move || {
            let mut buf = [0u8; 256];
            let mut stdin = io::stdin().lock();
            while let Ok(n @ 1..) = io::Read::read(&mut stdin, &mut buf) {
                queue.lock().unwrap_or_else(|e| e.into_inner()).extend(&buf[..n]);
            }
        };
        // Without a thread the guest simply sees no input.
        let _ = std::thread::Builder::new().name("console-input".into()).spawn(reader);
        input
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

    /// Whether input is waiting.
    pub fn has_input(&self) -> bool {
        !self.queue.lock().unwrap_or_else(|e| e.into_inner()).is_empty()
    }
}
