//===- Quantize.cpp - fuse the QDQ form into intq ops ---------------------===//
//
// Implements --intq-quantize (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "QuantUtils.h"

#include "intq/Passes/Passes.h"
#include "intq/Quant/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/DenseSet.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include <numeric>

namespace intq {
#define GEN_PASS_DEF_QUANTIZE
#include "intq/Passes/Passes.h.inc"
} // namespace intq

using namespace mlir;
using namespace intq;
namespace mq = mlir::quant;

namespace {

/// A float constant seen through dcast(qcast(constant)).
struct QuantizedConstant {
  DenseFPElementsAttr values;
  mq::QuantizedType type;
};

std::optional<QuantizedConstant> matchQuantizedConstant(Value v) {
  auto dq = v.getDefiningOp<mq::DequantizeCastOp>();
  if (!dq)
    return std::nullopt;
  auto q = dq.getInput().getDefiningOp<mq::QuantizeCastOp>();
  if (!q)
    return std::nullopt;
  DenseFPElementsAttr values = getConstantFloats(q.getInput());
  if (!values)
    return std::nullopt;
  auto qt = llvm::dyn_cast<mq::QuantizedType>(
      getElementTypeOrSelf(q.getResult().getType()));
  if (!qt)
    return std::nullopt;
  return QuantizedConstant{values, qt};
}

Value createQConst(PatternRewriter &rewriter, Location loc,
                   ArrayRef<int64_t> shape, mq::QuantizedType qt,
                   ArrayRef<int64_t> values) {
  Type storage = qt.getStorageType();
  unsigned width = storage.getIntOrFloatBitWidth();
  SmallVector<APInt> vals;
  vals.reserve(values.size());
  for (int64_t v : values)
    vals.push_back(APInt(width, v, /*isSigned=*/true, /*implicitTrunc=*/true));
  auto attr =
      DenseIntElementsAttr::get(RankedTensorType::get(shape, storage), vals);
  return QConstOp::create(rewriter, loc, RankedTensorType::get(shape, qt),
                          attr);
}

/// The same quantized type on a different axis (per-tensor types unchanged).
mq::QuantizedType withAxis(mq::QuantizedType qt, int32_t axis) {
  auto pa = llvm::dyn_cast<mq::UniformQuantizedPerAxisType>(qt);
  if (!pa)
    return qt;
  return mq::UniformQuantizedPerAxisType::get(
      pa.getFlags(), pa.getStorageType(), pa.getExpressedType(),
      pa.getScales(), pa.getZeroPoints(), axis, pa.getStorageTypeMin(),
      pa.getStorageTypeMax());
}

/// Reshapes a quantized tensor with builtin tensor ops (which, unlike TOSA's,
/// accept quantized element types): collapse to 1-D, expand to `shape`.
/// A reshape does not change the scale, so no requantization is needed.
Value reshapeQuantized(PatternRewriter &rewriter, Location loc, Value x,
                       ArrayRef<int64_t> shape) {
  auto ty = llvm::cast<RankedTensorType>(x.getType());
  if (ty.getShape() == shape)
    return x;
  Value flat = x;
  if (ty.getRank() != 1) {
    ReassociationIndices all;
    for (int64_t i = 0; i < ty.getRank(); ++i)
      all.push_back(i);
    flat = tensor::CollapseShapeOp::create(rewriter, loc, x,
                                           ArrayRef<ReassociationIndices>{all});
  }
  if (shape.size() == 1)
    return flat;
  ReassociationIndices all;
  for (size_t i = 0; i < shape.size(); ++i)
    all.push_back(i);
  return tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get(shape, ty.getElementType()), flat,
      ArrayRef<ReassociationIndices>{all});
}

/// tosa.reshape(dcast(x)) -> dcast(reshape(x)): a reshape keeps the scale of
/// its per-tensor quantized operand, so the integer value flows through it.
struct HoistReshapeAboveDequant : OpRewritePattern<tosa::ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::ReshapeOp reshape,
                                PatternRewriter &rewriter) const override {
    auto dq = reshape.getInput1().getDefiningOp<mq::DequantizeCastOp>();
    auto resTy = llvm::dyn_cast<RankedTensorType>(reshape.getType());
    if (!dq || !resTy || !resTy.hasStaticShape() || resTy.getRank() == 0)
      return failure();
    auto xTy = llvm::dyn_cast<RankedTensorType>(dq.getInput().getType());
    if (!xTy || !xTy.hasStaticShape() || xTy.getRank() == 0 ||
        !llvm::isa<mq::UniformQuantizedType>(xTy.getElementType()))
      return failure();
    Value r = reshapeQuantized(rewriter, reshape.getLoc(), dq.getInput(),
                               resTy.getShape());
    rewriter.replaceOpWithNewOp<mq::DequantizeCastOp>(reshape, resTy, r);
    return success();
  }
};

