//===- OnnxImporter.cpp - ONNX ModelProto to float MLIR (TOSA) ------------===//

#include "intq/Import/OnnxImporter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include "onnx/onnx_pb.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <numeric>

using namespace mlir;

namespace {

//===----------------------------------------------------------------------===//
// Tensors known at import time (initializers, Constant nodes, folded shape
// computations).
//===----------------------------------------------------------------------===//

/// The quantization a QuantizeLinear / DequantizeLinear pair of a
/// pre-quantized (QDQ) model gave a constant, kept so that the constant is
/// emitted as dcast(qcast(value)) with the model's own parameters.
struct QuantHint {
  bool isSigned = true;
  unsigned bits = 8;
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  int64_t axis = 0; // ONNX axis of the constant (per-axis only)
  bool perAxis() const { return scales.size() > 1; }
};

struct ConstTensor {
  std::optional<QuantHint> quant;
  bool isFloat = true;
  SmallVector<int64_t> shape;
  std::vector<double> values; // floats and integers alike (exact for the
                              // integers shape computations use)
  int64_t numel() const {
    // readTensor bounds the element count of the shapes it accepts; an
    // empty tensor may still have other dims whose product overflows.
    if (llvm::is_contained(shape, 0))
      return 0;
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
};

/// A constant's value as an integer index or dimension, saturated to
/// +-2^62 (ONNX uses INT64_MAX for "to the end"; doubles beyond the int64
/// range must not be converted directly).
int64_t toIndex(double v) {
  if (std::isnan(v))
    return 0;
  double lim = 4611686018427387904.0; // 2^62
  return int64_t(std::max(-lim, std::min(lim, v)));
}

/// Element count of `shape`, or nothing when a dimension is negative or the
/// count exceeds 2^40 (no multiplication overflows).
std::optional<int64_t> checkedNumel(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0 || (d != 0 && n > (int64_t(1) << 40) / d))
      return std::nullopt;
    n *= d;
  }
  return n;
}

/// A value of the ONNX graph as the importer tracks it.
struct Entry {
  Value value;                         // null while only a constant
  std::optional<ConstTensor> constant; // known at import time
  SmallVector<int64_t> shape;          // ONNX (logical) shape
  bool nhwc = false;                   // rank-4 value stored as NHWC
  /// Rank-2 [N, C*H*W] value whose features are stored in H, W, C order
  /// (a flattened NHWC tensor): the logical CHW shape.
  std::optional<std::array<int64_t, 3>> flatHWC;
  /// The int32 output of ConvInteger / MatMulInteger, not emitted yet: it
  /// becomes a QDQ-form Conv / MatMul once the Mul by a constant scale that
  /// turns it into real values is seen (through a Cast to float).
  std::shared_ptr<onnx::NodeProto> pendingInteger;
};

class Importer {
public:
  Importer(MLIRContext *ctx, StringRef bufferName,
           const intq::OnnxImportOptions &options)
      : ctx(ctx), builder(ctx), options(options), bufferName(bufferName) {}

  OwningOpRef<ModuleOp> run(const onnx::ModelProto &model);

private:
  // Diagnostics.
  Location nodeLoc(const onnx::NodeProto &node) {
    std::string name = node.name().empty() ? "<unnamed>" : node.name();
    return NameLoc::get(StringAttr::get(ctx, name),
                        FileLineColLoc::get(ctx, bufferName, 0, 0));
  }
  InFlightDiagnostic nodeError(const onnx::NodeProto &node) {
    return emitError(nodeLoc(node))
           << "node '" << (node.name().empty() ? "<unnamed>" : node.name())
           << "' (" << node.op_type() << "): ";
  }
  InFlightDiagnostic modelError() {
    return emitError(FileLineColLoc::get(ctx, bufferName, 0, 0));
  }

  // Tensors.
  FailureOr<ConstTensor> readTensor(const onnx::TensorProto &t,
                                    function_ref<InFlightDiagnostic()> err);
  Value materialize(Entry &e, Location loc);
  FailureOr<Entry *> input(const onnx::NodeProto &node, int i,
                           bool optional = false);
  FailureOr<ConstTensor> constInput(const onnx::NodeProto &node, int i);
  void define(const onnx::NodeProto &node, int i, Entry e);
  /// Defines value `name` as the constant `t` of ONNX type `dtype` (the
  /// parameters of nodes the importer synthesizes).
  void defineConstant(const std::string &name, const ConstTensor &t,
                      int dtype) {
    Entry e;
    e.shape = t.shape;
    e.constant = t;
    values[name] = std::move(e);
    dataTypes[name] = dtype;
  }
  /// Defines output 0 as `v`, with the shape and layout of `like`.
  void defineLike(const onnx::NodeProto &node, const Entry &like, Value v) {
    Entry e = like;
    e.value = v;
    e.constant.reset();
    define(node, 0, std::move(e));
  }

  // Builders.
  RankedTensorType f32Tensor(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getF32Type());
  }
  Value constF32(Location loc, ArrayRef<int64_t> shape, ArrayRef<float> data);
  Value zeroPoint(Location loc) { return constF32(loc, {1}, {0.0f}); }
  /// The shift operand of tosa.mul (0 for floats).
  Value mulShift(Location loc) {
    auto type = RankedTensorType::get({1}, builder.getI8Type());
    return tosa::ConstOp::create(
        builder, loc, type,
        DenseElementsAttr::get(type, ArrayRef<int8_t>{0}));
  }
  Value op(Location loc, StringRef name, ValueRange operands, Type result,
           ArrayRef<NamedAttribute> attrs = {});
  Value reshape(Location loc, Value v, ArrayRef<int64_t> shape);
  /// A !tosa.shape constant.
  Value shapeValue(Location loc, ArrayRef<int64_t> values);
  Value transpose(Location loc, Value v, ArrayRef<int32_t> perm);
  Value toLogical(Location loc, Entry &e);
  Value cropNHWC(Location loc, Value v, int64_t cropH, int64_t cropW);
  /// tosa.pad of an NHWC value: pads = [top, bottom, left, right].
  Value padNHWCValue(Location loc, Value v, ArrayRef<int64_t> pads,
                     float value);
  Value padValue(Location loc, Value v, ArrayRef<int64_t> beginEnd,
                 float value);
  LogicalResult importPad(const onnx::NodeProto &node);

  // Ops.
  LogicalResult importNode(const onnx::NodeProto &node);
  LogicalResult importConv(const onnx::NodeProto &node);
  LogicalResult importBatchNorm(const onnx::NodeProto &node);
  LogicalResult importGemm(const onnx::NodeProto &node, bool isMatMul);
  LogicalResult importClamp(const onnx::NodeProto &node);
  LogicalResult importBinary(const onnx::NodeProto &node);
  LogicalResult importPool(const onnx::NodeProto &node);
  LogicalResult importFlatten(const onnx::NodeProto &node);
  LogicalResult importReshape(const onnx::NodeProto &node);
  LogicalResult importSoftmax(const onnx::NodeProto &node);
  LogicalResult importUnary(const onnx::NodeProto &node);
  LogicalResult importShapeOp(const onnx::NodeProto &node);
  LogicalResult importRuntimeShapeOp(const onnx::NodeProto &node);
  LogicalResult importQDQ(const onnx::NodeProto &node);
  LogicalResult importQLinear(const onnx::NodeProto &node);
  LogicalResult importIntegerOp(const onnx::NodeProto &node);
  LogicalResult importTranspose(const onnx::NodeProto &node);
  LogicalResult resolveInteger(const onnx::NodeProto &mul, Entry &pending,
                               const ConstTensor &scale);
  /// dcast(qcast(c)) for a constant that carries a QDQ hint (identity
  /// otherwise); `axis` is the quantized axis in the emitted layout.
  Value applyHint(Location loc, Value c, const std::optional<QuantHint> &hint,
                  int64_t axis);
  quant::QuantizedType quantType(const QuantHint &hint, int64_t axis);

  const onnx::AttributeProto *attr(const onnx::NodeProto &node,
                                   StringRef name) {
    for (const auto &a : node.attribute())
      if (a.name() == name)
        return &a;
    return nullptr;
  }
  int64_t attrInt(const onnx::NodeProto &node, StringRef name, int64_t def) {
    const auto *a = attr(node, name);
    return a ? a->i() : def;
  }
  float attrFloat(const onnx::NodeProto &node, StringRef name, float def) {
    const auto *a = attr(node, name);
    return a ? a->f() : def;
  }
  SmallVector<int64_t> attrInts(const onnx::NodeProto &node, StringRef name,
                                ArrayRef<int64_t> def) {
    const auto *a = attr(node, name);
    if (!a)
      return SmallVector<int64_t>(def);
    return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
  }
  std::string attrString(const onnx::NodeProto &node, StringRef name,
                         StringRef def) {
    const auto *a = attr(node, name);
    return a ? a->s() : def.str();
  }

  MLIRContext *ctx;
  OpBuilder builder;
  const intq::OnnxImportOptions &options;
  std::string bufferName;
  int64_t opset = 0;
  llvm::StringMap<Entry> values;
  /// ONNX data types of initializers and Constant outputs (the storage type
  /// of QDQ parameters).
  llvm::StringMap<int> dataTypes;
  llvm::StringMap<int> &zpTypes = dataTypes;
};

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

template <typename T>
bool readRaw(const std::string &raw, int64_t n, std::vector<double> &out) {
  if (int64_t(raw.size()) != n * int64_t(sizeof(T)))
    return false;
  out.resize(n);
  for (int64_t i = 0; i < n; ++i) {
    T v;
    std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));
    out[i] = double(v);
  }
  return true;
}

/// Tensor data from raw_data (little endian T) or from the typed field.
template <typename T, typename Field>
bool readTyped(const std::string &raw, const Field &field, int64_t n,
               std::vector<double> &out) {
  if (!raw.empty())
    return readRaw<T>(raw, n, out);
  if (field.size() != n)
    return false;
  out.assign(field.begin(), field.end());
  return true;
}

FailureOr<ConstTensor>
Importer::readTensor(const onnx::TensorProto &t,
                     function_ref<InFlightDiagnostic()> err) {
  ConstTensor c;
  for (int64_t d : t.dims()) {
    if (d < 0)
      return err() << "tensor '" << t.name() << "' has a negative dimension";
    c.shape.push_back(d);
  }
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    return err() << "tensor '" << t.name()
                 << "' uses external data, which is not supported";
  std::optional<int64_t> count = checkedNumel(c.shape);
  if (!count || *count > (int64_t(1) << 31))
    return err() << "tensor '" << t.name() << "' is too large";
  int64_t n = *count;
  const std::string &raw = t.raw_data();
  bool ok = true;
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT:
    ok = readTyped<float>(raw, t.float_data(), n, c.values);
    break;
  case onnx::TensorProto::DOUBLE:
    ok = readTyped<double>(raw, t.double_data(), n, c.values);
    break;
  case onnx::TensorProto::INT64:
    c.isFloat = false;
    ok = readTyped<int64_t>(raw, t.int64_data(), n, c.values);
    break;
  case onnx::TensorProto::INT32:
    c.isFloat = false;
    ok = readTyped<int32_t>(raw, t.int32_data(), n, c.values);
    break;
  case onnx::TensorProto::INT8: // int32_data holds 8-bit values
    c.isFloat = false;
    ok = raw.empty() ? readTyped<int8_t>(raw, t.int32_data(), n, c.values)
                     : readRaw<int8_t>(raw, n, c.values);
    break;
  case onnx::TensorProto::UINT8:
    c.isFloat = false;
    ok = raw.empty() ? readTyped<uint8_t>(raw, t.int32_data(), n, c.values)
                     : readRaw<uint8_t>(raw, n, c.values);
    break;
  default:
    return err() << "tensor '" << t.name() << "' has unsupported data type "
                 << onnx::TensorProto::DataType_Name(
                        onnx::TensorProto::DataType(t.data_type()));
  }
  if (!ok)
    return err() << "tensor '" << t.name() << "' holds a wrong amount of data "
                 << "for its shape (" << n << " elements expected)";
  return c;
}

Value Importer::constF32(Location loc, ArrayRef<int64_t> shape,
                         ArrayRef<float> data) {
  auto type = f32Tensor(shape);
  // Large constants become resource blobs: no uniquing hash over the data,
  // and the printer writes them as one hex blob instead of a float list.
  Attribute attr;
  if ((int64_t)data.size() > options.inlineConstantLimit)
    attr = DenseF32ResourceElementsAttr::get(
        type, "onnx_const",
        HeapAsmResourceBlob::allocateAndCopyInferAlign(data));
  else
    attr = DenseElementsAttr::get(type, data);
  OperationState state(loc, "tosa.const");
  state.addAttribute("values", attr);
  state.addTypes(type);
  return builder.create(state)->getResult(0);
}

