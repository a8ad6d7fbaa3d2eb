#!/usr/bin/env bash
# The firewall between a Docker host and its sandboxes. A container on the fleet's `--internal`
# network reaches no other network, but it does reach every address of its own host (through the
# INPUT chain): a server on 0.0.0.0 there answers it at the network's gateway. This rule set lets
# a sandbox reach only the egress proxy on its host, in a chain of its own per sandbox bridge:
#
#   INPUT -i BRIDGE -j AC-SANDBOX-BRIDGE          (first in INPUT)
#   AC-SANDBOX-BRIDGE:  ESTABLISHED,RELATED -> ACCEPT
#                       tcp to PROXY_ADDRESS:PROXY_PORT -> ACCEPT
#                       everything else -> DROP   (dropped, not refused: a sandbox learns nothing)
#
# Run as root on every Docker host of the fleet, once its sandbox network exists: `./build.sh run`
# and `./build.sh test` do for their own engines; on a remote host, its setup script does (e.g.
# `sandbox-firewall.sh prepare unix:///var/run/docker.sock 8443`). The silo's canary checks it.
#
#   sandbox-firewall.sh install BRIDGE PROXY_ADDRESS PROXY_PORT   (idempotent: replaces the chain at once)
#   sandbox-firewall.sh check   BRIDGE PROXY_ADDRESS PROXY_PORT   exit 0 when exactly this rule set is in place
#   sandbox-firewall.sh remove  BRIDGE                            (idempotent)
#   sandbox-firewall.sh network DOCKER_HOST [NETWORK]             prints "BRIDGE GATEWAY" of the sandbox network
#   sandbox-firewall.sh prepare DOCKER_HOST PROXY_PORT [NETWORK]
#       creates the sandbox network when missing (internal, no traffic between containers, as the
#       silo makes it), installs the rule set for its bridge with the proxy on its gateway, and
#       prints "BRIDGE GATEWAY". NETWORK defaults to agentcluster-sandbox.
set -euo pipefail

NETWORK_DEFAULT=agentcluster-sandbox
IPT=(iptables -w 5)

die() { printf 'sandbox-firewall: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '/^#   sandbox-firewall.sh/,/^#       prints/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

chain_of() {
  [[ $1 =~ ^[A-Za-z0-9_.-]{1,15}$ ]] || die "'$1' is not a bridge name (1-15 letters, digits, _ . -)"
  echo "AC-SANDBOX-$1"
}

check_target() {
  [[ $1 =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}$ ]] || die "'$1' is not an IPv4 address"
  [[ $2 =~ ^[0-9]{1,5}$ ]] && (($2 >= 1 && $2 <= 65535)) || die "'$2' is not a port"
}

# The chain's rules as `iptables -S` prints them.
expected_rules() {
  printf -- '-N %s\n' "$1"
  printf -- '-A %s -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n' "$1"
  printf -- '-A %s -d %s/32 -p tcp -m tcp --dport %s -j ACCEPT\n' "$1" "$2" "$3"
  printf -- '-A %s -j DROP\n' "$1"
}

cmd_install() {
  (($# == 3)) || usage
  local bridge=$1 address=$2 port=$3 chain
  chain=$(chain_of "$bridge")
  check_target "$address" "$port"
  # One transaction: a chain declared again is emptied and refilled at once, never open between.
  {
    echo '*filter'
    echo ":$chain - [0:0]"
    expected_rules "$chain" "$address" "$port" | sed 1d
    echo 'COMMIT'
  } | iptables-restore -w 5 --noflush
  "${IPT[@]}" -C INPUT -i "$bridge" -j "$chain" 2>/dev/null || "${IPT[@]}" -I INPUT 1 -i "$bridge" -j "$chain"
  echo "sandbox-firewall: $bridge may reach only $address:$port on this host" >&2
}

cmd_check() {
  (($# == 3)) || usage
  local bridge=$1 address=$2 port=$3 chain
  chain=$(chain_of "$bridge")
  check_target "$address" "$port"
  "${IPT[@]}" -C INPUT -i "$bridge" -j "$chain" 2>/dev/null || die "INPUT does not send $bridge to $chain"
  [[ $("${IPT[@]}" -S "$chain" 2>/dev/null) == "$(expected_rules "$chain" "$address" "$port")" ]] ||
    die "$chain is not the rule set for $address:$port"
}

cmd_remove() {
  (($# == 1)) || usage
  local bridge=$1 chain
  chain=$(chain_of "$bridge")
  while "${IPT[@]}" -C INPUT -i "$bridge" -j "$chain" 2>/dev/null; do
    "${IPT[@]}" -D INPUT -i "$bridge" -j "$chain"
  done
  if "${IPT[@]}" -S "$chain" >/dev/null 2>&1; then
    "${IPT[@]}" -F "$chain"
    "${IPT[@]}" -X "$chain"
  fi
}

cmd_network() {
  (($# >= 1 && $# <= 2)) || usage
  local host=$1 network=${2:-$NETWORK_DEFAULT} id name gateway
  read -r id name gateway < <(docker -H "$host" network inspect "$network" \
    -f '{{.Id}} {{with index .Options "com.docker.network.bridge.name"}}{{.}}{{else}}-{{end}} {{range .IPAM.Config}}{{.Gateway}}{{end}}') ||
    die "no network $network on $host"
  [[ $name != - ]] || name=br-${id:0:12}
  [[ -n $gateway ]] || die "network $network on $host names no gateway"
  echo "$name $gateway"
}

cmd_prepare() {
  (($# >= 2 && $# <= 3)) || usage
  local host=$1 port=$2 network=${3:-$NETWORK_DEFAULT} bridge gateway
  if ! docker -H "$host" network inspect "$network" >/dev/null 2>&1; then
    docker -H "$host" network create --driver bridge --internal \
      -o com.docker.network.bridge.enable_icc=false --label agentcluster.network=sandbox "$network" >/dev/null
  fi
  read -r bridge gateway < <(cmd_network "$host" "$network")
  cmd_install "$bridge" "$gateway" "$port"
  echo "$bridge $gateway"
}

(($# >= 1)) || usage
command=$1
shift
case $command in
  install | check | remove) [[ $(id -u) -eq 0 ]] || die "$command changes or reads the host's firewall: run it as root" ;;&
  prepare) [[ $(id -u) -eq 0 ]] || die "prepare installs the host's firewall: run it as root" ;;&
  install) cmd_install "$@" ;;
  check) cmd_check "$@" ;;
  remove) cmd_remove "$@" ;;
  network) cmd_network "$@" ;;
  prepare) cmd_prepare "$@" ;;
  *) usage ;;
esac
