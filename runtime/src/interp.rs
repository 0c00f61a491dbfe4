//! Tier 0: the reference interpreter over cached decoded blocks.

use std::sync::atomic::Ordering;

use hartvm_frontend::{decode, Inst, Op};

use crate::block::{BlockCache, JumpHit};
use crate::hart::{cause, irq, Privilege};
use crate::jit::JitRun;
use crate::memory::{page_flag, GuestMemory};
use crate::mmu::{Access, Exception};
use crate::pmp::access::{READ, WRITE};
use crate::vcpu::{Core, PendingLoad};

/// Why the run loop stopped (the public `VcpuExit` borrows its data from `Core`).
pub(crate) enum Exit {
    MmioRead,
    MmioWrite,
    Watch,
    Intr,
    InstructionLimit,
    /// The difftest engine saw the JIT and the interpreter disagree.
    Divergence,
    /// An SBI call for the VMM (`Core::forwarded`).
    Sbi,
    /// A system event for the VMM (`Core::system_event`).
    SystemEvent,
    /// The vCPU was powered off: `run()` sleeps until it is powered on.
    Parked,
}

/// What one instruction did to control flow.
pub(crate) enum Flow {
    /// Fall through to the next instruction.
    Next,
    /// Continue at this pc; the block ends.
    Jump(u64),
    /// The instruction raised an exception and did not retire.
    Trap(Exception),
    /// The instruction needs the VMM or a state change at a boundary.
    Stop(Stop),
}

pub(crate) enum Stop {
    /// A device load; `Core::pending_load` says where the data goes.
    MmioRead,
    /// A device store (completed as far as the hart is concerned).
    MmioWrite,
    /// A store to the watched word.
    Watch,
    /// WFI retired: sleep until an interrupt is pending.
    Wfi,
    /// An `ecall` from S-mode to the hypervisor's SBI.
    Sbi,
}

/// Blocks between polls of the timer and of the instruction limit.
const POLL_INTERVAL: u32 = 256;

pub(crate) fn run(core: &mut Core, cache: &mut BlockCache) -> Exit {
    let mut executed = 0u64;
    let exit = run_blocks(core, cache, &mut executed);
    core.stats.blocks_executed += executed;
    exit
}

/// The dispatch loop; `executed` counts blocks in a register, not in memory.
fn run_blocks(core: &mut Core, cache: &mut BlockCache, executed: &mut u64) -> Exit {
    let mut countdown = 0u32;
    loop {
        if let Some(exit) = dispatch(core, cache, executed, &mut countdown) {
            return exit;
        }
    }
}

/// One turn of the dispatch loop: a boundary when due, then one block
/// (translated or interpreted).
#[inline(always)]
pub(crate) fn dispatch(
    core: &mut Core,
    cache: &mut BlockCache,
    executed: &mut u64,
    countdown: &mut u32,
) -> Option<Exit> {
    if *countdown == 0 || core.check_interrupts || core.lines.attention.load(Ordering::Relaxed) {
        if let Some(exit) = core.boundary(cache) {
            return Some(exit);
        }
        *countdown = POLL_INTERVAL;
    }
    *countdown -= 1;
    // Before the next lookup: the last block may have overwritten code.
    if core.after_block {
        if let Some(exit) = core.finish_block(cache) {
            return Some(exit);
        }
    }
    let hit = match core.find_block(cache) {
        Ok(hit) => hit,
        Err(BlockMiss::Exception(e)) => {
            core.raise(e);
            return None;
        }
        Err(BlockMiss::Straddle(inst)) => return core.exec_single(crate::block::normalize(inst)),
    };
    if core.jit.is_some() {
        match core.try_jit(cache, hit.index, countdown) {
            JitRun::Interpret => {}
            JitRun::Ran => return None,
            JitRun::Exit(exit) => return Some(exit),
        }
    }
    *executed += 1;
    let insts = cache.hit_insts(hit);
    core.exec_block(insts, countdown)
}

pub(crate) enum BlockMiss {
    Exception(Exception),
    /// A 4-byte instruction crossing a page: executed alone, never cached.
    Straddle(Inst),
}

impl Core {
    /// Work done between blocks: kicks, stale code, limits, interrupts.
    #[inline(never)]
    fn boundary(&mut self, cache: &mut BlockCache) -> Option<Exit> {
        self.sync_tlb_flags();
        let lines = &self.lines;
        lines.attention.store(false, Ordering::Relaxed);
        if lines.kick.swap(false, Ordering::AcqRel) {
            return Some(Exit::Intr);
        }
        let epoch = self.shared.mem.code_epoch();
        if epoch != cache.seen_epoch || std::mem::take(&mut self.fence_i_pending) {
            cache.clear();
            cache.seen_epoch = epoch;
            self.fetch_epoch += 1;
        }
        if self.stats.instructions + self.stats.traps >= self.insn_limit {
            return Some(Exit::InstructionLimit);
        }
        // `stopped` before `requests`: a hart powered on again sees the
        // reset that was queued before it was (see `HartLines::set_power`).
        if lines.stopped.load(Ordering::Acquire) {
            return Some(Exit::Parked);
        }
        if lines.requests.pending() {
            self.serve_requests();
        }
        self.check_interrupts = false;
        self.take_pending_interrupt();
        self.data_privilege = self.hart.data_privilege();
        self.jump_key = cache.jump_key(self.fetch_epoch, self.hart.privilege as u8);
        None
    }

