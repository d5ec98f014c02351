# llama.cpp, built by scripts/llama.sh into a cached prefix (include/, lib/, bin/llama-server, models/). Point
# MAAS_LLAMA_PREFIX at another prefix laid out the same way to use another build. Without it the gguf backend,
# the gguf backend plugin and the GGUF tool are not built, and their tests skip.
execute_process(COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/llama.sh --prefix
                OUTPUT_VARIABLE MAAS_LLAMA_DEFAULT_PREFIX OUTPUT_STRIP_TRAILING_WHITESPACE)
set(MAAS_LLAMA_PREFIX "${MAAS_LLAMA_DEFAULT_PREFIX}" CACHE PATH "llama.cpp install prefix (scripts/llama.sh builds one)")

find_path(MAAS_LLAMA_INCLUDE_DIR llama.h PATHS ${MAAS_LLAMA_PREFIX}/include NO_DEFAULT_PATH)
find_library(MAAS_LLAMA_LIB llama PATHS ${MAAS_LLAMA_PREFIX}/lib NO_DEFAULT_PATH)
find_library(MAAS_GGML_LIB ggml PATHS ${MAAS_LLAMA_PREFIX}/lib NO_DEFAULT_PATH)
find_library(MAAS_GGML_BASE_LIB ggml-base PATHS ${MAAS_LLAMA_PREFIX}/lib NO_DEFAULT_PATH)

if(MAAS_LLAMA_INCLUDE_DIR AND MAAS_LLAMA_LIB AND MAAS_GGML_LIB AND MAAS_GGML_BASE_LIB)
  set(MAAS_HAVE_LLAMA ON)
  add_library(maas_llama INTERFACE IMPORTED)
  # llama.h is a third-party header: its warnings are not ours to fix.
  set_target_properties(maas_llama PROPERTIES
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES ${MAAS_LLAMA_INCLUDE_DIR}
    INTERFACE_INCLUDE_DIRECTORIES ${MAAS_LLAMA_INCLUDE_DIR}
    INTERFACE_LINK_LIBRARIES "${MAAS_LLAMA_LIB};${MAAS_GGML_LIB};${MAAS_GGML_BASE_LIB}")
  set(CMAKE_BUILD_RPATH "${CMAKE_BUILD_RPATH};${MAAS_LLAMA_PREFIX}/lib")
  message(STATUS "llama.cpp: ${MAAS_LLAMA_PREFIX}")
else()
  set(MAAS_HAVE_LLAMA OFF)
  message(STATUS "llama.cpp: not found under '${MAAS_LLAMA_PREFIX}' (run scripts/llama.sh); the gguf backend is not built")
endif()

# llama.cpp's common library (chat templates through jinja, tool-call grammars and parsers, JSON schema to grammar):
# the gguf backend plugin links it, nothing else does.
if(MAAS_HAVE_LLAMA)
  find_path(MAAS_LLAMA_COMMON_INCLUDE_DIR llama-common/chat.h PATHS ${MAAS_LLAMA_PREFIX}/include NO_DEFAULT_PATH)
  find_library(MAAS_LLAMA_COMMON_LIB llama-common PATHS ${MAAS_LLAMA_PREFIX}/lib NO_DEFAULT_PATH)
  if(NOT MAAS_LLAMA_COMMON_INCLUDE_DIR OR NOT MAAS_LLAMA_COMMON_LIB)
    message(FATAL_ERROR "llama.cpp's common library is missing under '${MAAS_LLAMA_PREFIX}': run scripts/llama.sh, "
                        "which completes a prefix built before it was part of it")
  endif()
  add_library(maas_llama_common INTERFACE IMPORTED)
  set_target_properties(maas_llama_common PROPERTIES
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES ${MAAS_LLAMA_COMMON_INCLUDE_DIR}
    INTERFACE_INCLUDE_DIRECTORIES ${MAAS_LLAMA_COMMON_INCLUDE_DIR}
    INTERFACE_LINK_LIBRARIES "${MAAS_LLAMA_COMMON_LIB};maas_llama")
endif()
