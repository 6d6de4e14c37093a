//===- AssignScales.cpp - choose quantization parameters ------------------===//
//
// Implements --intq-assign-scales (see Passes.td): float TOSA with range
// annotations (intq.stats) becomes the QDQ form, where every quantized value
// is a quant.qcast / quant.dcast pair carrying its !quant.uniform type.
//
//===----------------------------------------------------------------------===//

#include "QuantUtils.h"

#include "intq/Passes/Passes.h"
#include "intq/Quant/FixedPoint.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>

namespace intq {
#define GEN_PASS_DEF_ASSIGNSCALES
#include "intq/Passes/Passes.h.inc"
} // namespace intq

using namespace mlir;
using namespace intq;
namespace mq = mlir::quant;

namespace {

/// Replaces the use `operand` with dcast(qcast(operand)) of type `qt`.
void insertQDQ(OpOperand &operand, mq::QuantizedType qt) {
  Value v = operand.get();
  auto ty = llvm::cast<RankedTensorType>(v.getType());
  OpBuilder b(operand.getOwner());
  Location loc = v.getLoc();
  Value q = mq::QuantizeCastOp::create(b, loc, ty.clone(qt), v);
  Value d = mq::DequantizeCastOp::create(b, loc, ty, q);
  operand.set(d);
}


/// Scales (one per channel of `axis`, or one) for weights of `bits` bits:
/// 8 (max |w| over 127), 7 (max |w| over 63: the [-64, 64] weights that
/// the x86-avx2 kernels multiply with vpmaddubsw, 1.3-1.4x faster than
/// 8-bit ones there), 4 (narrow [-7, 7], the clipping that minimizes the
/// squared error), 2 (ternary: threshold 0.7 mean|w|, scale the mean |w|
/// above it; `rewritten` holds the weights as {-a, 0, a}). Channels are
/// grouped `cluster` at a time to share a scale.
struct WeightScheme {
  SmallVector<double> scales;
  int64_t qmax = 127, qmin = -127;
  std::optional<SmallVector<float>> rewritten;
};

FailureOr<WeightScheme> chooseWeightScheme(DenseFPElementsAttr attr,
                                           std::optional<int32_t> axis,
                                           unsigned bits, int64_t cluster) {
  auto shape = attr.getType().getShape();
  int64_t dim = axis ? shape[*axis] : 1, inner = 1;
  if (axis)
    for (size_t i = *axis + 1; i < shape.size(); ++i)
      inner *= shape[i];
  if (!axis)
    cluster = 1;
  int64_t groups = (dim + cluster - 1) / cluster;
  SmallVector<float> values;
  for (const APFloat &x : attr.getValues<APFloat>())
    values.push_back(x.convertToFloat());
  auto groupOf = [&](int64_t i) {
    return axis ? ((i / inner) % dim) / cluster : 0;
  };
  SmallVector<SmallVector<float>> byGroup(groups);
  for (int64_t i = 0, e = values.size(); i < e; ++i) {
    if (!std::isfinite(values[i]))
      return failure();
    byGroup[groupOf(i)].push_back(values[i]);
  }
  WeightScheme scheme;
  scheme.qmax = bits == 8 ? 127 : bits == 7 ? 63 : bits == 4 ? 7 : 1;
  // 4-bit weights use all 16 levels, [-8, 7]; 8-bit, 7-bit and ternary
  // stay symmetric.
  scheme.qmin = bits == 4 ? -8 : -scheme.qmax;
  SmallVector<double> groupScale(groups), threshold(groups, 0.0);
  for (int64_t g = 0; g < groups; ++g) {
    double maxAbs = 0, sumAbs = 0;
    for (float v : byGroup[g]) {
      maxAbs = std::max(maxAbs, double(std::abs(v)));
      sumAbs += std::abs(v);
    }
    double best = *::intq::quant::chooseSymmetricScale(maxAbs, scheme.qmax);
    if (bits == 4 && maxAbs > 0) {
      double bestErr = INFINITY;
      // Candidate scales: max|w| (clipped in 2 % steps) over 7 or 8 (the
      // extra negative level), by squared error.
      for (int levels : {7, 8})
        for (int step = 0; step <= 35; ++step) {
          double sc = maxAbs * (1.0 - 0.02 * step) / levels, err = 0;
          for (float v : byGroup[g]) {
            double q = std::clamp(std::nearbyint(v / sc),
                                  double(scheme.qmin), double(scheme.qmax));
            err += (v - q * sc) * (v - q * sc);
          }
          if (err < bestErr) {
            bestErr = err;
            best = sc;
          }
        }
    } else if (bits == 2 && maxAbs > 0) {
      double delta = 0.7 * sumAbs / byGroup[g].size(), above = 0;
      int64_t n = 0;
      for (float v : byGroup[g])
        if (std::abs(v) > delta) {
          above += std::abs(v);
          ++n;
        }
      best = n ? above / n : maxAbs;
      threshold[g] = n ? delta : maxAbs / 2;
    }
    groupScale[g] = best;
  }
  for (int64_t c = 0; c < dim; ++c)
    scheme.scales.push_back(groupScale[axis ? c / cluster : 0]);
  if (bits == 2) {
    SmallVector<float> t(values.size());
    for (int64_t i = 0, e = values.size(); i < e; ++i) {
      int64_t g = groupOf(i);
      t[i] = std::abs(values[i]) > threshold[g]
                 ? float(values[i] > 0 ? groupScale[g] : -groupScale[g])
                 : 0.0f;
    }
    scheme.rewritten = std::move(t);
  }
  return scheme;
}

/// E[(W_q - W) x] per output channel of a conv / depthwise conv / matmul,
/// from the mean of each input channel (the innermost dimension of the
/// tensor the calibration observed; a flattened NHWC input repeats them).
/// Empty when the shapes do not line up.
SmallVector<double> expectedWeightError(Operation *op, mq::QuantizedType wQ,
                                        ArrayRef<double> means) {
  auto info = getComputeOpInfo(op);
  auto wDq = info->weights.getDefiningOp<mq::DequantizeCastOp>();
  auto wq = wDq ? wDq.getInput().getDefiningOp<mq::QuantizeCastOp>()
                : mq::QuantizeCastOp();
  DenseFPElementsAttr w = wq ? getConstantFloats(wq.getInput())
                             : DenseFPElementsAttr();
  if (!w || means.empty())
    return {};
  SmallVector<int64_t> q = quantizeValues(w, wQ);
  auto shape = w.getType().getShape();
  SmallVector<float> values;
  for (const APFloat &x : w.getValues<APFloat>())
    values.push_back(x.convertToFloat());
  auto pa = llvm::dyn_cast<mq::UniformQuantizedPerAxisType>(wQ);
  auto scaleOf = [&](int64_t outChannel) {
    return pa ? pa.getScales()[outChannel]
              : llvm::cast<mq::UniformQuantizedType>(wQ).getScale();
  };
  int64_t c = means.size();
  SmallVector<double> shift(info->numOut, 0.0);
  if (llvm::isa<tosa::Conv2DOp>(op)) {
    // O x KH x KW x C.
    int64_t o = shape[0], taps = shape[1] * shape[2], cin = shape[3];
    if (cin != c)
      return {};
    for (int64_t oc = 0; oc < o; ++oc)
      for (int64_t t = 0; t < taps; ++t)
        for (int64_t i = 0; i < cin; ++i) {
          int64_t k = (oc * taps + t) * cin + i;
          shift[oc] += (q[k] * scaleOf(oc) - values[k]) * means[i];
        }
  } else if (llvm::isa<tosa::DepthwiseConv2DOp>(op)) {
    // KH x KW x C x M; output channel c * M + m reads input channel c.
    int64_t taps = shape[0] * shape[1], cin = shape[2], m = shape[3];
    if (cin != c || (pa && pa.getQuantizedDimension() != 2) || m != 1)
      return {};
    for (int64_t t = 0; t < taps; ++t)
      for (int64_t i = 0; i < cin; ++i) {
        int64_t k = t * cin + i;
        shift[i] += (q[k] * scaleOf(i) - values[k]) * means[i];
      }
  } else if (llvm::isa<tosa::MatMulOp>(op)) {
    // 1 x K x N; feature k of a flattened NHWC tensor is channel k % C.
    int64_t kdim = shape[1], n = shape[2];
    if (shape[0] != 1 || kdim % c)
      return {};
    for (int64_t k = 0; k < kdim; ++k)
      for (int64_t j = 0; j < n; ++j) {
        int64_t idx = k * n + j;
        shift[j] += (q[idx] * scaleOf(j) - values[idx]) * means[k % c];
      }
  } else {
    return {};
  }
  return shift;
}

struct AssignScalesPass
    : public intq::impl::AssignScalesBase<AssignScalesPass> {
  using Base::Base;

  /// add(conv(x, w, b), c) with a per-channel constant c -> conv(x, w, b + c).
  void foldBiasAdds(func::FuncOp func) {
    SmallVector<tosa::AddOp> adds;
    func.walk([&](tosa::AddOp add) { adds.push_back(add); });
    for (tosa::AddOp add : adds) {
      for (int side = 0; side < 2; ++side) {
        Value convVal = add->getOperand(side), other = add->getOperand(1 - side);
        Operation *def = convVal.getDefiningOp();
        if (!def || !llvm::isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp>(def) ||
            !convVal.hasOneUse() || convVal.getType() != add.getType())
          continue;
        auto info = getComputeOpInfo(def);
        DenseFPElementsAttr c = getConstantFloats(other);
        DenseFPElementsAttr bias = getConstantFloats(info->bias);
        if (!c || !bias)
          continue;
        auto cShape = c.getType().getShape();
        int64_t o = info->numOut;
        if (cShape.size() != 4 || cShape[0] != 1 || cShape[1] != 1 ||
            cShape[2] != 1 || (cShape[3] != o && cShape[3] != 1))
          continue;
        SmallVector<float> cv, bv;
        for (const APFloat &x : c.getValues<APFloat>())
          cv.push_back(x.convertToFloat());
        for (const APFloat &x : bias.getValues<APFloat>())
          bv.push_back(x.convertToFloat());
        SmallVector<float> sum(o);
        for (int64_t i = 0; i < o; ++i)
          sum[i] = bv[bv.size() == 1 ? 0 : i] + cv[cv.size() == 1 ? 0 : i];
        OpBuilder b(def);
        auto type = RankedTensorType::get({o}, b.getF32Type());
        Value newBias = tosa::ConstOp::create(
            b, add.getLoc(), type, DenseFPElementsAttr::get(type, sum));
        def->setOperand(2, newBias);
        add.replaceAllUsesWith(convVal);
        add.erase();
        break;
      }
    }
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    Type f32 = Float32Type::get(ctx);
    Type i8 = IntegerType::get(ctx, 8), i32 = IntegerType::get(ctx, 32);
    bool failedAny = false;

    // Model-wide and per-layer options.
    auto validBits = [](int64_t b) {
      return b == 8 || b == 7 || b == 4 || b == 2;
    };
    if (!validBits(weightBits)) {
      emitError(func.getLoc(), "weight-bits must be 8, 7, 4 or 2 (ternary), got ")
          << static_cast<int64_t>(weightBits);
      return signalPassFailure();
    }
    if (weightCluster < 1) {
      emitError(func.getLoc(), "weight-cluster must be at least 1, got ")
          << static_cast<int64_t>(weightCluster);
      return signalPassFailure();
    }
    llvm::StringSet<> keepSet, seenLayers;
    llvm::StringMap<unsigned> bitsOverride;
    for (const std::string &k : keepFloat)
      keepSet.insert(k);
    for (const std::string &entry : layerWeightBits) {
      auto [layer, value] = StringRef(entry).rsplit('=');
      unsigned b = 0;
      if (layer.empty() || value.getAsInteger(10, b) || !validBits(b)) {
        emitError(func.getLoc(), "layer-weight-bits entry '")
            << entry << "' is not name=bits with bits 8, 7, 4 or 2";
        return signalPassFailure();
      }
      bitsOverride[layer] = b;
    }

    foldBiasAdds(func);

    // Channel means of the calibrated tensors, by the dcast replacing them.
    llvm::DenseMap<Value, SmallVector<double>> channelMeans;

    // Activations: every intq.stats becomes a qcast/dcast pair.
    bool actUnsigned = activationType == "uint8";
    bool act16 = activationType == "int16";
    // int16 activations are symmetric narrow range (zero point 0), as in
    // TFLite's 16x8 scheme: no zero-point term in the accumulator.
    bool actSymmetric = activationType == "int8-symmetric" || act16;
    if (!actUnsigned && !actSymmetric && activationType != "int8") {
      emitError(func.getLoc(), "activation-type must be int8, uint8, "
                               "int8-symmetric or int16, got '")
          << activationType << "'";
      return signalPassFailure();
    }
    int32_t actMax = actUnsigned ? 255 : act16 ? 32767 : 127;
    int32_t actMin = actUnsigned ? 0 : actSymmetric ? -actMax : -128;
    Type actStorage = IntegerType::get(ctx, act16 ? 16 : 8);
    SmallVector<StatsOp> stats;
    func.walk([&](StatsOp s) { stats.push_back(s); });
    for (StatsOp s : stats) {
      double lo = s.getMin().convertToDouble(),
             hi = s.getMax().convertToDouble();
      std::optional<::intq::quant::AffineParams> params;
      if (actSymmetric) {
        double maxAbs = std::max(std::abs(lo), std::abs(hi));
        // A range of zero width gets scale 1, as with the asymmetric types
        // (the tiny scale chooseSymmetricScale gives would put the
        // producer's requantization multiplier beyond the contract).
        if (maxAbs == 0)
          params = ::intq::quant::AffineParams{1.0, 0};
        else if (auto sc = ::intq::quant::chooseSymmetricScale(maxAbs, actMax))
          params = ::intq::quant::AffineParams{*sc, 0};
      } else {
        params = ::intq::quant::chooseAffineParams(lo, hi, actMin, actMax);
      }
      if (!params) {
        s.emitOpError("cannot derive quantization parameters from range [")
            << s.getMin().convertToDouble() << ", "
            << s.getMax().convertToDouble() << "]";
        failedAny = true;
        continue;
      }
      if (s.getMin().convertToDouble() == 0.0 &&
          s.getMax().convertToDouble() == 0.0)
        s.emitWarning("range [0, 0] has zero width (the tensor was always "
                      "0 when observed): quantized with scale ")
            << params->scale << " and zero point " << params->zeroPoint;
      auto ty = s.getType();
      auto qt = mq::UniformQuantizedType::get(
          actUnsigned ? 0 : mq::QuantizationFlags::Signed, actStorage,
          ty.getElementType(), params->scale, params->zeroPoint, actMin,
          actMax);
      OpBuilder b(s);
      Value q = mq::QuantizeCastOp::create(b, s.getLoc(), ty.clone(qt),
                                           s.getInput());
      Value d = mq::DequantizeCastOp::create(b, s.getLoc(), ty, q);
      if (auto means = s.getChannelMean())
        channelMeans[d] = SmallVector<double>(means->begin(), means->end());
      s.replaceAllUsesWith(d);
      s.erase();
    }

    // Weights and biases of the compute ops.
    SmallVector<Operation *> computeOps;
    func.walk([&](Operation *op) {
      if (getComputeOpInfo(op))
        computeOps.push_back(op);
    });
    for (Operation *op : computeOps) {
      ComputeOpInfo info = *getComputeOpInfo(op);
      std::optional<StringRef> name = getLayerName(op->getLoc());
      unsigned bits = weightBits;
      if (name) {
        seenLayers.insert(*name);
        if (keepSet.count(*name)) {
          op->emitRemark("stays in float: listed in keep-float");
          continue;
        }
        auto it = bitsOverride.find(*name);
        if (it != bitsOverride.end())
          bits = it->second;
      }
      // Reshapes keep the scale of their operand: look through them.
      Value in = info.input;
      while (auto reshape = in.getDefiningOp<tosa::ReshapeOp>())
        in = reshape.getInput1();
      auto inDq = in.getDefiningOp<mq::DequantizeCastOp>();
      if (!inDq) {
        op->emitRemark("stays in float: its input has no quantization "
                       "range (annotate it with intq.stats)");
        continue;
      }
      auto inQ = llvm::dyn_cast<mq::UniformQuantizedType>(
          getElementTypeOrSelf(inDq.getInput().getType()));
      // Weights already quantized by the model (QDQ form): keep them.
      mq::QuantizedType wQ;
      bool weightsQuantizedHere = false;
      SmallVector<double> scales;
      if (auto wDq = info.weights.getDefiningOp<mq::DequantizeCastOp>()) {
        wQ = llvm::dyn_cast<mq::QuantizedType>(
            getElementTypeOrSelf(wDq.getInput().getType()));
        if (!wQ) {
          op->emitRemark("stays in float: its weights are not quantized");
          continue;
        }
        if (auto pa = llvm::dyn_cast<mq::UniformQuantizedPerAxisType>(wQ))
          scales.assign(pa.getScales().begin(), pa.getScales().end());
        else
          scales.push_back(getScale(wQ, 0));
      } else {
        DenseFPElementsAttr w = getConstantFloats(info.weights);
        if (!inQ || !w) {
          op->emitRemark(!inQ ? "stays in float: its input is not quantized "
                                "per tensor"
                              : "stays in float: its weights are not "
                                "constant");
          continue;
        }
        if (!w.getElementType().isF32()) {
          op->emitRemark("stays in float: only f32 weights are quantized");
          continue;
        }
        std::optional<int32_t> axis =
            perChannel ? info.weightAxis : std::nullopt;
        if (perChannel && !info.weightAxis)
          op->emitRemark("weights quantized per tensor: a depthwise channel "
                         "multiplier > 1 has no single output-channel axis");
        auto scheme = chooseWeightScheme(w, axis, bits, weightCluster);
        if (failed(scheme)) {
          op->emitOpError("weights contain NaN or infinity");
          failedAny = true;
          continue;
        }
        scales = scheme->scales;
        int64_t qmax = scheme->qmax, qmin = scheme->qmin;
        if (scheme->rewritten) {
          OpBuilder b(op);
          auto type = llvm::cast<RankedTensorType>(w.getType());
          Value c = tosa::ConstOp::create(
              b, info.weights.getLoc(), type,
              DenseFPElementsAttr::get(type, ArrayRef<float>(*scheme->rewritten)));
          op->setOperand(1, c);
        }
        if (axis)
          wQ = mq::UniformQuantizedPerAxisType::get(
              mq::QuantizationFlags::Signed, i8, f32, scales,
              SmallVector<int64_t>(scales.size(), 0), *axis, qmin, qmax);
        else
          wQ = mq::UniformQuantizedType::get(mq::QuantizationFlags::Signed,
                                             i8, f32, scales[0], 0, qmin,
                                             qmax);
        // The weights operand of every handled op is operand 1.
        insertQDQ(op->getOpOperand(1), wQ);
        weightsQuantizedHere = true;
      }
      if (!inQ) {
        op->emitRemark("stays in float: its input is not quantized per "
                       "tensor");
        continue;
      }
      bool perAxisWeights = llvm::isa<mq::UniformQuantizedPerAxisType>(wQ);
      // Expected output error of the quantized weights, per output channel.
      SmallVector<double> biasShift;
      if (biasCorrection && weightsQuantizedHere) {
        auto it = channelMeans.find(in);
        if (it != channelMeans.end())
          biasShift = expectedWeightError(op, wQ, it->second);
      }

      // Bias: the conv's own operand, or a following per-channel add of a
      // constant for tosa.matmul.
      OpOperand *biasUse = nullptr;
      int32_t biasAxis = 0;
      int64_t biasLen = 0;
      if (info.bias) {
        biasUse = &op->getOpOperand(2);
        biasLen = llvm::cast<ShapedType>(info.bias.getType()).getDimSize(0);
      } else if (op->hasOneUse()) {
        // The fully-connected form: matmul, an optional reshape, then the
        // add of a constant that varies only along the last (N) axis.
        Operation *user = *op->user_begin();
        Value produced = op->getResult(0);
        if (auto reshape = llvm::dyn_cast<tosa::ReshapeOp>(user)) {
          if (reshape->hasOneUse()) {
            produced = reshape.getResult();
            user = *reshape->user_begin();
          }
        }
        if (auto add = llvm::dyn_cast<tosa::AddOp>(user)) {
          unsigned other = add.getInput1() == produced ? 1 : 0;
          if (auto c = getConstantFloats(add->getOperand(other))) {
            auto shape = c.getType().getShape();
            bool perN = !shape.empty() &&
                        (shape.back() == info.numOut || shape.back() == 1) &&
                        llvm::all_of(shape.drop_back(),
                                     [](int64_t d) { return d == 1; });
            if (perN) {
              biasUse = &add->getOpOperand(other);
              biasAxis = static_cast<int32_t>(shape.size()) - 1;
              biasLen = shape.back();
            }
          }
        }
      }
      if (!biasUse)
        continue;
      if (biasUse->get().getDefiningOp<mq::DequantizeCastOp>())
        continue; // quantized by the model already
      DenseFPElementsAttr bias = getConstantFloats(biasUse->get());
      if (!bias) {
        op->emitRemark("bias is not constant: left in float");
        continue;
      }
      // A broadcast bias of one element is materialized per channel so that
      // it can carry per-channel scales.
      if (perAxisWeights && biasLen == 1 && info.numOut > 1) {
        SmallVector<int64_t> shape(bias.getType().getShape());
        shape[biasAxis] = info.numOut;
        auto type = RankedTensorType::get(shape, f32);
        SmallVector<float> vals(info.numOut,
                                (*bias.getValues<APFloat>().begin())
                                    .convertToFloat());
        OpBuilder b(biasUse->getOwner());
        Value nb = tosa::ConstOp::create(b, biasUse->get().getLoc(), type,
                                         DenseFPElementsAttr::get(type, vals));
        biasUse->set(nb);
        bias = getConstantFloats(nb);
      }
      if (!biasShift.empty()) {
        // Bias correction: b - E[(W_q - W) x], per output channel.
        SmallVector<float> corrected;
        int64_t i = 0;
        for (const APFloat &x : bias.getValues<APFloat>()) {
          corrected.push_back(float(x.convertToDouble() -
                                    biasShift[biasShift.size() == 1 ? 0 : i]));
          ++i;
        }
        if ((int64_t)biasShift.size() == (int64_t)corrected.size() ||
            biasShift.size() == 1) {
          auto type = llvm::cast<RankedTensorType>(bias.getType());
          OpBuilder b(biasUse->getOwner());
          Value nb = tosa::ConstOp::create(
              b, biasUse->get().getLoc(), type,
              DenseFPElementsAttr::get(type, ArrayRef<float>(corrected)));
          biasUse->set(nb);
          bias = getConstantFloats(nb);
        }
      }
      // A bias beyond int32 at scale s_in x s_w: raise the weight scale of
      // that channel until it fits (weights we quantized), never wrap.
      if (weightsQuantizedHere) {
        SmallVector<double> raised(scales);
        bool anyRaised = false;
        int64_t c = 0;
        for (const APFloat &x : bias.getValues<APFloat>()) {
          size_t k = scales.size() == 1 ? 0 : c;
          double need = std::abs(x.convertToDouble()) /
                        (inQ.getScale() * 2147483647.0) * (1.0 + 1e-6);
          if (need > raised[k]) {
            op->emitWarning("bias of output channel ")
                << c << " (" << x.convertToDouble()
                << ") does not fit int32 at scale "
                << inQ.getScale() * raised[k] << ": weight scale raised from "
                << raised[k] << " to " << need;
            raised[k] = need;
            anyRaised = true;
          }
          ++c;
        }
        if (anyRaised) {
          scales = raised;
          auto wDq = op->getOperand(1).getDefiningOp<mq::DequantizeCastOp>();
          auto wq = wDq.getInput().getDefiningOp<mq::QuantizeCastOp>();
          if (auto pa = llvm::dyn_cast<mq::UniformQuantizedPerAxisType>(wQ))
            wQ = mq::UniformQuantizedPerAxisType::get(
                pa.getFlags(), pa.getStorageType(), pa.getExpressedType(),
                scales, pa.getZeroPoints(), pa.getQuantizedDimension(),
                pa.getStorageTypeMin(), pa.getStorageTypeMax());
          else {
            auto pt = llvm::cast<mq::UniformQuantizedType>(wQ);
            wQ = mq::UniformQuantizedType::get(
                pt.getFlags(), pt.getStorageType(), pt.getExpressedType(),
                scales[0], pt.getZeroPoint(), pt.getStorageTypeMin(),
                pt.getStorageTypeMax());
          }
          wq.getResult().setType(
              llvm::cast<RankedTensorType>(wq.getType()).clone(wQ));
        }
      }
      SmallVector<double> bScales;
      for (double s : scales)
        bScales.push_back(inQ.getScale() * s);
      int64_t i = 0;
      for (const APFloat &x : bias.getValues<APFloat>()) {
        double s = bScales[bScales.size() == 1 ? 0 : i];
        if (std::abs(x.convertToDouble() / s) > 2147483647.0)
          op->emitWarning("bias of output channel ")
              << i << " (" << x.convertToDouble()
              << ") exceeds the int32 range at scale " << s
              << " and will saturate";
        ++i;
      }
      mq::QuantizedType bQ;
      if (perAxisWeights)
        bQ = mq::UniformQuantizedPerAxisType::get(
            mq::QuantizationFlags::Signed, i32, f32, bScales,
            SmallVector<int64_t>(bScales.size(), 0), biasAxis, INT32_MIN,
            INT32_MAX);
      else
        bQ = mq::UniformQuantizedType::get(mq::QuantizationFlags::Signed, i32,
                                           f32, bScales[0], 0, INT32_MIN,
                                           INT32_MAX);
      insertQDQ(*biasUse, bQ);
    }
    // A per-layer option naming no layer is a mistake, never ignored.
    auto checkNamed = [&](StringRef option, StringRef layer) {
      if (seenLayers.contains(layer))
        return;
      std::string known;
      for (Operation *op : computeOps)
        if (auto n = getLayerName(op->getLoc()))
          known += (known.empty() ? "" : ", ") + n->str();
      emitError(func.getLoc()) << option << " names '" << layer
                       << "', which is no quantizable layer of @"
                       << func.getSymName() << " (layers: "
                       << (known.empty() ? "none with a name" : known) << ")";
      failedAny = true;
    };
    for (const std::string &k : keepFloat)
      checkNamed("keep-float", k);
    for (const auto &kv : bitsOverride)
      checkNamed("layer-weight-bits", kv.getKey());
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace
