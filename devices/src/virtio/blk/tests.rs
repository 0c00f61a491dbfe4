use super::*;
use crate::virtio::test_mem::*;
use std::io::Write;

const HDR: u64 = DATA;
const BUF: u64 = DATA + 0x1000;
const STATUS: u64 = DATA + 0x800;

/// An image of `sectors` sectors where byte i of sector s is `s + i`.
fn image(sectors: u64) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    let data: Vec<u8> = (0..sectors * 512).map(|i| ((i / 512) + (i % 512)) as u8).collect();
    f.write_all(&data).unwrap();
    f.flush().unwrap();
    f
}

fn contents(f: &tempfile::NamedTempFile) -> Vec<u8> {
    std::fs::read(f.path()).unwrap()
}

struct Rig<'a> {
    mem: &'a TestMem,
    drv: Driver<'a>,
    q: Queue,
    blk: Block,
}

impl<'a> Rig<'a> {
    fn new(mem: &'a TestMem, blk: Block) -> Self {
        let drv = Driver::new(mem, 16);
        let q = drv.queue(QUEUE_SIZE);
        Rig { mem, drv, q, blk }
    }

    fn header(&self, kind: u32, sector: u64) {
        let mut h = [0u8; 16];
        h[..4].copy_from_slice(&kind.to_le_bytes());
        h[8..].copy_from_slice(&sector.to_le_bytes());
        self.mem.fill(HDR, &h);
        self.mem.fill(STATUS, &[0xee]);
    }

    /// Submits a chain and returns (status byte, used length).
    fn submit(&mut self, bufs: &[(u64, u32, bool)]) -> Result<(u8, u32), QueueError> {
        self.drv.add(bufs);
        self.blk.process_queue(0, &mut self.q, self.mem)?;
        let used = self.drv.used();
        assert_eq!(used.len(), 1);
        Ok((self.mem.bytes(STATUS, 1)[0], used[0].1))
    }

    fn read(&mut self, sector: u64, len: u32) -> (u8, u32) {
        self.header(VIRTIO_BLK_T_IN, sector);
        self.submit(&[(HDR, 16, false), (BUF, len, true), (STATUS, 1, true)]).unwrap()
    }

    fn write(&mut self, sector: u64, data: &[u8]) -> (u8, u32) {
        self.header(VIRTIO_BLK_T_OUT, sector);
        self.mem.fill(BUF, data);
        self.submit(&[(HDR, 16, false), (BUF, data.len() as u32, false), (STATUS, 1, true)]).unwrap()
    }
}

#[test]
fn open_reports_capacity_and_config() {
    let img = image(8);
    let blk = Block::open(img.path(), false).unwrap();
    assert_eq!(blk.capacity_sectors(), 8);
    assert!(!blk.readonly());
    assert_eq!(blk.device_id(), 2);
    assert_eq!(blk.features() & VIRTIO_BLK_F_RO, 0);
    assert_ne!(blk.features() & VIRTIO_BLK_F_FLUSH, 0);
    let mut cap = [0u8; 8];
    blk.read_config(0, &mut cap);
    assert_eq!(u64::from_le_bytes(cap), 8);
    let mut seg = [0u8; 4];
    blk.read_config(12, &mut seg);
    assert_eq!(u32::from_le_bytes(seg), 254);
    blk.read_config(20, &mut seg);
    assert_eq!(u32::from_le_bytes(seg), 512);
    blk.read_config(1000, &mut seg);
    assert_eq!(seg, [0; 4]);
}

