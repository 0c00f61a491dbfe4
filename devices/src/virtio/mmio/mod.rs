//! The virtio-mmio transport, version 2 (virtio 1.x section 4.2.2).
//!
//! | offset | register | |
//! |---|---|---|
//! | `0x000` | MagicValue | `0x74726976` ("virt") |
//! | `0x004` | Version | 2 |
//! | `0x008` | DeviceID | from the device model |
//! | `0x00c` | VendorID | [`VENDOR_ID`] |
//! | `0x010` / `0x014` | DeviceFeatures / DeviceFeaturesSel | 32 bits of the offered features at a time |
//! | `0x020` / `0x024` | DriverFeatures / DriverFeaturesSel | accepted until FEATURES_OK |
//! | `0x030` | QueueSel | |
//! | `0x034` | QueueNumMax | 0 for queues that do not exist |
//! | `0x038` | QueueNum | |
//! | `0x044` | QueueReady | writing 1 checks the queue configuration |
//! | `0x050` | QueueNotify | the queue index |
//! | `0x060` / `0x064` | InterruptStatus / InterruptACK | bit 0 used buffer, bit 1 configuration change |
//! | `0x070` | Status | writing 0 resets the device |
//! | `0x080`–`0x0a4` | QueueDesc / QueueDriver / QueueDevice Low, High | ring addresses |
//! | `0x0fc` | ConfigGeneration | |
//! | `0x100`– | device configuration space | any access size |
//!
//! Registers below `0x100` take aligned 32-bit accesses only; others are
//! ignored and read as zero. Queue registers cannot change while the queue
//! is ready.
//!
//! The interrupt line is high while InterruptStatus is non-zero. When the
//! guest breaks a queue the transport sets DEVICE_NEEDS_RESET, raises a
//! configuration-change interrupt (if the driver is live) and ignores
//! notifications until the driver writes 0 to Status.

use std::sync::{Arc, Mutex, MutexGuard};

use super::queue::{Queue, QueueError};
use super::{
    GuestMemory, VirtioDevice, STATUS_DEVICE_NEEDS_RESET, STATUS_DRIVER_OK, STATUS_FEATURES_OK, VIRTIO_F_VERSION_1,
    VIRTIO_RING_F_EVENT_IDX, VIRTIO_RING_F_INDIRECT_DESC,
};
use crate::irq::IrqLine;
use crate::mmio::MmioDevice;

#[cfg(test)]
mod tests;

/// MagicValue: "virt" in little-endian.
pub const MAGIC_VALUE: u32 = 0x7472_6976;
/// The transport version (2: virtio 1.x, no legacy interface).
pub const VERSION: u32 = 2;
/// VendorID: "hvm" in little-endian.
pub const VENDOR_ID: u32 = 0x006d_7668;
/// Offset of the device configuration space.
pub const CONFIG_OFFSET: u64 = 0x100;
/// InterruptStatus bit: a queue has used buffers.
pub const INT_USED_BUFFER: u32 = 1;
/// InterruptStatus bit: the configuration (or device status) changed.
pub const INT_CONFIG_CHANGE: u32 = 2;

const MAGIC: u64 = 0x000;
const VERSION_REG: u64 = 0x004;
const DEVICE_ID: u64 = 0x008;
const VENDOR: u64 = 0x00c;
const DEVICE_FEATURES: u64 = 0x010;
const DEVICE_FEATURES_SEL: u64 = 0x014;
const DRIVER_FEATURES: u64 = 0x020;
const DRIVER_FEATURES_SEL: u64 = 0x024;
const QUEUE_SEL: u64 = 0x030;
const QUEUE_NUM_MAX: u64 = 0x034;
const QUEUE_NUM: u64 = 0x038;
const QUEUE_READY: u64 = 0x044;
const QUEUE_NOTIFY: u64 = 0x050;
const INTERRUPT_STATUS: u64 = 0x060;
const INTERRUPT_ACK: u64 = 0x064;
const STATUS: u64 = 0x070;
const QUEUE_DESC_LOW: u64 = 0x080;
const QUEUE_DESC_HIGH: u64 = 0x084;
const QUEUE_DRIVER_LOW: u64 = 0x090;
const QUEUE_DRIVER_HIGH: u64 = 0x094;
const QUEUE_DEVICE_LOW: u64 = 0x0a0;
const QUEUE_DEVICE_HIGH: u64 = 0x0a4;
const CONFIG_GENERATION: u64 = 0x0fc;

