# Sourced by ./demo and ./tarn-shell: prints the class path of lake-examples (which depends on every Tarn module),
# building first when the build is missing or older than any source or pom. Build logs go to stderr.
tarn_examples_classpath() {
  local root="$1" nobuild="${2:-}"
  local cpfile="$root/lake-examples/target/classpath.txt"
  if [[ -z "$nobuild" ]]; then
    local stale=""
    if [[ ! -f "$cpfile" ]]; then
      stale=yes
    else
      stale=$(cd "$root" && find . \( -path '*/target' -o -path './.git' \) -prune -o \
        \( -path '*/src/main/*' -o -name pom.xml \) -type f -newer "$cpfile" -print -quit)
    fi
    if [[ -n "$stale" ]]; then
      echo "building Tarn (first run takes a minute or two)..." >&2
      (cd "$root" && mvn -B -q -Dstyle.color=never -pl lake-examples -am package -DskipTests) >&2 \
        || { echo "build failed; run 'mvn -pl lake-examples -am package' to see why" >&2; return 1; }
      touch "$cpfile"
    fi
  fi
  if [[ ! -f "$cpfile" ]]; then
    echo "no build found at $cpfile; run without --no-build" >&2
    return 1
  fi
  printf '%s:%s' "$root/lake-examples/target/classes" "$(cat "$cpfile")"
}