Value Importer::op(Location loc, StringRef name, ValueRange operands,
                   Type result, ArrayRef<NamedAttribute> attrs) {
  OperationState state(loc, name);
  state.addOperands(operands);
  state.addTypes(result);
  state.addAttributes(attrs);
  return builder.create(state)->getResult(0);
}

Value Importer::shapeValue(Location loc, ArrayRef<int64_t> values) {
  auto idx = RankedTensorType::get({(int64_t)values.size()},
                                   builder.getIndexType());
  OperationState s(loc, "tosa.const_shape");
  s.addAttribute("values", DenseIntElementsAttr::get(idx, values));
  s.addTypes(tosa::shapeType::get(ctx, values.size()));
  return builder.create(s)->getResult(0);
}

Value Importer::reshape(Location loc, Value v, ArrayRef<int64_t> shape) {
  auto ty = llvm::cast<RankedTensorType>(v.getType());
  if (ty.getShape() == shape)
    return v;
  Value shapeVal = shapeValue(loc, shape);
  return op(loc, "tosa.reshape", {v, shapeVal},
            RankedTensorType::get(shape, ty.getElementType()));
}

Value Importer::transpose(Location loc, Value v, ArrayRef<int32_t> perm) {
  auto ty = llvm::cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape;
  for (int32_t p : perm)
    shape.push_back(ty.getDimSize(p));
  return op(loc, "tosa.transpose", {v},
            RankedTensorType::get(shape, ty.getElementType()),
            {builder.getNamedAttr("perms", builder.getDenseI32ArrayAttr(perm))});
}

Value Importer::materialize(Entry &e, Location loc) {
  if (e.value)
    return e.value;
  const ConstTensor &c = *e.constant;
  std::vector<float> data(c.values.begin(), c.values.end());
  e.value = constF32(loc, c.shape, data);
  return e.value;
}

/// Drops the last `cropH` rows and `cropW` columns of an NHWC tensor.
Value Importer::cropNHWC(Location loc, Value v, int64_t cropH, int64_t cropW) {
  if (cropH == 0 && cropW == 0)
    return v;
  auto ty = llvm::cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> size(ty.getShape());
  size[1] -= cropH;
  size[2] -= cropW;
  Value start = shapeValue(loc, {0, 0, 0, 0});
  Value sizes = shapeValue(loc, size);
  return op(loc, "tosa.slice", {v, start, sizes},
            RankedTensorType::get(size, ty.getElementType()));
}

/// tosa.pad with `beginEnd` = [b0, e0, b1, e1, ...] in the value's layout.
Value Importer::padValue(Location loc, Value v, ArrayRef<int64_t> beginEnd,
                         float value) {
  auto ty = llvm::cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape(ty.getShape());
  for (size_t d = 0; d < shape.size(); ++d)
    shape[d] += beginEnd[2 * d] + beginEnd[2 * d + 1];
  return op(loc, "tosa.pad",
            {v, shapeValue(loc, beginEnd), constF32(loc, {1}, {value})},
            RankedTensorType::get(shape, ty.getElementType()));
}

Value Importer::padNHWCValue(Location loc, Value v, ArrayRef<int64_t> pads,
                             float value) {
  return padValue(loc, v, {0, 0, pads[0], pads[1], pads[2], pads[3], 0, 0},
                  value);
}

/// Pad (constant mode): NCHW pads applied to the NHWC data.
LogicalResult Importer::importPad(const onnx::NodeProto &node) {
  Location loc = nodeLoc(node);
  auto x = input(node, 0);
  if (failed(x))
    return failure();
  Entry &xe = **x;
  std::string mode = attrString(node, "mode", "constant");
  if (mode != "constant")
    return nodeError(node) << "only constant padding is supported, got mode '"
                           << mode << "'";
  SmallVector<int64_t> pads;
  float value = 0.0f;
  if (opset < 11) {
    pads = attrInts(node, "pads", {});
    value = attrFloat(node, "value", 0.0f);
  } else {
    auto p = constInput(node, 1);
    if (failed(p))
      return failure();
    for (double v : p->values)
      pads.push_back(toIndex(v));
    auto cv = input(node, 2, /*optional=*/true);
    if (failed(cv))
      return failure();
    if (*cv) {
      if (!(*cv)->constant || (*cv)->constant->numel() != 1)
        return nodeError(node) << "constant_value must be a constant scalar";
      value = float((*cv)->constant->values[0]);
    }
    if (node.input_size() > 3 && !node.input(3).empty())
      return nodeError(node) << "the axes input is not supported";
  }
  int64_t rank = xe.shape.size();
  if ((int64_t)pads.size() != 2 * rank ||
      llvm::any_of(pads, [](int64_t p) { return p < 0 || p > (1 << 20); }))
    return nodeError(node) << "expects " << 2 * rank
                           << " non-negative pads (negative pads crop, which "
                              "is not supported)";
  // ONNX order: [x1_begin, x2_begin, ..., x1_end, x2_end, ...].
  SmallVector<int64_t> logicalShape = xe.shape;
  for (int64_t d = 0; d < rank; ++d)
    logicalShape[d] += pads[d] + pads[d + rank];
  SmallVector<int64_t> beginEnd(2 * rank);
  Value v;
  if (xe.nhwc) {
    static const int64_t logicalOf[4] = {0, 2, 3, 1}; // physical -> logical
    for (int64_t d = 0; d < 4; ++d) {
      beginEnd[2 * d] = pads[logicalOf[d]];
      beginEnd[2 * d + 1] = pads[logicalOf[d] + rank];
    }
    v = materialize(xe, loc);
  } else {
    for (int64_t d = 0; d < rank; ++d) {
      beginEnd[2 * d] = pads[d];
      beginEnd[2 * d + 1] = pads[d + rank];
    }
    v = toLogical(loc, xe);
  }
  Entry out;
  out.value = padValue(loc, v, beginEnd, value);
  out.shape = logicalShape;
  out.nhwc = xe.nhwc;
  define(node, 0, std::move(out));
  return success();
}

/// The value in ONNX's own layout (NCHW, or CHW feature order).
Value Importer::toLogical(Location loc, Entry &e) {
  Value v = materialize(e, loc);
  if (e.nhwc)
    return transpose(loc, v, {0, 3, 1, 2});
  if (e.flatHWC) {
    auto [c, h, w] = *e.flatHWC;
    int64_t n = e.shape[0];
    Value four = reshape(loc, v, {n, h, w, c});
    Value nchw = transpose(loc, four, {0, 3, 1, 2});
    return reshape(loc, nchw, {n, c * h * w});
  }
  return v;
}

FailureOr<Entry *> Importer::input(const onnx::NodeProto &node, int i,
                                   bool optional) {
  if (i >= node.input_size() || node.input(i).empty()) {
    if (optional)
      return static_cast<Entry *>(nullptr);
    return nodeError(node) << "missing input " << i;
  }
  auto it = values.find(node.input(i));
  if (it == values.end())
    return nodeError(node) << "input '" << node.input(i)
                           << "' is not produced by any node, initializer "
                              "or graph input";
  if (it->second.value && node.op_type() != "DequantizeLinear" &&
      getElementTypeOrSelf(it->second.value.getType()).isInteger(8))
    return nodeError(node) << "input '" << node.input(i)
                           << "' is an 8-bit integer graph input, which only "
                              "DequantizeLinear (or a QLinear op) may read";
  if (it->second.pendingInteger)
    return nodeError(node)
           << "input '" << node.input(i) << "' is the int32 output of "
           << it->second.pendingInteger->op_type()
           << ", which intq supports only when it is cast to float and "
              "multiplied by a constant scale (Cast + Mul, the form ONNX "
              "Runtime's quantizer writes)";
  return &it->second;
}

FailureOr<ConstTensor> Importer::constInput(const onnx::NodeProto &node,
                                            int i) {
  auto e = input(node, i);
  if (failed(e))
    return failure();
  if (!(*e)->constant)
    return nodeError(node) << "input " << i << " ('" << node.input(i)
                           << "') must be a constant (initializer or "
                              "Constant node)";
  return *(*e)->constant;
}

void Importer::define(const onnx::NodeProto &node, int i, Entry e) {
  if (i < node.output_size() && !node.output(i).empty())
    values[node.output(i)] = std::move(e);
}

//===----------------------------------------------------------------------===//
// Ops
//===----------------------------------------------------------------------===//

/// Strides, dilations and kernel sizes in [1, 2^20], pads in [0, 2^20]: the
/// window arithmetic below cannot divide by zero or overflow.
bool windowAttrsValid(ArrayRef<int64_t> strides, ArrayRef<int64_t> dils,
                      ArrayRef<int64_t> pads, ArrayRef<int64_t> kernel) {
  auto in = [](ArrayRef<int64_t> v, int64_t lo) {
    return llvm::all_of(v, [&](int64_t x) { return x >= lo && x <= (1 << 20); });
  };
  return in(strides, 1) && in(dils, 1) && in(pads, 0) && in(kernel, 1);
}

/// Output size of a window op along one spatial axis (floor mode).
int64_t windowOut(int64_t in, int64_t padBegin, int64_t padEnd, int64_t k,
                  int64_t stride, int64_t dil) {
  return (in + padBegin + padEnd - dil * (k - 1) - 1) / stride + 1;
}

/// TOSA requires (in + pads - extent) to be a multiple of the stride; ONNX
/// floors instead. Shrinks the end padding (and, if that is not enough,
/// reports how many trailing input rows to crop) so that both agree.
struct WindowFit {
  int64_t padEnd;
  int64_t crop; // trailing input rows/columns that no window reads
};
WindowFit fitWindow(int64_t in, int64_t padBegin, int64_t padEnd, int64_t k,
                    int64_t stride, int64_t dil) {
  int64_t out = windowOut(in, padBegin, padEnd, k, stride, dil);
  int64_t needed = (out - 1) * stride + dil * (k - 1) + 1;
  int64_t excess = in + padBegin + padEnd - needed;
  int64_t fromPad = std::min(excess, padEnd);
  return {padEnd - fromPad, excess - fromPad};
}

/// ONNX auto_pad: returns [top, left, bottom, right]-style pads in ONNX
/// order [x1_begin, x2_begin, x1_end, x2_end].
FailureOr<SmallVector<int64_t>>
resolvePads(StringRef autoPad, ArrayRef<int64_t> explicitPads,
            ArrayRef<int64_t> in, ArrayRef<int64_t> k, ArrayRef<int64_t> s,
            ArrayRef<int64_t> d) {
  if (autoPad == "NOTSET" || autoPad.empty())
    return SmallVector<int64_t>(explicitPads);
  if (autoPad == "VALID")
    return SmallVector<int64_t>{0, 0, 0, 0};
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    return failure();
  SmallVector<int64_t> pads(4, 0);
  for (int i = 0; i < 2; ++i) {
    int64_t out = (in[i] + s[i] - 1) / s[i];
    int64_t total =
        std::max<int64_t>(0, (out - 1) * s[i] + d[i] * (k[i] - 1) + 1 - in[i]);
    int64_t small = total / 2, big = total - small;
    pads[i] = autoPad == "SAME_UPPER" ? small : big;
    pads[i + 2] = autoPad == "SAME_UPPER" ? big : small;
  }
  return pads;
}