#[test]
fn open_errors_are_one_line_and_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.img");
    let e = Block::open(&missing, true).unwrap_err();
    assert!(matches!(e, OpenError::NotFound(_)), "{e}");
    assert_eq!(e.to_string(), format!("disk image {}: no such file", missing.display()));

    let odd = dir.path().join("odd.img");
    std::fs::write(&odd, [0u8; 1000]).unwrap();
    let e = Block::open(&odd, false).unwrap_err();
    assert!(matches!(e, OpenError::BadSize { size: 1000, .. }), "{e}");
    assert_eq!(e.to_string(), format!("disk image {}: size 1000 is not a multiple of 512 bytes", odd.display()));

    let ro = dir.path().join("ro.img");
    std::fs::write(&ro, [0u8; 1024]).unwrap();
    let mut perm = std::fs::metadata(&ro).unwrap().permissions();
    perm.set_readonly(true);
    std::fs::set_permissions(&ro, perm).unwrap();
    let e = Block::open(&ro, false).unwrap_err();
    assert!(matches!(e, OpenError::NotWritable(_)), "{e}");
    assert_eq!(e.to_string(), format!("disk image {} is not writable; attach it read-only", ro.display()));
    assert!(Block::open(&ro, true).unwrap().readonly());

    let e = Block::open(dir.path(), true).unwrap_err();
    assert!(matches!(e, OpenError::Directory(_)), "{e}");

    for e in [
        Block::open(&missing, true).unwrap_err(),
        Block::open(&odd, true).unwrap_err(),
        Block::open(&ro, false).unwrap_err(),
        Block::open(dir.path(), false).unwrap_err(),
    ] {
        assert!(!e.to_string().contains('\n'));
    }
}

#[test]
fn empty_image_is_fine() {
    let f = tempfile::NamedTempFile::new().unwrap();
    let blk = Block::open(f.path(), false).unwrap();
    assert_eq!(blk.capacity_sectors(), 0);
}

#[test]
fn reads_sectors() {
    let img = image(8);
    let mem = TestMem::new();
    let mut rig = Rig::new(&mem, Block::open(img.path(), false).unwrap());
    assert_eq!(rig.read(3, 1024), (VIRTIO_BLK_S_OK, 1025));
    assert_eq!(mem.bytes(BUF, 1024), contents(&img)[3 * 512..5 * 512]);
    // The last sector is in range.
    assert_eq!(rig.read(7, 512).0, VIRTIO_BLK_S_OK);
}

#[test]
fn reads_across_many_descriptors_and_big_chunks() {
    let img = image(300);
    let mem = TestMem::new();
    let mut rig = Rig::new(&mem, Block::open(img.path(), false).unwrap());
    rig.header(VIRTIO_BLK_T_IN, 0);
    // 300 sectors = 150 KiB over three odd-sized buffers and the status in
    // the same descriptor as the tail of the data.
    let total = 300 * 512;
    let bufs =
        [(HDR, 16, false), (BUF, 1000, true), (BUF + 1000, 100_000, true), (BUF + 101_000, total - 101_000 + 1, true)];
    rig.drv.add(&bufs);
    rig.blk.process_queue(0, &mut rig.q, &mem).unwrap();
    assert_eq!(rig.drv.used()[0].1, total + 1);
    assert_eq!(mem.bytes(BUF, total as usize), contents(&img));
    assert_eq!(mem.bytes(BUF + u64::from(total), 1), [VIRTIO_BLK_S_OK]);
}

#[test]
fn writes_sectors_and_flushes() {
    let img = image(8);
    let mut expect = contents(&img);
    let mem = TestMem::new();
    let mut rig = Rig::new(&mem, Block::open(img.path(), false).unwrap());
    let data = vec![0x5au8; 1024];
    assert_eq!(rig.write(2, &data), (VIRTIO_BLK_S_OK, 1));
    expect[1024..2048].fill(0x5a);
    assert_eq!(contents(&img), expect);
    rig.header(VIRTIO_BLK_T_FLUSH, 0);
    assert_eq!(rig.submit(&[(HDR, 16, false), (STATUS, 1, true)]).unwrap(), (VIRTIO_BLK_S_OK, 1));
}