/// A clamp bound as a real value; bounds at or beyond the largest float
/// (ReLU's "no upper bound") are no bound at all.
std::optional<double> clampBound(Attribute a) {
  auto f = llvm::dyn_cast_or_null<FloatAttr>(a);
  if (!f)
    return std::nullopt;
  double v = f.getValueAsDouble();
  if (std::abs(v) >= 3.4028234e38)
    return std::nullopt;
  return v;
}

/// qcast(clamp?(add?(compute(dcast x, dcast(qcast w), dcast(qcast b)))))
///   -> intq.conv2d / intq.matmul.
/// The largest group count g > 1 for which the quantized OHWI weights of a
/// dense convolution are zero (the stored zero point of their output
/// channel) outside the block-diagonal of g groups, or 1. Skipping those
/// products is exact, so the grouped convolution is the same function.
int64_t blockDiagonalGroups(ArrayRef<int64_t> shape, ArrayRef<int64_t> wq,
                            mq::QuantizedType qt) {
  int64_t o = shape[0], hw = shape[1] * shape[2], c = shape[3];
  auto zeroPointOf = [&](int64_t oc) -> int64_t {
    if (auto pa = llvm::dyn_cast<mq::UniformQuantizedPerAxisType>(qt))
      return pa.getZeroPoints()[oc];
    return llvm::cast<mq::UniformQuantizedType>(qt).getZeroPoint();
  };
  for (int64_t g = std::gcd(o, c); g > 1; --g) {
    if (o % g || c % g)
      continue;
    int64_t og = o / g, cg = c / g;
    bool ok = true;
    for (int64_t oc = 0; oc < o && ok; ++oc) {
      int64_t zp = zeroPointOf(oc), lo = (oc / og) * cg, hi = lo + cg;
      for (int64_t p = 0; p < hw && ok; ++p)
        for (int64_t ic = 0; ic < c && ok; ++ic)
          if ((ic < lo || ic >= hi) && wq[(oc * hw + p) * c + ic] != zp)
            ok = false;
    }
    if (ok)
      return g;
  }
  return 1;
}

/// Keeps each output channel's own group of input channels:
/// O x KH x KW x C -> O x KH x KW x C/groups.
SmallVector<int64_t> compactGroupedWeights(ArrayRef<int64_t> shape,
                                           ArrayRef<int64_t> wq,
                                           int64_t groups) {
  int64_t o = shape[0], hw = shape[1] * shape[2], c = shape[3];
  int64_t og = o / groups, cg = c / groups;
  SmallVector<int64_t> out(o * hw * cg);
  for (int64_t oc = 0; oc < o; ++oc)
    for (int64_t p = 0; p < hw; ++p)
      for (int64_t i = 0; i < cg; ++i)
        out[(oc * hw + p) * cg + i] = wq[(oc * hw + p) * c + (oc / og) * cg + i];
  return out;
}

struct FuseCompute : OpRewritePattern<mq::QuantizeCastOp> {
  FuseCompute(MLIRContext *ctx, Rounding rounding)
      : OpRewritePattern(ctx, /*benefit=*/2), rounding(rounding) {}
  /// The output stage rounding of the ops created (--intq-quantize{rounding}).
  Rounding rounding;

