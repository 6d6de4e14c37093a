//===- PtqFuzzer.cpp - libFuzzer target over intq's PTQ + codegen ---------===//
//
// Decodes the input bytes (FuzzedDataProvider) into a small valid float
// model in TOSA, the form intq's importer emits and the PTQ pipeline takes:
// a chain of 1 to 3 layers (conv2d, depthwise conv2d, fully connected with
// or without a bias add, elementwise add of two branches or of a branch and
// the layer's input, max or average pooling), each optionally followed by a
// ReLU or ReLU6 clamp; NHWC, batch 1 or 2, small spatial sizes; shapes,
// strides, dilations and paddings chosen so that every window fits. Weights,
// biases and calibration samples are drawn from distributions the bytes
// choose (normal, uniform, positive, constant; an all-zero or a constant
// channel, one huge outlier; magnitudes from 1e-6 to 1e3).
//
// The model goes through intq::buildPtqPipeline with PTQ options from the
// bytes (int8 / uint8 / int8-symmetric / int16 activations, 8/7/4/2-bit
// weights, per-channel or not, weight clusters, bias correction, calibration
// by max / percentile / mse / entropy over the samples, written to a raw
// file for calibrate-raw-input), verified after each pass. It must succeed
// and quantize every conv / matmul (remarks and warnings are fine).
//
// Checks:
// - differential: the quantized module (its results taken before the final
//   dequantize, so outputs are compared as integers) is JIT-compiled with
//   plain linalg loops (kernels "none") and with the kernels the bytes pick
//   (the host's, generic, or x86-amx: on the tile unit where the host has
//   AMX, else with its tile ops emulated) and run on
//   the same input (a calibration batch or a fresh sample) on guarded
//   buffers, twice each; all outputs must be bit-identical. A compilation
//   failure is one unless it is the documented refusal of a requantization
//   multiplier beyond the arithmetic contract (M >= 2^30, checked on the
//   quantized IR's own scales).
// - accuracy, where a bound is sound: one conv / depthwise / fully connected
//   layer, 8-bit weights, max calibration, no bias correction, input among
//   the calibration samples (so no activation is clipped). The dequantized
//   output must be within a per-element error-propagation bound of the
//   float model's (JIT-compiled too), computed from the scales the
//   quantized IR carries: input rounding x sum |w|, weight rounding x
//   sum |x|, their product, bias rounding and output rounding, times 2,
//   plus float32 accumulation error.
//
// A failure prints the case in one line (layers, PTQ options, kernels,
// input), writes the float model, the calibration samples and the input
// next to libFuzzer's artifacts (-artifact_prefix) as ptq-case.mlir,
// ptq-case.calib.bin and ptq-case.input.bin, and aborts. INTQ_FUZZ_VERBOSE=1
// prints each case, its float MLIR and the PTQ diagnostics;
// INTQ_FUZZ_SELF_TEST=1 flips one bit of the reference output, so every
// case must fail (the test checks that a mismatch is caught and reported);
// INTQ_FUZZ_KNOWN_BUGS=1 runs the cases of known open bugs too (knownBug
// below), which are skipped otherwise.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"

#include "intq/Dialect/IntQ/IntQ.h"
#include "intq/Passes/Pipelines.h"
#include "intq/Quant/FixedPoint.h"
#include "intq/Target/Jit.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <unistd.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

using namespace mlir;
namespace mq = mlir::quant;

