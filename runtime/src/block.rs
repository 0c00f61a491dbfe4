//! Decoded basic blocks cached by guest physical address, with a per-hart
//! jump cache in front keyed by virtual pc.

use std::collections::HashMap;

use hartvm_frontend::{decode, Inst, Op};

use crate::memory::{GuestMemory, PAGE_SIZE};

/// Longest block, in instructions.
pub(crate) const MAX_BLOCK_INSTS: usize = 64;

/// A straight-line run of decoded instructions from one page.
pub(crate) struct Block {
    pub(crate) pa: u64,
    pub(crate) insts: Box<[Inst]>,
}

#[derive(Clone, Copy)]
struct JumpEntry {
    pc: u64,
    key: u64,
    index: u32,
}

const JUMP_CACHE_SIZE: usize = 4096;

/// The block store and the jump cache of one hart.
pub(crate) struct BlockCache {
    blocks: Vec<Option<Block>>,
    free: Vec<u32>,
    by_pa: HashMap<u64, u32>,
    by_page: HashMap<u64, Vec<u32>>,
    jump: Box<[JumpEntry]>,
    /// The VM code epoch this cache is consistent with.
    pub(crate) seen_epoch: u64,
}

impl BlockCache {
    pub(crate) fn new(seen_epoch: u64) -> BlockCache {
        BlockCache {
            blocks: Vec::new(),
            free: Vec::new(),
            by_pa: HashMap::new(),
            by_page: HashMap::new(),
            jump: vec![JumpEntry { pc: u64::MAX, key: u64::MAX, index: 0 }; JUMP_CACHE_SIZE].into_boxed_slice(),
            seen_epoch,
        }
    }

    /// The block for virtual `pc` if the jump cache has it under `key`.
    #[inline(always)]
    pub(crate) fn jump_lookup(&self, pc: u64, key: u64) -> Option<u32> {
        let e = &self.jump[((pc >> 1) as usize) & (JUMP_CACHE_SIZE - 1)];
        (e.pc == pc && e.key == key).then_some(e.index)
    }

    pub(crate) fn jump_insert(&mut self, pc: u64, key: u64, index: u32) {
        self.jump[((pc >> 1) as usize) & (JUMP_CACHE_SIZE - 1)] = JumpEntry { pc, key, index };
    }

    #[inline(always)]
    pub(crate) fn get(&self, index: u32) -> &Block {
        self.blocks[index as usize].as_ref().expect("live block index")
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
        for index in self.by_page.remove(&page).unwrap_or_default() {
            if let Some(b) = self.blocks[index as usize].take() {
                self.by_pa.remove(&b.pa);
                self.free.push(index);
            }
        }
    }

    /// Drops every block.
    pub(crate) fn clear(&mut self) {
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
        let inst = decode(raw);
        at += inst.len as u64;
        insts.push(inst);
        if inst.ends_block() && !is_conditional_branch(inst.op) {
            break;
        }
    }
    if insts.is_empty() {
        return None;
    }
    Some(Block { pa, insts: insts.into_boxed_slice() })
}

fn is_conditional_branch(op: Op) -> bool {
    matches!(op, Op::Beq | Op::Bne | Op::Blt | Op::Bge | Op::Bltu | Op::Bgeu)
}
