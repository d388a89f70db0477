/** The health-check engine, its configuration components and the check:* commands; nothing here is exported. */
package org.vigil.checker.internal;
