//! virtio-rng: an entropy source for the guest.
//!
//! One request queue; each request's device-writable buffers are filled
//! from host entropy (`/dev/urandom` by default), at most
//! [`MAX_BYTES_PER_REQUEST`] bytes per request so that a guest asking for
//! gigabytes gets a short answer instead of stalling its vCPU. If the
//! entropy source fails the request is returned with nothing written, which
//! the driver treats as "try again".

use std::fs::File;
use std::io::{self, Read};

use super::queue::{DescriptorChain, Queue, QueueError};
use super::{GuestMemory, VirtioDevice, VIRTIO_ID_RNG};

#[cfg(test)]
mod tests;

/// Most bytes one request gets.
pub const MAX_BYTES_PER_REQUEST: usize = 64 * 1024;

/// A virtio-rng device.
///
/// ```
/// use hartvm_devices::virtio::rng::Rng;
/// use hartvm_devices::virtio::VirtioDevice;
///
/// let rng = Rng::new().unwrap();
/// assert_eq!(rng.device_id(), 4);
/// ```
pub struct Rng {
    source: Box<dyn Read + Send>,
    buf: Vec<u8>,
}

impl std::fmt::Debug for Rng {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rng").finish_non_exhaustive()
    }
}

impl Rng {
    /// A device that reads the host's `/dev/urandom`.
    ///
    /// # Errors
    ///
    /// The error from opening `/dev/urandom`.
    pub fn new() -> io::Result<Rng> {
        Ok(Self::with_source(Box::new(File::open("/dev/urandom")?)))
    }

    /// A device that reads `source` (for tests, or another entropy source).
    pub fn with_source(source: Box<dyn Read + Send>) -> Rng {
        Rng { source, buf: Vec::new() }
    }

    fn handle(&mut self, chain: &DescriptorChain, mem: &dyn GuestMemory) -> u32 {
        let want = chain.writable_len().min(MAX_BYTES_PER_REQUEST as u64) as usize;
        self.buf.resize(want, 0);
        if self.source.read_exact(&mut self.buf).is_err() {
            return 0;
        }
        let mut w = chain.writer(mem);
        // A buffer outside RAM ends the answer where it starts.
        let _ = w.write(&self.buf);
        w.written() as u32
    }
}

impl VirtioDevice for Rng {
    fn device_id(&self) -> u32 {
        VIRTIO_ID_RNG
    }

    fn features(&self) -> u64 {
        0
    }

    fn num_queues(&self) -> usize {
        1
    }

    fn process_queue(&mut self, _index: usize, queue: &mut Queue, mem: &dyn GuestMemory) -> Result<(), QueueError> {
        queue.process(mem, |chain, mem| Ok(self.handle(chain, mem)))
    }
}
