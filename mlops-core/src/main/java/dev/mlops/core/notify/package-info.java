/**
 * Telling a team: {@link dev.mlops.core.notify.Webhook} posts registry events, monitor alerts and
 * promotion steps as JSON to a chat tool's incoming webhook, off the caller's thread.
 *
 * <pre>{@code
 * Webhook team = Webhook.builder(URI.create(System.getenv("SLACK_WEBHOOK")), scheduler).build();
 * store.subscribe(team);
 * }</pre>
 */
package dev.mlops.core.notify;
