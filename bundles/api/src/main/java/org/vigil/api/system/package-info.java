/**
 * Operating-system services for the election core: knobs it applies to itself (keepalived's
 * vrrp_rt_priority, vrrp_priority, vrrp_no_swap, vrrp_rlimit_rttime) and the kernel's process
 * events behind vrrp_track_process (0.3.0).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.vigil.api.system;
