package dev.portcullis.lint;

/** A here-document of RUN, COPY or ADD: {@code <<EOF ... EOF}. */
record Heredoc(String delimiter, boolean stripTabs, boolean expand, String body) {}
