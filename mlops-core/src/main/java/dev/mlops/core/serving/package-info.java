/**
 * Serving: {@link dev.mlops.core.serving.LiveModel} keeps the version an alias points at loaded and ready,
 * swaps atomically when the alias moves, holds one version per request, and rolls back in one call.
 *
 * <pre>{@code
 * LiveModel<Scorer> live = LiveModel.follow(store, "fraud-scorer", "champion", (version, bytes) -> Scorer.read(bytes));
 * double score = live.apply(scorer -> scorer.score(features));
 * live.rollback(ChangeNote.by("oncall").because("p99 doubled"));
 * }</pre>
 */
package dev.mlops.core.serving;
