//! Compares hartvm's decoder and disassembler with GNU objdump 2.40
//! (`riscv64-unknown-elf-objdump -d -M no-aliases`):
//!
//! - every instruction of C programs compiled with -O2 and -Os and of a
//!   hand-written assembly file covering every instruction we decode;
//! - all 65536 16-bit encodings;
//! - a few hundred thousand pseudo-random 32-bit words;
//! - every CSR number (names).
//!
//! For every unit, our text must equal objdump's (after removing objdump's
//! ` <symbol>` suffix and `#` comments, see [`common::normalize`]) and we
//! must decode [`Op::Illegal`] exactly when objdump cannot decode, except
//! for the documented differences of [`known_difference`].

mod common;

use common::{objdump, objdump_illegal, Line, Rng};
use hartvm_frontend::{decode, disassemble, insn_length, Inst, Op};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

/// Where our decoder knowingly disagrees with objdump 2.40. Returns the
/// reason, or `None` if the difference is a bug.
///
/// - Zicond `czero.eqz`/`czero.nez`: binutils 2.40 does not know Zicond
///   (added in 2.41), so it prints `.4byte`.
/// - `fcvt.d.s`, `fcvt.d.w`, `fcvt.d.wu` with rm != 0: legal (the ISA
///   manual says the rm field of these exact conversions is decoded as
///   usual), but binutils 2.40 only matches them with rm = 0.
/// - `fence` with non-zero rd/rs1 or an fm other than 0 (and not
///   `fence.tso`), `fence.i` with non-zero imm/rs1/rd: the ISA manual says
///   implementations ignore these fields, so they are legal; objdump 2.40
///   does not decode them (we print `.4byte` like it does).
/// - FP operations with the reserved rounding modes 5 and 6: the ISA
///   reserves them (illegal for us), objdump prints the instruction with an
///   `unknown` rounding mode (so do we, for illegal words).
/// - `uret` (N extension), `hret` and `sfence.vm` (privileged spec 1.9):
///   no longer in the ISA, so reserved (illegal for us); objdump 2.40 still
///   decodes them (we print them like it does).
/// - `c.addi16sp` with a zero immediate: reserved by the ISA, objdump
///   decodes it (we print its text too).
fn known_difference(inst: &Inst, theirs: &str) -> Option<&'static str> {
    let raw = inst.raw;
    match inst.op {
        Op::CzeroEqz | Op::CzeroNez if theirs.starts_with(".4byte") => Some("Zicond unknown to binutils 2.40"),
        Op::FcvtDS | Op::FcvtDW | Op::FcvtDWu if inst.rm != 0 && theirs.starts_with(".4byte") => {
            Some("fcvt.d.{s,w,wu} with rm != 0 unknown to binutils 2.40")
        }
        Op::Fence | Op::FenceI if theirs.starts_with(".4byte") => {
            Some("fence/fence.i with reserved fields (ignored by the ISA)")
        }
        Op::Illegal if inst.len == 4 && theirs.ends_with(",unknown") => {
            Some("reserved FP rounding mode 5/6 (objdump prints `unknown`)")
        }
        Op::Illegal
            if inst.len == 4
                && (theirs == "uret"
                    || theirs == "hret"
                    || theirs.starts_with("sfence.vm\t")
                    || theirs == "sfence.vm") =>
        {
            Some("obsolete uret/hret/sfence.vm (reserved by the current ISA)")
        }
        Op::Illegal if inst.len == 2 && raw & 0xef83 == 0x6101 => Some("c.addi16sp with zero immediate (reserved)"),
        _ => None,
    }
}

/// Outcome of comparing a list of objdump lines with our output.
#[derive(Default)]
struct Report {
    checked: usize,
    known: BTreeMap<&'static str, usize>,
    failures: Vec<String>,
}

impl Report {
    fn check(&mut self, line: &Line) {
        if line.len == 0 {
            self.failures.push(format!("unexpected objdump line: {}", line.full));
            return;
        }
        self.checked += 1;
        let inst = decode(line.raw);
        let ours = disassemble(&inst, line.addr);
        let ours_illegal = inst.op == Op::Illegal;
        let theirs_illegal = objdump_illegal(&line.text);
        let mut bad = Vec::new();
        if inst.len as usize != line.len || insn_length(line.raw as u16) != line.len {
            bad.push(format!("length {} vs {}", inst.len, line.len));
        }
        if ours_illegal != theirs_illegal {
            bad.push(format!(
                "legality: ours {}, objdump {}",
                if ours_illegal { "illegal" } else { "legal" },
                if theirs_illegal { "illegal" } else { "legal" }
            ));
        }
        if ours != line.text {
            bad.push("text".into());
        }
        if bad.is_empty() {
            return;
        }
        if let Some(reason) = known_difference(&inst, &line.text) {
            *self.known.entry(reason).or_default() += 1;
            return;
        }
        self.failures.push(format!(
            "{:#010x} @ {:#x}: ours `{}` ({:?}), objdump `{}` [{}]",
            line.raw,
            line.addr,
            ours.escape_debug(),
            inst.op,
            line.text.escape_debug(),
            bad.join(", ")
        ));
    }

