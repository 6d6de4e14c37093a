//===- ExpandMemRefCopy.cpp - memref.copy to vector or linalg copies ------===//
//
// Implements --intq-expand-memref-copy (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "intq/Passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace intq {
#define GEN_PASS_DEF_EXPANDMEMREFCOPY
#include "intq/Passes/Passes.h.inc"
} // namespace intq

using namespace mlir;

namespace {
/// The number of elements a copy moves per vector: the innermost dimension
/// when both sides are static with unit innermost stride and it is short,
/// else 16 when that divides it; 0 when the copy cannot be vectorized.
int64_t vectorChunk(MemRefType src, MemRefType dst) {
  if (!src.hasStaticShape() || src.getShape() != dst.getShape() ||
      src.getRank() == 0 || !src.getElementType().isIntOrFloat())
    return 0;
  for (MemRefType t : {src, dst}) {
    SmallVector<int64_t> strides;
    int64_t offset;
    if (failed(t.getStridesAndOffset(strides, offset)) || strides.back() != 1)
      return 0;
  }
  int64_t n = src.getShape().back();
  if (n <= 64)
    return n;
  return n % 16 == 0 ? 16 : 0;
}

struct CopyToLoops : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::CopyOp copy,
                                PatternRewriter &rewriter) const override {
    auto srcTy = llvm::dyn_cast<MemRefType>(copy.getSource().getType());
    auto dstTy = llvm::dyn_cast<MemRefType>(copy.getTarget().getType());
    if (!srcTy || !dstTy)
      return rewriter.notifyMatchFailure(copy, "unranked memref");
    int64_t chunk = vectorChunk(srcTy, dstTy);
    if (chunk == 0) {
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                  copy.getTarget());
      return success();
    }
    // Loops over every dimension (the innermost by `chunk`), one vector
    // load and store per step: the scalar loops of a linalg.copy are not
    // vectorized by LLVM here (source and destination may alias as far as
    // it knows), which made padding copies cost more than the kernels.
    Location loc = copy.getLoc();
    auto vecTy = VectorType::get({chunk}, srcTy.getElementType());
    SmallVector<Value> ivs;
    OpBuilder::InsertionGuard g(rewriter);
    for (auto [d, size] : llvm::enumerate(srcTy.getShape())) {
      int64_t step = d + 1 == static_cast<size_t>(srcTy.getRank()) ? chunk : 1;
      auto loop = scf::ForOp::create(
          rewriter, loc, arith::ConstantIndexOp::create(rewriter, loc, 0),
          arith::ConstantIndexOp::create(rewriter, loc, size),
          arith::ConstantIndexOp::create(rewriter, loc, step));
      rewriter.setInsertionPointToStart(loop.getBody());
      ivs.push_back(loop.getInductionVar());
    }
    Value v = vector::LoadOp::create(rewriter, loc, vecTy, copy.getSource(), ivs);
    vector::StoreOp::create(rewriter, loc, v, copy.getTarget(), ivs);
    rewriter.eraseOp(copy);
    return success();
  }
};

struct ExpandMemRefCopyPass
    : public intq::impl::ExpandMemRefCopyBase<ExpandMemRefCopyPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<CopyToLoops>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
