//===- Passes.td - intq passes -----------------------------*- tablegen -*-===//

#ifndef INTQ_PASSES_PASSES_TD
#define INTQ_PASSES_PASSES_TD

include "mlir/Pass/PassBase.td"

def FoldBatchNorm : Pass<"intq-fold-batchnorm", "mlir::func::FuncOp"> {
  let summary = "Fold batch normalization and per-channel affine ops into "
                "the preceding conv / depthwise conv / matmul";
  let description = [{
    Folds per-output-channel affine operations that follow a
    `tosa.conv2d`, `tosa.depthwise_conv2d` or `tosa.matmul` with constant
    weights into those weights and the bias:
    `w'[c] = w[c] * s[c]`, `b'[c] = b[c] * s[c]` for a multiply by `s`, and
    `b'[c] = b[c] + t[c]` for an add (`- t[c]` for a subtract). Batch
    normalization arrives either in the importer's form (one multiply by
    `gamma / sqrt(var + eps)` and one add of `beta - mean * gamma / sqrt(var +
    eps)`) or as the decomposed chain other frontends emit
    (`sub(x, mean)`, `mul(·, rsqrt(add(var, eps)))`, `mul(·, gamma)`,
    `add(·, beta)`); constant subexpressions of the chain are evaluated first,
    in double precision. Together this is
    `w' = w·γ/√(σ²+ε)`, `b' = (b − μ)·γ/√(σ²+ε) + β`.

    A per-channel affine op that cannot be folded stays, with a remark that
    says why: its producer has other users, its operand is not constant
    (non-constant statistics), or it does not follow a conv/matmul (batch
    normalization before a convolution).

    Before:
    ```mlir
    %c = tosa.conv2d %x, %w, %b, %zp, %zp {...} : (...) -> tensor<1x8x8x4xf32>
    %m = tosa.mul %c, %scale, %shift : (tensor<1x8x8x4xf32>, tensor<1x1x1x4xf32>, tensor<1xi8>) -> tensor<1x8x8x4xf32>
    %y = tosa.add %m, %shift4 : (tensor<1x8x8x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x8x8x4xf32>
    ```
    After:
    ```mlir
    %y = tosa.conv2d %x, %w_folded, %b_folded, %zp, %zp {...} : (...) -> tensor<1x8x8x4xf32>
    ```
  }];
  let dependentDialects = ["mlir::tosa::TosaDialect"];
}

