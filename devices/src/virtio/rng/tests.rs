use super::*;
use crate::virtio::test_mem::*;

/// Counts up from 1, or fails.
struct Counter(u8, bool);

impl Read for Counter {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.1 {
            return Err(io::Error::other("no entropy"));
        }
        for b in buf.iter_mut() {
            self.0 = self.0.wrapping_add(1);
            *b = self.0;
        }
        Ok(buf.len())
    }
}

#[test]
fn fills_writable_buffers() {
    let mem = TestMem::new();
    let mut drv = Driver::new(&mem, 8);
    let mut q = drv.queue(256);
    let mut rng = Rng::with_source(Box::new(Counter(0, false)));
    let head = drv.add(&[(DATA, 3, true), (DATA + 0x100, 2, true)]);
    rng.process_queue(0, &mut q, &mem).unwrap();
    assert_eq!(drv.used(), [(u32::from(head), 5)]);
    assert_eq!(mem.bytes(DATA, 3), [1, 2, 3]);
    assert_eq!(mem.bytes(DATA + 0x100, 2), [4, 5]);
}

#[test]
fn host_urandom_is_not_all_zero() {
    let mem = TestMem::new();
    let mut drv = Driver::new(&mem, 8);
    let mut q = drv.queue(256);
    let mut rng = Rng::new().unwrap();
    drv.add(&[(DATA, 64, true)]);
    rng.process_queue(0, &mut q, &mem).unwrap();
    assert_eq!(drv.used()[0].1, 64);
    assert_ne!(mem.bytes(DATA, 64), [0; 64]);
}

#[test]
fn huge_requests_get_a_bounded_answer() {
    let mem = TestMem::new();
    let mut drv = Driver::new(&mem, 8);
    let mut q = drv.queue(256);
    let mut rng = Rng::with_source(Box::new(Counter(0, false)));
    drv.add(&[(DATA, u32::MAX, true)]);
    rng.process_queue(0, &mut q, &mem).unwrap();
    assert_eq!(drv.used()[0].1, MAX_BYTES_PER_REQUEST as u32);
}

#[test]
fn buffers_outside_ram_and_source_failures_give_short_answers() {
    let mem = TestMem::new();
    let mut drv = Driver::new(&mem, 8);
    let mut q = drv.queue(256);
    let before = mem.snapshot();
    let mut rng = Rng::with_source(Box::new(Counter(0, false)));
    drv.add(&[(0xdead_0000, 16, true)]);
    rng.process_queue(0, &mut q, &mem).unwrap();
    assert_eq!(drv.used()[0].1, 0);
    let data = (DATA - RAM_BASE) as usize..;
    assert!(mem.snapshot()[data.clone()] == before[data.clone()]);

    let mut failing = Rng::with_source(Box::new(Counter(0, true)));
    drv.add(&[(DATA, 16, true)]);
    failing.process_queue(0, &mut q, &mem).unwrap();
    assert_eq!(drv.used()[0].1, 0);
    assert!(mem.snapshot()[data.clone()] == before[data]);
}

#[test]
fn readable_only_chain_gets_nothing() {
    let mem = TestMem::new();
    let mut drv = Driver::new(&mem, 8);
    let mut q = drv.queue(256);
    let mut rng = Rng::with_source(Box::new(Counter(0, false)));
    drv.add(&[(DATA, 16, false)]);
    rng.process_queue(0, &mut q, &mem).unwrap();
    assert_eq!(drv.used()[0].1, 0);
    assert_eq!(mem.bytes(DATA, 16), [0; 16]);
}