LogicalResult Importer::importConv(const onnx::NodeProto &node) {
  Location loc = nodeLoc(node);
  auto x = input(node, 0);
  auto w = constInput(node, 1);
  if (failed(x) || failed(w))
    return failure();
  auto b = input(node, 2, /*optional=*/true);
  if (failed(b))
    return failure();
  Entry &xe = **x;
  if (xe.shape.size() != 4 || w->shape.size() != 4)
    return nodeError(node) << "only 2-D convolutions (rank-4 input and "
                              "weights) are supported";
  int64_t n = xe.shape[0], c = xe.shape[1], h = xe.shape[2], wd = xe.shape[3];
  int64_t o = w->shape[0], cg = w->shape[1], kh = w->shape[2],
          kw = w->shape[3];
  int64_t group = attrInt(node, "group", 1);
  if (group < 1 || c % group || o % group || c / group != cg)
    return nodeError(node) << "weights " << o << "x" << cg << "x" << kh << "x"
                           << kw << " do not match " << c
                           << " input channels in " << group << " groups";
  auto ks = attrInts(node, "kernel_shape", {kh, kw});
  if (ks.size() != 2 || ks[0] != kh || ks[1] != kw)
    return nodeError(node) << "kernel_shape does not match the weights";
  auto strides = attrInts(node, "strides", {1, 1});
  auto dils = attrInts(node, "dilations", {1, 1});
  auto padsIn = attrInts(node, "pads", {0, 0, 0, 0});
  if (strides.size() != 2 || dils.size() != 2 || padsIn.size() != 4)
    return nodeError(node) << "expects 2 strides, 2 dilations and 4 pads";
  if (!windowAttrsValid(strides, dils, padsIn, {kh, kw}))
    return nodeError(node) << "strides, dilations and kernel sizes must be "
                              "positive and pads non-negative";
  std::string autoPad = attrString(node, "auto_pad", "NOTSET");
  auto pads = resolvePads(autoPad, padsIn, {h, wd}, {kh, kw}, strides, dils);
  if (failed(pads))
    return nodeError(node) << "unsupported auto_pad value '" << autoPad << "'";
  int64_t oh = windowOut(h, (*pads)[0], (*pads)[2], kh, strides[0], dils[0]);
  int64_t ow = windowOut(wd, (*pads)[1], (*pads)[3], kw, strides[1], dils[1]);
  if (oh < 1 || ow < 1)
    return nodeError(node) << "the kernel does not fit the padded input";

  Value xv = materialize(xe, loc);
  if (!xe.nhwc)
    return nodeError(node) << "internal: conv input is not in NHWC";
  WindowFit fh = fitWindow(h, (*pads)[0], (*pads)[2], kh, strides[0], dils[0]);
  WindowFit fw = fitWindow(wd, (*pads)[1], (*pads)[3], kw, strides[1], dils[1]);
  (*pads)[2] = fh.padEnd;
  (*pads)[3] = fw.padEnd;
  xv = cropNHWC(loc, xv, fh.crop, fw.crop);
  std::vector<float> bias(o, 0.0f);
  if (*b) {
    if (!(*b)->constant || (*b)->constant->numel() != o)
      return nodeError(node) << "bias must be a constant of " << o
                             << " elements";
    for (int64_t i = 0; i < o; ++i)
      bias[i] = float((*b)->constant->values[i]);
  }
  Value biasV = constF32(loc, {o}, bias);
  if (*b)
    biasV = applyHint(loc, biasV, (*b)->constant->quant, 0);
  const std::optional<QuantHint> &wHint = w->quant;
  if (wHint && wHint->perAxis() && wHint->axis != 0)
    return nodeError(node) << "weights must be quantized along the output "
                              "channel axis 0";
  Value zp = zeroPoint(loc);
  auto padAttr = builder.getDenseI64ArrayAttr(
      {(*pads)[0], (*pads)[2], (*pads)[1], (*pads)[3]});
  SmallVector<NamedAttribute> attrs = {
      builder.getNamedAttr("pad", padAttr),
      builder.getNamedAttr("stride", builder.getDenseI64ArrayAttr(strides)),
      builder.getNamedAttr("dilation", builder.getDenseI64ArrayAttr(dils)),
      builder.getNamedAttr("acc_type", TypeAttr::get(builder.getF32Type()))};
  Value result;
  if (group == 1 || cg != 1 || group != c) {
    // OIHW -> OHWI, folded at import. TOSA has no grouped convolution: a
    // grouped one (1 < group < C) becomes the equivalent dense convolution
    // whose weights are zero outside each group's block of input channels
    // (exact in float and in integers); --intq-quantize recognizes the
    // block-diagonal weights and emits intq.conv2d with `groups` again, so
    // the int8 code does not pay for the zeros.
    std::vector<float> ohwi(o * kh * kw * c, 0.0f);
    int64_t og = o / group;
    for (int64_t oc = 0; oc < o; ++oc)
      for (int64_t i = 0; i < cg; ++i) {
        int64_t ic = (oc / og) * cg + i;
        for (int64_t y = 0; y < kh; ++y)
          for (int64_t xx = 0; xx < kw; ++xx)
            ohwi[((oc * kh + y) * kw + xx) * c + ic] =
                float(w->values[((oc * cg + i) * kh + y) * kw + xx]);
      }
    Value wv = applyHint(loc, constF32(loc, {o, kh, kw, c}, ohwi), wHint, 0);
    result = op(loc, "tosa.conv2d", {xv, wv, biasV, zp, zp},
                f32Tensor({n, oh, ow, o}), attrs);
  } else {
    // Depthwise: O = C * M, weights to KH x KW x C x M.
    int64_t m = o / c;
    std::vector<float> hwcm(kh * kw * c * m);
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t mm = 0; mm < m; ++mm)
        for (int64_t y = 0; y < kh; ++y)
          for (int64_t xx = 0; xx < kw; ++xx)
            hwcm[((y * kw + xx) * c + ch) * m + mm] =
                float(w->values[((ch * m + mm) * kh + y) * kw + xx]);
    if (wHint && wHint->perAxis() && m != 1)
      return nodeError(node) << "per-channel weights of a depthwise "
                                "convolution with a channel multiplier are "
                                "not supported";
    Value wv = applyHint(loc, constF32(loc, {kh, kw, c, m}, hwcm), wHint, 2);
    result = op(loc, "tosa.depthwise_conv2d", {xv, wv, biasV, zp, zp},
                f32Tensor({n, oh, ow, o}), attrs);
  }
  Entry out;
  out.value = result;
  out.shape = {n, o, oh, ow};
  out.nhwc = true;
  define(node, 0, std::move(out));
  return success();
}

LogicalResult Importer::importBatchNorm(const onnx::NodeProto &node) {
  Location loc = nodeLoc(node);
  if (node.output_size() > 1 &&
      llvm::any_of(llvm::drop_begin(node.output()),
                   [](const std::string &s) { return !s.empty(); }))
    return nodeError(node) << "training-mode outputs (running mean/var) are "
                              "not supported; export the model in eval mode";
  if (attrInt(node, "training_mode", 0) != 0)
    return nodeError(node) << "training_mode=1 is not supported";
  auto x = input(node, 0);
  auto gamma = constInput(node, 1), beta = constInput(node, 2),
       mean = constInput(node, 3), var = constInput(node, 4);
  if (failed(x) || failed(gamma) || failed(beta) || failed(mean) ||
      failed(var))
    return failure();
  Entry &xe = **x;
  if (xe.shape.size() < 2)
    return nodeError(node) << "input must have a channel dimension";
  int64_t c = xe.shape[1];
  for (auto *t : {&*gamma, &*beta, &*mean, &*var})
    if (t->numel() != c)
      return nodeError(node) << "statistics must have " << c << " elements";
  double eps = attrFloat(node, "epsilon", 1e-5f);
  // The importer's form of batch normalization: one per-channel multiply
  // and one per-channel add (y = x * a + b, a = gamma / sqrt(var + eps),
  // b = beta - mean * a), which --intq-fold-batchnorm folds into a
  // preceding conv / matmul.
  std::vector<float> a(c), bb(c);
  for (int64_t i = 0; i < c; ++i) {
    double s = gamma->values[i] / std::sqrt(var->values[i] + eps);
    a[i] = float(s);
    bb[i] = float(beta->values[i] - mean->values[i] * s);
  }
  Value xv = materialize(xe, loc);
  auto ty = llvm::cast<RankedTensorType>(xv.getType());
  SmallVector<int64_t> cshape(ty.getRank(), 1);
  if (xe.nhwc)
    cshape[3] = c;
  else
    cshape[1] = c;
  Value av = constF32(loc, cshape, a), bv = constF32(loc, cshape, bb);
  Value shift = mulShift(loc);
  Value mul = op(loc, "tosa.mul", {xv, av, shift}, ty);
  Value add = op(loc, "tosa.add", {mul, bv}, ty);
  defineLike(node, xe, add);
  return success();
}

LogicalResult Importer::importGemm(const onnx::NodeProto &node,
                                   bool isMatMul) {
  Location loc = nodeLoc(node);
  auto a = input(node, 0);
  auto bt = constInput(node, 1);
  if (failed(a) || failed(bt))
    return failure();
  Entry &ae = **a;
  if (ae.shape.size() != 2 || bt->shape.size() != 2)
    return nodeError(node) << "only rank-2 operands are supported, got rank "
                           << ae.shape.size() << " x rank "
                           << bt->shape.size();
  bool transA = !isMatMul && attrInt(node, "transA", 0);
  bool transB = !isMatMul && attrInt(node, "transB", 0);
  float alpha = isMatMul ? 1.0f : attrFloat(node, "alpha", 1.0f);
  float beta = isMatMul ? 1.0f : attrFloat(node, "beta", 1.0f);
  int64_t m = transA ? ae.shape[1] : ae.shape[0];
  int64_t k = transA ? ae.shape[0] : ae.shape[1];
  if (transA && ae.flatHWC)
    return nodeError(node) << "transA=1 on a flattened NHWC tensor is not "
                              "supported";
  int64_t bk = transB ? bt->shape[1] : bt->shape[0];
  int64_t nOut = transB ? bt->shape[0] : bt->shape[1];
  if (bk != k)
    return nodeError(node) << "reduction sizes differ: A has K = " << k
                           << ", B has K = " << bk;
  // B as K x N, alpha folded in; rows permuted when A's features arrive in
  // HWC order (a flattened NHWC tensor), so no transpose runs.
  std::vector<float> kn(k * nOut);
  for (int64_t kk = 0; kk < k; ++kk) {
    int64_t src = kk;
    if (ae.flatHWC) {
      auto [c, h, w] = *ae.flatHWC;
      int64_t y = kk / (w * c), x = (kk / c) % w, ch = kk % c;
      src = (ch * h + y) * w + x; // CHW index of HWC position kk
    }
    for (int64_t j = 0; j < nOut; ++j)
      kn[kk * nOut + j] = alpha * float(transB ? bt->values[j * k + src]
                                               : bt->values[src * nOut + j]);
  }
  Value av = materialize(ae, loc);
  if (transA)
    av = transpose(loc, av, {1, 0});
  Value a3 = reshape(loc, av, {1, m, k});
  if (bt->quant && bt->quant->perAxis() &&
      bt->quant->axis != (transB ? 0 : 1))
    return nodeError(node) << "weights must be quantized along the output "
                              "axis N";
  Value wv = applyHint(loc, constF32(loc, {1, k, nOut}, kn), bt->quant, 2);
  Value zp = zeroPoint(loc);
  Value mm = op(loc, "tosa.matmul", {a3, wv, zp, zp}, f32Tensor({1, m, nOut}));
  Value y = reshape(loc, mm, {m, nOut});
  auto c = input(node, 2, /*optional=*/true);
  if (failed(c))
    return failure();
  if (*c) {
    if (!(*c)->constant)
      return nodeError(node) << "bias C must be a constant";
    const ConstTensor &ct = *(*c)->constant;
    std::vector<float> bias(nOut);
    if (ct.numel() == m * nOut && m != 1) {
      std::vector<float> full(m * nOut);
      for (int64_t i = 0; i < m * nOut; ++i)
        full[i] = beta * float(ct.values[i]);
      Value bv = constF32(loc, {m, nOut}, full);
      y = op(loc, "tosa.add", {y, bv}, f32Tensor({m, nOut}));
      Entry out;
      out.value = y;
      out.shape = {m, nOut};
      define(node, 0, std::move(out));
      return success();
    }
    if (ct.numel() == nOut) {
      for (int64_t j = 0; j < nOut; ++j)
        bias[j] = beta * float(ct.values[j]);
    } else if (ct.numel() == 1) {
      std::fill(bias.begin(), bias.end(), beta * float(ct.values[0]));
    } else {
      return nodeError(node) << "bias C of shape with " << ct.numel()
                             << " elements is not supported (expected "
                             << nOut << " or 1)";
    }
    Value bv = applyHint(loc, constF32(loc, {1, nOut}, bias), ct.quant, 1);
    y = op(loc, "tosa.add", {y, bv}, f32Tensor({m, nOut}));
  }
  Entry out;
  out.value = y;
  out.shape = {m, nOut};
  define(node, 0, std::move(out));
  return success();
}

LogicalResult Importer::importClamp(const onnx::NodeProto &node) {
  Location loc = nodeLoc(node);
  auto x = input(node, 0);
  if (failed(x))
    return failure();
  float lo = -std::numeric_limits<float>::max();
  float hi = std::numeric_limits<float>::max();
  if (node.op_type() == "Relu") {
    lo = 0.0f;
  } else if (opset < 11) {
    lo = attrFloat(node, "min", lo);
    hi = attrFloat(node, "max", hi);
  } else {
    for (int i = 1; i <= 2; ++i) {
      auto e = input(node, i, /*optional=*/true);
      if (failed(e))
        return failure();
      if (!*e)
        continue;
      if (!(*e)->constant || (*e)->constant->numel() != 1)
        return nodeError(node) << (i == 1 ? "min" : "max")
                               << " must be a constant scalar";
      (i == 1 ? lo : hi) = float((*e)->constant->values[0]);
    }
  }
  Entry &xe = **x;
  Value xv = materialize(xe, loc);
  Value y = op(loc, "tosa.clamp", {xv}, xv.getType(),
               {builder.getNamedAttr("min_val", builder.getF32FloatAttr(lo)),
                builder.getNamedAttr("max_val", builder.getF32FloatAttr(hi))});
  defineLike(node, xe, y);
  return success();
}