/// The features every device offers through this transport.
const TRANSPORT_FEATURES: u64 = VIRTIO_F_VERSION_1 | VIRTIO_RING_F_INDIRECT_DESC | VIRTIO_RING_F_EVENT_IDX;

struct Inner {
    device: Box<dyn VirtioDevice>,
    queues: Vec<Queue>,
    device_features_sel: u32,
    driver_features_sel: u32,
    driver_features: u64,
    queue_sel: u32,
    status: u32,
    interrupt_status: u32,
    config_generation: u32,
    line: bool,
    last_error: Option<QueueError>,
}

impl Inner {
    fn offered(&self) -> u64 {
        self.device.features() | TRANSPORT_FEATURES
    }

    fn queue(&mut self) -> Option<&mut Queue> {
        self.queues.get_mut(self.queue_sel as usize)
    }

    fn reset(&mut self) {
        self.device.reset();
        for q in &mut self.queues {
            q.reset();
        }
        self.device_features_sel = 0;
        self.driver_features_sel = 0;
        self.driver_features = 0;
        self.queue_sel = 0;
        self.status = 0;
        self.interrupt_status = 0;
        self.last_error = None;
    }

    fn fail(&mut self, err: QueueError) {
        self.status |= STATUS_DEVICE_NEEDS_RESET;
        if self.status & STATUS_DRIVER_OK != 0 {
            self.interrupt_status |= INT_CONFIG_CHANGE;
        }
        self.last_error = Some(err);
    }

    fn live(&self) -> bool {
        self.status & (STATUS_DRIVER_OK | STATUS_DEVICE_NEEDS_RESET) == STATUS_DRIVER_OK
    }

    fn process(&mut self, index: usize, mem: &dyn GuestMemory) {
        if !self.live() {
            return;
        }
        let Some(queue) = self.queues.get_mut(index) else { return };
        if !queue.ready() {
            return;
        }
        let result = self.device.process_queue(index, queue, mem).and_then(|()| queue.needs_interrupt(mem));
        match result {
            Ok(true) => self.interrupt_status |= INT_USED_BUFFER,
            Ok(false) => {}
            Err(e) => self.fail(e),
        }
    }

    fn write_status(&mut self, v: u32) {
        if v == 0 {
            self.reset();
            return;
        }
        let old = self.status;
        let mut new = v | (old & STATUS_DEVICE_NEEDS_RESET);
        if new & STATUS_FEATURES_OK != 0 && old & STATUS_FEATURES_OK == 0 {
            let acceptable =
                self.driver_features & !self.offered() == 0 && self.driver_features & VIRTIO_F_VERSION_1 != 0;
            if !acceptable {
                // The driver reads Status back and sees the refusal.
                new &= !STATUS_FEATURES_OK;
            }
        }
        if new & STATUS_DRIVER_OK != 0 && old & STATUS_DRIVER_OK == 0 {
            if new & STATUS_FEATURES_OK == 0 {
                // DRIVER_OK without negotiated features is a driver bug.
                new &= !STATUS_DRIVER_OK;
            } else {
                let event_idx = self.driver_features & VIRTIO_RING_F_EVENT_IDX != 0;
                for q in &mut self.queues {
                    q.set_event_idx(event_idx);
                }
                self.device.activate(self.driver_features);
                if new & STATUS_DEVICE_NEEDS_RESET != 0 {
                    // The failure came before the driver could hear of it.
                    self.interrupt_status |= INT_CONFIG_CHANGE;
                }
            }
        }
        self.status = new;
    }

    fn read32(&mut self, offset: u64) -> u32 {
        match offset {
            MAGIC => MAGIC_VALUE,
            VERSION_REG => VERSION,
            DEVICE_ID => self.device.device_id(),
            VENDOR => VENDOR_ID,
            DEVICE_FEATURES => match self.device_features_sel {
                0 => self.offered() as u32,
                1 => (self.offered() >> 32) as u32,
                _ => 0,
            },
            QUEUE_NUM_MAX => self.queue().map_or(0, |q| u32::from(q.max_size())),
            QUEUE_NUM => self.queue().map_or(0, |q| u32::from(q.size())),
            QUEUE_READY => self.queue().map_or(0, |q| u32::from(q.ready())),
            INTERRUPT_STATUS => self.interrupt_status,
            STATUS => self.status,
            QUEUE_DESC_LOW => self.queue().map_or(0, |q| q.addresses().0 as u32),
            QUEUE_DESC_HIGH => self.queue().map_or(0, |q| (q.addresses().0 >> 32) as u32),
            QUEUE_DRIVER_LOW => self.queue().map_or(0, |q| q.addresses().1 as u32),
            QUEUE_DRIVER_HIGH => self.queue().map_or(0, |q| (q.addresses().1 >> 32) as u32),
            QUEUE_DEVICE_LOW => self.queue().map_or(0, |q| q.addresses().2 as u32),
            QUEUE_DEVICE_HIGH => self.queue().map_or(0, |q| (q.addresses().2 >> 32) as u32),
            CONFIG_GENERATION => self.config_generation,
            _ => 0,
        }
    }

