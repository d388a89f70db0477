/** MISC_CHECK: a script per attempt through org.vigil.script; nothing here is exported. */
package org.vigil.check.misc.internal;