  LogicalResult matchAndRewrite(mq::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    auto resTy = llvm::dyn_cast<RankedTensorType>(qcast.getResult().getType());
    if (!resTy ||
        !llvm::isa<mq::UniformQuantizedType>(resTy.getElementType()))
      return failure();
    Value v = qcast.getInput();
    std::optional<double> clampMin, clampMax;
    if (auto clamp = v.getDefiningOp<tosa::ClampOp>()) {
      if (!clamp->hasOneUse())
        return failure();
      if (!llvm::isa<FloatAttr>(clamp.getMinValAttr()) ||
          !llvm::isa<FloatAttr>(clamp.getMaxValAttr()))
        return failure();
      clampMin = clampBound(clamp.getMinValAttr());
      clampMax = clampBound(clamp.getMaxValAttr());
      v = clamp.getInput();
    }
    std::optional<QuantizedConstant> addBias;
    // The fully-connected form: matmul, optionally reshaped (frontends
    // sandwich the 3-D tosa.matmul between reshapes), then a bias add.
    std::optional<SmallVector<int64_t>> outShape;
    if (auto add = v.getDefiningOp<tosa::AddOp>()) {
      if (!add->hasOneUse())
        return failure();
      for (int side = 0; side < 2 && !addBias; ++side) {
        Value mm = add->getOperand(side);
        std::optional<SmallVector<int64_t>> shape;
        if (auto reshape = mm.getDefiningOp<tosa::ReshapeOp>()) {
          if (!reshape->hasOneUse() ||
              !reshape.getInput1().getDefiningOp<tosa::MatMulOp>())
            continue;
          shape = llvm::to_vector(
              llvm::cast<RankedTensorType>(reshape.getType()).getShape());
          mm = reshape.getInput1();
        }
        if (!mm.getDefiningOp<tosa::MatMulOp>())
          continue;
        addBias = matchQuantizedConstant(add->getOperand(1 - side));
        if (addBias) {
          v = mm;
          outShape = shape;
        }
      }
      if (!addBias)
        return failure();
    } else if (auto reshape = v.getDefiningOp<tosa::ReshapeOp>()) {
      // A fully-connected layer without bias: matmul, reshape.
      if (!reshape->hasOneUse() ||
          !reshape.getInput1().getDefiningOp<tosa::MatMulOp>())
        return failure();
      outShape = llvm::to_vector(
          llvm::cast<RankedTensorType>(reshape.getType()).getShape());
      v = reshape.getInput1();
    }
    Operation *core = v.getDefiningOp();
    if (!core || !core->hasOneUse())
      return failure();
    auto info = getComputeOpInfo(core);
    if (!info)
      return failure();
    auto inDq = info->input.getDefiningOp<mq::DequantizeCastOp>();
    if (!inDq)
      return failure();
    Value xq = inDq.getInput();
    if (!llvm::isa<mq::UniformQuantizedType>(getElementTypeOrSelf(xq.getType())))
      return failure();
    auto w = matchQuantizedConstant(info->weights);
    if (!w)
      return failure();
    std::optional<QuantizedConstant> bias = addBias;
    if (info->bias) {
      bias = matchQuantizedConstant(info->bias);
      if (!bias && !isZeroConstant(info->bias))
        return rewriter.notifyMatchFailure(core, "bias is not quantized");
    }
    Location loc = core->getLoc();
    auto wq = quantizeValues(w->values, w->type);
    auto wShape = w->values.getType().getShape();
    std::optional<SmallVector<int64_t>> bq;
    if (bias)
      bq = quantizeValues(bias->values, bias->type);

    Value result;
    if (auto conv = llvm::dyn_cast<tosa::Conv2DOp>(core)) {
      if (!isZeroConstant(conv.getInputZp()) ||
          !isZeroConstant(conv.getWeightZp()))
        return failure();
      // Grouped convolutions arrive as dense ones with block-diagonal
      // weights (TOSA has no groups): keep only the blocks.
      int64_t groups = blockDiagonalGroups(wShape, wq, w->type);
      SmallVector<int64_t> wGroupShape(wShape);
      if (groups > 1) {
        wq = compactGroupedWeights(wShape, wq, groups);
        wGroupShape[3] /= groups;
      }
      Value wc = createQConst(rewriter, loc, wGroupShape, w->type, wq);
      Value bc;
      if (bq)
        bc = createQConst(rewriter, loc, {info->numOut}, withAxis(bias->type, 0),
                          *bq);
      auto convOp = Conv2DOp::create(
          rewriter, loc, resTy, xq, wc, bc, conv.getStrideAttr(),
          conv.getPadAttr(), conv.getDilationAttr(),
          rewriter.getI64IntegerAttr(groups),
          clampMin ? rewriter.getF64FloatAttr(*clampMin) : FloatAttr(),
          clampMax ? rewriter.getF64FloatAttr(*clampMax) : FloatAttr());
      convOp.setRounding(rounding);
      result = convOp;
    } else if (auto dw = llvm::dyn_cast<tosa::DepthwiseConv2DOp>(core)) {
      if (!isZeroConstant(dw.getInputZp()) || !isZeroConstant(dw.getWeightZp()))
        return failure();
      int64_t kh = wShape[0], kw = wShape[1], c = wShape[2], m = wShape[3];
      SmallVector<int64_t> ohwi(wq.size());
      for (int64_t y = 0; y < kh; ++y)
        for (int64_t x = 0; x < kw; ++x)
          for (int64_t ch = 0; ch < c; ++ch)
            for (int64_t k = 0; k < m; ++k)
              ohwi[((ch * m + k) * kh + y) * kw + x] =
                  wq[((y * kw + x) * c + ch) * m + k];
      Value wc = createQConst(rewriter, loc, {c * m, kh, kw, 1},
                              withAxis(w->type, 0), ohwi);
      Value bc;
      if (bq)
        bc = createQConst(rewriter, loc, {info->numOut}, withAxis(bias->type, 0),
                          *bq);
      auto convOp = Conv2DOp::create(
          rewriter, loc, resTy, xq, wc, bc, dw.getStrideAttr(),
          dw.getPadAttr(), dw.getDilationAttr(),
          rewriter.getI64IntegerAttr(c),
          clampMin ? rewriter.getF64FloatAttr(*clampMin) : FloatAttr(),
          clampMax ? rewriter.getF64FloatAttr(*clampMax) : FloatAttr());
      convOp.setRounding(rounding);
      result = convOp;
    } else if (auto mm = llvm::dyn_cast<tosa::MatMulOp>(core)) {
      if (!isZeroConstant(mm.getAZp()) || !isZeroConstant(mm.getBZp()))
        return failure();
      // B is 1 x K x N (weights shared over a batch of 1): to N x K.
      if (wShape[0] != 1)
        return rewriter.notifyMatchFailure(core, "batched weights");
      int64_t k = wShape[1], n = wShape[2];
      SmallVector<int64_t> nk(wq.size());
      for (int64_t i = 0; i < k; ++i)
        for (int64_t j = 0; j < n; ++j)
          nk[j * k + i] = wq[i * n + j];
      Value wc = createQConst(rewriter, loc, {n, k}, withAxis(w->type, 0), nk);
      Value bc;
      if (bq)
        bc = createQConst(rewriter, loc, {n}, withAxis(bias->type, 0), *bq);
      auto mmTy = llvm::cast<RankedTensorType>(mm.getType());
      auto mmOp = MatMulOp::create(
          rewriter, loc, mmTy.clone(resTy.getElementType()), xq, wc, bc,
          clampMin ? rewriter.getF64FloatAttr(*clampMin) : FloatAttr(),
          clampMax ? rewriter.getF64FloatAttr(*clampMax) : FloatAttr());
      mmOp.setRounding(rounding);
      result = mmOp;
      if (outShape)
        result = reshapeQuantized(rewriter, loc, result, resTy.getShape());
    } else {
      return failure();
    }
    rewriter.replaceOp(qcast, result);
    return success();
  }
};

