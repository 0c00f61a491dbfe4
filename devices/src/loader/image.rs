//! The 64-byte header at the start of a RISC-V Linux `Image` (the
//! uncompressed kernel, `arch/riscv/boot/Image`).
//!
//! | offset | field | |
//! |---|---|---|
//! | 0 | `code0`, `code1` (u32 each) | the first instructions (a jump over the header) |
//! | 8 | `text_offset` (u64) | where the kernel wants to sit above the start of RAM |
//! | 16 | `image_size` (u64) | bytes the kernel occupies once running, BSS included |
//! | 24 | `flags` (u64) | bit 0: big-endian kernel |
//! | 32 | `version` (u32) | major << 16 \| minor; 0.2 since `magic2` |
//! | 36 | `res1` (u32), 40 `res2` (u64) | reserved |
//! | 48 | `magic` (u64) | `"RISCV\0\0\0"`, deprecated since 0.2 |
//! | 56 | `magic2` (u32) | `"RSC\x05"` |
//! | 60 | `res3` (u32) | PE/COFF header offset for EFI stubs |
//!
//! All fields are little-endian.

/// Length of the header.
pub const IMAGE_HEADER_LEN: usize = 64;
/// `magic2` at offset 56 (header version 0.2 and later).
pub const IMAGE_MAGIC2: [u8; 4] = *b"RSC\x05";
/// The deprecated `magic` at offset 48, the only magic of 0.1 headers.
pub const IMAGE_MAGIC: [u8; 8] = *b"RISCV\0\0\0";
/// Where a raw kernel binary goes above the start of RAM: 2 MiB in, after
/// the firmware, where QEMU's `virt` loads one for RV64 (and where RV64
/// `Image` headers ask to go).
pub const RAW_TEXT_OFFSET: u64 = 0x20_0000;
/// Largest `image_size` accepted: the RV64 kernel's own virtual mapping
/// spans 2 GiB, so no real kernel is bigger.
pub const MAX_IMAGE_SIZE: u64 = 2 << 30;

/// Why a file is not a usable Linux `Image`. One line each; the VMM
/// prefixes the file name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    /// An empty kernel file.
    #[error("empty kernel file")]
    Empty,
    /// Shorter than the 64-byte header.
    #[error("truncated Linux Image: {len} bytes, shorter than its 64-byte header")]
    Truncated {
        /// Length of the file.
        len: usize,
    },
    /// A gzip stream (e.g. a distribution's `vmlinuz`), not an `Image`.
    #[error("this is a gzip-compressed kernel; decompress it (zcat) and pass the Image")]
    Compressed,
    /// Neither `magic2` nor the deprecated `magic` is present.
    #[error("not a RISC-V Linux Image (bad magic: expected \"RSC\\x05\" at offset 56)")]
    BadMagic,
    /// `flags` bit 0: a big-endian kernel.
    #[error("big-endian Linux Image; RISC-V guests here are little-endian")]
    BigEndian,
    /// `image_size` is 0.
    #[error("Linux Image header gives an image size of 0")]
    ZeroImageSize,
    /// `image_size` is smaller than the file, so it cannot include the BSS.
    #[error("Linux Image header gives an image size of {image_size:#x}, smaller than the {file_len:#x}-byte file")]
    ImageSizeSmallerThanFile {
        /// `image_size` from the header.
        image_size: u64,
        /// Length of the file.
        file_len: u64,
    },
    /// `image_size` above [`MAX_IMAGE_SIZE`].
    #[error("Linux Image header gives an image size of {image_size:#x}, more than any kernel (2 GiB)")]
    ImageSizeTooLarge {
        /// `image_size` from the header.
        image_size: u64,
    },
}

/// The fields of an `Image` header that matter for loading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageHeader {
    /// Preferred offset of the kernel from the start of RAM.
    pub text_offset: u64,
    /// Bytes the kernel occupies in memory (file + BSS).
    pub image_size: u64,
    /// Kernel flags (bit 0: big-endian).
    pub flags: u64,
    /// Header version, `major << 16 | minor`.
    pub version: u32,
}

fn le_u64(b: &[u8], at: usize) -> u64 {
    let mut v = [0u8; 8];
    v.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(v)
}

fn le_u32(b: &[u8], at: usize) -> u32 {
    let mut v = [0u8; 4];
    v.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(v)
}

/// Whether `bytes` carries an `Image` magic (`magic2`, or the deprecated
/// `magic` of 0.1 headers).
///
/// ```
/// use hartvm_devices::loader::is_linux_image;
/// let mut img = vec![0u8; 64];
/// assert!(!is_linux_image(&img));
/// img[56..60].copy_from_slice(b"RSC\x05");
/// assert!(is_linux_image(&img));
/// ```
pub fn is_linux_image(bytes: &[u8]) -> bool {
    bytes.get(56..60) == Some(&IMAGE_MAGIC2[..]) || bytes.get(48..56) == Some(&IMAGE_MAGIC[..])
}