LogicalResult Importer::importUnary(const onnx::NodeProto &node) {
  Location loc = nodeLoc(node);
  auto x = input(node, 0);
  if (failed(x))
    return failure();
  Entry &xe = **x;
  if (node.op_type() == "Identity") {
    define(node, 0, xe);
    return success();
  }
  Value xv = materialize(xe, loc);
  Type ty = xv.getType();
  Value y;
  if (node.op_type() == "Sigmoid") {
    y = op(loc, "tosa.sigmoid", {xv}, ty);
  } else if (node.op_type() == "Tanh") {
    y = op(loc, "tosa.tanh", {xv}, ty);
  } else if (node.op_type() == "HardSigmoid" ||
             node.op_type() == "HardSwish") {
    float alpha = node.op_type() == "HardSwish"
                      ? 1.0f / 6.0f
                      : attrFloat(node, "alpha", 0.2f);
    float beta = node.op_type() == "HardSwish" ? 0.5f
                                               : attrFloat(node, "beta", 0.5f);
    auto rank = llvm::cast<RankedTensorType>(ty).getRank();
    SmallVector<int64_t> one(rank, 1);
    Value shift = mulShift(loc);
    Value t = op(loc, "tosa.mul", {xv, constF32(loc, one, {alpha}), shift}, ty);
    t = op(loc, "tosa.add", {t, constF32(loc, one, {beta})}, ty);
    t = op(loc, "tosa.clamp", {t}, ty,
           {builder.getNamedAttr("min_val", builder.getF32FloatAttr(0.0f)),
            builder.getNamedAttr("max_val", builder.getF32FloatAttr(1.0f))});
    y = node.op_type() == "HardSwish" ? op(loc, "tosa.mul", {xv, t, shift}, ty)
                                      : t;
  } else {
    return nodeError(node) << "unsupported op";
  }
  defineLike(node, xe, y);
  return success();
}

LogicalResult Importer::importBinary(const onnx::NodeProto &node) {
  Location loc = nodeLoc(node);
  // The scale multiply after ConvInteger / MatMulInteger (+ Cast).
  for (int side = 0; side < 2 && node.op_type() == "Mul"; ++side) {
    auto p = values.find(node.input(side));
    if (p == values.end() || !p->second.pendingInteger)
      continue;
    // Only float values reach Mul: the Cast to float must come first.
    if (dataTypes.lookup(node.input(side)) != onnx::TensorProto::FLOAT)
      return nodeError(node) << "multiplies the int32 output of "
                             << p->second.pendingInteger->op_type()
                             << " without a Cast to float";
    auto scale = constInput(node, 1 - side);
    if (failed(scale))
      return failure();
    return resolveInteger(node, p->second, *scale);
  }
  auto a = input(node, 0), b = input(node, 1);
  if (failed(a) || failed(b))
    return failure();
  Entry &ae = **a, &be = **b;
  StringRef kind = node.op_type();
  // Constant folding (shape computations).
  if (ae.constant && be.constant && ae.constant->numel() == 1 &&
      be.constant->numel() == 1) {
    double x = ae.constant->values[0], y = be.constant->values[0];
    double r = kind == "Add" ? x + y
               : kind == "Sub" ? x - y
               : kind == "Mul" ? x * y
                               : (ae.constant->isFloat ? x / y
                                                       : std::trunc(x / y));
    Entry out;
    out.constant = ConstTensor{std::nullopt, ae.constant->isFloat, ae.constant->shape, {r}};
    out.shape = ae.constant->shape;
    define(node, 0, std::move(out));
    return success();
  }
  // One side a constant broadcast per channel (or a scalar), the other an
  // activation in any layout; or both activations in the same layout.
  Entry *act = &ae, *cst = &be;
  bool swapped = false;
  if (ae.constant && !be.constant) {
    std::swap(act, cst);
    swapped = true;
  }
  Value av = materialize(*act, loc);
  auto ty = llvm::cast<RankedTensorType>(av.getType());
  Value bv;
  if (cst->constant) {
    if (kind == "Div" && swapped)
      return nodeError(node) << "division of a constant by a tensor is not "
                                "supported";
    const ConstTensor &c = *cst->constant;
    // Broadcast c (ONNX shape, right-aligned) to act's logical shape, then
    // lay it out like act.
    int64_t rank = act->shape.size();
    if ((int64_t)c.shape.size() > rank)
      return nodeError(node) << "constant has a higher rank than the tensor";
    SmallVector<int64_t> cs(rank - c.shape.size(), 1);
    cs.append(c.shape.begin(), c.shape.end());
    for (int64_t i = 0; i < rank; ++i)
      if (cs[i] != 1 && cs[i] != act->shape[i])
        return nodeError(node) << "constant shape does not broadcast";
    std::vector<float> data(c.values.begin(), c.values.end());
    if (kind == "Div")
      for (float &v : data)
        v = 1.0f / v;
    SmallVector<int64_t> shape = cs;
    if (act->nhwc) {
      // [1|N, C|1, H|1, W|1] -> NHWC.
      std::vector<float> t(data.size());
      int64_t n = cs[0], ch = cs[1], h = cs[2], w = cs[3];
      for (int64_t i0 = 0; i0 < n; ++i0)
        for (int64_t i1 = 0; i1 < ch; ++i1)
          for (int64_t i2 = 0; i2 < h; ++i2)
            for (int64_t i3 = 0; i3 < w; ++i3)
              t[((i0 * h + i2) * w + i3) * ch + i1] =
                  data[((i0 * ch + i1) * h + i2) * w + i3];
      data = t;
      shape = {n, h, w, ch};
    } else if (act->flatHWC && cs[1] != 1) {
      return nodeError(node) << "per-feature constants on a flattened NHWC "
                                "tensor are not supported yet";
    }
    bv = constF32(loc, shape, data);
  } else {
    if (act->nhwc != cst->nhwc || act->shape != cst->shape)
      return nodeError(node) << "operands of different shapes or layouts are "
                                "not supported yet";
    bv = materialize(*cst, loc);
    if (swapped)
      std::swap(av, bv);
  }
  Value y;
  if (kind == "Add")
    y = op(loc, "tosa.add", {av, bv}, ty);
  else if (kind == "Sub")
    y = swapped && cst->constant
            ? op(loc, "tosa.sub", {bv, av}, ty)
            : op(loc, "tosa.sub", {av, bv}, ty);
  else {
    Value shift = mulShift(loc);
    y = op(loc, "tosa.mul", {av, bv, shift}, ty);
  }
  defineLike(node, *act, y);
  return success();
}

LogicalResult Importer::importPool(const onnx::NodeProto &node) {
  Location loc = nodeLoc(node);
  auto x = input(node, 0);
  if (failed(x))
    return failure();
  Entry &xe = **x;
  if (xe.shape.size() != 4 || !xe.nhwc)
    return nodeError(node) << "only 2-D pooling of NCHW tensors is supported";
  int64_t n = xe.shape[0], c = xe.shape[1], h = xe.shape[2], w = xe.shape[3];
  bool global = node.op_type() == "GlobalAveragePool" ||
                node.op_type() == "GlobalMaxPool";
  SmallVector<int64_t> k = global ? SmallVector<int64_t>{h, w}
                                  : attrInts(node, "kernel_shape", {});
  if (k.size() != 2)
    return nodeError(node) << "kernel_shape must have 2 values";
  auto strides = global ? SmallVector<int64_t>{1, 1}
                        : attrInts(node, "strides", {1, 1});
  auto padsIn = global ? SmallVector<int64_t>{0, 0, 0, 0}
                       : attrInts(node, "pads", {0, 0, 0, 0});
  auto dils = attrInts(node, "dilations", {1, 1});
  if (dils != SmallVector<int64_t>{1, 1})
    return nodeError(node) << "dilated pooling is not supported";
  if (strides.size() != 2 || padsIn.size() != 4 ||
      !windowAttrsValid(strides, dils, padsIn, k))
    return nodeError(node) << "expects 2 positive strides, 2 positive kernel "
                              "sizes and 4 non-negative pads";
  bool ceilMode = attrInt(node, "ceil_mode", 0) != 0;
  if (node.output_size() > 1 && !node.output(1).empty())
    return nodeError(node) << "the Indices output is not supported";
  std::string autoPad = attrString(node, "auto_pad", "NOTSET");
  auto pads = resolvePads(autoPad, padsIn, {h, w}, k, strides, {1, 1});
  if (failed(pads))
    return nodeError(node) << "unsupported auto_pad value '" << autoPad << "'";
  bool isAvg = StringRef(node.op_type()).contains("Average");
  Value xv = materialize(xe, loc);
  if (isAvg && attrInt(node, "count_include_pad", 0) != 0 &&
      llvm::any_of(*pads, [](int64_t p) { return p != 0; })) {
    // Padded zeros count: pad explicitly, pool without padding.
    xv = padNHWCValue(loc, xv, {(*pads)[0], (*pads)[2], (*pads)[1], (*pads)[3]},
                      0.0f);
    h += (*pads)[0] + (*pads)[2];
    w += (*pads)[1] + (*pads)[3];
    *pads = SmallVector<int64_t>{0, 0, 0, 0};
  }
  if (ceilMode) {
    // ceil instead of floor: extra end padding (never counted, never wins),
    // unless the last window would start in the end padding.
    for (int i = 0; i < 2; ++i) {
      int64_t in = i == 0 ? h : w;
      int64_t total = in + (*pads)[i] + (*pads)[i + 2];
      int64_t out = (total - k[i] + strides[i] - 1) / strides[i] + 1;
      if ((out - 1) * strides[i] >= in + (*pads)[i])
        --out;
      (*pads)[i + 2] += std::max<int64_t>(
          0, (out - 1) * strides[i] + k[i] - total);
    }
  }
  int64_t oh = windowOut(h, (*pads)[0], (*pads)[2], k[0], strides[0], 1);
  int64_t ow = windowOut(w, (*pads)[1], (*pads)[3], k[1], strides[1], 1);
  SmallVector<NamedAttribute> attrs = {
      builder.getNamedAttr("kernel", builder.getDenseI64ArrayAttr(k)),
      builder.getNamedAttr("stride", builder.getDenseI64ArrayAttr(strides)),
      builder.getNamedAttr("pad", builder.getDenseI64ArrayAttr(
                                      {(*pads)[0], (*pads)[2], (*pads)[1],
                                       (*pads)[3]}))};
  WindowFit fh = fitWindow(h, (*pads)[0], (*pads)[2], k[0], strides[0], 1);
  WindowFit fw = fitWindow(w, (*pads)[1], (*pads)[3], k[1], strides[1], 1);
  (*pads)[2] = fh.padEnd;
  (*pads)[3] = fw.padEnd;
  xv = cropNHWC(loc, xv, fh.crop, fw.crop);
  attrs[2] = builder.getNamedAttr(
      "pad", builder.getDenseI64ArrayAttr(
                 {(*pads)[0], (*pads)[2], (*pads)[1], (*pads)[3]}));
  Value y;
  if (isAvg) {
    attrs.push_back(
        builder.getNamedAttr("acc_type", TypeAttr::get(builder.getF32Type())));
    Value zp = zeroPoint(loc);
    y = op(loc, "tosa.avg_pool2d", {xv, zp, zp}, f32Tensor({n, oh, ow, c}),
           attrs);
  } else {
    y = op(loc, "tosa.max_pool2d", {xv}, f32Tensor({n, oh, ow, c}), attrs);
  }
  Entry out;
  out.value = y;
  out.shape = {n, c, oh, ow};
  out.nhwc = true;
  define(node, 0, std::move(out));
  return success();
}