/// The quantized values behind the two operands of an elementwise binary op,
/// dcast(a) and dcast(b), when both and `resTy` are 8-bit per-tensor types
/// of one shape (what intq.add and intq.mul take).
FailureOr<std::pair<Value, Value>>
matchQuantizedOperands(Operation *op, RankedTensorType resTy,
                       PatternRewriter &rewriter) {
  auto a = op->getOperand(0).getDefiningOp<mq::DequantizeCastOp>();
  auto b = op->getOperand(1).getDefiningOp<mq::DequantizeCastOp>();
  if (!a || !b)
    return failure();
  auto aTy = llvm::cast<RankedTensorType>(a.getInput().getType());
  auto bTy = llvm::cast<RankedTensorType>(b.getInput().getType());
  if (aTy.getShape() != resTy.getShape() || bTy.getShape() != resTy.getShape())
    return rewriter.notifyMatchFailure(op, "broadcasting operands");
  for (Type t :
       {aTy.getElementType(), bTy.getElementType(), resTy.getElementType()}) {
    auto qt = llvm::dyn_cast<mq::UniformQuantizedType>(t);
    if (!qt || qt.getStorageTypeIntegralWidth() > 16)
      return rewriter.notifyMatchFailure(op, "not 8- or 16-bit per-tensor");
  }
  return std::make_pair(a.getInput(), b.getInput());
}

/// qcast(clamp?(add(dcast a, dcast b))) -> intq.add (residual connections).
struct FuseAdd : OpRewritePattern<mq::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mq::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    auto resTy = llvm::dyn_cast<RankedTensorType>(qcast.getResult().getType());
    if (!resTy || !llvm::isa<mq::UniformQuantizedType>(resTy.getElementType()))
      return failure();
    Value v = qcast.getInput();
    std::optional<double> clampMin, clampMax;
    if (auto clamp = v.getDefiningOp<tosa::ClampOp>()) {
      if (!clamp->hasOneUse() || !llvm::isa<FloatAttr>(clamp.getMinValAttr()) ||
          !llvm::isa<FloatAttr>(clamp.getMaxValAttr()))
        return failure();
      clampMin = clampBound(clamp.getMinValAttr());
      clampMax = clampBound(clamp.getMaxValAttr());
      v = clamp.getInput();
    }
    auto add = v.getDefiningOp<tosa::AddOp>();
    if (!add || !add->hasOneUse())
      return failure();
    auto ab = matchQuantizedOperands(add, resTy, rewriter);
    if (failed(ab))
      return failure();
    rewriter.replaceOpWithNewOp<AddOp>(
        qcast, resTy, ab->first, ab->second,
        clampMin ? rewriter.getF64FloatAttr(*clampMin) : FloatAttr(),
        clampMax ? rewriter.getF64FloatAttr(*clampMax) : FloatAttr());
    return success();
  }
};

