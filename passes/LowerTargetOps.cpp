//===- LowerTargetOps.cpp - intq target micro-ops to LLVM intrinsics ------===//
//
// Implements --intq-lower-target-ops: the pure target micro-ops of the
// --intq-codegen kernels become LLVM intrinsic calls once the IR is
// bufferized (intrinsic calls have unknown memory effects, which tensor
// passes and buffer deallocation cannot reason about).
//
//===----------------------------------------------------------------------===//

#include "intq/Passes/Passes.h"

#include "QuantLowering.h"

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Transforms/DialectConversion.h"

namespace intq {
#define GEN_PASS_DEF_LOWERTARGETOPS
#include "intq/Passes/Passes.h.inc"
} // namespace intq

using namespace mlir;
using namespace intq;

namespace {

/// Emits `syscall(nr, args...)` (x86-64 Linux) as inline assembly; returns
/// rax.
Value emitSyscall(OpBuilder &b, Location loc, int64_t nr, ValueRange args) {
  static const char *regs[] = {"{rdi}", "{rsi}", "{rdx}"};
  std::string constraints = "={rax},{rax}";
  for (size_t i = 0; i < args.size(); ++i)
    constraints += std::string(",") + regs[i];
  constraints += ",~{rcx},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}";
  SmallVector<Value> operands = {
      LLVM::ConstantOp::create(b, loc, b.getI64Type(), nr)};
  operands.append(args.begin(), args.end());
  return LLVM::InlineAsmOp::create(
             b, loc, TypeRange{b.getI64Type()}, operands, "syscall",
             constraints, /*has_side_effects=*/true, /*is_align_stack=*/false,
             LLVM::tailcallkind::TailCallKind::None,
             /*asm_dialect=*/LLVM::AsmDialectAttr(),
             /*operand_attrs=*/ArrayAttr())
      .getResult(0);
}

/// Adds the module initializer (llvm.mlir.global_ctors) that asks Linux for
/// the AMX tile-data state (arch_prctl(ARCH_REQ_XCOMP_PERM,
/// XFEATURE_XTILEDATA)); without it the first tile instruction raises
/// SIGILL. Where the kernel or the CPU refuses, it writes why to stderr and
/// exits with status 70 instead of crashing later. No libc is needed.
void addAmxInitializer(ModuleOp module) {
  constexpr StringLiteral name = "__intq_amx_request_tiles";
  if (module.lookupSymbol(name))
    return;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  Location loc = module.getLoc();
  auto fn = LLVM::LLVMFuncOp::create(
      b, loc, name,
      LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(b.getContext()), {}),
      LLVM::Linkage::Internal);
  Block *entry = fn.addEntryBlock(b);
  Block *fail = fn.addBlock(), *done = fn.addBlock();
  b.setInsertionPointToStart(entry);
  auto i64 = [&](int64_t v) -> Value {
    return LLVM::ConstantOp::create(b, loc, b.getI64Type(), v);
  };
  Value r = emitSyscall(b, loc, /*SYS_arch_prctl=*/158,
                        {i64(/*ARCH_REQ_XCOMP_PERM=*/0x1023),
                         i64(/*XFEATURE_XTILEDATA=*/18)});
  Value ok = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, r, i64(0));
  LLVM::CondBrOp::create(b, loc, ok, done, fail);
  b.setInsertionPointToStart(fail);
  std::string text = "intq: the AMX kernels of this code need AMX tile data, "
                     "which this CPU or kernel does not grant "
                     "(arch_prctl(ARCH_REQ_XCOMP_PERM) failed); compile with "
                     "--kernels=x86-avx512vnni\n";
  Value str = LLVM::createGlobalString(loc, b, "__intq_amx_message", text,
                                       LLVM::Linkage::Internal);
  Value strI64 = LLVM::PtrToIntOp::create(b, loc, b.getI64Type(), str);
  emitSyscall(b, loc, /*SYS_write=*/1, {i64(2), strI64, i64(text.size())});
  emitSyscall(b, loc, /*SYS_exit_group=*/231, {i64(70)});
  LLVM::UnreachableOp::create(b, loc);
  b.setInsertionPointToStart(done);
  LLVM::ReturnOp::create(b, loc, ValueRange{});
  b.setInsertionPointToEnd(module.getBody());
  LLVM::GlobalCtorsOp::create(
      b, loc, b.getArrayAttr({FlatSymbolRefAttr::get(fn)}),
      b.getArrayAttr({b.getI32IntegerAttr(65535)}),
      b.getArrayAttr({LLVM::ZeroAttr::get(b.getContext())}));
}