    /// The block for the current pc, via the jump cache or a translation.
    #[inline(always)]
    fn find_block(&mut self, cache: &mut BlockCache) -> Result<JumpHit, BlockMiss> {
        let pc = self.hart.pc;
        debug_assert_eq!(self.jump_key, cache.jump_key(self.fetch_epoch, self.hart.privilege as u8));
        let hit = match cache.jump_lookup(pc, self.jump_key) {
            Some(hit) => hit,
            None => self.find_block_slow(cache, pc)?,
        };
        Ok(hit)
    }

    #[inline(never)]
    fn find_block_slow(&mut self, cache: &mut BlockCache, pc: u64) -> Result<JumpHit, BlockMiss> {
        self.stats.jump_cache_misses += 1;
        let pa = self.fetch_translate(pc)?;
        let (index, fresh) = match cache.lookup_or_build(&self.shared.mem, pa) {
            Some(found) => found,
            None => return Err(BlockMiss::Straddle(self.fetch_straddling(pc, pa)?)),
        };
        if fresh {
            // Decoding flagged the page: stores to it must take the slow path.
            self.sync_tlb_flags();
            self.stats.blocks_decoded += 1;
            self.stats.instructions_decoded += cache.get(index).insts.len() as u64;
        }
        cache.jump_insert(pc, self.jump_key, index);
        Ok(cache.jump_lookup(pc, self.jump_key).expect("the entry just inserted"))
    }

    #[inline(never)]
    fn fetch_translate(&mut self, va: u64) -> Result<u64, BlockMiss> {
        let pa = self.hart.translate(&self.shared.mem, va, 2, Access::Fetch).map_err(BlockMiss::Exception)?;
        if !self.shared.mem.contains(pa, 2) {
            return Err(BlockMiss::Exception(Exception { cause: cause::FETCH_ACCESS, tval: va }));
        }
        Ok(pa)
    }

    /// Fetches and decodes the one instruction at `pc`, which may cross a
    /// page (for side exits of translated code and the difftest shadow).
    pub(crate) fn fetch_single(&mut self, pc: u64) -> Result<Inst, Exception> {
        let fetched = self.fetch_translate(pc).and_then(|pa| {
            let mut low = [0u8; 2];
            self.shared.mem.read(pa, &mut low);
            if low[0] & 3 != 3 {
                return Ok(decode(u16::from_le_bytes(low) as u32));
            }
            if (pa + 2) % crate::memory::PAGE_SIZE == 0 {
                return self.fetch_straddling(pc, pa);
            }
            let mut word = [0u8; 4];
            self.shared.mem.read(pa, &mut word);
            Ok(decode(u32::from_le_bytes(word)))
        });
        fetched.map_err(|miss| match miss {
            BlockMiss::Exception(e) => e,
            BlockMiss::Straddle(_) => unreachable!("fetches only fail with exceptions"),
        })
    }

    fn fetch_straddling(&mut self, pc: u64, pa: u64) -> Result<Inst, BlockMiss> {
        let second = self.fetch_translate(pc.wrapping_add(2))?;
        let mut low = [0u8; 2];
        let mut high = [0u8; 2];
        self.shared.mem.read(pa, &mut low);
        self.shared.mem.read(second, &mut high);
        Ok(decode(u16::from_le_bytes(low) as u32 | (u16::from_le_bytes(high) as u32) << 16))
    }

    /// Work a block's stores left for its end: dropping code they
    /// overwrote, and a watched word they wrote in parts.
    #[inline(never)]
    pub(crate) fn finish_block(&mut self, cache: &mut BlockCache) -> Option<Exit> {
        self.after_block = false;
        if !self.dirty_code_pages.is_empty() {
            self.invalidate_dirty_pages(cache);
        }
        if std::mem::take(&mut self.watch_partial) {
            let addr = self.shared.watch.load(Ordering::Relaxed);
            let mut word = [0u8; 8];
            self.shared.mem.read(addr, &mut word);
            self.watch_value = u64::from_le_bytes(word);
            if self.watch_value != 0 {
                self.mmio_addr = addr;
                return Some(Exit::Watch);
            }
        }
        None
    }

    fn invalidate_dirty_pages(&mut self, cache: &mut BlockCache) {
        for page in std::mem::take(&mut self.dirty_code_pages) {
            cache.invalidate_page(page);
            self.jit_invalidate_page(page);
            let before = self.shared.mem.bump_code_epoch();
            if before == cache.seen_epoch {
                cache.seen_epoch = before + 1;
            }
        }
        self.fetch_epoch += 1;
        self.jump_key = cache.jump_key(self.fetch_epoch, self.hart.privilege as u8);
    }

