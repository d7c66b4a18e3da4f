#!/usr/bin/env bash
# Makes sure `java` (17+) and `mvn` exist for @sess/hazelcast's live tests, which fetch the member jar
# with Maven and start private members. Installs openjdk-17-jre-headless and maven with apt when either
# is missing. Bounded: apt gets 10 minutes at most.
set -euo pipefail

if command -v java >/dev/null && command -v mvn >/dev/null; then
  java -version 2>&1 | head -n 1
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "java or mvn is missing and apt-get is not available: install a Java 17 runtime and Maven" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
timeout 300 $sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive timeout 600 $sudo apt-get install -y -qq --no-install-recommends \
  openjdk-17-jre-headless maven >/dev/null
java -version 2>&1 | head -n 1
mvn -v | head -n 1
