package org.vigil.netlink;

import org.vigil.libc.LibcException;

/**
 * The kernel's error answer to a netlink request (an NLMSG_ERROR with a negative error, or a dump
 * ending in one): "RTM_NEWADDR 192.0.2.1/24 on lan0: File exists (errno 17)".
 */
public final class NetlinkException extends LibcException {
    private static final long serialVersionUID = 1L;

    public NetlinkException(String what, int errno) {
        super(what, errno);
    }
}