/// Transpose: of a constant, at import; of an activation, one tosa.transpose
/// composed with the storage layout (an NHWC-stored value transposed to NHWC
/// is free).
LogicalResult Importer::importTranspose(const onnx::NodeProto &node) {
  Location loc = nodeLoc(node);
  auto x = input(node, 0);
  if (failed(x))
    return failure();
  Entry &xe = **x;
  int64_t rank = xe.shape.size();
  SmallVector<int64_t> perm = attrInts(node, "perm", {});
  if (perm.empty())
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  SmallVector<bool> seen(rank, false);
  if ((int64_t)perm.size() != rank)
    return nodeError(node) << "perm has " << perm.size()
                           << " entries for a rank-" << rank << " input";
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return nodeError(node) << "perm is not a permutation of 0.." << rank - 1;
    seen[p] = true;
  }
  Entry out;
  for (int64_t p : perm)
    out.shape.push_back(xe.shape[p]);
  if (xe.constant) {
    const ConstTensor &c = *xe.constant;
    ConstTensor r;
    r.isFloat = c.isFloat;
    r.shape = out.shape;
    r.values.resize(c.values.size());
    SmallVector<int64_t> inStride(rank, 1), idx(rank, 0);
    // Strides only of a non-empty tensor: its dims multiply to at most its
    // (checked) element count. An empty one may have a zero next to dims
    // whose product overflows.
    if (!c.values.empty())
      for (int64_t d = rank - 2; d >= 0; --d)
        inStride[d] = inStride[d + 1] * c.shape[d + 1];
    for (size_t i = 0; i < r.values.size(); ++i) {
      // idx: the output index of element i, row-major.
      int64_t src = 0;
      for (int64_t d = 0; d < rank; ++d)
        src += idx[d] * inStride[perm[d]];
      r.values[i] = c.values[src];
      for (int64_t d = rank - 1; d >= 0; --d) {
        if (++idx[d] < out.shape[d])
          break;
        idx[d] = 0;
      }
    }
    out.constant = std::move(r);
    define(node, 0, std::move(out));
    if (dataTypes.count(node.input(0)))
      dataTypes[node.output(0)] = dataTypes.lookup(node.input(0));
    return success();
  }
  Value v;
  SmallVector<int32_t> physical;
  if (xe.nhwc) {
    // Stored NHWC: physical dim i holds logical dim {0, 2, 3, 1}[i]; the
    // output's logical dim j is the input's logical perm[j], i.e. physical
    // dim {0, 3, 1, 2}[perm[j]].
    v = materialize(xe, loc);
    static const int32_t logicalToPhysical[4] = {0, 3, 1, 2};
    for (int64_t p : perm)
      physical.push_back(logicalToPhysical[p]);
  } else {
    v = toLogical(loc, xe);
    for (int64_t p : perm)
      physical.push_back(int32_t(p));
  }
  bool identity = true;
  for (int64_t i = 0; i < (int64_t)physical.size(); ++i)
    identity &= physical[i] == i;
  out.value = identity ? v : transpose(loc, v, physical);
  define(node, 0, std::move(out));
  return success();
}

LogicalResult Importer::importFlatten(const onnx::NodeProto &node) {
  Location loc = nodeLoc(node);
  auto x = input(node, 0);
  if (failed(x))
    return failure();
  Entry &xe = **x;
  int64_t rank = xe.shape.size();
  int64_t axis = attrInt(node, "axis", 1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis > rank)
    return nodeError(node) << "axis out of range";
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < rank; ++i)
    (i < axis ? outer : inner) *= xe.shape[i];
  Entry out;
  out.shape = {outer, inner};
  if (xe.constant) {
    out.constant = *xe.constant;
    out.constant->shape = out.shape;
    define(node, 0, std::move(out));
    return success();
  }
  if (xe.nhwc && axis == 1) {
    // NHWC data flattened as is: features in H, W, C order, remembered so
    // that a following Gemm permutes its weights instead of transposing.
    out.value = reshape(loc, materialize(xe, loc), out.shape);
    if (xe.shape[2] * xe.shape[3] != 1 && xe.shape[1] != 1)
      out.flatHWC = std::array<int64_t, 3>{xe.shape[1], xe.shape[2],
                                           xe.shape[3]};
  } else {
    out.value = reshape(loc, toLogical(loc, xe), out.shape);
  }
  define(node, 0, std::move(out));
  return success();
}

LogicalResult Importer::importReshape(const onnx::NodeProto &node) {
  Location loc = nodeLoc(node);
  auto x = input(node, 0);
  auto s = constInput(node, 1);
  if (failed(x) || failed(s))
    return failure();
  Entry &xe = **x;
  std::optional<int64_t> totalOr = checkedNumel(xe.shape);
  if (!totalOr)
    return nodeError(node) << "input shape too large";
  int64_t total = *totalOr;
  SmallVector<int64_t> shape;
  int64_t inferred = -1, known = 1;
  bool allowZero = attrInt(node, "allowzero", 0) != 0;
  for (size_t i = 0; i < s->values.size(); ++i) {
    int64_t d = toIndex(s->values[i]);
    if (d == 0 && !allowZero) {
      if (i >= xe.shape.size())
        return nodeError(node) << "0 in the shape copies a missing dimension";
      d = xe.shape[i];
    }
    if (d == -1) {
      if (inferred >= 0)
        return nodeError(node) << "more than one -1 in the shape";
      inferred = i;
      shape.push_back(1);
      continue;
    }
    if (d < 0 || d > total)
      return nodeError(node) << "invalid dimension " << d;
    known *= d;
    if (known > total)
      return nodeError(node) << "the new shape has more elements than the "
                                "input";
    shape.push_back(d);
  }
  if (inferred >= 0) {
    if (known == 0 || total % known)
      return nodeError(node) << "cannot infer the -1 dimension";
    shape[inferred] = total / known;
  }
  if (checkedNumel(shape) != std::optional<int64_t>(total))
    return nodeError(node) << "the new shape has a different element count";
  Entry out;
  out.shape = shape;
  if (xe.constant) {
    out.constant = *xe.constant;
    out.constant->shape = shape;
  } else if (xe.nhwc && shape.size() == 2 && shape[0] == xe.shape[0]) {
    // Same as Flatten(axis=1).
    out.value = reshape(loc, materialize(xe, loc), shape);
    if (xe.shape[2] * xe.shape[3] != 1 && xe.shape[1] != 1)
      out.flatHWC = std::array<int64_t, 3>{xe.shape[1], xe.shape[2],
                                           xe.shape[3]};
  } else {
    out.value = reshape(loc, toLogical(loc, xe), shape);
  }
  define(node, 0, std::move(out));
  return success();
}

