//! The S-mode SBI guest programs (`conformance/sbi/`) under `hartvm run
//! --kernel`: each one checks an SBI extension from the guest's side and
//! ends with SRST (exit 0 after `PASS <name>`, exit 1 after a `FAIL` line).
//! Also the demo guest (`demo/`): it runs, and `demo/build.sh` reproduces
//! the committed `demo/demo.elf` byte for byte.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::hartvm;

/// One run: program, `--smp`, extra arguments, substrings the output must
/// hold, console input.
struct Case {
    program: &'static str,
    smp: u32,
    args: &'static [&'static str],
    expect: &'static [&'static str],
    stdin: &'static [u8],
}

/// `addi a0, zero, 2; ret`: the code `code_dma` reads from the console.
const LI_A0_2_RET: &[u8] = &[0x13, 0x05, 0x20, 0x00, 0x67, 0x80, 0x00, 0x00];

const CASES: &[Case] = &[
    Case { program: "base", smp: 1, args: &[], expect: &["base: spec version", "PASS base"], stdin: b"" },
    Case { program: "legacy", smp: 1, args: &[], expect: &["legacy: putchar works", "PASS legacy"], stdin: b"" },
    Case { program: "legacy_shutdown", smp: 1, args: &[], expect: &["PASS legacy_shutdown"], stdin: b"" },
    Case { program: "time", smp: 1, args: &[], expect: &["PASS time"], stdin: b"" },
    Case { program: "sstc", smp: 1, args: &[], expect: &["PASS sstc"], stdin: b"" },
    Case { program: "ipi", smp: 2, args: &[], expect: &["PASS ipi"], stdin: b"" },
    Case { program: "rfence", smp: 2, args: &[], expect: &["runs with Sv39", "PASS rfence"], stdin: b"" },
    Case { program: "hsm", smp: 4, args: &[], expect: &["resumed from non-retentive suspend", "PASS hsm"], stdin: b"" },
    Case { program: "srst", smp: 1, args: &[], expect: &["PASS srst"], stdin: b"" },
    Case {
        program: "reboot",
        smp: 2,
        args: &[],
        expect: &["second boot (after the warm reboot)", "third boot (after the cold reboot)", "PASS reboot"],
        stdin: b"",
    },
    Case {
        program: "susp",
        smp: 2,
        args: &["--wake-after", "50ms"],
        expect: &["susp: suspending to RAM", "susp: resumed at resume_addr", "PASS susp"],
        stdin: b"",
    },
    Case {
        program: "susp",
        smp: 2,
        args: &["--sbi-disable", "susp"],
        expect: &["susp: extension disabled: probe 0, system_suspend NOT_SUPPORTED", "PASS susp"],
        stdin: b"",
    },
    Case {
        program: "dbcn",
        smp: 1,
        args: &[],
        expect: &["dbcn: console write works", "dbcn: console write_byte works", "PASS dbcn"],
        stdin: b"",
    },
    Case { program: "code_dma", smp: 1, args: &["--engine", "jit"], expect: &["PASS code_dma"], stdin: LI_A0_2_RET },
    Case { program: "code_dma", smp: 1, args: &[], expect: &["PASS code_dma"], stdin: LI_A0_2_RET },
    Case {
        program: "code_dma",
        smp: 1,
        args: &["--engine", "difftest"],
        expect: &["PASS code_dma"],
        stdin: LI_A0_2_RET,
    },
    Case {
        program: "hsm_stress",
        smp: 4,
        args: &[],
        expect: &["10000 starts on 3 harts", "PASS hsm_stress"],
        stdin: b"",
    },
    Case { program: "smp_atomics", smp: 4, args: &[], expect: &["PASS smp_atomics"], stdin: b"" },
];

fn sbi_elf(program: &str) -> PathBuf {
    hartvm_conformance::sbi_guest_dir().join(format!("{program}.elf"))
}

/// Runs the table rows for `program` (all of them when several use it).
fn run_program(program: &str) {
    let rows: Vec<&Case> = CASES.iter().filter(|c| c.program == program).collect();
    assert!(!rows.is_empty(), "no table row for {program}");
    for case in rows {
        let elf = sbi_elf(case.program);
        assert!(elf.exists(), "{} not built", elf.display());
        let smp = case.smp.to_string();
        let mut args = vec!["run", "--kernel", elf.to_str().unwrap(), "--smp", &smp, "--timeout", "60"];
        args.extend_from_slice(case.args);
        let out = if case.stdin.is_empty() { hartvm(&args) } else { run_with_input(&args, case.stdin) };
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let what = format!("hartvm {}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}", args.join(" "));
        assert_eq!(out.status.code(), Some(0), "exit status of {what}");
        for needle in case.expect {
            assert!(stdout.contains(needle), "`{needle}` missing from the output of {what}");
        }
        assert!(!stdout.contains("FAIL "), "a FAIL line in {what}");
        // On hartvm nothing is skipped: skips are for firmware implementing SBI < 2.0.
        assert!(!stdout.contains("SKIP "), "a SKIP line in {what}");
    }
}

/// `hartvm args...` to completion with `input` on its stdin.
fn run_with_input(args: &[&str], input: &[u8]) -> std::process::Output {
    let mut child = common::spawn_piped(args);
    child.stdin.take().expect("piped stdin").write_all(input).expect("write the console input");
    child.wait_with_output().expect("wait for hartvm")
}