    /// Counts `n` retired instructions (`minstret`/`mcycle` follow lazily).
    #[inline(always)]
    pub(crate) fn retire(&mut self, n: u64) {
        self.stats.instructions += n;
    }

    /// Runs an instruction that is in no block (it crosses a page).
    #[inline(never)]
    pub(crate) fn exec_single(&mut self, inst: Inst) -> Option<Exit> {
        self.exec_block(&[inst], &mut 0)
    }

    /// Runs one block; `None` to go on with the next block.
    ///
    /// A block that jumps back to its own start (a hot loop) runs again in
    /// place while `budget` (the blocks left before the next poll) allows:
    /// the same pc maps to the same block as long as nothing forced a
    /// boundary (privilege, translation and CSR changes all set
    /// `check_interrupts`; stores to code set `after_block`).
    #[inline(always)]
    fn exec_block(&mut self, insts: &[Inst], budget: &mut u32) -> Option<Exit> {
        let start = self.hart.pc;
        let mut pc = start;
        // The position of an instruction is derived from its address only
        // on the rare paths that need it, not counted in the hot loop.
        let base = insts.as_ptr() as usize;
        let mut iter = insts.iter();
        while let Some(inst) = iter.next() {
            match self.step(inst, pc, base) {
                Flow::Next => pc = pc.wrapping_add(inst.len as u64),
                Flow::Jump(target) => {
                    self.retire(index_of(inst, base) as u64 + 1);
                    if target == start && *budget > 1 && !self.check_interrupts && !self.after_block {
                        *budget -= 1;
                        self.stats.blocks_executed += 1;
                        pc = start;
                        iter = insts.iter();
                        continue;
                    }
                    self.hart.pc = target;
                    return None;
                }
                Flow::Trap(e) => {
                    self.hart.pc = pc;
                    self.retire(index_of(inst, base) as u64);
                    self.raise(e);
                    return None;
                }
                Flow::Stop(stop) => return self.stop(stop, pc, index_of(inst, base), inst),
            }
        }
        self.hart.pc = pc;
        self.retire(insts.len() as u64);
        None
    }

    #[inline(never)]
    fn stop(&mut self, stop: Stop, pc: u64, index: usize, inst: &Inst) -> Option<Exit> {
        let next = pc.wrapping_add(inst.len as u64);
        match stop {
            Stop::MmioRead => {
                self.hart.pc = pc;
                self.retire(index as u64);
                Some(Exit::MmioRead)
            }
            Stop::MmioWrite | Stop::Watch => {
                self.hart.pc = next;
                self.retire(index as u64 + 1);
                Some(if matches!(stop, Stop::Watch) { Exit::Watch } else { Exit::MmioWrite })
            }
            Stop::Wfi => {
                self.hart.pc = next;
                self.retire(index as u64 + 1);
                self.wait_for_interrupt();
                None
            }
            Stop::Sbi => {
                self.hart.pc = pc;
                self.retire(index as u64);
                self.sbi_call()
            }
        }
    }

    /// Completes a device load after the VMM filled `mmio_buf`.
    pub(crate) fn finish_pending_load(&mut self) {
        let Some(p) = self.pending_load.take() else { return };
        let mut raw = [0u8; 8];
        raw[..p.size as usize].copy_from_slice(&self.mmio_buf[..p.size as usize]);
        let v = extend(u64::from_le_bytes(raw), p.size as usize, p.signed);
        if p.float {
            self.hart.f[p.rd as usize] = if p.size == 4 { v | 0xffff_ffff_0000_0000 } else { v };
            self.hart.set_fs_dirty();
        } else if p.rd != 0 {
            self.hart.x[p.rd as usize] = v;
        }
        self.hart.pc = self.hart.pc.wrapping_add(p.len as u64);
        self.retire(1);
    }

