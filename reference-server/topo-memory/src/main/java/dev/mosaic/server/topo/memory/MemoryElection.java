package dev.mosaic.server.topo.memory;

import dev.mosaic.spi.topo.LeaderParticipation;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One leader election: candidates queue in the order they start waiting; the head of the queue
 * leads. All state is guarded by the backend's monitor.
 */
final class MemoryElection {
    private final MemoryBackend backend;
    private final String name;
    private final List<Candidate> queue = new ArrayList<>();
    private final List<LeaderWatcher> watchers = new ArrayList<>();

    MemoryElection(MemoryBackend backend, String name) {
        this.backend = backend;
        this.name = name;
    }

    private final class Candidate {
        final long session;
        final String id;
        final long term = backend.newToken();

        Candidate(long session, String id) {
            this.session = session;
            this.id = id;
        }
    }

    private final class LeaderWatcher {
        final Consumer<Optional<String>> listener;
        final SerialDelivery delivery = new SerialDelivery(() -> { });
        Optional<String> last;

        LeaderWatcher(Consumer<Optional<String>> listener) {
            this.listener = listener;
        }

        void offer(Optional<String> leader) {
            if (!leader.equals(last)) {
                last = leader;
                delivery.submit(() -> listener.accept(leader));
            }
        }
    }

    private Optional<String> leader() {
        return queue.isEmpty() ? Optional.empty() : Optional.of(queue.get(0).id);
    }

    private void changed() {
        Optional<String> leader = leader();
        for (LeaderWatcher w : watchers) {
            w.offer(leader);
        }
        backend.notifyAll();
    }

    private void remove(Candidate c) {
        if (queue.remove(c)) {
            changed();
        }
    }

    /** Called under the backend monitor when a session ends. */
    void removeSession(long session) {
        if (queue.removeIf(c -> c.session == session)) {
            changed();
        }
    }

    /**
     * A participant of {@code session}; {@code sessionAlive} turns false when the session ends, so
     * that a participation made before the end cannot join afterwards (a leader nobody could
     * remove).
     */
    LeaderParticipation participant(long session, String id, java.util.function.BooleanSupplier sessionAlive) {
        Objects.requireNonNull(id, "id");
        return new LeaderParticipation() {
            private Candidate current;
            private boolean stopped;

            @Override
            public LeadershipTerm waitForLeadership(Duration timeout) {
                long deadline = System.nanoTime() + timeout.toNanos();
                synchronized (backend) {
                    if (stopped) {
                        throw new TopoException(TopoError.INTERRUPTED, name, "participation was stopped");
                    }
                    if (!sessionAlive.getAsBoolean()) {
                        throw new TopoException(TopoError.INTERRUPTED, name, "the participation's session has ended");
                    }
                    if (current == null || !queue.contains(current)) {
                        current = new Candidate(session, id);
                        queue.add(current);
                        changed();
                    }
                    Candidate me = current;
                    while (queue.isEmpty() || queue.get(0) != me) {
                        if (!queue.contains(me)) {
                            throw new TopoException(TopoError.INTERRUPTED, name, "participation ended while waiting");
                        }
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            remove(me);
                            current = null;
                            throw new TopoException(TopoError.TIMEOUT, name, "not elected within " + timeout);
                        }
                        try {
                            backend.wait(Math.max(1, left / 1_000_000));
                        } catch (InterruptedException e) {
                            remove(me);
                            current = null;
                            Thread.currentThread().interrupt();
                            throw new TopoException(TopoError.INTERRUPTED, name, "interrupted while waiting", e);
                        }
                    }
                    return term(me);
                }
            }

            private LeadershipTerm term(Candidate me) {
                return new LeadershipTerm() {
                    @Override
                    public boolean isLeader() {
                        synchronized (backend) {
                            return !queue.isEmpty() && queue.get(0) == me;
                        }
                    }

                    @Override
                    public boolean awaitLoss(Duration timeout) {
                        long deadline = System.nanoTime() + timeout.toNanos();
                        synchronized (backend) {
                            while (!queue.isEmpty() && queue.get(0) == me) {
                                long left = deadline - System.nanoTime();
                                if (left <= 0) {
                                    return false;
                                }
                                try {
                                    backend.wait(Math.max(1, left / 1_000_000));
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                    throw new TopoException(TopoError.INTERRUPTED, name, "interrupted", e);
                                }
                            }
                            return true;
                        }
                    }

                    @Override
                    public void resign() {
                        synchronized (backend) {
                            remove(me);
                        }
                    }
                };
            }

            @Override
            public Optional<String> currentLeader() {
                synchronized (backend) {
                    return leader();
                }
            }

            @Override
            public AutoCloseable watchLeader(Consumer<Optional<String>> listener) {
                LeaderWatcher w = new LeaderWatcher(listener);
                synchronized (backend) {
                    watchers.add(w);
                    w.offer(leader());
                }
                return () -> {
                    synchronized (backend) {
                        watchers.remove(w);
                    }
                };
            }

            @Override
            public void stop() {
                synchronized (backend) {
                    stopped = true;
                    if (current != null) {
                        remove(current);
                        current = null;
                    }
                }
            }
        };
    }
}
