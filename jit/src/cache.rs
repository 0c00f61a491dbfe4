//! The code cache shared by a VM's vCPUs: translations keyed by physical
//! pc and mode, invalidated per page, compiled in the background, and
//! reclaimed a generation at a time.

use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use hartvm_frontend::Inst;

use crate::abi::Mode;
use crate::codemem::{CodeRegion, REGION_SIZE};
use crate::compiler::{CompileError, Compiled, Compiler};
use crate::emit::Target;
use crate::trace::{JumpTargets, PAGE};

/// A set of code regions freed together, once no vCPU can be running
/// code from them (every holder of the `Arc` has let go).
pub struct Generation {
    id: u64,
    regions: Mutex<Vec<CodeRegion>>,
    /// The words and instructions its code refers to by address. They live
    /// as long as the code: a chained exit can still enter a translation
    /// that was invalidated (its entry check then reads the cleared word).
    data: Mutex<Vec<TranslationData>>,
}

/// A translation's valid word and chain slots, and its instructions.
type TranslationData = (Box<[AtomicU64]>, Box<[Inst]>);

impl Generation {
    fn new(id: u64) -> Arc<Generation> {
        Arc::new(Generation { id, regions: Mutex::new(Vec::new()), data: Mutex::new(Vec::new()) })
    }
}

impl Generation {
    /// Its number (generations only grow).
    pub fn id(&self) -> u64 {
        self.id
    }
}

/// Compiled code for one (physical pc, mode).
pub struct Translation {
    /// Host address of its entry (call through [`CodeCache::enter`]).
    pub entry: usize,
    /// Guest physical address of its first instruction.
    pub pa: u64,
    /// The mode it was translated for.
    pub mode: Mode,
    /// Guest instructions it covers.
    pub guest_insts: usize,
    generation: Arc<Generation>,
    /// The valid word (then the chain slots), owned by `generation`.
    valid: *const AtomicU64,
}

// SAFETY: `valid` points into a heap block owned by the generation, which
// the translation keeps alive; it is only accessed atomically.
unsafe impl Send for Translation {}
// SAFETY: as above.
unsafe impl Sync for Translation {}

impl Translation {
    /// Whether it still matches guest memory.
    pub fn valid(&self) -> bool {
        self.valid_word().load(Ordering::Relaxed) != 0
    }

    fn valid_word(&self) -> &AtomicU64 {
        // SAFETY: see the `Send` impl: the word lives as long as `self`.
        unsafe { &*self.valid }
    }

    /// The generation its code belongs to.
    pub fn generation(&self) -> &Arc<Generation> {
        &self.generation
    }
}

/// Counters of the cache as a whole.
#[derive(Clone, Copy, Debug, Default)]
pub struct CacheStats {
    /// Translations compiled (including discarded ones).
    pub compiled: u64,
    /// Guest instructions compiled.
    pub compiled_insts: u64,
    /// Time spent compiling.
    pub compile_time: Duration,
    /// Bytes of host code in live generations.
    pub code_bytes: u64,
    /// Translations invalidated by stores to their page.
    pub invalidated: u64,
    /// Whole-cache flushes (capacity or `fence.i`).
    pub flushes: u64,
    /// Compile requests dropped because they waited too long.
    pub stale_requests: u64,
}

struct Inner {
    generation: Arc<Generation>,
    map: HashMap<(u64, u8), Arc<Translation>>,
    by_page: HashMap<u64, Vec<(u64, u8)>>,
    page_epoch: HashMap<u64, u64>,
    /// Requests not yet compiled (waiting, or in the compiler).
    queued: HashMap<(u64, u8), Heat>,
    /// Starts the compiler refused (the first instruction needs the interpreter).
    refused: HashSet<(u64, u8)>,
    code_bytes: usize,
}

