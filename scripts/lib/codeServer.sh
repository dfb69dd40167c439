# Sourced by scripts/vscode-tests.sh and scripts/e2e-tests.sh: a throwaway code-server on 127.0.0.1 serving a copy of the
# fixture workspace. Expects REPO_DIR, WORK (a temporary directory the caller removes) and CODE_SERVER_ENTRY.

# Copies test/fixtures/workspace to $WORK/workspace and writes the user settings (no trust prompt, no tips, no updates).
# USER_DATA (default $WORK/user-data) is the user data folder start_code_server uses.
prepare_code_server_workspace() {
  USER_DATA="${USER_DATA:-$WORK/user-data}"
  # The fixture's TypeScript function has no esbuild in its project: the extension builds it with its own (in the .vsix,
  # dist/node_modules/esbuild; the e2e suite's F5 step proves the installed extension's).
  cp -r "$REPO_DIR/test/fixtures/workspace" "$WORK/workspace"
  mkdir -p "$WORK/extensions"
  write_user_settings "$USER_DATA" '"security.workspace.trust.enabled": false'
}

# write_user_settings DIR TRUST_SETTINGS: the user settings of every code-server run (no tips, telemetry, updates or
# startup editor; the extension's endpoints on a free port), with the given workspace trust settings.
write_user_settings() {
  mkdir -p "$1/User"
  cat > "$1/User/settings.json" <<JSON
{
  $2,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "lambdaWorkbench.endpointsPort": 0
}
JSON
}

# prepare_restricted_user_data DIR: user settings that open $WORK/workspace in Restricted Mode (workspace trust enabled, the
# folder never trusted, no prompt: the startup dialog would be refused in test mode), in a user data folder of its own.
prepare_restricted_user_data() {
  write_user_settings "$1" '"security.workspace.trust.enabled": true,
  "security.workspace.trust.startupPrompt": "never",
  "security.workspace.trust.emptyWindow": false'
}

# Prints a TCP port that was free on 127.0.0.1 a moment ago.
free_loopback_port() {
  node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# start_code_server PORT LOG [ARGS...]: code-server on 127.0.0.1:PORT for $WORK/workspace in a session of its own (user data
# in USER_DATA), output to LOG; sets SERVER_PID and returns once /healthz answers (exits the script if code-server ends first).
start_code_server() {
  local port="$1" log="$2"
  shift 2
  setsid node "$CODE_SERVER_ENTRY" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check \
    "$@" --user-data-dir "${USER_DATA:-$WORK/user-data}" --extensions-dir "$WORK/extensions" "$WORK/workspace" >"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "code-server exited; see $log" >&2; exit 1; }
    sleep 0.1
  done
}

# print_code_server_log LOG LINES: the last LINES lines of the server log on stderr, after a failed suite.
print_code_server_log() {
  echo "--- last lines of $1" >&2
  tail -n "$2" "$1" >&2
}
