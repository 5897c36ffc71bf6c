package dev.mlops.core.lifecycle;

import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.ModelRef;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A request to point an alias at a challenger, as {@link Promotions} keeps it. Immutable: each step
 * returns a new value.
 *
 * @param id the request's number, unique within its {@link Promotions}
 * @param challenger the version proposed
 * @param alias the alias to move
 * @param champion the alias's target when the request was made (the compare-and-set expects it), if any
 * @param requester who asked
 * @param comment why they asked
 * @param gate the gate's report
 * @param approvals the approvals counted so far, in order
 * @param status where the request stands
 * @param move the alias move that promoted it, once promoted
 */
public record PromotionRequest(long id, ModelRef.ByVersion challenger, String alias, OptionalLong champion,
        String requester, String comment, GateReport gate, List<Approval> approvals, Status status,
        Optional<AliasMove> move) {

    /** Where a request stands. */
    public enum Status {
        /** The gate passed; waiting for approvals. */
        PENDING,
        /** The alias points at the challenger. */
        PROMOTED,
        /** The gate failed, or a principal rejected it. */
        REJECTED
    }

    /**
     * One approval.
     *
     * @param by the approving principal's name
     * @param comment what they said
     * @param at when
     */
    public record Approval(String by, String comment, Instant at) {
        /**
         * Checks the parts.
         *
         * @param by the approving principal's name
         * @param comment what they said
         * @param at when
         */
        public Approval {
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(comment, "comment");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * Checks and copies the parts.
     *
     * @param id the request's number, unique within its {@link Promotions}
     * @param challenger the version proposed
     * @param alias the alias to move
     * @param champion the alias's target when the request was made (the compare-and-set expects it), if any
     * @param requester who asked
     * @param comment why they asked
     * @param gate the gate's report
     * @param approvals the approvals counted so far, in order
     * @param status where the request stands
     * @param move the alias move that promoted it, once promoted
     */
    public PromotionRequest {
        Objects.requireNonNull(challenger, "challenger");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(champion, "champion");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(comment, "comment");
        Objects.requireNonNull(gate, "gate");
        approvals = List.copyOf(approvals);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(move, "move");
    }

    PromotionRequest with(Status newStatus, List<Approval> newApprovals) {
        return with(newStatus, newApprovals, move);
    }

    PromotionRequest with(Status newStatus, List<Approval> newApprovals, Optional<AliasMove> newMove) {
        return new PromotionRequest(id, challenger, alias, champion, requester, comment, gate, newApprovals, newStatus,
                newMove);
    }
}
