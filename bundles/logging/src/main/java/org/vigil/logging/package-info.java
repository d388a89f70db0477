/**
 * Vigil's logging support inside logback: {@link org.vigil.logging.CountingAsyncAppender}, and
 * the count of lines it dropped for management code to read.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.vigil.logging;
