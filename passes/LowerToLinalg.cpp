//===- LowerToLinalg.cpp - intq ops and quant casts to integer linalg -----===//
//
// Implements --intq-lower-to-linalg: the quantized level (intq ops on
// !quant.uniform tensors) becomes integer linalg on storage-typed tensors.
// See the pass description in Passes.td and docs/ArithmeticContract.md.
//
//===----------------------------------------------------------------------===//

#include "OutputStage.h"
#include "QuantLowering.h"
#include "QuantUtils.h"

#include "intq/Passes/Passes.h"
#include "intq/Quant/FixedPoint.h"

#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/Transforms/DialectConversion.h"

namespace intq {
#define GEN_PASS_DEF_LOWERTOLINALG
#include "intq/Passes/Passes.h.inc"
} // namespace intq

using namespace mlir;
using namespace intq;
namespace mq = mlir::quant;

namespace {

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

/// Maps quantized element types to their storage integer type, everywhere.
class StorageTypeConverter : public TypeConverter {
public:
  StorageTypeConverter() {
    addConversion([](Type t) { return t; });
    addConversion(
        [](mq::QuantizedType t) -> Type { return t.getStorageType(); });
    addConversion([this](RankedTensorType t) -> Type {
      return t.clone(convertType(t.getElementType()));
    });
    addConversion([this](UnrankedTensorType t) -> Type {
      return UnrankedTensorType::get(convertType(t.getElementType()));
    });
  }
};

//===----------------------------------------------------------------------===//
// Small builders
//===----------------------------------------------------------------------===//

Value i32Const(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantOp::create(b, loc, b.getI32Type(),
                                   b.getI32IntegerAttr(static_cast<int32_t>(v)));
}

Value denseI32(OpBuilder &b, Location loc, ArrayRef<int32_t> values) {
  auto type = RankedTensorType::get({(int64_t)values.size()}, b.getI32Type());
  return arith::ConstantOp::create(b, loc,
                                   DenseIntElementsAttr::get(type, values));
}

Value zeroFilled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                 Type elemType, Value fillValue) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, elemType);
  return linalg::FillOp::create(b, loc, fillValue, empty).getResult(0);
}

/// Widens a storage scalar to i32 with the signedness of its quantized type.
Value extendToI32(OpBuilder &b, Location loc, Value v, bool isSigned) {
  if (v.getType().getIntOrFloatBitWidth() == 32)
    return v;
  if (isSigned)
    return arith::ExtSIOp::create(b, loc, b.getI32Type(), v);
  return arith::ExtUIOp::create(b, loc, b.getI32Type(), v);
}

Value truncFromI32(OpBuilder &b, Location loc, Value v, Type storage) {
  if (storage.getIntOrFloatBitWidth() == 32)
    return v;
  return arith::TruncIOp::create(b, loc, storage, v);
}



/// Builds an elementwise linalg.generic from `inputs` (all of the first
/// one's shape) to a tensor of `outElem` with that shape. `channelVectors`
/// are 1-D constants indexed by `axis` (must be set when non-empty); the
/// body receives the inputs' elements, then the channel vectors' elements.
Value buildElementwise(
    OpBuilder &b, Location loc, ValueRange inputs, Type outElem,
    std::optional<int32_t> axis, ArrayRef<Value> channelVectors,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  Value input = inputs.front();
  auto inTy = llvm::cast<RankedTensorType>(input.getType());
  int64_t rank = inTy.getRank();
  MLIRContext *ctx = b.getContext();
  AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
  SmallVector<Value> ins(inputs.begin(), inputs.end());
  SmallVector<AffineMap> maps(ins.size(), id);
  for (Value v : channelVectors) {
    ins.push_back(v);
    maps.push_back(AffineMap::get(rank, 0, getAffineDimExpr(*axis, ctx)));
  }
  maps.push_back(id);
  SmallVector<Value> dyn;
  for (int64_t i = 0; i < rank; ++i)
    if (inTy.isDynamicDim(i))
      dyn.push_back(tensor::DimOp::create(b, loc, input, i));
  Value init = tensor::EmptyOp::create(b, loc, inTy.getShape(), outElem, dyn);
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, ins, ValueRange{init}, maps,
             iters,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(nb, nloc,
                                       body(nb, nloc, args.drop_back()));
             })
      .getResult(0);
}

