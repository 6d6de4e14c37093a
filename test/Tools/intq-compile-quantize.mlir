// quant.qcast on x86 (--intq-codegen rewrites it into one loop over 16-lane
// vectors, the rest masked): the same bytes as the integer lowering's loop
// (--kernels=generic) on 37 inputs per function (two whole vectors and a
// masked rest of 5): NaN, infinities, signed zeros, a denormal, values far
// outside the storage range, exact ties of x / S (rounded half to even),
// the clamp bounds, and values around them; int8 and uint8 storage.
// RUN: rm -rf %t && mkdir -p %t
// RUN: intq-compile %s --kernels=x86-avx2 --cpu=haswell --symbol-prefix=vec_ -o %t/vec.o
// RUN: intq-compile %s --kernels=generic --symbol-prefix=ref_ -o %t/ref.o
// RUN: intq-compile %s --kernels=x86-avx2 --cpu=haswell --emit=asm -o - | FileCheck %s --check-prefix=ASM
// RUN: %cc-x86_64 %S/Inputs/quantize_main.c %t/vec.o %t/ref.o -lm -o %t/run
// RUN: %t/run | FileCheck %s

// The vector loop divides 8 lanes at a time (ymm on AVX2), converts with
// truncation after the rounding, and has no scalar division.
// ASM-LABEL: q8:
// ASM: vdivps {{.*}}%ymm
// ASM: vcvttps2dq {{.*}}%ymm
// ASM-NOT: vdivss
// ASM-LABEL: qu8:
// ASM: vdivps {{.*}}%ymm
// ASM-NOT: vdivss

// CHECK: q8: 0 of 37 differ
// CHECK: q8: -128 127 -128 -3 -3
// CHECK: qu8: 0 of 37 differ
// CHECK: qu8: 0 255 0 200 200

!qs = !quant.uniform<i8:f32, 0.3:-3>
!qu = !quant.uniform<u8:f32, 0.07:200>
func.func @q8(%x: tensor<37xf32>) -> tensor<37x!qs> {
  %q = quant.qcast %x : tensor<37xf32> to tensor<37x!qs>
  return %q : tensor<37x!qs>
}
func.func @qu8(%x: tensor<37xf32>) -> tensor<37x!qu> {
  %q = quant.qcast %x : tensor<37xf32> to tensor<37x!qu>
  return %q : tensor<37x!qu>
}