impl ImageHeader {
    /// Parses and checks the header of the `Image` file `bytes` (the
    /// whole file: `image_size` is checked against its length).
    ///
    /// Kernels whose header predates `magic2` (version 0.1) are accepted
    /// by their deprecated `magic`.
    ///
    /// # Errors
    ///
    /// An [`ImageError`] for a short file, a compressed kernel, a bad
    /// magic, a big-endian kernel, or an `image_size` that is 0, smaller
    /// than the file or above [`MAX_IMAGE_SIZE`].
    ///
    /// ```
    /// use hartvm_devices::loader::{ImageError, ImageHeader};
    /// let mut img = vec![0u8; 4096];
    /// img[8..16].copy_from_slice(&0x20_0000u64.to_le_bytes()); // text_offset
    /// img[16..24].copy_from_slice(&0x1_0000u64.to_le_bytes()); // image_size
    /// img[32..36].copy_from_slice(&2u32.to_le_bytes()); // version 0.2
    /// img[56..60].copy_from_slice(b"RSC\x05");
    /// let h = ImageHeader::parse(&img).unwrap();
    /// assert_eq!((h.text_offset, h.image_size), (0x20_0000, 0x1_0000));
    /// assert_eq!(ImageHeader::parse(&img[..40]), Err(ImageError::Truncated { len: 40 }));
    /// ```
    pub fn parse(bytes: &[u8]) -> Result<ImageHeader, ImageError> {
        if bytes.starts_with(&[0x1f, 0x8b]) {
            return Err(ImageError::Compressed);
        }
        if bytes.len() < IMAGE_HEADER_LEN {
            return Err(ImageError::Truncated { len: bytes.len() });
        }
        if !is_linux_image(bytes) {
            return Err(ImageError::BadMagic);
        }
        let header = ImageHeader {
            text_offset: le_u64(bytes, 8),
            image_size: le_u64(bytes, 16),
            flags: le_u64(bytes, 24),
            version: le_u32(bytes, 32),
        };
        if header.flags & 1 != 0 {
            return Err(ImageError::BigEndian);
        }
        let file_len = bytes.len() as u64;
        match header.image_size {
            0 => Err(ImageError::ZeroImageSize),
            s if s > MAX_IMAGE_SIZE => Err(ImageError::ImageSizeTooLarge { image_size: s }),
            s if s < file_len => Err(ImageError::ImageSizeSmallerThanFile { image_size: s, file_len }),
            _ => Ok(header),
        }
    }

    /// The header to load the kernel file `bytes` by: an `Image`'s own
    /// (checked as [`ImageHeader::parse`] does), or for any other file a
    /// raw binary's: the file at [`RAW_TEXT_OFFSET`], taking its length
    /// rounded up to 2 MiB (a raw binary gives no BSS size), as QEMU's
    /// `-kernel` loads an S-mode U-Boot `u-boot.bin`.
    ///
    /// # Errors
    ///
    /// [`ImageError::Empty`] for an empty file, and for an `Image` or a
    /// gzip stream what [`ImageHeader::parse`] reports.
    ///
    /// ```
    /// use hartvm_devices::loader::{ImageHeader, RAW_TEXT_OFFSET};
    /// let raw = ImageHeader::of_kernel(&[0x13, 0, 0, 0]).unwrap(); // nop
    /// assert_eq!((raw.text_offset, raw.image_size), (RAW_TEXT_OFFSET, 0x20_0000));
    /// ```
    pub fn of_kernel(bytes: &[u8]) -> Result<ImageHeader, ImageError> {
        if is_linux_image(bytes) || bytes.starts_with(&[0x1f, 0x8b]) {
            return ImageHeader::parse(bytes);
        }
        if bytes.is_empty() {
            return Err(ImageError::Empty);
        }
        // Too big for RAM is the layout's to report.
        let image_size = (bytes.len() as u64).next_multiple_of(RAW_TEXT_OFFSET);
        Ok(ImageHeader { text_offset: RAW_TEXT_OFFSET, image_size, flags: 0, version: 0 })
    }

    /// Major version of the header format.
    pub fn version_major(&self) -> u16 {
        (self.version >> 16) as u16
    }

    /// Minor version of the header format.
    pub fn version_minor(&self) -> u16 {
        self.version as u16
    }
}

#[cfg(test)]
#[path = "image_tests.rs"]
pub(super) mod tests;