    fn write32(&mut self, offset: u64, v: u32, mem: &dyn GuestMemory) {
        fn set_low(old: u64, v: u32) -> u64 {
            (old & !0xffff_ffff) | u64::from(v)
        }
        fn set_high(old: u64, v: u32) -> u64 {
            (old & 0xffff_ffff) | (u64::from(v) << 32)
        }
        let features_open = self.status & STATUS_FEATURES_OK == 0;
        match offset {
            DEVICE_FEATURES_SEL => self.device_features_sel = v,
            DRIVER_FEATURES_SEL => self.driver_features_sel = v,
            DRIVER_FEATURES if features_open => match self.driver_features_sel {
                0 => self.driver_features = set_low(self.driver_features, v),
                1 => self.driver_features = set_high(self.driver_features, v),
                _ => {}
            },
            QUEUE_SEL => self.queue_sel = v,
            QUEUE_READY => {
                let ready = v & 1 != 0;
                let result = match self.queue() {
                    // Rewriting the same value must not rewind the rings.
                    Some(q) if q.ready() != ready => q.set_ready(ready),
                    _ => Ok(()),
                };
                if let Err(e) = result {
                    self.fail(e);
                }
            }
            QUEUE_NOTIFY => self.process(v as usize, mem),
            INTERRUPT_ACK => self.interrupt_status &= !v,
            STATUS => self.write_status(v),
            QUEUE_NUM | QUEUE_DESC_LOW | QUEUE_DESC_HIGH | QUEUE_DRIVER_LOW | QUEUE_DRIVER_HIGH | QUEUE_DEVICE_LOW
            | QUEUE_DEVICE_HIGH => {
                let Some(q) = self.queue().filter(|q| !q.ready()) else { return };
                let (desc, avail, used) = q.addresses();
                match offset {
                    // Sizes above 16 bits can never be valid; keep them
                    // invalid instead of truncating them into range.
                    QUEUE_NUM => q.set_size(u16::try_from(v).unwrap_or(0)),
                    QUEUE_DESC_LOW => q.set_desc_table(set_low(desc, v)),
                    QUEUE_DESC_HIGH => q.set_desc_table(set_high(desc, v)),
                    QUEUE_DRIVER_LOW => q.set_avail_ring(set_low(avail, v)),
                    QUEUE_DRIVER_HIGH => q.set_avail_ring(set_high(avail, v)),
                    QUEUE_DEVICE_LOW => q.set_used_ring(set_low(used, v)),
                    _ => q.set_used_ring(set_high(used, v)),
                }
            }
            _ => {}
        }
    }
}

/// A virtio device behind the virtio-mmio transport: the
/// [`MmioDevice`] the VMM maps into a virtio-mmio slot.
///
/// ```
/// use hartvm_devices::irq::LevelCell;
/// use hartvm_devices::mmio::MmioDevice;
/// use hartvm_devices::virtio::mmio::VirtioMmio;
/// use hartvm_devices::virtio::queue::{Queue, QueueError};
/// use hartvm_devices::virtio::{GuestMemory, MemError, VirtioDevice};
/// use std::sync::Arc;
///
/// struct NoRam;
/// impl GuestMemory for NoRam {
///     fn read(&self, addr: u64, buf: &mut [u8]) -> Result<(), MemError> {
///         Err(MemError { addr, len: buf.len() as u64 })
///     }
///     fn write(&self, addr: u64, buf: &[u8]) -> Result<(), MemError> {
///         Err(MemError { addr, len: buf.len() as u64 })
///     }
/// }
///
/// struct Null;
/// impl VirtioDevice for Null {
///     fn device_id(&self) -> u32 { 4 }
///     fn features(&self) -> u64 { 0 }
///     fn num_queues(&self) -> usize { 1 }
///     fn process_queue(&mut self, _: usize, _: &mut Queue, _: &dyn GuestMemory) -> Result<(), QueueError> {
///         Ok(())
///     }
/// }
///
/// let dev = VirtioMmio::new(Box::new(Null), Arc::new(NoRam), Arc::new(LevelCell::default()));
/// let mut b = [0u8; 4];
/// dev.read(0, &mut b);
/// assert_eq!(&b, b"virt");
/// dev.read(8, &mut b);
/// assert_eq!(u32::from_le_bytes(b), 4); // DeviceID
/// ```
pub struct VirtioMmio {
    mem: Arc<dyn GuestMemory>,
    irq: Arc<dyn IrqLine>,
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for VirtioMmio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.lock();
        f.debug_struct("VirtioMmio")
            .field("device_id", &s.device.device_id())
            .field("status", &s.status)
            .field("interrupt_status", &s.interrupt_status)
            .finish_non_exhaustive()
    }
}

