package dev.tarn.lake.security;

import dev.tarn.lake.exceptions.PermissionDeniedException;

/**
 * Decides whether a principal may perform an operation on a resource. Every public operation of a
 * lake asks its policy first; a denial throws {@link PermissionDeniedException} before anything is
 * read or written.
 *
 * <p>{@code resource} is {@code "lake"}, a zone name ({@code "raw"}) or a dataset ({@code
 * "raw/clicks"}).
 */
@FunctionalInterface
public interface AccessPolicy {
    /** Lets everybody do everything: the default for an embedded lake owned by one application. */
    AccessPolicy ALLOW_ALL = (principal, privilege, resource) -> true;

    boolean allows(Principal principal, Privilege privilege, String resource);
}
