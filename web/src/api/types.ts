// Shapes of the API's replies (see src/http/api/openapi.json in the server).

export interface User {
  id: string;
  login: string;
  display_name: string;
  roles: string[];
  grants: { role: string; region_code?: string }[];
  created_at: string;
}

export interface LoginReply {
  user: User;
  token: string;
  csrf_token: string;
  expires_at: string;
}

export interface MeReply {
  user: User;
  session_expires_at: string;
}

export type RegionLevel = 'province' | 'prefecture' | 'county' | 'township' | 'village';

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  urban: boolean;
  parent_code: string | null;
}

export interface RegionWithPath extends Region {
  path: Region[];
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}