#[test]
fn get_id_and_unsupported_types() {
    let img = image(1);
    let mem = TestMem::new();
    let mut blk = Block::open(img.path(), false).unwrap();
    blk.set_id("disk-serial-0123456789-long");
    let mut rig = Rig::new(&mem, blk);
    rig.header(VIRTIO_BLK_T_GET_ID, 0);
    let r = rig.submit(&[(HDR, 16, false), (BUF, 20, true), (STATUS, 1, true)]).unwrap();
    assert_eq!(r, (VIRTIO_BLK_S_OK, 21));
    assert_eq!(mem.bytes(BUF, 20), b"disk-serial-01234567");
    rig.header(13, 0); // WRITE_ZEROES: not offered
    assert_eq!(rig.submit(&[(HDR, 16, false), (STATUS, 1, true)]).unwrap().0, VIRTIO_BLK_S_UNSUPP);
    rig.header(0xdead, 0);
    assert_eq!(rig.submit(&[(HDR, 16, false), (STATUS, 1, true)]).unwrap().0, VIRTIO_BLK_S_UNSUPP);
}

#[test]
fn readonly_disk_refuses_writes() {
    let img = image(4);
    let before = contents(&img);
    let mem = TestMem::new();
    let blk = Block::open(img.path(), true).unwrap();
    assert_ne!(blk.features() & VIRTIO_BLK_F_RO, 0);
    let mut rig = Rig::new(&mem, blk);
    assert_eq!(rig.write(0, &[1u8; 512]).0, VIRTIO_BLK_S_IOERR);
    assert_eq!(contents(&img), before);
    assert_eq!(rig.read(0, 512).0, VIRTIO_BLK_S_OK);
    rig.header(VIRTIO_BLK_T_FLUSH, 0);
    assert_eq!(rig.submit(&[(HDR, 16, false), (STATUS, 1, true)]).unwrap().0, VIRTIO_BLK_S_OK);
}

#[test]
fn requests_past_the_end_fail_without_touching_the_file() {
    let img = image(4);
    let before = contents(&img);
    let len_before = img.as_file().metadata().unwrap().len();
    let mem = TestMem::new();
    let mut rig = Rig::new(&mem, Block::open(img.path(), false).unwrap());
    for (sector, len) in [(4, 512), (3, 1024), (u64::MAX, 512), (u64::MAX / 512 + 1, 512), (1 << 60, 512)] {
        assert_eq!(rig.read(sector, len).0, VIRTIO_BLK_S_IOERR, "read {sector} {len}");
        assert_eq!(rig.write(sector, &vec![7u8; len as usize]).0, VIRTIO_BLK_S_IOERR, "write {sector} {len}");
    }
    assert_eq!(contents(&img), before);
    assert_eq!(img.as_file().metadata().unwrap().len(), len_before, "the image did not grow");
}

#[test]
fn partial_sectors_fail() {
    let img = image(4);
    let before = contents(&img);
    let mem = TestMem::new();
    let mut rig = Rig::new(&mem, Block::open(img.path(), false).unwrap());
    assert_eq!(rig.read(0, 100).0, VIRTIO_BLK_S_IOERR);
    assert_eq!(rig.write(0, &[1u8; 513]).0, VIRTIO_BLK_S_IOERR);
    assert_eq!(contents(&img), before);
}

#[test]
fn huge_lengths_fail_without_huge_work() {
    let img = image(4);
    let before = contents(&img);
    let mem = TestMem::new();
    let mut rig = Rig::new(&mem, Block::open(img.path(), false).unwrap());
    rig.header(VIRTIO_BLK_T_IN, 0);
    let r = rig.submit(&[(HDR, 16, false), (BUF, u32::MAX, true), (BUF, u32::MAX, true), (STATUS, 1, true)]);
    assert_eq!(r.unwrap().0, VIRTIO_BLK_S_IOERR);
    rig.header(VIRTIO_BLK_T_OUT, 0);
    let r = rig.submit(&[(HDR, 16, false), (BUF, u32::MAX - 511, false), (STATUS, 1, true)]);
    assert_eq!(r.unwrap().0, VIRTIO_BLK_S_IOERR);
    assert_eq!(contents(&img), before);
}

