//! Builds the guest workloads in `guests/` for RV64GC.
//!
//! Each workload's expected checksum is not written down anywhere: it is
//! computed here by compiling the same C source natively (with
//! `guests/host_main.c`, which prints the checksum) and running it. The
//! guest build gets it as `-DEXPECTED`, so a guest exits with code 0 only if
//! the emulated CPU computed exactly what the host CPU did.
//!
//! The `cold` workload is different: generated assembly (see
//! `build/cold.rs`), whose checksum the generator computes itself. It is
//! listed in `EXTRA_WORKLOADS`, not `WORKLOADS`, as it measures start-up
//! latency rather than throughput.
//!
//! Each C workload but ptrchase also gets a `<name>_long` variant with ten
//! times the iterations (`LONG_WORKLOADS`): the short ones finish in about
//! 0.1 s when translated, so start-up and warm-up weigh much in their
//! times; the long ones measure steady-state speed (vs QEMU, vs native).
//!
//! Environment: `RISCV_GCC` (default `riscv64-unknown-elf-gcc`) and
//! `HOST_CC` (default `cc`) choose the compilers.

#[path = "build/cold.rs"]
mod cold;

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A C workload: `guests/<name>.c`.
struct Workload {
    name: &'static str,
    /// Rounds of work (`-DITERATIONS`): each workload is sized to take
    /// roughly 0.5-1 s in the tier-0 interpreter (100-200 M instructions;
    /// fp_kernel fewer, as FP is slower; ptrchase's 160 M take about 2 s, as
    /// most of its memory accesses miss the TLB).
    iterations: u32,
    /// Whether the guest runs with Sv39 paging on, in S-mode
    /// (`-DBENCH_SV39`: crt0.S calls `sv39_setup` from `guests/sv39.c`).
    sv39: bool,
    /// Whether a `<name>_long` variant with [`LONG_FACTOR`] times the
    /// iterations is built too.
    long: bool,
}

const fn workload(name: &'static str, iterations: u32) -> Workload {
    Workload { name, iterations, sv39: false, long: true }
}

const WORKLOADS: &[Workload] = &[
    workload("cpu_mix", 60),
    workload("sha256", 2),
    workload("sort", 6),
    workload("memcpy", 200),
    workload("fp_kernel", 10),
    workload("fused", 30),
    workload("calls", 150),
    workload("callbacks", 150),
    workload("dispatch", 30),
    // Already 3 s on QEMU: no longer variant needed.
    Workload { name: "ptrchase", iterations: 160, sv39: true, long: false },
    Workload { name: "tablemix", iterations: 600, sv39: true, long: true },
];

/// Workloads also built as `<name>_sv39`, which run in S-mode with Sv39
/// paging on, as a Linux guest's user programs do: every access goes
/// through the TLB instead of reaching RAM directly.
const SV39_VARIANTS: &[&str] = &["calls", "dispatch"];

/// Iterations of a `_long` variant, relative to its workload. Translated
/// code runs the short ones in about 0.1 s, where start-up and warm-up are
/// a large part; the long ones measure steady-state speed.
const LONG_FACTOR: u32 = 10;

/// Instructions of straight-line code in the `cold` workload (3.2 MB of
/// machine code: 40% of them get 16-bit encodings).
const COLD_INSTRUCTIONS: usize = 1_000_000;

/// Flags that make floating point bit-identical between host and guest:
/// no fused multiply-add contraction, `sqrt` as a single instruction.
const COMMON_FLAGS: &[&str] = &["-O2", "-std=c11", "-ffp-contract=off", "-fno-math-errno", "-Wall", "-Wextra"];

const GUEST_FLAGS: &[&str] = &[
    "-march=rv64gc",
    "-mabi=lp64d",
    "-mcmodel=medany",
    "-ffreestanding",
    "-nostdlib",
    "-nostartfiles",
    // Keep copy/zero loops as loops (GCC would otherwise call memcpy/memset).
    "-fno-tree-loop-distribute-patterns",
    "-static",
];

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    let guests = manifest.join("guests");
    let link_ld = manifest.join("../conformance/guests/include/link.ld");
    let riscv_gcc = env::var("RISCV_GCC").unwrap_or_else(|_| "riscv64-unknown-elf-gcc".into());
    let host_cc = env::var("HOST_CC").unwrap_or_else(|_| "cc".into());

    println!("cargo:rerun-if-changed=guests");
    println!("cargo:rerun-if-changed={}", link_ld.display());
    println!("cargo:rerun-if-env-changed=RISCV_GCC");
    println!("cargo:rerun-if-env-changed=HOST_CC");

    check_compiler(&riscv_gcc, true);
    check_compiler(&host_cc, false);

    let mut table = String::new();
    let mut names = String::new();
    let mut long_names = String::new();
    let build = Build { guests: &guests, out: &out, link_ld: &link_ld, riscv_gcc: &riscv_gcc, host_cc: &host_cc };
    for w in WORKLOADS {
        let expected = build.workload(w.name, w.name, w.iterations, w.sv39);
        writeln!(table, "    ({:?}, {}, {expected}),", w.name, w.iterations).unwrap();
        write!(names, "{:?}, ", w.name).unwrap();
    }
    for &source in SV39_VARIANTS {
        let w = WORKLOADS.iter().find(|w| w.name == source).expect("an SV39_VARIANTS entry is a workload");
        let name = format!("{source}_sv39");
        let expected = build.workload(&name, source, w.iterations, true);
        writeln!(table, "    ({name:?}, {}, {expected}),", w.iterations).unwrap();
        write!(names, "{name:?}, ").unwrap();
    }
    for w in WORKLOADS.iter().filter(|w| w.long) {
        let (name, iterations) = (format!("{}_long", w.name), w.iterations * LONG_FACTOR);
        let expected = build.workload(&name, w.name, iterations, w.sv39);
        writeln!(table, "    ({name:?}, {iterations}, {expected}),").unwrap();
        write!(long_names, "{name:?}, ").unwrap();
    }

    let expected = build_cold(&guests, &out, &riscv_gcc, &link_ld);
    writeln!(table, "    (\"cold\", 1, {expected}),").unwrap();

    let generated = format!(
        "/// Names of the throughput workloads, in build order.\n\
         pub const WORKLOADS: &[&str] = &[{names}];\n\n\
         /// Workloads built like the others but not in [`WORKLOADS`]: `cold` runs\n\
         /// a large program once, to measure start-up latency, not throughput.\n\
         pub const EXTRA_WORKLOADS: &[&str] = &[\"cold\"];\n\n\
         /// The throughput workloads with more iterations, for steady-state\n\
         /// comparisons (vs QEMU, vs native code); too long for the tests.\n\
         pub const LONG_WORKLOADS: &[&str] = &[{long_names}];\n\n\
         /// (name, ITERATIONS, expected checksum) of every built workload.\n\
         const BUILT: &[(&str, u32, u64)] = &[\n{table}];\n"
    );
    fs::write(out.join("workloads.rs"), generated).expect("write workloads.rs");
}

