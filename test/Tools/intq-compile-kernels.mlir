// Matmul kernels per target (--intq-codegen through intq-compile): the
// AVX512-VNNI kernels on a CPU that has it (auto), the generic vector
// kernels elsewhere, plain loops with --kernels=none. The instructions are
// checked in the assembly.
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --kernels=x86-avx512vnni --emit=asm -o - | FileCheck %s --check-prefix=VNNI
// RUN: intq-compile %s --target=x86_64 --cpu=icelake-server --emit=asm -o - | FileCheck %s --check-prefix=VNNI
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --emit=asm -o - | FileCheck %s --check-prefix=AUTOAMX
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --mattr=-amx-int8 --emit=asm -o - | FileCheck %s --check-prefix=VNNI
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --kernels=generic --emit=asm -o - | FileCheck %s --check-prefix=GENX86
// RUN: intq-compile %s --target=x86_64 --emit=asm -o - | FileCheck %s --check-prefix=NOVNNI
// RUN: intq-compile %s --target=aarch64 --emit=asm -o - | FileCheck %s --check-prefix=A64
// RUN: intq-compile %s --target=aarch64 --cpu=neoverse-n1 --emit=asm -o - | FileCheck %s --check-prefix=SDOT
// RUN: not intq-compile %s --target=aarch64 --kernels=aarch64-dotprod -o /dev/null 2>&1 | FileCheck %s --check-prefix=NODOT
// RUN: intq-compile %s --target=aarch64 --cpu=neoverse-v1 --emit=asm -o - | FileCheck %s --check-prefix=SMMLA
// RUN: intq-compile %s --target=aarch64 --mattr=+i8mm --kernels=aarch64-i8mm --emit=asm -o - | FileCheck %s --check-prefix=SMMLA
// RUN: not intq-compile %s --target=aarch64 --cpu=neoverse-n1 --kernels=aarch64-i8mm -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOI8MM
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --kernels=none --emit=asm -o - | FileCheck %s --check-prefix=NOVNNI
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --kernels=x86-amx --emit=asm -o - | FileCheck %s --check-prefix=AMX
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --kernels=x86-amx --emulate-amx --emit=asm -o - | FileCheck %s --check-prefix=AMXEMU
// RUN: not intq-compile %s --target=x86_64 --cpu=icelake-server --kernels=x86-amx -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOAMX
// RUN: not intq-compile %s --target=x86_64 --kernels=x86-avx512vnni -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOFEATURE
// RUN: not intq-compile %s --target=x86_64 --kernels=x86-amx --emulate-amx -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOVNNIAMX
// RUN: intq-compile %s --target=x86_64 --kernels=x86-avx512vnni --emulate-vnni --emit=asm -o - | FileCheck %s --check-prefix=VNNIEMU
// RUN: intq-compile %s --target=x86_64 --cpu=x86-64-v3 --kernels=x86-amx --emulate-amx --emulate-vnni --emit=asm -o - | FileCheck %s --check-prefix=AMXVNNIEMU
// RUN: not intq-compile %s --kernels=sse9 -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: intq-compile %s --target=x86_64 --cpu=haswell --emit=asm -o - | FileCheck %s --check-prefix=AVX2
// RUN: intq-compile %s --target=x86_64 --cpu=znver3 --kernels=x86-avx2 --emit=asm -o - | FileCheck %s --check-prefix=AVX2
// RUN: not intq-compile %s --target=x86_64 --kernels=x86-avx2 -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOAVX2
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --kernels=x86-avx512vnni --emit=mlir -o - | FileCheck %s --check-prefix=INTRIN
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --kernels=x86-avx512vnni --emit=asm -o - | FileCheck %s --check-prefix=EPI