def AssignScales : Pass<"intq-assign-scales", "mlir::func::FuncOp"> {
  let summary = "Choose quantization parameters and insert quant/dequant pairs";
  let description = [{
    Chooses the quantization parameters of a float TOSA graph and records them
    as `quant.qcast` / `quant.dcast` pairs (the QDQ form) that
    `--intq-quantize` later fuses into integer ops:

    - activations: every tensor that flows through an `intq.stats` annotation
      gets a per-tensor asymmetric int8 type whose zero point makes real 0
      exactly representable; the annotation is consumed;
    - weights of `tosa.conv2d`, `tosa.depthwise_conv2d` and `tosa.matmul`
      (constant operands): symmetric narrow-range int8 [-127, 127], one scale
      per output channel (or per tensor with `per-channel=false`);
    - biases: i32 with zero point 0 and scale input scale x weight scale per
      output channel. A following `tosa.add` of a per-channel constant is
      first folded into the bias. When a tiny input scale would put a bias
      beyond int32, the weight scale of that channel is raised until it fits
      and a warning says so (pre-quantized weights keep their scale; their
      bias saturates, with a warning): a bias never wraps.

    Compute ops whose input has no range stay in float; a remark says why.

    Sub-8-bit weights (`weight-bits=4`, `weight-bits=2`), clusters of
    `weight-cluster` output channels sharing a scale, and per-layer choices
    (`keep-float=conv1,fc`, `layer-weight-bits=conv2=4`; a layer is named by
    its op's location, the ONNX node name) are options; a per-layer option
    that names no layer of the function is an error. 4-bit weights use all
    16 levels [-8, 7] with the clipping (per channel or cluster) that
    minimizes the weights' squared error; ternary weights are rewritten to
    {-a, 0, a} with threshold 0.7 mean|w| and a = mean |w| above it (Li and
    Liu, Ternary Weight Networks) before they get scale a and range [-1, 1].
    They are stored packed by `--intq-lower-to-linalg` (2 or 4 per byte).

    Bias correction (Nagel et al., "Data-Free Quantization", 2019, the
    empirical form): where the input's `intq.stats` carries `channel_mean`,
    each output channel's bias is reduced by the expected error its
    quantized weights add, `sum_i (q_i s - w_i) mean(x_i)`, so that weight
    rounding does not shift the layer's mean output. It matters most for
    4-bit and ternary weights.

    Before:
    ```mlir
    %x = intq.stats %arg0 {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x8x8x3xf32>
    %y = tosa.conv2d %x, %w, %b, %zp, %zp {...} : (...) -> tensor<1x8x8x4xf32>
    %z = intq.stats %y {min = -2.0 : f64, max = 5.0 : f64} : tensor<1x8x8x4xf32>
    ```
    After:
    ```mlir
    %q = quant.qcast %arg0 : tensor<1x8x8x3xf32> to tensor<1x8x8x3x!quant.uniform<i8:f32, 0.0078431372549019607:-1>>
    %x = quant.dcast %q : ... to tensor<1x8x8x3xf32>
    %wq = quant.qcast %w : tensor<4x3x3x3xf32> to tensor<4x3x3x3x!quant.uniform<i8<-127:127>:f32:0, {...}>>
    %wd = quant.dcast %wq : ...
    %bq = quant.qcast %b : tensor<4xf32> to tensor<4x!quant.uniform<i32:f32:0, {...}>>
    %bd = quant.dcast %bq : ...
    %y = tosa.conv2d %x, %wd, %bd, %zp, %zp {...}
    %yq = quant.qcast %y : ... to tensor<1x8x8x4x!quant.uniform<i8:f32, 0.027450980392156862:-55>>
    %z = quant.dcast %yq : ...
    ```
  }];
  let dependentDialects = ["mlir::quant::QuantDialect",
                           "mlir::tosa::TosaDialect"];
  let options = [
    Option<"perChannel", "per-channel", "bool", /*default=*/"true",
           "Quantize weights with one scale per output channel">,
    Option<"weightBits", "weight-bits", "unsigned", /*default=*/"8",
           "Weight bits: 8, 7 ([-63, 63]: vpmaddubsw on x86-avx2), 4 "
           "(narrow range [-7, 7], MSE-optimal clipping) or 2 (ternary "
           "{-a, 0, a}, threshold 0.7 mean|w|)">,
    Option<"weightCluster", "weight-cluster", "int64_t", /*default=*/"1",
           "Consecutive output channels sharing one weight scale (with "
           "per-channel)">,
    ListOption<"keepFloat", "keep-float", "std::string",
               "Layers (ONNX node names) that stay in float">,
    ListOption<"layerWeightBits", "layer-weight-bits", "std::string",
               "Per-layer weight bits, name=bits (overrides weight-bits)">,
    Option<"activationType", "activation-type", "std::string",
           /*default=*/"\"int8\"",
           "Activations: int8 (asymmetric, [-128, 127]), uint8 (asymmetric, "
           "[0, 255]), int8-symmetric (zero point 0, [-127, 127]), int16 "
           "(zero point 0, [-32767, 32767]; conv/matmul accumulate in "
           "int64 where int32 is not provably safe)">,
    Option<"biasCorrection", "bias-correction", "bool", /*default=*/"false",
           "Subtract the expected output error of the quantized weights "
           "(sum of weight error x input channel mean) from the bias, where "
           "calibration recorded channel means">,
  ];
}

def PropagateRanges : Pass<"intq-propagate-ranges", "mlir::func::FuncOp"> {
  let summary = "Derive the ranges calibration did not observe, and share "
                "scales through ops that only move values";
  let description = [{
    A sparse forward dataflow analysis (MLIR's
    `SparseForwardDataFlowAnalysis`) over a float interval lattice gives
    every tensor a range: calibrated `intq.stats` ranges where there are any;
    the fixed range of ops that have one (ReLU6 [0, 6], sigmoid [0, 1], tanh
    [-1, 1]); the operand's range through ops that move values (reshape,
    transpose, slice, pad, concat, max pooling); interval arithmetic (add,
    sub) elsewhere; constants their own extent. Op behaviour comes from
    `intq::RealRangeOpInterface` (native on intq ops, external models on
    TOSA ops): a new op joins by implementing it.

    The pass then
    - annotates with `intq.stats` every point quantization needs (those
      `intq-calibrate` observes) that has no range yet, when one could be
      derived; a remark names each point that stays without one;
    - makes each scale-preserving op keep its operand's scale: its result
      range becomes the operand's (the hull over all operands for concat,
      written back to the operands too), so no requantize is needed.

    Before (only the input calibrated):
    ```mlir
    %x = intq.stats %arg0 {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x4x4x8xf32>
    %c = tosa.clamp %x {min_val = 0.0 : f32, max_val = 6.0 : f32} : ...
    %s = tosa.sigmoid %c : ...
    ```
    After:
    ```mlir
    %c = tosa.clamp %x {...}
    %0 = intq.stats %c {max = 1.000000e+00 : f64, min = 0.000000e+00 : f64}
    %s = tosa.sigmoid %0
    %1 = intq.stats %s {max = 1.000000e+00 : f64, min = 0.000000e+00 : f64}
    ```
  }];
  let dependentDialects = ["::intq::IntQDialect"];
}

