"""Numbered schema migrations; the store applies the ones a database has not had yet."""

MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE engagements (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            client TEXT NOT NULL DEFAULT '',
            facilitator TEXT NOT NULL DEFAULT '',
            cycle_kind TEXT NOT NULL DEFAULT 'quarter'
                CHECK (cycle_kind IN ('quarter', '4-month', 'custom')),
            cycle_start TEXT NOT NULL,
            cycle_end TEXT NOT NULL,
            levels TEXT NOT NULL DEFAULT 'top,team',
            max_objectives INTEGER NOT NULL DEFAULT 3,
            min_key_results INTEGER NOT NULL DEFAULT 2,
            max_key_results INTEGER NOT NULL DEFAULT 4,
            milestones_allowed INTEGER NOT NULL DEFAULT 1,
            workshop_code TEXT NOT NULL,
            pin_hash TEXT NOT NULL,
            stamp INTEGER NOT NULL DEFAULT 0,
            created_at REAL NOT NULL,
            archived_at REAL
        );
        CREATE UNIQUE INDEX one_current_engagement ON engagements ((archived_at IS NULL))
            WHERE archived_at IS NULL;
        CREATE TABLE teams (
            id INTEGER PRIMARY KEY,
            engagement_id INTEGER NOT NULL REFERENCES engagements (id),
            name TEXT NOT NULL,
            slug TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'team' CHECK (kind IN ('top', 'team')),
            purpose TEXT NOT NULL DEFAULT '',
            purpose_version INTEGER NOT NULL DEFAULT 0,
            position INTEGER NOT NULL DEFAULT 0,
            stamp INTEGER NOT NULL DEFAULT 0,
            removed_at REAL
        );
        CREATE UNIQUE INDEX team_slugs ON teams (engagement_id, slug) WHERE removed_at IS NULL;
        CREATE TABLE objectives (
            id INTEGER PRIMARY KEY,
            team_id INTEGER NOT NULL REFERENCES teams (id),
            text TEXT NOT NULL,
            why_now TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'drafting' CHECK (status IN ('drafting', 'ready')),
            position INTEGER NOT NULL DEFAULT 0,
            version INTEGER NOT NULL DEFAULT 1,
            updated_at REAL NOT NULL,
            updated_by TEXT NOT NULL DEFAULT '',
            removed_at REAL
        );
        CREATE INDEX objectives_by_team ON objectives (team_id);
        CREATE TABLE contributions (
            objective_id INTEGER NOT NULL REFERENCES objectives (id),
            top_objective_id INTEGER NOT NULL REFERENCES objectives (id),
            PRIMARY KEY (objective_id, top_objective_id)
        );
        CREATE TABLE key_results (
            id INTEGER PRIMARY KEY,
            objective_id INTEGER NOT NULL REFERENCES objectives (id),
            text TEXT NOT NULL,
            kr_type TEXT NOT NULL DEFAULT 'metric'
                CHECK (kr_type IN ('metric', 'baseline', 'milestone')),
            baseline REAL,
            target REAL,
            unit TEXT NOT NULL DEFAULT '',
            due TEXT,
            champion TEXT NOT NULL DEFAULT '',
            contributors TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0,
            version INTEGER NOT NULL DEFAULT 1,
            updated_at REAL NOT NULL,
            updated_by TEXT NOT NULL DEFAULT '',
            removed_at REAL
        );
        CREATE INDEX key_results_by_objective ON key_results (objective_id);
        CREATE TABLE dependencies (
            id INTEGER PRIMARY KEY,
            key_result_id INTEGER NOT NULL REFERENCES key_results (id),
            to_team_id INTEGER NOT NULL REFERENCES teams (id),
            status TEXT NOT NULL DEFAULT 'requested'
                CHECK (status IN ('requested', 'accepted', 'declined')),
            comment TEXT NOT NULL DEFAULT '',
            requested_at REAL NOT NULL,
            answered_at REAL,
            answered_by TEXT NOT NULL DEFAULT '',
            UNIQUE (key_result_id, to_team_id)
        );
        CREATE INDEX dependencies_by_team ON dependencies (to_team_id);
        CREATE TABLE parking_lot (
            id INTEGER PRIMARY KEY,
            engagement_id INTEGER NOT NULL REFERENCES engagements (id),
            text TEXT NOT NULL,
            raised_by TEXT NOT NULL DEFAULT '',
            created_at REAL NOT NULL,
            done INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            engagement_id INTEGER NOT NULL REFERENCES engagements (id),
            team_id INTEGER REFERENCES teams (id),
            entity TEXT NOT NULL,
            entity_id INTEGER NOT NULL,
            version INTEGER NOT NULL,
            body TEXT NOT NULL,
            author TEXT NOT NULL DEFAULT '',
            saved_at REAL NOT NULL,
            outcome TEXT NOT NULL DEFAULT 'saved'
                CHECK (outcome IN ('saved', 'conflict', 'removed'))
        );
        CREATE INDEX revisions_by_entity ON revisions (entity, entity_id);
        CREATE TABLE facilitator_sessions (
            token TEXT PRIMARY KEY,
            created_at REAL NOT NULL
        )
        """,
    ),
    (
        2,
        """
        CREATE TABLE sign_in_attempts (
            id INTEGER PRIMARY KEY,
            at REAL NOT NULL,
            ok INTEGER NOT NULL
        );
        CREATE INDEX sign_in_attempts_by_time ON sign_in_attempts (at)
        """,
    ),
    (
        3,
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            engagement_id INTEGER NOT NULL REFERENCES engagements (id),
            agenda_slug TEXT NOT NULL,
            title TEXT NOT NULL,
            items TEXT NOT NULL,
            state TEXT NOT NULL,
            created_at REAL NOT NULL,
            archived_at REAL,
            stamp INTEGER NOT NULL DEFAULT 0
        );
        CREATE UNIQUE INDEX one_current_run ON runs (engagement_id) WHERE archived_at IS NULL
        """,
    ),
    (
        4,
        """
        ALTER TABLE engagements ADD COLUMN join_address TEXT NOT NULL DEFAULT ''
        """,
    ),
    (
        5,
        """
        ALTER TABLE engagements ADD COLUMN dots_per_voter INTEGER NOT NULL DEFAULT 3;
        CREATE TABLE candidates (
            id INTEGER PRIMARY KEY,
            engagement_id INTEGER NOT NULL REFERENCES engagements (id),
            text TEXT NOT NULL,
            why TEXT NOT NULL DEFAULT '',
            proposed_by TEXT NOT NULL DEFAULT '',
            created_at REAL NOT NULL,
            promoted_objective_id INTEGER REFERENCES objectives (id)
        );
        CREATE TABLE votes (
            candidate_id INTEGER NOT NULL REFERENCES candidates (id),
            voter TEXT NOT NULL,
            dots INTEGER NOT NULL CHECK (dots > 0),
            voted_at REAL NOT NULL,
            PRIMARY KEY (candidate_id, voter)
        );
        CREATE TABLE shared_key_results (
            key_result_id INTEGER NOT NULL REFERENCES key_results (id),
            team_id INTEGER NOT NULL REFERENCES teams (id),
            PRIMARY KEY (key_result_id, team_id)
        )
        """,
    ),
    (
        6,
        """
        CREATE TABLE discussed_questions (
            team_id INTEGER NOT NULL REFERENCES teams (id),
            entity TEXT NOT NULL CHECK (entity IN ('team', 'objective', 'key_result')),
            entity_id INTEGER NOT NULL,
            rule TEXT NOT NULL,
            discussed_by TEXT NOT NULL DEFAULT '',
            discussed_at REAL NOT NULL,
            PRIMARY KEY (entity, entity_id, rule)
        )
        """,
    ),
    (
        7,
        """
        ALTER TABLE runs ADD COLUMN projector_pin TEXT NOT NULL DEFAULT '';
        ALTER TABLE runs ADD COLUMN presenting_team_id INTEGER REFERENCES teams (id);
        ALTER TABLE runs ADD COLUMN presenting_page INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE sorted_metrics (
            id INTEGER PRIMARY KEY,
            team_id INTEGER NOT NULL REFERENCES teams (id),
            text TEXT NOT NULL,
            category TEXT NOT NULL CHECK (category IN ('health', 'candidate', 'task')),
            created_at REAL NOT NULL,
            carried_key_result_id INTEGER REFERENCES key_results (id)
        );
        CREATE TABLE comments (
            id INTEGER PRIMARY KEY,
            objective_id INTEGER NOT NULL REFERENCES objectives (id),
            key_result_id INTEGER REFERENCES key_results (id),
            from_team_id INTEGER NOT NULL REFERENCES teams (id),
            text TEXT NOT NULL,
            created_at REAL NOT NULL
        )
        """,
    ),
    (
        8,
        """
        ALTER TABLE facilitator_sessions ADD COLUMN engagement_id INTEGER REFERENCES engagements (id);
        DELETE FROM facilitator_sessions;
        ALTER TABLE sign_in_attempts ADD COLUMN address TEXT NOT NULL DEFAULT 'unknown';
        CREATE INDEX sign_in_attempts_by_address ON sign_in_attempts (address, at)
        """,
    ),
    (
        9,
        """
        CREATE TABLE laptops (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL DEFAULT '',
            seen_at REAL NOT NULL
        );
        CREATE TABLE unsaved_typing (
            laptop_id TEXT NOT NULL,
            editor TEXT NOT NULL,
            base_version INTEGER NOT NULL DEFAULT 0,
            fields TEXT NOT NULL,
            kept_at REAL NOT NULL,
            PRIMARY KEY (laptop_id, editor)
        );
        ALTER TABLE dependencies ADD COLUMN version INTEGER NOT NULL DEFAULT 0
        """,
    ),
    (
        10,
        """
        ALTER TABLE comments ADD COLUMN author TEXT NOT NULL DEFAULT ''
        """,
    ),
    (
        11,
        """
        ALTER TABLE engagements ADD COLUMN language TEXT NOT NULL DEFAULT 'en_GB';
        ALTER TABLE engagements ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/London';
        ALTER TABLE engagements ADD COLUMN next_steps TEXT NOT NULL DEFAULT ''
        """,
    ),
    (
        12,
        """
        ALTER TABLE engagements ADD COLUMN tally_revealed INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE candidates ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
        UPDATE candidates SET number = (SELECT count(*) FROM candidates c WHERE c.engagement_id = candidates.engagement_id
                                        AND c.id <= candidates.id);
        ALTER TABLE candidates ADD COLUMN removed_at REAL;
        ALTER TABLE candidates ADD COLUMN removed_note TEXT NOT NULL DEFAULT '';
        CREATE TABLE ballot_laptops (
            engagement_id INTEGER NOT NULL REFERENCES engagements (id),
            laptop_id TEXT NOT NULL,
            opened_at REAL NOT NULL,
            PRIMARY KEY (engagement_id, laptop_id)
        );
        ALTER TABLE sorted_metrics ADD COLUMN run_id INTEGER;
        ALTER TABLE sorted_metrics ADD COLUMN removed_at REAL;
        ALTER TABLE runs ADD COLUMN pin_item INTEGER;
        ALTER TABLE laptops ADD COLUMN team_id INTEGER
        """,
    ),
    (
        13,
        """
        ALTER TABLE teams ADD COLUMN changed_card TEXT
        """,
    ),
]
