/**
 * The one way both daemons run external commands (rpm, createrepo_c, git, hooks, PostgreSQL's tools, the local
 * builder's scripts) and read the output of commands run over SSH.
 *
 * <ul>
 *   <li>{@link org.fedorabuild.process.Command}: a local command run to completion: stdout and stderr drained on
 *       their own threads while it runs (a chatty command never blocks on a full pipe), a time limit after which
 *       the whole process tree is killed, the last lines of output in every error.</li>
 *   <li>{@link org.fedorabuild.process.OutputDrain}: the draining half on its own, for a channel whose process is
 *       elsewhere (an SSH session).</li>
 * </ul>
 *
 * <pre>
 *   CommandResult r = Command.of("createrepo_c", "--update", dir.toString())
 *           .timeout(Duration.ofMinutes(10))
 *           .runChecked("publishing " + dir);      // CommandException on non-zero exit, overrun or failure to start
 * </pre>
 *
 * It lives in the embedded-postgres module only because both daemons already depend on it and PostgreSQL's
 * tools are run through it too.
 */
package org.fedorabuild.process;
