#!/bin/bash
# Prints what a chain build needs to know of each SRPM, on a builder (reading a spec runs its macros):
#   SRPM <file>
#   NEVR <name> <epoch> <version> <release>          (of the source package, from its header)
#   BR <name>|<flags>|<version>                      (BuildRequires, from the SRPM header)
#   P <name>|<flags>|<version>                       (what its binary packages will provide, from the spec)
# Usage: srpm-deps.sh DIST SRPM...
set -uo pipefail
dist=$1; shift
for srpm in "$@"; do
  echo "SRPM $srpm"
  rpm -qp --nosignature --qf 'NEVR %{NAME} %{EPOCHNUM} %{VERSION} %{RELEASE}\n[BR %{REQUIRENAME}|%{REQUIREFLAGS}|%{REQUIREVERSION}\n]' "$srpm" \
    || { echo "ERROR cannot read the SRPM header"; continue; }
  work=$(mktemp -d)
  # installing a source package only unpacks its spec and sources into the given topdir
  rpm -i --nosignature --define "_topdir $work" "$srpm" >/dev/null 2>&1
  spec=$(ls "$work"/SPECS/*.spec 2>/dev/null | head -1)
  if [ -z "$spec" ]; then echo "ERROR no spec file in the SRPM"; rm -rf "$work"; continue; fi
  rpmspec -q ${dist:+--define "dist $dist"} --qf '[P %{PROVIDENAME}|%{PROVIDEFLAGS}|%{PROVIDEVERSION}\n]' "$spec" 2>/dev/null \
    || echo "ERROR rpmspec cannot parse the spec"
  rm -rf "$work"
done
