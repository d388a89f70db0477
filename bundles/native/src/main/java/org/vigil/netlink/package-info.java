/**
 * One netlink socket for every netlink user of Vigil (rtnetlink for links, addresses, routes and
 * rules; generic netlink for IPVS; the proc connector): open with a protocol and groups, send,
 * receive with a timeout, requests matched to their answers by sequence number, a kernel error
 * as a {@link org.vigil.netlink.NetlinkException}. Message bodies are the caller's.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.vigil.netlink;