namespace {

constexpr const char *kTool = "intq-ptq-fuzzer";

//===----------------------------------------------------------------------===//
// The case
//===----------------------------------------------------------------------===//

/// How a tensor's values are drawn.
struct ValueSpec {
  enum Dist { Normal, Uniform, Positive, Constant } dist = Normal;
  double scale = 1.0;
  bool zeroChannel = false, constChannel = false, outlier = false;
  uint32_t seed = 0;
};

/// A window (conv or pooling): TOSA's pad order [top, bottom, left, right].
struct Window {
  int64_t kh = 1, kw = 1;
  int64_t stride[2] = {1, 1}, dilation[2] = {1, 1};
  int64_t pad[4] = {0, 0, 0, 0};
};

enum class Kind {
  Identity,
  Conv,
  Depthwise,
  FullyConnected,
  Add,
  MaxPool,
  AvgPool
};
enum class Act { None, Relu, Relu6 };

/// A conv / depthwise / fully connected op (or the identity, as an add's
/// branch).
struct Compute {
  Kind kind = Kind::Identity;
  Window win;
  int64_t outC = 0; // conv: output channels; fully connected: N
  int64_t mult = 1; // depthwise channel multiplier
  bool bias = true; // fully connected: a bias add follows the matmul
  ValueSpec w, b;
};

struct Layer {
  Kind kind = Kind::Conv;
  Compute compute;     // Conv, Depthwise, FullyConnected
  Compute branches[2]; // Add: the sum of two branches of the input
  Window pool;         // MaxPool, AvgPool
  Act act = Act::None;
  SmallVector<int64_t> in, out;
};

struct Case {
  SmallVector<int64_t> inShape; // N x H x W x C
  std::vector<Layer> layers;
  ValueSpec calib;
  int64_t batches = 1; // calibration samples: batches x N
  bool fresh = false;  // run on a fresh sample instead of a calibration batch
  int64_t runBatch = 0;
  double freshScale = 1.0;
  // PTQ options.
  std::string activationType = "int8", method = "max";
  unsigned weightBits = 8;
  bool perChannel = true, biasCorrection = false;
  int64_t cluster = 1;
  double percentile = 99.99;
  // The kernels compared with plain loops.
  intq::fuzz::Kernels kernels;
};

//===----------------------------------------------------------------------===//
// Decoding bytes into a valid case
//===----------------------------------------------------------------------===//

const double kMagnitudes[] = {1e-6, 1e-3, 0.05, 0.5, 1.0, 1.0, 4.0, 30.0, 1e3};

ValueSpec consumeValues(FuzzedDataProvider &fdp, bool mayBeZero) {
  ValueSpec s;
  if (mayBeZero && fdp.ConsumeIntegralInRange<int>(0, 3) == 0) {
    s.dist = ValueSpec::Constant;
    s.scale = 0.0;
    return s;
  }
  s.dist = static_cast<ValueSpec::Dist>(fdp.ConsumeIntegralInRange<int>(0, 3));
  s.scale = fdp.PickValueInArray(kMagnitudes);
  uint8_t mods = fdp.ConsumeIntegral<uint8_t>();
  s.zeroChannel = (mods & 3) == 1;
  s.constChannel = ((mods >> 2) & 3) == 1;
  s.outlier = ((mods >> 4) & 3) == 1;
  s.seed = fdp.ConsumeIntegral<uint32_t>();
  return s;
}

/// Makes one spatial dimension of a window valid for an input of `in`: the
/// (dilated) kernel fits the padded input, which it spans exactly with the
/// stride (TOSA's verifier wants (in + pads - extent) divisible by it), and
/// pooling pads stay below the kernel.
void fitDim(int64_t in, int64_t &k, int64_t &stride, int64_t &dil,
            int64_t &padB, int64_t &padE, bool pool) {
  for (;;) {
    if (pool) {
      padB = std::min(padB, k - 1);
      padE = std::min(padE, k - 1);
    }
    if (dil * (k - 1) + 1 <= in + padB + padE)
      break;
    if (dil > 1)
      --dil;
    else
      --k;
  }
  int64_t extent = dil * (k - 1) + 1;
  int64_t r = (in + padB + padE - extent) % stride;
  if (r == 0)
    return;
  if (padB + padE >= r) {
    int64_t fromEnd = std::min(padE, r);
    padE -= fromEnd;
    padB -= r - fromEnd;
  } else if (!pool || padE + stride - r < k) {
    padE += stride - r;
  } else {
    stride = 1;
  }
}

int64_t windowOut(int64_t in, int64_t padB, int64_t padE, int64_t k,
                  int64_t stride, int64_t dil) {
  return (in + padB + padE - dil * (k - 1) - 1) / stride + 1;
}

Window consumeWindow(FuzzedDataProvider &fdp, int64_t h, int64_t w, bool pool) {
  Window win;
  win.kh = fdp.ConsumeIntegralInRange<int64_t>(1, 5);
  win.kw = fdp.ConsumeIntegralInRange<int64_t>(1, 5);
  for (int64_t &s : win.stride)
    s = fdp.ConsumeIntegralInRange<int64_t>(1, 3);
  for (int64_t &d : win.dilation)
    d = pool ? 1 : fdp.ConsumeIntegralInRange<int64_t>(1, 3);
  for (int64_t &p : win.pad)
    p = fdp.ConsumeIntegralInRange<int64_t>(0, 4);
  fitDim(h, win.kh, win.stride[0], win.dilation[0], win.pad[0], win.pad[1],
         pool);
  fitDim(w, win.kw, win.stride[1], win.dilation[1], win.pad[2], win.pad[3],
         pool);
  return win;
}

/// A stride-1 window whose output has the input's size ("same" padding,
/// split at random between the two sides).
Window consumeSameWindow(FuzzedDataProvider &fdp) {
  Window win;
  win.kh = fdp.ConsumeIntegralInRange<int64_t>(1, 5);
  win.kw = fdp.ConsumeIntegralInRange<int64_t>(1, 5);
  for (int64_t &d : win.dilation)
    d = fdp.ConsumeIntegralInRange<int64_t>(1, 3);
  int64_t th = win.dilation[0] * (win.kh - 1),
          tw = win.dilation[1] * (win.kw - 1);
  win.pad[0] = fdp.ConsumeIntegralInRange<int64_t>(0, th);
  win.pad[1] = th - win.pad[0];
  win.pad[2] = fdp.ConsumeIntegralInRange<int64_t>(0, tw);
  win.pad[3] = tw - win.pad[2];
  return win;
}

/// Features per batch row of a tensor (what a fully connected layer reads).
int64_t features(ArrayRef<int64_t> shape) {
  int64_t k = 1;
  for (int64_t d : shape.drop_front())
    k *= d;
  return k;
}

/// The output shape of `c` on `in`.
SmallVector<int64_t> computeShape(const Compute &c, ArrayRef<int64_t> in) {
  if (c.kind == Kind::Identity)
    return SmallVector<int64_t>(in);
  if (c.kind == Kind::FullyConnected)
    return {in[0], c.outC};
  const Window &w = c.win;
  int64_t oh =
      windowOut(in[1], w.pad[0], w.pad[1], w.kh, w.stride[0], w.dilation[0]);
  int64_t ow =
      windowOut(in[2], w.pad[2], w.pad[3], w.kw, w.stride[1], w.dilation[1]);
  return {in[0], oh, ow, c.kind == Kind::Conv ? c.outC : in[3] * c.mult};
}

Compute consumeCompute(FuzzedDataProvider &fdp, Kind kind,
                       ArrayRef<int64_t> in) {
  Compute c;
  c.kind = kind;
  if (kind == Kind::Conv) {
    c.outC = fdp.ConsumeIntegralInRange<int64_t>(1, 24);
    c.win = consumeWindow(fdp, in[1], in[2], /*pool=*/false);
  } else if (kind == Kind::Depthwise) {
    c.mult = fdp.ConsumeIntegralInRange<int64_t>(1, 3);
    if (in[3] * c.mult > 48)
      c.mult = 1;
    c.win = consumeWindow(fdp, in[1], in[2], /*pool=*/false);
  } else {
    c.outC = fdp.ConsumeIntegralInRange<int64_t>(1, 24);
    c.bias = fdp.ConsumeIntegralInRange<int>(0, 3) != 0;
  }
  c.w = consumeValues(fdp, /*mayBeZero=*/false);
  c.b = consumeValues(fdp, /*mayBeZero=*/true);
  return c;
}

/// A branch of an add: the identity, or a layer whose output has the
/// input's shape (a "same" conv / depthwise conv, a square fully connected
/// layer).
Compute consumeBranch(FuzzedDataProvider &fdp, ArrayRef<int64_t> in) {
  Compute c;
  int pick = fdp.ConsumeIntegralInRange<int>(0, 2);
  if (pick == 0)
    return c;
  if (in.size() == 2) {
    c.kind = Kind::FullyConnected;
    c.outC = in[1];
    c.bias = fdp.ConsumeBool();
  } else {
    c.kind = pick == 1 ? Kind::Conv : Kind::Depthwise;
    c.outC = in[3];
    c.win = consumeSameWindow(fdp);
  }
  c.w = consumeValues(fdp, /*mayBeZero=*/false);
  c.b = consumeValues(fdp, /*mayBeZero=*/true);
  return c;
}

Case decode(FuzzedDataProvider &fdp) {
  Case c;
  // A quarter of the cases are of the kind the accuracy check applies to:
  // one conv / depthwise / fully connected layer, 8-bit weights, max
  // calibration, no bias correction, run on a calibration batch.
  bool bounded = fdp.ConsumeIntegralInRange<int>(0, 3) == 0;
  c.kernels = intq::fuzz::pickKernels(
      fdp.ConsumeIntegralInRange<int>(
          0, intq::fuzz::numKernelChoices(/*withNone=*/false) - 1),
      /*withNone=*/false);
  static const char *actTypes[] = {"int8", "uint8", "int8-symmetric", "int16"};
  c.activationType = fdp.PickValueInArray(actTypes);
  // 7 bits: the x86-avx2 kernels' vpmaddubsw path (one of the three 8s
  // became 7: the same draws as before).
  static const unsigned bits[] = {8, 8, 7, 4, 2};
  c.weightBits = fdp.PickValueInArray(bits);
  c.perChannel = fdp.ConsumeIntegralInRange<int>(0, 3) != 0;
  c.cluster = fdp.ConsumeIntegralInRange<int>(0, 3) == 0
                  ? fdp.ConsumeIntegralInRange<int64_t>(2, 4)
                  : 1;
  c.biasCorrection = fdp.ConsumeIntegralInRange<int>(0, 3) == 0;
  static const char *methods[] = {"max", "max", "percentile", "mse", "entropy"};
  c.method = fdp.PickValueInArray(methods);
  static const double percentiles[] = {99.0, 99.9, 99.99};
  if (c.method == "percentile")
    c.percentile = fdp.PickValueInArray(percentiles);

  c.inShape = {fdp.ConsumeIntegralInRange<int64_t>(1, 2),
               fdp.ConsumeIntegralInRange<int64_t>(1, 12),
               fdp.ConsumeIntegralInRange<int64_t>(1, 12),
               fdp.ConsumeIntegralInRange<int64_t>(1, 16)};
  c.calib = consumeValues(fdp, /*mayBeZero=*/false);
  c.batches = fdp.ConsumeIntegralInRange<int64_t>(1, 4);
  c.fresh = fdp.ConsumeIntegralInRange<int>(0, 3) == 0;
  c.runBatch = fdp.ConsumeIntegralInRange<int64_t>(0, c.batches - 1);
  c.freshScale = fdp.ConsumeBool() ? 1.0 : 4.0;
  if (bounded) {
    c.weightBits = 8;
    c.method = "max";
    c.biasCorrection = false;
    c.fresh = false;
  }

  int numLayers = bounded ? 1 : fdp.ConsumeIntegralInRange<int>(1, 3);
  SmallVector<int64_t> shape = c.inShape;
  for (int l = 0; l < numLayers; ++l) {
    Layer layer;
    layer.in = shape;
    // After a fully connected layer the tensor is N x K: only fully
    // connected layers and adds follow.
    if (bounded)
      layer.kind = static_cast<Kind>(fdp.ConsumeIntegralInRange<int>(
          int(Kind::Conv), int(Kind::FullyConnected)));
    else if (shape.size() == 2)
      layer.kind = fdp.ConsumeBool() ? Kind::FullyConnected : Kind::Add;
    else
      layer.kind = static_cast<Kind>(
          fdp.ConsumeIntegralInRange<int>(int(Kind::Conv), int(Kind::AvgPool)));
    switch (layer.kind) {
    case Kind::Conv:
    case Kind::Depthwise:
    case Kind::FullyConnected:
      layer.compute = consumeCompute(fdp, layer.kind, shape);
      layer.out = computeShape(layer.compute, shape);
      break;
    case Kind::Add:
      layer.branches[0] = consumeBranch(fdp, shape);
      layer.branches[1] = consumeBranch(fdp, shape);
      layer.out = shape;
      break;
    default:
      layer.pool = consumeWindow(fdp, shape[1], shape[2], /*pool=*/true);
      layer.out = computeShape(
          Compute{Kind::Depthwise, layer.pool, 0, 1, false, {}, {}}, shape);
      break;
    }
    layer.act = static_cast<Act>(fdp.ConsumeIntegralInRange<int>(0, 2));
    shape = layer.out;
    c.layers.push_back(std::move(layer));
  }
  return c;
}

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

/// `n` values of `spec`; element i belongs to channel channelOf(i) of
/// `channels` (for the all-zero and the constant channel).
std::vector<float> generate(const ValueSpec &spec, int64_t n, int64_t channels,
                            function_ref<int64_t(int64_t)> channelOf) {
  std::mt19937 rng(spec.seed);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  std::vector<float> v(n);
  for (float &x : v) {
    switch (spec.dist) {
    case ValueSpec::Normal:
      x = float(spec.scale * normal(rng));
      break;
    case ValueSpec::Uniform:
      x = float(spec.scale * uniform(rng));
      break;
    case ValueSpec::Positive:
      x = float(spec.scale * (uniform(rng) + 1.0) / 2.0);
      break;
    case ValueSpec::Constant:
      x = float(spec.scale);
      break;
    }
  }
  if (n == 0)
    return v;
  int64_t zero = int64_t(rng() % uint64_t(channels));
  int64_t constant = int64_t(rng() % uint64_t(channels));
  double sign = rng() % 2 ? 1.0 : -1.0;
  float constValue =
      float(sign * spec.scale * (0.25 + (rng() % 1000) / 1333.0));
  for (int64_t i = 0; i < n; ++i) {
    int64_t ch = channelOf(i);
    if (spec.constChannel && ch == constant)
      v[i] = constValue;
    if (spec.zeroChannel && ch == zero)
      v[i] = 0.0f;
  }
  if (spec.outlier) {
    int64_t at = int64_t(rng() % uint64_t(n));
    v[at] = float((rng() % 2 ? 1000.0 : -1000.0) * spec.scale);
  }
  return v;
}

/// The weights of `c` reading `inC` input channels, in TOSA's layout, and
/// the output channel of each element.
std::vector<float> weightsOf(const Compute &c, ArrayRef<int64_t> in,
                             SmallVector<int64_t> &shape) {
  if (c.kind == Kind::Conv) {
    shape = {c.outC, c.win.kh, c.win.kw, in[3]};
    int64_t per = c.win.kh * c.win.kw * in[3];
    return generate(c.w, c.outC * per, c.outC,
                    [&](int64_t i) { return i / per; });
  }
  if (c.kind == Kind::Depthwise) {
    int64_t o = in[3] * c.mult;
    shape = {c.win.kh, c.win.kw, in[3], c.mult};
    return generate(c.w, c.win.kh * c.win.kw * o, o,
                    [&](int64_t i) { return i % o; });
  }
  int64_t k = features(in);
  shape = {1, k, c.outC};
  return generate(c.w, k * c.outC, c.outC,
                  [&](int64_t i) { return i % c.outC; });
}

int64_t numOut(const Compute &c, ArrayRef<int64_t> in) {
  return c.kind == Kind::Depthwise ? in[3] * c.mult : c.outC;
}

std::vector<float> biasOf(const Compute &c, ArrayRef<int64_t> in) {
  int64_t o = numOut(c, in);
  return generate(c.b, o, o, [](int64_t i) { return i; });
}

/// `count` samples of the model input (N x H x W x C each batch).
std::vector<float> samplesOf(const ValueSpec &spec, ArrayRef<int64_t> inShape,
                             int64_t count) {
  int64_t perSample = features(inShape), channels = inShape[3];
  return generate(spec, count * perSample, channels,
                  [&](int64_t i) { return i % channels; });
}

//===----------------------------------------------------------------------===//
// Building the float model
//===----------------------------------------------------------------------===//

/// Builds the model as intq's ONNX importer emits it (generic op creation,
/// as lib/Import/OnnxImporter.cpp does), one named location per layer.
class ModelBuilder {
public:
  ModelBuilder(MLIRContext *ctx)
      : ctx(ctx), b(ctx), loc(UnknownLoc::get(ctx)) {}