    /// Executes one instruction at `pc`; `base` is the address of the
    /// first instruction of its block (see [`index_of`]).
    #[inline(always)]
    pub(crate) fn step(&mut self, i: &Inst, pc: u64, base: usize) -> Flow {
        // Operands are read inside the arms that use them, so no
        // instruction pays for loads it does not need.
        macro_rules! rs1 {
            () => {
                reg(&self.hart.x, i.rs1)
            };
        }
        macro_rules! rs2 {
            () => {
                reg(&self.hart.x, i.rs2)
            };
        }
        macro_rules! imm {
            () => {
                i.imm as i64 as u64
            };
        }
        let v: u64 = match i.op {
            Op::Lui => imm!(),
            Op::Auipc => pc.wrapping_add(imm!()),
            Op::Addi => rs1!().wrapping_add(imm!()),
            Op::Slti => ((rs1!() as i64) < (imm!() as i64)) as u64,
            Op::Sltiu => (rs1!() < imm!()) as u64,
            Op::Xori => rs1!() ^ imm!(),
            Op::Ori => rs1!() | imm!(),
            Op::Andi => rs1!() & imm!(),
            Op::Slli => rs1!() << (imm!() & 63),
            Op::Srli => rs1!() >> (imm!() & 63),
            Op::Srai => ((rs1!() as i64) >> (imm!() & 63)) as u64,
            Op::Add => rs1!().wrapping_add(rs2!()),
            Op::Sub => rs1!().wrapping_sub(rs2!()),
            Op::Sll => rs1!() << (rs2!() & 63),
            Op::Slt => ((rs1!() as i64) < (rs2!() as i64)) as u64,
            Op::Sltu => (rs1!() < rs2!()) as u64,
            Op::Xor => rs1!() ^ rs2!(),
            Op::Srl => rs1!() >> (rs2!() & 63),
            Op::Sra => ((rs1!() as i64) >> (rs2!() & 63)) as u64,
            Op::Or => rs1!() | rs2!(),
            Op::And => rs1!() & rs2!(),
            Op::Addiw => sext32(rs1!().wrapping_add(imm!())),
            Op::Slliw => sext32(rs1!() << (imm!() & 31)),
            Op::Srliw => sext32((rs1!() as u32 >> (imm!() & 31)) as u64),
            Op::Sraiw => ((rs1!() as i32) >> (imm!() & 31)) as i64 as u64,
            Op::Addw => sext32(rs1!().wrapping_add(rs2!())),
            Op::Subw => sext32(rs1!().wrapping_sub(rs2!())),
            Op::Sllw => sext32(rs1!() << (rs2!() & 31)),
            Op::Srlw => sext32((rs1!() as u32 >> (rs2!() & 31)) as u64),
            Op::Sraw => ((rs1!() as i32) >> (rs2!() & 31)) as i64 as u64,
            Op::Jal => {
                set(&mut self.hart.x, i.rd, pc.wrapping_add(i.len as u64));
                return Flow::Jump(pc.wrapping_add(imm!()));
            }
            Op::Jalr => {
                // The target is read before the link is written (rd may be rs1).
                let target = rs1!().wrapping_add(imm!()) & !1;
                set(&mut self.hart.x, i.rd, pc.wrapping_add(i.len as u64));
                self.record_jump(i, pc, target);
                return Flow::Jump(target);
            }
            Op::Beq => return branch(rs1!() == rs2!(), pc, imm!()),
            Op::Bne => return branch(rs1!() != rs2!(), pc, imm!()),
            Op::Blt => return branch((rs1!() as i64) < (rs2!() as i64), pc, imm!()),
            Op::Bge => return branch((rs1!() as i64) >= (rs2!() as i64), pc, imm!()),
            Op::Bltu => return branch(rs1!() < rs2!(), pc, imm!()),
            Op::Bgeu => return branch(rs1!() >= rs2!(), pc, imm!()),
            Op::Lb => return self.load_int(i, rs1!().wrapping_add(imm!()), 1, true),
            Op::Lh => return self.load_int(i, rs1!().wrapping_add(imm!()), 2, true),
            Op::Lw => return self.load_int(i, rs1!().wrapping_add(imm!()), 4, true),
            Op::Ld => return self.load_int(i, rs1!().wrapping_add(imm!()), 8, true),
            Op::Lbu => return self.load_int(i, rs1!().wrapping_add(imm!()), 1, false),
            Op::Lhu => return self.load_int(i, rs1!().wrapping_add(imm!()), 2, false),
            Op::Lwu => return self.load_int(i, rs1!().wrapping_add(imm!()), 4, false),
            Op::Sb => return self.store(rs1!().wrapping_add(imm!()), 1, rs2!()),
            Op::Sh => return self.store(rs1!().wrapping_add(imm!()), 2, rs2!()),
            Op::Sw => return self.store(rs1!().wrapping_add(imm!()), 4, rs2!()),
            Op::Sd => return self.store(rs1!().wrapping_add(imm!()), 8, rs2!()),
            Op::Mul => rs1!().wrapping_mul(rs2!()),
            Op::Mulh => ((rs1!() as i64 as i128 * rs2!() as i64 as i128) >> 64) as u64,
            Op::Mulhsu => ((rs1!() as i64 as i128 * rs2!() as i128) >> 64) as u64,
            Op::Mulhu => ((rs1!() as u128 * rs2!() as u128) >> 64) as u64,
            Op::Div => div(rs1!() as i64, rs2!() as i64) as u64,
            Op::Divu => rs1!().checked_div(rs2!()).unwrap_or(u64::MAX),
            Op::Rem => rem(rs1!() as i64, rs2!() as i64) as u64,
            Op::Remu => {
                if rs2!() == 0 {
                    rs1!()
                } else {
                    rs1!() % rs2!()
                }
            }
            Op::Mulw => sext32(rs1!().wrapping_mul(rs2!())),
            Op::Divw => div(rs1!() as i32 as i64, rs2!() as i32 as i64) as i32 as i64 as u64,
            Op::Divuw => sext32((rs1!() as u32).checked_div(rs2!() as u32).unwrap_or(u32::MAX) as u64),
            Op::Remw => rem(rs1!() as i32 as i64, rs2!() as i32 as i64) as i32 as i64 as u64,
            Op::Remuw => sext32(if rs2!() as u32 == 0 { rs1!() as u32 } else { rs1!() as u32 % rs2!() as u32 } as u64),
            Op::AddUw => (rs1!() as u32 as u64).wrapping_add(rs2!()),
            Op::Sh1add => (rs1!() << 1).wrapping_add(rs2!()),
            Op::Sh2add => (rs1!() << 2).wrapping_add(rs2!()),
            Op::Sh3add => (rs1!() << 3).wrapping_add(rs2!()),
            Op::Sh1addUw => ((rs1!() as u32 as u64) << 1).wrapping_add(rs2!()),
            Op::Sh2addUw => ((rs1!() as u32 as u64) << 2).wrapping_add(rs2!()),
            Op::Sh3addUw => ((rs1!() as u32 as u64) << 3).wrapping_add(rs2!()),
            Op::SlliUw => (rs1!() as u32 as u64) << (imm!() & 63),
            Op::Andn => rs1!() & !rs2!(),
            Op::Orn => rs1!() | !rs2!(),
            Op::Xnor => !(rs1!() ^ rs2!()),
            Op::Clz => rs1!().leading_zeros() as u64,
            Op::Clzw => (rs1!() as u32).leading_zeros() as u64,
            Op::Ctz => rs1!().trailing_zeros() as u64,
            Op::Ctzw => (rs1!() as u32).trailing_zeros() as u64,
            Op::Cpop => rs1!().count_ones() as u64,
            Op::Cpopw => (rs1!() as u32).count_ones() as u64,
            Op::Max => (rs1!() as i64).max(rs2!() as i64) as u64,
            Op::Maxu => rs1!().max(rs2!()),
            Op::Min => (rs1!() as i64).min(rs2!() as i64) as u64,
            Op::Minu => rs1!().min(rs2!()),
            Op::SextB => rs1!() as i8 as i64 as u64,
            Op::SextH => rs1!() as i16 as i64 as u64,
            Op::ZextH => rs1!() as u16 as u64,
            Op::Rol => rs1!().rotate_left((rs2!() & 63) as u32),
            Op::Rolw => sext32((rs1!() as u32).rotate_left((rs2!() & 31) as u32) as u64),
            Op::Ror => rs1!().rotate_right((rs2!() & 63) as u32),
            Op::Rori => rs1!().rotate_right((imm!() & 63) as u32),
            Op::Roriw => sext32((rs1!() as u32).rotate_right((imm!() & 31) as u32) as u64),
            Op::Rorw => sext32((rs1!() as u32).rotate_right((rs2!() & 31) as u32) as u64),
            Op::OrcB => orc_b(rs1!()),
            Op::Rev8 => rs1!().swap_bytes(),
            Op::Bclr => rs1!() & !(1 << (rs2!() & 63)),
            Op::Bclri => rs1!() & !(1 << (imm!() & 63)),
            Op::Bext => (rs1!() >> (rs2!() & 63)) & 1,
            Op::Bexti => (rs1!() >> (imm!() & 63)) & 1,
            Op::Binv => rs1!() ^ (1 << (rs2!() & 63)),
            Op::Binvi => rs1!() ^ (1 << (imm!() & 63)),
            Op::Bset => rs1!() | (1 << (rs2!() & 63)),
            Op::Bseti => rs1!() | (1 << (imm!() & 63)),
            Op::CzeroEqz => {
                if rs2!() == 0 {
                    0
                } else {
                    rs1!()
                }
            }
            Op::CzeroNez => {
                if rs2!() != 0 {
                    0
                } else {
                    rs1!()
                }
            }
            Op::Fence => {
                if i.is_pause() {
                    self.pause();
                }
                return Flow::Next;
            }
            Op::FenceI => {
                // Stores to cached code were tracked already; make the next
                // boundary pick up code other harts changed.
                self.check_interrupts = true;
                self.jit_fence_i();
                return Flow::Jump(pc.wrapping_add(i.len as u64));
            }
            Op::Csrrw | Op::Csrrs | Op::Csrrc | Op::Csrrwi | Op::Csrrsi | Op::Csrrci => {
                return self.exec_csr(i, pc, index_of(i, base))
            }
            Op::Ecall if self.hart.privilege == Privilege::Supervisor && self.shared.sbi => {
                return Flow::Stop(Stop::Sbi)
            }
            Op::Ecall => {
                let c = match self.hart.privilege {
                    Privilege::User => cause::ECALL_U,
                    Privilege::Supervisor => cause::ECALL_S,
                    Privilege::Machine => cause::ECALL_M,
                };
                return Flow::Trap(Exception { cause: c, tval: 0 });
            }
            Op::Ebreak => return Flow::Trap(Exception { cause: cause::BREAKPOINT, tval: pc }),
            Op::Mret => return self.exec_mret(i),
            Op::Sret => return self.exec_sret(i),
            Op::Wfi => return self.exec_wfi(i),
            Op::SfenceVma => return self.exec_sfence_vma(i, pc),
            Op::Illegal => return illegal(i),
            op if op.amo_width().is_some() => return self.exec_atomic(i),
            _ => return self.exec_fp(i),
        };
        set(&mut self.hart.x, i.rd, v);
        Flow::Next
    }

