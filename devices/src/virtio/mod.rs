//! virtio devices over the virtio-mmio transport (virtio 1.x).
//!
//! The pieces are separate so that each can be tested alone:
//!
//! | module | what |
//! |---|---|
//! | [`mmio`] | the virtio-mmio version 2 register interface ([`mmio::VirtioMmio`]) |
//! | [`queue`] | split virtqueues over [`GuestMemory`], with the checks a misbehaving guest needs |
//! | [`blk`] | virtio-blk over a raw image file |
//! | [`rng`] | virtio-rng over host entropy |
//! | [`console`] | virtio-console, one port |
//!
//! A device model implements [`VirtioDevice`]; the transport owns it and
//! its queues, decodes the guest's register accesses, and calls the device
//! when the guest notifies a queue. Guest memory is reached only through
//! [`GuestMemory`], which the VMM implements over guest RAM with a bounds
//! check on every access: a device never holds a pointer into the guest.
//!
//! Wiring a disk into the first slot of the `virt` machine, with its
//! interrupt into the PLIC:
//!
//! ```
//! use hartvm_devices::irq::PlicLine;
//! use hartvm_devices::mmio::MmioBus;
//! use hartvm_devices::plic::{Plic, PlicBackend, PrivMode, PLIC_BASE, PLIC_MMIO_SIZE};
//! use hartvm_devices::virtio::blk::Block;
//! use hartvm_devices::virtio::mmio::VirtioMmio;
//! use hartvm_devices::virtio::{slot_base, slot_irq, GuestMemory, MemError, VIRTIO_MMIO_SIZE};
//! use std::sync::Arc;
//!
//! # struct Harts;
//! # impl PlicBackend for Harts {
//! #     fn set_external(&self, _hart: usize, _mode: PrivMode, _level: bool) {}
//! # }
//! # struct Ram;
//! # impl GuestMemory for Ram {
//! #     fn read(&self, addr: u64, b: &mut [u8]) -> Result<(), MemError> { Err(MemError { addr, len: b.len() as u64 }) }
//! #     fn write(&self, addr: u64, b: &[u8]) -> Result<(), MemError> { Err(MemError { addr, len: b.len() as u64 }) }
//! # }
//! # let path = std::env::temp_dir().join(format!("hartvm-doc-{}.img", std::process::id()));
//! # std::fs::write(&path, [0u8; 4096]).unwrap();
//! let plic = Arc::new(Plic::new(1, Arc::new(Harts)).unwrap());
//! let disk = match Block::open(&path, false) {
//!     Ok(disk) => disk,
//!     Err(e) => {
//!         eprintln!("hartvm: {e}");
//!         std::process::exit(2);
//!     }
//! };
//! let irq = Arc::new(PlicLine::new(plic.clone(), slot_irq(0)));
//! let blk = Arc::new(VirtioMmio::new(Box::new(disk), Arc::new(Ram), irq));
//!
//! let mut bus = MmioBus::new();
//! bus.insert(PLIC_BASE, PLIC_MMIO_SIZE, plic).unwrap();
//! bus.insert(slot_base(0), VIRTIO_MMIO_SIZE, blk).unwrap();
//! let mut magic = [0u8; 4];
//! assert!(bus.read(0x1000_1000, &mut magic));
//! assert_eq!(&magic, b"virt");
//! # std::fs::remove_file(&path).unwrap();
//! ```
//!
//! Locks are taken in one order: a device's own lock, then the PLIC's (an
//! [`crate::irq::IrqLine`] is driven with the device lock held), then
//! whatever the [`crate::plic::PlicBackend`] takes. Nothing calls back up
//! that chain.
//!
//! A guest that misprograms a queue (descriptor indices past the queue,
//! chains that loop, rings outside RAM, …) makes the device set
//! [`STATUS_DEVICE_NEEDS_RESET`] and stop using its queues until the driver
//! resets it; an unserviceable request that still has a status byte gets
//! an error status instead.

use std::fmt;

pub mod blk;
pub mod console;
pub mod mmio;
pub mod queue;
pub mod rng;

use queue::{Queue, QueueError};

/// Base address of the first virtio-mmio slot on the `virt` machine.
pub const VIRTIO_MMIO_BASE: u64 = 0x1000_1000;
/// Size of one virtio-mmio slot.
pub const VIRTIO_MMIO_SIZE: u64 = 0x1000;
/// Number of virtio-mmio slots on the `virt` machine.
pub const VIRTIO_MMIO_SLOTS: usize = 8;
/// PLIC source of the first slot; slot `i` uses `VIRTIO_MMIO_IRQ_BASE + i`.
pub const VIRTIO_MMIO_IRQ_BASE: u32 = 1;
/// Device-tree `compatible` string of a virtio-mmio slot.
pub const VIRTIO_MMIO_COMPATIBLE: &str = "virtio,mmio";

