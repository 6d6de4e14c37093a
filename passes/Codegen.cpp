//===- Codegen.cpp - register-blocked vector kernels -----------------------===//
//
// Implements --intq-codegen: int8 intq.matmul / intq.conv2d (dense and
// depthwise) and float tosa.matmul / conv2d / depthwise_conv2d become
// explicit loop nests of vector ops on storage-typed tensors, with the
// weights prepacked at compile time into the micro-kernel's layout and the
// output stage on registers; targets generic, x86-avx2 (vpmaddwd),
// x86-avx512vnni (vpdpbusd, vpdpwssd), x86-amx (amx tiles), aarch64-dotprod
// (sdot), aarch64-i8mm (smmla). See the pass description in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "OutputStage.h"
#include "QuantLowering.h"
#include "QuantUtils.h"

#include "intq/Passes/Passes.h"

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/Sequence.h"

namespace intq {
#define GEN_PASS_DEF_CODEGEN
#include "intq/Passes/Passes.h.inc"
} // namespace intq

using namespace mlir;
using namespace intq;
namespace mq = mlir::quant;

namespace {

enum class KernelTarget {
  Generic,
  X86Avx2,
  /// AVX2 on a layer whose weights are all in [-64, 64] (7-bit or
  /// narrower): vpmaddubsw (u8 x s8, 32 MACs per ymm instruction) is exact
  /// there, its i16 pair sums stay within 2 x 255 x 64 = 32640. Picked per
  /// layer from the constant weights (byWeights), never asked for.
  X86Avx2Bytes,
  X86Vnni,
  X86Amx,
  Arm64Dot,
  Arm64I8mm
};

/// K consumed per reduction step: 1 (generic), 2 (vpmaddwd), 4 (vpdpbusd,
/// sdot, vpmaddubsw + vpmaddwd), 8 (smmla). An implicit-GEMM convolution needs
/// C % kStepOf(target) == 0.
int64_t kStepOf(KernelTarget t) {
  switch (t) {
  case KernelTarget::Generic:
    return 1;
  case KernelTarget::X86Avx2:
    return 2;
  case KernelTarget::X86Avx2Bytes:
  case KernelTarget::X86Vnni:
  case KernelTarget::Arm64Dot:
    return 4;
  case KernelTarget::Arm64I8mm:
    return 8;
  case KernelTarget::X86Amx:
    return 64;
  }
  llvm_unreachable("kernel target");
}

/// Kernels built on a 4-deep dot product per i32 lane (vpdpbusd, sdot):
/// K advances by 4 and the weights are packed [16 x 4] per block.
bool isDot4(KernelTarget t) {
  return t == KernelTarget::X86Vnni || t == KernelTarget::Arm64Dot;
}

/// The kernels for one layer: X86Avx2Bytes where AVX2 meets weights all in
/// [-64, 64] (what weight-bits=7, 4 and 2 produce), `t` otherwise.
KernelTarget byWeights(KernelTarget t, ArrayRef<int64_t> weights) {
  if (t == KernelTarget::X86Avx2 &&
      llvm::all_of(weights, [](int64_t w) { return w >= -64 && w <= 64; }))
    return KernelTarget::X86Avx2Bytes;
  return t;
}

/// The register block: rows x blocks of 16 outputs. AVX-512: 4 x 4 (16 zmm
/// accumulators; 6 x 4 for long reductions, sixRowsPay); AVX2: 4 x 1.
/// AArch64 sdot: a vector<16xi32> is 4 of the 32 q-registers, so 16
/// accumulator registers in 2 x 2 where the activations are broadcast 4
/// bytes at a time (`ld1r`, a vector-pipe slot on V1: 2 per 16 sdot instead
/// of 4 at 4 x 1), 4 x 1 where they are lane-indexed (buildInt8Kernel's
/// laneIndexed: fewer loads per sdot).
int64_t maxRows(KernelTarget t) { return t == KernelTarget::Arm64Dot ? 2 : 4; }
int64_t maxBlocks(KernelTarget t) {
  switch (t) {
  case KernelTarget::Arm64Dot:
    return 2;
  case KernelTarget::X86Avx2:
  case KernelTarget::X86Avx2Bytes:
    // 16 ymm registers: a vector<16xi32> accumulator takes two, so 4 rows
    // x 1 block (8 accumulator, 2 weight, 1-2 activation registers).
    // Measured on Zen 3 (bench/, int8 matmuls and ResNet/MobileNet convs):
    // 4 x 1 fastest on all eight layers tried, 1.05-1.6x over 5 x 1, 6 x 1,
    // 3 x 1, 3 x 2 and 2 x 2; 4 x 4 (32 accumulator registers) spilled and
    // ran at half the speed.
    return 1;
  default:
    return 4;
  }
}

/// Output channels per vector register (i32 lanes of a 512-bit register).
constexpr int64_t kLanes = 16;
/// Register block: at most kMaxRows rows x kMaxBlocks blocks of 16 outputs.
constexpr int64_t kMaxRows = 4, kMaxBlocks = 4;

/// The fp32 kernels' register block (rows, blocks of 16 outputs): the int8
/// block on AVX2, 4 x 1 (measured on Zen 3: 3.3x faster than 4 x 4, which
/// spills its 32 accumulator registers; 1.0-1.2x faster than 6 x 1,
/// 1.3-1.8x than 3 x 2); 4 x 4 (16 zmm, or 16 q registers) elsewhere.
std::pair<int64_t, int64_t> f32Block(KernelTarget t) {
  if (t == KernelTarget::X86Avx2)
    return {maxRows(t), maxBlocks(t)};
  return {kMaxRows, kMaxBlocks};
}

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// Blocks of 16 outputs per register block for `blocks` of them, at most
/// `most`: the widest that computes the fewest padded blocks (144 outputs:
/// 3 panels of 3, not 3 of 4), but at least 2 where there are 2 (1 block
/// per row would make the kernel wait on its activation loads).
int64_t blocksPerPanel(int64_t blocks, int64_t most) {
  auto waste = [&](int64_t u) { return ceilDiv(blocks, u) * u - blocks; };
  int64_t best = std::min(blocks, most);
  for (int64_t u = best - 1; u >= std::min<int64_t>(2, blocks); --u)
    if (waste(u) < waste(best))
      best = u;
  return best;
}

/// Whether an AVX-512 kernel of `m` rows, reduction `k` and `u` blocks of
/// 16 outputs per register block takes 6 rows instead of 4 (24
/// accumulators of the 32 zmm; the int8 and fp32 kernels say where): 4
/// blocks, a reduction of 128 or more, and enough rows that those padded
/// to a multiple of 6 cost at most about 3 % more than those padded to 4.
bool sixRowsPay(int64_t m, int64_t k, int64_t u) {
  return u == 4 && k >= 128 && m >= 96 &&
         ceilDiv(m, 6) * 6 <= ceilDiv(m, 4) * 4 + m / 32;
}

Value index(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// `scf.for iv = lb to ub step s iter_args(carried)` with `body(iv,
/// carried)` yielding the next carried value; `carried` itself when the
/// range is empty.
Value forRange(OpBuilder &b, Location loc, int64_t lb, int64_t ub,
               int64_t step, Value carried,
               function_ref<Value(OpBuilder &, Value, Value)> body) {
  if (lb >= ub)
    return carried;
  auto loop = scf::ForOp::create(b, loc, index(b, loc, lb), index(b, loc, ub),
                                 index(b, loc, step), ValueRange{carried});
  OpBuilder::InsertionGuard g(b);
  b.setInsertionPointToStart(loop.getBody());
  Value next =
      body(b, loop.getInductionVar(), loop.getRegionIterArgs()[0]);
  scf::YieldOp::create(b, loc, next);
  return loop.getResult(0);
}

/// `x` (a static tensor) as one dimension; `x` itself when 1-D.
Value flatten(OpBuilder &b, Location loc, Value x) {
  int64_t rank = llvm::cast<RankedTensorType>(x.getType()).getRank();
  if (rank == 1)
    return x;
  SmallVector<ReassociationIndices> all(1);
  for (int64_t d = 0; d < rank; ++d)
    all[0].push_back(d);
  return tensor::CollapseShapeOp::create(b, loc, x, all);
}

/// The 1-D `flat` in `shape` (flatten's inverse); `flat` itself when
/// `shape` is 1-D.
Value unflatten(OpBuilder &b, Location loc, Value flat,
                ArrayRef<int64_t> shape) {
  if (shape.size() == 1)
    return flat;
  SmallVector<ReassociationIndices> all(1);
  for (int64_t d = 0; d < int64_t(shape.size()); ++d)
    all[0].push_back(d);
  auto elem = llvm::cast<RankedTensorType>(flat.getType()).getElementType();
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, elem), flat, all);
}

/// The elements [from, n) of a flat destination `out0` in steps of
/// `lanes`: `step(b, at, out, /*masked=*/false)` in a loop over the whole
/// steps, then once with masked = true at the first element past them for
/// the rest (fewer than `lanes`), if any. Returns the last destination.
Value flatLaneLoop(OpBuilder &b, Location loc, int64_t from, int64_t n,
                   int64_t lanes, Value out0,
                   function_ref<Value(OpBuilder &, Value, Value, bool)> step) {
  int64_t whole = from + (n - from) / lanes * lanes;
  Value out = forRange(b, loc, from, whole, lanes, out0,
                       [&](OpBuilder &b, Value at, Value o) {
                         return step(b, at, o, /*masked=*/false);
                       });
  if (whole < n)
    out = step(b, index(b, loc, whole), out, /*masked=*/true);
  return out;
}

/// `x` (rows x cols) zero padded to (rows' x cols').
Value padTo(OpBuilder &b, Location loc, Value x, int64_t rows, int64_t cols) {
  auto ty = llvm::cast<RankedTensorType>(x.getType());
  if (ty.getDimSize(0) == rows && ty.getDimSize(1) == cols)
    return x;
  Value empty = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{rows, cols},
                                        ty.getElementType());
  Value zero = arith::ConstantOp::create(
      b, loc, llvm::cast<TypedAttr>(b.getZeroAttr(ty.getElementType())));
  Value filled = linalg::FillOp::create(b, loc, zero, empty).getResult(0);
  SmallVector<OpFoldResult> offsets(2, b.getIndexAttr(0)),
      strides(2, b.getIndexAttr(1));
  SmallVector<OpFoldResult> sizes = {b.getIndexAttr(ty.getDimSize(0)),
                                     b.getIndexAttr(ty.getDimSize(1))};
  return tensor::InsertSliceOp::create(b, loc, x, filled, offsets, sizes,
                                       strides);
}

/// A 64-byte aligned stack buffer of `type` at the start of the function
/// that holds the insertion point: one per call (an alloca in the loops
/// would grow the stack on every iteration).
Value functionScratch(OpBuilder &b, Location loc, MemRefType type) {
  OpBuilder::InsertionGuard g(b);
  Operation *parent = b.getInsertionBlock()->getParentOp();
  auto fn = llvm::dyn_cast<FunctionOpInterface>(parent);
  if (!fn)
    fn = parent->getParentOfType<FunctionOpInterface>();
  b.setInsertionPointToStart(&fn.getFunctionBody().front());
  return memref::AllocaOp::create(b, loc, type, ValueRange{},
                                  b.getI64IntegerAttr(64));
}

/// `x`, or a copy of it in a fresh tensor when its buffer could end up with
/// a non-unit innermost stride: a reshape of a slice that cuts an inner
/// dimension (a kernel's result padded to whole blocks of 16 channels, or a
/// model's own slice) bufferizes to a strided view, and the kernels' vector
/// transfers along the innermost dimension cannot be lowered on one
/// (convert-vector-to-llvm leaves them, and translation fails). Only
/// reshapes and storage casts are looked through; anything else produces a
/// fresh buffer.
Value contiguous(OpBuilder &b, Location loc, Value x) {
  for (Value v = x;;) {
    Operation *def = v.getDefiningOp();
    if (!def)
      return x; // function arguments have the identity layout
    if (auto slice = llvm::dyn_cast<tensor::ExtractSliceOp>(def)) {
      // Contiguous when it cuts the leading dimension only.
      ArrayRef<int64_t> src = slice.getSourceType().getShape();
      ArrayRef<int64_t> sizes = slice.getStaticSizes();
      bool leadingOnly = slice.hasUnitStride() && sizes.size() == src.size();
      for (size_t d = 1; leadingOnly && d < src.size(); ++d)
        leadingOnly = sizes[d] == src[d] && !ShapedType::isDynamic(src[d]);
      if (leadingOnly)
        return x;
      break;
    }
    if (!llvm::isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp,
                   mq::StorageCastOp>(def))
      return x;
    v = def->getOperand(0);
  }
  auto ty = llvm::cast<RankedTensorType>(x.getType());
  Value empty =
      tensor::EmptyOp::create(b, loc, ty.getShape(), ty.getElementType());
  return linalg::CopyOp::create(b, loc, x, empty).getResult(0);
}

/// The i8 tensor `x` with each element's sign bit flipped (int8 <-> u8
/// view) where `flip`, sign-extended to `elem` (i8: not extended), as a
/// vector loop over its flat elements: 64 per step, the tail masked. The
/// kernels run it on every call; the linalg level's `flipSignBit` (a
/// linalg.generic, which also takes dynamic shapes) becomes a scalar byte
/// loop in this pipeline.
Value int8ViewVectors(OpBuilder &b, Location loc, Value x, bool flip,
                      IntegerType elem) {
  auto ty = llvm::cast<RankedTensorType>(x.getType());
  int64_t n = ty.getNumElements(), step = 4 * kLanes;
  Type i8 = b.getI8Type();
  auto wide = VectorType::get({step}, elem);
  Value flat = flatten(b, loc, x);
  auto v64i8 = VectorType::get({step}, i8);
  Value bit = intConstant(b, loc, v64i8, -128);
  Value pad = intConstant(b, loc, i8, 0);
  auto convert = [&](OpBuilder &b, Value at, Value into, bool masked) {
    bool inBounds[] = {!masked};
    Value v = vector::TransferReadOp::create(b, loc, v64i8, flat,
                                             ValueRange{at}, pad, inBounds);
    if (flip)
      v = arith::XOrIOp::create(b, loc, v, bit);
    if (elem != i8)
      v = arith::ExtSIOp::create(b, loc, wide, v);
    return vector::TransferWriteOp::create(b, loc, v, into, ValueRange{at},
                                           inBounds)
        .getResult();
  };
  Value out = flatLaneLoop(
      b, loc, 0, n, step,
      tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{n}, elem), convert);
  return unflatten(b, loc, out, ty.getShape());
}

struct MatMulKernel {
  int64_t m, k, n;       // problem
  int64_t mr, u;         // register block: rows, blocks of 16 outputs
  int64_t mPad, kPad, nBlocks; // padded sizes (nBlocks multiple of u)
  int64_t kStep;         // K consumed per inner iteration (4 for VNNI)
};

/// The loop nest every kernel shares: column panels of u blocks of 16
/// outputs (outer: one panel of packed weights stays in cache while every
/// row block streams past it), row blocks of mr (middle), the reduction
/// (inner) carrying mr x u vector accumulators.
struct LoopNest {
  int64_t panels, mPad, mr, u, kIters;
  Value out0; // the [mPad][nPad] destination
  /// The mr x u initial accumulators of a block of `panel`: the bias, so
  /// that the epilogue need not add it.
  std::function<SmallVector<Value>(OpBuilder &, Value panel)> init;
  /// Independent accumulator sets the reduction is split over (kIters %
  /// kSplit == 0): iteration i runs steps i*kSplit + s on set s, the sets
  /// are summed before the store (integers exactly; floats in another
  /// order than one chain, within float rounding). Few accumulators (a
  /// fully connected layer at batch 1: one) would otherwise make the loop
  /// one chain of dependent dot products, bound by their latency.
  int64_t kSplit = 1;
  /// Reduction steps per pass (0: one pass). With kBlock < kIters (and
  /// kSplit 1), a panel runs its reduction in passes of about kBlock steps
  /// over all its row blocks, so that the weights of one pass stay in the
  /// L1 cache from one row block to the next; between passes each row
  /// block's accumulators wait in a scratch buffer.
  int64_t kBlock = 0;
  VectorType accType = {}; // the accumulators' type (needed with kBlock)
  /// Emitted before the reduction of each row block (every pass of it),
  /// when set: the VNNI kernels copy the block's activations there.
  std::function<void(OpBuilder &, Value m)> beforeBlock = {};
};

/// How many accumulator sets a kernel with `accs` accumulators and `kIters`
/// reduction steps splits its reduction over (LoopNest::kSplit): for fewer
/// than 4 accumulators (one or two rows of a narrow layer), enough for 8
/// independent chains (vpdpbusd, sdot, FMA: 4-5 cycles latency, 2 per
/// cycle), where the reduction is long enough for it to pay. With 4 or
/// more the loads already limit the loop: splitting a 4-row fp32 conv
/// over 2 sets measured slower on Sapphire Rapids.
int64_t reductionSplit(int64_t accs, int64_t kIters) {
  int64_t split = 1;
  if (accs >= 4)
    return split;
  while (accs * split * 2 <= 8 && kIters >= split * 2 * 8)
    split *= 2;
  return split;
}

/// LoopNest::init for accumulators of rows x u blocks of 16 channels that
/// start at `blockInit(b, panel, j)` on every row.
std::function<SmallVector<Value>(OpBuilder &, Value)>
sameOnEveryRow(int64_t rows, int64_t u,
               std::function<Value(OpBuilder &, Value, int64_t)> blockInit) {
  return [=](OpBuilder &b, Value panel) {
    SmallVector<Value> inits;
    for (int64_t j = 0; j < u; ++j)
      inits.push_back(blockInit(b, panel, j));
    for (int64_t r = 1; r < rows; ++r)
      for (int64_t j = 0; j < u; ++j)
        inits.push_back(inits[j]);
    return inits;
  };
}
using StepFn = function_ref<void(OpBuilder &, Value panel, Value m, Value k,
                                 ValueRange accs, SmallVectorImpl<Value> &next)>;
using StoreFn = function_ref<Value(OpBuilder &, Value panel, Value m,
                                   ValueRange accs, Value out)>;

Value emitLoopNest(OpBuilder &b, Location loc, const LoopNest &nest,
                   StepFn step, StoreFn store) {
  Value c0 = index(b, loc, 0), c1 = index(b, loc, 1);
  // Reduction steps [lo, hi) of the row block at m from `inits`: the
  // accumulators after them (the kSplit sets summed).
  auto reduce = [&](OpBuilder &b, Value panel, Value m,
                    SmallVector<Value> inits, OpFoldResult lo,
                    OpFoldResult hi) -> SmallVector<Value> {
    if (nest.beforeBlock)
      nest.beforeBlock(b, m);
    size_t perSet = inits.size();
    for (int64_t s = 1; s < nest.kSplit; ++s)
      for (size_t i = 0; i < perSet; ++i)
        inits.push_back(arith::ConstantOp::create(
            b, loc, cast<TypedAttr>(b.getZeroAttr(inits[i].getType()))));
    auto kLoop = scf::ForOp::create(
        b, loc, getValueOrCreateConstantIndexOp(b, loc, lo),
        getValueOrCreateConstantIndexOp(b, loc, hi), c1, inits);
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(kLoop.getBody());
      SmallVector<Value> next;
      ValueRange accs = kLoop.getRegionIterArgs();
      for (int64_t s = 0; s < nest.kSplit; ++s) {
        Value k = kLoop.getInductionVar();
        if (nest.kSplit > 1)
          k = arith::AddIOp::create(
              b, loc,
              arith::MulIOp::create(b, loc, k, index(b, loc, nest.kSplit)),
              index(b, loc, s));
        SmallVector<Value> setNext;
        step(b, panel, m, k, accs.slice(s * perSet, perSet), setNext);
        next.append(setNext);
      }
      scf::YieldOp::create(b, loc, next);
    }
    SmallVector<Value> sums(kLoop.getResults().take_front(perSet));
    for (int64_t s = 1; s < nest.kSplit; ++s)
      for (size_t i = 0; i < perSet; ++i)
        sums[i] = isa<FloatType>(getElementTypeOrSelf(sums[i].getType()))
                      ? arith::AddFOp::create(b, loc, sums[i],
                                              kLoop.getResult(s * perSet + i))
                            .getResult()
                      : arith::AddIOp::create(b, loc, sums[i],
                                              kLoop.getResult(s * perSet + i))
                            .getResult();
    return sums;
  };
  assert(nest.kIters % nest.kSplit == 0 && "kIters must divide by kSplit");
  int64_t passes = 1;
  if (nest.kBlock > 0 && nest.kSplit == 1)
    passes = ceilDiv(nest.kIters, nest.kBlock);
  // The row blocks of a panel, `carried` through them.
  auto rows = [&](Value carried,
                  function_ref<Value(OpBuilder &, Value, Value)> body) {
    return forRange(b, loc, 0, nest.mPad, nest.mr, carried, body);
  };
  if (passes == 1) {
    auto nLoop = scf::ForOp::create(b, loc, c0, index(b, loc, nest.panels),
                                    c1, ValueRange{nest.out0});
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(nLoop.getBody());
    Value panel = nLoop.getInductionVar();
    auto mLoop = scf::ForOp::create(b, loc, c0, index(b, loc, nest.mPad),
                                    index(b, loc, nest.mr),
                                    ValueRange{nLoop.getRegionIterArgs()[0]});
    b.setInsertionPointToStart(mLoop.getBody());
    Value m = mLoop.getInductionVar();
    SmallVector<Value> sums =
        reduce(b, panel, m, nest.init(b, panel), c0,
               b.getIndexAttr(nest.kIters / nest.kSplit));
    Value o = store(b, panel, m, sums, mLoop.getRegionIterArgs()[0]);
    scf::YieldOp::create(b, loc, o);
    b.setInsertionPointAfter(mLoop);
    scf::YieldOp::create(b, loc, mLoop.getResult(0));
    return nLoop.getResult(0);
  }

  // The reduction in passes of `block` steps over all row blocks of a
  // panel; between passes the accumulators of row m + r, block j wait in
  // scratch[m + r][j] (one [mPad][u][lanes] buffer for all panels).
  int64_t block = ceilDiv(nest.kIters, passes);
  VectorType accTy = nest.accType;
  assert(accTy && "a reduction in passes needs the accumulators' type");
  Value scratch0 = tensor::EmptyOp::create(
      b, loc,
      ArrayRef<int64_t>{nest.mPad, nest.u, accTy.getNumElements()},
      accTy.getElementType());
  auto at = [&](OpBuilder &b, Value m, int64_t i) -> SmallVector<Value> {
    return {arith::AddIOp::create(b, loc, m, index(b, loc, i / nest.u)),
            index(b, loc, i % nest.u), c0};
  };
  auto save = [&](OpBuilder &b, Value m, ArrayRef<Value> accs, Value scr) {
    for (size_t i = 0; i < accs.size(); ++i)
      scr = vector::TransferWriteOp::create(b, loc, accs[i], scr, at(b, m, i),
                                            ArrayRef<bool>{true})
                .getResult();
    return scr;
  };
  auto restore = [&](OpBuilder &b, Value m, Value scr) {
    SmallVector<Value> accs;
    Value pad = arith::ConstantOp::create(
        b, loc, cast<TypedAttr>(b.getZeroAttr(accTy.getElementType())));
    for (int64_t i = 0; i < nest.mr * nest.u; ++i)
      accs.push_back(vector::TransferReadOp::create(
          b, loc, accTy, scr, at(b, m, i), pad, ArrayRef<bool>{true}));
    return accs;
  };
  auto nLoop = scf::ForOp::create(b, loc, c0, index(b, loc, nest.panels), c1,
                                  ValueRange{nest.out0, scratch0});
  OpBuilder::InsertionGuard g(b);
  b.setInsertionPointToStart(nLoop.getBody());
  Value panel = nLoop.getInductionVar();
  Value scr = nLoop.getRegionIterArgs()[1];
  // First pass: from the initial accumulators.
  scr = rows(scr, [&](OpBuilder &b, Value m, Value s) {
    return save(b, m,
                reduce(b, panel, m, nest.init(b, panel), c0,
                       b.getIndexAttr(block)),
                s);
  });
  // Middle passes.
  scr = forRange(b, loc, 1, passes - 1, 1, scr,
                 [&](OpBuilder &b, Value p, Value s) {
                   Value lo = arith::MulIOp::create(b, loc, p,
                                                    index(b, loc, block));
                   Value hi = arith::AddIOp::create(b, loc, lo,
                                                    index(b, loc, block));
                   return rows(s, [&](OpBuilder &b, Value m, Value s) {
                     return save(b, m,
                                 reduce(b, panel, m, restore(b, m, s), lo, hi),
                                 s);
                   });
                 });
  // Last pass: the rest of the reduction, then the store.
  Value out = rows(nLoop.getRegionIterArgs()[0],
                   [&](OpBuilder &b, Value m, Value o) {
                     SmallVector<Value> sums = reduce(
                         b, panel, m, restore(b, m, scr),
                         b.getIndexAttr((passes - 1) * block),
                         b.getIndexAttr(nest.kIters));
                     return store(b, panel, m, sums, o);
                   });
  scf::YieldOp::create(b, loc, ValueRange{out, scr});
  return nLoop.getResult(0);
}

/// Makes `nest` run its reduction in passes (LoopNest::kBlock) where a
/// panel's weights, `stepBytes` per reduction step, overflow the 48 KiB L1
/// data cache: passes of at most 32 KiB of weights. Measured on Sapphire
/// Rapids (VNNI, 4 x 64 blocks, interleaved repetitions against oneDNN):
/// +8 % on a 1024^3 matmul (K = 1024: 64 KiB panels), +8-11 % on the
/// 3x3 convs with K = 1152-4608, but -5 % with K = 576 (36 KiB) cut in two
/// passes, hence only past 48 KiB. (The fp32 kernel measured slower with
/// it and keeps one pass.) With one row block (a fully connected layer at
/// batch 1) the weights are read once either way: the passes would only
/// add a save and a restore of the accumulators, so one pass stays.
void reduceInL1Passes(LoopNest &nest, int64_t stepBytes, VectorType accType) {
  if (nest.kIters * stepBytes <= 48 * 1024 || nest.mPad <= nest.mr)
    return;
  nest.kBlock = std::max<int64_t>(1, 32 * 1024 / stepBytes);
  nest.accType = accType;
}

/// The first output column of block u of a panel.
Value columnOf(OpBuilder &b, Location loc, Value panel, int64_t u,
               int64_t block) {
  Value nb = arith::MulIOp::create(b, loc, panel, index(b, loc, u));
  return arith::MulIOp::create(
      b, loc, arith::AddIOp::create(b, loc, nb, index(b, loc, block)),
      index(b, loc, kLanes));
}

