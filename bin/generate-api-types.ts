/** npm run generate:api-types: writes the console's API types; a test fails when they are stale. */
import { writeFile } from 'node:fs/promises';
import { API_TYPES_FILE, apiTypes } from './api-types';

await writeFile(API_TYPES_FILE, await apiTypes());
console.log(`wrote ${API_TYPES_FILE}`);
