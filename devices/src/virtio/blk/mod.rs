//! virtio-blk over a raw disk image file.
//!
//! One request queue. Requests are served synchronously on the thread that
//! notifies the queue (a vCPU thread), with positioned I/O on the image
//! file. Every request is checked against the capacity before the file is
//! touched, so no byte is read or written outside `[0, capacity)` of the
//! image, and data moves in bounded chunks however long the guest says its
//! buffers are.
//!
//! | request | handling |
//! |---|---|
//! | `VIRTIO_BLK_T_IN` | read sectors into the device-writable buffers |
//! | `VIRTIO_BLK_T_OUT` | write the device-readable buffers (IOERR if read-only) |
//! | `VIRTIO_BLK_T_FLUSH` | `fdatasync` the image |
//! | `VIRTIO_BLK_T_GET_ID` | the device ID string, up to 20 bytes |
//! | `VIRTIO_BLK_T_DISCARD` | punches holes in the image (writable disks only) |
//! | anything else | `VIRTIO_BLK_S_UNSUPP` |
//!
//! Requests past the end of the image, or whose data is not a whole number
//! of sectors, fail with `VIRTIO_BLK_S_IOERR`; so does a request whose data
//! buffers are not in guest RAM. A request without a device-writable status
//! byte cannot be answered and breaks the queue (DEVICE_NEEDS_RESET).

use std::fs::{File, OpenOptions};
use std::io::{self, Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use super::queue::{DescriptorChain, Queue, QueueError};
use super::{read_config_bytes, GuestMemory, VirtioDevice, VIRTIO_ID_BLOCK};

#[cfg(test)]
mod tests;

/// Bytes per sector (the unit of capacity and of request offsets).
pub const SECTOR_SIZE: u64 = 512;
/// Length of the GET_ID string.
pub const VIRTIO_BLK_ID_BYTES: usize = 20;

/// Feature: `seg_max` in the configuration is valid.
pub const VIRTIO_BLK_F_SEG_MAX: u64 = 1 << 2;
/// Feature: the device is read-only.
pub const VIRTIO_BLK_F_RO: u64 = 1 << 5;
/// Feature: `blk_size` in the configuration is valid.
pub const VIRTIO_BLK_F_BLK_SIZE: u64 = 1 << 6;
/// Feature: the device has a write cache and takes FLUSH requests.
pub const VIRTIO_BLK_F_FLUSH: u64 = 1 << 9;
/// Feature: the device takes DISCARD requests.
pub const VIRTIO_BLK_F_DISCARD: u64 = 1 << 13;

/// Request type: read.
pub const VIRTIO_BLK_T_IN: u32 = 0;
/// Request type: write.
pub const VIRTIO_BLK_T_OUT: u32 = 1;
/// Request type: flush the write cache.
pub const VIRTIO_BLK_T_FLUSH: u32 = 4;
/// Request type: get the device ID string.
pub const VIRTIO_BLK_T_GET_ID: u32 = 8;
/// Request type: discard sectors (the data may be dropped).
pub const VIRTIO_BLK_T_DISCARD: u32 = 11;

/// Status: success.
pub const VIRTIO_BLK_S_OK: u8 = 0;
/// Status: I/O error (also: out of range, read-only, malformed).
pub const VIRTIO_BLK_S_IOERR: u8 = 1;
/// Status: request type not supported.
pub const VIRTIO_BLK_S_UNSUPP: u8 = 2;

/// Size of the request queue.
const QUEUE_SIZE: u16 = 256;
/// Segments per request the driver may use (the queue size minus the
/// header and status descriptors).
const SEG_MAX: u32 = QUEUE_SIZE as u32 - 2;
/// Largest piece of data moved between the file and guest memory at once.
const CHUNK: usize = 64 * 1024;
/// Length of the request header (type, reserved, sector).
const HEADER_LEN: usize = 16;
/// Length of one discard segment (sector, num_sectors, flags).
const DISCARD_SEG_LEN: usize = 16;
/// Most segments in one discard request (`max_discard_seg`).
const MAX_DISCARD_SEG: u32 = 32;
/// Most sectors one discard segment may cover (`max_discard_sectors`).
const MAX_DISCARD_SECTORS: u32 = 1 << 22;
/// Discards are aligned to 4 KiB (`discard_sector_alignment`): holes are
/// punched in host pages.
const DISCARD_ALIGNMENT: u32 = 8;

/// Why [`Block::open`] could not use a disk image. Each message is one
/// line that names the file.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The file does not exist.
    #[error("disk image {0}: no such file")]
    NotFound(PathBuf),
    /// The file cannot be written but the disk is not read-only.
    #[error("disk image {0} is not writable; attach it read-only")]
    NotWritable(PathBuf),
    /// The image is a directory.
    #[error("disk image {0} is a directory")]
    Directory(PathBuf),
    /// The image size is not a whole number of sectors.
    #[error("disk image {path}: size {size} is not a multiple of 512 bytes")]
    BadSize {
        /// The image.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
    },
    /// Any other I/O error.
    #[error("disk image {path}: {source}")]
    Io {
        /// The image.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
}

/// A virtio-blk device over a raw image file.
pub struct Block {
    file: File,
    readonly: bool,
    capacity: u64,
    id: [u8; VIRTIO_BLK_ID_BYTES],
    buf: Vec<u8>,
}

impl std::fmt::Debug for Block {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Block")
            .field("readonly", &self.readonly)
            .field("capacity_sectors", &self.capacity_sectors())
            .finish_non_exhaustive()
    }
}

