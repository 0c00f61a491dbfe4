//! The ISA description of a hart: the `riscv,isa` string and the
//! `riscv,isa-base` / `riscv,isa-extensions` pair, from one list.

use super::FdtError;

/// Canonical order of single-letter extensions in an ISA string (the
/// unprivileged spec's naming chapter). `g` is not in it: configurations
/// name `i m a f d zicsr zifencei` instead, so each can be left out.
const SINGLE_LETTER_ORDER: &str = "imafdqlcbkjtpvh";

/// Where a single letter sorts in [`SINGLE_LETTER_ORDER`].
fn letter_rank(c: char) -> Option<usize> {
    SINGLE_LETTER_ORDER.find(c)
}

/// Sort key of an extension name in an ISA string: single letters first
/// in canonical order, then `z*` by the category of their second letter,
/// then `s*`, then `x*`, each group alphabetical.
fn sort_key(ext: &str) -> (u8, usize, &str) {
    let mut chars = ext.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => (0, letter_rank(c).unwrap_or(usize::MAX), ext),
        (Some('z'), Some(second)) => (1, letter_rank(second).unwrap_or(usize::MAX), ext),
        (Some('s'), _) => (2, 0, ext),
        _ => (3, 0, ext),
    }
}

/// Checks an extension list and returns it deduplicated, in canonical
/// order: lowercase names, single letters from the ratified set (`i` is
/// required), multi-letter names starting with `z`, `s` or `x`.
///
/// ```
/// use hartvm_devices::fdt::canonical_extensions;
/// let ext = canonical_extensions(&["zba", "c", "i", "zicsr", "m", "sstc", "c"]).unwrap();
/// assert_eq!(ext, ["i", "m", "c", "zicsr", "zba", "sstc"]);
/// assert!(canonical_extensions(&["m"]).is_err()); // no base integer ISA
/// ```
///
/// # Errors
///
/// [`FdtError::BadIsa`] naming the offending extension.
pub fn canonical_extensions<S: AsRef<str>>(extensions: &[S]) -> Result<Vec<String>, FdtError> {
    let mut out: Vec<String> = Vec::new();
    for ext in extensions {
        let ext = ext.as_ref();
        let well_formed = !ext.is_empty()
            && ext.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && ext.as_bytes()[0].is_ascii_lowercase();
        if !well_formed {
            return Err(FdtError::BadIsa(format!("extension {ext:?} is not a lowercase extension name")));
        }
        let valid = if ext.len() == 1 {
            ext.chars().next().and_then(letter_rank).is_some()
        } else {
            matches!(ext.as_bytes()[0], b'z' | b's' | b'x')
        };
        if !valid {
            return Err(FdtError::BadIsa(format!("unknown extension {ext:?}")));
        }
        if !out.iter().any(|e| e == ext) {
            out.push(ext.to_string());
        }
    }
    if !out.iter().any(|e| e == "i") {
        return Err(FdtError::BadIsa("the extension list lacks the base integer ISA \"i\"".to_string()));
    }
    out.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    Ok(out)
}

/// The `riscv,isa` string for `xlen` (32 or 64) and a canonical extension
/// list (see [`canonical_extensions`]): `rv64` + single letters +
/// `_`-separated multi-letter names.
///
/// ```
/// use hartvm_devices::fdt::isa_string;
/// let ext = ["i", "m", "a", "f", "d", "c", "zicsr", "zifencei", "zba"];
/// assert_eq!(isa_string(64, &ext), "rv64imafdc_zicsr_zifencei_zba");
/// ```
pub fn isa_string<S: AsRef<str>>(xlen: u32, extensions: &[S]) -> String {
    let mut s = format!("rv{xlen}");
    for e in extensions.iter().map(AsRef::as_ref).filter(|e| e.len() == 1) {
        s.push_str(e);
    }
    for e in extensions.iter().map(AsRef::as_ref).filter(|e| e.len() > 1) {
        s.push('_');
        s.push_str(e);
    }
    s
}

/// Splits an ISA string into `(base, extensions)` for `riscv,isa-base`
/// and `riscv,isa-extensions`: single letters first (`g` expands to
/// `i m a f d zicsr zifencei`), then the `_`-separated multi-letter ones.
/// The inverse of [`isa_string`], for callers that hold a string.
///
/// ```
/// use hartvm_devices::fdt::isa_extensions;
/// let (base, ext) = isa_extensions("rv64imac_zicsr_zba").unwrap();
/// assert_eq!(base, "rv64i");
/// assert_eq!(ext, ["i", "m", "a", "c", "zicsr", "zba"]);
/// ```
pub fn isa_extensions(isa: &str) -> Option<(String, Vec<String>)> {
    let isa = isa.to_ascii_lowercase();
    let xlen = ["rv64", "rv32"].into_iter().find(|p| isa.starts_with(p))?;
    let mut parts = isa[xlen.len()..].split('_');
    let mut ext: Vec<String> = Vec::new();
    let mut push = |e: &str| {
        if !e.is_empty() && !ext.iter().any(|x| x == e) {
            ext.push(e.to_string());
        }
    };
    for c in parts.next().unwrap_or("").chars() {
        if c == 'g' {
            for e in ["i", "m", "a", "f", "d", "zicsr", "zifencei"] {
                push(e);
            }
        } else if c.is_ascii_alphabetic() {
            push(c.encode_utf8(&mut [0; 4]));
        }
    }
    for p in parts {
        push(p);
    }
    Some((format!("{xlen}i"), ext))
}
