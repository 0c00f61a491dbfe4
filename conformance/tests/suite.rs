//! Host-side tests of the suite runner with a fake runner.

use hartvm_conformance::suite::{self, xml_escape, SuiteReport, TestOutcome, TestResult};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// A fresh, empty scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "hartvm-conformance-test-{}-{}-{}",
        std::process::id(),
        name,
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

const ELF: &[u8] = b"\x7fELF\x02\x01\x01\0rest-of-a-fake-elf";

/// A tree with ELFs at several depths plus files that must be skipped.
fn tree(name: &str) -> PathBuf {
    let d = scratch(name);
    write(&d.join("rv64ui-p-add"), ELF);
    write(&d.join("rv64ui-p-add.dump"), b"disassembly");
    write(&d.join("sub/b.elf"), ELF);
    write(&d.join("sub/b.S"), b"source");
    write(&d.join("sub/deeper/a.elf"), ELF);
    write(&d.join("sub/deeper/empty"), b"");
    write(&d.join("sub/deeper/short"), b"\x7fE");
    write(&d.join(".hidden/c.elf"), ELF);
    write(&d.join("notelf.elf"), b"#!/bin/sh\n");
    d
}

#[test]
fn discovery_scans_directories_recursively_by_magic() {
    let d = tree("discover");
    let found = suite::discover(&[&d]).unwrap();
    let rel: Vec<String> = found.iter().map(|p| p.strip_prefix(&d).unwrap().display().to_string()).collect();
    assert_eq!(rel, ["rv64ui-p-add", "sub/b.elf", "sub/deeper/a.elf"]);
}

#[test]
fn discovery_takes_files_and_dedups() {
    let d = tree("files");
    let f = d.join("sub/b.elf");
    let found = suite::discover(&[f.clone(), d.join("sub"), f.clone()]).unwrap();
    assert_eq!(found, vec![f, d.join("sub/deeper/a.elf")]);
}

#[test]
fn discovery_rejects_non_elf_files_and_missing_paths() {
    let d = tree("reject");
    let e = suite::discover(&[d.join("sub/b.S")]).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
    assert!(e.to_string().contains("b.S"), "{e}");
    let e = suite::discover(&[d.join("does-not-exist")]).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
    assert!(suite::is_elf(&d.join("sub/b.elf")));
    assert!(!suite::is_elf(&d.join("sub/deeper/short")));
    assert!(!suite::is_elf(&d.join("sub")));
}

#[test]
fn outcome_from_tohost() {
    assert_eq!(TestOutcome::from_tohost(1), TestOutcome::Pass);
    assert_eq!(TestOutcome::from_tohost(7), TestOutcome::Fail { code: 3 });
    assert!(matches!(TestOutcome::from_tohost(0x8000_1000), TestOutcome::Error(_)));
}

fn fake(path: &Path) -> TestOutcome {
    let name = path.file_name().unwrap().to_str().unwrap();
    match name {
        n if n.starts_with("fail") => TestOutcome::Fail { code: 5 },
        n if n.starts_with("hang") => TestOutcome::Timeout,
        n if n.starts_with("crash") => TestOutcome::Error("trap loop at 0x80000000\nmcause=2".into()),
        n if n.starts_with("panic") => panic!("boom"),
        _ => TestOutcome::Pass,
    }
}

fn paths(names: &[&str]) -> Vec<PathBuf> {
    names.iter().map(|n| PathBuf::from(format!("/s/{n}"))).collect()
}

#[test]
fn run_reports_in_path_order_with_summary() {
    let elfs = paths(&["z-ok", "fail1", "a-ok", "hang", "crash", "m-ok"]);
    for jobs in [0, 1, 2, 8, 100] {
        let seen = Mutex::new(0usize);
        let report = suite::run_with_progress(&elfs, jobs, fake, |_| *seen.lock().unwrap() += 1);
        assert_eq!(*seen.lock().unwrap(), elfs.len());
        assert_eq!(report.passed(), 3);
        assert_eq!(report.failed(), 3);
        assert!(!report.all_passed());
        let mut out = Vec::new();
        report.write_text(&mut out, false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "ERROR /s/crash: trap loop at 0x80000000 mcause=2\n\
             FAIL /s/fail1: test 5 failed\n\
             TIMEOUT /s/hang\n\
             3 passed, 3 failed\n"
        );
        let mut out = Vec::new();
        report.write_text(&mut out, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 7);
        assert!(text.starts_with("PASS /s/a-ok\nERROR /s/crash"), "{text}");
    }
}

