//! Decoded basic blocks cached by guest physical address, with a per-hart
//! jump cache in front keyed by virtual pc.

use std::collections::HashMap;

use hartvm_frontend::{decode, Inst};

use crate::memory::{GuestMemory, PAGE_SIZE};

/// Longest block, in instructions.
pub(crate) const MAX_BLOCK_INSTS: usize = 64;

/// A straight-line run of decoded instructions from one page.
pub(crate) struct Block {
    pub(crate) pa: u64,
    pub(crate) insts: Box<[Inst]>,
    /// Hotness and the translation of the code starting here.
    pub(crate) jit: crate::jit::BlockJit,
}

/// A block found in the jump cache (see [`BlockCache::hit_insts`]).
#[derive(Clone, Copy)]
pub(crate) struct JumpHit {
    insts: *const Inst,
    len: usize,
    generation: u64,
    /// The block's index in the cache.
    pub(crate) index: u32,
}

/// A jump-cache entry: the instructions of the block for `pc` under `key`.
#[derive(Clone, Copy)]
struct JumpEntry {
    pc: u64,
    key: u64,
    insts: *const Inst,
    len: u32,
    index: u32,
}

const JUMP_CACHE_SIZE: usize = 16384;

/// The block store and the jump cache of one hart.
pub(crate) struct BlockCache {
    blocks: Vec<Option<Block>>,
    free: Vec<u32>,
    by_pa: HashMap<u64, u32>,
    by_page: HashMap<u64, Vec<u32>>,
    jump: Box<[JumpEntry]>,
    /// Bumped whenever a block is dropped; part of every jump-cache key, so
    /// an entry never outlives the block it points to.
    generation: u64,
    /// The VM code epoch this cache is consistent with.
    pub(crate) seen_epoch: u64,
}

// SAFETY: the raw pointers in the jump cache point into blocks this cache
// owns (heap slices that never move), so moving the cache to another thread
// moves what they point to along with it.
unsafe impl Send for BlockCache {}
// SAFETY: no interior mutability: through `&BlockCache` the pointed-to
// blocks are only read, exactly as through `&Vec<Block>`.
unsafe impl Sync for BlockCache {}

impl BlockCache {
    pub(crate) fn new(seen_epoch: u64) -> BlockCache {
        BlockCache {
            blocks: Vec::new(),
            free: Vec::new(),
            by_pa: HashMap::new(),
            by_page: HashMap::new(),
            jump: vec![
                JumpEntry { pc: u64::MAX, key: u64::MAX, insts: std::ptr::null(), len: 0, index: 0 };
                JUMP_CACHE_SIZE
            ]
            .into_boxed_slice(),
            generation: 0,
            seen_epoch,
        }
    }

    /// The jump-cache key for a hart whose fetch translation is at
    /// `fetch_epoch` and `privilege`: it changes whenever either changes or
    /// this cache drops a block (both counters only grow).
    #[inline(always)]
    pub(crate) fn jump_key(&self, fetch_epoch: u64, privilege: u8) -> u64 {
        ((fetch_epoch + self.generation) << 2) | privilege as u64
    }

    /// Whether the jump cache has the block for virtual `pc` under `key`
    /// (from [`BlockCache::jump_key`]); [`BlockCache::hit_insts`] gives its
    /// instructions. (Two steps, so a miss can go on to mutate the cache.)
    #[inline(always)]
    pub(crate) fn jump_lookup(&self, pc: u64, key: u64) -> Option<JumpHit> {
        let e = &self.jump[((pc >> 1) as usize) & (JUMP_CACHE_SIZE - 1)];
        (e.pc == pc && e.key == key).then_some(JumpHit {
            insts: e.insts,
            len: e.len as usize,
            generation: self.generation,
            index: e.index,
        })
    }

    /// The instructions of a block found by [`BlockCache::jump_lookup`].
    #[inline(always)]
    pub(crate) fn hit_insts(&self, hit: JumpHit) -> &[Inst] {
        assert_eq!(hit.generation, self.generation, "stale jump-cache hit");
        // SAFETY: the hit was made under the current generation, so its
        // block has not been dropped (dropping bumps the generation), and a
        // block's instructions are a boxed slice that never moves. The
        // slice borrows `self`, so no block can be dropped while it lives.
        unsafe { std::slice::from_raw_parts(hit.insts, hit.len) }
    }