/// The weights of a conv / matmul as an i8 tensor. Weights whose quantized
/// type spans at most 4 bits ([-8, 7]; ternary [-1, 1] spans 2) are stored
/// packed, 2 (or 4) per byte, low bits first, and unpacked by a
/// linalg.generic when the function runs: a smaller binary, the same
/// arithmetic.
Value weightConstant(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                     mq::QuantizedType wTy, ArrayRef<int64_t> values) {
  Type i8 = b.getIntegerType(8);
  int64_t lo = wTy.getStorageTypeMin(), hi = wTy.getStorageTypeMax();
  unsigned bits = lo >= -2 && hi <= 1 ? 2 : lo >= -8 && hi <= 7 ? 4 : 8;
  if (bits == 8 || values.empty())
    return denseIntConstant(b, loc, shape, i8, values);
  int64_t n = values.size(), per = 8 / bits;
  int64_t bytes = (n + per - 1) / per;
  SmallVector<int64_t> packed(bytes, 0);
  for (int64_t i = 0; i < n; ++i) {
    uint64_t field = uint64_t(values[i]) & ((1u << bits) - 1);
    packed[i / per] |= int64_t(field << ((i % per) * bits));
  }
  for (int64_t &v : packed) // as signed bytes
    v = int8_t(uint8_t(v));
  Value src = denseIntConstant(b, loc, {bytes}, i8, packed);
  auto flatTy = RankedTensorType::get({n}, i8);
  Value init = tensor::EmptyOp::create(b, loc, flatTy.getShape(), i8);
  AffineMap id = AffineMap::getMultiDimIdentityMap(1, b.getContext());
  Value flat =
      linalg::GenericOp::create(
          b, loc, TypeRange{flatTy}, ValueRange{}, ValueRange{init},
          ArrayRef<AffineMap>{id},
          ArrayRef<utils::IteratorType>{utils::IteratorType::parallel},
          [&](OpBuilder &nb, Location nl, ValueRange) {
            Value i = linalg::IndexOp::create(nb, nl, 0);
            Value perV = arith::ConstantIndexOp::create(nb, nl, per);
            Value byteIdx = arith::DivUIOp::create(nb, nl, i, perV);
            Value slot = arith::RemUIOp::create(nb, nl, i, perV);
            Value byte = tensor::ExtractOp::create(nb, nl, src, byteIdx);
            // Move the field to the top bits, then shift it down with sign.
            Value slotI8 = arith::IndexCastOp::create(nb, nl, i8, slot);
            Value bitsV = arith::ConstantIntOp::create(nb, nl, i8, bits);
            Value top = arith::ConstantIntOp::create(nb, nl, i8, 8 - bits);
            Value shift = arith::SubIOp::create(
                nb, nl, top, arith::MulIOp::create(nb, nl, slotI8, bitsV));
            Value up = arith::ShLIOp::create(nb, nl, byte, shift);
            Value v = arith::ShRSIOp::create(nb, nl, up, top);
            linalg::YieldOp::create(nb, nl, v);
          })
          .getResult(0);
  ReassociationIndices all;
  for (size_t d = 0; d < shape.size(); ++d)
    all.push_back(d);
  return tensor::ExpandShapeOp::create(b, loc,
                                       RankedTensorType::get(shape, i8), flat,
                                       ArrayRef<ReassociationIndices>{all});
}

//===----------------------------------------------------------------------===//
// The output stage
//===----------------------------------------------------------------------===//

/// Emits the fused epilogue over an i32 (or, when `st.wide`, i64)
/// accumulator whose last dimension is the output channel: add the folded
/// bias, requantize per channel, add the output zero point, clamp, narrow to
/// `storage`.
Value buildOutputStage(OpBuilder &b, Location loc, Value acc,
                       const OutputStage &st, Type storage) {
  auto accTy = llvm::cast<RankedTensorType>(acc.getType());
  int64_t rank = accTy.getRank();
  MLIRContext *ctx = b.getContext();
  AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
  AffineMap chan = AffineMap::get(rank, 0, getAffineDimExpr(rank - 1, ctx));

  Value bias;
  if (st.wide) {
    auto type = RankedTensorType::get({(int64_t)st.bias.size()}, b.getI64Type());
    bias = arith::ConstantOp::create(b, loc,
                                     DenseIntElementsAttr::get(type, st.bias));
  } else {
    SmallVector<int32_t> narrow(st.bias.begin(), st.bias.end());
    bias = denseI32(b, loc, narrow);
  }
  SmallVector<Value> ins = {acc, bias, denseI32(b, loc, st.multiplier),
                            denseI32(b, loc, st.rightShift)};
  if (st.needLeftShift)
    ins.push_back(denseI32(b, loc, st.leftShift));
  SmallVector<AffineMap> maps(ins.size(), chan);
  maps[0] = id;
  maps.push_back(id);
  Value init = tensor::EmptyOp::create(b, loc, accTy.getShape(), storage);
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ins, ValueRange{init}, maps, iters,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value x = arith::AddIOp::create(nb, nloc, args[0], args[1]);
        RequantParams p;
        p.multiplier = args[2];
        p.rightShift = args[3];
        p.leftShift = st.needLeftShift ? args[4] : Value();
        p.zeroPoint = i32Const(nb, nloc, st.zeroPoint);
        p.lo = i32Const(nb, nloc, st.lo);
        p.hi = i32Const(nb, nloc, st.hi);
        p.singleRound = st.singleRound;
        Value r = st.wide ? buildRequantizeWide(nb, nloc, x, p)
                          : buildRequantize(nb, nloc, x, p);
        linalg::YieldOp::create(nb, nloc, truncFromI32(nb, nloc, r, storage));
      });
  return generic.getResult(0);
}

//===----------------------------------------------------------------------===//
// intq.qconst, intq.stats
//===----------------------------------------------------------------------===//

struct QConstLowering : OpConversionPattern<QConstOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(QConstOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, op.getValueAttr());
    return success();
  }
};

