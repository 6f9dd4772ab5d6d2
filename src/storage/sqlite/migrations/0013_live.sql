-- Live rooms: a shop's broadcast, scheduled → live → ended (domain/live).
CREATE TABLE live_rooms (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shops(id),
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'live', 'ended')),
    scheduled_at INTEGER NOT NULL,
    started_at INTEGER NOT NULL DEFAULT 0,
    ended_at INTEGER NOT NULL DEFAULT 0,
    -- The secret the host's encoder sends, shown to the shop's members only;
    -- found by its SHA-256 (the RTMP server's callback), compared in constant time.
    stream_key TEXT NOT NULL,
    stream_key_hash TEXT NOT NULL UNIQUE,
    -- The hash of the key the running stream was accepted with, so that its
    -- end is recognised after the host rotated the key mid-stream.
    publish_key_hash TEXT NOT NULL DEFAULT '',
    pinned_product_id INTEGER REFERENCES products(id),
    -- Kept by the room channel (later): the host's statistics.
    peak_viewers INTEGER NOT NULL DEFAULT 0 CHECK (peak_viewers >= 0),
    likes INTEGER NOT NULL DEFAULT 0 CHECK (likes >= 0),
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX live_rooms_live ON live_rooms (status, started_at, id);
CREATE INDEX live_rooms_upcoming ON live_rooms (status, scheduled_at, id);
CREATE INDEX live_rooms_ended ON live_rooms (status, ended_at, id);
CREATE INDEX live_rooms_shop ON live_rooms (shop_id, id);
CREATE INDEX live_rooms_publish_key ON live_rooms (publish_key_hash);

-- Recordings of a room, remuxed for browsers.
CREATE TABLE live_replays (
    id INTEGER PRIMARY KEY,
    room_id INTEGER NOT NULL REFERENCES live_rooms(id),
    file TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
CREATE INDEX live_replays_room ON live_replays (room_id, id);
