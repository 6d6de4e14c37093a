//===- IntQOps.cpp - intq operations: verifiers and folders ---------------===//

#include "intq/Dialect/IntQ/IntQ.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace mlir;
using namespace intq;
namespace q = mlir::quant;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

double intq::getScale(q::QuantizedType type, int64_t c) {
  if (auto pt = llvm::dyn_cast<q::UniformQuantizedType>(type))
    return pt.getScale();
  auto pa = llvm::cast<q::UniformQuantizedPerAxisType>(type);
  return pa.getScales()[c];
}

int64_t intq::getZeroPoint(q::QuantizedType type, int64_t c) {
  if (auto pt = llvm::dyn_cast<q::UniformQuantizedType>(type))
    return pt.getZeroPoint();
  auto pa = llvm::cast<q::UniformQuantizedPerAxisType>(type);
  return pa.getZeroPoints()[c];
}

static bool isValidScale(double s) { return std::isfinite(s) && s > 0.0; }

LogicalResult
intq::verifyQuantizedType(Type type, StringRef what,
                          function_ref<InFlightDiagnostic()> emitError) {
  auto qt = llvm::dyn_cast<q::QuantizedType>(getElementTypeOrSelf(type));
  if (!qt)
    return emitError() << what << " must have a quantized element type, got "
                       << type;
  int64_t lo = qt.getStorageTypeMin(), hi = qt.getStorageTypeMax();
  auto checkOne = [&](double scale, int64_t zp,
                      std::optional<int64_t> channel) -> LogicalResult {
    if (!isValidScale(scale)) {
      auto diag = emitError() << what << " scale " << scale;
      if (channel)
        diag << " (channel " << *channel << ")";
      return diag << " must be positive and finite";
    }
    if (zp < lo || zp > hi) {
      auto diag = emitError() << what << " zero point " << zp;
      if (channel)
        diag << " (channel " << *channel << ")";
      return diag << " is outside the storage range [" << lo << ", " << hi
                  << "]";
    }
    return success();
  };
  if (auto pt = llvm::dyn_cast<q::UniformQuantizedType>(qt))
    return checkOne(pt.getScale(), pt.getZeroPoint(), std::nullopt);
  if (auto pa = llvm::dyn_cast<q::UniformQuantizedPerAxisType>(qt)) {
    for (auto [i, s, z] :
         llvm::enumerate(pa.getScales(), pa.getZeroPoints()))
      if (failed(checkOne(s, z, static_cast<int64_t>(i))))
        return failure();
    return success();
  }
  return emitError() << what << " must be a uniform quantized type, got "
                     << qt;
}

namespace {
/// Shared checks of the quantized compute ops.
struct QuantOperands {
  q::UniformQuantizedType input;
  q::QuantizedType weights;
  q::UniformQuantizedType result;
};
} // namespace