LogicalResult Importer::importSoftmax(const onnx::NodeProto &node) {
  Location loc = nodeLoc(node);
  auto x = input(node, 0);
  if (failed(x))
    return failure();
  Entry &xe = **x;
  int64_t rank = xe.shape.size();
  int64_t axis = attrInt(node, "axis", opset < 13 ? 1 : -1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return nodeError(node) << "axis out of range";
  if (opset < 13 && axis != rank - 1)
    return nodeError(node) << "softmax before opset 13 (coerced to 2-D) over "
                              "an axis other than the last is not supported";
  if (xe.flatHWC)
    return nodeError(node) << "softmax of a flattened NHWC tensor is not "
                              "supported";
  Value xv = materialize(xe, loc);
  if (xe.nhwc) // logical N, C, H, W live at 0, 3, 1, 2
    axis = std::array<int64_t, 4>{0, 3, 1, 2}[axis];
  auto ty = llvm::cast<RankedTensorType>(xv.getType());
  SmallVector<int64_t> red(ty.getShape());
  red[axis] = 1;
  auto axisAttr = builder.getNamedAttr(
      "axis", builder.getI32IntegerAttr(static_cast<int32_t>(axis)));
  Value mx = op(loc, "tosa.reduce_max", {xv}, f32Tensor(red), {axisAttr});
  Value d = op(loc, "tosa.sub", {xv, mx}, ty);
  Value e = op(loc, "tosa.exp", {d}, ty);
  Value s = op(loc, "tosa.reduce_sum", {e}, f32Tensor(red), {axisAttr});
  Value r = op(loc, "tosa.reciprocal", {s}, f32Tensor(red));
  Value shift = mulShift(loc);
  Entry out = xe;
  out.value = op(loc, "tosa.mul", {e, r, shift}, ty);
  define(node, 0, std::move(out));
  return success();
}

/// Shape computations on constants: Shape, Gather, Unsqueeze, Squeeze,
/// Concat, Cast, Slice, ConstantOfShape.
LogicalResult Importer::importShapeOp(const onnx::NodeProto &node) {
  StringRef kind = node.op_type();
  Entry out;
  if (kind == "Shape") {
    auto x = input(node, 0);
    if (failed(x))
      return failure();
    ConstTensor c;
    c.isFloat = false;
    c.shape = {(int64_t)(*x)->shape.size()};
    for (int64_t d : (*x)->shape)
      c.values.push_back(double(d));
    out.constant = c;
    out.shape = c.shape;
    define(node, 0, std::move(out));
    return success();
  }
  if (kind == "ConstantOfShape") {
    auto s = constInput(node, 0);
    if (failed(s))
      return failure();
    ConstTensor c;
    int64_t total = 1;
    for (double d : s->values) {
      if (!(d >= 0) || d > double(1 << 24) || total * int64_t(d) > (1 << 24))
        return nodeError(node) << "shape too large or invalid";
      c.shape.push_back(int64_t(d));
      total *= int64_t(d);
    }
    double v = 0;
    bool isFloat = true;
    if (const auto *a = attr(node, "value")) {
      auto t = readTensor(a->t(), [&]() { return nodeError(node); });
      if (failed(t))
        return failure();
      if (t->numel() != 1)
        return nodeError(node) << "value must have one element";
      v = t->values[0];
      isFloat = t->isFloat;
    }
    c.isFloat = isFloat;
    c.values.assign(c.numel(), v);
    out.constant = c;
    out.shape = c.shape;
    define(node, 0, std::move(out));
    const auto *va = attr(node, "value");
    dataTypes[node.output(0)] =
        va ? va->t().data_type() : int(onnx::TensorProto::FLOAT);
    return success();
  }
  if (kind == "Cast") {
    auto pending = values.find(node.input(0));
    if (pending != values.end() && pending->second.pendingInteger) {
      if (attrInt(node, "to", 0) != onnx::TensorProto::FLOAT)
        return nodeError(node) << "the int32 output of "
                               << pending->second.pendingInteger->op_type()
                               << " can only be cast to float";
      Entry e = pending->second;
      define(node, 0, std::move(e));
      dataTypes[node.output(0)] = onnx::TensorProto::FLOAT;
      return success();
    }
    auto x = input(node, 0);
    if (failed(x))
      return failure();
    if (!(*x)->constant) {
      // A cast of a value computed at run time: only the identity, which
      // PyTorch's QDQ export writes between QuantizeLinear and
      // DequantizeLinear (uint8 to uint8).
      Entry &xe = **x;
      Value v = materialize(xe, nodeLoc(node));
      Type elt = getElementTypeOrSelf(v.getType());
      auto qt = llvm::dyn_cast<quant::QuantizedType>(elt);
      int64_t to = attrInt(node, "to", onnx::TensorProto::FLOAT);
      bool same =
          (to == onnx::TensorProto::FLOAT && elt.isF32()) ||
          (qt && qt.getStorageTypeIntegralWidth() == 8 &&
           to == (qt.isSigned() ? onnx::TensorProto::INT8
                                : onnx::TensorProto::UINT8));
      if (!same)
        return nodeError(node)
               << "only constant casts and casts of a value to its own type "
                  "are supported (to "
               << onnx::TensorProto::DataType_Name(
                      onnx::TensorProto::DataType(to))
               << ")";
      defineLike(node, xe, v);
      return success();
    }
  }
  if ((kind == "Squeeze" || kind == "Unsqueeze" || kind == "Concat" ||
       kind == "Slice") &&
      node.input_size() > 0) {
    auto first = input(node, 0);
    if (failed(first))
      return failure();
    bool anyRuntime = !(*first)->constant;
    if (kind == "Concat")
      for (int i = 1; i < node.input_size(); ++i) {
        auto e = input(node, i);
        if (failed(e))
          return failure();
        anyRuntime |= !(*e)->constant;
      }
    if (anyRuntime)
      return importRuntimeShapeOp(node);
  }
  // The rest need every input constant.
  std::vector<ConstTensor> ins;
  for (int i = 0; i < node.input_size(); ++i) {
    if (node.input(i).empty()) {
      ins.emplace_back();
      continue;
    }
    auto c = constInput(node, i);
    if (failed(c))
      return nodeError(node) << "only constant shape computations are "
                                "supported (the input is computed at run "
                                "time)";
    ins.push_back(*c);
  }
  ConstTensor r;
  if (kind == "Cast") {
    r = ins[0];
    int64_t to = attrInt(node, "to", onnx::TensorProto::FLOAT);
    r.isFloat = to == onnx::TensorProto::FLOAT ||
                to == onnx::TensorProto::DOUBLE;
    dataTypes[node.output(0)] = int(to);
    if (!r.isFloat)
      for (double &v : r.values)
        v = std::trunc(v);
  } else if (kind == "Unsqueeze" || kind == "Squeeze") {
    r = ins[0];
    SmallVector<int64_t> axes;
    if (opset >= 13 && ins.size() > 1)
      for (double v : ins[1].values)
        axes.push_back(toIndex(v));
    else
      axes = attrInts(node, "axes", {});
    if (kind == "Unsqueeze") {
      int64_t outRank = r.shape.size() + axes.size();
      for (int64_t &a : axes) {
        if (a < 0)
          a += outRank;
        if (a < 0 || a >= outRank)
          return nodeError(node) << "axis out of range";
      }
      llvm::sort(axes);
      for (int64_t a : axes)
        r.shape.insert(r.shape.begin() + std::min<int64_t>(a, r.shape.size()),
                       1);
    } else {
      SmallVector<int64_t> shape;
      for (int64_t i = 0; i < (int64_t)r.shape.size(); ++i) {
        bool drop = axes.empty() ? r.shape[i] == 1
                                 : llvm::is_contained(axes, i) ||
                                       llvm::is_contained(
                                           axes, i - (int64_t)r.shape.size());
        if (!drop)
          shape.push_back(r.shape[i]);
      }
      r.shape = shape;
    }
  } else if (kind == "Gather") {
    const ConstTensor &data = ins[0], &idx = ins[1];
    if (data.shape.size() != 1 || attrInt(node, "axis", 0) != 0)
      return nodeError(node) << "only gathers from 1-D constants are "
                                "supported";
    r.isFloat = data.isFloat;
    r.shape = idx.shape;
    for (double i : idx.values) {
      int64_t j = toIndex(i);
      if (j < 0)
        j += data.values.size();
      if (j < 0 || j >= (int64_t)data.values.size())
        return nodeError(node) << "index out of range";
      r.values.push_back(data.values[j]);
    }
  } else if (kind == "Concat") {
    r.isFloat = ins[0].isFloat;
    int64_t axis = attrInt(node, "axis", 0);
    for (auto &t : ins) {
      if (t.shape.size() != 1 || (axis != 0 && axis != -1))
        return nodeError(node) << "only 1-D constant concatenation is "
                                  "supported";
      r.values.insert(r.values.end(), t.values.begin(), t.values.end());
    }
    r.shape = {(int64_t)r.values.size()};
  } else if (kind == "Slice") {
    const ConstTensor &data = ins[0];
    if (data.shape.size() != 1 || ins.size() < 3)
      return nodeError(node) << "only 1-D constant slices are supported";
    int64_t n = data.values.size();
    if (ins[1].values.empty() || ins[2].values.empty())
      return nodeError(node) << "empty starts or ends";
    int64_t start = toIndex(ins[1].values[0]),
            end = toIndex(ins[2].values[0]);
    int64_t step = ins.size() > 4 && !ins[4].values.empty()
                       ? toIndex(ins[4].values[0])
                       : 1;
    if (step != 1)
      return nodeError(node) << "only step 1 is supported";
    if (start < 0)
      start += n;
    if (end < 0)
      end += n;
    start = std::clamp<int64_t>(start, 0, n);
    end = std::clamp<int64_t>(end, 0, n);
    r.isFloat = data.isFloat;
    for (int64_t i = start; i < end; ++i)
      r.values.push_back(data.values[i]);
    r.shape = {(int64_t)r.values.size()};
  } else {
    return nodeError(node) << "unsupported op";
  }
  out.constant = r;
  out.shape = r.shape;
  define(node, 0, std::move(out));
  return success();
}

/// Squeeze, Unsqueeze, Concat and Slice of values computed at run time, in
/// ONNX's logical layout (NCHW values are transposed back first), except
/// Concat along the channels of NHWC values, which stays NHWC.
LogicalResult Importer::importRuntimeShapeOp(const onnx::NodeProto &node) {
  Location loc = nodeLoc(node);
  StringRef kind = node.op_type();
  auto x = input(node, 0);
  if (failed(x))
    return failure();
  Entry &xe = **x;
  int64_t rank = xe.shape.size();
  Entry out;
  if (kind == "Squeeze" || kind == "Unsqueeze") {
    SmallVector<int64_t> axes;
    if (opset >= 13 && node.input_size() > 1 && !node.input(1).empty()) {
      auto a = constInput(node, 1);
      if (failed(a))
        return failure();
      for (double v : a->values)
        axes.push_back(toIndex(v));
    } else {
      axes = attrInts(node, "axes", {});
    }
    SmallVector<int64_t> shape;
    if (kind == "Unsqueeze") {
      int64_t outRank = rank + axes.size();
      for (int64_t &a : axes)
        if (a < 0)
          a += outRank;
      shape.assign(xe.shape.begin(), xe.shape.end());
      llvm::sort(axes);
      for (int64_t a : axes) {
        if (a < 0 || a > (int64_t)shape.size())
          return nodeError(node) << "axis out of range";
        shape.insert(shape.begin() + a, 1);
      }
    } else {
      for (int64_t &a : axes)
        if (a < 0)
          a += rank;
      for (int64_t i = 0; i < rank; ++i) {
        bool drop = axes.empty() ? xe.shape[i] == 1
                                 : llvm::is_contained(axes, i);
        if (drop && xe.shape[i] != 1)
          return nodeError(node) << "cannot squeeze dimension " << i
                                 << " of size " << xe.shape[i];
        if (!drop)
          shape.push_back(xe.shape[i]);
      }
    }
    out.value = reshape(loc, toLogical(loc, xe), shape);
    out.shape = shape;
  } else if (kind == "Concat") {
    int64_t axis = attrInt(node, "axis", 0);
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank)
      return nodeError(node) << "axis out of range";
    bool allNhwc = true;
    SmallVector<Entry *> parts;
    for (int i = 0; i < node.input_size(); ++i) {
      auto e = input(node, i);
      if (failed(e))
        return failure();
      if ((*e)->shape.size() != size_t(rank))
        return nodeError(node) << "inputs of different ranks";
      allNhwc &= (*e)->nhwc;
      parts.push_back(*e);
    }
    SmallVector<Value> vals;
    SmallVector<int64_t> shape(xe.shape.begin(), xe.shape.end());
    shape[axis] = 0;
    for (Entry *e : parts) {
      for (int64_t i = 0; i < rank; ++i)
        if (i != axis && e->shape[i] != shape[i])
          return nodeError(node) << "inputs differ outside the axis";
      shape[axis] += e->shape[axis];
      vals.push_back(allNhwc ? materialize(*e, loc) : toLogical(loc, *e));
    }
    int64_t physAxis = allNhwc ? std::array<int64_t, 4>{0, 3, 1, 2}[axis]
                               : axis;
    SmallVector<int64_t> physShape(shape);
    if (allNhwc)
      physShape = {shape[0], shape[2], shape[3], shape[1]};
    out.value = op(loc, "tosa.concat", vals, f32Tensor(physShape),
                   {builder.getNamedAttr(
                       "axis", builder.getI32IntegerAttr(int32_t(physAxis)))});
    out.shape = shape;
    out.nhwc = allNhwc;
  } else { // Slice
    if (opset < 10)
      return nodeError(node) << "Slice before opset 10 is not supported";
    auto starts = constInput(node, 1), ends = constInput(node, 2);
    if (failed(starts) || failed(ends))
      return failure();
    SmallVector<int64_t> axes, steps;
    if (node.input_size() > 3 && !node.input(3).empty()) {
      auto a = constInput(node, 3);
      if (failed(a))
        return failure();
      for (double v : a->values)
        axes.push_back(toIndex(v));
    } else {
      for (size_t i = 0; i < starts->values.size(); ++i)
        axes.push_back(i);
    }
    if (node.input_size() > 4 && !node.input(4).empty()) {
      auto st = constInput(node, 4);
      if (failed(st))
        return failure();
      for (double v : st->values)
        if (v != 1)
          return nodeError(node) << "only step 1 is supported";
    }
    SmallVector<int64_t> begin(rank, 0), size(xe.shape.begin(), xe.shape.end());
    for (size_t i = 0; i < axes.size(); ++i) {
      int64_t a = axes[i] < 0 ? axes[i] + rank : axes[i];
      if (a < 0 || a >= rank)
        return nodeError(node) << "axis out of range";
      int64_t dim = xe.shape[a];
      if (i >= ends->values.size())
        return nodeError(node) << "starts and ends differ in length";
      int64_t st = toIndex(starts->values[i]), en = toIndex(ends->values[i]);
      if (st < 0)
        st += dim;
      if (en < 0)
        en += dim;
      st = std::clamp<int64_t>(st, 0, dim);
      en = std::clamp<int64_t>(en, 0, dim);
      begin[a] = st;
      size[a] = std::max<int64_t>(0, en - st);
    }
    if (llvm::is_contained(size, 0))
      return nodeError(node) << "empty slices are not supported";
    out.value = op(loc, "tosa.slice",
                   {toLogical(loc, xe), shapeValue(loc, begin),
                    shapeValue(loc, size)},
                   f32Tensor(size));
    out.shape = size;
  }
  define(node, 0, std::move(out));
  return success();
}

quant::QuantizedType Importer::quantType(const QuantHint &h, int64_t axis) {
  Type storage = builder.getIntegerType(h.bits);
  Type f32 = builder.getF32Type();
  unsigned flags = h.isSigned ? quant::QuantizationFlags::Signed : 0;
  int64_t lo = h.isSigned ? -(int64_t(1) << (h.bits - 1)) : 0;
  int64_t hi = h.isSigned ? (int64_t(1) << (h.bits - 1)) - 1
                          : (int64_t(1) << h.bits) - 1;
  if (h.perAxis())
    return quant::UniformQuantizedPerAxisType::get(
        flags, storage, f32, h.scales, h.zeroPoints, axis, lo, hi);
  return quant::UniformQuantizedType::get(flags, storage, f32, h.scales[0],
                                          h.zeroPoints[0], lo, hi);
}

Value Importer::applyHint(Location loc, Value c,
                          const std::optional<QuantHint> &hint, int64_t axis) {
  if (!hint)
    return c;
  auto ty = llvm::cast<RankedTensorType>(c.getType());
  Value q = quant::QuantizeCastOp::create(builder, loc,
                                          ty.clone(quantType(*hint, axis)), c);
  return quant::DequantizeCastOp::create(builder, loc, ty, q);
}

