//! Helpers the integration tests share: running the `hartvm` binary and
//! checking its usage errors.
#![allow(dead_code)] // each test binary uses its own subset

use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

/// `hartvm args...` to completion. No terminal: a guest must not read (or
/// put in raw mode) the one cargo runs in.
pub fn hartvm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hartvm")).args(args).stdin(Stdio::null()).output().expect("run hartvm")
}

/// `hartvm args...` started with piped stdin, stdout and stderr.
pub fn spawn_piped(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_hartvm"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run hartvm")
}

/// The process's stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts a usage error: status 2, one line on stderr naming `needle`.
pub fn assert_usage_error(o: &Output, needle: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    assert!(err.contains(needle), "expected `{needle}` in: {err}");
    let lines: Vec<_> = err.lines().filter(|l| !l.trim().is_empty() && !l.starts_with("For more")).collect();
    assert_eq!(lines.len(), 1, "one-line error expected, got: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// A path under the test target's scratch directory `dir`, created.
pub fn scratch(dir: &str, name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}
