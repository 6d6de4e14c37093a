//===- Runner.cpp - run a float model over samples and record ranges ------===//

#include "intq/Calibration/Runner.h"

#include "intq/Dialect/IntQ/IntQ.h"
#include "intq/Runtime/Idx.h"
#include "intq/Target/Compile.h"
#include "intq/Target/Jit.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/Pass.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

std::optional<intq::CalibrationMethod>
intq::parseCalibrationMethod(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<CalibrationMethod>>(name)
      .Case("max", CalibrationMethod::Max)
      .Case("percentile", CalibrationMethod::Percentile)
      .Case("mse", CalibrationMethod::Mse)
      .Case("entropy", CalibrationMethod::Entropy)
      .Default(std::nullopt);
}

namespace {

/// The calibration samples: `count` model inputs of `perSample` floats.
struct Samples {
  intq::IdxImages images; // Fashion-MNIST, scaled on the fly
  std::vector<float> raw;
  int64_t perSample = 0, count = 0;
  void copy(int64_t first, int64_t n, float *dst) const {
    for (int64_t i = 0; i < n * perSample; ++i)
      dst[i] = raw.empty() ? images.pixels[first * perSample + i] / 255.0f
                           : raw[first * perSample + i];
  }
};

LogicalResult loadSamples(func::FuncOp entry, const intq::CalibrationConfig &c,
                          int64_t perSample, Samples &s) {
  if (c.fashionMnist.empty() == c.rawInput.empty())
    return entry.emitError("calibration needs exactly one sample source "
                           "(fashion-mnist or raw-input)");
  std::string error;
  s.perSample = perSample;
  if (!c.fashionMnist.empty()) {
    if (!intq::readIdxImages(c.fashionMnist + "/train-images-idx3-ubyte.gz",
                             s.images, error))
      return entry.emitError("calibration data: ") << error;
    if (perSample != s.images.rows * s.images.cols)
      return entry.emitError("calibration data: a model input sample holds ")
             << perSample << " values, a Fashion-MNIST image "
             << s.images.rows * s.images.cols << " (1x" << s.images.rows
             << "x" << s.images.cols << ")";
    s.count = s.images.count;
    return success();
  }
  int64_t bytes = intq::readRawFloats(c.rawInput, s.raw, error);
  if (bytes < 0)
    return entry.emitError("calibration data: ") << error;
  if (bytes == 0 || bytes % int64_t(perSample * sizeof(float)))
    return entry.emitError("calibration data: ")
           << c.rawInput << " holds " << bytes
           << " bytes, not a whole number of model input samples ("
           << perSample * sizeof(float) << " bytes each)";
  s.count = static_cast<int64_t>(s.raw.size()) / perSample;
  return success();
}

/// Clones `probe` into `ctx` through bytecode.
OwningOpRef<ModuleOp> cloneInto(ModuleOp probe, MLIRContext &ctx) {
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  if (failed(writeBytecodeToFile(probe, os)))
    return nullptr;
  return parseSourceString<ModuleOp>(bytes, ParserConfig(&ctx));
}

} // namespace