/// Whether the target narrows with the AVX-512BW byte packs
/// (intq.x86.pack_bytes).
bool hasBytePacks(KernelTarget target) {
  return target == KernelTarget::X86Vnni || target == KernelTarget::X86Amx;
}

/// Whether the target's int8 matrix kernels read their activations as u8
/// (x86 vpdpbusd and vpmaddubsw multiply u8 by s8): an int8 input is read
/// with its sign bits flipped there (the correction folded into the bias),
/// a uint8 input on the other targets.
bool readsU8View(KernelTarget target) {
  return target == KernelTarget::X86Vnni ||
         target == KernelTarget::X86Avx2Bytes;
}

/// The part of [lo, hi] inside the range [tmin, tmax] of a `bits`-wide
/// storage type, applied to narrow lanes `r` (16 or 64 of them) that hold
/// that type's bit patterns.
Value clampNarrowLanes(OpBuilder &b, Location loc, Value r, bool isSigned,
                       unsigned bits, int64_t lo, int64_t hi, int64_t tmin,
                       int64_t tmax) {
  // The bound as the narrow lane's bit pattern (unsigned above the signed
  // range).
  auto bound = [&](int64_t v) {
    return intConstant(b, loc, r.getType(), llvm::SignExtend64(v, bits));
  };
  if (lo > tmin)
    r = isSigned ? Value(arith::MaxSIOp::create(b, loc, r, bound(lo)))
                 : Value(arith::MaxUIOp::create(b, loc, r, bound(lo)));
  if (hi < tmax)
    r = isSigned ? Value(arith::MinSIOp::create(b, loc, r, bound(hi)))
                 : Value(arith::MinUIOp::create(b, loc, r, bound(hi)));
  return r;
}

/// The output stage of one block of 16 channels, from accumulator vectors
/// to the vectors stored: `requantize` (i32 to the value before
/// narrowing), then `narrow` for one vector, or `narrowFour` for four rows
/// at once where the target has it (AVX-512: intq.x86.pack_bytes). Callable
/// on one accumulator like the std::function maps elsewhere.
struct OutputMap {
  std::function<Value(Value)> requantize;
  std::function<Value(Value)> narrow = [](Value v) { return v; };
  /// Four requantized vectors to one vector<64xi8> (null where the target
  /// has no such narrowing).
  std::function<Value(ArrayRef<Value>)> narrowFour;

  OutputMap() = default;
  /// A map with nothing to narrow (the float kernels' clamp).
  OutputMap(std::function<Value(Value)> f) : requantize(std::move(f)) {}

  Value operator()(Value acc) const { return narrow(requantize(acc)); }

  /// Quarters [q, q + n) of narrowFour's result: n stored vectors' bytes.
  Value sliceOf(Value bytes, int64_t q, int64_t n) const {
    OpBuilder b(bytes.getContext());
    b.setInsertionPointAfterValue(bytes);
    return vector::ExtractStridedSliceOp::create(
        b, bytes.getLoc(), bytes, ArrayRef<int64_t>{q * kLanes},
        ArrayRef<int64_t>{n * kLanes}, ArrayRef<int64_t>{1});
  }

  /// The stored vectors of `accs`, in order: four at a time through
  /// narrowFour where there is one, the rest one by one.
  SmallVector<Value> all(ArrayRef<Value> accs) const {
    SmallVector<Value> out;
    size_t i = 0;
    if (narrowFour)
      for (; i + 4 <= accs.size(); i += 4) {
        SmallVector<Value> rows;
        for (size_t r = 0; r < 4; ++r)
          rows.push_back(requantize(accs[i + r]));
        Value bytes = narrowFour(rows);
        for (int64_t r = 0; r < 4; ++r)
          out.push_back(sliceOf(bytes, r, 1));
      }
    for (; i < accs.size(); ++i)
      out.push_back((*this)(accs[i]));
    return out;
  }
};

/// Writes an mr x u block of accumulators (rows m.., the u column blocks of
/// `panel`) into `out`: for each column block, `perBlock(j, column)`
/// prepares what the block needs and returns the map from an accumulator
/// to the vector to store.
///
/// Where the maps narrow four vectors at once (OutputMap::narrowFour), the
/// four are chosen so that their bytes are stored whole: four column
/// blocks of one row (64 contiguous bytes) when u is a multiple of 4, two
/// blocks of two rows (two 32-byte stores) when u is even, else four rows
/// of one block (LLVM would otherwise merge neighbouring 16-byte stores
/// into wider ones assembled with extra shuffles).
///
/// When `out` has fewer rows than the blocks cover, rows past its last one
/// are written to the last one (they were computed from it: the kernels
/// clamp their row reads the same way, so the value is the same); when it
/// has fewer columns, the stores are masked to them.
Value storeBlock(OpBuilder &b, Location loc, Value panel, Value m, int64_t mr,
                 int64_t u, ValueRange accs, Value out,
                 function_ref<OutputMap(int64_t, Value)> perBlock,
                 int64_t mPad = 0, int64_t nPad = 0) {
  auto outTy = llvm::cast<ShapedType>(out.getType());
  int64_t rows = outTy.getDimSize(0), cols = outTy.getDimSize(1);
  SmallVector<bool> inBounds = {nPad == 0 || cols == nPad};
  auto rowOf = [&](int64_t r) -> Value {
    Value row = arith::AddIOp::create(b, loc, m, index(b, loc, r));
    if (mPad && rows != mPad)
      row = arith::MinUIOp::create(b, loc, row, index(b, loc, rows - 1));
    return row;
  };
  auto write = [&](Value v, int64_t r, Value col) {
    out = vector::TransferWriteOp::create(b, loc, v, out,
                                          ValueRange{rowOf(r), col},
                                          ArrayRef<bool>(inBounds))
              .getResult();
  };
  SmallVector<Value> colOf;
  SmallVector<OutputMap> maps;
  for (int64_t j = 0; j < u; ++j) {
    colOf.push_back(columnOf(b, loc, panel, u, j));
    maps.push_back(perBlock(j, colOf.back()));
  }
  auto packed = [&](ArrayRef<std::pair<int64_t, int64_t>> rj) {
    SmallVector<Value> v;
    for (auto [r, j] : rj)
      v.push_back(maps[j].requantize(accs[r * u + j]));
    return maps[rj[0].second].narrowFour(v);
  };
  if (maps[0].narrowFour && u % 4 == 0) {
    for (int64_t r = 0; r < mr; ++r)
      for (int64_t j = 0; j < u; j += 4)
        write(packed({{r, j}, {r, j + 1}, {r, j + 2}, {r, j + 3}}), r,
              colOf[j]);
    return out;
  }
  if (maps[0].narrowFour && u % 2 == 0 && mr % 2 == 0) {
    for (int64_t r = 0; r < mr; r += 2)
      for (int64_t j = 0; j < u; j += 2) {
        Value bytes = packed({{r, j}, {r, j + 1}, {r + 1, j}, {r + 1, j + 1}});
        write(maps[j].sliceOf(bytes, 0, 2), r, colOf[j]);
        write(maps[j].sliceOf(bytes, 2, 2), r + 1, colOf[j]);
      }
    return out;
  }
  for (int64_t j = 0; j < u; ++j) {
    SmallVector<Value> blockAccs;
    for (int64_t r = 0; r < mr; ++r)
      blockAccs.push_back(accs[r * u + j]);
    SmallVector<Value> stored = maps[j].all(blockAccs);
    for (int64_t r = 0; r < mr; ++r)
      write(stored[r], r, colOf[j]);
  }
  return out;
}

/// The [mPad][nPad] result cut to [m][n], and expanded back to 3-D when the
/// matmul's input was.
Value unpad(OpBuilder &b, Location loc, Value y, int64_t m, int64_t n,
            ArrayRef<int64_t> lhsShape) {
  auto ty = llvm::cast<RankedTensorType>(y.getType());
  Type elem = ty.getElementType();
  if (ty.getDimSize(0) != m || ty.getDimSize(1) != n)
    y = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({m, n}, elem), y,
        ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(0)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(m), b.getIndexAttr(n)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
  if (lhsShape.size() == 3)
    y = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({lhsShape[0], lhsShape[1], n}, elem), y,
        ArrayRef<ReassociationIndices>{{0, 1}, {2}});
  return y;
}

/// The [rows][cols] destination of a kernel whose result has the shape
/// `resultShape` (its rows flattened). When the kernel computes exactly the
/// result (no padded rows or columns), a 2-D view of an empty tensor of the
/// result's shape: the reshape back to it (unpad) then folds away and
/// bufferization writes the result buffer in place, with no copy.
/// `fresh`: a bufferization.alloc_tensor instead of a tensor.empty, for a
/// kernel that reads its input's buffer through memrefs while it writes
/// the result. CSE merges equal tensor.empty ops, so an empty destination
/// could share the buffer of an earlier kernel's result, this kernel's
/// input, which one-shot bufferization sees read only where the memref is
/// taken (a to_buffer), not where the tile loads read it.
Value kernelDestination(OpBuilder &b, Location loc, int64_t rows, int64_t cols,
                        Type elem, ArrayRef<int64_t> resultShape,
                        bool fresh = false) {
  auto empty = [&](ArrayRef<int64_t> shape) -> Value {
    auto type = RankedTensorType::get(shape, elem);
    if (fresh)
      return bufferization::AllocTensorOp::create(b, loc, type, ValueRange{});
    return tensor::EmptyOp::create(b, loc, shape, elem);
  };
  int64_t rank = resultShape.size();
  if (rank <= 2 || resultShape.back() != cols ||
      ShapedType::getNumElements(resultShape) != rows * cols)
    return empty({rows, cols});
  Value full = empty(resultShape);
  ReassociationIndices lead;
  for (int64_t d = 0; d + 1 < rank; ++d)
    lead.push_back(d);
  return tensor::CollapseShapeOp::create(
      b, loc, full, ArrayRef<ReassociationIndices>{lead, {rank - 1}});
}

/// The per-channel output-stage constants of a kernel, padded to whole
/// blocks of 16 channels (padded channels are computed and dropped).
///
/// On x86 (`paired`) the fixed-point multiply runs on i64 lane pairs
/// (vpmuldq without widening the vector). Where every right shift is at
/// least 1 and the accumulator bound allows it, both roundings of the
/// double rounding fold into one (initDoubleRoundHigh: the high halves of
/// 2x * M0 + round); otherwise the rounding doubling high multiply
/// (buildSRDHMPairedLanes) is followed by the rounding shift, in its
/// cheaper form (RequantParams::roundNudge) when the accumulator bound
/// proves it cannot overflow.
///
/// With single rounding (OutputStage::singleRound) on x86, where every
/// channel's shift s is at least 32, the kernels take the high halves of
/// x * M0 + 2^(s-1) (+ zp * 2^s where that cannot overflow) on lane pairs:
/// RequantParams::roundEven / roundOdd.
struct ChannelConstants {
  Value bias, mult, right, left; // left is null when no channel shifts left
  Value nudge, negMask;          // null unless the short rounding is safe
  bool zeroPointInNudge = false; // nudge includes zp << right
  Value roundEven, roundOdd;     // single rounding on lane pairs (i64)
  const OutputStage *stage;
  bool paired; // x86: the multiplies on i64 lane pairs
  bool neon;   // AArch64: sqrdmulh / srshl (right holds -right)
  bool packs;  // AVX-512: four rows narrowed at once (intq.x86.pack_bytes)

  ChannelConstants(OpBuilder &b, Location loc, const OutputStage &st,
                   int64_t padded, KernelTarget target)
      : stage(&st),
        paired(target == KernelTarget::X86Avx2 ||
               target == KernelTarget::X86Avx2Bytes ||
               target == KernelTarget::X86Vnni ||
               target == KernelTarget::X86Amx),
        neon(target == KernelTarget::Arm64Dot ||
             target == KernelTarget::Arm64I8mm),
        packs(hasBytePacks(target)) {
    auto make = [&](auto values, int64_t fill) {
      SmallVector<int64_t> v(values.begin(), values.end());
      v.resize(padded, fill);
      return denseIntConstant(b, loc, {padded}, b.getI32Type(), v);
    };
    if (st.singleRound) {
      initBiasAndMultiplier(b, loc, st, padded, /*biased=*/false);
      initSingleRound(b, loc, st, padded);
      return;
    }
    if (paired && initDoubleRoundHigh(b, loc, st, padded))
      return;
    initBiasAndMultiplier(b, loc, st, padded, /*biased=*/false);
    if (neon) {
      // srshl by -right; its sign bit also marks the channels whose
      // rounding needs the fixup (RequantParams::neon).
      SmallVector<int64_t> neg;
      for (int32_t r : st.rightShift)
        neg.push_back(-int64_t(r));
      right = make(neg, 0);
      left = st.needLeftShift ? make(st.leftShift, 0) : Value();
      return;
    }
    right = make(st.rightShift, 0);
    left = st.needLeftShift ? make(st.leftShift, 0) : Value();
    if (paired && shortRoundingIsSafe(st, 0)) {
      // The zero point joins the nudge (zp << right) where that cannot
      // overflow either.
      zeroPointInNudge = shortRoundingIsSafe(st, st.zeroPoint);
      SmallVector<int64_t> nudges, masks;
      for (int32_t r : st.rightShift) {
        int64_t n = r > 0 ? int64_t(1) << (r - 1) : 0;
        if (zeroPointInNudge)
          n += int64_t(st.zeroPoint) * (int64_t(1) << r);
        nudges.push_back(n);
        masks.push_back(r > 0 ? -1 : 0);
      }
      nudge = make(nudges, zeroPointInNudge ? st.zeroPoint : 0);
      negMask = make(masks, 0);
    }
  }

  /// The folded bias and the multipliers M0 of the padded channels
  /// (padded ones: bias 0, M0 = 2^30). With `biased` (the one-step double
  /// rounding, RequantParams::roundEven) the bias holds bias + 2^31 and
  /// the multipliers 2 M0: 32-bit patterns, wrapping on purpose.
  void initBiasAndMultiplier(OpBuilder &b, Location loc,
                             const OutputStage &st, int64_t padded,
                             bool biased) {
    SmallVector<int64_t> biases(st.bias.begin(), st.bias.end());
    SmallVector<int64_t> mults(st.multiplier.begin(), st.multiplier.end());
    biases.resize(padded, 0);
    mults.resize(padded, int64_t(1) << 30);
    if (biased) {
      for (int64_t &v : biases)
        v += int64_t(1) << 31;
      for (int64_t &v : mults)
        v *= 2;
    }
    bias = denseIntConstant(b, loc, {padded}, b.getI32Type(), biases);
    mult = denseIntConstant(b, loc, {padded}, b.getI32Type(), mults);
  }

  /// The double rounding in one rounding step on lane pairs
  /// (RequantParams::roundEven without singleRound): where no channel
  /// shifts left, every right shift is at least 1, twice the accumulator
  /// bound fits int32 and |2x * M0 + round| <= 2^62 for |x| <= bound. The
  /// zero point joins the rounding terms where that bound still holds.
  /// False (nothing set) otherwise.
  bool initDoubleRoundHigh(OpBuilder &b, Location loc, const OutputStage &st,
                           int64_t padded) {
    if (st.needLeftShift || st.bound >= (int64_t(1) << 30) ||
        llvm::any_of(st.rightShift, [](int32_t r) { return r < 1; }))
      return false;
    auto worst = [&](int64_t zp) {
      __int128 w = 0;
      for (auto [m0, r] : llvm::zip(st.multiplier, st.rightShift))
        w = std::max(w, oneStepRoundingWorst(st.bound, m0, r, zp));
      return w;
    };
    const __int128 limit = __int128(1) << 62;
    if (worst(0) > limit)
      return false;
    zeroPointInNudge = worst(st.zeroPoint) <= limit;
    // Padded channels (M0 = 2^30, dropped): right 1.
    SmallVector<int64_t> shifts(st.rightShift.begin(), st.rightShift.end());
    shifts.resize(padded, 1);
    // Unsigned products of the accumulator plus 2^31
    // (RequantParams::roundEven): the 2^31 joins the bias (the accumulators
    // wrap), the multipliers are 2 M0 and the rounding terms lose 2^32
    // (M0 + 1).
    initBiasAndMultiplier(b, loc, st, padded, /*biased=*/true);
    SmallVector<int64_t> even, odd;
    for (int64_t c = 0; c < padded; ++c) {
      bool real = c < int64_t(st.rightShift.size());
      int64_t m0 = real ? st.multiplier[c] : int64_t(1) << 30;
      int64_t zp = zeroPointInNudge && real ? st.zeroPoint : 0;
      (c % 2 ? odd : even)
          .push_back(oneStepRoundingTerm(m0, shifts[c], zp));
    }
    roundEven = denseIntConstant(b, loc, {padded / 2}, b.getI64Type(), even);
    roundOdd = denseIntConstant(b, loc, {padded / 2}, b.getI64Type(), odd);
    right = denseIntConstant(b, loc, {padded}, b.getI32Type(), shifts);
    return true;
  }

  /// Single rounding: the shifts s (padded channels: M0 = 2^30, s = 32),
  /// and on lane pairs the rounding terms of the even and odd channels.
  void initSingleRound(OpBuilder &b, Location loc, const OutputStage &st,
                       int64_t padded) {
    auto make = [&](ArrayRef<int64_t> v, Type elem, int64_t n) {
      return denseIntConstant(b, loc, {n}, elem, v);
    };
    SmallVector<int64_t> shifts(st.rightShift.begin(), st.rightShift.end());
    shifts.resize(padded, 32);
    if (neon && singleRoundsInHighHalves(st)) {
      // RequantParams::neon: srshl by 31 - s after sqdmulh.
      SmallVector<int64_t> amounts;
      for (int64_t s : shifts)
        amounts.push_back(31 - s);
      right = make(amounts, b.getI32Type(), padded);
      return;
    }
    if (!paired || !singleRoundsInHighHalves(st)) {
      right = make(shifts, b.getI32Type(), padded);
      return;
    }
    // x * M0 + round + zp * 2^s stays inside i64 for |x| <= bound.
    __int128 zp = st.zeroPoint < 0 ? -int64_t(st.zeroPoint) : st.zeroPoint;
    zeroPointInNudge = llvm::all_of(
        llvm::zip(st.multiplier, st.rightShift), [&](auto ms) {
          auto [m0, sh] = ms;
          __int128 worst = __int128(st.bound) * m0 +
                           (__int128(1) << (sh - 1)) + zp * (__int128(1) << sh);
          return worst <= INT64_MAX;
        });
    SmallVector<int64_t> even, odd, k;
    for (int64_t c = 0; c < padded; ++c) {
      int64_t sh = shifts[c];
      int64_t r = int64_t(1) << (sh - 1);
      if (zeroPointInNudge && c < int64_t(st.rightShift.size()))
        r += int64_t(st.zeroPoint) * (int64_t(1) << sh);
      (c % 2 ? odd : even).push_back(r);
      k.push_back(sh - 32);
    }
    roundEven = make(even, b.getI64Type(), padded / 2);
    roundOdd = make(odd, b.getI64Type(), padded / 2);
    if (llvm::any_of(k, [](int64_t v) { return v != 0; }))
      right = make(k, b.getI32Type(), padded);
  }

  /// Single rounding whose every shift s is at least 32: the kernels
  /// take it from the high halves of the 64-bit products (x86 lane pairs,
  /// AArch64 sqdmulh).
  static bool singleRoundsInHighHalves(const OutputStage &st) {
    return st.singleRound &&
           llvm::all_of(st.rightShift, [](int32_t s) { return s >= 32; });
  }

  /// (x + 2^(right-1) + zp * 2^right) and (x + zp * 2^right - 1) cannot
  /// overflow int32 for any x = SRDHM(acc, M0) with |acc| <= the stage's
  /// bound (and no left shift, which saturates).
  static bool shortRoundingIsSafe(const OutputStage &st, int64_t zp) {
    if (st.needLeftShift)
      return false;
    for (auto [m0, r] : llvm::zip(st.multiplier, st.rightShift)) {
      int64_t x = (st.bound * int64_t(m0) + (int64_t(1) << 30)) >> 31;
      int64_t nudge = r > 0 ? int64_t(1) << (r - 1) : 0;
      int64_t z = zp * (int64_t(1) << r);
      if (x + nudge + std::max<int64_t>(z, 0) > INT32_MAX ||
          -x - 1 + std::min<int64_t>(z, 0) < INT32_MIN)
        return false;
    }
    return true;
  }

  /// The folded bias of the 16 channels from `channel` on: the kernels'
  /// initial accumulator.
  Value biasAt(OpBuilder &b, Location loc, Value channel) const {
    return vector::TransferReadOp::create(
        b, loc, VectorType::get({kLanes}, b.getI32Type()), bias,
        ValueRange{channel}, intConstant(b, loc, b.getI32Type(), 0),
        ArrayRef<bool>{true});
  }

  /// The output stage of the 16 channels from `channel` on, as a map from
  /// their i32 accumulator vectors (the bias included: biasAt) to the
  /// stored vectors of `outTy`'s storage type: requantization, zero point,
  /// clamp, narrowing (OutputMap: one vector, or several rows at once).
  OutputMap at(OpBuilder &b, Location loc, Value channel,
               quant::UniformQuantizedType outTy) const {
    auto v16i32 = VectorType::get({kLanes}, b.getI32Type());
    Value pad = intConstant(b, loc, b.getI32Type(), 0);
    auto load = [&](Value t) -> Value {
      return vector::TransferReadOp::create(b, loc, v16i32, t,
                                            ValueRange{channel}, pad,
                                            ArrayRef<bool>{true});
    };
    RequantParams p;
    p.multiplier = load(mult);
    p.rightShift = right ? load(right) : Value();
    p.leftShift = left ? load(left) : Value();
    p.singleRound = stage->singleRound;
    p.neon = neon && (!stage->singleRound || singleRoundsInHighHalves(*stage));
    if (roundEven) {
      // The i64 rounding terms of channels [channel, channel + 16): 8 even
      // and 8 odd ones from channel / 2.
      auto v8i64 = VectorType::get({kLanes / 2}, b.getI64Type());
      Value half = arith::DivUIOp::create(
          b, loc, channel, arith::ConstantIndexOp::create(b, loc, 2));
      Value pad64 = intConstant(b, loc, b.getI64Type(), 0);
      auto load64 = [&](Value t) -> Value {
        return vector::TransferReadOp::create(b, loc, v8i64, t,
                                              ValueRange{half}, pad64,
                                              ArrayRef<bool>{true});
      };
      p.roundEven = load64(roundEven);
      p.roundOdd = load64(roundOdd);
      p.zeroPointInNudge = zeroPointInNudge;
    }
    p.zeroPoint = intConstant(b, loc, v16i32, stage->zeroPoint);
    p.lo = intConstant(b, loc, v16i32, stage->lo);
    p.hi = intConstant(b, loc, v16i32, stage->hi);
    p.pairedLanes = paired;
    if (nudge) {
      p.roundNudge = load(nudge);
      p.roundNegMask = load(negMask);
      p.zeroPointInNudge = zeroPointInNudge;
    }
    // Where the zero point is part of the value before the clamp (it rides
    // in the rounding term, or the generic single rounding adds it in i64),
    // the result needs only its clamp: clamp to the storage type's own
    // range first, which LLVM narrows with one saturating instruction (x86
    // vpmovsdb / vpmovusdb / vpmovsqb), and apply the part of [lo, hi]
    // inside it on the narrow vector (4x the lanes per instruction).
    // Exact: lo >= tmin and hi <= tmax. (The other forms clamp to
    // [lo - zp, hi - zp] before adding zp, so that the add cannot wrap.)
    auto storage = llvm::cast<IntegerType>(outTy.getStorageType());
    unsigned bits = storage.getWidth();
    bool isSigned = outTy.isSigned();
    int64_t tmin =
        quant::QuantizedType::getDefaultMinimumForInteger(isSigned, bits);
    int64_t tmax =
        quant::QuantizedType::getDefaultMaximumForInteger(isSigned, bits);
    bool saturate = addsZeroPointBeforeClamp(p) && bits < 32;
    int64_t lo = stage->lo, hi = stage->hi;
    // AVX-512: four vectors narrowed by one intq.x86.pack_bytes, whose
    // packs saturate to the storage range themselves: where nothing else
    // needs the clamp (the zero point rides in the rounding term), the i32
    // value goes to them unclamped. (The generic single rounding, which
    // adds the zero point in i64, narrows from i64 with vpmovsqb instead.)
    bool packed = packs && bits == 8 && (!saturate || p.zeroPointInNudge);
    bool clampInPack = packed && saturate;
    if (clampInPack) {
      p.zeroPoint = p.lo = p.hi = Value();
    } else if (saturate) {
      p.lo = intConstant(b, loc, v16i32, tmin);
      p.hi = intConstant(b, loc, v16i32, tmax);
    }
    Type outV = VectorType::get({kLanes}, storage);
    OutputMap map;
    map.requantize = [&b, loc, p](Value acc) {
      return buildRequantize(b, loc, acc, p);
    };
    // The part of [lo, hi] inside the storage range, on narrow lanes (16 or
    // 64 of them).
    auto clampNarrow = [&b, loc, saturate, isSigned, bits, lo, hi, tmin,
                        tmax](Value r) -> Value {
      return saturate ? clampNarrowLanes(b, loc, r, isSigned, bits, lo, hi,
                                         tmin, tmax)
                      : r;
    };
    map.narrow = [&b, loc, outV, clampInPack, clampNarrow, tmin,
                  tmax](Value r) -> Value {
      if (clampInPack) {
        auto vt = llvm::cast<VectorType>(r.getType());
        r = arith::MinSIOp::create(
            b, loc,
            arith::MaxSIOp::create(b, loc, r, intConstant(b, loc, vt, tmin)),
            intConstant(b, loc, vt, tmax));
      }
      return clampNarrow(arith::TruncIOp::create(b, loc, outV, r));
    };
    if (packed)
      map.narrowFour = [&b, loc, isSigned, clampNarrow](ArrayRef<Value> rows) {
        return clampNarrow(X86PackBytesOp::create(
            b, loc, VectorType::get({4 * kLanes}, b.getI8Type()), rows[0],
            rows[1], rows[2], rows[3], /*isUnsigned=*/!isSigned));
      };
    return map;
  }
};

/// The output stage of the int8 kernel for `n` outputs: VNNI reads
/// activations as u8 (vpdpbusd is u8 x s8), int8 storage + 128, whose zero
/// point is zIn + 128 for either input signedness (co.zIn is the int8
/// view's) and magnitude up to 255. Failure when the accumulator could need
/// int64 (the op is then left to --intq-lower-to-linalg).
FailureOr<OutputStage> kernelOutputStage(Operation *op,
                                         const ComputeOperands &co,
                                         KernelTarget target, int64_t n,
                                         std::optional<double> clampMin,
                                         std::optional<double> clampMax) {
  // VNNI and vpmaddubsw read int8 as u8 (+128); AMX reads uint8 raw
  // (tdpbusd), which is the int8 view + 128 as well.
  bool u8View = readsU8View(target) ||
                (target == KernelTarget::X86Amx && !co.inTy.isSigned());
  auto st = computeOutputStageImpl(
      op, co.inTy, u8View ? co.zIn + 128 : co.zIn, u8View ? 255 : co.maxAbsIn,
      co.wTy, co.outTy, n, co.bias, co.weights, clampMin, clampMax);
  if (failed(st) || st->wide)
    return failure();
  return st;
}

