//===- intq-calibrate.cpp - record activation ranges from real data -------===//
//
//   intq-calibrate model.mlir --fashion-mnist=DIR [--images=512] -o out.mlir
//
// Runs the float model (JIT) over calibration images from the training set,
// observing the range of every tensor quantization needs
// (selectCalibrationPoints), and writes the model back with intq.stats
// annotations holding the observed ranges (the "max" method; memory does
// not grow with the number of images). The result feeds
// --intq-ptq-pipeline / intq-compile --ptq / intq-run --ptq.
//
//===----------------------------------------------------------------------===//

#include "intq/Calibration/Calibration.h"
#include "intq/InitAll.h"
#include "intq/Runtime/Idx.h"
#include "intq/Target/Compile.h"
#include "intq/Target/Jit.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"


using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFilename(cl::Positional,
                                          cl::desc("<float model .mlir>"),
                                          cl::Required);
static cl::opt<std::string> outputFilename("o", cl::desc("Output file"),
                                           cl::init("-"));
static cl::opt<std::string>
    fashionMnist("fashion-mnist",
                 cl::desc("Directory of the Fashion-MNIST IDX files (the "
                          "training images are used)"));
static cl::opt<std::string>
    rawInput("raw-input",
             cl::desc("Calibrate on raw float32 samples instead: a file "
                      "holding a whole number of model inputs, back to back"));
static cl::opt<intq::CalibrationMethod> method(
    "method", cl::desc("How a range is derived from the observations"),
    cl::init(intq::CalibrationMethod::Max),
    cl::values(clEnumValN(intq::CalibrationMethod::Max, "max",
                          "observed minimum and maximum"),
               clEnumValN(intq::CalibrationMethod::Percentile, "percentile",
                          "central --percentile % on each side"),
               clEnumValN(intq::CalibrationMethod::Mse, "mse",
                          "minimum expected quantization error"),
               clEnumValN(intq::CalibrationMethod::Entropy, "entropy",
                          "minimum KL divergence (TensorRT's method)")));
static cl::opt<double> percentile("percentile",
                                  cl::desc("for --method=percentile"),
                                  cl::init(99.99));