struct StatsLowering : OpConversionPattern<StatsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(StatsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// intq.conv2d
//===----------------------------------------------------------------------===//

DenseIntElementsAttr i64x2(OpBuilder &b, ArrayRef<int64_t> v) {
  return DenseIntElementsAttr::get(
      RankedTensorType::get({2}, b.getI64Type()), v);
}

struct Conv2DLowering : OpConversionPattern<Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto co = getComputeOperands(op, op.getInput(), op.getWeights(),
                                 op.getBias(), op.getResult());
    if (failed(co))
      return failure();
    Location loc = op.getLoc();
    auto inShape = op.getInput().getType().getShape();
    auto wShape = op.getWeights().getType().getShape();
    auto outShape = op.getResult().getType().getShape();
    int64_t n = inShape[0], h = inShape[1], w = inShape[2], c = inShape[3];
    int64_t o = wShape[0], kh = wShape[1], kw = wShape[2], cg = wShape[3];
    int64_t oh = outShape[1], ow = outShape[2];
    int64_t groups = op.getGroups();
    ArrayRef<int64_t> pad = op.getPad();
    auto st = computeOutputStage(op, *co, o, toDouble(op.getClampMin()),
                                 toDouble(op.getClampMax()));
    if (failed(st))
      return failure();
    // Input storage as the integer ops read it (uint8 flipped to int8).
    Type inElem = co->inTy.getStorageType();
    Type accTy = rewriter.getIntegerType(st->wide ? 64 : 32);

    // Pad with the input zero point (real 0).
    Value input = adaptor.getInput();
    if (co->unsignedInput)
      input = flipSignBit(rewriter, loc, input);
    int64_t ph = h + pad[0] + pad[1], pw = w + pad[2] + pad[3];
    if (llvm::any_of(pad, [](int64_t p) { return p != 0; })) {
      Value zp = arith::ConstantOp::create(
          rewriter, loc, inElem, rewriter.getIntegerAttr(inElem, co->zIn));
      Value filled = zeroFilled(rewriter, loc, {n, ph, pw, c}, inElem, zp);
      SmallVector<OpFoldResult> offsets = {
          rewriter.getIndexAttr(0), rewriter.getIndexAttr(pad[0]),
          rewriter.getIndexAttr(pad[2]), rewriter.getIndexAttr(0)};
      SmallVector<OpFoldResult> sizes = {
          rewriter.getIndexAttr(n), rewriter.getIndexAttr(h),
          rewriter.getIndexAttr(w), rewriter.getIndexAttr(c)};
      SmallVector<OpFoldResult> strides(4, rewriter.getIndexAttr(1));
      input = tensor::InsertSliceOp::create(rewriter, loc, input, filled,
                                            offsets, sizes, strides);
    }

    Value zero = arith::ConstantOp::create(rewriter, loc, accTy,
                                           rewriter.getIntegerAttr(accTy, 0));
    auto strides = i64x2(rewriter, op.getStride());
    auto dilations = i64x2(rewriter, op.getDilation());
    Value acc;
    if (groups == 1) {
      Value wt = weightConstant(rewriter, loc, wShape, co->wTy, co->weights);
      Value init = zeroFilled(rewriter, loc, {n, oh, ow, o}, accTy, zero);
      acc = linalg::Conv2DNhwcFhwcOp::create(
                rewriter, loc, TypeRange{init.getType()}, ValueRange{input, wt},
                ValueRange{init}, strides, dilations)
                .getResult(0);
    } else if (cg == 1 && groups == c) {
      // Depthwise: o = ch * mult + m; weights to H x W x C x M.
      int64_t mult = o / c;
      SmallVector<int64_t> hwcm(kh * kw * c * mult);
      for (int64_t ch = 0; ch < c; ++ch)
        for (int64_t m = 0; m < mult; ++m)
          for (int64_t y = 0; y < kh; ++y)
            for (int64_t x = 0; x < kw; ++x)
              hwcm[((y * kw + x) * c + ch) * mult + m] =
                  co->weights[((ch * mult + m) * kh + y) * kw + x];
      Value wt =
          weightConstant(rewriter, loc, {kh, kw, c, mult}, co->wTy, hwcm);
      Value init =
          zeroFilled(rewriter, loc, {n, oh, ow, c, mult}, accTy, zero);
      Value dw = linalg::DepthwiseConv2DNhwcHwcmOp::create(
                     rewriter, loc, TypeRange{init.getType()},
                     ValueRange{input, wt}, ValueRange{init}, strides,
                     dilations)
                     .getResult(0);
      acc = tensor::CollapseShapeOp::create(
          rewriter, loc, dw,
          ArrayRef<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
    } else {
      // Grouped: N x H x W x (G*Cg) -> N x H x W x G x Cg; weights are
      // (G*F) x KH x KW x Cg = G x F x KH x KW x Cg in memory.
      int64_t f = o / groups;
      Value in5 = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get({n, ph, pw, groups, cg}, inElem),
          input, ArrayRef<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
      Value wt = weightConstant(rewriter, loc, {groups, f, kh, kw, cg},
                                co->wTy, co->weights);
      Value init =
          zeroFilled(rewriter, loc, {n, oh, ow, groups, f}, accTy, zero);
      Value g = linalg::Conv2DNhwgcGfhwcOp::create(
                    rewriter, loc, TypeRange{init.getType()},
                    ValueRange{in5, wt}, ValueRange{init}, strides, dilations)
                    .getResult(0);
      acc = tensor::CollapseShapeOp::create(
          rewriter, loc, g,
          ArrayRef<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
    }
    Type storage = co->outTy.getStorageType();
    rewriter.replaceOp(op, buildOutputStage(rewriter, loc, acc, *st, storage));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// intq.matmul
//===----------------------------------------------------------------------===//

struct MatMulLowering : OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto co = getComputeOperands(op, op.getLhs(), op.getWeights(), op.getBias(),
                                 op.getResult());
    if (failed(co))
      return failure();
    Location loc = op.getLoc();
    auto lhsShape = op.getLhs().getType().getShape();
    auto wShape = op.getWeights().getType().getShape();
    int64_t nOut = wShape[0];

    auto st = computeOutputStage(op, *co, nOut, toDouble(op.getClampMin()),
                                 toDouble(op.getClampMax()));
    if (failed(st))
      return failure();
    Type accTy = rewriter.getIntegerType(st->wide ? 64 : 32);

    Value lhs = adaptor.getLhs();
    if (co->unsignedInput)
      lhs = flipSignBit(rewriter, loc, lhs);
    bool batched = lhsShape.size() == 3;
    int64_t m = batched ? lhsShape[0] * lhsShape[1] : lhsShape[0];
    if (batched)
      lhs = tensor::CollapseShapeOp::create(
          rewriter, loc, lhs, ArrayRef<ReassociationIndices>{{0, 1}, {2}});
    Value wt = weightConstant(rewriter, loc, wShape, co->wTy, co->weights);
    Value init = zeroFilled(
        rewriter, loc, {m, nOut}, accTy,
        arith::ConstantOp::create(rewriter, loc, accTy,
                                  rewriter.getIntegerAttr(accTy, 0)));
    MLIRContext *ctx = rewriter.getContext();
    AffineExpr d0, d1, d2;
    bindDims(ctx, d0, d1, d2);
    SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {d0, d2}, ctx),
                                   AffineMap::get(3, 0, {d1, d2}, ctx),
                                   AffineMap::get(3, 0, {d0, d1}, ctx)};
    SmallVector<utils::IteratorType> iters = {utils::IteratorType::parallel,
                                              utils::IteratorType::parallel,
                                              utils::IteratorType::reduction};
    Value acc =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{init.getType()}, ValueRange{lhs, wt},
            ValueRange{init}, maps, iters,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value a = arith::ExtSIOp::create(b, l, accTy, args[0]);
              Value w = arith::ExtSIOp::create(b, l, accTy, args[1]);
              Value p = arith::MulIOp::create(b, l, a, w);
              linalg::YieldOp::create(b, l,
                                      ValueRange{arith::AddIOp::create(
                                          b, l, args[2], p)});
            })
            .getResult(0);
    Type storage = co->outTy.getStorageType();
    Value out = buildOutputStage(rewriter, loc, acc, *st, storage);
    if (batched)
      out = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get({lhsShape[0], lhsShape[1], nOut}, storage), out,
          ArrayRef<ReassociationIndices>{{0, 1}, {2}});
    rewriter.replaceOp(op, out);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Elementwise: intq.requantize, quant.qcast, quant.dcast
