/** MBeans, their whiteboard and the remote connector: private to the bundle. */
package org.vigil.jmx.internal;