/// An op that only moves values, applied to the storage of the quantized
/// `x`: `build` maps x's storage to storage of `resTy`'s shape, which is
/// viewed as x's quantized type again and requantized when `resTy`'s type
/// differs.
Value onStorage(PatternRewriter &rewriter, Location loc, Value x,
                RankedTensorType resTy,
                function_ref<Value(Value, RankedTensorType)> build) {
  auto xTy = llvm::cast<RankedTensorType>(x.getType());
  auto qt = llvm::cast<mq::QuantizedType>(xTy.getElementType());
  Type storage = qt.getStorageType();
  Value raw = mq::StorageCastOp::create(rewriter, loc, xTy.clone(storage), x);
  Value moved = build(raw, resTy.clone(storage));
  Value y = mq::StorageCastOp::create(rewriter, loc, resTy.clone(qt), moved);
  if (qt != resTy.getElementType())
    y = RequantizeOp::create(rewriter, loc, resTy, y);
  return y;
}

/// qcast(transpose(dcast x)) -> the transpose of x's storage (a requantize
/// follows when the result type differs): layout changes stay in integers,
/// e.g. the NHWC-to-NCHW transpose of a rank-4 model output.
struct FuseTranspose : OpRewritePattern<mq::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mq::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    auto resTy = llvm::dyn_cast<RankedTensorType>(qcast.getResult().getType());
    auto tr = qcast.getInput().getDefiningOp<tosa::TransposeOp>();
    if (!resTy || !tr || !tr->hasOneUse())
      return failure();
    auto dq = tr.getInput1().getDefiningOp<mq::DequantizeCastOp>();
    if (!dq)
      return failure();
    Value x = dq.getInput();
    auto xTy = llvm::cast<RankedTensorType>(x.getType());
    auto qt = llvm::dyn_cast<mq::UniformQuantizedType>(xTy.getElementType());
    if (!qt || !llvm::isa<mq::UniformQuantizedType>(resTy.getElementType()))
      return failure();
    rewriter.replaceOp(
        qcast, onStorage(rewriter, tr.getLoc(), x, resTy,
                         [&](Value raw, RankedTensorType outTy) -> Value {
                           return tosa::TransposeOp::create(
                               rewriter, tr.getLoc(), outTy, raw,
                               tr.getPermsAttr());
                         }));
    return success();
  }
};

/// qcast(mul(dcast a, dcast b)) of two 8-bit activations -> intq.mul.
struct FuseMul : OpRewritePattern<mq::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mq::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    auto resTy = llvm::dyn_cast<RankedTensorType>(qcast.getResult().getType());
    auto mul = qcast.getInput().getDefiningOp<tosa::MulOp>();
    if (!resTy || !mul || !mul->hasOneUse() || !isZeroConstant(mul.getShift()))
      return failure();
    auto ab = matchQuantizedOperands(mul, resTy, rewriter);
    if (failed(ab))
      return failure();
    rewriter.replaceOpWithNewOp<MulOp>(qcast, resTy, ab->first, ab->second);
    return success();
  }
};

/// qcast(max_pool2d / avg_pool2d(dcast x)) -> intq pooling on x's type
/// (pooling keeps the scale), followed by a requantize when the annotated
/// output type differs.
struct FusePool : OpRewritePattern<mq::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mq::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    auto resTy = llvm::dyn_cast<RankedTensorType>(qcast.getResult().getType());
    Operation *pool = qcast.getInput().getDefiningOp();
    if (!resTy || !pool || !pool->hasOneUse() ||
        !llvm::isa<tosa::MaxPool2dOp, tosa::AvgPool2dOp>(pool))
      return failure();
    auto dq = pool->getOperand(0).getDefiningOp<mq::DequantizeCastOp>();
    if (!dq)
      return failure();
    Value x = dq.getInput();
    auto xTy = llvm::cast<RankedTensorType>(x.getType());
    auto qt = llvm::dyn_cast<mq::UniformQuantizedType>(xTy.getElementType());
    if (!qt || qt.getStorageTypeIntegralWidth() > 16 ||
        !llvm::isa<mq::UniformQuantizedType>(resTy.getElementType()))
      return failure();
    Location loc = pool->getLoc();
    auto poolTy = resTy.clone(qt);
    Value y;
    if (auto mp = llvm::dyn_cast<tosa::MaxPool2dOp>(pool)) {
      y = MaxPool2DOp::create(rewriter, loc, poolTy, x, mp.getKernelAttr(),
                              mp.getStrideAttr(), mp.getPadAttr());
    } else {
      auto ap = llvm::cast<tosa::AvgPool2dOp>(pool);
      if (!isZeroConstant(ap.getInputZp()) || !isZeroConstant(ap.getOutputZp()))
        return failure();
      y = AvgPool2DOp::create(rewriter, loc, poolTy, x, ap.getKernelAttr(),
                              ap.getStrideAttr(), ap.getPadAttr());
    }
    if (poolTy != resTy)
      y = RequantizeOp::create(rewriter, loc, resTy, y);
    rewriter.replaceOp(qcast, y);
    return success();
  }
};

