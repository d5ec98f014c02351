#!/usr/bin/env bash
# Builds llama.cpp (CPU) once into a cached prefix that CMake finds (MAAS_LLAMA_PREFIX). The source is the release
# that the npm package node-llama-cpp ships as llama/gitRelease.bundle; the package version is pinned below and the
# llama.cpp commit it carries is recorded in docs/DEPENDENCIES.md. Idempotent: what the prefix holds is not rebuilt.
#
#   scripts/llama.sh            build (or find) what maas builds against: the libraries (llama, ggml and common: chat
#                               templates, tool-call parsing, JSON schema to grammar), headers and vocab files
#   scripts/llama.sh --server   the same, plus llama-server: bench/llm's peer, which no test uses (a third of the
#                               build: its own common, mtmd and server libraries)
#   scripts/llama.sh --quantize the same, plus llama-quantize: the reference that the compress.gguf test compares
#                               maas's quantization with (links llama.cpp's common library)
#   scripts/llama.sh --prefix   print the prefix path only, build nothing
set -euo pipefail

NODE_LLAMA_CPP_VERSION=3.21.1
# The commit inside that package's bundle; checked after cloning so a changed package cannot slip through.
LLAMA_COMMIT=80fb11ac73e66d89eae2c6a91d8a77428fa733ed

CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/maas"
PREFIX="${CACHE_ROOT}/llama.cpp-${LLAMA_COMMIT:0:12}"

WANT_SERVER=0
WANT_QUANTIZE=0
case "${1:-}" in
  --prefix) echo "$PREFIX"; exit 0 ;;
  --server) WANT_SERVER=1 ;;
  --quantize) WANT_QUANTIZE=1 ;;
  "") ;;
  *) echo "usage: scripts/llama.sh [--server | --quantize | --prefix]" >&2; exit 2 ;;
esac

# A prefix made before common was part of it (.complete, no llama-common/) is completed in place.
has_common() { [ -f "$PREFIX/include/llama-common/chat.h" ] && [ -e "$PREFIX/lib/libllama-common.so" ]; }
present() {
  [ -f "$PREFIX/.complete" ] && has_common && { [ "$WANT_SERVER" = 0 ] || [ -x "$PREFIX/bin/llama-server" ]; } &&
    { [ "$WANT_QUANTIZE" = 0 ] || [ -x "$PREFIX/bin/llama-quantize" ]; }
}
if present; then
  echo "llama: present at $PREFIX"
  exit 0
fi

mkdir -p "$CACHE_ROOT"
# One build at a time per machine (checkouts side by side share the prefix); the loser finds the winner's prefix.
exec 9>"$CACHE_ROOT/llama.lock"
flock 9
if present; then
  echo "llama: present at $PREFIX"
  exit 0
fi

JOBS="${LLAMA_JOBS:-$(nproc)}"
# A fixed build path, so that a later --server build hits ccache for the libraries built now.
WORK="$CACHE_ROOT/llama-build-${LLAMA_COMMIT:0:12}"
rm -rf "$WORK"
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

TARBALL="$CACHE_ROOT/node-llama-cpp-${NODE_LLAMA_CPP_VERSION}.tgz"
if [ ! -f "$TARBALL" ]; then
  echo "llama: npm pack node-llama-cpp@${NODE_LLAMA_CPP_VERSION}"
  (cd "$WORK" && npm pack --silent "node-llama-cpp@${NODE_LLAMA_CPP_VERSION}" >/dev/null)
  mv "$WORK/node-llama-cpp-${NODE_LLAMA_CPP_VERSION}.tgz" "$TARBALL"
fi

tar -xzf "$TARBALL" -C "$WORK" package/llama/gitRelease.bundle
git clone -q "$WORK/package/llama/gitRelease.bundle" "$WORK/src" 2>/dev/null
actual="$(git -C "$WORK/src" rev-parse HEAD)"
if [ "$actual" != "$LLAMA_COMMIT" ]; then
  echo "llama: the bundle holds $actual, expected $LLAMA_COMMIT (update LLAMA_COMMIT and docs/DEPENDENCIES.md)" >&2
  exit 1
