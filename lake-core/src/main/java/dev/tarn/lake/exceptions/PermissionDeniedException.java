package dev.tarn.lake.exceptions;

import dev.tarn.lake.security.Principal;
import dev.tarn.lake.security.Privilege;

/**
 * The lake's access policy refused an operation. Nothing was read or written. (Named so as not to
 * shadow the JDK's {@code java.nio.file.AccessDeniedException}, which a filesystem failure may
 * still throw.)
 */
public class PermissionDeniedException extends TarnException {
    public PermissionDeniedException(Principal principal, Privilege privilege, String resource) {
        super(
                ErrorCode.PERMISSION_DENIED,
                principal
                        + " may not "
                        + privilege.name().toLowerCase(java.util.Locale.ROOT)
                        + " "
                        + resource,
                "; ask the lake's administrator for access",
                null);
    }
}