impl VirtioMmio {
    /// Puts `device` behind the transport, with its buffers in `mem` and
    /// its interrupt on `irq`.
    pub fn new(device: Box<dyn VirtioDevice>, mem: Arc<dyn GuestMemory>, irq: Arc<dyn IrqLine>) -> Self {
        let max = device.queue_max_size();
        let queues = (0..device.num_queues()).map(|_| Queue::new(max)).collect();
        VirtioMmio {
            mem,
            irq,
            inner: Mutex::new(Inner {
                device,
                queues,
                device_features_sel: 0,
                driver_features_sel: 0,
                driver_features: 0,
                queue_sel: 0,
                status: 0,
                interrupt_status: 0,
                config_generation: 0,
                line: false,
                last_error: None,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Drives the interrupt line from InterruptStatus.
    fn sync_irq(&self, s: &mut Inner) {
        let level = s.interrupt_status != 0;
        if level != s.line {
            s.line = level;
            self.irq.set_level(level);
        }
    }

    /// Services queue `index` as if the guest had notified it: for work the
    /// host side starts, such as console input the VMM has queued. Does
    /// nothing unless the driver is live and the queue ready.
    pub fn process_queue(&self, index: usize) {
        let mut s = self.lock();
        s.process(index, &*self.mem);
        self.sync_irq(&mut s);
    }

    /// Tells the driver the device configuration changed (bumps
    /// ConfigGeneration and raises a configuration-change interrupt).
    pub fn config_changed(&self) {
        let mut s = self.lock();
        s.config_generation = s.config_generation.wrapping_add(1);
        if s.status & STATUS_DRIVER_OK != 0 {
            s.interrupt_status |= INT_CONFIG_CHANGE;
        }
        self.sync_irq(&mut s);
    }

    /// The device status register.
    pub fn status(&self) -> u32 {
        self.lock().status
    }

    /// The InterruptStatus register (the line is high while it is non-zero).
    pub fn interrupt_status(&self) -> u32 {
        self.lock().interrupt_status
    }

    /// Why the device last set DEVICE_NEEDS_RESET, for the VMM's log.
    pub fn last_error(&self) -> Option<QueueError> {
        self.lock().last_error.clone()
    }

    /// Runs `f` on the device model (e.g. to inspect it in tests).
    pub fn with_device<R>(&self, f: impl FnOnce(&mut dyn VirtioDevice) -> R) -> R {
        f(&mut *self.lock().device)
    }
}

impl MmioDevice for VirtioMmio {
    fn read(&self, offset: u64, data: &mut [u8]) {
        data.fill(0);
        let s = self.lock();
        if offset >= CONFIG_OFFSET {
            s.device.read_config(offset - CONFIG_OFFSET, data);
        } else if data.len() == 4 && offset.is_multiple_of(4) {
            let mut s = s;
            data.copy_from_slice(&s.read32(offset).to_le_bytes());
        }
    }

    fn write(&self, offset: u64, data: &[u8]) {
        let mut s = self.lock();
        if offset >= CONFIG_OFFSET {
            s.device.write_config(offset - CONFIG_OFFSET, data);
        } else if let (Ok(bytes), true) = (<[u8; 4]>::try_from(data), offset.is_multiple_of(4)) {
            s.write32(offset, u32::from_le_bytes(bytes), &*self.mem);
        }
        self.sync_irq(&mut s);
    }
}
