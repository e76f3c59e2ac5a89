package org.fedorabuild.hub.chain;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a chain build stands and what may start next. A package becomes ready once every chain member it
 * waits for has built; ready packages start in {@link ChainPriority} order; a failure skips everything that
 * waits on it (with the reason naming the failed package). Cycles are either failed at once, naming their
 * members, or built by bounded retry confined to the cycle: members start once their outside dependencies
 * are built, and a failed member is tried again only after another member of its cycle has built since its
 * last attempt, at most {@code maxAttempts} times.
 */
public final class ChainProgress {
    /** The life of one package in the chain. */
    public enum State { WAITING, READY, RUNNING, BUILT, FAILED, SKIPPED }

    /** How cycles are handled. */
    public enum CyclePolicy { FAIL, RETRY }

    private final ChainPlan plan;
    private final ChainPriority priority;
    private final CyclePolicy policy;
    private final int maxAttempts;
    private final State[] state;
    private final String[] reason;
    private final int[] attempts;
    private final int[] cycleSuccessesAtAttempt;
    private final int[] cycleOf;
    private final int[] cycleSuccesses;

    public ChainProgress(ChainPlan plan, ChainPriority priority, CyclePolicy policy, int maxAttempts) {
        this.plan = plan;
        this.priority = priority;
        this.policy = policy;
        this.maxAttempts = Math.max(1, maxAttempts);
        int n = plan.size();
        state = new State[n];
        reason = new String[n];
        attempts = new int[n];
        cycleSuccessesAtAttempt = new int[n];
        cycleOf = new int[n];
        java.util.Arrays.fill(state, State.WAITING);
        java.util.Arrays.fill(cycleOf, -1);
        List<int[]> cycles = plan.cycles();
        cycleSuccesses = new int[cycles.size()];
        for (int c = 0; c < cycles.size(); c++) {
            for (int m : cycles.get(c)) {
                cycleOf[m] = c;
                if (policy == CyclePolicy.FAIL) {
                    state[m] = State.FAILED;
                    reason[m] = "dependency cycle: " + plan.describeCycle(cycles.get(c));
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (state[i] == State.FAILED) {
                skipDependants(i);
            }
        }
        refresh();
    }

    /** Restores a package's state after a restart (RUNNING ones are the caller's to re-attach or requeue). */
    public void restore(int i, State s, String why, int tries) {
        state[i] = s;
        reason[i] = why;
        attempts[i] = tries;
        if (s == State.BUILT && cycleOf[i] >= 0) {
            cycleSuccesses[cycleOf[i]]++;
        }
        refresh();
    }

    private boolean waitsOn(int i, int dep) {
        return !(policy == CyclePolicy.RETRY && cycleOf[i] >= 0 && cycleOf[i] == cycleOf[dep]);
    }

    /** Moves WAITING packages whose dependencies are all built to READY. */
    private void refresh() {
        for (int i = 0; i < state.length; i++) {
            if (state[i] != State.WAITING) {
                continue;
            }
            boolean ok = true;
            for (int d : plan.dependsOn(i)) {
                if (waitsOn(i, d) && state[d] != State.BUILT) {
                    ok = false;
                    break;
                }
            }
            if (ok && (attempts[i] == 0 || cycleOf[i] < 0 || cycleSuccesses[cycleOf[i]] > cycleSuccessesAtAttempt[i])) {
                state[i] = State.READY;
            }
        }
    }

    /** Up to {@code max} ready packages, highest {@link ChainPriority} first, now RUNNING. */
    public List<Integer> start(int max) {
        List<Integer> ready = new ArrayList<>();
        for (int i = 0; i < state.length; i++) {
            if (state[i] == State.READY) {
                ready.add(i);
            }
        }
        ready.sort(priority.order());
        List<Integer> started = ready.subList(0, Math.min(max, ready.size()));
        for (int i : started) {
            state[i] = State.RUNNING;
            attempts[i]++;
            if (cycleOf[i] >= 0) {
                cycleSuccessesAtAttempt[i] = cycleSuccesses[cycleOf[i]];
            }
        }
        return List.copyOf(started);
    }

    /** Records the end of an attempt. */
    public void finished(int i, boolean built, String why) {
        if (state[i] != State.RUNNING) {
            throw new IllegalStateException(plan.packages().get(i).nvr() + " is " + state[i] + ", not RUNNING");
        }
        if (built) {
            state[i] = State.BUILT;
            reason[i] = null;
            if (cycleOf[i] >= 0) {
                cycleSuccesses[cycleOf[i]]++;
            }
        } else if (cycleOf[i] >= 0 && policy == CyclePolicy.RETRY && attempts[i] < maxAttempts) {
            state[i] = State.WAITING;
            reason[i] = why;
        } else {
            state[i] = State.FAILED;
            reason[i] = why;
        }
        refresh();
        giveUpStalledCycles();
        for (int k = 0; k < state.length; k++) {
            if (state[k] == State.FAILED) {
                skipDependants(k);
            }
        }
    }

    /** A cycle member waiting for a retry that no running member can enable any more has failed for good. */
    private void giveUpStalledCycles() {
        for (int i = 0; i < state.length; i++) {
            if (state[i] != State.WAITING || cycleOf[i] < 0 || attempts[i] == 0) {
                continue;
            }
            boolean hope = false;
            for (int j = 0; j < state.length; j++) {
                if (cycleOf[j] == cycleOf[i] && (state[j] == State.RUNNING || state[j] == State.READY)) {
                    hope = true;
                    break;
                }
            }
            if (!hope) {
                state[i] = State.FAILED;
                reason[i] = "cycle " + plan.describeCycle(plan.cycles().get(cycleOf[i])) + " made no progress: " + reason[i];
            }
        }
    }

    private void skipDependants(int failed) {
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>(List.of(failed));
        while (!queue.isEmpty()) {
            int f = queue.poll();
            for (int d : plan.dependants(f)) {
                if ((state[d] == State.WAITING || state[d] == State.READY) && waitsOn(d, f)) {
                    state[d] = State.SKIPPED;
                    reason[d] = "not built: it needs " + plan.packages().get(f).nvr() + ", which "
                            + (state[f] == State.SKIPPED ? "was skipped" : "failed");
                    queue.add(d);
                }
            }
        }
    }

    public State state(int i) {
        return state[i];
    }

    public String reason(int i) {
        return reason[i];
    }

    public int attempts(int i) {
        return attempts[i];
    }

    /** True when nothing is running or can start any more. */
    public boolean finished() {
        for (State s : state) {
            if (s == State.WAITING || s == State.READY || s == State.RUNNING) {
                return false;
            }
        }
        return true;
    }

    public long count(State s) {
        return java.util.Arrays.stream(state).filter(x -> x == s).count();
    }
}
