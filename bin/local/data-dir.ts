/** Where `npm start` keeps its data, and where the token command looks for its key: a module of its own, so the command loads no stack. */
export const DEFAULT_DATA_DIR = '.data';
