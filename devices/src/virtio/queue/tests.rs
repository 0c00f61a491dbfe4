use super::*;
use crate::virtio::test_mem::*;

fn setup(size: u16) -> (TestMem, u16) {
    (TestMem::new(), size)
}

#[test]
fn pops_a_chain_and_returns_it_used() {
    let (mem, size) = setup(8);
    let mut drv = Driver::new(&mem, size);
    let mut q = drv.queue(8);
    assert_eq!(q.pop(&mem).unwrap(), None);
    let head = drv.add(&[(DATA, 16, false), (DATA + 0x100, 32, true), (DATA + 0x200, 1, true)]);
    let chain = q.pop(&mem).unwrap().unwrap();
    assert_eq!(chain.head, head);
    assert_eq!(chain.readable_len(), 16);
    assert_eq!(chain.writable_len(), 33);
    assert_eq!(chain.last_writable_byte(), Some(DATA + 0x200));
    assert_eq!(q.pop(&mem).unwrap(), None);
    q.add_used(&mem, chain.head, 7).unwrap();
    assert_eq!(drv.used(), [(u32::from(head), 7)]);
    assert!(q.needs_interrupt(&mem).unwrap());
    assert!(!q.needs_interrupt(&mem).unwrap(), "nothing new since");
}

#[test]
fn reader_and_writer_cross_descriptor_boundaries() {
    let (mem, size) = setup(8);
    let mut drv = Driver::new(&mem, size);
    let mut q = drv.queue(8);
    mem.fill(DATA, b"abc");
    mem.fill(DATA + 0x10, b"defgh");
    drv.add(&[(DATA, 3, false), (DATA + 0x10, 5, false), (DATA + 0x100, 2, true), (DATA + 0x110, 4, true)]);
    let chain = q.pop(&mem).unwrap().unwrap();
    let mut r = chain.reader(&mem);
    let mut buf = [0u8; 6];
    assert_eq!(r.read(&mut buf).unwrap(), 6);
    assert_eq!(&buf, b"abcdef");
    assert_eq!(r.read(&mut buf).unwrap(), 2);
    assert_eq!(&buf[..2], b"gh");
    assert_eq!(r.read(&mut buf).unwrap(), 0, "stops before the writable part");
    let mut w = chain.writer(&mem);
    w.set_limit(5);
    assert_eq!(w.write(b"0123456789").unwrap(), 5);
    assert_eq!(w.written(), 5);
    assert_eq!(mem.bytes(DATA + 0x100, 2), b"01");
    assert_eq!(mem.bytes(DATA + 0x110, 4), b"234\0");
    let mut r = chain.reader(&mem);
    assert!(matches!(r.read_exact(&mut [0; 9]), Err(QueueError::Malformed(_))));
}

#[test]
fn ring_wraps_past_u16_and_queue_size() {
    let (mem, size) = setup(4);
    let mut drv = Driver::new(&mem, size);
    let mut q = drv.queue(4);
    for round in 0..70_000u32 {
        let head = drv.add(&[(DATA, 4, true)]);
        let chain = q.pop(&mem).unwrap().unwrap();
        assert_eq!(chain.head, head);
        q.add_used(&mem, chain.head, round).unwrap();
        assert_eq!(drv.used(), [(u32::from(head), round)]);
    }
}

