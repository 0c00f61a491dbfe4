use super::*;

const RAM_BASE: u64 = 0x8000_0000;
const RAM_SIZE: usize = 0x10000;

struct Seg {
    ptype: u32,
    vaddr: u64,
    paddr: u64,
    file: Vec<u8>,
    memsz: u64,
}

/// A symbol: name, value, size, type, section index (1 = .text, 2 = .data).
type TestSym = (&'static str, u64, u64, u8, u16);

/// Builds small ELF64 files by hand.
pub(super) struct ElfBuilder {
    class: u8,
    data: u8,
    machine: u16,
    etype: u16,
    entry: u64,
    segs: Vec<Seg>,
    syms: Vec<TestSym>,
}

impl ElfBuilder {
    pub(super) fn new() -> Self {
        ElfBuilder { class: 2, data: 1, machine: 243, etype: 2, entry: RAM_BASE, segs: Vec::new(), syms: Vec::new() }
    }

    pub(super) fn entry(mut self, entry: u64) -> Self {
        self.entry = entry;
        self
    }

    pub(super) fn seg(mut self, paddr: u64, file: &[u8], memsz: u64) -> Self {
        self.segs.push(Seg { ptype: 1, vaddr: paddr, paddr, file: file.to_vec(), memsz });
        self
    }

    pub(super) fn build(&self) -> Vec<u8> {
        let phoff = 64u64;
        let mut seg_off = phoff + 56 * self.segs.len() as u64;
        let mut body: Vec<u8> = Vec::new();
        let mut out: Vec<u8> = Vec::new();
        let mut phdrs: Vec<u8> = Vec::new();
        for s in &self.segs {
            phdrs.extend(s.ptype.to_le_bytes());
            phdrs.extend(7u32.to_le_bytes());
            phdrs.extend(seg_off.to_le_bytes());
            phdrs.extend(s.vaddr.to_le_bytes());
            phdrs.extend(s.paddr.to_le_bytes());
            phdrs.extend((s.file.len() as u64).to_le_bytes());
            phdrs.extend(s.memsz.to_le_bytes());
            phdrs.extend(8u64.to_le_bytes());
            body.extend(&s.file);
            seg_off += s.file.len() as u64;
        }
        let body_end = phoff + phdrs.len() as u64 + body.len() as u64;

        // Sections: null, .text, .data, .symtab, .strtab, .shstrtab.
        let (mut shoff, mut shnum, mut tail) = (0u64, 0u16, Vec::new());
        if !self.syms.is_empty() {
            let mut strtab = vec![0u8];
            let mut symtab = vec![0u8; 24];
            for &(name, value, size, ty, shndx) in &self.syms {
                symtab.extend((strtab.len() as u32).to_le_bytes());
                strtab.extend(name.as_bytes());
                strtab.push(0);
                symtab.push((1 << 4) | ty);
                symtab.push(0);
                symtab.extend(shndx.to_le_bytes());
                symtab.extend(value.to_le_bytes());
                symtab.extend(size.to_le_bytes());
            }
            let shstrtab = b"\0.text\0.data\0.symtab\0.strtab\0.shstrtab\0".to_vec();
            let symtab_off = body_end;
            let strtab_off = symtab_off + symtab.len() as u64;
            let shstr_off = strtab_off + strtab.len() as u64;
            tail.extend(&symtab);
            tail.extend(&strtab);
            tail.extend(&shstrtab);
            while !(body_end + tail.len() as u64).is_multiple_of(8) {
                tail.push(0);
            }
            shoff = body_end + tail.len() as u64;
            let text = self.segs.first().map_or((0, 0), |s| (s.vaddr, s.memsz));
            #[allow(clippy::type_complexity)]
            let shdrs: [(u32, u32, u64, u64, u64, u64, u32, u32, u64); 6] = [
                (0, 0, 0, 0, 0, 0, 0, 0, 0),
                (1, 1, 6, text.0, 0, text.1, 0, 0, 0),
                (7, 1, 3, text.0 + text.1, 0, 0, 0, 0, 0),
                (13, 2, 0, 0, symtab_off, symtab.len() as u64, 4, 1, 24),
                (21, 3, 0, 0, strtab_off, strtab.len() as u64, 0, 0, 0),
                (29, 3, 0, 0, shstr_off, shstrtab.len() as u64, 0, 0, 0),
            ];
            for (name, ty, flags, addr, off, size, link, info, entsize) in shdrs {
                tail.extend(name.to_le_bytes());
                tail.extend(ty.to_le_bytes());
                tail.extend(flags.to_le_bytes());
                tail.extend(addr.to_le_bytes());
                tail.extend(off.to_le_bytes());
                tail.extend(size.to_le_bytes());
                tail.extend(link.to_le_bytes());
                tail.extend(info.to_le_bytes());
                tail.extend(1u64.to_le_bytes());
                tail.extend(entsize.to_le_bytes());
            }
            shnum = 6;
        }

        out.extend(b"\x7fELF");
        out.extend([self.class, self.data, 1, 0]);
        out.extend([0u8; 8]);
        out.extend(self.etype.to_le_bytes());
        out.extend(self.machine.to_le_bytes());
        out.extend(1u32.to_le_bytes());
        out.extend(self.entry.to_le_bytes());
        out.extend(phoff.to_le_bytes());
        out.extend(shoff.to_le_bytes());
        out.extend(0u32.to_le_bytes());
        out.extend(64u16.to_le_bytes());
        out.extend(56u16.to_le_bytes());
        out.extend((self.segs.len() as u16).to_le_bytes());
        out.extend(64u16.to_le_bytes());
        out.extend(shnum.to_le_bytes());
        out.extend((if shnum > 0 { 5u16 } else { 0 }).to_le_bytes());
        assert_eq!(out.len(), 64);
        out.extend(phdrs);
        out.extend(body);
        out.extend(tail);
        out
    }
}

fn ram() -> Vec<u8> {
    vec![0xee; RAM_SIZE]
}

fn load(bytes: &[u8], ram: &mut [u8]) -> Result<LoadedElf, LoadError> {
    load_elf(bytes, &mut SliceRam::new(RAM_BASE, ram))
}

const CODE: [u8; 8] = [0x13, 0, 0, 0, 0x6f, 0, 0, 0];

#[test]
fn loads_segment_and_zeroes_bss() {
    let elf = ElfBuilder::new().seg(RAM_BASE + 0x100, &CODE, 0x20).seg(RAM_BASE + 0x1000, b"data", 4).build();
    let mut r = ram();
    let l = load(&elf, &mut r).unwrap();
    assert_eq!(l.entry, RAM_BASE);
    assert_eq!((l.load_start, l.load_end), (RAM_BASE + 0x100, RAM_BASE + 0x1004));
    assert_eq!(&r[0x100..0x108], &CODE);
    assert!(r[0x108..0x120].iter().all(|&b| b == 0));
    assert_eq!(r[0x120], 0xee);
    assert_eq!(&r[0x1000..0x1004], b"data");
    assert_eq!((l.tohost, l.fromhost), (None, None));
    assert!(l.symbols.is_empty());
}

#[test]
fn large_bss_is_zeroed_in_chunks() {
    let elf = ElfBuilder::new().seg(RAM_BASE, &CODE, 0x9001).build();
    let mut r = ram();
    load(&elf, &mut r).unwrap();
    assert!(r[8..0x9001].iter().all(|&b| b == 0));
    assert_eq!(r[0x9001], 0xee);
}

#[test]
fn uses_physical_addresses_and_translates_entry() {
    let mut b = ElfBuilder::new();
    b.segs.push(Seg {
        ptype: 1,
        vaddr: 0xffff_ffff_8000_0000,
        paddr: RAM_BASE + 0x2000,
        file: CODE.to_vec(),
        memsz: 0x100,
    });
    b.entry = 0xffff_ffff_8000_0004;
    b.syms = vec![("tohost", 0xffff_ffff_8000_0040, 8, 1, 2)];
    let mut r = ram();
    let l = load(&b.build(), &mut r).unwrap();
    assert_eq!(&r[0x2000..0x2008], &CODE);
    assert_eq!(l.entry, RAM_BASE + 0x2004);
    assert_eq!(l.tohost, Some(RAM_BASE + 0x2040));
}

#[test]
fn et_dyn_is_accepted_and_non_load_segments_skipped() {
    let mut b = ElfBuilder::new().seg(RAM_BASE, &CODE, 8);
    b.etype = 3;
    b.segs.push(Seg {
        ptype: 4, // PT_NOTE, address outside RAM: ignored
        vaddr: 0,
        paddr: 0,
        file: vec![1; 4],
        memsz: 4,
    });
    let mut r = ram();
    assert!(load(&b.build(), &mut r).is_ok());
}

#[test]
fn symbols_tohost_fromhost() {
    let mut b = ElfBuilder::new().seg(RAM_BASE, &[0; 0x100], 0x200);
    b.syms = vec![
        ("main", RAM_BASE + 0x40, 0x20, 2, 1),
        ("_start", RAM_BASE, 0, 0, 1),
        ("tohost", RAM_BASE + 0x100, 8, 1, 2),
        ("fromhost", RAM_BASE + 0x108, 8, 1, 2),
        ("$x", RAM_BASE + 0x8, 0, 0, 1),
        (".Lloop", RAM_BASE + 0x10, 0, 0, 1),
        ("data_label", RAM_BASE + 0x110, 0, 0, 2),
        ("helper", RAM_BASE + 0x20, 0x10, 2, 1),
        ("undefined_fn", 0, 0, 2, 0),
    ];
    let mut r = ram();
    let l = load(&b.build(), &mut r).unwrap();
    assert_eq!(l.tohost, Some(RAM_BASE + 0x100));
    assert_eq!(l.fromhost, Some(RAM_BASE + 0x108));
    assert_eq!(
        l.symbols,
        vec![
            (RAM_BASE, 0, "_start".to_string()),
            (RAM_BASE + 0x20, 0x10, "helper".to_string()),
            (RAM_BASE + 0x40, 0x20, "main".to_string()),
        ]
    );
    assert_eq!(l.symbol_at(RAM_BASE + 0x44).unwrap().2, "main");
    assert_eq!(l.symbol_at(RAM_BASE + 0x4).unwrap().2, "_start");
    assert!(l.symbol_at(RAM_BASE + 0x30).is_none());
    assert!(l.symbol_at(0).is_none());
    assert_eq!(l.signature, None);
}

#[test]
fn signature_region_needs_both_symbols() {
    let mut b = ElfBuilder::new().seg(RAM_BASE, &[0; 0x100], 0x200);
    b.syms = vec![("begin_signature", RAM_BASE + 0x100, 0, 0, 2), ("end_signature", RAM_BASE + 0x140, 0, 0, 2)];
    let l = load(&b.build(), &mut ram()).unwrap();
    assert_eq!(l.signature, Some(RAM_BASE + 0x100..RAM_BASE + 0x140));
    assert!(!l.symbols.iter().any(|s| s.2.contains("signature")), "data labels are not code symbols");

    b.syms.truncate(1);
    assert_eq!(load(&b.build(), &mut ram()).unwrap().signature, None);
}

#[test]
fn header_errors() {
    let mut r = ram();
    let good = ElfBuilder::new().seg(RAM_BASE, &CODE, 8).build();
    assert_eq!(load(&[], &mut r), Err(LoadError::Empty));
    assert_eq!(load(b"\x7fEL", &mut r), Err(LoadError::Truncated("the file ends inside the ELF header")));
    assert_eq!(load(b"#!/bin/sh\n", &mut r), Err(LoadError::NotElf));
    assert!(matches!(load(&good[..40], &mut r), Err(LoadError::Truncated(_))));
    assert!(matches!(load(&good[..4], &mut r), Err(LoadError::Truncated(_))));

    let mut b = ElfBuilder::new().seg(RAM_BASE, &CODE, 8);
    b.class = 1;
    assert_eq!(load(&b.build(), &mut r), Err(LoadError::Elf32));
    b.class = 3;
    assert_eq!(load(&b.build(), &mut r), Err(LoadError::BadClass(3)));
    b.class = 2;
    b.data = 2;
    assert_eq!(load(&b.build(), &mut r), Err(LoadError::NotLittleEndian(2)));
    b.data = 1;
    b.machine = 62;
    let err = load(&b.build(), &mut r).unwrap_err();
    assert_eq!(err.to_string(), "ELF is for x86-64 (e_machine 62), not RISC-V");
    b.machine = 999;
    assert!(load(&b.build(), &mut r).unwrap_err().to_string().contains("machine 999"));
    b.machine = 243;
    b.etype = 1;
    let err = load(&b.build(), &mut r).unwrap_err();
    assert_eq!(err.to_string(), "ELF is a relocatable object (ET_REL), not an executable (ET_EXEC or ET_DYN)");
    assert!(r.iter().all(|&x| x == 0xee), "RAM untouched on errors");
}

#[test]
fn program_header_errors() {
    let mut r = ram();
    // Program header table beyond the end of the file.
    let mut elf = ElfBuilder::new().seg(RAM_BASE, &CODE, 8).build();
    elf[32..40].copy_from_slice(&0x10_0000u64.to_le_bytes());
    assert_eq!(load(&elf, &mut r), Err(LoadError::BadProgramHeaders));
    // Wrong e_phentsize.
    let mut elf = ElfBuilder::new().seg(RAM_BASE, &CODE, 8).build();
    elf[54..56].copy_from_slice(&32u16.to_le_bytes());
    assert_eq!(load(&elf, &mut r), Err(LoadError::BadProgramHeaders));
    // Segment data beyond the end of the file.
    let mut elf = ElfBuilder::new().seg(RAM_BASE, &CODE, 8).build();
    elf[64 + 8..64 + 16].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(matches!(load(&elf, &mut r), Err(LoadError::SegmentOutsideFile { index: 0, .. })));
    let mut elf = ElfBuilder::new().seg(RAM_BASE, &CODE, 8).build();
    let len = elf.len();
    elf.truncate(len - 1);
    let err = load(&elf, &mut r).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("ELF segment 0: its file bytes [0x78, +0x8) lie outside the {}-byte file", len - 1)
    );
    // filesz > memsz.
    let elf = ElfBuilder::new().seg(RAM_BASE, &CODE, 4).build();
    assert!(matches!(load(&elf, &mut r), Err(LoadError::SegmentFileszExceedsMemsz { .. })));
    // No program headers / only empty or non-load ones.
    assert_eq!(load(&ElfBuilder::new().build(), &mut r), Err(LoadError::NoLoadableSegment));
    let elf = ElfBuilder::new().seg(RAM_BASE, &[], 0).build();
    assert_eq!(load(&elf, &mut r), Err(LoadError::NoLoadableSegment));
    assert!(r.iter().all(|&x| x == 0xee));
}

