//===- intq-import-onnx.cpp - ONNX model to float MLIR --------------------===//
//
//   intq-import-onnx model.onnx --input-shape input=1x1x28x28 -o model.mlir
//
//===----------------------------------------------------------------------===//

#include "intq/Import/OnnxImporter.h"
#include "intq/InitAll.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
namespace cl = llvm::cl;

/// The tool's own options: --help lists these only (LLVM's hundreds of
/// codegen options stay accepted but hidden).
static cl::OptionCategory toolOptions("intq-import-onnx options");

static cl::opt<std::string> inputFilename(cl::Positional,
                                          cl::desc("<input .onnx>"),
                                          cl::Required,
    cl::cat(toolOptions));
static cl::opt<std::string> outputFilename("o", cl::desc("Output file"),
                                           cl::value_desc("filename"),
                                           cl::init("-"),
    cl::cat(toolOptions));
static cl::opt<std::string> inputShapes(
    "input-shape",
    cl::desc("Static shapes of graph inputs, ONNX order: name=1x3x224x224 "
             "(comma-separated for several inputs)"),
    cl::init(""),
    cl::cat(toolOptions));
static cl::opt<std::string> functionName("function-name",
                                         cl::desc("Name of the function"),
                                         cl::init("main"),
    cl::cat(toolOptions));
static cl::opt<int64_t> inlineConstantLimit(
    "inline-constant-limit",
    cl::desc("Constants with more elements than this are emitted as "
             "dense_resource blobs (default 1024)"),
    cl::init(1024),
    cl::cat(toolOptions));
static cl::opt<bool> emitBytecode(
    "emit-bytecode", cl::desc("Write MLIR bytecode instead of text"),
    cl::init(false),
    cl::cat(toolOptions));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(toolOptions);
  cl::ParseCommandLineOptions(argc, argv, "intq ONNX importer\n");
  intq::OnnxImportOptions options;
  options.functionName = functionName;
  if (inlineConstantLimit < 0) {
    llvm::errs() << "intq-import-onnx: --inline-constant-limit must not be "
                    "negative\n";
    return 1;
  }
  options.inlineConstantLimit = inlineConstantLimit;
  std::string error;
  if (!inputShapes.empty() &&
      failed(intq::parseInputShapes(inputShapes, options, error))) {
    llvm::errs() << "intq-import-onnx: --input-shape: " << error << "\n";
    return 1;
  }
  auto buffer = openInputFile(inputFilename, &error);
  if (!buffer) {
    llvm::errs() << "intq-import-onnx: " << error << "\n";
    return 1;
  }
  DialectRegistry registry;
  intq::registerAllIntQDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  auto module = intq::importOnnxModel(buffer->getMemBufferRef(), &context,
                                      options);
  if (!module)
    return 1;
  auto out = openOutputFile(outputFilename, &error);
  if (!out) {
    llvm::errs() << "intq-import-onnx: " << error << "\n";
    return 1;
  }
  if (emitBytecode) {
    if (failed(writeBytecodeToFile(*module, out->os()))) {
      llvm::errs() << "intq-import-onnx: could not write bytecode\n";
      return 1;
    }
  } else {
    // With locations: they carry the ONNX node names (layer names).
    module->print(out->os(), OpPrintingFlags().enableDebugInfo());
  }
  out->keep();
  return 0;
}
