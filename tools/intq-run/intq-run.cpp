//===- intq-run.cpp - run a model compiled by intq (JIT) ------------------===//
//
// Compiles a model (ONNX or MLIR) in process with intq's codegen pipeline and
// LLVM's JIT, and runs it:
//
//   intq-run model.onnx --input-shape input=100x1x28x28 \
//       --fashion-mnist=/usr/share/datasets/fashion-mnist [--limit=N]
//       top-1 accuracy over the test set
//   intq-run model.onnx --input-shape ... --raw-input=x.bin \
//       --raw-expected=y.bin [--atol=1e-4]
//       compare with stored outputs (float32, raw)
//   intq-run --onnx-node-tests DIR...
//       ONNX's own node tests (model.onnx + test_data_set_0/*.pb): every
//       input but the first is frozen into an initializer (intq compiles
//       weights as constants), outputs compared with rtol 1e-3, atol 1e-5
//
//===----------------------------------------------------------------------===//

#include "intq/Calibration/Calibration.h"
#include "intq/Dialect/IntQ/IntQ.h"
#include "intq/Import/OnnxImporter.h"
#include "intq/InitAll.h"
#include "intq/Passes/Pipelines.h"
#include "intq/Runtime/Idx.h"
#include "intq/Target/Compile.h"
#include "intq/Target/Jit.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"

#include "onnx/onnx_pb.h"

#include <chrono>
#include <cmath>
#include <fstream>

using namespace mlir;
namespace cl = llvm::cl;

/// The tool's own options: --help lists these only (LLVM's hundreds of
/// codegen options stay accepted but hidden).
static cl::OptionCategory toolOptions("intq-run options");

static cl::list<std::string> positional(cl::Positional,
                                        cl::desc("<model> | <test dirs>"),
    cl::cat(toolOptions));
static cl::opt<bool> nodeTests("onnx-node-tests",
                               cl::desc("Run ONNX node test directories"),
    cl::cat(toolOptions));
static cl::opt<std::string> inputShapes("input-shape",
                                        cl::desc("name=1x3x224x224,..."),
                                        cl::init(""),
    cl::cat(toolOptions));
static cl::opt<bool> ptq("ptq", cl::desc("Quantize first (needs intq.stats "
                                         "ranges in the model)"),
    cl::cat(toolOptions));
static cl::opt<std::string> ptqOptions(
    "ptq-options",
    cl::desc("Options of the PTQ step, as for intq-ptq-pipeline (e.g. "
             "\"weight-bits=4 keep-float=fc\")"),
    cl::init(""),
    cl::cat(toolOptions));
static cl::opt<unsigned> keepFloatWorst(
    "keep-float-worst",
    cl::desc("With --ptq: keep the N layers with the lowest own SQNR (as "
             "--report measures them, on the same data, --limit capped at "
             "500) in float"),
    cl::init(0),
    cl::cat(toolOptions));
static cl::opt<bool> report(
    "report",
    cl::desc("Per-layer report: SQNR of every quantized tensor (the intq.stats "
             "points) against float, on --fashion-mnist test images "
             "(--limit) or --raw-input samples"),
    cl::cat(toolOptions));
static cl::opt<std::string> rawInput("raw-input",
                                     cl::desc("float32 input data, raw"),
    cl::cat(toolOptions));
static cl::opt<std::string> rawExpected("raw-expected",
                                        cl::desc("float32 expected output"),
    cl::cat(toolOptions));
static cl::opt<double> absTolerance("atol", cl::desc("absolute tolerance"),
                            cl::init(1e-4),
    cl::cat(toolOptions));
static cl::opt<double> relTolerance("rtol", cl::desc("relative tolerance"),
                                    cl::init(0.0),
    cl::cat(toolOptions));
static cl::opt<int> randomInput(
    "random-input",
    cl::desc("Run on deterministic uniform [-1, 1) input with this seed"),
    cl::init(-1), cl::cat(toolOptions));
static cl::opt<std::string> dumpOutput("dump-output",
                                       cl::desc("Write the output (raw f32)"),
    cl::cat(toolOptions));