def Quantize : Pass<"intq-quantize", "mlir::func::FuncOp"> {
  let summary = "Rewrite quant/dequant-wrapped float ops into intq ops";
  let description = [{
    Fuses the QDQ form produced by `--intq-assign-scales` (or imported from a
    pre-quantized model) into `intq` ops on `!quant.uniform` tensors. A
    `tosa.conv2d`, `tosa.depthwise_conv2d` or `tosa.matmul` whose input,
    weights and bias come from `quant.dcast` and whose result (optionally
    through `tosa.clamp`, fused as the activation range) feeds a
    `quant.qcast` becomes one `intq.conv2d` / `intq.matmul`. Constant
    weights and biases are quantized at compile time into `intq.qconst`
    (round to nearest, ties to even). `quant.qcast` / `quant.dcast` remain
    only where float and integer code meet.

    Before:
    ```mlir
    %x = quant.dcast %xq : tensor<1x8x8x3x!qa> to tensor<1x8x8x3xf32>
    %y = tosa.conv2d %x, %wd, %bd, %zp, %zp {...}
    %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 6.0 : f32}
    %rq = quant.qcast %r : tensor<1x8x8x4xf32> to tensor<1x8x8x4x!qb>
    ```
    After:
    ```mlir
    %w = intq.qconst dense<...> : tensor<4x3x3x3xi8> -> tensor<4x3x3x3x!qw>
    %b = intq.qconst dense<...> : tensor<4xi32> -> tensor<4x!qbias>
    %rq = intq.conv2d %xq, %w, %b {clamp_min = 0.0, clamp_max = 6.0, ...}
    ```

    With `rounding=single` the conv / matmul ops it creates carry
    `rounding = #intq.rounding<single>` (TOSA's single rounding, cheaper
    in the vector kernels) instead of gemmlowp's double rounding.
  }];
  let dependentDialects = ["intq::IntQDialect", "mlir::quant::QuantDialect",
                           "mlir::tosa::TosaDialect"];
  let options = [
    Option<"rounding", "rounding", "std::string", /*default=*/"\"double\"",
           "Output stage rounding of the conv / matmul ops created: "
           "'double' (gemmlowp, TFLite) or 'single' (TOSA SINGLE_ROUND)">
  ];
}

def VerifyIntegerOnly : Pass<"intq-verify-integer-only", "mlir::func::FuncOp"> {
  let summary = "Report float arithmetic left between quantize and dequantize";
  let description = [{
    Finds the float islands of a quantized function: ops that compute in
    float on values dequantized from integers (`quant.dcast`) whose results
    are quantized again (`quant.qcast`). Those run in float with
    quant/dequant around them, which is correct but not integer-only. Each
    island gets a diagnostic naming the op; with `strict=true` it is an error
    and the pass fails, otherwise a warning. Float work before the input
    quantize or after the output dequantize (layout changes, softmax on the
    logits) is not reported.

    ```mlir
    %d = quant.dcast %x : tensor<1x8x8x4x!quant.uniform<i8:f32, 0.1>> to tensor<1x8x8x4xf32>
    // warning: float arithmetic between quantize and dequantize: tosa.max_pool2d
    %p = tosa.max_pool2d %d {...}
    %q = quant.qcast %p : tensor<1x4x4x4xf32> to tensor<1x4x4x4x!quant.uniform<i8:f32, 0.1>>
    ```
  }];
  let options = [
    Option<"strict", "strict", "bool", /*default=*/"false",
           "Float islands are errors (the pass fails) instead of warnings">,
  ];
}

