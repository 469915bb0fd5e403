/**
 * The embedded default store: a trace's records, journeys, flows and segments in one DuckDB file,
 * written while the trace runs ({@link io.vnettracer.store.StoreSink}) or imported from a saved
 * events file and JSON summary ({@link io.vnettracer.store.StoreImport}), and queried read-only
 * with SQL ({@link io.vnettracer.store.StoreQuery}). The schema is docs/STORE.md. Not a live
 * database: the file is complete, and open to readers, once the trace has finished.
 */
package io.vnettracer.store;
