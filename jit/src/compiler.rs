//! Cranelift set up for the host, turning traces into machine code.

use std::sync::atomic::AtomicU64;
use std::sync::OnceLock;

use cranelift_codegen::ir::types::{F64, I64};
use cranelift_codegen::ir::{AbiParam, Function, InstBuilder, MemFlagsData, Signature, UserFuncName};
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::{control::ControlPlane, Context};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use hartvm_frontend::Inst;

use crate::abi::Mode;
use crate::codemem::CodeRegion;
use crate::emit::{self, Cells, Shims, Target};
use crate::trace::{self, JumpTargets, Trace};

/// A translation compiled but not yet placed in code memory.
pub(crate) struct Compiled {
    /// Position-independent machine code.
    pub(crate) code: Vec<u8>,
    /// The valid word and chain slots the code refers to.
    pub(crate) cells: Box<[AtomicU64]>,
    /// Instructions the code hands to helpers.
    pub(crate) insts: Box<[Inst]>,
    /// Guest instructions covered.
    pub(crate) guest_insts: usize,
}

/// The shims, compiled once per process.
static SHIMS: OnceLock<Result<Shims, String>> = OnceLock::new();

/// Why a compile produced nothing.
#[derive(Debug)]
pub enum CompileError {
    /// The first instruction must run in the interpreter.
    Untranslatable,
    /// Cranelift rejected the function (a hartvm bug).
    Codegen(String),
}

/// One thread's Cranelift state.
pub struct Compiler {
    isa: OwnedTargetIsa,
    ctx: Context,
    fctx: FunctionBuilderContext,
    target: Target,
    shims: Shims,
    /// Print each function's IR and machine code on stderr
    /// (`HARTVM_JIT_DUMP=1`, a debugging aid).
    dump: bool,
    /// The host has fused multiply-add (see `emit::Host::fma`).
    fma: bool,
}

impl Compiler {
    /// Cranelift for the host CPU, generating code for `target`.
    pub fn new(target: Target) -> Result<Compiler, String> {
        let mut flags = settings::builder();
        // The e-graph optimizer costs about 1.5x the compile time; without
        // it translated code ran 10-50% more host instructions on the
        // benchmark workloads (it folds the constants and sign extensions
        // the one-instruction-at-a-time emitter leaves, and moves work off
        // the paths that do not need it).
        flags.set("opt_level", "speed").map_err(|e| e.to_string())?;
        // Cranelift's x64 tail calls (chaining) rely on frame pointers;
        // they also let `perf` walk through translated code.
        flags.set("preserve_frame_pointers", "true").map_err(|e| e.to_string())?;
        // The IR verifier costs more than the rest of compilation; debug
        // builds (and so the unit tests) keep it.
        let verify = if cfg!(debug_assertions) { "true" } else { "false" };
        flags.set("enable_verifier", verify).map_err(|e| e.to_string())?;
        let isa = cranelift_native::builder()
            .map_err(|e| e.to_string())?
            .finish(settings::Flags::new(flags))
            .map_err(|e| e.to_string())?;
        let fma = isa.isa_flags().iter().any(|f| f.name == "has_fma" && f.as_bool() == Some(true));
        let dump = std::env::var_os("HARTVM_JIT_DUMP").is_some_and(|v| v != "0");
        let mut compiler = Compiler {
            isa,
            ctx: Context::new(),
            fctx: FunctionBuilderContext::new(),
            target,
            shims: Shims::NONE,
            fma,
            dump,
        };
        compiler.shims = SHIMS.get_or_init(|| compiler.make_shims()).clone()?;
        Ok(compiler)
    }

    /// Compiles the preserve-all shims (see [`Shims`]) into code memory
    /// that is never freed: translations of every cache may call them.
    fn make_shims(&mut self) -> Result<Shims, String> {
        let int1 = self.shim(&[I64])?;
        let int3 = self.shim(&[I64, I64, I64])?;
        let fp = self.shim(&[I64, I64, F64, F64, F64, I64])?;
        let fp_direct = self.shim(&[I64, F64, F64, F64, I64])?;
        let size = int1.len() + int3.len() + fp.len() + fp_direct.len() + 64;
        let mut region = CodeRegion::new(size).map_err(|e| e.to_string())?;
        let mut place = |code: &[u8]| region.push(code).ok_or("shim region too small");
        let shims = Shims { int1: place(&int1)?, int3: place(&int3)?, fp: place(&fp)?, fp_direct: place(&fp_direct)? };
        // The shims stay valid for the rest of the process.
        std::mem::forget(region);
        Ok(shims)
    }

