use super::*;
use crate::loader::image::tests::image;
use crate::loader::tests::ElfBuilder;
use crate::loader::SliceRam;

const BASE: u64 = 0x8000_0000;
const MIB: u64 = 1 << 20;

fn kernel(text_offset: u64, image_size: u64) -> ImageHeader {
    ImageHeader { text_offset, image_size, flags: 0, version: 2 }
}

/// Every planned region lies in RAM, the kernel is 2 MiB-aligned, the DTB
/// page-aligned with its slack free, the initrd page-aligned, and nothing
/// overlaps.
fn check_invariants(p: &BootLayout, ram_base: u64, ram_size: u64) {
    let ram = Region { start: ram_base, size: ram_size };
    let inside = |r: &Region| r.start >= ram.start && r.end() <= ram.end();
    assert_eq!(p.kernel.start % KERNEL_ALIGN, 0, "{p:?}");
    assert_eq!(p.dtb.start % PAGE_SIZE, 0, "{p:?}");
    assert!(p.dtb.start >= p.kernel.end(), "{p:?}");
    let mut regions = vec![p.kernel, Region { start: p.dtb.start, size: p.dtb.size + DTB_SLACK }];
    if let Some(i) = p.initrd {
        assert_eq!(i.start % PAGE_SIZE, 0, "{p:?}");
        assert!(i.start >= p.kernel.end(), "{p:?}");
        regions.push(i);
    }
    if let Some(fw) = p.firmware {
        regions.push(Region { start: fw.start, size: fw.size + FIRMWARE_RUNTIME_RESERVE });
    }
    if let Some(info) = p.fw_dynamic_info {
        assert_eq!(info % 8, 0);
        regions.push(Region { start: info, size: FW_DYNAMIC_INFO_SPACE });
    }
    for (i, a) in regions.iter().enumerate() {
        assert!(inside(a), "{a:?} outside RAM in {p:?}");
        for b in &regions[i + 1..] {
            assert!(!a.overlaps(b), "{a:?} overlaps {b:?} in {p:?}");
        }
    }
}

#[test]
fn hypervisor_mode_layout() {
    let p = plan_linux_boot(BASE, 128 * MIB, &kernel(0x20_0000, 20 * MIB), 10 * MIB, None, 0x2000, None).unwrap();
    assert_eq!(p.kernel, Region { start: 0x8020_0000, size: 20 * MIB });
    // Top of RAM, 2 MiB-aligned, room for the slack above.
    assert_eq!(p.dtb, Region { start: 0x87e0_0000, size: 0x2000 });
    assert_eq!((p.initrd, p.firmware, p.fw_dynamic_info), (None, None, None));
    check_invariants(&p, BASE, 128 * MIB);
}

#[test]
fn kernel_address_follows_text_offset() {
    let at = |text_offset| {
        plan_linux_boot(BASE, 64 * MIB, &kernel(text_offset, 4 * MIB), 4 * MIB, None, 0x1000, None)
            .unwrap()
            .kernel
            .start
    };
    assert_eq!(at(0), BASE); // M-mode / NOMMU kernels
    assert_eq!(at(0x1000), 0x8020_0000); // rounded up to a PMD
    assert_eq!(at(0x40_0000), 0x8040_0000);
    // RAM not 2 MiB-aligned: the kernel still is.
    let p = plan_linux_boot(0x8010_0000, 64 * MIB, &kernel(0, 4 * MIB), 4 * MIB, None, 0x1000, None).unwrap();
    assert_eq!(p.kernel.start, 0x8020_0000);
    check_invariants(&p, 0x8010_0000, 64 * MIB);
}

#[test]
fn kernel_size_is_the_larger_of_file_and_image_size() {
    let p = plan_linux_boot(BASE, 64 * MIB, &kernel(0x20_0000, 4 * MIB), 6 * MIB, None, 0x1000, None).unwrap();
    assert_eq!(p.kernel.size, 6 * MIB);
}