/// Where a translation stands, for the tiering policy.
pub enum Status {
    /// Installed.
    Ready(Arc<Translation>),
    /// Waiting for (or in) the background compiler.
    Queued,
    /// Nothing can be compiled there.
    Refused,
    /// Not requested, or dropped because the code changed meanwhile.
    Absent,
}

struct Shared {
    inner: Mutex<Inner>,
    max_code_bytes: usize,
    compiled: AtomicU64,
    compiled_insts: AtomicU64,
    compile_nanos: AtomicU64,
    invalidated: AtomicU64,
    flushes: AtomicU64,
    dropped: AtomicU64,
    /// Some translation was compiled for `Mode::direct`.
    direct_code: AtomicBool,
    perf_map: Mutex<Option<PerfMap>>,
    /// The cache is being dropped: the compiler thread stops.
    closing: AtomicBool,
}

/// Names guest addresses for the perf map.
pub type Symbolizer = Box<dyn Fn(u64) -> Option<String> + Send + Sync>;

struct PerfMap {
    file: std::fs::File,
    symbolize: Symbolizer,
}

/// What a translation is compiled from: a copy of the guest page holding
/// its entry, taken at a known epoch of that page, and what the vCPU
/// knows about the code's indirect jumps.
#[derive(Debug)]
pub struct CodeSource {
    /// The guest page holding the entry, copied when its epoch was `epoch`.
    pub page: Box<[u8]>,
    /// Physical address of the entry.
    pub pa: u64,
    /// Virtual address of the entry (for the perf map).
    pub va: u64,
    /// The mode bits the translation is compiled for.
    pub mode: Mode,
    /// [`CodeCache::page_epoch`] of the page when it was copied: a
    /// translation of a page invalidated since is discarded.
    pub epoch: u64,
    /// Recorded targets of the page's indirect jumps.
    pub targets: JumpTargets,
}

impl CodeSource {
    fn key(&self) -> (u64, u8) {
        (self.pa, self.mode.bits())
    }

    fn compile(&self, compiler: &mut Compiler) -> Result<Compiled, CompileError> {
        compiler.compile(&self.page, (self.pa as usize) & (PAGE - 1), self.mode, &self.targets)
    }
}

/// How much a waiting request's code is running: the compiler takes the
/// hottest request first, so a loop that turns hot while the queue is long
/// (a kernel unpacking its initramfs in the middle of a boot) does not
/// wait behind code that ran a few dozen times and moved on.
#[derive(Clone, Copy)]
struct Heat {
    /// Runs of the code so far, as its vCPU last reported them.
    runs: u32,
    /// When its vCPU last reported it running.
    seen: Instant,
}

/// A request whose code has not been seen running for this long is
/// dropped unread: the code has likely stopped running (a kernel boot
/// moves on every few milliseconds), and if it runs again it asks again.
const STALE_AFTER: Duration = Duration::from_millis(20);

/// The shared code cache of one VM.
pub struct CodeCache {
    shared: Arc<Shared>,
    trampoline: (CodeRegion, usize),
    jobs: Option<Sender<CodeSource>>,
    worker: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for CodeCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeCache").field("stats", &self.stats()).finish()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl CodeCache {
    /// A cache generating code for `target`; with `background`, a compiler
    /// thread serves [`CodeCache::request`]. Code beyond `max_code_bytes`
    /// starts a new generation.
    pub fn new(target: Target, background: bool, max_code_bytes: usize) -> Result<CodeCache, String> {
        let mut compiler = Compiler::new(target)?;
        let code = compiler.trampoline().map_err(|e| format!("{e:?}"))?;
        let mut region = CodeRegion::new(code.len()).map_err(|e| e.to_string())?;
        let entry = region.push(&code).expect("the region was sized for it");
        let shared = Arc::new(Shared {
            inner: Mutex::new(Inner {
                generation: Generation::new(0),
                map: HashMap::new(),
                by_page: HashMap::new(),
                page_epoch: HashMap::new(),
                queued: HashMap::new(),
                refused: HashSet::new(),
                code_bytes: 0,
            }),
            max_code_bytes,
            compiled: AtomicU64::new(0),
            compiled_insts: AtomicU64::new(0),
            compile_nanos: AtomicU64::new(0),
            invalidated: AtomicU64::new(0),
            flushes: AtomicU64::new(0),
            dropped: AtomicU64::new(0),
            direct_code: AtomicBool::new(false),
            perf_map: Mutex::new(None),
            closing: AtomicBool::new(false),
        });
        let (jobs, worker) = if background {
            let (tx, rx) = crossbeam_channel::unbounded();
            let worker_shared = shared.clone();
            let handle = std::thread::Builder::new()
                .name("hartvm-jit".into())
                .spawn(move || compile_loop(worker_shared, compiler, rx))
                .map_err(|e| e.to_string())?;
            (Some(tx), Some(handle))
        } else {
            (None, None)
        };
        Ok(CodeCache { shared, trampoline: (region, entry), jobs, worker })
    }

