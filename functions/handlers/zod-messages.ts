import * as z from 'zod/mini';
import { en } from 'zod/locales';

// zod's mini flavour says only "Invalid input" until it is given a locale: callers deserve to read what was wrong.
z.config(en());
