#!/usr/bin/env bash
# Upload memory scenario (issue 12 item 8), part of `make bench`: serves the
# real binary on SQLite and sends one maximum-size body (just under the 60 MB
# PORTAL_MAX_BODY_MB) of every input kind, reporting the peak RSS of the
# process for each (VmHWM, reset before each upload through
# /proc/PID/clear_refs). Target: every kind under 200 MB.
# Results also go to test-output/bench-uploads.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS=-buildvcs=false
mkdir -p bin test-output
go build -o bin/portal ./cmd/portal
work=$(mktemp -d /tmp/portal-uploads.XXXXXX)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
out=test-output/bench-uploads.txt
db="sqlite://$work/portal.db"
portal() { PORTAL_LOG_LEVEL=warn bin/portal --database-url "$db" --data-dir "$work/files" "$@"; }
portal migrate >/dev/null
portal supplier add --cnpj 11222333000181 --name "Fornecedor Grande" >/dev/null
pw="Quintal-Azul-Trombone-$RANDOM-2026"
echo "$pw" | portal user add --email estoque@grande.example --name Estoque --role supplier --supplier 11222333000181 --password-stdin >/dev/null
echo "$pw" | portal user add --email admin@cp.example --name Admin --role admin --password-stdin >/dev/null
stok=$(portal token create --email estoque@grande.example --label bench | grep -Eo 'cpp_[A-Za-z0-9_-]+' | tail -1)
atok=$(portal token create --email admin@cp.example --label bench | grep -Eo 'cpp_[A-Za-z0-9_-]+' | tail -1)

# Bodies (generated once, ~40-60 MB each).
rows=1200000
seq 0 $((rows - 1)) | awk '{printf "CODIGO-FORNECEDOR-%07d;%d\r\n", $1, $1 % 90}' | { printf 'supplier_code;quantity\r\n'; cat; } >"$work/stock.csv"
seq 0 $((rows - 1)) | awk 'BEGIN{printf "["} {printf "%s{\"supplier_code\":\"COD-%07d\",\"quantity\":%d}", (NR>1?",":""), $1, $1 % 90} END{printf "]"}' >"$work/stock.json"
seq 0 $((rows - 1)) | awk '{printf "SKU-%07d;Produto número %d com descrição\r\n", $1, $1}' | { printf 'sku;name\r\n'; cat; } >"$work/products.csv"
seq 0 $((rows - 1)) | awk 'BEGIN{printf "["} {printf "%s{\"sku\":\"S%07d\",\"name\":\"P%d\"}", (NR>1?",":""), $1, $1} END{printf "]"}' >"$work/products.json"
seq 0 $((rows - 1)) | awk '{printf "CODIGO-FORNECEDOR-%07d;%d,50\r\n", $1, $1 % 900 + 1}' | { printf 'codigo;preco\r\n'; cat; } >"$work/prices.csv"
seq 1 900000 | awk 'BEGIN{printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?><nfeProc><NFe><infNFe>"} {printf "<det nItem=\"%d\"><prod><cProd>C%07d</cProd></prod></det>", $1, $1} END{printf "</infNFe></NFe></nfeProc>"}' >"$work/nfe.xml"
seq 0 $((rows - 1)) | awk '{printf "^FO50,%d^FDLinha %07d da etiqueta^FS\r\n", $1 % 900, $1}' | { printf '^XA\r\n'; cat; printf '^XZ\r\n'; } >"$work/label.zpl"

start() {
  port=$(( 30000 + RANDOM % 20000 ))
  PORTAL_WORKERS=false PORTAL_LOG_LEVEL=warn bin/portal --database-url "$db" --data-dir "$work/files" --addr "127.0.0.1:$port" serve >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.3; done
  base="http://127.0.0.1:$port/api/v1"
}
stop() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }

# Each kind on a fresh process: a Go process keeps the memory of an earlier
# upload for a while, which would count against the next kind.
measure() { # label path curl-args…
  local label=$1 path=$2; shift 2
  start
  local idle=$(( $(awk '/VmRSS/ {print $2}' "/proc/$server/status") / 1024 ))
  local code
  code=$(curl -s -o "$work/answer" -w '%{http_code}' "$@" "$base$path")
  local hwm
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
  printf '%-32s HTTP %s  peak RSS %4d MB (idle %d MB)  %.90s\n' "$label" "$code" $((hwm / 1024)) "$idle" "$(tr -d '\n' <"$work/answer")" | tee -a "$out"
  stop
}

: >"$out"
echo "=== upload peak RSS (real binary, SQLite) ===" | tee -a "$out"
measure "stock CSV" /stock -X PUT -H "Authorization: Bearer $stok" -H 'Content-Type: text/csv' --data-binary "@$work/stock.csv"
measure "stock JSON" /stock -X PUT -H "Authorization: Bearer $stok" -H 'Content-Type: application/json' --data-binary "@$work/stock.json"
measure "products CSV" /products -X PUT -H "Authorization: Bearer $atok" -H 'Content-Type: text/csv' --data-binary "@$work/products.csv"
measure "products JSON" /products -X PUT -H "Authorization: Bearer $atok" -H 'Content-Type: application/json' --data-binary "@$work/products.json"
measure "price table CSV (multipart)" /price-tables -X POST -H "Authorization: Bearer $stok" -F effective_from=2030-01-10 -F "file=@$work/prices.csv;type=text/csv"
measure "supplier NF-e XML" /purchase-orders/PC-000001/invoice -X POST -H "Authorization: Bearer $stok" -H 'Content-Type: application/xml' --data-binary "@$work/nfe.xml"
measure "billing NF-e XML" /purchase-orders/PC-000001/billing-invoice -X POST -H "Authorization: Bearer $atok" -H 'Content-Type: application/xml' --data-binary "@$work/nfe.xml"
measure "shipment label ZPL (multipart)" /purchase-orders/PC-000001/shipment -X POST -H "Authorization: Bearer $stok" -F carrier=correios -F "label=@$work/label.zpl;type=text/plain"
echo "(the NF-e and label cases name a PO that does not exist: what is measured is what the body costs before the lookup)" | tee -a "$out"
