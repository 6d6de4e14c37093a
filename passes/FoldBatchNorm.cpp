//===- FoldBatchNorm.cpp - fold per-channel affine ops into conv/matmul ---===//
//
// Implements --intq-fold-batchnorm (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "QuantUtils.h"

#include "intq/Passes/Passes.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace intq {
#define GEN_PASS_DEF_FOLDBATCHNORM
#include "intq/Passes/Passes.h.inc"
} // namespace intq

using namespace mlir;
using namespace intq;

namespace {

/// Values of a constant broadcast along the last axis only (per channel),
/// or a scalar: returns `numOut` values, or nothing.
std::optional<std::vector<double>> perChannel(DenseFPElementsAttr c,
                                              int64_t numOut) {
  if (!c)
    return std::nullopt;
  auto shape = c.getType().getShape();
  int64_t n = c.getNumElements();
  if (n != 1 && n != numOut)
    return std::nullopt;
  if (n == numOut && numOut != 1 &&
      (shape.empty() || shape.back() != numOut))
    return std::nullopt;
  std::vector<double> v;
  for (const APFloat &x : c.getValues<APFloat>())
    v.push_back(x.convertToDouble());
  if (n == 1)
    v.assign(numOut, v[0]);
  return v;
}

Value makeConst(PatternRewriter &rewriter, Location loc, ShapedType type,
                ArrayRef<double> values) {
  SmallVector<float> f(values.begin(), values.end());
  auto t = RankedTensorType::get(type.getShape(), rewriter.getF32Type());
  return tosa::ConstOp::create(rewriter, loc, t,
                               DenseElementsAttr::get(t, ArrayRef<float>(f)));
}

/// Evaluates tosa.add/sub/mul/rsqrt/reciprocal whose operands are all f32
/// constants (with broadcasting), in double precision: turns the decomposed
/// batch-norm chain's statistics into plain per-channel constants.
struct FoldConstantArith : RewritePattern {
  FoldConstantArith(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/3, ctx) {}
  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!llvm::isa<tosa::AddOp, tosa::SubOp, tosa::MulOp, tosa::RsqrtOp,
                   tosa::ReciprocalOp>(op))
      return failure();
    unsigned arity = llvm::isa<tosa::RsqrtOp, tosa::ReciprocalOp>(op) ? 1 : 2;
    SmallVector<DenseFPElementsAttr> in;
    for (unsigned i = 0; i < arity; ++i) {
      DenseFPElementsAttr a = getConstantFloats(op->getOperand(i));
      if (!a || !a.getElementType().isF32())
        return failure();
      in.push_back(a);
    }
    auto resTy = llvm::dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!resTy || !resTy.hasStaticShape() || !resTy.getElementType().isF32())
      return failure();
    auto shape = resTy.getShape();
    int64_t rank = shape.size(), n = resTy.getNumElements();
    std::vector<std::vector<double>> vals;
    for (auto a : in) {
      std::vector<double> v;
      for (const APFloat &x : a.getValues<APFloat>())
        v.push_back(x.convertToDouble());
      vals.push_back(v);
    }
    auto at = [&](unsigned k, int64_t flat) {
      auto ishape = in[k].getType().getShape();
      if ((int64_t)ishape.size() != rank)
        return vals[k][0];
      int64_t idx = 0;
      for (int64_t d = 0, rem = flat, stride = n; d < rank; ++d) {
        stride /= shape[d];
        int64_t coord = rem / stride;
        rem %= stride;
        idx = idx * ishape[d] + (ishape[d] == 1 ? 0 : coord);
      }
      return vals[k][idx];
    };
    std::vector<double> out(n);
    for (int64_t i = 0; i < n; ++i) {
      double a = at(0, i);
      double b = arity == 2 ? at(1, i) : 0;
      out[i] = llvm::isa<tosa::AddOp>(op)   ? a + b
               : llvm::isa<tosa::SubOp>(op) ? a - b
               : llvm::isa<tosa::MulOp>(op) ? a * b
               : llvm::isa<tosa::RsqrtOp>(op) ? 1.0 / std::sqrt(a)
                                               : 1.0 / a;
    }
    rewriter.replaceOp(op, makeConst(rewriter, op->getLoc(), resTy, out));
    return success();
  }
};

