package org.fedorabuild.hub.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedorabuild.compat.state.BuildState;
import org.fedorabuild.compat.state.RepoState;
import org.fedorabuild.compat.state.TaskState;
import org.fedorabuild.hub.chain.ChainProgress;
import org.fedorabuild.hub.chain.ChainStatus;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each state column's CHECK constraint accepts exactly the states its one definition in the code names: the
 * constraint's own expression (from pg_constraint) is evaluated for every defined value and for near misses.
 */
class StateConstraintsTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");

    @Test
    void kojiStateCodesMatchTheirEnums() throws Exception {
        assertAccepts("tasks", codes(TaskState.values()), List.of(-1, TaskState.maxCode() + 1));
        assertAccepts("builds", codes(BuildState.values()), List.of(-1, BuildState.maxCode() + 1));
        assertAccepts("repos", codes(RepoState.values()), List.of(-1, RepoState.maxCode() + 1));
    }

    @Test
    void chainStatesMatchTheirDefinitions() throws Exception {
        assertAccepts("chains", List.of("PLANNING", "BUILDING", "DONE", "FAILED", "CANCELED"), List.of("RUNNING", "done", ""));
        List<Object> members = new ArrayList<>(Arrays.stream(ChainProgress.State.values()).map(Enum::name).toList());
        assertEquals(ChainStatus.STATES, members);
        assertAccepts("chain_members", members, List.of("PLANNING", "built"));
    }

    private static List<Object> codes(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> (Object) v.ordinal()).toList();
    }

    private static void assertAccepts(String table, List<Object> good, List<Object> bad) throws Exception {
        try (Connection c = PG.dataSource().getConnection()) {
            String expr = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_get_constraintdef(k.oid) FROM pg_constraint k"
                    + " JOIN pg_class t ON t.oid = k.conrelid JOIN pg_attribute a ON a.attrelid = t.oid"
                    + " AND a.attnum = ANY(k.conkey) WHERE t.relname = ? AND a.attname = 'state' AND k.contype = 'c'")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        expr = rs.getString(1);
                    }
                }
            }
            assertNotNull(expr, table + ".state has no CHECK constraint");
            String type = good.get(0) instanceof Integer ? "integer" : "text";
            String probe = "SELECT " + expr.replaceFirst("^CHECK ", "").replaceAll("\\bstate\\b", "(?::" + type + ")");
            for (Object v : good) {
                assertEquals(true, evaluate(c, probe, v), table + ".state CHECK " + expr + " refuses " + v);
            }
            for (Object v : bad) {
                assertEquals(false, evaluate(c, probe, v), table + ".state CHECK " + expr + " accepts " + v);
            }
        }
    }

    private static Boolean evaluate(Connection c, String probe, Object value) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(probe)) {
            int n = ps.getParameterMetaData().getParameterCount();
            for (int i = 1; i <= n; i++) {
                ps.setObject(i, value);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return (Boolean) rs.getObject(1);
            }
        }
    }
}