/// Implicit GEMM: the kernel reads the rows of a convolution straight from
/// its padded NHWC input (flattened to 1-D) instead of an im2col copy. Row
/// r = (n, oh, ow) starts at ((n*PH + oh*s0)*PW + ow*s1)*C; reduction index
/// k = (kh, kw, c) adds ((kh*d0)*PW + kw*d1)*C + c.
///
/// The reduction is a sequence of runs, each contiguous in the input: the
/// KW x C elements one kernel row reads where its taps are adjacent
/// (dilation 1, or KW = 1), one tap's C otherwise. A kernel step reads
/// `kStep` consecutive elements, so with C % kStep == 0 steps tile the runs
/// and the kernel's reduction is the convolution's (group == 0). Otherwise
/// (`group` = kStep: the RGB stems, C = 3) each run is padded to a multiple
/// of `group` in the kernel's reduction: the groups read past the run's
/// end into the next pixels, whose bytes meet zero weights, and the padded
/// input gets columns past its right edge for the last run of a row
/// (rewriteConv). No im2col copy is made: ResNet's 7 x 7 stem (runs of 21
/// bytes) reduces over 7 x 24 = 168 instead of 147 (148 with the copy).
struct ConvRows {
  int64_t oh, ow, ph, pw, c, kw, s0, s1, d0, d1;
  int64_t group = 0;

  int64_t runLength() const { return kw == 1 || d1 == 1 ? kw * c : c; }
  /// A run's length in the kernel's reduction.
  int64_t paddedRun() const {
    return group ? ceilDiv(runLength(), group) * group : runLength();
  }
  /// The kernel's reduction length for a convolution reducing over `k`.
  int64_t kernelK(int64_t k) const { return k / runLength() * paddedRun(); }
  /// The convolution's reduction index that the kernel's index `kk` reads,
  /// or -1 where the kernel's weight is zero (past the end of a run).
  int64_t source(int64_t kk) const {
    int64_t pr = paddedRun(), run = runLength();
    return kk % pr < run ? kk / pr * run + kk % pr : -1;
  }
  /// The offset of run `r` from a row's first tap.
  int64_t runBase(int64_t r) const {
    if (runLength() == kw * c)
      return r * d0 * pw * c;
    return ((r / kw) * d0 * pw + (r % kw) * d1) * c;
  }

  /// The flat input index of row `row`'s first tap. Padding rows (row >= m)
  /// read the last real row; their results are dropped.
  Value rowBase(OpBuilder &b, Location loc, Value row, int64_t m) const {
    auto cst = [&](int64_t v) { return index(b, loc, v); };
    row = arith::MinUIOp::create(b, loc, row, cst(m - 1));
    Value img = arith::DivUIOp::create(b, loc, row, cst(oh * ow));
    Value rem = arith::RemUIOp::create(b, loc, row, cst(oh * ow));
    Value y = arith::DivUIOp::create(b, loc, rem, cst(ow));
    Value xx = arith::RemUIOp::create(b, loc, rem, cst(ow));
    Value line = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, img, cst(ph)),
        arith::MulIOp::create(b, loc, y, cst(s0)));
    Value pix = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, line, cst(pw)),
        arith::MulIOp::create(b, loc, xx, cst(s1)));
    return arith::MulIOp::create(b, loc, pix, cst(c));
  }

  /// The flat input index of row `row`'s first tap, at compile time.
  int64_t rowBaseOf(int64_t row) const {
    int64_t img = row / (oh * ow), y = row % (oh * ow) / ow, x = row % ow;
    return ((img * ph + y * s0) * pw + x * s1) * c;
  }

  /// The flat input index of the first tap of each row of the block of `mr`
  /// rows that starts at row `block`: from the block's first row, r pixels
  /// on (r * s1 * C), past the end of an output row on the next one (a
  /// block crosses at most one where mr <= OW + 1), rows past the last
  /// read the last one. One address computation with divisions per block
  /// instead of one per row (those took 9 % of MobileNetV2's stem, whose
  /// row blocks reduce over 9 steps only). Blocks that could cross an
  /// image (N > 1, OH x OW % mr != 0) or more than one output row take the
  /// divisions for each row.
  SmallVector<Value> blockRowBases(OpBuilder &b, Location loc, Value block,
                                   int64_t mr, int64_t m) const {
    SmallVector<Value> bases;
    bool aligned = ow % mr == 0 && m % mr == 0;
    bool oneImage = (oh * ow) % mr == 0 || m == oh * ow;
    if (!aligned && !(oneImage && mr <= ow + 1)) {
      for (int64_t r = 0; r < mr; ++r)
        bases.push_back(rowBase(
            b, loc, arith::AddIOp::create(b, loc, block, index(b, loc, r)),
            m));
      return bases;
    }
    Value first = rowBase(b, loc, block, m);
    // The rows of the block from OW - x0 on are on the next output row.
    Value x0 =
        aligned ? Value()
                : arith::RemUIOp::create(b, loc, block, index(b, loc, ow));
    bases.push_back(first);
    for (int64_t r = 1; r < mr; ++r) {
      Value v =
          arith::AddIOp::create(b, loc, first, index(b, loc, r * s1 * c));
      if (!aligned) {
        Value wraps = arith::CmpIOp::create(
            b, loc, arith::CmpIPredicate::uge,
            arith::AddIOp::create(b, loc, x0, index(b, loc, r)),
            index(b, loc, ow));
        v = arith::SelectOp::create(
            b, loc, wraps,
            arith::AddIOp::create(b, loc, v,
                                  index(b, loc, (s0 * pw - ow * s1) * c)),
            v);
      }
      if (m % mr != 0) {
        Value past = arith::CmpIOp::create(
            b, loc, arith::CmpIPredicate::uge,
            arith::AddIOp::create(b, loc, block, index(b, loc, r)),
            index(b, loc, m));
        v = arith::SelectOp::create(b, loc, past,
                                    index(b, loc, rowBaseOf(m - 1)), v);
      }
      bases.push_back(v);
    }
    return bases;
  }

  /// The offset of each reduction step of `kStep` (of the kernel's
  /// reduction, `kKernel` = kernelK) from a row's first tap, as an i32
  /// constant table (one load per step instead of divisions by C and KW).
  /// A step's elements are contiguous in the input: steps divide the
  /// (padded) runs. Steps past the real reduction (kKernel <= kk < kPad:
  /// padding, met by zero weights) read the first tap.
  Value offsets(OpBuilder &b, Location loc, int64_t kKernel, int64_t kPad,
                int64_t kStep) const {
    SmallVector<int64_t> offs;
    int64_t pr = paddedRun();
    for (int64_t kk = 0; kk < kPad; kk += kStep)
      offs.push_back(kk < kKernel ? runBase(kk / pr) + kk % pr : 0);
    return denseIntConstant(b, loc, {int64_t(offs.size())}, b.getI32Type(),
                            offs);
  }
};

/// The AArch64 sdot kernel's lane-indexed step: the bytes of one row's
/// activations that one iteration reads, in 16-byte loads whose 4-byte
/// groups feed `sdot v.4s, v.16b, v.4b[j]` by lane (0: none fits, the
/// kernel broadcasts 4 bytes per step with `ld1r` instead). A matrix is
/// zero-padded to a multiple of the step (16 to 32 bytes; 8 or 12 where
/// the padded copy is made anyway, with slack for the one load). In a
/// convolution a step must be contiguous in memory and tile the reduction:
/// a divisor of the run of bytes a kernel row reads (KW x C where its
/// columns are adjacent, dilation 1; C, one pixel, where they are not;
/// padded to a multiple of 4 where C % 4 != 0, ConvRows::group) from 16 to
/// 64, or a whole run of 8 or 12 bytes, whose one 16-byte load reads past
/// it (rewriteConv adds columns to the padded input for the last run of a
/// row). A step is loaded at 0, 16, ... and, when 16 does not divide it,
/// last at its end minus 16, so that no byte outside it is read (but for
/// those short runs); the kernel loads each 16 bytes of the 4 rows right before the
/// groups they feed, so 4 activation registers are live next to the 16
/// accumulators and the weights at any step length. Chosen by the cost
/// below: K = 24 takes 12 (two steps), K = 37 takes 20 (padded to 40),
/// K % 32 == 0 takes 32; at 3 x 3, C = 8 takes 24 bytes (2 loads for 6
/// groups where the broadcasts took 6 `ld1r`), C = 12 or 24 takes 36, C =
/// 16 or 32 takes 48, C % 64 == 0 takes 64; GoogLeNet's 5 x 5 with C = 24
/// 60 of its 120 (4 loads for 15 groups); C = 3 or 4 at 3 x 3 one step of
/// 12 per kernel row; only runs of 4 bytes and a few others (68 = 4 x 17)
/// keep the broadcasts. llvm-mca (scripts/mca.py): gnet_5x5_14_24 went
/// from 89 % to 100 % of Neoverse V1's sdot limit and from 62 % to 99 % of
/// N1's; the ResNet 3 x 3 layers on N1 from 95 % (16-byte steps) to 100 %;
/// MobileNetV2's stem (C = 3) from 4.5 to 4 cycles per 16 sdot on V1.
int64_t laneSegment(KernelTarget t, const std::optional<ConvRows> &conv,
                    int64_t k) {
  if (t != KernelTarget::Arm64Dot)
    return 0;
  int64_t run = k;
  bool small = !conv && k % 4 == 0 && k % 16 != 0;
  if (conv) {
    run = conv->paddedRun();
    k = conv->kernelK(k);
    // A run shorter than a load (8 or 12 bytes: C = 4 or a grouped C = 3
    // at 3 x 3) is one step, its 16-byte load reading past the run into
    // the next pixels (zero weights; rewriteConv gives the padded input
    // columns for the last run of a row).
    small = run < 16;
  }
  // Cost of a step per row block: its groups of 4 (padding included) plus
  // its 16-byte loads of the 4 rows, a load weighed as one group (N1
  // dispatches 8 micro-ops for the 4 loads against 4 for a group's sdots,
  // V1 issues loads off the vector pipes). A convolution's steps tile the
  // run; a matrix pads K. Two steps at least where that is possible: with
  // the whole reduction in one step there is no K loop, and LLVM hoists
  // every weight load of the step out of the row loop and spills them
  // (mbv2_pw_56_24_144, K = 24 in one step: 132 cycles per row block on
  // N1 in llvm-mca, against at most 127 for two steps of 16 padded to 32).
  // Ties go to the longer step (fewer iterations and offset loads).
  // A matrix that is copied to pad K anyway (K % 16 != 0) may also take
  // steps of 8 or 12 bytes, read by one 16-byte load each (the copy gets
  // 16 - seg bytes of slack past K for the last one): K = 24 in two steps
  // of 12 (6 groups) instead of two of 16 over K padded to 32 (8 groups).
  auto pick = [&](bool twoSteps) {
    int64_t best = 0, bestCost = 0;
    for (int64_t seg = small ? 8 : 16; seg <= (conv ? 64 : 32); seg += 4) {
      int64_t steps = ceilDiv(k, seg);
      if ((conv && run % seg != 0) || (twoSteps && steps < 2))
        continue;
      int64_t cost = steps * (seg / 4 + ceilDiv(seg, 16));
      if (!best || cost <= bestCost) {
        best = seg;
        bestCost = cost;
      }
    }
    return best;
  };
  int64_t seg = pick(/*twoSteps=*/true);
  return seg ? seg : pick(/*twoSteps=*/false);
}

/// The AArch64 i8mm kernel (`smmla`: a 2x8 by 8x2 int8 product into a 2x2
/// int32 tile, 32 multiply-accumulates per instruction): register blocks of
/// `mr` (2 or 4) rows x 16 output channels, K by 8 per step. Weights are
/// prepacked [block of 16][K / 8][8 column pairs x (8 K of column c, 8 K of
/// c + 1)]; the two rows of a row pair are loaded 8 bytes each into one
/// 16-byte operand (once, before the loops, when there are several panels
/// to share it). The accumulators are the tiles: accumulator (pair,
/// half) holds, in 4 lanes per tile, rows 2*pair.. x columns half*8..;
/// after the reduction one shuffle per row gathers its 16 channels for the
/// shared epilogue. Activations are int8 (s8 x s8, like sdot).
Value buildI8mmKernel(OpBuilder &b, Location loc, const ComputeOperands &co,
                      const OutputStage &st, Value x, int64_t m, int64_t k,
                      int64_t n, ArrayRef<int64_t> resultShape,
                      std::optional<ConvRows> conv) {
  constexpr int64_t kStep = 8;
  int64_t mr = m > 2 ? 4 : 2;
  int64_t mPad = ceilDiv(m, mr) * mr, kPad = ceilDiv(k, kStep) * kStep;
  int64_t nBlocks = ceilDiv(n, kLanes), nPad = nBlocks * kLanes;
  int64_t kBlocks = kPad / kStep;
  Type i8 = b.getI8Type(), i32 = b.getI32Type();
  auto v4i32 = VectorType::get({4}, i32);
  auto v16i8 = VectorType::get({16}, i8), v8i8 = VectorType::get({8}, i8);
  bool flip = !co.inTy.isSigned();
  if (!conv)
    x = padTo(b, loc, x, mPad, kPad);
  Value kOffsets = conv ? conv->offsets(b, loc, k, kPad, kStep) : Value();

  SmallVector<int64_t> packed(nBlocks * kBlocks * 128, 0);
  for (int64_t nb = 0; nb < nBlocks; ++nb)
    for (int64_t kb = 0; kb < kBlocks; ++kb)
      for (int64_t j = 0; j < kLanes; ++j)
        for (int64_t t = 0; t < kStep; ++t) {
          int64_t oc = nb * kLanes + j, kk = kb * kStep + t;
          if (oc < n && kk < k)
            packed[(nb * kBlocks + kb) * 128 + (j / 2) * 16 + (j % 2) * 8 + t] =
                co.weights[oc * k + kk];
        }
  Value w = denseIntConstant(b, loc, {nBlocks, kBlocks, 128}, i8, packed);
  ChannelConstants channels(b, loc, st, nPad, KernelTarget::Arm64I8mm);
  Value out0 = kernelDestination(b, loc, mPad, nPad,
                                 co.outTy.getStorageType(), resultShape);
  Value padI8 = intConstant(b, loc, i8, 0);
  SmallVector<bool> inBounds = {true};

  // Tile lane (t, i, j) of accumulator half h is row i, column
  // h*8 + 2t + j: as shuffle indices into the 16 channels from `col`.
  auto tileOrder = [](int64_t h) {
    SmallVector<int64_t> idx;
    for (int64_t t = 0; t < 4; ++t)
      for (int64_t i = 0; i < 2; ++i)
        for (int64_t j = 0; j < 2; ++j)
          idx.push_back(h * 8 + 2 * t + j);
    return idx;
  };
  auto init = [&](OpBuilder &b, Value panel) {
    Value bias = channels.biasAt(b, loc, columnOf(b, loc, panel, 1, 0));
    SmallVector<Value> inits;
    for (int64_t pair = 0; pair < mr / 2; ++pair)
      for (int64_t h = 0; h < 2; ++h)
        inits.push_back(
            vector::ShuffleOp::create(b, loc, bias, bias, tileOrder(h)));
    return inits;
  };
  // The 16-byte smmla operand of rows (r, r + 1) at reduction block kb:
  // 8 bytes of each row, sign-flipped for uint8 activations.
  auto pairOperand = [&](OpBuilder &b, Value r, Value kb) -> Value {
    Value kOff;
    if (conv)
      kOff = arith::IndexCastOp::create(
          b, loc, b.getIndexType(),
          tensor::ExtractOp::create(b, loc, kOffsets, ValueRange{kb}));
    auto rowBytes = [&](int64_t i) -> Value {
      Value row = arith::AddIOp::create(b, loc, r, index(b, loc, i));
      SmallVector<Value> at;
      if (conv)
        at = {arith::AddIOp::create(b, loc, conv->rowBase(b, loc, row, m),
                                    kOff)};
      else
        at = {row, arith::MulIOp::create(b, loc, kb, index(b, loc, kStep))};
      return vector::TransferReadOp::create(b, loc, v8i8, x, at, padI8,
                                            ArrayRef<bool>(inBounds));
    };
    SmallVector<int64_t> cat = llvm::to_vector(llvm::seq<int64_t>(0, 16));
    Value a =
        vector::ShuffleOp::create(b, loc, rowBytes(0), rowBytes(1), cat);
    if (flip)
      a = arith::XOrIOp::create(b, loc, a, intConstant(b, loc, v16i8, -128));
    return a;
  };
  // With more than one panel of 16 channels, the row pairs are combined
  // once, before the loops, into [mPad / 2][kBlocks][16] (what gemm
  // libraries call packing the LHS): every panel then reads each operand
  // with one 16-byte load, and the inner loop runs nothing but smmla on the
  // vector pipes (combining in the loop costs one lane move per 8 smmla, per
  // panel).
  Value packedA;
  if (nBlocks > 1) {
    Value c0 = index(b, loc, 0), c1 = index(b, loc, 1);
    Value empty = tensor::EmptyOp::create(
        b, loc, ArrayRef<int64_t>{mPad / 2, kBlocks, 16}, i8);
    auto pLoop = scf::ForOp::create(b, loc, c0, index(b, loc, mPad / 2), c1,
                                    ValueRange{empty});
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(pLoop.getBody());
      Value pr = pLoop.getInductionVar();
      Value r = arith::MulIOp::create(b, loc, pr, index(b, loc, 2));
      auto kLoop = scf::ForOp::create(b, loc, c0, index(b, loc, kBlocks), c1,
                                      pLoop.getRegionIterArgs());
      b.setInsertionPointToStart(kLoop.getBody());
      Value kb = kLoop.getInductionVar();
      Value t = vector::TransferWriteOp::create(
                    b, loc, pairOperand(b, r, kb), kLoop.getRegionIterArgs()[0],
                    ValueRange{pr, kb, c0}, ArrayRef<bool>(inBounds))
                    .getResult();
      scf::YieldOp::create(b, loc, t);
      b.setInsertionPointAfter(kLoop);
      scf::YieldOp::create(b, loc, kLoop.getResult(0));
    }
    packedA = pLoop.getResult(0);
  }
  auto step = [&](OpBuilder &b, Value panel, Value m0, Value kb,
                  ValueRange accs, SmallVectorImpl<Value> &next) {
    SmallVector<Value> wv;
    for (int64_t cp = 0; cp < 8; ++cp)
      wv.push_back(vector::TransferReadOp::create(
          b, loc, v16i8, w, ValueRange{panel, kb, index(b, loc, cp * 16)},
          padI8, ArrayRef<bool>(inBounds)));
    for (int64_t pair = 0; pair < mr / 2; ++pair) {
      Value r = arith::AddIOp::create(b, loc, m0, index(b, loc, 2 * pair));
      Value a;
      if (packedA)
        a = vector::TransferReadOp::create(
            b, loc, v16i8, packedA,
            ValueRange{arith::DivUIOp::create(b, loc, r, index(b, loc, 2)), kb,
                       index(b, loc, 0)},
            padI8, ArrayRef<bool>(inBounds));
      else
        a = pairOperand(b, r, kb);
      for (int64_t h = 0; h < 2; ++h) {
        Value acc = accs[pair * 2 + h];
        for (int64_t t = 0; t < 4; ++t) {
          Value tile = vector::ExtractStridedSliceOp::create(
              b, loc, acc, ArrayRef<int64_t>{t * 4}, ArrayRef<int64_t>{4},
              ArrayRef<int64_t>{1});
          tile = Arm64SmmlaOp::create(b, loc, v4i32, tile, a, wv[h * 4 + t]);
          acc = vector::InsertStridedSliceOp::create(
              b, loc, tile, acc, ArrayRef<int64_t>{t * 4},
              ArrayRef<int64_t>{1});
        }
        next.push_back(acc);
      }
    }
  };
  auto store = [&](OpBuilder &b, Value panel, Value m0, ValueRange accs,
                   Value o) -> Value {
    // Row 2*pair + i: from half h, lane t*4 + 2i + j is channel h*8 + 2t + j.
    SmallVector<Value> rows;
    for (int64_t pair = 0; pair < mr / 2; ++pair)
      for (int64_t i = 0; i < 2; ++i) {
        SmallVector<int64_t> idx;
        for (int64_t c = 0; c < kLanes; ++c) {
          int64_t h = c / 8, t = (c % 8) / 2, j = c % 2;
          idx.push_back(h * 16 + t * 4 + 2 * i + j);
        }
        rows.push_back(vector::ShuffleOp::create(
            b, loc, accs[pair * 2], accs[pair * 2 + 1], idx));
      }
    return storeBlock(b, loc, panel, m0, mr, 1, rows, o,
                      [&](int64_t, Value col) {
                        return channels.at(b, loc, col, co.outTy);
                      });
  };
  LoopNest nest{nBlocks, mPad, mr, 1, kBlocks, out0, init};
  return emitLoopNest(b, loc, nest, step, store);
}

/// A convolution the AMX kernel reads as an implicit GEMM: tile rows are 16
/// output pixels read in place from the zero-point-padded NHWC input at one
/// stride, so C % 64 == 0 keeps each 64-byte K step inside one tap. The
/// rows come in units of 16 pixels: with stride 1, 16 consecutive pixels of
/// the padded width ("virtual" rows: pixel v of an image is output (v / PW,
/// v % PW), valid when v % PW < OW; the tap (ty, tx) reads v + ty*d0*PW +
/// tx*d1), else 16 consecutive pixels of one output row (stride s1*C).
struct AmxConv {
  int64_t n, oh, ow, ph, pw, c, kw, s0, s1, d0, d1, top, left;
  bool virtualRows() const { return s0 == 1 && s1 == 1; }
  int64_t colBlocks() const { return ceilDiv(ow, 16); }
  int64_t unitsPerImage() const {
    return virtualRows() ? ceilDiv(oh * pw, 16) : oh * colBlocks();
  }
  /// Bytes between two tile rows.
  int64_t rowStride() const { return (virtualRows() ? 1 : s1) * c; }
  /// Bytes past the padded input the last unit's taps may read.
  int64_t slack() const { return (16 * s1 + (kw - 1) * d1 + 1) * c; }
};

Value buildAmxKernel(OpBuilder &b, Location loc, const ComputeOperands &co,
                     const OutputStage &st, Value x, int64_t m, int64_t k,
                     int64_t n, ArrayRef<int64_t> resultShape,
                     std::optional<AmxConv> conv, Value padValue);

