#!/bin/bash
# Fetches what an SRPM is made of from dist-git, on a builder, as Koji's buildSRPMFromSCM does: the checkout at
# the commit and the lookaside sources. It runs no package code (that is rpmbuild -bs, in the build sandbox);
# it leaves the spec's path relative to checkout/ in spec-path.
# Usage: srpm-from-scm.sh CLONE_URL COMMIT SUBDIR LOOKASIDE_URL
# Every argument comes from the hub already validated; they are used only as quoted words.
set -euo pipefail
url=$1 commit=$2 subdir=$3 lookaside=$4
top=$PWD

rm -rf checkout
git clone --quiet --no-checkout -- "$url" checkout
cd checkout
git -c advice.detachedHead=false checkout --quiet "$commit^{commit}" --
echo "copr-hub: checked out $(git rev-parse HEAD) from $url"
if [ -n "$subdir" ]; then cd -- "$subdir"; fi

shopt -s nullglob
specs=(*.spec)
if [ ${#specs[@]} -ne 1 ]; then
  echo "copr-hub: expected exactly one .spec file in the checkout, found ${#specs[@]}: ${specs[*]:-none}" >&2
  exit 3
fi
spec=${specs[0]}
pkg=$(basename "${url%/}" .git)

# dist-git 'sources': "SHA512 (file) = hash" (new) or "md5hash  file" (old); files come from the lookaside
if [ -f sources ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    [ -z "$line" ] && continue
    if [[ $line =~ ^([A-Z0-9]+)\ \(([^/\)]+)\)\ =\ ([0-9a-f]+)$ ]]; then
      algo=${BASH_REMATCH[1],,} file=${BASH_REMATCH[2]} sum=${BASH_REMATCH[3]}
    elif [[ $line =~ ^([0-9a-f]{32})\ \ ([^/]+)$ ]]; then
      algo=md5 sum=${BASH_REMATCH[1]} file=${BASH_REMATCH[2]}
    else
      echo "copr-hub: unreadable line in sources: $line" >&2; exit 4
    fi
    case $file in .*) echo "copr-hub: refusing source file name $file" >&2; exit 4;; esac
    if [ -z "$lookaside" ]; then echo "copr-hub: sources lists $file but no lookaside cache is configured" >&2; exit 4; fi
    curl -fsS --retry 3 -o "$file" "$lookaside/$pkg/$file/$algo/$sum/$file" \
      || { echo "copr-hub: cannot fetch $file from the lookaside $lookaside" >&2; exit 5; }
    echo "$sum  $file" | "${algo}sum" -c --quiet - \
      || { echo "copr-hub: $file does not match its $algo checksum $sum" >&2; exit 5; }
  done < sources
fi

echo "${subdir:+$subdir/}$spec" > "$top/spec-path"
