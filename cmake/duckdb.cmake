# DuckDB's C library, installed by scripts/duckdb.sh into a cached prefix (include/duckdb.h, lib/libduckdb.so). Point
# MAAS_DUCKDB_PREFIX at another prefix laid out the same way to use another build of the same release. The data
# engine (src/data/) needs it: without it configuration stops with the command that installs it.
execute_process(COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/duckdb.sh --prefix
                OUTPUT_VARIABLE MAAS_DUCKDB_DEFAULT_PREFIX OUTPUT_STRIP_TRAILING_WHITESPACE)
set(MAAS_DUCKDB_PREFIX "${MAAS_DUCKDB_DEFAULT_PREFIX}" CACHE PATH "DuckDB install prefix (scripts/duckdb.sh makes one)")
# The release the header and library must both be; a test checks duckdb_library_version() against it.
set(MAAS_DUCKDB_VERSION "1.4.4")

find_path(MAAS_DUCKDB_INCLUDE_DIR duckdb.h PATHS ${MAAS_DUCKDB_PREFIX}/include NO_DEFAULT_PATH)
find_library(MAAS_DUCKDB_LIB duckdb PATHS ${MAAS_DUCKDB_PREFIX}/lib NO_DEFAULT_PATH)
if(NOT MAAS_DUCKDB_INCLUDE_DIR OR NOT MAAS_DUCKDB_LIB)
  message(FATAL_ERROR "DuckDB not found under '${MAAS_DUCKDB_PREFIX}': run scripts/setup.sh (or scripts/duckdb.sh)")
endif()

add_library(maas_duckdb INTERFACE IMPORTED)
# duckdb.h is a third-party header: its warnings are not ours to fix.
set_target_properties(maas_duckdb PROPERTIES
  INTERFACE_SYSTEM_INCLUDE_DIRECTORIES ${MAAS_DUCKDB_INCLUDE_DIR}
  INTERFACE_INCLUDE_DIRECTORIES ${MAAS_DUCKDB_INCLUDE_DIR}
  INTERFACE_LINK_LIBRARIES ${MAAS_DUCKDB_LIB}
  INTERFACE_COMPILE_DEFINITIONS "MAAS_DUCKDB_VERSION=\"v${MAAS_DUCKDB_VERSION}\"")
set(CMAKE_BUILD_RPATH "${CMAKE_BUILD_RPATH};${MAAS_DUCKDB_PREFIX}/lib")
message(STATUS "DuckDB: ${MAAS_DUCKDB_PREFIX}")