    /// An integer load: the TLB-hit path inline, everything else out of
    /// line (so no `Result` is materialized on the hot path).
    #[inline(always)]
    fn load_int(&mut self, i: &Inst, va: u64, size: usize, signed: bool) -> Flow {
        if let Some(host) = self.load_fast_path(va, size) {
            // SAFETY: see `load_fast_path`.
            let v = unsafe { GuestMemory::load_aligned(host, size) };
            set(&mut self.hart.x, i.rd, extend(v, size, signed));
            return Flow::Next;
        }
        self.load_int_slow(i, va, size, signed)
    }

    #[inline(never)]
    fn load_int_slow(&mut self, i: &Inst, va: u64, size: usize, signed: bool) -> Flow {
        match self.load_slow(va, size) {
            Ok(v) => {
                set(&mut self.hart.x, i.rd, extend(v, size, signed));
                Flow::Next
            }
            Err(LoadMiss::Flow(f)) => f,
            Err(LoadMiss::Mmio) => {
                self.pending_load = Some(PendingLoad { rd: i.rd, size: size as u8, signed, float: false, len: i.len });
                Flow::Stop(Stop::MmioRead)
            }
        }
    }

    /// The host address of an aligned, TLB-mapped RAM load of `size` bytes
    /// at `va`: in guest RAM, aligned, not crossing its page.
    #[inline(always)]
    fn load_fast_path(&self, va: u64, size: usize) -> Option<*mut u8> {
        if va & (size as u64 - 1) != 0 {
            return None;
        }
        self.hart.tlb.lookup(self.data_privilege, va, READ)
    }

