package org.fedorabuild.hub.cli;

import org.fedorabuild.hub.config.HubConfig;
import org.fedorabuild.hub.db.Db;
import org.fedorabuild.hub.db.HubDatabase;
import org.fedorabuild.hub.server.HubServices;
import org.fedorabuild.pg.Database;

/**
 * An admin command's connection to the hub database: the running hub's embedded server when there is
 * one, else one started for the command and stopped after it.
 */
final class AdminSession implements AutoCloseable {
    final HubConfig config;
    final Database database;
    final HubServices services;

    AdminSession(HubOptions options) {
        this.config = options.load(null);
        this.database = HubDatabase.open(config, "copr-hub-admin", 2);
        this.services = new HubServices(new Db(database.dataSource()), config);
    }

    <T> T tx(Db.Work<T> work) {
        return services.db.tx(work);
    }

    @Override
    public void close() {
        database.close();
    }
}