//===----------------------------------------------------------------------===//

/// Per-element quantization parameters of a tensor type: scalars for a
/// per-tensor type, the quantized axis and per-channel vectors otherwise.
struct ElementParams {
  std::optional<int32_t> axis;
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
};

ElementParams getElementParams(mq::QuantizedType t) {
  ElementParams p;
  if (auto pt = llvm::dyn_cast<mq::UniformQuantizedType>(t)) {
    p.scales.push_back(pt.getScale());
    p.zeroPoints.push_back(pt.getZeroPoint());
  } else {
    auto pa = llvm::cast<mq::UniformQuantizedPerAxisType>(t);
    p.axis = pa.getQuantizedDimension();
    p.scales.assign(pa.getScales().begin(), pa.getScales().end());
    p.zeroPoints.assign(pa.getZeroPoints().begin(), pa.getZeroPoints().end());
  }
  return p;
}


Value denseF32(OpBuilder &b, Location loc, ArrayRef<float> values) {
  auto type = RankedTensorType::get({(int64_t)values.size()}, b.getF32Type());
  return arith::ConstantOp::create(b, loc,
                                   DenseFPElementsAttr::get(type, values));
}

struct QuantizeCastLowering : OpConversionPattern<mq::QuantizeCastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mq::QuantizeCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resTy = llvm::dyn_cast<RankedTensorType>(op.getResult().getType());
    if (!resTy)
      return rewriter.notifyMatchFailure(op, "only ranked tensors");
    auto qt = llvm::cast<mq::QuantizedType>(resTy.getElementType());
    if (!llvm::isa<mq::UniformQuantizedType, mq::UniformQuantizedPerAxisType>(
            qt))
      return op.emitOpError("only uniform quantized types can be lowered");
    auto inElem = resTy.getElementType();
    (void)inElem;
    if (!llvm::isa<Float32Type>(getElementTypeOrSelf(op.getInput().getType())))
      return op.emitOpError("lowering supports f32 expressed values only");
    ElementParams p = getElementParams(qt);
    Location loc = op.getLoc();
    Type storage = qt.getStorageType();
    bool isSigned = qt.isSigned();
    // A constant is quantized at compile time.
    if (DenseFPElementsAttr values = getConstantFloats(op.getInput())) {
      rewriter.replaceOp(op, denseIntConstant(rewriter, loc, resTy.getShape(),
                                             storage,
                                             quantizeValues(values, qt)));
      return success();
    }
    float qmin = static_cast<float>(qt.getStorageTypeMin());
    float qmax = static_cast<float>(qt.getStorageTypeMax());
    SmallVector<float> scales, zps;
    for (auto [s, z] : llvm::zip(p.scales, p.zeroPoints)) {
      scales.push_back(static_cast<float>(s));
      zps.push_back(static_cast<float>(z));
    }
    SmallVector<Value> vecs;
    if (p.axis)
      vecs = {denseF32(rewriter, loc, scales), denseF32(rewriter, loc, zps)};
    Value out = buildElementwise(
        rewriter, loc, adaptor.getInput(), storage, p.axis, vecs,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Type f32 = b.getF32Type();
          auto fc = [&](float v) -> Value {
            return arith::ConstantOp::create(b, l, f32, b.getF32FloatAttr(v));
          };
          Value s = p.axis ? args[1] : fc(scales[0]);
          Value z = p.axis ? args[2] : fc(zps[0]);
          Value i = buildQuantizeF32(b, l, args[0], s, z, qmin, qmax);
          (void)isSigned;
          return truncFromI32(b, l, i, storage);
        });
    rewriter.replaceOp(op, out);
    return success();
  }
};