  OwningOpRef<ModuleOp> build(const Case &c) {
    OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
    b.setInsertionPointToEnd(module->getBody());
    Type outTy = f32Tensor(c.layers.back().out);
    auto func = func::FuncOp::create(
        b, loc, "main", b.getFunctionType({f32Tensor(c.inShape)}, {outTy}));
    Block *entry = func.addEntryBlock();
    b.setInsertionPointToEnd(entry);
    Value x = entry->getArgument(0);
    for (size_t l = 0; l < c.layers.size(); ++l) {
      const Layer &layer = c.layers[l];
      std::string name = "layer" + std::to_string(l);
      loc = NameLoc::get(b.getStringAttr(name));
      switch (layer.kind) {
      case Kind::Conv:
      case Kind::Depthwise:
      case Kind::FullyConnected:
        x = compute(layer.compute, x, layer.in);
        break;
      case Kind::Add: {
        Value lhs = x, rhs = x;
        loc = NameLoc::get(b.getStringAttr(name + ".a"));
        lhs = compute(layer.branches[0], x, layer.in);
        loc = NameLoc::get(b.getStringAttr(name + ".b"));
        rhs = compute(layer.branches[1], x, layer.in);
        loc = NameLoc::get(b.getStringAttr(name));
        x = op("tosa.add", {lhs, rhs}, f32Tensor(layer.out));
        break;
      }
      case Kind::MaxPool:
      case Kind::AvgPool: {
        const Window &w = layer.pool;
        SmallVector<NamedAttribute> attrs = {
            b.getNamedAttr("kernel", b.getDenseI64ArrayAttr({w.kh, w.kw})),
            b.getNamedAttr("stride", b.getDenseI64ArrayAttr(w.stride)),
            b.getNamedAttr("pad", b.getDenseI64ArrayAttr(w.pad))};
        if (layer.kind == Kind::MaxPool) {
          x = op("tosa.max_pool2d", {x}, f32Tensor(layer.out), attrs);
        } else {
          attrs.push_back(
              b.getNamedAttr("acc_type", TypeAttr::get(b.getF32Type())));
          Value zp = zeroPoint();
          x = op("tosa.avg_pool2d", {x, zp, zp}, f32Tensor(layer.out), attrs);
        }
        break;
      }
      case Kind::Identity:
        break;
      }
      if (layer.act != Act::None) {
        float hi = layer.act == Act::Relu6 ? 6.0f : FLT_MAX;
        x = op("tosa.clamp", {x}, x.getType(),
               {b.getNamedAttr("min_val", b.getF32FloatAttr(0.0f)),
                b.getNamedAttr("max_val", b.getF32FloatAttr(hi))});
      }
    }
    func::ReturnOp::create(b, loc, x);
    return module;
  }

private:
  RankedTensorType f32Tensor(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, b.getF32Type());
  }

