// RUN: intq-opt %s -split-input-file --intq-lower-target-ops | FileCheck %s
// RUN: intq-opt %s -split-input-file --intq-lower-target-ops=emulate-amx=1 | FileCheck %s --check-prefix=EMU

// A module with AMX tile ops gets an initializer that asks Linux for the
// tile data state: arch_prctl (158) ARCH_REQ_XCOMP_PERM (0x1023 = 4131)
// XFEATURE_XTILEDATA (18); on refusal it writes why (write, 1) to stderr
// (2) and exits (exit_group, 231) with status 70. The tile ops stay for
// --convert-vector-to-llvm{enable-amx}.
// CHECK-LABEL: func.func @tiles
// CHECK: amx.tile_muli
// CHECK: llvm.func internal @__intq_amx_request_tiles()
// CHECK-DAG: %[[NR:.+]] = llvm.mlir.constant(158 : i64) : i64
// CHECK-DAG: %[[OP:.+]] = llvm.mlir.constant(4131 : i64) : i64
// CHECK-DAG: %[[XF:.+]] = llvm.mlir.constant(18 : i64) : i64
// CHECK: %[[R:.+]] = llvm.inline_asm has_side_effects "syscall", "={rax},{rax},{rdi},{rsi},~{rcx},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}" %[[NR]], %[[OP]], %[[XF]]
// CHECK: llvm.icmp "eq" %[[R]]
// CHECK: llvm.cond_br
// CHECK: llvm.mlir.constant(1 : i64)
// CHECK: llvm.inline_asm has_side_effects "syscall", "={rax},{rax},{rdi},{rsi},{rdx},
// CHECK: llvm.mlir.constant(231 : i64)
// CHECK: llvm.unreachable
// CHECK: llvm.mlir.global_ctors ctors = [@__intq_amx_request_tiles], priorities = [65535 : i32]
//
// Emulated: the tiles become stack buffers (allocated at the function's
// entry), loads and stores linalg.copy through 16 x 64 views, tile_muli a
// linalg.generic accumulating in place on [16][16][4] views; no
// initializer.
// EMU-LABEL: func.func @tiles
// EMU-COUNT-3: memref.alloca() {alignment = 64 : i64} : memref<16x{{16xi32|64xi8}}>
// EMU: linalg.fill ins(%{{.+}} : i32) outs(%[[ACC:.+]] : memref<16x16xi32>)
// EMU: scf.for {{.+}} iter_args(%[[IT:.+]] = %[[ACC]]) -> (memref<16x16xi32>)
// EMU: %[[AV:.+]] = memref.subview %arg0[%{{.+}}, %{{.+}}] [16, 64] [1, 1]
// EMU: linalg.copy ins(%[[AV]] : {{.+}}) outs(%[[A:.+]] : memref<16x64xi8>)
// EMU: linalg.copy ins(%{{.+}} : {{.+}}) outs(%[[B:.+]] : memref<16x64xi8>)
// EMU: %[[AE:.+]] = memref.expand_shape %[[A]] {{\[\[}}0], [1, 2]] output_shape [16, 16, 4] : memref<16x64xi8> into memref<16x16x4xi8>
// EMU: %[[BE:.+]] = memref.expand_shape %[[B]] {{\[\[}}0], [1, 2]] output_shape [16, 16, 4] : memref<16x64xi8> into memref<16x16x4xi8>
// EMU: linalg.generic {{.+}} ins(%[[AE]], %[[BE]] : memref<16x16x4xi8>, memref<16x16x4xi8>) outs(%[[IT]] : memref<16x16xi32>)
// EMU: arith.extsi %{{.+}} : i8 to i32
// EMU: arith.extsi %{{.+}} : i8 to i32
// EMU: arith.muli
// EMU: arith.addi
// EMU: scf.yield %[[IT]] : memref<16x16xi32>
// EMU: linalg.copy ins(%{{.+}} : memref<16x16xi32>) outs(%{{.+}} : memref<16x16xi32, strided<[32, 1], offset: ?>>)
// EMU-NOT: amx.
// EMU-NOT: global_ctors
func.func @tiles(%a: memref<32x128xi8>, %b: memref<32x64xi8>, %c: memref<32x32xi32>, %i: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c64 = arith.constant 64 : index
  %z = amx.tile_zero : !amx.tile<16x16xi32>
  %r = scf.for %k = %c0 to %c2 step %c1 iter_args(%acc = %z) -> (!amx.tile<16x16xi32>) {
    %kb = arith.muli %k, %c64 : index
    %ta = amx.tile_load %a[%i, %kb] : memref<32x128xi8> into !amx.tile<16x64xi8>
    %tb = amx.tile_load %b[%kb, %c0] : memref<32x64xi8> into !amx.tile<16x64xi8>
    %n = amx.tile_muli %ta, %tb, %acc : !amx.tile<16x64xi8>, !amx.tile<16x64xi8>, !amx.tile<16x16xi32>
    scf.yield %n : !amx.tile<16x16xi32>
  }
  amx.tile_store %c[%i, %i], %r : memref<32x32xi32>, !amx.tile<16x16xi32>
  return
}

