//! Split virtqueues (virtio 1.x section 2.7) over [`GuestMemory`].
//!
//! Everything the guest controls is checked before use: the queue
//! configuration when the driver makes the queue ready, the available index
//! (at most a queue's worth of new buffers), every descriptor index, the
//! length of each chain (a chain that visits more descriptors than the
//! table holds has a loop), indirect tables (size, nesting, flags) and
//! address ranges that wrap. Guest memory is only touched through
//! [`GuestMemory`], so a bad address is an error, not a host access.
//!
//! Driver ring layout, with `n` the queue size:
//!
//! | ring | layout | alignment |
//! |---|---|---|
//! | descriptor table | `n` × {addr u64, len u32, flags u16, next u16} | 16 |
//! | available | flags u16, idx u16, ring\[n\] u16, used_event u16 | 2 |
//! | used | flags u16, idx u16, ring\[n\] {id u32, len u32}, avail_event u16 | 4 |

use std::sync::atomic::{fence, Ordering};

use super::{GuestMemory, MemError};

#[cfg(test)]
mod tests;

/// Descriptor flag: the chain continues at `next`.
pub const VIRTQ_DESC_F_NEXT: u16 = 1;
/// Descriptor flag: the buffer is device-writable (else device-readable).
pub const VIRTQ_DESC_F_WRITE: u16 = 2;
/// Descriptor flag: the buffer is a table of descriptors.
pub const VIRTQ_DESC_F_INDIRECT: u16 = 4;
/// Available-ring flag: the driver asks for no interrupts (without
/// EVENT_IDX).
pub const VIRTQ_AVAIL_F_NO_INTERRUPT: u16 = 1;
/// Largest queue size the split layout allows.
pub const MAX_QUEUE_SIZE: u16 = 32768;

const DESC_SIZE: u64 = 16;

/// How a guest broke a queue. Any of these leaves the queue unusable until
/// the driver resets the device.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueueError {
    /// A ring or buffer is not in guest RAM.
    #[error(transparent)]
    Memory(#[from] MemError),
    /// The queue size is 0, not a power of two, or above the maximum.
    #[error("queue size {size} is not a power of two in 1..={max}")]
    BadSize {
        /// The size the driver wrote.
        size: u16,
        /// The device's maximum for this queue.
        max: u16,
    },
    /// A ring address is misaligned or the ring wraps the address space.
    #[error("{ring} ring at {addr:#x} is misaligned or wraps around")]
    BadRingAddress {
        /// Which ring.
        ring: &'static str,
        /// Its guest physical address.
        addr: u64,
    },
    /// The available index moved by more than the queue size.
    #[error("available index {avail_idx} is {ahead} entries ahead of the device, in a queue of {size}")]
    AvailIndex {
        /// The driver's available index.
        avail_idx: u16,
        /// How far it is ahead of the device's position.
        ahead: u16,
        /// The queue size.
        size: u16,
    },
    /// A descriptor index is past the end of its table.
    #[error("descriptor index {index} is outside a table of {size}")]
    DescIndex {
        /// The index.
        index: u16,
        /// The table size.
        size: u16,
    },
    /// A chain is longer than its table (it loops).
    #[error("descriptor chain starting at {head} is longer than its table (a loop?)")]
    ChainTooLong {
        /// Head of the chain.
        head: u16,
    },
    /// An indirect descriptor is malformed: length not a non-zero multiple
    /// of 16 or more entries than the queue size, `NEXT` set on it, or an
    /// indirect descriptor inside an indirect table.
    #[error("bad indirect descriptor: {0}")]
    BadIndirect(&'static str),
    /// A device-readable buffer follows a device-writable one.
    #[error("device-readable descriptor after a device-writable one in the chain at {head}")]
    ReadableAfterWritable {
        /// Head of the chain.
        head: u16,
    },
    /// A buffer's address range wraps around the address space.
    #[error("buffer at {addr:#x} of {len} bytes wraps around")]
    BufferWraps {
        /// Buffer address.
        addr: u64,
        /// Buffer length.
        len: u32,
    },
    /// The device could not make sense of a request and had nowhere to
    /// report an error status.
    #[error("malformed request: {0}")]
    Malformed(&'static str),
}

/// One buffer of a descriptor chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Descriptor {
    /// Guest physical address.
    pub addr: u64,
    /// Length in bytes.
    pub len: u32,
    /// Device-writable (else device-readable).
    pub writable: bool,
}

/// A request taken from the available ring: its head index and its buffers,
/// device-readable ones first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescriptorChain {
    /// Head descriptor index, returned in the used ring.
    pub head: u16,
    /// The buffers, with indirect tables flattened.
    pub descs: Vec<Descriptor>,
}

