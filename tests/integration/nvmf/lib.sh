# Shared helpers for the nvmf integration scripts (sourced).
# start_target CONFIG READYFILE LOG -> sets TGT_PID, PORT (first listener)
start_target() {
	rm -f "$2"
	"$DPU_NVMF" -c "$1" --ready-file "$2" >"$3" 2>&1 &
	TGT_PID=$!
	for _ in $(seq 1 200); do
		[ -s "$2" ] && break
		kill -0 "$TGT_PID" 2>/dev/null || { echo "target died:"; cat "$3"; return 1; }
		sleep 0.05
	done
	[ -s "$2" ] || { echo "target not ready"; return 1; }
	PORT=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$2" | head -1)
}

stop_target() {
	[ -n "$TGT_PID" ] && kill "$TGT_PID" 2>/dev/null && wait "$TGT_PID" 2>/dev/null
	TGT_PID=
}
