//! `--stats`: what the run did, printed to stderr.

use std::time::Duration;

use hartvm_runtime::VcpuStats;

/// Formats the statistics of a run, one `name: value` per line.
pub fn format(stats: &[VcpuStats], wall: Duration) -> String {
    let sum = |f: fn(&VcpuStats) -> u64| stats.iter().map(f).sum::<u64>();
    let insns = sum(|s| s.instructions);
    let run_time: Duration = stats.iter().map(|s| s.run_time).max().unwrap_or_default();
    let secs = run_time.as_secs_f64().max(1e-9);
    let blocks = sum(|s| s.blocks_executed);
    let hits = blocks.saturating_sub(sum(|s| s.jump_cache_misses));
    let mut out = String::new();
    let mut line = |k: &str, v: String| out.push_str(&format!("{k:<24}{v}\n"));
    line("instructions:", insns.to_string());
    line("wall time:", format!("{:.3} s", wall.as_secs_f64()));
    line("vcpu run time:", format!("{:.3} s", run_time.as_secs_f64()));
    line("MIPS:", format!("{:.1}", insns as f64 / secs / 1e6));
    line("engine:", "interp".to_string());
    line("blocks executed:", blocks.to_string());
    line("blocks decoded:", sum(|s| s.blocks_decoded).to_string());
    line("instructions decoded:", sum(|s| s.instructions_decoded).to_string());
    line("jump cache hit rate:", format!("{:.1} %", 100.0 * hits as f64 / blocks.max(1) as f64));
    line("traps:", sum(|s| s.traps).to_string());
    out
}