impl DescriptorChain {
    /// Total length of the device-readable buffers.
    pub fn readable_len(&self) -> u64 {
        self.descs.iter().filter(|d| !d.writable).map(|d| u64::from(d.len)).sum()
    }

    /// Total length of the device-writable buffers.
    pub fn writable_len(&self) -> u64 {
        self.descs.iter().filter(|d| d.writable).map(|d| u64::from(d.len)).sum()
    }

    /// A reader over the device-readable buffers.
    pub fn reader<'a>(&'a self, mem: &'a dyn GuestMemory) -> ChainReader<'a> {
        ChainReader { mem, cursor: Cursor::new(&self.descs, 0, true) }
    }

    /// A writer over the device-writable buffers.
    pub fn writer<'a>(&'a self, mem: &'a dyn GuestMemory) -> ChainWriter<'a> {
        let first = self.descs.iter().position(|d| d.writable).unwrap_or(self.descs.len());
        ChainWriter { mem, cursor: Cursor::new(&self.descs, first, false), written: 0 }
    }

    /// Guest address of the last device-writable byte (where virtio-blk
    /// puts its status), if there is one.
    pub fn last_writable_byte(&self) -> Option<u64> {
        let d = self.descs.iter().rev().find(|d| d.writable && d.len > 0)?;
        d.addr.checked_add(u64::from(d.len) - 1)
    }
}

/// Address of byte `offset` of `d` for an access of `n` bytes; chains taken
/// from a queue never wrap, but `DescriptorChain` can be built by hand.
fn seg_addr(d: &Descriptor, offset: u32, n: usize) -> Result<u64, MemError> {
    d.addr.checked_add(u64::from(offset)).ok_or(MemError { addr: d.addr, len: n as u64 })
}

/// A position in a chain's buffers, with a byte budget: what the reader
/// and the writer share.
#[derive(Debug)]
struct Cursor<'a> {
    descs: &'a [Descriptor],
    index: usize,
    offset: u32,
    limit: u64,
    /// Stop at the first device-writable buffer (the reader's side).
    only_readable: bool,
}

impl<'a> Cursor<'a> {
    fn new(descs: &'a [Descriptor], index: usize, only_readable: bool) -> Self {
        Cursor { descs, index, offset: 0, limit: u64::MAX, only_readable }
    }

    /// Runs `access(addr, n)` on the next piece of at most `want` bytes
    /// and moves past it once that succeeded; returns `n` (0 at the end
    /// of the buffers or the budget).
    fn advance(
        &mut self,
        want: usize,
        access: impl FnOnce(u64, usize) -> Result<(), MemError>,
    ) -> Result<usize, MemError> {
        while want > 0 && self.limit > 0 {
            let Some(d) = self.descs.get(self.index).filter(|d| !(self.only_readable && d.writable)) else { break };
            let left = d.len - self.offset;
            if left == 0 {
                self.index += 1;
                self.offset = 0;
                continue;
            }
            let n = want.min(left as usize).min(usize::try_from(self.limit).unwrap_or(usize::MAX));
            access(seg_addr(d, self.offset, n)?, n)?;
            self.offset += n as u32;
            self.limit -= n as u64;
            return Ok(n);
        }
        Ok(0)
    }
}

/// Reads the device-readable buffers of a chain in order.
#[derive(Debug)]
pub struct ChainReader<'a> {
    mem: &'a dyn GuestMemory,
    cursor: Cursor<'a>,
}

impl ChainReader<'_> {
    /// Reads up to `buf.len()` bytes; returns how many (0 at the end).
    ///
    /// # Errors
    ///
    /// [`MemError`] if a buffer is not in guest RAM.
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, MemError> {
        let mut done = 0;
        while done < buf.len() {
            let mem = self.mem;
            let n = self.cursor.advance(buf.len() - done, |addr, n| mem.read(addr, &mut buf[done..done + n]))?;
            if n == 0 {
                break;
            }
            done += n;
        }
        Ok(done)
    }

    /// Fills `buf` completely.
    ///
    /// # Errors
    ///
    /// [`QueueError::Malformed`] if the buffers hold fewer bytes, or
    /// [`QueueError::Memory`].
    pub fn read_exact(&mut self, buf: &mut [u8]) -> Result<(), QueueError> {
        if self.read(buf)? == buf.len() {
            Ok(())
        } else {
            Err(QueueError::Malformed("device-readable buffers too short"))
        }
    }
}