def Codegen : Pass<"intq-codegen", "mlir::func::FuncOp"> {
  let summary = "Register-blocked vector kernels for int8 matmuls and "
                "convolutions (and fp32 matmuls), per target";
  let description = [{
    Replaces each `intq.matmul` with 8-bit storage whose accumulator provably
    fits int32 by an explicit kernel on storage-typed tensors, before
    `--intq-lower-to-linalg` handles everything else:

    - the weights are prepacked at compile time into the micro-kernel's
      layout (blocks of 16 output channels; for `x86-avx512vnni` groups of 4
      consecutive K, the `vpdpbusd` operand layout), zero padded to whole
      blocks; the zero-point correction and the bias are one folded
      per-channel constant;
    - activations are read as u8 for `vpdpbusd` (u8 x s8): int8 inputs are
      offset by 128 (sign bit flipped by one pass over the input before
      the kernel, so that the kernel broadcasts them straight from
      memory; where one column panel reads a matrix input once, each
      row block's rows are flipped into a stack buffer before its
      reduction instead; a padded convolution input is padded and flipped
      in one pass) and
      `128 * sum(q_w)` is folded into the bias; `generic` reads them as
      int8;
    - the loops are blocked for registers: `MR` rows (4; 8 on
      `x86-avx512vnni` where there are at most 2 blocks and 16 rows or
      more) x `U` blocks of 16 output channels (up to 4) of
      `vector<16xi32>` accumulators,
      reduced over K in the innermost loop, then the requantization epilogue
      runs on those registers (the same gemmlowp arithmetic, vectorized),
      fused with the activation clamp, and writes int8. On AVX-512 four
      requantized vectors are narrowed at once (`intq.x86.pack_bytes`:
      the packs saturate to the storage range, the clamp runs once on the
      64 bytes), chosen so that the bytes are stored whole: one 64-byte
      store per row with 4 blocks, 32 bytes per row with 2.

    `intq.conv2d` with `groups = 1` runs the same int8 kernel as an
    implicit GEMM: the input, padded with its zero point and flattened, is
    read in place, row (n, oh, ow) at its pixel plus a per-step offset from
    a constant table. A step's 4 bytes (VNNI, sdot) must be contiguous:
    they stay in one kernel row's run of KW*C bytes (one tap's C where
    dilated). Where C % 4 != 0 (the RGB stems) each run is padded to a
    multiple of 4 in the reduction, the padding reading the next pixel's
    bytes against zero weights, and the padded input gets columns past its
    right edge for them: ResNet's 7x7 stem reduces over 7 x 24 instead of
    147, with no copy (its int8 layer 0.74x -> 1.12x of oneDNN's VNNI
    path). Only where that would cost more than a third more MACs than K
    padded to 4, and for AMX with C % 64 != 0 and i8mm with C % 8 != 0,
    are the rows gathered into an im2col copy (a `linalg.generic` with an
    affine input map, or vector moves of a kernel row's run); a strided
    unpadded 1x1 conv (ResNet's shortcuts) copies the pixels it reads that
    way and runs as a matrix. A 1x1 stride-1 unpadded conv is a reshape.
    The OHWI weights already are (O) x (KH*KW*C). Depthwise convs
    (multiplier 1) have a kernel of their own: channels are the vector
    lanes (16 contiguous in NHWC), the
    taps are unrolled, 8 output columns share each weight vector; the
    input is read in place (taps of border pixels are checked and read the
    zero point outside), x86 multiply-accumulates with `vpdpwssd`; at
    stride 1 from a ring of the (KH-1)*dilation+1 rows an output row
    reads, each i32 two neighbouring pixels of a row widened to i16, so
    that one `vpdpwssd` with its operand from memory takes two taps of a
    kernel row (the channel blocks outermost, so the ring's block stays
    in L1; a transient buffer that `--intq-plan-workspace` places).
    Strided, with `x86-vbmi` (AVX512-VBMI), where W x C and 8 x stride x C
    are multiples
    of 64 and a kernel row's taps (KW <= 4, dilation 1) fit a 128-byte
    chunk pair, the interior multiplies a whole kernel row per `vpdpbusd`:
    one byte shuffle (`vpermt2b`) of two aligned 64-byte chunks of the
    input row, shared by 8 columns and the channel blocks, gathers each
    channel's taps into its i32 lane (u8 view: int8 sign bits flipped as
    loaded). Grouped convs and depthwise multipliers above 1 are left as
    they are.

    Every kernel writes its result in place: the accumulators start at the
    folded bias, the last row block reads and writes row M-1 again for the
    rows past M, a partial block of 16 channels is a masked store. On x86
    the epilogue multiplies on 64-bit lane pairs and, where the accumulator
    bound proves it safe, rounds with a nudge that includes the zero point
    (the same values: unit-tested against the scalar reference).

    On x86 targets an `intq.add` of 8-bit operands (a residual
    connection) becomes one loop over 16-lane vectors of its flattened
    operands, with the integer lowering's arithmetic (both inputs
    rescaled, the sum requantized) on the vectors: each input's rescale in
    i32 lanes (its multiplier split at bit 11: `(q - zp) * Mh + (((q -
    zp) * Ml + 2^10) >> 11)` is the SRDHM of `(q - zp) << 20`), the
    output's SRDHM on i64 lane pairs, the rounding shifts with a nudge
    (exact: the terms stay below 2^29; the general form where the output
    multiplier has a left shift);
    other adds are left to `--intq-lower-to-linalg`, whose scalar form
    LLVM vectorizes on i64 lanes. A `quant.qcast` of a static f32 tensor
    to a per-tensor 8-bit type (a model's input) likewise becomes one loop
    over 16-lane vectors with the integer lowering's per-element
    arithmetic (the same bytes; LLVM vectorized the scalar loop 4 lanes
    wide). On every target a `tosa.transpose` that moves only unit
    dimensions becomes a `tosa.reshape` (upstream's canonicalization of
    the transposes alone, no folding) instead of a copy.

    Float `tosa.matmul` with constant weights (batch 1, zero points 0),
    float `tosa.conv2d` (constant weights and bias, through an im2col view)
    and float `tosa.depthwise_conv2d` (multiplier 1) get the same loop nests
    with `vector<16xf32>` FMA accumulators on every target: the fp32
    baseline int8 is measured against is tiled the same way.

    Targets: `x86-avx512vnni` (`llvm.x86.avx512.vpdpbusd.512`),
    `x86-avx2` (`intq.x86.vpmaddwd`, i.e. `vpmaddwd ymm` plus `vpaddd`: K
    by 2; the input, as its int8 view, is widened to i16 by one pass before
    the kernel so that each row broadcasts a pair of activations with one
    32-bit load; weights prepacked as i16 pairs; 4 rows x 16 outputs per
    register block, 8 of the 16 ymm registers; implicit-GEMM convs need
    C % 2 == 0; depthwise at stride 1 takes two taps per `vpmaddwd`,
    reading input rows widened to i16 once into a ring of
    (KH-1)*dilation+1 rows (a transient buffer that
    `--intq-plan-workspace` places), strided depthwise one tap per
    `vpmaddwd` on i32 lanes; the fp32 kernels take the same 4 x 1 block
    on this target. A matmul or conv whose weights are all in [-64, 64], e.g.
    `weight-bits=7`, 4 or 2, takes `intq.x86.vpmaddubsw` instead, exact
    there: u8 x s8 pairs to i16, summed by `vpmaddwd` with ones, with the
    VNNI kernel's input (u8 view, flipped by one pass), K by 4 and i8
    weights [16 x 4]),
    `aarch64-dotprod` (`sdot`, 4 rows x 16 outputs per register block:
    activations are loaded 16 bytes at a time and fed by lane to 4 steps of
    `sdot`, per row and iteration 16 or 32 bytes of a matrix, 16-64
    contiguous bytes of a conv's kernel row (C for dilated rows; a row of
    8 or 12 bytes, C = 3 or 4 at 3 x 3, is one step whose load reads
    past it into columns added to the padded input); convs where no such
    step tiles the row (runs of 4 bytes, C = 4 at 3 x 1) broadcast 4 bytes
    per step, 2 rows x 32 outputs),
    `aarch64-i8mm` (`smmla`: 2x8 by 8x2 int8 tiles, 4 rows x 16 outputs
    per register block, K by 8; weights packed as column pairs; row pairs
    combined 8 bytes each, once before the loops into a packed copy when
    there is more than one panel of 16 outputs; implicit-GEMM convs need
    C % 8 == 0),
    `x86-amx` (`amx.tile_muli`, i.e. `tdpbssd` / `tdpbusd` on 16 x 64-byte
    tiles: blocks of 32 rows x 32 outputs in 2 x 2 accumulator tiles,
    block-major over the panels of outputs, the weights' tile loads marked
    `intq.stream` (`tileloaddt1`: streamed past the block's rows without
    evicting them from L1); accumulators stored to a scratch and
    requantized on AVX-512 registers inside the next block's K loop;
    convolutions with C % 64 == 0 read in place, others through an im2col
    copy unless `amx-im2col=0` sends them to `x86-avx512vnni`; depthwise
    and the layers below the `amx-min-*` thresholds on `x86-avx512vnni`),
    `generic` (portable vector arith, any backend). `intq-compile` picks the target
    from `--target`/`--cpu`/`--mattr`. The result is bit-exact with
    `--intq-lower-to-linalg` (the E2E sweep runs both). Matmuls it does not
    handle (16-bit inputs, accumulators that need int64) are left as they
    are.

    After (x86-avx512vnni, one 4x64 block of the loop nest):
    ```mlir
    %acc = scf.for %kb = %c0 to %cKB step %c1 iter_args(%a00 = %zero, ...) {
      %x = vector.transfer_read %xu8[%m, %k4] ... : tensor<4x256xi8>, vector<4xi8>
      %xb = vector.bitcast ... : vector<16xi32> to vector<64xi8>
      %w0 = vector.transfer_read %wpacked[%nb, %kb, %c0] ... : vector<64xi8>
      %d = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%a00, %xb, %w0)
          : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
      ...
    }
    ... requantize vector<16xi32> -> vector<16xi8>, vector.transfer_write ...
    ```
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"generic\"",
           "Kernel target: generic, x86-avx2, x86-avx512vnni, x86-amx, "
           "aarch64-dotprod or aarch64-i8mm">,
    Option<"amxMinReduction", "amx-min-reduction", "int64_t",
           /*default=*/"0",
           "With target x86-amx: matmuls and convolutions whose reduction "
           "(K) is shorter take the x86-avx512vnni kernels instead (AMX "
           "pads K to 64)">,
    Option<"amxMinRows", "amx-min-rows", "int64_t", /*default=*/"0",
           "With target x86-amx: matmuls and convolutions with fewer output "
           "rows (pixels) take the x86-avx512vnni kernels instead (AMX "
           "computes blocks of 32 rows)">,
    Option<"amxMinColumns", "amx-min-columns", "int64_t", /*default=*/"0",
           "With target x86-amx: matmuls and convolutions with fewer output "
           "channels take the x86-avx512vnni kernels instead (AMX packs the "
           "activations once for all its panels of 32 columns)">,
    Option<"amxMinMacs", "amx-min-macs", "int64_t", /*default=*/"0",
           "With target x86-amx: matmuls and convolutions with fewer "
           "multiply-accumulates (rows x columns x reduction) take the "
           "x86-avx512vnni kernels instead (the tile unit's fixed costs)">,
    Option<"amxIm2col", "amx-im2col", "bool", /*default=*/"true",
           "With target x86-amx: convolutions the AMX kernel reads through "
           "an im2col copy (input channels not a multiple of 64, other "
           "than 1x1 at stride 1) stay on it; false gives them to the "
           "x86-avx512vnni kernels, which read the padded input in place">,
    Option<"x86Vbmi", "x86-vbmi", "bool", /*default=*/"false",
           "With targets x86-avx512vnni and x86-amx: the CPU has "
           "AVX512-VBMI (byte shuffles across the register): depthwise "
           "convolutions multiply a whole kernel row per vpdpbusd">,
    Option<"depthwiseRing", "depthwise-ring", "bool", /*default=*/"true",
           "With targets x86-avx2 and x86-avx512vnni: depthwise "
           "convolutions at stride 1 read a ring of input rows widened "
           "once (two taps per multiply); false keeps the per-tap kernel "
           "(or, with x86-vbmi, the rows form) there too">,
  ];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::vector::VectorDialect",
                           "mlir::LLVM::LLVMDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::quant::QuantDialect",
                           "mlir::amx::AMXDialect",
                           "mlir::bufferization::BufferizationDialect",
                           "mlir::memref::MemRefDialect"];
}