    /// Loads `size` bytes at virtual `va` (not sign-extended).
    #[inline(always)]
    pub(crate) fn load(&mut self, va: u64, size: usize) -> Result<u64, LoadMiss> {
        if let Some(host) = self.load_fast_path(va, size) {
            // SAFETY: TLB entries only map pages inside guest RAM, and an
            // aligned access of `size` bytes stays inside its page.
            return Ok(unsafe { GuestMemory::load_aligned(host, size) });
        }
        self.load_slow(va, size)
    }

    #[inline(never)]
    fn load_slow(&mut self, va: u64, size: usize) -> Result<u64, LoadMiss> {
        if va & (size as u64 - 1) != 0 {
            return self.load_misaligned(va, size);
        }
        let pa = self.hart.translate(&self.shared.mem, va, size as u64, Access::Load).map_err(trap)?;
        if let Some(host) = self.shared.mem.host_ptr(pa, size as u64) {
            // SAFETY: host_ptr checked the range lies in guest RAM; `va` is
            // aligned (checked above) and translation keeps the page offset.
            return Ok(unsafe { GuestMemory::load_aligned(host, size) });
        }
        if self.shared.is_mmio(pa, size as u64) {
            self.mmio_addr = pa;
            self.mmio_len = size;
            self.mmio_buf = [0; 8];
            return Err(LoadMiss::Mmio);
        }
        Err(trap(Exception { cause: cause::LOAD_ACCESS, tval: va }))
    }

    /// Misaligned loads are emulated (RAM only; devices get an
    /// address-misaligned exception).
    fn load_misaligned(&mut self, va: u64, size: usize) -> Result<u64, LoadMiss> {
        let parts = self.misaligned_parts(va, size, Access::Load).map_err(trap)?;
        let mut bytes = [0u8; 8];
        let mut done = 0;
        for (pa, len) in parts.into_iter().flatten() {
            self.shared.mem.read(pa, &mut bytes[done..done + len]);
            done += len;
        }
        Ok(u64::from_le_bytes(bytes))
    }

    /// Translates a misaligned access as the (at most two) page portions
    /// it covers, each checked whole by the MMU and PMP.
    fn misaligned_parts(
        &mut self,
        va: u64,
        size: usize,
        access: Access,
    ) -> Result<[Option<(u64, usize)>; 2], Exception> {
        let first = (crate::memory::PAGE_SIZE - (va & (crate::memory::PAGE_SIZE - 1))).min(size as u64) as usize;
        let mut parts = [None, None];
        for (slot, (start, len)) in [(va, first), (va.wrapping_add(first as u64), size - first)].into_iter().enumerate()
        {
            if len == 0 {
                continue;
            }
            let pa = self.hart.translate(&self.shared.mem, start, len as u64, access)?;
            if !self.shared.mem.contains(pa, len as u64) {
                return Err(Exception { cause: access.misaligned(), tval: va });
            }
            parts[slot] = Some((pa, len));
        }
        Ok(parts)
    }