#[test]
fn segments_outside_ram() {
    let mut r = ram();
    let end = RAM_BASE + RAM_SIZE as u64;
    // A fitting first segment and a second one that is too big: nothing written.
    let elf = ElfBuilder::new().seg(RAM_BASE, &CODE, 8).seg(end - 4, &CODE, 8).build();
    let err = load(&elf, &mut r).unwrap_err();
    assert_eq!(
        err.to_string(),
        "ELF segment 1 at [0x8000fffc, 0x80010004) lies outside guest RAM [0x80000000, 0x80010000)"
    );
    assert!(r.iter().all(|&x| x == 0xee));
    // Below RAM.
    let elf = ElfBuilder::new().seg(0x1000, &CODE, 8).build();
    assert!(matches!(load(&elf, &mut r), Err(LoadError::SegmentOutsideRam { start: 0x1000, .. })));
    // Huge memsz (wraps).
    let elf = ElfBuilder::new().seg(RAM_BASE, &CODE, u64::MAX).build();
    assert!(matches!(load(&elf, &mut r), Err(LoadError::SegmentOutsideRam { end: u64::MAX, .. })));
    // Exactly filling RAM is fine.
    let elf = ElfBuilder::new().seg(RAM_BASE, &CODE, RAM_SIZE as u64).build();
    assert!(load(&elf, &mut r).is_ok());
}