/// Verifies the element types of a conv/matmul: per-tensor input and result,
/// per-tensor or per-axis(axis 0, `numOut` channels) weights, and an i32 bias
/// with zero point 0 and scale input x weight per output channel.
static LogicalResult verifyComputeTypes(Operation *op, Value input,
                                        Value weights, Value bias,
                                        Value result, int64_t numOut) {
  auto emit = [op]() { return op->emitOpError(); };
  if (failed(verifyQuantizedType(input.getType(), "input", emit)) ||
      failed(verifyQuantizedType(weights.getType(), "weights", emit)) ||
      failed(verifyQuantizedType(result.getType(), "result", emit)))
    return failure();
  auto inTy = llvm::dyn_cast<q::UniformQuantizedType>(
      getElementTypeOrSelf(input.getType()));
  if (!inTy)
    return op->emitOpError("input must be quantized per tensor, got ")
           << getElementTypeOrSelf(input.getType());
  auto resTy = llvm::dyn_cast<q::UniformQuantizedType>(
      getElementTypeOrSelf(result.getType()));
  if (!resTy)
    return op->emitOpError("result must be quantized per tensor, got ")
           << getElementTypeOrSelf(result.getType());
  auto wTy = llvm::cast<q::QuantizedType>(
      getElementTypeOrSelf(weights.getType()));
  if (auto pa = llvm::dyn_cast<q::UniformQuantizedPerAxisType>(wTy)) {
    if (pa.getQuantizedDimension() != 0)
      return op->emitOpError("weights must be quantized along the output "
                             "channel axis 0, got axis ")
             << pa.getQuantizedDimension();
    if (ShapedType::isStatic(numOut) &&
        static_cast<int64_t>(pa.getScales().size()) != numOut)
      return op->emitOpError("weights have ")
             << pa.getScales().size() << " per-channel scales but "
             << numOut << " output channels";
  }
  if (inTy.getStorageTypeIntegralWidth() > 16 ||
      wTy.getStorageTypeIntegralWidth() > 16 ||
      resTy.getStorageTypeIntegralWidth() > 16)
    return op->emitOpError(
        "input, weights and result storage must be at most 16 bits wide");

  if (!bias)
    return success();
  if (failed(verifyQuantizedType(bias.getType(), "bias", emit)))
    return failure();
  auto biasShape = llvm::cast<RankedTensorType>(bias.getType());
  if (biasShape.getRank() != 1 ||
      (ShapedType::isStatic(numOut) && !biasShape.isDynamicDim(0) &&
       biasShape.getDimSize(0) != numOut))
    return op->emitOpError("bias must have shape [")
           << numOut << "], got " << bias.getType();
  auto bTy = llvm::cast<q::QuantizedType>(biasShape.getElementType());
  if (bTy.getStorageTypeIntegralWidth() != 32 || !bTy.isSigned())
    return op->emitOpError("bias storage must be i32, got ")
           << bTy.getStorageType();
  if (auto pa = llvm::dyn_cast<q::UniformQuantizedPerAxisType>(bTy)) {
    if (pa.getQuantizedDimension() != 0)
      return op->emitOpError("bias must be quantized along axis 0");
    if (ShapedType::isStatic(numOut) &&
        static_cast<int64_t>(pa.getScales().size()) != numOut)
      return op->emitOpError("bias has ")
             << pa.getScales().size() << " per-channel scales but "
             << numOut << " output channels";
  }
  bool perChannel = llvm::isa<q::UniformQuantizedPerAxisType>(wTy) ||
                    llvm::isa<q::UniformQuantizedPerAxisType>(bTy);
  int64_t channels = perChannel ? numOut : 1;
  if (ShapedType::isDynamic(channels))
    return success();
  for (int64_t c = 0; c < channels; ++c) {
    if (getZeroPoint(bTy, c) != 0)
      return op->emitOpError("bias zero point must be 0, got ")
             << getZeroPoint(bTy, c) << " (channel " << c << ")";
    double expected = inTy.getScale() * getScale(wTy, c);
    double actual = getScale(bTy, c);
    if (std::abs(actual - expected) > 1e-6 * expected)
      return op->emitOpError("bias scale ")
             << actual << " of output channel " << c
             << " must equal input scale x weight scale = "
             << inTy.getScale() << " x " << getScale(wTy, c) << " = "
             << expected;
  }
  return success();
}

static std::optional<double> toDouble(std::optional<APFloat> f) {
  if (!f)
    return std::nullopt;
  return f->convertToDouble();
}

static LogicalResult verifyClamp(Operation *op, std::optional<double> lo,
                                 std::optional<double> hi) {
  if ((lo && !std::isfinite(*lo)) || (hi && !std::isfinite(*hi)))
    return op->emitOpError("clamp bounds must be finite");
  if (lo && hi && *lo > *hi)
    return op->emitOpError("clamp_min ")
           << *lo << " is greater than clamp_max " << *hi;
  return success();
}

//===----------------------------------------------------------------------===//
// StatsOp
//===----------------------------------------------------------------------===//