struct DequantizeCastLowering : OpConversionPattern<mq::DequantizeCastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mq::DequantizeCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inTy = llvm::dyn_cast<RankedTensorType>(op.getInput().getType());
    if (!inTy)
      return rewriter.notifyMatchFailure(op, "only ranked tensors");
    auto qt = llvm::cast<mq::QuantizedType>(inTy.getElementType());
    if (!llvm::isa<mq::UniformQuantizedType, mq::UniformQuantizedPerAxisType>(
            qt))
      return op.emitOpError("only uniform quantized types can be lowered");
    if (!llvm::isa<Float32Type>(getElementTypeOrSelf(op.getResult().getType())))
      return op.emitOpError("lowering supports f32 expressed values only");
    ElementParams p = getElementParams(qt);
    Location loc = op.getLoc();
    bool isSigned = qt.isSigned();
    SmallVector<float> scales;
    SmallVector<int32_t> zps;
    for (auto [s, z] : llvm::zip(p.scales, p.zeroPoints)) {
      scales.push_back(static_cast<float>(s));
      zps.push_back(static_cast<int32_t>(z));
    }
    SmallVector<Value> vecs;
    if (p.axis)
      vecs = {denseF32(rewriter, loc, scales), denseI32(rewriter, loc, zps)};
    Value out = buildElementwise(
        rewriter, loc, adaptor.getInput(), rewriter.getF32Type(), p.axis, vecs,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Type f32 = b.getF32Type();
          Value s = p.axis ? args[1]
                           : arith::ConstantOp::create(
                                 b, l, f32, b.getF32FloatAttr(scales[0]));
          Value z = p.axis ? args[2] : i32Const(b, l, zps[0]);
          Value q = extendToI32(b, l, args[0], isSigned);
          Value d = arith::SubIOp::create(b, l, q, z);
          Value f = arith::SIToFPOp::create(b, l, f32, d);
          return arith::MulFOp::create(b, l, f, s);
        });
    rewriter.replaceOp(op, out);
    return success();
  }
};

struct StorageCastLowering : OpConversionPattern<mq::StorageCastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mq::StorageCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type target = getTypeConverter()->convertType(op.getResult().getType());
    if (adaptor.getInput().getType() != target)
      return op.emitOpError("storage cast between different storage types");
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

struct RequantizeLowering : OpConversionPattern<RequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inQ = llvm::cast<mq::QuantizedType>(
        op.getInput().getType().getElementType());
    auto outQ = llvm::cast<mq::QuantizedType>(
        op.getResult().getType().getElementType());
    ElementParams pin = getElementParams(inQ), pout = getElementParams(outQ);
    std::optional<int32_t> axis = pin.axis ? pin.axis : pout.axis;
    int64_t channels =
        axis ? op.getInput().getType().getDimSize(*axis) : 1;
    if (ShapedType::isDynamic(channels))
      return op.emitOpError("lowering requires a static quantized dimension");
    SmallVector<int32_t> zin, zout, mult, left, right;
    bool needLeft = false;
    for (int64_t c = 0; c < channels; ++c) {
      size_t ci = pin.axis ? c : 0, co = pout.axis ? c : 0;
      double m = pin.scales[ci] / pout.scales[co];
      auto qm = ::intq::quant::quantizeMultiplier(m);
      if (!qm)
        return op.emitOpError("scale ratio ")
               << m << " cannot be represented as a fixed-point multiplier";
      zin.push_back(pin.zeroPoints[ci]);
      zout.push_back(pout.zeroPoints[co]);
      mult.push_back(qm->multiplier);
      left.push_back(qm->leftShift());
      right.push_back(qm->rightShift());
      needLeft |= qm->leftShift() > 0;
    }
    Location loc = op.getLoc();
    SmallVector<Value> vecs;
    if (axis)
      vecs = {denseI32(rewriter, loc, zin), denseI32(rewriter, loc, zout),
              denseI32(rewriter, loc, mult), denseI32(rewriter, loc, left),
              denseI32(rewriter, loc, right)};
    Type storage = outQ.getStorageType();
    int64_t lo = outQ.getStorageTypeMin(), hi = outQ.getStorageTypeMax();
    bool inSigned = inQ.isSigned();
    Value out = buildElementwise(
        rewriter, loc, adaptor.getInput(), storage, axis, vecs,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          auto pick = [&](unsigned i, int32_t scalar) -> Value {
            return axis ? args[i] : i32Const(b, l, scalar);
          };
          Value x = extendToI32(b, l, args[0], inSigned);
          x = arith::SubIOp::create(b, l, x, pick(1, zin[0]));
          RequantParams p;
          p.zeroPoint = pick(2, zout[0]);
          p.multiplier = pick(3, mult[0]);
          p.leftShift = needLeft ? pick(4, left[0]) : Value();
          p.rightShift = pick(5, right[0]);
          p.lo = i32Const(b, l, lo);
          p.hi = i32Const(b, l, hi);
          return truncFromI32(b, l, buildRequantize(b, l, x, p), storage);
        });
    rewriter.replaceOp(op, out);
    return success();
  }
};

/// intq.add with the TFLite reference arithmetic: both offsets shifted left
/// by 28 - w bits (w = the wider input storage: 20 for 8-bit, 12 for 16-bit
/// inputs, so |q - Z| << shift < 2^28) and rescaled to 2 max(S_a, S_b),
/// added, then requantized.
struct AddLowering : OpConversionPattern<AddOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AddOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto aQ = llvm::cast<mq::UniformQuantizedType>(
        op.getLhs().getType().getElementType());
    auto bQ = llvm::cast<mq::UniformQuantizedType>(
        op.getRhs().getType().getElementType());
    auto oQ = llvm::cast<mq::UniformQuantizedType>(
        op.getResult().getType().getElementType());
    auto r = getAddRescale(aQ, bQ, oQ, toDouble(op.getClampMin()),
                           toDouble(op.getClampMax()));
    if (!r)
      return op.emitOpError("scales cannot be represented as fixed-point "
                            "multipliers");
    Location loc = op.getLoc();
    Type storage = oQ.getStorageType();
    Value out = buildElementwise(
        rewriter, loc, ValueRange{adaptor.getLhs(), adaptor.getRhs()}, storage,
        std::nullopt, {}, [&](OpBuilder &b, Location l, ValueRange args) {
          Value sum = buildAdd(b, l, extendToI32(b, l, args[0], aQ.isSigned()),
                               extendToI32(b, l, args[1], bQ.isSigned()), *r,
                               /*vectorForm=*/false);
          return truncFromI32(b, l, sum, storage);
        });
    rewriter.replaceOp(op, out);
    return success();
  }
};

