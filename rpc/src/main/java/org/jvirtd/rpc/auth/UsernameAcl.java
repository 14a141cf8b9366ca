package org.jvirtd.rpc.auth;

import java.util.List;
import java.util.regex.Pattern;

/**
 * sasl_allowed_username_list: the shell-style patterns (*, ?, [...]) a SASL username must match; no list
 * lets every authenticated user in, an empty one nobody.
 */
public final class UsernameAcl {
    private final List<Pattern> patterns;

    private UsernameAcl(List<Pattern> patterns) {
        this.patterns = patterns;
    }

    /** @param globs the configured patterns, null when the setting is absent */
    public static UsernameAcl of(List<String> globs) {
        return new UsernameAcl(globs == null ? null : globs.stream().map(UsernameAcl::compile).toList());
    }

    public boolean allows(String username) {
        if (patterns == null) {
            return true;
        }
        return username != null && patterns.stream().anyMatch(p -> p.matcher(username).matches());
    }

    /** fnmatch(3) without flags, as a regular expression. */
    static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '[' -> {
                    int end = glob.indexOf(']', i + 2);
                    if (end < 0) {
                        regex.append("\\[");
                    } else {
                        String set = glob.substring(i + 1, end);
                        if (set.startsWith("!")) {
                            set = "^" + set.substring(1);
                        }
                        regex.append('[').append(set.replace("\\", "\\\\")).append(']');
                        i = end;
                    }
                }
                case '\\' -> {
                    if (i + 1 < glob.length()) {
                        regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                    } else {
                        regex.append("\\\\");
                    }
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