#[test]
fn firmware_mode_layout() {
    let fw = Region { start: BASE, size: 115_328 };
    let p = plan_linux_boot(BASE, 256 * MIB, &kernel(0x20_0000, 20 * MIB), 12 * MIB, Some(9 * MIB), 0x1800, Some(fw))
        .unwrap();
    assert_eq!(p.kernel.start, 0x8020_0000); // as QEMU with OpenSBI
    assert_eq!(p.fw_dynamic_info, Some(0x801f_f000));
    assert_eq!(p.firmware, Some(fw));
    assert_eq!(p.dtb.start, 0x8fe0_0000);
    let initrd = p.initrd.unwrap();
    assert_eq!(initrd.end(), 0x8fe0_0000);
    assert_eq!(initrd.size, 9 * MIB);
    check_invariants(&p, BASE, 256 * MIB);

    // A firmware too big for the first 2 MiB with its runtime area pushes
    // the kernel to the next PMD.
    let big = Region { start: BASE, size: 0x18_0000 };
    let p = plan_linux_boot(BASE, 256 * MIB, &kernel(0x20_0000, 20 * MIB), 12 * MIB, None, 0x1800, Some(big)).unwrap();
    assert_eq!(p.kernel.start, 0x8040_0000);
    assert_eq!(p.fw_dynamic_info, Some(0x803f_f000));
    assert!(p.fw_dynamic_info.unwrap() >= big.end() + FIRMWARE_RUNTIME_RESERVE);
    check_invariants(&p, BASE, 256 * MIB);
}

#[test]
fn dtb_and_initrd_stay_below_4_gib() {
    let p =
        plan_linux_boot(BASE, 8 << 30, &kernel(0x20_0000, 20 * MIB), 12 * MIB, Some(64 * MIB), 0x2000, None).unwrap();
    assert_eq!(p.dtb.start, 0xffe0_0000);
    assert_eq!(p.initrd.unwrap().end(), 0xffe0_0000);
    check_invariants(&p, BASE, 8 << 30);
    // An initrd too large for the room under 4 GiB goes above it.
    let p =
        plan_linux_boot(BASE, 8 << 30, &kernel(0x20_0000, 20 * MIB), 12 * MIB, Some(3 << 30), 0x2000, None).unwrap();
    assert!(p.initrd.unwrap().start >= 1 << 32);
    check_invariants(&p, BASE, 8 << 30);
    // RAM entirely above 4 GiB: the top of RAM.
    let high = 0x10_0000_0000;
    let p = plan_linux_boot(high, 64 * MIB, &kernel(0x20_0000, 8 * MIB), 8 * MIB, None, 0x2000, None).unwrap();
    assert_eq!(p.dtb.start, high + 62 * MIB);
}

#[test]
fn dtb_falls_back_to_page_alignment_when_ram_is_tight() {
    let fw = Region { start: BASE, size: 100 << 10 };
    let p = plan_linux_boot(BASE, 8 * MIB, &kernel(0x20_0000, 5 * MIB), 5 * MIB, None, 0x2000, Some(fw)).unwrap();
    assert_eq!(p.kernel, Region { start: 0x8020_0000, size: 5 * MIB });
    assert_ne!(p.dtb.start % DTB_ALIGN, 0);
    assert_eq!(p.dtb.start + 0x2000 + DTB_SLACK, BASE + 8 * MIB - (BASE + 8 * MIB - 0x2000 - DTB_SLACK) % PAGE_SIZE);
    check_invariants(&p, BASE, 8 * MIB);
}

#[test]
fn nothing_goes_below_the_kernel() {
    // 2 MiB below the kernel are free in hypervisor mode, but a 6.1 kernel
    // ignores them: neither the initrd nor the DTB may go there.
    let k = kernel(0x20_0000, 12 * MIB);
    let err = plan_linux_boot(BASE, 15 * MIB, &k, 12 * MIB, Some(MIB), 0x2000, None).unwrap_err();
    assert_eq!(err, LayoutError::NoRoom { what: "initrd", len: MIB });
    let err = plan_linux_boot(BASE, 14 * MIB, &k, 12 * MIB, None, 0x2000, None).unwrap_err();
    assert_eq!(err, LayoutError::NoRoom { what: "device tree", len: 0x2000 });
    // Enough room above: the initrd may even sit above the DTB.
    let p = plan_linux_boot(BASE, 16 * MIB, &k, 12 * MIB, Some(MIB), 0x2000, None).unwrap();
    assert!(p.initrd.unwrap().start >= p.kernel.end() && p.dtb.start >= p.kernel.end());
    check_invariants(&p, BASE, 16 * MIB);
}