def LowerTargetOps : Pass<"intq-lower-target-ops", "mlir::ModuleOp"> {
  let summary = "Lower intq target micro-ops to LLVM intrinsic calls";
  let description = [{
    Replaces the pure target micro-ops that `--intq-codegen` kernels are
    built from by the LLVM intrinsics they stand for, after bufferization:

    ```mlir
    %r = intq.x86.vpdpbusd %acc, %a, %w : vector<64xi8> -> vector<16xi32>
    // becomes
    %r = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%acc, %a, %w)
        : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
    ```

    A module with `amx` ops (the `x86-amx` kernels) gets an initializer
    (`llvm.mlir.global_ctors`) that requests the AMX tile-data permission
    from Linux (`arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA)`,
    inline `syscall`, no libc); where it is refused the program writes the
    reason to stderr and exits with status 70 rather than die of SIGILL at
    the first tile instruction. With `emulate-amx`, the `amx` ops become
    loops on stack buffers instead (`linalg.copy` for tile loads and
    stores, a `linalg.generic` for `tile_muli`): the AMX kernels then run,
    bit-exact, on any x86 or other CPU, which is how their tiling, packing
    and epilogue are tested without AMX hardware. Tile loads marked
    `intq.stream` (an operand the kernel streams from L2) become the
    `llvm.x86.tileloaddt164.internal` intrinsic (`tileloaddt1`) on the
    element's address, cast back to a tile for the ops around them (the
    casts cancel in the LLVM conversion); emulated, the hint is dropped.
    With `emulate-vnni`, the
    `intq.x86.vpdpbusd` / `intq.x86.vpdpwssd` ops become portable vector
    arithmetic instead of the AVX512-VNNI intrinsics (products widened to
    i32, each group gathered by a strided `vector.shuffle` and added to the
    accumulator, wrapping like the instructions):

    ```mlir
    %r = intq.x86.vpdpwssd %acc, %a, %w : vector<32xi16> -> vector<16xi32>
    // becomes
    %a32 = arith.extsi %a : vector<32xi16> to vector<32xi32>
    %w32 = arith.extsi %w : vector<32xi16> to vector<32xi32>
    %p = arith.muli %a32, %w32 : vector<32xi32>
    %p0 = vector.shuffle %p, %p [0, 2, 4, ..., 30] : vector<32xi32>, vector<32xi32>
    %s0 = arith.addi %acc, %p0 : vector<16xi32>
    %p1 = vector.shuffle %p, %p [1, 3, 5, ..., 31] : vector<32xi32>, vector<32xi32>
    %r = arith.addi %s0, %p1 : vector<16xi32>
    ```

    so that the x86 kernels' tiling, packing and epilogue are tested on an
    x86-64 without AVX-512 (intq-compile --emulate-vnni, the E2E sweep and
    the fuzzers on such hosts). `intq.x86.pack_bytes` (AVX-512BW packs,
    then a `vector.shuffle` of dwords that LLVM selects as one `vpermd` or
    `vpermb`) becomes a clamp, a truncation and a concatenation there.
  }];
  let options = [
    Option<"emulateAmx", "emulate-amx", "bool", /*default=*/"false",
           "Lower the AMX tile ops to portable loops (tests without AMX)">,
    Option<"emulateVnni", "emulate-vnni", "bool", /*default=*/"false",
           "Lower the x86 VNNI dot products and byte packs to portable "
           "vector arithmetic (tests without AVX-512)">,
  ];
  let dependentDialects = ["mlir::LLVM::LLVMDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::vector::VectorDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::memref::MemRefDialect"];
}

