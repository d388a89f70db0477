package org.vigil.api.vrrp;

/** The states of a VRRP instance: RFC 5798 section 6.4 plus keepalived's FAULT. */
public enum InstanceState {
    /** Not started yet, or stopped. */
    INIT,
    BACKUP,
    MASTER,
    /** keepalived's FAULT: a tracked interface or script failed, or no driver can carry packets. */
    FAULT
}
