use super::*;
use crate::virtio::test_mem::*;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    fn text(&self) -> Vec<u8> {
        self.0.lock().unwrap().clone()
    }
}

fn console() -> (Console, Capture) {
    let c = Capture::default();
    (Console::new(Box::new(c.clone())), c)
}

#[test]
fn transmit_goes_to_the_sink() {
    let mem = TestMem::new();
    let mut drv = Driver::new(&mem, 8);
    let mut q = drv.queue(256);
    let (mut con, out) = console();
    mem.fill(DATA, b"hello, ");
    mem.fill(DATA + 0x100, b"world\n");
    drv.add(&[(DATA, 7, false), (DATA + 0x100, 6, false)]);
    drv.add(&[(DATA + 0x100, 5, false)]);
    con.process_queue(TX_QUEUE, &mut q, &mem).unwrap();
    assert_eq!(out.text(), b"hello, world\nworld");
    assert_eq!(drv.used(), [(0, 0), (2, 0)]);
}

#[test]
fn transmit_from_outside_ram_is_dropped() {
    let mem = TestMem::new();
    let mut drv = Driver::new(&mem, 8);
    let mut q = drv.queue(256);
    let (mut con, out) = console();
    drv.add(&[(0xdead_0000, 7, false)]);
    drv.add(&[(RAM_BASE + RAM_SIZE as u64 - 4, u32::MAX, false)]);
    con.process_queue(TX_QUEUE, &mut q, &mem).unwrap();
    assert_eq!(drv.used().len(), 2);
    assert!(out.text().len() <= CHUNK, "at most what fits before the end of RAM");
}

#[test]
fn huge_transmit_buffers_are_cut() {
    let mem = TestMem::new();
    let mut drv = Driver::new(&mem, 8);
    let mut q = drv.queue(256);
    let (mut con, out) = console();
    drv.add(&[(DATA, 0x8_0000, false), (DATA, 0x8_0000, false)]);
    con.process_queue(TX_QUEUE, &mut q, &mem).unwrap();
    assert_eq!(drv.used().len(), 1);
    assert_eq!(out.text().len(), MAX_TX_BYTES_PER_REQUEST);
}

#[test]
fn input_waits_for_buffers_and_splits_across_them() {
    let mem = TestMem::new();
    let mut drv = Driver::new(&mem, 8);
    let mut q = drv.queue(256);
    let (mut con, _) = console();
    let input = con.input();
    input.push(b"abcdef");
    con.process_queue(RX_QUEUE, &mut q, &mem).unwrap();
    assert!(drv.used().is_empty());
    assert_eq!(input.pending(), 6);
    drv.add(&[(DATA, 2, true), (DATA + 0x10, 2, true)]);
    con.process_queue(RX_QUEUE, &mut q, &mem).unwrap();
    assert_eq!(drv.used(), [(0, 4)]);
    assert_eq!(mem.bytes(DATA, 2), b"ab");
    assert_eq!(mem.bytes(DATA + 0x10, 2), b"cd");
    assert_eq!(input.pending(), 2);
    drv.add(&[(DATA + 0x20, 16, true)]);
    drv.add(&[(DATA + 0x40, 16, true)]);
    con.process_queue(RX_QUEUE, &mut q, &mem).unwrap();
    assert_eq!(drv.used(), [(2, 2)]);
    assert_eq!(mem.bytes(DATA + 0x20, 2), b"ef");
    assert_eq!(input.pending(), 0);
    // The second buffer stays with the device until more input comes.
    input.push(b"g");
    con.process_queue(RX_QUEUE, &mut q, &mem).unwrap();
    assert_eq!(drv.used(), [(3, 1)]);
}

#[test]
fn wrapped_input_queue_is_delivered_in_order() {
    let mem = TestMem::new();
    let mut drv = Driver::new(&mem, 8);
    let mut q = drv.queue(256);
    let (mut con, _) = console();
    let input = con.input();
    // Make the deque wrap so that it has two slices.
    input.push(&[b'x'; 5]);
    input.lock().drain(..5);
    input.push(b"0123456789");
    drv.add(&[(DATA, 32, true)]);
    con.process_queue(RX_QUEUE, &mut q, &mem).unwrap();
    assert_eq!(drv.used(), [(0, 10)]);
    assert_eq!(mem.bytes(DATA, 10), b"0123456789");
}

#[test]
fn input_into_a_buffer_outside_ram_stays_queued() {
    let mem = TestMem::new();
    let mut drv = Driver::new(&mem, 8);
    let mut q = drv.queue(256);
    let (mut con, _) = console();
    let input = con.input();
    input.push(b"abc");
    let before = mem.snapshot();
    drv.add(&[(0xdead_0000, 16, true)]);
    con.process_queue(RX_QUEUE, &mut q, &mem).unwrap();
    assert_eq!(drv.used(), [(0, 0)]);
    assert_eq!(input.pending(), 3);
    let data = (DATA - RAM_BASE) as usize..;
    assert!(mem.snapshot()[data.clone()] == before[data]);
}

#[test]
fn through_the_transport_input_raises_the_line() {
    use crate::irq::LevelCell;
    use crate::mmio::MmioDevice;
    use crate::virtio::mmio::VirtioMmio;

    let mem = Arc::new(TestMem::new());
    let line = Arc::new(LevelCell::default());
    let (con, out) = console();
    let input = con.input();
    let dev = VirtioMmio::new(Box::new(con), mem.clone(), line.clone());
    let w = |off: u64, v: u32| dev.write(off, &v.to_le_bytes());
    w(0x70, 3);
    w(0x24, 1);
    w(0x20, 1);
    w(0x70, 3 | 8);
    w(0x30, 0);
    w(0x38, 8);
    w(0x80, DESC as u32);
    w(0x90, AVAIL as u32);
    w(0xa0, USED as u32);
    w(0x44, 1);
    w(0x70, 3 | 8 | 4);
    let mut drv = Driver::new(&mem, 8);
    drv.add(&[(DATA, 8, true)]);
    w(0x50, 0);
    assert!(!line.level(), "no input yet");
    input.push(b"hi");
    dev.process_queue(RX_QUEUE);
    assert!(line.level());
    assert_eq!(drv.used(), [(0, 2)]);
    assert_eq!(mem.bytes(DATA, 2), b"hi");
    // Queue 1 is not set up: notifying it does nothing.
    w(0x50, 1);
    assert!(out.text().is_empty());
}

#[test]
fn unknown_queue_is_ignored() {
    let mem = TestMem::new();
    let drv = Driver::new(&mem, 8);
    let mut q = drv.queue(256);
    let (mut con, _) = console();
    con.process_queue(5, &mut q, &mem).unwrap();
    assert_eq!(con.num_queues(), 2);
    assert_eq!(con.device_id(), 3);
}
