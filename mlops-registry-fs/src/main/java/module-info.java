/**
 * mlops filesystem back ends: a model store and an audit log on a local or shared POSIX directory.
 */
module dev.mlops.registry.fs {
    requires transitive dev.mlops.core;
    requires org.slf4j;

    exports dev.mlops.registry.fs;
}
