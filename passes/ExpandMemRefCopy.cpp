//===- ExpandMemRefCopy.cpp - memref.copy to linalg.copy ------------------===//
//
// Implements --intq-expand-memref-copy (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "intq/Passes/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace intq {
#define GEN_PASS_DEF_EXPANDMEMREFCOPY
#include "intq/Passes/Passes.h.inc"
} // namespace intq

using namespace mlir;

namespace {
struct CopyToLinalg : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::CopyOp copy,
                                PatternRewriter &rewriter) const override {
    auto srcTy = llvm::dyn_cast<MemRefType>(copy.getSource().getType());
    auto dstTy = llvm::dyn_cast<MemRefType>(copy.getTarget().getType());
    if (!srcTy || !dstTy)
      return rewriter.notifyMatchFailure(copy, "unranked memref");
    rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                copy.getTarget());
    return success();
  }
};

struct ExpandMemRefCopyPass
    : public intq::impl::ExpandMemRefCopyBase<ExpandMemRefCopyPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<CopyToLinalg>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