  Value op(StringRef name, ValueRange operands, Type result,
           ArrayRef<NamedAttribute> attrs = {}) {
    OperationState state(loc, name);
    state.addOperands(operands);
    state.addTypes(result);
    state.addAttributes(attrs);
    return b.create(state)->getResult(0);
  }

  Value constF32(ArrayRef<int64_t> shape, ArrayRef<float> data) {
    auto type = f32Tensor(shape);
    OperationState state(loc, "tosa.const");
    state.addAttribute("values", DenseElementsAttr::get(type, data));
    state.addTypes(type);
    return b.create(state)->getResult(0);
  }

  Value zeroPoint() { return constF32({1}, {0.0f}); }

  Value reshape(Value v, ArrayRef<int64_t> shape) {
    auto idx = RankedTensorType::get({int64_t(shape.size())}, b.getIndexType());
    OperationState s(loc, "tosa.const_shape");
    s.addAttribute("values", DenseIntElementsAttr::get(idx, shape));
    s.addTypes(tosa::shapeType::get(ctx, shape.size()));
    Value shapeVal = b.create(s)->getResult(0);
    return op("tosa.reshape", {v, shapeVal}, f32Tensor(shape));
  }

  Value compute(const Compute &c, Value x, ArrayRef<int64_t> in) {
    if (c.kind == Kind::Identity)
      return x;
    SmallVector<int64_t> wShape;
    std::vector<float> w = weightsOf(c, in, wShape);
    std::vector<float> bias = biasOf(c, in);
    SmallVector<int64_t> out = computeShape(c, in);
    Value wv = constF32(wShape, w);
    Value zp = zeroPoint();
    if (c.kind == Kind::FullyConnected) {
      // The importer's Gemm: A as 1 x M x K, B as 1 x K x N, then the bias
      // as an add of a 1 x N constant.
      int64_t m = in[0], k = features(in);
      Value a = reshape(x, {1, m, k});
      Value mm = op("tosa.matmul", {a, wv, zp, zp}, f32Tensor({1, m, c.outC}));
      Value y = reshape(mm, {m, c.outC});
      if (!c.bias)
        return y;
      return op("tosa.add", {y, constF32({1, c.outC}, bias)}, y.getType());
    }
    Value bv = constF32({int64_t(bias.size())}, bias);
    SmallVector<NamedAttribute> attrs = {
        b.getNamedAttr("pad", b.getDenseI64ArrayAttr(c.win.pad)),
        b.getNamedAttr("stride", b.getDenseI64ArrayAttr(c.win.stride)),
        b.getNamedAttr("dilation", b.getDenseI64ArrayAttr(c.win.dilation)),
        b.getNamedAttr("acc_type", TypeAttr::get(b.getF32Type()))};
    return op(c.kind == Kind::Conv ? "tosa.conv2d" : "tosa.depthwise_conv2d",
              {x, wv, bv, zp, zp}, f32Tensor(out), attrs);
  }

  MLIRContext *ctx;
  OpBuilder b;
  Location loc;
};

//===----------------------------------------------------------------------===//
// Describing a case
//===----------------------------------------------------------------------===//

template <typename T> std::string str(const T &v) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << v;
  return s;
}

/// Integers (quantized outputs) exactly, other values to 9 digits.
std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

std::string joinInts(ArrayRef<int64_t> v, const char *sep) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i)
    s += (i ? sep : "") + std::to_string(v[i]);
  return s;
}

std::string describe(const ValueSpec &s) {
  static const char *dists[] = {"normal", "uniform", "positive", "constant"};
  if (s.dist == ValueSpec::Constant && s.scale == 0.0)
    return "zero";
  std::string d = std::string(dists[s.dist]) + "*" + fmt(s.scale);
  if (s.zeroChannel)
    d += "+zero-channel";
  if (s.constChannel)
    d += "+const-channel";
  if (s.outlier)
    d += "+outlier";
  return d + "@" + std::to_string(s.seed);
}

std::string describe(const Window &w, bool dilated) {
  std::string s = "k" + std::to_string(w.kh) + "x" + std::to_string(w.kw) +
                  " s" + joinInts(w.stride, ",");
  if (dilated)
    s += " d" + joinInts(w.dilation, ",");
  return s + " p" + joinInts(w.pad, ",");
}

std::string describe(const Compute &c) {
  switch (c.kind) {
  case Kind::Identity:
    return "x";
  case Kind::Conv:
    return "conv o" + std::to_string(c.outC) + " " + describe(c.win, true) +
           " w=" + describe(c.w) + " b=" + describe(c.b);
  case Kind::Depthwise:
    return "dwconv m" + std::to_string(c.mult) + " " + describe(c.win, true) +
           " w=" + describe(c.w) + " b=" + describe(c.b);
  default:
    return "fc n" + std::to_string(c.outC) + " w=" + describe(c.w) +
           (c.bias ? " b=" + describe(c.b) : std::string(" nobias"));
  }
}

