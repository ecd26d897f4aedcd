# Installs what callstream's build and tests need on a Debian machine, and finds a JDK >= 21.
# Sourced by ./callstream; every step checks first and does nothing when its part is already there.

CALLSTREAM_PG_MAJOR=15
CALLSTREAM_PG_BIN="/usr/lib/postgresql/${CALLSTREAM_PG_MAJOR}/bin"

log() { printf '[callstream] %s\n' "$*" >&2; }
die() { printf '[callstream] error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root, or, when we are not root, prints it for the user to run and fails.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  else
    die "needs root; run this and try again: sudo $*"
  fi
}

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    log "apt-get update"
    as_root apt-get update -qq >/dev/null || die "apt-get update failed"
    apt_updated=1
  fi
  log "installing $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || die "apt-get install $* failed"
}

has_candidate() {
  apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [0-9]'
}

# Sets JAVA_HOME to a JDK whose feature version is at least 21 (JAVA_HOME first, then /usr/lib/jvm).
find_jdk() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
    if [ -n "$version" ] && [ "$version" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  die "no JDK >= 21 found in JAVA_HOME or /usr/lib/jvm; install one (e.g. Temurin 21 or 25) and set JAVA_HOME"
}

ensure_maven() {
  command -v mvn >/dev/null 2>&1 || apt_install maven
}

ensure_postgres() {
  local pkgs=()
  [ -x "$CALLSTREAM_PG_BIN/initdb" ] || pkgs+=("postgresql-${CALLSTREAM_PG_MAJOR}")
  [ -x "$CALLSTREAM_PG_BIN/pg_config" ] && [ -f "/usr/include/postgresql/${CALLSTREAM_PG_MAJOR}/server/postgres.h" ] \
    || pkgs+=("postgresql-server-dev-${CALLSTREAM_PG_MAJOR}")
  [ ${#pkgs[@]} -eq 0 ] || apt_install "${pkgs[@]}"
}

# pgvector: the Debian binary package when the release has one, otherwise built from Debian's
# source package of the next release (bookworm has none).
ensure_pgvector() {
  local extdir="/usr/share/postgresql/${CALLSTREAM_PG_MAJOR}/extension"
  [ -f "$extdir/vector.control" ] && return 0
  if has_candidate "postgresql-${CALLSTREAM_PG_MAJOR}-pgvector"; then
    apt_install "postgresql-${CALLSTREAM_PG_MAJOR}-pgvector"
    return 0
  fi
  log "no pgvector package for PostgreSQL ${CALLSTREAM_PG_MAJOR}; building it from Debian's source package"
  local src_list=/etc/apt/sources.list.d/callstream-trixie-src.sources
  if [ ! -f "$src_list" ]; then
    as_root tee "$src_list" >/dev/null <<'SOURCES'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
    apt_updated=""
  fi
  command -v dpkg-source >/dev/null 2>&1 && command -v make >/dev/null 2>&1 && command -v gcc >/dev/null 2>&1 \
    || apt_install dpkg-dev make gcc
  as_root apt-get update -qq >/dev/null || die "apt-get update failed"
  local build_dir
  build_dir=$(mktemp -d)
  ( cd "$build_dir" && apt-get source -qq pgvector >/dev/null 2>&1 ) || die "apt-get source pgvector failed"
  local src
  src=$(find "$build_dir" -maxdepth 1 -mindepth 1 -type d -name 'pgvector-*' | head -n 1)
  [ -n "$src" ] || die "apt-get source pgvector unpacked nothing in $build_dir"
  ( cd "$src" && make -s PG_CONFIG="$CALLSTREAM_PG_BIN/pg_config" OPTFLAGS="" >/dev/null \
      && as_root make -s PG_CONFIG="$CALLSTREAM_PG_BIN/pg_config" install >/dev/null ) \
    || die "building pgvector in $src failed"
  rm -rf "$build_dir"
  log "pgvector installed into $extdir"
}

ensure_audio_tools() {
  local pkgs=()
  command -v pocketsphinx_continuous >/dev/null 2>&1 || pkgs+=(pocketsphinx)
  [ -d /usr/share/pocketsphinx/model/en-us ] || pkgs+=(pocketsphinx-en-us)
  command -v flite >/dev/null 2>&1 || pkgs+=(flite)
  # decodes recordings of every common format to the WAV pocketsphinx reads
  command -v ffmpeg >/dev/null 2>&1 || pkgs+=(ffmpeg)
  [ ${#pkgs[@]} -eq 0 ] || apt_install "${pkgs[@]}"
}

# The tests validate docker-compose.yml with Debian's docker-compose (no Docker engine needed).
ensure_compose_checker() {
  command -v docker-compose >/dev/null 2>&1 || apt_install docker-compose
}

# The console's browser test drives Debian's Chromium through its chromedriver.
ensure_browser() {
  local pkgs=()
  command -v chromium >/dev/null 2>&1 || pkgs+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || pkgs+=(chromium-driver)
  [ ${#pkgs[@]} -eq 0 ] || apt_install "${pkgs[@]}"
}

setup_machine() {
  find_jdk
  ensure_maven
  ensure_postgres
  ensure_pgvector
  ensure_audio_tools
  ensure_compose_checker
  ensure_browser
  log "machine ready: JDK $JAVA_HOME, PostgreSQL ${CALLSTREAM_PG_MAJOR} with pgvector, pocketsphinx, flite, ffmpeg, docker-compose, chromium"
}