static cl::opt<std::string> fashionMnist(
    "fashion-mnist", cl::desc("directory of the Fashion-MNIST IDX files"),
    cl::cat(toolOptions));
static cl::opt<int64_t> limit("limit", cl::desc("images to evaluate"),
                              cl::init(10000),
    cl::cat(toolOptions));

namespace {

using Compiled = intq::JitModel;

int64_t numel(ArrayRef<int64_t> s) { return intq::numElements(s); }

FailureOr<Compiled> compile(ModuleOp module) {
  return intq::jitCompile(module, ptq, ptqOptions);
}

LogicalResult run(Compiled &c, ArrayRef<float *> inputs,
                  ArrayRef<float *> outputs) {
  return c.run(inputs, outputs);
}

bool readFloats(const std::string &path, std::vector<float> &out) {
  std::string error;
  return intq::readRawFloats(path, out, error) >= 0;
}

/// A node test's tensor as the bytes the compiled code reads or writes:
/// float32, int8 / uint8 (one byte each) or int32. Returns the element size,
/// or 0 for other types or inconsistent data.
size_t tensorBytes(const onnx::TensorProto &t, std::vector<char> &out) {
  int64_t n = 1;
  for (int64_t d : t.dims())
    n *= d;
  size_t size = 0;
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT:
  case onnx::TensorProto::INT32:
    size = 4;
    break;
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
    size = 1;
    break;
  default:
    return 0;
  }
  out.assign(n * size, 0);
  if (!t.raw_data().empty()) {
    if (t.raw_data().size() != out.size())
      return 0;
    std::memcpy(out.data(), t.raw_data().data(), out.size());
    return size;
  }
  if (t.data_type() == onnx::TensorProto::FLOAT) {
    if (t.float_data_size() != n)
      return 0;
    std::memcpy(out.data(), t.float_data().data(), out.size());
    return size;
  }
  if (t.int32_data_size() != n)
    return 0;
  for (int64_t i = 0; i < n; ++i) {
    int32_t v = t.int32_data(i);
    std::memcpy(out.data() + i * size, &v, size); // little endian
  }
  return size;
}

/// Element `j` of a buffer filled by tensorBytes, as a double.
double elementAt(const std::vector<char> &buf, size_t j, int dtype) {
  switch (dtype) {
  case onnx::TensorProto::FLOAT: {
    float f;
    std::memcpy(&f, &buf[j * 4], 4);
    return f;
  }
  case onnx::TensorProto::INT32: {
    int32_t i;
    std::memcpy(&i, &buf[j * 4], 4);
    return i;
  }
  case onnx::TensorProto::UINT8:
    return uint8_t(buf[j]);
  default:
    return int8_t(buf[j]);
  }
}

/// Whether the compiled function's element type can hold ONNX type `dtype`.
bool sameElementType(Type t, int dtype) {
  switch (dtype) {
  case onnx::TensorProto::FLOAT:
    return t.isF32();
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
    return t.isInteger(8);
  case onnx::TensorProto::INT32:
    return t.isInteger(32);
  default:
    return false;
  }
}

bool readProto(const std::string &path, google::protobuf::Message &m) {
  std::ifstream f(path, std::ios::binary);
  return f && m.ParseFromIstream(&f);
}

OwningOpRef<ModuleOp> loadModel(MLIRContext &ctx, const std::string &path,
                                llvm::SourceMgr &sourceMgr) {
  std::string error;
  auto buffer = openInputFile(path, &error);
  if (!buffer) {
    llvm::errs() << "intq-run: " << error << "\n";
    return nullptr;
  }
  if (StringRef(path).ends_with(".mlir")) {
    sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
    return parseSourceFile<ModuleOp>(sourceMgr, &ctx);
  }
  intq::OnnxImportOptions options;
  if (!inputShapes.empty() &&
      failed(intq::parseInputShapes(inputShapes, options, error))) {
    llvm::errs() << "intq-run: --input-shape: " << error << "\n";
    return nullptr;
  }
  return intq::importOnnxModel(buffer->getMemBufferRef(), &ctx, options);
}

