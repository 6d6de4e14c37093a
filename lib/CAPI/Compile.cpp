//===- Compile.cpp - C API: MLIR to object code ---------------------------===//
//
// intq::compileModule and intq::generateHeader behind C signatures: C
// options in, bytes or a file out, errors as text.
//
//===----------------------------------------------------------------------===//

#include "intq-c/Compile.h"

#include "intq-c/IntQ.h"
#include "intq/InitAll.h"
#include "intq/Target/Compile.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/MemAlloc.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <cstring>
#include <optional>

using namespace mlir;

namespace {

/// Where the errors of one C API call go. With a destination buffer, the
/// errors emitted on the context during the call (with their notes) are
/// collected there, and not passed to the context's other handlers;
/// warnings and remarks pass through. Without one, every diagnostic goes to
/// the context's handlers as usual.
class ErrorSink {
public:
  ErrorSink(MLIRContext *context, IntQBuffer *error)
      : context(context), error(error) {
    if (error)
      *error = {nullptr, 0};
    if (error && context)
      handler = context->getDiagEngine().registerHandler(
          [this](Diagnostic &diag) -> LogicalResult {
            if (diag.getSeverity() != DiagnosticSeverity::Error)
              return failure();
            print(diag);
            return success();
          });
  }
  ~ErrorSink() {
    if (handler)
      context->getDiagEngine().eraseHandler(*handler);
  }
  ErrorSink(const ErrorSink &) = delete;
  ErrorSink &operator=(const ErrorSink &) = delete;

  /// Reports an error that has no location (bad arguments, files).
  void report(const llvm::Twine &message) {
    if (context)
      emitError(UnknownLoc::get(context)) << message;
    else if (error)
      os << "error: " << message << "\n";
    else
      llvm::errs() << "error: " << message << "\n";
  }

  /// Ends the call: on failure, the collected text goes to the caller's
  /// buffer.
  MlirLogicalResult finish(LogicalResult result) {
    if (failed(result) && error) {
      if (text.empty())
        os << "error: compilation failed\n";
      *error = makeBuffer(text);
    }
    return wrap(result);
  }

  static IntQBuffer makeBuffer(llvm::StringRef bytes) {
    auto *data = static_cast<char *>(llvm::safe_malloc(bytes.size() + 1));
    if (!bytes.empty())
      std::memcpy(data, bytes.data(), bytes.size());
    data[bytes.size()] = '\0';
    return {data, bytes.size()};
  }

private:
  /// `file:line:col: error: message`, then the notes the same way.
  void print(Diagnostic &diag) {
    // Line 0 is no position (a module parsed from a string: "-":0:0).
    auto file =
        LocationAttr(diag.getLocation()).findInstanceOf<FileLineColLoc>();
    if (file && file.getLine() != 0)
      os << file.getFilename().getValue() << ":" << file.getLine() << ":"
         << file.getColumn() << ": ";
    else if (!file && !llvm::isa<UnknownLoc>(diag.getLocation()))
      os << diag.getLocation() << ": ";
    switch (diag.getSeverity()) {
    case DiagnosticSeverity::Error:
      os << "error: ";
      break;
    case DiagnosticSeverity::Warning:
      os << "warning: ";
      break;
    case DiagnosticSeverity::Note:
      os << "note: ";
      break;
    case DiagnosticSeverity::Remark:
      os << "remark: ";
      break;
    }
    os << diag << "\n";
    for (Diagnostic &note : diag.getNotes())
      print(note);
  }

  MLIRContext *context;
  IntQBuffer *error;
  std::optional<DiagnosticEngine::HandlerID> handler;
  std::string text;
  llvm::raw_string_ostream os{text};
};

} // namespace

/// The C++ options from the C struct; NULL strings keep the defaults.
static intq::CompileOptions toCompileOptions(const IntQCompileOptions *c) {
  intq::CompileOptions options;
  if (!c)
    return options;
  if (c->target)
    options.target = c->target;
  if (c->cpu)
    options.cpu = c->cpu;
  if (c->features)
    options.features = c->features;
  if (c->kernels)
    options.kernels = c->kernels;
  options.optLevel = c->optLevel;
  options.ptq = c->ptq;
  options.emulateAmx = c->emulateAmx;
  options.emulateVnni = c->emulateVnni;
  options.callerWorkspace = c->callerWorkspace;
  switch (c->emit) {
  case IntQEmitAssembly:
    options.emit = intq::EmitKind::Assembly;
    break;
  case IntQEmitLLVMIR:
    options.emit = intq::EmitKind::LLVMIR;
    break;
  case IntQEmitMLIR:
    options.emit = intq::EmitKind::MLIR;
    break;
  case IntQEmitObject:
    options.emit = intq::EmitKind::Object;
    break;
  }
  return options;
}

/// The checks of intq-compile's command line, on the C options.
static LogicalResult checkOptions(const intq::CompileOptions &options,
                                  ErrorSink &sink) {
  llvm::StringRef target(options.target);
  if (target != "x86_64" && target != "aarch64" &&
      !target.starts_with("x86_64-") && !target.starts_with("aarch64-")) {
    sink.report("unsupported target '" + target +
                "' (supported: x86_64, aarch64)");
    return failure();
  }
  if (options.optLevel > 3) {
    sink.report("optimization level " + llvm::Twine(options.optLevel) +
                " is out of range (0 to 3)");
    return failure();
  }
  return success();
}