def LowerToLinalg : Pass<"intq-lower-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower intq ops and quant casts to integer linalg";
  let description = [{
    Lowers the quantized level to integer linalg on storage-typed tensors
    (i8 operands, i32 accumulation):

    - `intq.conv2d` / `intq.matmul`: `tensor.pad` with the input zero point,
      a plain integer `linalg.conv_2d_nhwc_fhwc` /
      `linalg.depthwise_conv_2d_nhwc_hwcm` / `linalg.conv_2d_nhwgc_gfhwc` /
      `linalg.matmul` into i32, then one `linalg.generic` epilogue. The
      zero-point term `-Z_in * sum(q_w)` is a per-channel constant folded into
      the bias at compile time.
    - the epilogue requantizes per channel with the gemmlowp semantics
      (saturating left shift, saturating rounding doubling high multiply by
      M0, rounding right shift), adds the output zero point and applies the
      fused clamp, writing i8.
    - `intq.requantize` the same way; `quant.qcast` rounds to nearest with
      ties to even and clamps before the conversion (ONNX QuantizeLinear);
      `quant.dcast` computes `(q - Z) * S`. Unlike upstream
      `--lower-quant-ops`, `dcast(qcast(x))` is never folded away.
    - reshapes (`tensor.collapse_shape` / `tensor.expand_shape`) and function
      signatures with quantized tensors become storage-typed.
    - an op that cannot be lowered (runtime weights, non-zero weight zero
      point, unsigned or 16-bit inputs, a multiplier >= 2^30) gets one precise
      error before anything is rewritten.

    After, for a conv:
    ```mlir
    %p = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] { tensor.yield %zp : i8 }
    %acc = linalg.conv_2d_nhwc_fhwc ins(%p, %w : tensor<..xi8>, tensor<..xi8>)
             outs(%zero : tensor<..xi32>) -> tensor<..xi32>
    %y = linalg.generic {...} ins(%acc, %bias, %m0, %shift : ...) outs(... : tensor<..xi8>) {
      ... arith.muli/shrsi/select: the gemmlowp requantization ...
    }
    ```
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::math::MathDialect",
                           "mlir::tensor::TensorDialect"];
}

