//! The MMIO device trait and the bus that routes guest physical addresses to
//! devices.
//!
//! The vCPU runtime exits to the VMM on every access to an address that is
//! not RAM (`MmioRead(addr, &mut [u8])` / `MmioWrite(addr, &[u8])`); the VMM
//! hands those to [`MmioBus::read`] / [`MmioBus::write`], which find the
//! device by binary search and call it with the offset inside its range.

use std::fmt;
use std::sync::Arc;

#[cfg(test)]
mod tests;

/// A memory-mapped device model.
///
/// `offset` is relative to the base the device was inserted at, and
/// `data.len()` is the access size (1, 2, 4 or 8 bytes for guest loads and
/// stores). Data is little-endian, as on RISC-V. Devices are shared between
/// vCPU threads, so they take `&self` and synchronise internally.
///
/// Implementations must never panic on a bad guest access: an unknown
/// offset or an unsupported size is ignored on write and reads as zero.
///
/// ```
/// use hartvm_devices::mmio::MmioDevice;
/// use std::sync::atomic::{AtomicU32, Ordering};
///
/// /// One 32-bit scratch register at offset 0.
/// struct Scratch(AtomicU32);
///
/// impl MmioDevice for Scratch {
///     fn read(&self, offset: u64, data: &mut [u8]) {
///         data.fill(0);
///         if offset == 0 && data.len() == 4 {
///             data.copy_from_slice(&self.0.load(Ordering::Relaxed).to_le_bytes());
///         }
///     }
///     fn write(&self, offset: u64, data: &[u8]) {
///         if let (0, Ok(bytes)) = (offset, <[u8; 4]>::try_from(data)) {
///             self.0.store(u32::from_le_bytes(bytes), Ordering::Relaxed);
///         }
///     }
/// }
/// ```
pub trait MmioDevice: Send + Sync {
    /// Handles a guest load of `data.len()` bytes at `offset`; fills `data`.
    fn read(&self, offset: u64, data: &mut [u8]);
    /// Handles a guest store of `data` at `offset`.
    fn write(&self, offset: u64, data: &[u8]);
}

/// Why [`MmioBus::insert`] refused a range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BusError {
    /// The range has length zero.
    #[error("MMIO range at {base:#x} has length zero")]
    EmptyRange {
        /// Base address of the refused range.
        base: u64,
    },
    /// `base + len` does not fit in 64 bits.
    #[error("MMIO range at {base:#x} with length {len:#x} wraps around the address space")]
    Wraps {
        /// Base address of the refused range.
        base: u64,
        /// Length of the refused range.
        len: u64,
    },
    /// The range overlaps a device already on the bus.
    #[error(
        "MMIO range [{base:#x}, {end:#x}) overlaps the device at [{other_base:#x}, {other_end:#x})",
        end = base + len,
        other_end = other_base + other_len
    )]
    Overlap {
        /// Base address of the refused range.
        base: u64,
        /// Length of the refused range.
        len: u64,
        /// Base address of the device already mapped there.
        other_base: u64,
        /// Length of the device already mapped there.
        other_len: u64,
    },
}

struct Mapping {
    base: u64,
    len: u64,
    dev: Arc<dyn MmioDevice>,
}

/// Maps non-overlapping guest physical ranges `[base, base + len)` to devices.
///
/// Mappings are kept in a vector sorted by base address, so a lookup is one
/// binary search. The bus is built once by the VMM (`insert` takes
/// `&mut self`) and then shared read-only between vCPU threads.
///
/// An access must lie entirely inside one device's range; an access that
/// starts in a device but runs past its end is treated like an access to
/// unmapped space (the runtime raises an access fault).
///
/// ```
/// use hartvm_devices::mmio::{MmioBus, MmioDevice};
/// use std::sync::Arc;
///
/// struct Zero;
/// impl MmioDevice for Zero {
///     fn read(&self, _offset: u64, data: &mut [u8]) { data.fill(0x5a); }
///     fn write(&self, _offset: u64, _data: &[u8]) {}
/// }
///
/// let mut bus = MmioBus::new();
/// bus.insert(0x1000_0000, 0x100, Arc::new(Zero)).unwrap();
/// assert!(bus.insert(0x1000_0080, 0x100, Arc::new(Zero)).is_err()); // overlap
///
/// let mut buf = [0u8; 4];
/// assert!(bus.read(0x1000_0004, &mut buf));
/// assert_eq!(buf, [0x5a; 4]);
/// assert!(!bus.read(0x2000_0000, &mut buf)); // nothing mapped: access fault
/// ```
#[derive(Default)]
pub struct MmioBus {
    map: Vec<Mapping>,
}