/// Writes the device-writable buffers of a chain in order.
#[derive(Debug)]
pub struct ChainWriter<'a> {
    mem: &'a dyn GuestMemory,
    cursor: Cursor<'a>,
    written: u64,
}

impl ChainWriter<'_> {
    /// Stops the writer after `limit` bytes in total (for a trailing
    /// status byte the data must not overwrite).
    pub fn set_limit(&mut self, limit: u64) {
        self.cursor.limit = limit.saturating_sub(self.written);
    }

    /// Bytes written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Writes up to `buf.len()` bytes; returns how many (less at the end
    /// of the buffers or the limit).
    ///
    /// # Errors
    ///
    /// [`MemError`] if a buffer is not in guest RAM.
    pub fn write(&mut self, buf: &[u8]) -> Result<usize, MemError> {
        let mut done = 0;
        while done < buf.len() {
            let mem = self.mem;
            let n = self.cursor.advance(buf.len() - done, |addr, n| mem.write(addr, &buf[done..done + n]))?;
            if n == 0 {
                break;
            }
            done += n;
            self.written += n as u64;
        }
        Ok(done)
    }
}

/// A split virtqueue: the configuration the driver programs through the
/// transport, and the device's position in the rings.
#[derive(Debug, Clone)]
pub struct Queue {
    max_size: u16,
    size: u16,
    ready: bool,
    desc_table: u64,
    avail_ring: u64,
    used_ring: u64,
    event_idx: bool,
    next_avail: u16,
    next_used: u16,
    /// `next_used` when the driver was last considered for an interrupt.
    signalled_used: u16,
}

impl Queue {
    /// A queue in its reset state whose size may be at most `max_size`.
    pub fn new(max_size: u16) -> Self {
        Queue {
            max_size: max_size.min(MAX_QUEUE_SIZE),
            size: max_size.min(MAX_QUEUE_SIZE),
            ready: false,
            desc_table: 0,
            avail_ring: 0,
            used_ring: 0,
            event_idx: false,
            next_avail: 0,
            next_used: 0,
            signalled_used: 0,
        }
    }

    /// The largest size the driver may choose.
    pub fn max_size(&self) -> u16 {
        self.max_size
    }

    /// The size the driver chose.
    pub fn size(&self) -> u16 {
        self.size
    }

    /// Whether the driver made the queue ready.
    pub fn ready(&self) -> bool {
        self.ready
    }

    /// Addresses of the descriptor table, available ring and used ring.
    pub fn addresses(&self) -> (u64, u64, u64) {
        (self.desc_table, self.avail_ring, self.used_ring)
    }

    /// Sets the queue size (the transport's QueueNum register).
    pub fn set_size(&mut self, size: u16) {
        self.size = size;
    }

    /// Sets the descriptor table address.
    pub fn set_desc_table(&mut self, addr: u64) {
        self.desc_table = addr;
    }

    /// Sets the available ring address.
    pub fn set_avail_ring(&mut self, addr: u64) {
        self.avail_ring = addr;
    }

    /// Sets the used ring address.
    pub fn set_used_ring(&mut self, addr: u64) {
        self.used_ring = addr;
    }

    /// Uses `used_event` / `avail_event` (VIRTIO_RING_F_EVENT_IDX was
    /// negotiated).
    pub fn set_event_idx(&mut self, on: bool) {
        self.event_idx = on;
    }

    /// Checks the configuration: size a power of two within the maximum,
    /// rings aligned and not wrapping around.
    ///
    /// # Errors
    ///
    /// [`QueueError::BadSize`] or [`QueueError::BadRingAddress`].
    pub fn validate(&self) -> Result<(), QueueError> {
        let n = u64::from(self.size);
        if self.size == 0 || !self.size.is_power_of_two() || self.size > self.max_size {
            return Err(QueueError::BadSize { size: self.size, max: self.max_size });
        }
        let rings = [
            ("descriptor", self.desc_table, 16, DESC_SIZE * n),
            ("available", self.avail_ring, 2, 6 + 2 * n),
            ("used", self.used_ring, 4, 6 + 8 * n),
        ];
        for (ring, addr, align, len) in rings {
            if !addr.is_multiple_of(align) || addr.checked_add(len).is_none() {
                return Err(QueueError::BadRingAddress { ring, addr });
            }
        }
        Ok(())
    }

