//! Runs every benchmark workload once under each engine: real compiled C
//! (integer, memory and double-precision code; ptrchase, tablemix and the
//! `_sv39` variants in S-mode with Sv39 paging) must compute exactly the
//! checksum the host computed for the same source, and the generated
//! `cold` code the checksum its generator computed.

use hartvm_benches::{expected_checksum, workload, Prepared, EXTRA_WORKLOADS, LONG_WORKLOADS, WORKLOADS};
use hartvm_runtime::Engine;

fn check(name: &str) {
    let elf = workload(name).expect("known workload");
    let bytes = std::fs::read(&elf).unwrap_or_else(|e| panic!("{}: {e}", elf.display()));
    for engine in [Engine::Interp, Engine::Jit, Engine::Tiered] {
        let run = Prepared::with_engine(&bytes, engine)
            .and_then(Prepared::run)
            .unwrap_or_else(|e| panic!("{name} ({engine:?}): {e:#}"));
        let what = match run.exit_code {
            0 => "ok",
            1 => "checksum differs from the host's",
            _ => "a self-check failed",
        };
        assert_eq!(
            run.exit_code,
            0,
            "{name} ({engine:?}): exit code {} ({what}); expected checksum {:?}; {} instructions",
            run.exit_code,
            expected_checksum(name),
            run.stats.instructions
        );
        // CPU-bound: the whole run is a handful of hot blocks, no traps.
        assert!(run.stats.instructions > 1_000_000, "{name}: only {} instructions", run.stats.instructions);
        assert_eq!(run.stats.traps, 0, "{name} ({engine:?}): unexpected traps");
    }
}

#[test]
fn cpu_mix() {
    check("cpu_mix");
}

#[test]
fn sha256() {
    check("sha256");
}

#[test]
fn sort() {
    check("sort");
}

#[test]
fn memcpy() {
    check("memcpy");
}

#[test]
fn fp_kernel() {
    check("fp_kernel");
}

/// Fused multiply-adds of every form.
#[test]
fn fused() {
    check("fused");
}

#[test]
fn calls() {
    check("calls");
}

/// Indirect calls: a comparator, map functions, a handler table.
#[test]
fn callbacks() {
    check("callbacks");
}

/// Switch dispatch through a jump table: a bytecode interpreter and a
/// tokenizer's state machine.
#[test]
fn dispatch() {
    check("dispatch");
}

#[test]
fn ptrchase() {
    check("ptrchase");
}

#[test]
fn tablemix() {
    check("tablemix");
}

#[test]
fn calls_sv39() {
    check("calls_sv39");
}

#[test]
fn dispatch_sv39() {
    check("dispatch_sv39");
}

/// A million instructions of straight-line code, each run once.
#[test]
fn cold() {
    check("cold");
}

#[test]
fn api() {
    assert_eq!(
        WORKLOADS,
        [
            "cpu_mix",
            "sha256",
            "sort",
            "memcpy",
            "fp_kernel",
            "fused",
            "calls",
            "callbacks",
            "dispatch",
            "ptrchase",
            "tablemix",
            "calls_sv39",
            "dispatch_sv39"
        ]
    );
    assert_eq!(EXTRA_WORKLOADS, ["cold"]);
    assert_eq!(
        LONG_WORKLOADS,
        [
            "cpu_mix_long",
            "sha256_long",
            "sort_long",
            "memcpy_long",
            "fp_kernel_long",
            "fused_long",
            "calls_long",
            "callbacks_long",
            "dispatch_long",
            "tablemix_long"
        ]
    );
    for name in WORKLOADS.iter().chain(EXTRA_WORKLOADS).chain(LONG_WORKLOADS) {
        let path = workload(name).unwrap();
        assert!(path.is_file(), "{} was not built", path.display());
        assert!(expected_checksum(name).is_some());
    }
    assert_eq!(workload("nonexistent"), None);
}
