//! virtio-console with a single port (no multiport).
//!
//! Queue 0 ([`RX_QUEUE`]) carries host input to the guest, queue 1
//! ([`TX_QUEUE`]) guest output to the host. Output goes to a sink (a
//! `Write`), flushed after each batch of requests, at most
//! [`MAX_TX_BYTES_PER_REQUEST`] bytes per request. Input is pushed by the
//! VMM through a [`ConsoleInput`] handle and delivered into the receive
//! buffers the guest has made available; the VMM then has to ask the
//! transport to service the receive queue, since the guest is not the one
//! who started this:
//!
//! ```
//! use hartvm_devices::irq::LevelCell;
//! use hartvm_devices::virtio::console::{Console, RX_QUEUE};
//! use hartvm_devices::virtio::mmio::VirtioMmio;
//! # use hartvm_devices::virtio::{GuestMemory, MemError};
//! # struct NoRam;
//! # impl GuestMemory for NoRam {
//! #     fn read(&self, addr: u64, b: &mut [u8]) -> Result<(), MemError> { Err(MemError { addr, len: b.len() as u64 }) }
//! #     fn write(&self, addr: u64, b: &[u8]) -> Result<(), MemError> { Err(MemError { addr, len: b.len() as u64 }) }
//! # }
//! use std::sync::Arc;
//!
//! let console = Console::new(Box::new(std::io::sink()));
//! let input = console.input();
//! let dev = VirtioMmio::new(Box::new(console), Arc::new(NoRam), Arc::new(LevelCell::default()));
//! input.push(b"ls\n");
//! dev.process_queue(RX_QUEUE); // delivers once the driver has buffers
//! assert_eq!(input.pending(), 3); // (no driver here)
//! ```

use std::collections::VecDeque;
use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard};

use super::queue::{Queue, QueueError};
use super::{GuestMemory, VirtioDevice, VIRTIO_ID_CONSOLE};

#[cfg(test)]
mod tests;

/// The receive queue (host to guest).
pub const RX_QUEUE: usize = 0;
/// The transmit queue (guest to host).
pub const TX_QUEUE: usize = 1;

/// Largest piece of output copied from guest memory at once.
const CHUNK: usize = 4096;
/// Most output taken from one transmit buffer. Drivers send at most a page
/// or so; a guest that claims gigabytes gets the rest dropped rather than
/// holding its vCPU for minutes.
pub const MAX_TX_BYTES_PER_REQUEST: usize = 64 * 1024;
/// Rounds of "deliver, re-arm notification, look again" per call, to bound
/// the time spent when the guest keeps adding buffers.
const ROUNDS: usize = 8;

/// The VMM's handle for console input; cheap to clone and usable from any
/// thread.
#[derive(Debug, Clone, Default)]
pub struct ConsoleInput(Arc<Mutex<VecDeque<u8>>>);

impl ConsoleInput {
    fn lock(&self) -> MutexGuard<'_, VecDeque<u8>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues bytes for the guest. Call [`super::mmio::VirtioMmio::process_queue`]
    /// with [`RX_QUEUE`] afterwards to deliver them.
    pub fn push(&self, bytes: &[u8]) {
        self.lock().extend(bytes);
    }

    /// Bytes queued and not yet delivered.
    pub fn pending(&self) -> usize {
        self.lock().len()
    }
}

/// A single-port virtio console.
pub struct Console {
    input: ConsoleInput,
    sink: Box<dyn Write + Send>,
    buf: Vec<u8>,
}

impl std::fmt::Debug for Console {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Console").field("pending_input", &self.input.pending()).finish_non_exhaustive()
    }
}

impl Console {
    /// A console whose guest output goes to `sink`.
    pub fn new(sink: Box<dyn Write + Send>) -> Console {
        Console { input: ConsoleInput::default(), sink, buf: Vec::new() }
    }

    /// The handle through which the VMM feeds input.
    pub fn input(&self) -> ConsoleInput {
        self.input.clone()
    }

    fn receive(&mut self, queue: &mut Queue, mem: &dyn GuestMemory) -> Result<(), QueueError> {
        for _ in 0..ROUNDS {
            for _ in 0..queue.size() {
                let mut input = self.input.lock();
                if input.is_empty() {
                    break;
                }
                let Some(chain) = queue.pop(mem)? else { break };
                let mut w = chain.writer(mem);
                let (a, b) = input.as_slices();
                // A buffer outside RAM stops the copy; what was written
                // counts, the rest stays queued.
                if w.write(a).ok() == Some(a.len()) {
                    let _ = w.write(b);
                }
                let n = w.written();
                input.drain(..n as usize);
                drop(input);
                queue.add_used(mem, chain.head, n as u32)?;
            }
            // Rearm even with no input, so that with EVENT_IDX the driver
            // keeps notifying new buffers.
            let more_buffers = queue.enable_notification(mem)?;
            if !more_buffers || self.input.pending() == 0 {
                break;
            }
        }
        Ok(())
    }

    fn transmit(&mut self, queue: &mut Queue, mem: &dyn GuestMemory) -> Result<(), QueueError> {
        self.buf.resize(CHUNK, 0);
        let (sink, buf) = (&mut self.sink, &mut self.buf);
        let result = queue.process(mem, |chain, mem| {
            let mut r = chain.reader(mem);
            let mut left = MAX_TX_BYTES_PER_REQUEST;
            // Output from a buffer outside RAM is dropped; a broken sink
            // must not take the guest down either.
            while let Ok(n @ 1..) = r.read(&mut buf[..left.min(CHUNK)]) {
                let _ = sink.write_all(&buf[..n]);
                left -= n;
            }
            Ok(0)
        });
        let _ = self.sink.flush();
        result
    }
}

impl VirtioDevice for Console {
    fn device_id(&self) -> u32 {
        VIRTIO_ID_CONSOLE
    }

    fn features(&self) -> u64 {
        0
    }

    fn num_queues(&self) -> usize {
        2
    }

    fn process_queue(&mut self, index: usize, queue: &mut Queue, mem: &dyn GuestMemory) -> Result<(), QueueError> {
        match index {
            RX_QUEUE => self.receive(queue, mem),
            TX_QUEUE => self.transmit(queue, mem),
            _ => Ok(()),
        }
    }

    fn reset(&mut self) {
        // Input typed before the driver came back is still wanted.
        let _ = self.sink.flush();
    }
}
