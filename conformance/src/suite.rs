//! The suite runner for riscv-tests-style programs (used by `hartvm test`).
//!
//! A suite is a set of ELF files, each a self-checking program that reports
//! through HTIF `tohost` (1 = pass, `(n << 1) | 1` = test case `n` failed).
//! This module does not run guests itself: the caller supplies a runner
//! `Fn(&Path) -> TestOutcome`, which the VMM implements on top of the
//! runtime. It provides discovery ([`discover`]), parallel execution
//! ([`run`], [`run_with_progress`]) and reporting ([`SuiteReport`]).
//!
//! ```
//! use hartvm_conformance::suite::{self, TestOutcome};
//! let elfs = suite::discover(&[hartvm_conformance::guest_dir()]).unwrap();
//! let report = suite::run(&elfs, 2, |_path| TestOutcome::Pass);
//! let mut out = Vec::new();
//! report.write_text(&mut out, false).unwrap();
//! assert!(String::from_utf8(out).unwrap().ends_with(" passed, 0 failed\n"));
//! ```

use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The result of running one test program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TestOutcome {
    /// The program wrote 1 to `tohost`.
    Pass,
    /// The program wrote `(code << 1) | 1` to `tohost`: test case `code` failed.
    Fail {
        /// The failing test number (the `tohost` value shifted right by one).
        code: u64,
    },
    /// The program did not finish within the runner's time or instruction limit.
    Timeout,
    /// The program could not be run to completion: load error, crash,
    /// trap loop, emulator error, ...
    Error(String),
}

impl TestOutcome {
    /// Whether this outcome is a pass.
    pub fn is_pass(&self) -> bool {
        matches!(self, TestOutcome::Pass)
    }

    /// The outcome a `tohost` exit value stands for: `1` is a pass,
    /// `(n << 1) | 1` is a failure of test `n`. An even value is not an exit
    /// (it is an HTIF device request), reported here as an error.
    pub fn from_tohost(value: u64) -> TestOutcome {
        if value & 1 == 0 {
            TestOutcome::Error(format!("tohost value {value:#x} is not an exit code"))
        } else if value == 1 {
            TestOutcome::Pass
        } else {
            TestOutcome::Fail { code: value >> 1 }
        }
    }
}

impl fmt::Display for TestOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TestOutcome::Pass => write!(f, "passed"),
            TestOutcome::Fail { code } => write!(f, "test {code} failed"),
            TestOutcome::Timeout => write!(f, "timed out"),
            TestOutcome::Error(msg) => write!(f, "error: {msg}"),
        }
    }
}

/// One program's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestResult {
    /// The ELF that was run.
    pub path: PathBuf,
    /// What happened.
    pub outcome: TestOutcome,
    /// Wall-clock time the runner took.
    pub duration: Duration,
}

impl TestResult {
    /// The report line for this result: `PASS <path>`, `FAIL <path>: test <n> failed`,
    /// `TIMEOUT <path>` or `ERROR <path>: <msg>`.
    pub fn line(&self) -> String {
        let p = self.path.display();
        match &self.outcome {
            TestOutcome::Pass => format!("PASS {p}"),
            TestOutcome::Fail { code } => format!("FAIL {p}: test {code} failed"),
            TestOutcome::Timeout => format!("TIMEOUT {p}"),
            TestOutcome::Error(msg) => format!("ERROR {p}: {}", one_line(msg)),
        }
    }
}

fn one_line(s: &str) -> String {
    s.trim().replace(['\n', '\r'], " ")
}

/// Whether `path` is a regular file starting with the ELF magic.
pub fn is_elf(path: &Path) -> bool {
    let Ok(mut f) = File::open(path) else {
        return false;
    };
    let mut magic = [0u8; 4];
    f.read_exact(&mut magic).is_ok() && magic == *b"\x7fELF"
}

/// Finds the test programs in `paths`: a file is taken as given (it must be
/// an ELF, otherwise an `InvalidInput` error is returned); a directory is
/// scanned recursively for files with the ELF magic (sources, dumps, logs,
/// hidden entries are skipped). The result is sorted and free of duplicates.
pub fn discover<P: AsRef<Path>>(paths: &[P]) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for p in paths {
        let p = p.as_ref();
        let meta = std::fs::metadata(p).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", p.display())))?;
        if meta.is_dir() {
            scan_dir(p, &mut found)?;
        } else if is_elf(p) {
            found.push(p.to_path_buf());
        } else {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("{}: not an ELF file", p.display())));
        }
    }
    found.sort();
    found.dedup();
    Ok(found)
}

fn scan_dir(dir: &Path, found: &mut Vec<PathBuf>) -> io::Result<()> {
    let rd = std::fs::read_dir(dir).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?;
    for entry in rd {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        // Follow symlinks (metadata, not symlink_metadata).
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            scan_dir(&path, found)?;
        } else if meta.is_file() && is_elf(&path) {
            found.push(path);
        }
    }
    Ok(())
}

/// Runs every program in `elfs` on `jobs` worker threads (at least one) with
/// `runner`; see [`run_with_progress`].
pub fn run<F>(elfs: &[PathBuf], jobs: usize, runner: F) -> SuiteReport
where
    F: Fn(&Path) -> TestOutcome + Sync,
{
    run_with_progress(elfs, jobs, runner, |_| {})
}