// VNNI: mm:
// VNNI-NOT: tdpbssd
// VNNI: vpdpbusd {{.*}}%zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}
// GENX86: mm:
// GENX86-NOT: vpdpbusd
// GENX86: vpaddd {{.*}}%zmm
// NOVNNI-NOT: vpdpbusd
// A64: mm:
// A64: smull{{2?}} v{{[0-9]+}}.2d
// NOFEATURE: error: kernels 'x86-avx512vnni' need an x86-64 CPU with AVX512-VNNI and AVX512BW; cpu 'generic' has not (use --cpu=sapphirerapids or --mattr, or --emulate-vnni to test them without)
// Emulated tiles alone on a CPU without AVX512-VNNI: refused (the backend
// aborted on the VNNI kernels' dot products before).
// NOVNNIAMX: error: kernels 'x86-amx' need an x86-64 CPU with AVX512-VNNI for the layers they leave to the VNNI kernels; cpu 'generic' has not (use --cpu=sapphirerapids, or --emulate-vnni with --emulate-amx to test them without)
// With the dot products emulated the x86 kernels compile for any x86-64
// (SSE2 here, AVX2 below): no VNNI, AVX-512 or AMX instruction.
// VNNIEMU: mm:
// VNNIEMU-NOT: {{vpdpbusd|zmm|tdpb}}
// VNNIEMU: pmaddwd
// VNNIEMU-NOT: {{vpdpbusd|zmm|tdpb}}
// AMXVNNIEMU: mm:
// AMXVNNIEMU-NOT: {{vpdpbusd|zmm|tdpb|tileload}}
// AMXVNNIEMU: ret
// UNKNOWN: error: unknown kernels 'sse9' (auto, none, generic, x86-avx2, x86-avx512vnni, x86-amx, aarch64-dotprod or aarch64-i8mm)
// auto on an AVX2 CPU without AVX512-VNNI (haswell) picks the x86-avx2
// kernels; no AVX-512. mm's weights (all 3) are in [-64, 64]: vpmaddubsw
// on ymm, its i16 pairs summed by vpmaddwd (mm_wide_weights below: vpmaddwd
// alone).
// AVX2: mm:
// AVX2-NOT: {{vpdpbusd|zmm|vpmulld}}
// AVX2: vpmaddubsw {{.*}}%ymm{{[0-9]+}}, %ymm{{[0-9]+}}
// AVX2: vpmaddwd {{.*}}%ymm{{[0-9]+}}, %ymm{{[0-9]+}}
// AVX2-NOT: {{vpdpbusd|zmm|vpmulld}}
// AVX2: .Lfunc_end
// NOAVX2: error: kernels 'x86-avx2' need an x86-64 CPU with AVX2; cpu 'generic' has not (use --cpu=haswell, x86-64-v3 or --mattr=+avx2)
// AMX tiles: one tile configuration (LLVM's), 2 x 2 accumulators over
// 4 tile loads and 4 tdpbssd per K step of 64, stored once per block;
// the weights (streamed past the block's rows) with the T1 hint.
// AMX: mm:
// AMX: ldtilecfg
// AMX: tilezero %tmm{{[0-3]}}
// AMX-COUNT-2: tileloadd (
// AMX-COUNT-2: tileloaddt1 (
// AMX-COUNT-4: tdpbssd %tmm{{[4-7]}}, %tmm{{[4-7]}}, %tmm{{[0-3]}}
// AMX-COUNT-4: tilestored
// AMX: tilerelease
// The initializer that asks Linux for the tile data state (arch_prctl
// 158, ARCH_REQ_XCOMP_PERM 0x1023, XFEATURE_XTILEDATA 18), else explains
// and exits with status 70.
// AMX: __intq_amx_request_tiles:
// AMX: movl $158, %eax
// AMX: movl $4131, %edi
// AMX: movl $18, %esi
// AMX: syscall
// AMX: .section .init_array
// AMX-NEXT: .p2align
// AMX-NEXT: .quad __intq_amx_request_tiles
// AMXEMU: mm:
// AMXEMU-NOT: {{tileloadd|tdpbssd|ldtilecfg|syscall|init_array}}
// NOAMX: error: kernels 'x86-amx' need an x86-64 CPU with AMX-INT8 and AVX512-VNNI; cpu 'icelake-server' has not (use --cpu=sapphirerapids)
// SDOT: mm:
// The lane-indexed form: one 16-byte activation load feeds 4 K steps.
// SDOT: sdot v{{[0-9]+}}.4s, v{{[0-9]+}}.16b, v{{[0-9]+}}.4b[{{[0-3]}}]
// NODOT: error: kernels 'aarch64-dotprod' need an AArch64 CPU with the dot product extension; cpu 'generic' has not (use --cpu=neoverse-n1 or --mattr=+dotprod)
// INTRIN: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// Neoverse V1 has i8mm: auto picks the smmla kernels; 16 per K step of 8.
// SMMLA: mm:
// SMMLA-COUNT-16: smmla v{{[0-9]+}}.4s, v{{[0-9]+}}.16b, v{{[0-9]+}}.16b
// SMMLA-NOT: sdot
// NOI8MM: error: kernels 'aarch64-i8mm' need an AArch64 CPU with the int8 matrix multiply extension; cpu 'neoverse-n1' has not (use --cpu=neoverse-v1 or --mattr=+i8mm)
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
func.func @mm(%x: tensor<8x64x!qa>) -> tensor<8x32x!qo> {
  %w = intq.qconst dense<3> : tensor<32x64xi8> -> tensor<32x64x!qw>
  %r = intq.matmul %x, %w {clamp_min = 0.0 : f64} : (tensor<8x64x!qa>, tensor<32x64x!qw>) -> tensor<8x32x!qo>
  return %r : tensor<8x32x!qo>
}