impl fmt::Debug for MmioBus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.map.iter().map(|m| (m.base, m.len))).finish()
    }
}

impl MmioBus {
    /// Creates an empty bus.
    pub fn new() -> Self {
        Self::default()
    }

    /// Maps `dev` at `[base, base + len)`.
    ///
    /// # Errors
    ///
    /// [`BusError`] if the range is empty, wraps around, or overlaps a
    /// device already on the bus.
    pub fn insert(&mut self, base: u64, len: u64, dev: Arc<dyn MmioDevice>) -> Result<(), BusError> {
        if len == 0 {
            return Err(BusError::EmptyRange { base });
        }
        let end = base.checked_add(len).ok_or(BusError::Wraps { base, len })?;
        // First mapping whose base is >= our base.
        let idx = self.map.partition_point(|m| m.base < base);
        let conflict = |m: &Mapping| BusError::Overlap { base, len, other_base: m.base, other_len: m.len };
        if let Some(prev) = idx.checked_sub(1).map(|i| &self.map[i]) {
            if prev.base + prev.len > base {
                return Err(conflict(prev));
            }
        }
        if let Some(next) = self.map.get(idx) {
            if next.base < end {
                return Err(conflict(next));
            }
        }
        self.map.insert(idx, Mapping { base, len, dev });
        Ok(())
    }

    /// The device covering `[addr, addr + size)` and the offset of `addr`
    /// inside it, if one device covers the whole access.
    pub fn find(&self, addr: u64, size: usize) -> Option<(u64, &Arc<dyn MmioDevice>)> {
        let idx = self.map.partition_point(|m| m.base <= addr).checked_sub(1)?;
        let m = &self.map[idx];
        let offset = addr - m.base;
        let end = offset.checked_add(size as u64)?;
        (end <= m.len && offset < m.len).then_some((offset, &m.dev))
    }

    /// Dispatches a guest load at `addr`; returns `false` (and leaves `data`
    /// untouched) if no device covers the access.
    pub fn read(&self, addr: u64, data: &mut [u8]) -> bool {
        match self.find(addr, data.len()) {
            Some((offset, dev)) => {
                dev.read(offset, data);
                true
            }
            None => false,
        }
    }

    /// Dispatches a guest store at `addr`; returns `false` if no device
    /// covers the access.
    pub fn write(&self, addr: u64, data: &[u8]) -> bool {
        match self.find(addr, data.len()) {
            Some((offset, dev)) => {
                dev.write(offset, data);
                true
            }
            None => false,
        }
    }

    /// The mapped ranges as `(base, len)`, sorted by base.
    pub fn ranges(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.map.iter().map(|m| (m.base, m.len))
    }
}

/// Reads a little-endian value of 1, 2, 4 or 8 bytes from `data`
/// (zero-extended). Other lengths give `None`.
pub fn le_value(data: &[u8]) -> Option<u64> {
    match data.len() {
        1 | 2 | 4 | 8 => {
            let mut b = [0u8; 8];
            b[..data.len()].copy_from_slice(data);
            Some(u64::from_le_bytes(b))
        }
        _ => None,
    }
}

/// Stores the low `data.len()` bytes of `value` into `data`, little-endian
/// (for lengths above 8 the rest is zero).
pub fn put_le_value(data: &mut [u8], value: u64) {
    let bytes = value.to_le_bytes();
    for (i, d) in data.iter_mut().enumerate() {
        *d = bytes.get(i).copied().unwrap_or(0);
    }
}