    /// Runs translated code at `code` on context `ctx` until it exits.
    ///
    /// # Safety
    /// `ctx` must point to a context laid out as the [`Target`] says, and
    /// `code` must be the entry of a translation of this cache whose
    /// generation the caller keeps alive for the duration of the call.
    pub unsafe fn enter(&self, ctx: *mut u8, code: usize) -> u64 {
        // SAFETY: the trampoline was compiled for exactly this signature
        // and lives as long as `self`.
        let f: extern "C" fn(*mut u8, usize) -> u64 = unsafe { std::mem::transmute(self.trampoline.1) };
        f(ctx, code)
    }

    /// The translation for `pa` in `mode`, if one is installed.
    pub fn lookup(&self, pa: u64, mode: Mode) -> Option<Arc<Translation>> {
        lock(&self.shared.inner).map.get(&(pa, mode.bits())).cloned()
    }

    /// What is known about a translation for `pa` in `mode`, whose code
    /// has run `runs` times so far; a waiting request notes that its code
    /// still runs, and how often (see [`CodeCache::request`]).
    pub fn status(&self, pa: u64, mode: Mode, runs: u32) -> Status {
        let mut inner = lock(&self.shared.inner);
        let key = (pa, mode.bits());
        if let Some(t) = inner.map.get(&key) {
            Status::Ready(t.clone())
        } else if let Some(heat) = inner.queued.get_mut(&key) {
            // Each hart counts its own runs: keep the largest count.
            *heat = Heat { runs: heat.runs.max(runs), seen: Instant::now() };
            Status::Queued
        } else if inner.refused.contains(&key) {
            Status::Refused
        } else {
            Status::Absent
        }
    }

    /// The current generation.
    pub fn generation(&self) -> Arc<Generation> {
        lock(&self.shared.inner).generation.clone()
    }

    /// How often `page` has been invalidated (a compile started before a
    /// change is discarded).
    pub fn page_epoch(&self, page: u64) -> u64 {
        lock(&self.shared.inner).page_epoch.get(&page).copied().unwrap_or(0)
    }

    /// Compiles and installs the translation of `source` now.
    /// `Ok(None)`: the code changed since the page was copied. A
    /// translation Cranelift rejects is reported on stderr here.
    pub fn compile_now(
        &self,
        compiler: &mut Compiler,
        source: &CodeSource,
    ) -> Result<Option<Arc<Translation>>, CompileError> {
        self.shared.compile(compiler, source)
    }

    /// Queues `source` for the background compiler (no-op without one, or
    /// if its entry is queued already). `runs`: how often its code has run
    /// so far. The compiler takes the request whose code has run most
    /// first, and drops one whose code is no longer seen running
    /// ([`CodeCache::status`] reports that it is).
    pub fn request(&self, source: CodeSource, runs: u32) {
        let Some(jobs) = &self.jobs else { return };
        let mut inner = lock(&self.shared.inner);
        if inner.queued.contains_key(&source.key()) {
            return;
        }
        inner.queued.insert(source.key(), Heat { runs, seen: Instant::now() });
        drop(inner);
        let _ = jobs.send(source);
    }