/// The int8 kernel: `x` (m x k storage, or the flattened padded input of a
/// convolution when `conv` is given) times the constant weights of `co`
/// (n x k) into an (mPad x nPad) storage tensor, with the output stage
/// `stage` (kernelOutputStage).
Value buildInt8Kernel(OpBuilder &b, Location loc, const ComputeOperands &co,
                      const OutputStage &st, KernelTarget target, Value x,
                      int64_t m, int64_t k, int64_t n,
                      ArrayRef<int64_t> resultShape,
                      std::optional<ConvRows> conv = std::nullopt,
                      bool inputFlipped = false) {
  if (target == KernelTarget::Arm64I8mm)
    return buildI8mmKernel(b, loc, co, st, x, m, k, n, resultShape, conv);
  if (target == KernelTarget::X86Amx) {
    assert(!conv && "AMX convolutions call buildAmxKernel with an AmxConv");
    return buildAmxKernel(b, loc, co, st, x, m, k, n, resultShape,
                          std::nullopt, Value());
  }
  mq::UniformQuantizedType inTy = co.inTy, outTy = co.outTy;
  MatMulKernel kn;
  kn.m = m;
  // A convolution whose runs are padded to groups (C % 4 != 0) reduces
  // over more than its K (ConvRows::source maps the kernel's K back).
  kn.k = conv ? conv->kernelK(k) : k;
  kn.n = n;
  bool vnni = target == KernelTarget::X86Vnni;
  bool avx2 = target == KernelTarget::X86Avx2;
  bool bytes = target == KernelTarget::X86Avx2Bytes;
  bool dot4 = isDot4(target);
  kn.kStep = kStepOf(target);
  // Blocks of 16 outputs per register block (blocksPerPanel).
  int64_t blocks = ceilDiv(kn.n, kLanes);
  // AArch64: one 16-byte load per row feeds four sdot steps through
  // lane-indexed operands (sdot v.4s, v.16b, v.4b[j]) instead of four
  // broadcast loads (ld1r takes a vector-pipe slot): K by `seg` bytes per
  // iteration (laneSegment: 16-32 of a matrix, 16-64 of a conv's kernel
  // row). Those take 4 rows x 1 block: per 64 sdot 16 weight and 4
  // activation q-register loads, against 32 and 2 at 2 x 2. On Neoverse
  // N1, whose llvm-mca model dispatches 3 micro-ops a cycle and counts 2
  // per `ldr q` (3 per `ldp q`), that is 33-34 cycles per 64 sdot instead
  // of 39-41 (94-98 % of the two vector pipes' limit instead of 79-81 %,
  // scripts/mca.py); V1 is at its limit either way (89 % with the ld1r
  // broadcasts).
  int64_t seg = laneSegment(target, conv, k);
  bool laneIndexed = seg > 0;
  kn.u = blocksPerPanel(blocks, laneIndexed ? 1 : maxBlocks(target));
  // With 2 blocks or fewer (32 outputs) and 16 rows or more, 8 rows on
  // VNNI: 16 accumulators of the 32 zmm, each weight load feeding 8
  // vpdpbusd instead of 4 (mbv2_pw_28_192_32: 359-365 GOP/s at 4 x 2,
  // 447-466 at 8 x 2).
  kn.mr = std::min(kn.m, vnni && kn.u <= 2 && kn.m >= 16 ? 8
                         : laneIndexed                     ? 4
                                                           : maxRows(target));
  // 6 rows x 4 blocks on VNNI where the reduction is long (24 accumulators
  // of the 32 zmm: each weight vector feeds 6 vpdpbusd instead of 4, and
  // the block's epilogue is spread over more of the K loop). Measured on
  // Sapphire Rapids against 4 x 4, one process (bench/ab_driver.c): mm_512
  // +2 %, mm_1024 +5 %, r18_3x3_56_64 +3 %, r18_3x3_14_256 +1 %, the
  // ResNet stem +5 %, ResNet-50's 1x1 with K = 512 +3 % and K = 1024 +1 %,
  // gnet_5x5_14_24 0; at K = 64 (pw_56_64_256, epilogue-bound) -1 %, hence
  // K >= 128 (sixRowsPay).
  if (vnni && sixRowsPay(kn.m, kn.k, kn.u))
    kn.mr = 6;
  kn.mPad = ceilDiv(kn.m, kn.mr) * kn.mr;
  // K in units of one loop iteration, padded to a multiple of the
  // reduction split.
  int64_t kUnit = laneIndexed ? seg : kn.kStep;
  int64_t kSplit = reductionSplit(kn.mr * kn.u, ceilDiv(kn.k, kUnit));
  kn.kPad = ceilDiv(kn.k, kUnit * kSplit) * kUnit * kSplit;
  kn.nBlocks = ceilDiv(ceilDiv(kn.n, kLanes), kn.u) * kn.u;
  int64_t nPad = kn.nBlocks * kLanes;

  Type i8 = b.getI8Type(), i32 = b.getI32Type();
  auto v16i32 = VectorType::get({kLanes}, i32);
  auto v32i16 = VectorType::get({2 * kLanes}, b.getI16Type());
  Value ones16 = bytes ? intConstant(b, loc, v32i16, 1) : Value();

  // The sign bit flip (int8 <-> u8 view) happens in the kernel, on the
  // loaded activations: no extra pass over the input. Padding (only when
  // M or K do not divide into blocks) is zero; the padded K positions meet
  // zero weights.
  bool flip = readsU8View(target) == inTy.isSigned();
  assert((!inputFlipped || flip) && "only an int8 input of the u8 kernels "
                                    "comes flipped");
  if (inputFlipped)
    flip = false;
  // VNNI with int8 activations as a matrix (matmuls, 1x1 convolutions)
  // that one column panel reads once (one pass over K, rows of 64 bytes or
  // more): each row block's rows are flipped into a stack buffer just
  // before its reduction (it stays in L1), instead of the pass below over
  // the whole input, which writes a copy and reads it back from L2 (the
  // pass was 19 % of mbv2_pw_28_192_32's time; 487-492 -> 581-595 GOP/s
  // with the flip per block). With more panels every panel would flip the block again: measured
  // 251 -> 235 GOP/s on mbv2_pw_56_24_144 (3 panels, K = 24); rows shorter
  // than a vector cost a masked load each (cnn's first conv, K = 9: the
  // model 9.8 -> 10.7 us). The buffer is on the stack: at most 16 KiB
  // (K <= 2048 at 8 rows), the pass beyond.
  bool flipPerBlock =
      flip && vnni && !conv && kn.nBlocks == kn.u && kn.kPad >= 4 * kLanes &&
      kn.kPad * kn.u * kLanes <= 48 * 1024 &&
      kn.mr * ceilDiv(kn.kPad, 4 * kLanes) * 4 * kLanes <= 16 * 1024;
  // vpmaddubsw: the same pass at any K (the xor would take a vector slot
  // of the 4 x 1 block's 6 per activation broadcast).
  if (flip && readsU8View(target) && !flipPerBlock) {
    // VNNI with int8 activations: one pass that flips the sign bits of the
    // whole input (u8 view), so that the kernel broadcasts its activations
    // from memory without an xor (on Intel cores the xor and the broadcast
    // from a general register compete with vpdpbusd for ports 0 and 5).
    // Measured on Sapphire Rapids: +17-19 % on matmuls and 3x3 convs,
    // +4-10 % on 1x1 convs with K >= 64, but -7 % at K = 24, so it was
    // for K >= 64 only; since the output stage packs four vectors at once
    // (intq.x86.pack_bytes, fewer shuffle-port uops) it pays at any K:
    // mbv2_pw_56_24_144 (K = 24) 225 -> 249-254 GOP/s, the cnn model
    // (first conv K = 9) 10.46 -> 9.81 us, mobilenet 22.76 -> 22.23 us.
    x = int8ViewVectors(b, loc, x, /*flip=*/true, b.getI8Type());
    flip = false;
  }
  if (flipPerBlock)
    flip = false;
  // A lane-indexed step shorter than 16 bytes (laneSegment) reads 16 - seg
  // bytes past it: slack after the last row's K.
  if (!conv)
    x = padTo(b, loc, x, kn.m,
              kn.kPad + (laneIndexed && seg < 16 ? 16 - seg : 0));
  if (avx2) {
    // vpmaddwd multiplies i16 pairs: one pass widens the whole input to
    // its int8 view in i16 (exact), so that the kernel broadcasts a pair of
    // activations with one 32-bit load.
    x = int8ViewVectors(b, loc, x, flip, b.getI16Type());
    flip = false;
  }
  Type xElem = getElementTypeOrSelf(x.getType());
  Value padX = intConstant(b, loc, xElem, 0);
  // Rows of the last block past m read (and write) row m - 1: no padded
  // copy of the input or of the output.
  auto clampRow = [&](OpBuilder &b, Value row) -> Value {
    if (kn.mPad == kn.m)
      return row;
    return arith::MinUIOp::create(b, loc, row, index(b, loc, kn.m - 1));
  };
  // Implicit GEMM: the input offset of each reduction step, a constant
  // table (one load per step instead of divisions by C and KW).
  Value kOffsets =
      conv ? conv->offsets(b, loc, kn.k, kn.kPad, kUnit)
           : Value();

  // Weights, prepacked per column panel of u blocks of 16 output channels,
  // in the order the inner loop reads them: [panel][kb][u][16 x kStep]
  // (VNNI: 4 consecutive K of one output channel per i32 lane; AVX2: 2, as
  // i16; generic: kStep 1). One contiguous stream per panel.
  int64_t kBlocks = kn.kPad / kn.kStep;
  int64_t chunk = kLanes * kn.kStep;
  int64_t panels = kn.nBlocks / kn.u;
  SmallVector<int64_t> packed(kn.nBlocks * kBlocks * chunk, 0);
  for (int64_t nb = 0; nb < kn.nBlocks; ++nb)
    for (int64_t kb = 0; kb < kBlocks; ++kb)
      for (int64_t j = 0; j < kLanes; ++j)
        for (int64_t t = 0; t < kn.kStep; ++t) {
          int64_t oc = nb * kLanes + j, kk = kb * kn.kStep + t;
          int64_t panel = nb / kn.u, u = nb % kn.u;
          int64_t src = kk < kn.k ? (conv ? conv->source(kk) : kk) : -1;
          if (oc < kn.n && src >= 0)
            packed[((panel * kBlocks + kb) * kn.u + u) * chunk +
                   j * kn.kStep + t] = co.weights[oc * k + src];
        }
  Type wElem = avx2 ? b.getI16Type() : i8;
  Value w = denseIntConstant(b, loc, {panels, kBlocks, kn.u * chunk}, wElem,
                             packed);
  Value padW = intConstant(b, loc, wElem, 0);

  // Per-channel constants, padded (padded channels are computed and
  // dropped).
  ChannelConstants channels(b, loc, st, nPad, target);

  // The destination is the result itself (masked stores for a partial
  // last block of 16), except for n % 16 == 1: LLVM 22 miscompiles a
  // one-lane masked store of a truncated vector (writeLanes), so that case
  // writes whole blocks into a padded tensor that is then cut.
  int64_t nOut = n % kLanes == 1 ? nPad : n;
  Value out0 = kernelDestination(b, loc, kn.m, nOut, outTy.getStorageType(),
                                 resultShape);
  Value padI8 = intConstant(b, loc, i8, 0);
  SmallVector<bool> inBounds = {true};
  LoopNest nest{panels, kn.mPad, kn.mr, kn.u,
                kn.kPad / kUnit, out0,
                sameOnEveryRow(kn.mr, kn.u,
                               [&](OpBuilder &b, Value panel, int64_t j) {
                                 return channels.biasAt(
                                     b, loc, columnOf(b, loc, panel, kn.u, j));
                               })};
  nest.kSplit = kSplit;
  if ((vnni || bytes) && !laneIndexed)
    reduceInL1Passes(nest, kn.u * chunk, VectorType::get({kLanes}, i32));
  // The row block's activations, sign bits flipped (flipPerBlock): rows of
  // whole 64-byte vectors, the last one's tail past kPad read as 0.
  Value blockX;
  if (flipPerBlock) {
    int64_t rowBytes = ceilDiv(kn.kPad, 4 * kLanes) * 4 * kLanes;
    blockX = functionScratch(b, loc, MemRefType::get({kn.mr, rowBytes}, i8));
    nest.beforeBlock = [&, rowBytes](OpBuilder &b, Value m) {
      auto v64i8 = VectorType::get({4 * kLanes}, i8);
      Value bit = intConstant(b, loc, v64i8, -128);
      for (int64_t r = 0; r < kn.mr; ++r) {
        Value row = clampRow(
            b, arith::AddIOp::create(b, loc, m, index(b, loc, r)));
        for (int64_t c = 0; c < rowBytes; c += 4 * kLanes) {
          Value v = vector::TransferReadOp::create(
              b, loc, v64i8, x, ValueRange{row, index(b, loc, c)}, padX,
              ArrayRef<bool>{c + 4 * kLanes <= kn.kPad});
          vector::TransferWriteOp::create(
              b, loc, arith::XOrIOp::create(b, loc, v, bit), blockX,
              ValueRange{index(b, loc, r), index(b, loc, c)},
              ArrayRef<bool>{true});
        }
      }
    };
  }

  // The u weight vectors of reduction step kb (sign-extended to i32 for
  // the generic kernels' multiplies).
  auto loadWeights = [&](OpBuilder &b, Value panel, Value kb) {
    SmallVector<Value> wv;
    for (int64_t u = 0; u < kn.u; ++u) {
      Value wvec = vector::TransferReadOp::create(
          b, loc, VectorType::get({chunk}, wElem), w,
          ValueRange{panel, kb, index(b, loc, u * chunk)}, padW,
          ArrayRef<bool>(inBounds));
      if (kn.kStep == 1)
        wvec = arith::ExtSIOp::create(b, loc, v16i32, wvec);
      wv.push_back(wvec);
    }
    return wv;
  };
  // One iteration: `seg` bytes of each row, groups of 4 bytes taken by
  // lane from 16-byte loads at 0, 16, ... and (seg % 16 != 0) the last
  // one ending at seg, so that no byte outside the step is read; a step of
  // 8 or 12 bytes (matrices only) is one load at 0 into the slack.
  int64_t groups = seg / 4, loads = ceilDiv(seg, 16);
  auto loadStart = [&](int64_t l) {
    return seg < 16 ? 0 : std::min(16 * l, seg - 16);
  };
  auto laneStep = [&](OpBuilder &b, Value panel, Value m, Value kq,
                      ValueRange accs, SmallVectorImpl<Value> &next) {
    next.assign(accs.begin(), accs.end());
    Value kOff;
    if (conv)
      kOff = arith::IndexCastOp::create(
          b, loc, b.getIndexType(),
          tensor::ExtractOp::create(b, loc, kOffsets, ValueRange{kq}));
    // Where each row's step starts: [rowBase + kOff] of the convolution's
    // flattened input, or column kq * seg (the same for every row) of the
    // matrix.
    Value kCol =
        conv ? Value() : arith::MulIOp::create(b, loc, kq, index(b, loc, seg));
    SmallVector<Value> rows, bases;
    SmallVector<Value> rowBases =
        conv ? conv->blockRowBases(b, loc, m, kn.mr, kn.m)
             : SmallVector<Value>();
    for (int64_t r = 0; r < kn.mr; ++r) {
      Value row = arith::AddIOp::create(b, loc, m, index(b, loc, r));
      rows.push_back(row);
      bases.push_back(
          conv ? arith::AddIOp::create(b, loc, rowBases[r], kOff).getResult()
               : kCol);
    }
    // Load l of every row, right before the groups it feeds: 4 activation
    // registers live at a time, whatever the step's length.
    SmallVector<Value> lanes(kn.mr);
    auto loadRows = [&](int64_t l) {
      for (int64_t r = 0; r < kn.mr; ++r) {
        Value off = loadStart(l) == 0
                        ? bases[r]
                        : arith::AddIOp::create(b, loc, bases[r],
                                                index(b, loc, loadStart(l)))
                              .getResult();
        SmallVector<Value> at;
        if (conv)
          at = {off};
        else
          at = {clampRow(b, rows[r]), off};
        Value v = vector::TransferReadOp::create(
            b, loc, VectorType::get({16}, i8), x, at, padI8,
            ArrayRef<bool>(inBounds));
        if (flip)
          v = arith::XOrIOp::create(
              b, loc, v, intConstant(b, loc, VectorType::get({16}, i8), -128));
        lanes[r] =
            vector::BitCastOp::create(b, loc, VectorType::get({4}, i32), v);
      }
    };
    for (int64_t j = 0; j < groups; ++j) {
      int64_t l = std::min(j / 4, loads - 1), lane = j - loadStart(l) / 4;
      if (j % 4 == 0)
        loadRows(l);
      Value kb = arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, kq, index(b, loc, groups)),
          index(b, loc, j));
      SmallVector<Value> wv = loadWeights(b, panel, kb);
      for (int64_t r = 0; r < kn.mr; ++r) {
        Value s =
            vector::ExtractOp::create(b, loc, lanes[r], ArrayRef<int64_t>{lane});
        Value bc = vector::BroadcastOp::create(b, loc, v16i32, s);
        Value a = vector::BitCastOp::create(
            b, loc, VectorType::get({4 * kLanes}, i8), bc);
        for (int64_t u = 0; u < kn.u; ++u)
          next[r * kn.u + u] =
              Arm64SdotOp::create(b, loc, next[r * kn.u + u], a, wv[u]);
      }
    }
  };
  auto step = [&](OpBuilder &b, Value panel, Value m, Value kb,
                  ValueRange accs, SmallVectorImpl<Value> &next) {
    if (laneIndexed)
      return laneStep(b, panel, m, kb, accs, next);
    SmallVector<Value> wv = loadWeights(b, panel, kb);
    Value kIdx = kn.kStep > 1 ? arith::MulIOp::create(
                                    b, loc, kb, index(b, loc, kn.kStep))
                                    .getResult()
                              : kb;
    // Where (row, kIdx) is: [row, kIdx] of the matrix, or [rowBase + kOff]
    // of the convolution's flattened input.
    Value kOff;
    if (conv)
      kOff = arith::IndexCastOp::create(
          b, loc, b.getIndexType(),
          tensor::ExtractOp::create(b, loc, kOffsets, ValueRange{kb}));
    SmallVector<Value> rowBases =
        conv ? conv->blockRowBases(b, loc, m, kn.mr, kn.m)
             : SmallVector<Value>();
    auto at = [&](Value row, int64_t r) -> SmallVector<Value> {
      if (!conv)
        return {clampRow(b, row), kIdx};
      return {arith::AddIOp::create(b, loc, rowBases[r], kOff)};
    };
    for (int64_t r = 0; r < kn.mr; ++r) {
      Value row = arith::AddIOp::create(b, loc, m, index(b, loc, r));
      Value a;
      if (kn.kStep > 1) {
        // kStep consecutive activations as one i32, broadcast to the 16
        // lanes: four int8 (the u8 operand of vpdpbusd and vpmaddubsw, the
        // s8 operand of sdot) or two i16 (vpmaddwd on the widened input).
        Value g =
            blockX ? vector::TransferReadOp::create(
                         b, loc, VectorType::get({kn.kStep}, xElem), blockX,
                         ValueRange{index(b, loc, r), kIdx}, padX,
                         ArrayRef<bool>(inBounds))
                   : vector::TransferReadOp::create(
                         b, loc, VectorType::get({kn.kStep}, xElem), x,
                         at(row, r), padX, ArrayRef<bool>(inBounds));
        Value a1 =
            vector::BitCastOp::create(b, loc, VectorType::get({1}, i32), g);
        Value s = vector::ExtractOp::create(b, loc, a1, ArrayRef<int64_t>{0});
        if (flip)
          s = arith::XOrIOp::create(
              b, loc, s, intConstant(b, loc, i32, int32_t(0x80808080u)));
        Value bc = vector::BroadcastOp::create(b, loc, v16i32, s);
        a = vector::BitCastOp::create(
            b, loc, VectorType::get({kn.kStep * kLanes}, xElem), bc);
      } else {
        Value s = tensor::ExtractOp::create(b, loc, x, at(row, r));
        if (flip)
          s = arith::XOrIOp::create(b, loc, s, intConstant(b, loc, i8, -128));
        s = arith::ExtSIOp::create(b, loc, i32, s);
        a = vector::BroadcastOp::create(b, loc, v16i32, s);
      }
      for (int64_t u = 0; u < kn.u; ++u) {
        Value acc = accs[r * kn.u + u];
        if (vnni) {
          next.push_back(X86VpdpbusdOp::create(b, loc, acc, a, wv[u]));
        } else if (bytes) {
          // u8 x s8 pairs to i16 (exact for |w| <= 64), i16 pairs to i32.
          Value p16 = X86VpmaddubswOp::create(b, loc, v32i16, a, wv[u]);
          Value p = X86VpmaddwdOp::create(b, loc, v16i32, p16, ones16);
          next.push_back(arith::AddIOp::create(b, loc, acc, p));
        } else if (avx2) {
          Value p = X86VpmaddwdOp::create(b, loc, v16i32, a, wv[u]);
          next.push_back(arith::AddIOp::create(b, loc, acc, p));
        } else if (dot4) {
          next.push_back(Arm64SdotOp::create(b, loc, acc, a, wv[u]));
        } else {
          Value p = arith::MulIOp::create(b, loc, a, wv[u]);
          next.push_back(arith::AddIOp::create(b, loc, acc, p));
        }
      }
    }
  };
  // Epilogue on the registers: bias, requantize, clamp, narrow, store.
  auto store = [&](OpBuilder &b, Value panel, Value m, ValueRange accs,
                   Value o) -> Value {
    return storeBlock(
        b, loc, panel, m, kn.mr, kn.u, accs, o,
        [&](int64_t, Value col) {
          return channels.at(b, loc, col, outTy);
        },
        kn.mPad, nPad);
  };
  return emitLoopNest(b, loc, nest, step, store);
}

/// The operands of an int8 conv / matmul the kernels handle: 8-bit
/// per-tensor input and output, signed 8-bit constant weights, a constant
/// bias, static shapes. Failure without a diagnostic otherwise: the op is
/// left to --intq-lower-to-linalg.
FailureOr<ComputeOperands> matchInt8Operands(Operation *op, Value input,
                                             Value weights, Value bias,
                                             Value result) {
  auto inTy = llvm::dyn_cast<mq::UniformQuantizedType>(
      getElementTypeOrSelf(input.getType()));
  auto outTy = llvm::dyn_cast<mq::UniformQuantizedType>(
      getElementTypeOrSelf(result.getType()));
  auto wTy = llvm::dyn_cast<mq::QuantizedType>(
      getElementTypeOrSelf(weights.getType()));
  if (!inTy || !outTy || !wTy || inTy.getStorageTypeIntegralWidth() != 8 ||
      outTy.getStorageTypeIntegralWidth() != 8 ||
      wTy.getStorageTypeIntegralWidth() != 8 || !wTy.isSigned() ||
      !llvm::cast<ShapedType>(input.getType()).hasStaticShape() ||
      !llvm::cast<ShapedType>(result.getType()).hasStaticShape() ||
      !weights.getDefiningOp<QConstOp>() ||
      (bias && !bias.getDefiningOp<QConstOp>()))
    return failure();
  return getComputeOperands(op, input, weights, bias, result);
}

/// Replaces the single result of `op` by the storage tensor `y` cast back
/// to the result's quantized type.
void replaceWithStorage(OpBuilder &b, Location loc, Operation *op, Value y) {
  Value result = mq::StorageCastOp::create(b, loc, op->getResult(0).getType(), y);
  op->getResult(0).replaceAllUsesWith(result);
  op->erase();
}

/// Rewrites one intq.matmul; returns failure (without diagnostics) when the
/// op is not one this pass handles, leaving it to --intq-lower-to-linalg.
LogicalResult rewriteMatMul(MatMulOp op, KernelTarget target) {
  auto co = matchInt8Operands(op, op.getLhs(), op.getWeights(), op.getBias(),
                              op.getResult());
  if (failed(co))
    return failure();
  target = byWeights(target, co->weights);
  mq::UniformQuantizedType inTy = co->inTy;
  auto lhsShape = op.getLhs().getType().getShape();
  auto wShape = op.getWeights().getType().getShape();
  int64_t m = lhsShape.size() == 3 ? lhsShape[0] * lhsShape[1] : lhsShape[0];
  auto st = kernelOutputStage(op, *co, target, wShape[0],
                              toDouble(op.getClampMin()),
                              toDouble(op.getClampMax()));
  if (failed(st))
    return failure();
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto lhsStorageTy = RankedTensorType::get(lhsShape, inTy.getStorageType());
  Value x = mq::StorageCastOp::create(b, loc, lhsStorageTy, op.getLhs());
  if (lhsShape.size() == 3)
    x = tensor::CollapseShapeOp::create(
        b, loc, x, ArrayRef<ReassociationIndices>{{0, 1}, {2}});
  x = contiguous(b, loc, x);
  Value y = buildInt8Kernel(b, loc, *co, *st, target, x, m, wShape[1],
                            wShape[0], op.getResult().getType().getShape());
  replaceWithStorage(b, loc, op, unpad(b, loc, y, m, wShape[0], lhsShape));
  return success();
}

/// Pads an NHWC storage tensor with `value` to (n, ph, pw, cp), the
/// original at offset (0, top, left, 0).
Value padNHWCTo(OpBuilder &b, Location loc, Value x, int64_t top,
                int64_t left, ArrayRef<int64_t> shape, Value value) {
  auto ty = llvm::cast<RankedTensorType>(x.getType());
  if (ty.getShape() == shape && top == 0 && left == 0)
    return x;
  Value empty = tensor::EmptyOp::create(b, loc, shape, ty.getElementType());
  Value filled = linalg::FillOp::create(b, loc, value, empty).getResult(0);
  SmallVector<OpFoldResult> offsets = {b.getIndexAttr(0), b.getIndexAttr(top),
                                       b.getIndexAttr(left), b.getIndexAttr(0)};
  SmallVector<OpFoldResult> sizes, strides(4, b.getIndexAttr(1));
  for (int64_t d : ty.getShape())
    sizes.push_back(b.getIndexAttr(d));
  return tensor::InsertSliceOp::create(b, loc, x, filled, offsets, sizes,
                                       strides);
}

/// `x` (NHWC int8) padded as padNHWCTo does with the zero point `zp`, each
/// byte's sign bit flipped (the u8 view of the kernels that read u8): one
/// vector pass, 64 bytes a step, that writes each input row of W x C bytes
/// into the padded buffer (filled with zp ^ 0x80 first), instead of a copy
/// into it and a second pass over the padded input that flips it. A row's
/// last step reads past its W x C bytes as `zp` (masked) and so writes the
/// right padding's own value there, masked at the end of the padded row.
Value padFlippedNHWC(OpBuilder &b, Location loc, Value x, int64_t top,
                     int64_t left, ArrayRef<int64_t> shape, int8_t zp) {
  auto ty = llvm::cast<RankedTensorType>(x.getType());
  int64_t n = ty.getDimSize(0), h = ty.getDimSize(1),
          rowIn = ty.getDimSize(2) * ty.getDimSize(3),
          rowOut = shape[2] * shape[3], step = 4 * kLanes;
  Type i8 = b.getI8Type();
  auto v64i8 = VectorType::get({step}, i8);
  SmallVector<ReassociationIndices> rows = {{0}, {1}, {2, 3}};
  Value src = tensor::CollapseShapeOp::create(b, loc, x, rows);
  Value empty = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{n, shape[1], rowOut}, i8);
  Value dest =
      linalg::FillOp::create(
          b, loc, intConstant(b, loc, i8, static_cast<int8_t>(zp ^ 0x80)),
          empty)
          .getResult(0);
  Value bit = intConstant(b, loc, v64i8, -128);
  Value padZp = intConstant(b, loc, i8, zp);
  int64_t whole = rowIn / step * step;
  dest = forRange(b, loc, 0, n, 1, dest, [&](OpBuilder &b, Value img, Value d) {
    return forRange(b, loc, 0, h, 1, d, [&](OpBuilder &b, Value row, Value d) {
      Value outRow = arith::AddIOp::create(b, loc, row, index(b, loc, top));
      auto move = [&](OpBuilder &b, Value j, Value d, bool inBounds) {
        Value v = vector::TransferReadOp::create(
            b, loc, v64i8, src, ValueRange{img, row, j}, padZp,
            ArrayRef<bool>{inBounds});
        Value at =
            arith::AddIOp::create(b, loc, j, index(b, loc, left * shape[3]));
        return vector::TransferWriteOp::create(
                   b, loc, arith::XOrIOp::create(b, loc, v, bit), d,
                   ValueRange{img, outRow, at}, ArrayRef<bool>{inBounds})
            .getResult();
      };
      d = forRange(b, loc, 0, whole, step, d,
                   [&](OpBuilder &b, Value j, Value d) {
                     return move(b, j, d, true);
                   });
      if (whole < rowIn)
        d = move(b, index(b, loc, whole), d, false);
      return d;
    });
  });
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, i8), dest, rows);
}

/// Whether a KH x KW convolution with these strides and pads is a matrix
/// product as it stands (1x1, stride 1, unpadded: the NHWC input is the
/// [N*H*W][C] matrix).
bool isPointwise(int64_t kh, int64_t kw, ArrayRef<int64_t> stride,
                 ArrayRef<int64_t> pad) {
  return kh == 1 && kw == 1 && stride[0] == 1 && stride[1] == 1 &&
         llvm::all_of(pad, [](int64_t p) { return p == 0; });
}

