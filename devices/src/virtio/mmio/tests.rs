use super::*;
use crate::irq::LevelCell;
use crate::virtio::queue::DescriptorChain;
use crate::virtio::test_mem::*;
use crate::virtio::STATUS_ACKNOWLEDGE;
use crate::virtio::STATUS_DRIVER;

/// Copies each chain's readable bytes into its writable ones.
struct Echo {
    log: Arc<Mutex<EchoLog>>,
    config: [u8; 8],
}

/// What the transport told the device.
#[derive(Default)]
struct EchoLog {
    activated: Option<u64>,
    resets: usize,
}

impl VirtioDevice for Echo {
    fn device_id(&self) -> u32 {
        42
    }
    fn features(&self) -> u64 {
        1 << 3
    }
    fn num_queues(&self) -> usize {
        2
    }
    fn queue_max_size(&self) -> u16 {
        16
    }
    fn read_config(&self, offset: u64, data: &mut [u8]) {
        crate::virtio::read_config_bytes(&self.config, offset, data);
    }
    fn write_config(&mut self, offset: u64, data: &[u8]) {
        if offset == 0 && !data.is_empty() {
            self.config[0] = data[0];
        }
    }
    fn activate(&mut self, features: u64) {
        self.log.lock().unwrap().activated = Some(features);
    }
    fn process_queue(&mut self, _index: usize, queue: &mut Queue, mem: &dyn GuestMemory) -> Result<(), QueueError> {
        queue.process(mem, |chain: &DescriptorChain, mem| {
            let mut data = vec![0; chain.readable_len().min(4096) as usize];
            chain.reader(mem).read_exact(&mut data)?;
            Ok(chain.writer(mem).write(&data)? as u32)
        })
    }
    fn reset(&mut self) {
        let mut log = self.log.lock().unwrap();
        log.resets += 1;
        log.activated = None;
    }
}

struct Fixture {
    mem: Arc<TestMem>,
    line: Arc<LevelCell>,
    log: Arc<Mutex<EchoLog>>,
    dev: VirtioMmio,
}

fn fixture() -> Fixture {
    let mem = Arc::new(TestMem::new());
    let line = Arc::new(LevelCell::default());
    let log = Arc::new(Mutex::new(EchoLog::default()));
    let echo = Echo { log: log.clone(), config: [1, 2, 3, 4, 5, 6, 7, 8] };
    let dev = VirtioMmio::new(Box::new(echo), mem.clone(), line.clone());
    Fixture { mem, line, log, dev }
}

impl Fixture {
    fn r(&self, off: u64) -> u32 {
        let mut b = [0xaa; 4];
        self.dev.read(off, &mut b);
        u32::from_le_bytes(b)
    }

    fn w(&self, off: u64, v: u32) {
        self.dev.write(off, &v.to_le_bytes());
    }

    fn negotiate(&self, features: u64) {
        self.w(STATUS, STATUS_ACKNOWLEDGE);
        self.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
        self.w(DRIVER_FEATURES_SEL, 0);
        self.w(DRIVER_FEATURES, features as u32);
        self.w(DRIVER_FEATURES_SEL, 1);
        self.w(DRIVER_FEATURES, (features >> 32) as u32);
        self.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
    }

    fn setup_queue(&self, index: u32, size: u32) {
        self.w(QUEUE_SEL, index);
        self.w(QUEUE_NUM, size);
        self.w(QUEUE_DESC_LOW, DESC as u32);
        self.w(QUEUE_DESC_HIGH, (DESC >> 32) as u32);
        self.w(QUEUE_DRIVER_LOW, AVAIL as u32);
        self.w(QUEUE_DRIVER_HIGH, 0);
        self.w(QUEUE_DEVICE_LOW, USED as u32);
        self.w(QUEUE_DEVICE_HIGH, 0);
        self.w(QUEUE_READY, 1);
    }

    /// A live device with queue 0 of size 8.
    fn live(&self, features: u64) {
        self.negotiate(features);
        self.setup_queue(0, 8);
        self.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
        assert_eq!(self.dev.status() & STATUS_DRIVER_OK, STATUS_DRIVER_OK);
    }
}

