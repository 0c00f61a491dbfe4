# Generator of all.s (run: python3 gen_all.py); all.s is committed.
import itertools
X=["zero","ra","sp","gp","tp","t0","t1","t2","s0","s1","a0","a1","a2","a3","a4","a5","a6","a7","s2","s3","s4","s5","s6","s7","s8","s9","s10","s11","t3","t4","t5","t6"]
F=["ft0","ft1","ft2","ft3","ft4","ft5","ft6","ft7","fs0","fs1","fa0","fa1","fa2","fa3","fa4","fa5","fa6","fa7","fs2","fs3","fs4","fs5","fs6","fs7","fs8","fs9","fs10","fs11","ft8","ft9","ft10","ft11"]
RM=["rne","rtz","rdn","rup","rmm","dyn"]
o=[]
w=o.append
k=[0]
def r():
    k[0]=(k[0]*7+3)%32; return k[0]
def xr(): return X[r()]
def fr(): return F[r()]
w("# Every RV64GC + Zba/Zbb/Zbs/Zicond/Zicsr/Zifencei + privileged instruction")
w("# hartvm decodes, with a spread of registers, immediates and rounding modes.")
w("# Compared line by line with objdump by tests/objdump.rs.")
w("\t.text\n\t.globl _start\n_start:")
w("\t.option push\n\t.option norvc")
# RV64I
for imm in ["0x0","0x1","0x80000","0xfffff","0x7ffff","0x12345"]:
    w(f"\tlui\t{xr()},{imm}"); w(f"\tauipc\t{xr()},{imm}")
w("1:")
for t in ["1b","3f","2f","_start"]:
    w(f"\tjal\t{xr()},{t}")
for imm in [0,-1,2047,-2048,16]:
    w(f"\tjalr\t{xr()},{imm}({xr()})")
for b in ["beq","bne","blt","bge","bltu","bgeu"]:
    for t in ["1b","2f"]:
        w(f"\t{b}\t{xr()},{xr()},{t}")
w("2:")
for ld in ["lb","lh","lw","ld","lbu","lhu","lwu"]:
    for imm in [0,-1,2047,-2048,100]:
        w(f"\t{ld}\t{xr()},{imm}({xr()})")
for st in ["sb","sh","sw","sd"]:
    for imm in [0,-1,2047,-2048,-100]:
        w(f"\t{st}\t{xr()},{imm}({xr()})")
for op in ["addi","slti","sltiu","xori","ori","andi","addiw"]:
    for imm in [0,1,-1,2047,-2048,-300]:
        w(f"\t{op}\t{xr()},{xr()},{imm}")
