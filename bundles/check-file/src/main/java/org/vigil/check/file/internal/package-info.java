/** FILE_CHECK: the value in a tracked file decides the real server; nothing here is exported. */
package org.vigil.check.file.internal;