/// What building a workload needs.
struct Build<'a> {
    guests: &'a Path,
    out: &'a Path,
    link_ld: &'a Path,
    riscv_gcc: &'a str,
    host_cc: &'a str,
}

impl Build<'_> {
    /// Builds `guests/<source>.c` as workload `name`: natively (run to get
    /// the checksum) and for RV64GC; returns the checksum.
    fn workload(&self, name: &str, source: &str, iterations: u32, sv39: bool) -> u64 {
        let src = self.guests.join(format!("{source}.c"));
        let iter_flag = format!("-DITERATIONS={iterations}");

        // 1. The native build, whose output is the expected checksum.
        let host_exe = self.out.join(format!("{name}-host"));
        let mut cc = Command::new(self.host_cc);
        cc.args(COMMON_FLAGS).arg(&iter_flag).arg("-o").arg(&host_exe).arg(&src).arg(self.guests.join("host_main.c"));
        // `fused` calls fma(), which may not be inlined for the host.
        cc.arg("-lm");
        run(&mut cc, &format!("native build of {name}"));
        let output =
            Command::new(&host_exe).output().unwrap_or_else(|e| panic!("cannot run {}: {e}", host_exe.display()));
        assert!(
            output.status.success(),
            "native {name} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8_lossy(&output.stdout);
        let expected: u64 =
            text.trim().parse().unwrap_or_else(|e| panic!("native {name} printed {text:?}, not a checksum: {e}"));

        // 2. The guest build, which compares against it.
        let elf = self.out.join(format!("{name}.elf"));
        let mut gcc = Command::new(self.riscv_gcc);
        gcc.args(COMMON_FLAGS)
            .args(GUEST_FLAGS)
            .arg(&iter_flag)
            .arg(format!("-DEXPECTED={expected}ull"))
            .arg("-T")
            .arg(self.link_ld)
            .arg("-o")
            .arg(&elf)
            .arg(self.guests.join("crt0.S"))
            .arg(self.guests.join("guest_main.c"))
            .arg(self.guests.join("support.c"))
            .arg(&src);
        if sv39 {
            gcc.arg("-DBENCH_SV39").arg(self.guests.join("sv39.c"));
        }
        gcc.arg("-lgcc");
        run(&mut gcc, &format!("RISC-V build of {name}"));
        expected
    }
}

/// Generates and builds the `cold` workload; returns its checksum.
fn build_cold(guests: &Path, out: &Path, riscv_gcc: &str, link_ld: &Path) -> u64 {
    let generated = cold::generate(COLD_INSTRUCTIONS);
    fs::write(out.join("cold_body.inc"), generated.body).expect("write cold_body.inc");
    fs::write(out.join("cold_data.inc"), generated.data).expect("write cold_data.inc");
    let mut gcc = Command::new(riscv_gcc);
    gcc.args(GUEST_FLAGS)
        .arg(format!("-DEXPECTED={}", generated.checksum))
        .arg("-I")
        .arg(out)
        .arg("-T")
        .arg(link_ld)
        .arg("-o")
        .arg(out.join("cold.elf"))
        .arg(guests.join("crt0.S"))
        .arg(guests.join("cold.S"));
    run(&mut gcc, "RISC-V build of cold");
    generated.checksum
}

/// Panics with installation advice if `compiler` cannot be run.
fn check_compiler(compiler: &str, guest: bool) {
    if Command::new(compiler).arg("--version").output().is_ok_and(|o| o.status.success()) {
        return;
    }
    if guest {
        panic!(
            "hartvm-benches needs a RISC-V cross compiler to build its guest workloads, \
             but `{compiler}` cannot be run. On Debian/Ubuntu install it with \
             `apt-get install gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf` \
             (or point RISCV_GCC at another riscv64 GCC)."
        );
    } else {
        panic!(
            "hartvm-benches needs a native C compiler to compute the workloads' expected \
             checksums, but `{compiler}` cannot be run. Install gcc (Debian: `apt-get install gcc`) \
             or set HOST_CC."
        );
    }
}

fn run(cmd: &mut Command, what: &str) {
    let shown = format!("{cmd:?}");
    let output = cmd.output().unwrap_or_else(|e| panic!("{what}: cannot run {shown}: {e}"));
    if !output.status.success() {
        panic!(
            "{what} failed ({}):\n{shown}\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // Surface compiler warnings without failing the build.
    for line in String::from_utf8_lossy(&output.stderr).lines() {
        println!("cargo:warning={what}: {line}");
    }
}
