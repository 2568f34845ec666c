// SPDX-License-Identifier: BSD-3-Clause
/*
 * The testpmd-style rule text parser: every item and action it knows, each
 * rule encoded into a FLOW_BATCH the card's checker must accept and that
 * decodes back to what the printer shows; and bad text refused with a
 * reason naming the offending word.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpu_rules_text.h"
#include "test_support.h"

static int failures;

static int by_name(void *ctx, const char *name, uint32_t *id)
{
	static const char *const names[] = { "p0", "pf0", "pf0vf0", "pf0vf1" };

	(void)ctx;
	for (uint32_t i = 0; i < 4; i++)
		if (!strcmp(names[i], name)) {
			*id = i;
			return 0;
		}
	return -1;
}

static const struct dpu_rules_text_ports ports = { .by_name = by_name };

/* Parse, then through the card's view (test_support.c). */
static int round_trip(const char *text, char *out, size_t len, char *why, size_t wlen)
{
	struct dpu_rules_abi_flow a;
	struct dpu_rules_result res;

	if (dpu_rules_text_parse(text, &ports, &a, &res)) {
		snprintf(why, wlen, "%s", res.reason);
		return -1;
	}
	a.id.lo = 1;
	return test_abi_round_trip(&a, out, len, why, wlen);
}

static void ok(const char *text, const char *want)
{
	char got[1024], why[256] = "";
	int rc = round_trip(text, got, sizeof(got), why, sizeof(why));

	if (rc || strcmp(got, want)) {
		printf("FAIL %s\n     want: %s\n     got:  %s\n", text, want,
		       rc ? why : got);
		failures++;
	} else {
		printf("ok   %s\n", text);
	}
}

static void bad(const char *text, const char *reason_part)
{
	char got[1024], why[256] = "";
	int rc = round_trip(text, got, sizeof(got), why, sizeof(why));

	if (rc != -1 || !strstr(why, reason_part)) {
		printf("FAIL %s\n     want refusal containing: %s\n     got: %s\n", text,
		       reason_part, rc == -1 ? why : rc ? why : got);
		failures++;
	} else {
		printf("ok   refused: %s -> %s\n", text, why);
	}
}

