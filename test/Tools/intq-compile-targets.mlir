// The same module compiles for both targets in process; the objects need
// no MLIR runtime library (no memrefCopy, no _mlir_* helpers).
// RUN: intq-compile %s --target=x86_64 --emit=asm -o - | FileCheck %s --check-prefix=X86
// RUN: intq-compile %s --target=aarch64 --emit=asm -o - | FileCheck %s --check-prefix=A64
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --emit=asm -o - | FileCheck %s --check-prefix=SPR
// RUN: intq-compile %s --target=aarch64 --cpu=neoverse-v1 --mattr=+dotprod,+i8mm --emit=asm -o - | FileCheck %s --check-prefix=A64
// RUN: intq-compile %s --emit=mlir -o - | FileCheck %s --check-prefix=LLVM
// RUN: intq-compile %s --emit=llvm -o - | FileCheck %s --check-prefix=IR

// X86: .globl kernel
// X86-NOT: memrefCopy
// X86-NOT: _mlir
// A64: .globl kernel
// A64-NOT: memrefCopy
// A64-NOT: _mlir
// SPR: .globl kernel
// SPR: {{zmm|ymm}}
// LLVM: llvm.func @kernel(%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr)
// LLVM-NOT: llvm.func @kernel{{.*}} -> !llvm.ptr
// IR: target triple = "x86_64-unknown-linux-gnu"
// IR: define void @kernel(ptr {{.*}}, ptr {{.*}})

!qa = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.5, 0.125, 1.0}>
!qo = !quant.uniform<i8:f32, 1.0:5>
func.func @kernel(%x: tensor<1x16x16x8x!qa>) -> tensor<1x16x16x4x!qo> {
  %w = intq.qconst dense<3> : tensor<4x3x3x8xi8> -> tensor<4x3x3x8x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>}
      : (tensor<1x16x16x8x!qa>, tensor<4x3x3x8x!qw>) -> tensor<1x16x16x4x!qo>
  return %r : tensor<1x16x16x4x!qo>
}
