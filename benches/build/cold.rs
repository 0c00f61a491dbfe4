//! Generator of the `cold` workload: about a million instructions of
//! straight-line code (no branches, no loops, random operands, so no
//! sequence repeats), each run once.
//! It measures what a translator pays for code it sees only once:
//! decoding and translating it costs far more than running it.
//!
//! The code is random ALU, multiply, load and store instructions (see
//! [`MIX`]) on 29 registers and a 4 KiB buffer (`guests/cold.S` describes the frame the
//! code runs in). The generator executes every instruction as it emits it,
//! on a model of those registers and that buffer, so it knows the checksum
//! the guest must compute: every operation here is simple enough to model
//! exactly (64-bit integer arithmetic, RV64's sign extension rules).

use std::fmt::Write as _;

/// The registers the generated code computes in, in the order `cold.S`
/// folds them into the checksum: all but x0, sp (x2) and s0 (x8, the
/// buffer pointer).
const WORKING: [usize; 29] =
    [1, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31];
/// s0 points 2048 bytes into the buffer, so that 12-bit offsets reach all of it.
const BASE: usize = 8;
const BUF_BYTES: usize = 4096;
/// `cold.S` folds each 64-bit value v into the checksum h as
/// `h = (h ^ v) * FOLD_MULTIPLIER` (the FNV-1 prime).
const FOLD_MULTIPLIER: u64 = 0x100000001b3;

const ABI_NAMES: [&str; 32] = [
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2",
    "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
];

/// The generated sources and what running them must produce.
pub struct Cold {
    /// Assembly included by `cold.S` in `main`: sets the working registers,
    /// then the straight-line code.
    pub body: String,
    /// Assembly included by `cold.S` in `.data`: the buffer's initial
    /// contents.
    pub data: String,
    /// The checksum `cold.S` computes after the straight-line code.
    pub checksum: u64,
}

/// splitmix64: a fixed seed gives the same program on every build.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e3779b97f4a7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A working register; most of the time one of s1 and a0-a5 (x9-x15),
    /// which compilers favour as they have 16-bit encodings.
    fn reg(&mut self) -> usize {
        if self.chance(60) {
            9 + self.below(7) as usize
        } else {
            WORKING[self.below(WORKING.len() as u64) as usize]
        }
    }

    /// A 12-bit signed immediate, often a small one (as in compiled code,
    /// and so that the assembler can use compressed encodings).
    fn imm12(&mut self) -> i64 {
        if self.chance(60) {
            self.below(64) as i64 - 32
        } else {
            self.below(4096) as i64 - 2048
        }
    }
}

fn sext32(v: u64) -> u64 {
    v as u32 as i32 as i64 as u64
}

/// The state the generated code works on.
struct Machine {
    x: [u64; 32],
    buf: [u8; BUF_BYTES],
}

impl Machine {
    fn load(&self, offset: i64, size: usize) -> u64 {
        let at = (2048 + offset) as usize;
        let mut bytes = [0u8; 8];
        bytes[..size].copy_from_slice(&self.buf[at..at + size]);
        u64::from_le_bytes(bytes)
    }

    fn store(&mut self, offset: i64, size: usize, value: u64) {
        let at = (2048 + offset) as usize;
        self.buf[at..at + size].copy_from_slice(&value.to_le_bytes()[..size]);
    }
}

/// Generates `instructions` instructions of straight-line code.
pub fn generate(instructions: usize) -> Cold {
    let mut rng = Rng(0x636f6c64_636f6465); // "coldcode"
    let mut m = Machine { x: [0; 32], buf: [0; BUF_BYTES] };
    // About 24 bytes of assembly text per instruction.
    let mut body = String::with_capacity(instructions * 24 + 4096);
    let mut data = String::with_capacity(BUF_BYTES * 4);

    for chunk in m.buf.chunks_exact_mut(8) {
        let v = rng.next();
        chunk.copy_from_slice(&v.to_le_bytes());
        writeln!(data, "        .dword {v:#018x}").unwrap();
    }
    for &r in &WORKING {
        m.x[r] = rng.next();
        writeln!(body, "        li {}, {:#018x}", ABI_NAMES[r], m.x[r]).unwrap();
    }
    writeln!(body, "        /* {instructions} instructions of straight-line code */").unwrap();
    for _ in 0..instructions {
        emit(&mut rng, &mut m, &mut body);
    }

    let mut checksum = 0u64;
    let words = m.buf.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap()));
    for v in WORKING.iter().map(|&r| m.x[r]).chain(words) {
        checksum = (checksum ^ v).wrapping_mul(FOLD_MULTIPLIER);
    }
    Cold { body, data, checksum }
}

/// The instruction mix, with weights (per mille): roughly that of compiled
/// integer code, dominated by loads, stores, `addi`, `mv`, `li` and `add`,
/// so that, much as in such code, about 40% of the instructions get 16-bit
/// encodings. The rest of RV64IM's ALU instructions appear now and then.
const MIX: &[(&str, u32)] = &[
    ("ld", 143),
    ("sd", 110),
    ("lw", 35),
    ("sw", 30),
    ("lbu", 25),
    ("lwu", 10),
    ("lh", 8),
    ("lhu", 8),
    ("sh", 8),
    ("sb", 12),
    ("addi", 113),
    ("mv", 60),
    ("li", 50),
    ("add", 60),
    ("sub", 20),
    ("and", 15),
    ("or", 15),
    ("xor", 15),
    ("andi", 12),
    ("ori", 6),
    ("xori", 6),
    ("slli", 35),
    ("srli", 25),
    ("srai", 15),
    ("addiw", 30),
    ("addw", 20),
    ("subw", 10),
    ("slliw", 4),
    ("srliw", 4),
    ("sraiw", 4),
    ("sll", 4),
    ("srl", 4),
    ("sra", 4),
    ("sllw", 3),
    ("srlw", 3),
    ("sraw", 3),
    ("slt", 5),
    ("sltu", 5),
    ("slti", 4),
    ("sltiu", 4),
    ("lui", 30),
    ("mul", 15),
    ("mulw", 8),
];

