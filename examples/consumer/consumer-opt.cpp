//===- consumer-opt.cpp - an intq pass in another project's tool ----------===//
//
// A tool outside intq's tree, built against the installed package
// (find_package(IntQ), IntQ::IntQPasses): it registers the intq dialect and
// the dialects its input uses, builds its own PassManager with an intq pass
// (intq::createFoldBatchNorm), optionally intq's PTQ pipeline
// (intq::buildPtqPipeline), and the upstream canonicalizer, then prints the
// result.
//
//   consumer-opt model.mlir [--ptq] [--weight-bits=4]
//
//===----------------------------------------------------------------------===//

#include "intq/Dialect/IntQ/IntQ.h"
#include "intq/Passes/Passes.h"
#include "intq/Passes/Pipelines.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

static llvm::cl::opt<std::string> inputFile(llvm::cl::Positional,
                                            llvm::cl::desc("<input .mlir>"),
                                            llvm::cl::Required);
static llvm::cl::opt<bool>
    ptq("ptq", llvm::cl::desc("Quantize after folding (intq's PTQ pipeline; "
                              "the input carries intq.stats ranges)"));
static llvm::cl::opt<unsigned>
    weightBits("weight-bits", llvm::cl::desc("With --ptq: 8, 7, 4 or 2"),
               llvm::cl::init(8));

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  llvm::cl::ParseCommandLineOptions(argc, argv, "intq consumer\n");

  mlir::DialectRegistry registry;
  registry.insert<intq::IntQDialect, mlir::arith::ArithDialect,
                  mlir::func::FuncDialect, mlir::quant::QuantDialect,
                  mlir::tensor::TensorDialect, mlir::tosa::TosaDialect>();
  // Range propagation (in the PTQ pipeline) reads TOSA ops through these.
  intq::registerTosaRangeModels(registry);
  mlir::MLIRContext context(registry);

  llvm::SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(inputFile, sourceMgr, &context);
  if (!module)
    return 1;

  mlir::PassManager pm(&context);
  pm.addNestedPass<mlir::func::FuncOp>(intq::createFoldBatchNorm());
  if (ptq) {
    intq::PtqPipelineOptions options;
    options.weightBits = weightBits;
    if (mlir::failed(intq::buildPtqPipeline(pm, options)))
      return 1;
  }
  pm.addPass(mlir::createCanonicalizerPass());
  if (mlir::failed(pm.run(*module)))
    return 1;
  module->print(llvm::outs());
  llvm::outs() << "\n";
  return 0;
}
