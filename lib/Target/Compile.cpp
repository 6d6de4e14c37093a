//===- Compile.cpp - MLIR to object code ----------------------------------===//

#include "intq/Target/Compile.h"

#include "intq/Passes/Passes.h"
#include "intq/Passes/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;

void intq::initializeCompiler(DialectRegistry &registry) {
  static bool once = [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    llvm::InitializeAllAsmParsers();
    return true;
  }();
  (void)once;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}

static std::string tripleFor(StringRef target) {
  if (target == "x86_64" || target == "x86-64")
    return "x86_64-unknown-linux-gnu";
  if (target == "aarch64" || target == "arm64")
    return "aarch64-unknown-linux-gnu";
  return target.str();
}

LogicalResult intq::compileModule(ModuleOp module,
                                  const CompileOptions &options,
                                  llvm::raw_pwrite_stream &os) {
  llvm::Triple triple(tripleFor(options.target));
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return emitError(module.getLoc())
           << "unknown target '" << options.target << "': " << error;
  std::string cpu = options.cpu, features = options.features;
  if (cpu == "native") {
    // The host's CPU and features, then --mattr's on top (e.g.
    // --cpu=native --mattr=-amx-int8 keeps the AMX kernels out).
    cpu = llvm::sys::getHostCPUName().str();
    llvm::SubtargetFeatures f;
    for (auto &kv : llvm::sys::getHostCPUFeatures())
      f.AddFeature(kv.first(), kv.second);
    if (!features.empty())
      f.addFeaturesVector(llvm::SubtargetFeatures(features).getFeatures());
    features = f.getString();
  }
  llvm::CodeGenOptLevel level = options.optLevel >= 3 ? llvm::CodeGenOptLevel::Aggressive
                                : options.optLevel == 2 ? llvm::CodeGenOptLevel::Default
                                : options.optLevel == 1 ? llvm::CodeGenOptLevel::Less
                                                        : llvm::CodeGenOptLevel::None;
  // The kernels keep enough independent accumulators; the X86 machine
  // combiner would still split each vpdpwssd of the depthwise kernels into
  // vpmaddwd + vpaddd (shorter accumulator chains, twice the uops): the
  // depthwise benchmarks ran 10-15 % slower with it on Sapphire Rapids.
  // The option is LLVM's (process-wide); a value given on the command line
  // is left as it is.
  if (triple.getArch() == llvm::Triple::x86_64) {
    auto &registered = llvm::cl::getRegisteredOptions();
    auto it = registered.find("x86-machine-combiner");
    if (it != registered.end() && it->second->getNumOccurrences() == 0)
      static_cast<llvm::cl::opt<bool> *>(it->second)->setValue(false);
  }
  // Module initializers (the AMX kernels' tile permission request) go to
  // .init_array, as clang emits them on Linux (the default is .ctors).
  llvm::TargetOptions targetOptions;
  targetOptions.UseInitArray = true;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpu, features, targetOptions, llvm::Reloc::PIC_,
      std::nullopt, level));
  if (!tm)
    return emitError(module.getLoc())
           << "cannot create a target machine for " << triple.str()
           << " cpu '" << cpu << "'";

  // Kernels: AMX where the target CPU has it (VNNI for reductions too short
  // for 64-byte tiles), else VNNI, i8mm or sdot, else the portable vector
  // kernels.
  std::string kernels = options.kernels;
  bool x86 = triple.getArch() == llvm::Triple::x86_64;
  bool hasAmx = x86 && tm->getMCSubtargetInfo()->checkFeatures(
                           "+amx-tile,+amx-int8,+avx512bw,+avx512vnni");
  int64_t amxMinReduction = 0, amxMinRows = 0, amxMinColumns = 0,
          amxMinMacs = 0;
  bool amxIm2col = true;
  bool hasVnni =
      x86 && tm->getMCSubtargetInfo()->checkFeatures("+avx512vnni,+avx512bw");
  bool hasAvx2 = x86 && tm->getMCSubtargetInfo()->checkFeatures("+avx2");
  bool hasDotProd = triple.getArch() == llvm::Triple::aarch64 &&
                    tm->getMCSubtargetInfo()->checkFeatures("+dotprod");
  bool hasI8mm = triple.getArch() == llvm::Triple::aarch64 &&
                 tm->getMCSubtargetInfo()->checkFeatures("+i8mm");
  if (kernels == "auto" && hasAmx) {
    kernels = "x86-amx";
    // Measured on Sapphire Rapids (docs/benchmarks.md): a 1x1 conv with
    // K = 24 runs 1.3x faster on VNNI, K = 64 1.5x faster on AMX.
    amxMinReduction = 33;
    // AMX computes blocks of 32 rows: a 1x2048 -> 16 fully connected layer
    // (batch 1) runs 4x faster on VNNI, 16 rows break even (K = 512), 24
    // rows run 1.1x and 32 rows 1.35-1.5x faster on AMX.
    amxMinRows = 17;
    // The activations are packed once for all panels of 32 columns: with
    // one panel the copy does not pay (196 x 144 -> 32: 1.15x, 784 x 144
    // -> 32: 1.09x faster on VNNI; the cnn reference model 12.8 -> 10.4 us
    // all on VNNI), with 2 or more it does (128 x 128 -> 128: 1.34x, 64 x
    // 512 -> 64: 1.4x faster on AMX).
    amxMinColumns = 33;
    // A layer that uses the tiles pays fixed costs (packing, tile
    // configuration, the tile unit waking up between a model's layers):
    // in the mobilenet reference model two 49 x 64 x 128 1x1 convs (0.4 M
    // MACs each) on AMX made the whole model 1.2x slower (32.9 vs 26.9
    // us); from about 1.6 M MACs AMX is ahead (100 x 256 -> 64).
    amxMinMacs = 1 << 20;
    // Convolutions that AMX would read through an im2col copy (C % 64 !=
    // 0) run on the VNNI kernels, in place: the stems (C = 3) run 1.9x
    // (ResNet-18's 7x7: 627 vs 332 GOP/s) and 2.2x (MobileNetV2's 3x3:
    // 294 vs 135) faster there, GoogLeNet's 5x5 with C = 24 the same
    // (785 vs 795).
    amxIm2col = false;
  }
  if (kernels == "auto")
    kernels = hasVnni      ? "x86-avx512vnni"
              : hasAvx2    ? "x86-avx2"
              : hasI8mm    ? "aarch64-i8mm"
              : hasDotProd ? "aarch64-dotprod"
                           : "generic";
  if (kernels == "x86-avx512vnni" && !hasVnni && !options.emulateVnni)
    return emitError(module.getLoc())
           << "kernels 'x86-avx512vnni' need an x86-64 CPU with AVX512-VNNI "
              "and AVX512BW; cpu '"
           << cpu
           << "' has not (use --cpu=sapphirerapids or --mattr, or "
              "--emulate-vnni to test them without)";
  if (kernels == "x86-avx2" && !hasAvx2)
    return emitError(module.getLoc())
           << "kernels 'x86-avx2' need an x86-64 CPU with AVX2; cpu '" << cpu
           << "' has not (use --cpu=haswell, x86-64-v3 or --mattr=+avx2)";
  if (kernels == "aarch64-dotprod" && !hasDotProd)
    return emitError(module.getLoc())
           << "kernels 'aarch64-dotprod' need an AArch64 CPU with the dot "
              "product extension; cpu '"
           << cpu << "' has not (use --cpu=neoverse-n1 or --mattr=+dotprod)";
  if (kernels == "aarch64-i8mm" && !hasI8mm)
    return emitError(module.getLoc())
           << "kernels 'aarch64-i8mm' need an AArch64 CPU with the int8 "
              "matrix multiply extension; cpu '"
           << cpu << "' has not (use --cpu=neoverse-v1 or --mattr=+i8mm)";
  if (kernels == "x86-amx" && !hasAmx && !options.emulateAmx)
    return emitError(module.getLoc())
           << "kernels 'x86-amx' need an x86-64 CPU with AMX-INT8 and "
              "AVX512-VNNI; cpu '"
           << cpu << "' has not (use --cpu=sapphirerapids)";
  // Emulated tiles still leave the depthwise convolutions and the layers
  // AMX does not take to the VNNI kernels: without AVX512-VNNI the backend
  // cannot select their dot products (it aborted here before this check).
  if (kernels == "x86-amx" && !hasVnni && !options.emulateVnni)
    return emitError(module.getLoc())
           << "kernels 'x86-amx' need an x86-64 CPU with AVX512-VNNI for "
              "the layers they leave to the VNNI kernels; cpu '"
           << cpu
           << "' has not (use --cpu=sapphirerapids, or --emulate-vnni with "
              "--emulate-amx to test them without)";
  if (kernels != "none" && kernels != "generic" && kernels != "x86-avx2" &&
      kernels != "x86-avx512vnni" && kernels != "x86-amx" &&
      kernels != "aarch64-dotprod" && kernels != "aarch64-i8mm")
    return emitError(module.getLoc())
           << "unknown kernels '" << kernels
           << "' (auto, none, generic, x86-avx2, x86-avx512vnni, x86-amx, "
              "aarch64-dotprod or aarch64-i8mm)";

  MLIRContext *ctx = module.getContext();
  PassManager pm(ctx);
  if (options.ptq) {
    auto opts = PtqPipelineOptions::createFromString(options.ptqOptions);
    if (!opts)
      return module.emitError("invalid PTQ options '")
             << options.ptqOptions << "'";
    std::string message;
    llvm::raw_string_ostream msg(message);
    if (failed(buildPtqPipeline(pm, *opts, msg)))
      return module.emitError(StringRef(message).trim());
  }
  CodegenPipelineOptions codegenOptions;
  codegenOptions.kernels = kernels;
  codegenOptions.amxMinReduction = amxMinReduction;
  codegenOptions.amxMinRows = amxMinRows;
  codegenOptions.amxMinColumns = amxMinColumns;
  codegenOptions.amxMinMacs = amxMinMacs;
  codegenOptions.amxIm2col = amxIm2col;
  codegenOptions.x86Vbmi =
      x86 && tm->getMCSubtargetInfo()->checkFeatures("+avx512vbmi");
  codegenOptions.emulateAmx = options.emulateAmx;
  codegenOptions.emulateVnni = options.emulateVnni;
  codegenOptions.callerWorkspace = options.callerWorkspace;
  buildCodegenPipeline(pm, codegenOptions);
  if (failed(pm.run(module)))
    return failure();
  // The header promises `void name(inputs..., outputs...)`: check that every
  // public entry point was lowered to exactly that shape.
  bool abiOk = true;
  module.walk([&](LLVM::LLVMFuncOp f) {
    if (f.isExternal() || f.isPrivate() ||
        f->hasAttr(kWorkspaceSizeAttr))
      return;
    if (!llvm::isa<LLVM::LLVMVoidType>(f.getFunctionType().getReturnType())) {
      f.emitError("entry point @")
          << f.getSymName()
          << " still returns a value after lowering; results must become "
             "output parameters";
      abiOk = false;
    }
  });
  if (!abiOk)
    return failure();
  if (options.emit == EmitKind::MLIR) {
    module.print(os);
    return success();
  }

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, "intq");
  if (!llvmModule)
    return emitError(module.getLoc()) << "translation to LLVM IR failed";
  llvmModule->setTargetTriple(triple);
  llvmModule->setDataLayout(tm->createDataLayout());
  // Every function gets the target CPU and features so that LLVM's
  // optimizer (vectorizer cost models) sees the same machine as codegen.
  for (llvm::Function &f : *llvmModule) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", cpu);
    if (!features.empty())
      f.addFnAttr("target-features", features);
  }
  auto optimize = makeOptimizingTransformer(options.optLevel, 0, tm.get());
  if (llvm::Error err = optimize(llvmModule.get())) {
    std::string msg = llvm::toString(std::move(err));
    return emitError(module.getLoc()) << "LLVM optimization failed: " << msg;
  }
  if (options.emit == EmitKind::LLVMIR) {
    llvmModule->print(os, nullptr);
    return success();
  }
  llvm::legacy::PassManager codegen;
  auto fileType = options.emit == EmitKind::Assembly
                      ? llvm::CodeGenFileType::AssemblyFile
                      : llvm::CodeGenFileType::ObjectFile;
  if (tm->addPassesToEmitFile(codegen, os, nullptr, fileType))
    return emitError(module.getLoc())
           << "the target cannot emit this kind of file";
  codegen.run(*llvmModule);
  return success();
}