/// --intq-lower-target-ops{emulate-amx}: the AMX ops as portable loops on
/// buffers, so that the AMX kernels' tiling, packing and epilogue are
/// tested (bit-exact, E2E sweep) on machines without AMX. A tile becomes a
/// memref of its shape on the stack (allocated once per function);
/// tile_muli accumulates in place into its accumulator's buffer, which the
/// kernels allow: every accumulator has that single use.
struct AmxEmulation {
  TypeConverter converter;

  AmxEmulation() {
    converter.addConversion([](Type t) { return t; });
    converter.addConversion([](amx::TileType t) -> Type {
      return MemRefType::get(t.getShape(), t.getElementType());
    });
  }

  static Value stackBuffer(OpBuilder &b, Location loc, Operation *op,
                           MemRefType type) {
    OpBuilder::InsertionGuard g(b);
    auto fn = op->getParentOfType<FunctionOpInterface>();
    b.setInsertionPointToStart(&fn.getFunctionBody().front());
    return memref::AllocaOp::create(b, loc, type, ValueRange{},
                                    b.getI64IntegerAttr(64));
  }

  static Value tileView(OpBuilder &b, Location loc, Value base,
                        ValueRange indices, ArrayRef<int64_t> shape) {
    SmallVector<OpFoldResult> offsets(indices.begin(), indices.end()),
        sizes, strides(2, b.getIndexAttr(1));
    for (int64_t d : shape)
      sizes.push_back(b.getIndexAttr(d));
    return memref::SubViewOp::create(b, loc, base, offsets, sizes, strides);
  }
};

struct EmulateTileZero : OpConversionPattern<amx::TileZeroOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(amx::TileZeroOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = llvm::cast<MemRefType>(
        getTypeConverter()->convertType(op.getType()));
    Location loc = op.getLoc();
    Value buf = AmxEmulation::stackBuffer(rewriter, loc, op, type);
    Value zero = arith::ConstantOp::create(
        rewriter, loc, rewriter.getZeroAttr(type.getElementType()));
    linalg::FillOp::create(rewriter, loc, zero, buf);
    rewriter.replaceOp(op, buf);
    return success();
  }
};

struct EmulateTileLoad : OpConversionPattern<amx::TileLoadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(amx::TileLoadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (op.getStride() || op.getMemRefType().getRank() != 2)
      return rewriter.notifyMatchFailure(op, "only 2-D loads are emulated");
    auto type = llvm::cast<MemRefType>(
        getTypeConverter()->convertType(op.getType()));
    Location loc = op.getLoc();
    Value buf = AmxEmulation::stackBuffer(rewriter, loc, op, type);
    Value src = AmxEmulation::tileView(rewriter, loc, adaptor.getBase(),
                                       adaptor.getIndices(), type.getShape());
    linalg::CopyOp::create(rewriter, loc, src, buf);
    rewriter.replaceOp(op, buf);
    return success();
  }
};

struct EmulateTileStore : OpConversionPattern<amx::TileStoreOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(amx::TileStoreOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (op.getStride() ||
        llvm::cast<MemRefType>(op.getBase().getType()).getRank() != 2)
      return rewriter.notifyMatchFailure(op, "only 2-D stores are emulated");
    Location loc = op.getLoc();
    auto type = llvm::cast<MemRefType>(adaptor.getVal().getType());
    Value dst = AmxEmulation::tileView(rewriter, loc, adaptor.getBase(),
                                       adaptor.getIndices(), type.getShape());
    linalg::CopyOp::create(rewriter, loc, adaptor.getVal(), dst);
    rewriter.eraseOp(op);
    return success();
  }
};