    /// Stores the low `size` bytes of `value` at virtual `va`.
    #[inline(always)]
    pub(crate) fn store(&mut self, va: u64, size: usize, value: u64) -> Flow {
        if va & (size as u64 - 1) == 0 {
            if let Some(host) = self.hart.tlb.lookup(self.data_privilege, va, WRITE) {
                // SAFETY: TLB entries only map pages inside guest RAM (so
                // `host` is in RAM and an aligned access stays in its page);
                // `self.shared` keeps the memory behind `self.ram` alive.
                unsafe {
                    if self.ram.flags(host as usize) == 0 {
                        GuestMemory::store_aligned(host, size, value);
                        return Flow::Next;
                    }
                }
            }
        }
        self.store_slow(va, size, value)
    }

    #[inline(never)]
    fn store_slow(&mut self, va: u64, size: usize, value: u64) -> Flow {
        if va & (size as u64 - 1) != 0 {
            return self.store_misaligned(va, size, value);
        }
        let pa = match self.hart.translate(&self.shared.mem, va, size as u64, Access::Store) {
            Ok(pa) => pa,
            Err(e) => return Flow::Trap(e),
        };
        if let Some(host) = self.shared.mem.host_ptr(pa, size as u64) {
            // SAFETY: host_ptr checked the range lies in guest RAM; `va` is
            // aligned (checked above) and translation keeps the page offset.
            unsafe { GuestMemory::store_aligned(host, size, value) };
            return self.after_ram_store(pa, size as u64);
        }
        if self.shared.is_mmio(pa, size as u64) {
            self.mmio_addr = pa;
            self.mmio_len = size;
            self.mmio_buf = value.to_le_bytes();
            return Flow::Stop(Stop::MmioWrite);
        }
        Flow::Trap(Exception { cause: cause::STORE_ACCESS, tval: va })
    }

    /// Code tracking and the watched word, for stores of `len` bytes at
    /// `pa` that took the slow path.
    ///
    /// A store covering the whole watched word ends the run at once. A
    /// partial one is looked at when the block ends: 32-bit code (and
    /// riscv-tests) writes the word as two halves, in either order, and the
    /// request is only complete once both are written.
    fn after_ram_store(&mut self, pa: u64, len: u64) -> Flow {
        let flags = self.shared.mem.page_flags(pa).load(Ordering::Relaxed);
        if flags & page_flag::CODE != 0 && self.shared.mem.take_code_page(pa) {
            self.dirty_code_pages.push(pa / crate::memory::PAGE_SIZE);
            self.after_block = true;
        }
        let watch = self.shared.watch.load(Ordering::Relaxed);
        if flags & page_flag::WATCH != 0 && pa < watch + 8 && watch < pa + len {
            if pa <= watch && pa + len >= watch + 8 {
                self.watch_partial = false;
                self.mmio_addr = watch;
                let mut word = [0u8; 8];
                self.shared.mem.read(watch, &mut word);
                self.watch_value = u64::from_le_bytes(word);
                return Flow::Stop(Stop::Watch);
            }
            self.watch_partial = true;
            self.after_block = true;
        }
        Flow::Next
    }

    /// Misaligned stores are emulated; both portions are translated before
    /// either is written, so a fault leaves memory untouched.
    fn store_misaligned(&mut self, va: u64, size: usize, value: u64) -> Flow {
        let parts = match self.misaligned_parts(va, size, Access::Store) {
            Ok(parts) => parts,
            Err(e) => return Flow::Trap(e),
        };
        let bytes = value.to_le_bytes();
        let mut done = 0;
        let mut flow = Flow::Next;
        for (pa, len) in parts.into_iter().flatten() {
            // Not `write`: it would clear the code flag `after_ram_store`
            // needs to see to drop translations of the page.
            self.shared.mem.store_bytes(pa, &bytes[done..done + len]);
            done += len;
            if let Flow::Stop(s) = self.after_ram_store(pa, len as u64) {
                flow = Flow::Stop(s);
            }
        }
        flow
    }

    /// `pause`: the guest spins waiting for another hart. When the vCPU
    /// threads outnumber the host's cores, the hart it waits for may not
    /// be running at all, so give up the core (as pause-loop exiting does
    /// under KVM on x86); otherwise a `pause` does nothing.
    fn pause(&mut self) {
        if self.shared.overcommitted && !self.shadow {
            std::thread::yield_now();
        }
    }