std::string describe(const Layer &l) {
  std::string s;
  switch (l.kind) {
  case Kind::Add:
    s = "add(" + describe(l.branches[0]) + ", " + describe(l.branches[1]) + ")";
    break;
  case Kind::MaxPool:
  case Kind::AvgPool:
    s = std::string(l.kind == Kind::MaxPool ? "maxpool " : "avgpool ") +
        describe(l.pool, false);
    break;
  default:
    s = describe(l.compute);
  }
  if (l.act != Act::None)
    s += l.act == Act::Relu ? " +relu" : " +relu6";
  return s + " -> " + joinInts(l.out, "x");
}

/// The PTQ options, in intq-ptq-pipeline's syntax.
std::string ptqOptions(const Case &c, const std::string &calibFile) {
  std::string s = "activation-type=" + c.activationType +
                  " weight-bits=" + std::to_string(c.weightBits) +
                  " per-channel=" + (c.perChannel ? "true" : "false") +
                  " weight-cluster=" + std::to_string(c.cluster) +
                  " bias-correction=" + (c.biasCorrection ? "true" : "false") +
                  " calibrate-method=" + c.method;
  if (c.method == "percentile")
    s += " calibrate-percentile=" + fmt(c.percentile);
  return s + " calibrate-raw-input=" + calibFile;
}

std::string describe(const Case &c, const std::string &calibFile) {
  std::string s = "input " + joinInts(c.inShape, "x") + " calib " +
                  std::to_string(c.batches * c.inShape[0]) + " samples " +
                  describe(c.calib) + ";";
  for (size_t l = 0; l < c.layers.size(); ++l)
    s += " layer" + std::to_string(l) + " " + describe(c.layers[l]) + ";";
  s += " ptq \"" + ptqOptions(c, calibFile) + "\"; kernels none vs " +
       c.kernels.describe() + "; run on ";
  if (c.fresh)
    s += "a fresh batch x" + fmt(c.freshScale);
  else
    s += "calibration batch " + std::to_string(c.runBatch);
  return s;
}

//===----------------------------------------------------------------------===//
// Files and failures
//===----------------------------------------------------------------------===//

/// libFuzzer's -artifact_prefix: the failing case's files go there too.
std::string &artifactPrefix() {
  static std::string prefix;
  return prefix;
}

std::string tempCalibFile() {
  const char *tmp = std::getenv("TMPDIR");
  return std::string(tmp && *tmp ? tmp : "/tmp") + "/intq-ptq-fuzzer-" +
         std::to_string(getpid()) + ".calib.bin";
}

bool writeFile(const std::string &path, const void *data, size_t size) {
  std::ofstream f(path, std::ios::binary);
  f.write(static_cast<const char *>(data), std::streamsize(size));
  return bool(f);
}

/// What a failure report needs: the case, its float model and its data.
struct Failure {
  const Case *c = nullptr;
  ModuleOp floatModel;
  const std::vector<float> *calib = nullptr, *input = nullptr;

  /// Writes the float model, the calibration samples and the input next to
  /// libFuzzer's artifacts; returns the case's line and the files written.
  std::string dump() const {
    std::string base = artifactPrefix() + "ptq-case";
    std::string files;
    if (floatModel) {
      std::string text = str(floatModel);
      if (writeFile(base + ".mlir", text.data(), text.size()))
        files += " " + base + ".mlir";
    }
    if (calib && writeFile(base + ".calib.bin", calib->data(),
                           calib->size() * sizeof(float)))
      files += " " + base + ".calib.bin";
    if (input && writeFile(base + ".input.bin", input->data(),
                           input->size() * sizeof(float)))
      files += " " + base + ".input.bin";
    std::string repro = describe(*c, base + ".calib.bin");
    if (!files.empty())
      repro += "\n  files:" + files;
    return repro;
  }

  [[noreturn]] void operator()(const std::string &what) const {
    std::remove(tempCalibFile().c_str());
    intq::fuzz::reportFailure(kTool, what, dump());
  }
};

//===----------------------------------------------------------------------===//
// Checks on the quantized module
//===----------------------------------------------------------------------===//

func::FuncOp entryOf(ModuleOp module) {
  func::FuncOp entry;
  module.walk([&](func::FuncOp f) {
    if (!entry && f.isPublic() && !f.isExternal())
      entry = f;
  });
  return entry;
}

/// Returns the values before the final dequantize: the outputs are then the
/// integers the quantized model computes, compared exactly.
void returnStorage(func::FuncOp f) {
  auto ret = cast<func::ReturnOp>(f.getBody().front().getTerminator());
  for (OpOperand &operand : ret->getOpOperands())
    if (auto d = operand.get().getDefiningOp<mq::DequantizeCastOp>()) {
      operand.set(d.getInput());
      if (d->use_empty())
        d->erase();
    }
  f.setType(FunctionType::get(f.getContext(), f.getArgumentTypes(),
                              ret.getOperandTypes()));
}

double scaleOf(Type t, int64_t channel) {
  Type e = getElementTypeOrSelf(t);
  if (auto pa = dyn_cast<mq::UniformQuantizedPerAxisType>(e))
    return pa.getScales()[pa.getScales().size() == 1 ? 0 : channel];
  return cast<mq::UniformQuantizedType>(e).getScale();
}

int64_t numScales(Type t) {
  Type e = getElementTypeOrSelf(t);
  if (auto pa = dyn_cast<mq::UniformQuantizedPerAxisType>(e))
    return pa.getScales().size();
  return 1;
}

/// Whether the quantized module holds a requantization multiplier the
/// arithmetic contract cannot represent (M >= 2^30, or not finite and
/// positive): --intq-lower-to-linalg refuses those, by design, with an
/// error naming the multiplier. Returns a description of the first one.
std::string unrepresentableMultiplier(ModuleOp module) {
  std::string found;
  auto check = [&](Operation *op, double m) {
    if (found.empty() && !intq::quant::quantizeMultiplier(m))
      found = op->getName().getStringRef().str() + " multiplier " + fmt(m);
  };
  module.walk([&](Operation *op) {
    if (isa<intq::Conv2DOp, intq::MatMulOp>(op)) {
      double sIn = scaleOf(op->getOperand(0).getType(), 0);
      double sOut = scaleOf(op->getResult(0).getType(), 0);
      Type w = op->getOperand(1).getType();
      for (int64_t c = 0, n = numScales(w); c < n; ++c)
        check(op, sIn * scaleOf(w, c) / sOut);
    } else if (auto rq = dyn_cast<intq::RequantizeOp>(op)) {
      Type in = rq.getInput().getType(), out = rq.getResult().getType();
      for (int64_t c = 0, n = std::max(numScales(in), numScales(out)); c < n;
           ++c)
        check(op, scaleOf(in, c) / scaleOf(out, c));
    } else if (auto add = dyn_cast<intq::AddOp>(op)) {
      auto a = cast<mq::UniformQuantizedType>(
          getElementTypeOrSelf(add.getLhs().getType()));
      auto bt = cast<mq::UniformQuantizedType>(
          getElementTypeOrSelf(add.getRhs().getType()));
      double o = scaleOf(add.getResult().getType(), 0);
      int shift = 28 - int(std::max(a.getStorageTypeIntegralWidth(),
                                    bt.getStorageTypeIntegralWidth()));
      double twiceMax = 2.0 * std::max(a.getScale(), bt.getScale());
      check(op, a.getScale() / twiceMax);
      check(op, bt.getScale() / twiceMax);
      check(op, twiceMax / (std::ldexp(1.0, shift) * o));
    }
  });
  return found;
}

