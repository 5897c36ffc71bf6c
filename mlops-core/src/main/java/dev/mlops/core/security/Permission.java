package dev.mlops.core.security;

/**
 * What a principal may do with a model, in increasing order: each level includes the ones below it.
 * The levels and what each allows follow MLflow's registered-model permissions (READ, EDIT, MANAGE of
 * its authentication app), mapped onto {@link dev.mlops.core.registry.ModelStore}'s calls:
 *
 * <table>
 *   <caption>The permission each store call needs on the model it concerns</caption>
 *   <tr><th>store call</th><th>needs</th><th>MLflow's counterpart and its permission</th></tr>
 *   <tr><td>find, get, open, openVersion</td><td>READ</td><td>Get Model Version, Get Model Version By Alias,
 *       Get Latest Versions, Get Model Version Download Uri: can_read</td></tr>
 *   <tr><td>model, versions, aliasHistory, tombstones</td><td>READ</td><td>Get Registered Model: can_read</td></tr>
 *   <tr><td>search with a model</td><td>READ</td><td>Search Model Versions (filtered to READ)</td></tr>
 *   <tr><td>register</td><td>EDIT</td><td>Create Model Version: can_update. MLflow lets anyone create a
 *       registered model; here the first version of a new model needs EDIT on its name (default deny)</td></tr>
 *   <tr><td>annotate putting tags or a description</td><td>EDIT</td><td>Update Model Version, Set Model
 *       Version Tag: can_update</td></tr>
 *   <tr><td>annotate removing a tag</td><td>MANAGE</td><td>Delete Model Version Tag: can_delete</td></tr>
 *   <tr><td>annotateModel (tags put or removed, description)</td><td>EDIT</td><td>Update Registered Model,
 *       Set and Delete Registered Model Tag: can_update</td></tr>
 *   <tr><td>setAlias, rollback</td><td>EDIT</td><td>Set Registered Model Alias: can_update</td></tr>
 *   <tr><td>removeAlias</td><td>MANAGE</td><td>Delete Registered Model Alias: can_delete</td></tr>
 *   <tr><td>delete</td><td>MANAGE</td><td>Delete Model Version: can_delete</td></tr>
 *   <tr><td>deleteModel</td><td>MANAGE</td><td>Delete Registered Model: can_delete</td></tr>
 *   <tr><td>models, search without a model, children, events, subscribe</td><td>none; the results are
 *       filtered to the models the principal may READ</td><td>Search Registered Models, Search Model
 *       Versions: only models with READ</td></tr>
 * </table>
 *
 * <p>MLflow's MANAGE also lets a user change others' permissions; here an {@link AccessPolicy} is the
 * application's, not the store's, so there is nothing more to manage. MLflow's NO_PERMISSIONS is the
 * absence of a grant ({@link AccessPolicy#permission} returns empty), and unlike MLflow, whose default is
 * READ for everyone, the default here is to deny.
 *
 * <pre>{@code
 * Permission.MANAGE.covers(Permission.EDIT);   // true
 * Permission.READ.covers(Permission.EDIT);     // false
 * }</pre>
 */
public enum Permission {
    /** Read metadata and artifacts, list, search, follow events. */
    READ,
    /** READ, and register versions, annotate, set and roll back aliases. */
    EDIT,
    /** EDIT, and delete versions and models, remove aliases and version tags. */
    MANAGE;

    /**
     * @param needed the permission an operation needs
     * @return whether holding this permission is enough: this level is {@code needed} or above it
     */
    public boolean covers(Permission needed) {
        return compareTo(needed) >= 0;
    }
}