#[test]
fn identity_registers() {
    let f = fixture();
    assert_eq!(f.r(MAGIC), 0x7472_6976);
    assert_eq!(f.r(VERSION_REG), 2);
    assert_eq!(f.r(DEVICE_ID), 42);
    assert_eq!(f.r(VENDOR), VENDOR_ID);
    assert_eq!(f.r(CONFIG_GENERATION), 0);
}

#[test]
fn device_features_include_the_transport_ones() {
    let f = fixture();
    f.w(DEVICE_FEATURES_SEL, 0);
    assert_eq!(f.r(DEVICE_FEATURES), (1 << 3) | (1 << 28) | (1 << 29));
    f.w(DEVICE_FEATURES_SEL, 1);
    assert_eq!(f.r(DEVICE_FEATURES), 1, "VIRTIO_F_VERSION_1");
    f.w(DEVICE_FEATURES_SEL, 2);
    assert_eq!(f.r(DEVICE_FEATURES), 0);
}

#[test]
fn features_ok_needs_version_1_and_offered_bits_only() {
    let f = fixture();
    f.negotiate(1 << 3);
    assert_eq!(f.r(STATUS) & STATUS_FEATURES_OK, 0, "legacy driver refused");
    f.w(STATUS, 0);
    f.negotiate(VIRTIO_F_VERSION_1 | (1 << 4));
    assert_eq!(f.r(STATUS) & STATUS_FEATURES_OK, 0, "feature 4 not offered");
    f.w(STATUS, 0);
    f.negotiate(VIRTIO_F_VERSION_1 | (1 << 3));
    assert_eq!(f.r(STATUS) & STATUS_FEATURES_OK, STATUS_FEATURES_OK);
    // Features are frozen once accepted.
    f.w(DRIVER_FEATURES_SEL, 0);
    f.w(DRIVER_FEATURES, 0xffff_ffff);
    f.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
    assert_eq!(f.log.lock().unwrap().activated, Some(VIRTIO_F_VERSION_1 | (1 << 3)));
}

#[test]
fn driver_ok_without_features_ok_is_refused() {
    let f = fixture();
    f.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_DRIVER_OK);
    assert_eq!(f.r(STATUS) & STATUS_DRIVER_OK, 0);
}

#[test]
fn queue_registers() {
    let f = fixture();
    f.w(QUEUE_SEL, 0);
    assert_eq!(f.r(QUEUE_NUM_MAX), 16);
    assert_eq!(f.r(QUEUE_READY), 0);
    f.w(QUEUE_SEL, 2);
    assert_eq!(f.r(QUEUE_NUM_MAX), 0, "no such queue");
    f.w(QUEUE_NUM, 8);
    f.w(QUEUE_READY, 1);
    assert_eq!(f.r(QUEUE_READY), 0);
    f.setup_queue(1, 4);
    assert_eq!(f.r(QUEUE_READY), 1);
    assert_eq!(f.r(QUEUE_NUM), 4);
    assert_eq!(f.r(QUEUE_DESC_LOW), DESC as u32);
    assert_eq!(f.r(QUEUE_DRIVER_LOW), AVAIL as u32);
    assert_eq!(f.r(QUEUE_DEVICE_LOW), USED as u32);
    assert_eq!(f.r(QUEUE_DEVICE_HIGH), 0);
    // Frozen while ready.
    f.w(QUEUE_NUM, 2);
    f.w(QUEUE_DESC_HIGH, 1);
    assert_eq!(f.r(QUEUE_NUM), 4);
    assert_eq!(f.r(QUEUE_DESC_HIGH), 0);
    f.w(QUEUE_READY, 0);
    assert_eq!(f.r(QUEUE_READY), 0);
    f.w(QUEUE_NUM, 2);
    assert_eq!(f.r(QUEUE_NUM), 2);
}

#[test]
fn notify_serves_the_queue_and_raises_the_line() {
    let f = fixture();
    f.live(VIRTIO_F_VERSION_1);
    let mut drv = Driver::new(&f.mem, 8);
    f.mem.fill(DATA, b"ping");
    let head = drv.add(&[(DATA, 4, false), (DATA + 0x100, 4, true)]);
    f.w(QUEUE_NOTIFY, 0);
    assert_eq!(drv.used(), [(u32::from(head), 4)]);
    assert_eq!(f.mem.bytes(DATA + 0x100, 4), b"ping");
    assert_eq!(f.r(INTERRUPT_STATUS), INT_USED_BUFFER);
    assert!(f.line.level());
    f.w(INTERRUPT_ACK, INT_USED_BUFFER);
    assert_eq!(f.r(INTERRUPT_STATUS), 0);
    assert!(!f.line.level());
}