    /// Whether any translation so far was compiled for [`Mode::direct`].
    /// Its stores read the page's flags and then store, so a store can
    /// race with another hart flagging the page (to decode or compile its
    /// code) and go unseen: a multi-hart `fence.i` must then assume that
    /// some store did.
    pub fn has_direct_code(&self) -> bool {
        self.shared.direct_code.load(Ordering::Relaxed)
    }

    /// Compile requests not yet compiled.
    pub fn backlog(&self) -> usize {
        if self.jobs.is_none() {
            return 0;
        }
        lock(&self.shared.inner).queued.len()
    }

    /// Drops every translation of physical page `page` (its code changed).
    pub fn invalidate_page(&self, page: u64) {
        self.shared.invalidate_page(page);
    }

    /// A function doing [`CodeCache::invalidate_page`], for whoever writes
    /// guest RAM without being a vCPU (a device's DMA): it holds the cache's
    /// shared state, not the cache.
    pub fn page_invalidator(&self) -> impl Fn(u64) + Send + Sync + 'static {
        let shared = self.shared.clone();
        move |page| shared.invalidate_page(page)
    }

    /// Drops every translation (`fence.i` on a multi-hart VM, or capacity).
    pub fn flush(&self) {
        self.shared.flush(&mut lock(&self.shared.inner));
    }

    /// Writes a perf map (`/tmp/perf-<pid>.map`) naming translations with
    /// `symbolize`.
    pub fn enable_perf_map(&self, symbolize: Symbolizer) -> std::io::Result<std::path::PathBuf> {
        let path = std::path::PathBuf::from(format!("/tmp/perf-{}.map", std::process::id()));
        let file = std::fs::OpenOptions::new().create(true).append(true).open(&path)?;
        *lock(&self.shared.perf_map) = Some(PerfMap { file, symbolize });
        Ok(path)
    }

    /// Counters so far.
    pub fn stats(&self) -> CacheStats {
        let s = &self.shared;
        CacheStats {
            compiled: s.compiled.load(Ordering::Relaxed),
            compiled_insts: s.compiled_insts.load(Ordering::Relaxed),
            compile_time: Duration::from_nanos(s.compile_nanos.load(Ordering::Relaxed)),
            code_bytes: lock(&s.inner).code_bytes as u64,
            invalidated: s.invalidated.load(Ordering::Relaxed),
            flushes: s.flushes.load(Ordering::Relaxed),
            stale_requests: s.dropped.load(Ordering::Relaxed),
        }
    }
}