/// Folds add/sub/mul of a per-channel constant into the preceding
/// conv / depthwise conv / matmul.
struct FoldAffine : RewritePattern {
  FoldAffine(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/2, ctx) {}
  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!llvm::isa<tosa::AddOp, tosa::SubOp, tosa::MulOp>(op))
      return failure();
    for (unsigned side = 0; side < 2; ++side) {
      // sub(c, conv) is not an affine of conv with a positive sign.
      if (llvm::isa<tosa::SubOp>(op) && side == 1)
        break;
      Value v = op->getOperand(side);
      Operation *prod = v.getDefiningOp();
      auto info = prod ? getComputeOpInfo(prod) : std::nullopt;
      if (!info || !v.hasOneUse() || v.getType() != op->getResult(0).getType())
        continue;
      auto c = perChannel(getConstantFloats(op->getOperand(1 - side)),
                          info->numOut);
      DenseFPElementsAttr w = getConstantFloats(info->weights);
      if (!c || !w || !w.getElementType().isF32())
        continue;
      bool isMatMul = llvm::isa<tosa::MatMulOp>(prod);
      if (isMatMul && !llvm::isa<tosa::MulOp>(op))
        continue; // tosa.matmul has no bias operand; the add stays
      DenseFPElementsAttr b;
      if (info->bias) {
        b = getConstantFloats(info->bias);
        if (!b)
          continue;
      }
      std::vector<double> bias(info->numOut, 0.0);
      if (b) {
        std::vector<double> bv;
        for (const APFloat &x : b.getValues<APFloat>())
          bv.push_back(x.convertToDouble());
        for (int64_t i = 0; i < info->numOut; ++i)
          bias[i] = bv[bv.size() == 1 ? 0 : i];
      }
      std::vector<double> weights;
      for (const APFloat &x : w.getValues<APFloat>())
        weights.push_back(x.convertToDouble());
      if (llvm::isa<tosa::MulOp>(op)) {
        // Output channel of each weight element.
        auto ws = w.getType().getShape();
        int64_t n = weights.size();
        for (int64_t i = 0; i < n; ++i) {
          int64_t oc;
          if (llvm::isa<tosa::Conv2DOp>(prod))
            oc = i / (n / ws[0]); // OHWI
          else // depthwise HWCM or matmul 1xKxN: channel-minor
            oc = i % info->numOut;
          weights[i] *= (*c)[oc];
        }
        for (int64_t i = 0; i < info->numOut; ++i)
          bias[i] *= (*c)[i];
      } else {
        double sign = llvm::isa<tosa::SubOp>(op) ? -1.0 : 1.0;
        for (int64_t i = 0; i < info->numOut; ++i)
          bias[i] += sign * (*c)[i];
      }
      rewriter.setInsertionPoint(prod);
      Location loc = prod->getLoc();
      Value newW = makeConst(rewriter, loc, w.getType(), weights);
      rewriter.modifyOpInPlace(prod, [&] { prod->setOperand(1, newW); });
      if (info->bias) {
        auto bTy = RankedTensorType::get({info->numOut}, rewriter.getF32Type());
        Value newB = makeConst(rewriter, loc, bTy, bias);
        rewriter.modifyOpInPlace(prod, [&] { prod->setOperand(2, newB); });
      }
      rewriter.replaceOp(op, v);
      return success();
    }
    return failure();
  }
};

struct FoldBatchNormPass
    : public intq::impl::FoldBatchNormBase<FoldBatchNormPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<FoldConstantArith, FoldAffine>(ctx);
    GreedyRewriteConfig config;
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     config)))
      return signalPassFailure();
    // Explain what is left.
    getOperation().walk([&](Operation *op) {
      if (!llvm::isa<tosa::AddOp, tosa::SubOp, tosa::MulOp>(op))
        return;
      auto ty = llvm::dyn_cast<RankedTensorType>(op->getResult(0).getType());
      if (!ty || ty.getRank() < 2)
        return;
      int64_t channels = ty.getShape().back();
      for (unsigned side = 0; side < 2; ++side) {
        Value other = op->getOperand(1 - side);
        auto c = getConstantFloats(other);
        bool isPerChannel = c && perChannel(c, channels).has_value();
        if (!isPerChannel)
          continue;
        Operation *prod = op->getOperand(side).getDefiningOp();
        // The fully-connected form puts a reshape between the matmul and
        // its bias add.
        Operation *core = prod;
        if (auto reshape = llvm::dyn_cast_or_null<tosa::ReshapeOp>(core))
          core = reshape.getInput1().getDefiningOp();
        if (core && llvm::isa<tosa::MatMulOp>(core) &&
            !llvm::isa<tosa::MulOp>(op))
          return; // the bias of a fully-connected layer: nothing to fold
        auto info = prod ? getComputeOpInfo(prod) : std::nullopt;
        if (info && !op->getOperand(side).hasOneUse()) {
          op->emitRemark("per-channel affine (batch normalization) not "
                         "folded: the producing ")
              << prod->getName() << " has other users";
        } else if (!info) {
          op->emitRemark("per-channel affine (batch normalization) not "
                         "folded: it does not follow a conv, depthwise conv "
                         "or matmul");
        }
        return;
      }
      // Neither operand is a per-channel constant: statistics computed at
      // run time, if this continues a batch-norm chain.
      if (llvm::isa<tosa::MulOp, tosa::SubOp>(op)) {
        for (Value operand : op->getOperands())
          if (auto d = operand.getDefiningOp())
            if (llvm::isa<tosa::RsqrtOp>(d)) {
              op->emitRemark("batch normalization not folded: its statistics "
                             "are not constant");
              return;
            }
      }
    });
  }
};

} // namespace
