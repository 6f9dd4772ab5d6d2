-- The host's hand on a room's viewers, kept so that a restart or another
-- node does not let a removed viewer back in or a muted one speak: the room
-- channel holds the same in memory and looks here when a viewer joins.
-- user_id names no foreign key: muting an id that is no user changes nothing.
CREATE TABLE live_room_moderation (
    room_id BIGINT NOT NULL REFERENCES live_rooms(id),
    user_id BIGINT NOT NULL,
    muted_until BIGINT NOT NULL DEFAULT 0,  -- epoch ms; 0 or past: may chat
    removed_at BIGINT NOT NULL DEFAULT 0,   -- epoch ms; 0: not removed
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (room_id, user_id)
);