    fn finish(self, what: &str) {
        eprintln!("{what}: {} units checked, known differences: {:?}", self.checked, self.known);
        assert!(self.checked > 0, "{what}: objdump printed no instructions");
        if !self.failures.is_empty() {
            let mut msg = format!("{what}: {} mismatches with objdump:\n", self.failures.len());
            for f in self.failures.iter().take(60) {
                let _ = writeln!(msg, "  {f}");
            }
            panic!("{msg}");
        }
    }
}

fn check_lines(what: &str, lines: &[Line]) {
    let mut report = Report::default();
    for l in lines {
        report.check(l);
    }
    report.finish(what);
}

fn corpus_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus"))
}

#[test]
fn assembly_corpus_matches_objdump() {
    common::require_toolchain();
    let dir = common::work_dir("asm-corpus");
    let source = std::fs::read_to_string(corpus_dir().join("all.s")).expect("read all.s");
    let obj = common::assemble(&dir, "all", &source, true);
    let lines = objdump(&obj);
    assert!(lines.len() > 1000, "only {} lines", lines.len());
    // Every operation of the Op enum must appear at least once.
    let mut seen = std::collections::BTreeSet::new();
    for l in &lines {
        seen.insert(decode(l.raw).op);
    }
    let missing: Vec<Op> = ALL_OPS.iter().copied().filter(|o| !seen.contains(o)).collect();
    assert!(missing.is_empty(), "all.s lacks {missing:?}");
    check_lines("all.s", &lines);
}

#[test]
fn c_corpus_matches_objdump() {
    common::require_toolchain();
    let dir = common::work_dir("c-corpus");
    let mut total = 0;
    for name in ["ints", "fp", "atomics"] {
        for opt in ["-O2", "-Os"] {
            let src = corpus_dir().join(format!("{name}.c"));
            let obj = dir.join(format!("{name}{opt}.o"));
            common::run(
                Command::new(common::CC)
                    .args(["-march=rv64gc_zba_zbb_zbs", "-mabi=lp64d", "-ffreestanding", "-c", opt])
                    .arg("-o")
                    .arg(&obj)
                    .arg(&src),
            );
            let lines = objdump(&obj);
            total += lines.len();
            check_lines(&format!("{name}.c {opt}"), &lines);
        }
    }
    assert!(total > 500, "C corpus too small: {total} instructions");
}

#[test]
fn all_compressed_encodings_match_objdump() {
    common::require_toolchain();
    let dir = common::work_dir("c16");
    let mut src = String::from("\t.text\n\t.globl\t_start\n_start:\n");
    let mut count = 0;
    for h in 0..=0xffffu32 {
        if h & 3 != 3 {
            let _ = writeln!(src, "\t.2byte\t0x{h:04x}");
            count += 1;
        }
    }
    let obj = common::assemble(&dir, "c16", &src, true);
    let lines = objdump(&obj);
    assert_eq!(lines.len(), count, "objdump did not print one line per halfword");
    for (l, h) in lines.iter().zip((0..=0xffffu32).filter(|h| h & 3 != 3)) {
        assert_eq!(l.raw, h, "objdump out of step at {}", l.full);
    }
    check_lines("16-bit encodings", &lines);
}

/// Major opcodes (bits 6:0) of the 32-bit instructions we decode.
const OPCODES: [u32; 21] = [
    0x03, 0x07, 0x0f, 0x13, 0x17, 0x1b, 0x23, 0x27, 0x2f, 0x33, 0x37, 0x3b, 0x43, 0x47, 0x4b, 0x4f, 0x53, 0x63, 0x67,
    0x6f, 0x73,
];

/// funct7 values that select operations in OP, OP-32, OP-IMM and OP-FP.
const FUNCT7: [u32; 31] = [
    0x00, 0x01, 0x04, 0x05, 0x07, 0x08, 0x09, 0x0c, 0x0d, 0x10, 0x11, 0x14, 0x15, 0x20, 0x21, 0x24, 0x2c, 0x2d, 0x30,
    0x34, 0x35, 0x50, 0x51, 0x60, 0x61, 0x68, 0x69, 0x70, 0x71, 0x78, 0x79,
];