/// Base address of virtio-mmio slot `slot` (0-based).
///
/// ```
/// assert_eq!(hartvm_devices::virtio::slot_base(1), 0x1000_2000);
/// ```
pub const fn slot_base(slot: usize) -> u64 {
    VIRTIO_MMIO_BASE + slot as u64 * VIRTIO_MMIO_SIZE
}

/// PLIC source of virtio-mmio slot `slot` (0-based).
///
/// ```
/// assert_eq!(hartvm_devices::virtio::slot_irq(0), 1);
/// ```
pub const fn slot_irq(slot: usize) -> u32 {
    VIRTIO_MMIO_IRQ_BASE + slot as u32
}

/// Device ID of a network card.
pub const VIRTIO_ID_NET: u32 = 1;
/// Device ID of a block device.
pub const VIRTIO_ID_BLOCK: u32 = 2;
/// Device ID of a console.
pub const VIRTIO_ID_CONSOLE: u32 = 3;
/// Device ID of an entropy source.
pub const VIRTIO_ID_RNG: u32 = 4;

/// Feature: the descriptor `VIRTQ_DESC_F_INDIRECT` flag is understood.
pub const VIRTIO_RING_F_INDIRECT_DESC: u64 = 1 << 28;
/// Feature: `used_event` / `avail_event` notification suppression.
pub const VIRTIO_RING_F_EVENT_IDX: u64 = 1 << 29;
/// Feature: virtio 1.x (not legacy); the transport requires it.
pub const VIRTIO_F_VERSION_1: u64 = 1 << 32;

/// Device status: the guest noticed the device.
pub const STATUS_ACKNOWLEDGE: u32 = 1;
/// Device status: the guest has a driver for it.
pub const STATUS_DRIVER: u32 = 2;
/// Device status: the driver is set up and the device is live.
pub const STATUS_DRIVER_OK: u32 = 4;
/// Device status: feature negotiation is complete.
pub const STATUS_FEATURES_OK: u32 = 8;
/// Device status: the device hit an error and must be reset.
pub const STATUS_DEVICE_NEEDS_RESET: u32 = 0x40;
/// Device status: the driver gave up on the device.
pub const STATUS_FAILED: u32 = 0x80;

/// A guest-memory access that failed: some byte of `[addr, addr + len)` is
/// not guest RAM (or the range wraps around).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("guest memory access of {len} bytes at {addr:#x} is outside RAM")]
pub struct MemError {
    /// Guest physical address of the access.
    pub addr: u64,
    /// Length of the access in bytes.
    pub len: u64,
}

/// Guest physical memory as devices see it.
///
/// The VMM implements it over guest RAM; each call must check that the whole
/// range is RAM and fail without touching anything otherwise. Other vCPUs
/// run while a device accesses memory, so the implementation copies bytes
/// and never hands out references.
///
/// ```
/// use hartvm_devices::virtio::{GuestMemory, MemError};
/// use std::sync::Mutex;
///
/// /// RAM at address 0.
/// struct Ram(Mutex<Vec<u8>>);
/// impl GuestMemory for Ram {
///     fn read(&self, addr: u64, buf: &mut [u8]) -> Result<(), MemError> {
///         let ram = self.0.lock().unwrap();
///         let err = MemError { addr, len: buf.len() as u64 };
///         let start = usize::try_from(addr).map_err(|_| err)?;
///         let end = start.checked_add(buf.len()).ok_or(err)?;
///         buf.copy_from_slice(ram.get(start..end).ok_or(err)?);
///         Ok(())
///     }
///     fn write(&self, addr: u64, buf: &[u8]) -> Result<(), MemError> {
///         let mut ram = self.0.lock().unwrap();
///         let err = MemError { addr, len: buf.len() as u64 };
///         let start = usize::try_from(addr).map_err(|_| err)?;
///         let end = start.checked_add(buf.len()).ok_or(err)?;
///         ram.get_mut(start..end).ok_or(err)?.copy_from_slice(buf);
///         Ok(())
///     }
/// }
///
/// let ram = Ram(Mutex::new(vec![0; 16]));
/// ram.write_u16(2, 0xbeef).unwrap();
/// assert_eq!(ram.read_u16(2), Ok(0xbeef));
/// assert!(ram.read_u32(14).is_err());
/// ```
pub trait GuestMemory: Send + Sync {
    /// Copies `buf.len()` bytes at guest physical `addr` into `buf`.
    ///
    /// # Errors
    ///
    /// [`MemError`] if any byte of the range is not RAM.
    fn read(&self, addr: u64, buf: &mut [u8]) -> Result<(), MemError>;