macro_rules! sbi_program_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                run_program(stringify!($name));
            }
        )*
    };
}

sbi_program_tests!(
    base,
    legacy,
    legacy_shutdown,
    time,
    sstc,
    ipi,
    rfence,
    hsm,
    srst,
    reboot,
    susp,
    dbcn,
    code_dma,
    hsm_stress,
    smp_atomics
);

/// Every program in the table is built, and every built program has a row.
#[test]
fn table_covers_every_program() {
    let mut built: Vec<String> = std::fs::read_dir(hartvm_conformance::sbi_guest_dir())
        .expect("sbi guest dir")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.path().file_stem().and_then(|s| s.to_str()).map(str::to_owned))
        .collect();
    built.sort();
    let mut listed: Vec<String> = CASES.iter().map(|c| c.program.to_owned()).collect();
    listed.sort();
    listed.dedup();
    assert_eq!(built, listed);
}

/// A program whose check fails prints FAIL and makes hartvm exit 1: hsm
/// needs at least 2 harts and fails its first case with one.
#[test]
fn failing_program_exits_1() {
    let elf = sbi_elf("hsm");
    let out = hartvm(&["run", "--kernel", elf.to_str().unwrap(), "--smp", "1", "--timeout", "60"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FAIL hsm case 1:"), "{stdout}");
    assert!(!stdout.contains("PASS"), "{stdout}");
}

/// A kernel given as a raw binary (`objcopy -O binary`, as an S-mode
/// U-Boot's `u-boot.bin`) boots as QEMU's `-kernel` boots one: 2 MiB into
/// RAM, in S-mode under hartvm's SBI, or behind OpenSBI with `--bios`; and
/// an ELF kernel boots behind OpenSBI and with an initrd.
#[test]
fn raw_binary_and_elf_kernels_behind_firmware() {
    let dir = tempfile::tempdir().expect("temp dir");
    let raw = dir.path().join("base.bin");
    let objcopy = Command::new("riscv64-unknown-elf-objcopy")
        .args(["-O", "binary"])
        .arg(sbi_elf("base"))
        .arg(&raw)
        .status()
        .expect("run riscv64-unknown-elf-objcopy (apt-get install gcc-riscv64-unknown-elf)");
    assert!(objcopy.success());
    let initrd = dir.path().join("initrd");
    std::fs::write(&initrd, [1u8; 4096]).expect("write an initrd");
    let (raw, elf, initrd) = (raw.to_str().unwrap(), sbi_elf("base"), initrd.to_str().unwrap());
    let opensbi = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin";
    let runs: [&[&str]; 4] = [
        &["--kernel", raw],
        &["--kernel", raw, "--bios", opensbi],
        &["--kernel", elf.to_str().unwrap(), "--bios", opensbi],
        &["--kernel", elf.to_str().unwrap(), "--initrd", initrd],
    ];
    for run in runs {
        let mut args = vec!["run", "--timeout", "60"];
        args.extend_from_slice(run);
        let out = hartvm(&args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let what = format!("hartvm {}: {stdout}{}", args.join(" "), String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.status.code(), Some(0), "{what}");
        assert!(stdout.contains("PASS base"), "{what}");
    }
}

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("demo")
}

/// The demo guest narrates its steps and shuts down cleanly.
#[test]
fn demo_runs() {
    let elf = demo_dir().join("demo.elf");
    let out =
        hartvm(&["run", "--smp", "4", "--wake-after", "100ms", "--kernel", elf.to_str().unwrap(), "--timeout", "60"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    for needle in
        ["hartvm demo:", "4 harts", "sum matches", "all helpers stopped", "suspending", "woke up", "shutting down"]
    {
        assert!(stdout.contains(needle), "`{needle}` missing from the demo's output:\n{stdout}");
    }
}

/// `demo/build.sh` reproduces the committed `demo/demo.elf` byte for byte
/// (when the cross compiler that built it is installed).
#[test]
fn demo_elf_is_reproducible() {
    let gcc = Command::new("riscv64-unknown-elf-gcc").arg("--version").output();
    let Ok(gcc) = gcc else {
        eprintln!("riscv64-unknown-elf-gcc not installed: demo.elf not rebuilt");
        return;
    };
    let committed = std::fs::read(demo_dir().join("demo.elf")).expect("demo/demo.elf");
    // The ELF's .comment names the compiler; another version builds other bytes.
    let version_line = String::from_utf8_lossy(&gcc.stdout).lines().next().unwrap_or_default().to_owned();
    let version = version_line.split_whitespace().last().unwrap_or_default().to_owned();
    if version.is_empty() || !committed.windows(version.len()).any(|w| w == version.as_bytes()) {
        eprintln!("demo.elf was built by another compiler than `{version_line}`: not compared");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("demo.elf");
    let status = Command::new("sh").arg(demo_dir().join("build.sh")).arg(&out).status().expect("run demo/build.sh");
    assert!(status.success(), "demo/build.sh failed");
    let rebuilt = std::fs::read(&out).expect("rebuilt demo.elf");
    assert!(rebuilt == committed, "demo/build.sh does not reproduce demo/demo.elf (rebuild it and commit)");
}