/// One ONNX node test. Returns "" on success, else the reason.
std::string runNodeTest(MLIRContext &ctx, const std::string &dir) {
  onnx::ModelProto model;
  if (!readProto(dir + "/model.onnx", model))
    return "cannot read model.onnx";
  std::string data = dir + "/test_data_set_0/";
  std::vector<onnx::TensorProto> ins, outs;
  for (int i = 0;; ++i) {
    onnx::TensorProto t;
    if (!readProto(data + "input_" + std::to_string(i) + ".pb", t))
      break;
    ins.push_back(t);
  }
  for (int i = 0;; ++i) {
    onnx::TensorProto t;
    if (!readProto(data + "output_" + std::to_string(i) + ".pb", t))
      break;
    outs.push_back(t);
  }
  // Graph inputs that are not initializers, in order.
  auto *graph = model.mutable_graph();
  std::vector<std::string> inputNames;
  for (const auto &in : graph->input()) {
    bool isInit = false;
    for (const auto &init : graph->initializer())
      isInit |= init.name() == in.name();
    if (!isInit)
      inputNames.push_back(in.name());
  }
  if (inputNames.size() != ins.size() || ins.empty())
    return "test data does not match the graph inputs";
  for (size_t i = 1; i < ins.size(); ++i) {
    onnx::TensorProto *t = graph->add_initializer();
    *t = ins[i];
    t->set_name(inputNames[i]);
  }
  intq::OnnxImportOptions options;
  SmallVector<int64_t> shape(ins[0].dims().begin(), ins[0].dims().end());
  options.inputShapes[inputNames[0]] = shape;
  std::string bytes = model.SerializeAsString();
  std::string diag;
  OwningOpRef<ModuleOp> module;
  {
    ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &d) {
      if (diag.empty())
        diag = d.str();
      return success();
    });
    module = intq::importOnnxModel(
        llvm::MemoryBufferRef(bytes, dir + "/model.onnx"), &ctx, options);
    if (!module)
      return "import: " + diag;
    auto c = compile(*module);
    if (failed(c))
      return "compile: " + diag;
    std::vector<char> x;
    if (!tensorBytes(ins[0], x) ||
        !sameElementType(c->inputTypes[0], ins[0].data_type()))
      return "input 0 has an unsupported element type";
    if (c->outputShapes.size() != outs.size())
      return "output count differs";
    std::vector<std::vector<char>> got(outs.size());
    SmallVector<void *> outPtrs;
    for (size_t i = 0; i < outs.size(); ++i) {
      if (!sameElementType(c->outputTypes[i], outs[i].data_type()))
        return "output " + std::to_string(i) + " is " +
               onnx::TensorProto::DataType_Name(
                   onnx::TensorProto::DataType(outs[i].data_type())) +
               ", intq computes it as a different type";
      got[i].resize(numel(c->outputShapes[i]) *
                    (c->outputTypes[i].getIntOrFloatBitWidth() / 8));
      outPtrs.push_back(got[i].data());
    }
    if (failed(c->runBuffers({x.data()}, outPtrs)))
      return "run failed";
    for (size_t i = 0; i < outs.size(); ++i) {
      std::vector<char> e;
      size_t size = tensorBytes(outs[i], e);
      if (!size)
        return "expected output " + std::to_string(i) + " is unreadable";
      if (e.size() != got[i].size())
        return "output " + std::to_string(i) + " has " +
               std::to_string(got[i].size() / size) +
               " elements, expected " + std::to_string(e.size() / size);
      int dtype = outs[i].data_type();
      for (size_t j = 0; j < e.size() / size; ++j) {
        double g = elementAt(got[i], j, dtype), w = elementAt(e, j, dtype);
        // Integers exactly; floats within rtol 1e-3, atol 1e-5.
        double tol =
            dtype == onnx::TensorProto::FLOAT ? 1e-5 + 1e-3 * std::abs(w) : 0;
        if (!(std::abs(g - w) <= tol))
          return "output " + std::to_string(i) + " element " +
                 std::to_string(j) + ": got " + std::to_string(g) +
                 ", expected " + std::to_string(w);
      }
    }
  }
  return "";
}