/// The rows of a convolution as a matmul: the NHWC input `x`, padded with
/// `padValue` (real 0), gathered into (N*OH*OW) x (KH*KW*C) by a
/// linalg.generic with an affine input map
/// (n, oh, ow, kh, kw, c) -> (n, oh*s + kh*d, ow*s + kw*d, c); a 1x1
/// stride-1 unpadded convolution is a reshape.
Value im2col(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> kernel,
             ArrayRef<int64_t> out, ArrayRef<int64_t> pad,
             ArrayRef<int64_t> stride, ArrayRef<int64_t> dil, Value padValue) {
  auto ty = llvm::cast<RankedTensorType>(x.getType());
  auto shape = ty.getShape();
  int64_t n = shape[0], h = shape[1], w = shape[2], c = shape[3];
  int64_t kh = kernel[0], kw = kernel[1], oh = out[0], ow = out[1];
  Type elem = ty.getElementType();
  bool unpadded = llvm::all_of(pad, [](int64_t p) { return p == 0; });
  if (isPointwise(kh, kw, stride, pad))
    return tensor::CollapseShapeOp::create(
        b, loc, x, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
  if (!unpadded)
    x = padNHWCTo(b, loc, x, pad[0], pad[2],
                  {n, h + pad[0] + pad[1], w + pad[2] + pad[3], c}, padValue);
  MLIRContext *ctx = b.getContext();
  if (dil[1] == 1) {
    // The KW taps of one kernel row are KW*C consecutive elements of the
    // padded input row: each is copied as one run of vector moves (pieces
    // of at most 64 bytes) by loops over the output pixels, with W and C
    // collapsed. (A linalg.generic over (n, oh, ow, kh, kw, c) becomes
    // scalar byte moves: a 3x3 conv over 3 channels spent a quarter of a
    // small model's time there.)
    auto pty = llvm::cast<RankedTensorType>(x.getType());
    int64_t ph = pty.getDimSize(1);
    Value rows = tensor::CollapseShapeOp::create(
        b, loc, x, ArrayRef<ReassociationIndices>{{0, 1}, {2, 3}});
    int64_t run = kw * c, k = kh * run;
    int64_t piece = std::max<int64_t>(
        1, 64 / std::max<int64_t>(1, elem.getIntOrFloatBitWidth() / 8));
    Value out = tensor::EmptyOp::create(
        b, loc, ArrayRef<int64_t>{n * oh * ow, k}, elem);
    Value pad0 = arith::ConstantOp::create(
        b, loc, llvm::cast<TypedAttr>(b.getZeroAttr(elem)));
    SmallVector<bool> inBounds = {true};
    auto loop = [&](OpBuilder &b, int64_t hi, Value init,
                    function_ref<Value(OpBuilder &, Value, Value)> body) {
      return forRange(b, loc, 0, hi, 1, init, body);
    };
    auto cst = [&](OpBuilder &b, int64_t v) { return index(b, loc, v); };
    return loop(b, n, out, [&](OpBuilder &b, Value img, Value o) {
      return loop(b, oh, o, [&](OpBuilder &b, Value y, Value o) {
        return loop(b, ow, o, [&](OpBuilder &b, Value xx, Value o) {
          Value p = arith::AddIOp::create(
              b, loc,
              arith::MulIOp::create(
                  b, loc,
                  arith::AddIOp::create(
                      b, loc, arith::MulIOp::create(b, loc, img, cst(b, oh)),
                      y),
                  cst(b, ow)),
              xx);
          Value line0 = arith::AddIOp::create(
              b, loc, arith::MulIOp::create(b, loc, img, cst(b, ph)),
              arith::MulIOp::create(b, loc, y, cst(b, stride[0])));
          Value col0 = arith::MulIOp::create(b, loc, xx, cst(b, stride[1] * c));
          for (int64_t t = 0; t < kh; ++t) {
            Value line =
                arith::AddIOp::create(b, loc, line0, cst(b, t * dil[0]));
            for (int64_t off = 0; off < run; off += piece) {
              int64_t len = std::min(piece, run - off);
              Value col = arith::AddIOp::create(b, loc, col0, cst(b, off));
              Value dst = cst(b, t * run + off);
              Value v = vector::TransferReadOp::create(
                  b, loc, VectorType::get({len}, elem), rows,
                  ValueRange{line, col}, pad0, ArrayRef<bool>(inBounds));
              o = vector::TransferWriteOp::create(
                      b, loc, v, o, ValueRange{p, dst},
                      ArrayRef<bool>(inBounds))
                      .getResult();
            }
          }
          return o;
        });
      });
    });
  }
  AffineExpr d[6];
  for (int i = 0; i < 6; ++i)
    d[i] = getAffineDimExpr(i, ctx);
  AffineMap inMap = AffineMap::get(
      6, 0,
      {d[0], d[1] * stride[0] + d[3] * dil[0], d[2] * stride[1] + d[4] * dil[1],
       d[5]},
      ctx);
  AffineMap id = AffineMap::getMultiDimIdentityMap(6, ctx);
  Value cols = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{n, oh, ow, kh, kw, c}, elem);
  SmallVector<utils::IteratorType> iters(6, utils::IteratorType::parallel);
  Value gathered =
      linalg::GenericOp::create(
          b, loc, TypeRange{cols.getType()}, ValueRange{x}, ValueRange{cols},
          ArrayRef<AffineMap>{inMap, id}, iters,
          [&](OpBuilder &nb, Location l, ValueRange args) {
            linalg::YieldOp::create(nb, l, ValueRange{args[0]});
          })
          .getResult(0);
  return tensor::CollapseShapeOp::create(
      b, loc, gathered, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3, 4, 5}});
}

/// Whether a convolution whose C is not a multiple of the kernel's step
/// (the RGB stems: C = 3) reads its input in place by grouped runs
/// (ConvRows::group) rather than through an im2col copy: on the targets
/// that step by 2 or 4 elements, where the groups' padding costs at most a
/// third more multiply-accumulates than the copy's K padded to a step.
/// The copy took three passes over K bytes per output pixel after the
/// padding (im2col, the sign flip, the padding of K): about half of the
/// samples of MobileNetV2's 3 x 3 stem (K = 27 -> 36 in groups, 32
/// outputs) in perf. VNNI, this host: that stem 146 -> 206-215 GOP/s,
/// ResNet's 7 x 7 stem (K = 147 -> 168) 329 -> 491-532 (0.54x -> 0.81-0.86x
/// and 0.74x -> 1.12x of oneDNN); the cnn model (first conv C = 1, K = 9
/// -> 12) 8.7 -> 6.8-7.4 us.
bool groupedRuns(KernelTarget target, int64_t c, int64_t kh, int64_t kw,
                 int64_t dilW) {
  int64_t step = kStepOf(target);
  if (step != 2 && step != 4)
    return false;
  ConvRows rows{};
  rows.c = c;
  rows.kw = kw;
  rows.d1 = dilW;
  rows.group = step;
  int64_t k = kh * kw * c;
  return 3 * rows.kernelK(k) <= 4 * (ceilDiv(k, step) * step);
}

/// How the AMX kernel reads an intq.conv2d (rewriteConv): as the matrix it
/// is (isPointwise), in place from its zero-point-padded input (AmxConv,
/// C % 64 == 0), or through an im2col copy.
enum class AmxConvRead { Matrix, InPlace, Im2col };
AmxConvRead amxConvRead(Conv2DOp op) {
  auto w = op.getWeights().getType().getShape();
  if (isPointwise(w[1], w[2], op.getStride(), op.getPad()))
    return AmxConvRead::Matrix;
  return w[3] % 64 == 0 ? AmxConvRead::InPlace : AmxConvRead::Im2col;
}

/// Rewrites one intq.conv2d with groups = 1 into the int8 matmul kernel:
/// as an implicit GEMM on the zero-point-padded input (ConvRows; AmxConv for
/// the AMX kernel when C % 64 == 0; grouped runs where C % 4 != 0 on the
/// VNNI and sdot kernels, groupedRuns), or over an im2col copy otherwise
/// (AMX with C % 64 != 0, i8mm with C % 8 != 0, groups too costly, and a
/// strided unpadded 1x1 conv); a 1x1 stride-1 unpadded conv is a plain
/// reshape. The OHWI weights are already
/// (O) x (KH*KW*C). Depthwise convs go to rewriteDepthwise, grouped ones to
/// --intq-lower-to-linalg.
LogicalResult rewriteConv(Conv2DOp op, KernelTarget target) {
  if (op.getGroups() != 1)
    return failure();
  auto co = matchInt8Operands(op, op.getInput(), op.getWeights(), op.getBias(),
                              op.getResult());
  if (failed(co))
    return failure();
  target = byWeights(target, co->weights);
  mq::UniformQuantizedType inTy = co->inTy, outTy = co->outTy;
  auto inShape = op.getInput().getType().getShape();
  auto wShape = op.getWeights().getType().getShape();
  auto outShape = op.getResult().getType().getShape();
  int64_t n = inShape[0], c = inShape[3];
  int64_t o = wShape[0], kh = wShape[1], kw = wShape[2];
  int64_t oh = outShape[1], ow = outShape[2];
  ArrayRef<int64_t> pad = op.getPad(), stride = op.getStride(),
                    dil = op.getDilation();
  int64_t m = n * oh * ow, k = kh * kw * c;
  auto st = kernelOutputStage(op, *co, target, o, toDouble(op.getClampMin()),
                              toDouble(op.getClampMax()));
  if (failed(st))
    return failure();

  OpBuilder b(op);
  Location loc = op.getLoc();
  Type storage = inTy.getStorageType();
  Value x = contiguous(b, loc,
                       mq::StorageCastOp::create(
                           b, loc, RankedTensorType::get(inShape, storage),
                           op.getInput()));
  Value zp = intConstant(b, loc, storage, inTy.getZeroPoint());
  bool unpadded = llvm::all_of(pad, [](int64_t p) { return p == 0; });
  bool pointwise = isPointwise(kh, kw, stride, pad);
  // A strided unpadded 1x1 convolution (ResNet's downsampling shortcuts)
  // reads one pixel in s0 x s1: the im2col copies those (a quarter of the
  // input at stride 2, one vector move per pixel) into a matrix that the
  // kernel reads as any 1x1 layer's. In place it read the input through a
  // padded and sign-flipped copy of all of it: r18_1x1s2_56_128 (VNNI,
  // this host) 334 -> 439 GOP/s, 0.69x -> 0.99x of oneDNN in one run.
  bool strided1x1 = kh == 1 && kw == 1 && unpadded && !pointwise;
  Value y;
  if (target == KernelTarget::X86Amx &&
      amxConvRead(op) == AmxConvRead::InPlace) {
    // Implicit GEMM: tile rows read in place from the padded input.
    int64_t ph = inShape[1] + pad[0] + pad[1], pw = inShape[2] + pad[2] + pad[3];
    AmxConv ac{n, oh, ow, ph, pw, c, kw, stride[0], stride[1], dil[0], dil[1],
               pad[0], pad[2]};
    y = buildAmxKernel(b, loc, *co, *st, x, m, k, o, outShape, ac, zp);
  } else if (!pointwise && !strided1x1 && target != KernelTarget::X86Amx &&
             (c % kStepOf(target) == 0 ||
              groupedRuns(target, c, kh, kw, dil[1]))) {
    // Implicit GEMM on the padded input: no im2col copy.
    int64_t ph = inShape[1] + pad[0] + pad[1], pw = inShape[2] + pad[2] + pad[3];
    ConvRows rows{oh, ow, ph, pw, c, kw, stride[0], stride[1], dil[0], dil[1]};
    if (c % kStepOf(target) != 0)
      rows.group = kStepOf(target);
    // Bytes read past a run's end: its padding to groups, and a 16-byte
    // load of an sdot step shorter than 16. The last run of a padded row
    // reads them from columns added past its right edge.
    int64_t seg = laneSegment(target, rows, k);
    int64_t overread = rows.paddedRun() - rows.runLength() +
                       (seg && seg < 16 ? 16 - seg : 0);
    pw += ceilDiv(overread, c);
    rows.pw = pw;
    // The u8 kernels' int8 input: padded and flipped in one pass.
    bool flipped = inTy.isSigned() && readsU8View(target);
    x = flipped ? padFlippedNHWC(b, loc, x, pad[0], pad[2], {n, ph, pw, c},
                                 static_cast<int8_t>(inTy.getZeroPoint()))
                : padNHWCTo(b, loc, x, pad[0], pad[2], {n, ph, pw, c}, zp);
    x = tensor::CollapseShapeOp::create(
        b, loc, x, ArrayRef<ReassociationIndices>{{0, 1, 2, 3}});
    y = buildInt8Kernel(b, loc, *co, *st, target, x, m, k, o, outShape, rows,
                        flipped);
  } else {
    x = im2col(b, loc, x, {kh, kw}, {oh, ow}, pad, stride, dil, zp);
    y = buildInt8Kernel(b, loc, *co, *st, target, x, m, k, o, outShape);
  }
  Value out = unpad(b, loc, y, m, o, {});
  out = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(outShape, outTy.getStorageType()), out,
      ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
  replaceWithStorage(b, loc, op, out);
  return success();
}

/// The geometry of a depthwise convolution's loop nest (NHWC). The input is
/// read in place: output pixels whose taps all fall inside the input (the
/// interior, [oyLo, oyHi) x [oxLo, oxHi)) read without checks, border
/// pixels read the zero point where a tap falls outside. The output is
/// written in place too: channels in whole blocks of 16 lanes, the last
/// partial block (c % 16) with masked loads and stores.
constexpr int64_t kDwCols = 8;
struct DepthwiseNest {
  int64_t n, h, w, oh, ow, c, cPad, cFull, kh, kw;
  int64_t stride[2], dil[2], top, left;
  int64_t oyLo, oyHi, oxLo, oxHi; // the interior
  /// Interior output columns per step (sharing each weight vector): 8, or
  /// 4 on AVX2, whose 16 ymm registers hold 8 accumulators of 16 lanes
  /// (with 8 the kernels spilled: 370 stack accesses in the int8 kernel of
  /// mbv2_dw_112_32).
  int64_t cols;

  DepthwiseNest(KernelTarget target, ArrayRef<int64_t> inShape,
                ArrayRef<int64_t> outShape, int64_t kh, int64_t kw,
                ArrayRef<int64_t> pad, ArrayRef<int64_t> stride,
                ArrayRef<int64_t> dil)
      : n(outShape[0]), h(inShape[1]), w(inShape[2]), oh(outShape[1]),
        ow(outShape[2]), c(inShape[3]), cPad(ceilDiv(c, kLanes) * kLanes),
        cFull(c / kLanes * kLanes), kh(kh), kw(kw),
        stride{stride[0], stride[1]}, dil{dil[0], dil[1]}, top(pad[0]),
        left(pad[2]), cols(target == KernelTarget::X86Avx2 ? 4 : kDwCols) {
    std::tie(oyLo, oyHi) = interior(oh, h, top, stride[0], (kh - 1) * dil[0]);
    std::tie(oxLo, oxHi) = interior(ow, w, left, stride[1], (kw - 1) * dil[1]);
  }

  /// The outputs o in [0, out) with o*s - pad >= 0 and o*s - pad + span < in.
  static std::pair<int64_t, int64_t> interior(int64_t out, int64_t in,
                                              int64_t pad, int64_t s,
                                              int64_t span) {
    int64_t lo = std::min(out, ceilDiv(pad, s));
    int64_t last = in - 1 - span + pad; // o*s <= last
    int64_t hi = last < 0 ? lo : std::min(out, last / s + 1);
    return {lo, std::max(lo, hi)};
  }

  /// The [n][oh][ow][c] destination of `elem`.
  Value emptyOutput(OpBuilder &b, Location loc, Type elem) const {
    return tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{n, oh, ow, c},
                                   elem);
  }
};

/// Writes the first `valid` lanes of the 1-D vector `v` into the tensor
/// `dest` at `idx` (the last index walks the lanes; `valid` lanes from
/// there are in bounds): a plain store when all are, a masked one
/// otherwise, a scalar store for a single lane. LLVM 22's X86 backend turns
/// a one-lane masked store of a truncated vector into a 4-byte store
/// (vmovss), clobbering the next three bytes (docs/Design.md, upstream
/// gaps), so that case never reaches it.
Value writeLanes(OpBuilder &b, Location loc, Value v, Value dest,
                 ValueRange idx, int64_t valid) {
  int64_t lanes = llvm::cast<VectorType>(v.getType()).getNumElements();
  if (valid == 1) {
    Value lane0 = vector::ExtractOp::create(b, loc, v, ArrayRef<int64_t>{0});
    return tensor::InsertOp::create(b, loc, lane0, dest, idx);
  }
  return vector::TransferWriteOp::create(b, loc, v, dest, idx,
                                         ArrayRef<bool>{valid == lanes})
      .getResult();
}

/// The x86 AMX kernel (`tdpbssd` / `tdpbusd` on 16 x 64-byte tiles): blocks
/// of 32 rows x 32 output channels held in 2 x 2 accumulator tiles across
/// the reduction (2 activation tiles and 2 weight tiles per step of 64 K:
/// the 8 tile registers), then stored to a 32 x 32 i32 scratch on the stack
/// and requantized on AVX-512 registers by the shared epilogue (two rows of
/// both tiles narrowed at once), software-pipelined: one block's epilogue
/// runs inside the next block's K loop, so the vector units work while the
/// tile unit multiplies. Block-major: each block of rows takes every panel
/// of channels in turn, the weights loaded with `tileloaddt1` (T1 hint:
/// streamed from L2 without evicting the block's rows from L1). The rows are
/// tile-loaded from the activation matrix in place (from a zero-padded
/// copy when it is not made of whole 32 x 64 tiles), or, for a
/// convolution (`conv`), from its zero-point-padded input in place
/// (AmxConv: no im2col copy). The weights
/// come from their prepacked VNNI layout [panel of 32][K / 64][2 tiles][16
/// rows of 4 K x 16 channels]. int8 activations multiply as s8 (tdpbssd),
/// uint8 ones as u8 (tdpbusd; the output stage then takes the raw zero
/// point). The tile configuration (ldtilecfg) is LLVM's; the tile
/// permission is requested once by the module's initializer
/// (--intq-lower-target-ops).
Value buildAmxKernel(OpBuilder &b, Location loc, const ComputeOperands &co,
                     const OutputStage &st, Value x, int64_t m, int64_t k,
                     int64_t n, ArrayRef<int64_t> resultShape,
                     std::optional<AmxConv> conv, Value padValue) {
  constexpr int64_t kRows = 16, kBytes = 64, kBlock = 2 * kRows;
  int64_t mPad = ceilDiv(m, kBlock) * kBlock, kPad = ceilDiv(k, kBytes) * kBytes;
  int64_t panels = ceilDiv(n, kBlock), nPad = panels * kBlock;
  int64_t kBlocks = kPad / kBytes;
  Type i8 = b.getI8Type(), i32 = b.getI32Type();
  auto tileA = amx::TileType::get({kRows, kBytes}, i8);
  auto tileC = amx::TileType::get({kRows, kRows}, i32);
  auto v16i32 = VectorType::get({kLanes}, i32);
  auto xShape = llvm::cast<RankedTensorType>(x.getType()).getShape();

  // Weight tile (panel, kb, j): 16 rows q of 64 bytes, byte 4c + t =
  // W[channel panel*32 + 16j + c][K kb*64 + 4q + t].
  SmallVector<int64_t> packed(panels * kBlocks * 2 * kRows * kBytes, 0);
  for (int64_t p = 0; p < panels; ++p)
    for (int64_t kb = 0; kb < kBlocks; ++kb)
      for (int64_t j = 0; j < 2; ++j)
        for (int64_t q = 0; q < kRows; ++q)
          for (int64_t c = 0; c < kRows; ++c)
            for (int64_t t = 0; t < 4; ++t) {
              int64_t oc = p * kBlock + j * kRows + c, kk = kb * kBytes + 4 * q + t;
              if (oc < n && kk < k)
                packed[(((p * kBlocks + kb) * 2 + j) * kRows + q) * kBytes +
                       4 * c + t] = co.weights[oc * k + kk];
            }
  int64_t wRows = panels * kBlocks * 2 * kRows;
  Value w = denseIntConstant(b, loc, {wRows, kBytes}, i8, packed);
  ChannelConstants channels(b, loc, st, nPad, KernelTarget::X86Amx);
  // A matrix of whole tiles is read in place (below), while the kernel
  // writes its result: into a fresh buffer (kernelDestination).
  bool inPlace = !conv && mPad == xShape[0] && kPad == xShape[1];
  // A convolution writes exactly its m output rows (invalid tile rows are
  // skipped); a matrix all mPad rows.
  Value out0 = kernelDestination(b, loc, conv ? m : mPad, nPad,
                                 co.outTy.getStorageType(), resultShape,
                                 /*fresh=*/inPlace);
  // The tiles read buffers. The weights: their constant's (read-only,
  // never written). The activations: the input matrix's own (its output
  // then a fresh buffer, above), or a fresh buffer filled once before the
  // loops. Never the buffer of a padded tensor, nor an input whose output
  // could share its buffer: the tensor analysis sees a to_buffer as a read
  // at that point only, so it could give the kernel's output that buffer
  // (CSE merges equal tensor.empty ops) while the tile loads still read it
  // (found by intq-codegen-fuzzer).
  auto asBuffer = [&](Value t, ArrayRef<int64_t> shape) -> Value {
    return bufferization::ToBufferOp::create(
        b, loc, MemRefType::get(shape, i8), t, /*read_only=*/true);
  };
  auto cst = [&](OpBuilder &b, int64_t v) { return index(b, loc, v); };
  auto attrs = [&](ArrayRef<int64_t> v) {
    SmallVector<OpFoldResult> r;
    for (int64_t x : v)
      r.push_back(b.getIndexAttr(x));
    return r;
  };
  Value xm;
  int64_t units; // of 16 rows
  if (conv) {
    // The zero-point-padded input, flat, with the slack the last tiles
    // read past it.
    int64_t padded = conv->n * conv->ph * conv->pw * conv->c;
    xm = memref::AllocOp::create(
        b, loc, MemRefType::get({padded + conv->slack()}, i8), ValueRange{},
        b.getI64IntegerAttr(64));
    linalg::FillOp::create(b, loc, padValue, xm);
    Value grid = memref::ReinterpretCastOp::create(
        b, loc,
        MemRefType::get({conv->n, conv->ph, conv->pw, conv->c}, i8), xm,
        /*offset=*/0, ArrayRef<int64_t>{conv->n, conv->ph, conv->pw, conv->c},
        ArrayRef<int64_t>{conv->ph * conv->pw * conv->c, conv->pw * conv->c,
                          conv->c, 1});
    memref::CopyOp::create(
        b, loc, asBuffer(x, xShape),
        memref::SubViewOp::create(
            b, loc, grid, attrs({0, conv->top, conv->left, 0}), attrs(xShape),
            attrs({1, 1, 1, 1})));
    units = conv->n * conv->unitsPerImage();
  } else {
    // The activation matrix, read in place: a block's rows stay in L1
    // while the panels' weights stream past them. (Packed tile by tile
    // into a copy until 2026-12-05, for an order that streamed the
    // activations instead: reading the matrix in place is 1.13-1.18x
    // faster on mm_256..1024.) Copied into a zero-padded buffer when the
    // matrix is not made of whole 32-row blocks and 64-byte K steps.
    units = mPad / kRows;
    xm = asBuffer(x, xShape);
    if (!inPlace) {
      Value padded = memref::AllocOp::create(
          b, loc, MemRefType::get({mPad, kPad}, i8), ValueRange{},
          b.getI64IntegerAttr(64));
      linalg::FillOp::create(b, loc, intConstant(b, loc, i8, 0), padded);
      memref::CopyOp::create(
          b, loc, xm,
          memref::SubViewOp::create(b, loc, padded, attrs({0, 0}),
                                    attrs(xShape), attrs({1, 1})));
      xm = padded;
    }
  }
  int64_t unitsPad = ceilDiv(units, 2) * 2;
  Value wm = asBuffer(w, {wRows, kBytes});
  // The accumulator scratch.
  Value scratch =
      functionScratch(b, loc, MemRefType::get({2 * kBlock, kBlock}, i32));
  bool zextLhs = !co.inTy.isSigned();
  Value c0 = cst(b, 0);
  auto add = [&](OpBuilder &b, Value x, Value y) -> Value {
    return arith::AddIOp::create(b, loc, x, y);
  };
  auto mul = [&](OpBuilder &b, Value x, int64_t v) -> Value {
    return arith::MulIOp::create(b, loc, x, cst(b, v));
  };
  auto div = [&](OpBuilder &b, Value x, int64_t v) -> Value {
    return arith::DivUIOp::create(b, loc, x, cst(b, v));
  };
  auto rem = [&](OpBuilder &b, Value x, int64_t v) -> Value {
    return arith::RemUIOp::create(b, loc, x, cst(b, v));
  };
  // The first padded-input pixel of unit u (a real one: the padding unit
  // of an odd count reads the last real unit's rows).
  auto unitPixel = [&](OpBuilder &b, Value u) -> Value {
    u = arith::MinUIOp::create(b, loc, u, cst(b, units - 1));
    Value img = div(b, u, conv->unitsPerImage());
    Value r = rem(b, u, conv->unitsPerImage());
    if (conv->virtualRows())
      return add(b, mul(b, img, conv->ph * conv->pw), mul(b, r, kRows));
    Value oy = div(b, r, conv->colBlocks()), jb = rem(b, r, conv->colBlocks());
    return add(b,
               mul(b, add(b, mul(b, img, conv->ph), mul(b, oy, conv->s0)),
                   conv->pw),
               mul(b, jb, kRows * conv->s1));
  };
  // The A tile of unit u for K step kb.
  auto loadA = [&](OpBuilder &b, Value u, Value kb) -> Value {
    if (!conv)
      return amx::TileLoadOp::create(
          b, loc, tileA, xm, ValueRange{mul(b, u, kRows), mul(b, kb, kBytes)});
    int64_t chunks = conv->c / kBytes;
    Value tap = div(b, kb, chunks), cc = rem(b, kb, chunks);
    Value ty = div(b, tap, conv->kw), tx = rem(b, tap, conv->kw);
    Value tapPixel = add(b, mul(b, ty, conv->d0 * conv->pw), mul(b, tx, conv->d1));
    Value offset = add(b, mul(b, add(b, unitPixel(b, u), tapPixel), conv->c),
                       mul(b, cc, kBytes));
    Value view = memref::ReinterpretCastOp::create(
        b, loc,
        MemRefType::get({kRows, kBytes}, i8,
                        StridedLayoutAttr::get(b.getContext(),
                                               ShapedType::kDynamic,
                                               {conv->rowStride(), 1})),
        xm, OpFoldResult(offset), attrs({kRows, kBytes}),
        attrs({conv->rowStride(), 1}));
    return amx::TileLoadOp::create(b, loc, tileA, view, ValueRange{c0, c0});
  };
  auto lt = [&](OpBuilder &b, Value v, int64_t bound) -> Value {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, v,
                                 cst(b, bound));
  };
  auto both = [&](OpBuilder &b, Value x, Value y) -> Value {
    return x ? (y ? arith::AndIOp::create(b, loc, x, y).getResult() : x) : y;
  };
  // Writes the requantized row r of unit u: where it is an output pixel
  // and `extra` (when given) holds. A store masked by that condition (all
  // lanes or none) at a row clamped into the output: not an scf.if per
  // row, whose chain of tensor results sends bufferization's buffer-type
  // queries down both branches of every link (exponential in the rows).
  // The output row of row r of unit u, and the condition that it is one
  // (null: always), with `extra` (when given) folded in.
  auto outputRow = [&](OpBuilder &b, Value u, Value r,
                       Value extra) -> std::pair<Value, Value> {
    Value valid = extra, row;
    if (!conv) {
      row = add(b, mul(b, u, kRows), r);
    } else {
      Value img = div(b, u, conv->unitsPerImage());
      Value ur = rem(b, u, conv->unitsPerImage());
      Value oy, ox;
      if (conv->virtualRows()) {
        Value v = add(b, mul(b, ur, kRows), r);
        oy = div(b, v, conv->pw);
        ox = rem(b, v, conv->pw);
      } else {
        oy = div(b, ur, conv->colBlocks());
        ox = add(b, mul(b, rem(b, ur, conv->colBlocks()), kRows), r);
      }
      valid = both(b, valid,
                   both(b, both(b, lt(b, u, units), lt(b, ox, conv->ow)),
                        lt(b, oy, conv->oh)));
      row = add(b, mul(b, add(b, mul(b, img, conv->oh), oy), conv->ow), ox);
    }
    return {row, valid};
  };
  auto storeRow = [&](OpBuilder &b, Value u, Value r, Value col, Value vec,
                      Value out, Value extra) -> Value {
    auto [row, valid] = outputRow(b, u, r, extra);
    if (!valid)
      return vector::TransferWriteOp::create(b, loc, vec, out,
                                             ValueRange{row, col},
                                             ArrayRef<bool>{true})
          .getResult();
    row = arith::SelectOp::create(b, loc, valid, row, c0);
    Value mask = vector::BroadcastOp::create(
        b, loc,
        VectorType::get(llvm::cast<VectorType>(vec.getType()).getShape(),
                        b.getI1Type()),
        valid);
    return vector::TransferWriteOp::create(
               b, loc, vec, out, ValueRange{row, col},
               AffineMapAttr::get(
                   AffineMap::getMinorIdentityMap(2, 1, b.getContext())),
               mask, b.getBoolArrayAttr({true}))
        .getResult();
  };
  // The work items are (block of 32 rows, panel of 32 channels) pairs,
  // block-major: a block's activation tiles (2 x K bytes) stay in L1 while
  // every panel's weights stream past them, loaded with the T1 hint
  // (kStreamAttr) so that they do not evict them. Software pipelining: the
  // 2 x 32 epilogue rows of item t are spread over the K loop of item
  // t + 1 (`perStep` rows of both column tiles per K step), so that the
  // vector units requantize while the tile unit multiplies; the scratch
  // holds two items' accumulators (rows [0, 32) for even items, [32, 64)
  // for odd ones). The last item's epilogue follows the loop.
  int64_t blocks = unitsPad / 2;
  int64_t items = blocks * panels;
  // Rows go in pairs (the two rows of both column tiles narrowed at once).
  int64_t perStep = 2 * ceilDiv(kRows, kBlocks);
  bool ragged = perStep * kBlocks != kBlock;
  // Item t's block and panel: the blocks in order, each with every panel.
  auto coords = [&](OpBuilder &b, Value t) -> std::pair<Value, Value> {
    return {div(b, t, panels), rem(b, t, panels)};
  };
  auto half = [&](OpBuilder &b, Value t) -> Value {
    return mul(b, rem(b, t, 2), kBlock);
  };
  // The channel constants of panel p's two column tiles.
  struct PanelConstants {
    SmallVector<Value> cols, biases;
    SmallVector<OutputMap> finish;
  };
  auto panelConstants = [&](OpBuilder &b, Value p) {
    PanelConstants pc;
    for (int64_t j = 0; j < 2; ++j) {
      pc.cols.push_back(add(b, mul(b, p, kBlock), cst(b, j * kRows)));
      pc.biases.push_back(channels.biasAt(b, loc, pc.cols[j]));
      pc.finish.push_back(channels.at(b, loc, pc.cols[j], co.outTy));
    }
    return pc;
  };
  // Rows rr and rr + 1 (rr even) of item t's accumulators (block blk),
  // both column tiles: bias, requantization, stores (each row's 32 bytes
  // at once where the four vectors narrow together).
  auto epiloguePair = [&](OpBuilder &b, Value t, Value blk,
                          const PanelConstants &pc, Value rr, Value extra,
                          Value out) -> Value {
    SmallVector<Value> accs, rows;
    for (int64_t i = 0; i < 2; ++i) {
      rows.push_back(add(b, rr, cst(b, i)));
      for (int64_t j = 0; j < 2; ++j) {
        Value acc = vector::LoadOp::create(
            b, loc, v16i32, scratch,
            ValueRange{add(b, half(b, t), rows[i]), cst(b, j * kRows)});
        accs.push_back(pc.finish[j].requantize(add(b, acc, pc.biases[j])));
      }
    }
    Value u = add(b, mul(b, blk, 2), div(b, rr, kRows));
    Value bytes =
        pc.finish[0].narrowFour ? pc.finish[0].narrowFour(accs) : Value();
    for (int64_t i = 0; i < 2; ++i) {
      Value r = rem(b, rows[i], kRows);
      if (bytes) {
        out = storeRow(b, u, r, pc.cols[0],
                       pc.finish[0].sliceOf(bytes, 2 * i, 2), out, extra);
        continue;
      }
      for (int64_t j = 0; j < 2; ++j)
        out = storeRow(b, u, r, pc.cols[j],
                       pc.finish[j].narrow(accs[2 * i + j]), out, extra);
    }
    return out;
  };
  // Item t: its K loop (with the previous item's epilogue when
  // `pipelined`), its accumulators stored to the scratch.
  auto item = [&](OpBuilder &b, Value t, Value out, bool pipelined) -> Value {
    auto [blk, p] = coords(b, t);
    Value prevT, prevBlk;
    std::optional<PanelConstants> prev;
    if (pipelined) {
      prevT = arith::SubIOp::create(b, loc, t, cst(b, 1));
      auto [pb, pp] = coords(b, prevT);
      prevBlk = pb;
      prev = panelConstants(b, pp);
    }
    Value u0 = mul(b, blk, 2);
    SmallVector<Value> init;
    for (int i = 0; i < 4; ++i)
      init.push_back(amx::TileZeroOp::create(b, loc, tileC));
    init.push_back(out);
    auto kLoop =
        scf::ForOp::create(b, loc, c0, cst(b, kBlocks), cst(b, 1), init);
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(kLoop.getBody());
      Value kb = kLoop.getInductionVar();
      SmallVector<Value> a, wt;
      for (int64_t i = 0; i < 2; ++i)
        a.push_back(loadA(b, add(b, u0, cst(b, i)), kb));
      Value wBase = mul(b, add(b, mul(b, p, kBlocks), kb), 2 * kRows);
      for (int64_t j = 0; j < 2; ++j) {
        auto load = amx::TileLoadOp::create(
            b, loc, tileA, wm,
            ValueRange{add(b, wBase, cst(b, j * kRows)), c0});
        load->setAttr(kStreamAttr, b.getUnitAttr());
        wt.push_back(load);
      }
      SmallVector<Value> next;
      ValueRange accs = kLoop.getRegionIterArgs();
      for (int64_t i = 0; i < 2; ++i)
        for (int64_t j = 0; j < 2; ++j)
          next.push_back(amx::TileMulIOp::create(
              b, loc, tileC, a[i], wt[j], accs[i * 2 + j], zextLhs,
              /*isZextRhs=*/false));
      Value o = accs[4];
      if (pipelined) {
        for (int64_t s = 0; s < perStep; s += 2) {
          Value rr = add(b, mul(b, kb, perStep), cst(b, s));
          Value extra;
          if (ragged) {
            extra = lt(b, rr, kBlock);
            rr = arith::MinUIOp::create(b, loc, rr, cst(b, kBlock - 2));
          }
          o = epiloguePair(b, prevT, prevBlk, *prev, rr, extra, o);
        }
      }
      next.push_back(o);
      scf::YieldOp::create(b, loc, next);
    }
    for (int64_t i = 0; i < 2; ++i)
      for (int64_t j = 0; j < 2; ++j)
        amx::TileStoreOp::create(
            b, loc, scratch,
            ValueRange{add(b, half(b, t), cst(b, i * kRows)),
                       cst(b, j * kRows)},
            kLoop.getResult(i * 2 + j));
    return kLoop.getResult(4);
  };
  Value out = item(b, c0, out0, /*pipelined=*/false);
  out = forRange(b, loc, 1, items, 1, out,
                 [&](OpBuilder &b, Value t, Value out) {
                   return item(b, t, out, /*pipelined=*/true);
                 });
  Value last = cst(b, items - 1);
  auto [lastBlk, lastP] = coords(b, last);
  PanelConstants pc = panelConstants(b, lastP);
  for (int64_t rr = 0; rr < kBlock; rr += 2)
    out = epiloguePair(b, last, lastBlk, pc, cst(b, rr), Value(), out);
  return out;
}