#[test]
fn short_header_fails_with_ioerr() {
    let img = image(1);
    let mem = TestMem::new();
    let mut rig = Rig::new(&mem, Block::open(img.path(), false).unwrap());
    rig.header(VIRTIO_BLK_T_IN, 0);
    assert_eq!(rig.submit(&[(HDR, 8, false), (BUF, 512, true), (STATUS, 1, true)]).unwrap().0, VIRTIO_BLK_S_IOERR);
    assert_eq!(rig.submit(&[(STATUS, 1, true)]).unwrap().0, VIRTIO_BLK_S_IOERR);
}

#[test]
fn no_status_byte_breaks_the_queue() {
    let img = image(1);
    let mem = TestMem::new();
    let mut rig = Rig::new(&mem, Block::open(img.path(), false).unwrap());
    rig.header(VIRTIO_BLK_T_IN, 0);
    let e = rig.submit(&[(HDR, 16, false)]).unwrap_err();
    assert!(matches!(e, QueueError::Malformed(_)));
}

#[test]
fn buffers_outside_ram_fail_and_write_nothing_anywhere() {
    let img = image(4);
    let before = contents(&img);
    let mem = TestMem::new();
    let mut rig = Rig::new(&mem, Block::open(img.path(), false).unwrap());
    // Read into a buffer that runs off the end of RAM.
    rig.header(VIRTIO_BLK_T_IN, 0);
    let end = RAM_BASE + RAM_SIZE as u64;
    let snap = mem.snapshot();
    let r = rig.submit(&[(HDR, 16, false), (end - 512, 1024, true), (STATUS, 1, true)]).unwrap();
    assert_eq!(r.0, VIRTIO_BLK_S_IOERR);
    // The data area is unchanged but for the status byte (the rings in
    // front of it change, and so may the guest's own buffer at the end).
    let mut expect = snap;
    expect[(STATUS - RAM_BASE) as usize] = VIRTIO_BLK_S_IOERR;
    let data_area = (DATA - RAM_BASE) as usize..RAM_SIZE - 512;
    assert!(mem.snapshot()[data_area.clone()] == expect[data_area]);
    // Write from a buffer outside RAM: the image stays as it was.
    rig.header(VIRTIO_BLK_T_OUT, 0);
    let r = rig.submit(&[(HDR, 16, false), (0xdead_0000, 512, false), (STATUS, 1, true)]).unwrap();
    assert_eq!(r.0, VIRTIO_BLK_S_IOERR);
    assert_eq!(contents(&img), before);
    // A status byte outside RAM: the queue is broken.
    rig.header(VIRTIO_BLK_T_IN, 0);
    let e = rig.submit(&[(HDR, 16, false), (BUF, 512, true), (end, 1, true)]).unwrap_err();
    assert!(matches!(e, QueueError::Memory(_)));
}

#[test]
fn through_the_transport() {
    use crate::irq::LevelCell;
    use crate::mmio::MmioDevice;
    use crate::virtio::mmio::VirtioMmio;
    use std::sync::Arc;

    let img = image(2);
    let mem = Arc::new(TestMem::new());
    let line = Arc::new(LevelCell::default());
    let dev = VirtioMmio::new(Box::new(Block::open(img.path(), false).unwrap()), mem.clone(), line.clone());
    let w = |off: u64, v: u32| dev.write(off, &v.to_le_bytes());
    w(0x70, 1 | 2);
    w(0x24, 1);
    w(0x20, 1); // VIRTIO_F_VERSION_1
    w(0x70, 1 | 2 | 8);
    w(0x30, 0);
    w(0x38, 16);
    w(0x80, DESC as u32);
    w(0x90, AVAIL as u32);
    w(0xa0, USED as u32);
    w(0x44, 1);
    w(0x70, 1 | 2 | 8 | 4);
    let mut cap = [0u8; 8];
    dev.read(0x100, &mut cap);
    assert_eq!(u64::from_le_bytes(cap), 2);
    let mut drv = Driver::new(&mem, 16);
    let mut h = [0u8; 16];
    h[8..].copy_from_slice(&1u64.to_le_bytes());
    mem.fill(HDR, &h);
    drv.add(&[(HDR, 16, false), (BUF, 512, true), (STATUS, 1, true)]);
    w(0x50, 0);
    assert_eq!(drv.used()[0].1, 513);
    assert_eq!(mem.bytes(BUF, 512), contents(&img)[512..]);
    assert!(line.level());
}

