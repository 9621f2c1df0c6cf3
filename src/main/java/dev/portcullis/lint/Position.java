package dev.portcullis.lint;

/** Where a node starts in the Dockerfile: 1-based line and column. */
record Position(int line, int column) {
    public Position {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column start at 1");
        }
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
