package io.vnettracer.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.duckdb.DuckDBDriver;

/** One SQL statement on a store, opened read-only: nothing a query says can change the file. */
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
        Connection connection;
        try {
            connection = DriverManager.getConnection("jdbc:duckdb:" + store.toAbsolutePath(), properties);
        } catch (SQLException e) {
            throw new QueryException("cannot open the store " + store + ": " + firstLine(e), e);
        }
        try (connection; Statement statement = connection.createStatement()) {
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

    private static String firstLine(SQLException e) {
        String m = String.valueOf(e.getMessage()).strip();
        return m;
    }
}