/// Submits a discard of `segs` (sector, sectors, flags).
fn discard(rig: &mut Rig, segs: &[(u64, u32, u32)]) -> u8 {
    rig.header(VIRTIO_BLK_T_DISCARD, 0);
    let mut data = Vec::new();
    for &(sector, n, flags) in segs {
        data.extend_from_slice(&sector.to_le_bytes());
        data.extend_from_slice(&n.to_le_bytes());
        data.extend_from_slice(&flags.to_le_bytes());
    }
    rig.mem.fill(BUF, &data);
    let mut bufs = vec![(HDR, 16, false)];
    if !data.is_empty() {
        bufs.push((BUF, data.len() as u32, false));
    }
    bufs.push((STATUS, 1, true));
    rig.submit(&bufs).unwrap().0
}

#[test]
fn discard_drops_data_inside_the_image_only() {
    let img = image(64);
    let before = contents(&img);
    let mem = TestMem::new();
    let blk = Block::open(img.path(), false).unwrap();
    assert_ne!(blk.features() & VIRTIO_BLK_F_DISCARD, 0);
    let mut cfg = [0u8; 12];
    blk.read_config(36, &mut cfg);
    assert_eq!(cfg, [0, 0, 0x40, 0, 32, 0, 0, 0, 8, 0, 0, 0]);
    let mut rig = Rig::new(&mem, blk);
    assert_eq!(discard(&mut rig, &[(8, 8, 0), (32, 16, 0)]), VIRTIO_BLK_S_OK);
    let after = contents(&img);
    assert_eq!(after.len(), before.len(), "size kept");
    for (i, (a, b)) in after.iter().zip(&before).enumerate() {
        let sector = i / 512;
        let discarded = (8..16).contains(&sector) || (32..48).contains(&sector);
        if discarded {
            // Zero if the host file system punched the hole, else unchanged.
            assert!(*a == 0 || a == b, "byte {i}");
        } else {
            assert_eq!(a, b, "byte {i} outside the discarded sectors");
        }
    }
}

#[test]
fn bad_discards_fail_and_drop_nothing() {
    let img = image(16);
    let before = contents(&img);
    let mem = TestMem::new();
    let mut rig = Rig::new(&mem, Block::open(img.path(), false).unwrap());
    assert_eq!(discard(&mut rig, &[]), VIRTIO_BLK_S_IOERR, "no segment");
    assert_eq!(discard(&mut rig, &[(0, 8, 0), (12, 8, 0)]), VIRTIO_BLK_S_IOERR, "second one past the end");
    assert_eq!(discard(&mut rig, &[(u64::MAX, 1, 0)]), VIRTIO_BLK_S_IOERR);
    assert_eq!(discard(&mut rig, &[(0, u32::MAX, 0)]), VIRTIO_BLK_S_IOERR);
    assert_eq!(discard(&mut rig, &[(0, 8, 1)]), VIRTIO_BLK_S_UNSUPP, "unmap flag");
    let many = vec![(0, 1, 0); 33];
    assert_eq!(discard(&mut rig, &many), VIRTIO_BLK_S_IOERR, "too many segments");
    assert_eq!(contents(&img), before);
    let ro = Block::open(img.path(), true).unwrap();
    assert_eq!(ro.features() & VIRTIO_BLK_F_DISCARD, 0);
    let mut rig = Rig::new(&mem, ro);
    assert_eq!(discard(&mut rig, &[(0, 8, 0)]), VIRTIO_BLK_S_IOERR, "read-only");
    assert_eq!(contents(&img), before);
}