impl Block {
    /// Opens the raw image at `path`, for reading only if `readonly`.
    ///
    /// The device ID string (GET_ID) is the file name, cut to 20 bytes.
    ///
    /// # Errors
    ///
    /// [`OpenError`]: the file is missing, not writable while `readonly` is
    /// false, a directory, not a whole number of sectors long, or
    /// unreadable.
    ///
    /// ```
    /// use hartvm_devices::virtio::blk::{Block, OpenError};
    ///
    /// let err = Block::open("/nonexistent/disk.img".as_ref(), false).unwrap_err();
    /// assert!(matches!(err, OpenError::NotFound(_)));
    /// assert_eq!(err.to_string(), "disk image /nonexistent/disk.img: no such file");
    /// ```
    pub fn open(path: &Path, readonly: bool) -> Result<Block, OpenError> {
        let io_err = |source: io::Error| match source.kind() {
            io::ErrorKind::NotFound => OpenError::NotFound(path.to_owned()),
            io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem if !readonly => {
                OpenError::NotWritable(path.to_owned())
            }
            io::ErrorKind::IsADirectory => OpenError::Directory(path.to_owned()),
            _ => OpenError::Io { path: path.to_owned(), source },
        };
        let meta = std::fs::metadata(path).map_err(io_err)?;
        if meta.is_dir() {
            return Err(OpenError::Directory(path.to_owned()));
        }
        // Root may open a file without write permission for writing; a
        // file marked read-only is still meant to stay unchanged.
        if !readonly && meta.permissions().readonly() {
            return Err(OpenError::NotWritable(path.to_owned()));
        }
        let mut file = OpenOptions::new().read(true).write(!readonly).open(path).map_err(io_err)?;
        // Seeking also sizes block devices, whose metadata length is 0.
        let size = file.seek(SeekFrom::End(0)).map_err(io_err)?;
        if !size.is_multiple_of(SECTOR_SIZE) {
            return Err(OpenError::BadSize { path: path.to_owned(), size });
        }
        let mut id = [0u8; VIRTIO_BLK_ID_BYTES];
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        for (d, s) in id.iter_mut().zip(name.bytes()) {
            *d = s;
        }
        Ok(Block { file, readonly, capacity: size, id, buf: Vec::new() })
    }

    /// Capacity in 512-byte sectors.
    pub fn capacity_sectors(&self) -> u64 {
        self.capacity / SECTOR_SIZE
    }

    /// Whether the disk is read-only.
    pub fn readonly(&self) -> bool {
        self.readonly
    }

    /// Sets the GET_ID string (cut to 20 bytes, NUL-padded).
    pub fn set_id(&mut self, id: &str) {
        self.id = [0; VIRTIO_BLK_ID_BYTES];
        for (d, s) in self.id.iter_mut().zip(id.bytes()) {
            *d = s;
        }
    }

