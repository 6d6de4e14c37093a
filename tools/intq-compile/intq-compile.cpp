//===- intq-compile.cpp - MLIR in, object file and C header out -----------===//
//
//   intq-compile model.mlir --target=aarch64 -o model.o --header=model.h
//
// Accepts MLIR at any intq level: float TOSA (with --ptq and intq.stats
// annotations it is quantized first, otherwise compiled in float), the
// quantized intq level, or integer linalg.
//
//===----------------------------------------------------------------------===//

#include "intq/InitAll.h"
#include "intq/Target/Compile.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
namespace cl = llvm::cl;

/// The tool's own options: --help lists these only (LLVM's hundreds of
/// codegen options stay accepted but hidden).
static cl::OptionCategory toolOptions("intq-compile options");

static cl::opt<std::string> inputFilename(cl::Positional,
                                          cl::desc("<input .mlir>"),
                                          cl::init("-"),
    cl::cat(toolOptions));
static cl::opt<std::string> outputFilename("o", cl::desc("Output file"),
                                           cl::value_desc("filename"),
                                           cl::init("-"),
    cl::cat(toolOptions));
static cl::opt<std::string>
    headerFilename("header", cl::desc("Also write a C header declaring the "
                                      "entry points"),
                   cl::value_desc("filename"),
    cl::cat(toolOptions));
static cl::opt<std::string>
    targetName("target", cl::desc("Target: x86_64 or aarch64 (or a triple)"),
               cl::init("x86_64"),
    cl::cat(toolOptions));
static cl::opt<std::string>
    cpuName("cpu", cl::desc("Target CPU (generic, native, sapphirerapids, "
                            "neoverse-v1, ...)"),
            cl::init("generic"),
    cl::cat(toolOptions));
static cl::opt<std::string>
    features("mattr", cl::desc("Target features, e.g. +avx512vnni or "
                               "+dotprod,+i8mm"),
             cl::init(""),
    cl::cat(toolOptions));
static cl::opt<unsigned> optLevel("O", cl::desc("Optimization level 0-3"),
                                  cl::init(3), cl::Prefix,
    cl::cat(toolOptions));
static cl::opt<std::string> symbolPrefix(
    "symbol-prefix",
    cl::desc("Prepend this to the name of every public function (so that "
             "several compiled models can be linked into one program)"),
    cl::init(""),
    cl::cat(toolOptions));
static cl::opt<std::string> kernels(
    "kernels",
    cl::desc("Matmul and conv kernels: auto (x86-amx, x86-avx512vnni, "
             "x86-avx2, aarch64-i8mm or aarch64-dotprod when the CPU has "
             "it, else "
             "generic; with x86-amx, layers with K < 33, under 17 rows or "
             "33 columns or under 2^20 MACs, and depthwise convs, take the "
             "VNNI kernels), none "
             "(plain loops), generic, x86-avx2, x86-avx512vnni, x86-amx, "
             "aarch64-dotprod, aarch64-i8mm"),
    cl::init("auto"),
    cl::cat(toolOptions));
static cl::opt<bool> emulateAmx(
    "emulate-amx",
    cl::desc("With --kernels=x86-amx: the tile operations as portable loops "
             "(for testing the AMX kernels without AMX hardware)"),
    cl::init(false), cl::cat(toolOptions));
static cl::opt<bool> emulateVnni(
    "emulate-vnni",
    cl::desc("With --kernels=x86-avx512vnni or x86-amx: the AVX512-VNNI dot "
             "products as portable vector arithmetic (for testing the x86 "
             "kernels on CPUs without AVX512-VNNI)"),
    cl::init(false), cl::cat(toolOptions));
static cl::opt<bool> callerWorkspace(
    "caller-workspace",
    cl::desc("Entry points take their transient memory as a last argument "
             "(void *workspace, 64-byte aligned, <name>_workspace_size() "
             "bytes) instead of allocating it on every call"),
    cl::init(false), cl::cat(toolOptions));
static cl::opt<bool> ptq("ptq", cl::desc("Quantize first (intq-ptq-pipeline)"),
                         cl::init(false),
    cl::cat(toolOptions));
static cl::opt<std::string> ptqOptions(
    "ptq-options",
    cl::desc("Options of the PTQ pipeline with --ptq, e.g. "
             "\"weight-bits=4 rounding=single\""),
    cl::init(""), cl::cat(toolOptions));
static cl::opt<intq::EmitKind> emitKind(
    "emit", cl::desc("What to emit"), cl::init(intq::EmitKind::Object),
    cl::values(clEnumValN(intq::EmitKind::Object, "obj", "object file"),
               clEnumValN(intq::EmitKind::Assembly, "asm", "assembly"),
               clEnumValN(intq::EmitKind::LLVMIR, "llvm", "LLVM IR"),
               clEnumValN(intq::EmitKind::MLIR, "mlir",
                          "the LLVM dialect after the codegen pipeline")),
    cl::cat(toolOptions));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  intq::registerAllIntQPasses();
  cl::HideUnrelatedOptions(toolOptions);
  cl::ParseCommandLineOptions(argc, argv, "intq compiler: MLIR to object\n");

  llvm::StringRef target(targetName);
  if (target != "x86_64" && target != "aarch64" &&
      !target.starts_with("x86_64-") && !target.starts_with("aarch64-")) {
    llvm::errs() << "intq-compile: unsupported target '" << targetName
                 << "' (supported: x86_64, aarch64)\n";
    return 1;
  }

  DialectRegistry registry;
  intq::registerAllIntQDialects(registry);
  intq::initializeCompiler(registry);
  MLIRContext context(registry);

  std::string error;
  auto input = openInputFile(inputFilename, &error);
  if (!input) {
    llvm::errs() << "intq-compile: " << error << "\n";
    return 1;
  }
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(input), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;
  if (failed(verify(*module)))
    return 1;

  if (!symbolPrefix.empty()) {
    SymbolTable table(*module);
    for (auto f : llvm::to_vector(module->getOps<func::FuncOp>())) {
      if (f.isPrivate())
        continue;
      auto newName =
          StringAttr::get(&context, symbolPrefix + f.getSymName().str());
      if (failed(table.rename(f, newName)))
        return 1;
    }
  }

  if (!headerFilename.empty()) {
    auto header = intq::generateHeader(
        *module, "INTQ_" + llvm::sys::path::stem(headerFilename).str() + "_H",
        callerWorkspace);
    if (failed(header))
      return 1;
    auto out = openOutputFile(headerFilename, &error);
    if (!out) {
      llvm::errs() << "intq-compile: " << error << "\n";
      return 1;
    }
    out->os() << *header;
    out->keep();
  }

  intq::CompileOptions options;
  options.target = targetName;
  options.cpu = cpuName;
  options.features = features;
  options.optLevel = optLevel;
  options.ptq = ptq;
  options.ptqOptions = ptqOptions;
  options.kernels = kernels;
  options.emulateAmx = emulateAmx;
  options.emulateVnni = emulateVnni;
  options.callerWorkspace = callerWorkspace;
  options.emit = emitKind;
  auto out = openOutputFile(outputFilename, &error);
  if (!out) {
    llvm::errs() << "intq-compile: " << error << "\n";
    return 1;
  }
  if (failed(intq::compileModule(*module, options, out->os())))
    return 1;
  out->keep();
  return 0;
}