/// acc[i][n] += sum_{q, t} lhs[i][4q + t] * rhs[q][4n + t] (the VNNI
/// layout of the right operand).
struct EmulateTileMulI : OpConversionPattern<amx::TileMulIOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(amx::TileMulIOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!op.getAcc().hasOneUse())
      return rewriter.notifyMatchFailure(
          op, "the emulation accumulates in place: one use of the accumulator");
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    AffineExpr i, n, q, t;
    bindDims(ctx, i, n, q, t);
    // The operands viewed as [rows][groups][4] so that every map is a
    // projection (linalg needs loop bounds it can infer).
    auto groupsOf4 = [&](Value v) -> Value {
      auto t = llvm::cast<MemRefType>(v.getType());
      int64_t rows = t.getDimSize(0), cols = t.getDimSize(1);
      return memref::ExpandShapeOp::create(
          rewriter, loc,
          MemRefType::get({rows, cols / 4, 4}, t.getElementType()), v,
          ArrayRef<ReassociationIndices>{{0}, {1, 2}});
    };
    Value lhs = groupsOf4(adaptor.getLhs()), rhs = groupsOf4(adaptor.getRhs());
    SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {i, q, t}, ctx),
                                   AffineMap::get(4, 0, {q, n, t}, ctx),
                                   AffineMap::get(4, 0, {i, n}, ctx)};
    SmallVector<utils::IteratorType> iters = {
        utils::IteratorType::parallel, utils::IteratorType::parallel,
        utils::IteratorType::reduction, utils::IteratorType::reduction};
    bool zl = op.getIsZextLhs(), zr = op.getIsZextRhs();
    linalg::GenericOp::create(
        rewriter, loc, TypeRange{},
        ValueRange{lhs, rhs},
        ValueRange{adaptor.getAcc()}, maps, iters,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Type i32 = b.getI32Type();
          auto ext = [&](Value v, bool zext) -> Value {
            if (zext)
              return arith::ExtUIOp::create(b, l, i32, v);
            return arith::ExtSIOp::create(b, l, i32, v);
          };
          Value prod = arith::MulIOp::create(b, l, ext(args[0], zl),
                                             ext(args[1], zr));
          linalg::YieldOp::create(
              b, l, ValueRange{arith::AddIOp::create(b, l, args[2], prod)});
        });
    rewriter.replaceOp(op, adaptor.getAcc());
    return success();
  }
};

} // namespace

/// --intq-lower-target-ops{emulate-vnni}: `intq.x86.vpdpbusd` and
/// `intq.x86.vpdpwssd` as portable vector arithmetic, so that the x86
/// kernels (VNNI, and AMX with emulate-amx) run bit-exact on an x86-64
/// without AVX512-VNNI (or any CPU): each product widened to i32, the
/// group's products gathered by stride-`group` shuffles and added to the
/// accumulator, wrapping as the instructions do (neither saturates).
static void emulateDotOp(Operation *op, Value acc, Value lhs, Value rhs,
                         bool unsignedLhs) {
  OpBuilder b(op);
  Location loc = op->getLoc();
  auto accTy = llvm::cast<VectorType>(acc.getType());
  int64_t lanes = accTy.getNumElements();
  int64_t n = llvm::cast<VectorType>(lhs.getType()).getNumElements();
  int64_t group = n / lanes;
  auto wide = VectorType::get({n}, accTy.getElementType());
  Value l = unsignedLhs ? arith::ExtUIOp::create(b, loc, wide, lhs).getResult()
                        : arith::ExtSIOp::create(b, loc, wide, lhs).getResult();
  Value r = arith::ExtSIOp::create(b, loc, wide, rhs);
  Value prod = arith::MulIOp::create(b, loc, l, r);
  Value sum = acc;
  for (int64_t t = 0; t < group; ++t) {
    SmallVector<int64_t> mask;
    for (int64_t i = 0; i < lanes; ++i)
      mask.push_back(i * group + t);
    Value part = vector::ShuffleOp::create(b, loc, prod, prod, mask);
    sum = arith::AddIOp::create(b, loc, sum, part);
  }
  op->getResult(0).replaceAllUsesWith(sum);
  op->erase();
}

