package org.fedorabuild.hub.web;

/** The signed-in visitor a {@link SignIn} attached to a request. */
public record WebUser(int id, String name, boolean admin) {
}