// -----

// Unsigned left operand (tdpbusd): zero-extended in the emulation.
// EMU-LABEL: func.func @unsigned_lhs
// EMU: arith.extui %{{.+}} : i8 to i32
// EMU: arith.extsi %{{.+}} : i8 to i32
func.func @unsigned_lhs(%a: memref<16x64xi8>, %c: memref<16x16xi32>) {
  %c0 = arith.constant 0 : index
  %z = amx.tile_zero : !amx.tile<16x16xi32>
  %ta = amx.tile_load %a[%c0, %c0] : memref<16x64xi8> into !amx.tile<16x64xi8>
  %n = amx.tile_muli %ta zext, %ta, %z : !amx.tile<16x64xi8>, !amx.tile<16x64xi8>, !amx.tile<16x16xi32>
  amx.tile_store %c[%c0, %c0], %n : memref<16x16xi32>, !amx.tile<16x16xi32>
  return
}


// -----

// A streamed operand's tile load (intq.stream) becomes tileloaddt1 on the
// element's address (offset + row * 128 + column) with the row stride in
// bytes; a cast back to a tile feeds the AMX op, whose conversion cancels
// it. The unmarked load stays. Emulated, the hint is dropped.
// CHECK-LABEL: func.func @streamed
// CHECK: %[[BASE:.+]], %[[OFF:.+]], %{{.+}}:2, %[[STRIDES:.+]]:2 = memref.extract_strided_metadata %arg1
// CHECK: %[[R:.+]] = arith.muli %arg2, %[[STRIDES]]#0 : index
// CHECK: %[[O1:.+]] = arith.addi %[[OFF]], %[[R]] : index
// CHECK: %[[C:.+]] = arith.muli %arg3, %[[STRIDES]]#1 : index
// CHECK: %[[O2:.+]] = arith.addi %[[O1]], %[[C]] : index
// CHECK: %[[P:.+]] = memref.extract_aligned_pointer_as_index %arg1
// CHECK: %[[A:.+]] = arith.addi %[[P]], %[[O2]] : index
// CHECK: %[[A64:.+]] = arith.index_cast %[[A]] : index to i64
// CHECK: %[[PTR:.+]] = llvm.inttoptr %[[A64]] : i64 to !llvm.ptr
// CHECK-DAG: %[[ROWS:.+]] = llvm.mlir.constant(16 : i16) : i16
// CHECK-DAG: %[[BYTES:.+]] = llvm.mlir.constant(64 : i16) : i16
// CHECK-DAG: %[[S64:.+]] = arith.index_cast %[[STRIDES]]#0 : index to i64
// CHECK: %[[T:.+]] = llvm.call_intrinsic "llvm.x86.tileloaddt164.internal"(%[[ROWS]], %[[BYTES]], %[[PTR]], %[[S64]]) : (i16, i16, !llvm.ptr, i64) -> !llvm.x86_amx
// CHECK: %[[TILE:.+]] = builtin.unrealized_conversion_cast %[[T]] : !llvm.x86_amx to !amx.tile<16x64xi8>
// CHECK: %[[PLAIN:.+]] = amx.tile_load %arg0
// CHECK: amx.tile_muli %[[PLAIN]], %[[TILE]]
// EMU-LABEL: func.func @streamed
// EMU-NOT: tileloaddt1
// EMU-NOT: intq.stream
// EMU-NOT: amx.
// EMU: return
func.func @streamed(%a: memref<16x64xi8>, %b: memref<64x128xi8>, %i: index, %j: index, %c: memref<16x16xi32>) {
  %c0 = arith.constant 0 : index
  %z = amx.tile_zero : !amx.tile<16x16xi32>
  %tb = amx.tile_load %b[%i, %j] {intq.stream} : memref<64x128xi8> into !amx.tile<16x64xi8>
  %ta = amx.tile_load %a[%c0, %c0] : memref<16x64xi8> into !amx.tile<16x64xi8>
  %n = amx.tile_muli %ta, %tb, %z : !amx.tile<16x64xi8>, !amx.tile<16x64xi8>, !amx.tile<16x16xi32>
  amx.tile_store %c[%c0, %c0], %n : memref<16x16xi32>, !amx.tile<16x16xi32>
  return
}