fn pick(rng: &mut Rng) -> &'static str {
    let total: u32 = MIX.iter().map(|&(_, w)| w).sum();
    let mut at = rng.below(total as u64) as u32;
    for &(op, w) in MIX {
        if at < w {
            return op;
        }
        at -= w;
    }
    unreachable!()
}

/// Emits one random instruction and executes it on `m`.
fn emit(rng: &mut Rng, m: &mut Machine, out: &mut String) {
    let op = pick(rng);
    let rd = rng.reg();
    // Two-address forms (rd == rs1) are common in real code and let the
    // assembler pick 16-bit encodings.
    let rs1 = if rng.chance(60) { rd } else { rng.reg() };
    let rs2 = rng.reg();
    let (a, b) = (m.x[rs1], m.x[rs2]);
    let (d, s1, s2, base) = (ABI_NAMES[rd], ABI_NAMES[rs1], ABI_NAMES[rs2], ABI_NAMES[BASE]);
    let sh = b & 63;
    let shw = (b & 31) as u32;
    let line = match op {
        "ld" | "lw" | "lwu" | "lh" | "lhu" | "lbu" => {
            let size = match op {
                "ld" => 8,
                "lw" | "lwu" => 4,
                "lh" | "lhu" => 2,
                _ => 1,
            };
            let offset = buffer_offset(rng, size);
            let v = m.load(offset, size);
            m.x[rd] = match op {
                "lw" => sext32(v),
                "lh" => v as u16 as i16 as i64 as u64,
                _ => v, // zero-extended by `load`
            };
            format!("{op} {d}, {offset}({base})")
        }
        "sd" | "sw" | "sh" | "sb" => {
            let size = match op {
                "sd" => 8,
                "sw" => 4,
                "sh" => 2,
                _ => 1,
            };
            let offset = buffer_offset(rng, size);
            m.store(offset, size, b);
            format!("{op} {s2}, {offset}({base})")
        }
        "mv" => {
            m.x[rd] = a;
            format!("mv {d}, {s1}")
        }
        "li" => {
            // A 12-bit value: one instruction (addi rd, zero, imm).
            let imm = rng.imm12();
            m.x[rd] = imm as u64;
            format!("li {d}, {imm}")
        }
        "lui" => {
            let imm = rng.below(1 << 20);
            m.x[rd] = sext32(imm << 12);
            format!("lui {d}, {imm:#x}")
        }
        "addi" | "andi" | "ori" | "xori" | "slti" | "sltiu" | "addiw" => {
            let imm = rng.imm12();
            let i = imm as u64;
            m.x[rd] = match op {
                "addi" => a.wrapping_add(i),
                "andi" => a & i,
                "ori" => a | i,
                "xori" => a ^ i,
                "slti" => ((a as i64) < imm) as u64,
                "sltiu" => (a < i) as u64,
                _ => sext32(a.wrapping_add(i)),
            };
            format!("{op} {d}, {s1}, {imm}")
        }
        "slli" | "srli" | "srai" => {
            let i = 1 + rng.below(63);
            m.x[rd] = match op {
                "slli" => a << i,
                "srli" => a >> i,
                _ => ((a as i64) >> i) as u64,
            };
            format!("{op} {d}, {s1}, {i}")
        }
        "slliw" | "srliw" | "sraiw" => {
            let i = 1 + rng.below(31) as u32;
            m.x[rd] = match op {
                "slliw" => sext32(((a as u32) << i) as u64),
                "srliw" => sext32(((a as u32) >> i) as u64),
                _ => ((a as u32 as i32) >> i) as i64 as u64,
            };
            format!("{op} {d}, {s1}, {i}")
        }
        _ => {
            m.x[rd] = match op {
                "add" => a.wrapping_add(b),
                "sub" => a.wrapping_sub(b),
                "and" => a & b,
                "or" => a | b,
                "xor" => a ^ b,
                "sll" => a << sh,
                "srl" => a >> sh,
                "sra" => ((a as i64) >> sh) as u64,
                "slt" => ((a as i64) < (b as i64)) as u64,
                "sltu" => (a < b) as u64,
                "addw" => sext32(a.wrapping_add(b)),
                "subw" => sext32(a.wrapping_sub(b)),
                "sllw" => sext32(((a as u32) << shw) as u64),
                "srlw" => sext32(((a as u32) >> shw) as u64),
                "sraw" => ((a as u32 as i32) >> shw) as i64 as u64,
                "mul" => a.wrapping_mul(b),
                "mulw" => sext32(a.wrapping_mul(b)),
                _ => unreachable!("{op} is in MIX but not modelled"),
            };
            format!("{op} {d}, {s1}, {s2}")
        }
    };
    out.push_str("        ");
    out.push_str(&line);
    out.push('\n');
}

/// A naturally aligned offset from s0 that stays inside the buffer; often
/// a small one, as for a compiler's stack slots and struct fields.
fn buffer_offset(rng: &mut Rng, size: usize) -> i64 {
    let at = if rng.chance(70) { 2048 + rng.below(256) as usize } else { rng.below(BUF_BYTES as u64) as usize };
    (at & !(size - 1)) as i64 - 2048
}