impl Drop for CodeCache {
    fn drop(&mut self) {
        // Queued work is of no use any more: stop at the current compile.
        self.shared.closing.store(true, Ordering::Relaxed);
        self.jobs = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

impl Shared {
    fn invalidate_page(&self, page: u64) {
        let mut inner = lock(&self.inner);
        *inner.page_epoch.entry(page).or_insert(0) += 1;
        for key in inner.by_page.remove(&page).unwrap_or_default() {
            if let Some(t) = inner.map.remove(&key) {
                t.valid_word().store(0, Ordering::Relaxed);
                self.invalidated.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Compiles `source` and installs the result (see
    /// [`CodeCache::compile_now`]).
    fn compile(&self, compiler: &mut Compiler, source: &CodeSource) -> Result<Option<Arc<Translation>>, CompileError> {
        let start = Instant::now();
        let compiled = source.compile(compiler).inspect_err(|e| {
            if let CompileError::Codegen(msg) = e {
                // A bug of ours, not the guest's: the interpreter runs the code instead.
                eprintln!("hartvm: internal error: Cranelift rejected the translation at {:#x}: {msg}", source.pa);
            }
        })?;
        self.account(&compiled, source.mode, start.elapsed());
        Ok(self.install(compiled, source))
    }

    fn account(&self, compiled: &Compiled, mode: Mode, took: Duration) {
        if mode.direct {
            self.direct_code.store(true, Ordering::Relaxed);
        }
        self.compiled.fetch_add(1, Ordering::Relaxed);
        self.compiled_insts.fetch_add(compiled.guest_insts as u64, Ordering::Relaxed);
        self.compile_nanos.fetch_add(took.as_nanos() as u64, Ordering::Relaxed);
    }

    fn flush(&self, inner: &mut Inner) {
        for t in inner.map.values() {
            t.valid_word().store(0, Ordering::Relaxed);
        }
        inner.map.clear();
        inner.by_page.clear();
        inner.code_bytes = 0;
        let id = inner.generation.id + 1;
        inner.generation = Generation::new(id);
        self.flushes.fetch_add(1, Ordering::Relaxed);
    }

    /// Places `compiled` in code memory and publishes it, unless its page
    /// changed since the copy it was compiled from.
    fn install(&self, compiled: Compiled, source: &CodeSource) -> Option<Arc<Translation>> {
        let &CodeSource { pa, va, mode, epoch, .. } = source;
        let mut inner = lock(&self.inner);
        let page = pa / PAGE as u64;
        inner.queued.remove(&source.key());
        if inner.page_epoch.get(&page).copied().unwrap_or(0) != epoch {
            return None;
        }
        if let Some(existing) = inner.map.get(&source.key()) {
            return Some(existing.clone());
        }
        if inner.code_bytes + compiled.code.len() > self.max_code_bytes {
            self.flush(&mut inner);
        }
        let generation = inner.generation.clone();
        let entry = {
            let mut regions = lock(&generation.regions);
            match regions.last_mut().and_then(|r| r.push(&compiled.code)) {
                Some(entry) => entry,
                None => {
                    let mut region = CodeRegion::new(REGION_SIZE.max(compiled.code.len())).ok()?;
                    let entry = region.push(&compiled.code)?;
                    regions.push(region);
                    entry
                }
            }
        };
        inner.code_bytes += compiled.code.len();
        let valid = compiled.cells.as_ptr();
        lock(&generation.data).push((compiled.cells, compiled.insts));
        let t = Arc::new(Translation { entry, pa, mode, guest_insts: compiled.guest_insts, generation, valid });
        inner.map.insert(source.key(), t.clone());
        inner.by_page.entry(page).or_default().push(source.key());
        drop(inner);
        self.write_perf_map(&t, va, compiled.code.len());
        Some(t)
    }

    /// Removes the waiting job whose code has run most, after dropping
    /// those whose code has not been seen running lately.
    fn take_hottest(&self, waiting: &mut Vec<CodeSource>) -> Option<CodeSource> {
        let mut inner = lock(&self.inner);
        let (job, dropped) = take_hottest(waiting, &mut inner.queued, Instant::now());
        self.dropped.fetch_add(dropped, Ordering::Relaxed);
        job
    }

    fn write_perf_map(&self, t: &Translation, va: u64, len: usize) {
        let mut guard = lock(&self.perf_map);
        let Some(map) = guard.as_mut() else { return };
        let name = (map.symbolize)(va).unwrap_or_else(|| "guest".into());
        let _ = writeln!(map.file, "{:x} {:x} {name} [pc {va:#x}]", t.entry, len);
    }
}

fn compile_loop(shared: Arc<Shared>, mut compiler: Compiler, jobs: Receiver<CodeSource>) {
    yield_to_vcpus();
    let mut waiting = Vec::new();
    loop {
        if waiting.is_empty() {
            match jobs.recv() {
                Ok(job) => waiting.push(job),
                Err(_) => break,
            }
        }
        waiting.extend(jobs.try_iter());
        if shared.closing.load(Ordering::Relaxed) {
            break;
        }
        if let Some(job) = shared.take_hottest(&mut waiting) {
            compile_job(&shared, &mut compiler, job);
        }
    }
}

/// [`Shared::take_hottest`] on the waiting jobs and the requests' heat;
/// also returns how many jobs it dropped as stale.
fn take_hottest(
    waiting: &mut Vec<CodeSource>,
    queued: &mut HashMap<(u64, u8), Heat>,
    now: Instant,
) -> (Option<CodeSource>, u64) {
    let before = waiting.len();
    waiting.retain(|job| {
        let fresh = queued.get(&job.key()).is_some_and(|heat| now.duration_since(heat.seen) <= STALE_AFTER);
        if !fresh {
            queued.remove(&job.key());
        }
        fresh
    });
    let dropped = (before - waiting.len()) as u64;
    let runs = |job: &CodeSource| queued.get(&job.key()).map_or(0, |heat| heat.runs);
    let hottest = (0..waiting.len()).max_by_key(|&i| runs(&waiting[i]));
    (hottest.map(|i| waiting.swap_remove(i)), dropped)
}

fn compile_job(shared: &Shared, compiler: &mut Compiler, job: CodeSource) {
    if shared.compile(compiler, &job).is_err() {
        let mut inner = lock(&shared.inner);
        inner.queued.remove(&job.key());
        inner.refused.insert(job.key());
    }
}

/// Lowers the calling (compiler) thread's scheduling priority. vCPUs never
/// wait for compiled code, so when they fill the host's cores (a guest
/// with as many harts as there are cores) the compiler should only use the
/// time they leave; with a core to spare it runs at full speed anyway.
fn yield_to_vcpus() {
    // Nice 10: well below the vCPU threads, above idle.
    const NICE: libc::c_int = 10;
    // SAFETY: gettid has no preconditions; setpriority with PRIO_PROCESS
    // and a thread id changes only that thread's nice value, and a failure
    // (e.g. not permitted) leaves the priority as it was.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, NICE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(pa: u64) -> CodeSource {
        let mode = Mode { tlb_level: 1, direct: false, fp: false, fp_nearest: false, cross_page: false };
        CodeSource { page: Box::new([]), pa, va: pa, mode, epoch: 0, targets: JumpTargets::NONE }
    }

    #[test]
    fn the_hottest_fresh_request_is_compiled_first() {
        let now = Instant::now();
        let long_ago = now - STALE_AFTER * 2;
        let mut waiting: Vec<CodeSource> = [0x1000, 0x2000, 0x3000, 0x4000].into_iter().map(job).collect();
        let mut queued = HashMap::new();
        for (pa, runs, seen) in [(0x1000, 16, now), (0x2000, 5000, now), (0x3000, 40, now), (0x4000, 90_000, long_ago)]
        {
            queued.insert(job(pa).key(), Heat { runs, seen });
        }
        // 0x4000 ran most but has not been seen lately: dropped, not taken.
        let (first, dropped) = take_hottest(&mut waiting, &mut queued, now);
        assert_eq!(first.map(|j| j.pa), Some(0x2000));
        assert_eq!(dropped, 1);
        assert!(!queued.contains_key(&job(0x4000).key()));
        let (second, _) = take_hottest(&mut waiting, &mut queued, now);
        assert_eq!(second.map(|j| j.pa), Some(0x3000));
        let (third, _) = take_hottest(&mut waiting, &mut queued, now);
        assert_eq!(third.map(|j| j.pa), Some(0x1000));
        assert!(take_hottest(&mut waiting, &mut queued, now).0.is_none());
    }

    #[test]
    fn a_request_seen_running_recently_stays_however_long_it_waited() {
        let now = Instant::now();
        let mut waiting = vec![job(0x5000)];
        let mut queued = HashMap::from([(job(0x5000).key(), Heat { runs: 16, seen: now - STALE_AFTER / 2 })]);
        let (taken, dropped) = take_hottest(&mut waiting, &mut queued, now);
        assert_eq!((taken.map(|j| j.pa), dropped), (Some(0x5000), 0));
    }
}