// The x86 epilogue multiplies with vpmuludq (the biased accumulator,
// RequantParams::roundEven) on even and odd lanes alike, never with
// vpmullq (3 uops on Intel cores), also when the per-channel multipliers
// are loop-invariant values hoisted out of the row loop (LLVM must see each operand's zero or sign extension next to the
// multiply).
// EPI-LABEL: mm_per_channel:
// EPI-NOT: vpmullq
// EPI: vpmuludq
// EPI: vpmuludq
// EPI-NOT: vpmullq
// EPI: .Lfunc_end
!qc = !quant.uniform<i8<-127:127>:f32:0, {0.0100, 0.0107, 0.0114, 0.0121, 0.0128, 0.0135, 0.0142, 0.0149, 0.0156, 0.0163, 0.0170, 0.0177, 0.0184, 0.0191, 0.0198, 0.0205, 0.0212, 0.0219, 0.0226, 0.0233, 0.0240, 0.0247, 0.0254, 0.0261, 0.0268, 0.0275, 0.0282, 0.0289, 0.0296, 0.0303, 0.0310, 0.0317}>
func.func @mm_per_channel(%x: tensor<64x64x!qa>) -> tensor<64x32x!qo> {
  %w = intq.qconst dense<5> : tensor<32x64xi8> -> tensor<32x64x!qc>
  %r = intq.matmul %x, %w {clamp_min = 0.0 : f64} : (tensor<64x64x!qa>, tensor<32x64x!qc>) -> tensor<64x32x!qo>
  return %r : tensor<64x32x!qo>
}

// auto on a CPU with AMX (sapphirerapids): the AMX kernels where K >= 33,
// there are 17 rows or more, 33 columns or more and 2^20 multiply-
// accumulates or more; the VNNI ones otherwise: shorter reductions (AMX
// pads K to 64), fewer rows (blocks of 32), fewer columns (the activations
// are packed once for all panels of 32), less work (mm has 8 rows,
// mm_per_channel 2^17 MACs).
// AUTOAMX-LABEL: mm:
// AUTOAMX-NOT: tdpbssd
// AUTOAMX: vpdpbusd
// AUTOAMX-LABEL: mm_per_channel:
// AUTOAMX-NOT: tdpbssd
// AUTOAMX: vpdpbusd
// AUTOAMX-LABEL: mm_short_k:
// AUTOAMX-NOT: tdpbssd
// AUTOAMX: vpdpbusd
// AUTOAMX: .Lfunc_end
func.func @mm_short_k(%x: tensor<64x24x!qa>) -> tensor<64x32x!qo> {
  %w = intq.qconst dense<5> : tensor<32x24xi8> -> tensor<32x24x!qc>
  %r = intq.matmul %x, %w {clamp_min = 0.0 : f64} : (tensor<64x24x!qa>, tensor<32x24x!qc>) -> tensor<64x32x!qo>
  return %r : tensor<64x32x!qo>
}