static cl::opt<int64_t> images("images",
                               cl::desc("Number of calibration images"),
                               cl::init(512));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  intq::registerAllIntQPasses();
  cl::ParseCommandLineOptions(argc, argv, "intq calibration\n");
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  DialectRegistry registry;
  intq::registerAllIntQDialects(registry);
  intq::initializeCompiler(registry);
  MLIRContext ctx(registry);

  std::string error;
  auto buffer = openInputFile(inputFilename, &error);
  if (!buffer) {
    llvm::errs() << "intq-calibrate: " << error << "\n";
    return 1;
  }
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
  SourceMgrDiagnosticHandler handler(sourceMgr, &ctx);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &ctx);
  if (!module)
    return 1;
  func::FuncOp entry;
  module->walk([&](func::FuncOp f) {
    if (!entry && f.isPublic() && !f.isExternal())
      entry = f;
  });
  if (!entry) {
    module->emitError("no public function to calibrate");
    return 1;
  }
  SmallVector<Value> points = intq::selectCalibrationPoints(entry);

  // A copy of the model that also returns every observed value.
  OwningOpRef<ModuleOp> probe = intq::buildProbeModule(entry, points);
  auto jit = intq::jitCompile(*probe, /*ptq=*/false);
  if (failed(jit))
    return 1;
  if (jit->inputShapes.size() != 1) {
    llvm::errs() << "intq-calibrate: models with one input only\n";
    return 1;
  }

  if (fashionMnist.empty() == rawInput.empty()) {
    llvm::errs() << "intq-calibrate: give exactly one of --fashion-mnist and "
                    "--raw-input\n";
    return 1;
  }
  int64_t inN = intq::numElements(jit->inputShapes[0]);
  int64_t batch = jit->inputShapes[0][0];
  // The calibration samples: Fashion-MNIST training images scaled to [0, 1]
  // (batch-sized groups), or whole model inputs read from a raw file.
  intq::IdxImages data;
  std::vector<float> raw;
  int64_t per = inN / batch, available = 0;
  if (!fashionMnist.empty()) {
    if (!intq::readIdxImages(fashionMnist + "/train-images-idx3-ubyte.gz",
                             data, error)) {
      llvm::errs() << "intq-calibrate: " << error << "\n";
      return 1;
    }
    if (inN != batch * data.rows * data.cols) {
      llvm::errs() << "intq-calibrate: the model input must be Bx1x"
                   << data.rows << "x" << data.cols << "\n";
      return 1;
    }
    available = data.count;
  } else {
    int64_t bytes = intq::readRawFloats(rawInput, raw, error);
    if (bytes < 0) {
      llvm::errs() << "intq-calibrate: " << error << "\n";
      return 1;
    }
    if (bytes == 0 || bytes % int64_t(inN * sizeof(float))) {
      llvm::errs() << "intq-calibrate: " << rawInput << " holds " << bytes
                   << " bytes, not a whole number of model inputs ("
                   << inN * sizeof(float) << " bytes each)\n";
      return 1;
    }
    available = raw.size() / per;
  }
  int64_t total = std::min<int64_t>(images, available);
  total -= total % batch;
  if (total == 0) {
    llvm::errs() << "intq-calibrate: --images must be at least the batch "
                 << batch << "\n";
    return 1;
  }
  std::vector<float> x(inN);
  std::vector<std::vector<float>> outs(jit->outputShapes.size());
  SmallVector<float *> outPtrs;
  for (size_t i = 0; i < outs.size(); ++i) {
    outs[i].resize(intq::numElements(jit->outputShapes[i]));
    outPtrs.push_back(outs[i].data());
  }
  size_t first = entry.getNumResults();
  std::vector<intq::RangeObserver> observers(points.size());
  // Per-channel means (channels innermost, NHWC) for bias correction.
  for (size_t p = 0; p < points.size(); ++p) {
    auto ty = llvm::cast<RankedTensorType>(points[p].getType());
    if (ty.getRank() >= 1)
      observers[p].trackChannels(ty.getDimSize(ty.getRank() - 1));
  }
  // Pass 1: min/max. Pass 2 (histogram methods): a fixed-range histogram
  // per tensor over that range. Memory is constant in the image count.
  int passes = method == intq::CalibrationMethod::Max ? 1 : 2;
  std::vector<intq::Histogram> histograms(points.size());
  for (int pass = 0; pass < passes; ++pass) {
    if (pass == 1)
      for (size_t p = 0; p < points.size(); ++p)
        histograms[p].reset(observers[p].min, observers[p].max);
    for (int64_t start = 0; start < total; start += batch) {
      for (int64_t i = 0; i < inN; ++i)
        x[i] = raw.empty() ? data.pixels[start * per + i] / 255.0f
                           : raw[start * per + i];
      if (failed(jit->run({x.data()}, outPtrs)))
        return 1;
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
      if ((start + batch) % step == 0 || start + batch == total)
        llvm::errs() << "\rintq-calibrate: pass " << pass + 1 << "/"
                     << passes << ", " << start + batch << "/" << total
                     << " samples";
    }
  }
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
      auto [lo, hi] = intq::chooseRange(histograms[p], method, percentile);
      observers[p].min = lo;
      observers[p].max = hi;
    }
  intq::annotateRanges(points, observers);
  auto out = openOutputFile(outputFilename, &error);
  if (!out) {
    llvm::errs() << "intq-calibrate: " << error << "\n";
    return 1;
  }
  // Keep the locations: they carry the ONNX node names that per-layer
  // options (keep-float, layer-weight-bits) refer to.
  module->print(out->os(), OpPrintingFlags().enableDebugInfo());
  out->keep();
  return 0;
}
