package org.vigil.examples.redis;

import org.osgi.service.component.annotations.Component;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.CheckType;
import org.vigil.api.check.CheckTypeName;
import org.vigil.api.check.HealthCheck;

/**
 * REDIS_CHECK: the real server passes when it answers PING with PONG. A Vigil-only block
 * (keepalived does not know it):
 *
 * <pre>
 * real_server 192.0.2.21 6379 {
 *     REDIS_CHECK {
 *         connect_timeout 2
 *         password secret      # optional: AUTH first; never logged
 *     }
 * }
 * </pre>
 */
@Component(service = CheckType.class)
@CheckTypeName(type = RedisCheckType.TYPE)
public final class RedisCheckType implements CheckType {
    static final String TYPE = "REDIS_CHECK";

    /** The block's own keywords, typed (see CheckProperties). */
    @interface Config {
        String password() default "";
    }

    @Override
    public HealthCheck prepare(CheckSpec spec) {
        Config config = spec.properties().as(Config.class);
        return new RedisCheck(spec, config.password());
    }
}