#[test]
fn runner_panic_is_an_error_and_runs_really_parallel() {
    let elfs = paths(&["panic", "ok1", "ok2", "ok3"]);
    let running = AtomicUsize::new(0);
    let max = AtomicUsize::new(0);
    let report = suite::run(&elfs, 4, |p| {
        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
        max.fetch_max(now, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(50));
        running.fetch_sub(1, Ordering::SeqCst);
        fake(p)
    });
    assert!(max.load(Ordering::SeqCst) > 1);
    assert_eq!(report.summary(), "3 passed, 1 failed");
    match &report.results[3].outcome {
        TestOutcome::Error(m) => assert!(m.contains("boom"), "{m}"),
        o => panic!("{o:?}"),
    }
}

#[test]
fn empty_suite() {
    let report = suite::run(&[], 4, fake);
    let mut out = Vec::new();
    report.write_text(&mut out, true).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "0 passed, 0 failed\n");
    let mut xml = Vec::new();
    report.write_junit(&mut xml, "empty").unwrap();
    check_xml(&String::from_utf8(xml).unwrap());
}

#[test]
fn escaping() {
    assert_eq!(xml_escape(r#"a<b>&"c'"#), "a&lt;b&gt;&amp;&quot;c&apos;");
    assert_eq!(xml_escape("x\u{1}y\tz"), "x\u{FFFD}y\tz");
}

/// A minimal well-formedness check: balanced tags, quoted attributes, only
/// the five predefined entities, no raw `<`/`&` in text.
fn check_xml(xml: &str) {
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    let body = &xml[xml.find("?>").unwrap() + 2..];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        check_text(&rest[..lt]);
        let gt = rest[lt..].find('>').unwrap() + lt;
        let tag = &rest[lt + 1..gt];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "unbalanced </{name}>");
        } else {
            let self_closing = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let name = tag.split_whitespace().next().unwrap().to_string();
            let attrs = &tag[name.len()..];
            // attributes: name="value" pairs with escaped values
            let mut a = attrs.trim();
            while !a.is_empty() {
                let eq = a.find("=\"").expect("attribute without =\"");
                let v = &a[eq + 2..];
                let end = v.find('"').unwrap();
                check_text(&v[..end]);
                assert!(!v[..end].contains('<'));
                a = v[end + 1..].trim_start();
            }
            if !self_closing {
                stack.push(name);
            }
        }
        rest = &rest[gt + 1..];
    }
    check_text(rest);
    assert!(stack.is_empty(), "unclosed {stack:?}");
}

fn check_text(t: &str) {
    let mut s = t;
    while let Some(amp) = s.find('&') {
        let ent = &s[amp..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].iter().any(|e| ent.starts_with(e)),
            "bad entity in {t:?}"
        );
        s = &s[amp + 1..];
    }
}

#[test]
fn junit_is_well_formed_with_one_testcase_per_elf() {
    let elfs = paths(&["ok<&>", "fail\"1", "hang", "crash"]);
    let report = suite::run(&elfs, 2, fake);
    let mut xml = Vec::new();
    report.write_junit(&mut xml, "hartvm <suite> & co").unwrap();
    let xml = String::from_utf8(xml).unwrap();
    check_xml(&xml);
    assert_eq!(xml.matches("<testcase ").count(), 4);
    assert!(xml.contains(r#"name="hartvm &lt;suite&gt; &amp; co" tests="4" failures="1" errors="2""#), "{xml}");
    assert!(
        xml.contains(r#"<testcase name="ok&lt;&amp;&gt;" classname="/s" file="/s/ok&lt;&amp;&gt;" time=""#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<failure type="fail" message="test 5 failed">FAIL /s/fail&quot;1: test 5 failed</failure>"#),
        "{xml}"
    );
    assert!(xml.contains(r#"<error type="timeout""#));
    assert!(xml.contains("trap loop at 0x80000000\nmcause=2</error>"));
    // the file writer produces the same document
    let d = scratch("junit");
    let f = d.join("report.xml");
    report.write_junit_file(&f, "hartvm <suite> & co").unwrap();
    assert_eq!(std::fs::read_to_string(&f).unwrap(), xml);
}

#[test]
fn report_from_results_sorts() {
    let r = |p: &str, o| TestResult { path: p.into(), outcome: o, duration: Duration::from_millis(1) };
    let report = SuiteReport::from_results(
        vec![r("b", TestOutcome::Pass), r("a", TestOutcome::Fail { code: 2 })],
        Duration::ZERO,
    );
    assert_eq!(report.results[0].path, PathBuf::from("a"));
    assert_eq!(report.failures().count(), 1);
    assert_eq!(report.results[0].line(), "FAIL a: test 2 failed");
}

#[test]
fn built_guests_are_discoverable() {
    let dir = hartvm_conformance::guest_dir();
    let found = suite::discover(&[&dir]).unwrap();
    assert!(found.iter().any(|p| p.ends_with("isa/rv64i/lui.elf")), "{found:?}");
    assert!(found.iter().all(|p| p.extension().is_some_and(|e| e == "elf")));
}
