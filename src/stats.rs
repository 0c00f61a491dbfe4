//! `--stats`: what the run did, printed to stderr.

use std::time::Duration;

use hartvm_runtime::{Engine, VcpuStats};

use crate::machine::RunReport;

/// Formats the statistics of a run, one `name: value` per line.
pub fn format(report: &RunReport) -> String {
    let (stats, wall) = (&report.stats[..], report.wall);
    let sum = |f: fn(&VcpuStats) -> u64| stats.iter().map(f).sum::<u64>();
    let insns = sum(|s| s.instructions);
    let run_time: Duration = stats.iter().map(|s| s.run_time).max().unwrap_or_default();
    let secs = run_time.as_secs_f64().max(1e-9);
    let blocks = sum(|s| s.blocks_executed);
    let hits = blocks.saturating_sub(sum(|s| s.jump_cache_misses));
    let mut out = String::new();
    let mut line = |k: &str, v: String| out.push_str(&format!("{k:<24}{v}\n"));
    line("instructions:", insns.to_string());
    if stats.len() > 1 {
        let each: Vec<String> = stats.iter().map(|s| s.instructions.to_string()).collect();
        line("  per hart:", each.join(" / "));
    }
    line("wall time:", format!("{:.3} s", wall.as_secs_f64()));
    line("vcpu run time:", format!("{:.3} s", run_time.as_secs_f64()));
    line("MIPS:", format!("{:.1}", insns as f64 / secs / 1e6));
    line("engine:", engine_name(report.engine).to_string());
    line("blocks interpreted:", blocks.to_string());
    line("blocks decoded:", sum(|s| s.blocks_decoded).to_string());
    line("instructions decoded:", sum(|s| s.instructions_decoded).to_string());
    line("jump cache hit rate:", format!("{:.1} %", 100.0 * hits as f64 / blocks.max(1) as f64));
    line("traps:", sum(|s| s.traps).to_string());
    if report.resumes + report.reboots > 0 {
        line("resumes from suspend:", report.resumes.to_string());
        line("reboots:", report.reboots.to_string());
    }
    if let Some(jit) = &report.jit {
        let rate = |hit: u64, miss: u64| format!("{:.1} %", 100.0 * hit as f64 / (hit + miss).max(1) as f64);
        let entries = sum(|s| s.jit_entries);
        let chains = sum(|s| s.chain_hits);
        line("blocks compiled:", format!("{} ({} instructions)", jit.compiled, jit.compiled_insts));
        line(
            "compile time:",
            format!(
                "{:.3} s ({:.2} us/instruction)",
                jit.compile_time.as_secs_f64(),
                jit.compile_time.as_secs_f64() * 1e6 / jit.compiled_insts.max(1) as f64
            ),
        );
        line("code cache bytes:", jit.code_bytes.to_string());
        line("translated entries:", format!("{entries} from the dispatcher, {chains} chained"));
        line("chain hit rate:", rate(chains, entries));
        line("JIT jump cache hits:", rate(sum(|s| s.jit_jump_hits), sum(|s| s.jit_jump_misses)));
        line("JIT exits to interp:", sum(|s| s.jit_step_exits).to_string());
        line("invalidated:", format!("{} translations, {} flushes", jit.invalidated, jit.flushes));
        line("stale requests:", jit.stale_requests.to_string());
    }
    out
}

fn engine_name(e: Engine) -> &'static str {
    match e {
        Engine::Interp => "interp",
        Engine::Jit => "jit",
        Engine::Tiered => "tiered",
        Engine::Difftest => "difftest",
    }
}
