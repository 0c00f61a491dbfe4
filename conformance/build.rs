//! Builds every guest test program under `guests/` (recursively, except the
//! shared `guests/include` directory) into `$OUT_DIR/guests/<subdir>/<name>.elf`
//! with the bare-metal RISC-V cross compiler.
//!
//! It also builds the S-mode SBI programs `sbi/<name>.c` (top level only),
//! each linked with `sbi/include/lib.c`, `sbi/include/start.S` and
//! `sbi/include/link.ld` (loaded at 0x80200000), into `$OUT_DIR/sbi/<name>.elf`:
//! a separate tree, because `hartvm test` runs everything below
//! `$OUT_DIR/guests` as bare-metal M-mode programs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The cross compiler; `HARTVM_RISCV_CC` overrides it.
const DEFAULT_CC: &str = "riscv64-unknown-elf-gcc";

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let guests = manifest.join("guests");
    let include = guests.join("include");
    let out_guests = out_dir.join("guests");

    println!("cargo:rerun-if-env-changed=HARTVM_RISCV_CC");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={}", guests.display());

    let mut sources = Vec::new();
    let mut dirs = Vec::new();
    collect(&guests, &include, &mut sources, &mut dirs);
    sources.sort();
    for d in &dirs {
        println!("cargo:rerun-if-changed={}", d.display());
    }
    for s in &sources {
        println!("cargo:rerun-if-changed={}", s.display());
    }
    // Headers (the shared include dir and any header next to the programs).
    let mut headers = Vec::new();
    collect_headers(&guests, &mut headers);
    for h in &headers {
        println!("cargo:rerun-if-changed={}", h.display());
    }

    // Start from a clean output tree so removed programs do not linger.
    let _ = std::fs::remove_dir_all(&out_guests);
    std::fs::create_dir_all(&out_guests).expect("create $OUT_DIR/guests");

    let cc = std::env::var("HARTVM_RISCV_CC").unwrap_or_else(|_| DEFAULT_CC.to_string());
    let sbi_sources = sbi_programs(&manifest.join("sbi"));
    if sources.is_empty() && sbi_sources.is_empty() {
        return;
    }
    match Command::new(&cc).arg("--version").output() {
        Ok(o) if o.status.success() => {}
        _ => {
            panic!(
                "hartvm-conformance: the RISC-V bare-metal cross compiler `{cc}` was not found.\n\
                 It builds the guest test programs under conformance/guests/.\n\
                 On Debian/Ubuntu install it with:\n    \
                 sudo apt-get install gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf\n\
                 (or point HARTVM_RISCV_CC at another riscv64 bare-metal gcc)."
            );
        }
    }

    let out_sbi = out_dir.join("sbi");
    let _ = std::fs::remove_dir_all(&out_sbi);
    std::fs::create_dir_all(&out_sbi).expect("create $OUT_DIR/sbi");
    let sbi_dir = manifest.join("sbi");

    // One job list: the bare-metal guests, then the S-mode SBI programs.
    let total = sources.len() + sbi_sources.len();
    let jobs = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).min(total);
    let next = AtomicUsize::new(0);
    let errors: Mutex<Vec<String>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let result = if let Some(src) = sources.get(i) {
                    compile(&cc, src, &guests, &include, &out_guests)
                } else if let Some(src) = sbi_sources.get(i - sources.len()) {
                    compile_sbi(&cc, src, &sbi_dir, &out_sbi)
                } else {
                    break;
                };
                if let Err(e) = result {
                    errors.lock().unwrap().push(e);
                }
            });
        }
    });
    let mut errors = errors.into_inner().unwrap();
    if !errors.is_empty() {
        errors.sort();
        panic!("hartvm-conformance: {} guest program(s) failed to compile:\n\n{}", errors.len(), errors.join("\n"));
    }
}

/// Recursively collects `.S`/`.c` sources below `dir`, skipping `include`.
fn collect(dir: &Path, include: &Path, sources: &mut Vec<PathBuf>, dirs: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if p == include {
                continue;
            }
            dirs.push(p.clone());
            collect(&p, include, sources, dirs);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("S") | Some("c")) {
            sources.push(p);
        }
    }
}

/// Recursively collects `.h`/`.ld` files below `dir`.
fn collect_headers(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for p in rd.filter_map(|e| e.ok().map(|e| e.path())) {
        if p.is_dir() {
            collect_headers(&p, out);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("h") | Some("ld")) {
            out.push(p);
        }
    }
}

/// Compiles one guest source into its ELF; the error carries the compiler's output.
fn compile(cc: &str, src: &Path, guests: &Path, include: &Path, out_guests: &Path) -> Result<(), String> {
    let rel = src.strip_prefix(guests).unwrap_or(src);
    let out = out_guests.join(rel).with_extension("elf");
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    let mut cmd = Command::new(cc);
    cmd.args(["-march=rv64gc_zba_zbb_zbs", "-mabi=lp64d", "-static", "-nostdlib", "-nostartfiles", "-g"]);
    if src.extension().and_then(|e| e.to_str()) == Some("c") {
        cmd.args(["-O2", "-ffreestanding", "-mcmodel=medany"]);
    }
    cmd.arg("-I").arg(include);
    cmd.arg("-T").arg(include.join("link.ld"));
    cmd.arg("-Wl,--no-warn-rwx-segments");
    cmd.arg("-o").arg(&out).arg(src);
    let output = cmd.output().map_err(|e| format!("{}: cannot run {cc}: {e}", src.display()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "--- {} ---\n{}{}",
            rel.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// The S-mode SBI programs: `sbi/*.c` (the shared code lives in
/// `sbi/include`); registers them and the shared files for rebuilds.
fn sbi_programs(dir: &Path) -> Vec<PathBuf> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut progs = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return progs;
    };
    for p in rd.filter_map(|e| e.ok().map(|e| e.path())) {
        if p.extension().and_then(|e| e.to_str()) == Some("c") {
            println!("cargo:rerun-if-changed={}", p.display());
            progs.push(p);
        }
    }
    let include = dir.join("include");
    println!("cargo:rerun-if-changed={}", include.display());
    if let Ok(rd) = std::fs::read_dir(&include) {
        for p in rd.filter_map(|e| e.ok().map(|e| e.path())) {
            println!("cargo:rerun-if-changed={}", p.display());
        }
    }
    progs.sort();
    progs
}

/// Compiles one S-mode SBI program with the shared runtime into
/// `out/<name>.elf`; `TEST_NAME` is the file stem.
fn compile_sbi(cc: &str, src: &Path, sbi_dir: &Path, out: &Path) -> Result<(), String> {
    let name = src.file_stem().and_then(|s| s.to_str()).unwrap_or("sbi");
    let include = sbi_dir.join("include");
    let elf = out.join(format!("{name}.elf"));
    let mut cmd = Command::new(cc);
    cmd.args(["-march=rv64gc", "-mabi=lp64d", "-static", "-nostdlib", "-nostartfiles", "-g"]);
    cmd.args(["-O2", "-ffreestanding", "-mcmodel=medany", "-Wall", "-Wextra"]);
    cmd.arg(format!("-DTEST_NAME=\"{name}\""));
    cmd.arg("-I").arg(&include);
    cmd.arg("-T").arg(include.join("link.ld"));
    cmd.arg("-Wl,--no-warn-rwx-segments");
    cmd.arg("-o").arg(&elf).arg(src).arg(include.join("lib.c")).arg(include.join("start.S"));
    let output = cmd.output().map_err(|e| format!("{}: cannot run {cc}: {e}", src.display()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "--- sbi/{name}.c ---\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}