#[test]
fn indirect_table_is_flattened() {
    let (mem, size) = setup(8);
    let drv = Driver::new(&mem, size);
    let mut q = drv.queue(8);
    let table = DATA + 0x1000;
    drv.set_desc(table, 0, DATA, 10, VIRTQ_DESC_F_NEXT, 2);
    drv.set_desc(table, 2, DATA + 0x100, 20, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
    drv.set_desc(table, 1, DATA + 0x200, 1, VIRTQ_DESC_F_WRITE, 0);
    drv.set_desc(DESC, 5, table, 48, VIRTQ_DESC_F_INDIRECT, 0);
    let mut drv = drv;
    drv.publish(5);
    let chain = q.pop(&mem).unwrap().unwrap();
    assert_eq!(chain.head, 5);
    assert_eq!(
        chain.descs,
        [
            Descriptor { addr: DATA, len: 10, writable: false },
            Descriptor { addr: DATA + 0x100, len: 20, writable: true },
            Descriptor { addr: DATA + 0x200, len: 1, writable: true },
        ]
    );
}

fn broken(setup_chain: impl FnOnce(&Driver)) -> QueueError {
    let mem = TestMem::new();
    let mut drv = Driver::new(&mem, 8);
    let mut q = drv.queue(8);
    setup_chain(&drv);
    drv.publish(0);
    q.pop(&mem).unwrap_err()
}

#[test]
fn descriptor_loop_is_an_error() {
    let e = broken(|d| {
        d.set_desc(DESC, 0, DATA, 1, VIRTQ_DESC_F_NEXT, 1);
        d.set_desc(DESC, 1, DATA, 1, VIRTQ_DESC_F_NEXT, 0);
    });
    assert_eq!(e, QueueError::ChainTooLong { head: 0 });
    let e = broken(|d| d.set_desc(DESC, 0, DATA, 1, VIRTQ_DESC_F_NEXT, 0));
    assert_eq!(e, QueueError::ChainTooLong { head: 0 });
}

#[test]
fn descriptor_index_past_the_table_is_an_error() {
    let e = broken(|d| d.set_desc(DESC, 0, DATA, 1, VIRTQ_DESC_F_NEXT, 8));
    assert_eq!(e, QueueError::DescIndex { index: 8, size: 8 });
    let mem = TestMem::new();
    let mut drv = Driver::new(&mem, 8);
    let mut q = drv.queue(8);
    drv.publish(0xffff);
    assert_eq!(q.pop(&mem).unwrap_err(), QueueError::DescIndex { index: 0xffff, size: 8 });
}

#[test]
fn indirect_loops_and_bad_tables_are_errors() {
    let table = DATA + 0x1000;
    let e = broken(|d| {
        d.set_desc(table, 0, DATA, 1, VIRTQ_DESC_F_NEXT, 1);
        d.set_desc(table, 1, DATA, 1, VIRTQ_DESC_F_NEXT, 0);
        d.set_desc(DESC, 0, table, 32, VIRTQ_DESC_F_INDIRECT, 0);
    });
    assert_eq!(e, QueueError::ChainTooLong { head: 0 });
    let e = broken(|d| {
        d.set_desc(table, 0, DATA, 1, VIRTQ_DESC_F_NEXT, 5);
        d.set_desc(DESC, 0, table, 32, VIRTQ_DESC_F_INDIRECT, 0);
    });
    assert_eq!(e, QueueError::DescIndex { index: 5, size: 2 });
    let e = broken(|d| {
        d.set_desc(table, 0, table, 16, VIRTQ_DESC_F_INDIRECT, 0);
        d.set_desc(DESC, 0, table, 16, VIRTQ_DESC_F_INDIRECT, 0);
    });
    assert!(matches!(e, QueueError::BadIndirect(_)));
    for len in [0, 15, 17, 16 * 9, !15] {
        let e = broken(|d| d.set_desc(DESC, 0, table, len, VIRTQ_DESC_F_INDIRECT, 0));
        assert!(matches!(e, QueueError::BadIndirect(_)), "len {len}: {e:?}");
    }
    let e = broken(|d| d.set_desc(DESC, 0, table, 16, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT, 1));
    assert!(matches!(e, QueueError::BadIndirect(_)));
    // A table outside RAM.
    let e = broken(|d| d.set_desc(DESC, 0, 0xdead_0000_0000, 32, VIRTQ_DESC_F_INDIRECT, 0));
    assert!(matches!(e, QueueError::Memory(_)));
}

#[test]
fn readable_after_writable_and_wrapping_buffers_are_errors() {
    let e = broken(|d| {
        d.set_desc(DESC, 0, DATA, 1, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
        d.set_desc(DESC, 1, DATA, 1, 0, 0);
    });
    assert_eq!(e, QueueError::ReadableAfterWritable { head: 0 });
    let e = broken(|d| d.set_desc(DESC, 0, u64::MAX - 4, 16, 0, 0));
    assert_eq!(e, QueueError::BufferWraps { addr: u64::MAX - 4, len: 16 });
}

#[test]
fn avail_index_too_far_ahead_is_an_error() {
    let mem = TestMem::new();
    let drv = Driver::new(&mem, 8);
    let mut q = drv.queue(8);
    mem.write_u16(AVAIL + 2, 9).unwrap();
    assert_eq!(q.pop(&mem).unwrap_err(), QueueError::AvailIndex { avail_idx: 9, ahead: 9, size: 8 });
    assert!(q.enable_notification(&mem).is_err());
}

#[test]
fn rings_outside_ram_are_errors_not_accesses() {
    let mem = TestMem::new();
    let before = mem.snapshot();
    let mut q = Queue::new(8);
    q.set_size(8);
    q.set_desc_table(0x10);
    q.set_avail_ring(0x1000);
    q.set_used_ring(0xffff_ffff_0000);
    q.set_ready(true).unwrap();
    assert!(matches!(q.pop(&mem), Err(QueueError::Memory(_))));
    assert!(matches!(q.add_used(&mem, 0, 0), Err(QueueError::Memory(_))));
    assert_eq!(mem.snapshot(), before);
}

#[test]
fn huge_lengths_are_not_allocated_or_read_beyond_ram() {
    let (mem, size) = setup(8);
    let mut drv = Driver::new(&mem, size);
    let mut q = drv.queue(8);
    drv.add(&[(DATA, u32::MAX, false), (DATA, u32::MAX, true)]);
    let chain = q.pop(&mem).unwrap().unwrap();
    assert_eq!(chain.readable_len(), u64::from(u32::MAX));
    let mut r = chain.reader(&mem);
    let mut buf = vec![0u8; 4096];
    assert_eq!(r.read(&mut buf).unwrap(), 4096);
    let mut w = chain.writer(&mem);
    let big = vec![0u8; RAM_SIZE];
    assert!(w.write(&big).is_err(), "runs off the end of RAM");
}

#[test]
fn validate_checks_size_and_alignment() {
    let mut q = Queue::new(256);
    q.set_desc_table(0x1000);
    q.set_avail_ring(0x2000);
    q.set_used_ring(0x3000);
    for bad in [0, 3, 100, 255, 512] {
        q.set_size(bad);
        assert_eq!(q.set_ready(true).unwrap_err(), QueueError::BadSize { size: bad, max: 256 });
        assert!(!q.ready());
    }
    q.set_size(256);
    q.validate().unwrap();
    q.set_desc_table(0x1008);
    assert!(matches!(q.validate(), Err(QueueError::BadRingAddress { ring: "descriptor", .. })));
    q.set_desc_table(0x1000);
    q.set_avail_ring(0x2001);
    assert!(matches!(q.validate(), Err(QueueError::BadRingAddress { ring: "available", .. })));
    q.set_avail_ring(0x2000);
    q.set_used_ring(0x3002);
    assert!(matches!(q.validate(), Err(QueueError::BadRingAddress { ring: "used", .. })));
    q.set_used_ring(u64::MAX - 3);
    assert!(matches!(q.validate(), Err(QueueError::BadRingAddress { ring: "used", .. })));
    assert_eq!(Queue::new(u16::MAX).max_size(), MAX_QUEUE_SIZE);
}

#[test]
fn no_interrupt_flag_suppresses_interrupts() {
    let (mem, size) = setup(8);
    let mut drv = Driver::new(&mem, size);
    let mut q = drv.queue(8);
    mem.write_u16(AVAIL, VIRTQ_AVAIL_F_NO_INTERRUPT).unwrap();
    drv.add(&[(DATA, 1, true)]);
    let c = q.pop(&mem).unwrap().unwrap();
    q.add_used(&mem, c.head, 1).unwrap();
    assert!(!q.needs_interrupt(&mem).unwrap());
}

#[test]
fn event_idx_suppression_both_ways() {
    let (mem, size) = setup(8);
    let mut drv = Driver::new(&mem, size);
    let mut q = drv.queue(8);
    q.set_event_idx(true);
    let used_event = AVAIL + 4 + 2 * 8;
    let avail_event = USED + 4 + 8 * 8;
    // Driver wants an interrupt once used idx passes 1 (after the 2nd).
    mem.write_u16(used_event, 1).unwrap();
    for n in 0..3u16 {
        drv.add(&[(DATA, 1, true)]);
        let c = q.pop(&mem).unwrap().unwrap();
        q.add_used(&mem, c.head, 1).unwrap();
        assert_eq!(q.needs_interrupt(&mem).unwrap(), n == 1, "after {} used", n + 1);
    }
    assert!(!q.enable_notification(&mem).unwrap());
    assert_eq!(mem.read_u16(avail_event).unwrap(), 3);
    drv.add(&[(DATA, 1, true)]);
    assert!(q.enable_notification(&mem).unwrap());
}

#[test]
fn process_serves_all_and_is_bounded() {
    let (mem, size) = setup(8);
    let mut drv = Driver::new(&mem, size);
    let mut q = drv.queue(8);
    for _ in 0..5 {
        drv.add(&[(DATA, 8, true)]);
    }
    let mut calls = 0;
    q.process(&mem, |c, _| {
        calls += 1;
        Ok(c.writable_len() as u32)
    })
    .unwrap();
    assert_eq!(calls, 5);
    assert_eq!(drv.used().len(), 5);
    let e = q.process(&mem, |_, _| Err(QueueError::Malformed("x")));
    assert!(e.is_ok(), "nothing to do");
}

#[test]
fn not_ready_queue_does_nothing() {
    let mem = TestMem::new();
    let mut q = Queue::new(8);
    assert_eq!(q.pop(&mem).unwrap(), None);
    assert!(!q.needs_interrupt(&mem).unwrap());
    assert!(!q.enable_notification(&mem).unwrap());
    q.reset();
    assert!(!q.ready());
}