/// Compiles `module` into `bytes`: the translations to LLVM IR and every
/// pass the pipelines name are registered first, whatever registry the
/// context was made from.
static LogicalResult compile(ModuleOp module, const IntQCompileOptions *c,
                             llvm::SmallVectorImpl<char> &bytes,
                             ErrorSink &sink) {
  if (c && (c->emit < IntQEmitObject || c->emit > IntQEmitMLIR)) {
    sink.report("unknown emit kind " + llvm::Twine(c->emit));
    return failure();
  }
  intq::CompileOptions options = toCompileOptions(c);
  if (failed(checkOptions(options, sink)))
    return failure();
  intqRegisterPasses();
  DialectRegistry registry;
  intq::initializeCompiler(registry);
  module.getContext()->appendDialectRegistry(registry);
  llvm::raw_svector_ostream os(bytes);
  return intq::compileModule(module, options, os);
}

/// Writes `bytes` to `path` ("-": stdout).
static LogicalResult writeFile(llvm::StringRef path, llvm::StringRef bytes,
                               ErrorSink &sink) {
  std::string message;
  std::unique_ptr<llvm::ToolOutputFile> out = openOutputFile(path, &message);
  if (!out) {
    sink.report(message);
    return failure();
  }
  out->os() << bytes;
  out->os().flush();
  if (out->os().has_error()) {
    sink.report("cannot write '" + path + "': " + out->os().error().message());
    out->os().clear_error();
    return failure();
  }
  out->keep();
  return success();
}

/// A call refused before there is a context (a null argument): the message
/// goes to `error`, or to stderr without one.
static MlirLogicalResult refuse(IntQBuffer *error, const char *message) {
  ErrorSink sink(nullptr, error);
  sink.report(message);
  return sink.finish(failure());
}

IntQCompileOptions intqCompileOptionsDefault(void) {
  IntQCompileOptions options;
  options.target = "x86_64";
  options.cpu = "generic";
  options.features = "";
  options.kernels = "auto";
  options.optLevel = 3;
  options.ptq = false;
  options.emulateAmx = false;
  options.emulateVnni = false;
  options.emit = IntQEmitObject;
  options.callerWorkspace = false;
  return options;
}

void intqBufferDestroy(IntQBuffer *buffer) {
  if (!buffer)
    return;
  std::free(buffer->data);
  *buffer = {nullptr, 0};
}

MlirLogicalResult intqCompileModule(MlirModule module,
                                    const IntQCompileOptions *options,
                                    IntQBuffer *output, IntQBuffer *error) {
  if (output)
    *output = {nullptr, 0};
  if (mlirModuleIsNull(module))
    return refuse(error, "intqCompileModule: null module");
  ModuleOp m = unwrap(module);
  ErrorSink sink(m.getContext(), error);
  llvm::SmallString<0> bytes;
  if (failed(compile(m, options, bytes, sink)))
    return sink.finish(failure());
  if (output)
    *output = ErrorSink::makeBuffer(bytes);
  return sink.finish(success());
}

MlirLogicalResult intqCompileModuleToFile(MlirModule module,
                                          const IntQCompileOptions *options,
                                          const char *outputPath,
                                          IntQBuffer *error) {
  if (mlirModuleIsNull(module) || !outputPath)
    return refuse(error,
                  "intqCompileModuleToFile: null module or output path");
  ModuleOp m = unwrap(module);
  ErrorSink sink(m.getContext(), error);
  llvm::SmallString<0> bytes;
  if (failed(compile(m, options, bytes, sink)))
    return sink.finish(failure());
  return sink.finish(writeFile(outputPath, bytes, sink));
}

MlirLogicalResult intqCompileFile(const char *inputPath, const char *outputPath,
                                  const IntQCompileOptions *options,
                                  IntQBuffer *error) {
  if (!inputPath || !outputPath)
    return refuse(error, "intqCompileFile: null input or output path");
  DialectRegistry registry;
  intq::registerAllIntQDialects(registry);
  intq::initializeCompiler(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  // Without an error buffer, errors are printed as intq-compile prints them
  // (with the source line); with one, the sink registered later takes them.
  SourceMgrDiagnosticHandler printer(sourceMgr, &context);
  ErrorSink sink(&context, error);

  std::string message;
  std::unique_ptr<llvm::MemoryBuffer> input =
      openInputFile(inputPath, &message);
  if (!input) {
    sink.report(message);
    return sink.finish(failure());
  }
  sourceMgr.AddNewSourceBuffer(std::move(input), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module || failed(verify(*module)))
    return sink.finish(failure());
  llvm::SmallString<0> bytes;
  if (failed(compile(*module, options, bytes, sink)))
    return sink.finish(failure());
  return sink.finish(writeFile(outputPath, bytes, sink));
}

MlirLogicalResult intqGenerateHeader(MlirModule module, const char *guard,
                                     IntQBuffer *header, IntQBuffer *error) {
  return intqGenerateHeaderForOptions(module, guard, nullptr, header, error);
}

MlirLogicalResult intqGenerateHeaderForOptions(
    MlirModule module, const char *guard, const IntQCompileOptions *options,
    IntQBuffer *header, IntQBuffer *error) {
  if (header)
    *header = {nullptr, 0};
  if (mlirModuleIsNull(module))
    return refuse(error, "intqGenerateHeader: null module");
  ModuleOp m = unwrap(module);
  ErrorSink sink(m.getContext(), error);
  FailureOr<std::string> text =
      intq::generateHeader(m, guard ? guard : "INTQ_MODEL_H",
                           toCompileOptions(options).callerWorkspace);
  if (failed(text))
    return sink.finish(failure());
  if (header)
    *header = ErrorSink::makeBuffer(*text);
  return sink.finish(success());
}
