#!/bin/sh
# Pins deploy/Dockerfile's base image to the current digest of its tag (all platforms: the
# digest of the multi-platform index). Needs Docker with buildx and access to Docker Hub.
# Usage: deploy/pin-base-image.sh [tag]      (default: the tag already in the Dockerfile)
set -eu
cd "$(dirname "$0")"
current=$(sed -n 's/^ARG NODE_IMAGE=//p' Dockerfile)
tag=${1:-${current%@*}}
digest=$(docker buildx imagetools inspect "$tag" --format '{{json .Manifest.Digest}}' | tr -d '"')
case "$digest" in sha256:????????????????????????????????????????????????????????????????) ;; *) echo "pin-base-image: no digest for $tag" >&2; exit 1 ;; esac
sed -i.bak "s|^ARG NODE_IMAGE=.*|ARG NODE_IMAGE=$tag@$digest|" Dockerfile && rm -f Dockerfile.bak
echo "deploy/Dockerfile: NODE_IMAGE=$tag@$digest"