#[test]
fn notify_before_driver_ok_or_of_a_bad_queue_is_ignored() {
    let f = fixture();
    f.negotiate(VIRTIO_F_VERSION_1);
    f.setup_queue(0, 8);
    let mut drv = Driver::new(&f.mem, 8);
    drv.add(&[(DATA, 4, true)]);
    f.w(QUEUE_NOTIFY, 0);
    assert!(drv.used().is_empty());
    f.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
    f.w(QUEUE_NOTIFY, 1); // not ready
    f.w(QUEUE_NOTIFY, 7); // no such queue
    f.w(QUEUE_NOTIFY, u32::MAX);
    assert!(drv.used().is_empty());
    assert_eq!(f.r(STATUS) & STATUS_DEVICE_NEEDS_RESET, 0);
    f.dev.process_queue(0);
    assert_eq!(drv.used().len(), 1);
}

#[test]
fn a_broken_queue_needs_reset_until_the_driver_resets() {
    let f = fixture();
    f.live(VIRTIO_F_VERSION_1);
    let drv = Driver::new(&f.mem, 8);
    drv.set_desc(DESC, 0, DATA, 1, crate::virtio::queue::VIRTQ_DESC_F_NEXT, 0);
    let mut drv = drv;
    drv.publish(0);
    f.w(QUEUE_NOTIFY, 0);
    assert_eq!(f.r(STATUS) & STATUS_DEVICE_NEEDS_RESET, STATUS_DEVICE_NEEDS_RESET);
    assert_eq!(f.r(INTERRUPT_STATUS), INT_CONFIG_CHANGE);
    assert!(f.line.level());
    assert_eq!(f.dev.last_error(), Some(QueueError::ChainTooLong { head: 0 }));
    // Rewriting status keeps the flag; notifications are ignored.
    f.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
    assert_ne!(f.r(STATUS) & STATUS_DEVICE_NEEDS_RESET, 0);
    drv.add(&[(DATA, 1, true)]);
    f.w(QUEUE_NOTIFY, 0);
    assert!(drv.used().is_empty());
    // Reset clears everything and lowers the line.
    f.w(STATUS, 0);
    assert_eq!(f.r(STATUS), 0);
    assert_eq!(f.r(INTERRUPT_STATUS), 0);
    assert!(!f.line.level());
    assert_eq!(f.dev.last_error(), None);
    f.w(QUEUE_SEL, 0);
    assert_eq!(f.r(QUEUE_READY), 0);
    assert_eq!(f.dev.with_device(|d| d.device_id()), 42);
    // And the device works again after a fresh setup.
    let mem = f.mem.clone();
    mem.fill(DESC, &[0; 16 * 8]);
    mem.fill(AVAIL, &[0; 64]);
    mem.fill(USED, &[0; 128]);
    f.live(VIRTIO_F_VERSION_1);
    let mut drv = Driver::new(&mem, 8);
    drv.add(&[(DATA, 1, true)]);
    f.w(QUEUE_NOTIFY, 0);
    assert_eq!(drv.used().len(), 1);
}

#[test]
fn bad_queue_configs_need_reset() {
    for (size, desc) in [(3, DESC), (0, DESC), (32, DESC), (0x1_0008, DESC), (8, DESC + 8), (8, u64::MAX - 15)] {
        let f = fixture();
        f.negotiate(VIRTIO_F_VERSION_1);
        f.w(QUEUE_SEL, 0);
        f.w(QUEUE_NUM, size);
        f.w(QUEUE_DESC_LOW, desc as u32);
        f.w(QUEUE_DESC_HIGH, (desc >> 32) as u32);
        f.w(QUEUE_DRIVER_LOW, AVAIL as u32);
        f.w(QUEUE_DEVICE_LOW, USED as u32);
        f.w(QUEUE_READY, 1);
        assert_eq!(f.r(QUEUE_READY), 0, "size {size} desc {desc:#x}");
        assert_ne!(f.r(STATUS) & STATUS_DEVICE_NEEDS_RESET, 0);
        assert!(f.dev.last_error().is_some());
        assert_eq!(f.r(INTERRUPT_STATUS), 0, "the driver is not live yet");
        f.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
        assert_eq!(f.r(INTERRUPT_STATUS), INT_CONFIG_CHANGE, "told once it is");
        assert!(f.line.level());
    }
}