/// The loop nest of the depthwise kernels over the NHWC output: n, output
/// rows, output columns (kDwCols at a time in the interior, one at a time
/// on the border), blocks of 16 channels (the vector lanes); the KH x KW
/// taps unrolled inside, the columns of a step sharing each weight vector.
/// `x` is the unpadded input, `xPad` the value a tap outside it reads (the
/// zero point). The KH x KW taps go to `mac(xs, w, acc)` in the groups of
/// `taps` (TapGroups), which accumulates them: `xs` holds their input
/// vectors, `w` the group's weights, read from the weights tensor
/// [groups][cPad * perMac] at channel ch * perMac as perMac x 16 lanes
/// (laid out as the mac wants them). `init(channel)` is the initial
/// accumulator (the bias), `finish(channel)` gives the map from an
/// accumulator to the stored vector. `rowMac(bi, iy, ox, j, ch, ty, acc)`,
/// when given, accumulates the whole kernel row ty of output column ox + j
/// at once, for ox the first of kDwCols interior columns below `rowMacEnd`
/// (ox - oxLo a multiple of kDwCols) and ch a constant: the channel blocks
/// of those steps are unrolled. `window`, when given, is where the taps are
/// read instead of `x` (DepthwiseRowWindow).
using DepthwiseRowMac =
    function_ref<Value(OpBuilder &, Value, Value, Value, int64_t, int64_t,
                       int64_t, Value)>;
/// The KH x KW taps (t = ty * KW + tx) in the groups one multiply takes,
/// at most `perMac` taps each: in row-major order across kernel rows
/// (`withinRows` false: the AVX2 tap pairs, a lone last tap when perMac
/// does not divide KH x KW), or within each kernel row (the VNNI pair
/// ring, whose pair is two neighbouring taps of one row: a lone last tap
/// per row when perMac does not divide KW).
struct TapGroups {
  int64_t perMac;
  SmallVector<SmallVector<int64_t, 2>> groups;

  TapGroups(int64_t kh, int64_t kw, int64_t perMac, bool withinRows)
      : perMac(perMac) {
    int64_t span = withinRows ? kw : kh * kw;
    for (int64_t first = 0; first < kh * kw; first += span)
      for (int64_t t = first; t < first + span; t += perMac)
        groups.push_back(llvm::to_vector<2>(
            llvm::seq(t, std::min(t + perMac, first + span))));
  }
};
using DepthwiseMac =
    function_ref<Value(OpBuilder &, ArrayRef<Value>, Value, Value)>;
/// An input the depthwise loops read through a window of rows (`window`,
/// when given): `prepare(bi, oy, ch, masked)` runs before output row oy of
/// image bi for the block of 16 channels from ch (masked: the last,
/// partial block) and `read(iy, ix, ch)` gives the 16 channels from ch of
/// input pixel (iy, ix) of that image, for a nest where no tap falls
/// outside. The loops then take the channel blocks outermost, so that
/// the window holds one block's rows at a time.
struct DepthwiseRowWindow {
  Value buffer; // what `read` reads (for its element type)
  std::function<void(OpBuilder &, Value, Value, Value, bool)> prepare;
  std::function<Value(OpBuilder &, Value, Value, Value)> read;
};
Value emitDepthwiseLoops(
    OpBuilder &b, Location loc, const DepthwiseNest &s, Value x, Value xPad,
    Value w, const TapGroups &taps, Value out0,
    function_ref<Value(OpBuilder &, Value)> init, DepthwiseMac mac,
    function_ref<OutputMap(OpBuilder &, Value)> finish,
    DepthwiseRowMac rowMac = nullptr, int64_t rowMacEnd = 0,
    const DepthwiseRowWindow *window = nullptr) {
  Type elem = llvm::cast<ShapedType>(x.getType()).getElementType();
  Type wElem = llvm::cast<ShapedType>(w.getType()).getElementType();
  auto lanes = VectorType::get({kLanes}, elem);
  int64_t perMac = taps.perMac;
  auto wLanes = VectorType::get({kLanes * perMac}, wElem);
  Value wPad = arith::ConstantOp::create(
      b, loc, llvm::cast<TypedAttr>(b.getZeroAttr(wElem)));
  Value padVec = vector::BroadcastOp::create(b, loc, lanes, xPad);
  auto cst = [&](OpBuilder &b, int64_t v) { return index(b, loc, v); };

  // One step: `cols` output columns from (bi, oy, ox), 16 channels from
  // ch; taps checked against the input's rows / columns when asked;
  // channels masked past c when `masked`; whole kernel rows by rowMac
  // when `byRows`.
  auto stepAt = [&](OpBuilder &b, Value bi, Value oy, Value ox, Value ch,
                    int64_t cols, bool checkRows, bool checkCols, bool masked,
                    bool byRows, Value out) -> Value {
    SmallVector<bool> inBounds = {!masked};
    auto inRange = [&](Value v, int64_t size) {
      Value ge = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, v,
                                       cst(b, 0));
      Value lt = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, v,
                                       cst(b, size));
      return arith::AndIOp::create(b, loc, ge, lt).getResult();
    };
    auto clampTo = [&](Value v, int64_t size) -> Value {
      return arith::MinSIOp::create(
          b, loc, arith::MaxSIOp::create(b, loc, v, cst(b, 0)),
          cst(b, size - 1));
    };
    SmallVector<Value> accs(cols, init(b, ch));
    // The input row of each kernel row (clamped when checked) and whether
    // it is inside the input.
    SmallVector<Value> iys(s.kh), rowOks(s.kh);
    for (int64_t ty = 0; ty < s.kh; ++ty) {
      Value iy = arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, oy, cst(b, s.stride[0])),
          cst(b, ty * s.dil[0] - s.top));
      if (checkRows) {
        rowOks[ty] = inRange(iy, s.h);
        iy = clampTo(iy, s.h);
      }
      iys[ty] = iy;
      if (byRows) {
        int64_t chStatic = *getConstantIntValue(ch);
        for (int64_t j = 0; j < cols; ++j)
          accs[j] = rowMac(b, bi, iy, ox, j, chStatic, ty, accs[j]);
      }
    }
    // Tap t of output column ox + j: the zero point where it falls outside.
    auto tapAt = [&](int64_t t, int64_t j) -> Value {
      int64_t ty = t / s.kw, tx = t % s.kw;
      Value ix = arith::AddIOp::create(
          b, loc,
          arith::MulIOp::create(b, loc,
                                arith::AddIOp::create(b, loc, ox, cst(b, j)),
                                cst(b, s.stride[1])),
          cst(b, tx * s.dil[1] - s.left));
      Value ok = rowOks[ty];
      if (checkCols) {
        Value colOk = inRange(ix, s.w);
        ok = ok ? arith::AndIOp::create(b, loc, ok, colOk).getResult() : colOk;
        ix = clampTo(ix, s.w);
      }
      if (window)
        return window->read(b, iys[ty], ix, ch);
      Value xv = vector::TransferReadOp::create(
          b, loc, lanes, x, ValueRange{bi, iys[ty], ix, ch}, xPad,
          ArrayRef<bool>(inBounds));
      if (ok)
        xv = arith::SelectOp::create(b, loc, ok, xv, padVec);
      return xv;
    };
    Value wCh = perMac == 1 ? ch
                            : arith::MulIOp::create(b, loc, ch, cst(b, perMac))
                                  .getResult();
    // (The rows form has accumulated every tap above.)
    for (auto [g, group] : llvm::enumerate(byRows ? ArrayRef<SmallVector<int64_t, 2>>()
                                                  : ArrayRef(taps.groups))) {
      Value wvec = vector::TransferReadOp::create(
          b, loc, wLanes, w, ValueRange{cst(b, g), wCh}, wPad,
          ArrayRef<bool>{true});
      for (int64_t j = 0; j < cols; ++j) {
        SmallVector<Value> xs;
        for (int64_t t : group)
          xs.push_back(tapAt(t, j));
        accs[j] = mac(b, xs, wvec, accs[j]);
      }
    }
    SmallVector<Value> stored = finish(b, ch).all(accs);
    for (int64_t j = 0; j < cols; ++j) {
      Value col = arith::AddIOp::create(b, loc, ox, cst(b, j));
      out = writeLanes(b, loc, stored[j], out, {bi, oy, col, ch},
                       masked ? s.c - s.cFull : kLanes);
    }
    return out;
  };
  // Every channel block of one step: whole blocks in a loop, the partial
  // one masked.
  auto channels = [&](OpBuilder &b, Value bi, Value oy, Value ox, int64_t cols,
                      bool checkRows, bool checkCols, bool byRows,
                      Value out) -> Value {
    if (byRows) {
      for (int64_t ch = 0; ch < s.cFull; ch += kLanes)
        out = stepAt(b, bi, oy, ox, cst(b, ch), cols, checkRows, checkCols,
                     /*masked=*/false, byRows, out);
    } else {
      out = forRange(b, loc, 0, s.cFull, kLanes, out,
                     [&](OpBuilder &b, Value ch, Value o) {
                       return stepAt(b, bi, oy, ox, ch, cols, checkRows,
                                     checkCols, /*masked=*/false, byRows, o);
                     });
    }
    if (s.cFull < s.c)
      out = stepAt(b, bi, oy, ox, cst(b, s.cFull), cols, checkRows, checkCols,
                   /*masked=*/true, byRows, out);
    return out;
  };
  // The columns of one output row: all checked on a border row; border
  // columns checked and the interior unchecked, kDwCols at a time, on an
  // interior row (by whole kernel rows below rowMacEnd).
  int64_t rowsEnd =
      rowMac ? std::clamp(rowMacEnd, s.oxLo, s.oxHi) : s.oxLo;
  auto row = [&](OpBuilder &b, Value bi, Value oy, bool borderRow,
                 Value out) -> Value {
    auto cols = [&](int64_t lo, int64_t hi, int64_t step, bool checkCols,
                    bool byRows, Value o) {
      return forRange(b, loc, lo, hi, step, o,
                      [&](OpBuilder &b, Value ox, Value o) {
                        return channels(b, bi, oy, ox, step, borderRow,
                                        checkCols, byRows, o);
                      });
    };
    // The interior kDwCols at a time, then the rest as one step as wide
    // as it is (the weights shared across its columns, its outputs packed
    // four at a time: a 7-wide row was seven 1-column steps).
    auto interior = [&](int64_t lo, int64_t hi, bool byRows, Value o) {
      int64_t blocked = lo + (hi - lo) / s.cols * s.cols;
      o = cols(lo, blocked, s.cols, false, byRows, o);
      if (blocked == hi)
        return o;
      return channels(b, bi, oy, cst(b, blocked), hi - blocked, borderRow,
                      false, false, o);
    };
    // (A border row checks its taps' rows: its interior columns take the
    // same wide steps.)
    if (borderRow) {
      out = cols(0, s.oxLo, 1, true, false, out);
      out = interior(s.oxLo, s.oxHi, false, out);
      return cols(s.oxHi, s.ow, 1, true, false, out);
    }
    out = cols(0, s.oxLo, 1, true, false, out);
    out = interior(s.oxLo, rowsEnd, true, out);
    out = interior(rowsEnd, s.oxHi, false, out);
    return cols(s.oxHi, s.ow, 1, true, false, out);
  };
  // Through a window (no borders, no rows form): for each block of 16
  // channels, the output rows, each prepared, then its columns.
  if (window)
    return forRange(
        b, loc, 0, s.n, 1, out0, [&](OpBuilder &b, Value bi, Value out) {
          auto block = [&](OpBuilder &b, Value ch, bool masked, Value out) {
            return forRange(
                b, loc, 0, s.oh, 1, out, [&](OpBuilder &b, Value oy, Value o) {
                  window->prepare(b, bi, oy, ch, masked);
                  int64_t blocked = s.ow / s.cols * s.cols;
                  auto cols = [&](int64_t lo, int64_t hi, int64_t step,
                                  Value o) {
                    return forRange(
                        b, loc, lo, hi, step, o,
                        [&](OpBuilder &b, Value ox, Value o) {
                          return stepAt(b, bi, oy, ox, ch, step, false, false,
                                        masked, false, o);
                        });
                  };
                  o = cols(0, blocked, s.cols, o);
                  if (blocked == s.ow)
                    return o;
                  return stepAt(b, bi, oy, cst(b, blocked), ch,
                                s.ow - blocked, false, false, masked, false,
                                o);
                });
          };
          out = forRange(b, loc, 0, s.cFull, kLanes, out,
                         [&](OpBuilder &b, Value ch, Value o) {
                           return block(b, ch, false, o);
                         });
          if (s.cFull < s.c)
            out = block(b, cst(b, s.cFull), true, out);
          return out;
        });
  return forRange(
      b, loc, 0, s.n, 1, out0, [&](OpBuilder &b, Value bi, Value out) {
        auto rows = [&](int64_t lo, int64_t hi, bool border, Value o) {
          return forRange(b, loc, lo, hi, 1, o,
                          [&](OpBuilder &b, Value oy, Value o) {
                            return row(b, bi, oy, border, o);
                          });
        };
        out = rows(0, s.oyLo, true, out);
        out = rows(s.oyLo, s.oyHi, false, out);
        return rows(s.oyHi, s.oh, true, out);
      });
}

/// The x86-avx2 depthwise kernels read their input widened to i16 as
/// stored (zero-extended uint8, sign-extended int8), with the zero point
/// on every side the taps reach: no tap is checked. Widened per tap, LLVM
/// folds the extension into the interleave of a tap pair as byte shuffles
/// with lane-crossing fix-ups (122 cycles per interior step in llvm-mca
/// against 104 for the per-tap kernel); widened once into a padded copy of
/// the whole input (twice its bytes), the copy left L2 (mbv2_dw_56_144s2
/// 30 -> 21 GOP/s). So the widened rows live in a ring (a transient
/// buffer, in the workspace once planned): R =
/// (KH - 1) x dilation + 1 rows of the padded input [R][pw][cPad] (padded
/// row pr in slot pr % R), the rows an output row reads; before output row
/// oy the rows it reads first are widened into it (all R at oy = 0, then
/// min(stride, R)). The padding columns are filled with the zero point
/// once per call and never written again; a padding row is filled whole.
/// The loops through the ring take one block of 16 channels at a time
/// (emitDepthwiseLoops with a window), so a block's rows are what stays in
/// L1 (the whole ring of mbv2_dw_56_144, 100 KB of pairs, did not: rows
/// outermost it ran at 56 GOP/s, blocks outermost at 60).
///
/// With `pairs` (the x86-avx512vnni kernel: `vpdpwssd` takes i16 pairs
/// from memory as they are) each i32 of the ring holds a pair of widened
/// pixels of one row: [R][pw][cPad] i32, pixel px's channel ch in its low
/// i16 and pixel px + dilation's in its high one (the zero point past the
/// row), so that one load gives two horizontally neighbouring taps. Every
/// column is then written with its row (a padding column's high half may
/// be an input pixel).
struct WidenedRing {
  int64_t rows, width, bytes;
  bool pairs;
  static constexpr int64_t kMaxBytes = 128 * 1024;

  WidenedRing(const DepthwiseNest &s, bool pairs)
      : rows((s.kh - 1) * s.dil[0] + 1),
        width(std::max(s.left + s.w, (s.ow - 1) * s.stride[1] +
                                         (s.kw - 1) * s.dil[1] + 1)),
        bytes(rows * width * s.cPad * (pairs ? 4 : 2)), pairs(pairs) {}

