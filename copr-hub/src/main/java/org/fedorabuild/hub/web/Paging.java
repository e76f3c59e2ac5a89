package org.fedorabuild.hub.web;

/**
 * One page of a list: {@code ?page=N} (1-based), a fixed page size, and whether a next page exists (the
 * query asks for one row more than it shows, so no list is ever counted or read whole).
 */
public record Paging(int page, int size) {
    public static final int MAX_PAGE = 100_000;

    public static Paging of(WebRequest r, int size) {
        long p = r.number("page", 1);
        if (p < 1 || p > MAX_PAGE) {
            throw HttpError.badRequest("bad page '" + p + "': expected 1 to " + MAX_PAGE);
        }
        return new Paging((int) p, size);
    }

    /** SQL LIMIT: one more than shown, to learn whether a next page exists. */
    public int limit() {
        return size + 1;
    }

    public long offset() {
        return (long) (page - 1) * size;
    }

    /** The rows to show, given what the LIMIT {@link #limit()} query returned; pager links keep the other parameters. */
    public <T> Page<T> cut(java.util.List<T> rows, WebRequest r) {
        boolean more = rows.size() > size;
        return new Page<>(more ? rows.subList(0, size) : rows, page, more ? r.withParam("page", String.valueOf(page + 1)) : null,
                page > 1 ? r.withParam("page", String.valueOf(page - 1)) : null);
    }

    /** Rows of one page, its number, and the hrefs of the next and previous pages (null: none). */
    public record Page<T>(java.util.List<T> rows, int number, String nextHref, String previousHref) {

        public boolean isEmpty() {
            return rows.isEmpty();
        }
    }
}