/// intq.mul: (a - Za)(b - Zb) in i32 for 8-bit inputs (|.| <= 2^16), in i64
/// with the wide output stage when an input is 16-bit, requantized by
/// Sa Sb / So.
struct MulLowering : OpConversionPattern<MulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto aQ = llvm::cast<mq::UniformQuantizedType>(
        op.getLhs().getType().getElementType());
    auto bQ = llvm::cast<mq::UniformQuantizedType>(
        op.getRhs().getType().getElementType());
    auto oQ = llvm::cast<mq::UniformQuantizedType>(
        op.getResult().getType().getElementType());
    auto m = ::intq::quant::quantizeMultiplier(aQ.getScale() * bQ.getScale() /
                                               oQ.getScale());
    if (!m)
      return op.emitOpError("scale ratio cannot be represented as a "
                            "fixed-point multiplier");
    Location loc = op.getLoc();
    Type storage = oQ.getStorageType();
    bool wide = std::max(aQ.getStorageTypeIntegralWidth(),
                         bQ.getStorageTypeIntegralWidth()) > 8;
    Value out = buildElementwise(
        rewriter, loc, ValueRange{adaptor.getLhs(), adaptor.getRhs()}, storage,
        std::nullopt, {}, [&](OpBuilder &b, Location l, ValueRange args) {
          auto offset = [&](Value q, mq::UniformQuantizedType t) -> Value {
            Value x = extendToI32(b, l, q, t.isSigned());
            x = arith::SubIOp::create(b, l, x,
                                      i32Const(b, l, t.getZeroPoint()));
            return wide ? arith::ExtSIOp::create(b, l, b.getI64Type(), x) : x;
          };
          Value prod = arith::MulIOp::create(b, l, offset(args[0], aQ),
                                             offset(args[1], bQ));
          RequantParams p;
          p.multiplier = i32Const(b, l, m->multiplier);
          p.leftShift = m->leftShift() ? i32Const(b, l, m->leftShift()) : Value();
          p.rightShift = i32Const(b, l, m->rightShift());
          p.zeroPoint = i32Const(b, l, oQ.getZeroPoint());
          p.lo = i32Const(b, l, oQ.getStorageTypeMin());
          p.hi = i32Const(b, l, oQ.getStorageTypeMax());
          Value r = wide ? buildRequantizeWide(b, l, prod, p)
                         : buildRequantize(b, l, prod, p);
          return truncFromI32(b, l, r, storage);
        });
    rewriter.replaceOp(op, out);
    return success();
  }
};

/// Pads an NHWC storage tensor with `value` (a no-op without padding).
Value padNHWC(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> pad,
              Value value) {
  if (llvm::all_of(pad, [](int64_t p) { return p == 0; }))
    return input;
  auto ty = llvm::cast<RankedTensorType>(input.getType());
  auto s = ty.getShape();
  Value filled = zeroFilled(
      b, loc, {s[0], s[1] + pad[0] + pad[1], s[2] + pad[2] + pad[3], s[3]},
      ty.getElementType(), value);
  SmallVector<OpFoldResult> offsets = {b.getIndexAttr(0),
                                       b.getIndexAttr(pad[0]),
                                       b.getIndexAttr(pad[2]),
                                       b.getIndexAttr(0)};
  SmallVector<OpFoldResult> sizes, strides(4, b.getIndexAttr(1));
  for (int64_t d : s)
    sizes.push_back(b.getIndexAttr(d));
  return tensor::InsertSliceOp::create(b, loc, input, filled, offsets, sizes,
                                       strides);
}