/// Runs every program in `elfs` on `jobs` worker threads (at least one) with
/// `runner`, calling `progress` (from the worker threads) after each program.
/// A runner that panics produces [`TestOutcome::Error`] for that program.
/// The report's results are sorted by path.
pub fn run_with_progress<F, G>(elfs: &[PathBuf], jobs: usize, runner: F, progress: G) -> SuiteReport
where
    F: Fn(&Path) -> TestOutcome + Sync,
    G: Fn(&TestResult) + Sync,
{
    let start = Instant::now();
    let jobs = jobs.max(1).min(elfs.len().max(1));
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(elfs.len()));
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = elfs.get(i) else { break };
                let t0 = Instant::now();
                let outcome = catch_unwind(AssertUnwindSafe(|| runner(path))).unwrap_or_else(|e| {
                    let msg = e
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| e.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "runner panicked".to_string());
                    TestOutcome::Error(format!("runner panicked: {msg}"))
                });
                let result = TestResult { path: path.clone(), outcome, duration: t0.elapsed() };
                progress(&result);
                results.lock().unwrap_or_else(|e| e.into_inner()).push(result);
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by(|a, b| a.path.cmp(&b.path));
    SuiteReport { results, duration: start.elapsed() }
}

/// The results of a suite run, sorted by path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SuiteReport {
    /// One result per program, sorted by path.
    pub results: Vec<TestResult>,
    /// Wall-clock time of the whole run.
    pub duration: Duration,
}

impl SuiteReport {
    /// Builds a report from results in any order (they are sorted by path).
    pub fn from_results(mut results: Vec<TestResult>, duration: Duration) -> SuiteReport {
        results.sort_by(|a, b| a.path.cmp(&b.path));
        SuiteReport { results, duration }
    }

    /// Number of programs that passed.
    pub fn passed(&self) -> usize {
        self.results.iter().filter(|r| r.outcome.is_pass()).count()
    }

    /// Number of programs that did not pass (failures, timeouts and errors).
    pub fn failed(&self) -> usize {
        self.results.len() - self.passed()
    }

    /// Whether every program passed.
    pub fn all_passed(&self) -> bool {
        self.failed() == 0
    }

    /// The results that did not pass.
    pub fn failures(&self) -> impl Iterator<Item = &TestResult> {
        self.results.iter().filter(|r| !r.outcome.is_pass())
    }

    /// The closing line: exactly `N passed, N failed`.
    pub fn summary(&self) -> String {
        format!("{} passed, {} failed", self.passed(), self.failed())
    }

    /// Writes the text report: one line per program that did not pass (see
    /// [`TestResult::line`]), one `PASS <path>` line per passing program too
    /// if `verbose`, in path order, then the [`summary`](Self::summary) line.
    pub fn write_text<W: Write + ?Sized>(&self, out: &mut W, verbose: bool) -> io::Result<()> {
        for r in &self.results {
            if verbose || !r.outcome.is_pass() {
                writeln!(out, "{}", r.line())?;
            }
        }
        writeln!(out, "{}", self.summary())
    }

    /// Writes the results as a JUnit XML document (one `<testsuite>` named
    /// `suite_name`, one `<testcase>` per program with its time in seconds;
    /// failures as `<failure>`, timeouts and errors as `<error>`).
    pub fn write_junit<W: Write + ?Sized>(&self, out: &mut W, suite_name: &str) -> io::Result<()> {
        let failures = self.results.iter().filter(|r| matches!(r.outcome, TestOutcome::Fail { .. })).count();
        let errors = self.failed() - failures;
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<testsuites name="{n}" tests="{t}" failures="{failures}" errors="{errors}" time="{time:.3}">"#,
            n = xml_escape(suite_name),
            t = self.results.len(),
            time = self.duration.as_secs_f64(),
        )?;
        writeln!(
            out,
            r#"  <testsuite name="{n}" tests="{t}" failures="{failures}" errors="{errors}" skipped="0" time="{time:.3}">"#,
            n = xml_escape(suite_name),
            t = self.results.len(),
            time = self.duration.as_secs_f64(),
        )?;
        for r in &self.results {
            let path = r.path.display().to_string();
            let name = r.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.clone());
            let classname = r.path.parent().map(|p| p.display().to_string()).unwrap_or_default();
            write!(
                out,
                r#"    <testcase name="{}" classname="{}" file="{}" time="{:.3}""#,
                xml_escape(&name),
                xml_escape(&classname),
                xml_escape(&path),
                r.duration.as_secs_f64()
            )?;
            match &r.outcome {
                TestOutcome::Pass => writeln!(out, "/>")?,
                TestOutcome::Fail { code } => {
                    writeln!(out, ">")?;
                    writeln!(
                        out,
                        r#"      <failure type="fail" message="test {code} failed">{}</failure>"#,
                        xml_escape(&r.line())
                    )?;
                    writeln!(out, "    </testcase>")?;
                }
                TestOutcome::Timeout => {
                    writeln!(out, ">")?;
                    writeln!(
                        out,
                        r#"      <error type="timeout" message="timed out">{}</error>"#,
                        xml_escape(&r.line())
                    )?;
                    writeln!(out, "    </testcase>")?;
                }
                TestOutcome::Error(msg) => {
                    writeln!(out, ">")?;
                    writeln!(
                        out,
                        r#"      <error type="error" message="{}">{}</error>"#,
                        xml_escape(&one_line(msg)),
                        xml_escape(msg)
                    )?;
                    writeln!(out, "    </testcase>")?;
                }
            }
        }
        writeln!(out, "  </testsuite>")?;
        writeln!(out, "</testsuites>")
    }

    /// Writes the JUnit XML report to the file `path` (see [`write_junit`](Self::write_junit)).
    pub fn write_junit_file(&self, path: &Path, suite_name: &str) -> io::Result<()> {
        let mut f = io::BufWriter::new(File::create(path)?);
        self.write_junit(&mut f, suite_name)?;
        f.flush()
    }
}

/// Escapes text for XML attribute values and character data. Characters XML
/// 1.0 cannot represent at all (most C0 controls) are replaced by U+FFFD.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
