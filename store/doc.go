// Package store is the study database: every patient's stem-cell burden,
// flow compartments, molecular residual disease and scores across assays and
// time, with the provenance of each number.
//
// One Store interface has two implementations over database/sql with SQL
// written by hand: SQLite (modernc.org/sqlite, pure Go, one file in WAL mode
// so readers never wait for the writer) and PostgreSQL 15+ (jackc/pgx/v5
// through its database/sql driver). Open chooses by the address: a
// postgres:// or postgresql:// URL is PostgreSQL, anything else a SQLite file.
//
// The model (migrations/0001_init.sql): study -> patients (pseudonyms only)
// -> events (diagnosis, therapy lines, transplant, CAR-T infusion, response,
// relapse, follow-up, death) and samples (date, tissue, sorted fraction,
// timepoint label) -> runs (one lsc output folder: kind, version,
// parameters, input checksums) -> results (one number each, with its
// interval, label and every column of its source row). Migrations are
// numbered, embedded and applied in one transaction; later ones add tables
// (users, sessions, audit rows of the web app) without touching these.
//
// Import reads a run folder's run.json and TSVs by column name (extra
// columns are kept in each result's fields, never an error) and writes it in
// one transaction keyed by a content hash of the folder: importing it again
// changes nothing, a killed import leaves the database as it was, and two
// runs that disagree on a sample and metric are both kept.
//
// Timeline returns a patient's events and series in the public JSON
// contract of `lsc study timeline --json` (and the web API); values are the
// float64 of the imported text, written back in shortest round-trip form, so
// they equal the source outputs.
package store
