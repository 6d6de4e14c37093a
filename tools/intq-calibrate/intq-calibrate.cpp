//===- intq-calibrate.cpp - record activation ranges from real data -------===//
//
//   intq-calibrate model.mlir --fashion-mnist=DIR [--images=512] -o out.mlir
//
// Runs the float model (JIT) over calibration images from the training set
// (or raw samples), observing the range of every tensor quantization needs
// (selectCalibrationPoints), and writes the model back with intq.stats
// annotations holding the ranges the --method derives (memory does not grow
// with the number of images). The result feeds --intq-ptq-pipeline /
// intq-compile --ptq / intq-run --ptq. The same as a pass:
// --intq-calibrate (intq::calibrateFunction does the work for both).
//
//===----------------------------------------------------------------------===//

#include "intq/Calibration/Runner.h"
#include "intq/InitAll.h"
#include "intq/Target/Compile.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
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

/// The tool's own options: --help lists these only (LLVM's hundreds of
/// codegen options stay accepted but hidden).
static cl::OptionCategory toolOptions("intq-calibrate options");

static cl::opt<std::string> inputFilename(cl::Positional,
                                          cl::desc("<float model .mlir>"),
                                          cl::Required,
    cl::cat(toolOptions));
static cl::opt<std::string> outputFilename("o", cl::desc("Output file"),
                                           cl::init("-"),
    cl::cat(toolOptions));
static cl::opt<std::string>
    fashionMnist("fashion-mnist",
                 cl::desc("Directory of the Fashion-MNIST IDX files (the "
                          "training images are used)"),
    cl::cat(toolOptions));
static cl::opt<std::string>
    rawInput("raw-input",
             cl::desc("Calibrate on raw float32 samples instead: a file "
                      "holding a whole number of model inputs, back to back"),
    cl::cat(toolOptions));
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
                          "minimum KL divergence (TensorRT's method)")),
    cl::cat(toolOptions));
static cl::opt<double> percentile("percentile",
                                  cl::desc("for --method=percentile"),
                                  cl::init(99.99),
    cl::cat(toolOptions));
static cl::opt<int64_t> images("images",
                               cl::desc("Number of calibration images"),
                               cl::init(512),
    cl::cat(toolOptions));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  intq::registerAllIntQPasses();
  cl::HideUnrelatedOptions(toolOptions);
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
  intq::CalibrationConfig config;
  config.fashionMnist = fashionMnist;
  config.rawInput = rawInput;
  config.method = method;
  config.percentile = percentile;
  config.images = images;
  config.progress = true;
  if (failed(intq::calibrateFunction(entry, config)))
    return 1;
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