/// The layer name of a location (the ONNX node name), or "".
std::string locationName(Location loc) {
  return intq::getLayerName(loc).value_or("").str();
}

/// --report: runs the float model and its quantized version side by side
/// and prints, for every tensor that quantization gives a type (the
/// intq.stats points, in program order), the signal-to-quantization-noise
/// ratio of the quantized value against the float one, and how much it
/// drops from the previous point. The largest drop points at the layer that
/// loses most.
/// The conv / depthwise conv / matmul whose fused chain (bias add, reshape,
/// clamp) ends in `v`: the layer to keep in float for that point.
std::string computeLayerOf(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (llvm::isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::MatMulOp>(
            def))
      return locationName(def->getLoc());
    if (llvm::isa<tosa::ClampOp, tosa::ReshapeOp>(def)) {
      v = def->getOperand(0);
      continue;
    }
    if (auto add = llvm::dyn_cast<tosa::AddOp>(def)) {
      // A bias add: follow the non-constant side.
      bool c0 = matchPattern(add.getInput1(), m_Constant()),
           c1 = matchPattern(add.getInput2(), m_Constant());
      if (c0 == c1)
        return "";
      v = c0 ? add.getInput2() : add.getInput1();
      continue;
    }
    return "";
  }
  return "";
}

struct LayerSensitivity {
  std::string layer; // compute layer (ONNX node) name
  double ownSqnr;
};