#[test]
fn layout_errors() {
    let k = kernel(0x20_0000, 20 * MIB);
    let plan = |ram: u64, initrd: Option<u64>, fw: Option<Region>| {
        plan_linux_boot(BASE, ram, &k, 10 * MIB, initrd, 0x2000, fw).unwrap_err()
    };
    assert_eq!(
        plan(128 * MIB, Some(129 * MIB), None),
        LayoutError::InitrdLargerThanRam { initrd_len: 129 * MIB, ram_size: 128 * MIB }
    );
    assert_eq!(plan(128 * MIB, Some(0), None), LayoutError::EmptyInitrd);
    assert_eq!(
        plan(16 * MIB, None, None),
        LayoutError::KernelDoesNotFit { start: 0x8020_0000, size: 20 * MIB, ram_end: BASE + 16 * MIB }
    );
    // Kernel fits, the initrd does not (it is smaller than RAM though).
    assert_eq!(plan(32 * MIB, Some(12 * MIB), None), LayoutError::NoRoom { what: "initrd", len: 12 * MIB });
    // Kernel ends exactly at the end of RAM: no room for the DTB.
    assert_eq!(plan(22 * MIB, None, None), LayoutError::NoRoom { what: "device tree", len: 0x2000 });
    let fw = Region { start: BASE, size: 0x1_0000 };
    let tight = plan_linux_boot(BASE, 22 * MIB, &k, 10 * MIB, None, 0x2000, Some(fw)).unwrap_err();
    assert_eq!(tight, LayoutError::NoRoom { what: "device tree", len: 0x2000 });
    assert!(matches!(
        plan(128 * MIB, None, Some(Region { start: 0x1000, size: 0x1000 })),
        LayoutError::FirmwareOutsideRam { .. }
    ));
    assert!(matches!(
        plan(128 * MIB, None, Some(Region { start: BASE + 127 * MIB, size: 2 * MIB })),
        LayoutError::FirmwareOutsideRam { .. }
    ));
    assert!(matches!(
        plan(128 * MIB, None, Some(Region { start: u64::MAX - 4, size: 16 })),
        LayoutError::FirmwareOutsideRam { .. }
    ));
    assert_eq!(
        plan_linux_boot(u64::MAX - 10, 100, &k, 1, None, 1, None).unwrap_err(),
        LayoutError::BadRam { base: u64::MAX - 10, size: 100 }
    );
    let huge_offset = plan_linux_boot(BASE, 128 * MIB, &kernel(u64::MAX - 5, MIB), MIB, None, 0x1000, None);
    assert!(matches!(huge_offset, Err(LayoutError::KernelDoesNotFit { .. })));
    for e in [
        LayoutError::EmptyInitrd,
        plan(16 * MIB, None, None),
        plan(32 * MIB, Some(12 * MIB), None),
        plan(128 * MIB, Some(129 * MIB), None),
    ] {
        assert!(!e.to_string().contains('\n'));
    }
}

