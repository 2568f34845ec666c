#!/bin/sh
# Seeds for fuzz-agent-ctl: what dpuctl -a nvmf sends (one verdict byte
# first: even = the stand-in card takes it), and a state file.
# Usage: gen_ctl_seeds.sh OUTDIR
set -eu
out=$1
mkdir -p "$out"
n=0
seed() { n=$((n + 1)); printf '%s%s' "$1" "$2" >"$out/seed$n"; }
q=nqn.2026-01.io.opendpu:fuzz
seed 0 '{"nvmf":"subsystem","verb":"add","spec":{"nqn":"'$q'","serial":"S1","model":"M","allow_any_host":true}}'
seed 0 '{"nvmf":"ns","verb":"add","spec":{"nqn":"'$q'","nsid":1,"backend":"ram","size_bytes":1048576,"block_size":512,"path":""}}'
seed 0 '{"nvmf":"ns","verb":"add","spec":{"nqn":"'$q'","nsid":2,"backend":"file","size_bytes":0,"block_size":4096,"path":"/tmp/x.img"}}'
seed 1 '{"nvmf":"ns","verb":"add","spec":{"nqn":"'$q'","nsid":3,"backend":"null","size_bytes":4096}}'
seed 0 '{"nvmf":"host","verb":"add","spec":{"nqn":"'$q'","host_nqn":"nqn.2014-08.org.nvmexpress:uuid:1"}}'
seed 0 '{"nvmf":"listener","verb":"add","spec":{"nqn":"'$q'","traddr":"::1","port":4420}}'
seed 0 '{"nvmf":"listener","verb":"del","spec":{"nqn":"'$q'","traddr":"::1","port":4420}}'
seed 0 '{"nvmf":"ns","verb":"del","spec":{"nqn":"'$q'","nsid":1}}'
seed 0 '{"nvmf":"ns","verb":"list","spec":{"nqn":"'$q'"}}'
seed 0 '{"nvmf":"subsystem","verb":"list"}'
seed 2 '{"nvmf":"subsystem","verb":"del","spec":{"nqn":"'$q'"}}'
seed 0 '{"nvmf":"ns","verb":"add","spec":{"nqn":"'$q'","nsid":0,"backend":"tape"}'
seed 0 '{"version":1,"nvmf":{"subsystems":[{"nqn":"'$q'","serial":"S","model":"M","allow_any_host":false}],"namespaces":[{"nqn":"'$q'","nsid":7,"backend":"ram","size_bytes":8192,"block_size":4096,"path":""}],"hosts":[{"nqn":"'$q'","host_nqn":"h"}],"listeners":[{"nqn":"'$q'","traddr":"127.0.0.1","port":1}]}}'