    pub(crate) fn jump_insert(&mut self, pc: u64, key: u64, index: u32) {
        let insts = &self.get(index).insts;
        let entry = JumpEntry { pc, key, insts: insts.as_ptr(), len: insts.len() as u32, index };
        self.jump[((pc >> 1) as usize) & (JUMP_CACHE_SIZE - 1)] = entry;
    }

    #[inline(always)]
    pub(crate) fn get(&self, index: u32) -> &Block {
        self.blocks[index as usize].as_ref().expect("live block index")
    }

    #[inline(always)]
    pub(crate) fn get_mut(&mut self, index: u32) -> &mut Block {
        self.blocks[index as usize].as_mut().expect("live block index")
    }

    /// The block starting at physical `pa`, decoding it if needed.
    /// Returns `None` when the first instruction crosses the page end.
    pub(crate) fn lookup_or_build(&mut self, mem: &GuestMemory, pa: u64) -> Option<(u32, bool)> {
        if let Some(&i) = self.by_pa.get(&pa) {
            return Some((i, false));
        }
        let block = build(mem, pa)?;
        let index = match self.free.pop() {
            Some(i) => {
                self.blocks[i as usize] = Some(block);
                i
            }
            None => {
                self.blocks.push(Some(block));
                (self.blocks.len() - 1) as u32
            }
        };
        self.by_pa.insert(pa, index);
        self.by_page.entry(pa / PAGE_SIZE).or_default().push(index);
        mem.mark_code(pa);
        Some((index, true))
    }

    /// Drops every block decoded from physical page `page` (a page number).
    pub(crate) fn invalidate_page(&mut self, page: u64) {
        self.generation += 1;
        for index in self.by_page.remove(&page).unwrap_or_default() {
            if let Some(b) = self.blocks[index as usize].take() {
                self.by_pa.remove(&b.pa);
                self.free.push(index);
            }
        }
    }

    /// Drops every block.
    pub(crate) fn clear(&mut self) {
        self.generation += 1;
        self.blocks.clear();
        self.free.clear();
        self.by_pa.clear();
        self.by_page.clear();
    }
}

/// Decodes the block at `pa` (in RAM): up to a jump or system instruction,
/// the page end, or [`MAX_BLOCK_INSTS`]. Conditional branches do not end a
/// block: a taken branch leaves it early, a branch not taken falls through,
/// which makes blocks longer and lookups rarer.
fn build(mem: &GuestMemory, pa: u64) -> Option<Block> {
    let page_end = (pa | (PAGE_SIZE - 1)) + 1;
    let mut insts = Vec::with_capacity(16);
    let mut at = pa;
    while insts.len() < MAX_BLOCK_INSTS && at + 2 <= page_end {
        let mut half = [0u8; 2];
        mem.read(at, &mut half);
        let low = u16::from_le_bytes(half) as u32;
        let raw = if low & 3 == 3 {
            if at + 4 > page_end {
                break;
            }
            let mut high = [0u8; 2];
            mem.read(at + 2, &mut high);
            low | (u16::from_le_bytes(high) as u32) << 16
        } else {
            low
        };
        let inst = normalize(decode(raw));
        at += inst.len as u64;
        insts.push(inst);
        if inst.ends_block() && !inst.op.is_conditional_branch() {
            break;
        }
    }
    if insts.is_empty() {
        return None;
    }
    Some(Block { pa, insts: insts.into_boxed_slice(), jit: Default::default() })
}

/// Establishes what the interpreter relies on to index registers without
/// bounds checks: every register field is below 32. The decoder extracts
/// 5-bit fields, so this changes nothing for decoded instructions.
pub(crate) fn normalize(mut inst: Inst) -> Inst {
    inst.rd &= 31;
    inst.rs1 &= 31;
    inst.rs2 &= 31;
    inst.rs3 &= 31;
    inst
}
