package io.vnettracer.store;

import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.duckdb.DuckDBDriver;

/**
 * One query on a store, which may be a file someone else crafted (docs/STORE.md, "What a query may
 * do"). DuckDB opens it read-only, with external access off (no file but the store is read or
 * written, by a query or by a view or macro stored in the file), extensions neither installed nor
 * loaded, and the configuration locked so that no statement turns any of that back on. DuckDB's own
 * parser must find exactly one statement, a query (SELECT and its forms: FROM, WITH, DESCRIBE,
 * SHOW, SUMMARIZE): the JDBC driver would run every statement of a longer text.
 */
public final class StoreQuery {
    /** Column names and rows; values as JDBC gives them (Long, Double, String, Boolean, ...), null for NULL. */
    public record Result(List<String> columns, List<List<Object>> rows) {}

    /** A store that cannot be opened or a statement that fails; the message says which and why. */
    public static final class QueryException extends Exception {
        public QueryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private StoreQuery() {}

    public static Result run(Path store, String sql) throws QueryException {
        if (!Files.isRegularFile(store)) {
            throw new QueryException("no store at " + store + " (write one with 'vnettracer trace --store FILE')", null);
        }
        Properties properties = new Properties();
        properties.setProperty(DuckDBDriver.DUCKDB_READONLY_PROPERTY, "true");
        properties.setProperty("enable_external_access", "false");
        properties.setProperty("autoinstall_known_extensions", "false");
        properties.setProperty("autoload_known_extensions", "false");
        properties.setProperty("allow_community_extensions", "false");
        properties.setProperty("lock_configuration", "true");
        Connection connection;
        try {
            connection = DriverManager.getConnection("jdbc:duckdb:" + store.toAbsolutePath(), properties);
        } catch (SQLException e) {
            throw new QueryException("cannot open the store " + store + ": " + firstLine(e), e);
        }
        try (connection; Statement statement = connection.createStatement()) {
            requireOneQuery(connection, sql);
            if (!statement.execute(sql)) {
                return new Result(List.of("changed"), List.of(List.of(statement.getUpdateCount())));
            }
            try (ResultSet rs = statement.getResultSet()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(meta.getColumnLabel(i));
                }
                List<List<Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(columns.size());
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
                return new Result(columns, rows);
            }
        } catch (SQLException e) {
            throw new QueryException("the query failed: " + firstLine(e), e);
        }
    }

    /** Asks DuckDB's parser: json_serialize_sql lists the statements of a text of queries and refuses any other statement. */
    private static void requireOneQuery(Connection connection, String sql) throws QueryException, SQLException {
        JsonNode parsed;
        try (PreparedStatement parse = connection.prepareStatement("SELECT json_serialize_sql(?)")) {
            parse.setString(1, sql);
            try (ResultSet rs = parse.executeQuery()) {
                rs.next();
                parsed = new ObjectMapper().readTree(rs.getString(1));
            }
        } catch (JsonProcessingException e) {
            throw new QueryException("cannot check the query: DuckDB's parser gave " + e.getOriginalMessage(), e);
        }
        if (parsed.path("error").asBoolean()) {
            if ("parser".equals(parsed.path("error_type").asText())) {
                throw new QueryException("the query failed: Parser Error: " + parsed.path("error_message").asText(), null);
            }
            throw new QueryException("only a query runs on a store (SELECT, FROM, WITH, DESCRIBE, SHOW, SUMMARIZE): the store is"
                    + " read-only, and statements that change it, set options, attach, copy, install or load are refused", null);
        }
        int statements = parsed.path("statements").size();
        if (statements != 1) {
            throw new QueryException("one statement per call: the input holds " + statements
                    + " statements; run them one at a time", null);
        }
    }

    private static String firstLine(SQLException e) {
        // DuckDB adds the query with a caret under the culprit on further lines: the user has the query.
        return String.valueOf(e.getMessage()).strip().lines().findFirst().orElse("").strip();
    }
}
