#!/bin/sh
# Import vouchers, push one onto every site of a Plesk server, wait for the result.
# Only curl and the shell's own tools (grep, sed, cksum) are used.
#
#   CERTFLEET_URL=http://127.0.0.1:8000 CERTFLEET_TOKEN=... \
#   VOUCHER_CSV=vouchers.csv VOUCHER_CODE=ABCD-EFGH-... SERVER_ID=1 \
#   CONTACT_EMAIL=ops@example.com scripts/curl-push.sh
#
# Optional: TIMEOUT (seconds to wait, default 1800), POLL (seconds between looks,
# default 2). Exit 0 when every site is secured, 1 when sites failed or are held
# for review (or the wait timed out), 2 when a request was refused.
# Running it again is safe: the import and the push carry Idempotency-Keys, so a
# repeat replays the first answers instead of importing or pushing twice.

set -u

: "${CERTFLEET_URL:?set CERTFLEET_URL, e.g. http://127.0.0.1:8000}"
: "${CERTFLEET_TOKEN:?set CERTFLEET_TOKEN (manage.py api_token <username>)}"
: "${VOUCHER_CSV:?set VOUCHER_CSV, the CSV of vouchers to import}"
: "${VOUCHER_CODE:?set VOUCHER_CODE, the voucher to push}"
: "${SERVER_ID:?set SERVER_ID, the Plesk server whose sites get certificates}"
: "${CONTACT_EMAIL:?set CONTACT_EMAIL}"
TIMEOUT="${TIMEOUT:-1800}"
POLL="${POLL:-2}"
API="${CERTFLEET_URL%/}/api/v1"

# call METHOD PATH [curl options...]: prints the body; on an HTTP error prints the
# error's code, message and advice and stops with exit 2.
call() {
    method="$1"; path="$2"; shift 2
    body=$(curl --silent --show-error --write-out '\n%{http_code}' \
        --request "$method" \
        --header "Authorization: Token $CERTFLEET_TOKEN" \
        --header "Accept: application/json" \
        "$@" "$API$path") || { echo "cannot reach $API" >&2; exit 2; }
    status=$(printf '%s' "$body" | tail -n 1)
    body=$(printf '%s' "$body" | sed '$d')
    case "$status" in
        2??) printf '%s' "$body" ;;
        *) echo "$method $path answered $status: $body" >&2; exit 2 ;;
    esac
}

# field NAME JSON: the first top-level number or boolean called NAME.
field() {
    printf '%s' "$2" | grep -o "\"$1\":[-0-9a-z]*" | head -n 1 | cut -d: -f2
}

me=$(call GET /me/)
echo "signed in as $(printf '%s' "$me" | grep -o '"username":"[^"]*"' | cut -d'"' -f4)"

# 1. Import the vouchers; the key is the file's checksum, so a rerun replays.
import_key="import-$(cksum < "$VOUCHER_CSV" | cut -d' ' -f1)"
report=$(call POST /vouchers/import/ \
    --header "Idempotency-Key: $import_key" \
    --form "file=@$VOUCHER_CSV;type=text/csv")
echo "imported $(field imported "$report") vouchers"

# 2. Dry run: which sites of the server would pass the local checks.
target="{\"voucher_code\":\"$VOUCHER_CODE\",\"contact_email\":\"$CONTACT_EMAIL\","
target="$target\"filter\":{\"server\":$SERVER_ID}}"
dry=$(call POST /pushes/dry-run/ --header "Content-Type: application/json" \
    --data "$target")
echo "dry run: $(field passing "$dry") of $(field total "$dry") sites pass"

# 3. Start the push.
push=$(call POST /pushes/ --header "Content-Type: application/json" \
    --header "Idempotency-Key: push-$SERVER_ID-$VOUCHER_CODE-$import_key" \
    --data "$target")
push_id=$(field id "$push")
echo "push $push_id started"

# 4. Wait until every site is done, failed or held.
waited=0
while :; do
    progress=$(call GET "/pushes/$push_id/progress/")
    echo "push $push_id: $(field done "$progress") done," \
        "$(field failed "$progress") failed, $(field held "$progress") held," \
        "$(field waiting "$progress") waiting of $(field total "$progress")"
    [ "$(field complete "$progress")" = "true" ] && break
    if [ "$waited" -ge "$TIMEOUT" ]; then
        echo "push $push_id still running after ${TIMEOUT}s" >&2
        exit 1
    fi
    sleep "$POLL"
    waited=$((waited + POLL))
done

# 5. The result: failures grouped by code, each with what to do.
failed=$(field failed "$progress")
held=$(field held "$progress")
if [ "$failed" != "0" ] || [ "$held" != "0" ]; then
    echo "push $push_id: not every site is secured; failures by code:" >&2
    printf '%s' "$progress" | grep -o '{"code":[^}]*}' | sed \
        's/{"code":\([-0-9]*\),"count":\([0-9]*\),"message":"\(.*\)","advice":"\(.*\)"}/  \2 x \1: \3 What to do: \4/' >&2
    exit 1
fi
echo "push $push_id: every site secured"