  /// The nest over the padded input (no borders) and the window reading
  /// the ring, which is allocated and its padding filled here.
  std::pair<DepthwiseNest, DepthwiseRowWindow>
  build(OpBuilder &b, Location loc, Value x, const DepthwiseNest &s,
        bool zeroExtend, int64_t zp) const {
    DepthwiseNest p = s;
    p.h = std::max(s.top + s.h,
                   (s.oh - 1) * s.stride[0] + (s.kh - 1) * s.dil[0] + 1);
    p.w = width;
    p.top = p.left = 0;
    p.oyLo = p.oxLo = 0;
    p.oyHi = s.oh;
    p.oxHi = s.ow;
    Type i16 = b.getI16Type(), i32 = b.getI32Type();
    Type elem = pairs ? i32 : i16;
    auto v16i16 = VectorType::get({kLanes}, i16),
         v16i32 = VectorType::get({kLanes}, i32),
         lanes = VectorType::get({kLanes}, elem);
    // A transient buffer where the kernel is (--intq-plan-workspace puts
    // it in the function's workspace, sharing bytes with buffers whose
    // lifetimes do not meet its own): not the stack, where the rings of a
    // model's layers (tens of KiB each) would add up on every call.
    Value ring = memref::AllocOp::create(
        b, loc, MemRefType::get({rows, width, s.cPad}, elem), ValueRange{},
        b.getI64IntegerAttr(64));
    // The zero point as a widened pixel (i16), or a pair of them.
    uint32_t zp16 = static_cast<uint16_t>(zp);
    Value zpVec = vector::BroadcastOp::create(
        b, loc, lanes,
        intConstant(b, loc, elem,
                    pairs ? static_cast<int32_t>(zp16 | zp16 << 16) : zp));
    // Zero-point pixels [lo, hi) of slot `slot`, the channel blocks from
    // each of `chs`.
    auto fillPixels = [ring, zpVec, loc](OpBuilder &b, Value slot, int64_t lo,
                                         int64_t hi, ValueRange chs) {
      if (lo >= hi)
        return;
      auto loop = scf::ForOp::create(b, loc, index(b, loc, lo),
                                     index(b, loc, hi), index(b, loc, 1));
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(loop.getBody());
      for (Value ch : chs)
        vector::TransferWriteOp::create(
            b, loc, zpVec, ring, ValueRange{slot, loop.getInductionVar(), ch},
            ArrayRef<bool>{true});
    };
    SmallVector<Value> blocks;
    for (int64_t ch = 0; ch < s.cPad; ch += kLanes)
      blocks.push_back(index(b, loc, ch));
    for (int64_t r = 0; r < rows && !pairs; ++r) {
      fillPixels(b, index(b, loc, r), 0, s.left, blocks);
      fillPixels(b, index(b, loc, r), s.left + s.w, width, blocks);
    }
    // The pairs' columns: [0, width) cut where the low pixel (px) or the
    // high one (px + dilation) enters or leaves the input, so that which
    // of the two is the zero point is known in each piece.
    int64_t dil = s.dil[1];
    SmallVector<int64_t> cuts = {0, s.left - dil, s.left, s.left + s.w - dil,
                                 s.left + s.w, width};
    for (int64_t &v : cuts)
      v = std::clamp<int64_t>(v, 0, width);
    llvm::sort(cuts);
    cuts.erase(llvm::unique(cuts), cuts.end());
    DepthwiseRowWindow win;
    win.buffer = ring;
    int64_t rows = this->rows, width = this->width, stride = s.stride[0];
    bool pairs = this->pairs;
    // Padded row pr into its slot, the channel block from ch: input row
    // pr - top widened, or the zero point where that is outside the input.
    auto widenRow = [=](OpBuilder &b, Value bi, Value pr, Value ch,
                        bool masked) {
      auto cst = [&](int64_t v) { return index(b, loc, v); };
      Value slot = arith::RemUIOp::create(b, loc, pr, cst(rows));
      Value iy = arith::SubIOp::create(b, loc, pr, cst(s.top));
      Value inside = arith::AndIOp::create(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, iy,
                                cst(0)),
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, iy,
                                cst(s.h)));
      auto ifOp = scf::IfOp::create(b, loc, inside, /*withElse=*/true);
      {
        OpBuilder::InsertionGuard g(b);
        b.setInsertionPointToStart(ifOp.thenBlock());
        Type elem = llvm::cast<ShapedType>(x.getType()).getElementType();
        auto v16 = VectorType::get({kLanes}, elem);
        Value pad = intConstant(b, loc, elem, 0);
        // Input pixel ix's 16 channels from ch, widened to `t`.
        auto widened = [&](OpBuilder &b, Value ix, VectorType t) {
          Value v = vector::TransferReadOp::create(
              b, loc, v16, x, ValueRange{bi, iy, ix, ch}, pad,
              ArrayRef<bool>{!masked});
          return zeroExtend ? Value(arith::ExtUIOp::create(b, loc, t, v))
                            : Value(arith::ExtSIOp::create(b, loc, t, v));
        };
        if (pairs) {
          Value zp32 = vector::BroadcastOp::create(
              b, loc, v16i32, intConstant(b, loc, i32, zp));
          Value low16 = intConstant(b, loc, v16i32, 0xffff);
          Value sh16 = intConstant(b, loc, v16i32, 16);
          for (auto [lo, hi] : llvm::zip(ArrayRef(cuts).drop_back(),
                                         ArrayRef(cuts).drop_front())) {
            bool lowIn = lo >= s.left && lo < s.left + s.w;
            bool highIn = lo + dil >= s.left && lo + dil < s.left + s.w;
            // Without dilation, where both pixels are inside, the high
            // pixel of one column is the low one of the next: widened once,
            // carried by the loop.
            bool carry = lowIn && highIn && dil == 1;
            SmallVector<Value> inits;
            if (carry)
              inits.push_back(widened(b, cst(lo - s.left), v16i32));
            auto loop =
                scf::ForOp::create(b, loc, cst(lo), cst(hi), cst(1), inits);
            OpBuilder::InsertionGuard g(b);
            b.setInsertionPointToStart(loop.getBody());
            Value px = loop.getInductionVar();
            Value ix = arith::SubIOp::create(b, loc, px, cst(s.left));
            Value ixHigh = arith::AddIOp::create(b, loc, ix, cst(dil));
            Value l = carry  ? loop.getRegionIterArgs()[0]
                      : lowIn ? widened(b, ix, v16i32)
                              : zp32;
            Value h = highIn ? widened(b, ixHigh, v16i32) : zp32;
            if (!zeroExtend)
              l = arith::AndIOp::create(b, loc, l, low16);
            Value pair = arith::OrIOp::create(
                b, loc, l, arith::ShLIOp::create(b, loc, h, sh16));
            vector::TransferWriteOp::create(b, loc, pair, ring,
                                            ValueRange{slot, px, ch},
                                            ArrayRef<bool>{true});
            if (carry)
              scf::YieldOp::create(b, loc, h);
          }
        } else {
          auto loop = scf::ForOp::create(b, loc, cst(0), cst(s.w), cst(1));
          b.setInsertionPointToStart(loop.getBody());
          Value ix = loop.getInductionVar();
          Value px = arith::AddIOp::create(b, loc, ix, cst(s.left));
          vector::TransferWriteOp::create(b, loc, widened(b, ix, v16i16),
                                          ring, ValueRange{slot, px, ch},
                                          ArrayRef<bool>{true});
        }
      }
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(ifOp.elseBlock());
      fillPixels(b, slot, 0, width, ch);
    };
    // Before output row oy: the padded rows [lo, oy * stride + R), lo =
    // oy * stride at oy = 0, else past the rows of row oy - 1.
    win.prepare = [=](OpBuilder &b, Value bi, Value oy, Value ch,
                      bool masked) {
      auto cst = [&](int64_t v) { return index(b, loc, v); };
      Value first = arith::MulIOp::create(b, loc, oy, cst(stride));
      Value skip = arith::SelectOp::create(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, oy, cst(0)),
          cst(0), cst(std::max<int64_t>(0, rows - stride)));
      Value lo = arith::AddIOp::create(b, loc, first, skip);
      Value hi = arith::AddIOp::create(b, loc, first, cst(rows));
      auto loop = scf::ForOp::create(b, loc, lo, hi, cst(1));
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(loop.getBody());
      widenRow(b, bi, loop.getInductionVar(), ch, masked);
    };
    win.read = [=](OpBuilder &b, Value iy, Value ix, Value ch) -> Value {
      Value slot =
          arith::RemUIOp::create(b, loc, iy, index(b, loc, rows));
      return vector::TransferReadOp::create(
          b, loc, lanes, ring, ValueRange{slot, ix, ch},
          intConstant(b, loc, elem, 0), ArrayRef<bool>{true});
    };
    return {p, win};
  }
};

/// Rewrites one depthwise intq.conv2d (groups = C, channel multiplier 1):
/// channels are the vector lanes (NHWC keeps 16 of them contiguous), the
/// KH x KW taps are unrolled, 4 output columns share each weight vector;
/// the accumulation is exact in i32 and the epilogue is the matmul
/// kernels'. Channels are padded to 16 and output columns to 4 (the input
/// is padded with its zero point to match; padded channels have zero
/// weights). x86-avx512vnni at stride 1 multiplies two taps of a kernel
/// row per `vpdpwssd`, its operand an i32 of a ring of widened pixel pairs
/// (WidenedRing with `pairs`: pixel px in the low i16, px + dilation in the
/// high one) read as it is, the weights stored as the matching i16 pairs
/// per kernel row (a lone last tap against a zero high weight); strided,
/// one `vpdpwssd` per tap: the weights stored as i32 lanes (high i16
/// zero), the activations sign-extended to i32 lanes. x86-avx2 at stride 1
/// multiplies two taps per `vpmaddwd` (t and t + 1 of the KH x KW taps in
/// row-major order, a lone last tap against a zero weight), read from a
/// ring of input rows widened to i16 as stored (WidenedRing: zero-extended
/// uint8, sign-extended int8, no flip) and interleaved in-lane (`vpunpcklwd` /
/// `vpunpckhwd`); the weights are stored as the matching i16 pairs and the
/// bias in that lane order, the accumulators put back in channel order
/// before the epilogue; `vpaddd` into the accumulators. Strided, x86-avx2
/// takes the VNNI form with `vpmaddwd` + `vpaddd` for `vpdpwssd`.
/// Elsewhere multiply and add.
///
/// With `vbmi` (x86-avx512vnni on a CPU with AVX512-VBMI), strided (at
/// stride 1 the pair ring is faster: mbv2_dw_112_32 57-59 -> 63-64 GOP/s),
/// where a kernel
/// row's taps are consecutive pixels (dilation 1, KW <= 4), input rows and
/// steps of kDwCols columns span multiples of 64 bytes and each window's
/// taps fit in two 64-byte chunks (C <= 32 for KW = 3), the interior
/// multiplies a whole kernel row per instruction: one two-source byte
/// shuffle (`vpermt2b`) of two aligned chunks of the input row, loaded once
/// per step, gathers each channel's KW taps into its i32 lane, and one
/// `vpdpbusd` multiplies them by the row's weights (bytes past KW meet zero
/// weights). The kernel then reads the input in its u8 view (int8 sign
/// bits flipped where loaded), the border taps with `vpdpwssd` on
/// zero-extended lanes: KH instead of KH x KW multiply instructions per 16
/// outputs.
LogicalResult rewriteDepthwise(Conv2DOp op, KernelTarget target, bool vbmi,
                               bool useRing) {
  auto inShape = op.getInput().getType().getShape();
  auto wShape = op.getWeights().getType().getShape();
  auto outShape = op.getResult().getType().getShape();
  if (static_cast<int64_t>(op.getGroups()) != inShape[3] || wShape[3] != 1 ||
      wShape[0] != inShape[3])
    return failure();
  auto co = matchInt8Operands(op, op.getInput(), op.getWeights(), op.getBias(),
                              op.getResult());
  if (failed(co))
    return failure();
  mq::UniformQuantizedType inTy = co->inTy, outTy = co->outTy;
  int64_t c = inShape[3], kh = wShape[1], kw = wShape[2];
  DepthwiseNest nest(target, inShape, outShape, kh, kw, op.getPad(),
                     op.getStride(), op.getDilation());
  bool vnni = target == KernelTarget::X86Vnni;
  // AVX2 at stride 1 multiplies two taps per i32 lane (tapPairs): vpmaddwd
  // on i16 pairs read from the ring of widened rows, an add. Strided, the
  // ring widens more input pixels than the kernel writes
  // (mbv2_dw_56_144s2 measured 30 -> 28 GOP/s with it, mbv2_dw_112_32
  // 28 -> 33): there the taps are widened to i32 lanes as i16 pairs whose
  // high half meets a zero weight (i32Lanes): vpaddd + vpmaddwd.
  // AVX512-VNNI at stride 1 reads two neighbouring taps of a kernel row as
  // one i32 of the ring of widened pixel pairs (pairRing): one vpdpwssd
  // with its operand from memory, no shuffle; strided, by kernel rows
  // where the shape allows (byRows, below), else one tap per i32 lane by
  // vpdpwssd.
  bool avx2 = target == KernelTarget::X86Avx2;
  bool stride1 = nest.stride[0] == 1 && nest.stride[1] == 1;
  WidenedRing ring(nest, /*pairs=*/vnni);
  bool ringFits = useRing && stride1 && ring.bytes <= WidenedRing::kMaxBytes;
  bool tapPairs = avx2 && ringFits;
  // AVX512-VNNI at stride 1 takes the pair ring even where the rows form
  // applies: mbv2_dw_112_32 measured 57-59 GOP/s by rows, 63-64 with the
  // ring (its single rounding 65-67 and 73).
  bool pairRing = vnni && ringFits;
  // The rows form reads each kernel row's window from two 64-byte chunks
  // at a multiple of 64 from the row's first byte, shared by the columns
  // and channel blocks of a step: the window's offset in the chunk pair
  // (`phase` + j * s * C + ch, mod 64) must be the same for every step, so
  // whole rows and steps of kDwCols columns span multiples of 64 bytes,
  // and every tap of a window must fall inside its pair. The columns are
  // those whose pair stays inside the input row (rowsEnd).
  int64_t sC = nest.stride[1] * c, rowsEnd = 0, phase = 0;
  bool byRows = vnni && vbmi && !pairRing && kw <= 4 && nest.dil[1] == 1 &&
                nest.w * c % 64 == 0 && kDwCols * sC % 64 == 0 &&
                nest.oyLo < nest.oyHi;
  if (byRows) {
    phase = llvm::mod((nest.oxLo * nest.stride[1] - nest.left) * c, 64);
    for (int64_t j = 0; j < kDwCols; ++j)
      for (int64_t ch = 0; ch < nest.cPad; ch += kLanes)
        byRows &= (phase + j * sC + ch) % 64 + (kw - 1) * c + kLanes <= 128;
    int64_t lastX = llvm::divideFloorSigned(
        nest.w * c - 128 - (nest.cPad - kLanes), c);
    rowsEnd = llvm::divideFloorSigned(lastX + nest.left, nest.stride[1]) + 1;
    byRows &= rowsEnd >= nest.oxLo + kDwCols;
  }
  bool i32Lanes = (vnni && !pairRing) || (avx2 && !tapPairs);
  TapGroups taps(kh, kw, tapPairs || pairRing ? 2 : 1,
                 /*withinRows=*/pairRing);
  int64_t perMac = taps.perMac;
  // The rows form reads the u8 view, as the VNNI matmul kernels do; the
  // rings read the storage as it is (widened to i16, zero- or
  // sign-extended: no flip); the others the int8 view.
  bool u8View = byRows || ((tapPairs || pairRing) && !inTy.isSigned());
  auto st = kernelOutputStage(
      op, *co, u8View ? KernelTarget::X86Vnni : KernelTarget::Generic, c,
      toDouble(op.getClampMin()), toDouble(op.getClampMax()));
  if (failed(st))
    return failure();

  OpBuilder b(op);
  Location loc = op.getLoc();
  Type storage = inTy.getStorageType(), i32 = b.getI32Type();
  auto v16i32 = VectorType::get({kLanes}, i32);
  Value x = contiguous(b, loc,
                       mq::StorageCastOp::create(
                           b, loc, RankedTensorType::get(inShape, storage),
                           op.getInput()));
  Value zp = intConstant(b, loc, storage, inTy.getZeroPoint());
  // The tap pairs' i32 lane l (of 16) holds channel pairLane[l] of its
  // block: the in-lane order of vpunpcklwd / vpunpckhwd on two ymm of 16
  // i16 (channels 0-3 and 8-11, then 4-7 and 12-15). The permutation is its
  // own inverse: the accumulators start at the bias in that order and are
  // put back in channel order before the epilogue.
  SmallVector<int64_t> pairLane, interleave;
  for (int64_t half : {0, 4})
    for (int64_t l128 : {0, 8})
      for (int64_t i = 0; i < 4; ++i)
        pairLane.push_back(l128 + half + i);
  for (int64_t l : pairLane)
    interleave.append({l, kLanes + l});
  // Weights [groups][cPad * perMac]: tap k of group g (taps.groups[g][k])
  // of channel ch at [g][lane(ch) * perMac + k] (a group's missing last tap
  // is zero; lane(ch) = ch but for the AVX2 tap pairs' order); per-channel
  // constants padded to cPad.
  int64_t groups = taps.groups.size();
  auto laneOf = [&](int64_t ch) {
    return tapPairs ? ch / kLanes * kLanes + pairLane[ch % kLanes] : ch;
  };
  SmallVector<int64_t> wv(groups * nest.cPad * perMac, 0);
  for (int64_t ch = 0; ch < c; ++ch)
    for (auto [g, group] : llvm::enumerate(taps.groups))
      for (auto [k, t] : llvm::enumerate(group))
        wv[(g * nest.cPad + laneOf(ch)) * perMac + k] =
            co->weights[ch * kh * kw + t];
  // vpdpwssd / vpmaddwd lanes: the weight in the low i16, zero in the
  // high one.
  if (i32Lanes)
    for (int64_t &v : wv)
      v &= 0xffff;
  Value w = denseIntConstant(
      b, loc, {groups, nest.cPad * perMac},
      i32Lanes ? i32 : perMac == 2 ? Type(b.getI16Type()) : storage, wv);
  ChannelConstants channels(b, loc, *st, nest.cPad, target);
  // The generic form reads the int8 view, the rows form the u8 view (as
  // vpdpbusd does): the sign bits of the other signedness are flipped
  // where the bytes are loaded. The tap pairs read either.
  bool flip = !tapPairs && !pairRing && u8View == inTy.isSigned();
  auto v16 = VectorType::get({kLanes}, storage);
  auto v32i16 = VectorType::get({2 * kLanes}, b.getI16Type());
  auto v64i8 = VectorType::get({4 * kLanes}, b.getI8Type());
  // The rows form: the input flat, and the weights of each kernel row as 4
  // bytes per channel [kh][cPad * 4] (taps kw..3 zero).
  Value flat, rowWeights;
  if (byRows) {
    flat = tensor::CollapseShapeOp::create(
        b, loc, x, ArrayRef<ReassociationIndices>{{0, 1, 2, 3}});
    SmallVector<int64_t> rw(kh * nest.cPad * 4, 0);
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t y = 0; y < kh; ++y)
        for (int64_t xx = 0; xx < kw; ++xx)
          rw[(y * nest.cPad + ch) * 4 + xx] =
              co->weights[(ch * kh + y) * kw + xx];
    rowWeights = denseIntConstant(b, loc, {kh, nest.cPad * 4}, b.getI8Type(),
                                  rw);
  }
  Value i8Pad = intConstant(b, loc, b.getI8Type(), 0);
  // Output column ox + j (ox the first of a step), channels from ch: the
  // window starts `offset` = phase + j * s * C + ch bytes after `base`, a
  // multiple of 64; byte t of lane l is tap t of channel l, at offset % 64
  // + t * C + l in the chunk pair from offset / 64 (taps past KW meet zero
  // weights: any byte of the pair).
  auto rowMac = [&](OpBuilder &b, Value bi, Value iy, Value ox, int64_t j,
                    int64_t ch, int64_t ty, Value acc) -> Value {
    auto cst = [&](int64_t v) { return index(b, loc, v); };
    auto mul = [&](Value v, int64_t k) -> Value {
      return arith::MulIOp::create(b, loc, v, cst(k));
    };
    auto add = [&](Value u, Value v) -> Value {
      return arith::AddIOp::create(b, loc, u, v);
    };
    Value row = mul(add(mul(bi, nest.h), iy), nest.w * c);
    Value base = add(row, mul(ox, sC));
    int64_t first = -nest.left * c - phase, offset = phase + j * sC + ch;
    auto chunk = [&](int64_t k) -> Value {
      Value v = vector::TransferReadOp::create(
          b, loc, v64i8, flat, ValueRange{add(base, cst(first + 64 * k))},
          i8Pad, ArrayRef<bool>{true});
      if (flip)
        v = arith::XOrIOp::create(b, loc, v, intConstant(b, loc, v64i8, -128));
      return v;
    };
    SmallVector<int64_t> gather;
    for (int64_t l = 0; l < kLanes; ++l)
      for (int64_t t = 0; t < 4; ++t)
        gather.push_back(offset % 64 + (t < kw ? t * c : 0) + l);
    Value taps = vector::ShuffleOp::create(b, loc, chunk(offset / 64),
                                           chunk(offset / 64 + 1), gather);
    Value wv = vector::TransferReadOp::create(
        b, loc, v64i8, rowWeights, ValueRange{cst(ty), cst(ch * 4)}, i8Pad,
        ArrayRef<bool>{true});
    return X86VpdpbusdOp::create(b, loc, acc, taps, wv);
  };
  auto inLaneOrder = [&](OpBuilder &b, Value v) -> Value {
    return vector::ShuffleOp::create(b, loc, v, v, pairLane);
  };
  // The tap pairs read the input through the ring of widened rows.
  Value xIn = x, xPad = zp;
  DepthwiseNest loops = nest;
  DepthwiseRowWindow window;
  if (tapPairs || pairRing) {
    std::tie(loops, window) =
        ring.build(b, loc, x, nest, u8View, inTy.getZeroPoint());
    xIn = window.buffer;
    xPad = intConstant(
        b, loc, getElementTypeOrSelf(xIn.getType()), inTy.getZeroPoint());
  }
  Value o = emitDepthwiseLoops(
      b, loc, loops, xIn, xPad, w, taps,
      nest.emptyOutput(b, loc, outTy.getStorageType()),
      [&](OpBuilder &b, Value ch) -> Value {
        Value bias = channels.biasAt(b, loc, ch);
        return tapPairs ? inLaneOrder(b, bias) : bias;
      },
      [&](OpBuilder &b, ArrayRef<Value> xs, Value wv, Value acc) -> Value {
        // The ring's i32 at the group's first tap holds both taps (a lone
        // tap's partner meets a zero weight).
        if (pairRing)
          return X86VpdpwssdOp::create(
              b, loc, acc, vector::BitCastOp::create(b, loc, v32i16, xs.front()),
              wv);
        if (tapPairs) {
          // The two taps (i16, widened once) interleaved in-lane
          // (vpunpcklwd / vpunpckhwd): one vpmaddwd multiplies both by
          // their weights. A lone last tap pairs with itself, against a
          // zero weight.
          Value both = vector::ShuffleOp::create(b, loc, xs.front(),
                                                 xs.back(), interleave);
          return arith::AddIOp::create(
              b, loc, acc, X86VpmaddwdOp::create(b, loc, v16i32, both, wv));
        }
        Value xv = xs.front();
        if (flip)
          xv = arith::XOrIOp::create(b, loc, xv, intConstant(b, loc, v16, -128));
        xv = byRows ? Value(arith::ExtUIOp::create(b, loc, v16i32, xv))
                    : Value(arith::ExtSIOp::create(b, loc, v16i32, xv));
        if (vnni)
          return X86VpdpwssdOp::create(
              b, loc, acc, vector::BitCastOp::create(b, loc, v32i16, xv),
              vector::BitCastOp::create(b, loc, v32i16, wv));
        if (i32Lanes)
          return arith::AddIOp::create(
              b, loc, acc,
              X86VpmaddwdOp::create(
                  b, loc, v16i32, vector::BitCastOp::create(b, loc, v32i16, xv),
                  vector::BitCastOp::create(b, loc, v32i16, wv)));
        wv = arith::ExtSIOp::create(b, loc, v16i32, wv);
        return arith::AddIOp::create(b, loc, acc,
                                     arith::MulIOp::create(b, loc, xv, wv));
      },
      [&](OpBuilder &b, Value ch) -> OutputMap {
        OutputMap done = channels.at(b, loc, ch, outTy);
        if (tapPairs)
          done.requantize = [&b, requantize = done.requantize,
                             inLaneOrder](Value acc) {
            return requantize(inLaneOrder(b, acc));
          };
        return done;
      },
      byRows ? DepthwiseRowMac(rowMac) : nullptr, rowsEnd,
      tapPairs || pairRing ? &window : nullptr);
  replaceWithStorage(b, loc, op, o);
  return success();
}

/// Rewrites an intq.add of 8-bit operands into one loop over 16-lane
/// vectors of the flattened operands and result (a masked last step), the
/// arithmetic of AddLowering (buildAdd) on the vectors in its x86 form:
/// the three SRDHMs on i64 lane pairs (`vpmuldq`), the rounding shifts
/// with a nudge. Left to the integer lowering, whose scalar form LLVM's
/// loop vectorizer widened to i64 lanes (8 per zmm: 97 instructions per 8
/// elements on mobilenet's residual adds), the adds took a fifth of the
/// int8 model's time. x86 targets only (the lane-pair products are
/// `vpmuldq`; AArch64 keeps the integer lowering). On AVX-512 the loop
/// takes 64 elements a step where it can, narrowed by one
/// intq.x86.pack_bytes.
LogicalResult rewriteAdd(AddOp op, KernelTarget target) {
  auto qOf = [](Value v) {
    return llvm::cast<mq::UniformQuantizedType>(
        llvm::cast<ShapedType>(v.getType()).getElementType());
  };
  mq::UniformQuantizedType aQ = qOf(op.getLhs()), bQ = qOf(op.getRhs()),
                           oQ = qOf(op.getResult());
  auto ty = op.getResult().getType();
  if (!ty.hasStaticShape() || ty.getRank() == 0 ||
      op.getLhs().getType().getShape() !=
                                  ty.getShape() ||
      op.getRhs().getType().getShape() != ty.getShape())
    return failure();
  for (auto q : {aQ, bQ, oQ})
    if (q.getStorageTypeIntegralWidth() != 8)
      return failure();
  auto r = getAddRescale(aQ, bQ, oQ, toDouble(op.getClampMin()),
                         toDouble(op.getClampMax()));
  if (!r)
    return failure(); // the integer lowering reports it
  OpBuilder b(op);
  Location loc = op.getLoc();
  int64_t n = ty.getNumElements();
  // The operand's storage, contiguous, as one dimension.
  auto flat = [&](Value v, mq::UniformQuantizedType q) -> Value {
    auto shape = llvm::cast<ShapedType>(v.getType()).getShape();
    return flatten(b, loc,
                   contiguous(b, loc,
                              mq::StorageCastOp::create(
                                  b, loc,
                                  RankedTensorType::get(
                                      shape, q.getStorageType()),
                                  v)));
  };
  Value x = flat(op.getLhs(), aQ), y = flat(op.getRhs(), bQ);
  Type storage = oQ.getStorageType();
  Value out0 = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{n}, storage);
  auto v16i32 = VectorType::get({kLanes}, b.getI32Type());
  // 16 stored values of `t` from `at`, extended to i32.
  auto load = [&](OpBuilder &b, Value t, mq::UniformQuantizedType q, Value at,
                  bool masked) -> Value {
    Value v = vector::TransferReadOp::create(
        b, loc, VectorType::get({kLanes}, q.getStorageType()), t,
        ValueRange{at}, intConstant(b, loc, q.getStorageType(), 0),
        ArrayRef<bool>{!masked});
    return q.isSigned() ? Value(arith::ExtSIOp::create(b, loc, v16i32, v))
                        : Value(arith::ExtUIOp::create(b, loc, v16i32, v));
  };
  auto step = [&](OpBuilder &b, Value i, Value out, bool masked) -> Value {
    Value sum = buildAdd(b, loc, load(b, x, aQ, i, masked),
                         load(b, y, bQ, i, masked), *r, /*vectorForm=*/true,
                         /*clampOutput=*/true);
    Value narrow = arith::TruncIOp::create(
        b, loc, VectorType::get({kLanes}, storage), sum);
    return writeLanes(b, loc, narrow, out, ValueRange{i},
                      masked ? n % kLanes : kLanes);
  };
  // On AVX-512, without a left shift in the output rescale, four steps at
  // a time: the sums unclamped (|sum| < 2^29) narrowed by one
  // intq.x86.pack_bytes, which saturates to the storage range, the part of
  // [lo, hi] inside it on the 64 bytes, one 64-byte store.
  auto packedStep = [&](OpBuilder &b, Value i, Value out) -> Value {
    SmallVector<Value> sums;
    for (int64_t k = 0; k < 4; ++k) {
      Value at = arith::AddIOp::create(b, loc, i, index(b, loc, k * kLanes));
      sums.push_back(buildAdd(b, loc, load(b, x, aQ, at, false),
                              load(b, y, bQ, at, false), *r,
                              /*vectorForm=*/true, /*clampOutput=*/false));
    }
    auto v64 = VectorType::get({4 * kLanes}, b.getI8Type());
    Value bytes = clampNarrowLanes(
        b, loc,
        X86PackBytesOp::create(b, loc, v64, sums[0], sums[1], sums[2],
                               sums[3], !oQ.isSigned()),
        oQ.isSigned(), 8, r->lo, r->hi, oQ.getStorageTypeMin(),
        oQ.getStorageTypeMax());
    return vector::TransferWriteOp::create(b, loc, bytes, out, ValueRange{i},
                                           ArrayRef<bool>{true})
        .getResult();
  };
  int64_t packed = !hasBytePacks(target) || r->out.left
                       ? 0
                       : n / (4 * kLanes) * (4 * kLanes);
  Value o = forRange(b, loc, 0, packed, 4 * kLanes, out0,
                     [&](OpBuilder &b, Value i, Value out) {
                       return packedStep(b, i, out);
                     });
  o = flatLaneLoop(b, loc, packed, n, kLanes, o, step);
  replaceWithStorage(b, loc, op, unflatten(b, loc, o, ty.getShape()));
  return success();
}