    /// Makes the queue ready (after a successful [`Queue::validate`]) or
    /// not ready; either way the device starts again at ring position 0.
    ///
    /// # Errors
    ///
    /// As [`Queue::validate`]; the queue stays not ready then.
    pub fn set_ready(&mut self, ready: bool) -> Result<(), QueueError> {
        if ready {
            self.validate()?;
        }
        self.ready = ready;
        self.next_avail = 0;
        self.next_used = 0;
        self.signalled_used = 0;
        Ok(())
    }

    /// Back to the reset state.
    pub fn reset(&mut self) {
        *self = Queue::new(self.max_size);
    }

    fn avail_idx(&self, mem: &dyn GuestMemory) -> Result<u16, QueueError> {
        let idx = mem.read_u16(self.avail_ring + 2)?;
        let ahead = idx.wrapping_sub(self.next_avail);
        if ahead > self.size {
            return Err(QueueError::AvailIndex { avail_idx: idx, ahead, size: self.size });
        }
        Ok(idx)
    }

    /// Takes the next available chain, or `None` if the driver has made
    /// none available (or the queue is not ready).
    ///
    /// # Errors
    ///
    /// A [`QueueError`] if the available ring or the chain is malformed.
    pub fn pop(&mut self, mem: &dyn GuestMemory) -> Result<Option<DescriptorChain>, QueueError> {
        if !self.ready || self.avail_idx(mem)? == self.next_avail {
            return Ok(None);
        }
        // The ring entry must not be read before the index that covers it.
        fence(Ordering::Acquire);
        let slot = u64::from(self.next_avail % self.size);
        let head = mem.read_u16(self.avail_ring + 4 + 2 * slot)?;
        self.next_avail = self.next_avail.wrapping_add(1);
        self.read_chain(mem, head).map(Some)
    }

    fn read_desc(table: &[u8], index: u16) -> (u64, u32, u16, u16) {
        let at = usize::from(index) * DESC_SIZE as usize;
        let field = |o: usize, n: usize| {
            let mut b = [0u8; 8];
            if let Some(src) = table.get(at + o..at + o + n) {
                b[..n].copy_from_slice(src);
            }
            u64::from_le_bytes(b)
        };
        (field(0, 8), field(8, 4) as u32, field(12, 2) as u16, field(14, 2) as u16)
    }

    /// Walks the chain starting at `head`, flattening an indirect table.
    fn read_chain(&self, mem: &dyn GuestMemory, head: u16) -> Result<DescriptorChain, QueueError> {
        let mut descs = Vec::new();
        let mut seen_writable = false;
        let mut push = |addr: u64, len: u32, flags: u16| {
            let writable = flags & VIRTQ_DESC_F_WRITE != 0;
            if !writable && seen_writable {
                return Err(QueueError::ReadableAfterWritable { head });
            }
            seen_writable |= writable;
            if addr.checked_add(u64::from(len)).is_none() {
                return Err(QueueError::BufferWraps { addr, len });
            }
            descs.push(Descriptor { addr, len, writable });
            Ok(())
        };

        let mut index = head;
        // Each descriptor of the table at most once: more means a loop.
        for _ in 0..self.size {
            if index >= self.size {
                return Err(QueueError::DescIndex { index, size: self.size });
            }
            let mut raw = [0u8; DESC_SIZE as usize];
            mem.read(self.desc_table + DESC_SIZE * u64::from(index), &mut raw)?;
            let (addr, len, flags, next) = Self::read_desc(&raw, 0);
            if flags & VIRTQ_DESC_F_INDIRECT != 0 {
                if flags & VIRTQ_DESC_F_NEXT != 0 {
                    return Err(QueueError::BadIndirect("NEXT set on an indirect descriptor"));
                }
                let count = len / DESC_SIZE as u32;
                if len == 0 || !len.is_multiple_of(DESC_SIZE as u32) || count > u32::from(self.size) {
                    return Err(QueueError::BadIndirect("table length not a multiple of 16 within the queue size"));
                }
                // count <= size <= 32768, so the table is at most 512 KiB.
                let mut table = vec![0u8; len as usize];
                mem.read(addr, &mut table)?;
                let count = count as u16;
                let mut i = 0;
                for _ in 0..count {
                    if i >= count {
                        return Err(QueueError::DescIndex { index: i, size: count });
                    }
                    let (addr, len, flags, next) = Self::read_desc(&table, i);
                    if flags & VIRTQ_DESC_F_INDIRECT != 0 {
                        return Err(QueueError::BadIndirect("indirect descriptor inside an indirect table"));
                    }
                    push(addr, len, flags)?;
                    if flags & VIRTQ_DESC_F_NEXT == 0 {
                        return Ok(DescriptorChain { head, descs });
                    }
                    i = next;
                }
                return Err(QueueError::ChainTooLong { head });
            }
            push(addr, len, flags)?;
            if flags & VIRTQ_DESC_F_NEXT == 0 {
                return Ok(DescriptorChain { head, descs });
            }
            index = next;
        }
        Err(QueueError::ChainTooLong { head })
    }

