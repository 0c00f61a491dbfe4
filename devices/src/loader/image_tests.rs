use super::*;

/// A kernel file of `len` bytes with a valid 0.2 header.
pub(crate) fn image(len: usize, text_offset: u64, image_size: u64) -> Vec<u8> {
    let mut img = vec![0u8; len.max(IMAGE_HEADER_LEN)];
    img[0..4].copy_from_slice(&0x0400_006fu32.to_le_bytes()); // j +0x40
    img[8..16].copy_from_slice(&text_offset.to_le_bytes());
    img[16..24].copy_from_slice(&image_size.to_le_bytes());
    img[32..36].copy_from_slice(&0x0000_0002u32.to_le_bytes());
    img[48..56].copy_from_slice(&IMAGE_MAGIC);
    img[56..60].copy_from_slice(&IMAGE_MAGIC2);
    img.truncate(len);
    img
}

#[test]
fn valid_header() {
    let img = image(0x3000, 0x20_0000, 0x8000);
    let h = ImageHeader::parse(&img).unwrap();
    assert_eq!(h, ImageHeader { text_offset: 0x20_0000, image_size: 0x8000, flags: 0, version: 2 });
    assert_eq!((h.version_major(), h.version_minor()), (0, 2));
    assert!(is_linux_image(&img));
    // image_size equal to the file: no BSS, still fine.
    assert!(ImageHeader::parse(&image(0x8000, 0x20_0000, 0x8000)).is_ok());
}

#[test]
fn version_0_1_header_without_magic2() {
    let mut img = image(0x1000, 0x20_0000, 0x2000);
    img[56..60].fill(0);
    img[32..36].copy_from_slice(&1u32.to_le_bytes());
    assert!(is_linux_image(&img));
    assert_eq!(ImageHeader::parse(&img).unwrap().version_minor(), 1);
}

#[test]
fn truncated() {
    for len in [0, 1, 8, 56, 60, 63] {
        let img = image(len, 0x20_0000, 0x2000);
        assert_eq!(ImageHeader::parse(&img), Err(ImageError::Truncated { len }), "{len}");
    }
}

#[test]
fn bad_magic() {
    let mut img = image(0x1000, 0x20_0000, 0x2000);
    img[48..56].fill(0);
    img[56..60].copy_from_slice(b"ARM\x64");
    assert_eq!(ImageHeader::parse(&img), Err(ImageError::BadMagic));
    assert!(!is_linux_image(&img));
    assert_eq!(
        ImageHeader::parse(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".repeat(8).as_slice()),
        Err(ImageError::BadMagic)
    );
    assert_eq!(ImageHeader::parse(&[0x1f, 0x8b, 8, 0]), Err(ImageError::Compressed));
}

#[test]
fn kernels_without_an_image_header_load_raw() {
    let img = image(0x3000, 0x40_0000, 0x8000);
    assert_eq!(ImageHeader::of_kernel(&img), ImageHeader::parse(&img));
    let raw = |len: usize| ImageHeader::of_kernel(&vec![0x13; len]);
    let header = |image_size| Ok(ImageHeader { text_offset: RAW_TEXT_OFFSET, image_size, flags: 0, version: 0 });
    assert_eq!(raw(1), header(0x20_0000));
    assert_eq!(raw(0x20_0000), header(0x20_0000));
    assert_eq!(raw(0x20_0001), header(0x40_0000));
    assert_eq!(raw(0), Err(ImageError::Empty));
    // A header's own checks still apply, and a compressed kernel is named.
    let mut be = img.clone();
    be[24] = 1;
    assert_eq!(ImageHeader::of_kernel(&be), Err(ImageError::BigEndian));
    assert_eq!(ImageHeader::of_kernel(&[0x1f, 0x8b, 8, 0]), Err(ImageError::Compressed));
}

#[test]
fn bad_fields() {
    let mut be = image(0x1000, 0x20_0000, 0x2000);
    be[24] = 1;
    assert_eq!(ImageHeader::parse(&be), Err(ImageError::BigEndian));
    assert_eq!(ImageHeader::parse(&image(0x1000, 0x20_0000, 0)), Err(ImageError::ZeroImageSize));
    assert_eq!(
        ImageHeader::parse(&image(0x1000, 0x20_0000, 0xfff)),
        Err(ImageError::ImageSizeSmallerThanFile { image_size: 0xfff, file_len: 0x1000 })
    );
    assert_eq!(
        ImageHeader::parse(&image(0x1000, 0x20_0000, u64::MAX)),
        Err(ImageError::ImageSizeTooLarge { image_size: u64::MAX })
    );
    assert!(ImageHeader::parse(&image(0x1000, 0x20_0000, MAX_IMAGE_SIZE)).is_ok());
}

#[test]
fn messages_are_one_line() {
    let errors = [
        ImageError::Empty,
        ImageError::Truncated { len: 3 },
        ImageError::Compressed,
        ImageError::BadMagic,
        ImageError::BigEndian,
        ImageError::ZeroImageSize,
        ImageError::ImageSizeSmallerThanFile { image_size: 1, file_len: 2 },
        ImageError::ImageSizeTooLarge { image_size: 1 << 40 },
    ];
    for e in errors {
        let m = e.to_string();
        assert!(!m.is_empty() && !m.contains('\n'), "{m:?}");
    }
    assert!(ImageError::Truncated { len: 3 }.to_string().contains("truncated"));
    assert!(ImageError::BadMagic.to_string().contains("bad magic"));
}

#[test]
fn garbage_never_panics() {
    let mut x = 0x1234_5678_9abc_def0u64;
    for len in 0..300usize {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        let _ = ImageHeader::parse(&bytes);
        let mut with_magic = bytes.clone();
        if len >= 64 {
            with_magic[56..60].copy_from_slice(&IMAGE_MAGIC2);
            let _ = ImageHeader::parse(&with_magic);
        }
    }
}
