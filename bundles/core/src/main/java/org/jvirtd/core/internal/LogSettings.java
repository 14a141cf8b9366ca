package org.jvirtd.core.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.jvirtd.platform.conf.ConfFile;

/**
 * Applies libvirtd.conf's logging keys to the JDK logging jvirtd uses: {@code log_level} (1 debug,
 * 2 info, 3 warning, 4 error), {@code log_filters} ("1:qemu 3:rpc": a level for loggers whose name
 * contains the word) and {@code log_outputs} ("3:stderr 1:file:/var/log/jvirtd/jvirtd.log").
 */
final class LogSettings {
    private static final System.Logger LOG = System.getLogger(LogSettings.class.getName());
    /** The handlers this class installed, replaced on every apply. */
    private static final List<Handler> INSTALLED = new ArrayList<>();
    private static int currentLevel = 3;
    private static String currentFilters = "";
    private static String currentOutputs = "";

    private LogSettings() {
    }

    static synchronized void apply(ConfFile settings, boolean verbose) {
        apply(verbose ? 1 : (int) settings.number("log_level", 3), settings.string("log_filters", ""),
            settings.string("log_outputs", ""));
    }

    static synchronized String filters() {
        return currentFilters.trim();
    }

    /** The outputs in effect, the default one spelled out. */
    static synchronized String outputs() {
        return currentOutputs.isBlank() ? currentLevel + ":stderr" : currentOutputs.trim();
    }

    static synchronized void setFilters(String filters) {
        String text = filters == null ? "" : filters;
        for (String filter : text.trim().split("\\s+")) {
            if (!filter.isEmpty() && !filter.matches("[1-4]:\\+?\\S+")) {
                throw new IllegalArgumentException("Invalid log filter '" + filter + "'");
            }
        }
        apply(currentLevel, text, currentOutputs);
    }

    static synchronized void setOutputs(String outputs) {
        String text = outputs == null ? "" : outputs;
        for (String output : text.trim().split("\\s+")) {
            if (!output.isEmpty() && !output.matches("[1-4]:(stderr|file:.+)")) {
                throw new IllegalArgumentException("Invalid log output '" + output + "'");
            }
        }
        apply(currentLevel, currentFilters, text);
    }

    private static void apply(int libvirtLevel, String filterText, String outputs) {
        Level level = level(libvirtLevel);
        List<Filter> filters = filters(filterText);
        currentLevel = libvirtLevel;
        currentFilters = filterText;
        currentOutputs = outputs;
        Logger root = Logger.getLogger("");
        for (Handler handler : INSTALLED) {
            root.removeHandler(handler);
            handler.close();
        }
        INSTALLED.clear();
        List<Handler> handlers = outputs.isBlank() ? List.of(withLevel(new ConsoleHandler(), level))
            : outputs(outputs);
        for (Handler existing : root.getHandlers()) {
            root.removeHandler(existing);
        }
        Level lowest = level;
        for (Filter f : filters) {
            lowest = lowest.intValue() < f.level().intValue() ? lowest : f.level();
        }
        for (Handler handler : handlers) {
            lowest = lowest.intValue() < handler.getLevel().intValue() ? lowest : handler.getLevel();
        }
        root.setLevel(lowest);
        for (Handler handler : handlers) {
            Level threshold = level;
            handler.setFilter(record -> allowed(record, threshold, filters));
            root.addHandler(handler);
            INSTALLED.add(handler);
        }
    }

    private static boolean allowed(LogRecord record, Level threshold, List<Filter> filters) {
        String name = record.getLoggerName() == null ? "" : record.getLoggerName();
        for (Filter f : filters) {
            if (name.contains(f.word())) {
                return record.getLevel().intValue() >= f.level().intValue();
            }
        }
        return record.getLevel().intValue() >= threshold.intValue();
    }

    private static List<Handler> outputs(String text) {
        List<Handler> handlers = new ArrayList<>();
        for (String output : text.trim().split("\\s+")) {
            String[] parts = output.split(":", 3);
            if (parts.length < 2) {
                LOG.log(System.Logger.Level.WARNING, "ignoring malformed log output ''{0}''", output);
                continue;
            }
            Level level = level(Integer.parseInt(parts[0]));
            try {
                switch (parts[1]) {
                    case "stderr" -> handlers.add(withLevel(new ConsoleHandler(), level));
                    case "file" -> {
                        FileHandler file = new FileHandler(parts[2], true);
                        file.setFormatter(new SimpleFormatter());
                        handlers.add(withLevel(file, level));
                    }
                    default -> LOG.log(System.Logger.Level.WARNING, "unsupported log output ''{0}''", output);
                }
            } catch (IOException | ArrayIndexOutOfBoundsException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot open log output ''{0}'': {1}", output, e.getMessage());
            }
        }
        return handlers;
    }

    private static Handler withLevel(Handler handler, Level level) {
        handler.setLevel(level);
        handler.setFormatter(new SimpleFormatter());
        return handler;
    }

    private static List<Filter> filters(String text) {
        List<Filter> filters = new ArrayList<>();
        if (text.isBlank()) {
            return filters;
        }
        for (String filter : text.trim().split("\\s+")) {
            int colon = filter.indexOf(':');
            if (colon > 0) {
                String word = filter.substring(colon + 1).replaceFirst("^\\+", "");
                filters.add(new Filter(word, level(Integer.parseInt(filter.substring(0, colon)))));
            }
        }
        return filters;
    }

    static Level level(int libvirtLevel) {
        return switch (libvirtLevel) {
            case 1 -> Level.FINE;
            case 2 -> Level.INFO;
            case 3 -> Level.WARNING;
            default -> Level.SEVERE;
        };
    }

    private record Filter(String word, Level level) {
    }
}
