-- 0001 init: the study model (study -> patients -> events, samples -> runs -> results).
-- Portable SQL for SQLite and PostgreSQL; {{ID}} is the auto-numbered primary key
-- and {{REAL}} the 64-bit float type of each backend (see migrate.go).
-- Dates are 'YYYY-MM-DD' text; days are counted from each patient's day 0.
-- Optional text is '' rather than NULL so that unique keys stay keys.
-- Later migrations (users, sessions, memberships, audit rows for the web app)
-- reference studies(id) and runs(id).

CREATE TABLE studies (
    id {{ID}},
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE patients (
    id {{ID}},
    study_id BIGINT NOT NULL REFERENCES studies(id),
    pseudonym TEXT NOT NULL,
    sex TEXT NOT NULL DEFAULT '',
    birth_year INTEGER,
    day0_event TEXT NOT NULL DEFAULT 'diagnosis',
    attributes TEXT NOT NULL DEFAULT '{}',
    UNIQUE (study_id, pseudonym)
);

CREATE TABLE events (
    id {{ID}},
    patient_id BIGINT NOT NULL REFERENCES patients(id),
    kind TEXT NOT NULL CHECK (kind IN ('diagnosis', 'therapy_start', 'therapy_stop', 'transplant',
        'car_t_infusion', 'response_assessment', 'relapse', 'last_followup', 'death')),
    date TEXT,
    day {{REAL}},
    detail TEXT NOT NULL DEFAULT '',
    line INTEGER,
    source TEXT NOT NULL DEFAULT '',
    ekey TEXT NOT NULL,
    UNIQUE (patient_id, ekey)
);
CREATE INDEX events_patient ON events (patient_id);

CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    study_id BIGINT NOT NULL REFERENCES studies(id),
    kind TEXT NOT NULL,
    lsc_version TEXT NOT NULL DEFAULT '',
    parameters TEXT NOT NULL DEFAULT '{}',
    inputs TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX runs_study ON runs (study_id);

CREATE TABLE run_files (
    run_id TEXT NOT NULL REFERENCES runs(id),
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    PRIMARY KEY (run_id, name)
);

CREATE TABLE samples (
    id {{ID}},
    patient_id BIGINT NOT NULL REFERENCES patients(id),
    name TEXT NOT NULL,
    date TEXT,
    timepoint TEXT NOT NULL DEFAULT '',
    tissue TEXT NOT NULL DEFAULT '',
    fraction TEXT NOT NULL DEFAULT '',
    UNIQUE (patient_id, name)
);

-- One measured (or projected) number: a point of a timeline series.
CREATE TABLE results (
    id {{ID}},
    run_id TEXT NOT NULL REFERENCES runs(id),
    patient_id BIGINT NOT NULL REFERENCES patients(id),
    sample_id BIGINT REFERENCES samples(id),
    assay TEXT NOT NULL,
    metric TEXT NOT NULL,
    fraction TEXT NOT NULL DEFAULT '',
    target TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    scenario TEXT NOT NULL DEFAULT '',
    date TEXT,
    day {{REAL}},
    value {{REAL}},
    lower {{REAL}},
    upper {{REAL}},
    label TEXT NOT NULL DEFAULT '',
    n BIGINT,
    k BIGINT,
    file TEXT NOT NULL DEFAULT '',
    line INTEGER NOT NULL,
    fields TEXT NOT NULL DEFAULT '{}',
    rkey TEXT NOT NULL,
    UNIQUE (run_id, rkey)
);
CREATE INDEX results_patient ON results (patient_id);
CREATE INDEX results_sample ON results (sample_id, metric);
CREATE INDEX results_metric ON results (metric);
CREATE INDEX samples_patient ON samples (patient_id);
