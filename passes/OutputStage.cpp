//===- OutputStage.cpp - shared pieces of the conv/matmul lowering --------===//

#include "OutputStage.h"

#include "QuantLowering.h"
#include "QuantUtils.h"

#include "intq/Dialect/IntQ/IntQ.h"
#include "intq/Quant/FixedPoint.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
namespace mq = mlir::quant;

namespace intq {

/// Reads the storage values of a constant (intq.qconst) as int64.
FailureOr<SmallVector<int64_t>> getConstantValues(Value v) {
  auto qc = v.getDefiningOp<QConstOp>();
  if (!qc)
    return failure();
  auto qt = llvm::cast<mq::QuantizedType>(
      qc.getResult().getType().getElementType());
  SmallVector<int64_t> out;
  out.reserve(qc.getValue().getNumElements());
  for (const APInt &x : qc.getValue().getValues<APInt>())
    out.push_back(qt.isSigned() ? x.getSExtValue() : (int64_t)x.getZExtValue());
  return out;
}

std::optional<double> toDouble(std::optional<APFloat> f) {
  if (!f)
    return std::nullopt;
  return f->convertToDouble();
}

/// The output stage of one conv / matmul. The accumulator width is chosen
/// here, from the constant weights: the runtime sum over K of q_in * q_w,
/// in any order, plus the folded bias, is bounded by
/// max|q_in| * sum|q_w| + |folded bias| per output channel. When that bound
/// fits int32 (every 8-bit layer of the reference models, and most int16
/// ones) the accumulator is i32; otherwise i64, whose bound is checked too.
FailureOr<OutputStage>
computeOutputStageImpl(Operation *op, mq::UniformQuantizedType inTy,
                       int64_t zIn, int64_t maxAbsIn, mq::QuantizedType wTy,
                       mq::UniformQuantizedType outTy, int64_t numOut,
                       ArrayRef<int64_t> biasValues, ArrayRef<int64_t> weights,
                       std::optional<double> clampMin,
                       std::optional<double> clampMax) {
  OutputStage st;
  if (auto conv = llvm::dyn_cast<Conv2DOp>(op))
    st.singleRound = conv.getRounding() == Rounding::Single;
  else if (auto mm = llvm::dyn_cast<MatMulOp>(op))
    st.singleRound = mm.getRounding() == Rounding::Single;
  int64_t perOut = weights.size() / numOut;
  for (int64_t c = 0; c < numOut; ++c) {
    int64_t bias = biasValues.empty() ? 0 : biasValues[c];
    int64_t sum = 0, absSum = 0;
    for (int64_t i = 0; i < perOut; ++i) {
      sum += weights[c * perOut + i];
      absSum += std::abs(weights[c * perOut + i]);
    }
    int64_t folded = bias - zIn * sum;
    // |q_in| <= 2^15, |q_w| <= 2^7, K < 2^32 in any realistic layer; the
    // check below catches the rest before an int64 could overflow.
    if (absSum > (INT64_MAX / 4) / std::max<int64_t>(maxAbsIn, 1))
      return op->emitOpError("accumulator bound of output channel ")
             << c << " exceeds int64 (sum |q_w| = " << absSum << ")";
    int64_t bound = maxAbsIn * absSum + std::abs(folded);
    st.bound = std::max(st.bound, bound);
    st.bias.push_back(folded);
    double m = inTy.getScale() * getScale(wTy, c) / outTy.getScale();
    auto qm = ::intq::quant::quantizeMultiplier(m);
    if (!qm)
      return op->emitOpError("real multiplier ")
             << m << " of output channel " << c
             << " (input scale x weight scale / output scale) cannot be "
                "represented as a 32-bit fixed-point multiplier";
    st.multiplier.push_back(qm->multiplier);
    if (st.singleRound) {
      st.leftShift.push_back(0);
      st.rightShift.push_back(31 - qm->shift);
      continue;
    }
    st.leftShift.push_back(qm->leftShift());
    st.rightShift.push_back(qm->rightShift());
    st.needLeftShift |= qm->leftShift() > 0;
  }
  st.wide = st.bound > INT32_MAX;
  st.zeroPoint = static_cast<int32_t>(outTy.getZeroPoint());
  auto [lo, hi] = getClampedStorageRange(outTy, clampMin, clampMax);
  st.lo = static_cast<int32_t>(lo);
  st.hi = static_cast<int32_t>(hi);
  return st;
}

FailureOr<ComputeOperands> getComputeOperands(Operation *op, Value input,
                                              Value weights, Value bias,
                                              Value result) {
  ComputeOperands co;
  co.inTy = llvm::cast<mq::UniformQuantizedType>(
      getElementTypeOrSelf(input.getType()));
  co.outTy = llvm::cast<mq::UniformQuantizedType>(
      getElementTypeOrSelf(result.getType()));
  co.wTy = llvm::cast<mq::QuantizedType>(getElementTypeOrSelf(weights.getType()));
  for (Value v : {input, weights, result})
    if (!llvm::cast<ShapedType>(v.getType()).hasStaticShape())
      return op->emitOpError("lowering requires static shapes");
  if (!co.wTy.isSigned())
    return op->emitOpError("lowering supports signed weight storage only");
  co.unsignedInput = !co.inTy.isSigned();
  unsigned inBits = co.inTy.getStorageTypeIntegralWidth();
  if ((inBits != 8 && inBits != 16) ||
      co.wTy.getStorageTypeIntegralWidth() != 8)
    return op->emitOpError("lowering supports 8- or 16-bit input and 8-bit "
                           "weight storage only, got ")
           << co.inTy.getStorageType() << " input and "
           << co.wTy.getStorageType() << " weights";
  if (inBits == 16 && co.unsignedInput)
    return op->emitOpError("lowering supports signed 16-bit inputs only "
                           "(use int16 activations)");
  co.zIn = co.inTy.getZeroPoint() - (co.unsignedInput ? 128 : 0);
  if (co.unsignedInput)
    co.maxAbsIn = 128;
  else
    co.maxAbsIn = std::max(std::abs(co.inTy.getStorageTypeMin()),
                           std::abs(co.inTy.getStorageTypeMax()));
  int64_t numOut = llvm::cast<ShapedType>(weights.getType()).getDimSize(0);
  for (int64_t c = 0; c < (llvm::isa<mq::UniformQuantizedPerAxisType>(co.wTy)
                               ? numOut
                               : 1);
       ++c)
    if (getZeroPoint(co.wTy, c) != 0)
      return op->emitOpError("lowering requires symmetric weights (zero "
                             "point 0), channel ")
             << c << " has zero point " << getZeroPoint(co.wTy, c);
  auto w = getConstantValues(weights);
  if (failed(w))
    return op->emitOpError("lowering requires constant weights (intq.qconst)");
  co.weights = std::move(*w);
  if (bias) {
    auto bv = getConstantValues(bias);
    if (failed(bv))
      return op->emitOpError("lowering requires a constant bias (intq.qconst)");
    co.bias = std::move(*bv);
  }
  return co;
}

FailureOr<OutputStage> computeOutputStage(Operation *op,
                                          const ComputeOperands &co,
                                          int64_t numOut,
                                          std::optional<double> clampMin,
                                          std::optional<double> clampMax) {
  return computeOutputStageImpl(op, co.inTy, co.zIn, co.maxAbsIn, co.wTy,
                                co.outTy, numOut, co.bias, co.weights,
                                clampMin, clampMax);
}

} // namespace intq