/// `intq.x86.pack_bytes` as a clamp of each operand to the byte range, a
/// truncation and a concatenation (LLVM narrows with vpmovsdb / vpmovusdb
/// where it has AVX-512, with packs or scalar code elsewhere).
static void emulatePackBytes(X86PackBytesOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto v16i32 = VectorType::get({16}, b.getI32Type());
  auto v16i8 = VectorType::get({16}, b.getI8Type());
  bool isUnsigned = op.getIsUnsigned();
  Value lo = intq::intConstant(b, loc, v16i32, isUnsigned ? 0 : -128);
  Value hi = intq::intConstant(b, loc, v16i32, isUnsigned ? 255 : 127);
  SmallVector<Value> bytes;
  for (Value v : {op.getV0(), op.getV1(), op.getV2(), op.getV3()}) {
    v = arith::MinSIOp::create(b, loc, arith::MaxSIOp::create(b, loc, v, lo),
                               hi);
    bytes.push_back(arith::TruncIOp::create(b, loc, v16i8, v));
  }
  auto concat = [&](Value x, Value y) -> Value {
    int64_t n = llvm::cast<VectorType>(x.getType()).getNumElements();
    return vector::ShuffleOp::create(
        b, loc, x, y, llvm::to_vector(llvm::seq<int64_t>(0, 2 * n)));
  };
  Value r = concat(concat(bytes[0], bytes[1]), concat(bytes[2], bytes[3]));
  op.getResult().replaceAllUsesWith(r);
  op.erase();
}

void intq::emulateVnniOps(ModuleOp module) {
  module.walk([](X86PackBytesOp op) { emulatePackBytes(op); });
  module.walk([](X86VpdpbusdOp op) {
    emulateDotOp(op, op.getAcc(), op.getLhs(), op.getRhs(),
                 /*unsignedLhs=*/true);
  });
  module.walk([](X86VpdpwssdOp op) {
    emulateDotOp(op, op.getAcc(), op.getLhs(), op.getRhs(),
                 /*unsignedLhs=*/false);
  });
}

LogicalResult intq::emulateAmxOps(ModuleOp module) {
  WalkResult shared = module.walk([](amx::TileMulIOp op) {
    if (op.getAcc().hasOneUse())
      return WalkResult::advance();
    op.emitOpError("cannot be emulated: its accumulator has another use "
                   "(the emulation accumulates in place)");
    return WalkResult::interrupt();
  });
  if (shared.wasInterrupted())
    return failure();
  AmxEmulation emulation;
  MLIRContext *ctx = module.getContext();
  RewritePatternSet patterns(ctx);
  ConversionTarget target(*ctx);
  target.addIllegalDialect<amx::AMXDialect>();
  target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                         memref::MemRefDialect>();
  patterns.add<EmulateTileZero, EmulateTileLoad, EmulateTileStore,
               EmulateTileMulI>(emulation.converter, ctx);
  scf::populateSCFStructuralTypeConversionsAndLegality(emulation.converter,
                                                       patterns, target);
  return applyPartialConversion(module, target, std::move(patterns));
}