LogicalResult StatsOp::verify() {
  double lo = getMin().convertToDouble(), hi = getMax().convertToDouble();
  if (!std::isfinite(lo) || !std::isfinite(hi))
    return emitOpError("range bounds must be finite, got [")
           << lo << ", " << hi << "]";
  if (lo > hi)
    return emitOpError("min ") << lo << " is greater than max " << hi;
  if (auto means = getChannelMean()) {
    auto ty = getInput().getType();
    int64_t channels = ty.getRank() ? ty.getDimSize(ty.getRank() - 1) : 1;
    if ((int64_t)means->size() != channels)
      return emitOpError("channel_mean has ")
             << means->size() << " values for " << channels << " channels";
    for (double m : *means)
      if (!std::isfinite(m))
        return emitOpError("channel means must be finite, got ") << m;
  }
  return success();
}

std::optional<RealRange>
StatsOp::inferRealRange(ArrayRef<std::optional<RealRange>>) {
  return RealRange{getMin().convertToDouble(), getMax().convertToDouble()};
}

//===----------------------------------------------------------------------===//
// QConstOp
//===----------------------------------------------------------------------===//

LogicalResult QConstOp::verify() {
  auto resTy = getResult().getType();
  auto valTy = llvm::cast<ShapedType>(getValue().getType());
  if (valTy.getShape() != resTy.getShape())
    return emitOpError("value shape ")
           << valTy << " does not match result shape " << resTy;
  if (failed(verifyQuantizedType(resTy, "result",
                                 [this]() { return emitOpError(); })))
    return failure();
  auto qt = llvm::cast<q::QuantizedType>(resTy.getElementType());
  if (valTy.getElementType() != qt.getStorageType())
    return emitOpError("value element type ")
           << valTy.getElementType() << " does not match storage type "
           << qt.getStorageType();
  if (auto pa = llvm::dyn_cast<q::UniformQuantizedPerAxisType>(qt)) {
    int32_t axis = pa.getQuantizedDimension();
    if (axis < 0 || axis >= resTy.getRank())
      return emitOpError("quantized axis ")
             << axis << " is out of range for rank " << resTy.getRank();
    if (static_cast<int64_t>(pa.getScales().size()) !=
        resTy.getDimSize(axis))
      return emitOpError("has ")
             << pa.getScales().size() << " scales for dimension " << axis
             << " of size " << resTy.getDimSize(axis);
  }
  int64_t lo = qt.getStorageTypeMin(), hi = qt.getStorageTypeMax();
  bool isSigned = qt.isSigned();
  for (const APInt &v : getValue().getValues<APInt>()) {
    int64_t x = isSigned ? v.getSExtValue() : (int64_t)v.getZExtValue();
    if (x < lo || x > hi)
      return emitOpError("value ")
             << x << " is outside the storage range [" << lo << ", " << hi
             << "]";
  }
  return success();
}

OpFoldResult QConstOp::fold(FoldAdaptor) { return getValueAttr(); }

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

int64_t Conv2DOp::getChannelsPerGroup() {
  return getWeights().getType().getDimSize(3);
}

