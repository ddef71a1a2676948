#!/usr/bin/env bash
# The real services the tests run against (and the browser), from Debian's packages: installed where missing (as
# root, with apt-get), never started here — each test starts its own on free loopback ports and
# stops it (test/_helpers/mosquitto.ts, rabbitmq.ts, nats-server.ts). Without root or apt-get
# the tests that need a missing service are skipped, each with that reason.
set -euo pipefail
missing=()
[ -x /usr/sbin/mosquitto ] || [ -x /usr/bin/mosquitto ] || missing+=(mosquitto)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
[ -x /usr/sbin/nats-server ] || [ -x /usr/bin/nats-server ] || missing+=(nats-server)
# Durable runs (test/durable/) run on a private cluster of it (test/_helpers/postgres.ts).
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
# The HTML report's browser test (test/report/html-report.test.ts) opens its pages in it.
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "services: ${missing[*]} not installed; the tests that need it are skipped (as root: apt-get install -y ${missing[*]})" >&2
  exit 0
fi
echo "services: installing ${missing[*]} (Debian packages)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
