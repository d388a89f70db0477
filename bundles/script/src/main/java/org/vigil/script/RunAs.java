package org.vigil.script;

/**
 * Who a script runs as: keepalived's {@code user USER [GROUP]} (a script's own, or global_defs
 * {@code script_user}) as typed values, so that no component reads the words again. The config
 * bridge writes each as three attributes, {@code <prefix>user}, {@code <prefix>group} and
 * {@code <prefix>supplementary.groups}.
 *
 * @param user the user name or uid, one word
 * @param group the group name or gid, one word without keepalived's {@code :}; null: the user's
 *        own primary group
 * @param supplementaryGroups also the user's supplementary groups (keepalived's
 *        {@code user USER :[GROUP]}); otherwise the process has only its one group, as in keepalived
 */
public record RunAs(String user, String group, boolean supplementaryGroups) {

    public RunAs {
        user = blankToNull(user);
        group = blankToNull(group);
        if (user == null) {
            throw new IllegalArgumentException("a user is required");
        }
        if (user.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("user '" + user + "': one name expected");
        }
        if (group != null && (group.startsWith(":") || group.chars().anyMatch(Character::isWhitespace))) {
            throw new IllegalArgumentException("group '" + group + "': one name expected, without ':'");
        }
    }

    /**
     * The typed attributes as a configuration holds them: null when no user is set (script_user
     * or keepalived's default then applies). IllegalArgumentException when a group or
     * supplementary groups come without a user, or a name is not one word; the caller names the
     * attribute.
     */
    public static RunAs of(String user, String group, boolean supplementaryGroups) {
        if (blankToNull(user) == null) {
            if (blankToNull(group) != null || supplementaryGroups) {
                throw new IllegalArgumentException("a group needs a user");
            }
            return null;
        }
        return new RunAs(user, group, supplementaryGroups);
    }

    /**
     * {@link #of} for a configuration's three attributes {@code PREFIXuser}, {@code PREFIXgroup}
     * and {@code PREFIXsupplementary.groups} ({@code prefix} "notify.master.", "script.", or "" for
     * a vrrp_script's): IllegalArgumentException "attribute KEY: reason", KEY the attribute at fault.
     */
    public static RunAs ofAttributes(String prefix, String user, String group, boolean supplementaryGroups) {
        try {
            return of(user, group, supplementaryGroups);
        } catch (IllegalArgumentException e) {
            String key = prefix + (e.getMessage().startsWith("group") ? "group" : "user");
            throw new IllegalArgumentException("attribute " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * keepalived's words {@code USER [[:]GROUP]}, for the one place that still holds them as
     * written: a check block's tokens ({@code MISC_CHECK}'s {@code user}). Null when blank.
     */
    public static RunAs words(String text) {
        String t = blankToNull(text);
        if (t == null) {
            return null;
        }
        String[] w = t.split("\\s+", 2);
        if (w.length == 1) {
            return new RunAs(w[0], null, false);
        }
        String group = w[1].trim();
        boolean supplementary = group.startsWith(":");
        return new RunAs(w[0], supplementary ? group.substring(1) : group, supplementary);
    }

    /** As keepalived writes it: {@code user}, {@code user group}, {@code user :group}, {@code user :}. */
    @Override
    public String toString() {
        if (group == null && !supplementaryGroups) {
            return user;
        }
        return user + " " + (supplementaryGroups ? ":" : "") + (group == null ? "" : group);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