#[test]
fn error_messages_are_distinct_single_lines() {
    let errs = [
        LoadError::Empty,
        LoadError::NotElf,
        LoadError::Truncated("x"),
        LoadError::Elf32,
        LoadError::BadClass(0),
        LoadError::NotLittleEndian(2),
        LoadError::BadProgramHeaders,
        LoadError::NoLoadableSegment,
    ];
    let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    for (i, m) in msgs.iter().enumerate() {
        assert!(!m.contains('\n'));
        assert!(!msgs[..i].contains(m), "duplicate message {m}");
    }
    assert_eq!(LoadError::Elf32.to_string(), "32-bit ELF, hartvm runs RV64 guests");
}

/// Every truncation and thousands of random corruptions of a valid ELF
/// (with symbols) load or fail cleanly.
#[test]
fn garbled_inputs_never_panic() {
    let mut b = ElfBuilder::new().seg(RAM_BASE, &CODE, 0x40).seg(RAM_BASE + 0x100, b"xy", 2);
    b.syms = vec![("main", RAM_BASE, 8, 2, 1), ("tohost", RAM_BASE + 0x40, 8, 1, 2)];
    let good = b.build();
    let mut r = ram();
    assert!(load(&good, &mut r).is_ok());
    for n in 0..good.len() {
        let _ = load(&good[..n], &mut r);
    }
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut rand = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..5000 {
        let mut bad = good.clone();
        for _ in 0..1 + rand() % 4 {
            let i = (rand() % bad.len() as u64) as usize;
            bad[i] = match rand() % 3 {
                0 => rand() as u8,
                1 => 0xff,
                _ => 0,
            };
        }
        let _ = load(&bad, &mut r);
    }
}