struct MaxPoolLowering : OpConversionPattern<MaxPool2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto qt = llvm::cast<mq::UniformQuantizedType>(
        op.getInput().getType().getElementType());
    if (!op.getResult().getType().hasStaticShape())
      return op.emitOpError("lowering requires static shapes");
    Location loc = op.getLoc();
    Type storage = qt.getStorageType();
    Value lowest = arith::ConstantOp::create(
        rewriter, loc, storage,
        rewriter.getIntegerAttr(storage, qt.getStorageTypeMin()));
    Value in = padNHWC(rewriter, loc, adaptor.getInput(), op.getPad(), lowest);
    auto outShape = op.getResult().getType().getShape();
    Value init = zeroFilled(rewriter, loc, outShape, storage, lowest);
    Value window = tensor::EmptyOp::create(rewriter, loc, op.getKernel(),
                                           storage);
    auto strides = i64x2(rewriter, op.getStride());
    auto dilations = i64x2(rewriter, {1, 1});
    Value r;
    if (qt.isSigned())
      r = linalg::PoolingNhwcMaxOp::create(
              rewriter, loc, TypeRange{init.getType()}, ValueRange{in, window},
              ValueRange{init}, strides, dilations)
              .getResult(0);
    else
      r = linalg::PoolingNhwcMaxUnsignedOp::create(
              rewriter, loc, TypeRange{init.getType()}, ValueRange{in, window},
              ValueRange{init}, strides, dilations)
              .getResult(0);
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct AvgPoolLowering : OpConversionPattern<AvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto qt = llvm::cast<mq::UniformQuantizedType>(
        op.getInput().getType().getElementType());
    auto inTy = op.getInput().getType();
    auto outTy = op.getResult().getType();
    if (!inTy.hasStaticShape() || !outTy.hasStaticShape())
      return op.emitOpError("lowering requires static shapes");
    Location loc = op.getLoc();
    Type i32 = rewriter.getI32Type();
    Type storage = qt.getStorageType();
    int64_t zp = qt.getZeroPoint();
    ArrayRef<int64_t> k = op.getKernel(), st = op.getStride(),
                      pad = op.getPad();
    // Offsets q - Z in i32, padded with 0 (real 0, and not counted).
    Value offsets = buildElementwise(
        rewriter, loc, adaptor.getInput(), i32, std::nullopt, {},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          return arith::SubIOp::create(
              b, l, extendToI32(b, l, args[0], qt.isSigned()),
              i32Const(b, l, zp));
        });
    Value padded = padNHWC(rewriter, loc, offsets, pad,
                           i32Const(rewriter, loc, 0));
    Value init = zeroFilled(rewriter, loc, outTy.getShape(), i32,
                            i32Const(rewriter, loc, 0));
    Value window = tensor::EmptyOp::create(rewriter, loc, k, i32);
    Value sum = linalg::PoolingNhwcSumOp::create(
                    rewriter, loc, TypeRange{init.getType()},
                    ValueRange{padded, window}, ValueRange{init},
                    i64x2(rewriter, st), i64x2(rewriter, {1, 1}))
                    .getResult(0);
    // Window positions inside the input, per output position.
    int64_t oh = outTy.getDimSize(1), ow = outTy.getDimSize(2);
    int64_t h = inTy.getDimSize(1), w = inTy.getDimSize(2);
    auto inside = [](int64_t o, int64_t s, int64_t p, int64_t kk, int64_t n) {
      int64_t start = o * s - p;
      return std::max<int64_t>(0, std::min(start + kk, n) -
                                      std::max<int64_t>(start, 0));
    };
    SmallVector<int32_t> counts;
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x)
        counts.push_back(int32_t(inside(y, st[0], pad[0], k[0], h) *
                                 inside(x, st[1], pad[2], k[1], w)));
    auto countTy = RankedTensorType::get({oh, ow}, i32);
    Value countT = arith::ConstantOp::create(
        rewriter, loc, DenseIntElementsAttr::get(countTy, counts));
    MLIRContext *ctx = getContext();
    AffineMap id = AffineMap::getMultiDimIdentityMap(4, ctx);
    AffineMap hw = AffineMap::get(4, 0, {getAffineDimExpr(1, ctx),
                                         getAffineDimExpr(2, ctx)},
                                  ctx);
    Value outInit =
        tensor::EmptyOp::create(rewriter, loc, outTy.getShape(), storage);
    SmallVector<utils::IteratorType> iters(4, utils::IteratorType::parallel);
    int64_t lo = qt.getStorageTypeMin(), hi = qt.getStorageTypeMax();
    Value out =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{outInit.getType()},
            ValueRange{sum, countT}, ValueRange{outInit},
            ArrayRef<AffineMap>{id, hw, id}, iters,
            [&](OpBuilder &b, Location l, ValueRange args) {
              // Divide rounding to nearest, ties away from zero.
              Value s = args[0], c = args[1];
              Value half = arith::ShRSIOp::create(b, l, c, i32Const(b, l, 1));
              Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt,
                                                s, i32Const(b, l, 0));
              Value bias = arith::SelectOp::create(
                  b, l, neg, arith::SubIOp::create(b, l, i32Const(b, l, 0), half),
                  half);
              Value q = arith::DivSIOp::create(
                  b, l, arith::AddIOp::create(b, l, s, bias), c);
              q = arith::AddIOp::create(b, l, q, i32Const(b, l, zp));
              q = arith::MaxSIOp::create(b, l, q, i32Const(b, l, lo));
              q = arith::MinSIOp::create(b, l, q, i32Const(b, l, hi));
              linalg::YieldOp::create(b, l,
                                      ValueRange{truncFromI32(b, l, q, storage)});
            })
            .getResult(0);
    rewriter.replaceOp(op, out);
    return success();
  }
};

/// Reshapes of quantized tensors become reshapes of their storage.
struct CollapseShapeLowering : OpConversionPattern<tensor::CollapseShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tensor::CollapseShapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = llvm::cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getResultType()));
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
        op, type, adaptor.getSrc(), op.getReassociationIndices());
    return success();
  }
};

/// intq.lookup: one table read per element, indexed by the input storage
/// value minus its minimum.
struct LookupLowering : OpConversionPattern<LookupOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LookupOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inQ = llvm::cast<mq::UniformQuantizedType>(
        op.getInput().getType().getElementType());
    auto type = llvm::cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getResult().getType()));
    Value table = arith::ConstantOp::create(rewriter, loc, op.getTable());
    bool isSigned = inQ.isSigned();
    int64_t qmin = inQ.getStorageTypeMin();
    Value result = buildElementwise(
        rewriter, loc, adaptor.getInput(), type.getElementType(), std::nullopt,
        {}, [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value x = extendToI32(b, l, args[0], isSigned);
          Value idx = arith::SubIOp::create(b, l, x, i32Const(b, l, qmin));
          Value index =
              arith::IndexCastOp::create(b, l, b.getIndexType(), idx);
          return tensor::ExtractOp::create(b, l, table, index);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Concatenation of quantized values with one type: of their storage.
struct ConcatLowering : OpConversionPattern<tensor::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tensor::ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = llvm::cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getResultType()));
    rewriter.replaceOpWithNewOp<tensor::ConcatOp>(op, type, op.getDim(),
                                                  adaptor.getInputs());
    return success();
  }
};

