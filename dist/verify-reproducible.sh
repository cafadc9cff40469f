#!/bin/sh
# Reproducible-build check: builds the distribution twice, each from a clean `git archive` of one
# commit in its own temporary directory, offline, and compares the SHA-256 of the tarball, its SBOM
# and every module jar. Exit 0 when all are identical, 1 when something differs (listing it), 2 on
# a build failure.
#   dist/verify-reproducible.sh [COMMIT]        (default HEAD; needs git, mvn, sha256sum; ~/.m2 filled,
#                                               e.g. by a previous `mvn -B verify`)
# Environment: FLEETVAULT_REPRO_ONLINE=1 builds without -o; KEEP=1 keeps the two trees.
# It runs `mvn package` only: nothing is installed into ~/.m2.
set -eu

rev=${1:-HEAD}
root=$(cd "$(dirname "$0")/.." && pwd -P)
commit=$(git -C "$root" rev-parse --verify "$rev^{commit}")
work=$(mktemp -d "${TMPDIR:-/tmp}/fleetvault-repro.XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
offline=-o
[ "${FLEETVAULT_REPRO_ONLINE:-0}" = 1 ] && offline=

echo "== reproducible build check of $commit in $work"
start=$(date +%s)
for n in 1 2; do
  mkdir -p "$work/$n"
  git -C "$root" archive --format=tar "$commit" | tar -x -C "$work/$n"
  echo "== build $n: mvn $offline -B -q package -DskipTests -pl dist -am"
  if ! (cd "$work/$n" && mvn $offline -B -q -Dstyle.color=never package -DskipTests -pl dist -am \
        >"$work/build-$n.log" 2>&1); then
    echo "build $n failed:" >&2
    tail -n 60 "$work/build-$n.log" >&2
    exit 2
  fi
  # Everything a release ships: the tarball, its SBOM, and each module's jars.
  (cd "$work/$n" && find . -path '*/target/*' ! -path '*/target/*/*' \
      \( -name '*.jar' -o -name '*.tar.gz' -o -name '*.cdx.json' \) -type f | LC_ALL=C sort | xargs sha256sum) >"$work/sums-$n.txt"
done
end=$(date +%s)

tarball=$(grep 'dist/target/fleetvault-.*\.tar\.gz$' "$work/sums-1.txt" || true)
[ -n "$tarball" ] || { echo "no distribution tarball was built" >&2; exit 2; }
echo "== build 1: $tarball"
echo "== build 2: $(grep 'dist/target/fleetvault-.*\.tar\.gz$' "$work/sums-2.txt" || true)"
echo "== $(wc -l <"$work/sums-1.txt") artifacts compared; both builds took $((end - start)) s"
[ -n "$offline" ] && echo "== (the SBOM is not among them: cyclonedx makeBom runs only online; FLEETVAULT_REPRO_ONLINE=1 includes it)"
if cmp -s "$work/sums-1.txt" "$work/sums-2.txt"; then
  echo "== reproducible: every artifact is identical"
  exit 0
fi
echo "== NOT reproducible; differing artifacts:" >&2
diff "$work/sums-1.txt" "$work/sums-2.txt" >&2 || true
exit 1
