//! Executable memory for translations, managed directly: cranelift-jit
//! cannot free single functions, so code lives in regions that are
//! unmapped as a whole when the generation owning them is dropped.

use std::ptr::NonNull;

/// Bytes per region.
pub(crate) const REGION_SIZE: usize = 8 << 20;

/// One anonymous read-write-execute mapping, filled front to back.
pub(crate) struct CodeRegion {
    base: NonNull<u8>,
    len: usize,
    used: usize,
}

// SAFETY: a region is plain memory; writes happen under the cache lock
// before the code is published, and it is only read/executed afterwards.
unsafe impl Send for CodeRegion {}
// SAFETY: as above.
unsafe impl Sync for CodeRegion {}

impl CodeRegion {
    /// Maps a region of at least `len` bytes.
    pub(crate) fn new(len: usize) -> std::io::Result<CodeRegion> {
        let len = len.next_multiple_of(4096);
        // SAFETY: an anonymous private mapping with no address hint touches
        // no existing memory.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE | libc::PROT_EXEC,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        Ok(CodeRegion { base: NonNull::new(p.cast()).expect("mmap returned null"), len, used: 0 })
    }

    /// Copies `code` in (16-byte aligned) and returns its address, or
    /// `None` if the region is full.
    pub(crate) fn push(&mut self, code: &[u8]) -> Option<usize> {
        let at = self.used.next_multiple_of(16);
        if at + code.len() > self.len {
            return None;
        }
        // SAFETY: `at..at + code.len()` lies inside the mapping (checked
        // above) and no published code occupies it.
        unsafe { std::ptr::copy_nonoverlapping(code.as_ptr(), self.base.as_ptr().add(at), code.len()) };
        self.used = at + code.len();
        Some(self.base.as_ptr() as usize + at)
    }
}

impl Drop for CodeRegion {
    fn drop(&mut self) {
        // SAFETY: the mapping was created by `new` with this length; the
        // owner guarantees no code in it can run any more.
        unsafe { libc::munmap(self.base.as_ptr().cast(), self.len) };
    }
}
