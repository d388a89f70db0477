/** Operating-system knobs the election core applies to itself: keepalived's vrrp_rt_priority, vrrp_priority, vrrp_no_swap, vrrp_rlimit_rttime. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.vigil.api.system;