/// The tile loads the AMX kernels mark `intq.stream` (an operand read once
/// from L2 while the other stays in L1) become `tileloaddt1`, whose T1
/// hint keeps the streamed lines out of L1: streamed with plain
/// `tileloadd`, 1024^3's weights evicted its resident block of
/// activations on every pass (3.3 -> 4.1 TOP/s on a Sapphire Rapids-class
/// core). The AMX dialect has no such op: the load becomes the intrinsic
/// on the buffer's address here, cast back to a tile for the AMX ops
/// around it (the casts cancel when those are converted). Emulated AMX
/// drops the hint, which changes no value.
static void lowerStreamedTileLoads(ModuleOp module) {
  SmallVector<amx::TileLoadOp> loads;
  module.walk([&](amx::TileLoadOp op) {
    if (op->hasAttr(kStreamAttr))
      loads.push_back(op);
  });
  for (amx::TileLoadOp op : loads) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    MemRefType type = op.getMemRefType();
    amx::TileType tile = op.getTileType();
    auto meta = memref::ExtractStridedMetadataOp::create(b, loc, op.getBase());
    // The element offset of [indices].
    Value offset = meta.getOffset();
    for (auto [i, index] : llvm::enumerate(op.getIndices()))
      offset = arith::AddIOp::create(
          b, loc, offset,
          arith::MulIOp::create(b, loc, index, meta.getStrides()[i]));
    Value base =
        memref::ExtractAlignedPointerAsIndexOp::create(b, loc, op.getBase());
    Type i64 = b.getI64Type();
    auto asI64 = [&](Value v) -> Value {
      return arith::IndexCastOp::create(b, loc, i64, v);
    };
    int64_t elementBytes = type.getElementTypeBitWidth() / 8;
    auto inBytes = [&](Value v) -> Value {
      if (elementBytes == 1)
        return v;
      return arith::MulIOp::create(
          b, loc, v, arith::ConstantIndexOp::create(b, loc, elementBytes));
    };
    Value address = arith::AddIOp::create(b, loc, base, inBytes(offset));
    Value ptr = LLVM::IntToPtrOp::create(
        b, loc, LLVM::LLVMPointerType::get(b.getContext()), asI64(address));
    Value stride = op.getStride()
                       ? Value(op.getStride())
                       : meta.getStrides()[type.getRank() - 2];
    auto i16 = [&](int64_t v) -> Value {
      return LLVM::ConstantOp::create(b, loc, b.getI16Type(), v);
    };
    int64_t bytes = tile.getDimSize(1) *
                    tile.getElementType().getIntOrFloatBitWidth() / 8;
    Value t = LLVM::CallIntrinsicOp::create(
                  b, loc, LLVM::LLVMX86AMXType::get(b.getContext()),
                  b.getStringAttr("llvm.x86.tileloaddt164.internal"),
                  ValueRange{i16(tile.getDimSize(0)), i16(bytes), ptr,
                             asI64(inBytes(stride))})
                  .getResult(0);
    op.getResult().replaceAllUsesWith(
        UnrealizedConversionCastOp::create(b, loc, tile, t).getResult(0));
    op.erase();
  }
}

