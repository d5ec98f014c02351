#!/usr/bin/env bash
# Installs DuckDB's C library once into a cached prefix that CMake finds (MAAS_DUCKDB_PREFIX): libduckdb.so from the
# npm package @duckdb/node-bindings-linux-x64 (a release build with the parquet, json and icu extensions linked in)
# and duckdb.h from the source that the npm package duckdb carries. Both are pinned below to the same DuckDB release;
# the build checks at test time that header and library agree (duckdb_library_version). Idempotent: a present
# prefix is left alone.
#
#   scripts/duckdb.sh            install (or find) the prefix, print its path
#   scripts/duckdb.sh --prefix   print the prefix path only, install nothing
set -euo pipefail

DUCKDB_VERSION=1.4.4
# The bindings package is versioned <duckdb version>-r.<n>; r.4 is the release built from DuckDB v1.4.4.
BINDINGS_VERSION=1.4.4-r.4
HEADER_PACKAGE_VERSION=1.4.4
# npm's sha512 integrity of each tarball (npm view <pkg>@<version> dist.integrity): a changed package cannot slip in.
BINDINGS_INTEGRITY='sha512-jBTL/WvfwxLToFa/pVHfT6elMtltJGnc3wSuxZD9OfMltit9YUdVFS37vBFQzXMT1Z8OWjtSjMh+zPKxOwHLHA=='
HEADER_INTEGRITY='sha512-hEJJ5hyVF0VLj3dmOLpsWrQR0b3d4Ykqtygm6iUXjHJDDnSqg/USKxcb5qvNrOhFYPgktayU6dXCtgPqcmmpog=='

CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/maas"
PREFIX="${CACHE_ROOT}/duckdb-${DUCKDB_VERSION}"

if [ "${1:-}" = "--prefix" ]; then echo "$PREFIX"; exit 0; fi
if [ -f "$PREFIX/.complete" ]; then
  echo "duckdb: present at $PREFIX"
  exit 0
fi

mkdir -p "$CACHE_ROOT"
WORK="$(mktemp -d "$CACHE_ROOT/duckdb-install.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# Fetches <package>@<version> into the cache (once) and checks its integrity; prints the tarball's path.
fetch() {
  local package="$1" version="$2" integrity="$3"
  local file_name
  file_name="$(echo "${package#@}" | tr '/' '-')-${version}.tgz"
  local tarball="$CACHE_ROOT/$file_name"
  if [ ! -f "$tarball" ]; then
    echo "duckdb: npm pack ${package}@${version}" >&2
    (cd "$WORK" && npm pack --silent "${package}@${version}" >/dev/null)
    mv "$WORK/$file_name" "$tarball"
  fi
  local actual
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [ "$actual" != "$integrity" ]; then
    echo "duckdb: $tarball has integrity $actual, expected $integrity" >&2
    rm -f "$tarball"
    exit 1
  fi
  echo "$tarball"
}

bindings="$(fetch @duckdb/node-bindings-linux-x64 "$BINDINGS_VERSION" "$BINDINGS_INTEGRITY")"
header="$(fetch duckdb "$HEADER_PACKAGE_VERSION" "$HEADER_INTEGRITY")"

tar -xzf "$bindings" -C "$WORK" package/libduckdb.so
mkdir -p "$WORK/header"
tar -xzf "$header" -C "$WORK/header" package/src/duckdb/src/include/duckdb.h

STAGE="$PREFIX.tmp"
rm -rf "$STAGE"
mkdir -p "$STAGE/include" "$STAGE/lib"
cp "$WORK/header/package/src/duckdb/src/include/duckdb.h" "$STAGE/include/"
cp "$WORK/package/libduckdb.so" "$STAGE/lib/"
echo "$DUCKDB_VERSION" >"$STAGE/VERSION"
touch "$STAGE/.complete"
rm -rf "$PREFIX"
mv "$STAGE" "$PREFIX"
echo "duckdb: installed at $PREFIX"
