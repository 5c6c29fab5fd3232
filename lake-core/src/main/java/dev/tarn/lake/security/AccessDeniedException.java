package dev.tarn.lake.security;

import dev.tarn.lake.TarnException;

/** The lake's access policy refused an operation. Nothing was read or written. */
public class AccessDeniedException extends TarnException {
    public AccessDeniedException(Principal principal, Privilege privilege, String resource) {
        super(principal + " may not " + privilege.name().toLowerCase(java.util.Locale.ROOT) + " " + resource
                + "; ask the lake's administrator for access");
    }
}