    /// The configuration structure up to the discard fields.
    fn config(&self) -> [u8; 48] {
        let mut c = [0u8; 48];
        c[0..8].copy_from_slice(&self.capacity_sectors().to_le_bytes());
        c[12..16].copy_from_slice(&SEG_MAX.to_le_bytes());
        c[20..24].copy_from_slice(&(SECTOR_SIZE as u32).to_le_bytes());
        c[36..40].copy_from_slice(&MAX_DISCARD_SECTORS.to_le_bytes());
        c[40..44].copy_from_slice(&MAX_DISCARD_SEG.to_le_bytes());
        c[44..48].copy_from_slice(&DISCARD_ALIGNMENT.to_le_bytes());
        c
    }

    /// The byte range `[sector · 512, + len)` if it lies inside the image.
    fn range(&self, sector: u64, len: u64) -> Option<u64> {
        let start = sector.checked_mul(SECTOR_SIZE)?;
        let end = start.checked_add(len)?;
        (len.is_multiple_of(SECTOR_SIZE) && end <= self.capacity).then_some(start)
    }

    fn read_sectors(&mut self, chain: &DescriptorChain, mem: &dyn GuestMemory, sector: u64) -> (u8, u32) {
        let len = chain.writable_len().saturating_sub(1);
        let Some(mut pos) = self.range(sector, len) else { return (VIRTIO_BLK_S_IOERR, 0) };
        let mut w = chain.writer(mem);
        w.set_limit(len);
        self.buf.resize(CHUNK, 0);
        let mut left = len;
        while left > 0 {
            let n = left.min(CHUNK as u64) as usize;
            let buf = &mut self.buf[..n];
            if self.file.read_exact_at(buf, pos).is_err() || w.write(buf).ok() != Some(n) {
                return (VIRTIO_BLK_S_IOERR, w.written() as u32);
            }
            pos += n as u64;
            left -= n as u64;
        }
        (VIRTIO_BLK_S_OK, w.written() as u32)
    }

    fn write_sectors(&mut self, chain: &DescriptorChain, mem: &dyn GuestMemory, sector: u64) -> u8 {
        let len = chain.readable_len().saturating_sub(HEADER_LEN as u64);
        if self.readonly {
            return VIRTIO_BLK_S_IOERR;
        }
        let Some(mut pos) = self.range(sector, len) else { return VIRTIO_BLK_S_IOERR };
        let mut r = chain.reader(mem);
        let mut header = [0u8; HEADER_LEN];
        if r.read_exact(&mut header).is_err() {
            return VIRTIO_BLK_S_IOERR;
        }
        self.buf.resize(CHUNK, 0);
        let mut left = len;
        while left > 0 {
            let n = left.min(CHUNK as u64) as usize;
            let buf = &mut self.buf[..n];
            if r.read(buf).ok() != Some(n) || self.file.write_all_at(buf, pos).is_err() {
                return VIRTIO_BLK_S_IOERR;
            }
            pos += n as u64;
            left -= n as u64;
        }
        VIRTIO_BLK_S_OK
    }

    /// Checks every segment first, so that a bad one fails the request
    /// before anything is dropped.
    fn discard(&mut self, chain: &DescriptorChain, mem: &dyn GuestMemory) -> u8 {
        if self.readonly {
            return VIRTIO_BLK_S_IOERR;
        }
        let len = chain.readable_len().saturating_sub(HEADER_LEN as u64);
        let count = len / DISCARD_SEG_LEN as u64;
        if count == 0 || count > u64::from(MAX_DISCARD_SEG) || !len.is_multiple_of(DISCARD_SEG_LEN as u64) {
            return VIRTIO_BLK_S_IOERR;
        }
        let mut r = chain.reader(mem);
        let mut header = [0u8; HEADER_LEN];
        if r.read_exact(&mut header).is_err() {
            return VIRTIO_BLK_S_IOERR;
        }
        let mut ranges = Vec::new();
        for _ in 0..count {
            let mut seg = [0u8; DISCARD_SEG_LEN];
            if r.read_exact(&mut seg).is_err() {
                return VIRTIO_BLK_S_IOERR;
            }
            let (sector, sectors, flags) = (le_u64(&seg[0..8]), le_u32(&seg[8..12]), le_u32(&seg[12..16]));
            // The unmap flag and the reserved bits mean nothing for discard.
            if flags != 0 {
                return VIRTIO_BLK_S_UNSUPP;
            }
            let bytes = u64::from(sectors) * SECTOR_SIZE;
            match self.range(sector, bytes) {
                Some(start) if sectors <= MAX_DISCARD_SECTORS => ranges.push((start, bytes)),
                _ => return VIRTIO_BLK_S_IOERR,
            }
        }
        for (start, bytes) in ranges {
            punch_hole(&self.file, start, bytes);
        }
        VIRTIO_BLK_S_OK
    }