    /// Sleeps until an interrupt that [`Core::wake_mask`] lets through is
    /// pending (whatever the global enables), or something else needs this
    /// hart (kick, device lines).
    pub(crate) fn wait_for_interrupt(&mut self) {
        if self.shadow {
            return; // the difftest shadow follows the primary's interrupts
        }
        loop {
            if self.pending_interrupts() & self.wake_mask() != 0 {
                break;
            }
            let lines = &self.lines;
            let guard = lines.sleep.lock().unwrap_or_else(|e| e.into_inner());
            if lines.attention.load(Ordering::Acquire) || lines.kick.load(Ordering::Acquire) {
                break;
            }
            let timeout = self.shared.clock.until(self.enabled_timer()).min(std::time::Duration::from_secs(1));
            if timeout.is_zero() {
                break;
            }
            let _ = lines.wake.wait_timeout(guard, timeout);
            if self.stats.instructions >= self.insn_limit {
                break;
            }
        }
        self.check_interrupts = true;
    }

    /// The pending interrupts that end a WFI: those enabled in `mie`, as
    /// on hardware, in QEMU and in KVM. One pending but masked must not:
    /// Linux idles with STIP pending and STIE clear (its timer handler
    /// clears STIE and leaves stimecmp behind when no tick is needed), and
    /// waking for it would spin the idle loop. With every interrupt masked
    /// the hart could never wake, so then any pending one ends the wait
    /// (riscv-tests' `wfi` test expects WFI not to stall on a masked
    /// pending interrupt; the spec lets WFI end early).
    fn wake_mask(&self) -> u64 {
        match self.hart.csr.mie {
            0 => u64::MAX,
            mie => mie,
        }
    }

    /// When the next timer interrupt that would end a WFI becomes pending
    /// (`u64::MAX` if none would).
    fn enabled_timer(&self) -> u64 {
        let (lines, wake) = (&self.lines, self.wake_mask());
        let machine = if wake & irq::MTIP != 0 { lines.mtimecmp.load(Ordering::Relaxed) } else { u64::MAX };
        let supervisor = if wake & irq::STIP != 0 { lines.stimecmp.load(Ordering::Relaxed) } else { u64::MAX };
        machine.min(supervisor)
    }
}

pub(crate) enum LoadMiss {
    Flow(Flow),
    Mmio,
}

#[inline(always)]
fn trap(e: Exception) -> LoadMiss {
    LoadMiss::Flow(Flow::Trap(e))
}

#[inline(always)]
pub(crate) fn illegal(i: &Inst) -> Flow {
    Flow::Trap(Exception { cause: cause::ILLEGAL_INSTRUCTION, tval: i.raw as u64 })
}

/// Position of `inst` in the block whose first instruction is at `base`.
#[inline(always)]
fn index_of(inst: &Inst, base: usize) -> usize {
    (inst as *const Inst as usize - base) / std::mem::size_of::<Inst>()
}

/// Reads integer register `r`.
#[inline(always)]
fn reg(x: &[u64; 32], r: u8) -> u64 {
    debug_assert!(r < 32);
    // SAFETY: every instruction executed comes from `block::normalize`,
    // which guarantees register fields below 32.
    unsafe { *x.get_unchecked(r as usize) }
}

/// Writes integer register `rd` (x0 stays zero).
#[inline(always)]
fn set(x: &mut [u64; 32], rd: u8, v: u64) {
    debug_assert!(rd < 32);
    // SAFETY: as in `reg`.
    unsafe { *x.get_unchecked_mut(rd as usize) = v };
    x[0] = 0;
}

#[inline(always)]
fn branch(taken: bool, pc: u64, offset: u64) -> Flow {
    if taken {
        Flow::Jump(pc.wrapping_add(offset))
    } else {
        Flow::Next
    }
}

#[inline(always)]
fn sext32(v: u64) -> u64 {
    v as i32 as i64 as u64
}

/// Zero- or sign-extends the low `size` bytes of `v`.
#[inline(always)]
pub(crate) fn extend(v: u64, size: usize, signed: bool) -> u64 {
    match (size, signed) {
        (1, true) => v as i8 as i64 as u64,
        (2, true) => v as i16 as i64 as u64,
        (4, true) => v as i32 as i64 as u64,
        (1, false) => v as u8 as u64,
        (2, false) => v as u16 as u64,
        (4, false) => v as u32 as u64,
        _ => v,
    }
}

fn div(a: i64, b: i64) -> i64 {
    if b == 0 {
        -1
    } else {
        a.wrapping_div(b)
    }
}

fn rem(a: i64, b: i64) -> i64 {
    if b == 0 {
        a
    } else {
        a.wrapping_rem(b)
    }
}

fn orc_b(v: u64) -> u64 {
    let mut out = 0u64;
    for byte in 0..8 {
        if (v >> (8 * byte)) & 0xff != 0 {
            out |= 0xff << (8 * byte);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orc_b_fills_nonzero_bytes() {
        assert_eq!(orc_b(0x0001_0000_8000_0100), 0x00ff_0000_ff00_ff00);
    }

    #[test]
    fn division_edge_cases() {
        assert_eq!(div(i64::MIN, -1), i64::MIN);
        assert_eq!(rem(i64::MIN, -1), 0);
        assert_eq!(div(7, 0), -1);
        assert_eq!(rem(7, 0), 7);
    }
}