// ... and for fewer than 17 rows (a fully connected layer at batch 1):
// AMX computes blocks of 32 rows.
// AUTOAMX-LABEL: mm_batch1:
// AUTOAMX-NOT: tdpbssd
// AUTOAMX: vpdpbusd
// AUTOAMX: .Lfunc_end
func.func @mm_batch1(%x: tensor<1x2048x!qa>) -> tensor<1x16x!qo> {
  %w = intq.qconst dense<5> : tensor<16x2048xi8> -> tensor<16x2048x!qw>
  %r = intq.matmul %x, %w {clamp_min = 0.0 : f64} : (tensor<1x2048x!qa>, tensor<16x2048x!qw>) -> tensor<1x16x!qo>
  return %r : tensor<1x16x!qo>
}

// 17 x 1024 x 64: 1.1 M MACs on AMX.
// AUTOAMX-LABEL: mm_17_rows:
// AUTOAMX: tdpbssd
// AUTOAMX: .Lfunc_end
func.func @mm_17_rows(%x: tensor<17x1024x!qa>) -> tensor<17x64x!qo> {
  %w = intq.qconst dense<5> : tensor<64x1024xi8> -> tensor<64x1024x!qw>
  %r = intq.matmul %x, %w {clamp_min = 0.0 : f64} : (tensor<17x1024x!qa>, tensor<64x1024x!qw>) -> tensor<17x64x!qo>
  return %r : tensor<17x64x!qo>
}

// 256 x 256 x 32: 2 M MACs, but one panel of 32 columns: VNNI.
// AUTOAMX-LABEL: mm_32_cols:
// AUTOAMX-NOT: tdpbssd
// AUTOAMX: vpdpbusd
// AUTOAMX: .Lfunc_end
func.func @mm_32_cols(%x: tensor<256x256x!qa>) -> tensor<256x32x!qo> {
  %w = intq.qconst dense<5> : tensor<32x256xi8> -> tensor<32x256x!qw>
  %r = intq.matmul %x, %w {clamp_min = 0.0 : f64} : (tensor<256x256x!qa>, tensor<32x256x!qw>) -> tensor<256x32x!qo>
  return %r : tensor<256x32x!qo>
}

// 64 x 256 x 64: exactly 2^20 MACs: AMX.
// AUTOAMX-LABEL: mm_amx_sized:
// AUTOAMX: tdpbssd
// AUTOAMX: .Lfunc_end
func.func @mm_amx_sized(%x: tensor<64x256x!qa>) -> tensor<64x64x!qo> {
  %w = intq.qconst dense<5> : tensor<64x256xi8> -> tensor<64x256x!qw>
  %r = intq.matmul %x, %w {clamp_min = 0.0 : f64} : (tensor<64x256x!qa>, tensor<64x256x!qw>) -> tensor<64x64x!qo>
  return %r : tensor<64x64x!qo>
}

// A weight outside [-64, 64] (vpmaddubsw could saturate its pair sums):
// the x86-avx2 kernels multiply i16 pairs with vpmaddwd.
// AVX2-LABEL: mm_wide_weights:
// AVX2-NOT: {{vpmaddubsw|zmm|vpmulld}}
// AVX2: vpmaddwd {{.*}}%ymm{{[0-9]+}}, %ymm{{[0-9]+}}, %ymm{{[0-9]+}}
// AVX2-NOT: {{vpmaddubsw|zmm|vpmulld}}
// AVX2: .Lfunc_end
func.func @mm_wide_weights(%x: tensor<8x64x!qa>) -> tensor<8x32x!qo> {
  %w = intq.qconst dense<100> : tensor<32x64xi8> -> tensor<32x64x!qw>
  %r = intq.matmul %x, %w {clamp_min = 0.0 : f64} : (tensor<8x64x!qa>, tensor<32x64x!qw>) -> tensor<8x32x!qo>
  return %r : tensor<8x32x!qo>
}
