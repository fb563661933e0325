-- How far this key store has applied the erasure log, which lives with the data
-- (`public.key_destructions`). A restored copy carries the cursor it had when it was copied, so
-- the destructions logged since then are replayed, and only those.
CREATE TABLE custodian_keys.replay_cursor (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    replayed_through BIGINT NOT NULL
);
INSERT INTO custodian_keys.replay_cursor (id, replayed_through) VALUES (1, 0);

-- The key store no longer keeps its own list of destroyed keys: a list kept here was lost, and
-- its keys came back, whenever an older copy of the key store was restored.
DROP TABLE custodian_keys.destroyed_keys;
