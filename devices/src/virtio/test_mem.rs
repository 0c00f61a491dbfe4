//! Guest memory over a vector and a minimal driver side of a split queue,
//! for the virtio tests.

use std::sync::Mutex;

use super::queue::{Queue, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE};
use super::{GuestMemory, MemError};

/// Where test RAM starts (address 0 is not RAM, to catch null buffers).
pub const RAM_BASE: u64 = 0x1_0000;
/// Test RAM size.
pub const RAM_SIZE: usize = 0x10_0000;

/// RAM at [`RAM_BASE`] that counts accesses outside it.
pub struct TestMem {
    ram: Mutex<Vec<u8>>,
}

impl TestMem {
    pub fn new() -> Self {
        TestMem { ram: Mutex::new(vec![0; RAM_SIZE]) }
    }

    fn range(&self, addr: u64, len: usize) -> Result<std::ops::Range<usize>, MemError> {
        let err = MemError { addr, len: len as u64 };
        let start = addr.checked_sub(RAM_BASE).ok_or(err)?;
        let start = usize::try_from(start).map_err(|_| err)?;
        let end = start.checked_add(len).ok_or(err)?;
        if end > RAM_SIZE {
            return Err(err);
        }
        Ok(start..end)
    }

    pub fn bytes(&self, addr: u64, len: usize) -> Vec<u8> {
        let mut b = vec![0; len];
        self.read(addr, &mut b).unwrap();
        b
    }

    pub fn fill(&self, addr: u64, data: &[u8]) {
        self.write(addr, data).unwrap();
    }

    /// A copy of all of RAM, to check that nothing changed.
    pub fn snapshot(&self) -> Vec<u8> {
        self.ram.lock().unwrap().clone()
    }
}

impl GuestMemory for TestMem {
    fn read(&self, addr: u64, buf: &mut [u8]) -> Result<(), MemError> {
        let r = self.range(addr, buf.len())?;
        buf.copy_from_slice(&self.ram.lock().unwrap()[r]);
        Ok(())
    }

    fn write(&self, addr: u64, buf: &[u8]) -> Result<(), MemError> {
        let r = self.range(addr, buf.len())?;
        self.ram.lock().unwrap()[r].copy_from_slice(buf);
        Ok(())
    }
}

/// Queue layout the test driver uses: descriptor table, available ring and
/// used ring at fixed addresses, data buffers from [`DATA`] on.
pub const DESC: u64 = RAM_BASE;
pub const AVAIL: u64 = RAM_BASE + 0x8000;
pub const USED: u64 = RAM_BASE + 0xa000;
pub const DATA: u64 = RAM_BASE + 0x2_0000;

/// The driver side of one split queue.
pub struct Driver<'a> {
    pub mem: &'a TestMem,
    pub size: u16,
    next_desc: u16,
    avail_idx: u16,
    used_seen: u16,
}

impl<'a> Driver<'a> {
    pub fn new(mem: &'a TestMem, size: u16) -> Self {
        Driver { mem, size, next_desc: 0, avail_idx: 0, used_seen: 0 }
    }

    /// A device-side queue configured for this driver's rings.
    pub fn queue(&self, max: u16) -> Queue {
        let mut q = Queue::new(max);
        q.set_size(self.size);
        q.set_desc_table(DESC);
        q.set_avail_ring(AVAIL);
        q.set_used_ring(USED);
        q.set_ready(true).unwrap();
        q
    }

    pub fn set_desc(&self, table: u64, index: u16, addr: u64, len: u32, flags: u16, next: u16) {
        let mut d = [0u8; 16];
        d[..8].copy_from_slice(&addr.to_le_bytes());
        d[8..12].copy_from_slice(&len.to_le_bytes());
        d[12..14].copy_from_slice(&flags.to_le_bytes());
        d[14..].copy_from_slice(&next.to_le_bytes());
        self.mem.fill(table + 16 * u64::from(index), &d);
    }

    /// Writes a chain of `(addr, len, writable)` buffers into the next free
    /// descriptors and returns its head.
    pub fn chain(&mut self, bufs: &[(u64, u32, bool)]) -> u16 {
        let head = self.next_desc;
        for (i, &(addr, len, w)) in bufs.iter().enumerate() {
            let idx = (self.next_desc) % self.size;
            let last = i + 1 == bufs.len();
            let flags = if w { VIRTQ_DESC_F_WRITE } else { 0 } | if last { 0 } else { VIRTQ_DESC_F_NEXT };
            self.set_desc(DESC, idx, addr, len, flags, (idx + 1) % self.size);
            self.next_desc = self.next_desc.wrapping_add(1);
        }
        head % self.size
    }

    /// Publishes `head` in the available ring.
    pub fn publish(&mut self, head: u16) {
        let slot = u64::from(self.avail_idx % self.size);
        self.mem.write_u16(AVAIL + 4 + 2 * slot, head).unwrap();
        self.avail_idx = self.avail_idx.wrapping_add(1);
        self.mem.write_u16(AVAIL + 2, self.avail_idx).unwrap();
    }

    /// `chain` then `publish`.
    pub fn add(&mut self, bufs: &[(u64, u32, bool)]) -> u16 {
        let head = self.chain(bufs);
        self.publish(head);
        head
    }

    /// The used elements the device added since the last call.
    pub fn used(&mut self) -> Vec<(u32, u32)> {
        let idx = self.mem.read_u16(USED + 2).unwrap();
        let mut out = Vec::new();
        while self.used_seen != idx {
            let slot = u64::from(self.used_seen % self.size);
            let id = self.mem.read_u32(USED + 4 + 8 * slot).unwrap();
            let len = self.mem.read_u32(USED + 8 + 8 * slot).unwrap();
            out.push((id, len));
            self.used_seen = self.used_seen.wrapping_add(1);
        }
        out
    }
}