    /// Returns chain `head` to the driver with `len` bytes written into it.
    ///
    /// # Errors
    ///
    /// [`QueueError::Memory`] if the used ring is not in guest RAM.
    pub fn add_used(&mut self, mem: &dyn GuestMemory, head: u16, len: u32) -> Result<(), QueueError> {
        let slot = u64::from(self.next_used % self.size.max(1));
        let mut elem = [0u8; 8];
        elem[..4].copy_from_slice(&u32::from(head).to_le_bytes());
        elem[4..].copy_from_slice(&len.to_le_bytes());
        mem.write(self.used_ring + 4 + 8 * slot, &elem)?;
        // The driver must see the element before the index that publishes it.
        fence(Ordering::Release);
        self.next_used = self.next_used.wrapping_add(1);
        mem.write_u16(self.used_ring + 2, self.next_used)?;
        Ok(())
    }

    /// Whether the driver wants an interrupt for the buffers used since the
    /// last call (`used_event` with EVENT_IDX, else the available ring's
    /// NO_INTERRUPT flag).
    ///
    /// # Errors
    ///
    /// [`QueueError::Memory`] if the available ring is not in guest RAM.
    pub fn needs_interrupt(&mut self, mem: &dyn GuestMemory) -> Result<bool, QueueError> {
        let old = self.signalled_used;
        let new = self.next_used;
        if old == new || !self.ready {
            return Ok(false);
        }
        self.signalled_used = new;
        // Order the used index store before reading the driver's
        // suppression state, or both sides can miss each other.
        fence(Ordering::SeqCst);
        if self.event_idx {
            let used_event = mem.read_u16(self.avail_ring + 4 + 2 * u64::from(self.size))?;
            Ok(new.wrapping_sub(used_event).wrapping_sub(1) < new.wrapping_sub(old))
        } else {
            Ok(mem.read_u16(self.avail_ring)? & VIRTQ_AVAIL_F_NO_INTERRUPT == 0)
        }
    }

    /// Asks the driver to notify when it adds buffers past those taken so
    /// far (`avail_event`, with EVENT_IDX; without it the driver always
    /// notifies), then returns whether buffers are already waiting.
    ///
    /// # Errors
    ///
    /// A [`QueueError`] if the rings are not in guest RAM or the available
    /// index is bad.
    pub fn enable_notification(&mut self, mem: &dyn GuestMemory) -> Result<bool, QueueError> {
        if !self.ready {
            return Ok(false);
        }
        if self.event_idx {
            mem.write_u16(self.used_ring + 4 + 8 * u64::from(self.size), self.next_avail)?;
        }
        // A buffer added just before the store above was not notified.
        fence(Ordering::SeqCst);
        Ok(self.avail_idx(mem)? != self.next_avail)
    }

    /// Serves every available chain with `handle`, which returns the number
    /// of bytes it wrote into the chain, and returns the chains as used.
    ///
    /// Stops after a bounded number of rounds, so a guest that keeps adding
    /// buffers from another vCPU cannot keep this thread here forever. A
    /// driver that reuses descriptors only after they come back used (as
    /// Linux does) cannot add more than a queue's worth meanwhile and never
    /// reaches the bound.
    ///
    /// # Errors
    ///
    /// The first [`QueueError`] from the queue or from `handle`.
    pub fn process<F>(&mut self, mem: &dyn GuestMemory, mut handle: F) -> Result<(), QueueError>
    where
        F: FnMut(&DescriptorChain, &dyn GuestMemory) -> Result<u32, QueueError>,
    {
        const ROUNDS: usize = 8;
        for _ in 0..ROUNDS {
            for _ in 0..self.size {
                let Some(chain) = self.pop(mem)? else { break };
                let written = handle(&chain, mem)?;
                self.add_used(mem, chain.head, written)?;
            }
            if !self.enable_notification(mem)? {
                break;
            }
        }
        Ok(())
    }
}