/// A pseudo-random 32-bit word biased towards interesting encodings: a
/// known major opcode, selector fields drawn from the values that matter,
/// small rs2 values (unary/conversion selectors), the SYSTEM corner cases.
///
/// Half of the words are mutations of `templates` (the 32-bit words of
/// `all.s`, which cover every operation): random register fields and,
/// half of the time, one more flipped bit anywhere above the opcode's low
/// two bits, which probes the reserved neighbours of every encoding.
fn random_word(rng: &mut Rng, templates: &[u32]) -> u32 {
    let r = rng.next_u32();
    let mode = rng.next_u32() % 8;
    if mode >= 4 {
        let mut w = templates[rng.next_u32() as usize % templates.len()];
        let fields = rng.next_u32();
        if fields & 1 != 0 {
            w = (w & !0x0000_0f80) | (r & 0x0000_0f80); // rd
        }
        if fields & 2 != 0 {
            w = (w & !0x000f_8000) | (r & 0x000f_8000); // rs1
        }
        if fields & 4 != 0 {
            w = (w & !0x01f0_0000) | (r & 0x01f0_0000); // rs2
        }
        if fields & 8 != 0 {
            w ^= 1 << (2 + (fields >> 4) % 30);
        }
        if w & 0x1f == 0x1f {
            w &= !0x04;
        }
        return w;
    }
    let mut w = if mode == 0 { r | 3 } else { (r & !0x7f) | OPCODES[(rng.next_u32() as usize) % OPCODES.len()] };
    let pick = rng.next_u32();
    if mode >= 2 && pick & 1 != 0 {
        let f7 = FUNCT7[rng.next_u32() as usize % FUNCT7.len()];
        w = (w & 0x01ff_ffff) | (f7 << 25);
    }
    if pick & 2 != 0 {
        w = (w & !(31 << 20)) | (rng.next_u32() % 4) << 20;
    }
    if pick & 0x18 == 0x18 {
        // imm[11:0] forms: Zbb unary ops, ecall & co, fence.i.
        let imm = [0x600, 0x601, 0x602, 0x604, 0x605, 0x287, 0x6b8, 0x000, 0x001, 0x302, 0x102, 0x105]
            [rng.next_u32() as usize % 12];
        w = (w & 0x000f_ffff) | (imm << 20);
    }
    if w & 0x7f == 0x73 && pick & 0x60 == 0x60 {
        // ecall/ebreak/mret/sret/wfi/sfence.vma, possibly with one bit flipped.
        let base = [0x0000_0073u32, 0x0010_0073, 0x3020_0073, 0x1020_0073, 0x1050_0073][rng.next_u32() as usize % 5];
        let flip = rng.next_u32();
        w = if pick & 0x80 != 0 { 0x1200_0073 | (flip & 0x01ff_8000) } else { base };
        if flip & 1 != 0 {
            w ^= 1 << (7 + (flip >> 1) % 25);
        }
    }
    if w & 0x1f == 0x1f {
        // 48-bit and longer encodings: objdump would swallow the next words.
        w &= !0x04;
    }
    w
}

#[test]
fn random_words_match_objdump() {
    common::require_toolchain();
    let dir = common::work_dir("rand32");
    let source = std::fs::read_to_string(corpus_dir().join("all.s")).expect("read all.s");
    let templates: Vec<u32> =
        objdump(&common::assemble(&dir, "all", &source, true)).iter().filter(|l| l.len == 4).map(|l| l.raw).collect();
    let mut rng = Rng(0x243f_6a88_85a3_08d3);
    const N: usize = 300_000;
    let mut words = Vec::with_capacity(N);
    let mut src = String::with_capacity(N * 20);
    src.push_str("\t.text\n\t.globl\t_start\n_start:\n");
    for _ in 0..N {
        let w = random_word(&mut rng, &templates);
        words.push(w);
        let _ = writeln!(src, "\t.4byte\t0x{w:08x}");
    }
    let obj = common::assemble(&dir, "rand32", &src, true);
    let lines = objdump(&obj);
    assert_eq!(lines.len(), N, "objdump did not print one line per word");
    for (l, w) in lines.iter().zip(&words) {
        assert_eq!(l.raw, *w, "objdump out of step at {}", l.full);
    }
    let legal = words.iter().filter(|w| decode(**w).op != Op::Illegal).count();
    eprintln!("random words: {legal} of {N} legal");
    let seen: std::collections::BTreeSet<Op> = words.iter().map(|w| decode(*w).op).collect();
    let missing: Vec<Op> = ALL_OPS.iter().copied().filter(|o| !seen.contains(o)).collect();
    eprintln!("random words: operations never generated: {missing:?}");
    assert!(missing.is_empty(), "the generator misses {missing:?}");
    assert!(legal > N / 4, "the generator hits too few legal encodings");
    check_lines("random 32-bit words", &lines);
}