/// qcast(concat(dcast a, dcast b, ...)) -> tensor.concat of the quantized
/// values; an operand whose type differs from the result's is requantized
/// first (--intq-propagate-ranges makes them share one scale, so there is
/// normally none).
struct FuseConcat : OpRewritePattern<mq::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mq::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    auto resTy = llvm::dyn_cast<RankedTensorType>(qcast.getResult().getType());
    auto concat = qcast.getInput().getDefiningOp<tosa::ConcatOp>();
    if (!resTy || !concat || !concat->hasOneUse() ||
        !llvm::isa<mq::UniformQuantizedType>(resTy.getElementType()))
      return failure();
    SmallVector<Value> parts;
    for (Value in : concat.getInput1()) {
      auto dq = in.getDefiningOp<mq::DequantizeCastOp>();
      if (!dq)
        return failure();
      Value x = dq.getInput();
      auto xTy = llvm::cast<RankedTensorType>(x.getType());
      if (!llvm::isa<mq::UniformQuantizedType>(xTy.getElementType()))
        return failure();
      parts.push_back(x);
    }
    Location loc = concat.getLoc();
    for (Value &x : parts) {
      auto xTy = llvm::cast<RankedTensorType>(x.getType());
      if (xTy.getElementType() != resTy.getElementType())
        x = RequantizeOp::create(rewriter, loc,
                                 xTy.clone(resTy.getElementType()), x);
    }
    rewriter.replaceOpWithNewOp<tensor::ConcatOp>(
        qcast, resTy, static_cast<int64_t>(concat.getAxis()), parts);
    return success();
  }
};

/// One scalar of a constant that is the same everywhere (a broadcast).
std::optional<double> splatValue(Value v) {
  DenseFPElementsAttr c = getConstantFloats(v);
  if (!c || c.getNumElements() == 0)
    return std::nullopt;
  double first = (*c.getValues<APFloat>().begin()).convertToDouble();
  for (const APFloat &x : c.getValues<APFloat>())
    if (x.convertToDouble() != first)
      return std::nullopt;
  return first;
}

/// The elementwise float function from `input` to `v`, at x: add, sub, mul
/// (by constants or of values of the same input), clamp, sigmoid, tanh.
/// std::nullopt when `v` depends on anything else.
std::optional<double> evalElementwise(Value v, Value input, double x,
                                      SmallVectorImpl<Operation *> *ops) {
  if (v == input)
    return x;
  if (auto c = splatValue(v))
    return c;
  Operation *op = v.getDefiningOp();
  if (!op || op->getNumResults() != 1)
    return std::nullopt;
  auto eval = [&](Value o) { return evalElementwise(o, input, x, ops); };
  std::optional<double> r;
  if (llvm::isa<tosa::AddOp, tosa::SubOp, tosa::MulOp>(op)) {
    auto a = eval(op->getOperand(0)), b = eval(op->getOperand(1));
    if (!a || !b)
      return std::nullopt;
    if (auto mul = llvm::dyn_cast<tosa::MulOp>(op)) {
      if (!isZeroConstant(mul.getShift()) && !llvm::isa<FloatType>(
              getElementTypeOrSelf(mul.getType())))
        return std::nullopt;
      r = *a * *b;
    } else {
      r = llvm::isa<tosa::AddOp>(op) ? *a + *b : *a - *b;
    }
  } else if (auto clamp = llvm::dyn_cast<tosa::ClampOp>(op)) {
    auto a = eval(clamp.getInput());
    auto lo = llvm::dyn_cast<FloatAttr>(clamp.getMinValAttr());
    auto hi = llvm::dyn_cast<FloatAttr>(clamp.getMaxValAttr());
    if (!a || !lo || !hi)
      return std::nullopt;
    r = std::clamp(*a, lo.getValueAsDouble(), hi.getValueAsDouble());
  } else if (llvm::isa<tosa::SigmoidOp>(op)) {
    auto a = eval(op->getOperand(0));
    if (!a)
      return std::nullopt;
    r = 1.0 / (1.0 + std::exp(-*a));
  } else if (llvm::isa<tosa::TanhOp>(op)) {
    auto a = eval(op->getOperand(0));
    if (!a)
      return std::nullopt;
    r = std::tanh(*a);
  } else {
    return std::nullopt;
  }
  if (ops && !llvm::is_contained(*ops, op))
    ops->push_back(op);
  return r;
}

