# schema/thrift.cmake: turns schema/*.thrift into code. C (c_glib) goes into
# ${CMAKE_BINARY_DIR}/gen-c_glib and becomes the static library
# propolis_thrift_gen, built with its own quiet flags (generated code is not
# ours to make warning-free); Python goes into ${CMAKE_BINARY_DIR}/gen-py for
# the integration tests (target propolis_gen_py). Included from the top
# CMakeLists.txt, which has found THRIFT_EXECUTABLE and PkgConfig::DEPS.

set(PROPOLIS_THRIFT_DIR ${CMAKE_CURRENT_LIST_DIR})
set(PROPOLIS_THRIFT_FILES
  ${PROPOLIS_THRIFT_DIR}/fb303.thrift
  ${PROPOLIS_THRIFT_DIR}/hive_metastore.thrift)

set(PROPOLIS_GEN_C_DIR ${CMAKE_BINARY_DIR}/gen-c_glib)
set(PROPOLIS_GEN_PY_DIR ${CMAKE_BINARY_DIR}/gen-py)

set(PROPOLIS_GEN_C_SOURCES
  ${PROPOLIS_GEN_C_DIR}/fb303_types.c
  ${PROPOLIS_GEN_C_DIR}/facebook_service.c
  ${PROPOLIS_GEN_C_DIR}/hive_metastore_types.c
  ${PROPOLIS_GEN_C_DIR}/thrift_hive_metastore.c
  ${PROPOLIS_GEN_C_DIR}/propolis_gen_init.c)
set(PROPOLIS_GEN_C_HEADERS
  ${PROPOLIS_GEN_C_DIR}/fb303_types.h
  ${PROPOLIS_GEN_C_DIR}/facebook_service.h
  ${PROPOLIS_GEN_C_DIR}/hive_metastore_types.h
  ${PROPOLIS_GEN_C_DIR}/thrift_hive_metastore.h)

# The generator's mistakes (a type cycle, a misspelt macro, finalizers that never chain up,
# unlocked type registration) are repaired by patch-generated.sh, which also writes
# propolis_gen_init.c; see that script.
add_custom_command(
  OUTPUT ${PROPOLIS_GEN_C_SOURCES} ${PROPOLIS_GEN_C_HEADERS}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROPOLIS_GEN_C_DIR}
  COMMAND ${THRIFT_EXECUTABLE} --gen c_glib -out ${PROPOLIS_GEN_C_DIR} ${PROPOLIS_THRIFT_DIR}/fb303.thrift
  COMMAND ${THRIFT_EXECUTABLE} --gen c_glib -out ${PROPOLIS_GEN_C_DIR} ${PROPOLIS_THRIFT_DIR}/hive_metastore.thrift
  COMMAND sh ${PROPOLIS_THRIFT_DIR}/patch-generated.sh ${PROPOLIS_GEN_C_DIR}
  DEPENDS ${PROPOLIS_THRIFT_FILES} ${PROPOLIS_THRIFT_DIR}/patch-generated.sh
  COMMENT "Generating C (c_glib) from schema/*.thrift"
  VERBATIM)

add_library(propolis_thrift_gen STATIC ${PROPOLIS_GEN_C_SOURCES})
target_include_directories(propolis_thrift_gen PUBLIC ${PROPOLIS_GEN_C_DIR} ${CMAKE_BINARY_DIR})
target_link_libraries(propolis_thrift_gen PUBLIC PkgConfig::DEPS)
# -w: the generated code has unused variables and the like; none of it is ours.
# Without -Werror, whatever the parent adds. Sanitizers are left to the parent's
# global flags (the library links either way).
# -O1 -g0: 14 MB of generated C compiles in a fraction of the -O2 -g time, and its
# read/write loops gain little past -O1. Sanitizers stay off here (not our code; the
# instrumented build took minutes); our code calling it is still instrumented.
target_compile_options(propolis_thrift_gen PRIVATE -w -Wno-error -O1 -g0
  $<$<BOOL:${PROPOLIS_SANITIZE}>:-fno-sanitize=all>)
set_target_properties(propolis_thrift_gen PROPERTIES C_CLANG_TIDY "" POSITION_INDEPENDENT_CODE ON)

set(PROPOLIS_GEN_PY_STAMP ${PROPOLIS_GEN_PY_DIR}/.stamp)
add_custom_command(
  OUTPUT ${PROPOLIS_GEN_PY_STAMP}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROPOLIS_GEN_PY_DIR}
  COMMAND ${THRIFT_EXECUTABLE} --gen py -out ${PROPOLIS_GEN_PY_DIR} ${PROPOLIS_THRIFT_DIR}/fb303.thrift
  COMMAND ${THRIFT_EXECUTABLE} --gen py -out ${PROPOLIS_GEN_PY_DIR} ${PROPOLIS_THRIFT_DIR}/hive_metastore.thrift
  COMMAND ${CMAKE_COMMAND} -E touch ${PROPOLIS_GEN_PY_STAMP}
  DEPENDS ${PROPOLIS_THRIFT_FILES}
  COMMENT "Generating Python from schema/*.thrift"
  VERBATIM)
add_custom_target(propolis_gen_py ALL DEPENDS ${PROPOLIS_GEN_PY_STAMP})