#[test]
fn rings_outside_ram_need_reset_and_write_nothing() {
    let f = fixture();
    f.negotiate(VIRTIO_F_VERSION_1);
    f.w(QUEUE_SEL, 0);
    f.w(QUEUE_NUM, 8);
    f.w(QUEUE_DESC_LOW, 0);
    f.w(QUEUE_DESC_HIGH, 0x100);
    f.w(QUEUE_DRIVER_LOW, 0);
    f.w(QUEUE_DRIVER_HIGH, 0x100);
    f.w(QUEUE_DEVICE_LOW, 0x1000);
    f.w(QUEUE_DEVICE_HIGH, 0x100);
    f.w(QUEUE_READY, 1);
    f.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
    let before = f.mem.snapshot();
    f.w(QUEUE_NOTIFY, 0);
    assert!(matches!(f.dev.last_error(), Some(QueueError::Memory(_))));
    assert_eq!(f.mem.snapshot(), before);
}

#[test]
fn event_idx_reaches_the_queues() {
    let f = fixture();
    f.live(VIRTIO_F_VERSION_1 | VIRTIO_RING_F_EVENT_IDX);
    let mut drv = Driver::new(&f.mem, 8);
    // used_event = 5: no interrupt for the first buffer.
    f.mem.write_u16(AVAIL + 4 + 2 * 8, 5).unwrap();
    drv.add(&[(DATA, 1, true)]);
    f.w(QUEUE_NOTIFY, 0);
    assert_eq!(drv.used().len(), 1);
    assert_eq!(f.r(INTERRUPT_STATUS), 0);
    assert_eq!(f.mem.read_u16(USED + 4 + 8 * 8).unwrap(), 1, "avail_event");
}

#[test]
fn config_space_any_size() {
    let f = fixture();
    let mut b = [0u8; 2];
    f.dev.read(CONFIG_OFFSET + 1, &mut b);
    assert_eq!(b, [2, 3]);
    let mut b = [0u8; 8];
    f.dev.read(CONFIG_OFFSET + 4, &mut b);
    assert_eq!(b, [5, 6, 7, 8, 0, 0, 0, 0]);
    f.dev.write(CONFIG_OFFSET, &[9]);
    let mut b = [0u8; 1];
    f.dev.read(CONFIG_OFFSET, &mut b);
    assert_eq!(b, [9]);
    f.dev.read(u64::MAX, &mut b);
    assert_eq!(b, [0]);
}

#[test]
fn config_changed_bumps_generation_and_interrupts_a_live_driver() {
    let f = fixture();
    f.dev.config_changed();
    assert_eq!(f.r(CONFIG_GENERATION), 1);
    assert_eq!(f.r(INTERRUPT_STATUS), 0);
    f.live(VIRTIO_F_VERSION_1);
    f.dev.config_changed();
    assert_eq!(f.r(CONFIG_GENERATION), 2);
    assert_eq!(f.dev.interrupt_status(), INT_CONFIG_CHANGE);
    assert!(f.line.level());
}

#[test]
fn odd_register_accesses_are_ignored() {
    let f = fixture();
    let mut b = [0xaa; 2];
    f.dev.read(MAGIC, &mut b);
    assert_eq!(b, [0, 0]);
    let mut b = [0xaa; 8];
    f.dev.read(MAGIC, &mut b);
    assert_eq!(b, [0; 8]);
    assert_eq!(f.r(MAGIC + 2), 0);
    assert_eq!(f.r(0x0f8), 0);
    f.dev.write(STATUS, &[1]);
    f.dev.write(STATUS + 1, &1u32.to_le_bytes());
    f.dev.write(STATUS, &1u64.to_le_bytes());
    assert_eq!(f.r(STATUS), 0);
}

#[test]
fn reset_reaches_the_device() {
    let f = fixture();
    f.live(VIRTIO_F_VERSION_1);
    assert_eq!(f.log.lock().unwrap().activated, Some(VIRTIO_F_VERSION_1));
    f.w(STATUS, 0);
    let log = f.log.lock().unwrap();
    assert_eq!((log.activated, log.resets), (None, 1));
}