/// QuantizeLinear / DequantizeLinear (the QDQ form of pre-quantized
/// models). On constants they are evaluated here, and the constant remembers
/// its parameters; on values computed at run time they become quant.qcast /
/// quant.dcast, which --intq-quantize fuses into intq ops.
LogicalResult Importer::importQDQ(const onnx::NodeProto &node) {
  Location loc = nodeLoc(node);
  bool isQuantize = node.op_type() == "QuantizeLinear";
  auto x = input(node, 0);
  auto scale = constInput(node, 1);
  if (failed(x) || failed(scale))
    return failure();
  auto zpEntry = input(node, 2, /*optional=*/true);
  if (failed(zpEntry))
    return failure();
  if (*zpEntry && !(*zpEntry)->constant)
    return nodeError(node) << "the zero point must be a constant";
  Entry &xe = **x;
  QuantHint hint;
  for (double v : scale->values) {
    if (!(v > 0) || !std::isfinite(v))
      return nodeError(node) << "scale " << v << " must be positive and finite";
    hint.scales.push_back(v);
  }
  if (hint.scales.empty())
    return nodeError(node) << "empty scale";
  // Storage: the zero point's type; without one, uint8 for QuantizeLinear
  // (ONNX's default) and the input's type for DequantizeLinear.
  int storageType = onnx::TensorProto::UINT8;
  if (*zpEntry) {
    for (double v : (*zpEntry)->constant->values)
      hint.zeroPoints.push_back(toIndex(v));
  }
  // Find the zero point's declared type from the graph (initializer or
  // Constant) through the values table: ConstTensor keeps no dtype beyond
  // float/int, so read it from the node's input name.
  if (*zpEntry && zpTypes.count(node.input(2)))
    storageType = zpTypes.lookup(node.input(2));
  else if (!isQuantize && dataTypes.count(node.input(0)) &&
           dataTypes.lookup(node.input(0)) != onnx::TensorProto::FLOAT)
    storageType = dataTypes.lookup(node.input(0));
  if (storageType == onnx::TensorProto::INT8) {
    hint.isSigned = true;
    hint.bits = 8;
  } else if (storageType == onnx::TensorProto::UINT8) {
    hint.isSigned = false;
    hint.bits = 8;
  } else if (storageType == onnx::TensorProto::INT32) {
    hint.isSigned = true;
    hint.bits = 32;
  } else {
    return nodeError(node) << "unsupported quantized type "
                           << onnx::TensorProto::DataType_Name(
                                  onnx::TensorProto::DataType(storageType));
  }
  if (hint.zeroPoints.empty())
    hint.zeroPoints.assign(hint.scales.size(), 0);
  if (hint.zeroPoints.size() != hint.scales.size())
    return nodeError(node) << "scale and zero point differ in length";
  int64_t rank = xe.shape.size();
  hint.axis = attrInt(node, "axis", 1);
  if (hint.axis < 0)
    hint.axis += rank;
  if (hint.perAxis()) {
    if (opset < 13)
      return nodeError(node) << "per-axis quantization needs opset 13";
    if (hint.axis < 0 || hint.axis >= rank ||
        xe.shape[hint.axis] != (int64_t)hint.scales.size())
      return nodeError(node) << "per-axis scales do not match axis "
                             << hint.axis;
  }
  int64_t lo = hint.isSigned ? -(int64_t(1) << (hint.bits - 1)) : 0;
  int64_t hi = hint.isSigned ? (int64_t(1) << (hint.bits - 1)) - 1
                             : (int64_t(1) << hint.bits) - 1;
  for (int64_t z : hint.zeroPoints)
    if (z < lo || z > hi)
      return nodeError(node) << "zero point " << z
                             << " is outside the storage range";

  if (xe.constant) {
    // Evaluate at import; remember the parameters.
    ConstTensor c = *xe.constant;
    int64_t inner = 1;
    for (int64_t d = hint.axis + 1; d < rank; ++d)
      inner *= xe.shape[d];
    for (size_t i = 0; i < c.values.size(); ++i) {
      size_t ch = hint.perAxis() ? (i / inner) % hint.scales.size() : 0;
      double sc = hint.scales[ch], zp = double(hint.zeroPoints[ch]);
      if (isQuantize) {
        float q = std::nearbyint(float(c.values[i]) / float(sc)) + float(zp);
        c.values[i] = std::min(std::max(double(q), double(lo)), double(hi));
      } else {
        c.values[i] = float((c.values[i] - zp) * sc);
      }
    }
    c.isFloat = !isQuantize;
    c.quant = hint;
    Entry out;
    out.shape = c.shape;
    out.constant = std::move(c);
    define(node, 0, std::move(out));
    if (isQuantize)
      dataTypes[node.output(0)] = storageType;
    return success();
  }
  Value v = materialize(xe, loc);
  auto ty = llvm::cast<RankedTensorType>(v.getType());
  int64_t physAxis = xe.nhwc ? std::array<int64_t, 4>{0, 3, 1, 2}[hint.axis]
                             : hint.axis;
  if (hint.perAxis() && xe.flatHWC)
    return nodeError(node) << "per-axis quantization of a flattened NHWC "
                              "tensor is not supported";
  Value y;
  if (isQuantize) {
    if (!ty.getElementType().isF32())
      return nodeError(node) << "QuantizeLinear of a quantized value";
    y = quant::QuantizeCastOp::create(builder, loc,
                                      ty.clone(quantType(hint, physAxis)), v);
  } else {
    if (ty.getElementType().isInteger(8)) {
      // A pre-quantized graph input: reinterpret its storage.
      v = quant::StorageCastOp::create(
          builder, loc, ty.clone(quantType(hint, physAxis)), v);
      ty = llvm::cast<RankedTensorType>(v.getType());
    }
    auto qt = llvm::dyn_cast<quant::QuantizedType>(ty.getElementType());
    if (!qt)
      return nodeError(node) << "DequantizeLinear of a value that is not "
                                "the output of QuantizeLinear";
    if (qt != quantType(hint, physAxis))
      return nodeError(node) << "DequantizeLinear parameters differ from "
                                "the QuantizeLinear that produced its input";
    y = quant::DequantizeCastOp::create(builder, loc,
                                        ty.clone(builder.getF32Type()), v);
  }
  defineLike(node, xe, y);
  return success();
}

/// A node the importer writes to express `from` in simpler ONNX ops (same
/// name, so that errors and locations still point at `from`), with an
/// optional `axis` attribute.
static onnx::NodeProto synthesizeNode(const onnx::NodeProto &from,
                                      StringRef opType,
                                      ArrayRef<std::string> inputs,
                                      StringRef output,
                                      std::optional<int64_t> axis = {}) {
  onnx::NodeProto n;
  n.set_name(from.name());
  n.set_op_type(opType.str());
  for (const std::string &i : inputs)
    n.add_input(i);
  n.add_output(output.str());
  if (axis) {
    auto *a = n.add_attribute();
    a->set_name("axis");
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(*axis);
  }
  return n;
}

/// QLinearConv / QLinearMatMul (the "QOperator" form of pre-quantized
/// models) are rewritten into the equivalent QDQ form, node by node:
/// DequantizeLinear of the input, the weights and the bias (int32, scale
/// x_scale * w_scale), the float Conv / MatMul, QuantizeLinear of the result.
/// --intq-quantize fuses it back into one intq op with the model's scales.
LogicalResult Importer::importQLinear(const onnx::NodeProto &node) {
  bool isConv = node.op_type() == "QLinearConv";
  if (node.input_size() < 8)
    return nodeError(node) << "expects at least 8 inputs, got "
                           << node.input_size();
  std::string base = node.name().empty() ? node.output(0) : node.name();
  auto synth = [&](StringRef opType, ArrayRef<std::string> ins, StringRef out,
                   std::optional<int64_t> axis = {}) {
    return synthesizeNode(node, opType, ins, out, axis);
  };
  std::string x = base + "/x", w = base + "/w", b = base + "/b",
              y = base + "/y";
  // The weights' quantized axis: output channels (Conv: 0, MatMul: 1).
  onnx::NodeProto dqw =
      synth("DequantizeLinear", {node.input(3), node.input(4), node.input(5)},
            w, isConv ? 0 : 1);
  if (failed(importQDQ(synth("DequantizeLinear",
                             {node.input(0), node.input(1), node.input(2)},
                             x))) ||
      failed(importQDQ(dqw)))
    return failure();
  SmallVector<std::string> computeIns = {x, w};
  if (isConv && node.input_size() > 8 && !node.input(8).empty()) {
    // Bias: int32 with scale x_scale * w_scale (per channel), zero point 0.
    auto xs = constInput(node, 1), ws = constInput(node, 4);
    if (failed(xs) || failed(ws) || xs->values.size() != 1)
      return failure();
    ConstTensor bs;
    bs.shape = {(int64_t)ws->values.size()};
    for (double v : ws->values)
      bs.values.push_back(float(xs->values[0]) * float(v));
    if (ws->values.size() == 1)
      bs.shape = {};
    defineConstant(base + "/b_scale", bs, onnx::TensorProto::FLOAT);
    if (failed(importQDQ(synth("DequantizeLinear",
                               {node.input(8), base + "/b_scale"}, b, 0))))
      return failure();
    computeIns.push_back(b);
  }
  onnx::NodeProto compute = synth(isConv ? "Conv" : "MatMul", computeIns, y);
  for (const auto &a : node.attribute())
    *compute.add_attribute() = a;
  if (failed(isConv ? importConv(compute) : importGemm(compute, true)))
    return failure();
  return importQDQ(synth("QuantizeLinear", {y, node.input(6), node.input(7)},
                         node.output(0)));
}

/// ConvInteger / MatMulInteger: sum_k (x - x_zp) (w - w_zp) in int32. intq
/// accepts them in the form ONNX Runtime's quantizer writes for static
/// models: x from a QuantizeLinear (so its scale s_x is known), constant
/// weights, and the int32 result cast to float and multiplied by a constant
/// scale c (per tensor or per output channel). That is exactly the QDQ form
/// DequantizeLinear(x) (*) DequantizeLinear(w, scale c / s_x, zero point
/// w_zp), which is what gets emitted when the Mul is reached; the op itself
/// only records itself here.
LogicalResult Importer::importIntegerOp(const onnx::NodeProto &node) {
  auto x = input(node, 0);
  auto w = constInput(node, 1);
  if (failed(x) || failed(w))
    return failure();
  if ((*x)->constant)
    return nodeError(node) << "input 0 must be computed at run time (the "
                              "output of a QuantizeLinear)";
  Value xv = materialize(**x, nodeLoc(node));
  auto qt = llvm::dyn_cast<quant::UniformQuantizedType>(
      getElementTypeOrSelf(xv.getType()));
  if (!qt || qt.getStorageTypeIntegralWidth() != 8)
    return nodeError(node) << "input 0 must be the 8-bit output of a "
                              "QuantizeLinear with a per-tensor scale";
  auto xzp = input(node, 2, /*optional=*/true);
  if (failed(xzp))
    return failure();
  if (*xzp) {
    if (!(*xzp)->constant || (*xzp)->constant->numel() != 1)
      return nodeError(node) << "x_zero_point must be a constant scalar";
    if (toIndex((*xzp)->constant->values[0]) != qt.getZeroPoint())
      return nodeError(node)
             << "x_zero_point " << toIndex((*xzp)->constant->values[0])
             << " differs from the zero point " << qt.getZeroPoint()
             << " of the QuantizeLinear that produced input 0";
  }
  auto wzp = input(node, 3, /*optional=*/true);
  if (failed(wzp))
    return failure();
  if (*wzp && !(*wzp)->constant)
    return nodeError(node) << "w_zero_point must be a constant";
  bool isConv = node.op_type() == "ConvInteger";
  if (isConv ? w->shape.size() != 4 : w->shape.size() != 2)
    return nodeError(node) << (isConv ? "only 2-D convolutions (rank-4 "
                                        "weights) are supported"
                                      : "only rank-2 weights are supported");
  Entry e;
  e.pendingInteger = std::make_shared<onnx::NodeProto>(node);
  define(node, 0, std::move(e));
  dataTypes[node.output(0)] = onnx::TensorProto::INT32;
  return success();
}

LogicalResult Importer::resolveInteger(const onnx::NodeProto &mul,
                                       Entry &pending,
                                       const ConstTensor &scale) {
  const onnx::NodeProto &node = *pending.pendingInteger;
  bool isConv = node.op_type() == "ConvInteger";
  Entry &xe = values[node.input(0)];
  auto qt = llvm::cast<quant::UniformQuantizedType>(
      getElementTypeOrSelf(materialize(xe, nodeLoc(node)).getType()));
  const ConstTensor &w = *values[node.input(1)].constant;
  int64_t outChannels = isConv ? w.shape[0] : w.shape[1];
  // The scale: one value, or one per output channel in any broadcastable
  // shape ([O], [1, O, 1, 1], [1, O], ...).
  int64_t n = scale.numel();
  if (n != 1 && n != outChannels)
    return nodeError(mul) << "the scale of " << node.op_type() << " '"
                          << node.name() << "' must have 1 or "
                          << outChannels << " elements, got " << n;
  SmallVector<double> c(scale.values.begin(), scale.values.end());
  // Weight zero points: none, one, or one per output channel.
  SmallVector<double> zps = {0.0};
  int zpType = dataTypes.lookup(node.input(1));
  if (node.input_size() > 3 && !node.input(3).empty()) {
    const ConstTensor &z = *values[node.input(3)].constant;
    zps.assign(z.values.begin(), z.values.end());
    if (zps.size() != 1 && (int64_t)zps.size() != outChannels)
      return nodeError(node) << "w_zero_point must have 1 or " << outChannels
                             << " elements";
  }
  bool perChannel = c.size() > 1 || zps.size() > 1;
  size_t count = perChannel ? outChannels : 1;
  ConstTensor ws, wz;
  ws.shape = perChannel ? SmallVector<int64_t>{outChannels}
                        : SmallVector<int64_t>{};
  wz.shape = ws.shape;
  wz.isFloat = false;
  for (size_t i = 0; i < count; ++i) {
    double sw = c[c.size() == 1 ? 0 : i] / qt.getScale();
    if (!(sw > 0) || !std::isfinite(sw))
      return nodeError(mul) << "scale " << c[c.size() == 1 ? 0 : i]
                            << " of " << node.op_type() << " '"
                            << node.name() << "' must be positive";
    ws.values.push_back(sw);
    wz.values.push_back(zps[zps.size() == 1 ? 0 : i]);
  }
  ConstTensor xs, xz;
  xs.values = {qt.getScale()};
  xz.isFloat = false;
  xz.values = {double(qt.getZeroPoint())};
  std::string base = (node.name().empty() ? node.output(0) : node.name());
  defineConstant(base + "/x_scale", xs, onnx::TensorProto::FLOAT);
  defineConstant(base + "/x_zero_point", xz,
              qt.isSigned() ? onnx::TensorProto::INT8
                            : onnx::TensorProto::UINT8);
  defineConstant(base + "/w_scale", ws, onnx::TensorProto::FLOAT);
  defineConstant(base + "/w_zero_point", wz,
              zpType ? zpType : int(onnx::TensorProto::INT8));
  onnx::NodeProto dqx = synthesizeNode(
      node, "DequantizeLinear",
      {node.input(0), base + "/x_scale", base + "/x_zero_point"}, base + "/x");
  onnx::NodeProto dqw = synthesizeNode(
      node, "DequantizeLinear",
      {node.input(1), base + "/w_scale", base + "/w_zero_point"}, base + "/w",
      isConv ? 0 : 1);
  if (failed(importQDQ(dqx)) || failed(importQDQ(dqw)))
    return failure();
  onnx::NodeProto compute =
      synthesizeNode(node, isConv ? "Conv" : "MatMul",
                     {base + "/x", base + "/w"}, mul.output(0));
  for (const auto &a : node.attribute())
    *compute.add_attribute() = a;
  return isConv ? importConv(compute) : importGemm(compute, true);
}