/// True for a float constant whose elements are all zero (TOSA zero points).
bool isZeroConstant(Value v) {
  DenseFPElementsAttr z = getConstantFloats(v);
  return z && llvm::all_of(z.getValues<APFloat>(),
                           [](const APFloat &f) { return f.isZero(); });
}

/// The f32 clamp bounds of the tosa.clamp that is the only user of a float
/// kernel's op, if there is one: the kernel applies it on the registers, as
/// the int8 kernels apply their fused activation (apples to apples).
struct FloatClamp {
  tosa::ClampOp op;
  float lo, hi;

  static std::optional<FloatClamp> of(Operation *producer) {
    Value r = producer->getResult(0);
    if (!r.hasOneUse())
      return std::nullopt;
    auto clamp = llvm::dyn_cast<tosa::ClampOp>(*r.getUsers().begin());
    if (!clamp)
      return std::nullopt;
    auto lo = llvm::dyn_cast<FloatAttr>(clamp.getMinValAttr());
    auto hi = llvm::dyn_cast<FloatAttr>(clamp.getMaxValAttr());
    if (!lo || !hi || !lo.getType().isF32() || !hi.getType().isF32())
      return std::nullopt;
    return FloatClamp{clamp, float(lo.getValueAsDouble()),
                      float(hi.getValueAsDouble())};
  }

  /// The map from an accumulator to its clamped value (NaN propagates, as
  /// in tosa.clamp's default mode).
  static std::function<Value(Value)> apply(OpBuilder &b, Location loc,
                                           std::optional<FloatClamp> c) {
    if (!c)
      return [](Value acc) { return acc; };
    auto v16f32 = VectorType::get({kLanes}, b.getF32Type());
    auto splat = [&](float v) -> Value {
      return arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(v16f32, b.getF32FloatAttr(v).getValue()));
    };
    Value lo = splat(c->lo), hi = splat(c->hi);
    return [&b, loc, lo, hi](Value acc) -> Value {
      return arith::MinimumFOp::create(
          b, loc, arith::MaximumFOp::create(b, loc, acc, lo), hi);
    };
  }

  /// Replaces `op` by `y`, and the clamp (when fused) by `y` too.
  static void replace(Operation *op, Value y, std::optional<FloatClamp> c) {
    if (c) {
      c->op.getResult().replaceAllUsesWith(y);
      c->op.erase();
    } else {
      op->getResult(0).replaceAllUsesWith(y);
    }
    op->erase();
  }
};

Value buildF32Kernel(OpBuilder &b, Location loc, KernelTarget target, Value x,
                     int64_t m, int64_t k, int64_t n,
                     function_ref<float(int64_t, int64_t)> weightAt,
                     ArrayRef<float> bias, ArrayRef<int64_t> resultShape,
                     std::optional<FloatClamp> clamp,
                     std::optional<ConvRows> conv = std::nullopt);

/// Rewrites one float tosa.matmul with constant weights (batch 1, zero
/// points 0) into the same loop nest with vector<16xf32> FMA accumulators:
/// the fp32 baseline that int8 is compared with, tiled the same way.
LogicalResult rewriteFloatMatMul(tosa::MatMulOp op, KernelTarget target) {
  auto aTy = llvm::dyn_cast<RankedTensorType>(op.getA().getType());
  auto bTy = llvm::dyn_cast<RankedTensorType>(op.getB().getType());
  if (!aTy || !bTy || !aTy.getElementType().isF32() ||
      !bTy.getElementType().isF32() || !aTy.hasStaticShape() ||
      !bTy.hasStaticShape() || aTy.getDimSize(0) != 1 ||
      !isZeroConstant(op.getAZp()) || !isZeroConstant(op.getBZp()))
    return failure();
  DenseFPElementsAttr weights = getConstantFloats(op.getB());
  if (!weights)
    return failure();
  int64_t m = aTy.getDimSize(1), k = aTy.getDimSize(2), n = bTy.getDimSize(2);
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value x = contiguous(b, loc,
                       tensor::CollapseShapeOp::create(
                           b, loc, op.getA(),
                           ArrayRef<ReassociationIndices>{{0, 1}, {2}}));
  SmallVector<float> w = llvm::to_vector(weights.getValues<float>());
  std::optional<FloatClamp> clamp = FloatClamp::of(op);
  Value y = buildF32Kernel(
      b, loc, target, x, m, k, n, [&](int64_t kk, int64_t col) { return w[kk * n + col]; },
      {}, op.getType().getShape(), clamp);
  y = unpad(b, loc, y, m, n, aTy.getShape());
  FloatClamp::replace(op, y, clamp);
  return success();
}

/// The fp32 kernel: `x` (m x k, or the flattened padded input of a
/// convolution when `conv` is given: an implicit GEMM as in the int8
/// kernel, one offset per element of the reduction) times the constant
/// weights `weightAt(k, n)` (+ `bias[n]` when given) into an (mPad x nPad)
/// tensor.
Value buildF32Kernel(OpBuilder &b, Location loc, KernelTarget target, Value x,
                     int64_t m, int64_t k, int64_t n,
                     function_ref<float(int64_t, int64_t)> weightAt,
                     ArrayRef<float> bias, ArrayRef<int64_t> resultShape,
                     std::optional<FloatClamp> clamp,
                     std::optional<ConvRows> conv) {
  auto [rows, blocks] = f32Block(target);
  // The int8 kernels' choice of blocks per panel: with 144 outputs 3 x 3
  // blocks, written in place, where 3 x 4 computed 192 into a padded
  // tensor and copied 144 out (mbv2_pw_56_24_144 ran at 76 GOP/s, 0.4x
  // oneDNN's fp32).
  int64_t mr = std::min(m, rows),
          u = blocksPerPanel(ceilDiv(n, kLanes), blocks);
  // The int8 kernels' 6 x 4 block (buildInt8Kernel) where it also pays in
  // fp32 on AVX-512 (x86-avx512vnni and x86-amx compile fp32 layers the
  // same): convolutions with a kernel window over at least 16 channels
  // (r18_3x3_56_64 and r18_3x3_14_256 +6 %). Not the matrices (mm_512,
  // mm_1024 +2 %; ResNet-50's 1x1 with K = 512 -16 %, pw_56_64_256 -33 %)
  // nor the stems (C = 3: -15 %), measured as the int8 rule was.
  if ((target == KernelTarget::X86Vnni || target == KernelTarget::X86Amx) &&
      conv && conv->c >= 16 && k > conv->c && sixRowsPay(m, k, u))
    mr = 6;
  int64_t mPad = ceilDiv(m, mr) * mr;
  int64_t panels = ceilDiv(ceilDiv(n, kLanes), u);
  int64_t nPad = panels * u * kLanes;
  Type f32 = b.getF32Type();
  auto v16f32 = VectorType::get({kLanes}, f32);
  // The same reduction split as the int8 kernels (zero padded to a
  // multiple of it).
  int64_t kSplit = reductionSplit(mr * u, k);
  int64_t kPad = ceilDiv(k, kSplit) * kSplit;
  Value kOffsets;
  if (conv)
    kOffsets = conv->offsets(b, loc, k, kPad, 1);
  else
    x = padTo(b, loc, x, mPad, kPad);

  // [panel][kPad][u x 16], zero padded.
  SmallVector<float> packed(panels * kPad * u * kLanes, 0.0f);
  for (int64_t kk = 0; kk < k; ++kk)
    for (int64_t col = 0; col < n; ++col) {
      int64_t nb = col / kLanes, j = col % kLanes;
      packed[((nb / u * kPad + kk) * u + nb % u) * kLanes + j] =
          weightAt(kk, col);
    }
  SmallVector<float> biasPadded(bias.begin(), bias.end());
  biasPadded.resize(nPad, 0.0f);
  Value biasT = arith::ConstantOp::create(
      b, loc,
      DenseFPElementsAttr::get(RankedTensorType::get({nPad}, f32),
                               ArrayRef<float>(biasPadded)));
  auto packedTy = RankedTensorType::get({panels, kPad, u * kLanes}, f32);
  Value wt = arith::ConstantOp::create(
      b, loc, DenseFPElementsAttr::get(packedTy, ArrayRef<float>(packed)));

  Value out0 = kernelDestination(b, loc, mPad, nPad, f32, resultShape);
  Value zero = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(v16f32, b.getF32FloatAttr(0.0f).getValue()));
  Value padF = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  SmallVector<bool> inBounds = {true};
  LoopNest nest{panels, mPad, mr, u, kPad, out0,
                sameOnEveryRow(mr, u,
                               [&](OpBuilder &b, Value panel,
                                   int64_t j) -> Value {
                                 if (bias.empty())
                                   return zero;
                                 return vector::TransferReadOp::create(
                                     b, loc, v16f32, biasT,
                                     ValueRange{columnOf(b, loc, panel, u, j)},
                                     padF, ArrayRef<bool>(inBounds));
                               })};
  nest.kSplit = kSplit;
  // One pass (no reduceInL1Passes): the same rule measured 10-13 % slower
  // on the fp32 matmul and 3x3 convs (their panels are 4x the int8 ones).
  auto step = [&](OpBuilder &b, Value panel, Value mv, Value kk,
                  ValueRange accs, SmallVectorImpl<Value> &next) {
    SmallVector<Value> wv;
    for (int64_t j = 0; j < u; ++j)
      wv.push_back(vector::TransferReadOp::create(
          b, loc, v16f32, wt, ValueRange{panel, kk, index(b, loc, j * kLanes)},
          padF, ArrayRef<bool>(inBounds)));
    Value kOff;
    if (conv)
      kOff = arith::IndexCastOp::create(
          b, loc, b.getIndexType(),
          tensor::ExtractOp::create(b, loc, kOffsets, ValueRange{kk}));
    SmallVector<Value> rowBases =
        conv ? conv->blockRowBases(b, loc, mv, mr, m) : SmallVector<Value>();
    for (int64_t r = 0; r < mr; ++r) {
      Value row = arith::AddIOp::create(b, loc, mv, index(b, loc, r));
      Value s =
          conv ? tensor::ExtractOp::create(
                     b, loc, x,
                     ValueRange{
                         arith::AddIOp::create(b, loc, rowBases[r], kOff)})
               : tensor::ExtractOp::create(b, loc, x, ValueRange{row, kk});
      Value a = vector::BroadcastOp::create(b, loc, v16f32, s);
      for (int64_t j = 0; j < u; ++j)
        next.push_back(
            vector::FMAOp::create(b, loc, a, wv[j], accs[r * u + j]));
    }
  };
  auto store = [&](OpBuilder &b, Value panel, Value mv, ValueRange accs,
                   Value o) -> Value {
    // The bias is the accumulators' initial value.
    return storeBlock(b, loc, panel, mv, mr, u, accs, o,
                      [&](int64_t, Value) -> OutputMap {
                        return FloatClamp::apply(b, loc, clamp);
                      });
  };
  return emitLoopNest(b, loc, nest, step, store);
}

/// Rewrites one float tosa.conv2d (NHWC, OHWI constant weights, constant
/// bias, zero points 0) into the fp32 kernel, as an implicit GEMM on the
/// zero-padded input like the int8 convolutions (any C: the kernel steps
/// by one element); a 1x1 stride-1 unpadded conv is a reshape.
LogicalResult rewriteFloatConv(tosa::Conv2DOp op, KernelTarget target) {
  auto inTy = llvm::dyn_cast<RankedTensorType>(op.getInput().getType());
  auto wTy = llvm::dyn_cast<RankedTensorType>(op.getWeight().getType());
  auto outTy = llvm::dyn_cast<RankedTensorType>(op.getType());
  if (!inTy || !wTy || !outTy || !inTy.getElementType().isF32() ||
      !outTy.getElementType().isF32() || !inTy.hasStaticShape() ||
      !outTy.hasStaticShape() || !isZeroConstant(op.getInputZp()) ||
      !isZeroConstant(op.getWeightZp()))
    return failure();
  DenseFPElementsAttr weights = getConstantFloats(op.getWeight());
  DenseFPElementsAttr biasAttr = getConstantFloats(op.getBias());
  if (!weights || !biasAttr)
    return failure();
  auto inShape = inTy.getShape(), wShape = wTy.getShape(),
       outShape = outTy.getShape();
  int64_t o = wShape[0], kh = wShape[1], kw = wShape[2], c = wShape[3];
  if (inShape[3] != c || (biasAttr.getNumElements() != o &&
                          biasAttr.getNumElements() != 1))
    return failure();
  int64_t m = outShape[0] * outShape[1] * outShape[2], k = kh * kw * c;
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  ArrayRef<int64_t> pad = op.getPad(), stride = op.getStride(),
                    dil = op.getDilation();
  bool pointwise = isPointwise(kh, kw, stride, pad);
  Value x = contiguous(b, loc, op.getInput());
  std::optional<ConvRows> rows;
  if (pointwise) {
    x = im2col(b, loc, x, {kh, kw}, {outShape[1], outShape[2]}, pad, stride,
               dil, zero);
  } else {
    int64_t ph = inShape[1] + pad[0] + pad[1], pw = inShape[2] + pad[2] + pad[3];
    x = padNHWCTo(b, loc, x, pad[0], pad[2], {inShape[0], ph, pw, c}, zero);
    x = tensor::CollapseShapeOp::create(
        b, loc, x, ArrayRef<ReassociationIndices>{{0, 1, 2, 3}});
    rows = ConvRows{outShape[1], outShape[2], ph, pw, c, kw,
                    stride[0], stride[1], dil[0], dil[1]};
  }
  SmallVector<float> w = llvm::to_vector(weights.getValues<float>());
  SmallVector<float> bias = llvm::to_vector(biasAttr.getValues<float>());
  if (bias.size() == 1)
    bias.assign(o, bias[0]);
  // OHWI weights: row `col` of the matmul's weights is output channel col.
  std::optional<FloatClamp> clamp = FloatClamp::of(op);
  Value y = buildF32Kernel(
      b, loc, target, x, m, k, o, [&](int64_t kk, int64_t col) { return w[col * k + kk]; },
      bias, outTy.getShape(), clamp, rows);
  y = unpad(b, loc, y, m, o, {});
  y = tensor::ExpandShapeOp::create(
      b, loc, outTy, y, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
  FloatClamp::replace(op, y, clamp);
  return success();
}

/// Rewrites one float tosa.depthwise_conv2d (multiplier 1, constant weights
/// and bias, zero points 0) into the depthwise loop nest with FMA on
/// vector<16xf32>: the fp32 baseline of the int8 depthwise kernel.
LogicalResult rewriteFloatDepthwise(tosa::DepthwiseConv2DOp op,
                                    KernelTarget target) {
  auto inTy = llvm::dyn_cast<RankedTensorType>(op.getInput().getType());
  auto wTy = llvm::dyn_cast<RankedTensorType>(op.getWeight().getType());
  auto outTy = llvm::dyn_cast<RankedTensorType>(op.getType());
  if (!inTy || !wTy || !outTy || !inTy.getElementType().isF32() ||
      !outTy.getElementType().isF32() || !inTy.hasStaticShape() ||
      !outTy.hasStaticShape() || !wTy.hasStaticShape() ||
      wTy.getDimSize(3) != 1 || !isZeroConstant(op.getInputZp()) ||
      !isZeroConstant(op.getWeightZp()))
    return failure();
  DenseFPElementsAttr weights = getConstantFloats(op.getWeight());
  DenseFPElementsAttr biasAttr = getConstantFloats(op.getBias());
  if (!weights || !biasAttr)
    return failure();
  auto inShape = inTy.getShape(), outShape = outTy.getShape();
  int64_t c = inShape[3], kh = wTy.getDimSize(0), kw = wTy.getDimSize(1);
  if (wTy.getDimSize(2) != c ||
      (biasAttr.getNumElements() != c && biasAttr.getNumElements() != 1))
    return failure();
  DepthwiseNest nest(target, inShape, outShape, kh, kw, op.getPad(),
                     op.getStride(), op.getDilation());
  int64_t cPad = nest.cPad;
  OpBuilder b(op);
  Location loc = op.getLoc();
  Type f32 = b.getF32Type();
  auto v16f32 = VectorType::get({kLanes}, f32);
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  Value x = contiguous(b, loc, op.getInput());
  // Weights [kh * kw][cPad] (TOSA's HWCM with M = 1 is already that order).
  SmallVector<float> w = llvm::to_vector(weights.getValues<float>());
  SmallVector<float> wp(kh * kw * cPad, 0.0f);
  for (int64_t t = 0; t < kh * kw; ++t)
    for (int64_t ch = 0; ch < c; ++ch)
      wp[t * cPad + ch] = w[t * c + ch];
  Value wt = arith::ConstantOp::create(
      b, loc,
      DenseFPElementsAttr::get(RankedTensorType::get({kh * kw, cPad}, f32),
                               ArrayRef<float>(wp)));
  SmallVector<float> bias = llvm::to_vector(biasAttr.getValues<float>());
  if (bias.size() == 1)
    bias.assign(c, bias[0]);
  bias.resize(cPad, 0.0f);
  Value biasT = arith::ConstantOp::create(
      b, loc,
      DenseFPElementsAttr::get(RankedTensorType::get({cPad}, f32),
                               ArrayRef<float>(bias)));
  std::optional<FloatClamp> clamp = FloatClamp::of(op);
  Value o = emitDepthwiseLoops(
      b, loc, nest, x, zero, wt, TapGroups(kh, kw, 1, false),
      nest.emptyOutput(b, loc, f32),
      [&](OpBuilder &b, Value ch) -> Value {
        return vector::TransferReadOp::create(b, loc, v16f32, biasT,
                                              ValueRange{ch}, zero,
                                              ArrayRef<bool>{true});
      },
      [&](OpBuilder &b, ArrayRef<Value> xs, Value wv, Value acc) -> Value {
        return vector::FMAOp::create(b, loc, xs.front(), wv, acc);
      },
      [&](OpBuilder &, Value) -> std::function<Value(Value)> {
        // The bias is the initial value.
        return FloatClamp::apply(b, loc, clamp);
      });
  FloatClamp::replace(op, o, clamp);
  return success();
}

/// quant.qcast of a static f32 tensor to a per-tensor 8-bit type, on x86:
/// one loop over 16-lane vectors of the flattened input (the masked rest
/// last) with the integer lowering's arithmetic per lane (buildQuantizeF32,
/// as QuantizeCastLowering: x / S, clamped to [qmin - Z, qmax - Z], rounded
/// half to even by adding and subtracting 1.5 * 2^23, plus Z, converted),
/// so the same IEEE operations and the same bytes. Its scalar loop was
/// vectorized 4 lanes wide by LLVM (vdivps xmm): 29 % of the mlp model's
/// time, quantizing its 784 input pixels.
LogicalResult rewriteQuantize(mq::QuantizeCastOp op) {
  auto inTy = llvm::dyn_cast<RankedTensorType>(op.getInput().getType());
  auto resTy = llvm::dyn_cast<RankedTensorType>(op.getResult().getType());
  if (!inTy || !resTy || !inTy.hasStaticShape() || inTy.getRank() == 0 ||
      !inTy.getElementType().isF32() || getConstantFloats(op.getInput()))
    return failure();
  auto qt = llvm::dyn_cast<mq::UniformQuantizedType>(resTy.getElementType());
  if (!qt || qt.getStorageTypeIntegralWidth() != 8)
    return failure();
  OpBuilder b(op);
  Location loc = op.getLoc();
  int64_t n = inTy.getNumElements();
  Value x = flatten(b, loc, contiguous(b, loc, op.getInput()));
  Type f32 = b.getF32Type(), storage = qt.getStorageType();
  auto vf32 = VectorType::get({kLanes}, f32);
  auto splat = [&](float v) -> Value {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(vf32, b.getF32FloatAttr(v)));
  };
  Value vScale = splat(static_cast<float>(qt.getScale()));
  Value vZp = splat(static_cast<float>(qt.getZeroPoint()));
  float qmin = static_cast<float>(qt.getStorageTypeMin());
  float qmax = static_cast<float>(qt.getStorageTypeMax());
  Value zero = arith::ConstantOp::create(b, loc, f32, b.getF32FloatAttr(0));
  auto step = [&](OpBuilder &b, Value i, Value out, bool masked) -> Value {
    Value v = vector::TransferReadOp::create(b, loc, vf32, x, ValueRange{i},
                                             zero, ArrayRef<bool>{!masked});
    Value q = buildQuantizeF32(b, loc, v, vScale, vZp, qmin, qmax);
    q = arith::TruncIOp::create(b, loc, VectorType::get({kLanes}, storage), q);
    return writeLanes(b, loc, q, out, ValueRange{i},
                      masked ? n % kLanes : kLanes);
  };
  Value o = flatLaneLoop(
      b, loc, 0, n, kLanes,
      tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{n}, storage), step);
  replaceWithStorage(b, loc, op, unflatten(b, loc, o, inTy.getShape()));
  return success();
}

struct CodegenPass : intq::impl::CodegenBase<CodegenPass> {
  using CodegenBase::CodegenBase;
  void runOnOperation() override {
    KernelTarget t;
    if (target == "generic")
      t = KernelTarget::Generic;
    else if (target == "x86-avx2")
      t = KernelTarget::X86Avx2;
    else if (target == "x86-avx512vnni")
      t = KernelTarget::X86Vnni;
    else if (target == "aarch64-dotprod")
      t = KernelTarget::Arm64Dot;
    else if (target == "aarch64-i8mm")
      t = KernelTarget::Arm64I8mm;
    else if (target == "x86-amx")
      t = KernelTarget::X86Amx;
    else {
      getOperation().emitError("intq-codegen target must be generic, "
                               "x86-avx2, x86-avx512vnni, x86-amx, "
                               "aarch64-dotprod or aarch64-i8mm, got '")
          << target << "'";
      return signalPassFailure();
    }
    bool x86 = t == KernelTarget::X86Avx2 || t == KernelTarget::X86Vnni ||
               t == KernelTarget::X86Amx;
    // A transpose that moves only unit dimensions (a model's 1-channel
    // NCHW input to NHWC) is a reshape; tosa-to-linalg made it a scalar
    // copy (11 % of the mlp model's time). Upstream's canonicalization of
    // tosa.transpose (TransposeIsReshape; composing transposes), applied
    // to the transposes alone and without folding: the greedy driver's
    // folds would turn quant.dcast(quant.qcast(x)) into x.
    SmallVector<Operation *> transposes;
    getOperation().walk(
        [&](tosa::TransposeOp op) { transposes.push_back(op); });
    if (!transposes.empty()) {
      RewritePatternSet patterns(&getContext());
      tosa::TransposeOp::getCanonicalizationPatterns(patterns, &getContext());
      GreedyRewriteConfig config;
      config.enableFolding(false).enableConstantCSE(false);
      (void)applyOpPatternsGreedily(transposes, std::move(patterns), config);
    }
    // In program order: a kernel's producers are rewritten before it, so
    // that contiguous() sees the slices they leave.
    SmallVector<Operation *> kernels;
    getOperation().walk([&](Operation *op) {
      if (llvm::isa<MatMulOp, Conv2DOp, tosa::MatMulOp, tosa::Conv2DOp,
                    tosa::DepthwiseConv2DOp>(op) ||
          (llvm::isa<AddOp, mq::QuantizeCastOp>(op) && x86))
        kernels.push_back(op);
    });
    // AMX pads the reduction to 64 and the rows to one block of 32, and
    // packs the activations once per call for all its column panels: short
    // reductions, few rows (a fully connected layer at batch 1), few
    // columns and little work in all run faster on VNNI (every AMX CPU has
    // it).
    auto forShape = [&](ShapedType result, int64_t k) {
      int64_t cols = result.getShape().back();
      int64_t rows = result.getNumElements() / cols;
      return t == KernelTarget::X86Amx &&
                     (k < amxMinReduction || rows < amxMinRows ||
                      cols < amxMinColumns || rows * cols * k < amxMinMacs)
                 ? KernelTarget::X86Vnni
                 : t;
    };
    for (Operation *op : kernels) {
      if (auto mm = llvm::dyn_cast<MatMulOp>(op)) {
        auto w = mm.getWeights().getType().getShape();
        (void)rewriteMatMul(mm, forShape(mm.getType(), w.back()));
      } else if (auto conv = llvm::dyn_cast<Conv2DOp>(op)) {
        auto w = conv.getWeights().getType().getShape();
        KernelTarget ct = forShape(conv.getType(), w[1] * w[2] * w[3]);
        // Where AMX would read an im2col copy, the VNNI kernels read the
        // padded input in place.
        if (ct == KernelTarget::X86Amx && !amxIm2col &&
            amxConvRead(conv) == AmxConvRead::Im2col)
          ct = KernelTarget::X86Vnni;
        if (failed(rewriteConv(conv, ct)))
          // Depthwise has no AMX kernel: the VNNI one (was: the generic
          // kernel for target x86-amx, 1.1x slower on mobilenet).
          (void)rewriteDepthwise(conv,
                                 t == KernelTarget::X86Amx
                                     ? KernelTarget::X86Vnni
                                     : t,
                                 x86Vbmi, depthwiseRing);
      } else if (auto add = llvm::dyn_cast<AddOp>(op)) {
        (void)rewriteAdd(add, t);
      } else if (auto qcast = llvm::dyn_cast<mq::QuantizeCastOp>(op)) {
        (void)rewriteQuantize(qcast);
      } else if (auto fmm = llvm::dyn_cast<tosa::MatMulOp>(op)) {
        // The fp32 kernels: FMA on 16 lanes, 4 x 4 blocks (4 x 1 on AVX2).
        (void)rewriteFloatMatMul(fmm, t);
      } else if (auto fconv = llvm::dyn_cast<tosa::Conv2DOp>(op)) {
        (void)rewriteFloatConv(fconv, t);
      } else {
        (void)rewriteFloatDepthwise(llvm::cast<tosa::DepthwiseConv2DOp>(op),
                                    t);
      }
    }
  }
};

} // namespace