struct ExpandShapeLowering : OpConversionPattern<tensor::ExpandShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tensor::ExpandShapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = llvm::cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getResultType()));
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, type, adaptor.getSrc(), op.getReassociationIndices(),
        op.getMixedOutputShape());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

/// Checks up front that an op can be lowered, so that the user sees the one
/// precise diagnostic rather than a generic "failed to legalize" after it.
LogicalResult checkLowerable(Operation *op) {
  Value input, weights, bias, result;
  std::optional<double> lo, hi;
  if (auto conv = llvm::dyn_cast<Conv2DOp>(op)) {
    input = conv.getInput(), weights = conv.getWeights();
    bias = conv.getBias(), result = conv.getResult();
    lo = toDouble(conv.getClampMin()), hi = toDouble(conv.getClampMax());
  } else if (auto mm = llvm::dyn_cast<MatMulOp>(op)) {
    input = mm.getLhs(), weights = mm.getWeights();
    bias = mm.getBias(), result = mm.getResult();
    lo = toDouble(mm.getClampMin()), hi = toDouble(mm.getClampMax());
  } else if (auto rq = llvm::dyn_cast<RequantizeOp>(op)) {
    auto inQ = llvm::cast<mq::QuantizedType>(
        rq.getInput().getType().getElementType());
    auto outQ = llvm::cast<mq::QuantizedType>(
        rq.getResult().getType().getElementType());
    ElementParams pin = getElementParams(inQ), pout = getElementParams(outQ);
    size_t n = std::max(pin.scales.size(), pout.scales.size());
    for (size_t c = 0; c < n; ++c) {
      double m = pin.scales[pin.axis ? c : 0] / pout.scales[pout.axis ? c : 0];
      if (!::intq::quant::quantizeMultiplier(m))
        return op->emitOpError("scale ratio ")
               << m << " cannot be represented as a fixed-point multiplier";
    }
    return success();
  } else if (auto avg = llvm::dyn_cast<AvgPool2DOp>(op)) {
    // The window sum of q - Z is an i32: prove it cannot overflow.
    auto qt = llvm::cast<mq::UniformQuantizedType>(
        avg.getInput().getType().getElementType());
    int64_t span = qt.getStorageTypeMax() - qt.getStorageTypeMin();
    int64_t window = avg.getKernel()[0] * avg.getKernel()[1];
    if (span * window > INT32_MAX)
      return op->emitOpError("window of ")
             << window << " elements of " << qt.getStorageType()
             << " could overflow the int32 window sum";
    return success();
  } else {
    return success();
  }
  auto co = getComputeOperands(op, input, weights, bias, result);
  if (failed(co))
    return failure();
  int64_t numOut = llvm::cast<ShapedType>(weights.getType()).getDimSize(0);
  return computeOutputStage(op, *co, numOut, lo, hi);
}

struct LowerToLinalgPass
    : public intq::impl::LowerToLinalgBase<LowerToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    bool lowerable = true;
    getOperation().walk([&](Operation *op) {
      if (op->getDialect() && llvm::isa<IntQDialect>(op->getDialect()))
        lowerable &= succeeded(checkLowerable(op));
      if (auto qcast = llvm::dyn_cast<mq::QuantizeCastOp>(op)) {
        auto qt = llvm::dyn_cast<mq::QuantizedType>(
            getElementTypeOrSelf(qcast.getResult().getType()));
        if (qt && qt.getStorageTypeIntegralWidth() > 16 &&
            !getConstantFloats(qcast.getInput())) {
          qcast.emitOpError("lowering supports quantizing to storage of at "
                            "most 16 bits at run time, got ")
              << qt.getStorageType()
              << " (quantize constants at compile time with --intq-quantize)";
          lowerable = false;
        }
      }
    });
    if (!lowerable)
      return signalPassFailure();
    StorageTypeConverter converter;
    ConversionTarget target(*ctx);
    target.addIllegalDialect<IntQDialect>();
    // Target micro-ops of --intq-codegen kernels stay until
    // --intq-lower-target-ops.
    target.addLegalOp<X86VpdpbusdOp, X86VpdpwssdOp, X86VpmaddwdOp,
                      X86VpmaddubswOp, X86PackBytesOp,
                      Arm64SdotOp, Arm64SmmlaOp,
                      Arm64SqrdmulhOp, Arm64SqdmulhOp, Arm64SrshlOp>();
    target.addIllegalOp<mq::QuantizeCastOp, mq::DequantizeCastOp,
                        mq::StorageCastOp>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp f) {
      return converter.isSignatureLegal(f.getFunctionType()) &&
             converter.isLegal(&f.getBody());
    });
    target.markUnknownOpDynamicallyLegal(
        [&](Operation *op) { return converter.isLegal(op); });

    RewritePatternSet patterns(ctx);
    patterns.add<QConstLowering, StatsLowering, Conv2DLowering,
                 MatMulLowering, RequantizeLowering, QuantizeCastLowering,
                 DequantizeCastLowering, StorageCastLowering,
                 CollapseShapeLowering, ExpandShapeLowering, ConcatLowering,
                 LookupLowering, MulLowering,
                 AddLowering,
                 MaxPoolLowering, AvgPoolLowering>(
        converter, ctx);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    // Never fold: upstream folds quant.dcast(quant.qcast(x)) to x, which
    // would silently drop the quantization being lowered.
    ConversionConfig config;
    config.foldingMode = DialectConversionFoldingMode::Never;
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