/// qcast(f(dcast x)) for an elementwise function f of one 8-bit input
/// (sigmoid, tanh, hard-sigmoid, hard-swish, or any chain of add / sub /
/// mul / clamp / sigmoid / tanh with constants) -> intq.lookup with the 256
/// results computed at compile time.
struct FuseLookup : OpRewritePattern<mq::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mq::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    auto resTy = llvm::dyn_cast<RankedTensorType>(qcast.getResult().getType());
    Value root = qcast.getInput();
    Operation *rootOp = root.getDefiningOp();
    if (!resTy || !rootOp || !root.hasOneUse() ||
        !llvm::isa<tosa::AddOp, tosa::SubOp, tosa::MulOp, tosa::ClampOp,
                   tosa::SigmoidOp, tosa::TanhOp>(rootOp))
      return failure();
    auto outQ = llvm::dyn_cast<mq::UniformQuantizedType>(resTy.getElementType());
    if (!outQ || outQ.getStorageTypeIntegralWidth() != 8)
      return failure();
    // The single quantized input: the first dcast found in the DAG.
    mq::DequantizeCastOp dq;
    SmallVector<Value> work = {root};
    llvm::DenseSet<Value> seen;
    while (!work.empty() && !dq) {
      Value v = work.pop_back_val();
      if (!seen.insert(v).second)
        continue;
      if ((dq = v.getDefiningOp<mq::DequantizeCastOp>()))
        break;
      if (Operation *op = v.getDefiningOp())
        if (!op->hasTrait<OpTrait::ConstantLike>())
          for (Value o : op->getOperands())
            work.push_back(o);
    }
    if (!dq)
      return failure();
    auto inTy = llvm::cast<RankedTensorType>(dq.getInput().getType());
    auto inQ = llvm::dyn_cast<mq::UniformQuantizedType>(inTy.getElementType());
    if (!inQ || inQ.getStorageTypeIntegralWidth() != 8 ||
        inTy.getShape() != resTy.getShape())
      return failure();
    // Every op of the function must be elementwise on values of this shape
    // and used only inside it (no other consumer sees the float values).
    SmallVector<Operation *> ops;
    if (!evalElementwise(root, dq.getResult(), 0.0, &ops))
      return failure();
    for (Operation *op : ops) {
      if (op->getResult(0).getType() != root.getType())
        return failure();
      for (Operation *user : op->getResult(0).getUsers())
        if (user != qcast && !llvm::is_contained(ops, user))
          return failure();
    }
    SmallVector<APInt> table;
    for (int64_t q = inQ.getStorageTypeMin(); q <= inQ.getStorageTypeMax();
         ++q) {
      double x = (q - inQ.getZeroPoint()) * inQ.getScale();
      double y = *evalElementwise(root, dq.getResult(), x, nullptr);
      int32_t v = ::intq::quant::quantizeValue(
          float(y), float(outQ.getScale()), outQ.getZeroPoint(),
          outQ.getStorageTypeMin(), outQ.getStorageTypeMax());
      table.push_back(APInt(8, v, /*isSigned=*/true, /*implicitTrunc=*/true));
    }
    auto tableTy = RankedTensorType::get({(int64_t)table.size()},
                                         rewriter.getIntegerType(8));
    rewriter.replaceOpWithNewOp<LookupOp>(
        qcast, resTy, dq.getInput(), DenseIntElementsAttr::get(tableTy, table));
    return success();
  }
};

/// qcast(pad(dcast x, c)) -> the pad of x's storage with c quantized in x's
/// type (a requantize follows when the result type differs; propagate-ranges
/// normally makes them equal).
struct FusePad : OpRewritePattern<mq::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mq::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    auto resTy = llvm::dyn_cast<RankedTensorType>(qcast.getResult().getType());
    auto pad = qcast.getInput().getDefiningOp<tosa::PadOp>();
    if (!resTy || !pad || !pad->hasOneUse() ||
        !llvm::isa<mq::UniformQuantizedType>(resTy.getElementType()))
      return failure();
    auto dq = pad.getInput1().getDefiningOp<mq::DequantizeCastOp>();
    std::optional<double> c = splatValue(pad.getPadConst());
    SmallVector<int64_t> padding;
    if (!dq || !c || !pad.getPadding().getDefiningOp() ||
        !tosa::getConstShapeValues(pad.getPadding().getDefiningOp(), padding))
      return failure();
    Value x = dq.getInput();
    auto xTy = llvm::cast<RankedTensorType>(x.getType());
    auto qt = llvm::dyn_cast<mq::UniformQuantizedType>(xTy.getElementType());
    if (!qt || qt.getStorageTypeIntegralWidth() > 16)
      return failure();
    int32_t pv = ::intq::quant::quantizeValue(
        float(*c), float(qt.getScale()), qt.getZeroPoint(),
        qt.getStorageTypeMin(), qt.getStorageTypeMax());
    SmallVector<OpFoldResult> low, high;
    for (size_t d = 0; d < padding.size() / 2; ++d) {
      low.push_back(rewriter.getIndexAttr(padding[2 * d]));
      high.push_back(rewriter.getIndexAttr(padding[2 * d + 1]));
    }
    rewriter.replaceOp(
        qcast, onStorage(rewriter, pad.getLoc(), x, resTy,
                         [&](Value raw, RankedTensorType outTy) -> Value {
                           Value value = arith::ConstantOp::create(
                               rewriter, pad.getLoc(),
                               rewriter.getIntegerAttr(
                                   outTy.getElementType(), pv));
                           return tensor::PadOp::create(rewriter, pad.getLoc(),
                                                        outTy, raw, low, high,
                                                        value);
                         }));
    return success();
  }
};

