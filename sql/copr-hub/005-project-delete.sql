-- copr-hub schema: from 4 to 5
-- copr-hub project delete (coprDeleteProject): one prune_journal row of kind 'project' per deleted project
-- (no task: task_id NULL; build_dir = OWNER/PROJECT, the results directory removed after the transaction
-- that marked the project deleted). A deleted project's row keeps its id (builds and tasks reference it)
-- but is renamed NAME~deleted~ID, its tags likewise, and its targets are dropped, so the name can be
-- created again.
BEGIN;

ALTER TABLE prune_journal DROP CONSTRAINT prune_journal_kind_check;
ALTER TABLE prune_journal ADD CONSTRAINT prune_journal_kind_check CHECK (kind IN ('build', 'failed', 'scratch', 'project'));
ALTER TABLE prune_journal ALTER COLUMN task_id DROP NOT NULL;

COMMIT;