int runReport(ModuleOp module,
              std::vector<LayerSensitivity> *sensitivities = nullptr) {
  func::FuncOp entry;
  module.walk([&](func::FuncOp f) {
    if (!entry && f.isPublic() && !f.isExternal())
      entry = f;
  });
  if (!entry) {
    module.emitError("no public function to report on");
    return 1;
  }
  SmallVector<Value> points;
  SmallVector<std::string> names;
  entry.walk([&](intq::StatsOp s) {
    points.push_back(s.getResult());
    std::string n = locationName(s.getLoc());
    names.push_back(n.empty() ? "value " + std::to_string(points.size())
                              : n);
  });
  if (points.empty()) {
    emitError(entry.getLoc(), "--report needs a calibrated model (intq.stats ranges); "
                    "run intq-calibrate first");
    return 1;
  }
  auto floatProbe = intq::buildProbeModule(entry, points);
  auto quantProbe = intq::buildProbeModule(entry, points);
  auto f = intq::jitCompile(*floatProbe, /*ptq=*/false);
  if (failed(f))
    return 1;
  auto q = intq::jitCompile(*quantProbe, /*ptq=*/true, ptqOptions);
  if (failed(q))
    return 1;
  if (f->inputShapes.size() != 1) {
    llvm::errs() << "intq-run: --report handles models with one input\n";
    return 1;
  }
  int64_t inN = numel(f->inputShapes[0]);
  // Samples: Fashion-MNIST test images (scaled to [0, 1]) or raw inputs.
  std::vector<float> data;
  int64_t samples = 0;
  if (!fashionMnist.empty()) {
    intq::IdxImages images;
    std::string error;
    if (!intq::readIdxImages(fashionMnist + "/t10k-images-idx3-ubyte.gz",
                             images, error)) {
      llvm::errs() << "intq-run: " << error << "\n";
      return 1;
    }
    int64_t per = images.rows * images.cols;
    if (inN % per) {
      llvm::errs() << "intq-run: the model input must be Bx1x" << images.rows
                   << "x" << images.cols << "\n";
      return 1;
    }
    int64_t count = std::min<int64_t>(limit, images.count) / (inN / per);
    data.resize(count * inN);
    for (size_t i = 0; i < data.size(); ++i)
      data[i] = images.pixels[i] / 255.0f;
    samples = count;
  } else if (!rawInput.empty()) {
    if (!readFloats(rawInput, data) || data.size() % inN) {
      llvm::errs() << "intq-run: --raw-input is not a whole number of model "
                      "inputs\n";
      return 1;
    }
    samples = data.size() / inN;
  }
  if (samples == 0) {
    llvm::errs() << "intq-run: --report needs --fashion-mnist or --raw-input "
                    "samples\n";
    return 1;
  }
  size_t first = entry.getNumResults(), outs = f->outputShapes.size();
  std::vector<std::vector<float>> fo(outs), qo(outs);
  SmallVector<float *> fp, qp;
  for (size_t i = 0; i < outs; ++i) {
    fo[i].resize(numel(f->outputShapes[i]));
    qo[i].resize(numel(q->outputShapes[i]));
    fp.push_back(fo[i].data());
    qp.push_back(qo[i].data());
  }
  std::vector<double> signal(points.size()), noise(points.size());
  for (int64_t s = 0; s < samples; ++s) {
    float *x = data.data() + s * inN;
    if (failed(f->run({x}, fp)) || failed(q->run({x}, qp)))
      return 1;
    for (size_t p = 0; p < points.size(); ++p) {
      const std::vector<float> &a = fo[first + p], &b = qo[first + p];
      for (size_t i = 0; i < a.size(); ++i) {
        signal[p] += double(a[i]) * a[i];
        noise[p] += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
      }
    }
  }
  // Each point's inputs: the nearest observed points upstream of it.
  llvm::DenseMap<Value, size_t> index;
  for (size_t p = 0; p < points.size(); ++p)
    index[points[p]] = p;
  std::vector<SmallVector<size_t>> inputsOf(points.size());
  for (size_t p = 0; p < points.size(); ++p) {
    SmallVector<Value> work = {
        points[p].getDefiningOp<intq::StatsOp>().getInput()};
    llvm::DenseSet<Value> seen;
    while (!work.empty()) {
      Value v = work.pop_back_val();
      if (!seen.insert(v).second)
        continue;
      if (auto it = index.find(v); it != index.end() && it->second != p) {
        inputsOf[p].push_back(it->second);
        continue;
      }
      if (Operation *def = v.getDefiningOp())
        for (Value operand : def->getOperands())
          work.push_back(operand);
    }
  }
  auto ratio = [&](size_t p) {
    return signal[p] > 0 ? noise[p] / signal[p] : 0.0;
  };
  auto db = [](double r) { return r <= 0 ? INFINITY : -10 * std::log10(r); };
  int64_t perSample = fashionMnist.empty() ? 1 : f->inputShapes[0][0];
  if (!sensitivities) {
    llvm::outs() << "per-layer SQNR, quantized against float over "
                 << samples * perSample
                 << (fashionMnist.empty() ? " inputs" : " images")
                 << " (dB, higher is better)\n"
                 << "  total: of the tensor as the quantized model computes "
                    "it; own: of the noise this layer adds to its noisiest "
                    "input's (noise ratios subtracted)\n";
    llvm::outs() << llvm::format("  %-28s %8s %8s\n", "layer", "total",
                                 "own");
  }
  size_t worst = 0;
  double worstOwn = INFINITY;
  for (size_t p = 0; p < points.size(); ++p) {
    double in = 0;
    for (size_t i : inputsOf[p])
      in = std::max(in, ratio(i));
    double own = db(ratio(p) - in);
    if (own < worstOwn) {
      worstOwn = own;
      worst = p;
    }
    if (sensitivities) {
      std::string layer = computeLayerOf(
          points[p].getDefiningOp<intq::StatsOp>().getInput());
      if (!layer.empty())
        sensitivities->push_back({layer, own});
      continue;
    }
    llvm::outs() << llvm::format("  %-28s %8.2f %8.2f\n", names[p].c_str(),
                                 db(ratio(p)), own);
  }
  if (!sensitivities)
    llvm::outs() << "loses most: " << names[worst] << " (own SQNR "
                 << llvm::format("%.2f", worstOwn) << " dB)\n";
  return 0;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  intq::registerAllIntQPasses();
  cl::HideUnrelatedOptions(toolOptions);
  cl::ParseCommandLineOptions(argc, argv, "intq: compile and run a model\n");
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  DialectRegistry registry;
  intq::registerAllIntQDialects(registry);
  intq::initializeCompiler(registry);
  MLIRContext ctx(registry);
  // Remarks and errors name their location; the op dump adds nothing here.
  ctx.printOpOnDiagnostic(false);
  ctx.loadAllAvailableDialects();

  if (nodeTests) {
    int passed = 0;
    std::vector<std::string> failures;
    for (const std::string &dir : positional) {
      std::string name = llvm::sys::path::filename(dir).str();
      std::string why = runNodeTest(ctx, dir);
      if (why.empty()) {
        ++passed;
        llvm::outs() << "PASS " << name << "\n";
      } else {
        failures.push_back(name + ": " + why);
        llvm::outs() << "FAIL " << name << ": " << why << "\n";
      }
    }
    llvm::outs() << "onnx node tests: " << positional.size() << " run, "
                 << passed << " passed, " << failures.size() << " failed\n";
    return 0;
  }

  if (positional.size() != 1) {
    llvm::errs() << "intq-run: expected one model file\n";
    return 2;
  }
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &ctx);
  OwningOpRef<ModuleOp> module = loadModel(ctx, positional[0], sourceMgr);
  if (!module)
    return 1;
  if (report)
    return runReport(*module);
  if (keepFloatWorst > 0) {
    if (!ptq) {
      llvm::errs() << "intq-run: --keep-float-worst needs --ptq\n";
      return 1;
    }
    // Sensitivity analysis on a copy, on at most 500 images.
    OwningOpRef<ModuleOp> copy = module->clone();
    std::vector<LayerSensitivity> sens;
    int64_t savedLimit = limit;
    limit = std::min<int64_t>(limit, 500);
    int rc = runReport(*copy, &sens);
    limit = savedLimit;
    if (rc != 0)
      return rc;
    llvm::sort(sens, [](const LayerSensitivity &a,
                        const LayerSensitivity &b) {
      return a.ownSqnr != b.ownSqnr ? a.ownSqnr < b.ownSqnr
                                    : a.layer < b.layer;
    });
    std::string keep;
    llvm::StringSet<> chosen;
    for (const LayerSensitivity &l : sens) {
      if (chosen.size() >= keepFloatWorst)
        break;
      if (!chosen.insert(l.layer).second)
        continue;
      keep += (keep.empty() ? "" : ",") + l.layer;
      llvm::outs() << "kept in float (own SQNR "
                   << llvm::format("%.2f", l.ownSqnr) << " dB): " << l.layer
                   << "\n";
    }
    if (!keep.empty())
      ptqOptions = ptqOptions + " keep-float=" + keep;
  }
  auto c = compile(*module);
  if (failed(c))
    return 1;
  if (c->inputShapes.size() != 1 || c->outputShapes.size() != 1) {
    llvm::errs() << "intq-run: models with one input and one output only\n";
    return 1;
  }
  int64_t inN = numel(c->inputShapes[0]), outN = numel(c->outputShapes[0]);

  if (!rawInput.empty() || randomInput >= 0) {
    std::vector<float> x, e;
    if (randomInput >= 0) {
      uint64_t state = uint64_t(randomInput) * 0x9E3779B97F4A7C15ull + 1;
      x.resize(inN);
      for (float &v : x) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        v = float(double(state >> 11) / 9007199254740992.0 * 2.0 - 1.0);
      }
    } else if (!readFloats(rawInput, x)) {
      llvm::errs() << "intq-run: cannot read --raw-input\n";
      return 1;
    }
    if (!rawExpected.empty() && !readFloats(rawExpected, e)) {
      llvm::errs() << "intq-run: cannot read --raw-expected\n";
      return 1;
    }
    // The raw input may hold several model inputs back to back (the model
    // runs once per input; outputs are concatenated the same way).
    int64_t runs = int64_t(x.size()) / inN;
    if (runs < 1 || int64_t(x.size()) != runs * inN ||
        (!rawExpected.empty() && int64_t(e.size()) != runs * outN)) {
      llvm::errs() << "intq-run: data sizes (" << x.size() << ", "
                   << e.size() << ") are not a whole number of model inputs "
                   << "and outputs (" << inN << ", " << outN << ")\n";
      return 1;
    }
    std::vector<float> y(runs * outN);
    for (int64_t r = 0; r < runs; ++r)
      if (failed(run(*c, {x.data() + r * inN}, {y.data() + r * outN})))
        return 1;
    if (!dumpOutput.empty()) {
      std::ofstream f(dumpOutput, std::ios::binary);
      f.write(reinterpret_cast<const char *>(y.data()), y.size() * 4);
    }
    if (rawExpected.empty()) {
      llvm::outs() << "ran " << c->name << ": " << y.size() << " outputs\n";
      return 0;
    }
    outN = y.size();
    double maxErr = 0;
    bool within = true;
    int64_t agree = 0, rows = runs * c->outputShapes[0][0],
            cols = outN / rows;
    for (int64_t i = 0; i < outN; ++i) {
      double err = std::abs(double(y[i]) - double(e[i]));
      maxErr = std::max(maxErr, err);
      within &= err <= absTolerance + relTolerance * std::abs(double(e[i]));
    }
    for (int64_t r = 0; r < rows; ++r)
      agree += std::max_element(&y[r * cols], &y[r * cols] + cols) -
                   &y[r * cols] ==
               std::max_element(&e[r * cols], &e[r * cols] + cols) -
                   &e[r * cols];
    llvm::outs() << "max abs difference " << llvm::format("%.3g", maxErr)
                 << " over " << outN << " outputs; top-1 agreement " << agree
                 << "/" << rows << "\n";
    if (!within)
      llvm::outs() << "FAIL: outside atol " << absTolerance << " + rtol "
                   << relTolerance << "\n";
    return within ? 0 : 1;
  }

  if (!fashionMnist.empty()) {
    intq::IdxImages images;
    std::vector<uint8_t> labels;
    std::string error;
    if (!intq::readIdxImages(fashionMnist + "/t10k-images-idx3-ubyte.gz",
                             images, error) ||
        !intq::readIdxLabels(fashionMnist + "/t10k-labels-idx1-ubyte.gz",
                             labels, error)) {
      llvm::errs() << "intq-run: " << error << "\n";
      return 1;
    }
    int64_t per = images.rows * images.cols;
    int64_t batch = c->inputShapes[0][0];
    if (inN != batch * per || outN % batch) {
      llvm::errs() << "intq-run: the model input must be Bx1x"
                   << images.rows << "x" << images.cols << "\n";
      return 1;
    }
    int64_t classes = outN / batch;
    int64_t total = std::min<int64_t>(limit, images.count);
    total -= total % batch;
    std::vector<float> x(inN), y(outN);
    int64_t correct = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (int64_t start = 0; start < total; start += batch) {
      for (int64_t i = 0; i < inN; ++i)
        x[i] = images.pixels[start * per + i] / 255.0f;
      if (failed(run(*c, {x.data()}, {y.data()})))
        return 1;
      for (int64_t b = 0; b < batch; ++b) {
        float *row = &y[b * classes];
        correct += std::max_element(row, row + classes) - row ==
                   labels[start + b];
      }
    }
    double secs = std::chrono::duration<double>(
                      std::chrono::steady_clock::now() - t0)
                      .count();
    llvm::outs() << "top-1 accuracy " << llvm::format("%.2f", 100.0 * correct / total)
                 << "% (" << correct << "/" << total << " test images), "
                 << llvm::format("%.1f", 1e6 * secs / total) << " us/image\n";
    return 0;
  }
  llvm::errs() << "intq-run: nothing to do (give --raw-input or "
                  "--fashion-mnist)\n";
  return 2;
}
