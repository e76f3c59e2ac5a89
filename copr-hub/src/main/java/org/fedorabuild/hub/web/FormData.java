package org.fedorabuild.hub.web;

import java.util.List;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.util.Fields;

/**
 * The fields of a posted {@code application/x-www-form-urlencoded} form where {@link WebRequest#form} is too
 * narrow: repeated fields (checkboxes) and long text areas, each with its own bound.
 */
public final class FormData {
    private final Fields fields;

    private FormData(Fields fields) {
        this.fields = fields;
    }

    public static FormData of(WebRequest req) {
        try {
            return new FormData(FormFields.getFields(req.jetty()));
        } catch (RuntimeException e) {
            throw HttpError.badRequest("unreadable form: " + e.getMessage());
        }
    }

    /** Every value of a repeated field (checkboxes), each at most {@code max} characters. */
    public List<String> all(String name, int max) {
        List<String> v = fields.getValues(name);
        if (v == null) {
            return List.of();
        }
        if (v.size() > 500) {
            throw HttpError.badRequest("too many values of " + name + " (at most 500)");
        }
        for (String s : v) {
            if (s.length() > max || s.indexOf('\0') >= 0) {
                throw HttpError.badRequest(name + " is longer than " + max + " characters or holds a NUL");
            }
        }
        return v.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** One field's text (text areas: several lines), "" when absent, at most {@code max} characters. */
    public String text(String name, int max) {
        String v = fields.getValue(name);
        if (v == null) {
            return "";
        }
        if (v.length() > max || v.indexOf('\0') >= 0) {
            throw HttpError.badRequest(name + " is longer than " + max + " characters or holds a NUL");
        }
        return v.strip();
    }

    public boolean checked(String name) {
        return fields.getValue(name) != null;
    }

    /** The non-empty lines of a text field. */
    public List<String> lines(String name, int max) {
        return text(name, max).lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
