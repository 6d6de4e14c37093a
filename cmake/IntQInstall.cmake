# The installable package (docs/install.md):
#
#   cmake --install build --prefix <dir>
#
# installs intq's public headers (include/intq/, include/intq-c/) with the
# generated .h.inc they include and the .td files, its static libraries,
# libIntQ-C.so, IntQPlugin.so, the tools, and a CMake package in
# <dir>/lib/cmake/IntQ (IntQConfig.cmake, IntQConfigVersion.cmake, the
# IntQ:: targets), so that another project does
#
#   find_package(IntQ REQUIRED)      # CMAKE_PREFIX_PATH=<dir>
#   target_link_libraries(my-opt PRIVATE IntQ::IntQPasses)
#
# The installed files are the build's: installing builds nothing. Everything
# links Debian's libMLIR.so and libLLVM.so, as in the build tree; a consumer
# links them too (IntQConfig.cmake finds MLIR 22.1 the way intq does).
# examples/consumer is such a consumer, built by test/Install/install.test
# (check-intq builds INTQ_INSTALL_TARGETS first).

include(CMakePackageConfigHelpers)

set(INTQ_INSTALL_PACKAGE_DIR lib/cmake/IntQ)

# intq's static libraries, position independent (so also linkable into a
# plugin or a shared library of the consumer's). The ONNX importer is apart:
# it needs Protobuf and ONNX, which a consumer of the passes need not have
# (the Import component of the package).
set(INTQ_INSTALL_LIBRARIES
  IntQQuant              # fixed-point arithmetic (no MLIR)
  IntQRuntime            # IDX / Fashion-MNIST reader (no MLIR)
  IntQDialect            # the intq dialect, TOSA range models
  IntQCalibration        # calibration methods, probe modules
  IntQPasses             # every intq pass and the pipeline builders
  IntQTarget             # intq-compile and the JIT as library calls
  IntQCalibrationRunner  # calibration driver and --intq-calibrate
  IntQInit               # registerAllIntQDialects / registerAllIntQPasses
)
set(INTQ_INSTALL_TOOLS
  intq-opt intq-compile intq-import-onnx intq-run intq-calibrate)
# Everything installed, which check-intq builds (test/Install installs).
set(INTQ_INSTALL_TARGETS ${INTQ_INSTALL_LIBRARIES} IntQImport IntQ-C
  IntQPlugin ${INTQ_INSTALL_TOOLS})

# LLVM's install RUNPATH is $ORIGIN/../lib alone; Debian's libMLIR.so is
# only in /usr/lib/llvm-22/lib, off the loader's path: keep it, as in the
# build tree.
set_target_properties(${INTQ_INSTALL_TOOLS} IntQ-C IntQPlugin PROPERTIES
  INSTALL_RPATH "\$ORIGIN/../lib;${LLVM_LIBRARY_DIR}")

install(TARGETS ${INTQ_INSTALL_LIBRARIES} IntQ-C IntQPlugin
  EXPORT IntQTargets
  ARCHIVE DESTINATION lib
  LIBRARY DESTINATION lib
  INCLUDES DESTINATION include)
install(TARGETS ${INTQ_INSTALL_TOOLS}
  EXPORT IntQTargets
  RUNTIME DESTINATION bin)
install(TARGETS IntQImport
  EXPORT IntQImportTargets
  ARCHIVE DESTINATION lib
  INCLUDES DESTINATION include)
install(EXPORT IntQTargets
  NAMESPACE IntQ::
  DESTINATION ${INTQ_INSTALL_PACKAGE_DIR})
install(EXPORT IntQImportTargets
  NAMESPACE IntQ::
  DESTINATION ${INTQ_INSTALL_PACKAGE_DIR})

# Headers and ODS, then what TableGen generated from them (the .h.inc the
# headers include; the .cpp.inc are compiled into the libraries already).
install(DIRECTORY include/intq include/intq-c
  DESTINATION include
  FILES_MATCHING PATTERN "*.h" PATTERN "*.td")
install(DIRECTORY ${PROJECT_BINARY_DIR}/include/intq
  DESTINATION include
  FILES_MATCHING PATTERN "*.h.inc"
  PATTERN "CMakeFiles" EXCLUDE)

set(INTQ_MLIR_VERSION "${LLVM_VERSION_MAJOR}.${LLVM_VERSION_MINOR}")
configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/IntQConfig.cmake.in
  ${PROJECT_BINARY_DIR}/lib/cmake/IntQ/IntQConfig.cmake
  INSTALL_DESTINATION ${INTQ_INSTALL_PACKAGE_DIR})
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/lib/cmake/IntQ/IntQConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/lib/cmake/IntQ/IntQConfig.cmake
  ${PROJECT_BINARY_DIR}/lib/cmake/IntQ/IntQConfigVersion.cmake
  DESTINATION ${INTQ_INSTALL_PACKAGE_DIR})