LogicalResult Conv2DOp::verify() {
  auto inTy = getInput().getType();
  auto wTy = getWeights().getType();
  auto resTy = getResult().getType();
  if (inTy.getRank() != 4 || wTy.getRank() != 4 || resTy.getRank() != 4)
    return emitOpError("expects rank-4 input (NHWC), weights (OHWI) and "
                       "result (NHWC)");
  if (getStride().size() != 2 || getDilation().size() != 2 ||
      getPad().size() != 4)
    return emitOpError("expects stride and dilation of 2 values and pad of 4 "
                       "values [top, bottom, left, right]");
  if (llvm::any_of(getStride(), [](int64_t s) { return s < 1; }) ||
      llvm::any_of(getDilation(), [](int64_t s) { return s < 1; }))
    return emitOpError("stride and dilation must be positive");
  if (llvm::any_of(getPad(), [](int64_t p) { return p < 0; }))
    return emitOpError("padding must be non-negative");
  int64_t groups = getGroups();
  if (groups < 1)
    return emitOpError("groups must be positive, got ") << groups;

  int64_t c = inTy.getDimSize(3), o = wTy.getDimSize(0);
  int64_t cg = wTy.getDimSize(3);
  if (ShapedType::isStatic(o) && o % groups != 0)
    return emitOpError("output channels ")
           << o << " are not divisible by groups " << groups;
  if (ShapedType::isStatic(c) && ShapedType::isStatic(cg) &&
      c != cg * groups)
    return emitOpError("input channels ")
           << c << " do not match weights input channels " << cg
           << " x groups " << groups;
  if (!ShapedType::isDynamic(resTy.getDimSize(3)) && ShapedType::isStatic(o) &&
      resTy.getDimSize(3) != o)
    return emitOpError("result channels ")
           << resTy.getDimSize(3) << " do not match weights output channels "
           << o;
  if (!inTy.isDynamicDim(0) && !resTy.isDynamicDim(0) &&
      inTy.getDimSize(0) != resTy.getDimSize(0))
    return emitOpError("result batch ")
           << resTy.getDimSize(0) << " does not match input batch "
           << inTy.getDimSize(0);
  // Spatial sizes.
  for (int i = 0; i < 2; ++i) {
    int64_t in = inTy.getDimSize(1 + i), k = wTy.getDimSize(1 + i);
    int64_t out = resTy.getDimSize(1 + i);
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(k) ||
        ShapedType::isDynamic(out))
      continue;
    int64_t padded = in + getPad()[2 * i] + getPad()[2 * i + 1];
    int64_t eff = getDilation()[i] * (k - 1) + 1;
    if (padded < eff)
      return emitOpError("kernel extent ")
             << eff << " exceeds padded input size " << padded << " in "
             << (i == 0 ? "height" : "width");
    int64_t expected = (padded - eff) / getStride()[i] + 1;
    if (out != expected)
      return emitOpError("result ")
             << (i == 0 ? "height " : "width ") << out << " does not match "
             << "the expected " << expected;
  }
  if (failed(verifyComputeTypes(*this, getInput(), getWeights(), getBias(),
                                getResult(), o)))
    return failure();
  return verifyClamp(*this, toDouble(getClampMin()), toDouble(getClampMax()));
}

//===----------------------------------------------------------------------===//
// MatMulOp
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::verify() {
  auto lhsTy = getLhs().getType();
  auto wTy = getWeights().getType();
  auto resTy = getResult().getType();
  if (lhsTy.getRank() != 2 && lhsTy.getRank() != 3)
    return emitOpError("lhs must be M x K or B x M x K, got ") << lhsTy;
  if (wTy.getRank() != 2)
    return emitOpError("weights must be N x K, got ") << wTy;
  if (resTy.getRank() != lhsTy.getRank())
    return emitOpError("result rank ")
           << resTy.getRank() << " does not match lhs rank "
           << lhsTy.getRank();
  int64_t r = lhsTy.getRank();
  int64_t k = lhsTy.getDimSize(r - 1), wk = wTy.getDimSize(1);
  int64_t n = wTy.getDimSize(0);
  if (ShapedType::isStatic(k) && ShapedType::isStatic(wk) && k != wk)
    return emitOpError("reduction size mismatch: lhs has K = ")
           << k << ", weights have K = " << wk;
  auto checkDim = [&](int64_t got, int64_t want,
                      StringRef what) -> LogicalResult {
    if (ShapedType::isStatic(got) && ShapedType::isStatic(want) && got != want)
      return emitOpError("result ")
             << what << " " << got << " does not match the expected " << want;
    return success();
  };
  if (failed(checkDim(resTy.getDimSize(r - 1), n, "N")) ||
      failed(checkDim(resTy.getDimSize(r - 2), lhsTy.getDimSize(r - 2), "M")))
    return failure();
  if (r == 3 && failed(checkDim(resTy.getDimSize(0), lhsTy.getDimSize(0), "B")))
    return failure();
  if (failed(verifyComputeTypes(*this, getLhs(), getWeights(), getBias(),
                                getResult(), n)))
    return failure();
  return verifyClamp(*this, toDouble(getClampMin()), toDouble(getClampMax()));
}