LogicalResult Importer::importNode(const onnx::NodeProto &node) {
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return nodeError(node) << "unsupported domain '" << node.domain() << "'";
  StringRef kind = node.op_type();
  static const llvm::StringMap<int> minInputs = {
      {"Conv", 2},     {"BatchNormalization", 5}, {"Gemm", 2},
      {"MatMul", 2},   {"Relu", 1},  {"Clip", 1},  {"Add", 2},
      {"Sub", 2},      {"Mul", 2},   {"Div", 2},   {"MaxPool", 1},
      {"AveragePool", 1}, {"GlobalAveragePool", 1}, {"GlobalMaxPool", 1},
      {"Flatten", 1},  {"Reshape", 2}, {"Softmax", 1}, {"Identity", 1},
      {"Sigmoid", 1},  {"HardSigmoid", 1}, {"HardSwish", 1}, {"Shape", 1},
      {"Tanh", 1},
      {"Gather", 2},   {"Unsqueeze", 1}, {"Squeeze", 1}, {"Concat", 1},
      {"Cast", 1},     {"Slice", 3}, {"ConstantOfShape", 1},
      {"QuantizeLinear", 2}, {"DequantizeLinear", 2}, {"Pad", 1},
      {"ConvInteger", 2}, {"MatMulInteger", 2}, {"Transpose", 1}};
  auto arity = minInputs.find(kind);
  if (arity != minInputs.end() && node.input_size() < arity->second)
    return nodeError(node) << "expects at least " << arity->second
                           << " inputs, got " << node.input_size();
  if (node.output_size() < 1)
    return nodeError(node) << "has no outputs";
  if (kind == "Constant") {
    const onnx::AttributeProto *a = attr(node, "value");
    if (!a)
      return nodeError(node) << "only the 'value' attribute is supported";
    auto t = readTensor(a->t(), [&]() { return nodeError(node); });
    if (failed(t))
      return failure();
    Entry e;
    e.shape = t->shape;
    e.constant = *t;
    define(node, 0, std::move(e));
    dataTypes[node.output(0)] = a->t().data_type();
    return success();
  }
  if (kind == "QuantizeLinear" || kind == "DequantizeLinear")
    return importQDQ(node);
  if (kind == "QLinearConv" || kind == "QLinearMatMul")
    return importQLinear(node);
  if (kind == "ConvInteger" || kind == "MatMulInteger")
    return importIntegerOp(node);
  if (kind == "Conv")
    return importConv(node);
  if (kind == "BatchNormalization")
    return importBatchNorm(node);
  if (kind == "Gemm")
    return importGemm(node, /*isMatMul=*/false);
  if (kind == "MatMul")
    return importGemm(node, /*isMatMul=*/true);
  if (kind == "Relu" || kind == "Clip")
    return importClamp(node);
  if (kind == "Add" || kind == "Sub" || kind == "Mul" || kind == "Div")
    return importBinary(node);
  if (kind == "MaxPool" || kind == "AveragePool" ||
      kind == "GlobalAveragePool" || kind == "GlobalMaxPool")
    return importPool(node);
  if (kind == "Flatten")
    return importFlatten(node);
  if (kind == "Transpose")
    return importTranspose(node);
  if (kind == "Pad")
    return importPad(node);
  if (kind == "Reshape")
    return importReshape(node);
  if (kind == "Softmax")
    return importSoftmax(node);
  if (kind == "Identity" || kind == "Sigmoid" || kind == "HardSigmoid" ||
      kind == "HardSwish" || kind == "Tanh")
    return importUnary(node);
  if (kind == "Shape" || kind == "Gather" || kind == "Unsqueeze" ||
      kind == "Squeeze" || kind == "Concat" || kind == "Cast" ||
      kind == "Slice" || kind == "ConstantOfShape")
    return importShapeOp(node);
  return nodeError(node) << "unsupported op type '" << kind << "'";
}

//===----------------------------------------------------------------------===//
// The graph
//===----------------------------------------------------------------------===//

OwningOpRef<ModuleOp> Importer::run(const onnx::ModelProto &model) {
  for (const auto &o : model.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx")
      opset = o.version();
  if (opset == 0)
    opset = 1;
  // Opsets 9 to 17 are the supported range; older ones are accepted for the
  // ops whose semantics did not change (the node tests use them).
  if (opset < 1 || opset > 17) {
    modelError() << "unsupported ONNX opset " << opset
                 << " (supported: up to 17)";
    return nullptr;
  }
  const onnx::GraphProto &graph = model.graph();
  if (graph.output_size() == 0) {
    modelError() << "the model has no graph outputs (not an ONNX model, or "
                    "an empty one)";
    return nullptr;
  }

  for (const auto &init : graph.initializer()) {
    auto t = readTensor(init, [&]() {
      return modelError() << "initializer '" << init.name() << "': ";
    });
    if (failed(t))
      return nullptr;
    Entry e;
    e.shape = t->shape;
    e.constant = std::move(*t);
    values[init.name()] = std::move(e);
    dataTypes[init.name()] = init.data_type();
  }

  for (const auto &kv : options.inputShapes)
    if (!llvm::any_of(graph.input(), [&](const onnx::ValueInfoProto &in) {
          return in.name() == kv.first() && !values.count(in.name());
        })) {
      modelError() << "--input-shape names '" << kv.first()
                   << "', which is not a graph input";
      return nullptr;
    }

  // Graph inputs (those that are not initializers).
  SmallVector<const onnx::ValueInfoProto *> inputs;
  SmallVector<SmallVector<int64_t>> inputShapes;
  for (const auto &in : graph.input()) {
    if (values.count(in.name()))
      continue;
    const auto &tt = in.type().tensor_type();
    // float32, or 8-bit integers that only DequantizeLinear (or a QLinear
    // op) reads: pre-quantized inputs.
    if (!in.type().has_tensor_type() ||
        (tt.elem_type() != onnx::TensorProto::FLOAT &&
         tt.elem_type() != onnx::TensorProto::INT8 &&
         tt.elem_type() != onnx::TensorProto::UINT8)) {
      modelError() << "graph input '" << in.name()
                   << "' must be a float32 tensor (or int8/uint8 read by "
                      "DequantizeLinear)";
      return nullptr;
    }
    SmallVector<int64_t> shape;
    auto user = options.inputShapes.find(in.name());
    if (user != options.inputShapes.end()) {
      shape = user->second;
      if (tt.has_shape() && tt.shape().dim_size() != (int)shape.size()) {
        modelError() << "--input-shape for '" << in.name() << "' has rank "
                     << shape.size() << ", the model says "
                     << tt.shape().dim_size();
        return nullptr;
      }
    } else {
      if (!tt.has_shape()) {
        modelError() << "graph input '" << in.name()
                     << "' has no shape; give --input-shape " << in.name()
                     << "=...";
        return nullptr;
      }
      for (const auto &d : tt.shape().dim()) {
        if (!d.has_dim_value() || d.dim_value() <= 0) {
          modelError() << "graph input '" << in.name()
                       << "' has a dynamic dimension '" << d.dim_param()
                       << "'; give its shape with --input-shape " << in.name()
                       << "=...";
          return nullptr;
        }
        shape.push_back(d.dim_value());
      }
    }
    int64_t total = 1;
    for (int64_t d : shape) {
      if (d <= 0 || d > (int64_t(1) << 31) || total > (int64_t(1) << 40) / d) {
        modelError() << "graph input '" << in.name()
                     << "' has an unsupported shape (a dimension is not "
                        "positive, or the tensor is too large)";
        return nullptr;
      }
      total *= d;
    }
    inputs.push_back(&in);
    inputShapes.push_back(shape);
  }

  Location unknown = FileLineColLoc::get(ctx, bufferName, 0, 0);
  OwningOpRef<ModuleOp> module = ModuleOp::create(unknown);
  builder.setInsertionPointToEnd(module->getBody());
  SmallVector<Type> argTypes;
  for (auto [i, shape] : llvm::enumerate(inputShapes)) {
    int elem = inputs[i]->type().tensor_type().elem_type();
    argTypes.push_back(RankedTensorType::get(
        shape, elem == onnx::TensorProto::FLOAT
                   ? Type(builder.getF32Type())
                   : Type(builder.getIntegerType(8))));
    dataTypes[inputs[i]->name()] = elem;
  }
  // Result types are known only after import: create with none, fix later.
  auto func = func::FuncOp::create(builder, unknown, options.functionName,
                                   builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToStart(body);
  for (auto [i, in] : llvm::enumerate(inputs)) {
    Entry e;
    e.shape = inputShapes[i];
    Value arg = body->getArgument(i);
    if (e.shape.size() == 4) {
      // NCHW at the boundary, NHWC inside.
      Location loc = NameLoc::get(StringAttr::get(ctx, in->name()), unknown);
      e.value = transpose(loc, arg, {0, 2, 3, 1});
      e.nhwc = true;
    } else {
      e.value = arg;
    }
    values[in->name()] = std::move(e);
  }

  for (const auto &node : graph.node())
    if (failed(importNode(node)))
      return nullptr;

  SmallVector<Value> results;
  for (const auto &out : graph.output()) {
    auto it = values.find(out.name());
    if (it == values.end()) {
      modelError() << "graph output '" << out.name()
                   << "' is not produced by any node";
      return nullptr;
    }
    if (it->second.pendingInteger) {
      modelError() << "graph output '" << out.name()
                   << "' is the int32 output of "
                   << it->second.pendingInteger->op_type()
                   << "; intq supports it only when it is cast to float and "
                      "multiplied by a constant scale (Cast + Mul)";
      return nullptr;
    }
    Location loc = NameLoc::get(StringAttr::get(ctx, out.name()), unknown);
    Entry &e = it->second;
    // A quantized result (a QuantizeLinear at the graph output) leaves as
    // its integer storage, as ONNX declares it.
    Value v = materialize(e, loc);
    if (auto qt = llvm::dyn_cast<quant::QuantizedType>(
            getElementTypeOrSelf(v.getType()))) {
      Entry stored = e;
      stored.value = quant::StorageCastOp::create(
          builder, loc,
          llvm::cast<RankedTensorType>(v.getType())
              .clone(qt.getStorageType()),
          v);
      stored.constant.reset();
      results.push_back(toLogical(loc, stored));
      continue;
    }
    results.push_back(toLogical(loc, e));
  }
  func::ReturnOp::create(builder, unknown, results);
  func.setType(builder.getFunctionType(argTypes,
                                       ValueRange(results).getTypes()));
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

} // namespace

OwningOpRef<ModuleOp> intq::importOnnxModel(llvm::MemoryBufferRef buffer,
                                            MLIRContext *context,
                                            const OnnxImportOptions &options) {
  context->loadDialect<func::FuncDialect, tosa::TosaDialect,
                       quant::QuantDialect>();
  onnx::ModelProto model;
  StringRef data = buffer.getBuffer();
  if (data.size() > size_t(std::numeric_limits<int>::max()) ||
      !model.ParseFromArray(data.data(), static_cast<int>(data.size()))) {
    emitError(FileLineColLoc::get(context, buffer.getBufferIdentifier(), 0, 0))
        << "not a valid ONNX model: the protobuf does not parse (truncated "
           "or not an ONNX file)";
    return nullptr;
  }
  Importer importer(context, buffer.getBufferIdentifier(), options);
  return importer.run(model);
}

LogicalResult intq::parseInputShapes(StringRef text, OnnxImportOptions &options,
                                     std::string &error) {
  SmallVector<StringRef> items;
  text.split(items, ',', -1, false);
  for (StringRef item : items) {
    auto [name, dims] = item.split('=');
    if (name.empty() || dims.empty()) {
      error = ("expected name=DxDx..., got '" + item + "'").str();
      return failure();
    }
    SmallVector<StringRef> parts;
    dims.split(parts, 'x');
    SmallVector<int64_t> shape;
    for (StringRef p : parts) {
      int64_t d;
      if (p.getAsInteger(10, d) || d <= 0) {
        error = ("invalid dimension '" + p + "' in '" + item + "'").str();
        return failure();
      }
      shape.push_back(d);
    }
    options.inputShapes[name] = shape;
  }
  return success();
}