#[test]
fn words_of_48_bits_and_more_are_illegal() {
    for w in [0x0000_001fu32, 0xffff_ffff, 0x0000_003f, 0x1234_507f, 0x0000_00bf] {
        assert_eq!(insn_length(w as u16), 4);
        let i = decode(w);
        assert_eq!((i.op, i.len), (Op::Illegal, 4), "{w:#x}");
        assert_eq!(disassemble(&i, 0), format!(".4byte\t0x{w:x}"));
    }
}

#[test]
fn csr_names_match_objdump() {
    common::require_toolchain();
    let dir = common::work_dir("csr");
    let mut src = String::from("\t.text\n\t.globl\t_start\n_start:\n");
    for n in 0..4096u32 {
        // csrrs a0, n, zero and csrrwi zero, n, 31
        let _ = writeln!(src, "\t.4byte\t0x{:08x}", (n << 20) | (2 << 12) | (10 << 7) | 0x73);
        let _ = writeln!(src, "\t.4byte\t0x{:08x}", (n << 20) | (31 << 15) | (5 << 12) | 0x73);
    }
    let obj = common::assemble(&dir, "csr", &src, true);
    let lines = objdump(&obj);
    assert_eq!(lines.len(), 8192);
    check_lines("CSR names", &lines);
}

/// Every operation except [`Op::Illegal`].
const ALL_OPS: &[Op] = {
    use Op::*;
    &[
        Lui, Auipc, Jal, Jalr, Beq, Bne, Blt, Bge, Bltu, Bgeu, Lb, Lh, Lw, Ld, Lbu, Lhu, Lwu, Sb, Sh, Sw, Sd, Addi,
        Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai, Add, Sub, Sll, Slt, Sltu, Xor, Srl, Sra, Or, And, Addiw, Slliw,
        Srliw, Sraiw, Addw, Subw, Sllw, Srlw, Sraw, Fence, Ecall, Ebreak, FenceI, Csrrw, Csrrs, Csrrc, Csrrwi, Csrrsi,
        Csrrci, Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu, Mulw, Divw, Divuw, Remw, Remuw, LrW, ScW, AmoswapW,
        AmoaddW, AmoxorW, AmoandW, AmoorW, AmominW, AmomaxW, AmominuW, AmomaxuW, LrD, ScD, AmoswapD, AmoaddD, AmoxorD,
        AmoandD, AmoorD, AmominD, AmomaxD, AmominuD, AmomaxuD, Flw, Fsw, FmaddS, FmsubS, FnmsubS, FnmaddS, FaddS,
        FsubS, FmulS, FdivS, FsqrtS, FsgnjS, FsgnjnS, FsgnjxS, FminS, FmaxS, FcvtWS, FcvtWuS, FcvtLS, FcvtLuS, FmvXW,
        FclassS, FeqS, FltS, FleS, FcvtSW, FcvtSWu, FcvtSL, FcvtSLu, FmvWX, Fld, Fsd, FmaddD, FmsubD, FnmsubD, FnmaddD,
        FaddD, FsubD, FmulD, FdivD, FsqrtD, FsgnjD, FsgnjnD, FsgnjxD, FminD, FmaxD, FcvtSD, FcvtDS, FcvtWD, FcvtWuD,
        FcvtLD, FcvtLuD, FmvXD, FclassD, FeqD, FltD, FleD, FcvtDW, FcvtDWu, FcvtDL, FcvtDLu, FmvDX, AddUw, Sh1add,
        Sh2add, Sh3add, Sh1addUw, Sh2addUw, Sh3addUw, SlliUw, Andn, Orn, Xnor, Clz, Clzw, Ctz, Ctzw, Cpop, Cpopw, Max,
        Maxu, Min, Minu, SextB, SextH, ZextH, Rol, Rolw, Ror, Rori, Roriw, Rorw, OrcB, Rev8, Bclr, Bclri, Bext, Bexti,
        Binv, Binvi, Bset, Bseti, CzeroEqz, CzeroNez, Mret, Sret, Wfi, SfenceVma,
    ]
};