fi

TARGETS=(llama llama-common)
if [ "$WANT_SERVER" = 1 ]; then TARGETS+=(llama-server); fi
if [ "$WANT_QUANTIZE" = 1 ]; then TARGETS+=(llama-quantize); fi
echo "llama: building ${TARGETS[*]} of llama.cpp ${LLAMA_COMMIT:0:12} with $JOBS jobs (a few minutes)"
# Shared libraries so the gguf backend plugin and the GGUF tool (and llama-server) use one copy; no network at build time
# (no prebuilt web UI, no OpenSSL downloads); only the targets asked for are built.
cmake -S "$WORK/src" -B "$WORK/build" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON \
  -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_SERVER=ON \
  -DLLAMA_BUILD_APP=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF \
  -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON "-DCMAKE_INSTALL_RPATH=\$ORIGIN/../lib;\$ORIGIN" \
  -DGGML_NATIVE=ON -DGGML_OPENMP=OFF -DGGML_BACKEND_DL=OFF >"$WORK/configure.log" 2>&1 \
  || { cat "$WORK/configure.log" >&2; exit 1; }
cmake --build "$WORK/build" -j "$JOBS" --target "${TARGETS[@]}"

# common's headers go under include/llama-common/ (include/common/ would shadow maas's own src/common/ headers); their
# own includes are relative (jinja/, json.h). common_json keeps its nlohmann behind a pimpl, so maas's nlohmann
# (Debian's) and common's (vendored, another inline ABI namespace) never meet in a header.
install_common_headers() {
  mkdir -p "$1/include/llama-common.tmp/jinja"
  cp "$WORK/src/common/"*.h "$1/include/llama-common.tmp/"
  cp "$WORK/src/common/jinja/"*.h "$1/include/llama-common.tmp/jinja/"
  rm -rf "$1/include/llama-common"
  mv "$1/include/llama-common.tmp" "$1/include/llama-common"
}
if [ ! -f "$PREFIX/.complete" ]; then
  STAGE="$PREFIX.tmp"
  rm -rf "$STAGE"
  mkdir -p "$STAGE/include" "$STAGE/lib" "$STAGE/bin" "$STAGE/models"
  cp "$WORK/src/include/"*.h "$WORK/src/ggml/include/"*.h "$STAGE/include/"
  install_common_headers "$STAGE"
  find "$WORK/build/bin" "$WORK/build" -maxdepth 3 -name 'lib*.so*' -exec cp -a {} "$STAGE/lib/" \;
  # Vocab-only GGUF files: the tiny test models take their tokenizer from one of them.
  cp "$WORK/src/models/ggml-vocab-llama-spm.gguf" "$STAGE/models/"
  echo "$LLAMA_COMMIT" >"$STAGE/COMMIT"
  touch "$STAGE/.complete"
  rm -rf "$PREFIX"
  mv "$STAGE" "$PREFIX"
fi
if ! has_common; then
  # An older prefix: add common beside what is there (running workers map the libraries already in it).
  find "$WORK/build/bin" "$WORK/build" -maxdepth 3 -name 'libllama-common.so*' -exec cp -an {} "$PREFIX/lib/" \;
  install_common_headers "$PREFIX"
fi
for tool in llama-server llama-quantize; do
  [ -x "$WORK/build/bin/$tool" ] || continue
  # The libraries in the prefix stay as they are (running workers map them); only the tool's own are added.
  find "$WORK/build/bin" "$WORK/build" -maxdepth 3 -name 'lib*.so*' -exec cp -an {} "$PREFIX/lib/" \;
  cp "$WORK/build/bin/$tool" "$PREFIX/bin/$tool.tmp"
  mv "$PREFIX/bin/$tool.tmp" "$PREFIX/bin/$tool"
done
echo "llama: installed at $PREFIX"