/// The C type of a tensor element at the ABI (quantized types use their
/// storage type).
static FailureOr<std::string> cTypeOf(Type t) {
  if (auto q = llvm::dyn_cast<quant::QuantizedType>(t)) {
    unsigned w = q.getStorageTypeIntegralWidth();
    if (w != 8 && w != 16 && w != 32)
      return failure();
    return std::string(q.isSigned() ? "int" : "uint") + std::to_string(w) +
           "_t";
  }
  if (t.isF32())
    return std::string("float");
  if (t.isF64())
    return std::string("double");
  if (auto i = llvm::dyn_cast<IntegerType>(t)) {
    unsigned w = i.getWidth();
    if (w != 8 && w != 16 && w != 32 && w != 64)
      return failure();
    return std::string(i.isUnsigned() ? "uint" : "int") + std::to_string(w) +
           "_t";
  }
  return failure();
}

FailureOr<std::string> intq::generateHeader(ModuleOp module,
                                            StringRef guardName,
                                            bool callerWorkspace) {
  std::string text;
  llvm::raw_string_ostream os(text);
  std::string guard = guardName.upper();
  for (char &c : guard)
    if (!llvm::isAlnum(c))
      c = '_';
  os << "/* Generated by intq-compile. Do not edit. */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  bool failedAny = false;
  module.walk([&](func::FuncOp f) {
    if (f.isPrivate() || f.isExternal())
      return;
    std::string name = f.getSymName().str();
    std::string upper = StringRef(name).upper();
    SmallVector<std::string> params;
    os << "/* " << name << ":\n";
    auto describe = [&](Type t, StringRef kind, unsigned idx,
                        bool isConst) -> bool {
      auto rt = llvm::dyn_cast<RankedTensorType>(t);
      if (!rt || !rt.hasStaticShape()) {
        f.emitOpError("entry point ")
            << kind << " " << idx << " must be a statically shaped tensor, got "
            << t;
        return false;
      }
      auto ct = cTypeOf(rt.getElementType());
      if (failed(ct)) {
        f.emitOpError("entry point ") << kind << " " << idx
                                      << " has no C element type: " << t;
        return false;
      }
      std::string pname = (kind + Twine(idx)).str();
      params.push_back((isConst ? "const " : "") + *ct + " *" + pname);
      os << " *   " << pname << ": ";
      llvm::interleave(rt.getShape(), os, "x");
      os << " " << rt.getElementType() << "\n";
      return true;
    };
    for (auto [i, t] : llvm::enumerate(f.getArgumentTypes()))
      failedAny |= !describe(t, "in", i, true);
    for (auto [i, t] : llvm::enumerate(f.getResultTypes()))
      failedAny |= !describe(t, "out", i, false);
    os << " */\n";
    for (auto [i, t] : llvm::enumerate(f.getArgumentTypes()))
      if (auto rt = llvm::dyn_cast<RankedTensorType>(t))
        os << "#define " << upper << "_IN" << i << "_ELEMENTS "
           << rt.getNumElements() << "\n";
    for (auto [i, t] : llvm::enumerate(f.getResultTypes()))
      if (auto rt = llvm::dyn_cast<RankedTensorType>(t))
        os << "#define " << upper << "_OUT" << i << "_ELEMENTS "
           << rt.getNumElements() << "\n";
    if (callerWorkspace) {
      // --caller-workspace: the function's transient memory.
      params.push_back("void *workspace");
      std::string sizeFn = workspaceSizeFunctionName(name);
      os << "/* " << name << "'s workspace: at least " << sizeFn
         << "() bytes, 64-byte aligned, not used by two calls at once; its "
            "contents\n * need not survive between calls. */\n"
         << "int64_t " << sizeFn << "(void);\n";
    }
    os << "void " << name << "(";
    llvm::interleaveComma(params, os);
    os << ");\n\n";
  });
  if (failedAny)
    return failure();
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return text;
}