def MaterializeResults : Pass<"intq-materialize-results", "mlir::func::FuncOp"> {
  let summary = "Give every function result a tensor of its own";
  let description = [{
    Copies function results that are block arguments, or that repeat an
    earlier result, into fresh tensors (`linalg.copy` into `tensor.empty`).
    Every result then bufferizes to its own allocation, which
    `--buffer-results-to-out-params{hoist-static-allocs}` turns into an output
    parameter; upstream MLIR 22 crashes on a returned block argument there.

    Before:
    ```mlir
    func.func @f(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
      return %a, %a : tensor<4xf32>, tensor<4xf32>
    }
    ```
    After:
    ```mlir
    %e = tensor.empty() : tensor<4xf32>
    %c = linalg.copy ins(%a : tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
    ...
    return %c, %c2 : tensor<4xf32>, tensor<4xf32>
    ```
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

def ExpandMemRefCopy : Pass<"intq-expand-memref-copy", "mlir::func::FuncOp"> {
  let summary = "Rewrite memref.copy into vector or linalg.copy loops (no "
                "runtime library)";
  let description = [{
    Upstream `--finalize-memref-to-llvm` lowers a `memref.copy` between
    non-contiguous memrefs (for example into the interior of a padded
    buffer) to a call to `memrefCopy` from `libmlir_c_runner_utils`, which a
    standalone object cannot assume. This pass turns every `memref.copy`
    into loops, so that intq's objects depend on nothing but libc: when
    both sides are static with a unit innermost stride, `scf.for` loops
    with one `vector.load` / `vector.store` per innermost row (or per 16
    elements of a long one); otherwise a `linalg.copy`, which
    `--convert-linalg-to-loops` lowers to scalar loops.

    Before:
    ```mlir
    memref.copy %src, %dst : memref<1x8x8x4xi8> to memref<1x8x8x4xi8, strided<[400, 40, 4, 1], offset: 44>>
    ```
    After:
    ```mlir
    scf.for %i = %c0 to %c1 step %c1 {
      scf.for %j = %c0 to %c8 step %c1 {
        scf.for %k = %c0 to %c8 step %c1 {
          scf.for %l = %c0 to %c4 step %c4 {
            %v = vector.load %src[%i, %j, %k, %l] : memref<1x8x8x4xi8>, vector<4xi8>
            vector.store %v, %dst[%i, %j, %k, %l] : memref<1x8x8x4xi8, strided<...>>, vector<4xi8>
    ```
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::vector::VectorDialect"];
}

def PlanWorkspace : Pass<"intq-plan-workspace", "mlir::ModuleOp"> {
  let summary = "Place a function's transient buffers in one allocation, "
                "reusing memory between buffers whose lifetimes do not meet";
  let description = [{
    Runs on bufferized functions, before the deallocation pipeline. The
    static buffers allocated in the function's entry block (padded inputs,
    im2col rows, packed activations, intermediate activations) become
    `memref.view`s of one 64-byte-aligned `memref.alloc` at the top of the
    function; two buffers share bytes when no entry-block operation uses
    both (their live spans, through every view, are disjoint; a loop
    counts as one operation). First fit in allocation order.

    One allocation of a fixed size per call instead of one per buffer: with
    glibc, a mix of large buffers freed at the end of every call crossed
    the heap's trim threshold and its mmap threshold, so every call
    page-faulted its buffers in again (a 784x576x64 int8 layer spent more
    time in page faults than in its kernel). Buffers allocated inside loops,
    with dynamic shapes, non-identity layouts or that escape (returned,
    already deallocated) are left alone.

    Before:
    ```mlir
    %a = memref.alloc() {alignment = 64 : i64} : memref<1x30x30x16xi8>
    ... uses of %a ...
    %b = memref.alloc() {alignment = 64 : i64} : memref<784x144xi8>
    ... uses of %b (none of %a after here) ...
    ```
    After:
    ```mlir
    %ws = memref.alloc() {alignment = 64 : i64} : memref<112896xi8>
    %c0 = arith.constant 0 : index
    %a = memref.view %ws[%c0][] : memref<112896xi8> to memref<1x30x30x16xi8>
    ...
    %c0_0 = arith.constant 0 : index
    %b = memref.view %ws[%c0_0][] : memref<112896xi8> to memref<784x144xi8>
    ```

    With `caller-provided`, no function allocates its workspace: each
    public function with a body gets it as a new last argument (at the C
    ABI `void f(inputs..., outputs..., void *workspace)`, 64-byte aligned,
    not shared between concurrent calls) and a companion
    `@f_workspace_size() -> i64` (marked `intq.workspace_size`) returns its
    size in bytes. Every planned buffer is then a view of the
    argument, also when there is only one (size 0 when there is none);
    buffers that cannot be planned stay heap allocations, with a warning.
    An entry point that is called inside the module is an error (its callers
    would have to pass a workspace).

    ```mlir
    func.func @f(%in: memref<...>, %out: memref<...>,
                 %ws: memref<112896xi8>) {
      %c0 = arith.constant 0 : index
      %a = memref.view %ws[%c0][] : memref<112896xi8> to memref<1x30x30x16xi8>
      ...
    }
    func.func @f_workspace_size() -> i64 attributes {intq.workspace_size} {
      %n = arith.constant 112896 : i64
      return %n : i64
    }
    ```
  }];
  let options = [
    Option<"callerProvided", "caller-provided", "bool", /*default=*/"false",
           "Take the workspace of each public function as a new last "
           "argument (and emit @<name>_workspace_size) instead of "
           "allocating it">,
  ];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::func::FuncDialect",
                           "mlir::memref::MemRefDialect"];
}

#endif // INTQ_PASSES_PASSES_TD
