# Building the application jar from a source tree; sourced by ./vnettracer and scripts/package, after
# scripts/lib/jdk.sh and vnt_find_jdk.
#
#   vnt_source_jar ROOT   prints where the build leaves the jar.
#   vnt_build_jar ROOT    builds the jar when it is missing or stale (any main source, resource or pom
#                         newer than it; test sources do not change it); on failure says why on
#                         stderr and returns 1.

vnt_source_jar() {
    echo "$1/cli/target/vnettracer.jar"
}

vnt_jar_is_stale() {
    local root=$1 jar
    jar=$(vnt_source_jar "$root")
    [[ -f $jar ]] || return 0
    [[ -n $(find "$root" \( -name target -o -name .git \) -prune -o \
        \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$jar" -print -quit) ]]
}

vnt_build_jar() {
    local root=$1
    vnt_jar_is_stale "$root" || return 0
    if ! command -v mvn >/dev/null 2>&1; then
        echo "vnettracer: cannot build: Maven (mvn) is not installed; run: sudo $root/scripts/setup" >&2
        return 1
    fi
    if [[ -f $(vnt_source_jar "$root") ]]; then
        echo "rebuilding vNetTracer (sources changed)..." >&2
    else
        echo "building vNetTracer (first run)..." >&2
    fi
    # Maven 3.8 prints colour resets even in batch mode; keep the log readable.
    if ! (set -o pipefail; cd "$root" && JAVA_HOME=$VNT_JAVA_HOME MAVEN_OPTS=$(vnt_maven_opts) \
            mvn -B -q -DskipTests package </dev/null 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' -e '/^$/d' >&2); then
        echo "vnettracer: the build failed (see above); fix it or run: cd $root && mvn -DskipTests package" >&2
        return 1
    fi
}