/// An output element as an integer (quantized storage) or float.
double decodeElement(const std::vector<uint8_t> &bytes, Type storage,
                     bool isSigned, int64_t i) {
  if (storage.isF32()) {
    float f;
    std::memcpy(&f, bytes.data() + i * 4, 4);
    return f;
  }
  unsigned width = storage.getIntOrFloatBitWidth();
  int64_t v = 0;
  if (width == 8)
    v = isSigned ? int64_t(int8_t(bytes[i])) : int64_t(bytes[i]);
  else if (width == 16) {
    uint16_t u;
    std::memcpy(&u, bytes.data() + i * 2, 2);
    v = isSigned ? int64_t(int16_t(u)) : int64_t(u);
  } else {
    int32_t s;
    std::memcpy(&s, bytes.data() + i * 4, 4);
    v = s;
  }
  return double(v);
}

//===----------------------------------------------------------------------===//
// The accuracy bound
//===----------------------------------------------------------------------===//

/// Per output element of one conv / depthwise / fully connected layer, over
/// the taps that read the input (padding reads real 0 exactly):
/// sum |x|, sum |w|, sum |x w| and the number of taps.
struct TapSums {
  double x = 0, w = 0, xw = 0;
  int64_t taps = 0;
  void add(float xv, float wv) {
    x += std::abs(xv);
    w += std::abs(wv);
    xw += std::abs(double(xv) * wv);
    ++taps;
  }
};

/// Visits every output element (flat NHWC / N x N_out index, output
/// channel) with its tap sums.
void forEachOutput(const Compute &c, ArrayRef<int64_t> in,
                   ArrayRef<int64_t> out, const std::vector<float> &x,
                   const std::vector<float> &w,
                   function_ref<void(int64_t, int64_t, const TapSums &)> fn) {
  if (c.kind == Kind::FullyConnected) {
    int64_t k = features(in), n = c.outC;
    for (int64_t m = 0; m < in[0]; ++m)
      for (int64_t j = 0; j < n; ++j) {
        TapSums t;
        for (int64_t i = 0; i < k; ++i)
          t.add(x[m * k + i], w[i * n + j]);
        fn(m * n + j, j, t);
      }
    return;
  }
  const Window &win = c.win;
  int64_t h = in[1], wd = in[2], cin = in[3];
  int64_t oh = out[1], ow = out[2], o = out[3];
  for (int64_t n = 0; n < in[0]; ++n)
    for (int64_t oy = 0; oy < oh; ++oy)
      for (int64_t ox = 0; ox < ow; ++ox)
        for (int64_t oc = 0; oc < o; ++oc) {
          TapSums t;
          for (int64_t ky = 0; ky < win.kh; ++ky) {
            int64_t iy = oy * win.stride[0] - win.pad[0] + ky * win.dilation[0];
            if (iy < 0 || iy >= h)
              continue;
            for (int64_t kx = 0; kx < win.kw; ++kx) {
              int64_t ix =
                  ox * win.stride[1] - win.pad[2] + kx * win.dilation[1];
              if (ix < 0 || ix >= wd)
                continue;
              const float *px = &x[((n * h + iy) * wd + ix) * cin];
              if (c.kind == Kind::Conv) {
                const float *pw = &w[((oc * win.kh + ky) * win.kw + kx) * cin];
                for (int64_t i = 0; i < cin; ++i)
                  t.add(px[i], pw[i]);
              } else {
                // KH x KW x C x M: output channel ci * M + m.
                int64_t ci = oc / c.mult;
                t.add(px[ci], w[(ky * win.kw + kx) * o + oc]);
              }
            }
          }
          fn(((n * oh + oy) * ow + ox) * o + oc, oc, t);
        }
}

/// The quantized compute op the single layer became, when the function
/// returns its result through reshapes and its activation only: fused into
/// a table (intq.lookup), a requantization, or a float island (dequantize,
/// tosa.clamp, quantize, as for 16-bit values). `steps` counts the
/// roundings to an output scale after the compute op's own.
Operation *singleComputeOp(func::FuncOp f, int &steps) {
  auto ret = cast<func::ReturnOp>(f.getBody().front().getTerminator());
  steps = 0;
  if (ret.getNumOperands() != 1)
    return nullptr;
  Value v = ret.getOperand(0);
  for (;;) {
    Operation *def = v.getDefiningOp();
    if (!def)
      return nullptr;
    if (isa<intq::Conv2DOp, intq::MatMulOp>(def))
      return def;
    if (isa<intq::LookupOp, intq::RequantizeOp, mq::QuantizeCastOp>(def))
      ++steps;
    else if (!isa<tosa::ReshapeOp, tensor::CollapseShapeOp,
                  tensor::ExpandShapeOp, mq::DequantizeCastOp, tosa::ClampOp>(
                 def))
      return nullptr;
    v = def->getOperand(0);
  }
}

/// The scales the bound needs, read from the quantized IR.
struct LayerScales {
  double in = 0, out = 0; // the compute op's
  SmallVector<double> w;  // per output channel
  int steps = 0;          // roundings after the compute op
};

//===----------------------------------------------------------------------===//
// Known open bugs
//===----------------------------------------------------------------------===//