namespace {
struct LowerTargetOpsPass
    : intq::impl::LowerTargetOpsBase<LowerTargetOpsPass> {
  using LowerTargetOpsBase::LowerTargetOpsBase;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    bool hasAmx = false;
    module.walk([&](Operation *op) {
      if (llvm::isa<amx::AMXDialect>(op->getDialect()))
        hasAmx = true;
    });
    if (hasAmx) {
      if (emulateAmx) {
        if (failed(intq::emulateAmxOps(module)))
          return signalPassFailure();
      } else {
        addAmxInitializer(module);
        lowerStreamedTileLoads(module);
      }
    }
    if (emulateVnni)
      intq::emulateVnniOps(module);
    auto toIntrinsic = [](auto op, StringRef name) {
      OpBuilder b(op);
      Value r = LLVM::CallIntrinsicOp::create(
                    b, op.getLoc(), op.getType(), b.getStringAttr(name),
                    ValueRange{op.getAcc(), op.getLhs(), op.getRhs()})
                    .getResult(0);
      op.replaceAllUsesWith(r);
      op.erase();
    };
    getOperation().walk([&](X86VpdpbusdOp op) {
      toIntrinsic(op, "llvm.x86.avx512.vpdpbusd.512");
    });
    getOperation().walk([&](X86VpdpwssdOp op) {
      toIntrinsic(op, "llvm.x86.avx512.vpdpwssd.512");
    });
    // vpackssdw pairs the 128-bit lanes of its operands (lane l: 4 words
    // of the first, then 4 of the second); the byte pack interleaves those
    // again, so dword 4l + j of the result holds operand j's elements
    // [4l, 4l + 4): one vpermd gathers each operand's 16 bytes.
    getOperation().walk([&](X86PackBytesOp op) {
      OpBuilder b(op);
      Location loc = op.getLoc();
      auto v32i16 = VectorType::get({32}, b.getI16Type());
      auto call = [&](Type t, StringRef name, Value x, Value y) -> Value {
        return LLVM::CallIntrinsicOp::create(b, loc, t, b.getStringAttr(name),
                                             ValueRange{x, y})
            .getResult(0);
      };
      Value lo = call(v32i16, "llvm.x86.avx512.packssdw.512", op.getV0(),
                      op.getV1());
      Value hi = call(v32i16, "llvm.x86.avx512.packssdw.512", op.getV2(),
                      op.getV3());
      Value bytes = call(op.getType(),
                         op.getIsUnsigned() ? "llvm.x86.avx512.packuswb.512"
                                            : "llvm.x86.avx512.packsswb.512",
                         lo, hi);
      auto v16i32 = VectorType::get({16}, b.getI32Type());
      Value dwords = vector::BitCastOp::create(b, loc, v16i32, bytes);
      SmallVector<int64_t> order;
      for (int64_t j = 0; j < 4; ++j)
        for (int64_t l = 0; l < 4; ++l)
          order.push_back(4 * l + j);
      dwords = vector::ShuffleOp::create(b, loc, dwords, dwords, order);
      op.getResult().replaceAllUsesWith(
          vector::BitCastOp::create(b, loc, op.getType(), dwords));
      op.erase();
    });
    getOperation().walk([&](Arm64SmmlaOp op) {
      toIntrinsic(op, "llvm.aarch64.neon.smmla.v4i32.v16i8");
    });
    // Ops wider than their instruction: one intrinsic call per `lanes`
    // lanes of the result (the AArch64 ops work on 128-bit registers,
    // vpmaddwd on ymm). `sliced` are the operands with the elements each
    // call takes (in the intrinsic's order), `init` the vector the calls'
    // results are inserted into (zero when null).
    auto perCall = [](Operation *op, StringRef name, int64_t lanes,
                      Value init,
                      ArrayRef<std::pair<Value, int64_t>> sliced) {
      OpBuilder b(op);
      Location loc = op->getLoc();
      auto vt = llvm::cast<VectorType>(op->getResult(0).getType());
      auto callTy = VectorType::get({lanes}, vt.getElementType());
      Value result = init ? init
                          : arith::ConstantOp::create(b, loc, vt,
                                                      b.getZeroAttr(vt));
      for (int64_t q = 0; q < vt.getNumElements() / lanes; ++q) {
        SmallVector<Value> args;
        for (auto [v, size] : sliced)
          args.push_back(vector::ExtractStridedSliceOp::create(
              b, loc, v, ArrayRef<int64_t>{q * size}, ArrayRef<int64_t>{size},
              ArrayRef<int64_t>{1}));
        Value r = LLVM::CallIntrinsicOp::create(b, loc, callTy,
                                                b.getStringAttr(name), args)
                      .getResult(0);
        result = vector::InsertStridedSliceOp::create(
            b, loc, r, result, ArrayRef<int64_t>{q * lanes},
            ArrayRef<int64_t>{1});
      }
      op->getResult(0).replaceAllUsesWith(result);
      op->erase();
    };
    getOperation().walk([&](X86VpmaddwdOp op) {
      perCall(op, "llvm.x86.avx2.pmadd.wd", 8, Value(),
              {{op.getLhs(), 16}, {op.getRhs(), 16}});
    });
    getOperation().walk([&](X86VpmaddubswOp op) {
      perCall(op, "llvm.x86.avx2.pmadd.ub.sw", 16, Value(),
              {{op.getLhs(), 32}, {op.getRhs(), 32}});
    });
    getOperation().walk([&](Arm64SqrdmulhOp op) {
      perCall(op, "llvm.aarch64.neon.sqrdmulh.v4i32", 4, Value(),
                 {{op.getLhs(), 4}, {op.getRhs(), 4}});
    });
    getOperation().walk([&](Arm64SqdmulhOp op) {
      perCall(op, "llvm.aarch64.neon.sqdmulh.v4i32", 4, Value(),
                 {{op.getLhs(), 4}, {op.getRhs(), 4}});
    });
    getOperation().walk([&](Arm64SrshlOp op) {
      perCall(op, "llvm.aarch64.neon.srshl.v4i32", 4, Value(),
                 {{op.getValue(), 4}, {op.getShift(), 4}});
    });
    // sdot is symmetric in its two sources; the activations (often a lane
    // broadcast) go second, where AArch64 selects the lane-indexed form.
    getOperation().walk([&](Arm64SdotOp op) {
      perCall(op, "llvm.aarch64.neon.sdot.v4i32.v16i8", 4, op.getAcc(),
                 {{op.getAcc(), 4}, {op.getRhs(), 16}, {op.getLhs(), 16}});
    });
  }
};
} // namespace
