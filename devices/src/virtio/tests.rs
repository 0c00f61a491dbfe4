//! Robustness: a guest that writes garbage into its rings and registers.

use super::mmio::VirtioMmio;
use super::test_mem::*;
use super::*;
use crate::irq::LevelCell;
use crate::mmio::MmioDevice;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// xorshift64*: deterministic, so failures reproduce.
struct Prng(u64);

impl Prng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn w(dev: &VirtioMmio, off: u64, v: u32) {
    dev.write(off, &v.to_le_bytes());
}

/// Brings the device up with queues of `size` entries, rings as in
/// `test_mem` (queue q's rings offset by q · 0x4_0000) and cleared, as a
/// driver does.
fn bring_up(dev: &VirtioMmio, mem: &TestMem, queues: u32, size: u32) {
    for q in 0..u64::from(queues) {
        mem.fill(DESC + q * 0x4_0000, &[0; 0x1_0000]);
    }
    w(dev, 0x70, 0);
    w(dev, 0x70, 3);
    w(dev, 0x24, 1);
    w(dev, 0x20, 1);
    w(dev, 0x24, 0);
    w(dev, 0x20, (VIRTIO_RING_F_EVENT_IDX | VIRTIO_RING_F_INDIRECT_DESC) as u32);
    w(dev, 0x70, 3 | 8);
    for q in 0..queues {
        let shift = u64::from(q) * 0x4_0000;
        w(dev, 0x30, q);
        w(dev, 0x38, size);
        w(dev, 0x80, (DESC + shift) as u32);
        w(dev, 0x90, (AVAIL + shift) as u32);
        w(dev, 0xa0, (USED + shift) as u32);
        w(dev, 0x44, 1);
    }
    w(dev, 0x70, 3 | 8 | 4);
}

/// A plausible-or-not descriptor address and length.
fn buffer(rng: &mut Prng) -> (u64, u32) {
    match rng.below(10) {
        0 => (rng.next(), rng.next() as u32),
        1 => (RAM_BASE + RAM_SIZE as u64 - rng.below(64), rng.below(4096) as u32),
        2 => (DATA + rng.below(0x1000), u32::MAX - rng.below(2) as u32),
        _ => (DATA + rng.below(0x8000), rng.below(2048) as u32),
    }
}

fn desc(addr: u64, len: u32, flags: u16, next: u16) -> [u8; 16] {
    let mut d = [0u8; 16];
    d[..8].copy_from_slice(&addr.to_le_bytes());
    d[8..12].copy_from_slice(&len.to_le_bytes());
    d[12..14].copy_from_slice(&flags.to_le_bytes());
    d[14..].copy_from_slice(&next.to_le_bytes());
    d
}

/// Publishes a well-formed request (a virtio-blk one: header, data,
/// status) so that devices get real work between the garbage.
fn good_request(rng: &mut Prng, mem: &TestMem, queues: u32, size: u16) {
    use super::queue::{VIRTQ_DESC_F_NEXT as NEXT, VIRTQ_DESC_F_WRITE as WRITE};
    let q = rng.below(u64::from(queues)) * 0x4_0000;
    let head = rng.below(u64::from(size)) as u16 & !3;
    let hdr = DATA + 0x9000 + u64::from(head) * 0x10;
    let kind = [0u32, 1, 4, 8, 99][rng.below(5) as usize];
    let mut h = [0u8; 16];
    h[..4].copy_from_slice(&kind.to_le_bytes());
    h[8..].copy_from_slice(&rng.below(20).to_le_bytes());
    mem.fill(hdr, &h);
    let data_flags = if kind == 1 { NEXT } else { NEXT | WRITE };
    mem.fill(DESC + q + 16 * u64::from(head), &desc(hdr, 16, NEXT, head + 1));
    mem.fill(DESC + q + 16 * u64::from(head + 1), &desc(DATA + 0xa000, 512, data_flags, head + 2));
    mem.fill(DESC + q + 16 * u64::from(head + 2), &desc(DATA + 0xb000, 1, WRITE, 0));
    let idx = mem.read_u16(AVAIL + q + 2).unwrap();
    mem.write_u16(AVAIL + q + 4 + 2 * u64::from(idx % size), head).unwrap();
    mem.write_u16(AVAIL + q + 2, idx.wrapping_add(1)).unwrap();
}

fn scribble(rng: &mut Prng, mem: &TestMem, queues: u32, size: u16) {
    let q = rng.below(u64::from(queues)) * 0x4_0000;
    for _ in 0..rng.below(8) {
        let i = rng.below(u64::from(size) + 2);
        let (addr, len) = buffer(rng);
        let flags = rng.below(8) as u16;
        let next = if rng.below(4) == 0 { rng.next() as u16 } else { rng.below(u64::from(size)) as u16 };
        let d = desc(addr, len, flags, next);
        // Also into the data area, where indirect tables may point.
        let table = if rng.below(3) == 0 { DATA + rng.below(0x100) * 16 } else { DESC + q };
        let _ = mem.write(table + 16 * i, &d);
    }
    for _ in 0..rng.below(4) {
        let slot = rng.below(u64::from(size) + 1);
        let _ = mem.write_u16(AVAIL + q + 4 + 2 * slot, rng.below(u64::from(size) + 4) as u16);
    }
    let idx = mem.read_u16(AVAIL + q + 2).unwrap();
    let bump = if rng.below(20) == 0 { rng.next() as u16 } else { rng.below(4) as u16 };
    mem.write_u16(AVAIL + q + 2, idx.wrapping_add(bump)).unwrap();
}