#[test]
fn any_input_plans_or_fails_cleanly() {
    let sizes = [0, 1, 0xfff, 0x1000, MIB, 2 * MIB + 1, 64 * MIB, 1 << 31, 1 << 33, u64::MAX / 2, u64::MAX];
    for &ram_size in &[0, MIB, 8 * MIB, 64 * MIB, 5 << 30] {
        for &image_size in &sizes {
            for &text_offset in &[0, 0x20_0000, 0x1234, u64::MAX] {
                for initrd in [None, Some(1), Some(3 * MIB), Some(u64::MAX)] {
                    for fw in [
                        None,
                        Some(Region { start: BASE, size: 0x2_0000 }),
                        Some(Region { start: BASE, size: u64::MAX }),
                    ] {
                        for dtb in [0x1000, u64::MAX] {
                            let k = kernel(text_offset, image_size);
                            if let Ok(p) = plan_linux_boot(BASE, ram_size, &k, image_size, initrd, dtb, fw) {
                                check_invariants(&p, BASE, ram_size);
                            }
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn fw_dynamic_info_bytes() {
    let info = FwDynamicInfo::for_kernel(0x8020_0000, 3);
    assert_eq!(info, FwDynamicInfo { next_addr: 0x8020_0000, next_mode: 1, options: 0, boot_hart: 3 });
    let b = info.to_bytes();
    let word = |i: usize| u64::from_le_bytes(b[i * 8..i * 8 + 8].try_into().unwrap());
    assert_eq!([word(0), word(1), word(2), word(3), word(4), word(5)], [0x4942_534f, 2, 0x8020_0000, 1, 0, 3]);
    assert_eq!(&b[..4], b"OSBI");
}

fn fdt_cfg(ram: u64) -> FdtConfig {
    FdtConfig { mem_size: ram, bootargs: Some("console=ttyS0".into()), ..FdtConfig::default() }
}

/// The DTB at `addr` in `ram` (a RAM starting at BASE), by its header.
fn dtb_at(ram: &[u8], addr: u64) -> &[u8] {
    let off = (addr - BASE) as usize;
    assert_eq!(&ram[off..off + 4], &[0xd0, 0x0d, 0xfe, 0xed]);
    let len = u32::from_be_bytes(ram[off + 4..off + 8].try_into().unwrap()) as usize;
    &ram[off..off + len]
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn load_hypervisor_mode() {
    let ram_size = 64 * MIB;
    let mut ram = vec![0u8; ram_size as usize];
    let kernel_file = image(0x3000, 0x20_0000, 0x10_0000);
    let initrd: Vec<u8> = (0..0x5000u32).map(|i| i as u8 | 1).collect();
    let boot = LinuxBoot { kernel: &kernel_file, initrd: Some(&initrd), firmware: None, boot_hart: 0 };
    let loaded = load_linux(&mut SliceRam::new(BASE, &mut ram), &boot, &fdt_cfg(ram_size), &[]).unwrap();
    assert_eq!(loaded.mode, StartMode::Supervisor);
    assert_eq!(loaded.entry, 0x8020_0000);
    assert_eq!((loaded.a0, loaded.a1, loaded.a2), (0, loaded.layout.dtb.start, 0));
    assert!(loaded.firmware_elf.is_none());
    assert_eq!(&ram[0x20_0000..0x20_3000], &kernel_file[..]);
    let r = loaded.layout.initrd.unwrap();
    let off = (r.start - BASE) as usize;
    assert_eq!(&ram[off..off + initrd.len()], &initrd[..]);
    let dtb = dtb_at(&ram, loaded.a1);
    assert_eq!(dtb.len() as u64, loaded.layout.dtb.size);
    // /chosen carries the initrd's final addresses.
    assert!(contains(dtb, &r.start.to_be_bytes()));
    assert!(contains(dtb, &r.end().to_be_bytes()));
    assert!(contains(dtb, b"console=ttyS0\0"));
    // No M-mode software: the PLIC's M contexts are marked absent.
    assert!(contains(dtb, &crate::fdt::IRQ_ABSENT.to_be_bytes()));
    check_invariants(&loaded.layout, BASE, ram_size);
}

#[test]
fn load_raw_firmware() {
    let ram_size = 64 * MIB;
    let mut ram = vec![0u8; ram_size as usize];
    let kernel_file = image(0x2000, 0x20_0000, 0x8_0000);
    let fw = vec![0x73u8; 0x1_c2c0];
    let boot = LinuxBoot { kernel: &kernel_file, initrd: None, firmware: Some(&fw), boot_hart: 1 };
    let cfg = FdtConfig { num_harts: 2, ..fdt_cfg(ram_size) };
    let loaded = load_linux(&mut SliceRam::new(BASE, &mut ram), &boot, &cfg, &[]).unwrap();
    assert_eq!((loaded.entry, loaded.mode), (BASE, StartMode::Machine));
    assert_eq!(loaded.a0, 1);
    assert_eq!(loaded.a2, 0x801f_f000);
    assert_eq!(&ram[..fw.len()], &fw[..]);
    assert_eq!(&ram[0x20_0000..0x20_2000], &kernel_file[..]);
    let info = &ram[0x1f_f000..0x1f_f000 + FW_DYNAMIC_INFO_LEN];
    assert_eq!(info, FwDynamicInfo::for_kernel(0x8020_0000, 1).to_bytes());
    // The firmware finds its M contexts in the tree.
    assert!(!contains(dtb_at(&ram, loaded.a1), &crate::fdt::IRQ_ABSENT.to_be_bytes()));
}

/// A kernel without an `Image` header (a raw binary, e.g. an S-mode
/// U-Boot) starts in S-mode 2 MiB into RAM, or behind the firmware there.
#[test]
fn load_raw_kernel() {
    let ram_size = 64 * MIB;
    let raw_kernel = vec![0x13u8; 0x2_1000];
    let fw = vec![0x73u8; 0x1_c2c0];
    for firmware in [None, Some(&fw[..])] {
        let mut ram = vec![0u8; ram_size as usize];
        let boot = LinuxBoot { kernel: &raw_kernel, initrd: None, firmware, boot_hart: 0 };
        let loaded = load_linux(&mut SliceRam::new(BASE, &mut ram), &boot, &fdt_cfg(ram_size), &[]).unwrap();
        assert_eq!(loaded.layout.kernel, Region { start: 0x8020_0000, size: 0x20_0000 });
        assert_eq!(&ram[0x20_0000..0x22_1000], &raw_kernel[..]);
        let want = if firmware.is_some() { (BASE, StartMode::Machine) } else { (0x8020_0000, StartMode::Supervisor) };
        assert_eq!((loaded.entry, loaded.mode), want);
        check_invariants(&loaded.layout, BASE, ram_size);
    }
}

/// An ELF kernel goes where its segments say and starts at its entry,
/// which the firmware is told; one the firmware's memory would overlap is
/// refused.
#[test]
fn load_elf_kernel() {
    let ram_size = 64 * MIB;
    let fw = vec![0x73u8; 0x1_c2c0];
    let elf = ElfBuilder::new().entry(0x8020_0010).seg(0x8020_0000, &[0x13; 0x40], 0x9000).build();
    let initrd = vec![7u8; 0x3000];
    for firmware in [None, Some(&fw[..])] {
        let mut ram = vec![0u8; ram_size as usize];
        let boot = LinuxBoot { kernel: &elf, initrd: Some(&initrd), firmware, boot_hart: 0 };
        let loaded = load_linux(&mut SliceRam::new(BASE, &mut ram), &boot, &fdt_cfg(ram_size), &[]).unwrap();
        assert_eq!(loaded.layout.kernel, Region { start: 0x8020_0000, size: 0x9000 });
        assert_eq!(&ram[0x20_0000..0x20_0040], &[0x13; 0x40]);
        match firmware {
            Some(_) => {
                assert_eq!((loaded.entry, loaded.mode), (BASE, StartMode::Machine));
                let info = (loaded.a2 - BASE) as usize;
                assert_eq!(
                    &ram[info..info + FW_DYNAMIC_INFO_LEN],
                    FwDynamicInfo::for_kernel(0x8020_0010, 0).to_bytes()
                );
            }
            None => assert_eq!((loaded.entry, loaded.mode), (0x8020_0010, StartMode::Supervisor)),
        }
        check_invariants(&loaded.layout, BASE, ram_size);
    }
    let low = ElfBuilder::new().seg(BASE + 0x1_0000, &[0x13; 4], 4).build();
    let mut ram = vec![0u8; ram_size as usize];
    let boot = LinuxBoot { kernel: &low, initrd: None, firmware: Some(&fw), boot_hart: 0 };
    let err = load_linux(&mut SliceRam::new(BASE, &mut ram), &boot, &fdt_cfg(ram_size), &[]).unwrap_err();
    assert!(matches!(err, BootError::KernelElfTooLow { start: 0x8001_0000, lowest: 0x8020_0000 }), "{err}");
    assert!(ram.iter().all(|&b| b == 0));
}

#[test]
fn load_elf_firmware() {
    let ram_size = 32 * MIB;
    let mut ram = vec![0u8; ram_size as usize];
    let kernel_file = image(0x2000, 0x20_0000, 0x8_0000);
    let fw = ElfBuilder::new().seg(BASE, &[0x6f, 0, 0, 0], 0x3_0000).build();
    let boot = LinuxBoot { kernel: &kernel_file, initrd: None, firmware: Some(&fw), boot_hart: 0 };
    let loaded = load_linux(&mut SliceRam::new(BASE, &mut ram), &boot, &fdt_cfg(ram_size), &[]).unwrap();
    assert_eq!((loaded.entry, loaded.mode), (BASE, StartMode::Machine));
    assert_eq!(loaded.layout.firmware, Some(Region { start: BASE, size: 0x3_0000 }));
    assert_eq!(loaded.firmware_elf.as_ref().map(|e| e.load_end), Some(BASE + 0x3_0000));
    assert_eq!(&ram[..4], &[0x6f, 0, 0, 0]);
    assert_eq!(loaded.layout.kernel.start, 0x8020_0000);
}

/// Debian's OpenSBI `fw_dynamic`, when installed: both forms land at
/// 0x8000_0000 and leave the kernel at 0x8020_0000.
#[test]
fn debian_opensbi_fw_dynamic() {
    let dir = "/usr/lib/riscv64-linux-gnu/opensbi/generic";
    for name in ["fw_dynamic.elf", "fw_dynamic.bin"] {
        let Ok(fw) = std::fs::read(format!("{dir}/{name}")) else {
            eprintln!("skipped: {dir}/{name} not installed");
            continue;
        };
        let ram_size = 128 * MIB;
        let mut ram = vec![0u8; ram_size as usize];
        let kernel_file = image(0x2000, 0x20_0000, 0x8_0000);
        let boot = LinuxBoot { kernel: &kernel_file, initrd: None, firmware: Some(&fw), boot_hart: 0 };
        let loaded = load_linux(&mut SliceRam::new(BASE, &mut ram), &boot, &fdt_cfg(ram_size), &[]).unwrap();
        assert_eq!(loaded.entry, BASE, "{name}");
        assert_eq!(loaded.layout.kernel.start, 0x8020_0000, "{name}");
        assert_eq!(loaded.a2 % 8, 0);
        check_invariants(&loaded.layout, BASE, ram_size);
    }
}

#[test]
fn failed_loads_leave_ram_untouched() {
    let ram_size = 16 * MIB;
    let good = image(0x2000, 0x20_0000, 0x8_0000);
    let big_initrd = vec![1u8; 17 * MIB as usize];
    let tight_initrd = vec![1u8; 13 * MIB as usize];
    let bad_elf = ElfBuilder::new().seg(0x1000, &[1, 2, 3, 4], 4).build();
    let fw_too_big = vec![1u8; 17 * MIB as usize];
    let raw_too_big = vec![0x13u8; 15 * MIB as usize];
    let cases: Vec<(LinuxBoot<'_>, FdtConfig, &str)> = vec![
        (
            LinuxBoot { kernel: &raw_too_big, initrd: None, firmware: None, boot_hart: 0 },
            fdt_cfg(ram_size),
            "guest RAM is too small for the kernel",
        ),
        (
            LinuxBoot { kernel: &[], initrd: None, firmware: None, boot_hart: 0 },
            fdt_cfg(ram_size),
            "kernel: empty kernel file",
        ),
        (
            LinuxBoot { kernel: &good, initrd: Some(&big_initrd), firmware: None, boot_hart: 0 },
            fdt_cfg(ram_size),
            "larger than guest RAM",
        ),
        (
            LinuxBoot { kernel: &good, initrd: Some(&tight_initrd), firmware: None, boot_hart: 0 },
            fdt_cfg(ram_size),
            "no room left for the initrd",
        ),
        (
            LinuxBoot { kernel: &bad_elf, initrd: None, firmware: None, boot_hart: 0 },
            fdt_cfg(ram_size),
            "kernel: ELF segment 0",
        ),
        (
            LinuxBoot { kernel: &good, initrd: None, firmware: Some(&bad_elf), boot_hart: 0 },
            fdt_cfg(ram_size),
            "firmware: ELF segment 0",
        ),
        (
            LinuxBoot { kernel: &good, initrd: None, firmware: Some(&fw_too_big), boot_hart: 0 },
            fdt_cfg(ram_size),
            "firmware: raw image",
        ),
        (
            LinuxBoot { kernel: &good, initrd: None, firmware: None, boot_hart: 0 },
            FdtConfig { num_harts: 0, ..fdt_cfg(ram_size) },
            "device tree: ",
        ),
    ];
    for (boot, cfg, msg) in cases {
        let mut ram = vec![0u8; ram_size as usize];
        let err = load_linux(&mut SliceRam::new(BASE, &mut ram), &boot, &cfg, &[]).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with(msg) || text.contains(msg), "{text:?} lacks {msg:?}");
        assert!(!text.contains('\n'), "{text:?}");
        assert!(ram.iter().all(|&b| b == 0), "{text}: RAM was written");
    }
}
