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
