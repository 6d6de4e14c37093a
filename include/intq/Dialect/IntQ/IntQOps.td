//===- IntQOps.td - intq operations ------------------------*- tablegen -*-===//

#ifndef INTQ_DIALECT_INTQ_INTQOPS_TD
#define INTQ_DIALECT_INTQ_INTQOPS_TD

include "intq/Dialect/IntQ/IntQBase.td"
include "intq/Dialect/IntQ/IntQInterfaces.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Float level (F)
//===----------------------------------------------------------------------===//

def IntQ_StatsOp : IntQ_Op<"stats", [Pure, SameOperandsAndResultType,
    DeclareOpInterfaceMethods<IntQ_RealRangeOpInterface>]> {
  let summary = "pass-through of a float tensor annotated with its range";
  let description = [{
    Returns its operand unchanged and records the real range `[min, max]`
    observed (calibration) or declared (annotation) for it. Scale assignment
    reads the range of every tensor that flows through an `intq.stats`.
    Calibration also records `channel_mean`, the mean of each channel (the
    last dimension) over the samples; scale assignment uses it to correct
    the bias of the layers that read the tensor for the expected error of
    their quantized weights.

    ```mlir
    %y = intq.stats %x {min = -1.5 : f64, max = 4.0 : f64,
                        channel_mean = array<f64: 0.1, 0.7, -0.2>} : tensor<1x8x8x3xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat]>:$input, F64Attr:$min,
                   F64Attr:$max,
                   OptionalAttr<DenseF64ArrayAttr>:$channel_mean);
  let results = (outs RankedTensorOf<[AnyFloat]>:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Quantized level (Q)
//===----------------------------------------------------------------------===//

def IntQ_QConstOp : IntQ_Op<"qconst", [ConstantLike, Pure]> {
  let summary = "quantized constant";
  let description = [{
    A constant tensor of a `!quant.uniform` element type. Dense attributes
    cannot hold quantized element types, so the value is stored with the
    integer storage type and the result carries the quantized type.

    ```mlir
    %w = intq.qconst dense<[[1, -127], [5, 7]]> : tensor<2x2xi8>
           -> tensor<2x2x!quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>>
    ```
  }];
  let arguments = (ins AnyIntElementsAttr:$value);
  let results = (outs IntQ_QTensor:$result);
  let assemblyFormat = "$value attr-dict `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def IntQ_Conv2DOp : IntQ_Op<"conv2d", [Pure]> {
  let summary = "quantized 2-D convolution (NHWC), grouped and depthwise";
  let description = [{
    `result[n, oh, ow, o] = requant(sum_{kh, kw, i} in[n, ih, iw, g*Cg + i] *
    w[o, kh, kw, i] + bias[o])` with `g = o / (O / groups)`,
    `ih = oh * stride[0] + kh * dilation[0] - pad[0]`,
    `iw = ow * stride[1] + kw * dilation[1] - pad[2]`.

    - `input`: `N x H x W x C`, per-tensor quantized.
    - `weights`: `O x KH x KW x (C / groups)`, per-tensor or per-axis on axis
      0 (the output channel). Depthwise convolution is `groups = C` with
      `O = C * multiplier`.
    - `bias` (optional): `O`, i32 storage, zero point 0, scale equal to
      input scale x weight scale of each output channel.
    - `pad` is `[top, bottom, left, right]`; padded positions hold real 0
      (the input zero point).
    - `clamp_min` / `clamp_max` (real values) fuse an activation such as
      ReLU (`clamp_min = 0`) or ReLU6 (`clamp_min = 0, clamp_max = 6`).
    - `rounding` (`#intq.rounding<double>` when absent) selects the output
      stage's rounding: gemmlowp's double rounding or TOSA's single
      rounding (`#intq.rounding<single>`).

    ```mlir
    %r = intq.conv2d %x, %w, %b {dilation = array<i64: 1, 1>,
           pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>}
         : (tensor<1x8x8x4x!quant.uniform<i8:f32, 0.05:-3>>,
            tensor<8x3x3x4x!quant.uniform<i8<-127:127>:f32:0, {...}>>,
            tensor<8x!quant.uniform<i32:f32:0, {...}>>)
         -> tensor<1x8x8x8x!quant.uniform<i8:f32, 0.1:-128>>
    ```
  }];
  let arguments = (ins IntQ_QTensor:$input, IntQ_QTensor:$weights,
                   Optional<IntQ_QTensor>:$bias,
                   DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$pad,
                   DenseI64ArrayAttr:$dilation,
                   DefaultValuedAttr<I64Attr, "1">:$groups,
                   OptionalAttr<F64Attr>:$clamp_min,
                   OptionalAttr<F64Attr>:$clamp_max,
                   DefaultValuedAttr<IntQ_RoundingAttr,
                                     "::intq::Rounding::Double">:$rounding);
  let results = (outs IntQ_QTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Number of input channels each group reduces over.
    int64_t getChannelsPerGroup();
  }];
}

def IntQ_MatMulOp : IntQ_Op<"matmul", [Pure]> {
  let summary = "quantized matrix multiply with constant-shaped weights (fully connected)";
  let description = [{
    `result[..., m, n] = requant(sum_k lhs[..., m, k] * weights[n, k] + bias[n])`.

    - `lhs`: `M x K` or `B x M x K`, per-tensor quantized.
    - `weights`: `N x K` (the fully-connected layout), per-tensor or per-axis
      on axis 0 (the output channel).
    - `bias` (optional): `N`, i32, zero point 0, scale lhs x weight scale.
    - `clamp_min` / `clamp_max` and `rounding` as for `intq.conv2d`.
  }];
  let arguments = (ins IntQ_QTensor:$lhs, IntQ_QTensor:$weights,
                   Optional<IntQ_QTensor>:$bias,
                   OptionalAttr<F64Attr>:$clamp_min,
                   OptionalAttr<F64Attr>:$clamp_max,
                   DefaultValuedAttr<IntQ_RoundingAttr,
                                     "::intq::Rounding::Double">:$rounding);
  let results = (outs IntQ_QTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def IntQ_AddOp : IntQ_Op<"add", [Pure]> {
  let summary = "quantized elementwise addition (residual connections)";
  let description = [{
    `result = requant(S_a (a - Z_a) + S_b (b - Z_b))`, with each input
    rescaled to a common scale in integers first (Jacob et al.; the TFLite
    reference kernel): both offsets are shifted left by `L` bits (20 for
    8-bit inputs, 12 when an input is 16-bit: `L = 28 - width`), multiplied
    by `S_x / (2 max(S_a, S_b))`, added, and the sum requantized by
    `2 max(S_a, S_b) / (2^L S_out)`. Operands and result are per-tensor
    quantized, 8- or 16-bit, and have the same shape; `clamp_min` /
    `clamp_max` fuse an activation as for `intq.conv2d`.

    ```mlir
    %y = intq.add %a, %b : (tensor<1x8x8x16x!quant.uniform<i8:f32, 0.05:-3>>,
                            tensor<1x8x8x16x!quant.uniform<i8:f32, 0.1:10>>)
                         -> tensor<1x8x8x16x!quant.uniform<i8:f32, 0.12:-20>>
    ```
  }];
  let arguments = (ins IntQ_QTensor:$lhs, IntQ_QTensor:$rhs,
                   OptionalAttr<F64Attr>:$clamp_min,
                   OptionalAttr<F64Attr>:$clamp_max);
  let results = (outs IntQ_QTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def IntQ_MulOp : IntQ_Op<"mul", [Pure]> {
  let summary = "quantized elementwise multiplication of two activations";
  let description = [{
    `result = requant(S_a S_b (a - Z_a)(b - Z_b))`: the product of the
    offsets (at most 2^16 in magnitude for 8-bit inputs, exact in int32; in
    int64 with the wide output stage when an input is 16-bit) is requantized
    by the fixed-point multiplier `S_a S_b / S_out` (hard-swish's `x * t`,
    gating). Operands and result are per-tensor quantized, 8- or 16-bit, of
    the same shape.

    ```mlir
    %y = intq.mul %a, %b : (tensor<1x8x!quant.uniform<i8:f32, 0.05:-3>>,
                            tensor<1x8x!quant.uniform<i8:f32, 0.004:-128>>)
                         -> tensor<1x8x!quant.uniform<i8:f32, 0.03:-20>>
    ```
  }];
  let arguments = (ins IntQ_QTensor:$lhs, IntQ_QTensor:$rhs);
  let results = (outs IntQ_QTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

class IntQ_PoolOp<string mnemonic> : IntQ_Op<mnemonic, [Pure]> {
  let arguments = (ins IntQ_QTensor:$input, DenseI64ArrayAttr:$kernel,
                   DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$pad);
  let results = (outs IntQ_QTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def IntQ_MaxPool2DOp : IntQ_PoolOp<"max_pool2d"> {
  let summary = "quantized 2-D max pooling (NHWC), scale preserved";
  let description = [{
    Max pooling on the integer values: the input and result share one
    per-tensor scale and zero point (max commutes with a monotonic affine
    map). `pad` is `[top, bottom, left, right]`; padded positions never win.

    ```mlir
    %y = intq.max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>,
                             pad = array<i64: 0, 0, 0, 0>}
        : tensor<1x8x8x4x!quant.uniform<i8:f32, 0.1:-3>> -> tensor<1x4x4x4x!quant.uniform<i8:f32, 0.1:-3>>
    ```
  }];
}

def IntQ_AvgPool2DOp : IntQ_PoolOp<"avg_pool2d"> {
  let summary = "quantized 2-D average pooling (NHWC), scale preserved";
  let description = [{
    Average of the integer offsets `q - Z` over the window positions inside
    the input (padding is not counted, as in TOSA and ONNX's default),
    divided with rounding to nearest, ties away from zero, plus `Z`. Input
    and result share one per-tensor scale and zero point.
  }];
}

def IntQ_RequantizeOp : IntQ_Op<"requantize", [Pure]> {
  let summary = "change of scale and zero point";
  let description = [{
    Maps `q_in` (scale S1, zero point Z1) to `q_out = clamp(Z2 +
    round(S1 / S2 * (q_in - Z1)))` with the gemmlowp fixed-point multiplier.
    Input and result may be per tensor or per axis (same axis).

    ```mlir
    %y = intq.requantize %x : tensor<4x!quant.uniform<i8:f32, 0.1:3>>
                          -> tensor<4x!quant.uniform<i8:f32, 0.05:-10>>
    ```
  }];
  let arguments = (ins IntQ_QTensor:$input);
  let results = (outs IntQ_QTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def IntQ_LookupOp : IntQ_Op<"lookup", [Pure]> {
  let summary = "elementwise function of an 8-bit tensor, by table";
  let description = [{
    `result[i] = table[input[i] - qmin]`: an elementwise function (sigmoid,
    tanh, hard-sigmoid, ... or a chain of them) of a per-tensor quantized
    8-bit input, evaluated at compile time for each of its 256 values and
    quantized to the result type. `table` holds the result's storage
    values, indexed from the input storage minimum.

    ```mlir
    %y = intq.lookup %x {table = dense<[...]> : tensor<256xi8>}
         : tensor<1x8x!quant.uniform<i8:f32, 0.05:0>>
         -> tensor<1x8x!quant.uniform<i8:f32, 0.00390625:-128>>
    ```
  }];
  let arguments = (ins IntQ_QTensor:$input, AnyIntElementsAttr:$table);
  let results = (outs IntQ_QTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Target micro-ops (the kernels of --intq-codegen)
//===----------------------------------------------------------------------===//

def IntQ_X86VpdpbusdOp : IntQ_Op<"x86.vpdpbusd",
    [Pure, AllTypesMatch<["acc", "result"]>, AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "AVX512-VNNI dot product of u8 x s8 groups of 4, accumulated";
  let description = [{
    `result[i] = acc[i] + sum_{t<4} zext(lhs[4i+t]) * sext(rhs[4i+t])`,
    without saturation: the `vpdpbusd zmm` instruction. `--intq-codegen`
    builds its x86 kernels from it; `--intq-lower-target-ops` turns it into
    the LLVM intrinsic after bufferization (a pure op, unlike a raw
    intrinsic call, so tensor-level passes can reason about it).

    ```mlir
    %r = intq.x86.vpdpbusd %acc, %a, %w : vector<64xi8> -> vector<16xi32>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[16], [I32]>:$acc,
                   VectorOfLengthAndType<[64], [I8]>:$lhs,
                   VectorOfLengthAndType<[64], [I8]>:$rhs);
  let results = (outs VectorOfLengthAndType<[16], [I32]>:$result);
  let assemblyFormat = "$acc `,` $lhs `,` $rhs attr-dict `:` type($lhs) `->` type($result)";
}

def IntQ_X86VpdpwssdOp : IntQ_Op<"x86.vpdpwssd",
    [Pure, AllTypesMatch<["acc", "result"]>, AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "AVX512-VNNI dot product of s16 x s16 pairs, accumulated";
  let description = [{
    `result[i] = acc[i] + sum_{t<2} sext(lhs[2i+t]) * sext(rhs[2i+t])`,
    without saturation: the `vpdpwssd zmm` instruction. The depthwise
    kernels use it as a one-instruction multiply-accumulate of int8 values
    widened to i32 lanes (the high i16 of a weight lane is 0, so the high
    half of the activation lane, its sign extension, contributes nothing).
    Lowered by `--intq-lower-target-ops` like `intq.x86.vpdpbusd`.

    ```mlir
    %r = intq.x86.vpdpwssd %acc, %a, %w : vector<32xi16> -> vector<16xi32>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[16], [I32]>:$acc,
                   VectorOfLengthAndType<[32], [I16]>:$lhs,
                   VectorOfLengthAndType<[32], [I16]>:$rhs);
  let results = (outs VectorOfLengthAndType<[16], [I32]>:$result);
  let assemblyFormat = "$acc `,` $lhs `,` $rhs attr-dict `:` type($lhs) `->` type($result)";
}

def IntQ_X86VpmaddwdOp : IntQ_Op<"x86.vpmaddwd",
    [Pure, AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "AVX2 multiply of s16 x s16 pairs, each pair summed to i32";
  let description = [{
    `result[i] = sext(lhs[2i]) * sext(rhs[2i]) + sext(lhs[2i+1]) *
    sext(rhs[2i+1])`, wrapping (only -32768 * -32768 twice can): the
    `vpmaddwd ymm` instruction, two per op. The `x86-avx2` kernels of
    `--intq-codegen` build their int8 dot products from it on int8 values
    widened to i16 (exact: a pair sums to at most 2 * 128 * 128), adding
    the result to the accumulator with `arith.addi`; on layers whose
    weights fit 7 bits they sum `intq.x86.vpmaddubsw` results with it
    (`rhs` all ones). Lowered by `--intq-lower-target-ops` to
    `llvm.x86.avx2.pmadd.wd`.

    ```mlir
    %r = intq.x86.vpmaddwd %a, %w : vector<32xi16> -> vector<16xi32>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[32], [I16]>:$lhs,
                   VectorOfLengthAndType<[32], [I16]>:$rhs);
  let results = (outs VectorOfLengthAndType<[16], [I32]>:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `->` type($result)";
}

def IntQ_X86VpmaddubswOp : IntQ_Op<"x86.vpmaddubsw",
    [Pure, AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "AVX2 multiply of u8 x s8 pairs, each pair summed to i16 "
                "with signed saturation";
  let description = [{
    `result[i] = sat16(zext(lhs[2i]) * sext(rhs[2i]) + zext(lhs[2i+1]) *
    sext(rhs[2i+1]))`: the `vpmaddubsw ymm` instruction, two per op. The
    sum saturates when it leaves [-32768, 32767], which 8-bit weights can
    reach (2 * 255 * 127); the `x86-avx2` kernels of `--intq-codegen` use
    it only on layers whose weights are all in [-64, 64], where it is
    exact, and widen its pairs with `intq.x86.vpmaddwd` by ones. Lowered by
    `--intq-lower-target-ops` to `llvm.x86.avx2.pmadd.ub.sw`.

    ```mlir
    %r = intq.x86.vpmaddubsw %a, %w : vector<64xi8> -> vector<32xi16>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[64], [I8]>:$lhs,
                   VectorOfLengthAndType<[64], [I8]>:$rhs);
  let results = (outs VectorOfLengthAndType<[32], [I16]>:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `->` type($result)";
}

def IntQ_X86PackBytesOp : IntQ_Op<"x86.pack_bytes",
    [Pure, AllTypesMatch<["v0", "v1", "v2", "v3"]>]> {
  let summary = "saturating narrowing of four vectors of 16 x i32 to bytes";
  let description = [{
    `result[16j + i] = sat(v_j[i])` for the operands `v_0 .. v_3`, where
    `sat` clamps to [-128, 127], or to [0, 255] with `isUnsigned` (the result
    holds that byte pattern). The AVX-512BW packs narrow four registers with
    four shuffle-port instructions (`vpackssdw` twice, `vpacksswb` /
    `vpackuswb`, then one `vpermd` to undo their in-lane interleave) where
    one `vpmovsdb` per register takes two: the x86 kernels of
    `--intq-codegen` narrow four output rows at once with it (the
    activation clamp then runs once on the 64 bytes, and the four 16-byte
    rows are stored with `vextracti32x4` straight from the register).
    Lowered by `--intq-lower-target-ops` to the intrinsics; with
    `emulate-vnni`, to a clamp, a truncation and a concatenation.

    ```mlir
    %r = intq.x86.pack_bytes %a, %b, %c, %d : vector<16xi32> -> vector<64xi8>
    %u = intq.x86.pack_bytes %a, %b, %c, %d {isUnsigned} : vector<16xi32> -> vector<64xi8>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[16], [I32]>:$v0,
                   VectorOfLengthAndType<[16], [I32]>:$v1,
                   VectorOfLengthAndType<[16], [I32]>:$v2,
                   VectorOfLengthAndType<[16], [I32]>:$v3,
                   UnitAttr:$isUnsigned);
  let results = (outs VectorOfLengthAndType<[64], [I8]>:$result);
  let assemblyFormat = [{
    $v0 `,` $v1 `,` $v2 `,` $v3 attr-dict `:` type($v0) `->` type($result)
  }];
}

def IntQ_Arm64SdotOp : IntQ_Op<"aarch64.sdot",
    [Pure, AllTypesMatch<["acc", "result"]>, AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "AArch64 dot product of s8 x s8 groups of 4, accumulated";
  let description = [{
    `result[i] = acc[i] + sum_{t<4} sext(lhs[4i+t]) * sext(rhs[4i+t])`: four
    `sdot v.4s, v.16b, v.16b` instructions (FEAT_DotProd) over the four
    128-bit quarters, with the same operand layout as `intq.x86.vpdpbusd`
    (signed activations instead of unsigned). `--intq-lower-target-ops`
    turns it into the LLVM intrinsics after bufferization.

    ```mlir
    %r = intq.aarch64.sdot %acc, %a, %w : vector<64xi8> -> vector<16xi32>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[16], [I32]>:$acc,
                   VectorOfLengthAndType<[64], [I8]>:$lhs,
                   VectorOfLengthAndType<[64], [I8]>:$rhs);
  let results = (outs VectorOfLengthAndType<[16], [I32]>:$result);
  let assemblyFormat = "$acc `,` $lhs `,` $rhs attr-dict `:` type($lhs) `->` type($result)";
}

def IntQ_Arm64SmmlaOp : IntQ_Op<"aarch64.smmla",
    [Pure, AllTypesMatch<["acc", "result"]>, AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "AArch64 int8 matrix multiply-accumulate of 2x8 by 8x2";
  let description = [{
    `result[2i+j] = acc[2i+j] + sum_{t<8} sext(lhs[8i+t]) * sext(rhs[8j+t])`:
    the accumulator is a row-major 2x2 int32 tile, `lhs` two rows of 8
    int8, `rhs` two columns of 8 int8 (FEAT_I8MM `smmla v.4s, v.16b,
    v.16b`, 32 multiply-accumulates). `--intq-codegen{target=aarch64-i8mm}`
    builds its kernels from it; `--intq-lower-target-ops` turns it into
    `llvm.aarch64.neon.smmla` after bufferization.

    ```mlir
    %r = intq.aarch64.smmla %acc, %a, %w : vector<16xi8> -> vector<4xi32>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[4], [I32]>:$acc,
                   VectorOfLengthAndType<[16], [I8]>:$lhs,
                   VectorOfLengthAndType<[16], [I8]>:$rhs);
  let results = (outs VectorOfLengthAndType<[4], [I32]>:$result);
  let assemblyFormat = "$acc `,` $lhs `,` $rhs attr-dict `:` type($lhs) `->` type($result)";
}

def IntQ_Arm64SqrdmulhOp : IntQ_Op<"aarch64.sqrdmulh",
    [Pure, SameOperandsAndResultType]> {
  let summary = "AArch64 saturating rounding doubling multiply, high half";
  let description = [{
    `result[i] = sat((2 * lhs[i] * rhs[i] + 2^31) >> 32)` on i32 lanes:
    `sqrdmulh v.4s, v.4s, v.4s` on each 128-bit quarter. It is gemmlowp's
    SaturatingRoundingDoublingHighMul (docs/ArithmeticContract.md: for a
    multiplier in [0, 2^31) exactly floor((x * M0 + 2^30) / 2^31)); the
    AArch64 kernels' output stage uses it. `--intq-lower-target-ops` turns
    it into `llvm.aarch64.neon.sqrdmulh` after bufferization.

    ```mlir
    %h = intq.aarch64.sqrdmulh %x, %m : vector<16xi32>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[4, 8, 16], [I32]>:$lhs,
                   VectorOfLengthAndType<[4, 8, 16], [I32]>:$rhs);
  let results = (outs VectorOfLengthAndType<[4, 8, 16], [I32]>:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($result)";
}

def IntQ_Arm64SqdmulhOp : IntQ_Op<"aarch64.sqdmulh",
    [Pure, SameOperandsAndResultType]> {
  let summary = "AArch64 saturating doubling multiply, high half";
  let description = [{
    `result[i] = sat((2 * lhs[i] * rhs[i]) >> 32)` on i32 lanes, that is
    floor(lhs[i] * rhs[i] / 2^31): `sqdmulh v.4s, v.4s, v.4s` on each
    128-bit quarter. The AArch64 kernels' single-rounding output stage
    takes it with `intq.aarch64.srshl` (the nested floors compose into
    one rounding). Lowered by `--intq-lower-target-ops` to
    `llvm.aarch64.neon.sqdmulh`.

    ```mlir
    %h = intq.aarch64.sqdmulh %x, %m : vector<16xi32>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[4, 8, 16], [I32]>:$lhs,
                   VectorOfLengthAndType<[4, 8, 16], [I32]>:$rhs);
  let results = (outs VectorOfLengthAndType<[4, 8, 16], [I32]>:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($result)";
}

def IntQ_Arm64SrshlOp : IntQ_Op<"aarch64.srshl",
    [Pure, SameOperandsAndResultType]> {
  let summary = "AArch64 signed rounding shift left (right for a negative amount)";
  let description = [{
    `result[i] = floor((value[i] + 2^(s-1)) / 2^s)` for `shift[i] = -s < 0`
    (a rounding shift right, computed without overflow), and
    `value[i] << shift[i]` (truncated) for `shift[i] >= 0`: `srshl v.4s,
    v.4s, v.4s` on each 128-bit quarter. With a fixup of -1 for negative
    values it is gemmlowp's RoundingDivideByPOT (its NEON form). Lowered by
    `--intq-lower-target-ops` to `llvm.aarch64.neon.srshl`.

    ```mlir
    %r = intq.aarch64.srshl %x, %negShift : vector<16xi32>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[4, 8, 16], [I32]>:$value,
                   VectorOfLengthAndType<[4, 8, 16], [I32]>:$shift);
  let results = (outs VectorOfLengthAndType<[4, 8, 16], [I32]>:$result);
  let assemblyFormat = "$value `,` $shift attr-dict `:` type($result)";
}

#endif // INTQ_DIALECT_INTQ_INTQOPS_TD