    /// Copies `buf` to guest physical `addr`.
    ///
    /// # Errors
    ///
    /// [`MemError`] if any byte of the range is not RAM; nothing is written
    /// then.
    fn write(&self, addr: u64, buf: &[u8]) -> Result<(), MemError>;

    /// Reads a little-endian `u16`.
    ///
    /// # Errors
    ///
    /// As [`GuestMemory::read`].
    fn read_u16(&self, addr: u64) -> Result<u16, MemError> {
        let mut b = [0; 2];
        self.read(addr, &mut b)?;
        Ok(u16::from_le_bytes(b))
    }

    /// Reads a little-endian `u32`.
    ///
    /// # Errors
    ///
    /// As [`GuestMemory::read`].
    fn read_u32(&self, addr: u64) -> Result<u32, MemError> {
        let mut b = [0; 4];
        self.read(addr, &mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    /// Writes a little-endian `u16`.
    ///
    /// # Errors
    ///
    /// As [`GuestMemory::write`].
    fn write_u16(&self, addr: u64, v: u16) -> Result<(), MemError> {
        self.write(addr, &v.to_le_bytes())
    }

    /// Writes a little-endian `u32`.
    ///
    /// # Errors
    ///
    /// As [`GuestMemory::write`].
    fn write_u32(&self, addr: u64, v: u32) -> Result<(), MemError> {
        self.write(addr, &v.to_le_bytes())
    }
}

/// A virtio device model, independent of the transport.
///
/// The transport ([`mmio::VirtioMmio`]) owns the device and calls it with
/// its lock held, one call at a time, so methods take `&mut self`.
pub trait VirtioDevice: Send {
    /// The virtio device ID ([`VIRTIO_ID_BLOCK`], …).
    fn device_id(&self) -> u32;

    /// Device-specific feature bits offered to the driver. The transport
    /// adds [`VIRTIO_F_VERSION_1`], [`VIRTIO_RING_F_INDIRECT_DESC`] and
    /// [`VIRTIO_RING_F_EVENT_IDX`] itself.
    fn features(&self) -> u64;

    /// Number of virtqueues.
    fn num_queues(&self) -> usize;

    /// Largest size of each queue (a power of two, at most 32768).
    fn queue_max_size(&self) -> u16 {
        256
    }

    /// Reads `data.len()` bytes of the device configuration space at
    /// `offset`. Bytes past the end of the configuration read as zero.
    fn read_config(&self, offset: u64, data: &mut [u8]) {
        let _ = offset;
        data.fill(0);
    }

    /// Writes the device configuration space; most devices ignore it.
    fn write_config(&mut self, offset: u64, data: &[u8]) {
        let _ = (offset, data);
    }

    /// The driver set DRIVER_OK after negotiating `features`.
    fn activate(&mut self, features: u64) {
        let _ = features;
    }

    /// Services queue `index` after a notification: takes the available
    /// buffers from `queue`, handles them, and returns them as used.
    ///
    /// # Errors
    ///
    /// A [`QueueError`] when the guest broke the queue; the transport then
    /// marks the device as needing a reset.
    fn process_queue(&mut self, index: usize, queue: &mut Queue, mem: &dyn GuestMemory) -> Result<(), QueueError>;

    /// The driver reset the device: forget all negotiated and queued state.
    fn reset(&mut self) {}
}

impl fmt::Debug for dyn GuestMemory + '_ {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("GuestMemory")
    }
}

impl fmt::Debug for dyn VirtioDevice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VirtioDevice").field("device_id", &self.device_id()).finish_non_exhaustive()
    }
}

/// Copies the bytes of a configuration structure at `offset` into `data`,
/// zero past its end: a helper for [`VirtioDevice::read_config`].
///
/// ```
/// let mut data = [0xff; 4];
/// hartvm_devices::virtio::read_config_bytes(&[1, 2, 3], 1, &mut data);
/// assert_eq!(data, [2, 3, 0, 0]);
/// ```
pub fn read_config_bytes(config: &[u8], offset: u64, data: &mut [u8]) {
    for (i, d) in data.iter_mut().enumerate() {
        let byte = offset.checked_add(i as u64).and_then(|o| usize::try_from(o).ok()).and_then(|o| config.get(o));
        *d = byte.copied().unwrap_or(0);
    }
}

#[cfg(test)]
pub(crate) mod test_mem;

#[cfg(test)]
mod tests;