//===----------------------------------------------------------------------===//
// AddOp
//===----------------------------------------------------------------------===//

/// The operands and result of intq.add / intq.mul: 8- or 16-bit, per tensor, one
/// shape.
static LogicalResult verifyElementwiseBinary(Operation *op,
                                             RankedTensorType lhs,
                                             RankedTensorType rhs,
                                             RankedTensorType result) {
  auto emit = [op]() { return op->emitOpError(); };
  for (auto [ty, what] : {std::make_pair(lhs, "lhs"), std::make_pair(rhs, "rhs"),
                          std::make_pair(result, "result")}) {
    if (failed(verifyQuantizedType(ty, what, emit)))
      return failure();
    auto qt = ty.getElementType();
    if (!llvm::isa<q::UniformQuantizedType>(qt))
      return op->emitOpError(what)
             << " must be quantized per tensor, got " << qt;
    if (llvm::cast<q::QuantizedType>(qt).getStorageTypeIntegralWidth() > 16)
      return op->emitOpError(what) << " storage must be at most 16 bits wide";
  }
  if (lhs.getShape() != rhs.getShape() || lhs.getShape() != result.getShape())
    return op->emitOpError("operands and result must have the same shape");
  return success();
}

LogicalResult AddOp::verify() {
  if (failed(verifyElementwiseBinary(*this, getLhs().getType(),
                                     getRhs().getType(),
                                     getResult().getType())))
    return failure();
  return verifyClamp(*this, toDouble(getClampMin()), toDouble(getClampMax()));
}

LogicalResult MulOp::verify() {
  return verifyElementwiseBinary(*this, getLhs().getType(), getRhs().getType(),
                                 getResult().getType());
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

static LogicalResult verifyPool(Operation *op, RankedTensorType inTy,
                                RankedTensorType resTy, ArrayRef<int64_t> k,
                                ArrayRef<int64_t> stride,
                                ArrayRef<int64_t> pad) {
  auto emit = [op]() { return op->emitOpError(); };
  if (failed(verifyQuantizedType(inTy, "input", emit)) ||
      failed(verifyQuantizedType(resTy, "result", emit)))
    return failure();
  if (inTy.getElementType() != resTy.getElementType() ||
      !llvm::isa<q::UniformQuantizedType>(inTy.getElementType()))
    return op->emitOpError("input and result must share one per-tensor "
                           "quantized type");
  if (inTy.getRank() != 4 || resTy.getRank() != 4)
    return op->emitOpError("expects rank-4 NHWC input and result");
  if (k.size() != 2 || stride.size() != 2 || pad.size() != 4 ||
      llvm::any_of(k, [](int64_t v) { return v < 1; }) ||
      llvm::any_of(stride, [](int64_t v) { return v < 1; }) ||
      llvm::any_of(pad, [](int64_t v) { return v < 0; }))
    return op->emitOpError("expects 2 positive kernel sizes and strides and "
                           "4 non-negative pads");
  for (int i = 0; i < 2; ++i) {
    int64_t in = inTy.getDimSize(1 + i), out = resTy.getDimSize(1 + i);
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(out))
      continue;
    int64_t expected = (in + pad[2 * i] + pad[2 * i + 1] - k[i]) / stride[i] + 1;
    if (out != expected)
      return op->emitOpError("result ")
             << (i == 0 ? "height " : "width ") << out
             << " does not match the expected " << expected;
  }
  if (inTy.getDimSize(0) != resTy.getDimSize(0) ||
      inTy.getDimSize(3) != resTy.getDimSize(3))
    return op->emitOpError("batch and channels must not change");
  return success();
}

LogicalResult MaxPool2DOp::verify() {
  return verifyPool(*this, getInput().getType(), getResult().getType(),
                    getKernel(), getStride(), getPad());
}

LogicalResult AvgPool2DOp::verify() {
  return verifyPool(*this, getInput().getType(), getResult().getType(),
                    getKernel(), getStride(), getPad());
}

//===----------------------------------------------------------------------===//
// RequantizeOp
//===----------------------------------------------------------------------===//

