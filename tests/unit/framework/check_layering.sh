#!/bin/sh
# The framework, resources and functions speak values: none of them may
# include a protobuf header, the wire conversions (rpc/) or the transport (server/).
# usage: check_layering.sh <provider source dir>
set -u
dir=${1:?usage: check_layering.sh <provider dir>}
bad=$(grep -rnE '#include[[:space:]]*[<"]([^">]*\.pb-c\.h|protobuf-c/|grpc/|fo_rpc[a-z_]*\.h|fo_server[a-z_]*\.h|fo_plugin\.h|fo_handshake\.h|fo_listen\.h|fo_tls\.h|fo_pool\.h|fo_arena\.h|fo_dynval\.h)' \
  "$dir/framework" "$dir/resources" "$dir/functions")
if [ -n "$bad" ]; then
  echo "layering: these includes cross from the framework into the wire or the transport:" >&2
  echo "$bad" >&2
  exit 1
fi
echo "ok: framework, resources and functions include no wire or transport header"