    /// A `preserve_all` function `(ctx, args..., helper, offset)` that
    /// calls the host-ABI `helper(ctx, args...) -> u64` and stores its
    /// result at `ctx + offset`. Translations call helpers through it: a
    /// call that clobbers no register lets values live in registers across
    /// it. The helper's arguments come first, in the registers the helper
    /// takes them in, so the context stays where translations receive it;
    /// and the result goes to the context, which translations hold anyway
    /// (the address of a stack slot would be hoisted and held too).
    fn shim(&mut self, args: &[cranelift_codegen::ir::Type]) -> Result<Vec<u8>, String> {
        let mut func = Function::with_name_signature(UserFuncName::user(0, 2), emit::shim_signature(args));
        let mut b = FunctionBuilder::new(&mut func, &mut self.fctx);
        let block = b.create_block();
        b.append_block_params_for_function_params(block);
        b.switch_to_block(block);
        let params = b.block_params(block).to_vec();
        let mut helper = Signature::new(self.isa.default_call_conv());
        helper.params.extend(args.iter().map(|&t| AbiParam::new(t)));
        helper.returns.push(AbiParam::new(I64));
        let helper = b.import_signature(helper);
        let n = args.len();
        let call = b.ins().call_indirect(helper, params[n], &params[..n]);
        let result = b.inst_results(call)[0];
        let out = b.ins().iadd(params[0], params[n + 1]);
        b.ins().store(MemFlagsData::trusted(), result, out, 0);
        b.ins().return_(&[]);
        b.seal_all_blocks();
        b.finalize(self.isa.frontend_config());
        self.finish(func).map_err(|e| format!("{e:?}"))
    }

    /// Compiles the trace starting at byte `start` of `page` for `mode`,
    /// following indirect jumps to their recorded `targets`.
    pub(crate) fn compile(
        &mut self,
        page: &[u8],
        start: usize,
        mode: Mode,
        targets: &JumpTargets,
    ) -> Result<Compiled, CompileError> {
        let trace = trace::build(page, start, mode, targets).ok_or(CompileError::Untranslatable)?;
        if self.dump {
            eprintln!("trace at page offset {start:#x}: {} instructions, {mode:?}", trace.insts.len());
        }
        self.compile_trace(&trace, start, mode)
    }

    fn compile_trace(&mut self, trace: &Trace, start: usize, mode: Mode) -> Result<Compiled, CompileError> {
        let cells: Box<[AtomicU64]> = (0..1 + emit::slot_count(trace)).map(|_| AtomicU64::new(0)).collect();
        cells[0].store(1, std::sync::atomic::Ordering::Relaxed);
        let insts: Box<[Inst]> = trace.insts.iter().map(|t| t.inst).collect();
        let layout = Cells {
            valid: cells.as_ptr() as usize,
            slots: (1..cells.len()).map(|k| cells.as_ptr() as usize + 8 * k).collect(),
            insts: insts.as_ptr(),
        };
        let host = emit::Host { frontend: self.isa.frontend_config(), fma: self.fma };
        let func = emit::function(&self.target, &self.shims, trace, start, mode, &layout, host, &mut self.fctx);
        let code = self.finish(func)?;
        Ok(Compiled { code, cells, insts, guest_insts: trace.insts.len() })
    }

    /// The entry trampoline: a host-ABI `fn(ctx, code) -> u64` that calls a
    /// translation (which uses Cranelift's tail-call convention).
    pub(crate) fn trampoline(&mut self) -> Result<Vec<u8>, CompileError> {
        let mut sig = Signature::new(self.isa.default_call_conv());
        sig.params.extend([AbiParam::new(I64), AbiParam::new(I64)]);
        sig.returns.push(AbiParam::new(I64));
        let mut func = Function::with_name_signature(UserFuncName::user(0, 1), sig);
        let mut b = FunctionBuilder::new(&mut func, &mut self.fctx);
        let block = b.create_block();
        b.append_block_params_for_function_params(block);
        b.switch_to_block(block);
        let (ctx, code) = (b.block_params(block)[0], b.block_params(block)[1]);
        let sig = b.import_signature(emit::block_signature());
        // Translations take their entry pc as an argument (see `emit::block_signature`).
        let pc = b.ins().load(I64, MemFlagsData::trusted(), ctx, self.target.ctx.pc);
        let call = b.ins().call_indirect(sig, code, &[ctx, pc]);
        let result = b.inst_results(call)[0];
        b.ins().return_(&[result]);
        b.seal_all_blocks();
        b.finalize(self.isa.frontend_config());
        self.finish(func)
    }

    fn finish(&mut self, func: Function) -> Result<Vec<u8>, CompileError> {
        self.ctx.clear();
        self.ctx.func = func;
        self.ctx.set_disasm(self.dump);
        if self.dump {
            eprintln!("{}", self.ctx.func.display());
        }
        let compiled = self
            .ctx
            .compile(&*self.isa, &mut ControlPlane::default())
            .map_err(|e| CompileError::Codegen(format!("{:?}", e.inner)))?;
        if !compiled.buffer.relocs().is_empty() {
            return Err(CompileError::Codegen("translation needs relocations".into()));
        }
        if self.dump {
            eprintln!("{}", compiled.vcode.as_deref().unwrap_or(""));
        }
        Ok(compiled.code_buffer().to_vec())
    }
}