LogicalResult RequantizeOp::verify() {
  auto inTy = getInput().getType();
  auto resTy = getResult().getType();
  auto emit = [this]() { return emitOpError(); };
  if (failed(verifyQuantizedType(inTy, "input", emit)) ||
      failed(verifyQuantizedType(resTy, "result", emit)))
    return failure();
  if (failed(verifyCompatibleShape(inTy, resTy)))
    return emitOpError("input shape ")
           << inTy << " does not match result shape " << resTy;
  auto inQ = llvm::cast<q::QuantizedType>(inTy.getElementType());
  auto resQ = llvm::cast<q::QuantizedType>(resTy.getElementType());
  auto inPA = llvm::dyn_cast<q::UniformQuantizedPerAxisType>(inQ);
  auto resPA = llvm::dyn_cast<q::UniformQuantizedPerAxisType>(resQ);
  for (auto [pa, what] : {std::make_pair(inPA, "input"),
                          std::make_pair(resPA, "result")}) {
    if (!pa)
      continue;
    int32_t axis = pa.getQuantizedDimension();
    if (axis < 0 || axis >= inTy.getRank())
      return emitOpError(what) << " quantized axis " << axis
                               << " is out of range";
    if (!inTy.isDynamicDim(axis) &&
        static_cast<int64_t>(pa.getScales().size()) != inTy.getDimSize(axis))
      return emitOpError(what)
             << " has " << pa.getScales().size() << " scales for dimension "
             << axis << " of size " << inTy.getDimSize(axis);
  }
  if (inPA && resPA &&
      inPA.getQuantizedDimension() != resPA.getQuantizedDimension())
    return emitOpError("input and result are quantized along different axes");
  return success();
}

#define GET_OP_CLASSES
std::optional<StringRef> intq::getLayerName(Location loc) {
  if (auto n = llvm::dyn_cast<NameLoc>(loc))
    return n.getName().strref();
  if (auto f = llvm::dyn_cast<FusedLoc>(loc))
    for (Location l : f.getLocations())
      if (auto r = getLayerName(l))
        return r;
  return std::nullopt;
}

LogicalResult LookupOp::verify() {
  auto inTy = getInput().getType();
  auto resTy = getResult().getType();
  auto emit = [this]() { return emitOpError(); };
  if (failed(verifyQuantizedType(inTy, "input", emit)) ||
      failed(verifyQuantizedType(resTy, "result", emit)))
    return failure();
  if (failed(verifyCompatibleShape(inTy, resTy)))
    return emitOpError("input shape ")
           << inTy << " does not match result shape " << resTy;
  auto inQ = llvm::dyn_cast<q::UniformQuantizedType>(inTy.getElementType());
  auto resQ = llvm::dyn_cast<q::UniformQuantizedType>(resTy.getElementType());
  if (!inQ || !resQ || inQ.getStorageTypeIntegralWidth() != 8 ||
      resQ.getStorageTypeIntegralWidth() != 8)
    return emitOpError("input and result must be per-tensor 8-bit quantized");
  int64_t entries = inQ.getStorageTypeMax() - inQ.getStorageTypeMin() + 1;
  auto table = getTable();
  if (!table.getElementType().isInteger(8))
    return emitOpError("table must hold i8 storage values, got ")
           << table.getType();
  if (table.getType().getRank() != 1 || table.getNumElements() != entries)
    return emitOpError("table must have ")
           << entries << " entries (one per input storage value), got "
           << table.getType();
  for (const APInt &v : table.getValues<APInt>()) {
    int64_t x = resQ.isSigned() ? v.getSExtValue() : int64_t(v.getZExtValue());
    if (x < resQ.getStorageTypeMin() || x > resQ.getStorageTypeMax())
      return emitOpError("table value ")
             << x << " is outside the result storage range ["
             << resQ.getStorageTypeMin() << ", " << resQ.getStorageTypeMax()
             << "]";
  }
  return success();
}

#include "intq/Dialect/IntQ/IntQInterfaces.cpp.inc"
#include "intq/Dialect/IntQ/IntQOps.cpp.inc"