int main(void)
{
	/* ports, attributes, plain forwarding */
	ok("pattern port pf0vf0 / end actions count / port pf0vf1 / end",
	   "group 0 prio 0 transfer: in_port 2 / count output 3");
	ok("group 3 priority 7 pattern port_id id 2 / end actions port_representor 2 / end",
	   "group 3 prio 7 transfer: in_port 2 / output 2 rep");
	ok("ingress pattern represented_port ethdev_port_id 1 / end actions drop / end",
	   "group 0 prio 0: in_port 1 / drop");
	/* L2/L3/L4 fields, masks, prefixes */
	ok("pattern eth src is 02:00:00:00:00:01 dst spec 02:00:00:00:00:02 dst mask ff:ff:ff:00:00:00 type is 0x0800 / end actions drop / end",
	   "group 0 prio 0 transfer: dst_mac 02:00:00:00:00:00/ff:ff:ff:00:00:00 src_mac 02:00:00:00:00:01 eth_type 0x0800 / drop");
	ok("pattern eth / vlan vid is 100 pcp is 3 / vlan vid is 20 / ipv4 / end actions drop / end",
	   "group 0 prio 0 transfer: vlan_tpid 0x0000 vlan_id 100 vlan_prio 3 cvlan_tpid 0x0000 cvlan_id 20 / drop");
	ok("pattern ipv4 src is 10.0.0.0/8 dst is 10.1.2.3 proto is 6 ttl is 64 tos spec 0x10 tos mask 0xfc / tcp dst is 80 flags is 0x2 / end actions drop / end",
	   "group 0 prio 0 transfer: ip_proto 6 src_ip 10.0.0.0/8 dst_ip 10.1.2.3 ip_tos 0x10/0xfc ip_ttl 64 dst_port 80 tcp_flags 0x0002/0x0fff / drop");
	ok("pattern ipv4 dst spec 192.168.7.9 dst prefix 16 frag is 1 / end actions drop / end",
	   "group 0 prio 0 transfer: dst_ip 192.168.0.0/16 ip_flags frag / drop");
	ok("pattern ipv6 src is fd00::1 dst is fd00::/64 proto is 17 hop is 1 flow is 0x12345 / udp src is 53 / end actions drop / end",
	   "group 0 prio 0 transfer: ip_proto 17 src_ip fd00::1 dst_ip fd00::/64 ip_ttl 1 flow_label 0x00012345/0x000fffff src_port 53 / drop");
	ok("pattern ipv4 / icmp type is 8 code is 0 / end actions drop / end",
	   "group 0 prio 0 transfer: type 8 code 0 / drop");
	ok("pattern ipv6 / icmp6 type is 135 / end actions drop / end",
	   "group 0 prio 0 transfer: type 135 / drop");
	ok("pattern ipv4 / sctp dst is 9 / end actions drop / end",
	   "group 0 prio 0 transfer: dst_port 9 / drop");
	ok("pattern eth type is 0x0806 / arp opcode is 1 tpa is 10.0.0.1 / end actions drop / end",
	   "group 0 prio 0 transfer: eth_type 0x0806 arp_op 1 arp_tip 10.0.0.1 / drop");
	ok("pattern meta data is 7 / tag data is 5 index is 2 / mark id is 9 / ct state is +trk+est zone is 3 / end actions drop / end",
	   "group 0 prio 0 transfer: meta 0x7/0xffffffff tag[2] 0x5/0xffffffff mark 0x9/0xffffffff ct_state +est+trk ct_zone 3 / drop");
	/* tunnels: outer headers fold into the tunnel item */
	ok("pattern port p0 / eth / ipv4 src is 192.0.2.1 dst is 192.0.2.2 / udp dst is 4789 / vxlan vni is 100 / eth / ipv4 dst is 10.0.0.2 / end actions tunnel_decap / port pf0vf0 / end",
	   "group 0 prio 0 transfer: in_port 0 enc_type vxlan enc_src_ip 192.0.2.1 enc_dst_ip 192.0.2.2 enc_key_id 100 enc_dst_port 4789 dst_ip 10.0.0.2 / decap output 2");
	ok("pattern ipv6 / udp / geneve vni is 5 / geneve_opt class is 0x0102 type is 0x80 data is 0x00112233 / end actions geneve_decap / port pf0vf1 / end",
	   "group 0 prio 0 transfer: enc_type geneve enc_key_id 5 enc_opts geneve 0102:80:00112233/ffff:ff:ffffffff / decap output 3");
	/* actions */
	ok("pattern port pf0vf0 / end actions of_push_vlan ethertype 0x8100 / of_set_vlan_vid vlan_vid 42 / of_set_vlan_pcp vlan_pcp 5 / port p0 / end",
	   "group 0 prio 0 transfer: in_port 2 / vlan_push 0x8100 42/5 output 0");
	ok("pattern port p0 / vlan vid is 42 / end actions of_pop_vlan / port pf0vf0 / end",
	   "group 0 prio 0 transfer: in_port 0 vlan_tpid 0x0000 vlan_id 42 / vlan_pop output 2");
	ok("pattern port p0 / end actions vlan_set vid 7 / vlan_push vid 9 pcp 1 tpid 0x88a8 / port pf0 / end",
	   "group 0 prio 0 transfer: in_port 0 / vlan_set 0x0007/0x0fff vlan_push 0x88a8 9/1 output 1");
	ok("pattern port pf0vf0 / end actions vxlan_encap vni 100 src 192.0.2.1 dst 192.0.2.2 eth_src 02:00:00:00:00:01 eth_dst 02:00:00:00:00:02 ttl 32 csum / port p0 / end",
	   "group 0 prio 0 transfer: in_port 2 / encap vxlan src_ip 192.0.2.1 dst_ip 192.0.2.2 id 100 ttl 32 csum eth_src 02:00:00:00:00:01 eth_dst 02:00:00:00:00:02 output 0");
	ok("pattern port pf0vf0 / end actions geneve_encap vni 7 src fd00::1 dst fd00::2 dst_port 6081 opt 0102:80:00112233 / port p0 / end",
	   "group 0 prio 0 transfer: in_port 2 / encap geneve src_ip fd00::1 dst_ip fd00::2 id 7 dst_port 6081 nocsum geneve_opts 0102800100112233 output 0");
	ok("pattern port pf0vf0 / end actions set_mac_src mac_addr 02:00:00:00:00:09 / set_ipv4_dst 10.9.9.9 / set_tp_dst port 8080 / dec_ttl / set_ipv4_dscp dscp 46 / port pf0vf1 / end",
	   "group 0 prio 0 transfer: in_port 2 / set eth_src 02:00:00:00:00:09 set ipv4_dst 10.9.9.9 set l4_dst 8080 dec_ttl set ip_dscp 46/0x3f output 3");
	ok("pattern port pf0vf0 / end actions mirror pf0vf1 ratio 4 / mirror port 1 representor / jump group 2 / end",
	   "group 0 prio 0 transfer: in_port 2 / mirror 3 ratio 4 mirror 1 rep jump 2");
	ok("pattern port pf0vf0 / end actions meter id 1 cir 125000 cbs 10000 / mark id 5 / set_meta data 3 mask 0xff / age timeout 30 / queue index 0 / end",
	   "group 0 prio 0 transfer: in_port 2 / meter 1 srtcm cir 125000 cbs 10000 yellow pass red drop mark 5 set_meta 0x3/0xff age 30 to_sw 0");
	ok("pattern port pf0vf0 / ipv4 / tcp / end actions ct zone 5 commit nat src addr 10.0.0.1 - 10.0.0.9 port 1000 - 2000 / port pf0vf1 / end",
	   "group 0 prio 0 transfer: in_port 2 / ct zone 5 commit nat src addr 10.0.0.1 - 10.0.0.9 port 1000-2000 output 3");

	/* refusals name the word and what was expected */
	bad("pattern port pf0vf9 / end actions drop / end", "word 3 'pf0vf9'");
	bad("pattern ipv4 dst is 300.1.1.1 / end actions drop / end", "dst needs an IPv4 or IPv6 address");
	bad("pattern ipv4 dst is fd00::1 / end actions drop / end", "needs an IPv4 address");
	bad("pattern vlan vid is 4096 / end actions drop / end", "vid must be a number 0..4095");
	bad("pattern eth foo is 1 / end actions drop / end", "'eth' has no such field");
	bad("pattern tcp dst / end actions drop / end", "expected 'is', 'spec', 'mask' or 'prefix'");
	bad("pattern ipv4 / end actions bogus / end", "unknown action");
	bad("pattern ipv4 / end actions / end", "expected an action");
	bad("pattern ipv4 / end actions drop", "the actions end with 'end'");
	bad("pattern ipv4 / end actions drop / end extra", "nothing may follow");
	bad("pattern ipv4 / ipv4 / end actions drop / end", "appears twice");
	bad("pattern udp / vxlan vni is 1 / end actions drop / end", "outer 'ipv4' or 'ipv6'");
	bad("pattern eth src is 02:00:00:00:00:01 / ipv4 / udp / vxlan / end actions drop / end",
	    "outer 'eth' of a tunnel cannot be matched");
	bad("pattern geneve_opt class is 1 / end actions drop / end", "must follow a 'geneve'");
	bad("pattern ipv4 / end actions vxlan_encap vni 1 / end", "needs 'src ADDR' and 'dst ADDR'");
	bad("pattern ipv4 / end actions meter cir 1 / end", "meter needs 'id N'");
	bad("group 70000 pattern ipv4 / end actions drop / end", "group must be a number");
	bad("pattern eth / end actions drop / drop / drop / drop / drop / drop / drop / drop / drop / drop / drop / drop / drop / drop / drop / drop / drop / end",
	    "at most 16 actions");
	bad("pattern eth / end actions count / end", "the last action must say where");
	bad("pattern port pf0vf0 / end actions ct nat src addr 11.0.0.1 - 10.0.0.9 / port pf0vf1 / end",
	    "nat_addr_min: above nat_addr_max");
	bad("frobnicate", "expected 'group', 'priority'");
	bad("", "expected 'group'");

	printf("%s\n", failures ? "FAILED" : "all rule texts ok");
	return failures ? 1 : 0;
}
