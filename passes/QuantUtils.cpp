//===- QuantUtils.cpp - helpers shared by the PTQ passes ------------------===//

#include "QuantUtils.h"

#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "intq/Dialect/IntQ/IntQ.h"
#include "intq/Quant/FixedPoint.h"

#include <cmath>

using namespace mlir;
using namespace intq;
namespace mq = mlir::quant;

std::optional<intq::ComputeOpInfo> intq::getComputeOpInfo(Operation *op) {
  ComputeOpInfo info;
  info.op = op;
  if (auto conv = llvm::dyn_cast<tosa::Conv2DOp>(op)) {
    info.input = conv.getInput();
    info.weights = conv.getWeight();
    info.bias = conv.getBias();
    info.weightAxis = 0;
    info.numOut = conv.getWeight().getType().getDimSize(0);
    return info;
  }
  if (auto dw = llvm::dyn_cast<tosa::DepthwiseConv2DOp>(op)) {
    auto wTy = llvm::cast<ShapedType>(dw.getWeight().getType());
    info.input = dw.getInput();
    info.weights = dw.getWeight();
    info.bias = dw.getBias();
    if (wTy.getDimSize(3) == 1)
      info.weightAxis = 2;
    info.numOut = wTy.getDimSize(2) * wTy.getDimSize(3);
    return info;
  }
  if (auto mm = llvm::dyn_cast<tosa::MatMulOp>(op)) {
    auto bTy = llvm::cast<ShapedType>(mm.getB().getType());
    info.input = mm.getA();
    info.weights = mm.getB();
    info.weightAxis = 2;
    info.numOut = bTy.getDimSize(2);
    return info;
  }
  return std::nullopt;
}

DenseFPElementsAttr intq::getConstantFloats(Value v) {
  ElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return {};
  if (auto dense = llvm::dyn_cast<DenseFPElementsAttr>(attr))
    return dense;
  // Large weights arrive as resource blobs (see intq-import-onnx). The
  // passes that read them write new constants anyway, so the values are
  // materialized once here.
  if (auto blob = llvm::dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<float>> data = blob.tryGetAsArrayRef();
    if (!data)
      return {};
    return llvm::cast<DenseFPElementsAttr>(
        DenseElementsAttr::get(blob.getType(), *data));
  }
  return {};
}

bool intq::isZeroConstant(Value v) {
  if (auto f = getConstantFloats(v))
    return llvm::all_of(f.getValues<APFloat>(),
                        [](const APFloat &x) { return x.isZero(); });
  DenseIntElementsAttr i;
  if (matchPattern(v, m_Constant(&i)))
    return llvm::all_of(i.getValues<APInt>(),
                        [](const APInt &x) { return x.isZero(); });
  return false;
}

/// Quantizes constant values at compile time: ONNX QuantizeLinear (float
/// division, ties to even, clamp) for narrow types, and the same rounding in
/// double precision for 32-bit storage (biases), where float would lose bits.
SmallVector<int64_t> intq::quantizeValues(DenseFPElementsAttr values,
                                          mq::QuantizedType qt) {
  auto shape = values.getType().getShape();
  std::optional<int32_t> axis;
  if (auto pa = llvm::dyn_cast<mq::UniformQuantizedPerAxisType>(qt))
    axis = pa.getQuantizedDimension();
  int64_t dim = axis ? shape[*axis] : 1, inner = 1;
  if (axis)
    for (size_t i = *axis + 1; i < shape.size(); ++i)
      inner *= shape[i];
  int64_t lo = qt.getStorageTypeMin(), hi = qt.getStorageTypeMax();
  bool wide = qt.getStorageTypeIntegralWidth() > 16;
  SmallVector<int64_t> out;
  out.reserve(values.getNumElements());
  int64_t i = 0;
  for (const APFloat &x : values.getValues<APFloat>()) {
    int64_t c = axis ? (i / inner) % dim : 0;
    double scale = getScale(qt, c);
    int64_t zp = getZeroPoint(qt, c);
    if (wide) {
      double r = std::nearbyint(x.convertToDouble() / scale) + double(zp);
      if (std::isnan(r))
        r = double(lo);
      out.push_back(static_cast<int64_t>(
          std::min(std::max(r, double(lo)), double(hi))));
    } else {
      out.push_back(::intq::quant::quantizeValue(
          x.convertToFloat(), static_cast<float>(scale),
          static_cast<int32_t>(zp), static_cast<int32_t>(lo),
          static_cast<int32_t>(hi)));
    }
    ++i;
  }
  return out;
}

