// tsc does not copy non-TS assets; the Lua scripts are read at runtime next to scripts.js.
import { cpSync } from 'node:fs';
cpSync('src/store/redis/lua', 'dist/store/redis/lua', { recursive: true });