/// The open bug a case runs into, if any. Such cases are skipped, not
/// failed, unless INTQ_FUZZ_KNOWN_BUGS=1: a bounded run then reports new bugs
/// only. Each entry is a predicate on the case (it may cover more cases than
/// fail, never fewer) with an XFAIL reproducer in test/E2E/ and its input in
/// Inputs/ptq-fuzz-regressions/; both go with the fix.
const char *knownBug(const Case &) {
  // None is open. The first (crash-4f7aefc6...: the x86-avx512vnni matmul
  // on the strided output of a one-channel conv could not be lowered) is
  // fixed: kernels read a contiguous copy of such activations.
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Running a case
//===----------------------------------------------------------------------===//

bool verbose() {
  static const bool v = intq::fuzz::envFlag("INTQ_FUZZ_VERBOSE");
  return v;
}

using Outputs = std::vector<std::vector<uint8_t>>;

/// One case from its float model to the checks; any failure aborts.
class CaseRun {
public:
  explicit CaseRun(const Case &c) : c(c) {
    int64_t batch = c.inShape[0], perBatch = batch * features(c.inShape);
    calib = samplesOf(c.calib, c.inShape, c.batches * batch);
    if (c.fresh) {
      ValueSpec spec = c.calib;
      spec.seed ^= 0x9e3779b9u;
      spec.scale *= c.freshScale;
      input = samplesOf(spec, c.inShape, batch);
    } else {
      input.assign(calib.begin() + c.runBatch * perBatch,
                   calib.begin() + (c.runBatch + 1) * perBatch);
    }
    inputs = {std::vector<uint8_t>(input.size() * sizeof(float))};
    std::memcpy(inputs[0].data(), input.data(), inputs[0].size());
    cc.ctx.loadDialect<func::FuncDialect, tosa::TosaDialect>();
    floatModel = ModelBuilder(&cc.ctx).build(c);
    fail = Failure{&c, *floatModel, &calib, &input};
  }

  /// libFuzzer's result: 0, or -1 for an input that is no case (the
  /// documented refusal of a multiplier beyond the arithmetic contract).
  int run();

private:
  void quantize();
  FailureOr<intq::JitModel> compile(const intq::fuzz::Kernels &kernels);
  Outputs execute(intq::JitModel &jit, bool atEnd, const char *what);
  void compare(const Outputs &reference, const Outputs &got,
               const intq::JitModel &jit, const std::string &what);
  bool bounded() const;
  void checkAccuracy(const Outputs &quantizedOutputs,
                     const intq::JitModel &jit);

  const Case &c;
  const std::string calibFile = tempCalibFile();
  std::vector<float> calib, input;
  Outputs inputs;
  intq::fuzz::CaseContext cc;
  OwningOpRef<ModuleOp> floatModel, quantized;
  Failure fail;
  /// The quantized function's result types (before its final dequantize).
  SmallVector<Type> resultTypes;
  LayerScales scales;
  bool singleLayer = false;
  std::string refusal;
};

/// PTQ: calibrate, propagate ranges, assign scales, quantize, verified
/// after each pass; then every conv / matmul must be quantized (each has a
/// calibrated input and constant weights here).
void CaseRun::quantize() {
  if (!writeFile(calibFile, calib.data(), calib.size() * sizeof(float)))
    fail("cannot write " + calibFile);
  std::string options = ptqOptions(c, calibFile);
  auto ptqOpts = intq::PtqPipelineOptions::createFromString(options);
  if (!ptqOpts)
    fail("invalid PTQ options '" + options + "'");
  quantized = floatModel->clone();
  PassManager pm(&cc.ctx);
  std::string message;
  llvm::raw_string_ostream os(message);
  if (failed(intq::buildPtqPipeline(pm, *ptqOpts, os)))
    fail("building the PTQ pipeline failed: " + message);
  if (failed(pm.run(*quantized)))
    fail("the PTQ pipeline failed:\n" + cc.diagnostics);
  std::remove(calibFile.c_str());
  if (!cc.errors.empty())
    fail("the PTQ pipeline succeeded with errors:\n" + cc.errors);
  if (verbose() && !cc.diagnostics.empty())
    std::fprintf(stderr, "PTQ diagnostics:\n%s", cc.diagnostics.c_str());
  quantized->walk([&](Operation *op) {
    if (isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::MatMulOp>(op))
      fail("the PTQ pipeline left " + op->getName().getStringRef().str() +
           " at " + str(op->getLoc()) + " in float:\n" + cc.diagnostics);
  });

  func::FuncOp entry = entryOf(*quantized);
  returnStorage(entry);
  resultTypes.assign(entry.getResultTypes().begin(),
                     entry.getResultTypes().end());
  if (Operation *op = singleComputeOp(entry, scales.steps)) {
    singleLayer = true;
    scales.in = scaleOf(op->getOperand(0).getType(), 0);
    scales.out = scaleOf(op->getResult(0).getType(), 0);
    Type w = op->getOperand(1).getType();
    for (int64_t o = 0, n = cast<ShapedType>(w).getDimSize(0); o < n; ++o)
      scales.w.push_back(scaleOf(w, o));
  }
  refusal = unrepresentableMultiplier(*quantized);
}

/// JIT-compiles a copy of the quantized model; failing is a failure unless
/// the model holds a multiplier that must be refused.
FailureOr<intq::JitModel>
CaseRun::compile(const intq::fuzz::Kernels &kernels) {
  OwningOpRef<ModuleOp> copy(quantized->clone());
  intq::CodegenPipelineOptions codegen;
  kernels.apply(codegen);
  FailureOr<intq::JitModel> jit =
      intq::jitCompile(*copy, /*ptq=*/false, "", codegen);
  if (failed(jit) && refusal.empty())
    fail("compiling the quantized model with kernels " + kernels.describe() +
         " failed:\n" + cc.diagnostics);
  return jit;
}

/// Runs on guarded buffers: ending at a guard page with the outputs
/// prefilled with 0xA5, or starting after one, prefilled with 0x5A (an
/// output element left unwritten cannot match both times).
Outputs CaseRun::execute(intq::JitModel &jit, bool atEnd, const char *what) {
  auto outs = intq::fuzz::runGuarded(jit, inputs, atEnd, atEnd ? 0xA5 : 0x5A);
  if (failed(outs))
    fail(std::string("running the ") + what + " failed");
  return std::move(*outs);
}

void CaseRun::compare(const Outputs &reference, const Outputs &got,
                      const intq::JitModel &jit, const std::string &what) {
  for (size_t o = 0; o < got.size(); ++o) {
    if (got[o] == reference[o])
      continue;
    Type storage = jit.outputTypes[o];
    auto qt = dyn_cast<mq::QuantizedType>(getElementTypeOrSelf(resultTypes[o]));
    bool isSigned = !qt || qt.isSigned();
    const auto &shape = jit.outputShapes[o];
    int64_t n = intq::numElements(shape), mismatches = 0;
    std::string report;
    llvm::raw_string_ostream os(report);
    for (int64_t i = 0; i < n; ++i) {
      double e = decodeElement(reference[o], storage, isSigned, i),
             a = decodeElement(got[o], storage, isSigned, i);
      if (std::memcmp(&e, &a, sizeof e) == 0)
        continue;
      if (mismatches++ < 8)
        os << "  at [" << intq::fuzz::formatIndex(shape, i) << "]: plain loops "
           << fmt(e) << ", got " << fmt(a) << "\n";
    }
    fail(std::to_string(mismatches) + " of " + std::to_string(n) +
         " output elements differ from plain loops (" + what + ", " +
         str(resultTypes[o]) + "):\n" + report);
  }
}

/// Whether the accuracy bound is sound for the case: one conv / depthwise
/// / fully connected layer (and its activation), weights rounded to 8 bits
/// with max |w| per scale (no clipping), max calibration and the input
/// among the samples (no activation clipped), biases as given.
bool CaseRun::bounded() const {
  const Layer &first = c.layers.front();
  return c.layers.size() == 1 &&
         (first.kind == Kind::Conv || first.kind == Kind::Depthwise ||
          first.kind == Kind::FullyConnected) &&
         c.weightBits == 8 && c.method == "max" && !c.biasCorrection &&
         !c.fresh;
}

/// Every dequantized output against the float model's: the quantized input,
/// weights and bias represent x + e, w + d and b + f with |e| <= s_in / 2,
/// |d| <= s_w / 2, |f| <= s_in s_w / 2, so the quantized pre-activation
/// differs from the float one by at most sum |x| s_w / 2 + sum |w| s_in / 2
/// + taps s_in s_w / 4 + s_in s_w / 2 over the taps that read the input;
/// the output stage adds its rounding, and clamps (1-Lipschitz) add
/// nothing. Twice that, plus float32 accumulation error, must hold.
void CaseRun::checkAccuracy(const Outputs &quantizedOutputs,
                            const intq::JitModel &jit) {
  const Layer &first = c.layers.front();
  const Compute &layer = first.compute;
  // Every conv / matmul is quantized (checked after PTQ); an output reached
  // through ops the bound does not model is not checked, never failed.
  if (!singleLayer) {
    if (verbose())
      std::fprintf(stderr, "  accuracy bound not checked: the output is not "
                           "the quantized layer's through reshapes and its "
                           "activation\n");
    return;
  }
  SmallVector<int64_t> wShape;
  std::vector<float> w = weightsOf(layer, first.in, wShape);
  std::vector<float> bias = biasOf(layer, first.in);
  if (layer.kind == Kind::FullyConnected && !layer.bias)
    std::fill(bias.begin(), bias.end(), 0.0f);
  if (int64_t(scales.w.size()) != numOut(layer, first.in))
    fail("the quantized layer has " + std::to_string(scales.w.size()) +
         " output channels, the model " +
         std::to_string(numOut(layer, first.in)));

  OwningOpRef<ModuleOp> floatCopy(floatModel->clone());
  intq::CodegenPipelineOptions hostCodegen;
  hostCodegen.kernels = intq::hostKernels();
  FailureOr<intq::JitModel> floatJit =
      intq::jitCompile(*floatCopy, /*ptq=*/false, "", hostCodegen);
  if (failed(floatJit))
    fail("compiling the float model failed:\n" + cc.diagnostics);
  std::vector<uint8_t> floatBytes = execute(*floatJit, true, "float model")[0];
  std::vector<float> y(floatBytes.size() / sizeof(float));
  std::memcpy(y.data(), floatBytes.data(), floatBytes.size());
  auto outQ =
      cast<mq::UniformQuantizedType>(getElementTypeOrSelf(resultTypes[0]));
  Type storage = jit.outputTypes[0];
  const auto &outShape = jit.outputShapes[0];

  int64_t beyond = 0;
  double worstExcess = -1, maxRatio = 0;
  std::string worstReport;
  const double eps = std::ldexp(1.0, -23);
  auto check = [&](int64_t i, int64_t oc, const TapSums &t) {
    double sIn = scales.in, sW = scales.w[oc], sOut = scales.out;
    double q = decodeElement(quantizedOutputs[0], storage, outQ.isSigned(), i);
    double deq = (q - outQ.getZeroPoint()) * outQ.getScale();
    double yf = y[i];
    // Per rounding to an output scale: half a step, up to half a step more
    // for the gemmlowp double rounding, half a step each where the clamp
    // bounds and the range's ends are rounded to it.
    double bound =
        2.0 * (sW / 2 * t.x + sIn / 2 * t.w + t.taps * sIn * sW / 4 +
               sIn * sW / 2 + 2 * sOut + scales.steps * 2 * outQ.getScale()) +
        2.0 * (t.taps + 8) * eps * (t.xw + std::abs(bias[oc])) +
        16 * eps * std::abs(yf);
    double err = std::abs(deq - yf);
    maxRatio = std::max(maxRatio, err / bound);
    if (err <= bound)
      return;
    ++beyond;
    if (err - bound <= worstExcess)
      return;
    worstExcess = err - bound;
    worstReport =
        "at [" + intq::fuzz::formatIndex(outShape, i) + "]: float " + fmt(yf) +
        ", quantized " + fmt(q) + " -> " + fmt(deq) + ", error " + fmt(err) +
        " > bound " + fmt(bound) + " (input scale " + fmt(sIn) +
        ", weight scale " + fmt(sW) + ", output scale " + fmt(sOut) + " then " +
        fmt(outQ.getScale()) + " after " + std::to_string(scales.steps) +
        " steps, " + std::to_string(t.taps) + " taps, sum|x| " + fmt(t.x) +
        ", sum|w| " + fmt(t.w) + ")";
  };
  forEachOutput(layer, first.in, first.out, input, w, check);
  if (beyond)
    fail(std::to_string(beyond) + " of " +
         std::to_string(intq::numElements(outShape)) +
         " dequantized outputs are beyond the error bound of the float "
         "model's; worst " +
         worstReport);
  if (verbose())
    std::fprintf(stderr, "  accuracy bound checked: error / bound <= %g\n",
                 maxRatio);
}

int CaseRun::run() {
  static const bool selfTest = intq::fuzz::envFlag("INTQ_FUZZ_SELF_TEST");
  static const bool knownBugs = intq::fuzz::envFlag("INTQ_FUZZ_KNOWN_BUGS");
  if (verbose())
    std::fprintf(stderr, "%s\n", describe(c, calibFile).c_str());
  if (!knownBugs)
    if (const char *bug = knownBug(c)) {
      if (verbose())
        std::fprintf(stderr, "  skipped, known bug: %s\n", bug);
      return -1;
    }
  if (failed(verify(*floatModel)))
    fail("the generated float model does not verify (a harness bug):\n" +
         cc.diagnostics);
  if (verbose())
    std::fprintf(stderr, "%s\n", str(*floatModel).c_str());
  quantize();

  // Differential: plain loops against the picked kernels, bit for bit.
  FailureOr<intq::JitModel> plain = compile({"none"});
  if (failed(plain)) {
    // The documented refusal, on a multiplier the scales really give.
    if (verbose())
      std::fprintf(stderr, "  refused: %s\n  %s\n", refusal.c_str(),
                   fail.dump().c_str());
    return -1;
  }
  if (!refusal.empty())
    fail("plain loops compile although the quantized model has a " + refusal +
         " beyond the arithmetic contract");
  FailureOr<intq::JitModel> kernels = compile(c.kernels);
  Outputs reference = execute(*plain, true, "plain loops");
  Outputs plainOutputs = reference;
  if (selfTest)
    reference[0].back() ^= 1;
  std::string k = "kernels " + c.kernels.describe();
  compare(reference, execute(*kernels, true, "model"), *plain,
          k + ", first run");
  compare(reference, execute(*kernels, false, "model"), *plain,
          k + ", second run");
  compare(reference, execute(*plain, false, "model"), *plain,
          "kernels none, second run");

  if (bounded())
    checkAccuracy(plainOutputs, *plain);
  return 0;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv) {
  for (int i = 1; i < *argc; ++i) {
    StringRef arg((*argv)[i]);
    if (arg.consume_front("-artifact_prefix="))
      artifactPrefix() = arg.str();
  }
  intq::fuzz::initialize();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  const Case c = decode(fdp);
  return CaseRun(c).run();
}
