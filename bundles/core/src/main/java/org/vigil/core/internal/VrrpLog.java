package org.vigil.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where keepalived-worded lines go. The real one is SLF4J; tests record. */
interface VrrpLog {
    /** The logger name monitoring setups match on. */
    String LOGGER_NAME = "org.vigil.vrrp";
    /** Framework property (bin/vigil -D) that enables the "detail" lines keepalived logs with -D. */
    String DETAIL_PROPERTY = "vigil.log.detail";

    void line(String line, boolean detail);

    static VrrpLog slf4j(boolean detailEnabled) {
        Logger logger = LoggerFactory.getLogger(LOGGER_NAME);
        return (line, detail) -> {
            if (!detail || detailEnabled) {
                logger.info(line);
            }
        };
    }
}