fn torture(device: Box<dyn VirtioDevice>, seed: u64) {
    let queues = device.num_queues() as u32;
    let mem = Arc::new(TestMem::new());
    let dev = VirtioMmio::new(device, mem.clone(), Arc::new(LevelCell::default()));
    let mut rng = Prng(seed);
    let start = Instant::now();
    let (mut resets, mut used, mut size) = (0, 0, 16);
    for round in 0..3000 {
        let broken = dev.status() & STATUS_DEVICE_NEEDS_RESET != 0;
        if round % 200 == 0 || broken {
            resets += usize::from(broken);
            // Mostly valid sizes, so that requests get served too.
            size = [16, 16, 16, 8, 4, 1, 3, 0][rng.below(8) as usize];
            bring_up(&dev, &mem, queues, size);
        }
        match rng.below(20) {
            0 => {
                // A random register write (not a reset: that is above).
                let off = rng.below(0x40) * 4;
                if off != 0x70 {
                    w(&dev, off, rng.next() as u32);
                }
            }
            1 => {
                let mut b = [0u8; 8];
                dev.read(rng.below(0x200), &mut b[..1 << rng.below(4)]);
            }
            2..=9 if size >= 4 && size.is_power_of_two() => {
                good_request(&mut rng, &mem, queues, size as u16);
                w(&dev, 0x50, rng.below(u64::from(queues)) as u32);
            }
            _ => {
                scribble(&mut rng, &mem, queues, 16);
                w(&dev, 0x50, rng.below(u64::from(queues) + 1) as u32);
            }
        }
        // Acknowledge like a driver would.
        if dev.interrupt_status() & mmio::INT_USED_BUFFER != 0 {
            used += 1;
        }
        w(&dev, 0x64, 3);
    }
    assert!(start.elapsed() < Duration::from_secs(60), "took {:?}", start.elapsed());
    // Both paths were exercised: requests served and queues broken.
    assert!(resets > 50 && used > 50, "resets {resets}, used-buffer interrupts {used}");
}

#[test]
fn garbage_rings_never_panic_or_hang_blk() {
    let mut img = tempfile::NamedTempFile::new().unwrap();
    img.write_all(&[0x11; 16 * 512]).unwrap();
    let blk = blk::Block::open(img.path(), false).unwrap();
    for seed in 1..4 {
        torture(Box::new(blk::Block::open(img.path(), false).unwrap()), seed);
    }
    drop(blk);
    assert_eq!(std::fs::metadata(img.path()).unwrap().len(), 16 * 512, "the image never grows");
}

#[test]
fn garbage_rings_never_panic_or_hang_rng() {
    for seed in 10..13 {
        torture(Box::new(rng::Rng::with_source(Box::new(std::io::repeat(0x42)))), seed);
    }
}

#[test]
fn garbage_rings_never_panic_or_hang_console() {
    for seed in 20..23 {
        let console = console::Console::new(Box::new(std::io::sink()));
        console.input().push(&[b'x'; 10_000]);
        torture(Box::new(console), seed);
    }
}

#[test]
fn concurrent_guest_and_host_access_does_not_deadlock() {
    let mem = Arc::new(TestMem::new());
    let console = console::Console::new(Box::new(std::io::sink()));
    let input = console.input();
    let dev = Arc::new(VirtioMmio::new(Box::new(console), mem.clone(), Arc::new(LevelCell::default())));
    bring_up(&dev, &mem, 2, 16);
    let vcpus: Vec<_> = (0..2u64)
        .map(|seed| {
            let (dev, mem) = (dev.clone(), mem.clone());
            std::thread::spawn(move || {
                let mut rng = Prng(seed + 100);
                for _ in 0..2000 {
                    if rng.below(2) == 0 {
                        good_request(&mut rng, &mem, 2, 16);
                    }
                    w(&dev, 0x50, rng.below(2) as u32);
                    let mut b = [0u8; 4];
                    dev.read(0x60, &mut b);
                    dev.write(0x64, &b);
                    if dev.status() & STATUS_DEVICE_NEEDS_RESET != 0 {
                        bring_up(&dev, &mem, 2, 16);
                    }
                }
            })
        })
        .collect();
    for _ in 0..2000 {
        input.push(b"k");
        dev.process_queue(console::RX_QUEUE);
    }
    for v in vcpus {
        v.join().unwrap();
    }
}