/// lookup(lookup(x, T1), T2) -> lookup(x, T2[T1]): chains of elementwise
/// functions (calibration observes each op's result) become one table.
struct ComposeLookups : OpRewritePattern<LookupOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LookupOp outer,
                                PatternRewriter &rewriter) const override {
    auto inner = outer.getInput().getDefiningOp<LookupOp>();
    if (!inner || !inner->hasOneUse())
      return failure();
    auto midQ = llvm::cast<mq::UniformQuantizedType>(
        inner.getResult().getType().getElementType());
    SmallVector<APInt> t2(outer.getTable().getValues<APInt>());
    SmallVector<APInt> composed;
    for (const APInt &v : inner.getTable().getValues<APInt>()) {
      int64_t mid = midQ.isSigned() ? v.getSExtValue() : v.getZExtValue();
      composed.push_back(t2[mid - midQ.getStorageTypeMin()]);
    }
    rewriter.replaceOpWithNewOp<LookupOp>(
        outer, outer.getResult().getType(), inner.getInput(),
        DenseIntElementsAttr::get(inner.getTable().getType(), composed));
    return success();
  }
};

/// qcast(dcast(x)): the identity when the types agree, else a requantize.
struct FoldQuantDequant : OpRewritePattern<mq::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mq::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    auto dq = qcast.getInput().getDefiningOp<mq::DequantizeCastOp>();
    if (!dq)
      return failure();
    Value x = dq.getInput();
    if (x.getType() == qcast.getType()) {
      rewriter.replaceOp(qcast, x);
      return success();
    }
    auto inTy = llvm::dyn_cast<RankedTensorType>(x.getType());
    auto outTy = llvm::dyn_cast<RankedTensorType>(qcast.getType());
    if (!inTy || !outTy)
      return failure();
    rewriter.replaceOpWithNewOp<RequantizeOp>(qcast, outTy, x);
    return success();
  }
};

/// qcast(constant) -> intq.qconst, quantized at compile time.
struct FoldConstantQuantize : OpRewritePattern<mq::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mq::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    DenseFPElementsAttr values = getConstantFloats(qcast.getInput());
    auto resTy = llvm::dyn_cast<RankedTensorType>(qcast.getType());
    if (!values || !resTy)
      return failure();
    auto qt = llvm::dyn_cast<mq::QuantizedType>(resTy.getElementType());
    if (!qt ||
        !llvm::isa<mq::UniformQuantizedType, mq::UniformQuantizedPerAxisType>(
            qt))
      return failure();
    rewriter.replaceOp(qcast, createQConst(rewriter, qcast.getLoc(),
                                           resTy.getShape(), qt,
                                           quantizeValues(values, qt)));
    return success();
  }
};

struct QuantizePass : public intq::impl::QuantizeBase<QuantizePass> {
  using QuantizeBase::QuantizeBase;
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // Fusion first, so that constant folding does not consume the weights'
    // qcasts before the compute ops are matched.
    // Folding is disabled: upstream folds quant.dcast(quant.qcast(x)) to x,
    // which would erase the quantization this pass is fusing.
    GreedyRewriteConfig config;
    config.enableFolding(false);
    RewritePatternSet fuse(ctx);
    std::optional<Rounding> r = symbolizeRounding(rounding);
    if (!r) {
      emitError(getOperation().getLoc())
          << "--intq-quantize: rounding must be 'double' or 'single', got '"
          << rounding << "'";
      return signalPassFailure();
    }
    fuse.add<FuseCompute>(ctx, *r);
    fuse.add<FuseAdd, FusePool, FuseConcat, FuseLookup, FusePad, FuseMul,
             FuseTranspose>(ctx, /*benefit=*/2);
    fuse.add<ComposeLookups>(ctx);
    fuse.add<FoldQuantDequant, HoistReshapeAboveDequant>(ctx, /*benefit=*/1);
    if (failed(applyPatternsGreedily(getOperation(), std::move(fuse), config)))
      return signalPassFailure();
    RewritePatternSet fold(ctx);
    fold.add<FoldConstantQuantize>(ctx);
    if (failed(applyPatternsGreedily(getOperation(), std::move(fold), config)))
      return signalPassFailure();
  }
};

} // namespace