    /// Executes one request; returns its status and the number of data
    /// bytes written into the guest's buffers.
    fn execute(&mut self, chain: &DescriptorChain, mem: &dyn GuestMemory) -> (u8, u32) {
        let mut header = [0u8; HEADER_LEN];
        if chain.reader(mem).read_exact(&mut header).is_err() {
            return (VIRTIO_BLK_S_IOERR, 0);
        }
        let (kind, sector) = (le_u32(&header[0..4]), le_u64(&header[8..16]));
        match kind {
            VIRTIO_BLK_T_IN => self.read_sectors(chain, mem, sector),
            VIRTIO_BLK_T_OUT => (self.write_sectors(chain, mem, sector), 0),
            VIRTIO_BLK_T_FLUSH if self.readonly => (VIRTIO_BLK_S_OK, 0),
            VIRTIO_BLK_T_FLUSH => match self.file.sync_data() {
                Ok(()) => (VIRTIO_BLK_S_OK, 0),
                Err(_) => (VIRTIO_BLK_S_IOERR, 0),
            },
            VIRTIO_BLK_T_GET_ID => {
                let mut w = chain.writer(mem);
                w.set_limit(chain.writable_len().saturating_sub(1));
                match w.write(&self.id) {
                    Ok(n) => (VIRTIO_BLK_S_OK, n as u32),
                    Err(_) => (VIRTIO_BLK_S_IOERR, 0),
                }
            }
            VIRTIO_BLK_T_DISCARD => (self.discard(chain, mem), 0),
            _ => (VIRTIO_BLK_S_UNSUPP, 0),
        }
    }

    fn handle(&mut self, chain: &DescriptorChain, mem: &dyn GuestMemory) -> Result<u32, QueueError> {
        let status_at =
            chain.last_writable_byte().ok_or(QueueError::Malformed("virtio-blk request without a status byte"))?;
        let (status, written) = self.execute(chain, mem);
        mem.write(status_at, &[status])?;
        Ok(written.saturating_add(1))
    }
}

impl VirtioDevice for Block {
    fn device_id(&self) -> u32 {
        VIRTIO_ID_BLOCK
    }

    fn features(&self) -> u64 {
        let access = if self.readonly { VIRTIO_BLK_F_RO } else { VIRTIO_BLK_F_DISCARD };
        VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_FLUSH | access
    }

    fn num_queues(&self) -> usize {
        1
    }

    fn queue_max_size(&self) -> u16 {
        QUEUE_SIZE
    }

    fn read_config(&self, offset: u64, data: &mut [u8]) {
        read_config_bytes(&self.config(), offset, data);
    }

    fn process_queue(&mut self, _index: usize, queue: &mut Queue, mem: &dyn GuestMemory) -> Result<(), QueueError> {
        queue.process(mem, |chain, mem| self.handle(chain, mem))
    }
}

fn le_u32(b: &[u8]) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(b.get(..4).unwrap_or(&[0; 4]));
    u32::from_le_bytes(a)
}

fn le_u64(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(b.get(..8).unwrap_or(&[0; 8]));
    u64::from_le_bytes(a)
}

/// Deallocates `[start, start + len)` of the image, keeping its size.
/// Discarding is a hint: if the host file system cannot punch holes, the
/// data simply stays.
#[cfg(target_os = "linux")]
fn punch_hole(file: &File, start: u64, len: u64) {
    use std::os::fd::AsRawFd;
    let (Ok(start), Ok(len)) = (libc::off_t::try_from(start), libc::off_t::try_from(len)) else { return };
    // SAFETY: fallocate only reads its integer arguments; the descriptor
    // belongs to `file`, which outlives the call.
    let _ = unsafe {
        libc::fallocate(file.as_raw_fd(), libc::FALLOC_FL_PUNCH_HOLE | libc::FALLOC_FL_KEEP_SIZE, start, len)
    };
}

#[cfg(not(target_os = "linux"))]
fn punch_hole(_file: &File, _start: u64, _len: u64) {}