for op,mx in [("slli",63),("srli",63),("srai",63),("slliw",31),("srliw",31),("sraiw",31),
              ("rori",63),("roriw",31),("bclri",63),("bexti",63),("binvi",63),("bseti",63),("slli.uw",63)]:
    for sh in [0,1,mx//2,mx]:
        w(f"\t{op}\t{xr()},{xr()},{sh}")
rops=["add","sub","sll","slt","sltu","xor","srl","sra","or","and","addw","subw","sllw","srlw","sraw",
 "mul","mulh","mulhsu","mulhu","div","divu","rem","remu","mulw","divw","divuw","remw","remuw",
 "add.uw","sh1add","sh2add","sh3add","sh1add.uw","sh2add.uw","sh3add.uw",
 "andn","orn","xnor","max","maxu","min","minu","rol","rolw","ror","rorw","bclr","bext","binv","bset"]
for op in rops:
    for _ in range(3):
        w(f"\t{op}\t{xr()},{xr()},{xr()}")
    w(f"\t{op}\tzero,zero,zero")
for op in ["clz","clzw","ctz","ctzw","cpop","cpopw","sext.b","sext.h","zext.h","orc.b","rev8"]:
    for _ in range(3):
        w(f"\t{op}\t{xr()},{xr()}")
w("\t# Zicond (unknown to binutils 2.40): czero.eqz / czero.nez")
for f3 in [5,7]:
    for _ in range(3):
        w(f"\t.insn\tr 0x33, {f3}, 0x7, {xr()}, {xr()}, {xr()}")
# fences
for p,s in [("iorw","iorw"),("r","w"),("w","r"),("rw","rw"),("i","o"),("io","r"),("o","iw"),("ir","ow")]:
    w(f"\tfence\t{p},{s}")
w("\tfence\n\tfence.tso\n\tpause\n\tfence.i")
w("\t.4byte\t0x0000000f\t# fence with empty sets")
w("\tecall\n\tebreak\n\tmret\n\tsret\n\twfi")
for a,b in [("zero","zero"),("a0","zero"),("zero","a1"),("t0","t6")]:
    w(f"\tsfence.vma\t{a},{b}")
# CSRs
csrs=["fflags","frm","fcsr","cycle","time","instret","sstatus","sie","stvec","scounteren","senvcfg","sscratch","sepc","scause","stval","sip","satp",
 "mstatus","misa","medeleg","mideleg","mie","mtvec","mcounteren","mscratch","mepc","mcause","mtval","mip","mhartid","mvendorid","marchid","mimpid",
 "pmpcfg0","pmpcfg2","pmpaddr0","pmpaddr15","pmpaddr63","mcycle","minstret","mhpmcounter3","mhpmcounter31","mhpmevent3","mhpmevent31","hpmcounter3","hpmcounter17","hpmcounter31","tselect","tdata1","0x7c0","0x800","0xfff","0x5c0"]
for i,c in enumerate(csrs):
    op=["csrrw","csrrs","csrrc"][i%3]
    w(f"\t{op}\t{xr()},{c},{xr()}")
    op=["csrrwi","csrrsi","csrrci"][i%3]
    w(f"\t{op}\t{xr()},{c},{[0,1,17,31][i%4]}")
# A
amos=["amoswap","amoadd","amoxor","amoand","amoor","amomin","amomax","amominu","amomaxu"]
for sz in "wd":
    for ord_ in ["",".aq",".rl",".aqrl"]:
        w(f"\tlr.{sz}{ord_}\t{xr()},({xr()})")
        w(f"\tsc.{sz}{ord_}\t{xr()},{xr()},({xr()})")
        for a in amos:
            w(f"\t{a}.{sz}{ord_}\t{xr()},{xr()},({xr()})")
# F/D
for sz in "sd":
    ld = "flw" if sz=="s" else "fld"; st = "fsw" if sz=="s" else "fsd"
    for imm in [0,-8,2040,-2048]:
        w(f"\t{ld}\t{fr()},{imm}({xr()})"); w(f"\t{st}\t{fr()},{imm}({xr()})")
    for i,rm in enumerate(RM+[""]):
        sfx = f",{rm}" if rm else ""
        for op in ["fmadd","fmsub","fnmsub","fnmadd"]:
            w(f"\t{op}.{sz}\t{fr()},{fr()},{fr()},{fr()}{sfx}")
        for op in ["fadd","fsub","fmul","fdiv"]:
            w(f"\t{op}.{sz}\t{fr()},{fr()},{fr()}{sfx}")
        w(f"\tfsqrt.{sz}\t{fr()},{fr()}{sfx}")
        for it in ["w","wu","l","lu"]:
            w(f"\tfcvt.{it}.{sz}\t{xr()},{fr()}{sfx}")
            if not (sz=="d" and it in ("w","wu")):
                w(f"\tfcvt.{sz}.{it}\t{fr()},{xr()}{sfx}")
    for op in ["fsgnj","fsgnjn","fsgnjx","fmin","fmax"]:
        w(f"\t{op}.{sz}\t{fr()},{fr()},{fr()}")
    for op in ["feq","flt","fle"]:
        w(f"\t{op}.{sz}\t{xr()},{fr()},{fr()}")
    w(f"\tfclass.{sz}\t{xr()},{fr()}")
    m = "w" if sz=="s" else "d"
    w(f"\tfmv.x.{m}\t{xr()},{fr()}")
    w(f"\tfmv.{m}.x\t{fr()},{xr()}")
for rm in RM+[""]:
    sfx = f",{rm}" if rm else ""
    w(f"\tfcvt.s.d\t{fr()},{fr()}{sfx}")
w(f"\tfcvt.d.s\t{fr()},{fr()}")
w(f"\tfcvt.d.w\t{fr()},{xr()}")
w(f"\tfcvt.d.wu\t{fr()},{xr()}")
w("\t# fcvt.d.s / fcvt.d.w / fcvt.d.wu with rm = rtz, dyn (objdump 2.40 rejects them)")
for base in [0x42058553, 0xd2058553, 0xd2158553]:
    for rm in [1,7]:
        w(f"\t.4byte\t0x{(base & ~0x7000) | (rm<<12):08x}")
w("\t.option pop")
# Compressed
w("\t.option push\n\t.option rvc")
w("3:")
w("\tc.nop")
for i in [1,-32,31]: w(f"\tc.addi\t{X[r()|1]},{i}")
for i in [8,1020,4,512]: w(f"\tc.addi4spn\t{X[8+r()%8]},sp,{i}")
for i in [16,-512,496,-16]: w(f"\tc.addi16sp\tsp,{i}")
for i in [0,-32,31,5]: w(f"\tc.li\t{X[r()|1]},{i}")
for i in [0,-32,31,7]: w(f"\tc.addiw\t{X[r()|1]},{i}")
for i in ["0x1","0x1f","0xfffe0","0xfffff"]: w(f"\tc.lui\ta5,{i}")
for sh in [1,31,32,63]:
    w(f"\tc.slli\t{X[r()|1]},{sh}"); w(f"\tc.srli\t{X[8+r()%8]},{sh}"); w(f"\tc.srai\t{X[8+r()%8]},{sh}")
for i in [0,-32,31,-1]: w(f"\tc.andi\t{X[8+r()%8]},{i}")
for op in ["c.sub","c.xor","c.or","c.and","c.subw","c.addw"]:
    for _ in range(2): w(f"\t{op}\t{X[8+r()%8]},{X[8+r()%8]}")
for _ in range(3):
    w(f"\tc.mv\t{X[r()|1]},{X[r()|1]}"); w(f"\tc.add\t{X[r()|1]},{X[r()|1]}")
    w(f"\tc.jr\t{X[r()|1]}"); w(f"\tc.jalr\t{X[r()|1]}")
w("\tc.ebreak")
for t in ["3b","4f"]:
    w(f"\tc.j\t{t}"); w(f"\tc.beqz\t{X[8+r()%8]},{t}"); w(f"\tc.bnez\t{X[8+r()%8]},{t}")
w("4:")
for i in [0,4,124,64]:
    w(f"\tc.lw\t{X[8+r()%8]},{i}({X[8+r()%8]})"); w(f"\tc.sw\t{X[8+r()%8]},{i}({X[8+r()%8]})")
for i in [0,8,248,128]:
    w(f"\tc.ld\t{X[8+r()%8]},{i}({X[8+r()%8]})"); w(f"\tc.sd\t{X[8+r()%8]},{i}({X[8+r()%8]})")
    w(f"\tc.fld\t{F[8+r()%8]},{i}({X[8+r()%8]})"); w(f"\tc.fsd\t{F[8+r()%8]},{i}({X[8+r()%8]})")
for i in [0,4,252,128]:
    w(f"\tc.lwsp\t{X[r()|1]},{i}(sp)"); w(f"\tc.swsp\t{X[r()]},{i}(sp)")
for i in [0,8,504,256]:
    w(f"\tc.ldsp\t{X[r()|1]},{i}(sp)"); w(f"\tc.sdsp\t{X[r()]},{i}(sp)")
    w(f"\tc.fldsp\t{F[r()]},{i}(sp)"); w(f"\tc.fsdsp\t{F[r()]},{i}(sp)")
w("\t# HINTs: c.nop with an immediate, rd = x0 forms, shift amount 0")
for h in [0x0005, 0x007d, 0x4001, 0x407d, 0x6005, 0x0002, 0x007e, 0x800a, 0x9006, 0x0082, 0x8001, 0x8401, 0x0502]:
    w(f"\t.2byte\t0x{h:04x}")
w("\t.option pop")
open("all.s","w").write("\n".join(o)+"\n")
