# Finding a JDK new enough for vNetTracer; sourced by ./vnettracer, scripts/setup and scripts/test.
#
#   vnt_find_jdk      sets VNT_JAVA_HOME to $JAVA_HOME if that is a JDK >= VNT_MIN_JDK, else to the
#                     newest such JDK under VNT_JVM_ROOT; otherwise prints where it looked and what
#                     it found there to stderr and returns 1.
#   vnt_maven_opts    prints MAVEN_OPTS for running Maven on that JDK.
#
# VNT_JVM_ROOT (default /usr/lib/jvm) is where distributions and Temurin's packages install JDKs;
# tests point it elsewhere.

VNT_MIN_JDK=25
VNT_JVM_ROOT=${VNT_JVM_ROOT:-/usr/lib/jvm}

# The JAVA_VERSION a JDK's `release` file declares (e.g. 25.0.3), or nothing.
vnt_jdk_version() {
    local release=$1/release
    [[ -r $release ]] || return 0
    sed -n 's/^JAVA_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$release" | head -n 1
}

# The feature release of a version string: 25.0.3 -> 25, 1.8.0_402 -> 8.
vnt_feature_version() {
    local v=$1
    [[ $v == 1.* ]] && v=${v#1.}
    v=${v%%[^0-9]*}
    echo "${v:-0}"
}

# Why $1 is not a usable JDK (one line), or nothing when it is.
vnt_jdk_problem() {
    local dir=$1 version
    [[ -d $dir ]] || { echo "no such directory"; return; }
    version=$(vnt_jdk_version "$dir")
    [[ -n $version ]] || { echo "no release file with JAVA_VERSION"; return; }
    if (( $(vnt_feature_version "$version") < VNT_MIN_JDK )); then
        echo "version $version, older than $VNT_MIN_JDK"; return
    fi
    [[ -x $dir/bin/java ]] || { echo "version $version but no bin/java"; return; }
    [[ -x $dir/bin/javac ]] || { echo "version $version but no bin/javac (a JRE, not a JDK)"; return; }
}

# Whether version $1 sorts after $2 (25.0.10 after 25.0.9).
vnt_newer() {
    [[ $1 != "$2" && $(printf '%s\n%s\n' "$1" "$2" | sort -V | tail -n 1) == "$1" ]]
}

vnt_find_jdk() {
    VNT_JAVA_HOME=
    local report=() problem dir version best= best_version=
    if [[ -n ${JAVA_HOME:-} ]]; then
        problem=$(vnt_jdk_problem "$JAVA_HOME")
        if [[ -z $problem ]]; then
            VNT_JAVA_HOME=$JAVA_HOME
            return 0
        fi
        report+=("  JAVA_HOME=$JAVA_HOME: $problem")
    else
        report+=("  JAVA_HOME: not set")
    fi
    for dir in "$VNT_JVM_ROOT"/*; do
        [[ -d $dir ]] || continue
        problem=$(vnt_jdk_problem "$dir")
        if [[ -n $problem ]]; then
            report+=("  $dir: $problem")
            continue
        fi
        version=$(vnt_jdk_version "$dir")
        report+=("  $dir: version $version")
        if [[ -z $best ]] || vnt_newer "$version" "$best_version"; then
            best=$dir
            best_version=$version
        fi
    done
    if [[ -n $best ]]; then
        VNT_JAVA_HOME=$best
        return 0
    fi
    [[ ${#report[@]} -gt 1 ]] || report+=("  $VNT_JVM_ROOT: no JDKs installed there")
    {
        echo "vNetTracer needs a JDK $VNT_MIN_JDK or newer, and found none. Looked at:"
        printf '%s\n' "${report[@]}"
        echo "Install one (e.g. Eclipse Temurin $VNT_MIN_JDK from https://adoptium.net) under $VNT_JVM_ROOT,"
        echo "or set JAVA_HOME to a JDK $VNT_MIN_JDK+."
    } >&2
    return 1
}

# Maven 3.8's bundled Guava calls sun.misc.Unsafe, which JDK 24+ warns about on every build.
vnt_maven_opts() {
    local opts=${MAVEN_OPTS:-}
    [[ $opts == *--sun-misc-unsafe-memory-access* ]] || opts="$opts --sun-misc-unsafe-memory-access=allow"
    echo "${opts# }"
}
