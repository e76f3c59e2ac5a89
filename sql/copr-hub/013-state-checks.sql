-- copr-hub schema: to 13
-- Every state column has a CHECK constraint matching its one definition in the code:
--   tasks.state, builds.state, repos.state : Koji's codes, fedpkg-compat's TaskState, BuildState, RepoState
--     (already checked since 001/002; StateConstraintsTest keeps the ranges and the enums equal)
--   chains.state                           : PLANNING, BUILDING, DONE, FAILED, CANCELED (ChainStatus)
--   chain_members.state                    : ChainProgress.State
BEGIN;

ALTER TABLE chains ADD CONSTRAINT chains_state_check
    CHECK (state IN ('PLANNING', 'BUILDING', 'DONE', 'FAILED', 'CANCELED'));
ALTER TABLE chain_members ADD CONSTRAINT chain_members_state_check
    CHECK (state IN ('WAITING', 'READY', 'RUNNING', 'BUILT', 'FAILED', 'SKIPPED'));

COMMIT;