LogicalResult intq::calibrateFunction(func::FuncOp entry,
                                      const CalibrationConfig &config) {
  if (config.method == CalibrationMethod::Percentile &&
      !(config.percentile > 50.0 && config.percentile <= 100.0)) {
    std::string value;
    llvm::raw_string_ostream(value) << llvm::format("%g", config.percentile);
    return entry.emitError("calibration percentile must be in (50, 100], "
                           "got ")
           << value;
  }
  // The samples first: a bad source is reported before anything is
  // compiled. Calibration runs models of one static f32 input.
  if (entry.getNumArguments() != 1)
    return entry.emitError("calibration supports models with one input, ")
           << entry.getName() << " has " << entry.getNumArguments();
  auto inTy = llvm::dyn_cast<RankedTensorType>(entry.getArgument(0).getType());
  if (!inTy || !inTy.hasStaticShape() || !inTy.getElementType().isF32())
    return entry.emitError("calibration needs a static f32 tensor input, got ")
           << entry.getArgument(0).getType();
  int64_t inN = inTy.getNumElements();
  int64_t batch = inTy.getRank() == 0 ? 1 : inTy.getDimSize(0);
  Samples samples;
  if (failed(loadSamples(entry, config, inN / batch, samples)))
    return failure();
  int64_t total = std::min<int64_t>(config.images, samples.count);
  total -= total % batch;
  if (total <= 0)
    return entry.emitError("calibration needs at least one batch of ")
           << batch << " samples; " << samples.count << " available, "
           << config.images << " asked for";

  SmallVector<Value> points = selectCalibrationPoints(entry);
  OwningOpRef<ModuleOp> probe = buildProbeModule(entry, points);

  // The JIT needs the host target (idempotent; tools may have done it).
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  // A private context: the JIT pipeline loads dialects and rewrites the
  // probe, neither of which may touch the caller's context mid-pass.
  DialectRegistry registry;
  entry->getContext()->getDialectRegistry().appendTo(registry);
  initializeCompiler(registry);
  MLIRContext ctx(registry, MLIRContext::Threading::DISABLED);
  // Diagnostics of the private context go to the caller's handler, at the
  // function (the probe's locations are the model's own).
  ScopedDiagnosticHandler forward(&ctx, [&](Diagnostic &d) {
    InFlightDiagnostic out = emitError(entry.getLoc());
    out << "while compiling the model for calibration: " << d.str();
    return success();
  });
  OwningOpRef<ModuleOp> local = cloneInto(*probe, ctx);
  if (!local)
    return entry.emitError("cannot copy the model for calibration");
  FailureOr<JitModel> jit = jitCompile(*local, /*ptq=*/false);
  if (failed(jit))
    return failure();

  std::vector<float> x(inN);
  std::vector<std::vector<float>> outs(jit->outputShapes.size());
  SmallVector<float *> outPtrs;
  for (size_t i = 0; i < outs.size(); ++i) {
    outs[i].resize(numElements(jit->outputShapes[i]));
    outPtrs.push_back(outs[i].data());
  }
  size_t first = entry.getNumResults();
  std::vector<RangeObserver> observers(points.size());
  // Per-channel means (channels innermost, NHWC) for bias correction.
  for (size_t p = 0; p < points.size(); ++p) {
    auto ty = llvm::cast<RankedTensorType>(points[p].getType());
    if (ty.getRank() >= 1)
      observers[p].trackChannels(ty.getDimSize(ty.getRank() - 1));
  }
  // Pass 1: min/max. Pass 2 (histogram methods): a fixed-range histogram
  // per tensor over that range. Memory is constant in the sample count.
  int passes = config.method == CalibrationMethod::Max ? 1 : 2;
  std::vector<Histogram> histograms(points.size());
  for (int pass = 0; pass < passes; ++pass) {
    if (pass == 1)
      for (size_t p = 0; p < points.size(); ++p)
        histograms[p].reset(observers[p].min, observers[p].max);
    for (int64_t start = 0; start < total; start += batch) {
      samples.copy(start, batch, x.data());
      if (failed(jit->run({x.data()}, outPtrs)))
        return entry.emitError("running the model for calibration failed");
      for (size_t p = 0; p < points.size(); ++p) {
        const float *v = outs[first + p].data();
        int64_t cnt = outs[first + p].size();
        if (pass == 0)
          observers[p].observe(v, cnt);
        else
          histograms[p].observe(v, cnt);
      }
      // Progress, about 20 updates per pass.
      int64_t step = std::max<int64_t>(batch, total / 20 / batch * batch);
      if (config.progress &&
          ((start + batch) % step == 0 || start + batch == total))
        llvm::errs() << "\rintq-calibrate: pass " << pass + 1 << "/"
                     << passes << ", " << start + batch << "/" << total
                     << " samples";
    }
  }
  if (config.progress)
    llvm::errs() << ", " << points.size() << " tensors observed\n";
  for (size_t p = 0; p < points.size(); ++p) {
    if (observers[p].nonFinite)
      emitWarning(points[p].getLoc())
          << observers[p].nonFinite
          << " NaN or infinite values were observed here and ignored";
    if (!observers[p].seenFinite)
      emitWarning(points[p].getLoc())
          << "no finite value was observed here: the range is [0, 0]";
  }
  if (passes == 2)
    for (size_t p = 0; p < points.size(); ++p) {
      auto [lo, hi] =
          chooseRange(histograms[p], config.method, config.percentile);
      observers[p].min = lo;
      observers[p].max = hi;
    }
  annotateRanges(points, observers);
  return success();
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace intq {
#define GEN_PASS_DECL
#define GEN_PASS_DEF_CALIBRATE
#include "intq/Calibration/Passes.h.inc"
} // namespace intq

namespace {
struct CalibratePass : intq::impl::CalibrateBase<CalibratePass> {
  using CalibrateBase::CalibrateBase;
  void runOnOperation() override {
    func::FuncOp entry;
    getOperation().walk([&](func::FuncOp f) {
      if (!entry && f.isPublic() && !f.isExternal())
        entry = f;
    });
    if (!entry) {
      getOperation().emitError("no public function to calibrate");
      return signalPassFailure();
    }
    intq::CalibrationConfig config;
    auto m = intq::parseCalibrationMethod(method);
    if (!m) {
      entry.emitError("calibration method must be max, percentile, mse or "
                      "entropy, got '")
          << method << "'";
      return signalPassFailure();
    }
    config.method = *m;
    config.fashionMnist = fashionMnist;
    config.rawInput = rawInput;
    config.percentile = percentile;
    config.images = images;
    config.progress = progress;
    if (failed(intq::calibrateFunction(entry, config)))
      signalPassFailure();
  }
};
} // namespace

namespace intq {
#define GEN_PASS_REGISTRATION
#include "intq/Calibration/Passes.h.inc"
} // namespace intq

void intq::registerCalibrationPasses() { registerIntQCalibrationPasses(); }
