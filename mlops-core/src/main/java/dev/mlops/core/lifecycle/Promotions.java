package dev.mlops.core.lifecycle;

import dev.mlops.core.AccessDeniedException;
import dev.mlops.core.ConcurrentUpdateException;
import dev.mlops.core.ConflictException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditLog;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.Annotations;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.security.Principal;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gated, approved promotion of a challenger to an alias. {@link #request} evaluates the
 * {@link PromotionGate}; approvals by principals other than the requester ({@link #approve}) are counted
 * until the required number is in; then, if the gate passed, the alias moves with one compare-and-set
 * from the champion the request was made against. A rejection ends the request. Every step is a record
 * in the audit log (the gate's report among the details) and an annotation of the challenger (tag
 * {@code promotion.<alias>}, with the principal and comment as the change note), so the model's history
 * shows it. Thread-safe; requests are kept in memory by this object.
 *
 * <pre>{@code
 * Promotions promotions = Promotions.builder(store, auditLog, gate).approvals(1).build();
 * PromotionRequest r = promotions.request(alice, Candidate.of(challenger).against(champion), "champion", "beats v6");
 * promotions.approve(r.id(), bob, "checked the report");   // the alias moves now: gate passed, one approval in
 * }</pre>
 */
public final class Promotions {
    private static final Logger LOG = LoggerFactory.getLogger(Promotions.class);

    private final ModelStore store;
    private final AuditLog audit;
    private final PromotionGate gate;
    private final int approvalsRequired;
    private final InstantSource clock;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, PromotionRequest> requests = new ConcurrentHashMap<>();
    private final List<Consumer<PromotionRequest>> listeners;

    private Promotions(Builder b) {
        this.store = b.store;
        this.audit = b.audit;
        this.gate = b.gate;
        this.approvalsRequired = b.approvals;
        this.clock = b.clock;
        this.listeners = List.copyOf(b.listeners);
    }

    /**
     * @param store where the alias moves
     * @param audit where every step is recorded
     * @param gate what a challenger must pass
     * @return a builder; one approval required by default
     */
    public static Builder builder(ModelStore store, AuditLog audit, PromotionGate gate) {
        return new Builder(store, audit, gate);
    }

    /** Builds {@link Promotions}. Not thread-safe. */
    public static final class Builder {
        private final ModelStore store;
        private final AuditLog audit;
        private final PromotionGate gate;
        private int approvals = 1;
        private InstantSource clock = InstantSource.system();
        private final List<Consumer<PromotionRequest>> listeners = new ArrayList<>();

        private Builder(ModelStore store, AuditLog audit, PromotionGate gate) {
            this.store = Objects.requireNonNull(store, "store");
            this.audit = Objects.requireNonNull(audit, "audit");
            this.gate = Objects.requireNonNull(gate, "gate");
        }

        /**
         * @param required approvals by principals other than the requester before the alias moves; 0 lets
         *     a passing gate promote at once
         * @return this
         */
        public Builder approvals(int required) {
            if (required < 0) {
                throw new IllegalArgumentException("approvals required must be >= 0, was " + required);
            }
            this.approvals = required;
            return this;
        }

        /**
         * @param source the clock for gate reports
         * @return this
         */
        public Builder clock(InstantSource source) {
            this.clock = Objects.requireNonNull(source, "clock");
            return this;
        }

        /**
         * Adds a listener told of every step, after it is recorded: a request (pending, or rejected by the
         * gate), an approval, a rejection, a promotion. It runs on the thread that took the step; what it
         * throws is logged and does not undo the step. A {@code dev.mlops.core.notify.Webhook} is one.
         *
         * @param listener told of each step, with the request as it stands after it
         * @return this
         */
        public Builder listener(Consumer<PromotionRequest> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** @return the promotions */
        public Promotions build() {
            return new Promotions(this);
        }
    }

    /**
     * Asks to point {@code alias} at the candidate's challenger: evaluates the gate, records the request,
     * and promotes at once when the gate passes and no approval is required. A failed gate rejects the
     * request.
     *
     * @param requester who asks
     * @param candidate the challenger, the champion it replaces (the alias's target now, or none) and evidence
     * @param alias the alias to move, such as {@code champion}
     * @param comment why, for the history
     * @return the request, with the gate's report
     * @throws ConflictException when the candidate's champion is not what the alias points at now
     */
    public PromotionRequest request(Principal requester, Candidate candidate, String alias, String comment) {
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(comment, "comment");
        String model = candidate.challenger().model();
        OptionalLong current = store.find(ModelRef.alias(model, alias)).map(v -> OptionalLong.of(v.version()))
                .orElse(OptionalLong.empty());
        OptionalLong champion = candidate.champion().map(v -> OptionalLong.of(v.version())).orElse(OptionalLong.empty());
        if (!current.equals(champion)) {
            throw new ConflictException("the candidate's champion is " + describe(champion) + ", but " + model + "@"
                    + alias + " points at " + describe(current) + "; evaluate against the alias's target");
        }
        GateReport report = gate.evaluate(candidate, clock.instant());
        long id = ids.incrementAndGet();
        PromotionRequest r = new PromotionRequest(id, candidate.challenger().ref(), alias, champion, requester.name(),
                comment, report, List.of(), PromotionRequest.Status.PENDING, Optional.empty());
        AuditEvent e = event(requester, "promotion.request", r).with("comment", comment);
        for (Map.Entry<String, String> d : report.auditDetails().entrySet()) {
            e = e.with("gate." + d.getKey(), d.getValue());
        }
        audit.append(e.withOutcome(report.passed() ? AuditEvent.Outcome.ALLOWED : AuditEvent.Outcome.DENIED));
        if (!report.passed()) {
            r = r.with(PromotionRequest.Status.REJECTED, r.approvals());
            requests.put(id, r);
            annotate(r, requester, "rejected by the gate: " + report.failures().size() + " criteria failed", comment);
            told(r);
            return r;
        }
        requests.put(id, r);
        annotate(r, requester, "requested, awaiting " + approvalsRequired + " approvals", comment);
        told(r);
        return approvalsRequired == 0 ? promote(r, requester) : r;
    }

    /**
     * Approves a pending request. An approval by the requester does not count and is refused, as is a
     * second approval by the same principal. When the required approvals are in, the alias moves.
     *
     * @param id the request
     * @param approver who approves
     * @param comment why, for the history
     * @return the request after the approval (promoted when it was the last one needed)
     * @throws AccessDeniedException when the approver asked for the promotion or approved it already
     * @throws IllegalStateException when the request is not pending
     */
    public PromotionRequest approve(long id, Principal approver, String comment) {
        Objects.requireNonNull(approver, "approver");
        Objects.requireNonNull(comment, "comment");
        synchronized (this) {
            PromotionRequest r = pending(id);
            if (approver.name().equals(r.requester()) || r.approvals().stream().anyMatch(a -> a.by().equals(approver.name()))) {
                audit.append(event(approver, "promotion.approve", r).with("comment", comment)
                        .with("reason", approver.name().equals(r.requester()) ? "the requester cannot approve"
                                : "already approved by this principal")
                        .withOutcome(AuditEvent.Outcome.DENIED));
                throw new AccessDeniedException(approver.name() + " cannot approve promotion " + id + ": "
                        + (approver.name().equals(r.requester()) ? "they requested it (four eyes)"
                        : "they approved it already"));
            }
            List<PromotionRequest.Approval> approvals = new ArrayList<>(r.approvals());
            approvals.add(new PromotionRequest.Approval(approver.name(), comment, clock.instant()));
            r = r.with(PromotionRequest.Status.PENDING, approvals);
            requests.put(id, r);
            audit.append(event(approver, "promotion.approve", r).with("comment", comment)
                    .with("approvals", approvals.size() + " of " + approvalsRequired));
            annotate(r, approver, "approved " + approvals.size() + " of " + approvalsRequired, comment);
            told(r);
            return approvals.size() >= approvalsRequired ? promote(r, approver) : r;
        }
    }

    /**
     * Rejects a pending request; it can no longer be approved.
     *
     * @param id the request
     * @param by who rejects
     * @param comment why
     * @return the rejected request
     * @throws IllegalStateException when the request is not pending
     */
    public PromotionRequest reject(long id, Principal by, String comment) {
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(comment, "comment");
        synchronized (this) {
            PromotionRequest open = pending(id);
            PromotionRequest r = open.with(PromotionRequest.Status.REJECTED, open.approvals());
            requests.put(id, r);
            audit.append(event(by, "promotion.reject", r).with("comment", comment));
            annotate(r, by, "rejected", comment);
            told(r);
            return r;
        }
    }

    /**
     * @param id a request's id
     * @return the request, if this object made it
     */
    public Optional<PromotionRequest> get(long id) {
        return Optional.ofNullable(requests.get(id));
    }

    private PromotionRequest pending(long id) {
        PromotionRequest r = requests.get(id);
        if (r == null) {
            throw new IllegalArgumentException("no promotion request " + id);
        }
        if (r.status() != PromotionRequest.Status.PENDING) {
            throw new IllegalStateException("promotion request " + id + " is " + r.status() + ", not pending");
        }
        return r;
    }

    /** The final compare-and-set: from the champion the request was made against, to the challenger. */
    private PromotionRequest promote(PromotionRequest r, Principal by) {
        String model = r.challenger().model();
        AliasExpect expect = r.champion().isPresent() ? AliasExpect.current(r.champion().getAsLong()) : AliasExpect.absent();
        StringBuilder why = new StringBuilder("promotion " + r.id() + " requested by " + r.requester());
        if (!r.approvals().isEmpty()) {
            why.append(", approved by ").append(String.join(", ", r.approvals().stream().map(PromotionRequest.Approval::by)
                    .toList()));
        }
        try {
            AliasMove move = store.setAlias(model, r.alias(), r.challenger().version(), expect,
                    ChangeNote.by(by.name()).because(why.toString()));
            PromotionRequest done = r.with(PromotionRequest.Status.PROMOTED, r.approvals(), Optional.of(move));
            requests.put(r.id(), done);
            audit.append(event(by, "promotion.promote", done).with("from", describe(move.from()))
                    .with("to", describe(move.to())));
            annotate(done, by, "promoted", why.toString());
            told(done);
            return done;
        } catch (MlopsException e) {
            audit.append(event(by, "promotion.promote", r).with("error", String.valueOf(e.getMessage()))
                    .withOutcome(AuditEvent.Outcome.FAILED));
            throw e;
        }
    }

    private void told(PromotionRequest r) {
        for (Consumer<PromotionRequest> listener : listeners) {
            try {
                listener.accept(r);
            } catch (RuntimeException e) {
                LOG.warn("a promotion listener failed on request {} ({})", r.id(), r.status(), e);
            }
        }
    }

    private static AuditEvent event(Principal actor, String action, PromotionRequest r) {
        return AuditEvent.of(actor.name(), action, r.challenger().toString()).with("request", Long.toString(r.id()))
                .with("alias", r.alias()).with("champion", describe(r.champion()));
    }

    private static String describe(OptionalLong version) {
        return version.isPresent() ? "v" + version.getAsLong() : "nothing";
    }

    /** Records the step on the challenger itself, so the model's history shows it; a failure here is not fatal. */
    private void annotate(PromotionRequest r, Principal by, String status, String comment) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                ModelVersion v = store.get(r.challenger());
                store.annotate(r.challenger(), v.revision(), Annotations.builder()
                        .putTag("promotion." + r.alias(), "#" + r.id() + " " + status).build(),
                        ChangeNote.by(by.name()).because(comment));
                return;
            } catch (ConcurrentUpdateException retry) {
                LOG.debug("annotating {} raced another annotation; reading its revision again", r.challenger());
            }
        }
        LOG.warn("could not record promotion {} ({}) on {}: three annotations came first", r.id(), status,
                r.challenger());
    }
}