#[test]
fn raw_images() {
    let mut r = ram();
    let mut mem = SliceRam::new(RAM_BASE, &mut r);
    assert_eq!(load_raw(b"abc", RAM_BASE + 1, &mut mem), Ok((RAM_BASE + 1, RAM_BASE + 4)));
    assert_eq!(load_raw(&[], RAM_BASE + RAM_SIZE as u64, &mut mem), Ok((0x8001_0000, 0x8001_0000)));
    let err = load_raw(b"abc", RAM_BASE + RAM_SIZE as u64 - 2, &mut mem).unwrap_err();
    assert_eq!(
        err.to_string(),
        "raw image at [0x8000fffe, 0x80010001) lies outside guest RAM [0x80000000, 0x80010000)"
    );
    assert!(load_raw(b"a", 0, &mut mem).is_err());
    assert!(matches!(load_raw(b"ab", u64::MAX, &mut mem), Err(LoadError::RawOutsideRam { end: u64::MAX, .. })));
    assert_eq!(&r[..5], b"\xeeabc\xee");
}

#[test]
fn slice_ram_ignores_out_of_range_writes() {
    let mut r = vec![0u8; 4];
    let mut mem = SliceRam::new(0x100, &mut r);
    mem.write(0xff, &[1]);
    mem.write(0x103, &[1, 1]);
    mem.write(u64::MAX, &[1]);
    mem.write(0x102, &[7, 8]);
    assert_eq!(r, [0, 0, 7, 8]);
}

/// A real firmware ELF, when Debian's opensbi package is installed.
#[test]
fn loads_opensbi_firmware_if_installed() {
    let path = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf";
    let Ok(bytes) = std::fs::read(path) else {
        eprintln!("skipped: {path} not installed");
        return;
    };
    let mut r = vec![0u8; 4 << 20];
    let l = load_elf(&bytes, &mut SliceRam::new(RAM_BASE, &mut r)).unwrap();
    assert_eq!(l.entry, RAM_BASE);
    assert_eq!(l.load_start, RAM_BASE);
    assert!(l.load_end > RAM_BASE);
}
