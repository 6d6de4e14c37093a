//===- QuantUtils.cpp - helpers shared by the PTQ passes ------------------===//

#include "QuantUtils.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

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
  DenseFPElementsAttr attr;
  if (matchPattern(v, m_Constant(&attr)))
    return attr;
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
