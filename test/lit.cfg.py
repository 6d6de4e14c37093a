# -*- Python -*-
# lit configuration for intq: Dialect/, Passes/, Plugin/, CAPI/, Install/,
# E2E/, unit/, docs.

import os
import re
import shlex
import shutil

import lit.formats
from lit.llvm import llvm_config

config.name = "INTQ"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]  # CAPI/ adds ".c"
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.intq_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py.in",
                   "Inputs", "ref"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%intq_src", config.intq_src_root))
config.substitutions.append(("%intq_obj", config.intq_obj_root))
config.substitutions.append(("%python", config.python_executable))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

# Tools: the build's own first, then LLVM 22's (never the LLVM 14 on PATH).
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.intq_tools_dir, append_path=True)
tool_dirs = [config.intq_tools_dir, config.llvm_tools_dir]
tools = ["intq-opt", "intq-compile", "intq-import-onnx", "intq-import-onnx-fuzzer", "intq-codegen-fuzzer", "intq-ptq-fuzzer", "intq-run", "intq-calibrate", "intq-unittests", "intq-e2e-ref", "intq-demo", "intq-capi-test"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# Plugin/: Debian's own mlir-opt (never a build's) loading the intq plugin.
llvm_config.add_tool_substitutions(["mlir-opt"], [config.llvm_tools_dir])
config.substitutions.append(("%intq_plugin", config.intq_plugin))

# Install/: `%cmake --install %intq_obj --prefix ...`, then a consumer project
# configured with %consumer_cmake_flags: the generator, compilers, flags and
# linker this build uses.
config.substitutions.append(("%cmake", config.cmake))
exe_linker_flags = config.exe_linker_flags
if config.llvm_use_linker:
    exe_linker_flags += " -fuse-ld=" + config.llvm_use_linker
consumer_cmake_flags = [
    "-G", config.cmake_generator,
    "-DCMAKE_MAKE_PROGRAM=" + config.make_program,
    "-DCMAKE_C_COMPILER=" + config.c_compiler,
    "-DCMAKE_CXX_COMPILER=" + config.cxx_compiler,
    "-DCMAKE_C_FLAGS=" + config.c_flags,
    "-DCMAKE_CXX_FLAGS=" + config.cxx_flags,
    "-DCMAKE_EXE_LINKER_FLAGS=" + exe_linker_flags.strip(),
]
config.substitutions.append(
    ("%consumer_cmake_flags", " ".join(shlex.quote(f) for f in consumer_cmake_flags)))

# Compilers for linking generated objects with test harnesses.
# %cc-x86_64 runs on this host; %cc-aarch64 cross-links static AArch64
# executables that %run-aarch64 runs under qemu-user.
config.substitutions.append(("%cc-x86_64", config.host_cc + " -O2"))
if config.aarch64_cc and config.qemu_aarch64:
    config.available_features.add("aarch64-qemu")
    config.substitutions.append(
        ("%cc-aarch64", config.aarch64_cc + " -O2 -static"))
    config.substitutions.append(
        ("%run-aarch64", config.qemu_aarch64 + " -L /usr/aarch64-linux-gnu"))

# The host can run the x86-amx kernels on tiles (Linux grants the tile data
# state to the objects' initializer on these CPUs).
try:
    with open("/proc/cpuinfo") as f:
        if re.search(r"^flags\s*:.*\bamx_int8\b", f.read(), re.M):
            config.available_features.add("amx-host")
except OSError:
    pass

# A sanitizer build (./intq test-sanitizers, build-asan) has instrumented
# libraries: tests that load them into an uninstrumented host (Debian's
# mlir-opt with the plugin) or link them with plain flags (the guide, the
# install consumer) do not apply there.
try:
    with open(os.path.join(config.intq_obj_root, "CMakeCache.txt")) as f:
        if re.search(r"^CMAKE_CXX_FLAGS:STRING=.*-fsanitize=", f.read(), re.M):
            config.available_features.add("intq-sanitizers")
except OSError:
    pass
