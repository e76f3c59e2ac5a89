/**
 * Koji's state codes, defined once for the hub, the watchdog and the SQL CHECK constraints that guard them
 * ({@code sql/copr-hub}). The numbers are Koji's wire values ({@code koji.TASK_STATES}, {@code koji.BUILD_STATES},
 * {@code koji.REPO_STATES}) and never change; the names are what the CLI prints. Koji hosts have no state code:
 * a host is described by its {@code enabled} and {@code ready} flags.
 */
package org.fedorabuild.compat.state;
